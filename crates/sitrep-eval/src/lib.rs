//! The measuring stick: sitrep run over annotated data sets, scored.
//!
//! [`run`] runs a [`sitrep::Pipeline`] over every development set found in a
//! directory laid out like `../shared/eval` and returns a [`Report`] that
//! prints as Markdown ([`Report::markdown`]) and JSON ([`Report::to_json`]);
//! `sitrep eval [DIR] [--out reports/]` is a thin wrapper around it. The
//! principal type is [`Report`]. The sets and what is measured on each:
//!
//! | set | file | module |
//! |---|---|---|
//! | CASE 2021 task 2 (snippets → sub-event type) | `case2021-task2/dev.tsv` | [`case`] |
//! | ACLED 2016 Africa (notes → event record) | `acled-africa-2016/dev.csv` | [`acled`] |
//! | GeoWebNews and LGL (toponyms) | `geoparsing/GWN.xml`, `geoparsing/lgl.xml` | [`geo`] |
//! | Readability pages (main text, metadata) | `html/readability/` | [`html`] |
//!
//! Each section states its scoring conventions at its top and lists the worst
//! errors with the engine's evidence. Evidence is given as byte ranges into
//! the item's text; its *text* is only included with
//! [`EvalOptions::evidence_text`], because the evaluation data may not be
//! copied into the repository where the report is committed.
//!
//! The engine is reached through the [`Engine`] trait, so the scoring can be
//! tested with a scripted engine; [`sitrep::Pipeline`] implements it.
//! Reports are deterministic: items are analysed in parallel but scored in
//! file order, numbers are rounded, and no timing is serialised.

pub mod acled;
pub mod case;
pub mod geo;
pub mod html;
pub mod metrics;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, bail};
use rayon::prelude::*;
use serde::Serialize;
use sitrep_model::{Date, DocumentRecord, PlaceMention};
use sitrep_readable::HtmlArticle;

use crate::metrics::{excerpt, f3, pct};

/// What the evaluation needs from the engine.
pub trait Engine: Sync {
    /// Analyses one plain-text document (`published` resolves relative dates).
    fn analyze_text(&self, id: &str, text: &str, published: Option<Date>) -> DocumentRecord;
    /// Like [`analyze_text`](Engine::analyze_text) for a report whose outlet is known
    /// (metadata a real report carries: its outlet's home country hints at its place).
    fn analyze_report(&self, id: &str, text: &str, published: Option<Date>, outlet: Option<&str>) -> DocumentRecord {
        let _ = outlet;
        self.analyze_text(id, text, published)
    }
    /// Recognises and resolves the place names of a text (offsets into `text`); `url` is the
    /// document's web address when its metadata carries one.
    fn geoparse(&self, text: &str, url: Option<&str>) -> Vec<PlaceMention>;
    /// Extracts the main article text and metadata of an HTML page.
    fn extract_html(&self, html: &str) -> HtmlArticle;
}

/// The development sets, by the name used in [`EvalOptions::sets`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Set {
    /// CASE 2021 task 2.
    Case,
    /// ACLED 2016 Africa.
    Acled,
    /// GeoWebNews.
    Gwn,
    /// LGL.
    Lgl,
    /// Readability HTML pages.
    Html,
}

impl Set {
    /// Every set, in report order.
    pub const ALL: [Set; 5] = [Set::Case, Set::Acled, Set::Gwn, Set::Lgl, Set::Html];

    /// Short name (`case`, `acled`, `gwn`, `lgl`, `html`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Set::Case => "case",
            Set::Acled => "acled",
            Set::Gwn => "gwn",
            Set::Lgl => "lgl",
            Set::Html => "html",
        }
    }

    /// Where the set lives, relative to the eval directory.
    #[must_use]
    pub fn rel_path(self) -> &'static str {
        match self {
            Set::Case => "case2021-task2/dev.tsv",
            Set::Acled => "acled-africa-2016/dev.csv",
            Set::Gwn => "geoparsing/GWN.xml",
            Set::Lgl => "geoparsing/lgl.xml",
            Set::Html => "html/readability",
        }
    }
}

