//! HTML main-text extraction on the readability pages (`html/readability/`).
//!
//! Each page folder holds `source.html`, the expected article `expected.html`
//! and `expected-metadata.json` (title, byline, siteName, publishedTime, lang).
//! Conventions:
//!
//! - **Text**: the expected text is the visible text of `expected.html`
//!   ([`sitrep_readable::html::html_to_text`]). The metric is the Zyte
//!   article-extraction benchmark's: tokens are `\w+` runs, shingles are 4
//!   consecutive tokens (a text of fewer tokens is one shingle), true/false
//!   positives are counted on shingle multisets; precision, recall and F1 are
//!   computed per page and averaged over pages. An empty prediction has
//!   precision 0, an empty expectation recall 0; both empty score 1. The
//!   token-level (unigram) P/R/F1 and the F1 of the mean P and R (the Zyte
//!   benchmark's headline form) are given beside it.
//! - **Metadata**: title and site name agree when equal after collapsing
//!   whitespace and case; the date agrees when the calendar date of
//!   `publishedTime` (as written) equals the extracted date. Only pages whose
//!   expectation has the field are counted.
//! - **Speed**: pages/s of the extractor alone (files already in memory), one
//!   thread; not serialised, so reports stay identical between runs.
//! - **Worst pages**: the lowest F1, with the first expected paragraph mostly
//!   missed and the first extracted paragraph mostly not expected, as byte
//!   ranges (their text only with [`evaluate_with`]`(…, true)`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use sitrep_readable::HtmlArticle;

use crate::Evidence;
use crate::metrics::{f3, pct, table};

/// One evaluation page, loaded.
#[derive(Clone, Debug)]
pub struct Page {
    /// Folder name.
    pub name: String,
    /// `source.html` (invalid UTF-8 replaced).
    pub html: String,
    /// Visible text of `expected.html`.
    pub expected_text: String,
    /// Expected title.
    pub title: Option<String>,
    /// Expected site name.
    pub site_name: Option<String>,
    /// Expected publication time as written.
    pub published: Option<String>,
}

/// Loads every page folder of `dir` (sorted by name).
pub fn load_pages(dir: &Path) -> anyhow::Result<Vec<Page>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().join("source.html").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    if names.is_empty() {
        anyhow::bail!("{} holds no page folders with a source.html", dir.display());
    }
    let mut pages = Vec::with_capacity(names.len());
    for name in names {
        let folder = dir.join(&name);
        let read = |file: &str| -> anyhow::Result<String> {
            let path = folder.join(file);
            let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        };
        let html = read("source.html")?;
        let expected_text = sitrep_readable::html::html_to_text(&read("expected.html")?);
        let meta_path = folder.join("expected-metadata.json");
        let meta: serde_json::Value = if meta_path.is_file() {
            serde_json::from_str(&read("expected-metadata.json")?)
                .with_context(|| format!("{}: not valid JSON", meta_path.display()))?
        } else {
            serde_json::Value::Null
        };
        let field = |k: &str| meta.get(k).and_then(|v| v.as_str()).map(str::to_owned).filter(|s| !s.trim().is_empty());
        pages.push(Page {
            name,
            html,
            expected_text,
            title: field("title"),
            site_name: field("siteName"),
            published: field("publishedTime"),
        });
    }
    Ok(pages)
}

/// `\w+` tokens (letters, digits, underscore).
#[must_use]
pub fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|t| !t.is_empty()).collect()
}

/// Precision, recall and F1 of one page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

fn multiset_prf<K: std::hash::Hash + Eq>(expected: &HashMap<K, u32>, predicted: &HashMap<K, u32>) -> Prf {
    let total_e: u32 = expected.values().sum();
    let total_p: u32 = predicted.values().sum();
    if total_e == 0 && total_p == 0 {
        return Prf { precision: 1.0, recall: 1.0, f1: 1.0 };
    }
    let tp: u32 = expected.iter().map(|(k, &c)| c.min(predicted.get(k).copied().unwrap_or(0))).sum();
    let precision = if total_p == 0 { 0.0 } else { f64::from(tp) / f64::from(total_p) };
    let recall = if total_e == 0 { 0.0 } else { f64::from(tp) / f64::from(total_e) };
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    Prf { precision, recall, f1 }
}

