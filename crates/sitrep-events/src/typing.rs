//! Event typing per clause: phrase hits → proposals → the winning proposal,
//! the trigger's voice and sides, and the modality of the clause (negated,
//! future or hypothetical, hedged, quoted, background).

use std::ops::Range;

use crate::lexicon::{PhraseMatch, Proposal, TagSet};
use crate::rules::{Facts, Lexicon};
use crate::words::{BREAK, CAP, COMMA, JOINED, QUOTED, Word};

/// A phrase hit inside a clause (word indices into the document stream).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) tags: TagSet,
    pub(crate) proposal: Option<(Proposal, u8)>,
    /// Under a "reference" cue ("after the attack"): refers to another event.
    pub(crate) referred: bool,
    pub(crate) quoted: bool,
}

/// The typing of one clause.
#[derive(Clone, Debug)]
pub(crate) struct Typed {
    pub(crate) proposal: Proposal,
    pub(crate) weight: i32,
    /// The trigger's words.
    pub(crate) trigger: Range<usize>,
    /// Passive voice: the agent follows "by" (at `by`, when present).
    pub(crate) passive: bool,
    pub(crate) by: Option<usize>,
    pub(crate) facts: Facts,
    pub(crate) negated: bool,
    pub(crate) future: bool,
    pub(crate) hedged: bool,
    pub(crate) background: bool,
    /// The trigger is a definite noun phrase ("the strike"): likely a repeated mention.
    pub(crate) anaphoric: bool,
    /// The trigger is a weak, generic word.
    pub(crate) generic: bool,
    /// The hits of the clause (for argument extraction).
    pub(crate) hits: Vec<Hit>,
}

/// The best proposal of a clause so far.
struct Best {
    live: bool,
    weight: i32,
    rank: u8,
    hit: usize,
    proposal: Proposal,
    passive: bool,
    by: Option<usize>,
    facts: Facts,
}

/// How far (in words) a reference cue reaches.
const REF_REACH: usize = 7;
/// How much a trigger under a reference cue loses.
const REF_PENALTY: i32 = 3;

fn is_scope_break(w: Word, text: &str) -> bool {
    w.flags & (COMMA | BREAK) != 0 || matches!(&text[w.range], "but" | "while" | "whereas" | "which" | "who")
}

/// "and were met by …", "and killed …": a coordinated verb phrase starts at `w`, so what the
/// subject did next is no longer the object of a reference cue ("protested against the plan
/// and were met by …").
fn starts_new_predicate(words: &[Word], w: usize, text: &str) -> bool {
    if !text[words[w].range].eq_ignore_ascii_case("and") {
        return false;
    }
    // (An adverb may come between: "and publicly executed them".)
    let mut k = w + 1;
    if words.get(k).is_some_and(|n| text[n.range].len() > 4 && text[n.range].ends_with("ly")) {
        k += 1;
    }
    words.get(k).is_some_and(|n| {
        let next = text[n.range].to_ascii_lowercase();
        matches!(next.as_str(), "was" | "were" | "is" | "are" | "had" | "has" | "have")
            || (next.len() > 4 && next.ends_with("ed"))
    })
}

/// Is word `w` a past-tense verb right after a noun ("pay marched"), not a participle after a
/// pronoun, an auxiliary or a preposition ("those killed", "were arrested", "of detained")?
fn subject_verb(words: &[Word], w: usize, text: &str) -> bool {
    const NOT_NOUNS: &[&str] = &[
        "those", "who", "which", "that", "were", "was", "been", "be", "being", "are", "is", "had", "have", "has", "of",
        "for", "by", "and", "or", "the", "a", "an", "people", "men", "women",
    ];
    let word = &text[words[w].range];
    word.len() > 4
        && word.ends_with("ed")
        && w > 0
        && words[w - 1].flags & (BREAK | COMMA) == 0
        && text[words[w - 1].range].chars().all(char::is_alphabetic)
        && !NOT_NOUNS.iter().any(|n| text[words[w - 1].range].eq_ignore_ascii_case(n))
}

