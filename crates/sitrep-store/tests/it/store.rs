use sitrep_model::{Date, SubEventType};
use sitrep_store::{Disposition, ExportFormat, FusedWriter, Known, Query, Store};

use crate::{all_jsonl, corpus, fresh, prepared};

#[test]
fn writing_the_same_content_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh(dir.path());
    let docs = prepared(&corpus());
    let first = store.write_batch(&docs).unwrap();
    assert!(first.iter().all(|d| *d == Disposition::New));
    assert_eq!(store.counts().unwrap().documents, 5);
    assert!(store.fusion_pending().unwrap());
    store.fuse().unwrap();
    assert!(!store.fusion_pending().unwrap());
    let counts = store.counts().unwrap();
    assert_eq!((counts.documents, counts.events, counts.fused), (5, 6, 4));
    let before = all_jsonl(&store);

    let again = store.write_batch(&docs).unwrap();
    assert!(again.iter().all(|d| *d == Disposition::Unchanged), "{again:?}");
    assert_eq!(store.counts().unwrap(), counts);
    assert!(!store.fusion_pending().unwrap(), "nothing new: fusion stays clean");
    assert_eq!(store.known(docs[0].key(), docs[0].hash()).unwrap(), Known::Unchanged);
    let f = store.fuse().unwrap();
    assert_eq!((f.created, f.updated, f.removed), (0, 0, 0));
    assert_eq!(all_jsonl(&store), before);
}

#[test]
fn a_changed_document_replaces_its_records_and_a_copy_is_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh(dir.path());
    store.write_batch(&prepared(&corpus())).unwrap();
    store.fuse().unwrap();

    // The Gulf Daily report is corrected: a new toll, no longer the same content.
    let mut docs = corpus();
    revise_toll(&mut docs[1]);
    let changed = prepared(&docs[1..2]);
    assert_eq!(store.known(changed[0].key(), changed[0].hash()).unwrap(), Known::Changed);
    assert_eq!(store.write_batch(&changed).unwrap(), vec![Disposition::Replaced]);
    let counts = store.counts().unwrap();
    assert_eq!((counts.documents, counts.events), (5, 6), "replaced, not added");

    // The same content under another key is not stored twice.
    let (mut raw, mut rec) = corpus().remove(3);
    raw.id = "mirror/sahel-1".into();
    rec.document.id = "mirror/sahel-1".into();
    let copy = prepared(&[(raw, rec)]);
    assert_eq!(store.write_batch(&copy).unwrap(), vec![Disposition::Duplicate("sahel-1".into())]);
    assert_eq!(store.counts().unwrap().documents, 5);

    let f = store.fuse().unwrap();
    assert_eq!(f.fused, 4);
    assert_eq!((f.created, f.updated, f.removed), (0, 1, 0), "only the Mosul strike was rebuilt: {f:?}");
    let mosul = fused_where(&store, &Query { countries: vec!["IQ".into()], ..Query::default() });
    let strike = mosul.iter().find(|v| v["sub_event_type"] == "Air/drone strike").unwrap();
    assert_eq!(strike["fatalities_range"], serde_json::json!([8, 12]));
}

#[test]
fn reports_of_one_event_fuse_and_near_misses_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh(dir.path());
    store.write_batch(&prepared(&corpus())).unwrap();
    let f = store.fuse().unwrap();
    assert_eq!((f.events, f.fused, f.created), (6, 4, 4));
    let rows = fused_where(&store, &Query::default());
    let strike = rows.iter().find(|v| v["sub_event_type"] == "Air/drone strike").unwrap();
    assert_eq!(strike["n_sources"], 3);
    assert_eq!(strike["sources"].as_array().unwrap().len(), 3);
    assert_eq!(strike["fatalities"], 8, "the lowest credible count");
    assert_eq!(strike["fatalities_range"], serde_json::json!([8, 10]));
    assert_eq!(strike["source"]["outlet"], "Gulf Daily; Northern Wire; Tigris Radio");
    // Spans of the fused event point into its representative document's text.
    let doc = strike["document"].as_str().unwrap();
    let text = corpus().into_iter().find(|(r, _)| r.id == doc).unwrap().1.document.text.unwrap();
    let ev = &strike["evidence"];
    let (s, e) = (ev["start"].as_u64().unwrap() as usize, ev["end"].as_u64().unwrap() as usize);
    assert_eq!(&text[s..e], ev["text"].as_str().unwrap());
    // The Bartella clash (same day, 23 km away, same article as one strike report) is its own event.
    let clash = rows.iter().find(|v| v["sub_event_type"] == "Armed clash").unwrap();
    assert_eq!(clash["n_documents"], 1);
}

