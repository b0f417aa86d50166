//! Turning an analysed document into rows, off the writer thread.

use serde::Serialize;
use sitrep_fuse::{Features, FusionConfig, Member, fused_id, fusion_block};
use sitrep_ingest::{Body, RawDocument};
use sitrep_model::{ActorMention, Date, Diagnostic, DocumentRecord, Event, Level, PlaceMention, stable_id};

use crate::fusion::Built;

/// A document and its records, ready to be written: everything serialised
/// and hashed. Build with [`prepare`] (pure: call it on worker threads).
#[derive(Clone, Debug)]
pub struct PreparedDocument {
    pub(crate) key: String,
    pub(crate) hash: String,
    pub(crate) file: String,
    pub(crate) line: Option<u64>,
    pub(crate) kind: &'static str,
    pub(crate) raw: String,
    pub(crate) text: Option<String>,
    pub(crate) text_len: usize,
    pub(crate) container: String,
    pub(crate) title: Option<String>,
    pub(crate) published: Option<String>,
    pub(crate) outlet: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) language: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) diagnostics: String,
    pub(crate) events: Vec<PreparedEvent>,
    /// The record's place mentions ([`compact_places`]).
    pub(crate) places: String,
    /// The record's actor mentions ([`compact_actors`]).
    pub(crate) actors: String,
}

impl PreparedDocument {
    /// The document's key (`document.id`).
    #[must_use]
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The content hash ([`content_hash`]).
    #[must_use]
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// How many events the document has.
    #[must_use]
    pub fn event_count(&self) -> usize {
        self.events.len()
    }
}

#[derive(Clone, Debug)]
pub(crate) struct PreparedEvent {
    pub(crate) uid: String,
    pub(crate) event_id: String,
    pub(crate) fingerprint: String,
    /// [`Features::encode`] of `fusion`.
    pub(crate) features: Vec<u8>,
    pub(crate) json: String,
    /// The event itself, its fusion features and block ([`sitrep_fuse::fusion_block`]),
    /// for fusing it once it is written.
    pub(crate) event: Event,
    pub(crate) fusion: Features,
    pub(crate) block: Option<crate::fusion::Block>,
    /// The fused event this report makes alone (most reports stay alone),
    /// built here, on a worker thread, rather than by the writer.
    pub(crate) single: Built,
}

/// What the container gave besides the body: kept so that `recode` can
/// rebuild the document exactly as it was read.
#[derive(Serialize, serde::Deserialize, Default)]
pub(crate) struct Container {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub(crate) published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub(crate) url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub(crate) outlet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub(crate) title: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub(crate) diagnostics: Vec<StoredDiagnostic>,
    /// The `--published` fallback the document was analysed with.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub(crate) default_published: Option<String>,
}

#[derive(Serialize, serde::Deserialize)]
pub(crate) struct StoredDiagnostic {
    pub(crate) level: String,
    pub(crate) code: String,
    pub(crate) message: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub(crate) file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub(crate) line: Option<u64>,
}

impl StoredDiagnostic {
    pub(crate) fn of(d: &Diagnostic) -> StoredDiagnostic {
        StoredDiagnostic {
            level: match d.level {
                Level::Info => "info",
                Level::Warning => "warning",
                Level::Error => "error",
            }
            .to_owned(),
            code: d.code.to_owned(),
            message: d.message.clone(),
            file: d.file.clone(),
            line: d.line,
        }
    }

    pub(crate) fn to_diagnostic(&self) -> Diagnostic {
        let level = match self.level.as_str() {
            "info" => Level::Info,
            "error" => Level::Error,
            _ => Level::Warning,
        };
        Diagnostic {
            level,
            code: intern(&self.code),
            message: self.message.clone(),
            file: self.file.clone(),
            line: self.line,
        }
    }
}

/// Diagnostic codes are `&'static str`; stored ones are interned (a few dozen distinct codes at most).
fn intern(code: &str) -> &'static str {
    use std::collections::BTreeSet;
    use std::sync::Mutex;
    static CODES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut codes = CODES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(c) = codes.get(code) {
        return c;
    }
    let leaked: &'static str = Box::leak(code.to_owned().into_boxed_str());
    codes.insert(leaked);
    leaked
}

