//! Outlets and the countries they cover: a weak hint of what a report is about.
//!
//! A national paper or a local radio mostly reports on its home country
//! ("Radio Okapi" → the Democratic Republic of the Congo), so a report whose
//! text names no place can still be placed in a country. Wires and
//! international broadcasters are listed with no country: they carry no hint.
//! The table is data (`lexicons/outlets.tsv`, see `lexicons/outlets.md`);
//! users add their own with the same format.

use std::collections::HashMap;
use std::path::Path;

/// One outlet's entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outlet {
    /// The outlet's name as the table writes it.
    pub name: String,
    /// ISO 3166-1 alpha-2 code of the country it mainly covers; `None` for
    /// wires and international outlets.
    pub country: Option<String>,
}

/// A line of an outlet file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}: line {line}: field {field}: {message}")]
pub struct OutletError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The outlet table, keyed by normalised names, aliases and web domains.
#[derive(Clone, Debug, Default)]
pub struct OutletLexicon {
    outlets: Vec<Outlet>,
    keys: HashMap<String, usize>,
}

const BUILTIN: (&str, &str) = ("lexicons/outlets.tsv", include_str!("../../../lexicons/outlets.tsv"));

impl OutletLexicon {
    /// The built-in table (`lexicons/outlets.tsv`).
    ///
    /// # Errors
    /// When the built-in file is malformed (a bug caught by the tests).
    pub fn builtin() -> Result<OutletLexicon, OutletError> {
        OutletLexicon::default().with_text(BUILTIN.0, BUILTIN.1)
    }

    /// Adds a user's file; its lines override the built-in ones with the same keys.
    ///
    /// # Errors
    /// When the file can't be read or a line is malformed; the error names file, line and field.
    pub fn with_file(self, path: &Path) -> Result<OutletLexicon, OutletError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| OutletError {
            file: file.clone(),
            line: 0,
            field: "file",
            message: e.to_string(),
        })?;
        self.with_text(&file, &text)
    }

    /// Adds the lines of `text` (tab-separated: outlet, aliases, country, scope, note), read as file `name`.
    ///
    /// # Errors
    /// When a line is malformed; the error names file, line and field.
    pub fn with_text(mut self, name: &str, text: &str) -> Result<OutletLexicon, OutletError> {
        let err = |line: usize, field: &'static str, message: String| OutletError {
            file: name.to_owned(),
            line,
            field,
            message,
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let l = raw.trim_end_matches('\r');
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = l.split('\t').collect();
            if fields.first() == Some(&"outlet") && fields.get(2) == Some(&"country") {
                continue; // the header line
            }
            if fields.len() < 3 {
                return Err(err(line, "outlet", format!("expected 5 tab-separated fields, found {}", fields.len())));
            }
            let outlet = fields[0].trim();
            if outlet.is_empty() {
                return Err(err(line, "outlet", "empty outlet name".into()));
            }
            let country = fields[2].trim();
            if !(country.is_empty() || (country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()))) {
                return Err(err(line, "country", format!("'{country}' is not an ISO 3166-1 alpha-2 code")));
            }
            let idx = self.outlets.len();
            self.outlets
                .push(Outlet { name: outlet.to_owned(), country: (!country.is_empty()).then(|| country.to_owned()) });
            for k in std::iter::once(outlet).chain(fields[1].split('|')).map(key).filter(|k| !k.is_empty()) {
                self.keys.insert(k, idx);
            }
        }
        Ok(self)
    }

    /// Number of outlets.
    #[must_use]
    pub fn len(&self) -> usize {
        self.outlets.len()
    }

    /// True when the table is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.outlets.is_empty()
    }

    /// The entry for an outlet name or web domain, as a report names it. Tries the
    /// whole string, then without a trailing " - English"-style edition
    /// qualifier, then as a host name (with or without "www.").
    #[must_use]
    pub fn lookup(&self, outlet: &str) -> Option<&Outlet> {
        let whole = key(outlet);
        if let Some(&i) = self.keys.get(&whole) {
            return Some(&self.outlets[i]);
        }
        // "Agence Example - English": an edition; "Example Times (Lagos)": the city of an
        // outlet whose bare name is listed.
        let bare = outlet.split_once(" - ").map_or(outlet, |(head, _)| head);
        let bare = match bare.trim_end().strip_suffix(')').and_then(|b| b.rsplit_once('(')) {
            Some((name, _)) => name,
            None => bare,
        };
        if let Some(&i) = self.keys.get(&key(bare)) {
            return Some(&self.outlets[i]);
        }
        let host = host_of(outlet)?;
        self.keys.get(&key(host)).map(|&i| &self.outlets[i])
    }

    /// The country a report's outlet (or its URL) points to. Several outlets
    /// ("Reuters; Daily Trust") point to a country only when every one that has
    /// a country agrees.
    #[must_use]
    pub fn country_of(&self, outlet: Option<&str>, url: Option<&str>) -> Option<&str> {
        let mut found: Option<&str> = None;
        let names = outlet.into_iter().flat_map(|o| o.split([';', ','])).chain(url);
        for name in names.map(str::trim).filter(|n| !n.is_empty()) {
            if let Some(c) = self.lookup(name).and_then(|o| o.country.as_deref()) {
                match found {
                    None => found = Some(c),
                    Some(f) if f == c => {}
                    Some(_) => return None,
                }
            }
        }
        found
    }
}