/// Collects the hits of a clause.
pub(crate) fn hits(
    lex: &Lexicon,
    words: &[Word],
    clause: &Range<usize>,
    first_of_sentence: usize,
    text: &str,
    scratch: &mut Vec<PhraseMatch>,
) -> Vec<Hit> {
    scratch.clear();
    let ids: Vec<u32> = words[clause.clone()].iter().map(|w| w.id).collect();
    lex.table.find(&ids, scratch);
    let cues = lex.cues;
    let mut out: Vec<Hit> = Vec::with_capacity(scratch.len());
    for m in scratch.iter() {
        let (start, end) = (clause.start + m.start, clause.start + m.end);
        let info = lex.info(m.info);
        if info.tags.intersects(cues.lc) && words[start].flags & CAP != 0 && start != first_of_sentence {
            continue;
        }
        let quoted = words[start].flags & QUOTED != 0;
        out.push(Hit { start, end, tags: info.tags, proposal: info.proposal, referred: false, quoted });
    }
    // "to capture", "to rally": an infinitive of purpose did not (yet) happen ("forced to
    // flee" and the like, tagged `realized`, did).
    for i in 0..out.len() {
        let s = out[i].start;
        if s <= clause.start || out[i].proposal.is_none() || !text[words[s - 1].range].eq_ignore_ascii_case("to") {
            continue;
        }
        let covered = out[..i].iter().rev().find(|h| h.end == s).map(|h| h.tags);
        if covered.is_some_and(|t| t.intersects(cues.realized)) {
            continue;
        }
        // "gathered to protest": the gathering is the protest (but not "attempting to rally", nor
        // "arrested as he tried to leave his home to protest": an attempt told before it).
        if out[i].tags.intersects(cues.protest)
            && !covered.is_some_and(|t| t.intersects(cues.future))
            && !out[..i].iter().any(|h| h.tags.intersects(cues.future))
        {
            continue;
        }
        out[i].referred = true;
    }
    // "after clashes", "following an attack": a trigger noun right after refers to an
    // earlier event ("after militants attacked …" is the same incident and stays).
    for i in 1..out.len() {
        if out[i - 1].tags.intersects(cues.refnoun)
            && out[i - 1].end == out[i].start
            && out[i].proposal.is_some()
            && !transitive_gerund(words, &out[i], text)
        {
            out[i].referred = true;
        }
    }
    // Reference cues: hits shortly after "after", "in response to", … refer to other events.
    for i in 0..out.len() {
        if !out[i].tags.intersects(cues.ref_) || out[i].quoted {
            continue;
        }
        let reach_end = out[i].end + REF_REACH;
        let mut w = out[i].end;
        let mut stop = clause.end.min(reach_end);
        while w < stop {
            if is_scope_break(words[w], text) || starts_new_predicate(words, w, text) {
                stop = w;
                break;
            }
            w += 1;
        }
        // "Workers demanding better pay marched …": the object of a participle ends where the
        // subject's own verb begins, a demonstration or fight verb in the past tense right after a
        // noun (but "demanding justice for those killed" still refers).
        let participle = text[words[out[i].start].range].ends_with("ing");
        let mut referent = false;
        for h in out.iter_mut().skip(i + 1) {
            if h.start >= stop {
                break;
            }
            // A new indefinite mention after the event referred to ("after the explosion an armed
            // clash erupted") is the event of the clause.
            let indefinite =
                h.start > 0 && ["a", "an"].iter().any(|d| text[words[h.start - 1].range].eq_ignore_ascii_case(d));
            if referent && indefinite && h.proposal.is_some() {
                break;
            }
            referent |= h.proposal.is_some();
            // A speech verb, or a new predicate of the clause's subject ("a march against fuel
            // prices turned violent"), ends the reference.
            if h.tags.intersects(cues.say.union(cues.predicate)) {
                break;
            }
            if participle && h.tags.intersects(cues.protest.union(cues.mutual)) && subject_verb(words, h.start, text) {
                break;
            }
            h.referred = true;
        }
    }
    out
}

