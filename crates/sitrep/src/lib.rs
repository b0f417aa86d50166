//! sitrep (being built).
