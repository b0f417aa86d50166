//! The records of the output contract.

use serde::Serialize;
use sitrep_text::TextRange;

use crate::{Date, Diagnostic, Inter, SubEventType};

/// A piece of the document text: its bytes `start..end` and their text.
///
/// Invariant: `text == &document_text[start..end]`. Build one with
/// [`Span::of`], which slices the text for you.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The text of the range.
    pub text: String,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The span of `range` in `text`.
    #[must_use]
    pub fn of(text: &str, range: TextRange) -> Span {
        Span { text: text[range].to_owned(), start: range.start() as u32, end: range.end() as u32 }
    }

    /// The byte range.
    #[must_use]
    pub fn range(&self) -> TextRange {
        TextRange::new(self.start as usize, self.end as usize)
    }
}

/// What is known of a document besides its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DocumentMeta {
    /// The JSONL `id`, the WARC record id, or the input path.
    pub id: String,
    /// The headline.
    pub title: Option<String>,
    /// Publication date (from the document, else from `--published`).
    pub published: Option<Date>,
    /// The outlet or site name ("CNN").
    pub outlet: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// BCP 47 language tag ("en").
    pub language: Option<String>,
    /// Byline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The document text; serialised only when asked for (`--include-text`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One analysed document: the unit `sitrep extract` writes per line.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DocumentRecord {
    /// Metadata (and text, with `--include-text`).
    pub document: DocumentMeta,
    /// Coded events, the principal event first, then in text order.
    pub events: Vec<Event>,
    /// Every place name recognised in the text, resolved or not.
    pub places: Vec<PlaceMention>,
    /// Every actor mention recognised in the text.
    pub actors: Vec<ActorMention>,
    /// Problems met while reading this document.
    pub diagnostics: Vec<Diagnostic>,
}

/// An actor taking part in an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActorRef {
    /// The normalised actor name ("Military Forces of Iraq (2014-)").
    pub name: String,
    /// ACLED actor category.
    pub inter: Inter,
    /// The mention in the text.
    #[serde(flatten)]
    pub span: Span,
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Location {
    /// The location's name (the gazetteer's, or the text's for unlisted places).
    pub name: String,
    /// First-order administrative division.
    pub admin1: Option<String>,
    /// Second-order administrative division.
    pub admin2: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub iso: Option<String>,
    /// Latitude (WGS84).
    pub latitude: f64,
    /// Longitude (WGS84).
    pub longitude: f64,
    /// 1 the named town (or a place inside it), 2 near a town / part of a
    /// district, 3 only the province or country.
    pub geo_precision: u8,
    /// The GeoNames id of the point, when it is a GeoNames entry.
    pub geonameid: Option<u32>,
    /// The place mention the location was read from.
    #[serde(flatten)]
    pub span: Span,
}

/// Whether a party to the conflict, a neutral source, or a hedge vouches for an event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// Reported as fact by the outlet or a neutral source.
    #[default]
    Reported,
    /// Claimed by a party to the conflict.
    Claimed,
    /// Hedged: "reportedly", "allegedly", "purportedly".
    Unconfirmed,
}

/// Who reports an event, and how sure they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The outlet that published the document.
    pub outlet: Option<String>,
    /// Who the document attributes the event to ("witnesses inside Mosul").
    pub attribution: Option<String>,
    /// Reported, claimed or unconfirmed.
    pub certainty: Certainty,
}

/// A coded event, in ACLED's terms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Stable id: the same input gives the same id.
    pub id: String,
    /// ACLED event type (derived from `sub_event_type`).
    pub event_type: crate::EventType,
    /// ACLED sub-event type, or a sitrep extension type.
    pub sub_event_type: SubEventType,
    /// ACLED disorder type (derived from `sub_event_type`).
    pub disorder_type: &'static str,
    /// The day it happened, when it can be placed.
    pub event_date: Option<Date>,
    /// 1 the day, 2 a week or a few days, 3 a month or vaguer.
    pub time_precision: u8,
    /// Who acted.
    pub actor1: Option<ActorRef>,
    /// Actors acting with actor1.
    pub assoc_actor_1: Vec<ActorRef>,
    /// On whom.
    pub actor2: Option<ActorRef>,
    /// Actors beside actor2.
    pub assoc_actor_2: Vec<ActorRef>,
    /// Where.
    pub location: Option<Location>,
    /// Reported deaths (lowest credible count; 0 when none reported).
    pub fatalities: u32,
    /// True when civilians were the target.
    pub civilian_targeting: bool,
    /// Outlet, attribution and certainty.
    pub source: Source,
    /// The sentence(s) the event was read from.
    pub evidence: Span,
    /// How sure the coder is, 0–1.
    pub confidence: f32,
}

/// A place name recognised in the text, resolved or not.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaceMention {
    /// The mention.
    #[serde(flatten)]
    pub span: Span,
    /// The resolved entry's name; `None` when unresolved.
    pub name: Option<String>,
    /// GeoNames id of the resolved entry.
    pub geonameid: Option<u32>,
    /// GeoNames feature code (PPLC, PPLA, ADM1, PCLI…).
    pub feature_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub iso: Option<String>,
    /// Country name.
    pub country: Option<String>,
    /// First-order administrative division.
    pub admin1: Option<String>,
    /// Second-order administrative division.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    /// Latitude of the resolved point (or of the parent it is placed at).
    pub latitude: Option<f64>,
    /// Longitude of the resolved point.
    pub longitude: Option<f64>,
    /// What the mention is: `place`, `demonym`, `region`, `country`,
    /// `sub-place` (a place the gazetteer lacks, placed at its parent).
    pub kind: &'static str,
    /// ACLED geo-precision an event located here would get (1–3).
    pub geo_precision: Option<u8>,
    /// How sure the resolver is, 0–1.
    pub confidence: f32,
}

/// An actor mention recognised in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActorMention {
    /// The mention.
    #[serde(flatten)]
    pub span: Span,
    /// Normalised actor name.
    pub name: String,
    /// ACLED actor category.
    pub inter: Inter,
    /// ISO country code of the actor, when it has one.
    pub country: Option<String>,
}

/// A stable 64-bit id (FNV-1a) of some parts, as 16 hex digits.
///
/// Stable across runs, platforms and thread counts, so ids can key a store.
#[must_use]
pub fn stable_id(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Separate parts so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_slices_the_text() {
        let text = "Clashes in Mosul left 3 dead.";
        let s = Span::of(text, TextRange::new(11, 16));
        assert_eq!(s.text, "Mosul");
        assert_eq!(&text[s.range()], "Mosul");
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"text":"Mosul","start":11,"end":16}"#);
    }

    #[test]
    fn stable_ids_are_stable_and_separate_parts() {
        assert_eq!(stable_id(&[b"a", b"bc"]), stable_id(&[b"a", b"bc"]));
        assert_ne!(stable_id(&[b"ab", b"c"]), stable_id(&[b"a", b"bc"]));
        assert_eq!(stable_id(&[]).len(), 16);
    }

    #[test]
    fn document_record_serialises_contract_keys() {
        let rec = DocumentRecord {
            document: DocumentMeta {
                id: "a.txt".into(),
                published: Some(Date::constant(2016, 11, 4)),
                ..Default::default()
            },
            ..Default::default()
        };
        let v: serde_json::Value = serde_json::to_value(&rec).unwrap();
        for key in ["document", "events", "places", "actors", "diagnostics"] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["document"]["published"], "2016-11-04");
        assert!(v["document"].get("text").is_none());
        assert!(v["document"]["title"].is_null());
    }
}
