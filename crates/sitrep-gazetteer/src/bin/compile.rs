//! `sitrep-gazetteer-compile ENTRIES.tsv OUT.bin.gz`: compiles the flattened entries that
//! `scripts/gazetteer/build.py` writes into the artifact that `sitrep` embeds.
#![allow(clippy::print_stderr)]

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 2 {
        eprintln!("usage: sitrep-gazetteer-compile ENTRIES.tsv OUT.bin.gz");
        return ExitCode::from(2);
    }
    match sitrep_gazetteer::compile_tsv(Path::new(&args[0]), Path::new(&args[1])) {
        Ok(n) => {
            eprintln!("compiled {n} entries into {}", args[1]);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("sitrep-gazetteer-compile: {e}");
            ExitCode::FAILURE
        }
    }
}
