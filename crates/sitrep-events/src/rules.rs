//! The compiled event lexicon: trigger and cue phrases, refinement rules and
//! type precedence, loaded from the TSV files in `lexicons/events/`.

use std::collections::HashMap;

use sitrep_model::{Inter, SubEventType};

use crate::lexicon::{LexiconError, PhraseInfo, PhraseTable, Proposal, TagSet, expand_braces, phrase_words, tsv_lines};

/// The built-in lexicon files: (repository path, content).
pub(crate) const BUILTIN_TRIGGERS: (&str, &str) =
    ("lexicons/events/triggers.tsv", include_str!("../../../lexicons/events/triggers.tsv"));
pub(crate) const BUILTIN_CUES: (&str, &str) =
    ("lexicons/events/cues.tsv", include_str!("../../../lexicons/events/cues.tsv"));
pub(crate) const BUILTIN_RULES: (&str, &str) =
    ("lexicons/events/rules.tsv", include_str!("../../../lexicons/events/rules.tsv"));
pub(crate) const BUILTIN_PRECEDENCE: (&str, &str) =
    ("lexicons/events/precedence.tsv", include_str!("../../../lexicons/events/precedence.tsv"));

/// A set of proposals (sub-event types and non-event classes) as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TypeSet(pub(crate) u64);

impl TypeSet {
    pub(crate) fn bit(p: Proposal) -> u64 {
        match p {
            Proposal::Event(t) => 1u64 << SubEventType::ALL.iter().position(|x| *x == t).unwrap_or(0),
            Proposal::NotEvent(i) => 1u64 << (32 + u32::from(i).min(31)),
        }
    }
    pub(crate) fn with(self, p: Proposal) -> TypeSet {
        TypeSet(self.0 | TypeSet::bit(p))
    }
    pub(crate) fn has(self, p: Proposal) -> bool {
        self.0 & TypeSet::bit(p) != 0
    }
}

/// Which side of the trigger a condition looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Clause,
    Agent,
    Patient,
    /// The trigger phrase itself (`t:`).
    Trigger,
}

#[derive(Clone, Copy, Debug)]
enum What {
    Tag(u8),
    Type(Proposal),
}

#[derive(Clone, Copy, Debug)]
struct Alt {
    neg: bool,
    side: Side,
    what: What,
}

/// What a rule knows of a clause.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Facts {
    /// Tags seen in the clause, on the agent side, on the patient side, and on the trigger itself.
    pub(crate) tags: [TagSet; 4],
    /// Types proposed in the clause, on the agent side, on the patient side, and by the trigger.
    pub(crate) types: [TypeSet; 4],
    pub(crate) actor1: Option<Inter>,
    pub(crate) actor2: Option<Inter>,
}

impl Facts {
    fn side(s: Side) -> usize {
        match s {
            Side::Clause => 0,
            Side::Agent => 1,
            Side::Patient => 2,
            Side::Trigger => 3,
        }
    }
}

/// An actor-category condition: a set of `inter` codes, or "no actor".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ActorCond {
    Any,
    None,
    Codes(u16),
}

impl ActorCond {
    fn parse(s: &str) -> Result<ActorCond, String> {
        let mut codes = 0u16;
        for part in s.split('|') {
            let c: &[u8] = match part {
                "-" | "*" => return Ok(ActorCond::Any),
                "none" => return Ok(ActorCond::None),
                "state" => &[1],
                "rebel" => &[2],
                "militia" => &[3, 4],
                "political" => &[3],
                "identity" => &[4],
                "nonstate" => &[2, 3, 4],
                "armed" => &[1, 2, 3, 4, 8],
                "external" => &[8],
                "rioters" => &[5],
                "protesters" => &[6],
                "civilians" => &[7],
                other => {
                    return Err(format!(
                        "unknown actor category {other:?} (state, nonstate, armed, rebel, militia, political, identity, external, civilians, protesters, rioters, none, -)"
                    ));
                }
            };
            for &x in c {
                codes |= 1 << x;
            }
        }
        Ok(ActorCond::Codes(codes))
    }

