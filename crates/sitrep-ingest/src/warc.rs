//! WARC files: every HTML `response` (or `resource`) record is one document.
//!
//! Written here rather than taken from the `warc` crate so that a truncated
//! record becomes a diagnostic naming the record, records over the size limit
//! are skipped without being held in memory, and HTTP payloads (chunked,
//! gzip-encoded) are unwrapped.

use std::io::{self, BufRead, Read};

use sitrep_model::Diagnostic;

use crate::reader::{Kind, read_error, single_document, too_large};
use crate::{Item, ReadOptions, parse_iso_date};

pub(crate) struct WarcDocs {
    name: String,
    reader: Box<dyn BufRead + Send>,
    record: u64,
    max: u64,
    done: bool,
}

#[derive(Default)]
struct Header {
    warc_type: String,
    record_id: Option<String>,
    target_uri: Option<String>,
    date: Option<String>,
    content_type: String,
    length: Option<u64>,
}

impl WarcDocs {
    pub(crate) fn new(name: String, reader: Box<dyn BufRead + Send>, max: u64) -> WarcDocs {
        WarcDocs { name, reader, record: 0, max, done: false }
    }

    fn diag(&self, d: Diagnostic) -> Diagnostic {
        d.in_file(self.name.clone()).at_line(self.record)
    }

    /// Reads the next record's header; `Ok(None)` at a clean end of file.
    fn header(&mut self) -> Result<Option<Header>, Diagnostic> {
        let mut line = String::new();
        // Skip the blank lines that end the previous record.
        loop {
            line.clear();
            let n = self.read_line(&mut line)?;
            if n == 0 {
                return Ok(None);
            }
            if !line.trim().is_empty() {
                break;
            }
        }
        self.record += 1;
        if !line.starts_with("WARC/") {
            return Err(self.diag(Diagnostic::error(
                "bad-warc",
                format!(
                    "record {} does not start with a WARC version line (found {:?}): stopped reading this file",
                    self.record,
                    truncate(&line)
                ),
            )));
        }
        let mut h = Header::default();
        loop {
            line.clear();
            if self.read_line(&mut line)? == 0 {
                return Err(self.diag(Diagnostic::error(
                    "truncated-warc",
                    format!("record {} ends inside its header: the file is truncated", self.record),
                )));
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let Some((k, v)) = l.split_once(':') else { continue };
            let v = v.trim().to_owned();
            match k.trim().to_ascii_lowercase().as_str() {
                "warc-type" => h.warc_type = v.to_ascii_lowercase(),
                "warc-record-id" => h.record_id = Some(v.trim_start_matches('<').trim_end_matches('>').to_owned()),
                "warc-target-uri" => h.target_uri = Some(v),
                "warc-date" => h.date = Some(v),
                "content-type" => h.content_type = v.to_ascii_lowercase(),
                "content-length" => h.length = v.parse().ok(),
                _ => {}
            }
        }
        Ok(Some(h))
    }

    fn read_line(&mut self, line: &mut String) -> Result<usize, Diagnostic> {
        // Header lines are short; cap them so junk without newlines can't eat memory.
        let mut bytes = Vec::new();
        let n = (&mut self.reader)
            .take(64 * 1024)
            .read_until(b'\n', &mut bytes)
            .map_err(|e| read_error(&self.name, Some(self.record), &e, 0))?;
        line.push_str(&String::from_utf8_lossy(&bytes));
        Ok(n)
    }

    fn next_record(&mut self) -> Option<Item> {
        loop {
            let h = match self.header() {
                Ok(Some(h)) => h,
                Ok(None) => return None,
                Err(d) => return Some(Err(d)),
            };
            let Some(len) = h.length else {
                return Some(Err(self.diag(Diagnostic::error(
                    "bad-warc",
                    format!("record {} has no Content-Length: stopped reading this file", self.record),
                ))));
            };
            let wanted = is_html_record(&h);
            if !wanted || len > self.max {
                let skipped = io::copy(&mut (&mut self.reader).take(len), &mut io::sink());
                match skipped {
                    Ok(n) if n == len => {}
                    Ok(n) => return Some(Err(self.truncated(len, n))),
                    Err(e) => return Some(Err(read_error(&self.name, Some(self.record), &e, 0))),
                }
                if wanted {
                    let opts = ReadOptions { max_document_bytes: self.max };
                    return Some(Err(too_large(&self.name, Some(self.record), len, &opts)));
                }
                continue;
            }
            let mut block = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
            match (&mut self.reader).take(len).read_to_end(&mut block) {
                Ok(n) if n as u64 == len => {}
                Ok(n) => return Some(Err(self.truncated(len, n as u64))),
                Err(e) => return Some(Err(read_error(&self.name, Some(self.record), &e, block.len()))),
            }
            return Some(self.document(&h, &block));
        }
    }

    fn truncated(&self, len: u64, got: u64) -> Diagnostic {
        self.diag(Diagnostic::error(
            "truncated-warc",
            format!(
                "record {} is truncated: Content-Length says {len} bytes but only {got} remain; stopped reading this file",
                self.record
            ),
        ))
    }

    fn document(&self, h: &Header, block: &[u8]) -> Item {
        let (payload, content_type) = if h.content_type.starts_with("application/http") {
            match http_payload(block) {
                Ok(p) => p,
                Err(why) => {
                    return Err(
                        self.diag(Diagnostic::error("bad-http", format!("record {}: {why}: skipped", self.record)))
                    );
                }
            }
        } else {
            (block.to_vec(), Some(h.content_type.clone()))
        };
        let mut doc = single_document(&self.name, Some(self.record), &payload, Kind::Html, content_type.as_deref())?;
        doc.id = h.record_id.clone().unwrap_or_else(|| format!("{}#{}", self.name, self.record));
        doc.url.clone_from(&h.target_uri);
        doc.published = h.date.as_deref().and_then(parse_iso_date);
        Ok(doc)
    }
}

impl Iterator for WarcDocs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        let item = self.next_record();
        match &item {
            None => self.done = true,
            // Structural damage: the rest of the file can't be trusted.
            Some(Err(d))
                if d.code != "too-large" && d.code != "bad-http" && d.code != "binary-input" && d.code != "empty" =>
            {
                self.done = true;
            }
            _ => {}
        }
        item
    }
}