#[test]
fn fusion_does_not_depend_on_ingest_order() {
    let docs = corpus();
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for (i, order) in [[0, 1, 2, 3, 4], [4, 2, 0, 3, 1], [1, 3, 4, 0, 2]].iter().enumerate() {
        let mut store = Store::open(&dir.path().join(format!("order-{i}.db"))).unwrap();
        // One document per batch, fusing after each: the incremental path.
        for &k in order {
            store.write_batch(&prepared(&docs[k..=k])).unwrap();
            store.fuse().unwrap();
        }
        outputs.push(all_jsonl(&store));
    }
    assert_eq!(outputs[0].len(), 4);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

fn fused_where(store: &Store, q: &Query) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    store
        .query(q, |row| {
            out.push(serde_json::from_str(&row.json).unwrap());
            Ok(())
        })
        .unwrap();
    out
}

fn types(store: &Store, q: &Query) -> Vec<String> {
    fused_where(store, q).iter().map(|v| v["sub_event_type"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn queries_filter_by_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh(dir.path());
    store.write_batch(&prepared(&corpus())).unwrap();
    store.fuse().unwrap();
    let all = Query::default();
    assert_eq!(types(&store, &all).len(), 4);
    // Ordered by date (then id).
    let dates: Vec<String> =
        fused_where(&store, &all).iter().map(|v| v["event_date"].as_str().unwrap().to_owned()).collect();
    assert_eq!(dates, ["2016-11-03", "2016-11-03", "2017-01-18", "2017-10-10"]);

    let q = |f: &dyn Fn(&mut Query)| {
        let mut q = Query::default();
        f(&mut q);
        types(&store, &q)
    };
    assert_eq!(q(&|q| q.countries = vec!["Iraq".into()]).len(), 2, "by name");
    assert_eq!(q(&|q| q.countries = vec!["iq".into(), "ML".into()]).len(), 3, "by ISO code, any case");
    assert!(q(&|q| q.countries = vec!["Atlantis".into()]).is_empty());
    assert_eq!(q(&|q| q.admin1 = vec!["nineveh".into()]).len(), 2);
    assert_eq!(q(&|q| q.event_types = vec!["Battles".into()]), ["Armed clash"]);
    assert_eq!(q(&|q| q.sub_event_types = vec![SubEventType::SuicideBomb.name().into()]), ["Suicide bomb"]);
    assert_eq!(q(&|q| q.actors = vec!["coalition".into()]), ["Air/drone strike"], "any report's actors, any case");
    assert_eq!(q(&|q| q.actors = vec!["global coal".into()]), ["Air/drone strike"], "the last word may be cut short");
    assert_eq!(q(&|q| q.actors = vec!["100%".into()]).len(), 0);
    assert_eq!(q(&|q| q.actors = vec!["%".into()]).len(), 0);
    assert_eq!(q(&|q| q.actors = vec!["Mourabitoune".into(), "Iraq".into()]).len(), 3, "any of them");
    assert_eq!(
        q(&|q| {
            q.since = Some(Date::constant(2017, 1, 1));
            q.until = Some(Date::constant(2017, 6, 30));
        }),
        ["Suicide bomb"]
    );
    // 30 km around Mosul takes Bartella (23 km) too; 10 km does not.
    assert_eq!(q(&|q| q.near = Some((36.34, 43.12, 30.0))).len(), 2);
    assert_eq!(q(&|q| q.near = Some((36.34, 43.12, 10.0))), ["Air/drone strike"]);
    assert_eq!(q(&|q| q.text = Some("bodies AND recovered".into())), ["Air/drone strike"], "evidence of any report");
    assert_eq!(q(&|q| q.text = Some("\"truck packed\"".into())), ["Suicide bomb"]);
    assert_eq!(q(&|q| q.min_sources = Some(2)), ["Air/drone strike"]);
    assert_eq!(q(&|q| q.limit = Some(1)).len(), 1);
    assert_eq!(
        q(&|q| {
            q.countries = vec!["IQ".into()];
            q.text = Some("snipers".into());
        }),
        ["Armed clash"]
    );

    let bad = Query { text: Some("\"unbalanced".into()), ..Query::default() };
    let err = store.query(&bad, |_| Ok(())).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("corpus.db") && msg.contains("bad full-text query"), "{msg}");
}

#[test]
fn exports_write_every_contract_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh(dir.path());
    store.write_batch(&prepared(&corpus())).unwrap();
    store.fuse().unwrap();
    let export = |format| {
        let mut w = FusedWriter::new(format, Vec::new(), store.path()).unwrap();
        store.query(&Query::default(), |row| w.write(row)).unwrap();
        String::from_utf8(w.finish().unwrap()).unwrap()
    };
    let jsonl = export(ExportFormat::Jsonl);
    assert_eq!(jsonl.lines().count(), 4);
    let csv = export(ExportFormat::AcledCsv);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(r.headers().unwrap().len(), 31);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let strike = rows.iter().find(|r| &r[6] == "Air/drone strike").unwrap();
    assert_eq!(&strike[25], "Gulf Daily; Northern Wire; Tigris Radio", "ACLED's source column lists every outlet");
    assert_eq!(&strike[28], "8");
    let geo: serde_json::Value = serde_json::from_str(&export(ExportFormat::GeoJson)).unwrap();
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), 4);
    let strike = features.iter().find(|f| f["properties"]["sub_event_type"] == "Air/drone strike").unwrap();
    assert_eq!(strike["geometry"]["coordinates"], serde_json::json!([43.119, 36.335]));
    assert_eq!(strike["properties"]["n_sources"], 3);
}

