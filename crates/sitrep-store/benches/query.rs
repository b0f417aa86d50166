//! Query latency over a store of one million events, and what it costs to
//! build one (write throughput, fusion time).
//!
//! `cargo bench -p sitrep-store --bench query [-- FILTER]`
//!
//! The store is generated once into `target/sitrep-store-bench/` (kept for
//! later runs; delete it to rebuild): 250,000 synthetic documents (an
//! outlet's daily round-up of four reports), 1,000,000 events, reporting
//! about 400,000 distinct events in 40 countries over six years, with one
//! to four reports each. The build prints its own timings (documents/s,
//! events/s, fusion seconds). Every benchmark asserts its result count.
//!
//! | bench | query |
//! |---|---|
//! | `country+month` | one country, one month |
//! | `country+year` | one country, one year |
//! | `country+year+type` | … and one sub-event type |
//! | `text+country` | FTS5 word in the evidence (1 in 12 events), one country |
//! | `text-rare` | FTS5 word in the evidence of about 1,500 events, alone |
//! | `near-50km+year` | a point and 50 km, one year |
//! | `actor+year` | an actor name part, one year |
#![allow(clippy::print_stderr, clippy::cast_precision_loss)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use sitrep_ingest::RawDocument;
use sitrep_model::{
    ActorRef, Certainty, Date, DocumentMeta, DocumentRecord, Event, Inter, Location, Source, Span, SubEventType,
    TextRange,
};
use sitrep_store::{FusionConfig, Query, Store, content_hash, prepare};

const DOCS: u64 = 250_000;
const PER_DOC: u64 = 4;
const COUNTRIES: u64 = 40;
const TOWNS_PER_COUNTRY: u64 = 60;
const DAYS: u64 = 6 * 365;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn iso(c: u64) -> String {
    let a = b'A' + u8::try_from(c / 26).unwrap();
    let b = b'A' + u8::try_from(c % 26).unwrap();
    String::from_utf8(vec![a, b]).unwrap()
}

/// Town `t` of country `c`: a point in a 6°×6° box per country.
fn town(c: u64, t: u64) -> (String, f64, f64) {
    let lat = -30.0 + (c % 8) as f64 * 8.0 + (t % 8) as f64 * 0.75;
    let lon = -20.0 + (c / 8) as f64 * 9.0 + (t / 8) as f64 * 0.75;
    (format!("Town{c}x{t}"), lat, lon)
}

const WORDS: [&str; 12] = [
    "checkpoint",
    "convoy",
    "market",
    "mosque",
    "barracks",
    "bridge",
    "village",
    "school",
    "road",
    "camp",
    "port",
    "airport",
];

/// The real event `k`: where, when, what, who, how many died.
fn real_event(k: u64) -> (u64, u64, u64, SubEventType, u64, u32) {
    let mut r = Rng(k.wrapping_mul(0x1234_5678_9abc_def1) ^ 0x5eed);
    let country = r.below(COUNTRIES);
    let town = r.below(TOWNS_PER_COUNTRY);
    let day = r.below(DAYS);
    let types = SubEventType::ALL;
    let kind = types[usize::try_from(r.below(types.len() as u64)).unwrap()];
    let actor = r.below(30);
    let deaths = u32::try_from(r.below(20)).unwrap();
    (country, town, day, kind, actor, deaths)
}

fn document(i: u64, events_total: u64) -> (RawDocument, DocumentRecord) {
    let mut r = Rng(i ^ 0xd0c5);
    let outlet = format!("Outlet {}", r.below(200));
    let start = Date::constant(2015, 1, 1);
    let mut text = format!("Daily round-up {i}\n\n");
    let mut events = Vec::new();
    for j in 0..PER_DOC {
        // About 2.5 reports per real event: pick among events_total / 2.5 real events.
        let k = r.below(events_total * 2 / 5);
        let (c, t, day, kind, actor, deaths) = real_event(k);
        let (name, lat, lon) = town(c, t);
        let word = WORDS[usize::try_from((k + j) % WORDS.len() as u64).unwrap()];
        let reported = deaths + u32::try_from(r.below(3)).unwrap();
        let sentence =
            format!("Fighters of Group {actor} struck a {word} in {name} , and {reported} people were killed . ");
        let s0 = text.len();
        text.push_str(&sentence);
        let sp = |from: usize, len: usize| Span::of(&text, TextRange::new(s0 + from, s0 + from + len));
        let actor_words = format!("Group {actor}");
        let name_at = sentence.find(&name).unwrap();
        let date = start.checked_add(jiff::Span::new().days(i64::try_from(day).unwrap())).unwrap();
        events.push(Event {
            id: format!("{i}-{j}"),
            event_type: kind.event_type(),
            sub_event_type: kind,
            disorder_type: kind.disorder_type(),
            event_date: Some(date),
            time_precision: 1,
            actor1: Some(ActorRef {
                name: format!("Group {actor} of Country {c}"),
                inter: Inter::RebelGroups,
                span: sp(12, actor_words.len()),
            }),
            assoc_actor_1: vec![],
            actor2: None,
            assoc_actor_2: vec![],
            location: Some(Location {
                name: name.clone(),
                admin1: Some(format!("Province {c}-{}", t % 6)),
                admin2: None,
                country: Some(format!("Country {c}")),
                iso: Some(iso(c)),
                latitude: lat,
                longitude: lon,
                geo_precision: 1,
                geonameid: Some(u32::try_from(c * 1000 + t).unwrap()),
                span: sp(name_at, name.len()),
            }),
            fatalities: reported,
            civilian_targeting: false,
            source: Source { outlet: Some(outlet.clone()), attribution: None, certainty: Certainty::Reported },
            evidence: sp(0, sentence.len() - 1),
            confidence: 0.8,
        });
    }
    let id = format!("roundup-{i:07}");
    let mut raw = RawDocument::text(&id, text.clone());
    raw.outlet = Some(outlet.clone());
    let record = DocumentRecord {
        document: DocumentMeta { id, outlet: Some(outlet), text: Some(text), ..DocumentMeta::default() },
        events,
        places: vec![],
        actors: vec![],
        diagnostics: vec![],
    };
    (raw, record)
}

