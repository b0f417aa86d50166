//! sitrep-gazetteer (being built).
