//! The store end to end: idempotent writes, fusion, queries, exports,
//! recode, migrations and faults. Documents and their records are built by
//! hand (short reports written for these tests), so the tests do not depend
//! on the event coder.

mod faults;
mod store;

use std::path::Path;

use sitrep_ingest::RawDocument;
use sitrep_model::{
    ActorRef, Certainty, Date, DocumentMeta, DocumentRecord, Event, Inter, Location, Source, Span, SubEventType,
    TextRange,
};
use sitrep_store::{FusionConfig, PreparedDocument, Store, content_hash, prepare};

/// A place: name, admin1, country, ISO code, latitude, longitude.
pub(crate) type Place = (&'static str, &'static str, &'static str, &'static str, f64, f64);

pub(crate) const MOSUL: Place = ("Mosul", "Nineveh", "Iraq", "IQ", 36.335, 43.119);
pub(crate) const BARTELLA: Place = ("Bartella", "Nineveh", "Iraq", "IQ", 36.352, 43.379);
pub(crate) const GAO: Place = ("Gao", "Gao", "Mali", "ML", 16.272, -0.045);
pub(crate) const NAIROBI: Place = ("Nairobi", "Nairobi", "Kenya", "KE", -1.286, 36.817);

/// One event of a test report: what it says, and the words its spans cover.
#[derive(Clone)]
pub(crate) struct Spec {
    pub kind: SubEventType,
    pub date: Date,
    pub place: Place,
    pub place_words: &'static str,
    pub actor1: Option<(&'static str, Inter, &'static str)>,
    pub actor2: Option<(&'static str, Inter, &'static str)>,
    pub deaths: u32,
    pub evidence: &'static str,
}

fn span_of(text: &str, words: &str) -> Span {
    let start = text.find(words).unwrap_or_else(|| panic!("{words:?} is not in the report"));
    Span::of(text, TextRange::new(start, start + words.len()))
}

/// A document and its record, as the pipeline would give them.
pub(crate) fn report(
    key: &str,
    outlet: &str,
    published: Date,
    text: &str,
    specs: &[Spec],
) -> (RawDocument, DocumentRecord) {
    let mut raw = RawDocument::text(key, text.to_owned());
    raw.outlet = Some(outlet.to_owned());
    raw.published = Some(published);
    let events = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let actor = |a: Option<(&str, Inter, &str)>| {
                a.map(|(name, inter, words)| ActorRef { name: name.to_owned(), inter, span: span_of(text, words) })
            };
            let (name, admin1, country, iso, lat, lon) = s.place;
            Event {
                id: format!("{key}-e{i}"),
                event_type: s.kind.event_type(),
                sub_event_type: s.kind,
                disorder_type: s.kind.disorder_type(),
                event_date: Some(s.date),
                time_precision: 1,
                actor1: actor(s.actor1),
                assoc_actor_1: vec![],
                actor2: actor(s.actor2),
                assoc_actor_2: vec![],
                location: Some(Location {
                    name: name.to_owned(),
                    admin1: Some(admin1.to_owned()),
                    admin2: None,
                    country: Some(country.to_owned()),
                    iso: Some(iso.to_owned()),
                    latitude: lat,
                    longitude: lon,
                    geo_precision: 1,
                    geonameid: None,
                    span: span_of(text, s.place_words),
                }),
                fatalities: s.deaths,
                civilian_targeting: false,
                source: Source { outlet: Some(outlet.to_owned()), attribution: None, certainty: Certainty::Reported },
                evidence: span_of(text, s.evidence),
                confidence: 0.8,
            }
        })
        .collect();
    let record = DocumentRecord {
        document: DocumentMeta {
            id: key.to_owned(),
            title: text.lines().next().map(str::to_owned),
            published: Some(published),
            outlet: Some(outlet.to_owned()),
            text: Some(text.to_owned()),
            ..DocumentMeta::default()
        },
        events,
        places: vec![],
        actors: vec![],
        diagnostics: vec![],
    };
    (raw, record)
}

pub(crate) fn prepared(docs: &[(RawDocument, DocumentRecord)]) -> Vec<PreparedDocument> {
    let config = FusionConfig::builtin();
    docs.iter().map(|(raw, rec)| prepare(raw, rec.clone(), content_hash(raw, None), None, &config)).collect()
}

