//! Paragraphs and sentences from the token stream.

use crate::lexicon::{AbbrevKind, Lexicon};
use crate::tokenize::Newlines;
use crate::{Segmentation, Sentence, Token, TokenKind};
use sitrep_text::TextRange;

/// What the token after a candidate sentence end looks like.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Next {
    /// Starts with a lowercase letter.
    Lower,
    /// Starts with an uppercase letter, a letter of a caseless script, or an opening
    /// quote/bracket before one.
    Upper,
    /// A number (or an opening quote/bracket before one).
    Digit,
    /// A symbol ($, %, emoji…).
    Symbol,
    /// Other punctuation (comma, closing bracket, dash…): the sentence goes on.
    Punct,
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '“' | '‘' | '«' | '‹' | '„' | '¿' | '¡' | '「' | '『' | '（')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '”' | '’' | '»' | '›' | '」' | '』' | '）')
}

/// A sentence-final punctuation mark, and whether it ends a sentence without a following space.
fn terminator(s: &str) -> Option<bool> {
    match s {
        "." | "!" | "?" | "…" | "؟" | "۔" | "।" | "॥" => Some(false),
        "。" | "！" | "？" => Some(true),
        _ if s.len() > 1 && s.bytes().all(|b| b == b'.') => Some(false),
        _ => None,
    }
}

struct Ctx<'a> {
    text: &'a str,
    tokens: &'a [Token],
    lexicon: &'a Lexicon,
}