    fn holds(self, inter: Option<Inter>) -> bool {
        match self {
            ActorCond::Any => true,
            ActorCond::None => inter.is_none(),
            ActorCond::Codes(c) => inter.is_some_and(|i| c & (1 << i.code()) != 0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WeightOp {
    Keep,
    Add(i32),
    Set(i32),
}

/// One refinement rule (a line of `rules.tsv`).
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    from: Option<TypeSet>,
    conds: Vec<Vec<Alt>>,
    actor1: ActorCond,
    actor2: ActorCond,
    to: Proposal,
    weight: WeightOp,
}

impl Rule {
    fn holds(&self, p: Proposal, f: &Facts) -> bool {
        if let Some(from) = self.from
            && !from.has(p)
        {
            return false;
        }
        if !self.actor1.holds(f.actor1) || !self.actor2.holds(f.actor2) {
            return false;
        }
        self.conds.iter().all(|alts| {
            alts.iter().any(|a| {
                let i = Facts::side(a.side);
                let present = match a.what {
                    What::Tag(t) => f.tags[i].has(t),
                    What::Type(t) => f.types[i].has(t),
                };
                present != a.neg
            })
        })
    }
}

/// Tag ids the coder itself reads (an empty set when no lexicon defines the tag).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Cues {
    pub(crate) neg: TagSet,
    pub(crate) nonecount: TagSet,
    pub(crate) future: TagSet,
    pub(crate) habitual: TagSet,
    pub(crate) hedge: TagSet,
    pub(crate) say: TagSet,
    pub(crate) told: TagSet,
    pub(crate) according: TagSet,
    pub(crate) claim: TagSet,
    pub(crate) ref_: TagSet,
    pub(crate) definite: TagSet,
    pub(crate) by: TagSet,
    pub(crate) be: TagSet,
    pub(crate) kill: TagSet,
    pub(crate) wound: TagSet,
    pub(crate) lc: TagSet,
    pub(crate) generic: TagSet,
    pub(crate) loc: TagSet,
    pub(crate) from: TagSet,
    pub(crate) to: TagSet,
    pub(crate) between: TagSet,
    pub(crate) background: TagSet,
    pub(crate) civilianword: TagSet,
    pub(crate) realized: TagSet,
    pub(crate) refnoun: TagSet,
    pub(crate) protest: TagSet,
    pub(crate) fight: TagSet,
    pub(crate) attack: TagSet,
    pub(crate) territory: TagSet,
    pub(crate) where_: TagSet,
    pub(crate) mutual: TagSet,
    pub(crate) repel: TagSet,
    pub(crate) person: TagSet,
    pub(crate) sourceword: TagSet,
    pub(crate) predicate: TagSet,
    pub(crate) charge: TagSet,
    pub(crate) onesided: TagSet,
    pub(crate) statehands: TagSet,
    pub(crate) blame: TagSet,
}

impl Cues {
    fn from_table(t: &PhraseTable) -> Cues {
        let g = |name: &str| t.tag_id(name).map_or(TagSet::default(), |i| TagSet::default().with(i));
        Cues {
            neg: g("neg"),
            nonecount: g("nonecount"),
            future: g("future"),
            habitual: g("habitual"),
            hedge: g("hedge"),
            say: g("say"),
            told: g("told"),
            according: g("according"),
            claim: g("claim"),
            ref_: g("ref"),
            definite: g("definite"),
            by: g("by"),
            be: g("be"),
            kill: g("kill"),
            wound: g("wound"),
            lc: g("lc"),
            generic: g("generic"),
            loc: g("loc"),
            from: g("from"),
            to: g("to"),
            between: g("between"),
            background: g("background"),
            civilianword: g("civilianword"),
            realized: g("realized"),
            refnoun: g("refnoun"),
            protest: g("protest"),
            fight: g("fight"),
            attack: g("attack"),
            territory: g("territory"),
            where_: g("where"),
            mutual: g("mutual"),
            repel: g("repel"),
            person: g("person"),
            sourceword: g("sourceword"),
            predicate: g("predicate"),
            charge: g("charge"),
            onesided: g("onesided"),
            statehands: g("statehands"),
            blame: g("blame"),
        }
    }
}

/// The compiled lexicon.
#[derive(Debug)]
pub(crate) struct Lexicon {
    pub(crate) table: PhraseTable,
    pub(crate) rules: Vec<Rule>,
    rank: HashMap<Proposal, u8>,
    pub(crate) cues: Cues,
}

/// Parses a type name as the lexicon files write it.
fn parse_type(s: &str, table: &mut PhraseTable) -> Option<Proposal> {
    if let Some(name) = s.strip_prefix('~') {
        if name.is_empty() {
            return None;
        }
        return Some(Proposal::NotEvent(table.not_event(name)));
    }
    let t = match s {
        "FLIGHT" => SubEventType::CivilianFlight,
        "EVACUATION" => SubEventType::Evacuation,
        "CAMP_ARRIVAL" => SubEventType::ArrivalAtCamp,
        other => SubEventType::parse(other)?,
    };
    Some(Proposal::Event(t))
}

impl Lexicon {
    /// The built-in lexicon.
    pub(crate) fn builtin() -> Result<Lexicon, LexiconError> {
        let mut table = PhraseTable::new();
        for (file, content) in [BUILTIN_TRIGGERS, BUILTIN_CUES] {
            load_phrases(&mut table, file, content)?;
        }
        Lexicon::finish(table)
    }

    /// Adds a user trigger file (same format as `triggers.tsv`) and recompiles the rules.
    pub(crate) fn with_phrases(self, file: &str, content: &str) -> Result<Lexicon, LexiconError> {
        let mut table = self.table;
        load_phrases(&mut table, file, content)?;
        Lexicon::finish(table)
    }

    fn finish(mut table: PhraseTable) -> Result<Lexicon, LexiconError> {
        let rules = load_rules(&mut table, BUILTIN_RULES.0, BUILTIN_RULES.1)?;
        let rank = load_precedence(&mut table, BUILTIN_PRECEDENCE.0, BUILTIN_PRECEDENCE.1)?;
        let cues = Cues::from_table(&table);
        Ok(Lexicon { table, rules, rank, cues })
    }

    /// Precedence rank of a proposal: lower wins ties.
    pub(crate) fn rank(&self, p: Proposal) -> u8 {
        self.rank.get(&p).copied().unwrap_or(u8::MAX)
    }

    /// The phrase info of a match.
    pub(crate) fn info(&self, i: u32) -> &PhraseInfo {
        &self.table.infos[i as usize]
    }

    /// Applies the rules that test no actor, top to bottom (before the
    /// clause's winner is chosen).
    pub(crate) fn refine_cues(&self, p: Proposal, weight: i32, facts: &Facts) -> (Proposal, i32) {
        self.apply(p, weight, facts, false)
    }

    /// Applies the rules that test actors, top to bottom (once actor roles are known).
    pub(crate) fn refine_actors(&self, p: Proposal, weight: i32, facts: &Facts) -> (Proposal, i32) {
        self.apply(p, weight, facts, true)
    }

    /// Applies every rule top to bottom (for tests).
    #[cfg(test)]
    pub(crate) fn refine(&self, p: Proposal, weight: i32, facts: &Facts) -> (Proposal, i32) {
        let (p, w) = self.apply(p, weight, facts, false);
        self.apply(p, w, facts, true)
    }

    fn apply(&self, mut p: Proposal, mut weight: i32, facts: &Facts, actors: bool) -> (Proposal, i32) {
        for r in &self.rules {
            let tests_actors = r.actor1 != ActorCond::Any || r.actor2 != ActorCond::Any;
            if tests_actors == actors && r.holds(p, facts) {
                p = r.to;
                weight = match r.weight {
                    WeightOp::Keep => weight,
                    WeightOp::Add(n) => weight + n,
                    WeightOp::Set(n) => n,
                };
            }
        }
        (p, weight)
    }
}

fn field<'a>(fields: &[&'a str], i: usize) -> &'a str {
    fields.get(i).copied().unwrap_or("")
}

