//! sitrep's HTML extractor over the readability pages on one thread: F1/P/R and pages/s.
//!
//! `html_pages DIR [--repeat N] [--score-json FILE --label NAME]`
//!
//! DIR is `html/readability/` of the evaluation sets. The extractor runs N
//! times over all pages (files already in memory) and the best pass gives
//! pages/s. `--score-json` scores another extractor's texts (a JSON object
//! page → text, e.g. written by `bench/peers/trafilatura_pages.py --out`) with
//! the same metric, so both numbers come from one scorer.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::time::Instant;

use sitrep_eval::html::{load_pages, score};
use sitrep_readable::HtmlArticle;

fn main() {
    if let Err(e) = run() {
        eprintln!("html_pages: {e:#}");
        std::process::exit(2);
    }
}

fn run() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut repeat = 3usize;
    let mut score_json = None;
    let mut label = "peer".to_owned();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().unwrap_or_default().parse().unwrap_or(3).max(1),
            "--score-json" => score_json = args.next().map(PathBuf::from),
            "--label" => label = args.next().unwrap_or(label),
            "-h" | "--help" => {
                println!("usage: html_pages DIR [--repeat N] [--score-json FILE --label NAME]");
                return Ok(());
            }
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.ok_or_else(|| anyhow::anyhow!("usage: html_pages DIR [--repeat N] [--score-json FILE]"))?;
    let pages = load_pages(&dir)?;
    let mut best = f64::INFINITY;
    let mut articles = Vec::new();
    for _ in 0..repeat {
        let t = Instant::now();
        articles = pages.iter().map(|p| sitrep_readable::extract_html(&p.html, None).0).collect();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let mut report = score(&pages, &articles, false);
    report.pages_per_second = pages.len() as f64 / best;
    println!("sitrep: {} ms_per_page={:.2}", report.summary_line(), 1000.0 * best / pages.len() as f64);
    if let Some(path) = score_json {
        let raw = std::fs::read_to_string(&path)?;
        let texts: std::collections::BTreeMap<String, String> = serde_json::from_str(&raw)?;
        let peer: Vec<HtmlArticle> = pages
            .iter()
            .map(|p| HtmlArticle { text: texts.get(&p.name).cloned().unwrap_or_default(), ..HtmlArticle::default() })
            .collect();
        let r = score(&pages, &peer, false);
        println!(
            "{label} (scored by sitrep-eval): F1={:.4} P={:.4} R={:.4} (F1 of means {:.4})",
            r.shingle.f1, r.shingle.precision, r.shingle.recall, r.shingle_f1_of_means
        );
    }
    Ok(())
}
