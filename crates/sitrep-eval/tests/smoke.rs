//! Runs the evaluation on tiny sets written for these tests
//! (`tests/fixtures/`, laid out like `../shared/eval`), first with a scripted
//! engine whose answers are known, so every number of the report can be
//! checked by hand, then with the real pipeline.

use std::path::{Path, PathBuf};

use sitrep_eval::{Engine, EvalOptions, Set, run, run_with};
use sitrep_model::{
    ActorRef, Date, DocumentMeta, DocumentRecord, Event, Inter, Location, PlaceMention, Source, Span, SubEventType,
    TextRange,
};
use sitrep_readable::HtmlArticle;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Codes by keyword, knows two towns, reads the last number as fatalities.
struct Scripted;

fn span(text: &str, needle: &str) -> Option<Span> {
    text.find(needle).map(|i| Span::of(text, TextRange::new(i, i + needle.len())))
}

impl Engine for Scripted {
    fn analyze_text(&self, id: &str, text: &str, published: Option<Date>) -> DocumentRecord {
        let lower = text.to_lowercase();
        let rules = [
            ("airstrike", SubEventType::AirDroneStrike),
            ("clash", SubEventType::ArmedClash),
            ("marched", SubEventType::PeacefulProtest),
            ("fired rockets", SubEventType::ShellingArtilleryMissile),
            ("roadside bomb", SubEventType::RemoteExplosive),
        ];
        let mut record = DocumentRecord {
            document: DocumentMeta { id: id.to_owned(), published, ..DocumentMeta::default() },
            ..DocumentRecord::default()
        };
        let Some((_, sub)) = rules.iter().find(|(k, _)| lower.contains(k)) else {
            return record;
        };
        let location = [("Maiduguri", 11.8333, 13.15, "Borno", "NG"), ("Mogadishu", 2.0371, 45.3438, "Banaadir", "SO")]
            .iter()
            .find_map(|&(name, lat, lon, admin1, iso)| {
                span(text, name).map(|span| Location {
                    name: name.to_owned(),
                    admin1: Some(admin1.to_owned()),
                    admin2: None,
                    country: None,
                    iso: Some(iso.to_owned()),
                    latitude: lat,
                    longitude: lon,
                    geo_precision: 1,
                    geonameid: None,
                    span,
                })
            });
        let actor1 = [
            ("soldiers", "Military Forces of Nigeria", Inter::StateForces),
            ("Boko Haram", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad", Inter::RebelGroups),
            ("traders", "Protesters (Somalia)", Inter::Protesters),
        ]
        .iter()
        .find_map(|&(k, name, inter)| span(text, k).map(|span| ActorRef { name: name.to_owned(), inter, span }));
        let fatalities =
            text.split(|c: char| !c.is_ascii_digit()).filter_map(|w| w.parse::<u32>().ok()).next_back().unwrap_or(0);
        let event_date = published.map(|p| {
            let day = lower.strip_prefix("on ").and_then(|r| r.split(' ').next()).and_then(|d| d.parse::<i8>().ok());
            day.map_or(p, |d| Date::new(p.year(), p.month(), d).unwrap())
        });
        let evidence = span(text, text.split('.').next().unwrap()).unwrap();
        record.events.push(Event {
            id: "e1".into(),
            event_type: sub.event_type(),
            sub_event_type: *sub,
            disorder_type: sub.disorder_type(),
            event_date,
            time_precision: 1,
            actor1,
            assoc_actor_1: Vec::new(),
            actor2: None,
            assoc_actor_2: Vec::new(),
            location,
            fatalities,
            civilian_targeting: false,
            source: Source::default(),
            evidence,
            confidence: if *sub == SubEventType::ArmedClash { 0.9 } else { 0.6 },
        });
        record
    }

    /// Knows Mosul only.
    fn geoparse(&self, text: &str, _url: Option<&str>) -> Vec<PlaceMention> {
        text.match_indices("Mosul")
            .map(|(i, m)| PlaceMention {
                span: Span::of(text, TextRange::new(i, i + m.len())),
                name: Some("Mosul".into()),
                geonameid: Some(99072),
                feature_code: Some("PPLA".into()),
                iso: Some("IQ".into()),
                country: Some("Iraq".into()),
                admin1: Some("Nineveh".into()),
                admin2: None,
                latitude: Some(36.335),
                longitude: Some(43.119),
                kind: "place",
                geo_precision: Some(1),
                confidence: 0.9,
            })
            .collect()
    }

    /// The `<p>`s of the `<article>`, the `<h1>` as title, a fixed site name.
    fn extract_html(&self, html: &str) -> HtmlArticle {
        let article = html.split("<article>").nth(1).and_then(|a| a.split("</article>").next()).unwrap_or("");
        let inner = |s: &str, open: &str, close: &str| -> Vec<String> {
            s.split(open).skip(1).filter_map(|p| p.split(close).next()).map(str::to_owned).collect()
        };
        HtmlArticle {
            text: inner(article, "<p>", "</p>").join("\n\n"),
            title: inner(article, "<h1>", "</h1>").into_iter().next(),
            outlet: Some("Sitrep Wire".to_owned()),
            published: Some(Date::constant(2016, 3, 4)),
            ..HtmlArticle::default()
        }
    }
}

fn opts(sets: &[Set]) -> EvalOptions {
    EvalOptions { sets: Some(sets.to_vec()), ..EvalOptions::default() }
}

#[test]
fn case_numbers_of_a_known_answer() {
    let r = run_with(&fixtures(), &Scripted, &opts(&[Set::Case])).unwrap();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    let c = r.case.as_ref().unwrap();
    assert_eq!((c.snippets, c.acled_snippets, c.outside_snippets), (6, 4, 2));
    // Air: tp 1, fp 1 (the DIPLO snippet) -> F1 .6667; clash: tp 1, fp 1 (the IED snippet) -> .6667;
    // protest: 1.0; IED: 0. Weighted = macro = (.6667 + .6667 + 1 + 0) / 4.
    assert_eq!(c.weighted_f1, 0.5833);
    assert_eq!(c.macro_f1, 0.5833);
    assert_eq!(c.accuracy, 0.75);
    assert_eq!(c.outside_rejected, 0.5);
    assert_eq!((c.micro.correct, c.micro.predicted, c.micro.gold), (3, 5, 4));
    assert_eq!(c.micro.f1, 0.6667);
    // Worst: the confident clash on the IED snippet (0.9) before the airstrike on the DIPLO one (0.6).
    let worst: Vec<(&str, &str, &str)> =
        c.worst.iter().map(|e| (e.id.as_str(), e.gold.as_str(), e.predicted.as_str())).collect();
    assert_eq!(worst, [("4", "REM_EXPLOS", "ARMED_CLASH"), ("6", "DIPLO", "AIR_STRIKE")]);
    // Evidence is a byte range; its text only when asked for.
    assert_eq!(c.worst[0].evidence.text, None);
    let md = r.markdown();
    assert!(md.contains("| REM_EXPLOS | ARMED_CLASH | 1 |"), "{md}");
    assert!(md.contains("bytes 0–"), "{md}");
}

#[test]
fn acled_numbers_of_a_known_answer() {
    let r = run_with(&fixtures(), &Scripted, &opts(&[Set::Acled])).unwrap();
    let a = r.acled.as_ref().unwrap();
    assert_eq!(a.rows, 3);
    assert!(a.skipped.is_empty(), "{:?}", a.skipped);
    assert_eq!(a.coded, 1.0);
    // Row 2 is "Government regains territory" in the gold, an armed clash to the engine.
    assert_eq!(a.event_type_accuracy, 0.6667);
    assert_eq!(a.location.located, 0.6667);
    assert_eq!(a.location.within_25km, 0.6667);
    assert_eq!(a.location.within_100km, 0.6667);
    // Maiduguri is 1.8 km off the gold point, Mogadishu 0 km: median 0.9.
    assert_eq!(a.location.median_km, Some(0.9));
    assert_eq!(a.location.country, 0.6667);
    // "Banaadir" vs the gold "Banadir" is a different spelling: not loosely equal.
    assert_eq!(a.location.admin1, 0.3333);
    assert_eq!(a.fatalities.exact, 1.0);
    assert_eq!(a.fatalities.mae, 0.0);
    assert_eq!(a.fatalities.gold_nonzero, 2);
    // Row 2's actor lacks ACLED's "(2015-)": loose only.
    assert_eq!((a.actor1.exact, a.actor1.loose, a.actor1.inter1), (0.6667, 1.0, 1.0));
    // Row 3 has no date in its note: the engine falls back to the publication
    // date (the month's last day), 9 days off.
    assert_eq!((a.event_date.exact, a.event_date.within_7_days), (0.6667, 0.6667));
    // Rows 1 and 2 name their day ("On 5 January"); both right.
    assert_eq!((a.event_date.stated_rows, a.event_date.stated_exact), (2, 1.0));
    assert_eq!(a.worst.event_type.len(), 1);
    assert_eq!(a.worst.event_type[0].id, "2NIG");
    assert_eq!(a.worst.event_date[0].gold, "2016-02-20");
    assert_eq!(a.worst.event_date[0].predicted, "2016-02-29");
    assert_eq!(a.worst.location[0].predicted, "(no location)");
}

#[test]
fn html_pages_are_scored_by_their_module() {
    let r = run_with(&fixtures(), &Scripted, &opts(&[Set::Html])).unwrap();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    let h = r.html.as_ref().unwrap();
    assert_eq!(h.pages, 1);
    assert_eq!(h.shingle.f1, 1.0);
    assert_eq!((h.title.agreed, h.site_name.agreed, h.date.agreed), (1, 1, 1));
    assert!(r.markdown().contains("Readability HTML pages (1 pages)"));
}

#[test]
fn geoparsing_sets_are_scored_by_their_module() {
    let r = run_with(&fixtures(), &Scripted, &opts(&[Set::Gwn, Set::Lgl])).unwrap();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    let (gwn, lgl) = (r.gwn.as_ref().unwrap(), r.lgl.as_ref().unwrap());
    // GWN: Mosul twice of Mosul, Erbil, Mosul; LGL: nothing of Gao, Gao, Bamako.
    assert_eq!((gwn.detection.correct, gwn.detection.gold, gwn.detection.predicted), (2, 3, 2));
    assert_eq!(gwn.acc_at_161, 1.0);
    assert_eq!((lgl.detection.correct, lgl.detection.gold), (0, 3));
    let md = r.markdown();
    assert!(md.contains("GeoWebNews toponyms (1 articles)") && md.contains("LGL toponyms (1 articles)"), "{md}");
}

#[test]
fn evidence_text_only_when_asked() {
    let o = EvalOptions { evidence_text: true, ..opts(&[Set::Case]) };
    let r = run_with(&fixtures(), &Scripted, &o).unwrap();
    let e = &r.case.as_ref().unwrap().worst[0].evidence;
    assert_eq!(
        e.text.as_deref(),
        Some("A roadside bomb hit an army convoy moments after soldiers clashed with gunmen")
    );
    assert!(r.to_json().contains("\"text\": \"A roadside bomb"));
}

#[test]
fn reports_are_deterministic_and_serialise() {
    let a = run_with(&fixtures(), &Scripted, &opts(&[Set::Case, Set::Acled])).unwrap();
    let b = run_with(&fixtures(), &Scripted, &opts(&[Set::Case, Set::Acled])).unwrap();
    assert_eq!(a.markdown(), b.markdown());
    assert_eq!(a.to_json(), b.to_json());
    let v: serde_json::Value = serde_json::from_str(&a.to_json()).unwrap();
    assert_eq!(v["case"]["weighted_f1"], 0.5833);
    assert_eq!(v["acled"]["event_type_accuracy"], 0.6667);
    let dir = tempfile::tempdir().unwrap();
    let written = a.write_files(dir.path()).unwrap();
    assert_eq!(std::fs::read_to_string(&written[0]).unwrap(), a.markdown());
}

#[test]
fn a_missing_directory_is_an_error_that_says_so() {
    let err = run_with(Path::new("/nonexistent/eval"), &Scripted, &EvalOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("evaluation sets not found"), "{err}");
    let empty = tempfile::tempdir().unwrap();
    let err = run_with(empty.path(), &Scripted, &EvalOptions::default()).unwrap_err();
    assert!(err.to_string().contains("holds none of"), "{err}");
}

#[test]
fn the_real_pipeline_runs_on_every_fixture_set() {
    let pipeline = sitrep::Pipeline::builder().build().unwrap();
    let r = run(&fixtures(), &pipeline, &EvalOptions::default()).unwrap();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    let c = r.case.as_ref().unwrap();
    assert_eq!(c.snippets, 6);
    assert!((0.0..=1.0).contains(&c.weighted_f1));
    let a = r.acled.as_ref().unwrap();
    assert_eq!(a.rows, 3);
    assert!((0.0..=1.0).contains(&a.event_type_accuracy));
    assert!(r.markdown().contains("## ACLED 2016"));
    assert_eq!(r.html.as_ref().unwrap().pages, 1);
    assert!(r.missing.is_empty(), "{:?}", r.missing);
}

/// Panics on snippet 3; otherwise the scripted engine.
struct Panicky;

impl Engine for Panicky {
    fn analyze_text(&self, id: &str, text: &str, published: Option<Date>) -> DocumentRecord {
        assert_ne!(id, "case-3", "engine bug");
        Scripted.analyze_text(id, text, published)
    }
    fn geoparse(&self, text: &str, _url: Option<&str>) -> Vec<PlaceMention> {
        Scripted.geoparse(text, None)
    }
    fn extract_html(&self, html: &str) -> HtmlArticle {
        Scripted.extract_html(html)
    }
}

#[test]
fn an_engine_panic_costs_one_item_and_is_reported() {
    let r = run_with(&fixtures(), &Panicky, &opts(&[Set::Case])).unwrap();
    assert_eq!(r.engine_panic_count, 1);
    assert!(r.engine_panics[0].starts_with("analyze case-3: assertion"), "{:?}", r.engine_panics);
    assert!(r.has_failures());
    // Snippet 3 (a protest) now has no event: accuracy 2 of 4.
    assert_eq!(r.case.as_ref().unwrap().accuracy, 0.5);
    assert!(r.markdown().contains("**The engine panicked 1 times**"));
}
