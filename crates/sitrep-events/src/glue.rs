//! Adapters to the stages the coder reads: date and number expressions
//! (`sitrep-expr`) and actor mentions (`crate::actors`), turned into the small
//! records the coder works with.

use sitrep_model::{Date, Inter};
use sitrep_text::TextRange;

use std::sync::OnceLock;

use crate::EventCoder;
use crate::actors::{ActorContext, ActorHit, ActorKind, ActorLexicon, ActorScan, Branch};

/// What a date expression says about when an event happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum When {
    /// The day (or span) of an event.
    Event,
    /// "since Monday": the start of something ongoing.
    Since,
    /// Past context: "in 2014", "two years ago".
    Background,
    /// Future: "next week".
    Future,
}

/// A date expression.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DateSpan {
    pub(crate) range: TextRange,
    pub(crate) date: Option<Date>,
    pub(crate) precision: u8,
    pub(crate) when: When,
    /// Written as a calendar date ("21 February", "January 19, 2016"), not relative to
    /// publication ("on Sunday", "today").
    pub(crate) absolute: bool,
}

/// A count expression, at its lowest credible value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Num {
    pub(crate) range: TextRange,
    pub(crate) lowest: u32,
}

/// An actor mention.
#[derive(Clone, Debug)]
pub(crate) struct ActorSpan {
    pub(crate) range: TextRange,
    pub(crate) name: String,
    pub(crate) inter: Inter,
    pub(crate) country: Option<String>,
    /// A person (a spokesman, a witness): a source rather than an actor.
    pub(crate) person: bool,
    /// People of an identity group: the militia they form when they fight.
    pub(crate) militia: Option<String>,
}

/// The date expressions and the count expressions of `region`, dates resolved against
/// `published` (the region's words are read once for both).
pub(crate) fn dates_and_numbers(text: &str, region: TextRange, published: Option<Date>) -> (Vec<DateSpan>, Vec<Num>) {
    let (dates, nums) = sitrep_expr::find_dates_and_numbers(text, region, published);
    (date_spans(dates), num_spans(nums))
}

fn date_spans(dates: Vec<sitrep_expr::DateExpr>) -> Vec<DateSpan> {
    dates
        .into_iter()
        .map(|d| DateSpan {
            range: d.range,
            // A span ("last week") is coded by its middle day, as ACLED does; "since
            // Monday" by the day it began.
            date: if d.kind == sitrep_expr::DateKind::Since { d.date } else { d.midpoint().or(d.date) },
            precision: d.precision,
            absolute: d.calendar,
            when: match d.kind {
                sitrep_expr::DateKind::Absolute | sitrep_expr::DateKind::Relative => When::Event,
                sitrep_expr::DateKind::Since => When::Since,
                sitrep_expr::DateKind::Background => When::Background,
                sitrep_expr::DateKind::Future => When::Future,
            },
        })
        .collect()
}

fn num_spans(nums: Vec<sitrep_expr::Quantity>) -> Vec<Num> {
    nums.into_iter().map(|q| Num { range: q.range, lowest: q.count.lowest() }).collect()
}

/// The built-in actor lexicon, compiled once per process and shared by every coder.
fn builtin_lexicon() -> Result<&'static ActorLexicon, crate::LexiconError> {
    static LEX: OnceLock<Result<ActorLexicon, crate::actors::LexiconError>> = OnceLock::new();
    match LEX.get_or_init(ActorLexicon::builtin) {
        Ok(lex) => Ok(lex),
        Err(e) => {
            Err(crate::LexiconError::new(e.file(), e.line().unwrap_or(0), e.field().unwrap_or(""), e.to_string()))
        }
    }
}

/// The actor recogniser.
#[derive(Debug)]
pub(crate) struct Actors {
    lex: &'static ActorLexicon,
}

impl Actors {
    pub(crate) fn builtin() -> Result<Actors, crate::LexiconError> {
        Ok(Actors { lex: builtin_lexicon()? })
    }

