//! `sitrep extract`.

use std::collections::BTreeMap;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sitrep::output::{Format, Writer, encode};
use sitrep::{Date, Item, Pipeline, ReadOptions, Reader};

/// Documents analysed together; output is written batch by batch, in input order.
const BATCH: usize = 256;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files, directories (walked recursively) or `-` for standard input [default: -].
    inputs: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for documents that carry none; relative
    /// dates ("on Thursday") are resolved against it.
    #[arg(long, value_parser = parse_date)]
    published: Option<Date>,
    /// Output format.
    #[arg(long, default_value = "jsonl", value_parser = ["jsonl", "acled-csv", "geojson"])]
    format: String,
    /// Include each document's text in the output (`document.text`).
    #[arg(long)]
    include_text: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Worker threads [default: all cores]. The output is the same for any value.
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Skip documents larger than this many bytes.
    #[arg(long, default_value_t = 32 * 1024 * 1024)]
    max_document_size: u64,
    /// A gazetteer artifact written by `sitrep gazetteer import` (instead of the embedded one).
    #[arg(long)]
    gazetteer: Option<PathBuf>,
    /// Extra places CSV (name, aliases, lat, lon, kind, country, admin1, parent); repeatable.
    #[arg(long)]
    extra_places: Vec<PathBuf>,
    /// A user trigger lexicon (the format of lexicons/events/triggers.tsv); repeatable.
    #[arg(long)]
    triggers: Vec<PathBuf>,
    /// A user outlet table (the format of lexicons/outlets.tsv: outlets and the countries they cover); repeatable.
    #[arg(long)]
    outlets: Vec<PathBuf>,
    /// No progress bar and no summary on standard error.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

#[derive(Default)]
struct Summary {
    documents: u64,
    events: u64,
    skipped: BTreeMap<&'static str, u64>,
    warnings: u64,
}

pub(crate) fn run(args: &Args) -> Result<ExitCode> {
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let mut builder = Pipeline::builder().default_published(args.published).include_text(args.include_text);
    if let Some(g) = &args.gazetteer {
        builder = builder.gazetteer_file(g);
    }
    for csv in &args.extra_places {
        builder = builder.extra_places(csv);
    }
    for t in &args.triggers {
        builder = builder.triggers(t);
    }
    for t in &args.outlets {
        builder = builder.outlets(t);
    }
    let pipeline = builder.build().context("failed to build the pipeline")?;
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        pool = pool.num_threads(n);
    }
    let pool = pool.build().context("failed to start worker threads")?;

    let inputs = if args.inputs.is_empty() { vec![PathBuf::from("-")] } else { args.inputs.clone() };
    let mut reader = Reader::new(&inputs, ReadOptions { max_document_bytes: args.max_document_size });
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = Writer::new(format, BufWriter::with_capacity(1 << 16, out))?;
    let progress = progress_bar(args.quiet);
    let mut summary = Summary::default();
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        batch.extend(reader.by_ref().take(BATCH));
        if batch.is_empty() {
            break;
        }
        let encoded: Vec<(Vec<Vec<u8>>, Outcome)> = pool.install(|| {
            batch
                .par_iter()
                .map(|item| {
                    let record = match item {
                        Ok(doc) => pipeline.analyze(doc),
                        Err(d) => Pipeline::skipped(d.clone()),
                    };
                    let outcome = Outcome::of(item, &record);
                    (encode(format, &record), outcome)
                })
                .collect()
        });
        for (pieces, outcome) in &encoded {
            writer.write(pieces)?;
            summary.add(outcome, args.quiet, &progress);
        }
        progress.set_position(summary.documents);
        progress.set_message(format!("{} events", summary.events));
    }
    writer.finish()?;
    progress.finish_and_clear();
    if !args.quiet {
        eprintln!("{}", summary.line());
    }
    if summary.documents == 0 && !summary.skipped.is_empty() {
        eprintln!("sitrep: error: no document could be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// What one item contributed to the summary.
struct Outcome {
    skipped: Option<(&'static str, String)>,
    events: usize,
    warnings: Vec<String>,
}

impl Outcome {
    fn of(item: &Item, record: &sitrep::DocumentRecord) -> Outcome {
        match item {
            Err(d) => Outcome { skipped: Some((d.code, d.to_string())), events: 0, warnings: Vec::new() },
            Ok(_) => Outcome {
                skipped: None,
                events: record.events.len(),
                warnings: record.diagnostics.iter().map(ToString::to_string).collect(),
            },
        }
    }
}

impl Summary {
    fn add(&mut self, o: &Outcome, quiet: bool, progress: &ProgressBar) {
        let say = |line: &str| {
            if !quiet {
                progress.suspend(|| eprintln!("sitrep: {line}"));
            }
        };
        if let Some((code, line)) = &o.skipped {
            *self.skipped.entry(code).or_default() += 1;
            say(line);
            return;
        }
        self.documents += 1;
        self.events += o.events as u64;
        for w in &o.warnings {
            self.warnings += 1;
            say(w);
        }
    }

    fn line(&self) -> String {
        let mut s = format!("sitrep: read {} document(s), coded {} event(s)", self.documents, self.events);
        let skipped: u64 = self.skipped.values().sum();
        if skipped > 0 {
            let reasons: Vec<String> = self.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
            s.push_str(&format!("; skipped {skipped} ({})", reasons.join(", ")));
        }
        if self.warnings > 0 {
            s.push_str(&format!("; {} warning(s)", self.warnings));
        }
        s
    }
}

fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents, {msg} [{elapsed}] {per_sec}")
            .expect("the template is valid"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
