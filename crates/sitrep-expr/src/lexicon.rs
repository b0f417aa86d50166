//! The word lists behind date and count recognition, loaded from `data/*.tsv`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A problem in a word-list file (the same type the segmenter's lists use).
pub use sitrep_segment::LexiconError;

/// What a number phrase is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumKind {
    Unit,
    Tens,
    Scale,
    Dozen,
    Exact,
    Vague,
    AtLeast,
    AtMost,
    Below,
    Approx,
    Between,
}

/// One entry of `numbers.tsv`.
#[derive(Clone, Debug)]
pub(crate) struct NumPhrase {
    /// The phrase as written in the file (lowercase, single spaces).
    pub text: &'static str,
    /// Number of words.
    pub words: usize,
    /// The words after the first.
    pub rest: Box<[&'static str]>,
    pub kind: NumKind,
    pub value: u64,
}

/// What a calendar word is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateWord {
    Month(u8),
    Weekday(u8),
    /// Days per unit (0 for hours; 30 and 365 mean calendar months and years).
    Unit(u16),
    Daypart,
    FutureCue,
    /// A noun that, right after a date, makes the date part of a name
    /// ("the October 6 suburb", "the April 6 Youth Movement"): not a date.
    NameHead,
}

/// Structural words of the date grammar (written in code: they are grammar, not lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kw {
    // Prepositions whose words join the date's range.
    On,
    In,
    At,
    Over,
    During,
    Since,
    Throughout,
    // Prepositions that only license a bare month ("until March").
    Until,
    Till,
    By,
    From,
    Before,
    After,
    Of,
    Around,
    Between,
    And,
    Within,
    // Relative words.
    Yesterday,
    Today,
    Tonight,
    Tomorrow,
    Overnight,
    Last,
    Next,
    This,
    Past,
    Coming,
    Early,
    Late,
    Mid,
    Earlier,
    Later,
    The,
    Weekend,
}

const KEYWORDS: &[(&str, Kw)] = &[
    ("on", Kw::On),
    ("in", Kw::In),
    ("at", Kw::At),
    ("over", Kw::Over),
    ("during", Kw::During),
    ("since", Kw::Since),
    ("throughout", Kw::Throughout),
    ("until", Kw::Until),
    ("till", Kw::Till),
    ("by", Kw::By),
    ("from", Kw::From),
    ("before", Kw::Before),
    ("after", Kw::After),
    ("of", Kw::Of),
    ("around", Kw::Around),
    ("between", Kw::Between),
    ("and", Kw::And),
    ("within", Kw::Within),
    ("yesterday", Kw::Yesterday),
    ("today", Kw::Today),
    ("tonight", Kw::Tonight),
    ("tomorrow", Kw::Tomorrow),
    ("overnight", Kw::Overnight),
    ("last", Kw::Last),
    ("next", Kw::Next),
    ("this", Kw::This),
    ("past", Kw::Past),
    ("coming", Kw::Coming),
    ("early", Kw::Early),
    ("late", Kw::Late),
    ("mid", Kw::Mid),
    ("earlier", Kw::Earlier),
    ("later", Kw::Later),
    ("the", Kw::The),
    ("weekend", Kw::Weekend),
];

/// Everything the lists say about one lowercase word.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WordInfo {
    pub date: Option<DateWord>,
    /// Index into [`Lexicon::num_lists`]: the number phrases starting with this word.
    pub nums: Option<u32>,
    pub kw: Option<Kw>,
}

/// A small, fast hash for short ASCII keys (FxHash's mixing step).
#[derive(Default)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[derive(Debug)]
pub(crate) struct Lexicon {
    /// Number phrases grouped by first word, longest first.
    pub num_lists: Vec<Vec<NumPhrase>>,
    /// Every listed word (lowercase) and what it is.
    pub index: HashMap<&'static [u8], WordInfo, BuildHasherDefault<Fx>>,
    /// A bit per (length, first letter, last letter) of the listed words: most words of a text
    /// are turned away here without hashing.
    bloom: Box<[u64; 256]>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon { num_lists: Vec::new(), index: HashMap::default(), bloom: Box::new([0; 256]) }
    }
}

