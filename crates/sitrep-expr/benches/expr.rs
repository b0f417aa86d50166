//! Throughput (bytes/s) of `find_dates` and `find_numbers` on ~1 MB of wire-style text
//! written for this bench, called once per article (~1 KB each, as the pipeline calls
//! them). The number of expressions found is asserted so that a change which stops
//! finding them cannot look like a speed-up.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sitrep_expr::{Date, find_dates, find_numbers};
use sitrep_text::TextRange;
use std::hint::black_box;

/// Paragraphs with (dates, counts) in each.
const PARAGRAPHS: &[(&str, usize, usize)] = &[
    (
        "MOSUL, Iraq (CNN) — Iraqi special forces pushed into the eastern districts of Mosul on Thursday, \
         a defense ministry spokesman said. About 100,000 troops are taking part in the offensive, which \
         began two weeks ago.",
        2,
        1,
    ),
    (
        "At least 12 civilians were killed and dozens wounded when shells hit a market early Saturday, \
         residents said. Since Monday, more than 1,200 families have fled toward camps near Khazir.",
        2,
        3,
    ),
    (
        "The group seized the city in June 2014. Commanders expect the battle to last weeks, and aid \
         agencies warned last week that up to 30 villages could be cut off by the end of the month.",
        2,
        1,
    ),
    (
        "Talks between the factions will resume next Tuesday in Geneva, the U.N. envoy said on Dec. 13. \
         Several hundred protesters gathered at the weekend; police arrested five or six of them.",
        3,
        2,
    ),
    (
        "The ministry said 14 soldiers and between 20 and 30 militants died in clashes overnight. \
         A spokesman put the toll at twenty-five, adding that the fighting had eased earlier this month.",
        2,
        3,
    ),
];

/// One article: the paragraphs, separated by blank lines.
fn article() -> (String, usize, usize) {
    let mut text = String::new();
    let (mut dates, mut counts) = (0, 0);
    for (p, d, c) in PARAGRAPHS {
        text.push_str(p);
        text.push_str("\n\n");
        dates += d;
        counts += c;
    }
    (text, dates, counts)
}

fn bench(c: &mut Criterion) {
    let (one, n_dates, n_counts) = article();
    // ~1 MB of articles (copies, each its own string, as documents would be).
    let docs: Vec<String> = (0..(1 << 20) / one.len() + 1).map(|_| one.clone()).collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let published = Some(Date::constant(2016, 11, 4));
    assert_eq!(find_dates(&one, TextRange::full(&one), published).len(), n_dates, "date count changed");
    assert_eq!(find_numbers(&one, TextRange::full(&one)).len(), n_counts, "count of counts changed");

    let mut g = c.benchmark_group("expr");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("find_dates_1mb", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                n += find_dates(black_box(d), TextRange::full(d), published).len();
            }
            assert_eq!(n, n_dates * docs.len());
        });
    });
    g.bench_function("find_numbers_1mb", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                n += find_numbers(black_box(d), TextRange::full(d)).len();
            }
            assert_eq!(n, n_counts * docs.len());
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
