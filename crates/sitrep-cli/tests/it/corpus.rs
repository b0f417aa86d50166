//! `sitrep ingest`, `query`, `export` and `recode` end to end, including an
//! ingest killed with SIGKILL and resumed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sitrep_store::Store;

use crate::{root, sitrep};

/// A JSONL corpus of `n` short wire reports written for this test (towns,
/// outlets, numbers and days vary with the index).
fn write_corpus(path: &Path, n: usize) {
    const TOWNS: [(&str, &str); 6] = [
        ("Mosul", "Iraq"),
        ("Gao", "Mali"),
        ("Beledweyne", "Somalia"),
        ("Kandahar", "Afghanistan"),
        ("Maiduguri", "Nigeria"),
        ("Taiz", "Yemen"),
    ];
    const OUTLETS: [&str; 4] = ["Northern Wire", "Gulf Daily", "Sahel Observer", "Horn Dispatch"];
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let (town, country) = TOWNS[i % TOWNS.len()];
        let outlet = OUTLETS[(i / 7) % OUTLETS.len()];
        let day = 1 + (i % 27);
        let killed = 2 + (i % 11);
        let text = format!(
            "Fighting near {town}\n\n{upper}, {country} ({outlet}) -- Gunmen attacked a checkpoint on the edge of \
             {town} on Monday, killing {killed} soldiers, local officials said. Report number {i} said the \
             attackers fled on motorcycles.",
            upper = town.to_uppercase()
        );
        let line =
            serde_json::json!({"id": format!("report-{i:05}"), "text": text, "published": format!("2016-03-{day:02}")});
        writeln!(f, "{line}").unwrap();
    }
    f.flush().unwrap();
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn query_all(db: &Path) -> String {
    let out = sitrep(&["query", "--db", db.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn ingesting_the_same_inputs_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    let db = db.to_str().unwrap();
    let first = sitrep(&["ingest", "examples/", "--db", db, "--published", "2016-05-17"], None);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stderr(&first).contains("read 7 document(s): 7 new, 0 replaced, 0 unchanged"), "{}", stderr(&first));
    let counts = Store::open_read_only(Path::new(db)).unwrap().counts().unwrap();
    let before = query_all(Path::new(db));

    let again = sitrep(&["ingest", "examples/", "--db", db, "--published", "2016-05-17"], None);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stderr(&again).contains("read 7 document(s): 0 new, 0 replaced, 7 unchanged"), "{}", stderr(&again));
    assert!(!stderr(&again).contains("fused"), "nothing changed: no fusion pass");
    assert_eq!(Store::open_read_only(Path::new(db)).unwrap().counts().unwrap(), counts);
    assert_eq!(query_all(Path::new(db)), before);

    // recode with the same engine changes nothing either.
    let recode = sitrep(&["recode", "--db", db], None);
    assert!(recode.status.success(), "{}", stderr(&recode));
    assert!(stderr(&recode).contains("recoded 7 document(s): 0 changed, 7 unchanged"), "{}", stderr(&recode));
    assert_eq!(query_all(Path::new(db)), before);
}

