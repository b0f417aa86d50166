//! Every HTML main-text extractor candidate over the readability pages, one thread.
//!
//! `html_candidates DIR [--repeat N] [--snippets DIR2] [--worst NAME]`
//!
//! Runs sitrep's extractor, dom_smoothie, trafilatura-rs, rs-trafilatura and
//! the combination suggested in `docs/dependencies.md` (trafilatura-rs, with
//! dom_smoothie when its text is short or much longer than dom_smoothie's),
//! and prints shingle F1/P/R, metadata agreement and pages/s (best of N
//! passes). `--snippets` also runs trafilatura's snippet evaluation on its
//! sample folder. `--worst NAME` prints the worst pages of that candidate with
//! evidence text (for studying errors; never commit that output).
//! Built only with `--features candidates`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::time::Instant;

use sitrep_eval::html::{evaluate_snippets, load_pages, score};
use sitrep_readable::HtmlArticle;

type Extractor = fn(&str) -> HtmlArticle;

fn sitrep(html: &str) -> HtmlArticle {
    sitrep_readable::extract_html(html, None).0
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn date_of(s: Option<&str>) -> Option<sitrep_model::Date> {
    s.and_then(|s| s.get(..10)).and_then(|d| d.parse().ok())
}

fn dom_smoothie(html: &str) -> HtmlArticle {
    let cfg = dom_smoothie::Config { text_mode: dom_smoothie::TextMode::Formatted, ..Default::default() };
    let Ok(mut r) = dom_smoothie::Readability::new(html, None, Some(cfg)) else { return HtmlArticle::default() };
    match r.parse() {
        Ok(a) => HtmlArticle {
            text: a.text_content.to_string(),
            title: non_empty(&a.title),
            published: date_of(a.published_time.as_deref()),
            outlet: a.site_name,
            author: a.byline,
            url: None,
            language: a.lang,
        },
        Err(_) => HtmlArticle::default(),
    }
}

fn trafilatura_rs(html: &str) -> HtmlArticle {
    match trafilatura::extract(html, &trafilatura::Options::default()) {
        Ok(r) => HtmlArticle {
            text: r.content_text,
            title: non_empty(&r.metadata.title),
            published: r.metadata.date.and_then(|d| d.format("%Y-%m-%d").to_string().parse().ok()),
            outlet: non_empty(&r.metadata.sitename),
            author: non_empty(&r.metadata.author),
            url: non_empty(&r.metadata.url),
            language: non_empty(&r.metadata.language),
        },
        Err(_) => HtmlArticle::default(),
    }
}

fn rs_trafilatura(html: &str) -> HtmlArticle {
    match rs_trafilatura::extract(html) {
        Ok(r) => HtmlArticle {
            text: r.content_text,
            title: r.metadata.title,
            published: r.metadata.date.and_then(|d| d.format("%Y-%m-%d").to_string().parse().ok()),
            outlet: r.metadata.sitename,
            author: r.metadata.author,
            url: r.metadata.url,
            language: r.metadata.language,
        },
        Err(_) => HtmlArticle::default(),
    }
}

/// trafilatura-rs, falling back to dom_smoothie when its text is < 200 chars or > 1.5× dom_smoothie's.
fn combo(html: &str) -> HtmlArticle {
    let t = trafilatura_rs(html);
    if t.text.len() >= 200 {
        let d = dom_smoothie(html);
        if (t.text.len() as f64) <= 1.5 * d.text.len() as f64 {
            return t;
        }
        return d;
    }
    dom_smoothie(html)
}

fn main() {
    if let Err(e) = run() {
        eprintln!("html_candidates: {e:#}");
        std::process::exit(2);
    }
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut snippets = None;
    let mut repeat = 2usize;
    let mut worst = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().unwrap_or_default().parse().unwrap_or(2).max(1),
            "--snippets" => snippets = args.next().map(PathBuf::from),
            "--worst" => worst = args.next(),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.ok_or_else(|| anyhow::anyhow!("usage: html_candidates DIR [--repeat N] [--snippets DIR]"))?;
    let pages = load_pages(&dir)?;
    let candidates: [(&str, Extractor); 5] = [
        ("sitrep", sitrep),
        ("dom_smoothie 0.19", dom_smoothie),
        ("trafilatura-rs 0.6", trafilatura_rs),
        ("rs-trafilatura 0.2.2", rs_trafilatura),
        ("trafilatura-rs + dom_smoothie", combo),
    ];
    println!("readability pages: {} (one thread, best of {repeat})", pages.len());
    println!("| extractor | F1 | P | R | F1 of means | title | site | date | pages/s | ms/page |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (name, f) in candidates {
        let mut best = f64::INFINITY;
        let mut arts = Vec::new();
        for _ in 0..repeat {
            let t = Instant::now();
            arts = pages.iter().map(|p| f(&p.html)).collect();
            best = best.min(t.elapsed().as_secs_f64());
        }
        let r = score(&pages, &arts, worst.as_deref() == Some(name));
        println!(
            "| {name} | {:.4} | {:.4} | {:.4} | {:.4} | {:.3} | {:.3} | {:.3} | {:.1} | {:.2} |",
            r.shingle.f1,
            r.shingle.precision,
            r.shingle.recall,
            r.shingle_f1_of_means,
            r.title.rate(),
            r.site_name.rate(),
            r.date.rate(),
            pages.len() as f64 / best,
            1000.0 * best / pages.len() as f64
        );
        if worst.as_deref() == Some(name) {
            eprintln!("{}", r.markdown());
        }
    }
    if let Some(sdir) = snippets {
        println!("\ntrafilatura sample ({}):", sdir.display());
        println!("| extractor | pages | with found | without found | P | R | F1 |");
        println!("|---|---|---|---|---|---|---|");
        for (name, f) in candidates {
            let r = evaluate_snippets(&sdir, &f)?;
            println!(
                "| {name} | {} | {}/{} | {}/{} | {:.3} | {:.3} | {:.3} |",
                r.pages,
                r.with_found,
                r.with_total,
                r.without_found,
                r.without_total,
                r.precision(),
                r.recall(),
                r.f1()
            );
        }
    }
    Ok(())
}
