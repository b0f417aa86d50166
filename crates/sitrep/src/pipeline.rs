//! The per-document pipeline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sitrep_events::actors::{ActorHit, ActorKind};
use sitrep_events::{CodeInput, EventCoder};
use sitrep_gazetteer::{Gazetteer, GeoHints};
use sitrep_ingest::{Body, RawDocument};
use sitrep_model::{Date, Diagnostic, DocumentMeta, DocumentRecord};
use sitrep_readable::plain::{self, PlainLayout};
use sitrep_text::TextRange;

use crate::outlets::OutletLexicon;

/// A problem building a [`Pipeline`] (a lexicon or gazetteer that can't be
/// loaded). Analysing documents never fails.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// A resource could not be loaded.
    #[error("failed to load {what}")]
    Load {
        /// What was being loaded.
        what: String,
        /// Why it failed.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Builds a [`Pipeline`].
///
/// Quick advice: set [`default_published`](PipelineBuilder::default_published)
/// when your documents carry no date of their own, or relative dates ("on
/// Thursday") can't be placed.
#[derive(Default)]
pub struct PipelineBuilder {
    default_published: Option<Date>,
    include_text: bool,
    gazetteer: Option<Arc<Gazetteer>>,
    gazetteer_path: Option<PathBuf>,
    extra_places: Vec<PathBuf>,
    triggers: Vec<PathBuf>,
    outlets: Vec<PathBuf>,
}

impl PipelineBuilder {
    /// The publication date of documents that carry none (`--published`).
    #[must_use]
    pub fn default_published(mut self, date: Option<Date>) -> PipelineBuilder {
        self.default_published = date;
        self
    }

    /// Put the document text in each record (`--include-text`).
    #[must_use]
    pub fn include_text(mut self, yes: bool) -> PipelineBuilder {
        self.include_text = yes;
        self
    }

    /// Use this gazetteer instead of the embedded one.
    #[must_use]
    pub fn gazetteer(mut self, gazetteer: Arc<Gazetteer>) -> PipelineBuilder {
        self.gazetteer = Some(gazetteer);
        self
    }

    /// Use a gazetteer artifact written by `sitrep gazetteer import`.
    #[must_use]
    pub fn gazetteer_file(mut self, path: &Path) -> PipelineBuilder {
        self.gazetteer_path = Some(path.to_path_buf());
        self
    }

    /// Merge a user's extra-places CSV (name, aliases, lat, lon, kind, country, admin1, parent).
    #[must_use]
    pub fn extra_places(mut self, csv: &Path) -> PipelineBuilder {
        self.extra_places.push(csv.to_path_buf());
        self
    }

    /// Add a user trigger file (the format of `lexicons/events/triggers.tsv`).
    #[must_use]
    pub fn triggers(mut self, tsv: &Path) -> PipelineBuilder {
        self.triggers.push(tsv.to_path_buf());
        self
    }

    /// Add a user outlet file (the format of `lexicons/outlets.tsv`): outlets and the countries they cover.
    #[must_use]
    pub fn outlets(mut self, tsv: &Path) -> PipelineBuilder {
        self.outlets.push(tsv.to_path_buf());
        self
    }

    /// Compiles lexicons and loads the gazetteer.
    ///
    /// # Errors
    /// When a built-in or user resource can't be loaded; the error names it.
    pub fn build(self) -> Result<Pipeline, PipelineError> {
        let load =
            |what: String| move |e: Box<dyn std::error::Error + Send + Sync>| PipelineError::Load { what, source: e };
        let mut gazetteer = match (self.gazetteer, &self.gazetteer_path) {
            (Some(g), _) => g,
            (None, Some(p)) => {
                Arc::new(Gazetteer::load(p).map_err(|e| load(format!("gazetteer {}", p.display()))(e.into()))?)
            }
            (None, None) => Gazetteer::embedded().map_err(|e| load("the embedded gazetteer".into())(e.into()))?,
        };
        if !self.extra_places.is_empty() {
            let mut g = match Arc::try_unwrap(gazetteer) {
                Ok(g) => g,
                Err(_) => match &self.gazetteer_path {
                    Some(p) => Gazetteer::load(p).map_err(|e| load(format!("gazetteer {}", p.display()))(e.into()))?,
                    None => Gazetteer::embedded_owned().map_err(|e| load("the embedded gazetteer".into())(e.into()))?,
                },
            };
            for csv in &self.extra_places {
                g = g.with_extra_places(csv).map_err(|e| load(format!("extra places {}", csv.display()))(e.into()))?;
            }
            gazetteer = Arc::new(g);
        }
        let mut coder = EventCoder::builtin().map_err(|e| load("the built-in event lexicons".into())(e.into()))?;
        for t in &self.triggers {
            coder = coder.with_trigger_file(t).map_err(|e| load(format!("triggers {}", t.display()))(e.into()))?;
        }
        let mut outlets = OutletLexicon::builtin().map_err(|e| load("the built-in outlet table".into())(e.into()))?;
        for t in &self.outlets {
            outlets = outlets.with_file(t).map_err(|e| load(format!("outlets {}", t.display()))(e.into()))?;
        }
        Ok(Pipeline {
            default_published: self.default_published,
            include_text: self.include_text,
            gazetteer,
            coder: Arc::new(coder),
            outlets: Arc::new(outlets),
        })
    }
}

/// Weight of the outlet's home country in a document's country focus: a hint that
/// the document's own place names, dateline and demonyms outweigh, but enough on its own to
/// set the focus of a report whose names are all ambiguous (a town of the outlet's country
/// that shares its name with a town abroad).
const OUTLET_PRIOR: f32 = 0.7;
/// Weight of the home country of one actor the text names ("Boko Haram", "Ethiopian soldiers").
const ACTOR_PRIOR: f32 = 0.3;
/// What each further mention of an actor of the same country adds.
const ACTOR_PRIOR_STEP: f32 = 0.1;

/// The sitrep engine: one immutable value, shared across threads.
pub struct Pipeline {
    default_published: Option<Date>,
    include_text: bool,
    gazetteer: Arc<Gazetteer>,
    coder: Arc<EventCoder>,
    outlets: Arc<OutletLexicon>,
}

/// A document's clean text and where its parts lie.
struct Prepared {
    meta: DocumentMeta,
    text: String,
    layout: PlainLayout,
    diagnostics: Vec<Diagnostic>,
}

impl Pipeline {
    /// A builder with the defaults.
    #[must_use]
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// The gazetteer in use.
    #[must_use]
    pub fn gazetteer(&self) -> &Arc<Gazetteer> {
        &self.gazetteer
    }

    /// Analyses one document. Never fails: problems are diagnostics in the record.
    #[must_use]
    pub fn analyze(&self, raw: &RawDocument) -> DocumentRecord {
        let Prepared { mut meta, text, layout, mut diagnostics } = self.prepare(raw);
        if layout.body.is_empty() {
            diagnostics.push(located(raw, Diagnostic::warning("no-text", "no article text found: no events coded")));
            if self.include_text {
                meta.text = Some(text);
            }
            return DocumentRecord { document: meta, diagnostics, ..DocumentRecord::default() };
        }
        // Title and body are segmented together; the coder knows which is which.
        let start = layout.title.map_or(layout.body.start(), TextRange::start);
        let seg = sitrep_segment::segment_region(&text, TextRange::new(start, layout.body.end()));
        // One actor scan of title and body: read here for country hints, and again by the coder.
        let actor_scan = self.coder.actor_scan(&text, TextRange::new(start, layout.body.end()));
        let actors = self.coder.actor_hints_with(&actor_scan);
        let outlet_country = self.outlet_country(meta.outlet.as_deref(), meta.url.as_deref());
        let outlet_country = outlet_country.as_deref();
        let hints = GeoHints {
            region: layout.body,
            dateline: layout.dateline_place,
            title: layout.title,
            country_prior: self.country_prior(outlet_country, &actors),
            // Names of organisations are not places ("Boko Haram", "Sudan Liberation Movement").
            not_places: actors.iter().filter(|a| a.kind == ActorKind::Group).map(|a| a.range).collect(),
            // The web address: its country-code domain and the town it names (the outlet's home).
            url: meta.url.clone(),
        };
        // (When no place name says where, the strongest hint gives the focus country.)
        let geo = self.gazetteer.geoparse(&text, &hints);
        let coded = self.coder.code(&CodeInput {
            text: &text,
            body: layout.body,
            title: layout.title,
            dateline: layout.dateline_place,
            seg: &seg,
            geo: &geo,
            meta: &meta,
            actor_scan: Some(&actor_scan),
            outlet_country,
        });
        diagnostics.extend(coded.diagnostics.into_iter().map(|d| located(raw, d)));
        if self.include_text {
            meta.text = Some(text);
        }
        DocumentRecord { document: meta, events: coded.events, places: geo.places, actors: coded.actors, diagnostics }
    }

    /// The place names of a plain text read whole as the body (no title or dateline layout), with
    /// the hints its metadata gives, as [`Pipeline::analyze`] gathers them: the outlet's home
    /// country (`outlet`, `url`: `lexicons/outlets.tsv`) and the web address itself (its
    /// country-code domain and the town it names). Actors are the coder's: not looked for here.
    /// For geoparsing on its own (`sitrep eval`'s GWN and LGL sets).
    #[must_use]
    pub fn geoparse_text(&self, text: &str, outlet: Option<&str>, url: Option<&str>) -> sitrep_gazetteer::GeoParse {
        let hints = GeoHints {
            country_prior: self.country_prior(self.outlet_country(outlet, url).as_deref(), &[]),
            url: url.map(str::to_owned),
            ..GeoHints::body(text)
        };
        self.gazetteer.geoparse(text, &hints)
    }

    /// The outlet's home country: `lexicons/outlets.tsv` (and users' files), else the place an
    /// outlet the lexicon lacks names in its qualifier.
    fn outlet_country(&self, outlet: Option<&str>, url: Option<&str>) -> Option<String> {
        self.outlets.country_of(outlet, url).map(str::to_owned).or_else(|| self.qualifier_country(outlet))
    }

    /// The country an outlet the lexicon lacks names in its qualifier: "The Courier (South
    /// Africa)", "Daily Example (Lagos)" (a country, a province or a town, read whole).
    fn qualifier_country(&self, outlet: Option<&str>) -> Option<String> {
        let (_, q) = outlet?.trim_end().strip_suffix(')')?.rsplit_once('(')?;
        let q = q.trim();
        if q.is_empty() || q.len() > 40 {
            return None;
        }
        let geo = self.gazetteer.geoparse(q, &GeoHints::body(q));
        let [p] = &geo.places[..] else { return None };
        let whole = p.span.text.len() == q.len();
        let kind_ok = matches!(p.kind, "country" | "place" | "region");
        (whole && kind_ok).then(|| p.iso.clone()).flatten()
    }

    /// Countries the document is likely about, known from outside its place names: the
    /// outlet's home country (`outlet_country`, [`OUTLET_PRIOR`]) and the home countries of the actors it
    /// names ([`ACTOR_PRIOR`] for one mention, more for several, at most [`OUTLET_PRIOR`]).
    /// Sorted by country code: the order never depends on the text's.
    fn country_prior(&self, outlet_country: Option<&str>, actors: &[ActorHit]) -> Vec<(String, f32)> {
        let mut prior: BTreeMap<String, f32> = BTreeMap::new();
        for c in actors.iter().filter_map(|a| a.country.as_deref()) {
            let w = prior.entry(c.to_owned()).or_insert(ACTOR_PRIOR - ACTOR_PRIOR_STEP);
            *w = (*w + ACTOR_PRIOR_STEP).min(OUTLET_PRIOR);
        }
        if let Some(c) = outlet_country {
            let w = prior.entry(c.to_owned()).or_insert(0.0);
            *w = (*w + OUTLET_PRIOR).min(1.0);
        }
        prior.into_iter().collect()
    }

    /// The record for an input that could not be read at all: no text, one diagnostic.
    #[must_use]
    pub fn skipped(diagnostic: Diagnostic) -> DocumentRecord {
        let id = match (&diagnostic.file, diagnostic.line) {
            (Some(f), Some(l)) => format!("{f}:{l}"),
            (Some(f), None) => f.clone(),
            _ => "-".to_owned(),
        };
        DocumentRecord {
            document: DocumentMeta { id, ..DocumentMeta::default() },
            diagnostics: vec![diagnostic],
            ..DocumentRecord::default()
        }
    }

    fn prepare(&self, raw: &RawDocument) -> Prepared {
        let mut diagnostics = raw.diagnostics.clone();
        let mut meta = DocumentMeta {
            id: raw.id.clone(),
            title: raw.title.clone(),
            published: raw.published,
            outlet: raw.outlet.clone(),
            url: raw.url.clone(),
            language: None,
            author: None,
            text: None,
        };
        let (text, layout) = match &raw.body {
            Body::Text(t) => {
                // A container that names the title (JSONL "title") leaves the text's first line to the body.
                let layout = if meta.title.is_some() { plain::layout_body(t) } else { plain::layout(t) };
                let text = t[..layout.end].to_owned();
                if meta.title.is_none() {
                    meta.title = layout.title.map(|r| text[r].to_owned());
                }
                (text, layout)
            }
            Body::Html(h) => {
                let (article, diags) = sitrep_readable::extract_html(h, raw.url.as_deref());
                diagnostics.extend(diags.into_iter().map(|d| located(raw, d)));
                meta.title = meta.title.or(article.title);
                meta.published = meta.published.or(article.published);
                meta.outlet = meta.outlet.or(article.outlet);
                meta.url = meta.url.or(article.url);
                meta.language = article.language;
                meta.author = article.author;
                // The extracted text has no headline line; look only for a dateline.
                let layout = plain::layout_body(&article.text);
                let mut text = article.text;
                text.truncate(layout.end);
                (text, layout)
            }
        };
        if meta.outlet.is_none() {
            meta.outlet = layout.dateline_outlet.map(|r| text[r].to_owned());
        }
        meta.published = meta.published.or(self.default_published);
        if meta.language.is_none() {
            meta.language = guess_english(&text[layout.body]).then(|| "en".to_owned());
        }
        Prepared { meta, text, layout, diagnostics }
    }
}

/// Gives a diagnostic the document's file and line when it has none.
fn located(raw: &RawDocument, mut d: Diagnostic) -> Diagnostic {
    if d.file.is_none() {
        d.file = Some(raw.file.clone());
        d.line = raw.line;
    }
    d
}

/// True when common English function words make up a good share of the words.
/// sitrep reads English; this only keeps it from claiming "en" for other text.
fn guess_english(text: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "on", "said", "was", "were", "by", "for", "that", "with", "is", "have",
        "has",
    ];
    let (mut words, mut hits) = (0usize, 0usize);
    for w in text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).take(400) {
        words += 1;
        if FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)) {
            hits += 1;
        }
    }
    words >= 3 && hits * 8 >= words
}
