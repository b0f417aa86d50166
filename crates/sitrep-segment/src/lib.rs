//! Sentences, paragraphs and tokens of news text, with byte spans.
//!
//! The principal type is [`Segmentation`], made by [`segment`] (the whole text)
//! or [`segment_region`] (one region, for example the article body; ranges stay
//! absolute). [`tokenize`] gives the tokens alone, without sentence splitting. Its [`Token`]s tile the region exactly: words, numbers,
//! punctuation, symbols and whitespace runs, in order, with nothing left out.
//! Its [`Sentence`]s are sorted, never overlap, exclude surrounding whitespace
//! and never cross a paragraph break (a blank line).
//!
//! Sentence splitting is rule-based and runs in one pass over the bytes (no
//! regex, no allocation per token). It knows abbreviations ("Brig. Gen.",
//! "U.S.", "No. 5", "Jan. 13", "5 p.m. Monday"), initials ("George W. Bush"),
//! numbers with separators ("100,000", "3.5"), closing quotes after the full
//! stop (`…house to house.” Officials said` splits after the quote), ellipses,
//! headlines and bylines on lines of their own, and datelines
//! ("MOSUL, Iraq (CNN) —" stays with the first sentence). The word lists it
//! uses are data files (`data/abbreviations.tsv`, `data/sentence_starters.txt`,
//! `data/continuations.txt`) that a [`Segmenter`] can extend at run time.
//!
//! ```
//! let text = "Brig. Gen. Tahsin Ibrahim spoke in the U.S. capital. He left at 5 p.m. Monday.";
//! let seg = sitrep_segment::segment(text);
//! assert_eq!(seg.sentences.len(), 2);
//! assert_eq!(&text[seg.sentences[1].range], "He left at 5 p.m. Monday.");
//! let words: Vec<&str> = seg.words(text, 1).map(|(_, w)| w).collect();
//! assert_eq!(words, ["He", "left", "at", "5", "p.m.", "Monday"]);
//! ```
//!
//! Tokenisation choices: hyphens split words ("ISIS-held" → `ISIS`, `-`, `held`);
//! an apostrophe inside a word joins it ("didn't", "O'Brien") but a possessive
//! `'s` is a word of its own ("group’s" → `group`, `’s`); dotted single-letter
//! acronyms keep their dots ("U.S.", "a.m."); other abbreviations are a word and
//! a `.` token ("Gen", `.`); a number followed directly by letters is a word
//! ("9th", "10km"); runs of `.` or `-` are one token ("...", "--").

mod lexicon;
mod split;
mod tokenize;

use lexicon::Lexicon;
pub use lexicon::{AbbrevKind, LexiconError};
use sitrep_text::TextRange;
use std::sync::OnceLock;

/// The segmentation of a text region.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Segmentation {
    /// Sentences in text order.
    pub sentences: Vec<Sentence>,
    /// Tokens in text order; they tile the region (whitespace tokens included).
    pub tokens: Vec<Token>,
    /// Paragraphs (text between blank lines), trimmed of whitespace, in order.
    pub paragraphs: Vec<TextRange>,
}

/// One sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Its bytes, without surrounding whitespace.
    pub range: TextRange,
    /// Its tokens: indexes into [`Segmentation::tokens`] (no leading or trailing whitespace token).
    pub tokens: std::ops::Range<u32>,
    /// Index into [`Segmentation::paragraphs`].
    pub paragraph: u32,
}

/// One token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// Its bytes.
    pub range: TextRange,
    /// What it is.
    pub kind: TokenKind,
}

/// The kind of a [`Token`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters (and digits after a letter or before one: "F16", "9th"), dotted acronyms
    /// ("U.S."), a possessive `'s`.
    Word,
    /// Digits, with `,` or `.` between digits ("100,000", "3.5").
    Number,
    /// Punctuation: one character, or a run of `.` or `-`.
    Punct,
    /// A run of whitespace, line breaks included (also U+200B and U+FEFF).
    Space,
    /// Anything else, one character at a time ($, %, emoji…).
    Symbol,
}

impl Segmentation {
    /// The index of the sentence containing byte `offset`, if any (whitespace between
    /// sentences belongs to none).
    #[must_use]
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.range.end() <= offset);
        self.sentences.get(i).filter(|s| s.range.contains(offset)).map(|_| i)
    }

    /// The words and numbers of sentence `s`, with their ranges (punctuation,
    /// symbols and whitespace left out). Empty if `s` is out of range.
    pub fn words<'a>(&'a self, text: &'a str, s: usize) -> impl Iterator<Item = (TextRange, &'a str)> + 'a {
        let range = self.sentences.get(s).map_or(0..0, |s| s.tokens.start as usize..s.tokens.end as usize);
        self.tokens
            .get(range)
            .unwrap_or(&[])
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            .map(move |t| (t.range, text.get(t.range.as_range()).unwrap_or("")))
    }

    /// The tokens of sentence `s` (empty if `s` is out of range).
    #[must_use]
    pub fn sentence_tokens(&self, s: usize) -> &[Token] {
        let range = self.sentences.get(s).map_or(0..0, |s| s.tokens.start as usize..s.tokens.end as usize);
        self.tokens.get(range).unwrap_or(&[])
    }
}

