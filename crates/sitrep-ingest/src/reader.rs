//! The input walker: inputs → files → documents.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use sitrep_model::Diagnostic;

use crate::decode::{decode_html, decode_text};
use crate::{Body, Item, RawDocument, ReadOptions, human_bytes};

/// One input named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file or a directory (walked recursively, in byte order of names).
    Path(PathBuf),
    /// Standard input (named `-`); its kind is sniffed.
    Stdin,
}

impl Source {
    /// `-` is standard input; anything else a path.
    #[must_use]
    pub fn parse(arg: &Path) -> Source {
        if arg.as_os_str() == "-" { Source::Stdin } else { Source::Path(arg.to_path_buf()) }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Html,
    Jsonl,
    Warc,
}

/// Iterates over the documents of some inputs, in input order.
///
/// Directories are expanded when reached, their files sorted by path, so the
/// order never depends on the file system. Every problem becomes an
/// `Err(Diagnostic)` item and the walk goes on.
pub struct Reader {
    inputs: VecDeque<Source>,
    current: Option<Box<dyn Iterator<Item = Item> + Send>>,
    opts: ReadOptions,
}

impl Reader {
    /// A reader over `inputs` (`-` is standard input).
    #[must_use]
    pub fn new(inputs: &[PathBuf], opts: ReadOptions) -> Reader {
        Reader::from_sources(inputs.iter().map(|p| Source::parse(p)).collect(), opts)
    }

    /// A reader over already-parsed sources.
    #[must_use]
    pub fn from_sources(inputs: Vec<Source>, opts: ReadOptions) -> Reader {
        Reader { inputs: inputs.into(), current: None, opts }
    }

    fn open(&mut self, source: Source) -> Box<dyn Iterator<Item = Item> + Send> {
        match source {
            Source::Stdin => {
                let reader: Box<dyn BufRead + Send> = Box::new(BufReader::new(io::stdin()));
                open_stream("-".to_owned(), reader, None, false, &self.opts)
            }
            Source::Path(path) => self.open_path(&path),
        }
    }

    fn open_path(&mut self, path: &Path) -> Box<dyn Iterator<Item = Item> + Send> {
        let name = path.display().to_string();
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return one(Err(io_diag(&name, &e))),
        };
        if meta.is_dir() {
            let mut files = Vec::new();
            let mut errors = Vec::new();
            for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
                match entry {
                    Ok(e) if e.file_type().is_file() && !is_hidden(e.path()) => files.push(e.into_path()),
                    Ok(_) => {}
                    Err(e) => errors.push(Err(Diagnostic::error("unreadable", format!("cannot walk directory: {e}"))
                        .in_file(e.path().map_or(name.clone(), |p| p.display().to_string())))),
                }
            }
            for f in files.into_iter().rev() {
                self.inputs.push_front(Source::Path(f));
            }
            return Box::new(errors.into_iter());
        }
        let (kind, gz) = kind_from_name(path);
        if !gz && matches!(kind, Some(Kind::Text | Kind::Html)) && meta.len() > self.opts.max_document_bytes {
            return one(Err(too_large(&name, None, meta.len(), &self.opts)));
        }
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) => return one(Err(io_diag(&name, &e))),
        };
        let reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(64 * 1024, file));
        open_stream(name, reader, kind, gz, &self.opts)
    }
}

impl Iterator for Reader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(cur) = &mut self.current {
                if let Some(item) = cur.next() {
                    return Some(item);
                }
                self.current = None;
            }
            let source = self.inputs.pop_front()?;
            self.current = Some(self.open(source));
        }
    }
}

fn one(item: Item) -> Box<dyn Iterator<Item = Item> + Send> {
    Box::new(std::iter::once(item))
}

fn is_hidden(p: &Path) -> bool {
    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// The kind an extension names, and whether the file is gzipped.
pub(crate) fn kind_from_name(path: &Path) -> (Option<Kind>, bool) {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let (stem, gz) = match name.strip_suffix(".gz") {
        Some(s) => (s.to_owned(), true),
        None => (name.clone(), false),
    };
    let ext = stem.rsplit_once('.').map_or("", |(_, e)| e);
    let kind = match ext {
        "txt" | "text" | "md" => Some(Kind::Text),
        "html" | "htm" | "xhtml" | "shtml" => Some(Kind::Html),
        "jsonl" | "ndjson" => Some(Kind::Jsonl),
        "warc" => Some(Kind::Warc),
        _ => None,
    };
    (kind, gz)
}

/// Opens a stream of a known or sniffed kind.
pub(crate) fn open_stream(
    name: String,
    mut reader: Box<dyn BufRead + Send>,
    kind: Option<Kind>,
    gz: bool,
    opts: &ReadOptions,
) -> Box<dyn Iterator<Item = Item> + Send> {
    let head = match reader.fill_buf() {
        Ok(h) => h,
        Err(e) => return one(Err(io_diag(&name, &e))),
    };
    if head.is_empty() {
        return one(Err(Diagnostic::warning("empty", "the input is empty: nothing to read").in_file(name)));
    }
    // Gzip by magic number, whatever the name says.
    if gz || head.starts_with(&[0x1f, 0x8b]) {
        if !head.starts_with(&[0x1f, 0x8b]) {
            return one(Err(Diagnostic::error("bad-gzip", "named .gz but is not gzip data").in_file(name)));
        }
        let inner: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(64 * 1024, MultiGzDecoder::new(reader)));
        return open_stream(name, inner, kind, false, opts);
    }
    let kind = kind.unwrap_or_else(|| sniff(head));
    match kind {
        Kind::Jsonl => Box::new(crate::jsonl::JsonlDocs::new(name, reader, opts.max_document_bytes)),
        Kind::Warc => Box::new(crate::warc::WarcDocs::new(name, reader, opts.max_document_bytes)),
        Kind::Text | Kind::Html => one(read_single(&name, reader, kind, opts)),
    }
}

