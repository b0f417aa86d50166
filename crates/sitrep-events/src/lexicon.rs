//! The event lexicons: TSV data files compiled once into a phrase matcher.
//!
//! Every lexicon line names a phrase (one or more words, `{a,b}` alternatives
//! expanded shell-style: `kill{,s,ed,ing}` is four phrases), what the phrase
//! proposes (a sub-event type, a non-event class such as `~disaster`, or `-`
//! for nothing), a weight, and tags (cue names the rules and the coder test).
//! Phrases are matched on the lowercased word stream of a sentence, hyphens
//! split (so `air strike` also matches "air-strike"), leftmost-longest.

use std::collections::HashMap;
use std::fmt;

use sitrep_model::SubEventType;

/// A problem in a lexicon file: which file, which line, which field, what.
///
/// Displayed as `lexicons/events/triggers.tsv:12: field `weight`: expected 0-9, got "x"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconError {
    /// The file (its path as given, or its name inside the repository for built-in files).
    pub file: String,
    /// The 1-based line; 0 when the problem is the whole file.
    pub line: usize,
    /// The field (column name), or empty when the line as a whole is wrong.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl LexiconError {
    pub(crate) fn new(file: &str, line: usize, field: &str, message: impl Into<String>) -> LexiconError {
        LexiconError { file: file.to_owned(), line, field: field.to_owned(), message: message.into() }
    }
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.field.is_empty() {
            write!(f, ": field `{}`", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LexiconError {}

/// The data lines of a TSV file: `(1-based line number, fields)`, skipping
/// blank lines and `#` comments.
pub(crate) fn tsv_lines(content: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    content.lines().enumerate().filter_map(|(i, line)| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            return None;
        }
        Some((i + 1, line.split('\t').map(str::trim).collect()))
    })
}

/// Expands `{a,b}` groups (several groups multiply): `kill{,s,ed}` → kill, kills, killed.
pub(crate) fn expand_braces(s: &str) -> Result<Vec<String>, String> {
    let Some(open) = s.find('{') else {
        if s.contains('}') {
            return Err(format!("unbalanced `}}` in {s:?}"));
        }
        return Ok(vec![s.to_owned()]);
    };
    let close = s[open..].find('}').map(|c| c + open).ok_or_else(|| format!("unclosed `{{` in {s:?}"))?;
    let inner = &s[open + 1..close];
    if inner.contains('{') {
        return Err(format!("nested `{{` in {s:?}"));
    }
    let mut out = Vec::new();
    for alt in inner.split(',') {
        let joined = format!("{}{}{}", &s[..open], alt, &s[close + 1..]);
        out.extend(expand_braces(&joined)?);
    }
    Ok(out)
}

/// Lowercases a word into `buf` for lexicon lookup (curly apostrophes become `'`).
pub(crate) fn normalise_into(word: &str, buf: &mut String) {
    buf.clear();
    for c in word.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '`' => buf.push('\''),
            c if c.is_ascii() => buf.push(c.to_ascii_lowercase()),
            c => buf.extend(c.to_lowercase()),
        }
    }
}

/// Splits a lexicon phrase into its words the way text is split: on spaces
/// and hyphens.
pub(crate) fn phrase_words(phrase: &str) -> impl Iterator<Item = &str> {
    phrase.split([' ', '-']).filter(|w| !w.is_empty())
}

/// Interned word id; [`UNKNOWN`] for words no lexicon mentions.
pub(crate) type WordId = u32;
/// The id of a word no lexicon mentions.
pub(crate) const UNKNOWN: WordId = u32::MAX;

/// Interned tag (cue name) set: at most 128 distinct tags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct TagSet(pub(crate) u128);

impl TagSet {
    pub(crate) fn with(self, tag: u8) -> TagSet {
        TagSet(self.0 | (1u128 << tag))
    }
    pub(crate) fn has(self, tag: u8) -> bool {
        self.0 & (1u128 << tag) != 0
    }
    pub(crate) fn union(self, other: TagSet) -> TagSet {
        TagSet(self.0 | other.0)
    }
    pub(crate) fn intersects(self, other: TagSet) -> bool {
        self.0 & other.0 != 0
    }
}

/// What a phrase proposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Proposal {
    /// A sub-event type.
    Event(SubEventType),
    /// A non-event class (`~disaster`, `~crime`, …): when it wins a clause, the clause yields no event.
    NotEvent(u8),
}

/// Everything the lexicons say about one phrase.
#[derive(Clone, Debug, Default)]
pub(crate) struct PhraseInfo {
    /// The proposal and its weight, if the phrase proposes anything.
    pub(crate) proposal: Option<(Proposal, u8)>,
    /// Tags.
    pub(crate) tags: TagSet,
    /// Where the proposal was defined (for duplicate errors).
    pub(crate) defined_at: Option<(String, usize)>,
}

/// A phrase found in a word stream: words `start..end` of the stream.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PhraseMatch {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) info: u32,
}

/// The interned vocabulary and a trie of phrases over it.
#[derive(Debug, Default)]
pub(crate) struct PhraseTable {
    vocab: HashMap<Box<str>, WordId>,
    edges: HashMap<(u32, WordId), u32>,
    /// Per trie node: index into `infos` + 1, or 0.
    terminal: Vec<u32>,
    pub(crate) infos: Vec<PhraseInfo>,
    /// Non-event class names, indexed by `Proposal::NotEvent`.
    pub(crate) not_event_names: Vec<String>,
    /// Tag names, indexed by tag id.
    pub(crate) tag_names: Vec<String>,
}