fn bench_db() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/sitrep-store-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("1m-v{}.db", sitrep_store::SCHEMA_VERSION));
    if let Ok(store) = Store::open_read_only(&path)
        && store.counts().is_ok_and(|c| c.events == DOCS * PER_DOC && c.fused > 0)
        && !store.fusion_pending().unwrap_or(true)
    {
        return path;
    }
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(&path).unwrap();
    let config = FusionConfig::builtin();
    let started = Instant::now();
    let batch = 2_000;
    for b in 0..DOCS / batch {
        let docs: Vec<_> = (b * batch..(b + 1) * batch)
            .map(|i| {
                let (raw, rec) = document(i, DOCS * PER_DOC);
                let hash = content_hash(&raw, None);
                prepare(&raw, rec, hash, None, &config)
            })
            .collect();
        store.write_batch(&docs).unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "built {DOCS} documents, {} events in {secs:.1} s ({:.0} documents/s, {:.0} events/s, one thread, preparing included)",
        DOCS * PER_DOC,
        DOCS as f64 / secs,
        (DOCS * PER_DOC) as f64 / secs
    );
    let f = store.fuse().unwrap();
    eprintln!("fused {} events into {} in {:.1} s", f.events, f.fused, f.elapsed.as_secs_f64());
    drop(store);
    path
}

fn queries(c: &mut Criterion) {
    let path = bench_db();
    let store = Store::open_read_only(&path).unwrap();
    let counts = store.counts().unwrap();
    assert_eq!(counts.events, DOCS * PER_DOC);
    eprintln!("store: {counts:?}, {:.0} MB", std::fs::metadata(&path).unwrap().len() as f64 / 1e6);
    let run = |q: &Query| {
        let mut bytes = 0usize;
        let n = store
            .query(q, |row| {
                bytes += row.json.len();
                Ok(())
            })
            .unwrap();
        (n, bytes)
    };
    let year =
        |q: Query| Query { since: Some(Date::constant(2017, 1, 1)), until: Some(Date::constant(2017, 12, 31)), ..q };
    let cases: Vec<(&str, Query)> = vec![
        (
            "country+month",
            Query {
                countries: vec![iso(7)],
                since: Some(Date::constant(2018, 3, 1)),
                until: Some(Date::constant(2018, 3, 31)),
                ..Query::default()
            },
        ),
        ("country+year", year(Query { countries: vec![iso(7)], ..Query::default() })),
        (
            "country+year+type",
            year(Query {
                countries: vec![iso(7)],
                sub_event_types: vec![SubEventType::AirDroneStrike.name().into()],
                ..Query::default()
            }),
        ),
        ("text+country", Query { countries: vec![iso(7)], text: Some("mosque".into()), ..Query::default() }),
        ("text-rare", Query { text: Some("\"Town7x3 \"".into()), ..Query::default() }),
        (
            "near-50km+year",
            year(Query { near: Some((-30.0 + 7.0 * 8.0 + 1.0, -20.0 + 2.0, 50.0)), ..Query::default() }),
        ),
        ("actor+year", year(Query { actors: vec!["Group 17 of Country 7".into()], ..Query::default() })),
    ];
    let mut group = c.benchmark_group("query-1m");
    group.sample_size(20);
    for (name, q) in &cases {
        let (n, bytes) = run(q);
        assert!(n > 0, "{name} matched nothing");
        eprintln!("{name}: {n} fused events, {:.0} KB of JSON", bytes as f64 / 1e3);
        group.bench_function(*name, |b| b.iter(|| black_box(run(q))));
    }
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
