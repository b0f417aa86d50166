//! One pass over the bytes of a region: tokens that tile it.
//!
//! ASCII bytes are classified through a 128-entry table; other characters are
//! decoded and classified with `char` properties plus a few explicit ranges
//! (punctuation, combining marks). No allocation per token.

use crate::{Token, TokenKind};
use sitrep_text::TextRange;

/// The class of one character.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Class {
    Space,
    Letter,
    Digit,
    Punct,
    Symbol,
    /// Combining marks, joiners, variation selectors: they extend the token before them.
    Extend,
}

const fn ascii_table() -> [Class; 128] {
    let mut t = [Class::Symbol; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => Class::Space,
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'!' | b'"' | b'\'' | b'(' | b')' | b',' | b'-' | b'.' | b'/' | b':' | b';' | b'?' | b'[' | b']' | b'{'
            | b'}' | b'_' => Class::Punct,
            _ => Class::Symbol,
        };
        b += 1;
    }
    t
}

static ASCII: [Class; 128] = ascii_table();

fn is_extender(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{0591}'..='\u{05BD}' | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}' | '\u{200C}' | '\u{200D}' | '\u{20D0}'..='\u{20FF}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

fn is_punct(c: char) -> bool {
    matches!(c,
        '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}' | '\u{037E}'
        | '\u{0387}' | '\u{055A}'..='\u{055F}' | '\u{0589}' | '\u{05BE}' | '\u{05C0}' | '\u{05C3}' | '\u{05F3}'
        | '\u{05F4}' | '\u{0609}'..='\u{060D}' | '\u{061B}' | '\u{061D}'..='\u{061F}' | '\u{066A}'..='\u{066D}'
        | '\u{06D4}' | '\u{0964}' | '\u{0965}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}'
        | '\u{2E00}'..='\u{2E4F}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}'
        | '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF3D}' | '\u{FF5B}'..='\u{FF65}')
}

/// Characters that `char::is_whitespace` misses but that separate words like a space.
fn is_invisible_space(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

pub(crate) fn class_of(c: char) -> Class {
    if c.is_ascii() {
        return ASCII[c as usize];
    }
    if c.is_alphabetic() {
        Class::Letter
    } else if c.is_numeric() {
        Class::Digit
    } else if c.is_whitespace() || is_invisible_space(c) {
        Class::Space
    } else if is_extender(c) {
        Class::Extend
    } else if is_punct(c) {
        Class::Punct
    } else {
        Class::Symbol
    }
}

/// Class and byte length of the character at `i` (a char boundary below `text.len()`).
#[inline]
fn class_at(text: &str, i: usize) -> (Class, usize) {
    let b = text.as_bytes()[i];
    if b < 128 {
        return (ASCII[b as usize], 1);
    }
    match text[i..].chars().next() {
        Some(c) => (class_of(c), c.len_utf8()),
        None => (Class::Symbol, 1),
    }
}

#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i)?;
    if b < 128 { Some(b as char) } else { text[i..].chars().next() }
}

#[inline]
fn is_alnum_at(text: &str, i: usize, end: usize) -> bool {
    i < end && matches!(class_at(text, i).0, Class::Letter | Class::Digit)
}

/// A newline count for a whitespace token: `\n`, a lone `\r`, U+0085 and U+2028 count
/// one; U+2029 (paragraph separator) and form feed count two (a paragraph break).
fn count_newlines(s: &str) -> u32 {
    let b = s.as_bytes();
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\n' => n += 1,
            b'\r' if b.get(i + 1) != Some(&b'\n') => n += 1,
            0x0c => n += 2,
            _ => {}
        }
    }
    if !s.is_ascii() {
        for c in s.chars() {
            match c {
                '\u{0085}' | '\u{2028}' => n += 1,
                '\u{2029}' => n += 2,
                _ => {}
            }
        }
    }
    n
}

/// Whitespace tokens that hold line breaks: (token index, newline count).
pub(crate) type Newlines = Vec<(u32, u32)>;

