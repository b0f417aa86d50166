//! The event coder: the document-level driver (clauses → typed candidates →
//! arguments → merged, ordered events).

use std::ops::Range;
use std::path::Path;

use crate::actors::Branch;

use sitrep_model::{
    ActorMention, ActorRef, Certainty, Date, Diagnostic, DocumentMeta, Event, EventType, Inter, Location, Source, Span,
    SubEventType, stable_id,
};
use sitrep_segment::{Segmentation, TokenKind};
use sitrep_text::TextRange;

use crate::actors::ActorScan;
use crate::args::{self, Attribution, DocView, Roles};
use crate::glue::{self, ActorSpan, Actors};
use crate::lexicon::{LexiconError, PhraseMatch, Proposal, TagSet};
use crate::rules::Lexicon;
use crate::typing::{self, Hit, Typed};
use crate::words::{self, Clause, Kind, WordBuilder};

/// The event coder: lexicons and rules compiled once; `Send + Sync`, share it
/// between threads.
#[derive(Debug)]
pub struct EventCoder {
    lex: Lexicon,
    pub(crate) actors: Actors,
}

/// What the coder reads of one document.
#[derive(Clone, Copy, Debug)]
pub struct CodeInput<'a> {
    /// The document text; every range points into it.
    pub text: &'a str,
    /// The article body.
    pub body: TextRange,
    /// The headline, when there is one (helps pick the principal event).
    pub title: Option<TextRange>,
    /// The dateline ("MOSUL, Iraq (CNN) —"), a location of last resort.
    pub dateline: Option<TextRange>,
    /// Sentences and tokens of (at least) the body and title.
    pub seg: &'a Segmentation,
    /// Place names of the text.
    pub geo: &'a sitrep_gazetteer::GeoParse,
    /// Document id, publication date, outlet.
    pub meta: &'a DocumentMeta,
    /// The actor scan of a region holding the body and ending with it ([`EventCoder::actor_scan`],
    /// made for [`EventCoder::actor_hints_with`]): the body's actors are then read from it rather
    /// than scanned again. `None`, or a scan of another text or region: the coder scans itself.
    /// Either way the output is the same.
    pub actor_scan: Option<&'a ActorScan<'a>>,
    /// The outlet's home country (ISO code), when known (`lexicons/outlets.tsv`): the actors'
    /// country of last resort, when the places named lie only in a country the actor lexicon
    /// does not cover (a namesake town abroad) and no actor tells one.
    pub outlet_country: Option<&'a str>,
}

/// The coder's output for one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coded {
    /// Events: the principal event first, the rest in text order.
    pub events: Vec<Event>,
    /// Every actor mention recognised.
    pub actors: Vec<ActorMention>,
    /// Problems met.
    pub diagnostics: Vec<Diagnostic>,
}

impl EventCoder {
    /// The coder with the built-in lexicons (`lexicons/events/`, `lexicons/actors/`).
    pub fn builtin() -> Result<EventCoder, LexiconError> {
        Ok(EventCoder { lex: Lexicon::builtin()?, actors: Actors::builtin()? })
    }

    /// Adds a user trigger file (the format of `lexicons/events/triggers.tsv`).
    /// Its phrases add to the built-in ones; a phrase that already proposes a
    /// type is an error naming both places.
    pub fn with_trigger_file(self, path: &Path) -> Result<EventCoder, LexiconError> {
        let name = path.display().to_string();
        let content =
            std::fs::read_to_string(path).map_err(|e| LexiconError::new(&name, 0, "", format!("cannot read: {e}")))?;
        self.with_triggers(&name, &content)
    }

    /// Like [`EventCoder::with_trigger_file`], from text (`origin` names it in errors).
    pub fn with_triggers(self, origin: &str, content: &str) -> Result<EventCoder, LexiconError> {
        Ok(EventCoder { lex: self.lex.with_phrases(origin, content)?, actors: self.actors })
    }

    /// Codes one document. Never fails: what cannot be read is left out.
    #[must_use]
    pub fn code(&self, input: &CodeInput<'_>) -> Coded {
        Doc::new(self, input).run()
    }
}

/// One sentence of the document, as the coder sees it.
struct Sent {
    words: Range<usize>,
    range: TextRange,
    paragraph: u32,
    title: bool,
    /// Index of the sentence among body sentences (0 = lead).
    body_index: usize,
}

/// A coded event before merging.
#[derive(Clone, Debug)]
struct Cand {
    sent: usize,
    sub: SubEventType,
    weight: i32,
    actor1: Option<ActorRef>,
    assoc1: Vec<ActorRef>,
    actor2: Option<ActorRef>,
    assoc2: Vec<ActorRef>,
    location: Option<Location>,
    date: Option<(Date, u8)>,
    date_own: bool,
    fatalities: u32,
    attribution: Option<Attribution>,
    hedged: bool,
    anaphoric: bool,
    /// Only a casualty report ("Three militants were killed."): it belongs to the event before it.
    casualty: bool,
    /// The paragraph of the sentence.
    para: u32,
    /// The clause (or a merged mention) tells of fighting or killing.
    fought: bool,
    /// A firm territory change: a place (not people or equipment) taken by a strong trigger.
    territorial: bool,
    /// Both sides fought, or the attacked side fought back ("clashed", "repelled", "returned fire").
    mutual: bool,
    /// An execution, a beheading or an assassination: one-sided whoever the victim was.
    onesided: bool,
    /// `actor1` was read from the text (not a stand-in such as "Unidentified Armed Group").
    actor1_read: bool,
    evidence: TextRange,
    score: f32,
}

struct Doc<'c, 'a> {
    coder: &'c EventCoder,
    input: &'c CodeInput<'a>,
    words: Vec<words::Word>,
    sents: Vec<Sent>,
    clauses: Vec<Clause>,
    hits: Vec<Vec<Hit>>,
    word_tags: Vec<TagSet>,
    actors: Vec<ActorSpan>,
    actor_words: Vec<Range<usize>>,
    dates: Vec<glue::DateSpan>,
    nums: Vec<glue::Num>,
    country: Option<String>,
}

fn kind_of(k: TokenKind) -> Kind {
    match k {
        TokenKind::Word => Kind::Word,
        TokenKind::Number => Kind::Number,
        TokenKind::Punct | TokenKind::Symbol => Kind::Punct,
        TokenKind::Space => Kind::Space,
    }
}