/// Types a clause: the winning proposal and its modality; `None` when no
/// phrase of the clause proposes anything.
pub(crate) fn type_clause(
    lex: &Lexicon,
    words: &[Word],
    clause: &Range<usize>,
    hits: Vec<Hit>,
    text: &str,
) -> Option<Typed> {
    let cues = lex.cues;
    // Every proposal is refined by the cue rules first; the heaviest result
    // wins, then the more specific (precedence), then the first.
    let mut best: Option<Best> = None;
    for (i, h) in hits.iter().enumerate() {
        let Some((p0, w0)) = h.proposal else { continue };
        // "according to vigilantes": a source, not a trigger.
        if is_source(lex, &hits, i) {
            continue;
        }
        // Quoted speech, and events named only as the reason or background of
        // something else ("in response to the attack"), are not coded from this clause,
        // unless the clause reports its toll ("dozens died after a chemical attack").
        // (Not across an accusation: in "killed a man accused of theft" the theft is what the
        // victim was accused of, not the event the toll belongs to.)
        let toll_first = hits.iter().any(|k| {
            k.end <= h.start
                && !k.referred
                && !k.quoted
                && k.tags.intersects(cues.kill.union(cues.wound))
                // (a strong trigger of its own, "a body was found after clashes", is its own event)
                && k.proposal.is_none_or(|(_, w)| w < 4)
                && !hits.iter().any(|c| {
                    c.start >= k.end
                        && c.end <= h.start
                        && (c.tags.intersects(cues.charge)
                            // (nor across an event of its own: "killed in clashes between …, in
                            // violation of a ceasefire" is the toll of the clashes)
                            || (!c.referred
                                && !c.quoted
                                && c.proposal.is_some_and(|(p, w)| w >= 4 && matches!(p, Proposal::Event(_)))))
                })
        });
        if h.quoted || (h.referred && !toll_first) {
            continue;
        }
        // (A toll reported before the reference is that event's: no penalty.)
        let w0 = i32::from(w0) - if h.referred && !toll_first { REF_PENALTY } else { 0 };
        let (passive, by, facts) = facts_for(lex, words, &hits, i, text);
        let (p, w) = lex.refine_cues(p0, w0, &facts);
        let r = lex.rank(p);
        // A trigger that is negated, future or background yields to one that is not
        // ("detained while trying to hold demonstrations": the detention).
        // A non-event class stays what the clause is about even when negated ("no group
        // claimed responsibility for the attack").
        let live = matches!(p, Proposal::NotEvent(_)) || !modality(lex, words, &hits, hits[i], text).blocked();
        let better = match &best {
            None => true,
            Some(b) => (live, w, std::cmp::Reverse(r)) > (b.live, b.weight, std::cmp::Reverse(b.rank)),
        };
        if better {
            best = Some(Best { live, weight: w, rank: r, hit: i, proposal: p, passive, by, facts });
        }
    }
    let Best { weight, hit: mut wi, proposal, mut passive, mut by, mut facts, .. } = best?;
    // A rule that rewrote the type to another trigger's family moves the trigger there
    // ("battled snipers and car bombs": the battle, not the bombs).
    if hits[wi].proposal.is_some_and(|(p, _)| p != proposal)
        && let Some(j) =
            hits.iter().position(|h| h.proposal.is_some_and(|(p, _)| p == proposal) && !h.referred && !h.quoted)
    {
        wi = j;
        (passive, by, facts) = facts_for(lex, words, &hits, j, text);
    }
    let trig = hits[wi];
    let trigger = trig.start..trig.end;

    let Modality { negated, future, background } = modality(lex, words, &hits, trig, text);
    let hedged = hits
        .iter()
        .any(|h| h.tags.intersects(cues.hedge) && !h.quoted && h.start + 12 >= trig.start && h.start <= trig.end + 12);
    let anaphoric = trig.start > clause.start
        && hits.iter().any(|h| h.end == trig.start && h.tags.intersects(cues.definite))
        && !trig.tags.intersects(cues.kill);
    let generic = trig.tags.intersects(cues.generic);
    Some(Typed {
        proposal,
        weight,
        trigger,
        passive,
        by,
        facts,
        negated,
        future,
        hedged,
        background,
        anaphoric,
        generic,
        hits,
    })
}

