//! `sitrep`: news reports in, geocoded, sourced conflict-event records out.

#![allow(clippy::print_stderr)]

mod corpus;
mod eval;
mod extract;
mod gazetteer;

use std::process::ExitCode;

/// mimalloc instead of the system allocator: the pipeline makes many small, short-lived
/// allocations per document (tokens, candidates, records), and glibc's malloc/free were
/// about 12% of `sitrep extract`'s CPU time in `perf` (see reports/bench.md for the gain).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

/// Reads news reports and writes structured, geocoded, sourced event records
/// of armed conflict, political violence, protest and displacement.
#[derive(Parser)]
#[command(name = "sitrep", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract events from articles (text, HTML, JSONL, WARC; files, directories or `-`).
    Extract(extract::Args),
    /// Store documents, their events and the fused events in a database (SQLite).
    Ingest(corpus::IngestArgs),
    /// Find fused events in a database by place, type, actor, date, text or sources.
    Query(corpus::QueryArgs),
    /// Write every fused event of a database (ACLED CSV, JSONL, GeoJSON, Parquet).
    Export(corpus::ExportArgs),
    /// Analyse the stored documents again with this engine; report what changed.
    Recode(corpus::RecodeArgs),
    /// Score the engine on annotated data sets (default ../shared/eval) and print the report.
    Eval(eval::Args),
    /// Manage gazetteers.
    #[command(subcommand)]
    Gazetteer(gazetteer::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Ingest(args) => corpus::ingest(&args),
        Command::Query(args) => corpus::query(&args),
        Command::Export(args) => corpus::export(&args),
        Command::Recode(args) => corpus::recode(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Gazetteer(cmd) => gazetteer::run(&cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`sitrep extract … | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("sitrep: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