#[test]
fn readers_work_while_a_writer_holds_a_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let mut store = Store::open(&path).unwrap();
    store.write_batch(&prepared(&corpus()[..3])).unwrap();
    store.fuse().unwrap();
    // Another connection holds the write lock (as an ingest between batches does).
    let writer = rusqlite::Connection::open(&path).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE; DELETE FROM events;").unwrap();
    let reader = Store::open_read_only(&path).unwrap();
    assert_eq!(all_jsonl(&reader).len(), 2, "the reader sees the last committed state");
    assert_eq!(reader.counts().unwrap().events, 4);
    writer.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn recode_keeps_unchanged_events_and_reports_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh(dir.path());
    let docs = corpus();
    store.write_batch(&prepared(&docs)).unwrap();
    store.fuse().unwrap();
    let before = all_jsonl(&store);

    let stored = store.stored_documents(0, 100).unwrap();
    assert_eq!(stored.len(), 5);
    assert_eq!(stored[0].raw, docs[0].0, "documents come back exactly as they were read");
    // Same analysis: nothing changes.
    let same = store.recode_batch(&prepared(&docs)).unwrap();
    assert!(same.iter().all(|o| !o.changed));
    assert_eq!(same.iter().map(|o| o.events_unchanged).sum::<u64>(), 6);
    assert!(!store.fusion_pending().unwrap());

    // A new engine codes the Bartella clash with a toll of 4 and finds a second event in the Gao report.
    let mut newer = corpus();
    newer[2].1.events[1].fatalities = 4;
    let mut extra = newer[3].1.events[0].clone();
    extra.id = "sahel-1-e1".into();
    extra.sub_event_type = SubEventType::ArmedClash;
    extra.event_type = SubEventType::ArmedClash.event_type();
    extra.disorder_type = SubEventType::ArmedClash.disorder_type();
    newer[3].1.events.push(extra);
    let outcomes = store.recode_batch(&prepared(&newer)).unwrap();
    let total = |f: fn(&sitrep_store::RecodeOutcome) -> u64| outcomes.iter().map(f).sum::<u64>();
    assert_eq!(outcomes.iter().filter(|o| o.changed).count(), 2);
    assert_eq!(total(|o| o.events_unchanged), 5);
    assert_eq!(total(|o| o.events_changed), 1);
    assert_eq!(total(|o| o.events_added), 1);
    assert_eq!(total(|o| o.events_removed), 0);
    let f = store.fuse().unwrap();
    assert_eq!((f.created, f.updated, f.removed, f.unchanged), (1, 1, 0, 3), "{f:?}");
    let after = all_jsonl(&store);
    // The airstrike, the Gao bombing and the protest are byte-identical, ids included.
    let same_records = before.iter().filter(|b| after.contains(b)).count();
    assert_eq!(same_records, 3);
}