/// HTML response records and HTML resource records; not requests, metadata, or images.
fn is_html_record(h: &Header) -> bool {
    match h.warc_type.as_str() {
        "response" => h.content_type.starts_with("application/http") || h.content_type.contains("html"),
        "resource" | "conversion" => h.content_type.contains("html"),
        _ => false,
    }
}

/// Splits an HTTP response into its body (de-chunked, gunzipped) and Content-Type.
/// Non-HTML responses are an error so they are skipped with a reason.
fn http_payload(block: &[u8]) -> Result<(Vec<u8>, Option<String>), String> {
    let split = find(block, b"\r\n\r\n").map(|i| (i, 4)).or_else(|| find(block, b"\n\n").map(|i| (i, 2)));
    let Some((head_end, sep)) = split else { return Err("HTTP response without a header end".to_owned()) };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or("");
    let code: u16 = status.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut content_type = None;
    let (mut chunked, mut gzip) = (false, false);
    for l in lines {
        let Some((k, v)) = l.split_once(':') else { continue };
        let v = v.trim().to_ascii_lowercase();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(v),
            "transfer-encoding" => chunked = v.contains("chunked"),
            "content-encoding" => gzip = v.contains("gzip"),
            _ => {}
        }
    }
    if !(200..300).contains(&code) {
        return Err(format!("HTTP status {code}, not a page"));
    }
    if let Some(ct) = content_type.as_ref().filter(|ct| !ct.contains("html")) {
        return Err(format!("Content-Type {ct}, not HTML"));
    }
    let mut body = block[head_end + sep..].to_vec();
    if chunked {
        body = dechunk(&body).ok_or("malformed chunked transfer encoding")?;
    }
    if gzip {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&body[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("gzip-encoded body cannot be decompressed: {e}"))?;
        body = out;
    }
    Ok((body, content_type))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = find(data, b"\r\n")?;
        let size_str = std::str::from_utf8(&data[..eol]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn truncate(s: &str) -> String {
    s.trim_end().chars().take(40).collect()
}