#[inline]
fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Scans a word from `i` (just past its first character). Returns its end.
///
/// A word is a run of letters, digits and extenders; it also takes an apostrophe
/// between letters ("don't", "O'Brien") except a possessive "'s", and dotted
/// single-letter acronyms ("U.S.", "a.m.", "e.g.").
fn scan_word(text: &str, word_start: usize, mut i: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    while i < end {
        // Fast path: ASCII letters and digits.
        while i < end && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= end {
            break;
        }
        let (cls, len) = class_at(text, i);
        match cls {
            Class::Letter | Class::Digit | Class::Extend => i += len,
            Class::Punct => {
                let c = char_at(text, i).unwrap_or(' ');
                if is_apostrophe(c) && i + len < end {
                    let after = i + len;
                    let (next_cls, next_len) = class_at(text, after);
                    if next_cls != Class::Letter {
                        return i;
                    }
                    let possessive = matches!(bytes[after], b's' | b'S') && !is_alnum_at(text, after + next_len, end);
                    if possessive {
                        return i;
                    }
                    i = after + next_len;
                } else if c == '.' && single_char(text, word_start, i) {
                    return scan_dotted(text, i, end).unwrap_or(i);
                } else {
                    return i;
                }
            }
            _ => return i,
        }
    }
    i
}

/// True when `text[start..end]` is one letter.
fn single_char(text: &str, start: usize, end: usize) -> bool {
    let mut cs = text[start..end].chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_alphabetic())
}

/// At a `.` right after a single letter: if "L.L." follows (each letter alone), returns the
/// end of the dotted acronym, its final full stop included.
fn scan_dotted(text: &str, mut dot: usize, end: usize) -> Option<usize> {
    let mut letters = 1;
    loop {
        // `dot` is at a '.'; is it followed by exactly one letter?
        let after = dot + 1;
        if after < end {
            let (cls, len) = class_at(text, after);
            if cls == Class::Letter && !is_alnum_at(text, after + len, end) {
                letters += 1;
                let next = after + len;
                if next < end && text.as_bytes()[next] == b'.' {
                    dot = next;
                    continue;
                }
                return (letters >= 2).then_some(next);
            }
        }
        return (letters >= 2).then_some(dot + 1);
    }
}

/// Scans a number from `i` (just past its first digit): digits with `,`/`.` separators
/// between digits. If letters follow directly ("9th", "10km"), the token is a word.
fn scan_number(text: &str, start: usize, mut i: usize, end: usize) -> (usize, TokenKind) {
    let bytes = text.as_bytes();
    while i < end {
        let (cls, len) = class_at(text, i);
        match cls {
            Class::Digit | Class::Extend => i += len,
            Class::Letter => return (scan_word(text, start, i + len, end), TokenKind::Word),
            _ => {
                if matches!(bytes[i], b',' | b'.') && i + 1 < end && bytes[i + 1].is_ascii_digit() {
                    i += 2;
                } else {
                    break;
                }
            }
        }
    }
    (i, TokenKind::Number)
}

/// Tokenises `text[start..end]` (both char boundaries), appending to `out`, and
/// records the whitespace tokens that hold line breaks.
pub(crate) fn tokenize(text: &str, start: usize, end: usize, out: &mut Vec<Token>, newlines: &mut Newlines) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        let tok_start = i;
        let (cls, len) = class_at(text, i);
        i += len;
        let kind = match cls {
            Class::Space => {
                let mut saw_break = matches!(bytes[tok_start], b'\n' | b'\r' | 0x0c) || len > 1;
                while i < end {
                    let b = bytes[i];
                    if b == b' ' || b == b'\t' {
                        i += 1;
                        continue;
                    }
                    let (c2, l2) = class_at(text, i);
                    if c2 != Class::Space {
                        break;
                    }
                    saw_break |= matches!(b, b'\n' | b'\r' | 0x0c) || l2 > 1;
                    i += l2;
                }
                if saw_break {
                    let n = count_newlines(&text[tok_start..i]);
                    if n > 0 {
                        newlines.push((out.len() as u32, n));
                    }
                }
                TokenKind::Space
            }
            Class::Letter => {
                i = scan_word(text, tok_start, i, end);
                TokenKind::Word
            }
            Class::Digit => {
                let (e, k) = scan_number(text, tok_start, i, end);
                i = e;
                k
            }
            Class::Punct => {
                let b = bytes[tok_start];
                if b == b'.' || b == b'-' {
                    while i < end && bytes[i] == b {
                        i += 1;
                    }
                    TokenKind::Punct
                } else if possessive_here(text, tok_start, len, end, out) {
                    i += 1; // the 's' or 'S'
                    TokenKind::Word
                } else {
                    TokenKind::Punct
                }
            }
            Class::Symbol => TokenKind::Symbol,
            Class::Extend => {
                if let Some(last) = out.last_mut()
                    && last.kind != TokenKind::Space
                    && last.range.end() == tok_start
                {
                    last.range = TextRange::new(last.range.start(), i);
                    continue;
                }
                TokenKind::Symbol
            }
        };
        out.push(Token { range: TextRange::new(tok_start, i), kind });
    }
}

