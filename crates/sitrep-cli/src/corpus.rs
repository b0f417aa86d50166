//! `sitrep ingest`, `sitrep query`, `sitrep export` and `sitrep recode`: the
//! corpus store (`sitrep_store`).

use std::collections::BTreeMap;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sitrep::model::{Diagnostic, SubEventType};
use sitrep::{Date, Item, Pipeline, ReadOptions, Reader};
use sitrep_store::{
    Disposition, ExportFormat, FusedWriter, FusionSummary, Known, PreparedDocument, Query, Store, StoreOptions,
    content_hash, prepare,
};

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

// ---------------------------------------------------------------------------
// ingest

#[derive(clap::Args)]
pub(crate) struct IngestArgs {
    /// Files, directories (walked recursively) or `-` for standard input [default: -].
    inputs: Vec<PathBuf>,
    /// The database file (created if missing).
    #[arg(long)]
    db: PathBuf,
    /// Publication date (YYYY-MM-DD) for documents that carry none.
    #[arg(long, value_parser = parse_date)]
    published: Option<Date>,
    /// Worker threads for extraction [default: all cores]. One thread writes.
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Documents per batch. Each batch is one transaction (a writer that falls behind
    /// commits up to four waiting batches together): a killed ingest loses at most those.
    /// Larger transactions write less: each commit rewrites the index pages it touched
    /// (1024 against 256: a quarter less WAL and about 12% less writer CPU, reports/bench.md).
    #[arg(long, default_value_t = 1024)]
    batch_size: usize,
    /// Skip documents larger than this many bytes.
    #[arg(long, default_value_t = 32 * 1024 * 1024)]
    max_document_size: u64,
    /// Do not fuse the events written (the next ingest or recode will).
    #[arg(long)]
    no_fuse: bool,
    /// No progress bar and no summary on standard error.
    #[arg(long, short)]
    quiet: bool,
    /// Limit the database to this many pages (16 KiB each in a new store; simulates a full disk).
    #[arg(long, hide = true)]
    max_db_pages: Option<u64>,
}

/// One document's outcome, computed on a worker thread.
enum Work {
    Skipped(Diagnostic),
    Unchanged,
    Duplicate,
    Ready(Box<PreparedDocument>, Vec<String>),
}

#[derive(Default)]
struct IngestSummary {
    read: u64,
    new: u64,
    replaced: u64,
    unchanged: u64,
    duplicate: u64,
    skipped: BTreeMap<&'static str, u64>,
    events: u64,
    warnings: u64,
    /// What fusing the written batches did.
    fusion: Option<FusionSummary>,
}

/// Adds one fusion pass (or fused batch) to a running total.
fn add_fusion(total: &mut Option<FusionSummary>, f: FusionSummary) {
    if f.events == 0 && f.created == 0 && f.updated == 0 && f.removed == 0 {
        return;
    }
    total.get_or_insert_with(FusionSummary::default).add(&f);
}

impl IngestSummary {
    fn line(&self) -> String {
        let mut s = format!(
            "sitrep: read {} document(s): {} new, {} replaced, {} unchanged",
            self.read, self.new, self.replaced, self.unchanged
        );
        if self.duplicate > 0 {
            s.push_str(&format!(", {} duplicate content", self.duplicate));
        }
        let skipped: u64 = self.skipped.values().sum();
        if skipped > 0 {
            let reasons: Vec<String> = self.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
            s.push_str(&format!("; skipped {skipped} ({})", reasons.join(", ")));
        }
        s.push_str(&format!("; stored {} event(s)", self.events));
        if self.warnings > 0 {
            s.push_str(&format!("; {} warning(s)", self.warnings));
        }
        s
    }
}

pub(crate) fn ingest(args: &IngestArgs) -> Result<ExitCode> {
    if args.batch_size == 0 {
        bail!("--batch-size must be at least 1");
    }
    let options = StoreOptions { max_pages: args.max_db_pages, ..StoreOptions::default() };
    let mut store = Store::open_with(&args.db, options)?;
    // A second connection for "is this stored already?" while the writer writes.
    let lookup = Store::open_read_only(&args.db)?;
    let fusion = store.fusion_config().clone();
    let pipeline = Pipeline::builder()
        .default_published(args.published)
        .include_text(true)
        .build()
        .context("failed to build the pipeline")?;
    let pool = thread_pool(args.threads)?;
    let inputs = if args.inputs.is_empty() { vec![PathBuf::from("-")] } else { args.inputs.clone() };

    let progress = Progress::new(args.quiet);
    let total = Arc::new(AtomicU64::new(0));
    // The total is for the progress bar only: counting reads every input once more.
    if !progress.bar.is_hidden() {
        let (inputs, total) = (inputs.clone(), Arc::clone(&total));
        std::thread::spawn(move || {
            if let Some(n) = count_documents(&inputs) {
                total.store(n, Ordering::Relaxed);
            }
        });
    }

    let mut summary = IngestSummary::default();
    let started = Instant::now();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Work>>(2);
    // Reading, hashing and looking up the next batch runs on a thread of its
    // own while the worker threads analyse the current one (done in turn,
    // they left the workers idle a sixth of the time).
    let (read_tx, read_rx) = std::sync::mpsc::sync_channel::<Vec<(Item, String, Known)>>(1);
    let (inputs, pipeline, pool, fusion) = (&inputs, &pipeline, &pool, &fusion);
    let result: Result<()> = std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<()> {
            let mut reader = Reader::new(inputs, ReadOptions { max_document_bytes: args.max_document_size });
            loop {
                let items: Vec<Item> = reader.by_ref().take(args.batch_size).collect();
                if items.is_empty() {
                    return Ok(());
                }
                // Hash and look up first: stored documents are not analysed again.
                let hashes: Vec<String> = items
                    .iter()
                    .map(|item| item.as_ref().map(|doc| content_hash(doc, args.published)).unwrap_or_default())
                    .collect();
                let keys: Vec<(&str, &str)> = items
                    .iter()
                    .zip(&hashes)
                    .filter_map(|(item, h)| item.as_ref().ok().map(|doc| (doc.id.as_str(), h.as_str())))
                    .collect();
                let mut known = lookup.known_batch(&keys)?.into_iter();
                let checked: Vec<(Item, String, Known)> = items
                    .into_iter()
                    .zip(hashes)
                    .map(|(item, hash)| {
                        let k = if item.is_ok() { known.next().unwrap_or(Known::New) } else { Known::New };
                        (item, hash, k)
                    })
                    .collect();
                if read_tx.send(checked).is_err() {
                    // Analysis stopped (the writer failed): it reports why.
                    return Ok(());
                }
            }
        });
        let producer = scope.spawn(move || -> Result<()> {
            while let Ok(checked) = read_rx.recv() {
                let work: Vec<Work> = pool.install(|| {
                    checked
                        .into_par_iter()
                        .map(|(item, hash, known)| match (item, known) {
                            (Err(d), _) => Work::Skipped(d),
                            (Ok(_), Known::Unchanged) => Work::Unchanged,
                            (Ok(_), Known::Duplicate(_)) => Work::Duplicate,
                            (Ok(doc), Known::New | Known::Changed) => {
                                let record = pipeline.analyze(&doc);
                                let warnings = record.diagnostics.iter().map(ToString::to_string).collect();
                                Work::Ready(Box::new(prepare(&doc, record, hash, args.published, fusion)), warnings)
                            }
                        })
                        .collect()
                });
                if tx.send(work).is_err() {
                    // The writer stopped (an error): it reports why.
                    return Ok(());
                }
            }
            Ok(())
        });
        let written = write_all(&mut store, &rx, &mut summary, &progress, &total, args.quiet, !args.no_fuse);
        drop(rx);
        let produced = producer.join().unwrap_or_else(|_| Err(anyhow::anyhow!("an analysis thread panicked")));
        let read = reader.join().unwrap_or_else(|_| Err(anyhow::anyhow!("the reader thread panicked")));
        written.and(produced).and(read)
    });
    progress.bar.finish_and_clear();
    if !args.quiet {
        eprintln!("{} in {:.1} s", summary.line(), started.elapsed().as_secs_f64());
    }
    result?;
    // The run's events were fused at its end; a store left unfused by an
    // earlier run with --no-fuse (or by an interrupted recode) is fused now.
    if !args.no_fuse && store.fusion_pending()? {
        add_fusion(&mut summary.fusion, store.fuse()?);
    }
    if let Some(f) = &summary.fusion
        && !args.quiet
    {
        eprintln!("{}", fusion_line(f));
    }
    if summary.read == 0 && !summary.skipped.is_empty() {
        eprintln!("sitrep: error: no document could be read");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The most batches the writer commits in one transaction.
const MAX_GROUPED_BATCHES: usize = 4;

/// The writer: one transaction per batch, in input order; the events written
/// are fused at the end, all at once, with the stored events around them
/// (`Store::write_batch_deferred`; unless `fuse` is false).
fn write_all(
    store: &mut Store,
    rx: &std::sync::mpsc::Receiver<Vec<Work>>,
    summary: &mut IngestSummary,
    progress: &Progress,
    total: &AtomicU64,
    quiet: bool,
    fuse: bool,
) -> Result<()> {
    // Batches that are already waiting are committed together: fewer, larger
    // transactions cost less (each commit rewrites the last page of every
    // table and index, and flushes the full-text index).
    while let Ok(first) = rx.recv() {
        let mut batch = first;
        for _ in 1..MAX_GROUPED_BATCHES {
            match rx.try_recv() {
                Ok(more) => batch.extend(more),
                Err(_) => break,
            }
        }
        let mut docs: Vec<PreparedDocument> = Vec::new();
        for w in batch {
            match w {
                Work::Skipped(d) => {
                    *summary.skipped.entry(d.code).or_default() += 1;
                    progress.say(quiet, &d.to_string());
                }
                Work::Unchanged => {
                    summary.read += 1;
                    summary.unchanged += 1;
                }
                Work::Duplicate => {
                    summary.read += 1;
                    summary.duplicate += 1;
                }
                Work::Ready(doc, warnings) => {
                    summary.read += 1;
                    for w in &warnings {
                        summary.warnings += 1;
                        progress.say(quiet, w);
                    }
                    docs.push(*doc);
                }
            }
        }
        if !docs.is_empty() {
            let counts: Vec<usize> = docs.iter().map(PreparedDocument::event_count).collect();
            let outcome = if fuse {
                let (outcome, f) = store.write_batch_deferred(docs)?;
                add_fusion(&mut summary.fusion, f);
                outcome
            } else {
                store.write_batch(&docs)?
            };
            for (events, d) in counts.into_iter().zip(&outcome) {
                match d {
                    Disposition::New => summary.new += 1,
                    Disposition::Replaced => summary.replaced += 1,
                    Disposition::Unchanged => summary.unchanged += 1,
                    Disposition::Duplicate(_) => summary.duplicate += 1,
                }
                if matches!(d, Disposition::New | Disposition::Replaced) {
                    summary.events += events as u64;
                }
            }
        }
        progress.update(summary.read + summary.skipped.values().sum::<u64>(), summary.events, total);
    }
    if fuse {
        // The events written are fused once, all together (and with the stored events around them).
        add_fusion(&mut summary.fusion, store.fuse_pending()?);
    }
    Ok(())
}

fn fusion_line(f: &FusionSummary) -> String {
    format!(
        "sitrep: fused {} event report(s) into {} event(s): {} new, {} updated, {} removed, {} unchanged, in {:.1} s",
        f.events,
        f.fused,
        f.created,
        f.updated,
        f.removed,
        f.unchanged,
        f.elapsed.as_secs_f64()
    )
}

/// The number of documents in the inputs, when it can be told cheaply
/// (text and HTML files, JSONL lines); `None` for standard input, WARC and
/// compressed files.
fn count_documents(inputs: &[PathBuf]) -> Option<u64> {
    fn visit(p: &Path, n: &mut u64) -> Option<()> {
        let meta = std::fs::metadata(p).ok()?;
        if meta.is_dir() {
            for entry in std::fs::read_dir(p).ok()? {
                visit(&entry.ok()?.path(), n)?;
            }
            return Some(());
        }
        let name = p.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".gz") || name.ends_with(".warc") {
            return None;
        }
        if name.ends_with(".jsonl") {
            let data = std::fs::read(p).ok()?;
            *n += data.split(|b| *b == b'\n').filter(|l| l.iter().any(|b| !b.is_ascii_whitespace())).count() as u64;
        } else {
            *n += 1;
        }
        Some(())
    }
    let mut n = 0;
    for p in inputs {
        if p.as_os_str() == "-" {
            return None;
        }
        visit(p, &mut n)?;
    }
    Some(n)
}

