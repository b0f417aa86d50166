//! Per-stage throughput over synthetic wire reports (`sitrep_bench::synth`),
//! in bytes and in documents per second, each asserting its result count
//! against what the generator knows it wrote.
//!
//! `cargo bench -p sitrep-bench --bench stages [-- FILTER]`
//!
//! | group | what is timed | asserted |
//! |---|---|---|
//! | `extract` | HTML page → main text + metadata | every page's lead paragraph is in its text |
//! | `segment` | text → sentences and tokens | sentences = sentences written |
//! | `gazetteer` | text → place mentions, resolved | ≥ 90% of inserted towns found at their exact bytes |
//! | `events` | segmented, geoparsed text → coded events | ≥ 90% of reports get an event |
//! | `pipeline` | text → `DocumentRecord` (all stages, events coded) | the lead event is coded in ≥ 90% of reports |

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sitrep_bench::synth::{Generator, Length, SynthDoc};

const SEED: u64 = 2016;

fn docs(n: u64, length: Length) -> Vec<SynthDoc> {
    let g = Generator::builtin(SEED, length).expect("embedded data loads");
    (0..n).map(|i| g.doc(i)).collect()
}

fn throughput(docs: &[SynthDoc], bytes: usize) -> Throughput {
    Throughput::ElementsAndBytes { elements: docs.len() as u64, bytes: bytes as u64 }
}

fn text_bytes(docs: &[SynthDoc]) -> usize {
    docs.iter().map(|d| d.text.len()).sum()
}

fn extract(c: &mut Criterion) {
    let g = Generator::builtin(SEED, Length::Long).expect("embedded data loads");
    let docs = docs(200, Length::Long);
    let pages: Vec<String> = docs.iter().map(|d| g.html_page(d)).collect();
    let leads: Vec<&str> = docs.iter().map(|d| d.text.split("\n\n").nth(1).unwrap_or("")).collect();
    let run = || {
        let mut with_lead = 0;
        for (page, lead) in pages.iter().zip(&leads) {
            let (article, _) = sitrep_readable::extract_html(page, None);
            with_lead += usize::from(article.text.contains(lead));
        }
        with_lead
    };
    assert_eq!(run(), pages.len(), "the extractor lost lead paragraphs");
    let mut group = c.benchmark_group("extract");
    group.throughput(throughput(&docs, pages.iter().map(String::len).sum()));
    group.bench_function("html_long_200", |b| b.iter(|| assert_eq!(black_box(run()), pages.len())));
    group.finish();
}

fn segment(c: &mut Criterion) {
    let mut group = c.benchmark_group("segment");
    for (name, docs) in [("short_1000", docs(1000, Length::Short)), ("long_200", docs(200, Length::Long))] {
        let expected: usize = docs.iter().map(|d| d.sentences).sum();
        let run = || docs.iter().map(|d| sitrep_segment::segment(&d.text).sentences.len()).sum::<usize>();
        assert_eq!(run(), expected, "sentence count differs from what the generator wrote");
        group.throughput(throughput(&docs, text_bytes(&docs)));
        group.bench_function(name, |b| b.iter(|| assert_eq!(black_box(run()), expected)));
    }
    group.finish();
}

fn gazetteer(c: &mut Criterion) {
    let gaz = sitrep_gazetteer::Gazetteer::embedded().expect("the embedded gazetteer loads");
    let mut group = c.benchmark_group("gazetteer");
    for (name, docs) in [("short_1000", docs(1000, Length::Short)), ("long_200", docs(200, Length::Long))] {
        let inserted: usize = docs.iter().map(|d| d.places.len()).sum();
        // A town counts as found when a mention covers its bytes exactly.
        let run = || {
            let mut found = 0;
            for d in &docs {
                let parse = gaz.geoparse(&d.text, &sitrep_gazetteer::GeoHints::body(&d.text));
                found += d
                    .places
                    .iter()
                    .filter(|r| {
                        parse
                            .places
                            .iter()
                            .any(|p| p.span.start as usize == r.start() && p.span.end as usize == r.end())
                    })
                    .count();
            }
            found
        };
        // Short all-caps datelines ("JUBA, South Sudan") are the known misses.
        let found = run();
        assert!(found * 10 >= inserted * 9, "the gazetteer found {found} of {inserted} inserted towns");
        group.throughput(throughput(&docs, text_bytes(&docs)));
        group.bench_function(name, |b| b.iter(|| assert_eq!(black_box(run()), found)));
    }
    group.finish();
}

fn events(c: &mut Criterion) {
    let coder = sitrep_events::EventCoder::builtin().expect("the event lexicons load");
    let gaz = sitrep_gazetteer::Gazetteer::embedded().expect("the embedded gazetteer loads");
    let mut group = c.benchmark_group("events");
    for (name, docs) in [("short_1000", docs(1000, Length::Short)), ("long_200", docs(200, Length::Long))] {
        // Segmentation and geoparsing are done beforehand: only coding is timed.
        let prepared: Vec<_> = docs
            .iter()
            .map(|d| {
                let seg = sitrep_segment::segment(&d.text);
                let geo = gaz.geoparse(&d.text, &sitrep_gazetteer::GeoHints::body(&d.text));
                let meta =
                    sitrep_model::DocumentMeta { id: d.id.clone(), published: Some(d.published), ..Default::default() };
                (seg, geo, meta)
            })
            .collect();
        let run = || {
            let mut coded = 0;
            for (d, (seg, geo, meta)) in docs.iter().zip(&prepared) {
                let input = sitrep_events::CodeInput {
                    text: &d.text,
                    body: sitrep_text::TextRange::full(&d.text),
                    title: None,
                    dateline: None,
                    seg,
                    geo,
                    meta,
                    actor_scan: None,
                    outlet_country: None,
                };
                coded += usize::from(!coder.code(&input).events.is_empty());
            }
            coded
        };
        let coded = run();
        assert!(coded * 10 >= docs.len() * 9, "only {coded} of {} reports got an event", docs.len());
        group.throughput(throughput(&docs, text_bytes(&docs)));
        group.bench_function(name, |b| b.iter(|| assert_eq!(black_box(run()), coded)));
    }
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let pipeline = sitrep::Pipeline::builder().build().expect("the pipeline builds");
    let mut group = c.benchmark_group("pipeline");
    for (name, docs) in [("short_1000", docs(1000, Length::Short)), ("long_200", docs(200, Length::Long))] {
        let raws: Vec<sitrep::RawDocument> = docs
            .iter()
            .map(|d| {
                let mut r = sitrep::RawDocument::text(&d.id, d.text.clone());
                r.published = Some(d.published);
                r
            })
            .collect();
        // Reports whose record has at least one event.
        let run = || raws.iter().filter(|r| !pipeline.analyze(r).events.is_empty()).count();
        let coded = run();
        assert!(coded * 10 >= docs.len() * 9, "only {coded} of {} reports got an event", docs.len());
        group.throughput(throughput(&docs, text_bytes(&docs)));
        group.bench_function(name, |b| b.iter(|| assert_eq!(black_box(run()), coded)));
    }
    group.finish();
}

criterion_group! {
    name = stages;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = extract, segment, gazetteer, events, pipeline
}
criterion_main!(stages);