fn load_phrases(table: &mut PhraseTable, file: &str, content: &str) -> Result<(), LexiconError> {
    for (line, fields) in tsv_lines(content) {
        if fields.len() != 4 {
            return Err(LexiconError::new(
                file,
                line,
                "",
                format!("expected 4 tab-separated fields (phrase, proposes, weight, tags), got {}", fields.len()),
            ));
        }
        let phrases = expand_braces(fields[0]).map_err(|m| LexiconError::new(file, line, "phrase", m))?;
        let proposal = match fields[1] {
            "-" => None,
            s => Some(parse_type(s, table).ok_or_else(|| {
                LexiconError::new(file, line, "proposes", format!("unknown type {s:?} (a CASE label, a taxonomy name, FLIGHT, EVACUATION, CAMP_ARRIVAL, ~class or -)"))
            })?),
        };
        let weight: u8 = fields[2]
            .parse()
            .ok()
            .filter(|w| *w <= 9)
            .ok_or_else(|| LexiconError::new(file, line, "weight", format!("expected 0-9, got {:?}", fields[2])))?;
        let mut tags = TagSet::default();
        if fields[3] != "-" {
            for t in fields[3].split(',').map(str::trim).filter(|t| !t.is_empty()) {
                if !t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
                    return Err(LexiconError::new(file, line, "tags", format!("tag {t:?} must be lowercase ASCII")));
                }
                let id = table.tag(t).map_err(|m| LexiconError::new(file, line, "tags", m))?;
                tags = tags.with(id);
            }
        }
        for phrase in &phrases {
            if phrase_words(phrase).next().is_none() {
                return Err(LexiconError::new(file, line, "phrase", "empty phrase"));
            }
            let slot = table.slot(phrase).expect("non-empty phrase");
            slot.tags = slot.tags.union(tags);
            if let Some(p) = proposal {
                if let (Some(_), Some((f, l))) = (slot.proposal, &slot.defined_at) {
                    return Err(LexiconError::new(
                        file,
                        line,
                        "phrase",
                        format!("{phrase:?} already proposes a type at {f}:{l}"),
                    ));
                }
                slot.proposal = Some((p, weight));
                slot.defined_at = Some((file.to_owned(), line));
            }
        }
    }
    Ok(())
}

