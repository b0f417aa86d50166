//! Dates and counts in news text, with byte spans.
//!
//! Two finders over a region of a document's text:
//!
//! - [`find_dates`] gives [`DateExpr`]s: absolute dates ("13 December 2015",
//!   "Dec. 13, 2015", "2015-12-13", "13/12/2015"), dates without a year
//!   ("on Dec. 13", "in March") and relative ones ("on Thursday", "Thursday
//!   night", "yesterday", "overnight", "last week", "two weeks ago", "earlier
//!   this month", "at the weekend", "since Monday"), resolved against the
//!   publication date, never the wall clock. Each says how precise it is (ACLED's
//!   time precision: 1 a day, 2 a week or a few days, 3 a month or more) and what
//!   kind it is ([`DateKind`]: the event's date, a start point, background, or a
//!   future date).
//! - [`find_numbers`] gives [`Quantity`]s: digits ("1,200"), words
//!   ("twenty-five", "a dozen"), vague quantities by ACLED's conventions
//!   ("dozens" 12, "hundreds" 100), and modifiers ("at least 12", "up to 30",
//!   "between 5 and 10"). [`Count::lowest`] is the lowest credible count, the
//!   figure ACLED records. [`parse_count`] reads one count phrase.
//!
//! The principal types are [`DateExpr`] and [`Quantity`]. Word lists (months,
//! weekdays, number words, vague quantities and their values, modifiers) are data
//! files: `data/dates.tsv` and `data/numbers.tsv`.
//!
//! ```
//! use sitrep_expr::{find_dates, find_numbers, Count, Date, DateKind};
//! use sitrep_text::TextRange;
//! let text = "At least 12 people were killed on Thursday, police said.";
//! let published = Some(Date::constant(2016, 11, 4)); // a Friday
//! let dates = find_dates(text, TextRange::full(text), published);
//! assert_eq!(&text[dates[0].range], "on Thursday");
//! assert_eq!(dates[0].date, Some(Date::constant(2016, 11, 3)));
//! assert_eq!(dates[0].kind, DateKind::Relative);
//! let counts = find_numbers(text, TextRange::full(text));
//! assert_eq!(&text[counts[0].range], "At least 12");
//! assert_eq!(counts[0].count, Count::AtLeast(12));
//! ```

mod dates;
mod lexicon;
mod numbers;
mod words;

pub use jiff::civil::Date;
pub use lexicon::LexiconError;
use sitrep_text::TextRange;

/// A date expression in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateExpr {
    /// The words of the expression, with a leading preposition such as "on", "in" or "since".
    pub range: TextRange,
    /// The day, or the first day of the span it names; `None` when it cannot be placed
    /// (a relative expression without a publication date).
    pub date: Option<Date>,
    /// The last day of the span (inclusive) when the expression covers more than one day
    /// ("last week", "in March", "since Monday" up to publication); `None` for a single day.
    pub end: Option<Date>,
    /// ACLED time precision: 1 a day, 2 a week or a few days, 3 a month or more.
    pub precision: u8,
    /// What the date is for.
    pub kind: DateKind,
    /// Written as a calendar date, with a month ("21 February", "Dec. 13", "13/12/2015"),
    /// rather than relative to publication ("on Sunday", "today", "two days ago").
    pub calendar: bool,
}

impl DateExpr {
    /// The middle day of the span (ACLED codes a week or a month by a day in it), or the day.
    #[must_use]
    pub fn midpoint(&self) -> Option<Date> {
        let d = self.date?;
        let Some(e) = self.end else { return Some(d) };
        let half = d.duration_until(e).as_secs() / 86_400 / 2;
        d.checked_add(jiff::Span::new().days(half)).ok()
    }
}

/// What a [`DateExpr`] is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// A calendar date written out with its year ("13 December 2015").
    Absolute,
    /// A date resolved against the publication date ("on Thursday", "yesterday", "Dec. 13").
    Relative,
    /// A starting point up to publication ("since Monday", "over the past week").
    Since,
    /// Past context, not the reported event's date: a year alone ("in 2014"), "two years
    /// ago", "last year", or a date more than a year before publication.
    Background,
    /// After publication ("tomorrow", "next week", "will meet on Monday").
    Future,
}

/// A count, as reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Count {
    /// "12", "twenty-five", "a dozen", "about 300".
    Exact(u32),
    /// "at least 12", "more than 20" (ACLED records the figure reported: 20), "10 or more".
    AtLeast(u32),
    /// "up to 30", "nearly 40", "fewer than 10" (9).
    AtMost(u32),
    /// "between 5 and 10", "5-10", "five or six".
    Between(u32, u32),
    /// A vague quantity and the value its convention gives it ("dozens" 12, "several" 3,
    /// "several hundred" 300; see `data/numbers.tsv`). `word` is the list entry.
    Vague {
        /// The conventional value.
        value: u32,
        /// The vague word or phrase as listed ("dozens", "tens of thousands").
        word: &'static str,
    },
}

impl Count {
    /// The lowest credible count, which ACLED records: the figure for exact counts and
    /// "at least", the lower bound of a range, the conventional value of a vague word, and
    /// the bound itself for "up to" (the only figure reported).
    #[must_use]
    pub fn lowest(&self) -> u32 {
        match *self {
            Count::Exact(n) | Count::AtLeast(n) | Count::AtMost(n) | Count::Between(n, _) => n,
            Count::Vague { value, .. } => value,
        }
    }
}

/// A count expression in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    /// The words of the count, modifiers included ("at least 12", "dozens", "five or six").
    pub range: TextRange,
    /// Its value.
    pub count: Count,
}

/// The date expressions in `text[region]`, left to right, never overlapping. Relative
/// expressions are resolved against `published`; without it they get `date: None`.
#[must_use]
pub fn find_dates(text: &str, region: TextRange, published: Option<Date>) -> Vec<DateExpr> {
    let lex = lexicon::builtin();
    let ws = words::words(text, region, lex);
    dates::find(lex, &ws, published)
}

/// The counts in `text[region]`, left to right, never overlapping. Years, times, dates,
/// percentages, sums of money, ages ("25-year-old"), decimals and a lone "one" are left
/// out ("one soldier" is the event coder's to read).
#[must_use]
pub fn find_numbers(text: &str, region: TextRange) -> Vec<Quantity> {
    let lex = lexicon::builtin();
    let ws = words::words(text, region, lex);
    numbers::find(lex, &ws)
}

/// [`find_dates`] and [`find_numbers`] over the same region, reading its words once.
#[must_use]
pub fn find_dates_and_numbers(
    text: &str,
    region: TextRange,
    published: Option<Date>,
) -> (Vec<DateExpr>, Vec<Quantity>) {
    let lex = lexicon::builtin();
    let ws = words::words(text, region, lex);
    (dates::find(lex, &ws, published), numbers::find(lex, &ws))
}

/// Reads `s` as one count phrase ("at least 12", "dozens", "twenty-five", "between 5 and
/// 10"); `None` unless the whole of `s` (trimmed, a final full stop allowed) is one.
#[must_use]
pub fn parse_count(s: &str) -> Option<Count> {
    let lex = lexicon::builtin();
    let ws = words::words(s, TextRange::full(s), lex);
    let n = if ws.last().is_some_and(|t| t.is(".")) { ws.len() - 1 } else { ws.len() };
    let (end, count) = numbers::quantity_at(lex, &ws[..n], 0, false)?;
    (end == n).then_some(count)
}