/// An apostrophe at `i` that starts a possessive "'s" right after a word or number.
fn possessive_here(text: &str, i: usize, len: usize, end: usize, out: &[Token]) -> bool {
    let Some(last) = out.last() else { return false };
    if !matches!(last.kind, TokenKind::Word | TokenKind::Number) || last.range.end() != i {
        return false;
    }
    if !char_at(text, i).is_some_and(is_apostrophe) {
        return false;
    }
    let s = i + len;
    s < end && matches!(text.as_bytes()[s], b's' | b'S') && !is_alnum_at(text, s + 1, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(&str, TokenKind)> {
        let mut out = Vec::new();
        let mut nl = Vec::new();
        tokenize(text, 0, text.len(), &mut out, &mut nl);
        out.iter().filter(|t| t.kind != TokenKind::Space).map(|t| (&text[t.range], t.kind)).collect()
    }

    fn words(text: &str) -> Vec<&str> {
        toks(text).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn numbers_keep_their_separators() {
        use TokenKind::*;
        assert_eq!(
            toks("100,000 3.5 1,200-strong"),
            vec![("100,000", Number), ("3.5", Number), ("1,200", Number), ("-", Punct), ("strong", Word)]
        );
        assert_eq!(toks("in 2015. 9th"), vec![("in", Word), ("2015", Number), (".", Punct), ("9th", Word)]);
        assert_eq!(words("12,"), vec!["12", ","]);
    }

    #[test]
    fn acronyms_apostrophes_and_hyphens() {
        assert_eq!(words("U.S.-led forces"), vec!["U.S.", "-", "led", "forces"]);
        assert_eq!(words("at 5 p.m., e.g. W.H.O."), vec!["at", "5", "p.m.", ",", "e.g.", "W.H.O."]);
        assert_eq!(words("George W. Bush"), vec!["George", "W", ".", "Bush"]);
        assert_eq!(
            words("the group’s leader didn't O'Brien"),
            vec!["the", "group", "’s", "leader", "didn't", "O'Brien"]
        );
        assert_eq!(words("ISIS’ media"), vec!["ISIS", "’", "media"]);
        assert_eq!(words("ISIS-held al-Abadi"), vec!["ISIS", "-", "held", "al", "-", "Abadi"]);
        assert_eq!(words("wait... now -- go"), vec!["wait", "...", "now", "--", "go"]);
    }

    #[test]
    fn unicode_classes() {
        use TokenKind::*;
        // A combining acute accent stays inside its word; NBSP is a space.
        assert_eq!(
            toks("Cafe\u{301}\u{a0}$5 «ok»"),
            vec![("Cafe\u{301}", Word), ("$", Symbol), ("5", Number), ("«", Punct), ("ok", Word), ("»", Punct)]
        );
        assert_eq!(toks("الحديدة، ٣"), vec![("الحديدة", Word), ("،", Punct), ("٣", Number)]);
    }

    #[test]
    fn newline_counts() {
        let text = "a\n\nb\r\nc \u{2029} d";
        let mut out = Vec::new();
        let mut nl = Vec::new();
        tokenize(text, 0, text.len(), &mut out, &mut nl);
        assert_eq!(nl, vec![(1, 2), (3, 1), (5, 2)]);
    }
}