impl<'c, 'a> Doc<'c, 'a> {
    fn new(coder: &'c EventCoder, input: &'c CodeInput<'a>) -> Doc<'c, 'a> {
        let text = input.text;
        let lex = &coder.lex;
        // About half the tokens are spaces.
        let mut wb = WordBuilder::with_capacity(text, &lex.table, input.seg.tokens.len() / 2 + 1);
        let mut sents = Vec::new();
        let mut last_para = None;
        let mut body_index = 0;
        for s in &input.seg.sentences {
            if !s.range.is_valid_for(text) {
                continue;
            }
            let title = input.title.is_some_and(|t| t.contains_range(s.range));
            let body = input.body.intersects(s.range) || (s.range.is_empty() && input.body.contains(s.range.start()));
            if !title && !body {
                continue;
            }
            if last_para != Some(s.paragraph) {
                wb.paragraph_break();
                last_para = Some(s.paragraph);
            }
            let start = wb.words.len();
            let toks = input.seg.tokens.get(s.tokens.start as usize..s.tokens.end as usize).unwrap_or(&[]);
            for t in toks {
                if t.range.is_valid_for(text) {
                    wb.push(t.range, kind_of(t.kind));
                }
            }
            let bi = if title { usize::MAX } else { body_index };
            if !title {
                body_index += 1;
            }
            sents.push(Sent {
                words: start..wb.words.len(),
                range: s.range,
                paragraph: s.paragraph,
                title,
                body_index: bi,
            });
        }
        let words = wb.words;
        let mut clauses = Vec::new();
        for (i, s) in sents.iter().enumerate() {
            words::clauses(&words, s.words.clone(), i, text, &mut clauses);
        }
        let mut scratch: Vec<PhraseMatch> = Vec::new();
        let mut word_tags = vec![TagSet::default(); words.len()];
        let mut hits = Vec::with_capacity(clauses.len());
        for c in &clauses {
            let h = typing::hits(lex, &words, &c.words, sents[c.sentence].words.start, text, &mut scratch);
            for x in &h {
                for t in &mut word_tags[x.start..x.end] {
                    *t = t.union(x.tags);
                }
            }
            hits.push(h);
        }
        let published = input.meta.published;
        let mut country = input.geo.focus_country.clone().or_else(|| majority_country(input.geo));
        let year = published.map(|d| d.year());
        let mut actors = coder.actors.recognize(text, input.body, country.as_deref(), year, input.actor_scan);
        // No place tells the country, or only places in a country the actor lexicon does not
        // cover (a namesake village abroad): the actors may ("Al Shabaab", "Ethiopian soldiers").
        // Nor the actors: the outlet's home country. Otherwise the armed groups named may say more.
        let covered = |c: Option<&str>| c.is_some_and(|c| coder.actors.knows_country(c));
        let own = (!covered(country.as_deref()))
            .then(|| {
                majority(actors.iter().filter_map(|a| a.country.as_deref()))
                    .or_else(|| input.outlet_country.filter(|&c| covered(Some(c))).map(str::to_owned))
            })
            .flatten()
            .or_else(|| group_country(&actors, country.as_deref(), input.geo));
        if let Some(own) = own {
            country = Some(own);
            actors = coder.actors.recognize(text, input.body, country.as_deref(), year, input.actor_scan);
        }
        if let Some(t) = input.title
            && !input.body.contains_range(t)
        {
            actors.extend(coder.actors.recognize(text, t, country.as_deref(), year, input.actor_scan));
        }
        actors.sort_by_key(|a| (a.range.start(), std::cmp::Reverse(a.range.end())));
        let actor_words = actors
            .iter()
            .map(|a| {
                let s = words.partition_point(|w| w.range.end() <= a.range.start());
                let e = words.partition_point(|w| w.range.start() < a.range.end());
                s..e.max(s)
            })
            .collect();
        let (dates, nums) = glue::dates_and_numbers(text, input.body, published);
        Doc { coder, input, words, sents, clauses, hits, word_tags, actors, actor_words, dates, nums, country }
    }