/// A sentence splitter with its word lists. [`segment`] uses the built-in one;
/// make your own to add abbreviations or sentence starters.
///
/// ```
/// let mut s = sitrep_segment::Segmenter::new();
/// s.extend_abbreviations("Gov't.\tnever\nBde.\tnever\n", "my-abbreviations.tsv").unwrap();
/// let text = "The 2nd Bde. Commander spoke.";
/// assert_eq!(s.segment(text).sentences.len(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct Segmenter {
    lexicon: Lexicon,
}

const ABBREVIATIONS: &str = include_str!("../data/abbreviations.tsv");
const STARTERS: &str = include_str!("../data/sentence_starters.txt");
const CONTINUATIONS: &str = include_str!("../data/continuations.txt");

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

impl Segmenter {
    /// A segmenter with the built-in word lists.
    #[must_use]
    pub fn new() -> Segmenter {
        let mut lexicon = Lexicon::default();
        // The built-in lists are checked by this crate's tests.
        lexicon.add_abbreviations(ABBREVIATIONS, "data/abbreviations.tsv").expect("built-in abbreviations");
        Lexicon::add_words(lexicon.starters_mut(), STARTERS, "data/sentence_starters.txt").expect("built-in starters");
        Lexicon::add_words(lexicon.continuations_mut(), CONTINUATIONS, "data/continuations.txt")
            .expect("built-in continuations");
        Segmenter { lexicon }
    }

    /// A segmenter with no word lists at all (every full stop before a capital ends a sentence).
    #[must_use]
    pub fn without_lists() -> Segmenter {
        Segmenter { lexicon: Lexicon::default() }
    }

    /// The shared built-in segmenter.
    #[must_use]
    pub fn builtin() -> &'static Segmenter {
        static BUILTIN: OnceLock<Segmenter> = OnceLock::new();
        BUILTIN.get_or_init(Segmenter::new)
    }

    /// Adds abbreviations in the format of `data/abbreviations.tsv` (`FORM<TAB>KIND`,
    /// kinds `never`, `number`, `acronym`, `maybe`). `file` names the source in errors.
    ///
    /// # Errors
    /// The first malformed line, with its file, line number and field.
    pub fn extend_abbreviations(&mut self, tsv: &str, file: &str) -> Result<(), LexiconError> {
        self.lexicon.add_abbreviations(tsv, file)
    }

    /// Adds sentence-starting words (one per line), which let a full stop after an
    /// acronym or initial end a sentence.
    ///
    /// # Errors
    /// The first malformed line, with its file, line number and field.
    pub fn extend_sentence_starters(&mut self, words: &str, file: &str) -> Result<(), LexiconError> {
        Lexicon::add_words(self.lexicon.starters_mut(), words, file)
    }

    /// Adds words that continue a sentence after a `maybe` abbreviation ("p.m. Monday").
    ///
    /// # Errors
    /// The first malformed line, with its file, line number and field.
    pub fn extend_continuations(&mut self, words: &str, file: &str) -> Result<(), LexiconError> {
        Lexicon::add_words(self.lexicon.continuations_mut(), words, file)
    }

    /// Segments the whole text.
    #[must_use]
    pub fn segment(&self, text: &str) -> Segmentation {
        self.segment_region(text, TextRange::full(text))
    }

    /// Segments `text[region]` only; ranges stay absolute (offsets into `text`). A region
    /// past the end of the text is cut at the end; region ends inside a character are
    /// moved inward to character boundaries.
    #[must_use]
    pub fn segment_region(&self, text: &str, region: TextRange) -> Segmentation {
        let (start, end) = clamp(text, region);
        let mut tokens = Vec::with_capacity((end - start) / 3 + 1);
        let mut newlines = Vec::new();
        tokenize::tokenize(text, start, end, &mut tokens, &mut newlines);
        split::split(text, tokens, &newlines, &self.lexicon)
    }
}

fn clamp(text: &str, region: TextRange) -> (usize, usize) {
    let mut end = region.end().min(text.len());
    let mut start = region.start().min(end);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (start.min(end), end)
}

/// The tokens of `text[region]` only (no sentence splitting; no word lists needed).
/// They tile the (clamped) region, as in [`Segmentation::tokens`].
#[must_use]
pub fn tokenize(text: &str, region: TextRange) -> Vec<Token> {
    let (start, end) = clamp(text, region);
    let mut tokens = Vec::with_capacity((end - start) / 3 + 1);
    let mut newlines = Vec::new();
    tokenize::tokenize(text, start, end, &mut tokens, &mut newlines);
    tokens
}

/// Segments the whole text with the built-in word lists.
#[must_use]
pub fn segment(text: &str) -> Segmentation {
    Segmenter::builtin().segment(text)
}

/// Segments `text[region]` with the built-in word lists; ranges stay absolute.
#[must_use]
pub fn segment_region(text: &str, region: TextRange) -> Segmentation {
    Segmenter::builtin().segment_region(text, region)
}
