//! Recognition: finding place names in text.
//!
//! Words are found and folded once ([`crate::normalize`]); from every word that
//! can start a name (capitalised, Arabic script, or a lowercase Arabic article
//! before a capitalised word) the key index of each layer is walked word by
//! word, and the longest run that is a key wins (leftmost-longest). Context
//! rules then drop or tag what is not a place: common words, people ("President
//! Jackson", "Denzel Washington"), organisations ("Mosul University"),
//! abbreviations out of place, demonyms, people next to an initial ("Roy A.
//! Nelson"), firms ("Stevens & Wilkinson"), word prefixes ("Pre-school"),
//! words of longer foreign names ("Gare du Nord"), saints' names with a
//! possessive ("St. Luke's"), events ("the Gulf War"), institutions named like a
//! town ("the Duma approved"), numbered roads ("Highway 19"), names before a word for
//! someone who plays or writes a person ("a Twain impersonator"), vehicle models after their
//! maker ("a Buick Lucerne") and peoples ("the Lorain people"); a list before a plural region
//! word ("Barrow and Jackson counties") names regions; a legislator's party
//! ("R-Fairfax") names a home town. Names the gazetteer lacks are
//! taken from their introductions ("the village of Gogjali", "the al Khames
//! bridge") as sub-places.

use fst::raw::{Fst, Node, Output};
use sitrep_text::TextRange;

use std::collections::{HashMap, HashSet};

use crate::artifact::{FLAG_ACRONYM, FLAG_COMMON_WORD, PostingKind};
use crate::context::{Cats, ContextWords, is_common_word, is_given_name};
use crate::normalize::{self, MAX_WORDS};
use crate::{Gazetteer, GeoHints};

/// A candidate entry: (layer, entry index, how the key names it).
pub(crate) type Cand = (u8, u32, PostingKind);

const CAP: u8 = 1;
const ALLCAPS: u8 = 2;
const ARABIC: u8 = 4;
const DIGIT: u8 = 8;
const SENT_START: u8 = 16;

/// A word of the text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word {
    pub start: u32,
    pub end: u32,
    pub flags: u8,
    pub line: u32,
}

/// The words of a text with their folded forms (computed on demand).
pub(crate) struct Words<'t> {
    pub text: &'t str,
    pub words: Vec<Word>,
    folded: String,
    fold_at: Vec<(u32, u32)>,
    /// Per line: true when the line is in headline case.
    pub title_case: Vec<bool>,
}

impl<'t> Words<'t> {
    pub fn new(text: &'t str, region: TextRange) -> Words<'t> {
        let slice = &text[region];
        let base = region.start();
        let mut words = Vec::new();
        let mut line = 0u32;
        let mut prev_end = 0usize;
        let mut line_caps: Vec<(u32, u32)> = vec![(0, 0)];
        let mut sentence_start = true;
        for (s, e) in normalize::words(slice) {
            let gap = &slice[prev_end..s];
            for c in gap.chars() {
                match c {
                    '\n' => {
                        line += 1;
                        line_caps.push((0, 0));
                        sentence_start = true;
                    }
                    '.' | '!' | '?' | ':' | ';' | '•' | '|' => sentence_start = true,
                    _ => {}
                }
            }
            let w = &slice[s..e];
            let first = w.chars().next().unwrap_or(' ');
            let mut flags = 0u8;
            if first.is_uppercase() {
                flags |= CAP;
                if w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) && w.len() > 1 {
                    flags |= ALLCAPS;
                }
            } else if ('\u{0600}'..='\u{06FF}').contains(&first) {
                flags |= ARABIC;
            } else if first.is_ascii_digit() {
                flags |= DIGIT;
            }
            if sentence_start {
                flags |= SENT_START;
            }
            sentence_start = false;
            if e - s >= 4 && first.is_alphabetic() {
                let lc = line_caps.last_mut().expect("one line at least");
                lc.0 += 1;
                if flags & CAP != 0 {
                    lc.1 += 1;
                }
            }
            words.push(Word { start: (base + s) as u32, end: (base + e) as u32, flags, line });
            prev_end = e;
        }
        let title_case = line_caps.iter().map(|&(n, caps)| n >= 3 && caps * 10 >= n * 7).collect();
        let mut folded = String::with_capacity(slice.len());
        let mut fold_at = Vec::with_capacity(words.len());
        for w in &words {
            let start = folded.len();
            normalize::fold_word(&text[w.start as usize..w.end as usize], &mut folded);
            fold_at.push((start as u32, folded.len() as u32));
        }
        Words { text, words, folded, fold_at, title_case }
    }

    /// The folded form of word `i`.
    #[inline]
    pub fn fold(&self, i: usize) -> &str {
        let (s, e) = self.fold_at[i];
        &self.folded[s as usize..e as usize]
    }

    pub fn is_cap(&self, i: usize) -> bool {
        self.words[i].flags & CAP != 0
    }

    pub fn in_title_case(&self, i: usize) -> bool {
        self.title_case.get(self.words[i].line as usize).copied().unwrap_or(false)
    }

    /// The text between words `a` and `a + 1`.
    pub fn gap(&self, a: usize) -> &'t str {
        &self.text[self.words[a].end as usize..self.words[a + 1].start as usize]
    }

    /// True when words `a` and `a + 1` can be parts of one name.
    fn joins(&self, a: usize) -> bool {
        match self.gap(a) {
            " " | "-" | "‑" => true,
            "." | ". " => {
                let w = self.words[a];
                w.end - w.start <= 3 && w.flags & CAP != 0
            }
            _ => false,
        }
    }
}

/// What a recognised name is, before resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Place,
    Demonym,
    Embedded,
    SubPlace,
    Metonym,
}

/// A recognised name with its candidate entries.
#[derive(Clone, Debug)]
pub(crate) struct Mention {
    pub range: TextRange,
    pub first: usize,
    pub n: usize,
    /// The key looked up (exact, or loose when `loose`).
    pub key: String,
    /// Candidates: (layer, entry, posting kind).
    pub cands: Vec<Cand>,
    pub loose: bool,
    pub role: Role,
    /// Region cue after the name: 1 = "province/state…", 2 = "county/district…".
    pub admin_cue: u8,
    /// Settlement cue before the name ("the city of", "the village of").
    pub settlement_cue: bool,
    /// "near"/"west of"/"30 km south of".
    pub near: Option<(Option<f64>, Option<f64>, TextRange)>,
    /// Index of a mention right after ", " (for "Kirkuk, Iraq").
    pub comma_next: Option<usize>,
    pub in_title: bool,
    pub in_dateline: bool,
    /// A preposition of place before the name ("in", "near").
    pub locative: bool,
    /// A country, continent, curated region, a city of a million, or a user's place.
    pub strong: bool,
    /// Weak evidence: kept only when it resolves near the report's other places.
    pub weak: bool,
    /// A building named after the town it is in ("Paris Public Library"): a sub-place whose
    /// candidates are the town's (and `key` the town's, so that it shares the town's reading).
    pub within: bool,
    /// Not in the text: a place the document's web address names (its outlet's home town),
    /// resolved with the report's names but never reported.
    pub home: bool,
    /// Not in the text as a place of its own: a place only a building's name names ("Lakeside
    /// County Hospital"), resolved with the report's names as evidence but never reported.
    pub inside: bool,
    /// Named in an institution's name that has grounds in the place ("Ambo University"): an
    /// organisation's name for resolution, the place itself as a location.
    pub campus: bool,
}

