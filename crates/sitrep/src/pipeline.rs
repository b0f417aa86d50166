//! The per-document pipeline.

use sitrep_ingest::{Body, RawDocument};
use sitrep_model::{Date, Diagnostic, DocumentMeta, DocumentRecord};
use sitrep_readable::plain::{self, PlainLayout};

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
#[derive(Debug, Default)]
pub struct PipelineBuilder {
    default_published: Option<Date>,
    include_text: bool,
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

    /// Compiles lexicons and loads the gazetteer.
    ///
    /// # Errors
    /// When a built-in or user resource can't be loaded.
    pub fn build(self) -> Result<Pipeline, PipelineError> {
        Ok(Pipeline { default_published: self.default_published, include_text: self.include_text })
    }
}

/// The sitrep engine: one immutable value, shared across threads.
#[derive(Debug)]
pub struct Pipeline {
    default_published: Option<Date>,
    include_text: bool,
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

    /// Analyses one document. Never fails: problems are diagnostics in the record.
    #[must_use]
    pub fn analyze(&self, raw: &RawDocument) -> DocumentRecord {
        let Prepared { mut meta, text, layout, mut diagnostics } = self.prepare(raw);
        if layout.body.is_empty() {
            diagnostics.push(located(raw, Diagnostic::warning("no-text", "no article text found: no events coded")));
        }
        if self.include_text {
            meta.text = Some(text);
        }
        DocumentRecord { document: meta, events: Vec::new(), places: Vec::new(), actors: Vec::new(), diagnostics }
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
                let layout = plain::layout(t);
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