/// The progress bar: documents/s, events/s and, when the total is known, an ETA.
struct Progress {
    bar: ProgressBar,
    started: Instant,
    has_length: std::cell::Cell<bool>,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {pos} documents ({per_sec}), {msg} [{elapsed}]")
                    .expect("the template is valid"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        };
        Progress { bar, started: Instant::now(), has_length: std::cell::Cell::new(false) }
    }

    fn update(&self, documents: u64, events: u64, total: &AtomicU64) {
        let t = total.load(Ordering::Relaxed);
        if t > 0 && !self.has_length.get() {
            self.bar.set_length(t);
            self.bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {pos}/{len} documents ({per_sec}), {msg} [{elapsed}, ETA {eta}] {wide_bar}",
                )
                .expect("the template is valid"),
            );
            self.has_length.set(true);
        }
        self.bar.set_position(documents);
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        #[allow(clippy::cast_precision_loss)]
        let rate = events as f64 / secs;
        self.bar.set_message(format!("{events} events ({rate:.0}/s)"));
    }

    fn say(&self, quiet: bool, line: &str) {
        if !quiet {
            self.bar.suspend(|| eprintln!("sitrep: {line}"));
        }
    }
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        if n == 0 {
            bail!("--threads must be at least 1");
        }
        pool = pool.num_threads(n);
    }
    pool.build().context("failed to start worker threads")
}

