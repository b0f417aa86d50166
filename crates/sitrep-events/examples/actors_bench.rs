//! Throughput of actor recognition (`ActorLexicon::recognize`), one core.
//!
//! ```text
//! cargo run --release -p sitrep-events --example actors_bench -- [--country IQ] [--year 2016] FILE...
//! ```
//!
//! Reads the files (plain news text), cuts them into ~4 KB documents at line ends, and recognises the
//! actors of every document repeatedly for about three seconds. Prints the lexicon build time, the
//! throughput of the fastest and the median pass (the fastest is the least disturbed by other load),
//! and the hits per pass. Without files it uses a synthetic text made of the sentences below.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::{Duration, Instant};

use sitrep_events::actors::{ActorContext, ActorLexicon};
use sitrep_text::TextRange;

/// Synthetic wire-style sentences (written for this benchmark), repeated when no file is given.
const SYNTHETIC: &[&str] = &[
    "Kenyan police fired tear gas at protesters who blocked the highway outside the county offices on Tuesday.",
    "Al Shabaab fighters attacked a base held by Ugandan troops near the town, a military spokesman said.",
    "Residents said the gunmen arrived on motorcycles before dawn and opened fire on worshippers.",
    "Boko Haram militants burned houses in the village; the militants withdrew when soldiers arrived.",
    "The ministry said the 5th Brigade had retaken the road after two days of fighting with rebels.",
    "Coalition airstrikes hit a convoy of Islamic State vehicles west of the city, witnesses told reporters.",
    "Murle youths raided cattle camps, and Dinka militia pursued them across the river, officials said.",
    "President Muhammadu Buhari ordered an inquiry into the killing of civilians by security forces.",
    "Market traders closed their stalls as the price of bread rose for the third week in a row.",
    "The governor urged calm and promised that the water supply would be restored by the weekend.",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let mut ctx = ActorContext { country: None, year: Some(2016) };
    let mut files = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--country" => ctx.country = args.next(),
            "--year" => ctx.year = args.next().and_then(|y| y.parse().ok()),
            _ => files.push(a),
        }
    }
    let mut text = String::new();
    for f in &files {
        match std::fs::read_to_string(f) {
            Ok(t) => {
                text.push_str(&t);
                text.push('\n');
            }
            Err(e) => {
                eprintln!("{f}: {e}");
                std::process::exit(2);
            }
        }
    }
    if text.is_empty() {
        for i in 0..2_000 {
            text.push_str(SYNTHETIC[i % SYNTHETIC.len()]);
            text.push(if i % 5 == 4 { '\n' } else { ' ' });
        }
    }
    let started = Instant::now();
    let lexicon = match ActorLexicon::builtin() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let build = started.elapsed();
    let mut docs = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        if i - start > 4_000 {
            docs.push(TextRange::new(start, i));
            start = i + 1;
        }
    }
    docs.push(TextRange::new(start, text.len()));

    let mut passes: Vec<Duration> = Vec::new();
    let mut hits = 0;
    let clock = Instant::now();
    while clock.elapsed() < Duration::from_secs(3) || passes.len() < 3 {
        let t = Instant::now();
        hits = docs.iter().map(|&d| lexicon.recognize(&text, d, &ctx).len()).sum::<usize>();
        passes.push(t.elapsed());
    }
    assert!(hits > 0, "no actor found: is the input news text?");
    passes.sort();
    let mbs = |d: Duration| text.len() as f64 / d.as_secs_f64() / 1e6;
    println!("lexicon: {:?}, built in {build:.1?}", lexicon.stats());
    println!(
        "{} bytes in {} documents, {} passes: fastest {:.1} MB/s, median {:.1} MB/s; {hits} hits per pass",
        text.len(),
        docs.len(),
        passes.len(),
        mbs(passes[0]),
        mbs(passes[passes.len() / 2]),
    );
}
