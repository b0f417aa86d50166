//! Context words (`data/gazetteer/context-words.tsv`): the evidence around a name.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a: short keys, no need for DoS resistance (the keys are our own lists).
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A hash builder for [`Fnv`].
pub type FnvBuild = BuildHasherDefault<Fnv>;

use crate::Error;

/// The shipped context-word list.
pub const CONTEXT_WORDS: &str = include_str!("../../../data/gazetteer/context-words.tsv");

/// Categories of context words (a word may have several).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cats(pub u32);

impl Cats {
    pub const TITLE: u32 = 1;
    pub const ORG: u32 = 2;
    pub const FACILITY: u32 = 4;
    pub const ADMIN1: u32 = 8;
    pub const ADMIN2: u32 = 16;
    pub const SETTLEMENT: u32 = 32;
    pub const LOCATIVE: u32 = 64;
    pub const DIRECTION: u32 = 128;
    pub const RELATION: u32 = 256;
    pub const SPEECH: u32 = 512;
    pub const STOP: u32 = 1024;
    pub const STREET: u32 = 2048;
    pub const LANDMARK: u32 = 4096;
    pub const ADMIN1_LIST: u32 = 8192;
    pub const ADMIN2_LIST: u32 = 16384;
    pub const PREFIX: u32 = 32768;
    pub const PARTICLE: u32 = 65536;
    pub const EVENT: u32 = 1 << 17;
    pub const FUNCTION: u32 = 1 << 18;
    pub const PORTRAYAL: u32 = 1 << 19;
    pub const MAKER: u32 = 1 << 20;
    pub const FOLK: u32 = 1 << 21;
    pub const CAMPUS: u32 = 1 << 22;

    /// True when the word has category `c`.
    #[inline]
    pub fn has(self, c: u32) -> bool {
        self.0 & c != 0
    }
}

/// English given names (`data/gazetteer/given-names.txt`), folded.
pub const GIVEN_NAMES: &str = include_str!("../../../data/gazetteer/given-names.txt");

/// True when the folded word is a common English given name ("paul", "kelly").
pub fn is_given_name(folded: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str, FnvBuild>> = OnceLock::new();
    SET.get_or_init(|| GIVEN_NAMES.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect())
        .contains(folded)
}

/// True when the folded word is a common English word (`data/gazetteer/common-words.txt`).
pub fn is_common_word(folded: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str, FnvBuild>> = OnceLock::new();
    SET.get_or_init(|| {
        crate::artifact::COMMON_WORDS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
    })
    .contains(folded)
}

/// Word → categories.
pub struct ContextWords {
    map: HashMap<String, Cats, FnvBuild>,
}

impl ContextWords {
    /// Parses a context-word list; errors name the line and field.
    pub fn parse(text: &str, origin: &str) -> Result<ContextWords, Error> {
        let mut map: HashMap<String, Cats, FnvBuild> = HashMap::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let word = cols.next().unwrap_or("").trim();
            let cat = cols.next().unwrap_or("").trim();
            let bit = match cat {
                "title" => Cats::TITLE,
                "org" => Cats::ORG,
                "facility" => Cats::FACILITY,
                "admin1" => Cats::ADMIN1,
                "admin2" => Cats::ADMIN2,
                "settlement" => Cats::SETTLEMENT,
                "locative" => Cats::LOCATIVE,
                "direction" => Cats::DIRECTION,
                "relation" => Cats::RELATION,
                "speech" => Cats::SPEECH,
                "stop" => Cats::STOP,
                "street" => Cats::STREET,
                "landmark" => Cats::LANDMARK,
                "admin1-list" => Cats::ADMIN1_LIST,
                "admin2-list" => Cats::ADMIN2_LIST,
                "prefix" => Cats::PREFIX,
                "particle" => Cats::PARTICLE,
                "event" => Cats::EVENT,
                "function" => Cats::FUNCTION,
                "portrayal" => Cats::PORTRAYAL,
                "maker" => Cats::MAKER,
                "folk" => Cats::FOLK,
                "campus" => Cats::CAMPUS,
                _ => {
                    return Err(Error::Data {
                        file: origin.to_owned(),
                        line: n + 1,
                        field: "category".into(),
                        message: format!("unknown category {cat:?}"),
                    });
                }
            };
            if word.is_empty() {
                return Err(Error::Data {
                    file: origin.to_owned(),
                    line: n + 1,
                    field: "word".into(),
                    message: "empty word".into(),
                });
            }
            map.entry(word.to_lowercase()).or_default().0 |= bit;
        }
        Ok(ContextWords { map })
    }

    /// The shipped list.
    pub fn shipped() -> &'static ContextWords {
        static WORDS: OnceLock<ContextWords> = OnceLock::new();
        WORDS.get_or_init(|| {
            ContextWords::parse(CONTEXT_WORDS, "data/gazetteer/context-words.tsv")
                .unwrap_or_else(|_| ContextWords { map: HashMap::default() })
        })
    }

    /// The categories of a folded word.
    #[inline]
    pub fn get(&self, folded: &str) -> Cats {
        self.map.get(folded).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_list_parses() {
        let w = ContextWords::parse(CONTEXT_WORDS, "context-words.tsv").unwrap();
        assert!(w.get("province").has(Cats::ADMIN1));
        assert!(w.get("village").has(Cats::SETTLEMENT));
        assert!(w.get("bridge").has(Cats::FACILITY));
        assert!(w.get("north").has(Cats::RELATION));
        assert!(!w.get("mosul").has(Cats::TITLE));
        assert!(is_given_name("paul") && is_given_name("kelly") && !is_given_name("mosul"));
    }

    #[test]
    fn bad_category_names_line_and_field() {
        let err = ContextWords::parse("# c\nfoo\tbar\n", "x.tsv").err().unwrap().to_string();
        assert!(err.contains("x.tsv") && err.contains("line 2") && err.contains("category"), "{err}");
    }
}