    fn view(&self) -> DocView<'_> {
        DocView {
            text: self.input.text,
            words: &self.words,
            actors: &self.actors,
            actor_words: &self.actor_words,
            dates: &self.dates,
            nums: &self.nums,
            geo: self.input.geo,
            cues: self.coder.lex.cues,
            word_tags: &self.word_tags,
        }
    }

    fn run(self) -> Coded {
        let text = self.input.text;
        let view = self.view();
        let mut cands: Vec<Cand> = Vec::new();
        let mut title_types: Vec<EventType> = Vec::new();
        for (ci, clause) in self.clauses.iter().enumerate() {
            let sent = &self.sents[clause.sentence];
            let hits = self.hits[ci].clone();
            let Some(t) = typing::type_clause(&self.coder.lex, &self.words, &clause.words, hits, text) else {
                continue;
            };
            if sent.title {
                if let Proposal::Event(s) = t.proposal
                    && !t.negated
                    && !t.future
                {
                    title_types.push(s.event_type());
                }
                continue;
            }
            if let Some(c) = self.candidate(&view, clause, &t) {
                cands.push(c);
            }
        }
        let events = self.finish(cands, &title_types);
        let actors = self
            .actors
            .iter()
            .map(|a| ActorMention {
                span: Span::of(text, a.range),
                name: a.name.clone(),
                inter: a.inter,
                country: a.country.clone(),
            })
            .collect();
        let mut diagnostics = Vec::new();
        if self.sents.is_empty() && !text[self.input.body].trim().is_empty() {
            diagnostics.push(Diagnostic::warning(
                "events-no-sentences",
                "the body has text but the segmentation has no sentence in it; no event was coded",
            ));
        }
        if self.input.meta.published.is_none() && self.dates.iter().any(|d| d.date.is_none()) {
            diagnostics.push(Diagnostic::new(
                sitrep_model::Level::Info,
                "events-no-publication-date",
                "relative dates (\"on Thursday\") were left unresolved: the document has no publication date",
            ));
        }
        Coded { events, actors, diagnostics }
    }

    fn candidate(&self, view: &DocView<'_>, clause: &Clause, t: &Typed) -> Option<Cand> {
        let lex = &self.coder.lex;
        let Proposal::Event(_) = t.proposal else { return None };
        if t.negated || t.future || t.background {
            return None;
        }
        let sent = &self.sents[clause.sentence];
        let trig_range = view.span(t.trigger.clone());
        let clause_range = view.span(clause.words.clone());
        let date = args::date(view, clause_range, sent.range, trig_range).ok()?;
        // Attribution: over the whole sentence's hits.
        let sent_hits: Vec<Hit> = self
            .clauses
            .iter()
            .enumerate()
            .filter(|(_, c)| c.sentence == clause.sentence)
            .flat_map(|(i, _)| self.hits[i].iter().copied())
            .collect();
        let attribution = args::attribution(view, &sent.words, &sent_hits, &t.trigger);
        let mut roles = args::roles(view, &clause.words, t, attribution.map(|a| a.clause));
        // "The army said it killed …": a party speaking of its own action is actor1.
        if roles.actor1.is_none()
            && let Some(a) = attribution.filter(|a| a.before)
        {
            roles.actor1 = (0..self.actors.len()).find(|&i| {
                !self.actors[i].person && a.range.contains_range(self.actors[i].range) && Some(i) != roles.actor2
            });
        }
        let mut facts = t.facts;
        let inter = |i: usize| {
            let clash = t.proposal == Proposal::Event(SubEventType::ArmedClash);
            if self.militia_side(i, clash).is_some() { Inter::IdentityMilitias } else { self.actors[i].inter }
        };
        facts.actor1 = roles.actor1.map(inter);
        facts.actor2 = roles.actor2.map(inter);
        let (p, weight) = lex.refine_actors(t.proposal, t.weight, &facts);
        let Proposal::Event(sub) = p else { return None };
        // The type may have changed (an attack refined into a clash): order the parties for it.
        args::settle_roles(view, t, sub, &mut roles);
        let fatalities = args::fatalities(view, &clause.words, t);
        let support = i32::from(roles.actor1.is_some())
            + i32::from(roles.actor2.is_some())
            + i32::from(fatalities > 0)
            + i32::from(date.is_some());
        if weight < 2 && !(weight >= 1 && support >= 2 && !t.generic) {
            return None;
        }
        let para = self.paragraph_range(sent.paragraph);
        let exclude: Vec<TextRange> = attribution.iter().map(|a| a.range).collect();
        // A report's day is often named once for the paragraph ("on 4 January"): the nearest
        // day named before the sentence in its paragraph, else after it, dates the event.
        let date_own = date.is_some();
        let date = date.or_else(|| self.paragraph_date(para, sent.range));
        let flight = sub == SubEventType::CivilianFlight;
        let location =
            args::location(view, &clause.words, &sent.words, para, &t.trigger, flight, &exclude).map(|(_, l)| l);
        let place = location
            .as_ref()
            .and_then(|l| l.iso.as_deref())
            .filter(|c| self.demonym_focus() && self.coder.actors.knows_country(c));
        let (actor1, assoc1, actor2, assoc2) = self.actor_refs(view, sub, &roles, t, clause, place);
        Some(Cand {
            sent: clause.sentence,
            sub,
            weight,
            actor1,
            assoc1,
            actor2,
            assoc2,
            location,
            date_own,
            date,
            fatalities,
            attribution,
            hedged: t.hedged,
            anaphoric: t.anaphoric,
            casualty: t.weight <= 2
                && roles.actor1.is_none()
                && t.hits.iter().any(|h| h.start == t.trigger.start && h.tags.intersects(lex.cues.kill)),
            para: sent.paragraph,
            fought: fought(lex, &t.hits),
            territorial: t.weight >= 4 && t.facts.tags[0].intersects(lex.cues.territory),
            mutual: t.facts.tags[3].intersects(lex.cues.mutual.union(lex.cues.repel)),
            onesided: t.facts.tags[0].intersects(lex.cues.onesided),
            actor1_read: roles.actor1.is_some(),
            evidence: sent.range,
            score: 0.0,
        })
    }

    fn paragraph_date(&self, para: TextRange, sent: TextRange) -> Option<(Date, u8)> {
        let day = |d: &&glue::DateSpan| {
            para.contains_range(d.range) && d.when == glue::When::Event && d.precision == 1 && d.date.is_some()
        };
        let before = self.dates.iter().filter(day).rfind(|d| d.range.end() <= sent.start());
        let after = || self.dates.iter().filter(day).find(|d| d.range.start() >= sent.end());
        before.or_else(after).and_then(|d| d.date.map(|x| (x, d.precision)))
    }

    fn paragraph_range(&self, p: u32) -> TextRange {
        self.input.seg.paragraphs.get(p as usize).copied().unwrap_or(self.input.body)
    }

    /// The dateline's place, else the title's, else the document's focus country.
    fn fallback_location(&self) -> Option<Location> {
        let geo = self.input.geo;
        for region in [self.input.dateline, self.input.title].into_iter().flatten() {
            for (i, p) in geo.places.iter().enumerate() {
                if region.contains_range(p.span.range())
                    && let Some(l) = geo.location(i)
                {
                    return Some(l);
                }
            }
        }
        let iso = self.country.as_deref()?;
        (0..geo.places.len())
            .filter(|&i| geo.places[i].iso.as_deref() == Some(iso) && geo.places[i].kind == "country")
            .find_map(|i| geo.location(i))
    }

    /// Is the document's country known only from nationality words ("the Italian embassy in Cairo"):
    /// no place name of the text lies in it? The country where an event happened then names its
    /// unnamed collectives.
    fn demonym_focus(&self) -> bool {
        let Some(c) = self.country.as_deref() else { return false };
        let places = &self.input.geo.places;
        let of = |demonym: bool| places.iter().any(|p| p.iso.as_deref() == Some(c) && (p.kind == "demonym") == demonym);
        of(true) && !of(false)
    }

    /// The militia actor `i` forms as a side of an armed clash (`clash`): two communities fighting
    /// are identity militias ("the Nuer and Anuak communities clashed").
    fn militia_side(&self, i: usize, clash: bool) -> Option<&str> {
        self.actors[i].militia.as_deref().filter(|_| clash)
    }

    /// The armed group that claims responsibility in the report ("The Islamic State claimed
    /// responsibility for the attack"), or that the report holds responsible ("Al Shabaab is believed
    /// to be behind the killing"): the named non-state armed actor last before the claim in its
    /// sentence, when the claim is told as such (a `claim` or `blame` phrase that is a non-event class).
    /// ("The perpetrators are believed to be security forces": with no group before the phrase, the
    /// armed actor, state forces included, named right after it.)
    fn claimant(&self) -> Option<usize> {
        let blame = self.coder.lex.cues.blame;
        let claim = self.coder.lex.cues.claim.union(blame);
        self.clauses.iter().enumerate().find_map(|(ci, clause)| {
            let h = self.hits[ci]
                .iter()
                .find(|h| h.tags.intersects(claim) && matches!(h.proposal, Some((Proposal::NotEvent(_), _))))?;
            let sent = self.sents[clause.sentence].range;
            let at = self.words[h.start].range.start();
            let named = |i: usize| {
                let a = &self.actors[i];
                !a.person && sent.contains_range(a.range) && !a.name.starts_with("Unidentified")
            };
            let group = |i: usize| {
                matches!(self.actors[i].inter, Inter::RebelGroups | Inter::PoliticalMilitias | Inter::IdentityMilitias)
            };
            (0..self.actors.len()).rev().find(|&i| named(i) && self.actors[i].range.end() <= at && group(i)).or_else(
                || {
                    let after = self.words[h.end - 1].range.end();
                    (0..self.actors.len()).find(|&i| {
                        h.tags.intersects(blame)
                            && named(i)
                            && self.actors[i].range.start() >= after
                            && (group(i) || matches!(self.actors[i].inter, Inter::StateForces | Inter::External))
                    })
                },
            )
        })
    }

    fn actor_ref(&self, i: usize) -> ActorRef {
        let a = &self.actors[i];
        ActorRef { name: a.name.clone(), inter: a.inter, span: Span::of(self.input.text, a.range) }
    }

    /// An unnamed collective ("Protesters", "Civilians", "Unidentified Armed Group") of `place`, the
    /// country where the event happened when only nationality words gave the document's country (a
    /// protest in Cairo outside a foreign embassy is by "Protesters (Egypt)"), else of the document's.
    fn synth(&self, what: &str, inter: Inter, range: TextRange, place: Option<&str>) -> ActorRef {
        let name = self.coder.actors.collective(what, place.or(self.country.as_deref()));
        ActorRef { name, inter, span: Span::of(self.input.text, range) }
    }

    /// The state force (`branch`) of the event's country (or the document's) in the event's year,
    /// standing in for the unnamed hands of an act only the state does (arrests, enforced
    /// disappearances: the police; air raids: the military).
    fn state_hands(&self, branch: Branch, place: Option<&str>, range: TextRange) -> Option<ActorRef> {
        let year = self.input.meta.published.map(|d| d.year());
        place.or(self.country.as_deref()).and_then(|c| self.coder.actors.state(branch, c, year)).map(|name| ActorRef {
            name,
            inter: Inter::StateForces,
            span: Span::of(self.input.text, range),
        })
    }

    /// ACLED's convention for a demonstration led by a named union, party or movement: the actor is
    /// "Protesters (Country)" (or "Rioters (Country)") and the organisation is its associate.
    fn named_crowd(
        &self,
        roles: &Roles,
        what: &str,
        place: Option<&str>,
        a1: &mut Option<ActorRef>,
        as1: &mut Vec<ActorRef>,
    ) {
        let Some(a) = a1.take() else { return };
        if !matches!(a.inter, Inter::Protesters | Inter::Rioters) || a.name.starts_with(what) {
            *a1 = Some(a);
            return;
        }
        let own =
            roles.actor1.filter(|&i| self.actors[i].name == a.name).and_then(|i| self.actors[i].country.as_deref());
        let name = self.coder.actors.collective(what, place.or(self.country.as_deref()).or(own));
        *a1 = Some(ActorRef { name, inter: a.inter, span: a.span.clone() });
        as1.insert(0, a);
    }

    /// The nearest word before the trigger (in the clause) that names people
    /// ("teachers", "residents"), or the trigger itself.
    fn people_span(&self, view: &DocView<'_>, t: &Typed, clause: &Clause, patient: bool) -> Option<TextRange> {
        let civ = self.coder.lex.cues.civilianword;
        let range: Vec<usize> = if patient {
            (t.trigger.end..clause.words.end).collect()
        } else {
            (clause.words.start..t.trigger.start).rev().collect()
        };
        range.into_iter().find(|&w| self.word_tags[w].intersects(civ)).map(|w| view.span(w..w + 1))
    }

    #[allow(clippy::type_complexity)]
    fn actor_refs(
        &self,
        view: &DocView<'_>,
        sub: SubEventType,
        roles: &Roles,
        t: &Typed,
        clause: &Clause,
        place: Option<&str>,
    ) -> (Option<ActorRef>, Vec<ActorRef>, Option<ActorRef>, Vec<ActorRef>) {
        let side = |i: usize| match self.militia_side(i, sub == SubEventType::ArmedClash) {
            Some(m) => ActorRef {
                name: m.to_owned(),
                inter: Inter::IdentityMilitias,
                span: Span::of(self.input.text, self.actors[i].range),
            },
            None => self.actor_ref(i),
        };
        let mut a1 = roles.actor1.map(side);
        let mut a2 = roles.actor2.map(side);
        let mut as1: Vec<ActorRef> = roles.assoc1.iter().map(|&i| self.actor_ref(i)).collect();
        let as2: Vec<ActorRef> = roles.assoc2.iter().map(|&i| self.actor_ref(i)).collect();
        let trig = view.span(t.trigger.clone());
        let crowd = |want: Inter, what: &str, a1: &mut Option<ActorRef>, a2: &mut Option<ActorRef>| {
            if a1.as_ref().is_some_and(|a| a.inter == want) {
                return;
            }
            if a2.as_ref().is_some_and(|a| a.inter == want) {
                std::mem::swap(a1, a2);
                return;
            }
            if let Some(a) = a1.as_ref()
                && matches!(a.inter, Inter::Protesters | Inter::Rioters | Inter::Civilians)
            {
                *a1 = Some(self.synth(what, want, a.span.range(), place));
                return;
            }
            if a1.as_ref().is_some_and(|a| a.inter == Inter::StateForces) {
                if let Some(b) =
                    a2.as_ref().filter(|b| matches!(b.inter, Inter::Protesters | Inter::Rioters | Inter::Civilians))
                {
                    let crowd = self.synth(what, want, b.span.range(), place);
                    *a2 = a1.take();
                    *a1 = Some(crowd);
                    return;
                }
                if a2.is_none() {
                    *a2 = a1.take();
                }
            }
            let span = self.people_span(view, t, clause, false).unwrap_or(trig);
            *a1 = Some(self.synth(what, want, span, place));
        };
        // "Vigilantes beat a thief to death": the word that tells of mob justice names its actor too.
        if sub == SubEventType::MobViolence && a1.is_none() {
            a1 = (0..self.actors.len())
                .find(|&i| self.actors[i].inter == Inter::IdentityMilitias && self.actors[i].range.intersects(trig))
                .map(|i| self.actor_ref(i));
        }
        match sub {
            SubEventType::PeacefulProtest | SubEventType::ProtestWithIntervention | SubEventType::ExcessiveForce => {
                crowd(Inter::Protesters, "Protesters", &mut a1, &mut a2);
                self.named_crowd(roles, "Protesters", place, &mut a1, &mut as1);
            }
            // (Mob violence by a vigilante or identity militia named as such is theirs: "vigilantes
            // beat a suspected thief to death" is by the "Vigilante Militia (X)".)
            SubEventType::MobViolence if a1.as_ref().is_some_and(|a| a.inter == Inter::IdentityMilitias) => {}
            SubEventType::ViolentDemonstration | SubEventType::MobViolence => {
                // Party supporters who fought the police riot: the crowd first with its party as
                // associate, the police second.
                if a1.as_ref().is_some_and(|a| a.inter == Inter::StateForces)
                    && let Some(party) = a2.take_if(|b| b.inter == Inter::PoliticalMilitias)
                {
                    a2 = a1.take();
                    a1 = Some(self.synth("Rioters", Inter::Rioters, party.span.range(), place));
                    as1.insert(0, party);
                }
                crowd(Inter::Rioters, "Rioters", &mut a1, &mut a2);
                self.named_crowd(roles, "Rioters", place, &mut a1, &mut as1);
            }
            // ACLED's convention for an unnamed perpetrator of violence, unless one armed group of the
            // report claims responsibility.
            SubEventType::Attack
            | SubEventType::Abduction
            | SubEventType::SexualViolence
            | SubEventType::RemoteExplosive
            | SubEventType::Grenade
            | SubEventType::SuicideBomb
            | SubEventType::ShellingArtilleryMissile
                if a1.is_none() =>
            {
                let statehands = self.coder.lex.cues.statehands;
                let state = t.hits.iter().any(|h| h.start == t.trigger.start && h.tags.intersects(statehands));
                a1 = match self.claimant() {
                    Some(i) => Some(self.actor_ref(i)),
                    // An enforced disappearance or extrajudicial killing is the state's act.
                    None if state => self.state_hands(Branch::Police, place, trig),
                    None => None,
                }
                .or_else(|| Some(self.synth("Unidentified Armed Group", Inter::PoliticalMilitias, trig, place)));
                if matches!(sub, SubEventType::Attack | SubEventType::SexualViolence)
                    && a2.is_none()
                    && let Some(span) = self.people_span(view, t, clause, !t.passive)
                {
                    a2 = Some(self.synth("Civilians", Inter::Civilians, span, place));
                }
            }
            // Only the state arrests (armed groups abduct): unnamed hands that arrest are the police.
            SubEventType::Arrests if a1.is_none() => a1 = self.state_hands(Branch::Police, place, trig),
            // Air raids by no one named: the state's air force, which flies the warplanes of a
            // country (aircraft the report cannot attribute are named "unidentified" and stay so).
            SubEventType::AirDroneStrike if a1.is_none() => a1 = self.state_hands(Branch::Military, place, trig),
            SubEventType::CivilianFlight => {
                // Those who fled are the actor; no one is acted upon.
                if a1.as_ref().is_none_or(|a| a.inter != Inter::Civilians) {
                    let span =
                        self.people_span(view, t, clause, false).or_else(|| self.people_span(view, t, clause, true));
                    a1 = span.map(|s| self.synth("Civilians", Inter::Civilians, s, place));
                }
                a2 = None;
            }
            SubEventType::Attack | SubEventType::Abduction | SubEventType::SexualViolence => {
                if a2.is_none()
                    && let Some(span) = self.people_span(view, t, clause, !t.passive)
                {
                    a2 = Some(self.synth("Civilians", Inter::Civilians, span, place));
                }
            }
            _ => {}
        }
        (a1, as1, a2, as2)
    }

    /// Merges repeated mentions, picks the principal event, builds the records.
    fn finish(&self, cands: Vec<Cand>, title_types: &[EventType]) -> Vec<Event> {
        let mut merged: Vec<Cand> = Vec::new();
        let mut last_date: Option<(Date, u8)> = None;
        let mut last_place: Option<Location> = None;
        for mut c in cands {
            // What a report does not repeat carries over from the event before: the day and the scene.
            // Only a day carries over; "since Monday" describes that event alone.
            if c.date.is_none() {
                c.date = last_date;
            } else if c.date.is_some_and(|(_, p)| p == 1) {
                last_date = c.date;
            }
            if c.location.is_none() {
                c.location = last_place.clone().or_else(|| self.fallback_location());
            } else {
                last_place.clone_from(&c.location);
            }
            if c.casualty
                && let Some(m) = merged.last_mut()
                && self.sents[m.sent].paragraph == self.sents[c.sent].paragraph
            {
                m.fatalities = m.fatalities.max(c.fatalities);
                // "… attacked the village. Sixteen militants were killed.": the dead were armed, so
                // the attack was a fight between armed sides (the state's side first).
                let armed = |a: &ActorRef| armed(a.inter);
                if m.sub == SubEventType::Attack
                    && !m.onesided
                    && m.actor1_read
                    && let Some(dead) = c.actor2.filter(armed)
                    && m.actor2.as_ref().is_none_or(armed)
                    && m.actor1.as_ref().is_none_or(|a| a.name != dead.name)
                {
                    m.sub = SubEventType::ArmedClash;
                    let other = m.actor2.take().unwrap_or(dead);
                    if other.inter == Inter::StateForces
                        && m.actor1.as_ref().is_some_and(|a| a.inter != Inter::StateForces)
                    {
                        m.actor2 = m.actor1.replace(other);
                    } else {
                        m.actor2 = Some(other);
                    }
                }
                continue;
            }
            // A battle and the territory it won, told in the sentences next to each other, are one
            // territory event; so is a place taken and the other side's withdrawal without a fight;
            // an attack and the fight the attacked side put up are one battle.
            if let Some((m, t)) = merged.iter_mut().rev().find_map(|m| joint_outcome(m, &c).map(|t| (m, t))) {
                let fought =
                    m.fought || c.fought || m.sub == SubEventType::ArmedClash || c.sub == SubEventType::ArmedClash;
                // A demonstration met by force stays the crowd's event: the forces are the other side.
                if severity(m.sub).is_some() && severity(t).is_some() {
                    let crowd = m.actor1.clone().filter(|a| matches!(a.inter, Inter::Protesters | Inter::Rioters));
                    let forces = m.actor2.clone().or_else(|| c.actor1.clone().filter(|_| c.actor1_read));
                    if let Some(crowd) = crowd {
                        absorb(m, c);
                        m.sub = t;
                        m.fought = fought;
                        m.actor1 = Some(crowd);
                        m.actor2 = forces.or(m.actor2.take());
                        continue;
                    }
                }
                // The actor named in the text wins over a stand-in (and the police who arrested
                // over unnamed hands that then abused the detainees).
                let read = if m.actor1_read { m.actor1.clone() } else { c.actor1.clone().filter(|_| c.actor1_read) };
                let arrested = m.actor1.clone().filter(|_| m.sub == SubEventType::Arrests);
                absorb(m, c);
                if read.is_none() && arrested.is_some() {
                    m.actor1 = arrested;
                }
                m.sub = t;
                m.fought = fought;
                if read.is_some() {
                    m.actor1 = read;
                    m.actor1_read = true;
                }
                continue;
            }
            if let Some(m) = merged.iter_mut().rev().find(|m| same_event(m, &c)) {
                // The actor named in the text wins over a stand-in.
                let read = if m.actor1_read { m.actor1.clone() } else { c.actor1.clone().filter(|_| c.actor1_read) };
                absorb(m, c);
                if read.is_some() {
                    m.actor1 = read;
                    m.actor1_read = true;
                }
                continue;
            }
            merged.push(c);
        }
        // An arrest told after a violent event ("… shot and killed his colleague. Police arrested
        // the perpetrator.") is its aftermath: the violence is the principal event.
        let mut violence_before = false;
        for c in &mut merged {
            let aftermath = c.sub == SubEventType::Arrests && violence_before;
            violence_before |= matches!(
                c.sub.event_type(),
                EventType::Battles | EventType::ExplosionsRemoteViolence | EventType::ViolenceAgainstCivilians
            );
            // A merged demonstration may have changed stage: its crowd takes the stage's name.
            if let Some(a) = c.actor1.as_mut() {
                crowd_label(a, c.sub);
            }
            perpetrator_first(c);
            c.score = c.weight as f32 - if aftermath { 3.0 } else { 0.0 }
                // (the police standing in for the unnamed hands of an arrest are no evidence of it)
                + if c.actor1.is_some() && (c.actor1_read || c.sub != SubEventType::Arrests) { 1.5 } else { 0.0 }
                + if c.actor2.is_some() { 1.0 } else { 0.0 }
                + if c.fatalities > 0 { 1.0 } else { 0.0 }
                + if c.location.is_some() { 0.5 } else { 0.0 }
                + match self.sents[c.sent].body_index {
                    0 => 3.5,
                    1 => 1.0,
                    _ => 0.0,
                }
                + if title_types.contains(&c.sub.event_type()) { 3.0 } else { 0.0 }
                + if c.sub.is_acled() { 2.0 } else { 0.0 };
        }
        let principal = merged
            .iter()
            .enumerate()
            .max_by(|(i, a), (j, b)| a.score.total_cmp(&b.score).then(j.cmp(i)))
            .map(|(i, _)| i);
        let mut order: Vec<usize> = (0..merged.len()).collect();
        if let Some(p) = principal {
            order.retain(|&i| i != p);
            order.insert(0, p);
        }
        let text = self.input.text;
        let meta = self.input.meta;
        // Dates: fill from the publication date when nothing better is known.
        let published = meta.published;
        order
            .into_iter()
            .map(|i| {
                let c = &merged[i];
                let (event_date, time_precision) = match c.date {
                    Some((d, p)) => (Some(d), p.clamp(1, 3)),
                    None => (published, if published.is_some() { 2 } else { 3 }),
                };
                let certainty = match c.attribution {
                    Some(a) if a.claimed => Certainty::Claimed,
                    _ if c.hedged => Certainty::Unconfirmed,
                    _ => Certainty::Reported,
                };
                let civilian_targeting = c.sub.event_type() == EventType::ViolenceAgainstCivilians
                    || (c.sub.event_type() == EventType::ExplosionsRemoteViolence
                        && c.actor2.as_ref().is_some_and(|a| a.inter == Inter::Civilians));
                let args = [c.actor1.is_some(), c.actor2.is_some(), c.location.is_some(), c.date_own]
                    .iter()
                    .filter(|x| **x)
                    .count() as f32;
                let confidence = (0.35 + 0.06 * c.weight.clamp(0, 7) as f32 + 0.05 * args
                    - if c.hedged { 0.1 } else { 0.0 })
                .clamp(0.05, 0.95);
                let start = c.evidence.start().to_string();
                let end = c.evidence.end().to_string();
                Event {
                    id: stable_id(&[meta.id.as_bytes(), start.as_bytes(), end.as_bytes(), c.sub.name().as_bytes()]),
                    event_type: c.sub.event_type(),
                    sub_event_type: c.sub,
                    disorder_type: c.sub.disorder_type(),
                    event_date,
                    time_precision,
                    actor1: c.actor1.clone(),
                    assoc_actor_1: c.assoc1.clone(),
                    actor2: c.actor2.clone(),
                    assoc_actor_2: c.assoc2.clone(),
                    location: c.location.clone(),
                    fatalities: c.fatalities,
                    civilian_targeting,
                    source: Source {
                        outlet: meta.outlet.clone(),
                        attribution: c.attribution.map(|a| text[a.range].to_owned()),
                        certainty,
                    },
                    evidence: Span::of(text, c.evidence),
                    confidence,
                }
            })
            .collect()
    }
}

