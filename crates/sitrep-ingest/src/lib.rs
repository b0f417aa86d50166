//! sitrep-ingest (being built).