fn shingle_counts<'a>(toks: &'a [&'a str], n: usize) -> HashMap<&'a [&'a str], u32> {
    let mut map = HashMap::new();
    if toks.is_empty() {
        return map;
    }
    if toks.len() < n {
        map.insert(toks, 1);
        return map;
    }
    for w in toks.windows(n) {
        *map.entry(w).or_insert(0) += 1;
    }
    map
}

/// The Zyte benchmark's shingle P/R/F1 of one page (4-token shingles).
#[must_use]
pub fn shingle_prf(expected: &str, predicted: &str) -> Prf {
    let e = tokens(expected);
    let p = tokens(predicted);
    multiset_prf(&shingle_counts(&e, 4), &shingle_counts(&p, 4))
}

/// Token-level (unigram bag) P/R/F1 of one page.
#[must_use]
pub fn token_prf(expected: &str, predicted: &str) -> Prf {
    let count = |t: &str| {
        let mut m: HashMap<String, u32> = HashMap::new();
        for tok in tokens(t) {
            *m.entry(tok.to_owned()).or_insert(0) += 1;
        }
        m
    };
    multiset_prf(&count(expected), &count(predicted))
}

/// Agreement on one metadata field.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Agreement {
    /// Pages whose expectation has the field.
    pub compared: usize,
    /// Of those, pages where the extractor agreed.
    pub agreed: usize,
}

impl Agreement {
    fn add(&mut self, agreed: bool) {
        self.compared += 1;
        self.agreed += usize::from(agreed);
    }

    /// `agreed / compared` (0 when nothing was compared).
    #[must_use]
    pub fn rate(&self) -> f64 {
        if self.compared == 0 { 0.0 } else { self.agreed as f64 / self.compared as f64 }
    }
}

/// One page's scores.
#[derive(Clone, Debug, Serialize)]
pub struct PageScore {
    /// Folder name.
    pub page: String,
    /// Shingle P/R/F1.
    pub shingle: Prf,
    /// Expected paragraph mostly missed (range in the expected text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missed: Option<Evidence>,
    /// Extracted paragraph mostly not expected (range in the extracted text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<Evidence>,
}

/// The HTML section of the report.
#[derive(Clone, Debug, Serialize)]
pub struct HtmlReport {
    /// Pages scored.
    pub pages: usize,
    /// Mean shingle precision, recall and F1 over pages (F1 per page, averaged).
    pub shingle: Prf,
    /// F1 of the mean precision and mean recall (the Zyte benchmark's headline form).
    pub shingle_f1_of_means: f64,
    /// Mean token-level precision, recall and F1.
    pub token: Prf,
    /// Title agreement.
    pub title: Agreement,
    /// Site-name agreement.
    pub site_name: Agreement,
    /// Publication-date agreement.
    pub date: Agreement,
    /// Pages per second of the extractor on one thread (not serialised).
    #[serde(skip)]
    pub pages_per_second: f64,
    /// The lowest-F1 pages, worst first (at most 10).
    pub worst: Vec<PageScore>,
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The first paragraph of `text` less than half of whose shingles are in `other`.
fn first_unmatched(text: &str, other: &str, with_text: bool) -> Option<Evidence> {
    let other_toks = tokens(other);
    let other_set = shingle_counts(&other_toks, 4);
    let mut offset = 0;
    for para in text.split("\n\n") {
        let start = offset;
        offset += para.len() + 2;
        let toks = tokens(para);
        if toks.len() < 4 {
            continue;
        }
        let sh = shingle_counts(&toks, 4);
        let total: u32 = sh.values().sum();
        let found: u32 = sh.iter().map(|(k, &c)| c.min(other_set.get(k).copied().unwrap_or(0))).sum();
        if found * 2 < total {
            return Some(Evidence::new(text, start, start + para.len().min(300), with_text));
        }
    }
    None
}

/// Scores `extract` on the pages in `dir`.
pub fn evaluate(dir: &Path, extract: &dyn Fn(&str) -> HtmlArticle) -> anyhow::Result<HtmlReport> {
    evaluate_with(dir, extract, false)
}

/// Like [`evaluate`], with the evidence text of the worst pages when `evidence_text`.
pub fn evaluate_with(
    dir: &Path,
    extract: &dyn Fn(&str) -> HtmlArticle,
    evidence_text: bool,
) -> anyhow::Result<HtmlReport> {
    let pages = load_pages(dir)?;
    let start = Instant::now();
    let articles: Vec<HtmlArticle> = pages.iter().map(|p| extract(&p.html)).collect();
    let secs = start.elapsed().as_secs_f64();
    let mut report = score(&pages, &articles, evidence_text);
    report.pages_per_second = if secs > 0.0 { pages.len() as f64 / secs } else { 0.0 };
    Ok(report)
}

/// Scores extracted articles against loaded pages (same order).
#[must_use]
pub fn score(pages: &[Page], articles: &[HtmlArticle], evidence_text: bool) -> HtmlReport {
    let mut report = HtmlReport {
        pages: pages.len(),
        shingle: Prf::default(),
        shingle_f1_of_means: 0.0,
        token: Prf::default(),
        title: Agreement::default(),
        site_name: Agreement::default(),
        date: Agreement::default(),
        pages_per_second: 0.0,
        worst: Vec::new(),
    };
    let mut scores = Vec::with_capacity(pages.len());
    for (page, art) in pages.iter().zip(articles) {
        let s = shingle_prf(&page.expected_text, &art.text);
        let t = token_prf(&page.expected_text, &art.text);
        report.shingle.precision += s.precision;
        report.shingle.recall += s.recall;
        report.shingle.f1 += s.f1;
        report.token.precision += t.precision;
        report.token.recall += t.recall;
        report.token.f1 += t.f1;
        if let Some(title) = &page.title {
            report.title.add(art.title.as_deref().is_some_and(|t| norm(t) == norm(title)));
        }
        if let Some(site) = &page.site_name {
            report.site_name.add(art.outlet.as_deref().is_some_and(|t| norm(t) == norm(site)));
        }
        if let Some(published) = &page.published {
            let expected = published.get(..10).and_then(|d| d.parse::<sitrep_model::Date>().ok());
            report.date.add(expected.is_some() && expected == art.published);
        }
        scores.push((page, art, s));
    }
    let n = pages.len().max(1) as f64;
    for prf in [&mut report.shingle, &mut report.token] {
        prf.precision /= n;
        prf.recall /= n;
        prf.f1 /= n;
    }
    let (p, r) = (report.shingle.precision, report.shingle.recall);
    report.shingle_f1_of_means = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    scores.sort_by(|a, b| a.2.f1.total_cmp(&b.2.f1).then_with(|| a.0.name.cmp(&b.0.name)));
    report.worst = scores
        .iter()
        .take(10)
        .filter(|(_, _, s)| s.f1 < 1.0)
        .map(|(page, art, s)| PageScore {
            page: page.name.clone(),
            shingle: *s,
            missed: first_unmatched(&page.expected_text, &art.text, evidence_text),
            extra: first_unmatched(&art.text, &page.expected_text, evidence_text),
        })
        .collect();
    report
}

impl HtmlReport {
    /// One line: F1/P/R and pages/s.
    #[must_use]
    pub fn summary_line(&self) -> String {
        format!(
            "pages={} F1={:.4} P={:.4} R={:.4} (F1 of means {:.4}; token F1 {:.4}) title={:.3} site={:.3} date={:.3} pages/s={:.1}",
            self.pages,
            self.shingle.f1,
            self.shingle.precision,
            self.shingle.recall,
            self.shingle_f1_of_means,
            self.token.f1,
            self.title.rate(),
            self.site_name.rate(),
            self.date.rate(),
            self.pages_per_second
        )
    }