/// Lower case, letters and digits only, single spaces: "The Guardian (Lagos)" → "the guardian lagos".
fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// The host of a URL or a bare domain ("https://www.example.co.ke/news" → "example.co.ke").
fn host_of(s: &str) -> Option<&str> {
    let rest = s.split_once("://").map_or(s, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (host.contains('.') && !host.contains(' ')).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# outlet\taliases\tcountry\tscope\tnote\n\
        Radio Example\tExample FM|radioexample.cd\tCD\tnational\t\n\
        Global Wire\tGW\t\twire\tinternational\n\
        The Courier (Lagos)\tcourier.ng\tNG\tnational\t\n";

    #[test]
    fn looks_up_names_aliases_editions_and_domains() {
        let lex = OutletLexicon::default().with_text("sample.tsv", SAMPLE).unwrap();
        assert_eq!(lex.len(), 3);
        assert_eq!(lex.lookup("radio example").unwrap().country.as_deref(), Some("CD"));
        assert_eq!(lex.lookup("Example FM - French").unwrap().name, "Radio Example");
        assert_eq!(lex.lookup("https://www.radioexample.cd/news/1").unwrap().country.as_deref(), Some("CD"));
        assert_eq!(lex.lookup("The Courier (Lagos)").unwrap().country.as_deref(), Some("NG"));
        assert!(lex.lookup("The Courier").is_none(), "a bare generic name is not the qualified one");
        assert_eq!(lex.lookup("Radio Example (Kinshasa)").unwrap().name, "Radio Example");
        assert_eq!(lex.lookup("Global Wire").unwrap().country, None);
    }

    #[test]
    fn several_outlets_agree_or_say_nothing() {
        let lex = OutletLexicon::default().with_text("sample.tsv", SAMPLE).unwrap();
        assert_eq!(lex.country_of(Some("Global Wire; Radio Example"), None), Some("CD"));
        assert_eq!(lex.country_of(Some("Radio Example; The Courier (Lagos)"), None), None);
        assert_eq!(lex.country_of(None, Some("http://courier.ng/a")), Some("NG"));
        assert_eq!(lex.country_of(Some("Unknown Gazette"), None), None);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let e = OutletLexicon::default().with_text("mine.tsv", "ok\t\tKE\tnational\t\nbad\t\tKenya\tnational\t\n");
        let msg = e.unwrap_err().to_string();
        assert!(msg.contains("mine.tsv: line 2: field country"), "{msg}");
        let e = OutletLexicon::default().with_text("mine.tsv", "only-one-field\n").unwrap_err();
        assert_eq!((e.line, e.field), (1, "outlet"));
    }

    #[test]
    fn the_builtin_table_loads_and_places_outlets() {
        let lex = OutletLexicon::builtin().unwrap();
        assert!(lex.len() > 100, "{} outlets", lex.len());
        assert_eq!(lex.country_of(Some("Reuters"), None), None);
    }
}
