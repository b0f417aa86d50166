//! JSON Lines: one document per line.

use std::io::BufRead;

use serde::Deserialize;
use sitrep_model::Diagnostic;

use crate::reader::{Kind, single_document};
use crate::{Item, parse_iso_date};

#[derive(Deserialize)]
struct Line {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    published: Option<String>,
    url: Option<String>,
    outlet: Option<String>,
    title: Option<String>,
}

/// The documents of a JSONL stream, one per non-blank line.
pub(crate) struct JsonlDocs {
    name: String,
    reader: Box<dyn BufRead + Send>,
    line_no: u64,
    max: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlDocs {
    pub(crate) fn new(name: String, reader: Box<dyn BufRead + Send>, max: u64) -> JsonlDocs {
        JsonlDocs { name, reader, line_no: 0, max, buf: Vec::new(), done: false }
    }

    /// Reads one line into `buf`, keeping at most `max` bytes; returns the
    /// line's full length, or `None` at the end of the stream.
    fn read_line(&mut self) -> std::io::Result<Option<u64>> {
        self.buf.clear();
        let mut total: u64 = 0;
        loop {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Ok(if total == 0 { None } else { Some(total) });
            }
            let (part, found) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (&chunk[..=i], true),
                None => (chunk, false),
            };
            let n = part.len();
            let room = usize::try_from(self.max.saturating_sub(self.buf.len() as u64)).unwrap_or(usize::MAX);
            self.buf.extend_from_slice(&part[..n.min(room.saturating_add(1))]);
            total += n as u64;
            self.reader.consume(n);
            if found {
                return Ok(Some(total));
            }
        }
    }

    fn diag(&self, d: Diagnostic) -> Diagnostic {
        d.in_file(self.name.clone()).at_line(self.line_no)
    }

    fn parse(&self) -> Item {
        let line: Line = serde_json::from_slice(&self.buf).map_err(|e| {
            self.diag(Diagnostic::error("malformed-jsonl", format!("not a valid JSON object: {e}: line skipped")))
        })?;
        let id = match line.id {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{}:{}", self.name, self.line_no),
        };
        let (bytes, kind) = match (line.text, line.html) {
            (Some(t), _) => (t, Kind::Text),
            (None, Some(h)) => (h, Kind::Html),
            (None, None) => {
                return Err(self.diag(Diagnostic::error(
                    "missing-field",
                    "the object has neither \"text\" nor \"html\": line skipped",
                )));
            }
        };
        let mut doc = single_document(&self.name, Some(self.line_no), bytes.as_bytes(), kind, None)?;
        doc.id = id;
        if let Some(p) = line.published.as_deref() {
            doc.published = parse_iso_date(p);
            if doc.published.is_none() {
                doc.diagnostics.push(self.diag(Diagnostic::warning(
                    "bad-date",
                    format!("\"published\" is not an ISO date (YYYY-MM-DD): {p:?}; ignored"),
                )));
            }
        }
        doc.url = line.url;
        doc.outlet = line.outlet;
        doc.title = line.title;
        Ok(doc)
    }
}

impl Iterator for JsonlDocs {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.line_no += 1;
            let len = match self.read_line() {
                Ok(Some(len)) => len,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(crate::reader::read_error(&self.name, Some(self.line_no), &e, 0)));
                }
            };
            if len > self.max {
                let opts = crate::ReadOptions { max_document_bytes: self.max };
                return Some(Err(crate::reader::too_large(&self.name, Some(self.line_no), len, &opts)));
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(self.parse());
        }
        None
    }
}
