//! Event arguments: actors in their roles, attribution, fatalities, location
//! and date, read around the trigger of a typed clause.

use std::ops::Range;

use sitrep_model::{Date, Inter, Location, SubEventType};
use sitrep_text::TextRange;

use crate::glue::When;
use crate::lexicon::{Proposal, TagSet};
use crate::typing::{Hit, Typed};
use crate::words::{BREAK, COMMA, PUNCT, QUOTE, Word};

/// What the argument readers need of the document.
pub(crate) struct DocView<'a> {
    pub(crate) text: &'a str,
    pub(crate) words: &'a [Word],
    pub(crate) actors: &'a [crate::glue::ActorSpan],
    /// Word range of each actor mention (parallel to `actors`).
    pub(crate) actor_words: &'a [Range<usize>],
    pub(crate) dates: &'a [crate::glue::DateSpan],
    pub(crate) nums: &'a [crate::glue::Num],
    pub(crate) geo: &'a sitrep_gazetteer::GeoParse,
    pub(crate) cues: crate::rules::Cues,
    /// Tags of the lexicon phrase covering each word (parallel to `words`).
    pub(crate) word_tags: &'a [TagSet],
}

impl DocView<'_> {
    /// The word index at or after byte `offset`.
    pub(crate) fn word_at(&self, offset: usize) -> usize {
        self.words.partition_point(|w| w.range.end() <= offset)
    }

    /// The byte range of words `r`.
    pub(crate) fn span(&self, r: Range<usize>) -> TextRange {
        if r.is_empty() || r.end > self.words.len() {
            return TextRange::empty(self.words.get(r.start).map_or(0, |w| w.range.start()));
        }
        self.words[r.start].range.cover(self.words[r.end - 1].range)
    }

    fn word(&self, i: usize) -> &str {
        &self.text[self.words[i].range]
    }
}

/// Actors in their roles (indices into `DocView::actors`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Roles {
    pub(crate) actor1: Option<usize>,
    pub(crate) assoc1: Vec<usize>,
    pub(crate) actor2: Option<usize>,
    pub(crate) assoc2: Vec<usize>,
}

const OBLIQUE: &[&str] =
    &["in", "of", "from", "at", "near", "against", "with", "inside", "outside", "for", "to", "into"];

/// Words for a part or a number of the actor after "of": "two groups of soldiers".
const PARTITIVE: &[&str] = &[
    "group",
    "groups",
    "member",
    "members",
    "unit",
    "units",
    "element",
    "elements",
    "detachment",
    "contingent",
    "team",
    "band",
    "gang",
    "faction",
    "remnants",
    "dozens",
    "hundreds",
    "thousands",
    "scores",
    "number",
    "some",
    "several",
    "many",
    "two",
    "three",
    "four",
    "five",
];

