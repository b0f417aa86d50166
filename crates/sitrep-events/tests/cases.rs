//! Declarative event-coding cases: every `tests/cases/*.toml` file holds
//! `[[case]]` tables (a short report written for the test, its publication
//! date, the events expected, in order, the principal event first). One
//! runner codes each report through segmentation, the embedded gazetteer and
//! the event coder, and checks the expectations and the span invariants.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use sitrep_events::{CodeInput, Coded, EventCoder};
use sitrep_gazetteer::{Gazetteer, GeoHints};
use sitrep_model::{Certainty, Date, DocumentMeta, Event, SubEventType};
use sitrep_text::TextRange;

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// The headline, coded as a first paragraph followed by a blank line.
    title: Option<String>,
    text: String,
    published: Option<String>,
    /// A country known from outside the text (the outlet's home), given to the geoparser as a hint.
    prior: Option<String>,
    /// The exact number of events, when the case cares.
    count: Option<usize>,
    /// No event at all.
    #[serde(default)]
    none: bool,
    #[serde(default)]
    expect: Vec<Expect>,
    /// Sub-event types that must not be coded.
    #[serde(default)]
    absent: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// Sub-event type (taxonomy name or CASE label).
    r#type: String,
    /// Position in the event list (default: the same as in the `expect` list).
    index: Option<usize>,
    actor1: Option<String>,
    actor1_inter: Option<u8>,
    actor2: Option<String>,
    actor2_inter: Option<u8>,
    /// A substring of the location name or of its text.
    location: Option<String>,
    date: Option<String>,
    precision: Option<u8>,
    fatalities: Option<u32>,
    certainty: Option<String>,
    /// A substring of the attribution.
    attribution: Option<String>,
    civilian_targeting: Option<bool>,
}

fn parse_type(s: &str) -> SubEventType {
    match s {
        "FLIGHT" => SubEventType::CivilianFlight,
        "EVACUATION" => SubEventType::Evacuation,
        "CAMP_ARRIVAL" => SubEventType::ArrivalAtCamp,
        _ => SubEventType::parse(s).unwrap_or_else(|| panic!("unknown type {s:?} in a case file")),
    }
}

fn code(coder: &EventCoder, gaz: &Gazetteer, case: &Case) -> (String, Coded) {
    let (text, title, body) = match &case.title {
        Some(t) => {
            let text = format!("{t}\n\n{}", case.text);
            let title = TextRange::new(0, t.len());
            let body = TextRange::new(t.len() + 2, text.len());
            (text, Some(title), body)
        }
        None => (case.text.clone(), None, TextRange::full(&case.text)),
    };
    let seg = sitrep_segment::segment(&text);
    let country_prior = case.prior.iter().map(|c| (c.clone(), 0.5)).collect();
    let geo =
        gaz.geoparse(&text, &GeoHints { region: body, dateline: None, title, country_prior, ..GeoHints::default() });
    let published = case.published.as_deref().map(|d| d.parse::<Date>().expect("published is YYYY-MM-DD"));
    let meta =
        DocumentMeta { id: case.name.clone(), published, outlet: Some("Test Wire".into()), ..Default::default() };
    let input = CodeInput {
        text: &text,
        body,
        title,
        dateline: None,
        seg: &seg,
        geo: &geo,
        meta: &meta,
        actor_scan: None,
        // (The hint stands for the outlet's home, as the pipeline gives both.)
        outlet_country: case.prior.as_deref(),
    };
    let coded = coder.code(&input);
    (text, coded)
}

fn describe(e: &Event) -> String {
    format!(
        "{} | a1 {:?} ({:?}) | a2 {:?} ({:?}) | loc {:?} | date {:?}/{} | fat {} | {:?} {:?} | {:?}",
        e.sub_event_type.name(),
        e.actor1.as_ref().map(|a| &a.name),
        e.actor1.as_ref().map(|a| a.inter.code()),
        e.actor2.as_ref().map(|a| &a.name),
        e.actor2.as_ref().map(|a| a.inter.code()),
        e.location.as_ref().map(|l| (&l.name, &l.span.text)),
        e.event_date,
        e.time_precision,
        e.fatalities,
        e.source.certainty,
        e.source.attribution,
        e.evidence.text,
    )
}

