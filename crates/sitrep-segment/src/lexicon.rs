//! The word lists that steer sentence splitting, loaded from data files.

use std::collections::{HashMap, HashSet};
use std::fmt;

/// When the full stop after an abbreviation may end a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbbrevKind {
    /// Never ("Gen.", "Dr.", "e.g.").
    Never,
    /// Not before a number ("No. 5", "Jan. 13"); otherwise like an ordinary full stop.
    BeforeNumber,
    /// Only before a sentence-starting word ("U.S.", initials).
    Acronym,
    /// Before a capitalised word that is not a continuation ("p.m.", "Inc.").
    Maybe,
}

impl AbbrevKind {
    fn parse(s: &str) -> Option<AbbrevKind> {
        Some(match s {
            "never" => AbbrevKind::Never,
            "number" => AbbrevKind::BeforeNumber,
            "acronym" => AbbrevKind::Acronym,
            "maybe" => AbbrevKind::Maybe,
            _ => return None,
        })
    }
}

/// A problem in a word-list file: which file, line and field, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconError {
    /// The file name given to the loader.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The field at fault (`form`, `kind`, `word`).
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: field `{}`: {}", self.file, self.line, self.field, self.message)
    }
}

impl std::error::Error for LexiconError {}

/// Abbreviations, sentence starters and continuations.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lexicon {
    abbrevs: HashMap<Box<str>, AbbrevKind>,
    starters: HashSet<Box<str>>,
    continuations: HashSet<Box<str>>,
}

fn content_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    source.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r'))).filter(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

impl Lexicon {
    pub(crate) fn add_abbreviations(&mut self, source: &str, file: &str) -> Result<(), LexiconError> {
        let err = |line: usize, field: &'static str, message: String| LexiconError {
            file: file.to_owned(),
            line,
            field,
            message,
        };
        for (n, line) in content_lines(source) {
            let mut fields = line.split('\t');
            let form = fields.next().unwrap_or("").trim();
            let kind = fields.next().map(str::trim);
            if form.is_empty() || form.chars().any(char::is_whitespace) {
                return Err(err(n, "form", format!("{form:?} must be one word without spaces")));
            }
            let Some(key) = form.strip_suffix('.').filter(|k| !k.is_empty()) else {
                return Err(err(n, "form", format!("{form:?} must end with a full stop, e.g. \"Gen.\"")));
            };
            let Some(kind) = kind else {
                return Err(err(n, "kind", "missing (separate it from the form with a tab)".to_owned()));
            };
            let Some(kind) = AbbrevKind::parse(kind) else {
                return Err(err(n, "kind", format!("{kind:?} is not one of never, number, acronym, maybe")));
            };
            if let Some(extra) = fields.next() {
                return Err(err(n, "kind", format!("unexpected third field {extra:?}")));
            }
            self.abbrevs.insert(key.into(), kind);
        }
        Ok(())
    }

    pub(crate) fn add_words(set: &mut HashSet<Box<str>>, source: &str, file: &str) -> Result<(), LexiconError> {
        for (n, line) in content_lines(source) {
            let w = line.trim();
            if w.chars().any(char::is_whitespace) {
                return Err(LexiconError {
                    file: file.to_owned(),
                    line: n,
                    field: "word",
                    message: format!("{w:?} must be one word"),
                });
            }
            set.insert(w.into());
        }
        Ok(())
    }

    pub(crate) fn starters_mut(&mut self) -> &mut HashSet<Box<str>> {
        &mut self.starters
    }

    pub(crate) fn continuations_mut(&mut self) -> &mut HashSet<Box<str>> {
        &mut self.continuations
    }

    /// The kind of abbreviation `key` (written without its final full stop).
    pub(crate) fn abbrev(&self, key: &str) -> Option<AbbrevKind> {
        lookup(&self.abbrevs, key)
    }

    pub(crate) fn is_starter(&self, word: &str) -> bool {
        lookup_set(&self.starters, word)
    }

    pub(crate) fn is_continuation(&self, word: &str) -> bool {
        lookup_set(&self.continuations, word)
    }
}

/// An ALL-CAPS word ("GEN", "THE") looked up again as capitalised ("Gen", "The").
fn capitalised(word: &str) -> Option<String> {
    let mut has_lower_able = false;
    for c in word.chars() {
        if c.is_lowercase() {
            return None;
        }
        has_lower_able |= c.is_uppercase();
    }
    if !has_lower_able || word.chars().count() < 2 {
        return None;
    }
    let mut chars = word.chars();
    let first = chars.next()?;
    let mut out = String::with_capacity(word.len());
    out.push(first);
    out.extend(chars.flat_map(char::to_lowercase));
    Some(out)
}

fn lookup<V: Copy>(map: &HashMap<Box<str>, V>, key: &str) -> Option<V> {
    if let Some(v) = map.get(key) {
        return Some(*v);
    }
    capitalised(key).and_then(|k| map.get(k.as_str()).copied())
}

fn lookup_set(set: &HashSet<Box<str>>, key: &str) -> bool {
    set.contains(key) || capitalised(key).is_some_and(|k| set.contains(k.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_line_and_field() {
        let mut lx = Lexicon::default();
        let e = lx.add_abbreviations("# c\nGen.\tnever\nCol\tnever\n", "x.tsv").unwrap_err();
        assert_eq!((e.file.as_str(), e.line, e.field), ("x.tsv", 3, "form"));
        assert_eq!(e.to_string(), "x.tsv:3: field `form`: \"Col\" must end with a full stop, e.g. \"Gen.\"");
        let e = lx.add_abbreviations("Gen.\tsometimes\n", "y.tsv").unwrap_err();
        assert_eq!((e.line, e.field), (1, "kind"));
        let e = lx.add_abbreviations("\n\nGen.\n", "y.tsv").unwrap_err();
        assert_eq!((e.line, e.field), (3, "kind"));
        let e = Lexicon::add_words(lx.starters_mut(), "The\nTwo words\n", "s.txt").unwrap_err();
        assert_eq!((e.line, e.field), (2, "word"));
    }

    #[test]
    fn all_caps_forms_match_capitalised_entries() {
        let mut lx = Lexicon::default();
        lx.add_abbreviations("Gen.\tnever\nU.S.\tacronym\n", "t").unwrap();
        assert_eq!(lx.abbrev("Gen"), Some(AbbrevKind::Never));
        assert_eq!(lx.abbrev("GEN"), Some(AbbrevKind::Never));
        assert_eq!(lx.abbrev("gen"), None);
        assert_eq!(lx.abbrev("U.S"), Some(AbbrevKind::Acronym));
        Lexicon::add_words(lx.starters_mut(), "The\n", "s").unwrap();
        assert!(lx.is_starter("THE"));
        assert!(!lx.is_starter("the"));
    }
}