/// Assigns actor roles around the trigger: the subject before an active
/// trigger is actor1, the object after it actor2; in the passive the agent
/// after "by" is actor1; "clashes between X and Y" gives X and Y.
pub(crate) fn roles(doc: &DocView<'_>, clause: &Range<usize>, t: &Typed, exclude: Option<TextRange>) -> Roles {
    let trig = t.trigger.clone();
    let in_clause: Vec<usize> = (0..doc.actors.len())
        .filter(|&i| {
            let w = &doc.actor_words[i];
            w.start >= clause.start
                && w.end <= clause.end
                && !doc.actors[i].person
                && !exclude.is_some_and(|x| x.intersects(doc.actors[i].range))
                && !(w.start < trig.end && trig.start < w.end && w.start >= trig.start)
        })
        .collect();
    let mut r = Roles::default();
    if in_clause.is_empty() {
        return r;
    }
    // An actor that holds the trigger as its head noun ("coalition airstrikes", "Russian warplanes") is its agent.
    let before: Vec<usize> = in_clause
        .iter()
        .copied()
        .filter(|&i| doc.actor_words[i].end <= trig.start || doc.actor_words[i].start < trig.start)
        .collect();
    let after: Vec<usize> = in_clause.iter().copied().filter(|&i| doc.actor_words[i].start >= trig.end).collect();
    let oblique = |i: usize| {
        let s = doc.actor_words[i].start;
        s > clause.start
            && OBLIQUE.iter().any(|o| doc.word(s - 1).eq_ignore_ascii_case(o))
            // "two groups of soldiers", "members of the brigade": the actor is the head of the phrase.
            && !(s > clause.start + 1
                && doc.word(s - 1).eq_ignore_ascii_case("of")
                && (PARTITIVE.iter().any(|o| doc.word(s - 2).eq_ignore_ascii_case(o))
                    || doc.word(s - 2).bytes().all(|b| b.is_ascii_digit())))
    };
    // "clashes between X and Y"
    // "clashes between" (one phrase) or "clashes broke out between".
    let between = t.hits.iter().find(|h| {
        h.tags.intersects(doc.cues.between)
            && ((h.start >= trig.end && h.start <= trig.end + 3) || h.start == trig.start)
    });
    if let Some(b) = between {
        let after_b: Vec<usize> = after.iter().copied().filter(|&i| doc.actor_words[i].start > b.start).collect();
        r.actor1 = after_b.first().copied();
        r.actor2 = after_b.get(1).copied();
        if r.actor2.is_none() {
            r.actor2 = r.actor1.take();
            r.actor1 = before.first().copied();
        }
    } else if t.passive && !is_acronym_passive(doc, t, clause.start..trig.start) {
        r.actor1 = t.by.and_then(|b| after.iter().copied().find(|&i| doc.actor_words[i].start > b));
        r.actor2 = before.iter().copied().rev().find(|&i| !oblique(i)).or_else(|| before.last().copied());
        if r.actor2.is_none() {
            r.actor2 = after
                .iter()
                .copied()
                .find(|&i| Some(i) != r.actor1 && t.by.is_none_or(|b| doc.actor_words[i].start < b));
        }
    } else {
        r.actor1 = before.iter().copied().find(|&i| !oblique(i));
        r.actor2 = after.first().copied();
        if r.actor1.is_none() && r.actor2.is_some() && before.is_empty() {
            // "An attack by gunmen on …" without "by" detected: leave actor1 empty.
        }
    }
    // "Three soldiers were killed when …", "Soldier killed by a mine planted by Boko Haram": the
    // subject of a death or injury told in the passive is the victim, the agent that follows the actor.
    // A state force stays actor1 (ACLED names the state's side first); in a battle both sides fight.
    if let Some(a) = r.actor1
        && doc.actor_words[a].end <= trig.start
        && !matches!(doc.actors[a].inter, Inter::StateForces | Inter::External)
        && t.proposal != Proposal::Event(SubEventType::ArmedClash)
        && between.is_none()
        && let Some(k) = suffered(doc, t, doc.actor_words[a].end, trig.end.max(doc.actor_words[a].end))
    {
        // The agent: after "by", or the subject of what follows ("… were killed when gunmen attacked").
        let agent = in_clause.iter().copied().find(|&i| i != a && doc.actor_words[i].start >= k.end && !oblique(i));
        if r.actor2.is_none() || agent == r.actor2 {
            r.actor2 = Some(a);
        }
        r.actor1 = agent.filter(|&g| Some(g) != r.actor2);
    }
    // "an attack involving Boko Haram": the one party named is the actor.
    if r.actor1.is_none()
        && let Some(b) = r.actor2
        && doc.actor_words[b].start > clause.start
        && ["involving", "implicating"].iter().any(|w| doc.word(doc.actor_words[b].start - 1).eq_ignore_ascii_case(w))
    {
        r.actor1 = r.actor2.take();
    }
    // "Gunmen believed to be Fulani herdsmen": the attackers as the text identifies them.
    if let Some(b) = r.actor1.and_then(|a| identified(doc, a, &in_clause)) {
        r.actor1 = Some(b);
        if r.actor2 == Some(b) {
            r.actor2 = None;
        }
    }
    if let (Some(a), Some(b)) = (r.actor1, r.actor2)
        && doc.actors[a].name == doc.actors[b].name
    {
        r.actor2 = None;
    }
    r.assoc1 = coordinated(doc, r.actor1, &in_clause, &r);
    // "Soldiers and rebels clashed", "the Nuer and Anuak communities fought": the parties of a
    // mutual fight named together as its subject are its two sides, not allies (unless both are
    // state forces: "soldiers and police clashed" tells of one side).
    let state = |i: usize| matches!(doc.actors[i].inter, Inter::StateForces | Inter::External);
    if r.actor2.is_none()
        && between.is_none()
        && !t.passive
        && let (Some(a), Some(&b)) = (r.actor1, r.assoc1.first())
        && doc.actor_words[b].end <= trig.start
        && !(state(a) && state(b))
        && t.hits.iter().any(|h| h.start == trig.start && h.tags.intersects(doc.cues.mutual))
    {
        r.actor2 = Some(b);
        r.assoc1.remove(0);
    }
    r.assoc2 = coordinated(doc, r.actor2, &in_clause, &r);
    if let Proposal::Event(sub) = t.proposal {
        settle_roles(doc, t, sub, &mut r);
    }
    r
}

/// A passive read from the acronym "IS" taken for the verb ("IS fighters executed three men"): no
/// "by", no other form of "be" before the trigger, and "IS" among the words `r`.
fn is_acronym_passive(doc: &DocView<'_>, t: &Typed, r: Range<usize>) -> bool {
    let be = ["was", "were", "is", "are", "been", "be", "being", "got", "get", "gets"];
    t.by.is_none()
        && r.clone().any(|w| doc.word(w) == "IS")
        && !r.into_iter().any(|w| doc.word(w) != "IS" && be.iter().any(|b| doc.word(w).eq_ignore_ascii_case(b)))
}

