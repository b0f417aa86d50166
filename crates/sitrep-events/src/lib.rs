//! sitrep-events (being built).
