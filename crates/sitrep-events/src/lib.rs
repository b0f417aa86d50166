//! Event coding: from a segmented, geoparsed news report to ACLED-style
//! event records (sub-event type, actors, location, date, fatalities,
//! attribution and certainty), every field pointing at the text it came from.
//!
//! The principal type is [`EventCoder`]: the trigger lexicon, cue words,
//! refinement rules and type precedence (data files under `lexicons/events/`)
//! compiled once, then applied to each document with [`EventCoder::code`].
//!
//! How a document is coded:
//!
//! 1. Each sentence (split into clauses at `;`) is matched against the phrase
//!    lexicon (one hash lookup per word, then a trie walk): trigger phrases
//!    propose a sub-event type with a weight, cue phrases carry tags.
//! 2. The heaviest proposal of a clause wins (ties: `precedence.tsv`); triggers
//!    inside quotes or right after a reference cue ("after the attack") count
//!    less or not at all.
//! 3. Negated, future/hypothetical and background clauses yield nothing.
//! 4. Arguments: actors (active/passive voice, "clashes between X and Y"),
//!    location (through the gazetteer's resolve API), date (relative
//!    expressions resolved against the publication date), fatalities (lowest
//!    credible count), attribution and certainty.
//! 5. The rules of `rules.tsv` refine the type with what is now known
//!    (weapons, targets, actor categories).
//! 6. Repeated mentions of one event, and the parts of one event told in
//!    sentences next to each other (a fight and the place it won, an attack
//!    and the return fire), are merged; a mention placed only by a province or
//!    country holding the other's place may be the same place. The principal
//!    event comes first (an arrest told after a violent event is its
//!    aftermath, not the principal), the rest in text order.
//!
//! ```
//! use sitrep_events::{CodeInput, EventCoder};
//! use sitrep_model::{DocumentMeta, Date, SubEventType};
//! use sitrep_text::TextRange;
//!
//! let text = "Protesters marched through the capital on Monday to demand higher wages.";
//! let coder = EventCoder::builtin().unwrap();
//! let seg = sitrep_segment::segment(text);
//! let geo = sitrep_gazetteer::GeoParse::default();
//! let meta = DocumentMeta { id: "doc".into(), published: Some(Date::constant(2024, 3, 5)), ..Default::default() };
//! let input = CodeInput { text, body: TextRange::full(text), title: None, dateline: None, seg: &seg, geo: &geo, meta: &meta, actor_scan: None, outlet_country: None };
//! let coded = coder.code(&input);
//! assert_eq!(coded.events[0].sub_event_type, SubEventType::PeacefulProtest);
//! ```

pub mod actors;
mod args;
mod coder;
mod glue;
mod lexicon;
mod rules;
mod typing;
mod words;

pub use coder::{CodeInput, Coded, EventCoder};
pub use lexicon::LexiconError;
