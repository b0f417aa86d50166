//! Every input kind, and every kind of bad input: each gives documents or a
//! diagnostic naming the file (and line or record), and the batch goes on.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use super::*;

const REPORT: &str = "Gunmen attack market in Gao\n\nGAO, Mali (Wire) -- Gunmen killed four traders at a market in Gao on Tuesday, local officials said.\n";
const PAGE: &str = "<!DOCTYPE html><html><head><title>Protest in Harare</title></head><body><p>Police fired tear gas at hundreds of vendors in Harare on Monday.</p></body></html>";

fn read(paths: &[PathBuf]) -> Vec<Item> {
    Reader::new(paths, ReadOptions::default()).collect()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\nWARC-Target-URI: http://example.org/{uri}\r\nWARC-Date: 2016-11-04T08:00:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(body: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{body}").into_bytes()
}

fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

fn err(item: &Item) -> &Diagnostic {
    item.as_ref().expect_err("expected a diagnostic")
}

#[test]
fn reads_text_html_and_gzipped_html() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "a.txt", REPORT.as_bytes());
    let h = write(dir.path(), "b.html", PAGE.as_bytes());
    let g = write(dir.path(), "c.html.gz", &gz(PAGE.as_bytes()));
    let items = read(&[t.clone(), h, g]);
    assert_eq!(items.len(), 3);
    let a = items[0].as_ref().unwrap();
    assert_eq!(a.id, t.display().to_string());
    assert_eq!(a.body, Body::Text(REPORT.to_owned()));
    assert!(matches!(&items[1].as_ref().unwrap().body, Body::Html(h) if h == PAGE));
    assert!(matches!(&items[2].as_ref().unwrap().body, Body::Html(h) if h == PAGE));
}

#[test]
fn directories_are_walked_in_name_order_and_hidden_files_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    write(dir.path(), "b.txt", b"Second report text.");
    write(dir.path(), "a.txt", b"First report text.");
    write(&dir.path().join("sub"), "c.txt", b"Third report text.");
    write(dir.path(), ".hidden.txt", b"Never read.");
    let ids: Vec<String> = read(&[dir.path().to_path_buf()])
        .into_iter()
        .map(|i| i.unwrap().id.rsplit('/').next().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["a.txt", "b.txt", "c.txt"]);
}

#[test]
fn jsonl_lines_become_documents_and_malformed_lines_are_diagnosed() {
    let dir = tempfile::tempdir().unwrap();
    let data = concat!(
        r#"{"id": "r1", "text": "Troops entered the town.", "published": "2016-11-04", "outlet": "Wire"}"#,
        "\n\n",
        r#"{"id": "r2", "text": "#,
        "\n",
        r#"{"id": 3, "html": "<p>Rebels seized the base.</p>", "url": "http://example.org/3"}"#,
        "\n",
        r#"{"id": "r4"}"#,
        "\n",
        r#"["not", "an", "object"]"#,
        "\n",
        r#"{"id": "r6", "text": "Protesters marched.", "published": "last week"}"#,
    );
    let p = write(dir.path(), "news.jsonl", data.as_bytes());
    let items = read(&[p]);
    assert_eq!(items.len(), 6, "{items:#?}");
    let r1 = items[0].as_ref().unwrap();
    assert_eq!((r1.id.as_str(), r1.line), ("r1", Some(1)));
    assert_eq!(r1.published, Some(Date::constant(2016, 11, 4)));
    assert_eq!(r1.outlet.as_deref(), Some("Wire"));
    let bad = err(&items[1]);
    assert_eq!((bad.code, bad.line), ("malformed-jsonl", Some(3)));
    assert!(bad.file.as_deref().unwrap().ends_with("news.jsonl"));
    let r3 = items[2].as_ref().unwrap();
    assert_eq!(r3.id, "3");
    assert!(matches!(&r3.body, Body::Html(_)));
    assert_eq!((err(&items[3]).code, err(&items[3]).line), ("missing-field", Some(5)));
    assert_eq!(err(&items[4]).line, Some(6));
    assert_eq!(err(&items[4]).code, "malformed-jsonl");
    let r6 = items[5].as_ref().unwrap();
    assert_eq!((r6.id.as_str(), r6.line, r6.diagnostics[0].code), ("r6", Some(7), "bad-date"));
}

