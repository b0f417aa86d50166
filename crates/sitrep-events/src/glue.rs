//! Adapters to the stages the coder reads: date and number expressions
//! (`sitrep-expr`) and actor mentions (`crate::actors`), turned into the small
//! records the coder works with.

use sitrep_model::{Date, Inter};
use sitrep_text::TextRange;

use crate::actors::{ActorContext, ActorKind, ActorLexicon};

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

/// The actor recogniser.
#[derive(Debug)]
pub(crate) struct Actors {
    lex: ActorLexicon,
}

impl Actors {
    pub(crate) fn builtin() -> Result<Actors, crate::LexiconError> {
        let lex = ActorLexicon::builtin().map_err(|e| {
            crate::LexiconError::new(e.file(), e.line().unwrap_or(0), e.field().unwrap_or(""), e.to_string())
        })?;
        Ok(Actors { lex })
    }

    /// The actor mentions of `region`.
    pub(crate) fn recognize(
        &self,
        text: &str,
        region: TextRange,
        country: Option<&str>,
        year: Option<i16>,
    ) -> Vec<ActorSpan> {
        if !region.is_valid_for(text) {
            return Vec::new();
        }
        let ctx = ActorContext { country: country.map(str::to_owned), year };
        self.lex
            .recognize(text, region, &ctx)
            .into_iter()
            .map(|h| ActorSpan {
                range: h.range,
                person: matches!(h.kind, ActorKind::Person { .. }),
                name: h.name,
                inter: h.inter,
                country: h.country,
            })
            .collect()
    }

    /// "<label> (<country>)" in ACLED's spelling ("Protesters (Algeria)").
    pub(crate) fn collective(&self, label: &str, country: Option<&str>) -> String {
        self.lex.collective(label, country)
    }
}