/// Word positions of `inside` mentions: far past the text's, never next to a mention of it.
pub(crate) const INSIDE_FIRST: usize = usize::MAX / 8;

impl Mention {
    /// A mention of `n` words from word `first` with these candidates; every cue and flag unset.
    pub(crate) fn new(range: TextRange, first: usize, n: usize, key: String, cands: Vec<Cand>, role: Role) -> Mention {
        Mention {
            range,
            first,
            n,
            key,
            cands,
            loose: false,
            role,
            admin_cue: 0,
            settlement_cue: false,
            near: None,
            comma_next: None,
            in_title: false,
            in_dateline: false,
            locative: false,
            strong: false,
            weak: false,
            within: false,
            home: false,
            inside: false,
            campus: false,
        }
    }
}

/// Walks `bytes` from `node`.
#[inline]
fn step<'f>(fst: &'f Fst<Vec<u8>>, mut node: Node<'f>, mut out: Output, bytes: &[u8]) -> Option<(Node<'f>, Output)> {
    for &b in bytes {
        let i = node.find_input(b)?;
        let t = node.transition(i);
        out = out.cat(t.out);
        node = fst.node(t.addr);
    }
    Some((node, out))
}

/// Can word `i` start a name?
fn can_start(w: &Words<'_>, i: usize) -> bool {
    let f = w.words[i].flags;
    if f & (CAP | ARABIC) != 0 {
        return true;
    }
    if f & DIGIT != 0 {
        return false;
    }
    // A lowercase Arabic article before a capitalised word ("al Intisar", "ar-Raqqa").
    if i + 1 < w.words.len() && w.joins(i) && w.is_cap(i + 1) {
        let text = &w.text[w.words[i].start as usize..w.words[i].end as usize];
        return matches!(text, "al" | "el" | "ad" | "ar" | "as" | "at" | "an" | "ash" | "az" | "adh" | "ath");
    }
    false
}

/// The longest key in `fst` starting at word `i`: (words, value).
/// What walking one first word from the root gives: the value when the word
/// alone is a key, and the state after "word " when longer keys follow.
#[derive(Clone, Copy)]
struct FirstStep {
    alone: Option<u64>,
    then: Option<(fst::raw::CompiledAddr, Output)>,
}

/// Per-document cache of [`FirstStep`]s by folded word (a word repeats: "Mosul", "The").
type FirstCache<'w> = HashMap<&'w str, FirstStep, crate::context::FnvBuild>;

/// The longest key in `fst` starting at word `i`: (words, value).
fn longest<'w>(fst: &Fst<Vec<u8>>, w: &'w Words<'_>, i: usize, cache: &mut FirstCache<'w>) -> Option<(usize, u64)> {
    let n = w.words.len();
    let first = w.fold(i);
    if first.is_empty() {
        return None;
    }
    let next = if i + 1 < n && w.joins(i) { w.fold(i + 1) } else { "" };
    let article = normalize::continued_form(first, next) != first || normalize::last_form(first) != first;
    let cap = w.words[i].flags & (CAP | ARABIC) != 0;
    let step0 = if article {
        None
    } else if let Some(s) = cache.get(first) {
        Some(*s)
    } else {
        let root = fst.root();
        let s = match step(fst, root, Output::zero(), first.as_bytes()) {
            Some((nd, o)) => FirstStep {
                alone: nd.is_final().then(|| o.cat(nd.final_output()).value()),
                then: step(fst, nd, o, b" ").map(|(nd2, o2)| (nd2.addr(), o2)),
            },
            None => FirstStep { alone: None, then: None },
        };
        cache.insert(first, s);
        Some(s)
    };
    let mut best = None;
    let (mut node, mut out, mut j) = match step0 {
        Some(s) => {
            if cap && let Some(v) = s.alone {
                best = Some((1, v));
            }
            match s.then {
                Some((addr, o)) if n > i + 1 && w.joins(i) => (fst.node(addr), o, i + 1),
                _ => return best,
            }
        }
        None => (fst.root(), Output::zero(), i),
    };
    while j < n && j < i + MAX_WORDS {
        if j > i && !w.joins(j - 1) {
            break;
        }
        let cur = w.fold(j);
        if cur.is_empty() {
            break;
        }
        let next = if j + 1 < n && w.joins(j) { w.fold(j + 1) } else { "" };
        let last = normalize::last_form(cur);
        let cont = normalize::continued_form(cur, next);
        let is_cap = w.words[j].flags & (CAP | ARABIC) != 0;
        if last == cont {
            // One walk serves both: the key ending here, and longer keys.
            let Some((nd, o)) = step(fst, node, out, cont.as_bytes()) else { break };
            if is_cap && nd.is_final() {
                best = Some((j - i + 1, o.cat(nd.final_output()).value()));
            }
            match step(fst, nd, o, b" ") {
                Some((nd2, o2)) => {
                    node = nd2;
                    out = o2;
                }
                None => break,
            }
        } else {
            if is_cap
                && let Some((nd, o)) = step(fst, node, out, last.as_bytes())
                && nd.is_final()
            {
                best = Some((j - i + 1, o.cat(nd.final_output()).value()));
            }
            match step(fst, node, out, cont.as_bytes()).and_then(|(nd, o)| step(fst, nd, o, b" ")) {
                Some((nd, o)) => {
                    node = nd;
                    out = o;
                }
                None => break,
            }
        }
        j += 1;
    }
    best
}

/// The key of words `i..i+n` (as the index has it).
/// (What [`normalize::join`] gives for the folded words, without copying them first.)
fn key_of(w: &Words<'_>, i: usize, n: usize) -> String {
    let end = i + n;
    let mut out = String::with_capacity((i..end).map(|j| w.fold(j).len() + 1).sum());
    for j in i..end {
        if j > i {
            out.push(' ');
        }
        let f = w.fold(j);
        if j + 1 < end {
            out.push_str(normalize::continued_form(f, w.fold(j + 1)));
        } else {
            out.push_str(normalize::last_form(f));
        }
    }
    out
}

