//! Runs sitrep over a JSONL corpus on one thread and reports documents/s,
//! MB/s and memory, window by window and in total.
//!
//! `sitrep-throughput CORPUS.jsonl [--stage pipeline|places|segment|extract] [--every N] [--json]`
//!
//! - `pipeline` (default): text in → `DocumentRecord` out, serialised to
//!   JSON (into memory, not to disk): the whole of `sitrep extract` but I/O.
//! - `places`: place recognition and resolution only (the gazetteer).
//! - `segment`: sentences and tokens only.
//! - `extract`: HTML main text and metadata only (needs `html` lines).
//!
//! The corpus is streamed, so memory shows what the engine holds, not the
//! corpus. Timing covers the stage only (JSON parsing of the input is
//! excluded and reported apart as wall time). `--every N` prints a line every
//! N documents with that window's rate and the resident memory: flat lines
//! mean throughput does not fall and memory does not grow with the corpus.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::BufReader;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sitrep_bench::{JsonlDoc, for_each_jsonl, peak_rss_kib, rss_kib};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Pipeline,
    Places,
    Segment,
    Extract,
}

fn main() -> anyhow::Result<()> {
    let mut path: Option<String> = None;
    let mut stage = Stage::Pipeline;
    let mut every: u64 = 0;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--stage" => {
                stage = match args.next().as_deref() {
                    Some("pipeline") => Stage::Pipeline,
                    Some("places") => Stage::Places,
                    Some("segment") => Stage::Segment,
                    Some("extract") => Stage::Extract,
                    other => bail!("--stage: expected pipeline, places, segment or extract, got {other:?}"),
                }
            }
            "--every" => every = args.next().context("--every needs a value")?.parse().context("--every: a count")?,
            "--json" => json = true,
            "-h" | "--help" => {
                eprintln!(
                    "usage: sitrep-throughput CORPUS.jsonl [--stage pipeline|places|segment|extract] [--every N] [--json]"
                );
                return Ok(());
            }
            p if path.is_none() && !p.starts_with("--") => path = Some(p.to_owned()),
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    let path = path.context("give a JSONL corpus (make one with sitrep-synth)")?;

    let load = Instant::now();
    let pipeline = sitrep::Pipeline::builder().build().context("building the pipeline")?;
    let gazetteer = sitrep_gazetteer::Gazetteer::embedded().context("loading the gazetteer")?;
    let load_secs = load.elapsed().as_secs_f64();
    let rss_loaded = rss_kib().unwrap_or(0);

    let file = std::fs::File::open(&path).with_context(|| format!("opening {path}"))?;
    let reader = BufReader::with_capacity(1 << 20, file);
    let wall = Instant::now();
    let mut busy = Duration::ZERO;
    let (mut docs, mut bytes, mut results) = (0u64, 0u64, 0u64);
    let (mut win_docs, mut win_bytes, mut win_busy) = (0u64, 0u64, Duration::ZERO);
    let mut sink: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut windows: Vec<String> = Vec::new();
    let (read, skipped) = for_each_jsonl(reader, |d: JsonlDoc| {
        let t = Instant::now();
        let (n, len) = match stage {
            Stage::Pipeline => {
                let (mut raw, len) = match (d.text, d.html) {
                    (Some(text), _) => {
                        let len = text.len();
                        (sitrep::RawDocument::text(&d.id, text), len)
                    }
                    (None, Some(html)) => {
                        let len = html.len();
                        (sitrep::RawDocument::html(&d.id, html), len)
                    }
                    (None, None) => return,
                };
                raw.published = d.published;
                let rec = pipeline.analyze(&raw);
                sink.clear();
                let _ = serde_json::to_writer(&mut sink, &rec);
                (rec.events.len() as u64, len)
            }
            Stage::Places => {
                let Some(text) = d.text else { return };
                let hints = sitrep_gazetteer::GeoHints::body(&text);
                (gazetteer.geoparse(&text, &hints).places.len() as u64, text.len())
            }
            Stage::Segment => {
                let Some(text) = d.text else { return };
                (sitrep_segment::segment(&text).sentences.len() as u64, text.len())
            }
            Stage::Extract => {
                let Some(html) = d.html else { return };
                let (a, _) = sitrep_readable::extract_html(&html, None);
                (u64::from(!a.text.is_empty()), html.len())
            }
        };
        let dt = t.elapsed();
        busy += dt;
        win_busy += dt;
        docs += 1;
        win_docs += 1;
        bytes += len as u64;
        win_bytes += len as u64;
        results += n;
        if every > 0 && win_docs == every {
            let s = win_busy.as_secs_f64();
            windows.push(format!(
                "{{\"docs\":{docs},\"docs_per_s\":{:.0},\"mb_per_s\":{:.2},\"rss_mib\":{:.1}}}",
                win_docs as f64 / s,
                win_bytes as f64 / 1e6 / s,
                rss_kib().unwrap_or(0) as f64 / 1024.0
            ));
            if !json {
                println!("{}", windows.last().map_or("", String::as_str));
            }
            (win_docs, win_bytes, win_busy) = (0, 0, Duration::ZERO);
        }
    })
    .with_context(|| format!("reading {path}"))?;
    let wall_secs = wall.elapsed().as_secs_f64();
    let secs = busy.as_secs_f64().max(1e-9);
    let stage_name = match stage {
        Stage::Pipeline => "pipeline",
        Stage::Places => "places",
        Stage::Segment => "segment",
        Stage::Extract => "extract",
    };
    let what = match stage {
        Stage::Pipeline => "events",
        Stage::Places => "places",
        Stage::Segment => "sentences",
        Stage::Extract => "pages_with_text",
    };
    let summary = format!(
        "{{\"stage\":\"{stage_name}\",\"corpus\":{path:?},\"docs\":{docs},\"skipped_lines\":{skipped},\"mb\":{:.2},\
         \"seconds\":{secs:.3},\"docs_per_s\":{:.1},\"mb_per_s\":{:.2},\"wall_seconds\":{wall_secs:.3},\
         \"{what}\":{results},\"load_seconds\":{load_secs:.3},\"rss_after_load_mib\":{:.1},\"peak_rss_mib\":{:.1},\
         \"windows\":[{}]}}",
        bytes as f64 / 1e6,
        docs as f64 / secs,
        bytes as f64 / 1e6 / secs,
        rss_loaded as f64 / 1024.0,
        peak_rss_kib().unwrap_or(0) as f64 / 1024.0,
        windows.join(",")
    );
    if json {
        println!("{summary}");
    } else {
        println!(
            "{stage_name}: {docs} docs ({:.1} MB) in {secs:.2} s: {:.0} docs/s, {:.2} MB/s; {results} {what}; \
             peak RSS {:.0} MiB (after load {:.0} MiB, load {load_secs:.2} s)",
            bytes as f64 / 1e6,
            docs as f64 / secs,
            bytes as f64 / 1e6 / secs,
            peak_rss_kib().unwrap_or(0) as f64 / 1024.0,
            rss_loaded as f64 / 1024.0,
        );
    }
    if read == 0 {
        bail!("{path}: no document read");
    }
    Ok(())
}