/// A battle has no passive side: the one party a clause names ("clashes involving Boko Haram") is
/// its actor1 — unless the clause only reports casualties ("Four soldiers were killed"), which the
/// coder joins to the fight told before it.
fn one_party_first(doc: &DocView<'_>, t: &Typed, r: &mut Roles) {
    let casualties = t.hits.iter().any(|h| h.start == t.trigger.start && h.tags.intersects(doc.cues.kill));
    if r.actor1.is_none() && r.actor2.is_some() && !casualties {
        r.actor1 = r.actor2.take();
        r.assoc1 = std::mem::take(&mut r.assoc2);
    }
}

/// The conventions of actor order that depend on the sub-event type. [`roles`] applies them for the
/// clause's proposed type; call again when the type is refined.
pub(crate) fn settle_roles(doc: &DocView<'_>, t: &Typed, sub: SubEventType, r: &mut Roles) {
    if sub == SubEventType::ArmedClash {
        one_party_first(doc, t, r);
        state_first(doc, r);
    }
}

/// ACLED's order for a battle between a state's (or a foreign or multinational) force and a non-state
/// armed group: the state side is actor1, whoever started the fight ("militants attacked an army
/// post" and "the army attacked militants" are both coded army first).
fn state_first(doc: &DocView<'_>, r: &mut Roles) {
    let state =
        |i: Option<usize>| i.is_some_and(|i| matches!(doc.actors[i].inter, Inter::StateForces | Inter::External));
    let nonstate = |i: Option<usize>| {
        i.is_some_and(|i| {
            matches!(doc.actors[i].inter, Inter::RebelGroups | Inter::PoliticalMilitias | Inter::IdentityMilitias)
        })
    };
    if nonstate(r.actor1) && state(r.actor2) {
        std::mem::swap(&mut r.actor1, &mut r.actor2);
        std::mem::swap(&mut r.assoc1, &mut r.assoc2);
    }
}

/// A death or injury told of its subject, between word `from` and word `to`: "were killed",
/// "was wounded", "died", or a participle right before "by" ("killed by a mine").
fn suffered<'h>(doc: &DocView<'_>, t: &'h Typed, from: usize, to: usize) -> Option<&'h Hit> {
    let harm = doc.cues.kill.union(doc.cues.wound);
    let is = |w: usize, set: &[&str]| set.iter().any(|x| doc.word(w).eq_ignore_ascii_case(x));
    t.hits.iter().find(|h| {
        h.start >= from
            && h.start < to
            && h.tags.intersects(harm)
            && ((h.start > from
                && (h.start.saturating_sub(2).max(from)..h.start)
                    .any(|w| is(w, &["was", "were", "been", "being", "is", "are", "got"])))
                || is(h.start, &["died", "dies", "die", "perished"])
                || (h.end < doc.words.len() && is(h.end, &["by"])))
    })
}

/// Words that say who unnamed attackers were: "gunmen believed to be Fulani herdsmen", "an armed
/// group (believed to be the ADF)".
const IDENTIFIED_AS: &[&[&str]] = &[
    &["believed", "to", "be"],
    &["suspected", "to", "be"],
    &["thought", "to", "be"],
    &["said", "to", "be"],
    &["presumed", "to", "be"],
    &["alleged", "to", "be"],
    &["suspected", "of", "being"],
    &["identified", "as"],
    &["believed", "to", "belong", "to"],
    &["suspected", "to", "belong", "to"],
    &["believed", "to", "be", "members", "of"],
    &["suspected", "to", "be", "members", "of"],
];

/// The armed actor that an unidentified armed group `a` is identified as right after it, if any.
fn identified(doc: &DocView<'_>, a: usize, in_clause: &[usize]) -> Option<usize> {
    if !doc.actors[a].name.starts_with("Unidentified Armed Group") {
        return None;
    }
    let end = doc.actor_words[a].end;
    let next = in_clause.iter().copied().find(|&j| doc.actor_words[j].start >= end)?;
    if !matches!(doc.actors[next].inter.code(), 1..=4 | 8) || doc.actors[next].name == doc.actors[a].name {
        return None;
    }
    let is = |w: &str, set: &[&str]| set.iter().any(|x| w.eq_ignore_ascii_case(x));
    let mut gap: Vec<&str> = (end..doc.actor_words[next].start)
        .filter(|&w| doc.words[w].flags & PUNCT == 0)
        .map(|w| doc.word(w))
        .filter(|w| !is(w, &["the", "a", "an"]))
        .collect();
    // "believed to be ethnic Fulani herders"
    if gap.last().is_some_and(|w| is(w, &["ethnic", "armed", "suspected"])) {
        gap.pop();
    }
    // "gunmen, who were believed to be …"
    while gap.first().is_some_and(|w| is(w, &["who", "were", "are", "was", "is"])) {
        gap.remove(0);
    }
    let same = |p: &[&str]| p.len() == gap.len() && p.iter().zip(&gap).all(|(x, y)| x.eq_ignore_ascii_case(y));
    IDENTIFIED_AS.iter().any(|p| same(p)).then_some(next)
}

