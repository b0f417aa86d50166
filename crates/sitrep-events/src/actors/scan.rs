//! Recognition: one automaton pass finds the patterns at word starts ([`probes`], the same for any
//! document context), atoms are those matches whose senses apply in this document, then a
//! left-to-right pass joins neighbouring atoms into actors.

use std::collections::BTreeSet;

use aho_corasick::{Anchored, Input};
use sitrep_model::Inter;
use sitrep_text::TextRange;

use super::compile::Sense;
use super::table::{CaseRule, GroupName, Label, Needs, RoleKind};
use super::{ActorContext, ActorHit, ActorKind, ActorLexicon, Branch};

/// A stretch of text matched by one pattern, with the senses that apply.
#[derive(Clone, Copy, Debug)]
struct Atom {
    start: usize,
    end: usize,
    senses: (u32, u32),
}

/// A word start where the automaton matches: the position (in the text, not the region) and the
/// longest pattern that starts there. Knowing nothing of the document, it can be reused by every
/// read of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Probe {
    pub at: u32,
    pub pattern: u32,
}

/// The automaton's matches at every word start of `text[region]`, in text order.
pub(crate) fn probes(lex: &ActorLexicon, text: &str, region: TextRange) -> Vec<Probe> {
    let hay = &text[region];
    let bytes = hay.as_bytes();
    let n = bytes.len();
    // Is there a word character at `p`, and how long is the character?
    let word_at = |p: usize| -> (bool, usize) {
        let b = bytes[p];
        if b < 0x80 {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = hay[p..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        }
    };
    let mut out = Vec::new();
    let mut p = 0;
    while p < n {
        let (word, len) = word_at(p);
        if !word {
            p += len;
            continue;
        }
        if let Some(pattern) = probe_at(lex, hay, p) {
            out.push(Probe { at: idx(region.start() + p), pattern });
        }
        p += len;
        // Skip the rest of the word.
        while p < n {
            let b = bytes[p];
            if b.is_ascii_alphanumeric() {
                p += 1;
                continue;
            }
            let (word, len) = if b < 0x80 { (false, 1) } else { word_at(p) };
            if !word {
                break;
            }
            p += len;
        }
    }
    out
}

/// The longest pattern that the automaton matches at `hay[start..]` (a word start), behind the
/// first-word filter.
pub(crate) fn probe_at(lex: &ActorLexicon, hay: &str, start: usize) -> Option<u32> {
    let compiled = &lex.compiled;
    if !compiled.may_start(&hay.as_bytes()[start..]) {
        return None;
    }
    let input = Input::new(hay).span(start..hay.len()).anchored(Anchored::Yes);
    compiled.ac.find(input).map(|m| idx(m.pattern().as_usize()))
}

/// A hit before its range is made absolute and its country written as a code.
#[derive(Clone, Debug)]
struct Out {
    start: usize,
    end: usize,
    name: String,
    inter: Inter,
    country: Option<usize>,
    kind: ActorKind,
    /// For the people of an identity group ("the Nuer community"): the militia they form in a fight.
    militia: Option<String>,
}

/// A word that points back at a named group ("the militants").
struct Pending {
    start: usize,
    end: usize,
    prefer: Inter,
    fallback: Option<String>,
    country: Option<usize>,
}

pub(crate) struct Scanner<'a> {
    lex: &'a ActorLexicon,
    hay: &'a str,
    base: usize,
    ctx: Option<usize>,
    /// The document's country is known (even when it is not in the country table).
    ctx_known: bool,
    year: Option<i16>,
    atoms: Vec<Atom>,
    senses: Vec<Sense>,
    out: Vec<Out>,
    pending: Vec<Pending>,
    /// Reading for country hints (no document context): an ethnic group living in several countries
    /// names none.
    hint: bool,
}

/// Spelled ordinals before a unit name ("Fifth Division").
const ORDINAL_WORDS: &[&str] = &[
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
    "Twentieth",
];

/// Lower-case words that may sit inside a personal name ("Haider al-Abadi", "Ahmed Ould Abdallah").
const NAME_PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "abu", "abd", "de", "da", "du", "dos", "van", "von", "der", "ul", "ud", "ould",
    "ag", "wa",
];