impl Ctx<'_> {
    fn s(&self, i: usize) -> &str {
        &self.text[self.tokens[i].range]
    }

    fn classify(&self, i: usize, limit: usize) -> Next {
        let t = self.tokens[i];
        let c = first_char(self.s(i));
        match t.kind {
            TokenKind::Number => Next::Digit,
            TokenKind::Word => {
                if c.is_lowercase() {
                    Next::Lower
                } else if c.is_ascii_digit() || (!c.is_alphabetic() && c.is_numeric()) {
                    Next::Digit
                } else {
                    Next::Upper
                }
            }
            TokenKind::Symbol => Next::Symbol,
            TokenKind::Punct if is_opener(c) || matches!(c, '•' | '·' | '‣' | '–' | '—') => {
                // An opening quote or bracket (or a bullet) before a sentence start.
                if i + 1 < limit && self.tokens[i + 1].kind != TokenKind::Space {
                    match self.classify(i + 1, limit) {
                        Next::Lower => Next::Lower,
                        Next::Punct => Next::Punct,
                        other => other,
                    }
                } else if matches!(c, '•' | '·' | '‣' | '–' | '—') {
                    Next::Upper
                } else {
                    Next::Punct
                }
            }
            TokenKind::Punct | TokenKind::Space => Next::Punct,
        }
    }

    /// Whether the sentence ends after the terminator cluster `term..=last`, given the
    /// first token `next` of what follows.
    fn ends_sentence(&self, term: usize, next: usize, limit: usize) -> bool {
        let nx = self.classify(next, limit);
        let normal = matches!(nx, Next::Upper | Next::Digit | Next::Symbol);
        let t = self.s(term);
        let kind = if self.tokens[term].kind == TokenKind::Word {
            // A dotted acronym token such as "U.S." or "a.m." ends in its own full stop.
            let key = &t[..t.len() - 1];
            Some(self.lexicon.abbrev(key).unwrap_or(AbbrevKind::Acronym))
        } else if t == "." && term > 0 && self.tokens[term - 1].kind == TokenKind::Word {
            let w = self.s(term - 1);
            self.lexicon.abbrev(w).or_else(|| self.initial(term - 1).then_some(AbbrevKind::Acronym))
        } else {
            None
        };
        let next_word = self.word_after_openers(next, limit);
        match kind {
            None => normal,
            Some(AbbrevKind::Never) => false,
            Some(AbbrevKind::BeforeNumber) => normal && nx != Next::Digit,
            Some(AbbrevKind::Acronym) => next_word.is_some_and(|w| self.lexicon.is_starter(w)),
            Some(AbbrevKind::Maybe) => normal && !next_word.is_some_and(|w| self.lexicon.is_continuation(w)),
        }
    }

    /// A single capital letter standing alone, as in "George W. Bush".
    fn initial(&self, i: usize) -> bool {
        let mut cs = self.s(i).chars();
        let one = matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase());
        one && (i == 0 || self.tokens[i - 1].kind != TokenKind::Word)
    }

    /// The word at `i`, skipping opening quotes and brackets.
    fn word_after_openers(&self, mut i: usize, limit: usize) -> Option<&str> {
        while i < limit {
            match self.tokens[i].kind {
                TokenKind::Word => return Some(self.s(i)),
                TokenKind::Punct if is_opener(first_char(self.s(i))) => i += 1,
                _ => return None,
            }
        }
        None
    }

    /// At a single line break (token `sp`) inside a paragraph, after a line that does
    /// not end in sentence punctuation: does the line before it stand alone (a headline,
    /// a byline, a list item) rather than wrap into the next line?
    fn line_break_ends_sentence(&self, sp: usize, para: TextRange, limit: usize) -> bool {
        if self.starts_list_item(sp + 1, limit) {
            return true;
        }
        let before = self.tokens[sp - 1];
        let last_char = self.text[before.range].chars().next_back().unwrap_or(' ');
        if before.kind == TokenKind::Punct && !is_closer(last_char) {
            return false; // "…, \n", "… -\n": the sentence goes on.
        }
        let nx = self.classify(sp + 1, limit);
        if matches!(nx, Next::Lower | Next::Punct) {
            return false;
        }
        let bytes = self.text.as_bytes();
        let sp_range = self.tokens[sp].range;
        let line_start = bytes[para.start()..sp_range.start()]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(para.start(), |p| para.start() + p + 1);
        let next_start = sp_range.end();
        let next_end = bytes[next_start..para.end()]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(para.end(), |p| next_start + p);
        let prev_len = self.text[line_start..sp_range.start()].trim().chars().count();
        let next_len = self.text[next_start..next_end].trim().chars().count();
        if self.starts_dateline(sp + 1, limit) {
            return true;
        }
        if prev_len < 40 || prev_len * 10 < next_len * 6 {
            return true;
        }
        self.title_case(line_start, sp)
    }

    fn starts_list_item(&self, i: usize, limit: usize) -> bool {
        let c = first_char(self.s(i));
        let spaced = i + 1 < limit && self.tokens[i + 1].kind == TokenKind::Space;
        if matches!(c, '•' | '·' | '‣' | '▪' | '◦' | '*' | '-' | '–' | '—') && spaced {
            return true;
        }
        self.tokens[i].kind == TokenKind::Number
            && i + 2 < limit
            && matches!(self.s(i + 1), "." | ")")
            && self.tokens[i + 2].kind == TokenKind::Space
    }

    /// "MOSUL, Iraq (CNN) —", "BAGHDAD (Reuters) -": capitals, then a comma, bracket or dash.
    fn starts_dateline(&self, mut i: usize, limit: usize) -> bool {
        let mut caps = 0;
        while i < limit {
            let t = self.tokens[i];
            let s = self.s(i);
            match t.kind {
                TokenKind::Word if s.chars().count() >= 2 && !s.chars().any(char::is_lowercase) => caps += 1,
                TokenKind::Space if caps > 0 && !s.contains('\n') => {}
                TokenKind::Punct => return caps > 0 && matches!(s, "," | "(" | "-" | "--" | "—" | "–"),
                _ => return false,
            }
            i += 1;
        }
        false
    }

    /// Every word of four letters or more is capitalised, and there are at least three.
    fn title_case(&self, line_start: usize, sp: usize) -> bool {
        let mut n = 0;
        let mut i = sp;
        while i > 0 {
            i -= 1;
            let t = self.tokens[i];
            if t.range.start() < line_start {
                break;
            }
            if t.kind == TokenKind::Word {
                let s = self.s(i);
                if s.chars().count() >= 4 {
                    if !first_char(s).is_uppercase() {
                        return false;
                    }
                    n += 1;
                }
            }
        }
        n >= 3
    }
}