impl PhraseTable {
    pub(crate) fn new() -> PhraseTable {
        PhraseTable { terminal: vec![0], ..PhraseTable::default() }
    }

    /// The id of a lowercased word, or [`UNKNOWN`].
    pub(crate) fn word_id(&self, lower: &str) -> WordId {
        self.vocab.get(lower).copied().unwrap_or(UNKNOWN)
    }

    fn intern_word(&mut self, w: &str) -> WordId {
        if let Some(&id) = self.vocab.get(w) {
            return id;
        }
        let id = u32::try_from(self.vocab.len()).expect("vocabulary fits u32");
        self.vocab.insert(w.into(), id);
        id
    }

    /// The id of a tag name, interning it.
    pub(crate) fn tag(&mut self, name: &str) -> Result<u8, String> {
        if let Some(i) = self.tag_names.iter().position(|t| t == name) {
            return Ok(i as u8);
        }
        if self.tag_names.len() >= 128 {
            return Err(format!("too many distinct tags (at most 128); {name:?} is one too many"));
        }
        self.tag_names.push(name.to_owned());
        Ok((self.tag_names.len() - 1) as u8)
    }

    /// The id of a known tag, if any lexicon defined it.
    pub(crate) fn tag_id(&self, name: &str) -> Option<u8> {
        self.tag_names.iter().position(|t| t == name).map(|i| i as u8)
    }

    pub(crate) fn not_event(&mut self, name: &str) -> u8 {
        if let Some(i) = self.not_event_names.iter().position(|t| t == name) {
            return i as u8;
        }
        self.not_event_names.push(name.to_owned());
        (self.not_event_names.len() - 1) as u8
    }

    /// The info slot of a phrase (lowercase words), creating it.
    pub(crate) fn slot(&mut self, phrase: &str) -> Option<&mut PhraseInfo> {
        let mut buf = String::new();
        let mut node = 0u32;
        let mut any = false;
        for w in phrase_words(phrase) {
            normalise_into(w, &mut buf);
            let id = self.intern_word(&buf);
            node = match self.edges.get(&(node, id)) {
                Some(&n) => n,
                None => {
                    let n = u32::try_from(self.terminal.len()).expect("trie fits u32");
                    self.terminal.push(0);
                    self.edges.insert((node, id), n);
                    n
                }
            };
            any = true;
        }
        if !any {
            return None;
        }
        let t = &mut self.terminal[node as usize];
        if *t == 0 {
            self.infos.push(PhraseInfo::default());
            *t = u32::try_from(self.infos.len()).expect("infos fit u32");
        }
        let i = (*t - 1) as usize;
        Some(&mut self.infos[i])
    }

    /// Leftmost-longest, non-overlapping phrase matches over a word-id stream.
    /// `stop(i)` is true for words no phrase may cross into (sentence breaks).
    pub(crate) fn find(&self, ids: &[WordId], out: &mut Vec<PhraseMatch>) {
        let mut i = 0;
        while i < ids.len() {
            let mut node = 0u32;
            let mut best: Option<(usize, u32)> = None;
            let mut j = i;
            while j < ids.len() {
                let id = ids[j];
                if id == UNKNOWN {
                    break;
                }
                match self.edges.get(&(node, id)) {
                    Some(&n) => {
                        node = n;
                        j += 1;
                        let t = self.terminal[node as usize];
                        if t != 0 {
                            best = Some((j, t - 1));
                        }
                    }
                    None => break,
                }
            }
            if let Some((end, info)) = best {
                out.push(PhraseMatch { start: i, end, info });
                i = end;
            } else {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_expand_and_multiply() {
        assert_eq!(expand_braces("kill{,s,ed}").unwrap(), ["kill", "kills", "killed"]);
        assert_eq!(expand_braces("{air,drone} strike{,s}").unwrap().len(), 4);
        assert!(expand_braces("kill{s").is_err());
        assert!(expand_braces("kill}s").is_err());
    }

    #[test]
    fn leftmost_longest_matching() {
        let mut t = PhraseTable::new();
        t.slot("tear gas").unwrap().tags = TagSet(1);
        t.slot("gas").unwrap().tags = TagSet(2);
        t.slot("suicide car bomb").unwrap().tags = TagSet(4);
        t.slot("car bomb").unwrap().tags = TagSet(8);
        let ids: Vec<WordId> =
            ["police", "fired", "tear", "gas", "a", "suicide", "car", "bomb"].iter().map(|w| t.word_id(w)).collect();
        let mut out = Vec::new();
        t.find(&ids, &mut out);
        let got: Vec<(usize, usize)> = out.iter().map(|m| (m.start, m.end)).collect();
        assert_eq!(got, [(2, 4), (5, 8)]);
    }

    #[test]
    fn error_display_names_file_line_field() {
        let e = LexiconError::new("lexicons/events/triggers.tsv", 12, "weight", "expected 0-9, got \"x\"");
        assert_eq!(e.to_string(), "lexicons/events/triggers.tsv:12: field `weight`: expected 0-9, got \"x\"");
    }
}