impl std::str::FromStr for Set {
    type Err = String;

    fn from_str(s: &str) -> Result<Set, String> {
        Set::ALL.into_iter().find(|x| x.name().eq_ignore_ascii_case(s.trim())).ok_or_else(|| {
            let names: Vec<&str> = Set::ALL.iter().map(|x| x.name()).collect();
            format!("unknown evaluation set {s:?} (expected one of {})", names.join(", "))
        })
    }
}

/// How to run the evaluation.
#[derive(Clone, Debug, Serialize)]
pub struct EvalOptions {
    /// Score only the first N items of each set (quick runs); `None` for all.
    pub limit: Option<usize>,
    /// How many worst errors to list per table.
    pub worst: usize,
    /// How many confusions to list.
    pub confusions: usize,
    /// Include the evidence text in the error lists (never for committed reports).
    pub evidence_text: bool,
    /// Only these sets; `None` for every set found.
    pub sets: Option<Vec<Set>>,
}

impl Default for EvalOptions {
    fn default() -> EvalOptions {
        EvalOptions { limit: None, worst: 10, confusions: 15, evidence_text: false, sets: None }
    }
}

/// A byte range of an evaluated item's text that a mistake was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// The text, only with [`EvalOptions::evidence_text`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Evidence {
    /// The range `start..end` of `text` (clamped to the text and to char
    /// boundaries), with its text when `with_text`.
    #[must_use]
    pub fn new(text: &str, start: usize, end: usize, with_text: bool) -> Evidence {
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let end = floor(end);
        let start = floor(start.min(end));
        Evidence { start: start as u32, end: end as u32, text: with_text.then(|| text[start..end].to_owned()) }
    }

    /// For a Markdown cell: the text (cut to 300 characters) or the byte range.
    #[must_use]
    pub fn markdown(&self) -> String {
        match &self.text {
            Some(t) => format!("{}–{}: “{}”", self.start, self.end, excerpt(t, 300)),
            None => format!("bytes {}–{}", self.start, self.end),
        }
    }
}

/// A set that could not be evaluated.
#[derive(Clone, Debug, Serialize)]
pub struct SetFailure {
    /// The set.
    pub set: Set,
    /// Why, with file and line where known.
    pub error: String,
}

/// The whole evaluation: one section per set found.
#[derive(Debug, Serialize)]
pub struct Report {
    /// sitrep's version.
    pub version: &'static str,
    /// The options the report was made with.
    pub options: EvalOptions,
    /// CASE 2021 task 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case: Option<case::CaseReport>,
    /// ACLED 2016 Africa.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acled: Option<acled::AcledReport>,
    /// GeoWebNews toponyms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gwn: Option<geo::GeoReport>,
    /// LGL toponyms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lgl: Option<geo::GeoReport>,
    /// Readability HTML pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<html::HtmlReport>,
    /// Sets not found in the directory (relative paths).
    pub missing: Vec<String>,
    /// Sets that were found but could not be evaluated.
    pub failures: Vec<SetFailure>,
    /// Engine panics caught while evaluating (the item was scored as if the
    /// engine had returned nothing); sorted, at most 20 listed.
    pub engine_panics: Vec<String>,
    /// How many engine calls panicked in all.
    pub engine_panic_count: usize,
    /// Seconds per set (not serialised: reports stay identical between runs).
    #[serde(skip)]
    pub timings: Vec<(Set, f64)>,
}

enum Section {
    Case(case::CaseReport),
    Acled(Box<acled::AcledReport>),
    Geo(Box<geo::GeoReport>),
    Html(html::HtmlReport),
}

/// Runs `pipeline` over the sets in `dir` (laid out like `../shared/eval`).
///
/// Errors when `dir` does not exist or holds none of the sets; a set that
/// fails to load is reported in [`Report::failures`] and the others still run.
pub fn run(dir: &Path, pipeline: &sitrep::Pipeline, opts: &EvalOptions) -> anyhow::Result<Report> {
    run_with(dir, &PipelineEngine(pipeline), opts)
}

