//! Writes a synthetic corpus of wire reports as JSONL, streamed.
//!
//! `sitrep-synth [--docs N] [--seed S] [--long] [--html] [--out FILE]`
//!
//! Each line is `{"id", "text" | "html", "published"}` as `sitrep extract`
//! reads it. Memory does not grow with N.
#![allow(clippy::print_stderr)]

use std::io::{BufWriter, Write};

use anyhow::{Context, bail};
use sitrep_bench::JsonlDoc;
use sitrep_bench::synth::{Generator, Length};

fn main() -> anyhow::Result<()> {
    let mut docs: u64 = 10_000;
    let mut seed: u64 = 1;
    let mut length = Length::Short;
    let mut html = false;
    let mut out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match a.as_str() {
            "--docs" => docs = parse_count(&value("--docs")?)?,
            "--seed" => seed = value("--seed")?.parse().context("--seed: expected a number")?,
            "--long" => length = Length::Long,
            "--html" => html = true,
            "--out" => out = Some(value("--out")?),
            "-h" | "--help" => {
                eprintln!("usage: sitrep-synth [--docs N (10k, 1M ok)] [--seed S] [--long] [--html] [--out FILE]");
                return Ok(());
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    let generator = Generator::builtin(seed, length)?;
    let sink: Box<dyn Write> = match &out {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("creating {p}"))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 20, sink);
    let mut bytes: u64 = 0;
    for i in 0..docs {
        let d = generator.doc(i);
        bytes += d.text.len() as u64;
        let line = JsonlDoc {
            id: d.id.clone(),
            html: html.then(|| generator.html_page(&d)),
            text: (!html).then_some(d.text),
            published: Some(d.published),
        };
        serde_json::to_writer(&mut w, &line)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    eprintln!(
        "sitrep-synth: {docs} documents, {:.1} MB of article text{}",
        bytes as f64 / 1e6,
        out.map_or_else(String::new, |p| format!(", written to {p}"))
    );
    Ok(())
}

/// "10000", "10k", "1M".
fn parse_count(s: &str) -> anyhow::Result<u64> {
    let (num, mult) = match s.chars().last() {
        Some('k' | 'K') => (&s[..s.len() - 1], 1_000),
        Some('m' | 'M') => (&s[..s.len() - 1], 1_000_000),
        _ => (s, 1),
    };
    Ok(num.parse::<u64>().with_context(|| format!("expected a count like 10000, 10k or 1M, got {s:?}"))? * mult)
}
