//! Throughput of recognition plus resolution (`Gazetteer::geoparse`) on generated wire-style text.
//!
//! The text is made here from short sentence templates written for this benchmark and a
//! list of place names, people and organisations, mixed by a fixed pseudo-random sequence,
//! then cut into articles of about 3 KB (a typical news report). Throughput is bytes per
//! second on one core. `news` interleaves sentences without place names (one place name per
//! about 190 bytes; GeoWebNews has about one toponym per 600 bytes); `dense` names places in
//! every sentence. Run: `cargo bench -p sitrep-gazetteer --bench geoparse`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sitrep_gazetteer::{Gazetteer, GeoHints};

const PLACES: &[&str] = &[
    "Mosul",
    "Baghdad",
    "Kirkuk, Iraq",
    "Raqqa",
    "Aleppo",
    "Tal Afar",
    "Erbil",
    "Nineveh province",
    "Anbar",
    "Fallujah",
    "Damascus",
    "Idlib",
    "Homs",
    "Beirut",
    "Sanaa",
    "Aden",
    "Taiz",
    "Hodeidah",
    "Tripoli",
    "Benghazi",
    "Misrata",
    "Kabul",
    "Kandahar",
    "Helmand province",
    "Mogadishu",
    "Kismayo",
    "Maiduguri",
    "Borno State",
    "Lagos",
    "Abuja",
    "Bamako",
    "Gao",
    "Timbuktu",
    "Niamey",
    "Khartoum",
    "El Fasher",
    "Darfur",
    "Juba",
    "Goma",
    "North Kivu",
    "Bangui",
    "Donetsk",
    "Kharkiv",
    "Kyiv",
    "Gaza",
    "the West Bank",
    "Jerusalem",
    "Cairo",
    "Sinai",
    "Islamabad",
    "Peshawar",
    "Karachi",
    "Yangon",
    "Manila",
    "Marawi",
    "Caracas",
    "Bogota",
    "Mexico City",
    "Washington",
    "London",
    "Paris",
    "Moscow",
    "Ankara",
    "Tehran",
    "Riyadh",
    "Doha",
    "Syria",
    "Iraq",
    "Yemen",
    "Libya",
    "Afghanistan",
    "Somalia",
    "Nigeria",
    "Mali",
    "Sudan",
    "Ukraine",
    "Russia",
    "Turkey",
    "Iran",
];
const ACTORS: &[&str] = &[
    "Government forces",
    "Militants",
    "Security forces",
    "Protesters",
    "Rebels",
    "Police",
    "Gunmen",
    "Coalition aircraft",
    "Soldiers",
    "Residents",
    "Local officials",
    "Tribal fighters",
];
const PEOPLE: &[&str] = &["Ahmed Hassan", "Maria Lopez", "John Carter", "Fatima Ali", "Gen. Omar Saleh"];
const TEMPLATES: &[&str] = &[
    "{A} clashed with fighters near {P} on Tuesday, leaving at least {N} people dead, officials said.",
    "{A} said they had retaken a district on the eastern edge of {P} after days of heavy fighting.",
    "An airstrike hit a convoy about {N} km south of {P}, according to a statement from the ministry.",
    "Hundreds of families fled {P} toward {Q}, where aid groups have set up a temporary camp.",
    "{H}, a spokesman for the interior ministry, told reporters in {P} that the road was closed.",
    "The {X} reported that {N} civilians were wounded when a car bomb exploded in a market in {P}.",
    "Protesters gathered outside the governor's office in {P} to demand the release of detainees.",
    "Iraqi and Syrian officials met in {P} to discuss security along the border with {Q}.",
    "Witnesses said shelling continued overnight in the village of {V}, on the outskirts of {P}.",
    "Prices of fuel and bread have doubled in {P} since the blockade began in March.",
];
/// Sentences without place names (most of a news report).
const FILLER: &[&str] = &[
    "The statement did not say how many fighters had taken part in the operation or how long it would last.",
    "Aid workers said food and medicine were running low and that several clinics had closed in recent weeks.",
    "A spokesman declined to comment on the reports, saying an investigation was under way.",
    "The attack came a day after negotiators said talks on a ceasefire had stalled over the release of prisoners.",
    "Officials said the dead included two children and a woman, and that dozens more had been taken to hospital.",
    "Analysts said the group had lost much of its territory but could still stage deadly attacks on civilians.",
    "Residents described hearing several loud explosions before dawn, followed by the sound of gunfire.",
    "The ministry said it would publish a full account of the incident once the families had been informed.",
];
const ORGS: &[&str] = &["United Nations", "Red Cross", "health ministry", "local council"];
const VILLAGES: &[&str] = &["Kokjali", "Bazwaya", "Tal Kaif", "Abu Shuwaya", "Khazer"];

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

/// About `bytes` of text as articles of about 3 KB; `filler` sentences without places
/// follow each sentence with places (0 gives the densest text).
fn corpus(bytes: usize, filler: usize) -> Vec<String> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut docs = Vec::new();
    let mut total = 0;
    while total < bytes {
        let mut doc = String::new();
        let dateline = rng.pick(PLACES).split(',').next().unwrap_or("MOSUL").to_uppercase();
        doc.push_str(&dateline);
        doc.push_str(" — ");
        while doc.len() < 3000 {
            let t = rng.pick(TEMPLATES);
            let s = t
                .replace("{A}", rng.pick(ACTORS))
                .replace("{P}", rng.pick(PLACES))
                .replace("{Q}", rng.pick(PLACES))
                .replace("{H}", rng.pick(PEOPLE))
                .replace("{X}", rng.pick(ORGS))
                .replace("{V}", rng.pick(VILLAGES))
                .replace("{N}", &(rng.next() % 90 + 2).to_string());
            doc.push_str(&s);
            doc.push(if rng.next().is_multiple_of(4) { '\n' } else { ' ' });
            for _ in 0..filler {
                doc.push_str(rng.pick(FILLER));
                doc.push(if rng.next().is_multiple_of(4) { '\n' } else { ' ' });
            }
        }
        total += doc.len();
        docs.push(doc);
    }
    docs
}

fn bench(c: &mut Criterion) {
    let gaz = Gazetteer::embedded().expect("the embedded gazetteer loads");
    let mut g = c.benchmark_group("geoparse");
    g.sample_size(10);
    // "news": one sentence with places in four (about one place name per 190 bytes);
    // "dense": every sentence names places (one per 60 bytes), a stress case.
    for (name, filler) in [("news", 3), ("dense", 0)] {
        let docs = corpus(2 << 20, filler);
        let bytes: usize = docs.iter().map(String::len).sum();
        let places: usize = docs.iter().map(|d| gaz.geoparse(d, &GeoHints::body(d)).places.len()).sum();
        // Sanity: the text holds places and the gazetteer finds them.
        assert!(places * 400 > bytes, "expected many places, found {places} in {bytes} bytes");
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for d in &docs {
                    n += gaz.geoparse(black_box(d), &GeoHints::body(d)).places.len();
                }
                black_box(n)
            });
        });
    }
    g.finish();
    c.bench_function("load_embedded_artifact", |b| b.iter(|| black_box(Gazetteer::embedded_owned().map(|g| g.len()))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