#[test]
fn jsonl_bad_date_is_a_warning_not_a_skip() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "d.jsonl", br#"{"id": "x", "text": "Police arrested ten.", "published": "last week"}"#);
    let items = read(&[p]);
    let doc = items[0].as_ref().unwrap();
    assert_eq!(doc.published, None);
    assert_eq!(doc.diagnostics[0].code, "bad-date");
    assert_eq!(doc.diagnostics[0].line, Some(1));
}

#[test]
fn warc_html_responses_become_documents() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = warc_record("warcinfo", "info", "application/warc-fields", b"software: test\r\n");
    data.extend(warc_record("request", "r0", "application/http; msgtype=request", b"GET / HTTP/1.1\r\n\r\n"));
    data.extend(warc_record("response", "p1", "application/http; msgtype=response", &http_response(PAGE)));
    let img = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
    data.extend(warc_record("response", "img", "application/http; msgtype=response", img));
    data.extend(warc_record(
        "response",
        "p2",
        "application/http; msgtype=response",
        &http_response("<p>Second page.</p>"),
    ));
    let p = write(dir.path(), "crawl.warc.gz", &gz(&data));
    let items = read(&[p]);
    assert_eq!(items.len(), 3, "{items:#?}");
    let d = items[0].as_ref().unwrap();
    assert_eq!(d.id, "urn:uuid:p1");
    assert_eq!(d.url.as_deref(), Some("http://example.org/p1"));
    assert_eq!(d.published, Some(Date::constant(2016, 11, 4)));
    assert!(matches!(&d.body, Body::Html(h) if h == PAGE));
    assert_eq!(err(&items[1]).code, "bad-http");
    assert_eq!(err(&items[1]).line, Some(4));
    assert_eq!(items[2].as_ref().unwrap().id, "urn:uuid:p2");
}

#[test]
fn truncated_warc_keeps_the_records_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = warc_record("response", "p1", "application/http; msgtype=response", &http_response(PAGE));
    let second = warc_record("response", "p2", "application/http; msgtype=response", &http_response(PAGE));
    data.extend_from_slice(&second[..second.len() / 2]);
    let p = write(dir.path(), "cut.warc", &data);
    let next = write(dir.path(), "next.txt", b"A report after the broken file.");
    let items = read(&[p, next]);
    assert_eq!(items.len(), 3, "{items:#?}");
    assert!(items[0].is_ok());
    let d = err(&items[1]);
    assert_eq!((d.code, d.line), ("truncated-warc", Some(2)));
    assert!(d.message.contains("record 2"), "{}", d.message);
    assert!(items[2].is_ok(), "the batch goes on after a broken file");
}

#[test]
fn truncated_gzip_is_diagnosed_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let long: String = std::iter::repeat_n(REPORT, 200).collect();
    let z = gz(long.as_bytes());
    let p = write(dir.path(), "cut.html.gz", &z[..z.len() / 2]);
    let jl = gz(b"{\"id\":\"a\",\"text\":\"One.\"}\n{\"id\":\"b\",\"text\":\"Two.\"}\n");
    let q = write(dir.path(), "cut.jsonl.gz", &jl[..jl.len() - 12]);
    let ok = write(dir.path(), "ok.txt", REPORT.as_bytes());
    let items = read(&[p, q, ok]);
    assert_eq!(err(&items[0]).code, "truncated-gzip");
    assert!(err(&items[0]).file.as_deref().unwrap().ends_with("cut.html.gz"));
    // The cut JSONL stream still yields what could be decompressed, then says where it broke.
    assert!(items[1..items.len() - 1].iter().any(|i| matches!(i, Err(d) if d.code == "truncated-gzip")), "{items:#?}");
    assert!(items.last().unwrap().is_ok());
}