fn km(a: &Location, b: &Location) -> f64 {
    let (la1, lo1, la2, lo2) =
        (a.latitude.to_radians(), a.longitude.to_radians(), b.latitude.to_radians(), b.longitude.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Names a demonstrating crowd by the event's stage: "Rioters (X)" for a violent demonstration or
/// mob violence, "Protesters (X)" for the protest types (ACLED's actor naming); other actors stay.
fn crowd_label(a: &mut ActorRef, sub: SubEventType) {
    let (want, label, other) = match sub {
        SubEventType::ViolentDemonstration | SubEventType::MobViolence => (Inter::Rioters, "Rioters", "Protesters"),
        SubEventType::PeacefulProtest | SubEventType::ProtestWithIntervention | SubEventType::ExcessiveForce => {
            (Inter::Protesters, "Protesters", "Rioters")
        }
        _ => return,
    };
    if !matches!(a.inter, Inter::Protesters | Inter::Rioters) || a.inter == want {
        return;
    }
    if let Some(rest) = a.name.strip_prefix(other)
        && (rest.is_empty() || rest.starts_with(' '))
    {
        a.name = format!("{label}{rest}");
        a.inter = want;
    }
}

/// An armed side: state, rebel, militia or external forces (ACLED categories 1-4 and 8).
fn armed(inter: Inter) -> bool {
    matches!(
        inter,
        Inter::StateForces | Inter::RebelGroups | Inter::PoliticalMilitias | Inter::IdentityMilitias | Inter::External
    )
}

/// Excessive force against protesters is coded as the violence of whoever used it (ACLED's actor
/// order): the armed side is actor1 and the crowd actor2 ("Police Forces of X" on "Protesters (X)").
/// The other demonstration types keep the crowd first ("Protest with intervention": protesters, then
/// the police who intervened).
fn perpetrator_first(c: &mut Cand) {
    let crowd = c.actor1.as_ref().is_some_and(|a| matches!(a.inter, Inter::Protesters | Inter::Rioters));
    if c.sub == SubEventType::ExcessiveForce && crowd && c.actor2.as_ref().is_some_and(|a| armed(a.inter)) {
        std::mem::swap(&mut c.actor1, &mut c.actor2);
        std::mem::swap(&mut c.assoc1, &mut c.assoc2);
    }
}

/// The place of a demonstration sub-event type on the escalation scale.
fn severity(t: SubEventType) -> Option<u8> {
    match t {
        SubEventType::PeacefulProtest => Some(0),
        SubEventType::ProtestWithIntervention => Some(1),
        SubEventType::ExcessiveForce => Some(2),
        SubEventType::ViolentDemonstration => Some(3),
        _ => None,
    }
}

/// The clause tells of fighting, an attack or killing that is not denied ("no clashes were
/// reported" tells of none).
fn fought(lex: &Lexicon, hits: &[Hit]) -> bool {
    let c = lex.cues;
    let violent = c.fight.union(c.kill).union(c.attack);
    hits.iter().enumerate().any(|(i, h)| {
        h.tags.intersects(violent)
            && !hits[..i].iter().any(|k| k.tags.intersects(c.neg.union(c.nonecount)) && k.end + 2 >= h.start)
    })
}

fn is_territory(t: SubEventType) -> bool {
    matches!(t, SubEventType::GovernmentRegainsTerritory | SubEventType::NonStateActorOvertakesTerritory)
}

/// The type of the one event that `m` and the next mention `c` make together when one tells
/// of a territory change and the other of the fight for it, or of the other side's withdrawal
/// ("… took the village. The militants had withdrawn before."), or when `m` is an attack (or a
/// roadside bomb) and `c` the fight that followed ("… attacked the post. The soldiers repelled
/// them."), or when `m` is a demonstration and `c` state forces' violence there or property
/// destroyed right after, or when `m` is an arrest and `c` violence against the detainees
/// ("… was arrested. He was tortured in custody."); `None` otherwise.
fn joint_outcome(m: &Cand, c: &Cand) -> Option<SubEventType> {
    if m.para != c.para || c.sent > m.sent + 2 {
        return None;
    }
    // (A roadside bomb followed by a gunfight, "the blast was followed by a short exchange of fire", is
    // one complex ambush: a battle; the fight may be told up to two sentences later.)
    let response = matches!(m.sub, SubEventType::Attack | SubEventType::RemoteExplosive)
        && c.sub == SubEventType::ArmedClash
        && c.mutual
        && c.sent <= m.sent + 2;
    // (A mention placed only by its province or country, "… was retaken" after a fight in a town
    // of that country, may be the same place; not for a demonstration, whose violence must be
    // told where it was held.)
    let place_ok = match (&m.location, &c.location) {
        (Some(a), Some(b)) => km(a, b) <= 30.0 || (severity(m.sub).is_none() && (within(a, b) || within(b, a))),
        _ => true,
    };
    let date_ok = match (m.date, c.date) {
        (Some((a, _)), Some((b, _))) => a == b || !(m.date_own && c.date_own),
        _ => true,
    };
    if !place_ok || !date_ok {
        return None;
    }
    if response {
        return Some(SubEventType::ArmedClash);
    }
    // A demonstration, then state forces (or unnamed hands) shooting or beating people there:
    // force against it (a riot stays a riot); when both sides fought ("clashes with police"),
    // the demonstrators used violence too: a violent demonstration.
    if let Some(sev) = severity(m.sub)
        && matches!(c.sub, SubEventType::Attack | SubEventType::ArmedClash)
        && (!c.actor1_read || c.actor1.as_ref().is_some_and(|a| a.inter == Inter::StateForces))
    {
        if c.mutual {
            return Some(SubEventType::ViolentDemonstration);
        }
        return Some(if sev >= 2 { m.sub } else { SubEventType::ExcessiveForce });
    }
    // A demonstration, then property burned or wrecked in the next sentence by the demonstrators
    // or unnamed hands ("… marched to the town. On the way they burned two farms."): the
    // demonstration turned violent.
    if severity(m.sub).is_some()
        && c.sub == SubEventType::LootingPropertyDestruction
        && c.sent <= m.sent + 1
        && (!c.actor1_read || c.actor1.as_ref().is_some_and(|a| matches!(a.inter, Inter::Protesters | Inter::Rioters)))
    {
        return Some(SubEventType::ViolentDemonstration);
    }
    // People detained, then beaten, tortured or killed by the same hands: violence against them.
    let same_hands = match (&m.actor1, &c.actor1) {
        (Some(a), Some(b)) if m.actor1_read && c.actor1_read => a.name == b.name,
        _ => true,
    };
    if m.sub == SubEventType::Arrests && c.sub == SubEventType::Attack && same_hands {
        return Some(SubEventType::Attack);
    }
    let (a, b) = (m.sub, c.sub);
    if is_territory(a) && m.territorial && b == SubEventType::ArmedClash {
        return Some(a);
    }
    if is_territory(b) && c.territorial && a == SubEventType::ArmedClash {
        return Some(b);
    }
    let transfer = SubEventType::NonViolentTransfer;
    if (is_territory(a) && m.territorial && b == transfer && !m.fought && !c.fought)
        || (is_territory(b) && c.territorial && a == transfer && !c.fought && !m.fought)
    {
        return Some(transfer);
    }
    None
}

/// True when `c` is a repeated mention of `m`.
fn same_event(m: &Cand, c: &Cand) -> bool {
    // A demonstration told over several sentences (it began peacefully, then police moved in)
    // is one event.
    let one_demonstration = severity(m.sub).is_some() && severity(c.sub).is_some();
    // "the attack", "the blast": a weak definite mention refers back to the event before.
    let back_reference = c.anaphoric && (c.weight <= 3 || m.sub.event_type() == c.sub.event_type());
    let same_type = m.sub == c.sub || one_demonstration || back_reference;
    if !same_type {
        return false;
    }
    // A demonstration told first by its province or country, then by its town, is one demonstration.
    let place_ok = match (&m.location, &c.location) {
        (Some(a), Some(b)) => km(a, b) <= 30.0 || (one_demonstration && (within(a, b) || within(b, a))),
        _ => true,
    };
    let date_ok = match (m.date, c.date) {
        (Some((a, _)), Some((b, _))) => a == b || !(m.date_own && c.date_own),
        _ => true,
    };
    // The crowd of a demonstration is named by its stage ("Protesters (X)", then "Rioters (X)" once
    // it turns violent): the same crowd either way.
    let crowd = |a: &ActorRef| matches!(a.inter, Inter::Protesters | Inter::Rioters);
    // (A stand-in for an unnamed actor, "Unidentified Armed Group", differs from no named one.)
    let actor_ok = match (&m.actor1, &c.actor1) {
        (Some(a), Some(b)) => {
            a.name == b.name || (one_demonstration && crowd(a) && crowd(b)) || !m.actor1_read || !c.actor1_read
        }
        _ => true,
    };
    place_ok && date_ok && (actor_ok || c.anaphoric)
}

/// True when `area` is a province or a country (geo precision 3) that holds `place`: the same
/// country, and the same first-level division when the area names one.
pub(crate) fn within(place: &Location, area: &Location) -> bool {
    area.geo_precision == 3
        && place.geo_precision < 3
        && area.iso.is_some()
        && area.iso == place.iso
        && area.admin1.as_ref().is_none_or(|a1| place.admin1.as_ref() == Some(a1))
}

/// Merges a repeated mention into the event: the better-evidenced mention
/// stays the base; missing arguments are filled from the other.
fn absorb(m: &mut Cand, c: Cand) {
    let better = c.weight > m.weight && !c.anaphoric;
    // The demonstration takes its most severe stage that the text states firmly.
    let escalated = match (severity(m.sub), severity(c.sub)) {
        (Some(a), Some(b)) if b > a && c.weight >= 3 => Some(c.sub),
        (Some(a), Some(b)) if a > b && m.weight >= 3 => Some(m.sub),
        (Some(_), Some(_)) => Some(if m.weight >= c.weight { m.sub } else { c.sub }),
        _ => None,
    };
    let (mut base, other) = if better { (c, m.clone()) } else { (m.clone(), c) };
    if let Some(t) = escalated {
        base.sub = t;
    }
    base.actor1 = base.actor1.or(other.actor1);
    base.actor2 = base.actor2.or(other.actor2);
    if base.assoc1.is_empty() {
        base.assoc1 = other.assoc1;
    }
    if base.assoc2.is_empty() {
        base.assoc2 = other.assoc2;
    }
    if base.location.as_ref().is_none_or(|l| l.geo_precision > other.location.as_ref().map_or(9, |o| o.geo_precision)) {
        base.location = other.location.or(base.location);
    }
    if !base.date_own && other.date_own {
        base.date = other.date;
        base.date_own = true;
    }
    base.fatalities = base.fatalities.max(other.fatalities);
    base.attribution = base.attribution.or(other.attribution);
    base.hedged = base.hedged && other.hedged;
    base.sent = base.sent.min(other.sent);
    *m = base;
}

/// The country most of the resolved places of a text are in (ties: the first named).
fn majority_country(geo: &sitrep_gazetteer::GeoParse) -> Option<String> {
    majority(geo.places.iter().filter_map(|p| p.iso.as_deref()))
}

/// When no place of the text lies in the focus country (it came from hints: the outlet, cue
/// phrases, nationality words), the home country of the armed groups the text names, if they all
/// share one other than the focus: "clashes between the army and SPLA-IO" in a report of an outlet
/// covering Sudan is about South Sudan's army, "Al Shabaab attacked Kenyan forces" about Somalia.
fn group_country(actors: &[ActorSpan], focus: Option<&str>, geo: &sitrep_gazetteer::GeoParse) -> Option<String> {
    let focus = focus?;
    // (Nationality words do not place the report: "Kenyan forces" may fight in Somalia.)
    if geo.places.iter().any(|p| p.iso.as_deref() == Some(focus) && p.kind != "demonym") {
        return None;
    }
    let mut groups = actors
        .iter()
        .filter(|a| matches!(a.inter, Inter::RebelGroups | Inter::PoliticalMilitias | Inter::IdentityMilitias));
    let first = groups.next()?.country.as_deref()?;
    (first != focus && groups.all(|a| a.country.as_deref() == Some(first))).then(|| first.to_owned())
}

/// The most frequent code (ties: the first seen).
fn majority<'a>(codes: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for code in codes {
        match counts.iter_mut().find(|c| c.0 == code) {
            Some(c) => c.1 += 1,
            None => counts.push((code, 1)),
        }
    }
    let best = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == best).map(|c| c.0.to_owned())
}