fn load_rules(table: &mut PhraseTable, file: &str, content: &str) -> Result<Vec<Rule>, LexiconError> {
    let mut rules = Vec::new();
    for (line, fields) in tsv_lines(content) {
        if fields.len() != 6 {
            return Err(LexiconError::new(
                file,
                line,
                "",
                format!(
                    "expected 6 tab-separated fields (from, when, actor1, actor2, to, weight), got {}",
                    fields.len()
                ),
            ));
        }
        let from = match field(&fields, 0) {
            "*" => None,
            s => {
                let mut set = TypeSet::default();
                for part in s.split('|') {
                    let p = parse_type(part, table)
                        .ok_or_else(|| LexiconError::new(file, line, "from", format!("unknown type {part:?}")))?;
                    set = set.with(p);
                }
                Some(set)
            }
        };
        let mut conds = Vec::new();
        let when = field(&fields, 1);
        if when != "-" {
            for cond in when.split([' ', ',']).filter(|c| !c.is_empty()) {
                let mut alts = Vec::new();
                for alt in cond.split('|') {
                    let (neg, rest) = match alt.strip_prefix('!') {
                        Some(r) => (true, r),
                        None => (false, alt),
                    };
                    let (side, name) = if let Some(r) = rest.strip_prefix("a:") {
                        (Side::Agent, r)
                    } else if let Some(r) = rest.strip_prefix("p:") {
                        (Side::Patient, r)
                    } else if let Some(r) = rest.strip_prefix("t:") {
                        (Side::Trigger, r)
                    } else {
                        (Side::Clause, rest)
                    };
                    let what = if name.bytes().any(|b| b.is_ascii_uppercase()) || name.starts_with('~') {
                        What::Type(
                            parse_type(name, table).ok_or_else(|| {
                                LexiconError::new(file, line, "when", format!("unknown type {name:?}"))
                            })?,
                        )
                    } else {
                        What::Tag(table.tag_id(name).ok_or_else(|| {
                            LexiconError::new(file, line, "when", format!("tag {name:?} is used by no lexicon phrase"))
                        })?)
                    };
                    alts.push(Alt { neg, side, what });
                }
                conds.push(alts);
            }
        }
        let actor1 = ActorCond::parse(field(&fields, 2)).map_err(|m| LexiconError::new(file, line, "actor1", m))?;
        let actor2 = ActorCond::parse(field(&fields, 3)).map_err(|m| LexiconError::new(file, line, "actor2", m))?;
        let to_s = field(&fields, 4);
        let to = parse_type(to_s, table)
            .ok_or_else(|| LexiconError::new(file, line, "to", format!("unknown type {to_s:?}")))?;
        let w = field(&fields, 5);
        let weight = if w == "-" {
            WeightOp::Keep
        } else {
            let (op, n) = w.split_at(1);
            let n: i32 = n
                .parse()
                .map_err(|_| LexiconError::new(file, line, "weight", format!("expected +N, -N, =N or -, got {w:?}")))?;
            match op {
                "+" => WeightOp::Add(n),
                "-" => WeightOp::Add(-n),
                "=" => WeightOp::Set(n),
                _ => {
                    return Err(LexiconError::new(
                        file,
                        line,
                        "weight",
                        format!("expected +N, -N, =N or -, got {w:?}"),
                    ));
                }
            }
        };
        rules.push(Rule { from, conds, actor1, actor2, to, weight });
    }
    Ok(rules)
}

