//! Coding throughput (documents per second): the event coder alone on
//! pre-segmented, pre-geoparsed short reports, and the three stages it
//! needs together (segment + geoparse + code). The reports are written for
//! this bench in wire style; each bench asserts the number of events coded.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sitrep_events::{CodeInput, EventCoder};
use sitrep_gazetteer::{Gazetteer, GeoHints, GeoParse};
use sitrep_model::{Date, DocumentMeta};
use sitrep_segment::Segmentation;
use sitrep_text::TextRange;

const REPORTS: &[&str] = &[
    "Nigerian troops clashed with Boko Haram fighters near Bama on Thursday, killing 14 insurgents, a military spokesman said. Residents said hundreds of families fled to Maiduguri after the fighting.",
    "A roadside bomb struck a police vehicle in Mandera on Friday, killing four officers, police said. No group claimed responsibility for the attack.",
    "Hundreds of teachers staged a sit-in outside the education ministry in Tunis on Monday to demand unpaid wages. Police later fired tear gas to disperse the crowd.",
    "Russian warplanes carried out airstrikes on rebel-held districts of eastern Aleppo on Thursday, killing at least 21 civilians, a monitoring group said.",
    "Gunmen attacked the village of Agatu in Benue state on Wednesday, killing at least 40 villagers and burning homes, residents said. The state governor condemned the attack.",
    "Police arrested more than 200 opposition supporters across Kampala on Friday, a party official said. The opposition has called for protests next week.",
    "The Iraqi army recaptured the town of Hit in Anbar province from Islamic State militants on Tuesday after a week of fighting, the defence ministry said.",
    "Two women suicide bombers detonated their vests inside a displacement camp near Dikwa on Tuesday, killing 37 people, officials said.",
    "Bomb disposal experts defused an explosive device planted near a church in Kaduna on Monday, police said.",
    "Officials warned that the offensive would likely intensify in the coming weeks. The president is expected to visit the region on Saturday.",
];

struct Doc {
    text: String,
    seg: Segmentation,
    geo: GeoParse,
    meta: DocumentMeta,
}

fn docs(gaz: &Gazetteer) -> Vec<Doc> {
    let published = Some(Date::constant(2016, 2, 12));
    (0..200)
        .map(|i| {
            let text = REPORTS[i % REPORTS.len()].to_owned();
            let seg = sitrep_segment::segment(&text);
            let geo = gaz.geoparse(&text, &GeoHints::body(&text));
            let meta = DocumentMeta { id: format!("doc-{i}"), published, ..Default::default() };
            Doc { text, seg, geo, meta }
        })
        .collect()
}

fn code_all(coder: &EventCoder, docs: &[Doc]) -> usize {
    docs.iter()
        .map(|d| {
            let input = CodeInput {
                text: &d.text,
                body: TextRange::full(&d.text),
                title: None,
                dateline: None,
                seg: &d.seg,
                geo: &d.geo,
                meta: &d.meta,
                actor_scan: None,
                outlet_country: None,
            };
            coder.code(&input).events.len()
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let coder = EventCoder::builtin().expect("built-in lexicons");
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    let docs = docs(&gaz);
    // 20 copies of 10 reports: 10 events per copy (the clash and the flight it caused, one
    // event each for the next eight, the dispersed sit-in included, none for the warning).
    let expected = code_all(&coder, &docs);
    assert_eq!(expected, 20 * 10, "events coded");

    let mut g = c.benchmark_group("events");
    g.throughput(Throughput::Elements(docs.len() as u64));
    g.bench_function("code (segmented, geoparsed)", |b| {
        b.iter(|| assert_eq!(code_all(&coder, black_box(&docs)), expected));
    });
    g.bench_function("segment + geoparse + code", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|d| {
                    let seg = sitrep_segment::segment(&d.text);
                    let geo = gaz.geoparse(&d.text, &GeoHints::body(&d.text));
                    let input = CodeInput {
                        text: &d.text,
                        body: TextRange::full(&d.text),
                        title: None,
                        dateline: None,
                        seg: &seg,
                        geo: &geo,
                        meta: &d.meta,
                        actor_scan: None,
                        outlet_country: None,
                    };
                    coder.code(black_box(&input)).events.len()
                })
                .sum();
            assert_eq!(n, expected);
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