/// Two strike reports a day and 8 km apart (too far apart to fuse alone), and a report between them
/// in place and time that links both.
fn bridged() -> Vec<(sitrep_ingest::RawDocument, sitrep_model::DocumentRecord)> {
    use crate::{Spec, report};
    let d = Date::constant(2017, 2, 20);
    let strike = |date: Date, lon: f64, place_words: &'static str, evidence: &'static str| Spec {
        kind: SubEventType::AirDroneStrike,
        date,
        place: ("Mosul", "Nineveh", "Iraq", "IQ", 36.335, lon),
        place_words,
        actor1: None,
        actor2: None,
        deaths: 3,
        evidence,
    };
    let (x, b, y) = (
        "Drones struck a depot west of the river, killing three guards.",
        "A drone strike on a depot and fuel trucks killed three near the river.",
        "Fuel trucks burned after a strike from the air; three drivers died.",
    );
    vec![
        report("x-1", "River Post", d, &format!("Depot hit\n\nMOSUL -- {x}"), &[strike(d, 43.119, "MOSUL", x)]),
        report(
            "y-1",
            "Valley News",
            d,
            &format!("Trucks burn\n\nMOSUL -- {y}"),
            &[strike(d.tomorrow().unwrap(), 43.251, "MOSUL", y)],
        ),
        report("b-1", "Plains Daily", d, &format!("Strike on depot\n\nMOSUL -- {b}"), &[strike(d, 43.185, "MOSUL", b)]),
    ]
}

/// A store of `docs` written, then fused by one full pass.
fn fused_reference(
    dir: &std::path::Path,
    name: &str,
    docs: &[(sitrep_ingest::RawDocument, sitrep_model::DocumentRecord)],
) -> Store {
    let mut store = Store::open(&dir.join(name)).unwrap();
    store.write_batch(&prepared(docs)).unwrap();
    store.fuse().unwrap();
    store
}

/// The bridge of [`bridged`], corrected to a week earlier.
fn corrected_bridge(
    bridge: &(sitrep_ingest::RawDocument, sitrep_model::DocumentRecord),
) -> (sitrep_ingest::RawDocument, sitrep_model::DocumentRecord) {
    let mut moved = bridge.clone();
    let sitrep_ingest::Body::Text(t) = &mut moved.0.body else { unreachable!("text report") };
    t.push_str(" (Corrected: the strike was a week earlier.)");
    moved.1.document.text = Some(t.clone());
    moved.1.events[0].event_date = Some(Date::constant(2017, 2, 13));
    moved
}

/// A report whose death toll was revised: new content, its first event changed.
fn revise_toll((raw, rec): &mut (sitrep_ingest::RawDocument, sitrep_model::DocumentRecord)) {
    let sitrep_ingest::Body::Text(t) = &mut raw.body else { unreachable!("text report") };
    t.push_str(" The toll was later revised.");
    rec.document.text = Some(t.clone());
    rec.events[0].fatalities = 12;
}

