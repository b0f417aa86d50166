//! Scores the embedded gazetteer on GeoWebNews and LGL with sitrep-eval's geoparsing
//! scorer (included by path, so this crate need not depend on sitrep-eval):
//! `cargo run --release -p sitrep-gazetteer --example geoeval -- ../shared/eval/geoparsing/GWN.xml [--text]`
#![allow(clippy::print_stdout, clippy::print_stderr, dead_code)]

#[path = "../../sitrep-eval/src/metrics.rs"]
mod metrics;

#[path = "../../sitrep-eval/src/geo.rs"]
mod geo;

use sitrep_gazetteer::{Gazetteer, GeoHints};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = args.iter().any(|a| a == "--text");
    let worst = args.iter().find_map(|a| a.strip_prefix("--worst=")).and_then(|n| n.parse().ok()).unwrap_or(25);
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let f = |t: &str| gaz.geoparse(t, &GeoHints::body(t)).places;
        match geo::evaluate_with(std::path::Path::new(path), &f, worst, text) {
            Ok(r) => {
                println!("{}", r.markdown());
                eprintln!("{path}: {:.0} articles/s", r.articles_per_second);
            }
            Err(e) => eprintln!("{path}: {e:#}"),
        }
    }
}