/// A 128-bit FNV-1a hash of a document's content: its body and kind, what
/// its container said (date, URL, outlet, title) and the `--published`
/// fallback. Ingesting the same content again finds this hash and changes
/// nothing; a changed document has another hash and replaces its records.
#[must_use]
pub fn content_hash(raw: &RawDocument, default_published: Option<Date>) -> String {
    let mut h = Fnv128::new();
    let (kind, body) = match &raw.body {
        Body::Text(t) => (b"text".as_slice(), t.as_str()),
        Body::Html(t) => (b"html".as_slice(), t.as_str()),
    };
    h.part(kind);
    h.part(body.as_bytes());
    h.part(raw.published.map(|d| d.to_string()).unwrap_or_default().as_bytes());
    h.part(raw.url.as_deref().unwrap_or("").as_bytes());
    h.part(raw.outlet.as_deref().unwrap_or("").as_bytes());
    h.part(raw.title.as_deref().unwrap_or("").as_bytes());
    h.part(default_published.map(|d| d.to_string()).unwrap_or_default().as_bytes());
    h.hex()
}

struct Fnv128(u128);

impl Fnv128 {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    fn new() -> Fnv128 {
        Fnv128(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d)
    }
    fn part(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
        // Separate parts, and mark their lengths, so that parts never run together.
        for b in (bytes.len() as u64).to_le_bytes() {
            self.0 ^= u128::from(b) | 0x100;
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }
    fn hex(&self) -> String {
        format!("{:032x}", self.0)
    }
}

/// Serialises a document and its record into rows (the record's events are
/// moved into them, not copied). `record` must have been
/// analysed with the text included (`PipelineBuilder::include_text(true)`):
/// the store keeps the text that spans point into. `hash` is the
/// [`content_hash`] and `default_published` the fallback date the pipeline
/// was built with (kept for `recode`).
#[must_use]
pub fn prepare(
    raw: &RawDocument,
    record: DocumentRecord,
    hash: String,
    default_published: Option<Date>,
    config: &FusionConfig,
) -> PreparedDocument {
    let DocumentRecord { document: meta, events, places, actors, diagnostics } = record;
    let (kind, body) = match &raw.body {
        Body::Text(t) => ("text", t),
        Body::Html(t) => ("html", t),
    };
    let analysed = meta.text.as_deref().unwrap_or("");
    // Plain-text documents are analysed on a prefix of their body (boilerplate
    // cut at the end): keep only its length then.
    let text = (!body.starts_with(analysed)).then(|| analysed.to_owned());
    let container = Container {
        published: raw.published.map(|d| d.to_string()),
        url: raw.url.clone(),
        outlet: raw.outlet.clone(),
        title: raw.title.clone(),
        diagnostics: raw.diagnostics.iter().map(StoredDiagnostic::of).collect(),
        default_published: default_published.map(|d| d.to_string()),
    };
    let diagnostics: Vec<StoredDiagnostic> = diagnostics.iter().map(StoredDiagnostic::of).collect();
    let mut seen_uids = std::collections::BTreeSet::new();
    let events = events
        .into_iter()
        .enumerate()
        .map(|(ord, e)| {
            let mut uid = stable_id(&[meta.id.as_bytes(), e.id.as_bytes()]);
            if !seen_uids.insert(uid.clone()) {
                // Two events with one id in one record: tell them apart by position.
                uid = stable_id(&[meta.id.as_bytes(), e.id.as_bytes(), ord.to_string().as_bytes()]);
                seen_uids.insert(uid.clone());
            }
            let json = serde_json::to_string(&e).expect("events always serialise");
            let fingerprint = stable_id(&[json.as_bytes()]);
            let fusion = Features::of(&e, config);
            let member = Member { key: &uid, document: &meta.id, published: meta.published, event: &e };
            let single = Built::new(&fused_id(&[&uid]), &stable_id(&[fingerprint.as_bytes()]), &[member]);
            PreparedEvent {
                block: fusion_block(&fusion, config),
                event_id: e.id.clone(),
                fingerprint,
                features: fusion.encode(),
                json,
                event: e,
                fusion,
                single,
                uid,
            }
        })
        .collect();
    let places = compact_places(&places, analysed);
    let actors = compact_actors(&actors, analysed);
    PreparedDocument {
        key: meta.id.clone(),
        hash,
        file: raw.file.clone(),
        line: raw.line,
        kind,
        raw: body.clone(),
        text,
        text_len: analysed.len(),
        container: serde_json::to_string(&container).expect("containers always serialise"),
        title: meta.title.clone(),
        published: meta.published.map(|d| d.to_string()),
        outlet: meta.outlet.clone(),
        url: meta.url.clone(),
        language: meta.language.clone(),
        author: meta.author.clone(),
        diagnostics: serde_json::to_string(&diagnostics).expect("diagnostics always serialise"),
        events,
        places,
        actors,
    }
}

/// Place mentions as stored: `[resolutions, mentions]`. Each distinct
/// resolution once, as an array of values in the order of the contract's keys
/// (`name`, `geonameid`, `feature_code`, `iso`, `country`, `admin1`, `admin2`
/// (null when the contract leaves it out), `latitude`, `longitude`, `kind`,
/// `geo_precision`, `confidence`); each mention as `[start, end, resolution]`,
/// its text being the analysed text's bytes `start..end` (a fourth value
/// gives the text when it is not). A name is mentioned many times in a
/// report, and resolved the same way each time: the resolutions, and the
/// texts that the document holds already, were most of the bytes. The
/// `places` view gives the contract's objects back.
pub(crate) fn compact_places(places: &[PlaceMention], analysed: &str) -> String {
    let resolutions = places.iter().map(|p| {
        serde_json::to_string(&(
            &p.name,
            p.geonameid,
            &p.feature_code,
            &p.iso,
            &p.country,
            &p.admin1,
            &p.admin2,
            p.latitude,
            p.longitude,
            p.kind,
            p.geo_precision,
            p.confidence,
        ))
        .expect("places always serialise")
    });
    compact(resolutions, places.iter().map(|p| &p.span), analysed)
}

/// Actor mentions as stored: `[actors, mentions]`, as [`compact_places`]
/// does it. Each distinct actor once (`name`, `inter`, `country`); each
/// mention as `[start, end, actor]` (and its text when it is not the analysed
/// text's bytes `start..end`). The `actors` view gives them as columns.
pub(crate) fn compact_actors(actors: &[ActorMention], analysed: &str) -> String {
    let resolutions =
        actors.iter().map(|a| serde_json::to_string(&(&a.name, a.inter, &a.country)).expect("actors always serialise"));
    compact(resolutions, actors.iter().map(|a| &a.span), analysed)
}

/// `[[distinct values...], [[start, end, index of its values (, text)]...]]`.
fn compact<'a>(
    values: impl Iterator<Item = String>,
    spans: impl Iterator<Item = &'a sitrep_model::Span>,
    analysed: &str,
) -> String {
    use std::fmt::Write as _;
    let mut distinct: Vec<String> = Vec::new();
    let mut mentions = String::from("[");
    for (i, (v, span)) in values.zip(spans).enumerate() {
        let index = match distinct.iter().position(|d| *d == v) {
            Some(k) => k,
            None => {
                distinct.push(v);
                distinct.len() - 1
            }
        };
        if i > 0 {
            mentions.push(',');
        }
        let _ = write!(mentions, "[{},{},{index}", span.start, span.end);
        if analysed.get(span.start as usize..span.end as usize) != Some(span.text.as_str()) {
            mentions.push(',');
            mentions.push_str(&serde_json::to_string(&span.text).expect("strings always serialise"));
        }
        mentions.push(']');
    }
    mentions.push(']');
    format!("[[{}],{mentions}]", distinct.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_covers_body_metadata_and_fallback_date() {
        let a = RawDocument::text("a.txt", "Troops advanced.".into());
        let h = content_hash(&a, None);
        assert_eq!(h.len(), 32);
        assert_eq!(h, content_hash(&RawDocument::text("b.txt", "Troops advanced.".into()), None));
        let mut b = a.clone();
        b.id = "elsewhere.txt".into();
        assert_eq!(h, content_hash(&b, None), "the same content under another name hashes the same");
        let mut c = a.clone();
        c.body = Body::Text("Troops advanced!".into());
        assert_ne!(h, content_hash(&c, None));
        let mut d = a.clone();
        d.outlet = Some("Wire".into());
        assert_ne!(h, content_hash(&d, None));
        assert_ne!(h, content_hash(&a, Some(Date::constant(2020, 1, 1))));
        let html = RawDocument::html("a.txt", "Troops advanced.".into());
        assert_ne!(h, content_hash(&html, None));
    }

    #[test]
    fn stored_diagnostics_round_trip() {
        let d = Diagnostic::warning("invalid-utf8", "3 bytes replaced").in_file("a.txt").at_line(4);
        let back = StoredDiagnostic::of(&d).to_diagnostic();
        assert_eq!(back, d);
    }
}