fn check_spans(text: &str, coded: &Coded) -> Vec<String> {
    let mut bad = Vec::new();
    let mut span = |what: &str, s: &sitrep_model::Span| {
        let r = s.range();
        if !r.is_valid_for(text) || text[r] != s.text {
            bad.push(format!("{what} span {r:?} does not slice to {:?}", s.text));
        }
    };
    for e in &coded.events {
        span("evidence", &e.evidence);
        for a in e.actor1.iter().chain(&e.actor2).chain(&e.assoc_actor_1).chain(&e.assoc_actor_2) {
            span("actor", &a.span);
        }
        if let Some(l) = &e.location {
            span("location", &l.span);
        }
    }
    for a in &coded.actors {
        span("actor mention", &a.span);
    }
    bad
}

fn check(e: &Event, x: &Expect) -> Vec<String> {
    let mut bad = Vec::new();
    let want = parse_type(&x.r#type);
    if e.sub_event_type != want {
        bad.push(format!("type {} (want {})", e.sub_event_type.name(), want.name()));
    }
    let contains = |got: Option<&str>, want: &Option<String>, what: &str, bad: &mut Vec<String>| {
        if let Some(w) = want
            && !got.is_some_and(|g| g.to_lowercase().contains(&w.to_lowercase()))
        {
            bad.push(format!("{what} {got:?} (want one containing {w:?})"));
        }
    };
    contains(e.actor1.as_ref().map(|a| a.name.as_str()), &x.actor1, "actor1", &mut bad);
    contains(e.actor2.as_ref().map(|a| a.name.as_str()), &x.actor2, "actor2", &mut bad);
    if let Some(i) = x.actor1_inter
        && e.actor1.as_ref().map(|a| a.inter.code()) != Some(i)
    {
        bad.push(format!("actor1 inter {:?} (want {i})", e.actor1.as_ref().map(|a| a.inter.code())));
    }
    if let Some(i) = x.actor2_inter
        && e.actor2.as_ref().map(|a| a.inter.code()) != Some(i)
    {
        bad.push(format!("actor2 inter {:?} (want {i})", e.actor2.as_ref().map(|a| a.inter.code())));
    }
    if let Some(w) = &x.location {
        let ok = e.location.as_ref().is_some_and(|l| {
            l.name.to_lowercase().contains(&w.to_lowercase()) || l.span.text.to_lowercase().contains(&w.to_lowercase())
        });
        if !ok {
            bad.push(format!("location {:?} (want {w:?})", e.location.as_ref().map(|l| (&l.name, &l.span.text))));
        }
    }
    if let Some(d) = &x.date
        && e.event_date.map(|d| d.to_string()).as_deref() != Some(d.as_str())
    {
        bad.push(format!("date {:?} (want {d})", e.event_date));
    }
    if let Some(p) = x.precision
        && e.time_precision != p
    {
        bad.push(format!("time precision {} (want {p})", e.time_precision));
    }
    if let Some(f) = x.fatalities
        && e.fatalities != f
    {
        bad.push(format!("fatalities {} (want {f})", e.fatalities));
    }
    if let Some(c) = &x.certainty {
        let want = match c.as_str() {
            "reported" => Certainty::Reported,
            "claimed" => Certainty::Claimed,
            "unconfirmed" => Certainty::Unconfirmed,
            other => panic!("unknown certainty {other:?}"),
        };
        if e.source.certainty != want {
            bad.push(format!("certainty {:?} (want {c})", e.source.certainty));
        }
    }
    contains(e.source.attribution.as_deref(), &x.attribution, "attribution", &mut bad);
    if let Some(c) = x.civilian_targeting
        && e.civilian_targeting != c
    {
        bad.push(format!("civilian_targeting {} (want {c})", e.civilian_targeting));
    }
    bad
}

#[test]
fn declarative_cases() {
    let coder = EventCoder::builtin().unwrap_or_else(|e| panic!("{e}"));
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("tests/cases").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let (mut n, mut report) = (0, String::new());
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let src = std::fs::read_to_string(path).expect("case file");
        let file: File = toml::from_str(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.case {
            n += 1;
            let (text, coded) = code(&coder, &gaz, case);
            let mut bad = check_spans(&text, &coded);
            if case.none && !coded.events.is_empty() {
                bad.push("expected no event".into());
            }
            if let Some(c) = case.count
                && coded.events.len() != c
            {
                bad.push(format!("{} events (want {c})", coded.events.len()));
            }
            for a in &case.absent {
                let t = parse_type(a);
                if coded.events.iter().any(|e| e.sub_event_type == t) {
                    bad.push(format!("a {} event was coded", t.name()));
                }
            }
            for (k, x) in case.expect.iter().enumerate() {
                let i = x.index.unwrap_or(k);
                match coded.events.get(i) {
                    Some(e) => bad.extend(check(e, x).into_iter().map(|b| format!("event {i}: {b}"))),
                    None => bad.push(format!("event {i} missing (want {})", x.r#type)),
                }
            }
            if !bad.is_empty() {
                let file_name = path.file_name().unwrap_or_default().to_string_lossy();
                let _ = writeln!(report, "\n{file_name} / {}:", case.name);
                for b in &bad {
                    let _ = writeln!(report, "  - {b}");
                }
                for e in &coded.events {
                    let _ = writeln!(report, "    got: {}", describe(e));
                }
            }
        }
    }
    assert!(n > 0, "no cases found in {}", dir.display());
    assert!(report.is_empty(), "{n} cases; failures:{report}");
}

#[test]
fn user_trigger_file_extends_the_lexicon() {
    let dir = std::env::temp_dir().join(format!("sitrep-events-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("my-triggers.tsv");
    std::fs::write(&path, "# local slang for a raid on a camp\nswooped on\tARMED_CLASH\t5\tfight\n").expect("write");
    let coder = EventCoder::builtin().and_then(|c| c.with_trigger_file(&path)).unwrap_or_else(|e| panic!("{e}"));
    let case = Case {
        name: "user".into(),
        title: None,
        text: "Soldiers swooped on a rebel camp near the border on Monday.".into(),
        published: Some("2020-05-06".into()),
        prior: None,
        count: None,
        none: false,
        expect: Vec::new(),
        absent: Vec::new(),
    };
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    let (_, coded) = code(&coder, &gaz, &case);
    assert_eq!(coded.events.first().map(|e| e.sub_event_type), Some(SubEventType::ArmedClash));
    let (_, plain) = code(&EventCoder::builtin().expect("builtin"), &gaz, &case);
    assert!(plain.events.iter().all(|e| e.sub_event_type != SubEventType::ArmedClash), "{:?}", plain.events);

    std::fs::write(&path, "swooped on\tARMED_CLASH\tfive\tfight\n").expect("write");
    let err = EventCoder::builtin().and_then(|c| c.with_trigger_file(&path)).expect_err("bad weight");
    assert!(err.to_string().ends_with("my-triggers.tsv:1: field `weight`: expected 0-9, got \"five\""), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn coder_is_send_and_sync() {
    fn is<T: Send + Sync>() {}
    is::<EventCoder>();
}

#[test]
fn unresolved_relative_dates_are_reported() {
    let coder = EventCoder::builtin().unwrap_or_else(|e| panic!("{e}"));
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    let mut case = Case {
        name: "no-date".into(),
        title: None,
        text: "Gunmen attacked a police post in Garissa on Thursday.".into(),
        published: None,
        prior: None,
        count: None,
        none: false,
        expect: Vec::new(),
        absent: Vec::new(),
    };
    let (_, coded) = code(&coder, &gaz, &case);
    assert!(coded.diagnostics.iter().any(|d| d.code == "events-no-publication-date"), "{:?}", coded.diagnostics);
    assert_eq!(coded.events.first().and_then(|e| e.event_date), None);
    case.published = Some("2016-01-08".into());
    let (_, coded) = code(&coder, &gaz, &case);
    assert!(coded.diagnostics.is_empty(), "{:?}", coded.diagnostics);
    assert_eq!(coded.events.first().and_then(|e| e.event_date), Some(Date::constant(2016, 1, 7)));
}