fn bloom_bit(word: &[u8]) -> usize {
    let (Some(&a), Some(&z)) = (word.first(), word.last()) else { return 0 };
    ((word.len() & 15) << 10) | ((usize::from(a | 0x20) & 31) << 5) | (usize::from(z | 0x20) & 31)
}

impl Lexicon {
    /// What the lists say about `word` (any case).
    pub(crate) fn info(&self, word: &str) -> Option<&WordInfo> {
        let b = word.as_bytes();
        if b.len() > 16 {
            return None;
        }
        let bit = bloom_bit(b);
        if self.bloom[bit >> 6] & (1 << (bit & 63)) == 0 {
            return None;
        }
        let mut buf = [0u8; 16];
        let n = b.len();
        for (d, s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        self.index.get(&buf[..n])
    }

    fn entry(&mut self, word: &'static str) -> &mut WordInfo {
        let bit = bloom_bit(word.as_bytes());
        self.bloom[bit >> 6] |= 1 << (bit & 63);
        self.index.entry(word.as_bytes()).or_default()
    }

    #[cfg(test)]
    pub(crate) fn phrases(&self, first: &str) -> &[NumPhrase] {
        self.info(first).and_then(|i| i.nums).map_or(&[], |n| &self.num_lists[n as usize])
    }
}

const NUMBERS: &str = include_str!("../data/numbers.tsv");
const DATES: &str = include_str!("../data/dates.tsv");

pub(crate) fn builtin() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    // The built-in files are checked by this crate's tests.
    LEX.get_or_init(|| load(NUMBERS, "data/numbers.tsv", DATES, "data/dates.tsv").expect("built-in word lists"))
}