    /// The section as Markdown (no timing, so that it is the same on every run).
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "## HTML main text (readability pages, {} pages)\n", self.pages);
        s.push_str(
            "Shingle metric of the Zyte article-extraction benchmark (4-token shingles, P/R/F1 per page, \
             averaged over pages); metadata agreement on pages whose expectation has the field.\n\n",
        );
        let agreement = |a: &Agreement| format!("{} ({}/{})", pct(a.rate()), a.agreed, a.compared);
        let rows = vec![
            vec![
                "shingle (4-gram)".to_owned(),
                f3(self.shingle.f1),
                f3(self.shingle.precision),
                f3(self.shingle.recall),
            ],
            vec!["shingle, F1 of mean P/R".to_owned(), f3(self.shingle_f1_of_means), String::new(), String::new()],
            vec!["token".to_owned(), f3(self.token.f1), f3(self.token.precision), f3(self.token.recall)],
        ];
        table(&mut s, &["text", "F1", "P", "R"], &rows);
        let rows = vec![
            vec!["title".to_owned(), agreement(&self.title)],
            vec!["site name".to_owned(), agreement(&self.site_name)],
            vec!["publication date".to_owned(), agreement(&self.date)],
        ];
        table(&mut s, &["metadata", "agreement"], &rows);
        if !self.worst.is_empty() {
            let rows: Vec<Vec<String>> = self
                .worst
                .iter()
                .map(|w| {
                    vec![
                        w.page.clone(),
                        f3(w.shingle.f1),
                        f3(w.shingle.precision),
                        f3(w.shingle.recall),
                        w.missed.as_ref().map_or_else(String::new, Evidence::markdown),
                        w.extra.as_ref().map_or_else(String::new, Evidence::markdown),
                    ]
                })
                .collect();
            table(&mut s, &["worst page", "F1", "P", "R", "missed (expected text)", "extra (extracted text)"], &rows);
        }
        s
    }
}

/// trafilatura's evaluation (`evaldata.json`): snippets that must and must not be in the text.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SnippetReport {
    /// Pages of `evaldata.json` whose file is in the folder.
    pub pages: usize,
    /// "With" snippets found in the extracted text (true positives).
    pub with_found: usize,
    /// "With" snippets in all.
    pub with_total: usize,
    /// "Without" snippets found in the extracted text (false positives).
    pub without_found: usize,
    /// "Without" snippets in all.
    pub without_total: usize,
}

