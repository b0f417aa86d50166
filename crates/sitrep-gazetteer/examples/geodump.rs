//! Development aid: geoparses NUL-separated texts from stdin, prints one TSV row per place.
#![allow(clippy::print_stdout)]
use std::io::Read;

use sitrep_gazetteer::{Gazetteer, GeoHints};

fn main() {
    let gaz = Gazetteer::embedded().expect("gazetteer");
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    for (doc, text) in input.split('\0').enumerate() {
        let parse = gaz.geoparse(text, &GeoHints::body(text));
        for (i, p) in parse.places.iter().enumerate() {
            let loc = parse.location(i);
            println!(
                "{doc}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                p.span.range().start(),
                p.span.range().end(),
                p.span.text,
                p.name.as_deref().unwrap_or(""),
                p.feature_code.as_deref().unwrap_or(""),
                p.iso.as_deref().unwrap_or(""),
                p.latitude.map_or(String::new(), |v| v.to_string()),
                p.longitude.map_or(String::new(), |v| v.to_string()),
                p.kind,
                loc.as_ref().map_or(0, |l| l.geo_precision),
                parse.focus_country.as_deref().unwrap_or(""),
                p.admin1.as_deref().unwrap_or(""),
            );
        }
    }
}