fn content_lines(source: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    source.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end_matches('\r'))).filter(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

fn err(file: &str, line: usize, field: &'static str, message: String) -> LexiconError {
    LexiconError { file: file.to_owned(), line, field, message }
}

/// Parses both word lists. Sources are `'static` because phrases keep pointing into them
/// ([`crate::Count::Vague`] names its word).
pub(crate) fn load(
    numbers: &'static str,
    numbers_file: &str,
    dates: &'static str,
    dates_file: &str,
) -> Result<Lexicon, LexiconError> {
    let mut lex = Lexicon::default();
    for (n, line) in content_lines(numbers) {
        let mut fields = line.split('\t');
        let phrase = fields.next().unwrap_or("");
        if phrase.is_empty() || phrase != phrase.trim() || phrase.contains("  ") || phrase != phrase.to_lowercase() {
            return Err(err(
                numbers_file,
                n,
                "phrase",
                format!("{phrase:?} must be lowercase words with single spaces"),
            ));
        }
        let kind = match fields.next().map(str::trim) {
            Some("unit") => NumKind::Unit,
            Some("tens") => NumKind::Tens,
            Some("scale") => NumKind::Scale,
            Some("dozen") => NumKind::Dozen,
            Some("exact") => NumKind::Exact,
            Some("vague") => NumKind::Vague,
            Some("at-least") => NumKind::AtLeast,
            Some("at-most") => NumKind::AtMost,
            Some("below") => NumKind::Below,
            Some("approx") => NumKind::Approx,
            Some("between") => NumKind::Between,
            other => {
                return Err(err(
                    numbers_file,
                    n,
                    "kind",
                    format!(
                        "{:?} is not one of unit, tens, scale, dozen, exact, vague, at-least, at-most, below, approx, between",
                        other.unwrap_or("")
                    ),
                ));
            }
        };
        let value_field = fields.next().map_or("", str::trim);
        let is_modifier =
            matches!(kind, NumKind::AtLeast | NumKind::AtMost | NumKind::Below | NumKind::Approx | NumKind::Between);
        let value = if is_modifier {
            if !value_field.is_empty() {
                return Err(err(numbers_file, n, "value", format!("a modifier takes no value, found {value_field:?}")));
            }
            0
        } else {
            value_field.parse::<u64>().ok().filter(|v| *v <= u64::from(u32::MAX)).ok_or_else(|| {
                err(numbers_file, n, "value", format!("{value_field:?} is not a whole number up to 4294967295"))
            })?
        };
        let first = phrase.split(' ').next().unwrap_or(phrase);
        if first.len() > 16 {
            return Err(err(numbers_file, n, "phrase", format!("{first:?} is longer than 16 bytes")));
        }
        let words = phrase.split(' ').count();
        let next_list = lex.num_lists.len();
        let info = lex.entry(first);
        let list = match info.nums {
            Some(k) => k as usize,
            None => {
                info.nums = Some(next_list as u32);
                lex.num_lists.push(Vec::new());
                next_list
            }
        };
        let rest = phrase.split(' ').skip(1).collect();
        lex.num_lists[list].push(NumPhrase { text: phrase, words, rest, kind, value });
    }
    for list in &mut lex.num_lists {
        list.sort_by_key(|p| std::cmp::Reverse(p.words));
    }
    for (n, line) in content_lines(dates) {
        let mut fields = line.split('\t');
        let word = fields.next().unwrap_or("");
        if word.is_empty() || word.contains(' ') || word != word.to_lowercase() || word.len() > 16 {
            return Err(err(dates_file, n, "word", format!("{word:?} must be one lowercase word of 16 bytes at most")));
        }
        let kind = fields.next().map_or("", str::trim);
        let value = fields.next().map_or("", str::trim);
        let num = |lo: u16, hi: u16| {
            value.parse::<u16>().ok().filter(|v| (lo..=hi).contains(v)).ok_or_else(|| {
                err(dates_file, n, "value", format!("{value:?} is not a whole number from {lo} to {hi}"))
            })
        };
        let entry = match kind {
            "month" => DateWord::Month(num(1, 12)? as u8),
            "weekday" => DateWord::Weekday(num(1, 7)? as u8),
            "unit" => DateWord::Unit(num(0, 365)?),
            "daypart" => DateWord::Daypart,
            "future-cue" => DateWord::FutureCue,
            "name-head" => DateWord::NameHead,
            _ => {
                return Err(err(
                    dates_file,
                    n,
                    "kind",
                    format!("{kind:?} is not one of month, weekday, unit, daypart, future-cue, name-head"),
                ));
            }
        };
        lex.entry(word).date = Some(entry);
    }
    for &(w, kw) in KEYWORDS {
        lex.entry(w).kw = Some(kw);
    }
    Ok(lex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_load() {
        let lex = builtin();
        assert!(lex.phrases("tens").iter().any(|p| p.text == "tens of thousands" && p.value == 10_000));
        // Longest phrases first.
        assert_eq!(lex.phrases("Tens")[0].text, "tens of thousands");
        assert_eq!(lex.info("Sept").and_then(|i| i.date), Some(DateWord::Month(9)));
        assert_eq!(lex.info("sunday").and_then(|i| i.date), Some(DateWord::Weekday(7)));
        assert_eq!(lex.info("SINCE").and_then(|i| i.kw), Some(Kw::Since));
        assert!(lex.info("killed").is_none());
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let e = load("one\tunit\t1\ntwo\tunit\tx\n", "n.tsv", "", "d.tsv").unwrap_err();
        assert_eq!((e.file.as_str(), e.line, e.field), ("n.tsv", 2, "value"));
        let e = load("# c\n\nOne\tunit\t1\n", "n.tsv", "", "d.tsv").unwrap_err();
        assert_eq!((e.line, e.field), (3, "phrase"));
        let e = load("at least\tat-least\t3\n", "n.tsv", "", "d.tsv").unwrap_err();
        assert_eq!((e.line, e.field), (1, "value"));
        let e = load("", "n.tsv", "monday\tweekday\t8\n", "d.tsv").unwrap_err();
        assert_eq!(e.to_string(), "d.tsv:1: field `value`: \"8\" is not a whole number from 1 to 7");
        let e = load("", "n.tsv", "monday\tday\t1\n", "d.tsv").unwrap_err();
        assert_eq!((e.line, e.field), (1, "kind"));
    }

    #[test]
    fn lookups_ignore_case_and_reject_unlisted_words() {
        let lex = builtin();
        assert_eq!(lex.info("DeCeMbEr").and_then(|i| i.date), Some(DateWord::Month(12)));
        assert!(lex.info("Café").is_none());
        assert!(lex.info("").is_none());
        assert!(lex.info("extraordinarily-long-word").is_none());
    }
}