#[test]
fn fusing_as_batches_are_written_gives_the_fused_events_of_a_full_pass() {
    let mut docs = corpus();
    docs.extend(bridged());
    let dir = tempfile::tempdir().unwrap();
    // The reference: everything written, then one full pass.
    let mut full = fused_reference(dir.path(), "full.db", &docs);
    let reference = all_jsonl(&full);
    let feb =
        Query { since: Some(Date::constant(2017, 2, 1)), until: Some(Date::constant(2017, 2, 28)), ..Query::default() };
    let bridge = fused_where(&full, &feb);
    assert_eq!(bridge.len(), 1, "the middle report links the other two: {bridge:#?}");
    assert_eq!(bridge[0]["n_documents"], 3);

    // A then B, B then A, A + B at once, and one document at a time: fused as written.
    let (a, b): (Vec<usize>, Vec<usize>) = (0..docs.len()).partition(|i| i % 2 == 0);
    let single: Vec<Vec<usize>> = (0..docs.len()).rev().map(|i| vec![i]).collect();
    let orders: Vec<Vec<Vec<usize>>> =
        vec![vec![a.clone(), b.clone()], vec![b, a], vec![(0..docs.len()).collect()], single];
    for (n, batches) in orders.iter().enumerate() {
        let mut store = Store::open(&dir.path().join(format!("batches-{n}.db"))).unwrap();
        for batch in batches {
            let these: Vec<_> = batch.iter().map(|&i| docs[i].clone()).collect();
            let (written, _) = store.write_batch_fused(&prepared(&these)).unwrap();
            assert!(written.iter().all(|d| *d == Disposition::New));
            assert!(!store.fusion_pending().unwrap(), "fused with the batch");
        }
        assert_eq!(all_jsonl(&store), reference, "batches {batches:?}");
        // A full pass finds nothing to change.
        let f = store.fuse().unwrap();
        assert_eq!((f.created, f.updated, f.removed), (0, 0, 0), "batches {batches:?}");
    }

    // The bridge alone, then what it links: two fused events become one.
    let mut store = Store::open(&dir.path().join("bridge.db")).unwrap();
    let parts = bridged();
    let (_, f) = store.write_batch_fused(&prepared(&parts[..2])).unwrap();
    assert_eq!(f.fused, 2);
    let (_, f) = store.write_batch_fused(&prepared(&parts[2..])).unwrap();
    assert_eq!((f.fused, f.created, f.removed), (1, 1, 2), "{f:?}");
    // The bridge is corrected to another day: what it linked falls apart again, as in a full pass.
    let moved = corrected_bridge(&parts[2]);
    let (written, f) = store.write_batch_fused(&prepared(std::slice::from_ref(&moved))).unwrap();
    assert_eq!(written, vec![Disposition::Replaced]);
    assert_eq!((f.fused, f.created, f.removed), (3, 3, 1), "{f:?}");
    let reference = fused_reference(dir.path(), "bridge-full.db", &[parts[0].clone(), parts[1].clone(), moved]);
    assert_eq!(all_jsonl(&store), all_jsonl(&reference));

    // A corrected report replaces its events, and its fused event is rebuilt, as in a full pass.
    revise_toll(&mut docs[1]);
    let changed = prepared(&docs[1..2]);
    let mut store = Store::open(&dir.path().join("batches-0.db")).unwrap();
    let (written, f) = store.write_batch_fused(&changed).unwrap();
    assert_eq!(written, vec![Disposition::Replaced]);
    assert_eq!((f.created, f.updated, f.removed), (0, 1, 0), "{f:?}");
    full.write_batch(&changed).unwrap();
    full.fuse().unwrap();
    assert_eq!(all_jsonl(&store), all_jsonl(&full));
}

#[test]
fn two_writers_taking_turns_fuse_what_the_other_wrote() {
    // Each writer keeps what it read of the fusion neighbourhood between its batches; a batch the
    // other committed in between must be seen: the bridge written by the first writer links the
    // report the second one wrote.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let parts = bridged();
    let mut first = Store::open(&path).unwrap();
    let mut second = Store::open(&path).unwrap();
    first.write_batch_fused(&prepared(&parts[..1])).unwrap();
    second.write_batch_fused(&prepared(&parts[1..2])).unwrap();
    let (_, f) = first.write_batch_fused(&prepared(&parts[2..])).unwrap();
    assert_eq!((f.fused, f.created, f.removed), (1, 1, 2), "{f:?}");
    let reference = fused_reference(dir.path(), "full.db", &parts);
    assert_eq!(all_jsonl(&first), all_jsonl(&reference));
}

#[test]
fn a_fused_event_of_one_report_is_rebuilt_from_it_and_older_stores_are_converted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let mut store = Store::open(&path).unwrap();
    store.write_batch_fused(&prepared(&corpus())).unwrap();
    let before = all_jsonl(&store);
    let json_of = |key: &str| before.iter().find(|j| j.contains(&format!("\"id\":\"{key}\""))).unwrap().clone();
    drop(store);
    let c = rusqlite::Connection::open(&path).unwrap();
    let rows = |sql: &str| -> Vec<(String, i64)> {
        c.prepare(sql).unwrap().query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let stored =
        rows("SELECT key, (SELECT count(*) FROM fused_members WHERE cluster = c.id) FROM clusters c WHERE json = ''");
    // Four fused events: the airstrike of three reports, and three of one report each.
    assert_eq!(stored.len(), 3, "{stored:?}");
    assert!(stored.iter().all(|(_, members)| *members == 1));
    // A store of schema 3 kept every fused event's JSON: migrating converts it, and readers give the same.
    for (key, _) in &stored {
        c.execute("UPDATE clusters SET json = ?1 WHERE key = ?2", [json_of(key), key.clone()]).unwrap();
    }
    c.execute_batch("PRAGMA user_version = 3").unwrap();
    assert!(rows("SELECT key, 0 FROM clusters WHERE json = ''").is_empty());
    drop(c);
    let store = Store::open(&path).unwrap();
    assert_eq!(all_jsonl(&store), before);
    drop(store);
    let c = rusqlite::Connection::open(&path).unwrap();
    let blank: i64 = c.query_row("SELECT count(*) FROM clusters WHERE json = ''", [], |r| r.get(0)).unwrap();
    assert_eq!(blank, 3);
}