/// Like [`run`], with any [`Engine`].
pub fn run_with(dir: &Path, engine: &dyn Engine, opts: &EvalOptions) -> anyhow::Result<Report> {
    if !dir.is_dir() {
        bail!(
            "evaluation sets not found: {} is not a directory (give the directory that holds \
             case2021-task2/, acled-africa-2016/, geoparsing/ and html/, e.g. ../shared/eval)",
            dir.display()
        );
    }
    let wanted: Vec<Set> = opts.sets.clone().unwrap_or_else(|| Set::ALL.to_vec());
    let (found, missing): (Vec<Set>, Vec<Set>) = wanted.into_iter().partition(|s| dir.join(s.rel_path()).exists());
    if found.is_empty() {
        let names: Vec<&str> = missing.iter().map(|s| s.rel_path()).collect();
        bail!("evaluation sets not found: {} holds none of {}", dir.display(), names.join(", "));
    }
    let guarded = Guarded { inner: engine, panics: Mutex::new(Vec::new()) };
    let results: Vec<(Set, anyhow::Result<Section>, f64)> = found
        .par_iter()
        .map(|&set| {
            let t = Instant::now();
            let r = run_set(dir, set, &guarded, opts).with_context(|| format!("evaluating {}", set.rel_path()));
            (set, r, t.elapsed().as_secs_f64())
        })
        .collect();
    let mut report = Report {
        version: env!("CARGO_PKG_VERSION"),
        options: opts.clone(),
        case: None,
        acled: None,
        gwn: None,
        lgl: None,
        html: None,
        missing: missing.iter().map(|s| s.rel_path().to_owned()).collect(),
        failures: Vec::new(),
        engine_panics: Vec::new(),
        engine_panic_count: 0,
        timings: Vec::new(),
    };
    let mut panics = guarded.panics.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    panics.sort();
    report.engine_panic_count = panics.len();
    panics.truncate(20);
    report.engine_panics = panics;
    for (set, r, secs) in results {
        report.timings.push((set, secs));
        match r {
            Ok(Section::Case(c)) => report.case = Some(c),
            Ok(Section::Acled(a)) => report.acled = Some(*a),
            Ok(Section::Geo(g)) if set == Set::Gwn => report.gwn = Some(*g),
            Ok(Section::Geo(g)) => report.lgl = Some(*g),
            Ok(Section::Html(h)) => report.html = Some(h),
            Err(e) => report.failures.push(SetFailure { set, error: format!("{e:#}") }),
        }
    }
    Ok(report)
}

fn run_set(dir: &Path, set: Set, engine: &dyn Engine, opts: &EvalOptions) -> anyhow::Result<Section> {
    let path = dir.join(set.rel_path());
    Ok(match set {
        Set::Case => Section::Case(case::evaluate(&path, set.rel_path(), engine, opts)?),
        Set::Acled => Section::Acled(Box::new(acled::evaluate(&path, set.rel_path(), engine, opts)?)),
        Set::Html => Section::Html(html::evaluate_with(&path, &|h| engine.extract_html(h), opts.evidence_text)?),
        Set::Gwn | Set::Lgl => Section::Geo(Box::new(geo::evaluate_with(
            &path,
            &|t, u| engine.geoparse(t, u),
            opts.worst,
            opts.evidence_text,
        )?)),
    })
}

impl Report {
    /// True when a set failed to evaluate or the engine panicked.
    #[must_use]
    pub fn has_failures(&self) -> bool {
        !self.failures.is_empty() || self.engine_panic_count > 0
    }

