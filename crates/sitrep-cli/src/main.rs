//! `sitrep`: news reports in, geocoded, sourced conflict-event records out.

#![allow(clippy::print_stderr)]

mod extract;

use std::process::ExitCode;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(&args),
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
