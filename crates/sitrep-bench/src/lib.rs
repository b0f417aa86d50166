//! sitrep-bench (being built).