/// Guesses a kind from the first bytes.
fn sniff(head: &[u8]) -> Kind {
    let trimmed = head.iter().position(|b| !b.is_ascii_whitespace()).map_or(&[][..], |i| &head[i..]);
    let lower: Vec<u8> = trimmed.iter().take(512).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"warc/") {
        Kind::Warc
    } else if lower.starts_with(b"{") {
        Kind::Jsonl
    } else if lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<html")
        || (lower.starts_with(b"<")
            && (contains(&lower, b"<body") || contains(&lower, b"<p>") || contains(&lower, b"<head")))
    {
        Kind::Html
    } else {
        Kind::Text
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Reads a whole-file document (text or HTML), capped at the size limit.
fn read_single(name: &str, reader: Box<dyn BufRead + Send>, kind: Kind, opts: &ReadOptions) -> Item {
    let mut bytes = Vec::new();
    let limit = opts.max_document_bytes;
    if let Err(e) = reader.take(limit + 1).read_to_end(&mut bytes) {
        return Err(read_error(name, None, &e, bytes.len()));
    }
    if bytes.len() as u64 > limit {
        return Err(too_large(name, None, bytes.len() as u64, opts));
    }
    single_document(name, None, &bytes, kind, None)
}

/// Turns the bytes of one document into a `RawDocument`, or says why not.
pub(crate) fn single_document(
    name: &str,
    line: Option<u64>,
    bytes: &[u8],
    kind: Kind,
    content_type: Option<&str>,
) -> Item {
    let at = |d: Diagnostic| match line {
        Some(l) => d.in_file(name).at_line(l),
        None => d.in_file(name),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(at(Diagnostic::warning("empty", "the document is empty or only whitespace")));
    }
    if looks_binary(bytes) {
        return Err(at(Diagnostic::error(
            "binary-input",
            "the input looks like binary data (NUL or control bytes), not text or HTML: skipped",
        )));
    }
    let (body, diags) = match kind {
        Kind::Html => {
            let (t, d) = decode_html(bytes, content_type);
            (Body::Html(t), d)
        }
        _ => {
            let (t, d) = decode_text(bytes);
            (Body::Text(t), d)
        }
    };
    let mut doc = RawDocument::with_body(name, body);
    doc.line = line;
    doc.diagnostics = diags.into_iter().map(at).collect();
    Ok(doc)
}

/// NUL bytes, or many C0 control bytes, in the first 8 KiB (UTF-16 with a BOM is text).
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    if encoding_rs::Encoding::for_bom(bytes).is_some_and(|(e, _)| e != encoding_rs::UTF_8) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    head.contains(&0) || controls * 20 > head.len()
}

pub(crate) fn io_diag(name: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error("unreadable", format!("cannot read: {e}")).in_file(name)
}

pub(crate) fn read_error(name: &str, line: Option<u64>, e: &io::Error, got: usize) -> Diagnostic {
    let msg = e.to_string();
    let d = if msg.contains("deflate") || msg.contains("gzip") || e.kind() == io::ErrorKind::UnexpectedEof {
        Diagnostic::error(
            "truncated-gzip",
            format!("truncated or corrupt gzip data after {got} decompressed bytes ({msg}): skipped the rest"),
        )
    } else {
        Diagnostic::error("unreadable", format!("read failed after {got} bytes: {msg}"))
    };
    match line {
        Some(l) => d.in_file(name).at_line(l),
        None => d.in_file(name),
    }
}

pub(crate) fn too_large(name: &str, line: Option<u64>, size: u64, opts: &ReadOptions) -> Diagnostic {
    // Streams stop reading one byte past the limit, so their size is a lower bound.
    let size = if size == opts.max_document_bytes + 1 {
        format!("more than {}", human_bytes(opts.max_document_bytes))
    } else {
        human_bytes(size)
    };
    let d = Diagnostic::error(
        "too-large",
        format!(
            "document of {size} is over the limit of {} per document: skipped (raise it with --max-document-size)",
            human_bytes(opts.max_document_bytes)
        ),
    );
    match line {
        Some(l) => d.in_file(name).at_line(l),
        None => d.in_file(name),
    }
}
