use std::io::Write;

use crate::{check_spans, json_lines, root, sitrep};

#[test]
fn bundled_examples_are_read_in_order_with_metadata() {
    let out = sitrep(&["extract", "examples/", "--published", "2016-05-17", "--include-text"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = json_lines(&out);
    let ids: Vec<&str> = docs.iter().map(|d| d["document"]["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "examples/html/04-airstrike-saada.html",
            "examples/html/05-protest-nairobi.html",
            "wire-2016-01-12-cairo-arrests",
            "wire-2016-02-03-aleppo-shelling",
            "examples/text/01-battle-beledweyne.txt",
            "examples/text/02-roadside-bomb-kandahar.txt",
            "examples/text/03-displacement-maiduguri.txt",
        ]
    );
    for d in &docs {
        for key in ["document", "events", "places", "actors", "diagnostics"] {
            assert!(d.get(key).is_some(), "{key} missing");
        }
        let text = d["document"]["text"].as_str().unwrap();
        assert!(!text.is_empty());
        check_spans(d, text);
    }
    let battle = &docs[4]["document"];
    assert_eq!(battle["title"], "Al-Shabaab fighters and Somali troops clash near Beledweyne");
    assert_eq!(battle["outlet"], "Sitrep Wire");
    assert_eq!(battle["published"], "2016-05-17");
    let text = battle["text"].as_str().unwrap();
    assert!(text.ends_with("could not be independently verified."), "boilerplate cut: {text:?}");
    assert_eq!(docs[2]["document"]["published"], "2016-01-12", "a document's own date wins over --published");
}

#[test]
fn the_seed_report_keeps_its_title_and_loses_its_boilerplate() {
    let seed = root().join("../shared/corpus/seed/000_b619a92c805febae.txt");
    assert!(seed.exists(), "this test reads the seed report from ../shared beside the repository");
    let seed = seed.to_str().unwrap();
    let out = sitrep(&["extract", seed, "--published", "2016-11-04", "--include-text"], None);
    assert!(out.status.success());
    let docs = json_lines(&out);
    assert_eq!(docs.len(), 1);
    let doc = &docs[0]["document"];
    assert_eq!(doc["title"], "Iraqi troops inside ISIS-held Mosul for first time since 2014");
    let text = doc["text"].as_str().unwrap();
    assert!(!text.contains("Exit mobile version"));
    let original = std::fs::read_to_string(seed).unwrap();
    assert!(original.starts_with(text), "the article is a prefix of the file: offsets never move");
    check_spans(&docs[0], text);
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = std::fs::File::create(dir.path().join("many.jsonl")).unwrap();
    for i in 0..700 {
        writeln!(f, r#"{{"id": "r{i}", "published": "2016-02-0{}", "text": "Clashes broke out in Gao on Monday. Report {i} says {} people fled."}}"#, 1 + i % 9, i * 3).unwrap();
        if i % 97 == 0 {
            writeln!(f, "{{ broken line {i}").unwrap();
        }
    }
    drop(f);
    let input = dir.path().to_str().unwrap().to_owned();
    let run = |threads: &str, format: &str| {
        let out = sitrep(&["extract", &input, "examples/", "--format", format, "-j", threads, "--quiet"], None);
        assert!(out.status.success());
        out.stdout
    };
    for format in ["jsonl", "acled-csv", "geojson"] {
        let one = run("1", format);
        assert!(!one.is_empty());
        assert_eq!(one, run("2", format), "{format}: 1 vs 2 threads");
        assert_eq!(one, run("4", format), "{format}: 1 vs 4 threads");
    }
    let lines = run("3", "jsonl");
    assert_eq!(lines.iter().filter(|&&b| b == b'\n').count(), 700 + 8 + 7, "documents, skipped lines, examples");
}

#[test]
fn other_formats_are_well_formed() {
    let out = sitrep(&["extract", "examples/", "--format", "acled-csv", "--quiet"], None);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"));
    let out = sitrep(&["extract", "examples/", "--format", "geojson", "--quiet"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert!(v["features"].is_array());
}

#[test]
fn bad_inputs_are_diagnosed_by_file_and_line_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("a-empty.txt"), b"").unwrap();
    std::fs::write(p("b-junk.bin"), (0u8..=255).cycle().take(4096).collect::<Vec<u8>>()).unwrap();
    std::fs::write(p("c-latin1.txt"), b"Riots in Bouak\xE9\n\nRioters burned tyres in Bouak\xE9 on Friday.").unwrap();
    std::fs::write(p("d-feed.jsonl"), b"{\"id\":\"ok1\",\"text\":\"Police arrested ten in Harare.\"}\nnot json\n{\"id\":\"ok2\",\"text\":\"Troops left Gao.\"}\n").unwrap();
    let mut gz = flate2_gzip(
        b"<html><body><p>A page that will be cut short in transit.</p></body></html>".repeat(50).as_slice(),
    );
    gz.truncate(gz.len() / 2);
    std::fs::write(p("e-cut.html.gz"), gz).unwrap();
    let nested =
        format!("<html><body>{}<p>Deep text.</p>{}</body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000));
    std::fs::write(p("f-nested.html"), nested).unwrap();
    std::fs::write(p("g-ok.txt"), b"Protest in Dakar\n\nStudents marched in Dakar on Monday.").unwrap();
    let out = sitrep(&["extract", dir.path().to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "skips are not failures: {stderr}");
    assert!(stderr.contains("a-empty.txt: warning[empty]"), "{stderr}");
    assert!(stderr.contains("b-junk.bin: error[binary-input]"), "{stderr}");
    assert!(stderr.contains("c-latin1.txt: warning[invalid-utf8]"), "{stderr}");
    assert!(stderr.contains("d-feed.jsonl:2: error[malformed-jsonl]"), "{stderr}");
    assert!(stderr.contains("e-cut.html.gz: error[truncated-gzip]"), "{stderr}");
    assert!(stderr.contains("skipped 4"), "{stderr}");
    let docs = json_lines(&out);
    let ids: Vec<String> =
        docs.iter().map(|d| d["document"]["id"].as_str().unwrap().rsplit('/').next().unwrap().to_owned()).collect();
    assert_eq!(
        ids,
        [
            "a-empty.txt",
            "b-junk.bin",
            "c-latin1.txt",
            "ok1",
            "d-feed.jsonl:2",
            "ok2",
            "e-cut.html.gz",
            "f-nested.html",
            "g-ok.txt"
        ]
    );
    assert_eq!(docs[0]["diagnostics"][0]["code"], "empty");
    assert_eq!(docs[4]["diagnostics"][0]["line"], 2);
}

#[test]
fn stdin_is_read_when_no_input_is_given() {
    let out = sitrep(&["extract", "--quiet"], Some(b"{\"id\":\"s1\",\"text\":\"Clashes in Gao.\"}\n"));
    assert!(out.status.success());
    assert_eq!(json_lines(&out)[0]["document"]["id"], "s1");
    let out = sitrep(&["extract", "-", "--quiet"], Some(b"Headline here\n\nBody text of the report."));
    assert_eq!(json_lines(&out)[0]["document"]["title"], "Headline here");
}

#[test]
fn nothing_readable_or_a_bad_argument_fails_with_one_line() {
    let out = sitrep(&["extract", "/nonexistent/sitrep-input"], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/nonexistent/sitrep-input: error[unreadable]"), "{stderr}");
    let out = sitrep(&["extract", "examples/", "--published", "yesterday"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--published"));
    let out = sitrep(&["extract", "examples/", "--format", "xml"], None);
    assert_eq!(out.status.code(), Some(2));
}

fn flate2_gzip(data: &[u8]) -> Vec<u8> {
    use flate2::write::GzEncoder;
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}