/// Actors joined to `head` by "and", ",", "with", "alongside", "backed by".
fn coordinated(doc: &DocView<'_>, head: Option<usize>, in_clause: &[usize], r: &Roles) -> Vec<usize> {
    let Some(h) = head else { return Vec::new() };
    let mut out = Vec::new();
    let mut end = doc.actor_words[h].end;
    for &i in in_clause {
        if i == h || Some(i) == r.actor1 || Some(i) == r.actor2 || doc.actor_words[i].start < end {
            continue;
        }
        let gap = end..doc.actor_words[i].start;
        if gap.len() > 2 {
            break;
        }
        let joined = gap.clone().all(|w| {
            let s = doc.word(w);
            s == ","
                || ["and", "with", "alongside", "backed", "by", "supported", "the"]
                    .iter()
                    .any(|j| s.eq_ignore_ascii_case(j))
        });
        if !joined || (doc.actors[i].name == doc.actors[h].name && doc.actors[i].militia == doc.actors[h].militia) {
            break;
        }
        out.push(i);
        end = doc.actor_words[i].end;
    }
    out
}

/// Who a sentence attributes its content to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attribution {
    pub(crate) range: TextRange,
    /// The whole attribution clause ("a spokesman told reporters"): no event actor comes from it.
    pub(crate) clause: TextRange,
    /// The source comes before the event's trigger ("The army said it killed …").
    pub(crate) before: bool,
    /// The speech verb is "claimed" or the source is a party to the conflict.
    pub(crate) claimed: bool,
}

/// Finds the source of a sentence: "according to X", "X said", ", X told CNN",
/// "said X".
pub(crate) fn attribution(
    doc: &DocView<'_>,
    sent: &Range<usize>,
    hits: &[Hit],
    trigger: &Range<usize>,
) -> Option<Attribution> {
    let cues = doc.cues;
    let stop = |w: &Word| w.flags & (COMMA | BREAK | QUOTE) != 0;
    let mut found: Option<(Range<usize>, bool, Range<usize>)> = None;
    for h in hits.iter().filter(|h| !h.quoted) {
        if h.tags.intersects(cues.according) {
            let mut e = h.end;
            while e < sent.end && !stop(&doc.words[e]) && !is_end_punct(doc, e) {
                e += 1;
            }
            if e > h.end {
                found = Some((h.end..e, false, h.start..e));
                break;
            }
        } else if h.tags.intersects(cues.say) {
            // "clashes were reported between …": a passive report names no source.
            if h.start > sent.start
                && ["was", "were", "is", "are", "been", "being"]
                    .iter()
                    .any(|b| doc.word(h.start - 1).eq_ignore_ascii_case(b))
            {
                continue;
            }
            let claim = h.tags.intersects(cues.claim);
            // The source before the verb: back to a comma, a quote, the sentence start or the trigger.
            let lower = if trigger.end <= h.start { trigger.end.max(sent.start) } else { sent.start };
            let mut np_end = h.start;
            // "the Popular Mobilization Units (PMU) — a paramilitary force — said": skip the
            // aside, and a bracketed acronym before it.
            if np_end > lower && doc.words[np_end - 1].flags & BREAK != 0 {
                let mut k = np_end - 1;
                while k > lower && doc.words[k - 1].flags & BREAK == 0 {
                    k -= 1;
                }
                if k > lower && h.start - k < 30 {
                    np_end = k - 1;
                    if np_end > lower && doc.word(np_end - 1) == ")" {
                        let mut j = np_end - 1;
                        while j > lower && doc.word(j - 1) != "(" {
                            j -= 1;
                        }
                        if j > lower && np_end - j < 6 {
                            np_end = j - 1;
                        }
                    }
                }
            }
            let mut s = np_end;
            while s > lower && !stop(&doc.words[s - 1]) && np_end - s < 14 {
                s -= 1;
            }
            if s < np_end {
                // The verb's own object ("told reporters", "told CNN") belongs to the attribution.
                let mut e = h.end;
                let told = h.tags.intersects(cues.told);
                while told
                    && e < sent.end
                    && e < trigger.start.max(h.end)
                    && !stop(&doc.words[e])
                    && !is_end_punct(doc, e)
                {
                    if ["that", "how", "whether", "if"].iter().any(|w| doc.word(e).eq_ignore_ascii_case(w)) {
                        break;
                    }
                    e += 1;
                }
                if trigger.start < h.start {
                    while e < sent.end && !stop(&doc.words[e]) && !is_end_punct(doc, e) {
                        e += 1;
                    }
                }
                found = Some((trim_np(doc, s..np_end), claim, s..e));
                if h.start <= trigger.start || s >= trigger.end {
                    break;
                }
            }
            // "…, said the army spokesman."
            if s == np_end && h.start > sent.start && stop(&doc.words[h.start - 1]) {
                let mut e = h.end;
                while e < sent.end && !stop(&doc.words[e]) && !is_end_punct(doc, e) {
                    e += 1;
                }
                if e > h.end && e - h.end < 14 {
                    found = Some((h.end..e, claim, h.start..e));
                    break;
                }
            }
        }
    }
    let (words, claim, whole) = found?;
    if words.is_empty() {
        return None;
    }
    let range = doc.span(words.clone());
    let clause = doc.span(whole).cover(range);
    let before = words.end <= trigger.start;
    let party = doc
        .actors
        .iter()
        .zip(doc.actor_words)
        .any(|(a, w)| w.start >= words.start && w.end <= words.end && matches!(a.inter.code(), 1..=4 | 8));
    Some(Attribution { range, clause, before, claimed: claim || party })
}