fn load_precedence(table: &mut PhraseTable, file: &str, content: &str) -> Result<HashMap<Proposal, u8>, LexiconError> {
    let mut rank = HashMap::new();
    for (i, (line, fields)) in tsv_lines(content).enumerate() {
        let name = field(&fields, 0);
        let p = parse_type(name, table)
            .ok_or_else(|| LexiconError::new(file, line, "type", format!("unknown type {name:?}")))?;
        if rank.insert(p, u8::try_from(i).unwrap_or(u8::MAX - 1)).is_some() {
            return Err(LexiconError::new(file, line, "type", format!("{name:?} is listed twice")));
        }
    }
    Ok(rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_loads() {
        let lex = Lexicon::builtin().unwrap_or_else(|e| panic!("{e}"));
        assert!(lex.rules.len() > 20);
        assert!(lex.cues.neg != TagSet::default());
        assert!(lex.rank(Proposal::Event(SubEventType::SuicideBomb)) < lex.rank(Proposal::Event(SubEventType::Attack)));
    }

    #[test]
    fn bad_lines_name_file_line_and_field() {
        let mut t = PhraseTable::new();
        let e = load_phrases(&mut t, "x.tsv", "# c\nairstrike\tAIR_STRIKE\tten\t-\n").unwrap_err();
        assert_eq!(e.to_string(), "x.tsv:2: field `weight`: expected 0-9, got \"ten\"");
        let e = load_phrases(&mut t, "x.tsv", "boom\tBOOM\t3\t-\n").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (1, "proposes"));
        let e = load_phrases(&mut t, "x.tsv", "a{b\tATTACK\t3\t-\n").unwrap_err();
        assert_eq!(e.field, "phrase");
        let e = load_phrases(&mut t, "x.tsv", "blast\tATTACK\t3\t-\nblast\tREM_EXPLOS\t3\t-\n").unwrap_err();
        assert!(e.to_string().starts_with("x.tsv:2: field `phrase`"), "{e}");
        let e = load_rules(&mut t, "r.tsv", "ATTACK\tnosuchtag\t-\t-\tARMED_CLASH\t-\n").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (1, "when"));
        let e = load_rules(&mut t, "r.tsv", "ATTACK\t-\tsoldiers\t-\tARMED_CLASH\t-\n").unwrap_err();
        assert_eq!(e.field, "actor1");
    }

    #[test]
    fn trigger_side_conditions_test_the_trigger_alone() {
        let mut t = PhraseTable::new();
        load_phrases(&mut t, "t", "mutual\t-\t0\tmutual\n").unwrap();
        let rules = load_rules(&mut t, "r", "ARMED_CLASH\t!t:mutual\t-\t-\tATTACK\t-\n").unwrap();
        let lex = Lexicon { cues: Cues::from_table(&t), table: t, rules, rank: HashMap::new() };
        let clash = Proposal::Event(SubEventType::ArmedClash);
        // The tag elsewhere in the clause does not count; on the trigger it does.
        let mut f = Facts::default();
        f.tags[0] = TagSet::default().with(0);
        assert_eq!(lex.refine(clash, 3, &f).0, Proposal::Event(SubEventType::Attack));
        f.tags[3] = TagSet::default().with(0);
        assert_eq!(lex.refine(clash, 3, &f).0, clash);
    }

    #[test]
    fn rules_chain_top_to_bottom() {
        let mut t = PhraseTable::new();
        load_phrases(&mut t, "t", "suicide\t-\t0\tsuicide\n").unwrap();
        let rules =
            load_rules(&mut t, "r", "ATTACK\tsuicide\t-\t-\tREM_EXPLOS\t=4\nREM_EXPLOS\t-\t-\t-\tSUIC_BOMB\t+2\n")
                .unwrap();
        let lex = Lexicon { cues: Cues::from_table(&t), table: t, rules, rank: HashMap::new() };
        let mut f = Facts::default();
        f.tags[0] = TagSet::default().with(0);
        let (p, w) = lex.refine(Proposal::Event(SubEventType::Attack), 2, &f);
        assert_eq!((p, w), (Proposal::Event(SubEventType::SuicideBomb), 6));
        let (p, _) = lex.refine(Proposal::Event(SubEventType::Attack), 2, &Facts::default());
        assert_eq!(p, Proposal::Event(SubEventType::Attack));
    }
}
