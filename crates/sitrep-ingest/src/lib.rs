//! Reading every input kind sitrep accepts into [`RawDocument`]s.
//!
//! The principal type is [`Reader`], an iterator over the documents of a list
//! of inputs (files, directories walked recursively in a deterministic order,
//! or `-` for standard input). Kinds are chosen by extension and, failing
//! that, by sniffing the first bytes:
//!
//! | kind | one document is |
//! |---|---|
//! | `.txt` (and anything text-like) | the file |
//! | `.html`, `.htm` (also `.gz`) | the page |
//! | `.jsonl` (also `.gz`) | one line: `{"id", "text" or "html", "published"?, "url"?, "outlet"?, "title"?}` |
//! | `.warc`, `.warc.gz` | one HTML `response` record |
//!
//! Nothing here fails on bad input. An input that cannot be read yields an
//! `Err(Diagnostic)` naming the file (and line or record), and the reader goes
//! on with the rest. Memory stays bounded: a document larger than
//! [`ReadOptions::max_document_bytes`] is skipped without being held.
//!
//! ```
//! use sitrep_ingest::{Reader, ReadOptions, Body};
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("a.txt"), "Headline\n\nTroops advanced on Monday.").unwrap();
//! let docs: Vec<_> = Reader::new(&[dir.path().to_path_buf()], ReadOptions::default()).collect();
//! assert_eq!(docs.len(), 1);
//! let doc = docs[0].as_ref().unwrap();
//! assert!(matches!(&doc.body, Body::Text(t) if t.starts_with("Headline")));
//! ```

mod decode;
mod jsonl;
mod reader;
mod warc;

pub use decode::{decode_html, decode_text};
pub use reader::{Reader, Source};

use sitrep_model::{Date, Diagnostic};

/// One document as read from its input, before any analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDocument {
    /// The JSONL `id`, the WARC record id, or the input path.
    pub id: String,
    /// The input it came from (a path, or `-`).
    pub file: String,
    /// The 1-based line (JSONL) or record number (WARC) in `file`.
    pub line: Option<u64>,
    /// The decoded content.
    pub body: Body,
    /// Publication date given by the container (JSONL field, WARC date).
    pub published: Option<Date>,
    /// URL given by the container.
    pub url: Option<String>,
    /// Outlet given by the container.
    pub outlet: Option<String>,
    /// Title given by the container.
    pub title: Option<String>,
    /// Problems met while reading (replaced bytes, guessed charset…).
    pub diagnostics: Vec<Diagnostic>,
}

impl RawDocument {
    /// A plain-text document with no container metadata.
    #[must_use]
    pub fn text(id: &str, text: String) -> RawDocument {
        RawDocument::with_body(id, Body::Text(text))
    }

    /// An HTML document with no container metadata.
    #[must_use]
    pub fn html(id: &str, html: String) -> RawDocument {
        RawDocument::with_body(id, Body::Html(html))
    }

    fn with_body(id: &str, body: Body) -> RawDocument {
        RawDocument {
            id: id.to_owned(),
            file: id.to_owned(),
            line: None,
            body,
            published: None,
            url: None,
            outlet: None,
            title: None,
            diagnostics: Vec::new(),
        }
    }
}

/// Decoded content of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// Plain text; offsets index this string exactly.
    Text(String),
    /// An HTML page, decoded to UTF-8 from its declared or sniffed charset.
    Html(String),
}

/// What a reader accepts.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Documents (a file, a JSONL line, a WARC record, a decompressed page)
    /// larger than this are skipped with a diagnostic. Default: 32 MiB.
    pub max_document_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions { max_document_bytes: 32 * 1024 * 1024 }
    }
}

/// What a reader yields: a document, or the reason something was skipped.
pub type Item = Result<RawDocument, Diagnostic>;

/// Parses a publication date as found in containers and metadata:
/// `2016-11-04`, `2016-11-04T10:00:00Z`, `2016-11-04 10:00:00`.
#[must_use]
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let head = s.get(..10)?;
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i16 = head[..4].parse().ok()?;
    let month: i8 = head[5..7].parse().ok()?;
    let day: i8 = head[8..10].parse().ok()?;
    Date::new(year, month, day).ok()
}

fn human_bytes(n: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let f = n as f64;
    if n >= 1024 * 1024 {
        format!("{:.1} MiB", f / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KiB", f / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests;
