//! sitrep's records: what every stage produces and what `sitrep extract`
//! writes (the output contract v1, `../shared/docs/output-contract.md`).
//!
//! The principal type is [`DocumentRecord`]: one analysed document with its
//! [`Event`]s, [`PlaceMention`]s, [`ActorMention`]s and [`Diagnostic`]s.
//! Every fact carries a [`Span`]: the byte range it was read from and the
//! text of that range, so that `&document.text[start..end] == text`.
//!
//! The event taxonomy (ACLED's 25 sub-event types plus sitrep's Displacement
//! extension) is the closed enum [`SubEventType`].

mod diagnostic;
mod geo;
mod record;
mod taxonomy;

pub use diagnostic::{Diagnostic, Level};
pub use geo::{EARTH_RADIUS_KM, haversine_km};
pub use jiff::civil::Date;
pub use record::{
    ActorMention, ActorRef, Certainty, DocumentMeta, DocumentRecord, Event, Location, PlaceMention, Source, Span,
    stable_id,
};
pub use sitrep_text::TextRange;
pub use taxonomy::{EventType, Inter, SubEventType};