impl<'a> Scanner<'a> {
    pub fn new(lex: &'a ActorLexicon, text: &'a str, region: TextRange, ctx: &ActorContext) -> Scanner<'a> {
        Scanner {
            lex,
            hay: &text[region],
            base: region.start(),
            ctx: ctx.country.as_deref().and_then(|c| lex.tables.country_index(c)),
            ctx_known: ctx.country.is_some(),
            year: ctx.year,
            atoms: Vec::new(),
            senses: Vec::new(),
            out: Vec::new(),
            pending: Vec::new(),
            hint: false,
        }
    }

    /// A scanner for [`ActorLexicon::hints`]: no document country, and an ethnic group that lives in
    /// several countries names none.
    pub fn for_hints(lex: &'a ActorLexicon, text: &'a str, region: TextRange) -> Scanner<'a> {
        Scanner { hint: true, ..Scanner::new(lex, text, region, &ActorContext::default()) }
    }

    /// Reads the region, given the automaton's matches at its word starts (see [`Scanner::find_atoms`]).
    pub fn run(mut self, first: Option<Probe>, probes: &[Probe]) -> Vec<ActorHit> {
        self.find_atoms(first, probes);
        let n = self.atoms.len();
        let mut i = 0;
        while i < n {
            i = self
                .person(i)
                .or_else(|| self.nationality(i))
                .or_else(|| self.group(i))
                .or_else(|| self.force(i))
                .or_else(|| self.ethnic(i))
                .or_else(|| self.noun(i))
                .unwrap_or(i + 1);
        }
        if self.hint {
            self.mission_hosts();
        }
        self.resolve_pending();
        if !self.hint {
            self.claimed_attacks();
        }
        self.out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let tables = &self.lex.tables;
        self.out
            .into_iter()
            .map(|o| ActorHit {
                range: TextRange::new(self.base + o.start, self.base + o.end),
                name: o.name,
                inter: o.inter,
                country: o.country.map(|c| tables.country_iso(c).to_owned()),
                kind: o.kind,
                militia: o.militia,
            })
            .collect()
    }

    // ---- atoms ----------------------------------------------------------------------------------

    /// Finds atoms: at each word start, the longest alias (or, when its senses do not apply here, the
    /// longest shorter alias it starts with) whose senses apply; then goes on after it. `probes` are
    /// the automaton's matches at the word starts of the region (absolute positions, in order; see
    /// [`probes`]); `first`, one more at the region start, before them.
    fn find_atoms(&mut self, first: Option<Probe>, probes: &[Probe]) {
        let mut next = 0;
        for p in first.iter().chain(probes) {
            let start = p.at as usize - self.base;
            if start < next {
                continue;
            }
            if let Some(end) = self.atom_at(start, p.pattern as usize) {
                next = end;
            }
        }
    }

    /// The atom starting at `start` (a word start where the automaton matched `pattern`), if any;
    /// returns its end.
    fn atom_at(&mut self, start: usize, pattern: usize) -> Option<usize> {
        let compiled = &self.lex.compiled;
        let hay = self.hay;
        for q in std::iter::once(pattern).chain(compiled.prefixes[pattern].iter().map(|&q| q as usize)) {
            let end = start + compiled.lens[q] as usize;
            if !hay.is_char_boundary(end) || !self.at_word_edges(start, end) {
                continue;
            }
            let from = self.senses.len();
            for s in &compiled.senses[q] {
                if case_ok(s.case, &s.form, &hay[start..end]) && self.applies(s.sense, start, end) {
                    self.senses.push(s.sense);
                }
            }
            if self.senses.len() > from {
                self.atoms.push(Atom { start, end, senses: (idx(from), idx(self.senses.len())) });
                return Some(end);
            }
        }
        None
    }

    fn at_word_edges(&self, start: usize, end: usize) -> bool {
        let s = &self.hay[start..end];
        let first_word = s.chars().next().is_some_and(char::is_alphanumeric);
        let last_word = s.chars().next_back().is_some_and(char::is_alphanumeric);
        let before_ok = !first_word || !self.hay[..start].chars().next_back().is_some_and(char::is_alphanumeric);
        let after_ok = !last_word || !self.hay[end..].chars().next().is_some_and(char::is_alphanumeric);
        before_ok && after_ok
    }

    /// Where "the " right before `start` begins ("the militant group").
    fn after_the(&self, start: usize) -> Option<usize> {
        let before = self.hay[..start].strip_suffix(' ')?;
        let from = before.len().checked_sub(3)?;
        let word = before.get(from..)?;
        let edge = !before[..from].ends_with(char::is_alphanumeric);
        (word.eq_ignore_ascii_case("the") && edge).then_some(from)
    }

    /// Does a sense of a match from `start` to `end` apply in this document (country, year, next word)?
    fn applies(&self, sense: Sense, start: usize, end: usize) -> bool {
        let t = &self.lex.tables;
        match sense {
            Sense::Noun(n) => {
                let j = t.nouns[n as usize].joins;
                (!j.the || self.after_the(start).is_some()) && (!j.noun || self.heads_phrase(end))
            }
            Sense::Force(f) => {
                let r = &t.forces[f as usize];
                match r.needs {
                    Needs::Local => self.ctx.is_some_and(|c| r.countries.iter().any(|&rc| self.same(rc, c))),
                    Needs::Home => match self.ctx {
                        Some(c) => r.countries.iter().any(|&rc| self.same(rc, c)),
                        None => !self.ctx_known,
                    },
                    Needs::Noun => self.after_nationality() || self.heads_phrase(end) || self.bare_subject(start, end),
                    _ => true,
                }
            }
            Sense::Group(g) => {
                let r = &t.groups[g as usize];
                let near = !r.near.is_empty() && r.near.iter().any(|p| self.names_place(p));
                // (With the document's country unknown, a place of the row's `near` list named in the
                // text tells it: "Islamic State militants attacked Ras Lanuf" is in Libya.)
                r.valid_in(self.year)
                    && (r.where_.is_empty()
                        || self.ctx.is_some_and(|c| r.where_.iter().any(|&w| self.same(w, c)))
                        || (self.ctx.is_none() && near))
                    && (r.near.is_empty() || near)
            }
            _ => true,
        }
    }

    /// Is the word after `end` (one space on) a lower-case word that can be a verb of its subject:
    /// not a function word (name-stops.tsv), an auxiliary, a relative or a noun of the group?
    fn verb_follows(&self, end: usize) -> bool {
        let Some(rest) = self.hay[end..].strip_prefix(' ') else { return false };
        let word: &str = rest.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        const NOT_VERBS: &[&str] =
            &["were", "are", "was", "is", "have", "has", "had", "who", "that", "which", "living", "say", "said"];
        word.starts_with(|c: char| c.is_lowercase())
            && !self.lex.tables.function_words.contains(word)
            && !NOT_VERBS.contains(&word)
    }

    /// Does the region name `place` as a word of its own (case as written)?
    fn names_place(&self, place: &str) -> bool {
        let hay = self.hay;
        hay.match_indices(place).any(|(k, _)| {
            !hay[..k].ends_with(char::is_alphanumeric) && !hay[k + place.len()..].starts_with(char::is_alphanumeric)
        })
    }

    /// Is the last atom found a nationality right before the current match ("Benin military shot")?
    /// Called while atoms are being found, so the last atom is the one before the match.
    fn after_nationality(&self) -> bool {
        self.atoms.last().is_some_and(|a| {
            let (s, e) = a.senses;
            let gap_end = self.hay[a.end..].find(|c: char| c != ' ').map_or(self.hay.len(), |k| a.end + k);
            (1..=2).contains(&(gap_end - a.end))
                && self.senses[s as usize..e as usize].iter().any(|x| matches!(x, Sense::Country(_)))
        })
    }

    /// Is a word ending at `end` the head of its phrase: not followed by a lower-case word it
    /// qualifies ("military base", "rebel-held"), but by punctuation, a capital, a function word or a
    /// past tense?
    fn heads_phrase(&self, end: usize) -> bool {
        let rest = &self.hay[end..];
        if let Some(after) = rest.strip_prefix('-') {
            // A compound: "rebel-held", "military-run".
            return !after.starts_with(char::is_alphabetic);
        }
        let next = rest.trim_start_matches(' ');
        if next.len() == rest.len() {
            return true;
        }
        let word: &str = next.split(|c: char| !(c.is_alphabetic() || c == '\'')).next().unwrap_or("");
        if !next.starts_with(|c: char| c.is_lowercase()) {
            // A capitalised word after a capitalised alias goes on with a name ("Buruku Local
            // Government Area", "Military Hospital"), unless it is a function word ("On", "The").
            let capitalised = self.hay[..end].rsplit(' ').next().is_some_and(|w| w.starts_with(char::is_uppercase));
            return !capitalised
                || !next.starts_with(char::is_alphabetic)
                || self.lex.tables.function_words.contains(word);
        }
        word.ends_with("ed") || self.lex.tables.function_words.contains(word)
    }

    /// Does a capitalised alias open its sentence as the subject of a present-tense verb, as terse
    /// reports write ("Military attack villages near Yei", "Military kill 7 civilians"): a lower-case
    /// word follows and then a number, a name or a content word, not an auxiliary or a function word
    /// ("Military material was captured", "Military base in Juba")?
    fn bare_subject(&self, start: usize, end: usize) -> bool {
        let before = self.hay[..start].trim_end();
        let opens = before.is_empty() || before.ends_with(['.', '!', '?', ';', ':']);
        if !opens || !self.hay[start..].starts_with(char::is_uppercase) {
            return false;
        }
        let Some(rest) = self.hay[end..].strip_prefix(' ') else { return false };
        let verb: &str = rest.split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        let Some(after) = rest[verb.len()..].strip_prefix(' ') else { return false };
        let object: &str = after.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        const AUX: &[&str] = &["was", "were", "is", "are", "has", "have", "had", "will", "would", "can", "could"];
        let function = |w: &str| self.lex.tables.function_words.contains(&w.to_lowercase()) || AUX.contains(&w);
        verb.starts_with(char::is_lowercase)
            && !function(verb)
            && !object.is_empty()
            && (object.starts_with(|c: char| c.is_ascii_digit()) || !function(object))
    }

    /// Same country, regions counting as their parent.
    fn same(&self, a: usize, b: usize) -> bool {
        let t = &self.lex.tables;
        a == b || t.countries[a].iso == t.countries[b].iso
    }

    fn senses(&self, a: usize) -> &[Sense] {
        let (s, e) = self.atoms[a].senses;
        &self.senses[s as usize..e as usize]
    }

    fn gap(&self, a: usize, b: usize) -> &str {
        &self.hay[self.atoms[a].end..self.atoms[b].start]
    }

    /// Atom `a + 1` exists and follows `a` after one or two spaces.
    fn spaced_next(&self, a: usize) -> bool {
        a + 1 < self.atoms.len() && is_space_gap(self.gap(a, a + 1))
    }

    // ---- sense lookups --------------------------------------------------------------------------

    fn country_of(&self, a: usize) -> Option<usize> {
        let mut first = None;
        for &s in self.senses(a) {
            if let Sense::Country(c) = s {
                let c = c as usize;
                if self.ctx.is_some_and(|x| self.same(x, c)) {
                    return Some(c);
                }
                first.get_or_insert(c);
            }
        }
        first
    }

    fn forces(&self, a: usize) -> impl Iterator<Item = usize> + '_ {
        self.senses(a).iter().filter_map(|s| if let Sense::Force(f) = s { Some(*f as usize) } else { None })
    }

    fn has_force(&self, a: usize, want: impl Fn(Needs) -> bool) -> bool {
        self.forces(a).any(|f| want(self.lex.tables.forces[f].needs))
    }

    /// The group row an atom stands for: a row for this document's country before a general one, user
    /// rows before built-in ones; without a year, a row still valid today, and a non-state reading before
    /// a state row that starts in some year.
    fn group_of(&self, a: usize) -> Option<usize> {
        let t = &self.lex.tables;
        self.senses(a)
            .iter()
            .filter_map(|s| if let Sense::Group(g) = s { Some(*g as usize) } else { None })
            .enumerate()
            .min_by_key(|&(order, g)| {
                let r = &t.groups[g];
                let general = r.where_.is_empty();
                let ended = self.year.is_none() && r.to.is_some();
                // Without a year, a movement that later became a government (Taliban, Houthis) is read as
                // the insurgency: its state row only applies from a known year on.
                let later_state = self.year.is_none() && r.from.is_some() && r.inter == Inter::StateForces;
                // A row that needs a place the text names beats one that does not.
                let anywhere = r.near.is_empty();
                (later_state, general, anywhere, ended, order)
            })
            .map(|(_, g)| g)
    }

    fn noun_of(&self, a: usize) -> Option<usize> {
        self.senses(a).iter().find_map(|s| if let Sense::Noun(n) = s { Some(*n as usize) } else { None })
    }

    fn ethnic_of(&self, a: usize) -> Option<usize> {
        self.senses(a).iter().find_map(|s| if let Sense::Ethnic(e) = s { Some(*e as usize) } else { None })
    }

    fn role_of(&self, a: usize, kind: RoleKind) -> Option<usize> {
        self.senses(a).iter().find_map(|s| match s {
            Sense::Role(r) if self.lex.tables.roles[*r as usize].kind == kind => Some(*r as usize),
            _ => None,
        })
    }

    fn is_roleish(&self, a: usize) -> bool {
        self.senses(a).iter().any(|s| matches!(s, Sense::Role(_)))
    }

    fn is_role_word(&self, a: usize) -> bool {
        self.role_of(a, RoleKind::Role).is_some() || self.role_of(a, RoleKind::Title).is_some()
    }

    fn is_member(&self, a: usize) -> bool {
        let t = &self.lex.tables;
        self.has_force(a, |n| n != Needs::Ordinal)
            || self.senses(a).iter().any(|s| matches!(s, Sense::Noun(n) if t.nouns[*n as usize].joins.member))
    }

    /// The last atom of an actor starting at `a`, taking one following head word ("ISIS fighters").
    fn extend(&self, a: usize) -> usize {
        if self.spaced_next(a) && self.is_member(a + 1) && !self.role_follows(a + 1) { a + 1 } else { a }
    }

    /// Is a role word right after `a` (so `a` is better read as the role's owner)?
    fn role_follows(&self, a: usize) -> bool {
        self.spaced_next(a) && self.is_roleish(a + 1)
    }

    // ---- names ----------------------------------------------------------------------------------

    fn inter_for_state(&self, country: Option<usize>) -> Inter {
        match (country, self.ctx) {
            (Some(c), Some(x)) if !self.same(c, x) => Inter::External,
            _ => Inter::StateForces,
        }
    }

    fn state_out(&self, start: usize, end: usize, branch: Branch, country: Option<usize>, unit: &str) -> Out {
        let name = match country {
            Some(c) => self.lex.state_name(branch, c, self.year, Some(unit)),
            None => match branch {
                Branch::Military => "Military Forces".to_owned(),
                Branch::Police => "Police Forces".to_owned(),
                Branch::Government => "Government".to_owned(),
            },
        };
        Out {
            start,
            end,
            name,
            inter: self.inter_for_state(country),
            country,
            kind: ActorKind::StateForce,
            militia: None,
        }
    }

    fn group_name(&self, g: usize) -> (String, Option<usize>, bool) {
        let r = &self.lex.tables.groups[g];
        match &r.name {
            GroupName::Text { text, period: true } => {
                (text.replace("{period}", &self.lex.period(r.from, r.to, self.year)), r.country, false)
            }
            GroupName::Text { text, period: false } => (text.clone(), r.country, false),
            GroupName::State { branch, country, .. } => {
                (self.lex.state_name(*branch, *country, self.year, None), Some(*country), true)
            }
        }
    }

    fn group_out(&self, start: usize, end: usize, g: usize, contingent: Option<usize>) -> Out {
        let r = &self.lex.tables.groups[g];
        let (mut name, country, state) = self.group_name(g);
        if let Some(c) = contingent {
            name.push_str(&format!(" ({})", self.lex.tables.countries[c].name));
        }
        let inter = if r.inter == Inter::StateForces { self.inter_for_state(country) } else { r.inter };
        let kind = if state || r.inter == Inter::StateForces { ActorKind::StateForce } else { ActorKind::Group };
        Out { start, end, name, inter, country, kind, militia: None }
    }

    /// The force row (and the country) for a force atom, given a nationality in front or not.
    fn resolve_force(&self, a: usize, nat: Option<usize>) -> Option<(usize, Option<usize>)> {
        let t = &self.lex.tables;
        let rows: Vec<usize> = self.forces(a).filter(|&f| t.forces[f].needs != Needs::Ordinal).collect();
        let has = |f: usize, c: usize| t.forces[f].countries.iter().any(|&rc| self.same(rc, c));
        let generic = rows.iter().copied().find(|&f| t.forces[f].countries.is_empty());
        let first = *rows.first()?;
        Some(match nat {
            Some(c) => match rows.iter().copied().find(|&f| has(f, c)).or(generic) {
                Some(f) => (f, Some(c)),
                None => (first, t.forces[first].countries.first().copied()),
            },
            None => {
                let local = self.ctx.and_then(|x| rows.iter().copied().find(|&f| has(f, x)));
                match (local, generic) {
                    (Some(f), _) => (f, self.ctx),
                    (None, Some(g)) => (g, self.ctx),
                    (None, None) => (first, t.forces[first].countries.first().copied()),
                }
            }
        })
    }

    /// The mission whose contingent troops of country `c` are, in this document's country.
    fn mission_for(&self, c: usize) -> Option<usize> {
        let host = self.ctx?;
        if self.same(c, host) {
            return None;
        }
        let t = &self.lex.tables;
        t.missions
            .iter()
            .map(|&i| (i, &t.groups[i]))
            .filter(|(_, g)| {
                g.valid_in(self.year)
                    && g.where_.iter().any(|&w| self.same(w, host))
                    && g.contingents.iter().any(|&k| self.same(k, c))
            })
            .max_by_key(|(i, g)| (g.rank, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
    }

    // ---- rules ----------------------------------------------------------------------------------

    /// People: [nationality] [state force or group] [modifiers] role-or-title+ [Name].
    fn person(&mut self, i: usize) -> Option<usize> {
        let n = self.atoms.len();
        let lex = self.lex;
        let t = &lex.tables;
        let mut j = i;
        let mut country = None;
        if let Some(c) = self.country_of(j)
            && self.spaced_next(j)
            && (self.is_roleish(j + 1) || self.group_of(j + 1).is_some() || self.has_force(j + 1, |_| true))
        {
            country = Some(c);
            j += 1;
        }
        let prefix_start = self.atoms[j].start;
        // The side the person speaks for: a state force or group in front of the role.
        let mut side: Option<(Inter, Option<usize>)> = None;
        // A group or force speaks through its officials, not through witnesses or activists
        // ("Zanu PF activists" are the party's members).
        let speaks_for = |k: usize| {
            self.role_of(k, RoleKind::Role)
                .or_else(|| self.role_of(k, RoleKind::Title))
                .is_some_and(|r| t.roles[r].inter != Some(Inter::Civilians))
                || self.role_of(k, RoleKind::Modifier).is_some()
        };
        if self.role_follows(j) && !self.is_role_word(j) && speaks_for(j + 1) {
            if let Some(g) = self.group_of(j) {
                let o = self.group_out(0, 0, g, None);
                side = Some((o.inter, o.country));
                j += 1;
            } else if self.has_force(j, |_| true)
                && let Some((_, c)) = self.resolve_force(j, country)
            {
                side = Some((self.inter_for_state(c), c));
                j += 1;
            }
        }
        let mut modifier_inter = None;
        while self.role_of(j, RoleKind::Modifier).is_some() && !self.is_role_word(j) && self.role_follows(j) {
            let m = self.role_of(j, RoleKind::Modifier)?;
            modifier_inter = t.roles[m].inter.or(modifier_inter);
            j += 1;
        }
        if !self.is_role_word(j) {
            return None;
        }
        let first_role = j;
        while j + 1 < n && self.spaced_next(j) && self.is_role_word(j + 1) {
            j += 1;
        }
        let mut name = self.read_name(self.atoms[j].end);
        if name.is_none() {
            while j >= first_role && self.role_of(j, RoleKind::Role).is_none() {
                if j == first_role {
                    return None;
                }
                j -= 1;
            }
            // A role word with a name after it that failed only because titles were dropped.
            name = None;
        }
        let roles_end = self.atoms[j].end;
        let mut role = self.hay[prefix_start..self.atoms[first_role].start].trim().to_owned();
        let mut first_inter = None;
        for k in first_role..=j {
            let r = if name.is_some() {
                self.role_of(k, RoleKind::Title).or_else(|| self.role_of(k, RoleKind::Role))
            } else {
                self.role_of(k, RoleKind::Role)
            }?;
            let row = &t.roles[r];
            first_inter = first_inter.or(row.inter);
            if !role.is_empty() {
                role.push_str(if k == first_role { " " } else { ", " });
            }
            role.push_str(&row.role);
        }
        let (inter, side_country) = match side {
            Some((inter, c)) => (inter, c),
            None => (modifier_inter.or(first_inter).unwrap_or(Inter::Civilians), None),
        };
        let (end, person) = match name {
            Some((end, person)) => (end, person),
            None => (roles_end, self.hay[prefix_start..roles_end].to_owned()),
        };
        self.out.push(Out {
            start: self.atoms[i].start,
            end,
            name: person,
            inter,
            country: country.or(side_country).or_else(|| self.leader_country(j + 1, end)).or(self.ctx),
            kind: ActorKind::Person { role: Some(role) },
            militia: None,
        });
        Some(self.next_after(end, j + 1))
    }

    /// The country whose government the name at atoms `from..` (ending by byte `end`) leads: "President
    /// Idriss Deby" speaks for Chad (`groups.tsv` rows named `{government:XX}`).
    fn leader_country(&self, from: usize, end: usize) -> Option<usize> {
        (from..self.atoms.len()).take_while(|&k| self.atoms[k].end <= end).find_map(|k| {
            let o = self.group_out(0, 0, self.group_of(k)?, None);
            (o.kind == ActorKind::StateForce && o.name.starts_with("Government of")).then_some(o.country).flatten()
        })
    }

    /// A nationality before a force, mission, "-led" coalition or collective noun.
    fn nationality(&mut self, i: usize) -> Option<usize> {
        let c = self.country_of(i)?;
        if i + 1 >= self.atoms.len() {
            return None;
        }
        let g = self.gap(i, i + 1);
        let start = self.atoms[i].start;
        let lex = self.lex;
        let t = &lex.tables;
        // "Nigerian and Cameroonian troops": the force word is shared.
        if (g == " and " || g == ", ")
            && i + 2 < self.atoms.len()
            && self.country_of(i + 1).is_some()
            && self.spaced_next(i + 1)
            && self.has_force(i + 2, |n| n != Needs::Ordinal)
            && let Some((f, _)) = self.resolve_force(i + 2, Some(c))
        {
            let row = &t.forces[f];
            let o = match self.mission_for(c) {
                Some(m) => self.group_out(start, self.atoms[i].end, m, Some(c)),
                None => self.state_out(start, self.atoms[i].end, row.branch, Some(c), &row.unit),
            };
            self.out.push(o);
            return Some(i + 1);
        }
        if g == "-led " || g == "-led" {
            if self.group_of(i + 1).is_some() || self.has_force(i + 1, |n| n != Needs::Ordinal) {
                let last = self.extend(i + 1);
                let o = self.state_out(start, self.atoms[last].end, Branch::Military, Some(c), "");
                self.out.push(o);
                return Some(last + 1);
            }
            return None;
        }
        if !(is_space_gap(g) || g == "-" || g == "'s " || g == "’s ") {
            return None;
        }
        if let Some(m) = self.group_of(i + 1) {
            let row = &t.groups[m];
            let contingent = row.contingents.iter().any(|&k| self.same(k, c));
            // "Kenyan AMISOM troops"; "Burundian peacekeepers" of a mission without listed contingents.
            if contingent || (row.inter == Inter::External && row.country.is_none()) {
                let last = self.extend(i + 1);
                let o = self.group_out(start, self.atoms[last].end, m, contingent.then_some(c));
                self.out.push(o);
                return Some(last + 1);
            }
        }
        if self.has_force(i + 1, |n| n != Needs::Ordinal) {
            let last = self.extend(i + 1);
            let end = self.atoms[last].end;
            if let Some(m) = self.mission_for(c) {
                let o = self.group_out(start, end, m, Some(c));
                self.out.push(o);
                return Some(last + 1);
            }
            let (f, country) = self.resolve_force(i + 1, Some(c))?;
            let row = &t.forces[f];
            let o = self.state_out(start, end, row.branch, country, &row.unit);
            self.out.push(o);
            return Some(last + 1);
        }
        if let Some(nr) = self.noun_of(i + 1)
            && t.nouns[nr].joins.nationality
        {
            let end = self.atoms[i + 1].end;
            let row = &t.nouns[nr];
            match &row.label {
                Label::Plain(label) => {
                    let name = self.lex.collective_name(label, Some(c));
                    self.out.push(Out {
                        start,
                        end,
                        name,
                        inter: row.inter,
                        country: Some(t.countries[c].iso),
                        kind: ActorKind::Collective,
                        militia: None,
                    });
                }
                Label::Anaphor(fallback) => self.pending.push(Pending {
                    start,
                    end,
                    prefer: row.inter,
                    fallback: fallback.clone(),
                    country: Some(c),
                }),
                Label::Nothing => return None,
            }
            return Some(i + 2);
        }
        None
    }

    fn group(&mut self, i: usize) -> Option<usize> {
        let g = self.group_of(i)?;
        // A mission and a contributor's force word: "AMISOM-KDF", "AMISOM/KDF convoy".
        if !self.lex.tables.groups[g].contingents.is_empty()
            && i + 1 < self.atoms.len()
            && matches!(self.gap(i, i + 1), "-" | "/" | " ")
            && let Some((_, Some(c))) = self.resolve_force(i + 1, None)
            && !self.ctx.is_some_and(|x| self.same(x, c))
            && self.lex.tables.groups[g].contingents.iter().any(|&k| self.same(k, c))
        {
            let last = self.extend(i + 1);
            let o = self.group_out(self.atoms[i].start, self.atoms[last].end, g, Some(c));
            self.out.push(o);
            return Some(last + 1);
        }
        let last = self.extend(i);
        let o = self.group_out(self.atoms[i].start, self.atoms[last].end, g, None);
        self.out.push(o);
        Some(last + 1)
    }

    fn force(&mut self, i: usize) -> Option<usize> {
        let lex = self.lex;
        let t = &lex.tables;
        // "soldiers of the United Nations Mission in Liberia": members of a mission or an armed group.
        if self.has_force(i, |n| n != Needs::Ordinal)
            && i + 1 < self.atoms.len()
            && matches!(self.gap(i, i + 1), " of the " | " of ")
            && let Some(g) = self.group_of(i + 1)
            && (is_armed(t.groups[g].inter) || t.groups[g].inter == Inter::External)
        {
            let o = self.group_out(self.atoms[i].start, self.atoms[i + 1].end, g, None);
            self.out.push(o);
            return Some(i + 2);
        }
        if self.has_force(i, |n| matches!(n, Needs::Nothing | Needs::Local | Needs::Home | Needs::Noun)) {
            let (f, country) = self.resolve_force(i, None)?;
            let last = self.extend(i);
            let row = &t.forces[f];
            let (start, end) = (self.atoms[i].start, self.atoms[last].end);
            let o = match country.and_then(|c| self.mission_for(c).map(|m| (m, c))) {
                Some((m, c)) => self.group_out(start, end, m, Some(c)),
                None => self.state_out(start, end, row.branch, country, &row.unit),
            };
            self.out.push(o);
            return Some(last + 1);
        }
        let unit = self.forces(i).find(|&f| t.forces[f].needs == Needs::Ordinal)?;
        let start = self.ordinal_start(self.atoms[i].start)?;
        let row = &t.forces[unit];
        let country = if row.countries.is_empty() { self.ctx } else { row.countries.first().copied() };
        let o = self.state_out(start, self.atoms[i].end, row.branch, country, "");
        self.out.push(o);
        Some(i + 1)
    }

    /// An ethnic group, clan or town before a head word: a militia, or a collective of that group.
    fn ethnic(&mut self, i: usize) -> Option<usize> {
        let e = self.ethnic_of(i)?;
        let lex = self.lex;
        let t = &lex.tables;
        let head = if self.spaced_next(i) { self.noun_of(i + 1).filter(|&nr| t.nouns[nr].joins.ethnic) } else { None };
        let Some(nr) = head else {
            // "Murle and Lou Nuer militias", "Tabu and Tuareg tribesmen", "the Nuer and Anuak
            // communities": the head word is shared.
            let shared = if i + 2 < self.atoms.len()
                && matches!(self.gap(i, i + 1), " and " | " or ")
                && self.ethnic_of(i + 1).is_some()
                && self.spaced_next(i + 1)
            {
                self.noun_of(i + 2).filter(|&nr| t.nouns[nr].joins.ethnic)
            } else {
                None
            };
            if let Some(nr) = shared
                && let Some(country) = self.ethnic_country(e)
            {
                let (start, end) = (self.atoms[i].start, self.atoms[i].end);
                if is_armed(t.nouns[nr].inter) {
                    let o = self.militia_out(start, end, e);
                    self.out.push(o);
                } else {
                    self.collective_out(start, end, end, e, nr, country);
                }
                return Some(i + 1);
            }
            // "armed Fulani": the group named as armed men; "Fulanis attacked …": the people in the
            // plural, doing something.
            let (start, end) = (self.atoms[i].start, self.atoms[i].end);
            let before = &self.hay[..start];
            let from = before.len().checked_sub("armed ".len());
            let armed = from.is_some_and(|f| {
                before.get(f..).is_some_and(|w| w.eq_ignore_ascii_case("armed "))
                    && !before[..f].ends_with(char::is_alphanumeric)
            });
            let acting = self.hay[start..end].ends_with('s') && self.verb_follows(end);
            if !(armed || acting) || self.ethnic_country(e).is_none() {
                return None;
            }
            let o = self.militia_out(if armed { from.unwrap_or(start) } else { start }, end, e);
            self.out.push(o);
            return Some(i + 1);
        };
        let country = self.ethnic_country(e)?;
        let (start, end) = (self.atoms[i].start, self.atoms[i + 1].end);
        if is_armed(t.nouns[nr].inter) {
            let o = self.militia_out(start, end, e);
            self.out.push(o);
        } else {
            self.collective_out(start, end, self.atoms[i].end, e, nr, country);
        }
        Some(i + 2)
    }

    /// People of ethnic group `e` named by the unarmed head word `nr` ("Oromo protesters", "the Nuer
    /// community"): the collective over `start..end`, and the identity group over `start..inner_end`.
    fn collective_out(&mut self, start: usize, end: usize, inner_end: usize, e: usize, nr: usize, country: usize) {
        let t = &self.lex.tables;
        let row = &t.ethnic[e];
        let noun = &t.nouns[nr];
        let cname = &t.countries[country].name;
        let iso = Some(t.countries[country].iso);
        let label = match &noun.label {
            Label::Plain(l) => l.as_str(),
            _ => "Civilians",
        };
        let name = self.lex.collective_name(label, Some(country));
        let militia = Some(format!("{} {} Militia ({cname})", row.name, row.kind));
        self.out.push(Out { start, end, name, inter: noun.inter, country: iso, kind: ActorKind::Collective, militia });
        let group = format!("{} {} Group ({cname})", row.name, row.kind);
        self.out.push(Out {
            start,
            end: inner_end,
            name: group,
            inter: Inter::IdentityMilitias,
            country: iso,
            kind: ActorKind::Collective,
            militia: None,
        });
    }

    /// The country an ethnic group's actors belong to here: the document's, when the group lives there.
    fn ethnic_country(&self, e: usize) -> Option<usize> {
        let row = &self.lex.tables.ethnic[e];
        if self.hint && self.ctx.is_none() && row.countries.len() > 1 {
            return None;
        }
        self.ctx
            .and_then(|x| row.countries.iter().copied().find(|&c| self.same(c, x)))
            .or(row.countries.first().copied())
    }

    fn militia_out(&self, start: usize, end: usize, e: usize) -> Out {
        let t = &self.lex.tables;
        let row = &t.ethnic[e];
        let country = self.ethnic_country(e);
        let name = match country {
            Some(c) => format!("{} {} Militia ({})", row.name, row.kind, t.countries[c].name),
            None => format!("{} {} Militia", row.name, row.kind),
        };
        Out {
            start,
            end,
            name,
            inter: Inter::IdentityMilitias,
            country: country.map(|c| t.countries[c].iso),
            kind: ActorKind::Group,
            militia: None,
        }
    }

    fn noun(&mut self, i: usize) -> Option<usize> {
        let nr = self.noun_of(i)?;
        let lex = self.lex;
        let row = &lex.tables.nouns[nr];
        if row.joins.only {
            return None;
        }
        if let Some(next) = self.unlisted_militia(i) {
            return Some(next);
        }
        let of_gap = i + 1 < self.atoms.len() && is_of_gap(self.gap(i, i + 1));
        // Armed men of a named ethnic group or clan: "gunmen from Dhulbahante", "militiamen hailing from the
        // Murle", "armed militia from Galjeel".
        if is_armed(row.inter)
            && of_gap
            && let Some(e) = self.ethnic_of(i + 1)
        {
            let o = self.militia_out(self.atoms[i].start, self.atoms[i + 1].end, e);
            self.out.push(o);
            return Some(i + 2);
        }
        // Armed men of a named armed group: "gunmen from the Red Sea Afar Democratic Organisation",
        // "fighters loyal to the SPLA-IO".
        if is_armed(row.inter)
            && of_gap
            && let Some(g) = self.group_of(i + 1)
            && is_armed(self.lex.tables.groups[g].inter)
        {
            let o = self.group_out(self.atoms[i].start, self.atoms[i + 1].end, g, None);
            self.out.push(o);
            return Some(i + 2);
        }
        let (mut start, end) = (self.atoms[i].start, self.atoms[i].end);
        if row.joins.the {
            start = self.after_the(start).unwrap_or(start);
        }
        match &row.label {
            Label::Plain(label) => {
                let name = self.lex.collective_name(label, self.ctx);
                let country = self.ctx.map(|c| self.lex.tables.countries[c].iso);
                self.out.push(Out {
                    start,
                    end,
                    name,
                    inter: row.inter,
                    country,
                    kind: ActorKind::Collective,
                    militia: None,
                });
            }
            Label::Anaphor(fallback) => {
                self.pending.push(Pending {
                    start,
                    end,
                    prefer: row.inter,
                    fallback: fallback.clone(),
                    country: self.ctx,
                });
            }
            Label::Nothing => return None,
        }
        Some(i + 1)
    }

    /// For country hints: a peacekeeping mission (or another foreign force of one host country) names
    /// its host country ("AMISOM" → Somalia), and the national forces of its contributing countries in
    /// the same text are taken for its contingents, not for cues of their own country ("KDF" beside
    /// "AMISOM").
    fn mission_hosts(&mut self) {
        if !self.out.iter().any(|o| o.kind == ActorKind::Group && o.country.is_none()) {
            return; // no group without a country: nothing to look up (the common case)
        }
        let t = &self.lex.tables;
        // (name, host, mission row) of the missions with one host country.
        let missions: Vec<(String, usize, usize)> = (0..t.groups.len())
            .filter(|&m| t.groups[m].inter == Inter::External && t.groups[m].country.is_none())
            .filter_map(|m| match t.groups[m].where_[..] {
                [host] => Some((self.group_name(m).0, host, m)),
                _ => None,
            })
            .collect();
        let mut contributors: Vec<usize> = Vec::new();
        for o in &mut self.out {
            if o.kind != ActorKind::Group || o.country.is_some() {
                continue;
            }
            if let Some((_, host, m)) = missions.iter().find(|(name, _, _)| o.name.starts_with(name.as_str())) {
                o.country = Some(*host);
                contributors.extend(t.groups[*m].contingents.iter().copied());
            }
        }
        if !contributors.is_empty() {
            let same = |a: usize, b: usize| t.countries[a].iso == t.countries[b].iso;
            self.out.retain(|o| {
                o.kind != ActorKind::StateForce || !o.country.is_some_and(|c| contributors.iter().any(|&k| same(k, c)))
            });
        }
    }

    /// Unnamed attackers of a report in which one armed group claims the attack are that group:
    /// "Gunmen shot dead a police officer. Sinai Province claimed responsibility." (ACLED codes a
    /// claimed attack to the claimant.)
    fn claimed_attacks(&mut self) {
        let hay = self.hay;
        let mut claimants: BTreeSet<usize> = BTreeSet::new();
        for (k, _) in hay.match_indices("claimed") {
            if hay[..k].ends_with(char::is_alphanumeric) {
                continue;
            }
            // "<group> (has|later|…) claimed", "claimed by (the) <group>".
            let before = self.out.iter().enumerate().rfind(|(_, o)| {
                o.end <= k && {
                    let gap = hay[o.end..k].trim();
                    gap.split_whitespace().count() <= 2
                        && gap.split_whitespace().all(|w| {
                            ["has", "have", "had", "later", "quickly", "swiftly", "also", "reportedly", "subsequently"]
                                .contains(&w)
                        })
                }
            });
            let after = hay[k + "claimed".len()..].strip_prefix(" by ").and_then(|rest| {
                let from = k + "claimed by ".len() + if rest.starts_with("the ") { 4 } else { 0 };
                self.out.iter().enumerate().find(|(_, o)| o.start == from)
            });
            for (i, o) in before.into_iter().chain(after) {
                if o.kind == ActorKind::Group && is_armed(o.inter) {
                    claimants.insert(i);
                }
            }
        }
        let names: BTreeSet<&str> = claimants.iter().map(|&i| self.out[i].name.as_str()).collect();
        // One claimant only.
        let (1, Some(&src)) = (names.len(), claimants.first()) else { return };
        let (name, inter, country) = (self.out[src].name.clone(), self.out[src].inter, self.out[src].country);
        for o in &mut self.out {
            if o.kind == ActorKind::Collective && o.name.starts_with("Unidentified Armed Group") {
                o.name.clone_from(&name);
                o.inter = inter;
                o.country = country;
                o.kind = ActorKind::Group;
            }
        }
    }

    /// A people, clan or village the lexicon lacks, named before "communal|ethnic|clan|tribal
    /// militia": "Abuok communal militia" is the "Abuok Communal Militia (South Sudan)"; "between
    /// Abuok and Thony communal militias" names both.
    fn unlisted_militia(&mut self, i: usize) -> Option<usize> {
        let (start, end) = (self.atoms[i].start, self.atoms[i].end);
        let alias = self.hay[start..end].to_ascii_lowercase();
        let kind = ["communal", "ethnic", "clan", "tribal", "sub-clan"]
            .into_iter()
            .find(|k| alias.strip_prefix(k).is_some_and(|r| r.starts_with(" militia")))?;
        let kind = match kind {
            "communal" => "Communal",
            "ethnic" => "Ethnic",
            "tribal" => "Tribal",
            _ => "Clan",
        };
        let floor = if i > 0 { self.atoms[i - 1].end } else { 0 };
        let (first_start, first) = self.name_before(start, floor)?;
        let mut names = vec![(first_start, start - 1, first)];
        // "X and Y communal militias"
        if let Some(b) = self.hay[..first_start].strip_suffix(" and ")
            && let Some((s2, second)) = self.name_before(b.len() + 1, floor)
        {
            names.push((s2, b.len(), second));
        }
        let country = self.ctx;
        let t = &self.lex.tables;
        for (k, (s, e, name)) in names.into_iter().enumerate() {
            let full = match country {
                Some(c) => format!("{name} {kind} Militia ({})", t.countries[c].name),
                None => format!("{name} {kind} Militia"),
            };
            // The militia named last takes the head word with it.
            let e = if k == 0 { end } else { e };
            self.out.push(Out {
                start: s,
                end: e,
                name: full,
                inter: Inter::IdentityMilitias,
                country: country.map(|c| t.countries[c].iso),
                kind: ActorKind::Group,
                militia: None,
            });
        }
        Some(i + 1)
    }

    /// The capitalised word that ends right before `pos` (one space between), not inside an atom
    /// (at or after `floor`) and not a function word: (its start, the word).
    fn name_before(&self, pos: usize, floor: usize) -> Option<(usize, String)> {
        let b = self.hay.get(..pos)?.strip_suffix(' ')?;
        let ws = b
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .map_or(0, |(k, c)| k + c.len_utf8());
        let word = &b[ws..];
        /// Capitalised words that start a sentence rather than name a people.
        const NOT_NAMES: &[&str] = &[
            "Armed",
            "Local",
            "Rival",
            "Two",
            "Three",
            "Several",
            "Suspected",
            "Unknown",
            "Unidentified",
            "Other",
            "Both",
            "Some",
            "Many",
            "Heavily",
            "Neighbouring",
            "Neighboring",
            "Opposing",
        ];
        let ok = ws >= floor
            && word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().count() >= 3
            && !NOT_NAMES.contains(&word)
            && !self.lex.tables.name_stops.contains(word)
            && !self.lex.tables.function_words.contains(&word.to_lowercase());
        ok.then(|| (ws, word.to_owned()))
    }

    /// "The militants" name the one armed group named before them in the region (of the preferred
    /// category first), nothing when several are, and the fallback collective when none is.
    fn resolve_pending(&mut self) {
        let mut resolved = Vec::new();
        for p in &self.pending {
            let named = |inter: Inter| -> BTreeSet<&str> {
                self.out
                    .iter()
                    .filter(|o| o.start < p.start && o.kind == ActorKind::Group && o.inter == inter)
                    .map(|o| o.name.as_str())
                    .collect()
            };
            let (rebels, militias) = (named(Inter::RebelGroups), named(Inter::PoliticalMilitias));
            let (first, second) =
                if p.prefer == Inter::PoliticalMilitias { (&militias, &rebels) } else { (&rebels, &militias) };
            let pick = match (first.len(), second.len()) {
                (1, _) => first.first(),
                (0, 1) => second.first(),
                (0, 0) => None,
                _ => continue,
            };
            let out = match pick {
                Some(&name) => {
                    let src = self.out.iter().find(|o| o.name == name).expect("named group hit");
                    Out {
                        start: p.start,
                        end: p.end,
                        name: name.to_owned(),
                        inter: src.inter,
                        country: src.country,
                        kind: ActorKind::Group,
                        militia: None,
                    }
                }
                None => {
                    let Some(label) = &p.fallback else { continue };
                    let country = p.country.map(|c| self.lex.tables.countries[c].iso);
                    Out {
                        start: p.start,
                        end: p.end,
                        name: self.lex.collective_name(label, p.country),
                        inter: if label == "Islamist Militia" { Inter::PoliticalMilitias } else { p.prefer },
                        country,
                        kind: ActorKind::Collective,
                        militia: None,
                    }
                }
            };
            resolved.push(out);
        }
        self.out.extend(resolved);
    }

    // ---- text helpers ---------------------------------------------------------------------------

    /// The index of the first atom at or after byte `end`, from `from`.
    fn next_after(&self, end: usize, from: usize) -> usize {
        (from..self.atoms.len()).find(|&k| self.atoms[k].start >= end).unwrap_or(self.atoms.len())
    }

    /// Where an ordinal before a unit name starts ("9th" in "9th Armored Division"), looking back
    /// over at most two capitalised words.
    fn ordinal_start(&self, pos: usize) -> Option<usize> {
        let mut p = pos;
        for _ in 0..3 {
            let before = &self.hay[..p];
            let trimmed = before.trim_end_matches(' ');
            let spaces = before.len() - trimmed.len();
            if spaces == 0 || spaces > 2 {
                return None;
            }
            let wstart = trimmed
                .char_indices()
                .rev()
                .find(|&(_, c)| !(c.is_alphanumeric() || c == '-'))
                .map_or(0, |(k, c)| k + c.len_utf8());
            let word = &trimmed[wstart..];
            if is_ordinal(word) {
                return Some(wstart);
            }
            if !word.chars().next().is_some_and(char::is_uppercase) {
                return None;
            }
            p = wstart;
        }
        None
    }

    /// A personal name right after a title: " Tahsin Ibrahim", " Haider al-Abadi’s" → (end, name).
    fn read_name(&self, pos: usize) -> Option<(usize, String)> {
        let rest = self.hay[pos..].strip_prefix(' ')?;
        let mut p = pos + 1;
        let mut end = None;
        let mut words = 0;
        let stops = &self.lex.tables.name_stops;
        for raw in rest.split(' ') {
            if words == 5 || raw.is_empty() {
                break;
            }
            let token = raw.trim_end_matches([',', ';', ':', ')', '"', '”', '?', '!']);
            let (token, possessive) = match token.strip_suffix("’s").or_else(|| token.strip_suffix("'s")) {
                Some(t) => (t, true),
                None => (token, false),
            };
            let initial = token.len() == 2 && token.ends_with('.') && token.starts_with(char::is_uppercase);
            let (token, sentence_end) = match token.strip_suffix('.') {
                Some(t) if !initial => (t, true),
                _ => (token, false),
            };
            let capital = token.chars().next().is_some_and(char::is_uppercase)
                && token.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
                && !stops.contains(token);
            let particle_joined = token.split_once('-').is_some_and(|(pre, rest)| {
                NAME_PARTICLES.contains(&pre) && rest.chars().next().is_some_and(char::is_uppercase)
            });
            let particle = NAME_PARTICLES.contains(&token);
            if capital || particle_joined {
                words += 1;
                end = Some(p + token.len());
            } else if !particle {
                break;
            }
            if possessive || sentence_end || token.len() != raw.len() {
                break;
            }
            p += raw.len() + 1;
        }
        let end = end?;
        Some((end, self.hay[pos + 1..end].to_owned()))
    }
}

fn idx(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 4 billion senses, patterns and bytes")
}

fn is_armed(inter: Inter) -> bool {
    matches!(inter, Inter::RebelGroups | Inter::PoliticalMilitias | Inter::IdentityMilitias)
}

/// The words between armed men and the group they belong to: "gunmen from the", "fighters loyal to",
/// "gunmen reportedly hailing from".
fn is_of_gap(g: &str) -> bool {
    // Quotation marks around the group's name do not count: "affiliated with the \"Islamic State\"".
    let g = g.trim_end_matches(['"', '“', '\'', '‘']);
    let g = [" reportedly", " allegedly", " believed to be", " suspected to be", " said to be"]
        .iter()
        .find_map(|p| g.strip_prefix(p))
        .unwrap_or(g);
    matches!(
        g,
        " from "
            | " from the "
            | " of the "
            | " hailing from "
            | " hailing from the "
            | " belonging to "
            | " belonging to the "
            | " loyal to "
            | " loyal to the "
            | " affiliated with "
            | " affiliated with the "
            | " affiliated to "
            | " affiliated to the "
    )
}

fn is_space_gap(g: &str) -> bool {
    (1..=2).contains(&g.len()) && g.bytes().all(|b| b == b' ')
}

fn is_ordinal(word: &str) -> bool {
    if ORDINAL_WORDS.contains(&word) {
        return true;
    }
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(word[digits..].to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th")
}

/// Does `matched` (equal to `form` ignoring ASCII case) satisfy the alias's case rule?
fn case_ok(rule: CaseRule, form: &str, matched: &str) -> bool {
    match rule {
        CaseRule::Any => true,
        CaseRule::Exact => matched == form,
        CaseRule::Capital => match (form.chars().next(), matched.chars().next()) {
            (Some(f), Some(m)) if f.is_alphabetic() => m.is_uppercase(),
            _ => true,
        },
        CaseRule::Acronym => {
            if matched == form {
                return true;
            }
            let letters = form.chars().filter(|c| c.is_alphabetic()).count();
            let mut seen_letter = false;
            letters >= 3
                && matched.chars().filter(|c| c.is_alphabetic()).all(|c| {
                    let ok = if seen_letter { c.is_lowercase() } else { c.is_uppercase() };
                    seen_letter = true;
                    ok
                })
        }
    }
}