    /// The actor mentions of `region`.
    pub(crate) fn recognize(
        &self,
        text: &str,
        region: TextRange,
        country: Option<&str>,
        year: Option<i16>,
        scan: Option<&ActorScan<'_>>,
    ) -> Vec<ActorSpan> {
        if !region.is_valid_for(text) {
            return Vec::new();
        }
        let ctx = ActorContext { country: country.map(str::to_owned), year };
        self.lex
            .recognize_with(text, region, &ctx, scan)
            .into_iter()
            .map(|h| ActorSpan {
                range: h.range,
                person: matches!(h.kind, ActorKind::Person { .. }),
                name: h.name,
                inter: h.inter,
                country: h.country,
                militia: h.militia,
            })
            .collect()
    }

    /// The automaton's reading of `region` ([`ActorLexicon::scan`]); of nothing when the region does
    /// not fit the text.
    pub(crate) fn scan<'a>(&'a self, text: &'a str, region: TextRange) -> ActorScan<'a> {
        let region = if region.is_valid_for(text) { region } else { TextRange::empty(0) };
        self.lex.scan(text, region)
    }

    /// The country-telling mentions of a scanned region, with no document context
    /// ([`ActorLexicon::hints_with`]).
    pub(crate) fn hints(&self, scan: &ActorScan<'_>) -> Vec<ActorHit> {
        self.lex.hints_with(scan)
    }

    /// Does the actor lexicon know country `code` (can it name its collectives)?
    pub(crate) fn knows_country(&self, code: &str) -> bool {
        self.lex.country_name(code).is_some()
    }

    /// The state forces of a branch of `country` in ACLED's spelling ("Police Forces of Egypt (2014-)").
    pub(crate) fn state(&self, branch: Branch, country: &str, year: Option<i16>) -> Option<String> {
        self.lex.state_actor(branch, country, year)
    }

    /// "<label> (<country>)" in ACLED's spelling ("Protesters (Algeria)").
    pub(crate) fn collective(&self, label: &str, country: Option<&str>) -> String {
        self.lex.collective(label, country)
    }
}

impl EventCoder {
    /// The actor mentions of `text[region]` that tell a country without any document context (see
    /// [`ActorLexicon::hints`]): named groups with a home country, state forces named by nationality
    /// or a national name, identity groups of one country; with their ranges and countries. Meant to
    /// be run before geoparsing, to help decide the document's focus country.
    ///
    /// ```
    /// use sitrep_events::EventCoder;
    /// use sitrep_text::TextRange;
    ///
    /// let coder = EventCoder::builtin().unwrap();
    /// let text = "Ethiopian soldiers fired on a crowd; troops later withdrew.";
    /// let hints = coder.actor_hints(text, TextRange::full(text));
    /// assert_eq!(hints.len(), 1);
    /// assert_eq!(hints[0].country.as_deref(), Some("ET"));
    /// assert_eq!(&text[hints[0].range], "Ethiopian soldiers");
    /// ```
    #[must_use]
    pub fn actor_hints(&self, text: &str, region: TextRange) -> Vec<ActorHit> {
        self.actor_hints_with(&self.actor_scan(text, region))
    }

    /// Where the actor lexicon's aliases occur in `text[region]` ([`ActorLexicon::scan`]): read it
    /// once for [`actor_hints_with`](Self::actor_hints_with) and pass it on in
    /// [`CodeInput::actor_scan`](crate::CodeInput::actor_scan), and [`code`](Self::code) does not
    /// scan the body again. A region that does not fit the text scans nothing.
    #[must_use]
    pub fn actor_scan<'a>(&'a self, text: &'a str, region: TextRange) -> ActorScan<'a> {
        self.actors.scan(text, region)
    }

    /// [`actor_hints`](Self::actor_hints) of a scanned region.
    #[must_use]
    pub fn actor_hints_with(&self, scan: &ActorScan<'_>) -> Vec<ActorHit> {
        self.actors.hints(scan)
    }
}