pub(crate) fn recognize<'t>(gaz: &Gazetteer, text: &'t str, hints: &GeoHints) -> (Words<'t>, Vec<Mention>) {
    let region = if hints.region.is_valid_for(text) { hints.region } else { TextRange::full(text) };
    let w = Words::new(text, region);
    let ctx = ContextWords::shipped();
    let n = w.words.len();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut people: HashSet<String> = HashSet::new();
    let mut caches: Vec<FirstCache<'_>> = gaz.layers.iter().map(|_| FirstCache::default()).collect();
    let mut i = 0;
    while i < n {
        if !can_start(&w, i) {
            i += 1;
            continue;
        }
        // Leftmost-longest over all layers.
        let mut found: Vec<(usize, u64)> = Vec::with_capacity(gaz.layers.len()); // per layer: (words, value)
        for (li, layer) in gaz.layers.iter().enumerate() {
            found.push(longest(layer.data.exact.as_fst(), &w, i, &mut caches[li]).unwrap_or((0, 0)));
        }
        let len = found.iter().map(|f| f.0).max().unwrap_or(0);
        if len == 0 {
            i += 1;
            continue;
        }
        // Gather candidates of that key from every layer.
        let key = key_of(&w, i, len);
        let mut cands = Vec::new();
        let mut key_flags = 0;
        for (li, layer) in gaz.layers.iter().enumerate() {
            let value = if found[li].0 == len { Some(found[li].1) } else { layer.data.exact.get(key.as_bytes()) };
            if let Some(v) = value {
                let (it, flags) = layer.data.postings_of(v);
                key_flags |= flags;
                cands.extend(it.map(|(e, k)| (li as u8, e, k)));
            }
        }
        let range = TextRange::new(w.words[i].start as usize, w.words[i + len - 1].end as usize);
        let mut m = Mention {
            in_title: hints.title.is_some_and(|t| t.contains_range(range)),
            in_dateline: hints.dateline.is_some_and(|d| d.contains_range(range)),
            ..Mention::new(range, i, len, key, cands, Role::Place)
        };
        if accept(gaz, &w, ctx, &mut m, key_flags, &mentions, &mut people) {
            i += len;
            mentions.push(m);
        } else {
            i += 1;
        }
    }
    // Names seen as people's ("Tom Kelly") are people's elsewhere too ("Kelly said").
    // ("to Henry's arrest": a possessive after a locative is still the person's.)
    mentions.retain(|m| {
        let possessive = text[m.range.end()..].starts_with(['\'', '’']);
        let place_word = m.first > 0 && matches!(w.fold(m.first - 1), "in" | "near" | "outside" | "into" | "across");
        // ("Marisol St. Clair" … "St. Clair said": a longer name of a town only, never a region's.)
        let person_shaped = m.n == 1 || m.cands.iter().all(|&c| populated(gaz, c));
        !person_shaped || !people.contains(&m.key) || m.strong || (m.locative && place_word && !possessive)
    });
    mark_region_lists(gaz, &w, ctx, &mut mentions);
    add_streets(gaz, &w, ctx, &mut mentions);
    add_sub_places(gaz, &w, ctx, !hints.country_prior.is_empty(), &mut mentions);
    add_loose_after_locatives(gaz, &w, ctx, &mut mentions);
    // Actor and organisation names found before geoparsing are not places ("Haram" in "Boko Haram").
    if !hints.not_places.is_empty() {
        mentions.retain(|m| !hints.not_places.iter().any(|r| r.intersects(m.range)));
    }
    mentions.sort_by_key(|m| m.range);
    (w, mentions)
}