fn is_end_punct(doc: &DocView<'_>, i: usize) -> bool {
    doc.words[i].flags & PUNCT != 0 && matches!(doc.word(i), "." | "!" | "?")
}

/// Drops leading conjunctions and trailing punctuation from a noun phrase.
fn trim_np(doc: &DocView<'_>, mut r: Range<usize>) -> Range<usize> {
    while r.start < r.end
        && (doc.words[r.start].flags & PUNCT != 0 || ["and", "but", "as"].contains(&doc.word(r.start)))
    {
        r.start += 1;
    }
    while r.end > r.start && doc.words[r.end - 1].flags & PUNCT != 0 {
        r.end -= 1;
    }
    r
}

const SINGULAR_PEOPLE: &[&str] = &[
    "man",
    "businessman",
    "butcher",
    "engineer",
    "ranger",
    "woman",
    "boy",
    "girl",
    "child",
    "soldier",
    "officer",
    "policeman",
    "civilian",
    "person",
    "resident",
    "villager",
    "farmer",
    "student",
    "teacher",
    "journalist",
    "worker",
    "driver",
    "trader",
    "guard",
    "fighter",
    "militant",
    "rebel",
    "gendarme",
    "commander",
    "leader",
    "chief",
    "official",
    "member",
    "pilot",
    "peacekeeper",
    "herder",
    "cameraman",
    "priest",
    "imam",
    "doctor",
    "nurse",
    "thief",
    "suspect",
    "robber",
    "blogger",
    "activist",
    "colonel",
    "captain",
    "major",
    "general",
    "sergeant",
    "lieutenant",
    "corporal",
    "private",
    "director",
    "governor",
    "mayor",
    "judge",
    "islamist",
    "youth",
    "motorcyclist",
    "watchman",
    "nightwatchman",
    "conscript",
    "policewoman",
    "herdsman",
    "teenager",
    "musician",
    "singer",
    "prisoner",
    "detainee",
    "passenger",
    "lawmaker",
    "politician",
    "councillor",
    "chairman",
    "trader",
    "pastor",
    "cleric",
    "boy",
    "girl",
];