    /// The report as pretty JSON, ending in a newline.
    #[must_use]
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }

    /// One line with the seconds spent per set, for standard error.
    #[must_use]
    pub fn timings_line(&self) -> String {
        let parts: Vec<String> = self.timings.iter().map(|(s, t)| format!("{} {t:.1} s", s.name())).collect();
        format!("evaluated: {}", parts.join(", "))
    }

    /// Writes `eval.md` and `eval.json` into `dir` (created if needed); returns their paths.
    pub fn write_files(&self, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let md = dir.join("eval.md");
        let json = dir.join("eval.json");
        std::fs::write(&md, self.markdown()).with_context(|| format!("writing {}", md.display()))?;
        std::fs::write(&json, self.to_json()).with_context(|| format!("writing {}", json.display()))?;
        Ok(vec![md, json])
    }

    /// The report as Markdown.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        s.push_str("# sitrep evaluation on the development sets\n\n");
        let _ = writeln!(
            s,
            "sitrep {}, made by `sitrep eval`{}. Regenerate after any change that moves accuracy; \
             the diff of this file is the accuracy diff.\n",
            self.version,
            self.options.limit.map_or_else(String::new, |n| format!(" on the first {n} items of each set"))
        );
        s.push_str("## Summary\n\n");
        let mut rows: Vec<Vec<String>> = Vec::new();
        if let Some(c) = &self.case {
            rows.push(vec![
                format!("CASE 2021 task 2 ({} snippets)", c.snippets),
                format!(
                    "weighted F1 {} · macro F1 {} · accuracy {} · non-ACLED rejected {}",
                    f3(c.weighted_f1),
                    f3(c.macro_f1),
                    f3(c.accuracy),
                    pct(c.outside_rejected)
                ),
            ]);
        }
        if let Some(a) = &self.acled {
            rows.push(vec![
                format!("ACLED 2016 Africa ({} events)", a.rows),
                format!(
                    "type {} · ≤25 km {} · country {} · fatalities exact {} · actor1 loose {} · date exact {}",
                    f3(a.event_type_accuracy),
                    pct(a.location.within_25km),
                    pct(a.location.country),
                    pct(a.fatalities.exact),
                    pct(a.actor1.loose),
                    pct(a.event_date.exact)
                ),
            ]);
        }
        for (name, g) in [("GeoWebNews", &self.gwn), ("LGL", &self.lgl)] {
            if let Some(g) = g {
                rows.push(vec![
                    format!("{name} toponyms ({} articles)", g.articles),
                    format!(
                        "detection P {} R {} F1 {} · Acc@161 {} · end-to-end F1 {}",
                        f3(g.detection.precision),
                        f3(g.detection.recall),
                        f3(g.detection.f1),
                        f3(g.acc_at_161),
                        f3(g.end_to_end.f1)
                    ),
                ]);
            }
        }
        if let Some(h) = &self.html {
            rows.push(vec![
                format!("Readability HTML pages ({} pages)", h.pages),
                format!(
                    "text shingle F1 {} (P {}, R {}) · title {} · date {} · site name {}",
                    f3(h.shingle.f1),
                    f3(h.shingle.precision),
                    f3(h.shingle.recall),
                    pct(h.title.rate()),
                    pct(h.date.rate()),
                    pct(h.site_name.rate())
                ),
            ]);
        }
        metrics::table(&mut s, &["set", "headline"], &rows);
        if !self.missing.is_empty() {
            let _ = writeln!(s, "Not found (not evaluated): {}.\n", self.missing.join(", "));
        }
        for f in &self.failures {
            let _ = writeln!(s, "**{} failed**: {}\n", f.set.rel_path(), f.error);
        }
        if self.engine_panic_count > 0 {
            let _ = writeln!(
                s,
                "**The engine panicked {} times** (those items were scored as if it had returned nothing):\n",
                self.engine_panic_count
            );
            for p in &self.engine_panics {
                let _ = writeln!(s, "- {}", metrics::cell(p));
            }
            s.push('\n');
        }
        if let Some(c) = &self.case {
            s.push_str(&c.markdown());
        }
        if let Some(a) = &self.acled {
            s.push_str(&a.markdown());
        }
        for g in [&self.gwn, &self.lgl].into_iter().flatten() {
            s.push_str(&g.markdown());
        }
        if let Some(h) = &self.html {
            s.push_str(&h.markdown());
        }
        s
    }
}

/// An engine whose panics are caught and recorded, so that one bug in a
/// stage costs one item, not the whole report.
struct Guarded<'a> {
    inner: &'a dyn Engine,
    panics: Mutex<Vec<String>>,
}