/// "Barrow and Jackson counties", "Borno, Yobe and Adamawa states": every name of a list before a
/// plural region word is a region of that rank.
fn mark_region_lists(gaz: &Gazetteer, w: &Words<'_>, ctx: &ContextWords, mentions: &mut Vec<Mention>) {
    let mut added = Vec::new();
    for k in 1..w.words.len() {
        // (Every plural region word ends in "s": one byte test spares most lookups.)
        if !w.fold(k).ends_with('s') {
            continue;
        }
        let cats = ctx.get(w.fold(k));
        let cue = if cats.has(Cats::ADMIN1_LIST) {
            1
        } else if cats.has(Cats::ADMIN2_LIST) {
            2
        } else {
            continue;
        };
        if w.words[k].flags & CAP != 0 && w.words[k].flags & SENT_START == 0 {
            continue; // "United States", "Gulf States": part of a name
        }
        // Walk back over capitalised words, commas and "and".
        let mut s = k;
        while s > 0 {
            let p = s - 1;
            let gap = w.gap(p);
            let ok_gap = matches!(gap, " " | ", " | "-");
            if !ok_gap || !(w.is_cap(p) || matches!(w.fold(p), "and" | "or")) {
                break;
            }
            s = p;
        }
        if s == k {
            continue;
        }
        let (a, b) = (w.words[s].start, w.words[k].start);
        // Names of the list that are no mention on their own ("Swift and Wilkin counties"): the
        // region's full name ("Wilkin County").
        if cue == 2 {
            let unit = last_form(w.fold(k));
            let mut j = s;
            while j < k {
                if !w.is_cap(j) {
                    j += 1;
                    continue;
                }
                let mut e = j;
                while e + 1 < k && w.gap(e) == " " && w.is_cap(e + 1) {
                    e += 1;
                }
                let covered = mentions.iter().any(|m| m.first <= e && j < m.first + m.n);
                if !covered {
                    let long = format!("{} {unit}", key_of(w, j, e + 1 - j));
                    let mut cands = Vec::new();
                    for (li, layer) in gaz.layers.iter().enumerate() {
                        if let Some(v) = layer.data.exact.get(long.as_bytes()) {
                            let (it, _) = layer.data.postings_of(v);
                            cands.extend(it.map(|(en, kind)| (li as u8, en, kind)));
                        }
                    }
                    if !cands.is_empty() {
                        let range = TextRange::new(w.words[j].start as usize, w.words[e].end as usize);
                        added.push(Mention {
                            admin_cue: 2,
                            ..Mention::new(range, j, e + 1 - j, long, cands, Role::Place)
                        });
                    }
                }
                j = e + 1;
            }
        }
        for m in mentions.iter_mut() {
            if m.range.start() as u32 >= a && (m.range.end() as u32) <= b && m.role == Role::Place && !m.strong {
                m.admin_cue = cue;
                // "Barrow and Jackson counties": the regions are "Barrow County" and "Jackson County".
                if cue == 2 {
                    let unit = last_form(w.fold(k));
                    let long = format!("{} {unit}", m.key);
                    for (li, layer) in gaz.layers.iter().enumerate() {
                        if let Some(v) = layer.data.exact.get(long.as_bytes()) {
                            let (it, _) = layer.data.postings_of(v);
                            for (e, kind) in it {
                                if !m.cands.iter().any(|c| c.0 == li as u8 && c.1 == e) {
                                    m.cands.push((li as u8, e, kind));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_by_key(|m| m.range);
    }
}

/// The singular of a plural region word ("counties" → "county").
fn last_form(plural: &str) -> &str {
    match plural {
        "counties" => "county",
        "parishes" => "parish",
        "districts" => "district",
        "municipalities" => "municipality",
        "boroughs" => "borough",
        "townships" => "township",
        other => other,
    }
}

/// "Kirkuk, Iraq": links each mention to the one right after its comma.
pub(crate) fn link_commas(w: &Words<'_>, mentions: &mut [Mention]) {
    for k in 0..mentions.len() {
        mentions[k].comma_next = None;
        if k + 1 < mentions.len() {
            let (a, b) = (&mentions[k], &mentions[k + 1]);
            if a.first + a.n == b.first && w.gap(a.first + a.n - 1).trim() == "," {
                mentions[k].comma_next = Some(k + 1);
            }
        }
    }
}

/// A populated place (a town, a city, a quarter), not a country or a region.
fn populated(gaz: &Gazetteer, c: Cand) -> bool {
    let d = &gaz.layers[c.0 as usize].data;
    d.str(d.entries[c.1 as usize].fcode).unwrap_or("").starts_with("PPL")
}

fn is_major(gaz: &Gazetteer, c: (u8, u32, PostingKind)) -> bool {
    let d = &gaz.layers[c.0 as usize].data;
    let e = &d.entries[c.1 as usize];
    let f = d.str(e.fcode).unwrap_or("");
    matches!(f, "PCLI" | "PCLD" | "CONT" | "ADM1" | "PPLC") || e.population >= 100_000 || gaz.layers[c.0 as usize].user
}

/// Applies the context rules to a candidate; false drops it. Names found to
/// be people's ("Tom Kelly") are added to `people`.
#[allow(clippy::too_many_arguments)]
fn accept(
    gaz: &Gazetteer,
    w: &Words<'_>,
    ctx: &ContextWords,
    m: &mut Mention,
    flags: u64,
    prev: &[Mention],
    people: &mut HashSet<String>,
) -> bool {
    let i = m.first;
    let last = i + m.n - 1;
    let n = w.words.len();
    let title_case = w.in_title_case(i) || m.in_title;
    let text = w.text;
    let mtext = &text[m.range];
    let sent_start = w.words[i].flags & SENT_START != 0;
    let prev_word = if i > 0 && w.joins(i - 1) { Some(i - 1) } else { None };
    let prev_fold = if i > 0 { w.fold(i - 1) } else { "" };
    let prev_cats = ctx.get(prev_fold);
    let next_word = if last + 1 < n && w.joins(last) { Some(last + 1) } else { None };
    let next_fold = if last + 1 < n { w.fold(last + 1) } else { "" };
    let next_cats = ctx.get(next_fold);
    let after_comma_of_place = i > 0 && w.gap(i - 1).trim() == "," && prev.last().is_some_and(|p| p.first + p.n == i);
    let before_comma = last + 1 < n && w.gap(last).trim_end() == ",";
    // "in Mosul"; "In Mosul, …" at the start of a sentence.
    let locative = i > 0
        && prev_cats.has(Cats::LOCATIVE)
        && (!w.is_cap(i - 1) || (w.words[i - 1].flags & (SENT_START | ALLCAPS) == SENT_START))
        && w.gap(i - 1) == " "
        // "according to Taylor": a source, not a destination.
        && !(prev_fold == "to" && i >= 2 && w.fold(i - 2) == "according");
    // "Rep. Torrey Westrom, R-Elbow Lake", "D-Fairfax": a legislator's party and home town.
    let partisan = i >= 2
        && w.gap(i - 1) == "-"
        && matches!(&text[w.words[i - 1].start as usize..w.words[i - 1].end as usize], "R" | "D" | "I" | "DFL")
        && w.gap(i - 2).trim() == ",";
    let locative = locative || partisan;
    m.locative = locative;
    let own = if m.n == 1 { w.fold(i).to_owned() } else { m.key.clone() };
    let own_cats = ctx.get(&own);
    // Weekdays, months, faiths.
    if own_cats.has(Cats::STOP) || ctx.get(&m.key).has(Cats::STOP) {
        return false;
    }
    // A firm ("Stevens & Wilkinson", "Church & State").
    if m.n == 1
        && last + 1 < n
        && matches!(w.gap(last), " & " | "&")
        && w.is_cap(last + 1)
        && !m.cands.iter().any(|&c| is_strong(gaz, c))
    {
        // (The firm's name is a person's: "Smith & Jones said" elsewhere in the report.)
        people.insert(m.key.clone());
        return false;
    }
    // "St. Luke's Hospital", "St. Anne's": a saint's name with a possessive names a church, a
    // school or a hospital after the saint, not the town of that name.
    if m.n >= 2
        && matches!(w.fold(i), "st" | "saint" | "ste" | "sainte")
        && text[m.range.end()..].starts_with(['\'', '’'])
        && text[m.range.end()..].chars().nth(1) == Some('s')
        && !m.cands.iter().any(|&c| is_strong(gaz, c))
    {
        // (Nor is the saint's own name, "Luke's", a place after it.)
        people.insert(key_of(w, i + 1, m.n - 1));
        return false;
    }
    // "a Twain impersonator", "his Grant biographer": the name is a person's, here and in the
    // rest of the report ("Grant wrote", "Grant's memoirs").
    if next_word.is_some_and(|nx| !w.is_cap(nx) || title_case)
        && w.gap(last) == " "
        && next_cats.has(Cats::PORTRAYAL)
        && !m.cands.iter().any(|&c| is_strong(gaz, c))
    {
        people.insert(m.key.clone());
        return false;
    }
    // "a Buick Lucerne", "his Jeep Cherokee": a vehicle model after its maker (and "the Lucerne"
    // elsewhere in the report).
    if i > 0
        && w.is_cap(i - 1)
        && w.gap(i - 1) == " "
        && prev_cats.has(Cats::MAKER)
        && !m.cands.iter().any(|&c| is_strong(gaz, c))
    {
        people.insert(m.key.clone());
        return false;
    }
    // A word prefix ("Pre-school", "Anti-government").
    if m.n == 1
        && own_cats.has(Cats::PREFIX)
        && last + 1 < n
        && w.gap(last) == "-"
        && (w.words[last + 1].flags & CAP == 0 || title_case)
        && !m.cands.iter().any(|&c| is_strong(gaz, c))
    {
        return false;
    }
    // ... and its last word ("Nord" of "Gare du Nord").
    if m.n == 1
        && i >= 2
        && w.gap(i - 1) == " "
        && w.gap(i - 2) == " "
        && ctx.get(prev_fold).has(Cats::PARTICLE)
        && w.words[i - 1].flags & CAP == 0
        && w.is_cap(i - 2)
        && !m.cands.iter().any(|&c| is_strong(gaz, c))
    {
        return false;
    }
    // One word of a longer name the gazetteer lacks ("Gare du Nord", "Plaza de Mayo").
    if m.n == 1
        && last + 2 < n
        && w.gap(last) == " "
        && w.gap(last + 1) == " "
        && ctx.get(w.fold(last + 1)).has(Cats::PARTICLE)
        && w.words[last + 1].flags & CAP == 0
        && w.is_cap(last + 2)
        && !m.cands.iter().any(|&c| is_strong(gaz, c))
    {
        return false;
    }
    // Titles ("Brig. Gen.", "General Motors").
    if m.n == 1
        && own_cats.has(Cats::TITLE)
        && (next_word.is_some_and(|nx| w.is_cap(nx)) || text[m.range.end()..].starts_with('.'))
    {
        return false;
    }
    // A nisba ("Abu Bakr al-Baghdadi", "al-Masri"): an article joined before the name but not part of it.
    if prev_word.is_some() && matches!(prev_fold, "al" | "el") && !w.is_cap(i - 1) {
        return false;
    }
    // Abbreviations ("Calif.") right after "Town, " with their period; dotted ones ("S.C.") anywhere.
    let dotted = mtext.contains('.') && mtext.len() > 2;
    let has_period = text[m.range.end()..].starts_with('.') || dotted;
    // "Surprise, Ariz.": after a comma and a capitalised word the gazetteer may lack; "a Ga. pastor":
    // before a lowercase word.
    let after_comma_of_name = i >= 1 && w.gap(i - 1) == ", " && w.is_cap(i - 1);
    let before_lowercase = text[m.range.end()..].starts_with(". ")
        && last + 1 < n
        && w.words[last + 1].flags & (CAP | DIGIT) == 0
        && !sent_start;
    let abbrev_ok = (after_comma_of_place && has_period)
        || (dotted && m.n > 1)
        || (has_period && m.n == 1 && (after_comma_of_name || before_lowercase));
    m.cands.retain(|c| c.2 != PostingKind::Abbrev || abbrev_ok);
    if m.cands.is_empty() {
        return false;
    }
    // Words in capitals: acronyms ("ISIS", "NAFTA") unless the gazetteer writes the name so ("US",
    // "UAE"), or in a dateline or a line in capitals.
    let letters: Vec<char> = mtext.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    if all_caps && !dotted && flags & FLAG_ACRONYM == 0 {
        let line_caps = w.in_title_case(i) && (i == 0 || w.words[i - 1].flags & ALLCAPS != 0 || before_comma);
        // "ATLANTA - A former…", "TORRINGTON — City Council…", "MOSUL, Iraq": a dateline.
        let after = text[m.range.end()..].trim_start_matches(' ');
        let dateline = m.in_dateline
            || (sent_start
                && (before_comma
                    || after.starts_with(['-', '—', '–', '('])
                    || after.starts_with('\n')
                    || after.is_empty()));
        if letters.len() <= 4 || !(line_caps || dateline || m.cands.iter().any(|&c| is_major(gaz, c))) {
            return false;
        }
        // A dateline names the town the report was filed from.
        m.in_dateline |= dateline && !line_caps;
    }
    // Demonyms ("German", "Canadian") win over towns of that name ("Canadian, Texas") unless
    // the text uses the word as a place ("in Canadian").
    if m.cands.iter().any(|c| c.2 == PostingKind::Demonym) && !(locative || after_comma_of_place)
        || m.cands.iter().all(|c| c.2 == PostingKind::Demonym)
    {
        m.cands.retain(|c| c.2 == PostingKind::Demonym);
        m.role = Role::Demonym;
    } else {
        m.cands.retain(|c| c.2 != PostingKind::Demonym);
    }
    let major = m.cands.iter().any(|&c| is_major(gaz, c));
    let strong = m.cands.iter().any(|&c| is_strong(gaz, c));
    m.strong = strong;
    // A given name that is a big city's name only in some other language ("Sam", "Victoria") is
    // a given name first.
    let major_own = m.cands.iter().any(|&c| c.2 != PostingKind::Alternate && is_major(gaz, c));
    let strong_own = m.cands.iter().any(|&c| c.2 != PostingKind::Alternate && is_strong(gaz, c));
    // (An admin seat of that name — "Augusta", "Logan" — is a place as often as a person.)
    let seat = m.cands.iter().any(|&c| {
        let d = &gaz.layers[c.0 as usize].data;
        c.2 == PostingKind::Primary && matches!(d.str(d.entries[c.1 as usize].fcode).unwrap_or(""), "PPLA" | "PPLA2")
    });
    let given = m.n == 1 && is_given_name(&own) && !major_own && !seat;
    // "Roy A. Nelson", "Judah P. Benjamin", "C.J. McArthur": an initial next to the name.
    let initial_before = i >= 1 && {
        let p = &text[w.words[i - 1].start as usize..w.words[i - 1].end as usize];
        let gap = w.gap(i - 1);
        (gap == ". " && p.len() == 1 && p.chars().all(|c| c.is_ascii_uppercase()))
            || (gap == " "
                && p.ends_with('.')
                && p.len() <= 4
                && p.chars().filter(char::is_ascii_uppercase).count() >= 2)
    };
    let initial_after = last + 1 < n && w.gap(last) == " " && {
        let nx = &text[w.words[last + 1].start as usize..w.words[last + 1].end as usize];
        nx.len() == 1
            && nx.chars().all(|c| c.is_ascii_uppercase())
            && text[w.words[last + 1].end as usize..].starts_with(". ")
    };
    if m.n == 1 && (initial_before || initial_after) && !strong_own && !m.in_dateline {
        people.insert(m.key.clone());
        return false;
    }
    // "in Ambo Town", "at Dorroba Village": a settlement word after a name with a preposition of
    // place before it says what the name is (the gazetteer lacks the longer name).
    let settlement_after =
        locative && next_word.is_some_and(|nx| w.gap(last) == " " && matches!(w.fold(nx), "town" | "village"));
    let next_is_name = !settlement_after
        && next_word.is_some_and(|nx| {
            w.is_cap(nx) && w.gap(last) == " " && {
                let c = ctx.get(w.fold(nx));
                !c.has(Cats::ADMIN1 | Cats::ADMIN2 | Cats::FACILITY | Cats::ORG | Cats::TITLE | Cats::SPEECH)
            }
        });
    m.settlement_cue |= settlement_after;
    if m.role == Role::Demonym {
        m.near = None;
        return true;
    }
    // "the Duma approved", "sent to the Duma": a town's name after a lowercase "the" that is no
    // modifier of a noun after it ("the Gainesville police") names an institution, not the town.
    if m.n == 1
        && i > 0
        && prev_fold == "the"
        && !w.is_cap(i - 1)
        && w.gap(i - 1) == " "
        && !m.strong
        && m.cands.iter().all(|&c| populated(gaz, c))
        && (last + 1 == n
            || (w.gap(last) == " " && next_cats.has(Cats::LOCATIVE | Cats::SPEECH | Cats::FUNCTION))
            || w.gap(last).starts_with([',', '.', ';', ':', ')', '\'', '’', '"', '”']))
    {
        return false;
    }
    // "the Hohokam people", "the Clovis culture": a people's name, here and elsewhere.
    if m.n == 1
        && i > 0
        && prev_fold == "the"
        && w.gap(i - 1) == " "
        && next_word.is_some()
        && w.gap(last) == " "
        && next_cats.has(Cats::FOLK)
        && !m.strong
    {
        people.insert(m.key.clone());
        return false;
    }
    // "the Gulf War", "a Gulf-war veteran": a name before a capitalised event word names the event.
    if next_word.is_some_and(|nx| w.is_cap(nx) || w.gap(last) == "-") && next_cats.has(Cats::EVENT) {
        return false;
    }
    // People: "President Jackson", "Gen. Ibrahim".
    if i > 0 && prev_cats.has(Cats::TITLE) && w.is_cap(i - 1) && matches!(w.gap(i - 1), " " | ". ") {
        people.insert(m.key.clone());
        return false;
    }
    // "Tom Kelly", "Denzel Washington": a given name before.
    if let Some(p) = prev_word
        && w.is_cap(p)
        && w.gap(p) == " "
        && is_given_name(prev_fold)
        && !title_case
        && prev.last().is_none_or(|pm| pm.first + pm.n != i)
    {
        people.insert(m.key.clone());
        return false;
    }
    // "Paris Hilton", "Jordan Peterson": a given name, then a surname.
    if m.n == 1 && is_given_name(&own) && !strong_own && next_is_name && !title_case {
        people.insert(m.key.clone());
        return false;
    }
    // "Chad Miller, 41,", "officers Jordan Reyes and …": a country's or a big city's name that is a
    // given name, then a surname that ends the name (a comma, "and", a speech verb after it).
    if m.n == 1
        && is_given_name(&own)
        && next_is_name
        && !title_case
        && !locative
        && let Some(nx) = next_word
        && nx + 1 < n
        && !ctx.get(w.fold(nx)).has(Cats::LANDMARK | Cats::STREET)
        && (w.gap(nx).starts_with(',')
            || (w.gap(nx) == " " && (w.fold(nx + 1) == "and" || ctx.get(w.fold(nx + 1)).has(Cats::SPEECH))))
    {
        people.insert(m.key.clone());
        return false;
    }
    // Another capitalised word before: part of a longer name. (At the start of a sentence, only a
    // word that is no common word: "Boko Haram attacked".)
    if let Some(p) = prev_word
        && !partisan
        && w.is_cap(p)
        && !title_case
        && (w.words[p].flags & SENT_START == 0
            || (w.gap(p) == " "
                && !is_common_word(prev_fold)
                && !is_given_name(prev_fold)
                && ctx.get(prev_fold).0 == 0
                && prev.last().is_none_or(|pm| pm.first != p)))
        && !prev_cats.has(Cats::DIRECTION | Cats::LOCATIVE)
        && prev.last().is_none_or(|pm| pm.first + pm.n != i)
        && !matches!(prev_fold, "the" | "of" | "and")
        && (!major || (m.n == 1 && w.gap(p) == "-"))
    {
        if w.gap(p) == " " {
            people.insert(m.key.clone());
        }
        return false;
    }
    // Common words ("Reading", "Mobile") and given names ("Paul", "Kelly") need a reason.
    if (flags & FLAG_COMMON_WORD != 0 || given) && m.n == 1 {
        // ("Ill." in "a missing Ill. man": a state abbreviation in its place is its own cue.)
        let abbrev = abbrev_ok && m.cands.iter().all(|c| c.2 == PostingKind::Abbrev);
        let cue =
            locative || after_comma_of_place || m.in_dateline || abbrev || next_cats.has(Cats::ADMIN1 | Cats::ADMIN2);
        if !(strong || cue)
            || (sent_start && !strong && !locative && !m.in_dateline)
            || (title_case && !strong && !m.in_dateline && !abbrev)
        {
            return false;
        }
    }
    // Weak evidence: a single word known only by an alternate name ("Salah", "Riad") or that is a
    // given name ("Michael"), with no cue. The resolver keeps it only near the report's other places.
    let cue = locative
        || after_comma_of_place
        || next_cats.has(Cats::ADMIN1 | Cats::ADMIN2)
        || m.in_dateline
        || (prev_fold == "of" && near_phrase(w, ctx, i).is_some());
    if !cue && !strong && !major {
        let alternate_only = m.cands.iter().all(|c| c.2 != PostingKind::Primary);
        let small = m.n == 1 && m.cands.iter().all(|&c| is_small(gaz, c));
        if alternate_only || small || (m.n == 1 && is_given_name(&own)) {
            m.weak = true;
        }
    }
    // After the name.
    if let Some(nx) = next_word
        && (w.is_cap(nx) || next_cats.has(Cats::ADMIN1 | Cats::ADMIN2 | Cats::FACILITY))
    {
        if next_cats.has(Cats::ADMIN1) {
            m.admin_cue = 1;
        } else if next_cats.has(Cats::ADMIN2) {
            m.admin_cue = 2;
        } else if next_cats.has(Cats::ORG) && w.is_cap(nx) {
            m.role = Role::Embedded;
            // (Unless the text says where the campus is: "the Avondale School in Atlantis".)
            m.campus = next_cats.has(Cats::CAMPUS)
                && !(nx + 2 < n && w.gap(nx) == " " && w.fold(nx + 1) == "in" && w.is_cap(nx + 2));
        } else if next_cats.has(Cats::FACILITY | Cats::TITLE | Cats::SPEECH) {
            // "Mosul Dam", "Kirkuk Governor …": the place, as a modifier.
        } else if next_is_name && !title_case && !major && m.n == 1 {
            // "Tyler Perry": a longer name.
            return false;
        }
    }
    // "Washington said", "Moscow warned": the place stands for its government.
    if next_cats.has(Cats::SPEECH) && w.gap(last) == " " && major && m.role == Role::Place {
        m.role = Role::Metonym;
    }
    // "Jones said": a person, unless the name is a known major place or has a cue.
    if m.n == 1 && next_cats.has(Cats::SPEECH) && w.gap(last) == " " && !major && !locative {
        people.insert(m.key.clone());
        return false;
    }
    // Settlement cue: "the city of X", "the village of X".
    if i >= 2 && prev_fold == "of" {
        let before = w.fold(i - 2);
        if ctx.get(before).has(Cats::SETTLEMENT) {
            m.settlement_cue = true;
            if matches!(before, "province" | "governorate" | "region") {
                m.admin_cue = 1;
            } else if before == "district" {
                m.admin_cue = 2;
            }
        }
    }
    m.near = near_phrase(w, ctx, i);
    true
}

/// A village or small town (a plain populated place of fewer than 20,000 people).
pub(crate) fn is_small(gaz: &Gazetteer, c: Cand) -> bool {
    let d = &gaz.layers[c.0 as usize].data;
    let e = &d.entries[c.1 as usize];
    matches!(d.str(e.fcode).unwrap_or(""), "PPL" | "PPLX" | "PPLL" | "PPLF" | "PPLQ" | "PPLW" | "PPLH")
        && e.population < 20_000
        && !gaz.layers[c.0 as usize].user
}

pub(crate) fn is_strong(gaz: &Gazetteer, c: Cand) -> bool {
    let d = &gaz.layers[c.0 as usize].data;
    let e = &d.entries[c.1 as usize];
    let f = d.str(e.fcode).unwrap_or("");
    let curated = e.id == 0 && e.admin1 == crate::artifact::NONE && !f.starts_with("ADM") && e.population == 0;
    f.starts_with("PCL")
        || f == "CONT"
        || curated
        || (f.starts_with("PPL") && e.population >= 1_000_000)
        || gaz.layers[c.0 as usize].user
}

/// "30 km south of", "west of", "near", "outside", "on the outskirts of" before word `i`.
fn near_phrase(w: &Words<'_>, ctx: &ContextWords, i: usize) -> Option<(Option<f64>, Option<f64>, TextRange)> {
    if i == 0 {
        return None;
    }
    let prev = w.fold(i - 1);
    let start_of = |w: &Words<'_>, j: usize| w.words[j].start as usize;
    let end = w.words[i].end as usize;
    if matches!(prev, "near" | "outside" | "around" | "nearby") {
        let r = TextRange::new(start_of(w, i - 1), end);
        return Some((None, None, r));
    }
    if prev != "of" || i < 2 {
        return None;
    }
    let rel = w.fold(i - 2);
    if !ctx.get(rel).has(Cats::RELATION) {
        return None;
    }
    let bearing = match rel {
        "north" | "n" => Some(0.0),
        "northeast" | "ne" => Some(45.0),
        "east" | "e" => Some(90.0),
        "southeast" | "se" => Some(135.0),
        "south" | "s" => Some(180.0),
        "southwest" | "sw" => Some(225.0),
        "west" | "w" => Some(270.0),
        "northwest" | "nw" => Some(315.0),
        _ => None,
    };
    let mut start = start_of(w, i - 2);
    let mut km = None;
    if bearing.is_some() && i >= 3 {
        // "30 km", "30km", "20 miles", "30-kilometer"
        let unit = w.fold(i - 3);
        let (num, factor, first) = match unit {
            "km" | "kilometers" | "kilometres" | "kilometer" | "kilometre" if i >= 4 => {
                (w.fold(i - 4).parse::<f64>().ok(), 1.0, i - 4)
            }
            "miles" | "mile" | "mi" if i >= 4 => (w.fold(i - 4).parse::<f64>().ok(), 1.609_344, i - 4),
            u if u.ends_with("km") => (u.trim_end_matches("km").parse::<f64>().ok(), 1.0, i - 3),
            _ => (None, 1.0, i),
        };
        if let Some(v) = num
            && v > 0.0
            && v < 2000.0
        {
            km = Some(v * factor);
            start = start_of(w, first);
        }
    }
    Some((km, bearing, TextRange::new(start, end)))
}

/// Last words of natural features: not in the town whose name they share ("Sacramento River").
const NATURAL: &[&str] = &[
    "river",
    "creek",
    "lake",
    "island",
    "islands",
    "mountain",
    "mountains",
    "hill",
    "hills",
    "valley",
    "forest",
    "desert",
    "canal",
    "bay",
    "cape",
    "peninsula",
    "beach",
];

/// Streets, buildings and natural features ("Main Street", "Augusta St.", "Carnegie Library",
/// "Red River"): sub-places of the town they are in. A town name that only names the street
/// ("Augusta" in "Augusta St.") gives way to it. A numbered road ("Highway 19", "Route 66",
/// "Interstate 45") runs through many towns and has no point of its own: it is not reported.
fn add_streets(gaz: &Gazetteer, w: &Words<'_>, ctx: &ContextWords, mentions: &mut Vec<Mention>) {
    let n = w.words.len();
    let mut new: Vec<(usize, usize)> = Vec::new(); // (first word, last word)
    for k in 0..n {
        if !w.is_cap(k) {
            continue;
        }
        // "Highway 19", "Route 66", "Interstate 45": a numbered road, not a place ("State Highway 19"
        // is no street named "State Highway" either).
        if k + 1 < n
            && w.words[k + 1].flags & DIGIT != 0
            && w.gap(k) == " "
            && matches!(w.fold(k), "highway" | "interstate" | "route" | "hwy")
        {
            continue;
        }
        if k == 0 || w.gap(k - 1) != " " || !w.is_cap(k - 1) || !ctx.get(w.fold(k)).has(Cats::STREET | Cats::LANDMARK) {
            continue;
        }
        let mut s = k - 1;
        // ("St. Andrew Catholic Church": an abbreviation with its period joins the name.)
        while s > 0
            && k - s < 4
            && (w.gap(s - 1) == " " || (w.joins(s - 1) && w.gap(s - 1) != "-"))
            && w.is_cap(s - 1)
            && (w.words[s].flags & SENT_START == 0 || w.gap(s - 1).starts_with('.'))
        {
            s -= 1;
        }
        if w.fold(s) == "the" {
            s += 1;
        }
        if s < k {
            new.push((s, k));
        }
    }
    if new.is_empty() {
        return;
    }
    let mut inside: Vec<Mention> = Vec::new();
    for (s, e) in new {
        // A mention over the street word itself (a gazetteer place such as "Washington Square") stays.
        if mentions.iter().any(|m| m.first <= e && e < m.first + m.n) {
            continue;
        }
        // A building named after its town ("Paris Public Library", "Vancouver International Airport")
        // is in that town when the report names the town on its own too, or the town is a major one;
        // a street ("Augusta St.") or a natural feature ("Sacramento River") is not.
        let building = {
            let c = ctx.get(w.fold(e));
            c.has(Cats::LANDMARK) && !c.has(Cats::STREET) && !NATURAL.contains(&w.fold(e))
        };
        let named = mentions
            .iter()
            .find(|m| {
                m.first == s
                    && m.first + m.n <= e
                    && m.role == Role::Place
                    && !m.weak
                    && !m.loose
                    && !m.cands.is_empty()
            })
            .filter(|h| {
                // ("St. Andrew Church" is named after the saint.)
                let saint = matches!(w.fold(h.first), "saint" | "st" | "ste" | "sainte" | "san" | "santa")
                    && matches!(w.fold(e), "church" | "cathedral" | "chapel" | "basilica" | "abbey" | "parish");
                building && !saint
            });
        let head = named
            .filter(|h| {
                mentions.iter().any(|o| o.key == h.key && o.first != h.first && o.role == Role::Place)
                    || h.cands.iter().any(|&c| is_major(gaz, c))
            })
            .map(|h| (h.key.clone(), h.cands.clone()));
        // A building named after a place ("Lakeside County Hospital") says where the report is, even
        // when the report does not name the place on its own: the place is kept as evidence for
        // the report's other names (a county that holds its town), never reported.
        if let Some(h) = named
            && !inside.iter().any(|m: &Mention| m.key == h.key)
        {
            let at = TextRange::new(w.text.len(), w.text.len());
            let first = INSIDE_FIRST + 2 * inside.len();
            inside.push(Mention {
                inside: true,
                ..Mention::new(at, first, 1, h.key.clone(), h.cands.clone(), Role::Place)
            });
        }
        mentions.retain(|m| !(m.first >= s && m.first + m.n <= e));
        if mentions.iter().any(|m| m.first < e + 1 && s < m.first + m.n) {
            continue;
        }
        let range = TextRange::new(w.words[s].start as usize, w.words[e].end as usize);
        let (key, cands, within) = match head {
            Some((k, c)) => (k, c, true),
            None => (key_of(w, s, e + 1 - s), Vec::new(), false),
        };
        mentions.push(Mention { within, ..Mention::new(range, s, e + 1 - s, key, cands, Role::SubPlace) });
    }
    mentions.extend(inside);
    mentions.sort_by_key(|m| m.range);
}

/// Names the gazetteer lacks, from their introductions: "the village of
/// Gogjali", "the neighborhood of al Intisar", "the al Khames bridge".
fn add_sub_places(gaz: &Gazetteer, w: &Words<'_>, ctx: &ContextWords, hinted: bool, mentions: &mut Vec<Mention>) {
    let n = w.words.len();
    let covered = |mentions: &[Mention], a: usize, b: usize| mentions.iter().any(|m| m.first < b && a < m.first + m.n);
    let mut new = Vec::new();
    // (Names known only by the kind of place they are count only in a report that names no place
    // the gazetteer holds: there they are all it says of where, placed in the report's country.)
    let known = mentions.iter().any(|m| !m.cands.is_empty() && m.role != Role::Demonym);
    for k in 0..n {
        // Cheap tests first: the patterns need a capitalised word next to them.
        let settlement_shape = k > 0
            && k + 2 < n
            && (w.is_cap(k + 2) || matches!(w.fold(k + 2), "al" | "el"))
            && w.fold(k + 1) == "of"
            // ("the village of", "the mining town of")
            && (w.fold(k - 1) == "the" || (k >= 2 && w.fold(k - 2) == "the" && !w.is_cap(k - 1)));
        let facility_shape = k >= 1 && !w.is_cap(k) && w.is_cap(k - 1) && w.joins(k - 1);
        let suffix_shape = !known && k >= 1 && w.is_cap(k - 1) && w.gap(k - 1) == " ";
        let locative_shape = !known && k + 1 < n && !w.is_cap(k) && w.gap(k) == " " && w.is_cap(k + 1);
        if !settlement_shape && !facility_shape && !suffix_shape && !locative_shape {
            continue;
        }
        let cats = ctx.get(w.fold(k));
        // "in NAME": after a preposition of place, a name the gazetteer lacks (same condition, and
        // only where the report's outlet or actors say which country it is about).
        if locative_shape
            && hinted
            && cats.has(Cats::LOCATIVE)
            && let Some(len) = name_run(w, k + 1)
            && plain_name(w, ctx, k + 1, k + 1 + len)
            && !covered(mentions, k + 1, k + 1 + len)
            && !(k + 1 + len < n && w.joins(k + len) && w.is_cap(k + 1 + len))
            // ("in Nkurunziza's third term": a person's.)
            && !w.text[w.words[k + len].end as usize..].starts_with(['\'', '’'])
        {
            new.push((k + 1, len, None));
        }
        // "NAME village", "the NAME area", "NAME County": a name the gazetteer lacks, named with
        // the kind of place it is (a settlement word in lower case, or a district's rank word).
        if suffix_shape
            && ((!w.is_cap(k) && cats.has(Cats::SETTLEMENT)) || cats.has(Cats::ADMIN2))
            && let Some(s) = suffix_run(w, ctx, k)
            && !covered(mentions, s, k)
        {
            new.push((s, k - s, None));
        }
        // "the village of NAME"
        if settlement_shape && cats.has(Cats::SETTLEMENT) {
            let s = k + 2;
            if let Some(len) = name_run(w, s)
                && !covered(mentions, s, s + len)
            {
                new.push((s, len, None));
            }
        }
        // "the NAME bridge"
        if facility_shape && cats.has(Cats::FACILITY) {
            // Walk back over the capitalised run (and a leading article).
            let mut s = k;
            while s > 0 && w.joins(s - 1) && (w.is_cap(s - 1)) {
                s -= 1;
            }
            if s > 0 && w.joins(s - 1) {
                let a = w.fold(s - 1);
                if matches!(a, "al" | "el") && !w.is_cap(s - 1) {
                    s -= 1;
                }
            }
            if s < k
                && s > 0
                && w.fold(s - 1) == "the"
                && !covered(mentions, s, k + 1)
                && w.words[s].flags & SENT_START == 0
            {
                new.push((s, k - s, Some(k)));
            }
        }
    }
    for (s, len, head) in new {
        let end_word = head.unwrap_or(s + len - 1);
        let range = TextRange::new(w.words[s].start as usize, w.words[end_word].end as usize);
        if mentions.iter().any(|m| m.range.intersects(range)) {
            continue;
        }
        let (key, cands, loose) = match loose_candidates(gaz, w, s, len) {
            Some((lk, cands)) => (lk, cands, true),
            None => (key_of(w, s, len), Vec::new(), false),
        };
        mentions.push(Mention {
            loose,
            settlement_cue: true,
            ..Mention::new(range, s, end_word + 1 - s, key, cands, Role::SubPlace)
        });
    }
}

/// The start of the run of one to three capitalised words before word `k` that reads as a name
/// the gazetteer lacks: no common word, given name or context word in it, not in capitals, no
/// capitalised word before it (part of a longer name).
fn suffix_run(w: &Words<'_>, ctx: &ContextWords, k: usize) -> Option<usize> {
    let mut s = k;
    while s > 0 && k - s < 3 && w.is_cap(s - 1) && (s == k || w.joins(s - 1)) {
        s -= 1;
    }
    if s == k || (s > 0 && w.joins(s - 1) && w.is_cap(s - 1)) {
        return None;
    }
    plain_name(w, ctx, s, k).then_some(s)
}

/// True when words `s..e` read as a name the gazetteer lacks: no common word, given name or
/// context word among them, none in capitals.
fn plain_name(w: &Words<'_>, ctx: &ContextWords, s: usize, e: usize) -> bool {
    (s..e).all(|j| {
        let f = w.fold(j);
        w.words[j].flags & ALLCAPS == 0 && f.len() > 2 && !is_common_word(f) && !is_given_name(f) && ctx.get(f).0 == 0
    })
}

/// Unmatched names after a locative ("in Kokjali") that a loose key finds.
/// The resolver keeps them only for places in the focus country.
fn add_loose_after_locatives(gaz: &Gazetteer, w: &Words<'_>, ctx: &ContextWords, mentions: &mut Vec<Mention>) {
    let n = w.words.len();
    let mut k = 0;
    let mut m_at = 0;
    let mut sorted: Vec<(usize, usize)> = mentions.iter().map(|m| (m.first, m.first + m.n)).collect();
    sorted.sort_unstable();
    let mut new = Vec::new();
    while k + 1 < n {
        while m_at < sorted.len() && sorted[m_at].1 <= k + 1 {
            m_at += 1;
        }
        let covered = m_at < sorted.len() && sorted[m_at].0 <= k + 1;
        if !covered
            && w.words[k].flags & CAP == 0
            && (w.is_cap(k + 1) || matches!(w.fold(k + 1), "al" | "el"))
            && w.gap(k) == " "
            && ctx.get(w.fold(k)).has(Cats::LOCATIVE)
            && let Some(len) = name_run(w, k + 1)
            && w.words[k + 1].flags & ALLCAPS == 0
            && let Some((key, cands)) = loose_candidates(gaz, w, k + 1, len)
        {
            let s = k + 1;
            let range = TextRange::new(w.words[s].start as usize, w.words[s + len - 1].end as usize);
            new.push(Mention {
                loose: true,
                near: near_phrase(w, ctx, s),
                locative: true,
                ..Mention::new(range, s, len, key, cands, Role::Place)
            });
            k += len;
        }
        k += 1;
    }
    mentions.extend(new);
}

/// A name run at word `s`: capitalised words (after an optional lowercase article).
fn name_run(w: &Words<'_>, s: usize) -> Option<usize> {
    let n = w.words.len();
    let mut j = s;
    if !w.is_cap(j) {
        let f = w.fold(j);
        if !(matches!(f, "al" | "el") && j + 1 < n && w.joins(j) && w.is_cap(j + 1)) {
            return None;
        }
        j += 1;
    }
    while j + 1 < n && w.joins(j) && w.is_cap(j + 1) && j + 1 - s < 4 {
        j += 1;
    }
    Some(j + 1 - s)
}

/// Loose matching for one capitalised run without an exact match (used by the
/// resolver once the focus country is known).
pub(crate) fn loose_candidates(gaz: &Gazetteer, w: &Words<'_>, i: usize, n: usize) -> Option<(String, Vec<Cand>)> {
    let key = key_of(w, i, n);
    let lk = normalize::loose_key(&key);
    if lk.len() < 4 {
        return None;
    }
    let mut cands = Vec::new();
    for (li, layer) in gaz.layers.iter().enumerate() {
        if let Some(v) = layer.data.loose.get(lk.as_bytes()) {
            let (it, _) = layer.data.postings_of(v);
            cands.extend(it.map(|(e, k)| (li as u8, e, k)));
        }
    }
    if cands.is_empty() { None } else { Some((lk, cands)) }
}
