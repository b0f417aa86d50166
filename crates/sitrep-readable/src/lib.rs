//! sitrep-readable (being built).