/// "after seizing the town": a gerund with an object is the subject's own earlier action in this
/// report, not a reference to another event ("after clashes", "after shelling").
fn transitive_gerund(words: &[Word], h: &Hit, text: &str) -> bool {
    let w = &text[words[h.start].range];
    if !w.to_ascii_lowercase().ends_with("ing") {
        return false;
    }
    // The object right after the gerund, inside the phrase ("seizing the town") or after it.
    words.get(h.start + 1).is_some_and(|n| {
        let next = &text[n.range];
        ["the", "a", "an", "their", "its", "his", "her"].iter().any(|d| next.eq_ignore_ascii_case(d))
    })
}

fn ends_ed(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.ends_with("ed")
        || s.ends_with("en")
        || s.ends_with('t')
        || matches!(s.as_str(), "shot" | "hit" | "struck" | "held")
}

fn is_denial(text: &str, words: &[Word], h: &Hit) -> bool {
    let w = &text[words[h.start].range];
    w.eq_ignore_ascii_case("denied") || w.eq_ignore_ascii_case("denies") || w.eq_ignore_ascii_case("deny")
}

/// The voice of hit `ti` and the clause facts seen from it.
fn facts_for(lex: &Lexicon, words: &[Word], hits: &[Hit], ti: usize, text: &str) -> (bool, Option<usize>, Facts) {
    let cues = lex.cues;
    let trig = hits[ti];
    // Voice: "was attacked by", "were killed", "an attack by".
    let by = hits
        .iter()
        .find(|h| h.start >= trig.end && h.start <= trig.end + 8 && h.tags.intersects(cues.by))
        .map(|h| h.start)
        .filter(|&b| agentive_by(words, b, trig.end, text, be_before(hits, trig, cues.be)));
    let be_before = be_before(hits, trig, cues.be);
    // "by" marks the agent of a passive verb ("was attacked by", "killed by") or of a
    // noun ("an attack by"), not of some later verb ("the road used by").
    let by = by.filter(|&b| (be_before && b <= trig.end + 8) || b <= trig.end + 2);
    let passive = by.is_some() || (be_before && ends_ed(&text[words[trig.start].range]));
    let mut facts = Facts::default();
    facts.tags[3] = trig.tags;
    if let Some((p, _)) = trig.proposal {
        facts.types[3] = facts.types[3].with(p);
    }
    // In the active voice, what follows a locative preposition after the trigger is where it
    // happened, not what was hit ("clashed in a village", "bodies found near the barracks").
    let place_from = if passive {
        usize::MAX
    } else {
        hits.iter().find(|h| h.start >= trig.end && h.tags.intersects(cues.where_)).map_or(usize::MAX, |h| h.start)
    };
    for (i, h) in hits.iter().enumerate().filter(|(_, h)| !h.referred && !h.quoted) {
        // The sources of the report ("officials said", "according to residents") are on no side.
        let source = is_source(lex, hits, i);
        let side = side_of(h, &trig, passive, by).filter(|&s| !source && (s != 2 || h.start < place_from));
        facts.tags[0] = facts.tags[0].union(h.tags);
        if let Some(s) = side {
            facts.tags[s] = facts.tags[s].union(h.tags);
        }
        if let Some((p, _)) = h.proposal
            && let Some(s) = side
        {
            facts.types[0] = facts.types[0].with(p);
            facts.types[s] = facts.types[s].with(p);
        }
    }
    (passive, by, facts)
}

/// Hit `i` names a source of the report: people right before a speech verb ("officials said",
/// but not "clashes reported") or anything shortly after "according to".
fn is_source(lex: &Lexicon, hits: &[Hit], i: usize) -> bool {
    let cues = lex.cues;
    let h = hits[i];
    let who = cues.person.union(cues.sourceword);
    (h.tags.intersects(who) && hits.get(i + 1).is_some_and(|n| n.start == h.end && n.tags.intersects(cues.say)))
        || hits[..i].iter().rev().take(3).any(|k| k.tags.intersects(cues.according) && k.end + 3 >= h.start)
}