/// Builds paragraphs and sentences over `tokens` (which tile the region).
pub(crate) fn split(text: &str, tokens: Vec<Token>, newlines: &Newlines, lexicon: &Lexicon) -> Segmentation {
    let mut seg = Segmentation { sentences: Vec::new(), tokens, paragraphs: Vec::new() };
    let ctx = Ctx { text, tokens: &seg.tokens, lexicon };
    let n = seg.tokens.len();
    let mut nl = newlines.iter().peekable();
    let mut i = 0;
    while i < n {
        // Skip whitespace to the paragraph's first token.
        while i < n && seg.tokens[i].kind == TokenKind::Space {
            i += 1;
        }
        if i == n {
            break;
        }
        let p0 = i;
        // The paragraph ends at the next whitespace token holding two line breaks.
        let mut p_end = n;
        while let Some(&&(t, count)) = nl.peek() {
            let t = t as usize;
            if t < p0 {
                nl.next();
                continue;
            }
            if count >= 2 {
                p_end = t;
                break;
            }
            nl.next();
        }
        let mut p1 = p_end;
        while p1 > p0 && seg.tokens[p1 - 1].kind == TokenKind::Space {
            p1 -= 1;
        }
        let para = TextRange::new(seg.tokens[p0].range.start(), seg.tokens[p1 - 1].range.end());
        let pidx = seg.paragraphs.len() as u32;
        seg.paragraphs.push(para);
        sentences_in(&ctx, p0, p1, para, pidx, &mut seg.sentences);
        i = p_end;
    }
    seg
}

fn sentences_in(ctx: &Ctx<'_>, p0: usize, p1: usize, para: TextRange, pidx: u32, out: &mut Vec<Sentence>) {
    let tokens = ctx.tokens;
    let push = |out: &mut Vec<Sentence>, a: usize, b: usize| {
        out.push(Sentence {
            range: TextRange::new(tokens[a].range.start(), tokens[b - 1].range.end()),
            tokens: a as u32..b as u32,
            paragraph: pidx,
        });
    };
    let mut s0 = p0;
    let mut j = p0;
    while j < p1 {
        let t = tokens[j];
        let is_term = match t.kind {
            TokenKind::Punct => terminator(ctx.s(j)),
            TokenKind::Word if ctx.s(j).len() > 2 && ctx.s(j).ends_with('.') => Some(false),
            _ => None,
        };
        if let Some(no_space_needed) = is_term {
            // Take in further terminators and closing quotes/brackets: `?!`, `.”`, `.)`.
            let mut k = j;
            while k + 1 < p1 && tokens[k + 1].kind == TokenKind::Punct {
                let s = ctx.s(k + 1);
                if terminator(s).is_some() || is_closer(first_char(s)) {
                    k += 1;
                } else {
                    break;
                }
            }
            if k + 1 >= p1 {
                break;
            }
            let spaced = tokens[k + 1].kind == TokenKind::Space;
            let next = if spaced { k + 2 } else { k + 1 };
            let ends = if spaced {
                ctx.ends_sentence(j, next, p1)
            } else {
                no_space_needed && tokens[next].kind != TokenKind::Punct
            };
            if ends {
                push(out, s0, k + 1);
                s0 = next;
            }
            // Skip the whitespace after the cluster: the terminator rule has decided.
            j = next;
            continue;
        }
        if t.kind == TokenKind::Space
            && j > s0
            && j + 1 < p1
            && contains_line_break(ctx.s(j))
            && ctx.line_break_ends_sentence(j, para, p1)
        {
            push(out, s0, j);
            s0 = j + 1;
        }
        j += 1;
    }
    push(out, s0, p1);
}

fn contains_line_break(s: &str) -> bool {
    s.bytes().any(|b| b == b'\n' || b == b'\r') || s.contains(['\u{2028}', '\u{0085}'])
}
