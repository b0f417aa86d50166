//! Segmentation throughput (bytes/s) on wire-style text written for this bench.
//!
//! The text is ~1 MB made of paragraphs that exercise abbreviations, numbers,
//! quotes, datelines and headlines; the sentence count is asserted so that a
//! change which breaks splitting cannot look like a speed-up.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// Eight paragraphs of invented wire copy, 21 sentences in all.
const PARAGRAPHS: &[(&str, usize)] = &[
    ("Iraqi forces push into eastern Mosul", 1),
    (
        "MOSUL, Iraq (CNN) — Iraqi special forces pushed into the eastern districts of Mosul on Thursday, \
         Brig. Gen. Yahya Rasool told reporters. About 100,000 troops, including U.S.-trained units, \
         are taking part in the offensive.",
        2,
    ),
    (
        "“We will fight them from street to street,” said Lt. Col. Ali Hamid of the 9th Armored Division. \
         Commanders expect the battle to last weeks. Residents said militants had blown up two bridges \
         on Jan. 13 and again at 5 p.m. Monday.",
        3,
    ),
    (
        "The U.N. refugee agency said 3.5 million people had been displaced since 2014. Aid workers warned \
         that camps near Khazir were full… More than 1,200 families arrived overnight, e.g. from Gogjali \
         and Bazwaya.",
        3,
    ),
    (
        "Did the airstrikes hit civilians? Officials would not say. Witnesses told reporters that a convoy \
         was struck near the al Khames bridge, killing at least 12 people. No. 3 Battalion later secured \
         the area.",
        4,
    ),
    (
        "President George W. Bush's former envoy, Dr. Zalmay Khalilzad, said the fight was “an Iraqi \
         fight.” He urged Gov. Atheel al-Nujaifi to reconcile with Baghdad. The governor's office did \
         not respond.",
        3,
    ),
    (
        "Prime Minister Haider al-Abadi's office said the army had opened a safe route for civilians in \
         al Intisar. Militants shot at families fleeing the fighting, killing four, police said.",
        2,
    ),
    (
        "The Popular Mobilization Units said they had cut the main road west of the city on Wednesday. \
         Their spokesman, Ahmed al-Asadi, said 2,000 fighters were involved. The claim could not be verified.",
        3,
    ),
];

fn corpus(min_bytes: usize) -> (String, usize) {
    let mut text = String::with_capacity(min_bytes + 4096);
    let mut sentences = 0;
    while text.len() < min_bytes {
        for (p, n) in PARAGRAPHS {
            text.push_str(p);
            text.push_str("\n\n");
            sentences += n;
        }
    }
    (text, sentences)
}

fn bench(c: &mut Criterion) {
    let (text, expected) = corpus(1 << 20);
    let seg = sitrep_segment::segment(&text);
    assert_eq!(seg.sentences.len(), expected, "sentence count changed: the splitter is broken");
    assert_eq!(seg.paragraphs.len(), expected * PARAGRAPHS.len() / 21);

    let mut g = c.benchmark_group("segment");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("news_1mb", |b| {
        b.iter(|| {
            let seg = sitrep_segment::segment(black_box(&text));
            assert_eq!(seg.sentences.len(), expected);
            seg
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