/// A report with its place and actor mentions (one place resolved with a second-order division, one
/// without, one unresolved; a quote and a backslash in a name).
fn with_mentions() -> (sitrep_ingest::RawDocument, sitrep_model::DocumentRecord) {
    use sitrep_model::{ActorMention, Inter, PlaceMention, Span, TextRange};
    let (raw, mut rec) = corpus().remove(0);
    let text = rec.document.text.clone().unwrap();
    let span = |words: &str| {
        let start = text.find(words).unwrap();
        Span::of(&text, TextRange::new(start, start + words.len()))
    };
    let place = |words: &str, name: Option<&str>, admin2: Option<&str>, point: Option<(f64, f64)>| PlaceMention {
        span: span(words),
        name: name.map(str::to_owned),
        geonameid: name.map(|_| 99_123),
        feature_code: name.map(|_| "PPLA".to_owned()),
        iso: name.map(|_| "IQ".to_owned()),
        country: name.map(|_| "Iraq".to_owned()),
        admin1: name.map(|_| "Nineveh \"North\"".to_owned()),
        admin2: admin2.map(str::to_owned),
        latitude: point.map(|p| p.0),
        longitude: point.map(|p| p.1),
        kind: if name.is_some() { "place" } else { "sub-place" },
        geo_precision: name.map(|_| 1),
        confidence: 0.95,
    };
    let first = text.split_whitespace().next().unwrap().to_owned();
    rec.places = vec![
        place(&first, Some("Mosul"), Some("Mosul \\ District"), Some((36.335_66, -1.533_88))),
        place(&first, Some("Mosul"), None, Some((36.3, 43.119_000_1))),
        place(&first, None, None, None),
    ];
    rec.actors = vec![
        ActorMention { span: span(&first), name: "Coalition".into(), inter: Inter::External, country: None },
        ActorMention {
            span: span(&first),
            name: "Police \"A\"".into(),
            inter: Inter::StateForces,
            country: Some("IQ".into()),
        },
    ];
    (raw, rec)
}

/// Columns of the `places` view: text, start_byte, end_byte, name, geonameid, latitude, json.
type PlaceRow = (String, i64, i64, Option<String>, Option<i64>, Option<f64>, String);

