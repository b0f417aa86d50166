//! Compiling the tables into one automaton: every alias and its spelling variants become patterns;
//! each pattern keeps the senses (table rows) it can stand for.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, StartKind};

use super::table::{Alias, CaseRule, Tables};

/// A table row an alias stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sense {
    /// A country's name or nationality word (index into `countries`).
    Country(u32),
    Force(u32),
    Group(u32),
    Ethnic(u32),
    Noun(u32),
    Role(u32),
}

/// One sense of a pattern, with the alias spelling it came from (for the case rule).
#[derive(Clone, Debug)]
pub(crate) struct PatSense {
    pub sense: Sense,
    pub case: CaseRule,
    pub form: Box<str>,
    rank: u32,
}

pub(crate) struct Compiled {
    pub ac: AhoCorasick,
    /// Per pattern: its senses, user files' first.
    pub senses: Vec<Vec<PatSense>>,
    /// Per pattern: its length in bytes.
    pub lens: Vec<u32>,
    /// Per pattern: shorter patterns it starts with, ending at a word boundary, longest first; tried
    /// when no sense of the long pattern applies ("Fulani herdsmen" outside Nigeria falls back to "Fulani").
    pub prefixes: Vec<Vec<u32>>,
    /// A quick test before the automaton: the hashed first word prefixes (see `gate_key`) of all
    /// patterns. Most words of a text fail it.
    gate: Box<[u64]>,
}

const GATE_BITS: usize = 1 << 17;

/// The gate key of the text at a word start: its first word's first four bytes (ASCII lower-cased,
/// with its length when shorter), hashed. A word runs to the first ASCII byte that is not a letter or
/// digit.
#[inline]
fn gate_key(bytes: &[u8]) -> usize {
    let mut key: u64 = 0;
    let mut len = 0;
    for &b in bytes.iter().take(4) {
        if b < 0x80 && !b.is_ascii_alphanumeric() {
            break;
        }
        key = key << 8 | u64::from(b.to_ascii_lowercase());
        len += 1;
    }
    let h = (key | (len << 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - 17)) as usize
}

impl Compiled {
    pub fn new(tables: &Tables) -> Compiled {
        let mut b = Builder::default();
        for (i, c) in tables.countries.iter().enumerate() {
            let name = Alias { text: c.name.clone(), case: CaseRule::Capital };
            for a in c.demonyms.iter().chain(&c.aliases).chain(std::iter::once(&name)) {
                b.add(a, Sense::Country(idx(i)), u32::MAX - idx(i));
            }
        }
        for (i, r) in tables.forces.iter().enumerate() {
            b.add(&r.alias, Sense::Force(idx(i)), r.rank);
        }
        for (i, r) in tables.groups.iter().enumerate() {
            for a in &r.aliases {
                b.add(a, Sense::Group(idx(i)), r.rank);
            }
        }
        for (i, r) in tables.ethnic.iter().enumerate() {
            for a in &r.aliases {
                b.add(a, Sense::Ethnic(idx(i)), r.rank);
            }
        }
        for (i, r) in tables.nouns.iter().enumerate() {
            b.add(&r.alias, Sense::Noun(idx(i)), r.rank);
        }
        for (i, r) in tables.roles.iter().enumerate() {
            b.add(&r.alias, Sense::Role(idx(i)), r.rank);
        }
        b.finish()
    }

    pub fn pattern_count(&self) -> usize {
        self.lens.len()
    }

    /// Can some pattern start at `bytes[0..]` (a word start)? False means certainly not.
    #[inline]
    pub fn may_start(&self, bytes: &[u8]) -> bool {
        let i = gate_key(bytes);
        self.gate[i / 64] & (1 << (i % 64)) != 0
    }
}

fn idx(i: usize) -> u32 {
    u32::try_from(i).expect("lexicon tables hold fewer than 4 billion rows")
}

#[derive(Default)]
struct Builder {
    keys: Vec<String>,
    by_key: HashMap<String, usize>,
    senses: Vec<Vec<PatSense>>,
}

impl Builder {
    /// Adds an alias (and its spelling variants) for a sense. `rank`: higher first among a pattern's
    /// senses; countries pass a rank that keeps them in file order.
    fn add(&mut self, alias: &Alias, sense: Sense, rank: u32) {
        for form in variants(&alias.text) {
            let key = form.to_ascii_lowercase();
            let p = match self.by_key.get(&key) {
                Some(&p) => p,
                None => {
                    self.by_key.insert(key.clone(), self.keys.len());
                    self.keys.push(key);
                    self.senses.push(Vec::new());
                    self.keys.len() - 1
                }
            };
            let list = &mut self.senses[p];
            if !list.iter().any(|s| s.sense == sense && *s.form == *form) {
                list.push(PatSense { sense, case: alias.case, form: form.into_boxed_str(), rank });
            }
        }
    }

    fn finish(mut self) -> Compiled {
        for list in &mut self.senses {
            // Stable: within a rank, load order.
            list.sort_by_key(|s| std::cmp::Reverse(s.rank));
        }
        let prefixes = self
            .keys
            .iter()
            .map(|key| {
                let mut found: Vec<u32> = key
                    .char_indices()
                    .filter(|&(_, c)| c == ' ' || c == '-')
                    .filter_map(|(i, _)| self.by_key.get(&key[..i]).map(|&p| idx(p)))
                    .collect();
                found.reverse();
                found
            })
            .collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .start_kind(StartKind::Anchored)
            .build(&self.keys)
            .expect("the actor lexicon compiles to an automaton");
        let lens = self.keys.iter().map(|k| idx(k.len())).collect();
        let mut gate = vec![0u64; GATE_BITS / 64].into_boxed_slice();
        for key in &self.keys {
            let i = gate_key(key.as_bytes());
            gate[i / 64] |= 1 << (i % 64);
        }
        Compiled { ac, senses: self.senses, lens, prefixes, gate }
    }
}

/// Spellings of an alias met in text: hyphen or space between words ("al-Shabaab", "al Shabaab"), and
/// straight, curly or no apostrophe ("Lord's", "Lord’s", "Lords").
pub(crate) fn variants(alias: &str) -> Vec<String> {
    let chars: Vec<char> = alias.chars().collect();
    let seps: Vec<usize> = (1..chars.len().saturating_sub(1))
        .filter(|&i| {
            (chars[i] == ' ' || chars[i] == '-') && chars[i - 1].is_alphanumeric() && chars[i + 1].is_alphanumeric()
        })
        .collect();
    let mut forms: Vec<String> = Vec::new();
    let push = |s: String, forms: &mut Vec<String>| {
        if !forms.contains(&s) {
            forms.push(s);
        }
    };
    push(alias.to_owned(), &mut forms);
    let with = |choice: &dyn Fn(usize) -> char| -> String {
        chars.iter().enumerate().map(|(i, &c)| if seps.contains(&i) { choice(i) } else { c }).collect()
    };
    if seps.len() <= 3 {
        for mask in 0..(1u32 << seps.len()) {
            let s = with(&|i| {
                let bit = seps.iter().position(|&p| p == i).unwrap_or(0);
                if mask & (1 << bit) != 0 { '-' } else { ' ' }
            });
            push(s, &mut forms);
        }
    } else {
        push(with(&|_| ' '), &mut forms);
        push(with(&|_| '-'), &mut forms);
    }
    let mut out = Vec::new();
    for f in forms {
        let straight = f.replace('’', "'");
        for g in [f.clone(), straight.clone(), straight.replace('\'', "’"), straight.replace('\'', "")] {
            if !g.is_empty() && !out.contains(&g) {
                out.push(g);
            }
        }
    }
    out
}