// ---------------------------------------------------------------------------
// query and export

#[derive(clap::Args)]
pub(crate) struct QueryArgs {
    /// The database file.
    #[arg(long)]
    db: PathBuf,
    /// Country name or ISO code (repeatable: any of them).
    #[arg(long)]
    country: Vec<String>,
    /// First-order division, e.g. a province (repeatable).
    #[arg(long)]
    admin1: Vec<String>,
    /// Event type, as in the taxonomy ("Battles") (repeatable).
    #[arg(long)]
    event_type: Vec<String>,
    /// Sub-event type, as in the taxonomy ("Air/drone strike") (repeatable).
    #[arg(long)]
    sub_event_type: Vec<String>,
    /// Part of an actor name, any case (repeatable).
    #[arg(long)]
    actor: Vec<String>,
    /// First day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    since: Option<Date>,
    /// Last day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    until: Option<Date>,
    /// A point, "LAT,LON": events within --radius-km of it.
    #[arg(long, value_parser = parse_point, allow_hyphen_values = true)]
    near: Option<(f64, f64)>,
    /// The radius for --near, in km.
    #[arg(long, default_value_t = 25.0)]
    radius_km: f64,
    /// Full-text search over the evidence of every report (FTS5 syntax: `airstrike AND convoy`, `"tear gas"`).
    #[arg(long)]
    text: Option<String>,
    /// At least this many distinct sources (outlets).
    #[arg(long)]
    min_sources: Option<u32>,
    /// At most this many events.
    #[arg(long)]
    limit: Option<u64>,
    /// Output format: one fused event per line (jsonl), ACLED CSV rows, or a GeoJSON FeatureCollection.
    #[arg(long, default_value = "jsonl", value_parser = ["jsonl", "acled-csv", "geojson"])]
    format: String,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

fn parse_point(s: &str) -> Result<(f64, f64), String> {
    let (a, b) = s.split_once(',').ok_or("expected LAT,LON")?;
    let lat: f64 = a.trim().parse().map_err(|_| format!("latitude {a:?} is not a number"))?;
    let lon: f64 = b.trim().parse().map_err(|_| format!("longitude {b:?} is not a number"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("{lat},{lon} is not a point on Earth"));
    }
    Ok((lat, lon))
}

/// Canonical taxonomy names for what the user typed (any case).
fn type_names(given: &[String], sub: bool) -> Result<Vec<String>> {
    given
        .iter()
        .map(|g| {
            if sub {
                SubEventType::parse(g)
                    .map(|t| t.name().to_owned())
                    .with_context(|| format!("unknown sub-event type {g:?} (see docs/taxonomy.md)"))
            } else {
                SubEventType::ALL
                    .iter()
                    .map(|t| t.event_type().name())
                    .find(|n| n.eq_ignore_ascii_case(g.trim()))
                    .map(str::to_owned)
                    .with_context(|| format!("unknown event type {g:?} (see docs/taxonomy.md)"))
            }
        })
        .collect()
}

pub(crate) fn query(args: &QueryArgs) -> Result<ExitCode> {
    if args.radius_km.is_nan() || args.radius_km <= 0.0 {
        bail!("--radius-km must be positive");
    }
    let q = Query {
        countries: args.country.clone(),
        admin1: args.admin1.clone(),
        event_types: type_names(&args.event_type, false)?,
        sub_event_types: type_names(&args.sub_event_type, true)?,
        actors: args.actor.clone(),
        since: args.since,
        until: args.until,
        near: args.near.map(|(lat, lon)| (lat, lon, args.radius_km)),
        text: args.text.clone(),
        min_sources: args.min_sources,
        limit: args.limit,
    };
    let format: ExportFormat = args.format.parse().map_err(anyhow::Error::msg)?;
    write_fused(&args.db, &q, format, args.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub(crate) struct ExportArgs {
    /// The database file.
    #[arg(long)]
    db: PathBuf,
    /// Output format (parquet needs a build with `--features parquet`, and --output).
    #[arg(long, default_value = "jsonl", value_parser = ["acled-csv", "jsonl", "geojson", "parquet"])]
    format: String,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub(crate) fn export(args: &ExportArgs) -> Result<ExitCode> {
    let format: ExportFormat = args.format.parse().map_err(anyhow::Error::msg)?;
    if !format.available() {
        bail!("this sitrep was built without Parquet support: rebuild it with `cargo build --features parquet`");
    }
    if format == ExportFormat::Parquet && args.output.is_none() {
        bail!("--format parquet writes a binary file: give it with --output FILE");
    }
    write_fused(&args.db, &Query::default(), format, args.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

fn write_fused(db: &Path, q: &Query, format: ExportFormat, output: Option<&Path>) -> Result<()> {
    let store = Store::open_read_only(db)?;
    if store.fusion_pending()? {
        eprintln!(
            "sitrep: warning: {} has events not fused yet (an ingest is running or was interrupted); \
             showing the last fused state",
            db.display()
        );
    }
    let out: Box<dyn Write + Send> = match output {
        Some(p) => Box::new(std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?),
        None => Box::new(std::io::stdout()),
    };
    let mut writer = FusedWriter::new(format, BufWriter::with_capacity(1 << 16, out), db)?;
    store.query(q, |row| writer.write(row))?;
    writer.finish()?;
    Ok(())
}

// ---------------------------------------------------------------------------
// recode

#[derive(clap::Args)]
pub(crate) struct RecodeArgs {
    /// The database file.
    #[arg(long)]
    db: PathBuf,
    /// Worker threads [default: all cores].
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Documents per transaction.
    #[arg(long, default_value_t = 256)]
    batch_size: usize,
    /// No progress bar and no summary on standard error.
    #[arg(long, short)]
    quiet: bool,
}

pub(crate) fn recode(args: &RecodeArgs) -> Result<ExitCode> {
    if args.batch_size == 0 {
        bail!("--batch-size must be at least 1");
    }
    let mut store = Store::open(&args.db)?;
    let fusion = store.fusion_config().clone();
    let pool = thread_pool(args.threads)?;
    let total = Arc::new(AtomicU64::new(store.counts()?.documents));
    let progress = Progress::new(args.quiet);
    let mut pipelines: BTreeMap<Option<Date>, Pipeline> = BTreeMap::new();
    let (mut docs, mut changed) = (0u64, 0u64);
    let (mut same, mut modified, mut added, mut removed) = (0u64, 0u64, 0u64, 0u64);
    let mut after = 0i64;
    loop {
        let batch = store.stored_documents(after, args.batch_size)?;
        let Some(last) = batch.last() else { break };
        after = last.row;
        for d in &batch {
            if let std::collections::btree_map::Entry::Vacant(slot) = pipelines.entry(d.default_published) {
                slot.insert(
                    Pipeline::builder()
                        .default_published(d.default_published)
                        .include_text(true)
                        .build()
                        .context("failed to build the pipeline")?,
                );
            }
        }
        let prepared: Vec<PreparedDocument> = pool.install(|| {
            batch
                .par_iter()
                .map(|d| {
                    let record = pipelines[&d.default_published].analyze(&d.raw);
                    prepare(&d.raw, record, content_hash(&d.raw, d.default_published), d.default_published, &fusion)
                })
                .collect()
        });
        for o in store.recode_batch(&prepared)? {
            docs += 1;
            changed += u64::from(o.changed);
            same += o.events_unchanged;
            modified += o.events_changed;
            added += o.events_added;
            removed += o.events_removed;
        }
        progress.update(docs, same + modified + added, &total);
    }
    progress.bar.finish_and_clear();
    if !args.quiet {
        eprintln!(
            "sitrep: recoded {docs} document(s): {changed} changed, {} unchanged; events: {same} unchanged, \
             {modified} changed, {added} new, {removed} gone",
            docs - changed
        );
    }
    if store.fusion_pending()? {
        let f = store.fuse()?;
        if !args.quiet {
            eprintln!("{}", fusion_line(&f));
        }
    }
    Ok(ExitCode::SUCCESS)
}