#[test]
fn empty_binary_and_invalid_utf8_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let e = write(dir.path(), "empty.txt", b"");
    let w = write(dir.path(), "blank.txt", b"  \n\n ");
    let b = write(dir.path(), "junk.bin", &(0u8..=255).cycle().take(5000).collect::<Vec<_>>());
    let u = write(dir.path(), "latin.txt", b"Clashes in Bouak\xE9 left two dead.");
    let items = read(&[e, w, b, u]);
    assert_eq!(err(&items[0]).code, "empty");
    assert_eq!(err(&items[1]).code, "empty");
    assert_eq!(err(&items[2]).code, "binary-input");
    assert!(err(&items[2]).file.as_deref().unwrap().ends_with("junk.bin"));
    let doc = items[3].as_ref().unwrap();
    assert_eq!(doc.body, Body::Text("Clashes in Bouak\u{FFFD} left two dead.".to_owned()));
    assert_eq!(doc.diagnostics[0].code, "invalid-utf8");
}

#[test]
fn a_200_mb_file_is_skipped_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.txt");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: costs no disk
    let ok = write(dir.path(), "ok.txt", REPORT.as_bytes());
    let items = read(&[p, ok]);
    let d = err(&items[0]);
    assert_eq!(d.code, "too-large");
    assert!(d.message.contains("200.0 MiB"), "{}", d.message);
    assert!(items[1].is_ok());
}

#[test]
fn oversized_jsonl_line_is_skipped_with_its_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!("{{\"id\":\"big\",\"text\":\"{}\"}}\n", "x".repeat(4000));
    let data = format!("{{\"id\":\"a\",\"text\":\"Small.\"}}\n{big}{{\"id\":\"c\",\"text\":\"Small.\"}}\n");
    let p = write(dir.path(), "big.jsonl", data.as_bytes());
    let items: Vec<Item> = Reader::new(&[p], ReadOptions { max_document_bytes: 1000 }).collect();
    assert_eq!(items.len(), 3);
    assert_eq!((err(&items[1]).code, err(&items[1]).line), ("too-large", Some(2)));
    assert_eq!(items[2].as_ref().unwrap().id, "c");
}

#[test]
fn missing_files_are_diagnosed() {
    let items = read(&[PathBuf::from("/nonexistent/sitrep/x.txt")]);
    assert_eq!(err(&items[0]).code, "unreadable");
    assert_eq!(err(&items[0]).file.as_deref(), Some("/nonexistent/sitrep/x.txt"));
}

#[test]
fn unknown_extensions_are_sniffed() {
    let dir = tempfile::tempdir().unwrap();
    let h = write(dir.path(), "page", PAGE.as_bytes());
    let j = write(dir.path(), "feed.dat", b"{\"id\":\"j\",\"text\":\"Shelling hit Aleppo.\"}\n");
    let g = write(dir.path(), "blob", &gz(REPORT.as_bytes()));
    let items = read(&[h, j, g]);
    assert!(matches!(&items[0].as_ref().unwrap().body, Body::Html(_)));
    assert_eq!(items[1].as_ref().unwrap().id, "j");
    assert!(matches!(&items[2].as_ref().unwrap().body, Body::Text(t) if t == REPORT));
}

#[test]
fn iso_dates() {
    assert_eq!(parse_iso_date("2016-11-04"), Some(Date::constant(2016, 11, 4)));
    assert_eq!(parse_iso_date("2016-11-04T10:00:00Z"), Some(Date::constant(2016, 11, 4)));
    assert_eq!(parse_iso_date("2016-13-04"), None);
    assert_eq!(parse_iso_date("04/11/2016"), None);
    assert_eq!(parse_iso_date("2016"), None);
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600), ext in proptest::sample::select(vec!["txt", "html", "jsonl", "warc", "warc.gz", "html.gz", "bin"])) {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), &format!("x.{ext}"), &bytes);
        for item in read(&[p]) {
            if let Err(d) = item {
                proptest::prop_assert!(d.file.is_some());
            }
        }
    }
}