#[test]
fn an_ingest_killed_mid_run_resumes_without_loss_or_duplicates() {
    const N: usize = 2500;
    const BATCH: u64 = 20;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("reports.jsonl");
    write_corpus(&corpus, N);
    let db = dir.path().join("killed.db");
    let args = |db: &Path| {
        vec![
            "ingest".to_owned(),
            corpus.to_str().unwrap().to_owned(),
            "--db".into(),
            db.to_str().unwrap().to_owned(),
            "--batch-size".into(),
            BATCH.to_string(),
            "-j".into(),
            "1".into(),
        ]
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args(&db))
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for a few committed batches, reading the database while the ingest writes it.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    let mut queried = false;
    while seen < 3 * BATCH {
        assert!(Instant::now() < deadline, "the ingest committed nothing in time");
        assert!(child.try_wait().unwrap().is_none(), "the ingest finished before it could be killed; make N larger");
        if let Ok(store) = Store::open_read_only(&db) {
            seen = store.counts().map(|c| c.documents).unwrap_or(0);
            if seen > 0 && !queried {
                let out = sitrep(&["query", "--db", db.to_str().unwrap(), "--limit", "5"], None);
                assert!(out.status.success(), "a reader works during the ingest: {}", stderr(&out));
                // The ingest fuses its events at the end: meanwhile readers get the last fused state
                // (none yet), and are told so.
                assert!(stderr(&out).contains("has events not fused yet"), "{}", stderr(&out));
                assert!(out.stdout.is_empty(), "nothing fused before the run ends");
                queried = true;
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let killed_at = Store::open_read_only(&db).unwrap().counts().unwrap();
    assert!(killed_at.documents >= 3 * BATCH && (killed_at.documents as usize) < N, "{killed_at:?}");
    assert_eq!(killed_at.documents % BATCH, 0, "only whole batches are committed: {killed_at:?}");

    // Resume: the committed documents are found and skipped, the rest written once.
    let resumed = Command::new(env!("CARGO_BIN_EXE_sitrep")).args(args(&db)).current_dir(root()).output().unwrap();
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let expect = format!(
        "read {N} document(s): {} new, 0 replaced, {} unchanged",
        N as u64 - killed_at.documents,
        killed_at.documents
    );
    assert!(stderr(&resumed).contains(&expect), "expected {expect:?} in {}", stderr(&resumed));

    // The same as one uninterrupted run, fused events included.
    let clean = dir.path().join("clean.db");
    let once = Command::new(env!("CARGO_BIN_EXE_sitrep")).args(args(&clean)).current_dir(root()).output().unwrap();
    assert!(once.status.success(), "{}", stderr(&once));
    let a = Store::open_read_only(&db).unwrap();
    let b = Store::open_read_only(&clean).unwrap();
    assert_eq!(a.counts().unwrap(), b.counts().unwrap());
    assert_eq!(a.counts().unwrap().documents, N as u64);
    assert!(!a.fusion_pending().unwrap());
    a.check().unwrap();
    assert_eq!(query_all(&db), query_all(&clean));
}

#[test]
fn queries_and_exports_write_the_contract_formats() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("reports.jsonl");
    write_corpus(&corpus, 60);
    let db = dir.path().join("news.db");
    let db_s = db.to_str().unwrap();
    let out = sitrep(&["ingest", corpus.to_str().unwrap(), "--db", db_s, "-q"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "--quiet: {}", stderr(&out));

    let all: Vec<serde_json::Value> = query_all(&db).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let q = |extra: &[&str]| -> Vec<serde_json::Value> {
        let mut args = vec!["query", "--db", db_s];
        args.extend_from_slice(extra);
        let out = sitrep(&args, None);
        assert!(out.status.success(), "{extra:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    // Whatever the coder found, every filter returns a subset that satisfies it.
    for v in &all {
        assert!(v["sources"].as_array().is_some_and(|s| !s.is_empty()));
        assert!(v["n_sources"].as_u64().unwrap() >= 1);
    }
    let located: Vec<&serde_json::Value> = all.iter().filter(|v| !v["location"].is_null()).collect();
    if let Some(first) = located.first() {
        let iso = first["location"]["iso"].as_str().unwrap_or("XX");
        let by_country = q(&["--country", iso]);
        assert!(!by_country.is_empty());
        assert!(by_country.iter().all(|v| v["location"]["iso"] == iso));
        let (lat, lon) =
            (first["location"]["latitude"].as_f64().unwrap(), first["location"]["longitude"].as_f64().unwrap());
        let near = q(&["--near", &format!("{lat},{lon}"), "--radius-km", "1"]);
        assert!(near.iter().any(|v| v["id"] == first["id"]));
    }
    let since = q(&["--since", "2016-03-10", "--until", "2016-03-12"]);
    assert!(since.iter().all(|v| {
        let d = v["event_date"].as_str().unwrap();
        ("2016-03-10"..="2016-03-12").contains(&d)
    }));
    assert!(q(&["--min-sources", "1000"]).is_empty());
    assert!(q(&["--limit", "2"]).len() <= 2);
    let texts = q(&["--text", "motorcycles"]);
    assert_eq!(texts.len(), all.iter().filter(|v| v.to_string().contains("motorcycles")).count());

    // Bad arguments are one-line errors.
    let bad = sitrep(&["query", "--db", db_s, "--sub-event-type", "Picnic"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown sub-event type \"Picnic\""), "{}", stderr(&bad));
    let bad = sitrep(&["query", "--db", db_s, "--text", "\"open"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("news.db: bad full-text query"), "{}", stderr(&bad));

    for (format, check) in
        [("acled-csv", "event_id_cnty,event_date"), ("geojson", "{\"type\":\"FeatureCollection\""), ("jsonl", "")]
    {
        let out_file = dir.path().join(format!("export.{format}"));
        let out = sitrep(&["export", "--db", db_s, "--format", format, "-o", out_file.to_str().unwrap()], None);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        let text = std::fs::read_to_string(&out_file).unwrap();
        assert!(text.starts_with(check), "{format}: {}", &text[..text.len().min(80)]);
    }
    let jsonl = std::fs::read_to_string(dir.path().join("export.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), all.len());
    let parquet = dir.path().join("export.parquet");
    let out = sitrep(&["export", "--db", db_s, "--format", "parquet", "-o", parquet.to_str().unwrap()], None);
    if cfg!(feature = "parquet") {
        assert!(out.status.success(), "{}", stderr(&out));
        let bytes = std::fs::read(&parquet).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "a Parquet file");
    } else {
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("without Parquet support"), "{}", stderr(&out));
    }
}

#[test]
fn faults_give_one_line_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    // Not a database.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "these are not the pages you are looking for").unwrap();
    let out = sitrep(&["ingest", "examples/", "--db", junk.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let msg = stderr(&out);
    assert!(msg.contains("junk.db: not a sitrep database"), "{msg}");
    assert_eq!(std::fs::read(&junk).unwrap(), b"these are not the pages you are looking for");
    // A query on a missing file.
    let out = sitrep(&["query", "--db", dir.path().join("missing.db").to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.db: cannot open: no such file"), "{}", stderr(&out));

    // A full disk (the database limited to a few pages): the batch is rolled back.
    let db = dir.path().join("small.db");
    let ok = sitrep(&["ingest", "examples/text", "--db", db.to_str().unwrap(), "-q"], None);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before = Store::open_read_only(&db).unwrap().counts().unwrap();
    let corpus = dir.path().join("reports.jsonl");
    write_corpus(&corpus, 300);
    let full = sitrep(
        &[
            "ingest",
            corpus.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--batch-size",
            "1000",
            "--max-db-pages",
            "60",
        ],
        None,
    );
    assert_eq!(full.status.code(), Some(2), "{}", stderr(&full));
    assert!(stderr(&full).contains("small.db: the disk is full"), "{}", stderr(&full));
    let after = Store::open_read_only(&db).unwrap();
    assert_eq!(after.counts().unwrap(), before, "nothing of the failed batch was written");
    after.check().unwrap();
}

/// Three outlets' reports of one bombing (written for this test) and a protest elsewhere.
const MARKET_BOMBING: [(&str, &str); 4] = [
    (
        "a.txt",
        "Suicide bomber kills 14 at Mogadishu market\n\nMOGADISHU, Somalia (Horn Dispatch) -- A suicide bomber blew \
         himself up at a crowded market in Mogadishu on Tuesday, killing 14 people, police said.\n\nAl-Shabaab said it \
         carried out the attack.\n",
    ),
    (
        "b.txt",
        "Market blast in Somali capital\n\nMOGADISHU, Somalia (Northern Wire) -- At least 16 people were killed when a \
         suicide bomber detonated explosives at a busy market in Mogadishu on Tuesday, a police officer said.\n",
    ),
    (
        "c.txt",
        "Deadly bombing hits Mogadishu\n\nMOGADISHU, Somalia (Gulf Daily) -- A suicide bombing at a market in Mogadishu \
         on Tuesday killed 14 shoppers and traders, witnesses said.\n",
    ),
    (
        "d.txt",
        "Protesters march in Nairobi\n\nNAIROBI, Kenya (East Africa Star) -- Hundreds of opposition supporters marched \
         peacefully through central Nairobi on Tuesday to demand electoral reforms.\n",
    ),
];

#[test]
fn reports_of_one_event_from_three_outlets_become_one_fused_event() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (name, text) in MARKET_BOMBING {
        std::fs::write(docs.join(name), text).unwrap();
    }
    let mut outputs = Vec::new();
    // All at once, and one document at a time in another order: the same fused events.
    for (run, order) in [vec![0, 1, 2, 3], vec![3, 2, 0, 1]].into_iter().enumerate() {
        let db = dir.path().join(format!("run-{run}.db"));
        let db_s = db.to_str().unwrap();
        let inputs: Vec<String> =
            order.iter().map(|&i| docs.join(MARKET_BOMBING[i].0).to_str().unwrap().to_owned()).collect();
        if run == 0 {
            let mut args = vec!["ingest", "--db", db_s, "--published", "2019-03-06", "-q"];
            args.extend(inputs.iter().map(String::as_str));
            let out = sitrep(&args, None);
            assert!(out.status.success(), "{}", stderr(&out));
        } else {
            for input in &inputs {
                let out = sitrep(&["ingest", "--db", db_s, "--published", "2019-03-06", "-q", input], None);
                assert!(out.status.success(), "{}", stderr(&out));
            }
        }
        outputs.push(query_all(&db));
    }
    assert_eq!(outputs[0], outputs[1], "fusion does not depend on ingest order");
    let fused: Vec<serde_json::Value> = outputs[0].lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(fused.len(), 2, "{fused:#?}");
    let bombing = fused.iter().find(|v| v["sub_event_type"] == "Suicide bomb").expect("the bombing is coded");
    assert_eq!(bombing["n_sources"], 3);
    assert_eq!(bombing["location"]["name"], "Mogadishu");
    assert_eq!(bombing["fatalities"], 14, "the lowest count");
    assert_eq!(bombing["fatalities_range"], serde_json::json!([14, 16]));
    assert_eq!(bombing["source"]["outlet"], "Gulf Daily; Horn Dispatch; Northern Wire");
    // Each source's evidence is a span of its own document.
    for src in bombing["sources"].as_array().unwrap() {
        let doc = src["document"].as_str().unwrap();
        let text = std::fs::read_to_string(doc).unwrap();
        let ev = &src["evidence"];
        let (a, b) = (ev["start"].as_u64().unwrap() as usize, ev["end"].as_u64().unwrap() as usize);
        assert_eq!(&text[a..b], ev["text"].as_str().unwrap());
    }
}