/// Reported deaths in a clause: the lowest credible count, summed over
/// coordinated groups ("3 soldiers and 2 civilians were killed"); 0 when none
/// is reported.
pub(crate) fn fatalities(doc: &DocView<'_>, clause: &Range<usize>, t: &Typed) -> u32 {
    let cues = doc.cues;
    let kills: Vec<&Hit> = t.hits.iter().filter(|h| h.tags.intersects(cues.kill) && !h.quoted && !h.referred).collect();
    if kills.is_empty() {
        return 0;
    }
    if t.hits.iter().any(|h| h.tags.intersects(cues.nonecount) && !h.quoted)
        && kills.iter().all(|k| near_none(t, k, cues.nonecount))
    {
        return 0;
    }
    let wounds: Vec<&Hit> = t.hits.iter().filter(|h| h.tags.intersects(cues.wound) && !h.quoted).collect();
    let triggers: Vec<&Hit> = t.hits.iter().filter(|h| h.proposal.is_some() && !h.tags.intersects(cues.kill)).collect();
    let nums = clause_numbers(doc, clause);
    // A number right before a wound word counts the wounded ("5 wounded").
    let wounded_count = |r: &Range<usize>| {
        wounds.iter().any(|w| {
            w.start >= r.end
                && w.start <= r.end + 2
                && !(r.end..w.start).any(|x| doc.word(x).eq_ignore_ascii_case("and") || doc.words[x].flags & COMMA != 0)
        })
    };
    let clean_gap = |gap: Range<usize>| {
        !gap.clone().any(|w| doc.words[w].flags & (COMMA | BREAK) != 0)
            && !triggers.iter().any(|h| h.start >= gap.start && h.start < gap.end)
            && !wounds.iter().any(|h| h.start >= gap.start && h.start < gap.end)
    };
    let mut best = 0u32;
    let mut used: Vec<usize> = Vec::new();
    for k in kills {
        let mut total;
        let before = nums.iter().enumerate().rev().find(|(i, (r, _))| {
            r.end <= k.start && r.end + 4 >= k.start && !used.contains(i) && clean_gap(r.end..k.start)
        });
        let after = nums.iter().enumerate().find(|(i, (r, _))| {
            r.start >= k.end
                && r.start <= k.end + 3
                && !used.contains(i)
                && clean_gap(k.end..r.start)
                && !(k.end..r.start).any(|w| doc.word(w).eq_ignore_ascii_case("and"))
                && !wounded_count(r)
        });
        if let Some((ni, (r, n))) = before {
            // "5 soldiers were killed", "three people died", "12 dead"; "3 soldiers and 2 civilians".
            total = *n;
            used.push(ni);
            let mut start = r.start;
            for (nj, (r0, n0)) in nums.iter().enumerate().take(ni).rev() {
                if r0.end + 4 < start || used.contains(&nj) || wounded_count(r0) {
                    break;
                }
                if !(r0.end..start).any(|w| doc.word(w).eq_ignore_ascii_case("and")) {
                    break;
                }
                total += n0;
                used.push(nj);
                start = r0.start;
            }
        } else if let Some((ni, (r, n))) = after {
            // "killing 12", "killed at least 12 people", "death toll rose to 12"; "killing 3 soldiers and 2 civilians".
            total = *n;
            used.push(ni);
            let mut end = r.end;
            for (nj, (r2, n2)) in nums.iter().enumerate().skip(ni + 1) {
                if r2.start > end + 4 || used.contains(&nj) || wounded_count(r2) {
                    break;
                }
                let gap = end..r2.start;
                let has_and = gap.clone().any(|w| doc.word(w).eq_ignore_ascii_case("and"));
                let wounded_gap = wounds.iter().any(|wd| wd.start >= end && wd.start < r2.start);
                if !has_and || wounded_gap {
                    break;
                }
                total += n2;
                used.push(nj);
                end = r2.end;
            }
        } else {
            total = singular_victims(doc, clause, k);
        }
        best = best.max(total);
    }
    best
}

/// The counts of a clause as word ranges: the expression finder's, plus "one"
/// on its own ("one was killed", "killing one civilian"), which it leaves to us.
fn clause_numbers(doc: &DocView<'_>, clause: &Range<usize>) -> Vec<(Range<usize>, u32)> {
    let span = doc.span(clause.clone());
    let mut nums: Vec<(Range<usize>, u32)> = doc
        .nums
        .iter()
        .filter(|n| span.contains_range(n.range) && !doc.dates.iter().any(|d| d.range.intersects(n.range)))
        .map(|n| {
            let s = doc.word_at(n.range.start());
            let e = doc.word_at(n.range.end().saturating_sub(1)) + 1;
            (s..e.max(s + 1), n.lowest)
        })
        .collect();
    for w in clause.clone() {
        let word = doc.word(w);
        let one = word.eq_ignore_ascii_case("one")
            || word.eq_ignore_ascii_case("himself")
            || word.eq_ignore_ascii_case("herself");
        if one
            && !nums.iter().any(|(r, _)| r.contains(&w))
            && !(w + 1 < clause.end && doc.word(w + 1).eq_ignore_ascii_case("of"))
        {
            nums.push((w..w + 1, 1));
        }
    }
    nums.sort_by_key(|(r, _)| r.start);
    nums
}

fn near_none(t: &Typed, k: &Hit, none: TagSet) -> bool {
    t.hits.iter().any(|h| h.tags.intersects(none) && h.start + 6 >= k.start && h.start <= k.end + 6)
}

