//! `cargo run --example geoparse -p sitrep-gazetteer -- FILE`: prints the place mentions of a text file.
//! With `--split`, FILE holds many articles separated by blank lines (two or more): each is
//! geoparsed on its own and only the throughput is printed.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use sitrep_gazetteer::{Gazetteer, GeoHints};

fn main() {
    let split = std::env::args().any(|a| a == "--split");
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: geoparse FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let t0 = std::time::Instant::now();
    let gaz = Gazetteer::embedded().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    eprintln!("loaded {} entries in {:?}", gaz.len(), t0.elapsed());
    if split {
        let docs: Vec<&str> = text.split("\n\n\n").filter(|d| !d.trim().is_empty()).collect();
        let t = std::time::Instant::now();
        let n: usize = docs.iter().map(|d| gaz.geoparse(d, &GeoHints::body(d)).places.len()).sum();
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{} articles, {} bytes, {n} places in {secs:.3} s: {:.1} MB/s",
            docs.len(),
            text.len(),
            text.len() as f64 / secs / 1e6
        );
        return;
    }
    let parse = gaz.geoparse(&text, &GeoHints::body(&text));
    println!("focus: {:?}", parse.focus_country);
    for (i, p) in parse.places.iter().enumerate() {
        let loc = parse.location(i);
        println!(
            "{:>6}..{:<6} {:<24} {:<9} {:<24} {:<5} {:<3} {:?},{:?} p={:?} c={:.2} {:?} loc={:?}",
            p.span.start,
            p.span.end,
            p.span.text,
            p.kind,
            p.name.as_deref().unwrap_or("-"),
            p.feature_code.as_deref().unwrap_or("-"),
            p.iso.as_deref().unwrap_or("-"),
            p.latitude,
            p.longitude,
            p.geo_precision,
            p.confidence,
            parse.usage[i],
            loc.map(|l| (l.name, l.latitude, l.longitude, l.geo_precision)),
        );
    }
}