impl Guarded<'_> {
    fn guard<T>(&self, what: impl FnOnce() -> String, default: impl FnOnce() -> T, f: impl FnOnce() -> T) -> T {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
            Ok(v) => v,
            Err(payload) => {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_owned());
                let mut p = self.panics.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                p.push(format!("{}: {msg}", what()));
                default()
            }
        }
    }
}

/// Names a text without quoting it (evaluation text stays out of reports).
fn text_ref(kind: &str, text: &str) -> String {
    format!("{kind} of a {}-byte text (id {})", text.len(), sitrep_model::stable_id(&[text.as_bytes()]))
}

impl Engine for Guarded<'_> {
    fn analyze_text(&self, id: &str, text: &str, published: Option<Date>) -> DocumentRecord {
        self.guard(
            || format!("analyze {id}"),
            || DocumentRecord {
                document: sitrep_model::DocumentMeta { id: id.to_owned(), ..Default::default() },
                ..Default::default()
            },
            || self.inner.analyze_text(id, text, published),
        )
    }

    fn analyze_report(&self, id: &str, text: &str, published: Option<Date>, outlet: Option<&str>) -> DocumentRecord {
        self.guard(
            || format!("analyze {id}"),
            || DocumentRecord {
                document: sitrep_model::DocumentMeta { id: id.to_owned(), ..Default::default() },
                ..Default::default()
            },
            || self.inner.analyze_report(id, text, published, outlet),
        )
    }

    fn geoparse(&self, text: &str, url: Option<&str>) -> Vec<PlaceMention> {
        self.guard(|| text_ref("geoparse", text), Vec::new, || self.inner.geoparse(text, url))
    }

    fn extract_html(&self, html: &str) -> HtmlArticle {
        self.guard(|| text_ref("extract_html", html), HtmlArticle::default, || self.inner.extract_html(html))
    }
}

/// [`sitrep::Pipeline`] as an [`Engine`].
/// The geoparsing sets use the pipeline's own gazetteer (with any user places) and the hints of
/// each article's web address ([`sitrep::Pipeline::geoparse_text`]).
struct PipelineEngine<'a>(&'a sitrep::Pipeline);

impl Engine for PipelineEngine<'_> {
    fn analyze_text(&self, id: &str, text: &str, published: Option<Date>) -> DocumentRecord {
        self.analyze_report(id, text, published, None)
    }

    fn analyze_report(&self, id: &str, text: &str, published: Option<Date>, outlet: Option<&str>) -> DocumentRecord {
        let mut doc = sitrep::RawDocument::text(id, text.to_owned());
        doc.published = published;
        doc.outlet = outlet.map(str::to_owned);
        self.0.analyze(&doc)
    }

    fn geoparse(&self, text: &str, url: Option<&str>) -> Vec<PlaceMention> {
        // The article's web address, and its domain as the outlet (what a JSONL record gives `extract`).
        let outlet = url.and_then(sitrep_gazetteer::url_host);
        self.0.geoparse_text(text, outlet.as_deref(), url).places
    }

    fn extract_html(&self, html: &str) -> HtmlArticle {
        sitrep_readable::extract_html(html, None).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_clamped_to_the_text_and_char_boundaries() {
        let text = "Raids in Ménaka.";
        let e = Evidence::new(text, 9, 11, true);
        // Byte 11 is inside "é": the end moves back to its start.
        assert_eq!((e.start, e.end, e.text.as_deref()), (9, 10, Some("M")));
        let e = Evidence::new(text, 50, 99, false);
        assert_eq!((e.start, e.end, e.text), (17, 17, None));
        assert_eq!(Evidence::new(text, 0, 5, false).markdown(), "bytes 0–5");
        assert_eq!(Evidence::new(text, 0, 5, true).markdown(), "0–5: “Raids”");
    }

    #[test]
    fn set_names_parse() {
        assert_eq!("ACLED".parse::<Set>(), Ok(Set::Acled));
        let err = "nope".parse::<Set>().unwrap_err();
        assert_eq!(err, "unknown evaluation set \"nope\" (expected one of case, acled, gwn, lgl, html)");
    }
}
