//! `sitrep gazetteer`: extend the gazetteer with a full GeoNames dump.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

#[derive(clap::Subcommand)]
pub(crate) enum Command {
    /// Import a GeoNames dump (allCountries.txt or a country file, optionally
    /// with alternateNamesV2.txt) into an artifact that `extract --gazetteer` uses.
    Import(ImportArgs),
}

#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// The GeoNames dump (tab-separated, 19 columns).
    dump: PathBuf,
    /// GeoNames alternateNamesV2.txt (or alternateNames.txt) for more spellings.
    #[arg(long)]
    alternate_names: Option<PathBuf>,
    /// Where to write the artifact.
    #[arg(long, short)]
    out: PathBuf,
}

pub(crate) fn run(cmd: &Command) -> Result<ExitCode> {
    match cmd {
        Command::Import(a) => {
            let s = sitrep_gazetteer::import_geonames(&a.dump, a.alternate_names.as_deref(), &a.out)
                .with_context(|| format!("failed to import {}", a.dump.display()))?;
            eprintln!(
                "sitrep: read {} feature(s) and {} name(s): {} added, {} merged; wrote {} entries to {}",
                s.features,
                s.names,
                s.added,
                s.merged,
                s.entries,
                a.out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