impl SnippetReport {
    /// `tp / (tp + fp)`.
    #[must_use]
    pub fn precision(&self) -> f64 {
        let d = self.with_found + self.without_found;
        if d == 0 { 0.0 } else { self.with_found as f64 / d as f64 }
    }

    /// `tp / (tp + fn)`.
    #[must_use]
    pub fn recall(&self) -> f64 {
        if self.with_total == 0 { 0.0 } else { self.with_found as f64 / self.with_total as f64 }
    }

    /// Harmonic mean of precision and recall.
    #[must_use]
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// Runs `extract` on the pages of trafilatura's sample (`evaldata.json` beside the HTML files).
pub fn evaluate_snippets(dir: &Path, extract: &dyn Fn(&str) -> HtmlArticle) -> anyhow::Result<SnippetReport> {
    let index = dir.join("evaldata.json");
    let raw = std::fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    let entries: std::collections::BTreeMap<String, serde_json::Value> =
        serde_json::from_str(&raw).with_context(|| format!("{}: not a JSON object", index.display()))?;
    let mut report = SnippetReport::default();
    for entry in entries.values() {
        let Some(file) = entry.get("file").and_then(|f| f.as_str()) else { continue };
        let path = dir.join(file);
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let text = extract(&String::from_utf8_lossy(&bytes)).text;
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let list = |k: &str| -> Vec<String> {
            entry
                .get(k)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str())
                        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                        .collect()
                })
                .unwrap_or_default()
        };
        report.pages += 1;
        for snippet in list("with") {
            report.with_total += 1;
            report.with_found += usize::from(flat.contains(&snippet));
        }
        for snippet in list("without") {
            report.without_total += 1;
            report.without_found += usize::from(flat.contains(&snippet));
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_metric_matches_the_benchmark_definition() {
        let e = "one two three four five six";
        assert_eq!(shingle_prf(e, e).f1, 1.0);
        // 3 expected shingles; prediction has the first 2 and one of its own.
        let p = shingle_prf(e, "one two three four five seven");
        assert!((p.precision - 2.0 / 3.0).abs() < 1e-9);
        assert!((p.recall - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(shingle_prf("", "").f1, 1.0);
        assert_eq!(shingle_prf("a b c d e", "").f1, 0.0);
        assert_eq!(shingle_prf("", "a b c d e").precision, 0.0);
        // Short texts are one shingle; punctuation and spacing do not matter.
        assert_eq!(shingle_prf("Hello, world!", "hello world").f1, 0.0);
        assert_eq!(shingle_prf("Hello, world!", "Hello world").f1, 1.0);
        // Repeated shingles are counted as a multiset.
        let twice = shingle_prf("a b c d a b c d", "a b c d");
        assert!(twice.recall < 1.0 && twice.precision == 1.0);
    }

    #[test]
    fn token_metric_and_agreement() {
        let t = token_prf("the cat sat", "the cat");
        assert!((t.recall - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(t.precision, 1.0);
        let mut a = Agreement::default();
        a.add(true);
        a.add(false);
        assert_eq!(a.rate(), 0.5);
    }

    #[test]
    fn scores_pages_and_finds_the_worst() {
        let page = |name: &str, text: &str, title: &str| Page {
            name: name.to_owned(),
            html: String::new(),
            expected_text: text.to_owned(),
            title: Some(title.to_owned()),
            site_name: None,
            published: Some("2016-10-17T08:00:00Z".to_owned()),
        };
        let pages = vec![
            page("good", "Troops entered the town on Monday morning.", "Troops enter town"),
            page("bad", "Aid convoys reached the camp after a long delay.\n\nMore text here today.", "Aid arrives"),
        ];
        let art = |text: &str, title: &str| HtmlArticle {
            text: text.to_owned(),
            title: Some(title.to_owned()),
            published: Some(sitrep_model::Date::new(2016, 10, 17).unwrap()),
            ..HtmlArticle::default()
        };
        let arts = vec![
            art("Troops entered the town on Monday morning.", "troops  enter town"),
            art("Subscribe to our newsletter for daily updates now.", "Other"),
        ];
        let r = score(&pages, &arts, true);
        assert_eq!(r.pages, 2);
        assert!((r.shingle.f1 - 0.5).abs() < 1e-9);
        assert_eq!((r.title.agreed, r.title.compared), (1, 2));
        assert_eq!((r.date.agreed, r.date.compared), (2, 2));
        assert_eq!(r.worst.len(), 1);
        assert_eq!(r.worst[0].page, "bad");
        let missed = r.worst[0].missed.as_ref().expect("missed paragraph");
        assert_eq!(missed.text.as_deref(), Some("Aid convoys reached the camp after a long delay."));
        assert!(r.markdown().contains("| bad |"));
    }
}
