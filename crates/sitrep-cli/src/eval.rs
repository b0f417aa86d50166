//! `sitrep eval`: the engine over the annotated development sets, scored.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sitrep::Pipeline;
use sitrep_eval::{EvalOptions, Set};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Directory laid out like ../shared/eval (case2021-task2/, acled-africa-2016/, geoparsing/, html/).
    #[arg(default_value = "../shared/eval")]
    dir: PathBuf,
    /// Also write the report as eval.md and eval.json into this directory (e.g. reports/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print the JSON report instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Only these sets (comma-separated: case, acled, gwn, lgl, html).
    #[arg(long, value_delimiter = ',')]
    sets: Vec<String>,
    /// Score only the first N items of each set (quick runs).
    #[arg(long)]
    limit: Option<usize>,
    /// How many worst errors to list per table (for error studies; reports/ keeps the default).
    #[arg(long, default_value_t = EvalOptions::default().worst)]
    worst: usize,
    /// How many type confusions to list.
    #[arg(long, default_value_t = EvalOptions::default().confusions)]
    confusions: usize,
    /// Show the evidence text of the worst errors (never in committed reports:
    /// evaluation text must not enter the repository).
    #[arg(long)]
    evidence_text: bool,
}

pub(crate) fn run(args: &Args) -> Result<ExitCode> {
    if !args.dir.is_dir() {
        bail!(
            "evaluation sets not found at {}: give the directory that holds case2021-task2/, acled-africa-2016/, geoparsing/ and html/",
            args.dir.display()
        );
    }
    if args.evidence_text && args.out.is_some() {
        bail!("--evidence-text cannot be combined with --out: evaluation text must not be written into reports");
    }
    let sets = if args.sets.is_empty() {
        None
    } else {
        Some(args.sets.iter().map(|s| s.parse::<Set>().map_err(anyhow::Error::msg)).collect::<Result<Vec<_>>>()?)
    };
    let opts = EvalOptions {
        limit: args.limit,
        evidence_text: args.evidence_text,
        sets,
        worst: args.worst,
        confusions: args.confusions,
    };
    let pipeline = Pipeline::builder().build().context("failed to build the pipeline")?;
    let report = sitrep_eval::run(&args.dir, &pipeline, &opts)?;
    let printed = if args.json { report.to_json() } else { report.markdown() };
    std::io::Write::write_all(&mut std::io::stdout().lock(), printed.as_bytes())?;
    eprintln!("sitrep: {}", report.timings_line());
    if let Some(out) = &args.out {
        for p in report.write_files(out)? {
            eprintln!("sitrep: wrote {}", p.display());
        }
    }
    Ok(if report.has_failures() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