#[test]
fn mention_views_give_the_contract_s_fields_and_older_stores_are_converted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let doc = with_mentions();
    let mut store = Store::open(&path).unwrap();
    store.write_batch_fused(&prepared(std::slice::from_ref(&doc))).unwrap();
    assert_eq!((store.counts().unwrap().places, store.counts().unwrap().actors), (3, 2));
    drop(store);
    let check = |c: &rusqlite::Connection| {
        let places: Vec<PlaceRow> = c
            .prepare("SELECT text, start_byte, end_byte, name, geonameid, latitude, json FROM places ORDER BY ord")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(places.len(), 3);
        for (p, m) in places.iter().zip(&doc.1.places) {
            assert_eq!(p.6, serde_json::to_string(m).unwrap(), "the contract's object, byte for byte");
            assert_eq!(
                (p.0.as_str(), p.1, p.2),
                (m.span.text.as_str(), i64::from(m.span.start), i64::from(m.span.end))
            );
            assert_eq!((&p.3, p.4, p.5), (&m.name, m.geonameid.map(i64::from), m.latitude));
        }
        let actors: Vec<(String, String, i64, Option<String>)> = c
            .prepare("SELECT text, name, inter, country FROM actors ORDER BY ord")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let expected: Vec<_> = doc
            .1
            .actors
            .iter()
            .map(|a| (a.span.text.clone(), a.name.clone(), i64::from(a.inter.code()), a.country.clone()))
            .collect();
        assert_eq!(actors, expected);
    };
    let c = rusqlite::Connection::open(&path).unwrap();
    check(&c);
    let compact: (String, String) =
        c.query_row("SELECT places, actors FROM documents", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    // Each distinct resolution or actor once, mentions by byte range; texts that are the document's bytes are not repeated.
    assert!(compact.0.starts_with("[[[\"Mosul\"") && compact.1.starts_with("[[[\"Coalition\""), "{compact:?}");
    let lengths: (i64, i64, i64, i64) = c
        .query_row(
            "SELECT json_array_length(places, '$[0]'), json_array_length(places, '$[1][0]'), \
                    json_array_length(actors, '$[0]'), json_array_length(actors, '$[1][0]') FROM documents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(lengths, (3, 3, 2, 3), "3 resolutions, 2 actors; mentions without their text");
    // Older schemas: 3 stored the contract's objects, 4 an array of values per mention. Migrating
    // converts both (their views gave the same rows).
    let old_views = include_str!("../../migrations/0001_documents.sql").split("CREATE VIEW places").nth(1).unwrap();
    // Schema 4's views, and its conversion of the objects into an array of values per mention.
    let schema_4 = include_str!("../../migrations/0004_compact.sql").split_once("DROP VIEW places;").unwrap().1;
    let objects = (serde_json::to_string(&doc.1.places).unwrap(), serde_json::to_string(&doc.1.actors).unwrap());
    let schemas = [
        (3, format!("DROP VIEW places; DROP VIEW actors; CREATE VIEW places {old_views}")),
        (4, format!("DROP VIEW places; {schema_4}")),
    ];
    for (version, old) in schemas {
        let (places, actors) = objects.clone();
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute("UPDATE documents SET places = ?1, actors = ?2", [places, actors]).unwrap();
        c.execute_batch(&old).unwrap();
        let stored: String = c.query_row("SELECT places FROM documents", [], |r| r.get(0)).unwrap();
        assert!(stored.starts_with(if version == 3 { "[{" } else { "[[\"" }), "schema {version}: {stored}");
        check(&c);
        c.execute_batch(&format!("PRAGMA user_version = {version}")).unwrap();
        drop(c);
        let store = Store::open(&path).unwrap();
        let counts = store.counts().unwrap();
        drop(store);
        let c = rusqlite::Connection::open(&path).unwrap();
        let converted: String = c.query_row("SELECT places FROM documents", [], |r| r.get(0)).unwrap();
        assert!(converted.starts_with("[[[\"Mosul\""), "from schema {version}: {converted}");
        assert_eq!((counts.places, counts.actors), (3, 2), "from schema {version}");
        check(&c);
    }
}

#[test]
fn a_document_given_twice_in_one_batch_is_fused_as_its_last_copy() {
    // The first copy is written, then replaced within the same transaction: only the second
    // copy's events exist, and only they are fused (in this batch and in the next ones).
    let dir = tempfile::tempdir().unwrap();
    let docs = corpus();
    let (raw, rec) = &docs[1];
    let mut second = (raw.clone(), rec.clone());
    let sitrep_ingest::Body::Text(t) = &mut second.0.body else { unreachable!("text report") };
    t.push_str(" The toll was later revised.");
    second.1.document.text = Some(t.clone());
    second.1.events[0].fatalities = 12;
    let mut twice = docs.clone();
    twice.push(second.clone());
    let mut store = Store::open(&dir.path().join("twice.db")).unwrap();
    let (written, _) = store.write_batch_fused(&prepared(&twice)).unwrap();
    assert_eq!(written.last(), Some(&Disposition::Replaced));
    // A later batch fuses against what is stored, not against the first copy.
    let (_, f) = store.write_batch_fused(&prepared(&bridged())).unwrap();
    let mut reference = Store::open(&dir.path().join("full.db")).unwrap();
    let mut last = docs.clone();
    last[1] = second;
    last.extend(bridged());
    reference.write_batch(&prepared(&last)).unwrap();
    let full = reference.fuse().unwrap();
    assert_eq!(all_jsonl(&store), all_jsonl(&reference));
    assert_eq!(f.fused, full.fused);
    assert_eq!(store.counts().unwrap().events, reference.counts().unwrap().events);
}

#[test]
fn deferred_writes_fused_at_the_end_give_the_fused_events_of_a_full_pass() {
    let mut docs = corpus();
    docs.extend(bridged());
    let dir = tempfile::tempdir().unwrap();
    let mut full = fused_reference(dir.path(), "full.db", &docs);
    let reference = all_jsonl(&full);

    // Batches in several orders, fused once at the end: nothing is fused before, everything after.
    let (a, b): (Vec<usize>, Vec<usize>) = (0..docs.len()).partition(|i| i % 2 == 0);
    let single: Vec<Vec<usize>> = (0..docs.len()).rev().map(|i| vec![i]).collect();
    for (n, batches) in [vec![a.clone(), b.clone()], vec![b, a], single].iter().enumerate() {
        let mut store = Store::open(&dir.path().join(format!("deferred-{n}.db"))).unwrap();
        for batch in batches {
            let these: Vec<_> = batch.iter().map(|&i| docs[i].clone()).collect();
            let (written, f) = store.write_batch_deferred(prepared(&these)).unwrap();
            assert!(written.iter().all(|d| *d == Disposition::New));
            assert_eq!((f.events, f.created), (0, 0), "nothing fused yet: {f:?}");
            assert!(store.fusion_pending().unwrap(), "marked pending in the batch's transaction");
        }
        assert_eq!(store.counts().unwrap().fused, 0, "readers see the last fused state");
        let f = store.fuse_pending().unwrap();
        assert_eq!((f.events, f.created, f.removed), (store.counts().unwrap().events, f.fused, 0), "{f:?}");
        assert!(!store.fusion_pending().unwrap());
        assert_eq!(all_jsonl(&store), reference, "batches {batches:?}");
        let again = store.fuse().unwrap();
        assert_eq!((again.created, again.updated, again.removed), (0, 0, 0), "batches {batches:?}");
    }

    // On a fused store: the bridge deferred after what it links, then corrected in a later batch
    // (its pending events are replaced before they were ever fused).
    let parts = bridged();
    let mut store = Store::open(&dir.path().join("bridge.db")).unwrap();
    store.write_batch_fused(&prepared(&parts[..2])).unwrap();
    store.write_batch_deferred(prepared(&parts[2..])).unwrap();
    let moved = corrected_bridge(&parts[2]);
    let (written, _) = store.write_batch_deferred(prepared(std::slice::from_ref(&moved))).unwrap();
    assert_eq!(written, vec![Disposition::Replaced]);
    let f = store.fuse_pending().unwrap();
    assert_eq!((f.fused, f.created, f.removed), (3, 1, 0), "{f:?}");
    let reference = fused_reference(dir.path(), "bridge-full.db", &[parts[0].clone(), parts[1].clone(), moved]);
    assert_eq!(all_jsonl(&store), all_jsonl(&reference));

    // A stored report corrected by a deferred batch: its fused event is rebuilt when fused.
    revise_toll(&mut docs[1]);
    let changed = prepared(&docs[1..2]);
    let mut store = Store::open(&dir.path().join("deferred-0.db")).unwrap();
    let (written, _) = store.write_batch_deferred(changed.clone()).unwrap();
    assert_eq!(written, vec![Disposition::Replaced]);
    let f = store.fuse_pending().unwrap();
    assert_eq!((f.created, f.updated, f.removed), (0, 1, 0), "{f:?}");
    full.write_batch(&changed).unwrap();
    full.fuse().unwrap();
    assert_eq!(all_jsonl(&store), all_jsonl(&full));
}

#[test]
fn deferred_events_left_unfused_are_fused_by_the_next_writer() {
    // A writer that stops before fusing (killed) leaves its events pending; another writer, or
    // one that wrote in between, fuses everything.
    let docs = corpus();
    let parts = bridged();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("left.db");
    {
        let mut gone = Store::open(&path).unwrap();
        gone.write_batch_deferred(prepared(&docs)).unwrap();
    }
    let mut next = Store::open(&path).unwrap();
    assert!(next.fusion_pending().unwrap());
    let (_, f) = next.write_batch_deferred(prepared(&parts[..1])).unwrap();
    assert_eq!(f.events, docs.iter().map(|d| d.1.events.len() as u64).sum::<u64>(), "a full pass first: {f:?}");
    // A second writer commits in between: the first one's pending events are fused by a full pass.
    let mut other = Store::open(&path).unwrap();
    other.write_batch_deferred(prepared(&parts[1..2])).unwrap();
    next.write_batch_deferred(prepared(&parts[2..])).unwrap();
    next.fuse_pending().unwrap();
    assert!(!next.fusion_pending().unwrap());
    let mut all = docs;
    all.extend(parts);
    let reference = fused_reference(dir.path(), "full.db", &all);
    assert_eq!(all_jsonl(&next), all_jsonl(&reference));
    // The other writer's view is stale (it never fused): it fuses nothing wrongly.
    other.fuse_pending().unwrap();
    assert_eq!(all_jsonl(&other), all_jsonl(&reference));
}