/// "a soldier was killed", "killing a civilian", "one policeman died": 1; "the director and a
/// conscript were killed", "killing a policeman and a civilian": 2; 0 when no one is counted so.
fn singular_victims(doc: &DocView<'_>, clause: &Range<usize>, k: &Hit) -> u32 {
    let is_one = |w: usize| matches!(doc.word(w).to_ascii_lowercase().as_str(), "a" | "an" | "one");
    let is_person = |w: usize| SINGULAR_PEOPLE.contains(&doc.word(w).to_ascii_lowercase().as_str());
    // before: "a|one (adj)? PERSON (was)? killed"
    let lo = k.start.saturating_sub(7).max(clause.start);
    // "a soldier", "an off-duty police officer": the article up to four words before the noun.
    let counted = |p: usize| {
        (1..=4)
            .take_while(|&d| p >= clause.start + d)
            .any(|d| is_one(p - d) && (p - d + 1..p).all(|w| doc.words[w].flags & (COMMA | BREAK) == 0 && !is_one(w)))
    };
    // A headline-style clause: "Soldier killed by a mine".
    let headline =
        |p: usize| p == clause.start && p + 1 == k.start && doc.word(p).starts_with(|c: char| c.is_ascii_uppercase());
    for p in lo..k.start {
        if is_person(p) && (headline(p) || (p > clause.start && counted(p))) {
            let gap_ok = (p + 1..k.start).all(|w| {
                matches!(
                    doc.word(w).to_ascii_lowercase().as_str(),
                    "was"
                        | "were"
                        | "is"
                        | "are"
                        | "has"
                        | "have"
                        | "had"
                        | "been"
                        | "reportedly"
                        | "also"
                        | "later"
                        | "shot"
                        | "and"
                        | "stabbed"
                        | "beaten"
                        | "allegedly"
                        | "found"
                        | "then"
                        | "subsequently"
                )
            });
            if gap_ok {
                // "the traffic director and a conscript were killed": one more person before "and".
                let art =
                    (1..=4).filter_map(|d| p.checked_sub(d)).find(|&a| a >= clause.start && is_one(a)).unwrap_or(p);
                let and = art.checked_sub(1).filter(|&a| a > clause.start && doc.word(a).eq_ignore_ascii_case("and"));
                let before = and.is_some_and(|a| {
                    (a.saturating_sub(3).max(clause.start)..a)
                        .rev()
                        .take_while(|&w| doc.words[w].flags & (COMMA | BREAK) == 0)
                        .any(is_person)
                });
                return if before { 2 } else { 1 };
            }
        }
    }
    // after: "killing him", "shot her dead"
    if k.end < clause.end && matches!(doc.word(k.end).to_ascii_lowercase().as_str(), "him" | "her") {
        return 1;
    }
    // after: "killing a (adj)? PERSON (and a (adj)? PERSON)?"
    if k.end + 1 < clause.end && is_one(k.end) {
        let Some(p) = (k.end + 1..(k.end + 3).min(clause.end)).find(|&w| is_person(w)) else { return 0 };
        let second = p + 2 < clause.end
            && doc.word(p + 1).eq_ignore_ascii_case("and")
            && is_one(p + 2)
            && (p + 3..(p + 5).min(clause.end)).any(is_person);
        return if second { 2 } else { 1 };
    }
    0
}

/// The event's place: a place named in the clause after a locative
/// preposition, else any place of the clause (a town before a province or
/// country, and a province or country narrowed to a town of it named in the
/// sentence), else of the sentence, else the nearest before it in the
/// paragraph, else the nearest after it; `None` when the text names none.
pub(crate) fn location(
    doc: &DocView<'_>,
    clause: &Range<usize>,
    sent: &Range<usize>,
    para: TextRange,
    trigger: &Range<usize>,
    flight: bool,
    exclude: &[TextRange],
) -> Option<(usize, Location)> {
    let usable = |i: usize| {
        let p = &doc.geo.places[i];
        let kind_ok = p.kind != "demonym";
        let usage_ok =
            !matches!(doc.geo.usage.get(i), Some(sitrep_gazetteer::Usage::Demonym | sitrep_gazetteer::Usage::Embedded));
        kind_ok && usage_ok && !exclude.iter().any(|x| x.intersects(p.span.range()))
    };
    let words_of = |i: usize| {
        let r = doc.geo.places[i].span.range();
        doc.word_at(r.start())
    };
    let in_range = |r: &Range<usize>| -> Vec<usize> {
        let tr = doc.span(r.clone());
        (0..doc.geo.places.len()).filter(|&i| tr.contains_range(doc.geo.places[i].span.range()) && usable(i)).collect()
    };
    let prep_near = |i: usize, tags: TagSet, reach: usize| {
        let w = words_of(i);
        (w.saturating_sub(reach)..w).any(|p| {
            let id = doc.words[p].id;
            id != crate::lexicon::UNKNOWN && doc_tags(doc, p).intersects(tags)
        })
    };
    let prep = |i: usize, tags: TagSet| prep_near(i, tags, 5);
    let dist = |i: usize| words_of(i).abs_diff(trigger.start);
    let near = |i: usize| {
        matches!(
            doc.geo.usage.get(i),
            Some(sitrep_gazetteer::Usage::Near { .. } | sitrep_gazetteer::Usage::SubPlace { .. })
        )
    };
    // ACLED codes the most specific place: a town before the province or
    // country named in the same clause ("in Egypt's Beni Suef"), then the
    // place nearest the trigger.
    let breadth = |i: usize| match doc.geo.places[i].kind {
        "country" | "continent" => 2u8,
        "region" => 1,
        _ => 0,
    };
    let pick = |cands: Vec<usize>| -> Option<(usize, Location)> {
        let mut cands = cands;
        cands.sort_by_key(|&i| (breadth(i), dist(i)));
        cands.into_iter().find_map(|i| doc.geo.location(i).map(|l| (i, l)))
    };
    let mut clause_places = in_range(clause);
    // A place the gazetteer lacks, named with its parent ("the al Khames bridge in Mosul"), is more precise.
    let parents: Vec<usize> = clause_places
        .iter()
        .filter_map(|&i| match doc.geo.usage.get(i) {
            Some(sitrep_gazetteer::Usage::SubPlace { parent: Some(j) }) => Some(*j),
            _ => None,
        })
        .collect();
    clause_places.retain(|i| !parents.contains(i));
    // Destinations ("the road leading to Syria") are not where the event happened.
    if !flight {
        let dest: Vec<usize> = clause_places.iter().copied().filter(|&i| prep_near(i, doc.cues.to, 1)).collect();
        if dest.len() < clause_places.len() {
            clause_places.retain(|i| !dest.contains(i));
        }
    }
    if flight {
        let from: Vec<usize> = clause_places.iter().copied().filter(|&i| prep(i, doc.cues.from)).collect();
        if let Some(x) = pick(from) {
            return Some(x);
        }
    }
    // A province or country is narrowed to a town of it named in the same sentence.
    let narrow = |x: (usize, Location)| -> Option<(usize, Location)> {
        if breadth(x.0) == 0 {
            return Some(x);
        }
        let inner: Vec<usize> = in_range(sent)
            .into_iter()
            .filter(|&i| breadth(i) == 0 && doc.geo.location(i).is_some_and(|l| crate::coder::within(&l, &x.1)))
            .collect();
        pick(inner).or(Some(x))
    };
    let loc: Vec<usize> = clause_places.iter().copied().filter(|&i| prep(i, doc.cues.loc) || near(i)).collect();
    if let Some(x) = pick(loc) {
        return narrow(x);
    }
    if let Some(x) = pick(clause_places) {
        return narrow(x);
    }
    if let Some(x) = pick(in_range(sent)) {
        return Some(x);
    }
    // The nearest place before the sentence in its paragraph, else the nearest after it ("A body
    // was found on Monday. It is the third killing in Bujumbura this month").
    let sent_span = doc.span(sent.clone());
    let in_para = |i: &usize| para.contains_range(doc.geo.places[*i].span.range()) && usable(*i);
    let placed = |i: usize| doc.geo.location(i).map(|l| (i, l));
    let places = 0..doc.geo.places.len();
    places
        .clone()
        .rev()
        .filter(|&i| doc.geo.places[i].span.range().end() <= sent_span.start())
        .filter(in_para)
        .find_map(placed)
        .or_else(|| {
            places
                .filter(|&i| doc.geo.places[i].span.range().start() >= sent_span.end())
                .filter(in_para)
                .find_map(placed)
        })
}