/// Every fused event as JSON Lines, in query order.
pub(crate) fn all_jsonl(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    store
        .query(&sitrep_store::Query::default(), |row| {
            out.push(row.json.clone());
            Ok(())
        })
        .unwrap();
    out
}

/// The corpus of these tests: three reports of one airstrike on Mosul, one
/// of a clash in Bartella the same day (a near-miss), one of a car bomb in
/// Gao, and a protest in Nairobi.
pub(crate) fn corpus() -> Vec<(RawDocument, DocumentRecord)> {
    let d = Date::constant(2016, 11, 3);
    let strike = |evidence: &'static str, place_words: &'static str, deaths: u32| Spec {
        kind: SubEventType::AirDroneStrike,
        date: d,
        place: MOSUL,
        place_words,
        actor1: None,
        actor2: None,
        deaths,
        evidence,
    };
    vec![
        report(
            "wire-1",
            "Northern Wire",
            d,
            "Coalition jets hit convoy in Mosul\n\nMOSUL, Iraq -- Coalition jets struck an Islamic State convoy \
             on the eastern edge of Mosul on Thursday, killing eight militants.",
            &[Spec {
                actor1: Some(("Global Coalition Against Daesh", Inter::External, "Coalition jets")),
                actor2: Some(("Islamic State (Iraq)", Inter::RebelGroups, "Islamic State convoy")),
                ..strike(
                    "Coalition jets struck an Islamic State convoy on the eastern edge of Mosul on Thursday, \
                     killing eight militants.",
                    "Mosul",
                    8,
                )
            }],
        ),
        report(
            "gulf-1",
            "Gulf Daily",
            d,
            "Warplanes bomb militant column\n\nAt least 10 fighters died when warplanes bombed a column of \
             vehicles leaving Mosul convoy routes, an Iraqi commander said.",
            &[strike(
                "At least 10 fighters died when warplanes bombed a column of vehicles leaving Mosul convoy routes, \
                 an Iraqi commander said.",
                "Mosul",
                10,
            )],
        ),
        report(
            "radio-1",
            "Tigris Radio",
            d,
            "Blasts heard in east Mosul\n\nResidents described loud blasts as an air raid hit a convoy of \
             militant trucks in Mosul; eight bodies were recovered. Separately, troops fought snipers in \
             Bartella, losing three soldiers.",
            &[
                strike(
                    "Residents described loud blasts as an air raid hit a convoy of militant trucks in Mosul; eight \
                     bodies were recovered.",
                    "Mosul",
                    8,
                ),
                Spec {
                    kind: SubEventType::ArmedClash,
                    place: BARTELLA,
                    place_words: "Bartella",
                    actor1: Some(("Military Forces of Iraq (2014-)", Inter::StateForces, "troops")),
                    ..strike("troops fought snipers in Bartella, losing three soldiers.", "Bartella", 3)
                },
            ],
        ),
        report(
            "sahel-1",
            "Sahel Observer",
            Date::constant(2017, 1, 18),
            "Truck bomb hits Gao camp\n\nGAO, Mali -- A suicide bomber drove a truck packed with explosives into \
             a military camp in Gao, killing 60.",
            &[Spec {
                kind: SubEventType::SuicideBomb,
                date: Date::constant(2017, 1, 18),
                place: GAO,
                place_words: "Gao",
                actor1: Some(("Al Mourabitoune", Inter::RebelGroups, "A suicide bomber")),
                actor2: None,
                deaths: 60,
                evidence: "A suicide bomber drove a truck packed with explosives into a military camp in Gao, killing 60.",
            }],
        ),
        report(
            "star-1",
            "East Africa Star",
            Date::constant(2017, 10, 10),
            "Opposition marches in Nairobi\n\nOpposition supporters marched through central Nairobi on Tuesday \
             demanding the removal of election officials.",
            &[Spec {
                kind: SubEventType::PeacefulProtest,
                date: Date::constant(2017, 10, 10),
                place: NAIROBI,
                place_words: "Nairobi",
                actor1: Some(("Protesters (Kenya)", Inter::Protesters, "Opposition supporters")),
                actor2: None,
                deaths: 0,
                evidence: "Opposition supporters marched through central Nairobi on Tuesday demanding the removal of \
                           election officials.",
            }],
        ),
    ]
}

/// A fresh store in a temporary directory.
pub(crate) fn fresh(dir: &Path) -> Store {
    Store::open(&dir.join("corpus.db")).unwrap()
}
