//! sitrep-segment (being built).