/// 1 = agent side, 2 = patient side of the trigger, `None` for the trigger itself.
pub(crate) fn side_of(h: &Hit, trig: &Hit, passive: bool, by: Option<usize>) -> Option<usize> {
    if h.start == trig.start {
        return None;
    }
    let before = h.end <= trig.start;
    if passive {
        match by {
            Some(b) if h.start > b => Some(1),
            _ if before => Some(2),
            _ => Some(2),
        }
    } else if before {
        Some(1)
    } else {
        Some(2)
    }
}

/// True when the "by" at word `b` introduces an agent: not "street by street",
/// "by foot", "by phone", and no comma between the trigger and it.
fn agentive_by(words: &[Word], b: usize, trig_end: usize, text: &str, passive_verb: bool) -> bool {
    let blocked = if passive_verb { BREAK } else { COMMA | BREAK };
    if (trig_end..b).any(|w| words[w].flags & blocked != 0) {
        return false;
    }
    let w = |i: usize| words.get(i).map_or("", |x| &text[x.range]);
    let next = w(b + 1).to_ascii_lowercase();
    if b > 0 && w(b - 1).eq_ignore_ascii_case(&next) {
        return false;
    }
    !matches!(
        next.as_str(),
        "foot"
            | "bus"
            | "road"
            | "car"
            | "boat"
            | "air"
            | "phone"
            | "telephone"
            | "far"
            | "then"
            | "now"
            | "noon"
            | "nightfall"
            | "dawn"
            | "midday"
            | "night"
            | "morning"
            | "evening"
            | "afternoon"
            | "late"
            | "early"
            | "means"
            | "way"
            | "mistake"
            | "accident"
            | "chance"
            | "itself"
            | "themselves"
            | "hand"
    )
}

/// A form of "be" right before the trigger ("was attacked", "were reportedly killed").
fn be_before(hits: &[Hit], trig: Hit, be: TagSet) -> bool {
    hits.iter().any(|h| h.tags.intersects(be) && h.end <= trig.start && h.end + 2 >= trig.start)
}

/// Whether a trigger is negated, future (or hypothetical) or background.
struct Modality {
    negated: bool,
    future: bool,
    background: bool,
}

impl Modality {
    fn blocked(&self) -> bool {
        self.negated || self.future || self.background
    }
}

fn modality(lex: &Lexicon, words: &[Word], hits: &[Hit], trig: Hit, text: &str) -> Modality {
    let cues = lex.cues;
    let before = |h: &&Hit, reach: usize| h.end <= trig.start && h.end + reach >= trig.start && !h.quoted;
    let negated =
        hits.iter().filter(|h| before(h, 3)).any(|h| {
            // A comma or a closing bracket ends the negation's scope: "(identity not known) was arrested".
            h.tags.intersects(cues.neg)
                && !(h.start..trig.start).any(|w| words[w].flags & COMMA != 0 || &text[words[w].range] == ")")
        }) || hits.iter().any(|h| h.end <= trig.start && h.tags.intersects(cues.neg) && is_denial(text, words, h));
    let mut future = false;
    for (k, h) in hits.iter().enumerate() {
        if h.end > trig.start || h.end + 7 < trig.start || !h.tags.intersects(cues.future) || h.quoted {
            continue;
        }
        if (h.end..trig.start).any(|w| matches!(&text[words[w].range], "but" | ";")) {
            continue;
        }
        // "will push on after seizing the town": what comes after "after" has happened.
        if hits.iter().any(|x| x.start >= h.end && x.end <= trig.start && x.tags.intersects(cues.refnoun)) {
            continue;
        }
        // "would-be suicide bombers" is not a conditional.
        if words.get(h.end).is_some_and(|w| w.flags & JOINED != 0) {
            continue;
        }
        let habitual = hits[..k].iter().any(|p| p.tags.intersects(cues.habitual) && p.end + 4 >= h.start);
        if !habitual {
            future = true;
        }
    }
    let background = hits.iter().any(|h| {
        h.tags.intersects(cues.background)
            && !h.quoted
            && h.end <= trig.start
            && h.end + 6 >= trig.start
            && !(h.end..trig.start).any(|w| words[w].flags & COMMA != 0)
    });
    Modality { negated, future, background }
}