/// The tags of the lexicon phrase starting at word `w` (single-word lookup).
fn doc_tags(doc: &DocView<'_>, w: usize) -> TagSet {
    doc.word_tags.get(w).copied().unwrap_or_default()
}

/// The event's date from the clause (or sentence): the event's own date
/// expression, nearest the trigger; `Err(())` when the clause only speaks of
/// the past background or the future.
pub(crate) fn date(
    doc: &DocView<'_>,
    clause: TextRange,
    sent: TextRange,
    trigger: TextRange,
) -> Result<Option<(Date, u8)>, ()> {
    let own = |r: TextRange| -> Vec<&crate::glue::DateSpan> {
        doc.dates.iter().filter(|d| r.contains_range(d.range)).collect()
    };
    let c = own(clause);
    let event: Vec<&&crate::glue::DateSpan> =
        c.iter().filter(|d| matches!(d.when, When::Event | When::Since)).collect();
    // The most precise date, and a calendar date before a relative one of the same precision
    // ("on Sunday [21 February]",
    // "today, January 19"): the writer's own day may differ from the publication's.
    if let Some(d) = event.iter().min_by_key(|d| (d.precision, !d.absolute, d.range.start().abs_diff(trigger.start())))
    {
        return Ok(d.date.map(|x| (x, d.precision)));
    }
    // "In 2014, the militants seized the city": a past or future date governing the trigger
    // (before it, or right after it) makes the clause background, not a new event; one far
    // after it ("protested to demand elections in 2016") is about something else.
    // ("last year's protests": a possessive date names another event, not this clause's.)
    let possessive = |d: &&crate::glue::DateSpan| {
        let rest = &doc.text[d.range.end()..];
        rest.starts_with("'s") || rest.starts_with("\u{2019}s")
    };
    let governs = |d: &&crate::glue::DateSpan| {
        !possessive(d) && (d.range.end() <= trigger.start() || d.range.start() <= trigger.end() + 40)
    };
    if c.iter().any(|d| matches!(d.when, When::Background | When::Future) && governs(d)) {
        return Err(());
    }
    let s = own(sent);
    if let Some(d) = s
        .iter()
        .filter(|d| matches!(d.when, When::Event | When::Since))
        .min_by_key(|d| (d.precision, !d.absolute, d.range.start().abs_diff(trigger.start())))
    {
        return Ok(d.date.map(|x| (x, d.precision)));
    }
    Ok(None)
}
