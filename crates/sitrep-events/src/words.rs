//! The word stream the coder reads: the segmenter's tokens without spaces,
//! hyphenated words split, each word looked up once in the lexicon vocabulary.

use std::ops::Range;

use sitrep_text::TextRange;

use crate::lexicon::{PhraseTable, UNKNOWN, WordId, normalise_into};

/// The word starts with an uppercase letter.
pub(crate) const CAP: u8 = 1;
/// The word is a number ("12", "100,000").
pub(crate) const NUM: u8 = 2;
/// Punctuation or a symbol.
pub(crate) const PUNCT: u8 = 4;
/// Inside quotation marks.
pub(crate) const QUOTED: u8 = 8;
/// A comma.
pub(crate) const COMMA: u8 = 16;
/// A clause break: `;`, `:`, a dash, a bracket.
pub(crate) const BREAK: u8 = 32;
/// A quotation mark.
pub(crate) const QUOTE: u8 = 64;
/// Joined to the word before by a hyphen ("would-be": `be`).
pub(crate) const JOINED: u8 = 128;

/// The kind of a token, as the coder sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Number,
    Punct,
    Space,
}

/// One word of the stream.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word {
    pub(crate) range: TextRange,
    pub(crate) id: WordId,
    pub(crate) flags: u8,
}

impl Word {
    pub(crate) fn is(self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// A clause: words `words` of the stream, inside sentence `sentence`.
#[derive(Clone, Debug)]
pub(crate) struct Clause {
    pub(crate) words: Range<usize>,
    pub(crate) sentence: usize,
}

/// The most words a quote can hold and still be a term in scare quotes rather than speech.
const SCARE_QUOTE_WORDS: usize = 3;

/// Builds the word stream of a document.
pub(crate) struct WordBuilder<'a> {
    text: &'a str,
    table: &'a PhraseTable,
    buf: String,
    in_quote: bool,
    /// Index of the first word after the opening quote mark.
    quote_start: usize,
    /// End of a hyphen that directly follows a word.
    hyphen_end: Option<usize>,
    pub(crate) words: Vec<Word>,
}

impl<'a> WordBuilder<'a> {
    /// A builder with room for `words` words.
    pub(crate) fn with_capacity(text: &'a str, table: &'a PhraseTable, words: usize) -> WordBuilder<'a> {
        WordBuilder {
            text,
            table,
            buf: String::new(),
            in_quote: false,
            quote_start: 0,
            hyphen_end: None,
            words: Vec::with_capacity(words),
        }
    }

    /// A quotation mark that opens (`true`) or closes a quote. A short quote ("running
    /// battles", "kidnapping") marks a term, not speech: its words are not quoted.
    fn quote_mark(&mut self, open: bool) {
        if open && !self.in_quote {
            self.quote_start = self.words.len();
        } else if !open && self.in_quote {
            let from = self.quote_start.min(self.words.len());
            let inside = &mut self.words[from..];
            if inside.iter().filter(|w| w.flags & PUNCT == 0).count() <= SCARE_QUOTE_WORDS {
                for w in inside {
                    w.flags &= !QUOTED;
                }
            }
        }
        self.in_quote = open;
    }

    /// Quotes never run across paragraphs.
    pub(crate) fn paragraph_break(&mut self) {
        self.in_quote = false;
    }

    fn push_word(&mut self, range: TextRange, kind: Kind) {
        let s = &self.text[range];
        normalise_into(s, &mut self.buf);
        let id = self.table.word_id(&self.buf);
        let mut flags = if self.in_quote { QUOTED } else { 0 };
        if s.chars().next().is_some_and(char::is_uppercase) {
            flags |= CAP;
        }
        if kind == Kind::Number || s.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            flags |= NUM;
        }
        if self.hyphen_end == Some(range.start()) {
            flags |= JOINED;
        }
        self.words.push(Word { range, id, flags });
    }

    /// Adds one token.
    pub(crate) fn push(&mut self, range: TextRange, kind: Kind) {
        let s = &self.text[range];
        match kind {
            Kind::Space => {}
            Kind::Punct => {
                let mut flags = PUNCT;
                match s {
                    "," => flags |= COMMA,
                    ";" | ":" | "(" | ")" | "[" | "]" | "\u{2014}" | "\u{2013}" | "--" => flags |= BREAK,
                    "\"" => {
                        flags |= QUOTE;
                        // A straight quote opens after a space and closes before one; only when
                        // the text does not tell does it toggle (a sentence may start inside a quote).
                        let before = self.text[..range.start()].chars().next_back();
                        let after = self.text[range.end()..].chars().next();
                        let opens = before.is_none_or(|c| c.is_whitespace() || "([{".contains(c));
                        let closes = after.is_none_or(|c| c.is_whitespace() || ",.;:!?)]}".contains(c));
                        let open = match (opens, closes) {
                            (true, false) => true,
                            (false, true) => false,
                            _ => !self.in_quote,
                        };
                        self.quote_mark(open);
                    }
                    "\u{201c}" => {
                        flags |= QUOTE;
                        self.quote_mark(true);
                    }
                    "\u{201d}" => {
                        flags |= QUOTE;
                        self.quote_mark(false);
                    }
                    // Hyphens and apostrophes are not words and break nothing.
                    "-" => {
                        let joined = self.words.last().is_some_and(|w| w.range.end() == range.start());
                        self.hyphen_end = joined.then_some(range.end());
                        return;
                    }
                    "'" | "\u{2019}" | "\u{2018}" => return,
                    _ => {}
                }
                if flags & QUOTE != 0 {
                    flags &= !QUOTED;
                } else if self.in_quote {
                    flags |= QUOTED;
                }
                let id = self.table.word_id(s);
                self.words.push(Word { range, id, flags });
            }
            Kind::Word | Kind::Number => {
                // Split "air-strike", "ISIS-held" into words; keep "1,200-strong" parts too.
                if s.contains('-') && s.len() > 1 {
                    let base = range.start();
                    let mut start = 0;
                    for (i, c) in s.char_indices() {
                        if c == '-' {
                            if i > start {
                                self.push_word(TextRange::new(base + start, base + i), kind);
                            }
                            start = i + 1;
                        }
                    }
                    if start < s.len() {
                        self.push_word(TextRange::new(base + start, base + s.len()), kind);
                    }
                } else {
                    self.push_word(range, kind);
                }
            }
        }
    }
}

/// Splits a sentence's words into clauses at `;` (and nothing else: most
/// sentences of news reports carry one event).
pub(crate) fn clauses(
    words: &[Word],
    sentence_words: Range<usize>,
    sentence: usize,
    text: &str,
    out: &mut Vec<Clause>,
) {
    let mut start = sentence_words.start;
    for i in sentence_words.clone() {
        if words[i].is(PUNCT) && &text[words[i].range] == ";" {
            if i > start {
                out.push(Clause { words: start..i, sentence });
            }
            start = i + 1;
        }
    }
    if start < sentence_words.end {
        out.push(Clause { words: start..sentence_words.end, sentence });
    }
}

/// True when the word is a plain word the lexicons do not know.
#[allow(dead_code)]
pub(crate) fn unknown(w: Word) -> bool {
    w.id == UNKNOWN
}
