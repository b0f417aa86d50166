//! The non-whitespace tokens of a region, as the matchers see them.

use crate::lexicon::{Lexicon, WordInfo};
use sitrep_segment::TokenKind;
use sitrep_text::TextRange;

/// A token that is not whitespace.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok<'a> {
    pub range: TextRange,
    pub kind: TokenKind,
    pub text: &'a str,
    /// A line break lies between this token and the one before it.
    pub after_break: bool,
    /// What the word lists say about it (words only).
    pub info: Option<&'static WordInfo>,
}

pub(crate) fn words<'t>(text: &'t str, region: TextRange, lex: &'static Lexicon) -> Vec<Tok<'t>> {
    let tokens = sitrep_segment::tokenize(text, region);
    let mut out = Vec::with_capacity(tokens.len() / 2 + 1);
    let mut brk = false;
    for t in tokens {
        if t.kind == TokenKind::Space {
            let sp = &text.as_bytes()[t.range.as_range()];
            brk |= sp.iter().any(|&b| b == b'\n' || b == b'\r')
                || (!sp.is_ascii() && sp.windows(3).any(|w| w == [0xE2, 0x80, 0xA8] || w == [0xE2, 0x80, 0xA9]));
            continue;
        }
        let s = &text[t.range];
        let info = if t.kind == TokenKind::Word { lex.info(s) } else { None };
        out.push(Tok { range: t.range, kind: t.kind, text: s, after_break: brk, info });
        brk = false;
    }
    out
}

impl Tok<'_> {
    pub fn is(&self, s: &str) -> bool {
        self.text == s
    }

    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    pub fn is_number(&self) -> bool {
        self.kind == TokenKind::Number
    }

    pub fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn eq_ignore_case(&self, s: &str) -> bool {
        self.text.eq_ignore_ascii_case(s)
    }
}

/// True when token `b` starts right where token `a` ends (no space between).
pub(crate) fn adjacent(a: &Tok<'_>, b: &Tok<'_>) -> bool {
    a.range.end() == b.range.start()
}

/// True for a hyphen or dash usable in a range ("5-10", "Dec. 13–15").
pub(crate) fn is_dash(t: &Tok<'_>) -> bool {
    matches!(t.text, "-" | "–" | "—")
}
