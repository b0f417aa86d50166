//! sitrep-eval (being built).
