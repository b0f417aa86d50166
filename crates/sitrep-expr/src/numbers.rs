//! Counts: digits, number words, vague quantities and their modifiers.

use crate::lexicon::{Lexicon, NumKind, NumPhrase};
use crate::words::{Tok, adjacent, is_dash};
use crate::{Count, Quantity};

/// A number without modifiers: tokens `start..end`, its value, and the vague word if any.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Core {
    pub end: usize,
    pub value: u64,
    pub vague: Option<&'static str>,
    /// Digits with a decimal part and no scale word ("3.5"): not a count.
    pub decimal: bool,
    /// Plain digits, no words ("1,200").
    pub digits: bool,
    /// A lone number word below twenty, without modifier ("one", "three").
    pub lone_word: Option<u64>,
}

/// The longest phrase of the list that starts at token `i`.
pub(crate) fn phrase_at<'l>(lex: &'l Lexicon, ws: &[Tok<'_>], i: usize) -> Option<(&'l NumPhrase, usize)> {
    let t = ws.get(i)?;
    let list = &lex.num_lists[t.info?.nums? as usize];
    'phrases: for p in list {
        let mut j = i + 1;
        for w in &p.rest {
            match ws.get(j) {
                Some(t) if t.is_word() && t.eq_ignore_case(w) => j += 1,
                _ => continue 'phrases,
            }
        }
        return Some((p, j));
    }
    None
}

fn single_word(lex: &Lexicon, ws: &[Tok<'_>], i: usize) -> Option<(NumKind, u64)> {
    let (p, end) = phrase_at(lex, ws, i)?;
    (end == i + 1).then_some((p.kind, p.value))
}

/// Parses digits with `,` thousands separators and an optional decimal part.
/// Returns (whole part, has decimals, value × 1000 for scaling "3.5 million").
fn parse_digits(s: &str) -> Option<(u64, bool, u64)> {
    if !s.is_ascii() {
        // Other scripts' digits: value them digit by digit.
        let mut v: u64 = 0;
        for c in s.chars() {
            if c == ',' {
                continue;
            }
            let d = c.to_digit(10).or_else(|| non_ascii_digit(c))?;
            v = v.checked_mul(10)?.checked_add(u64::from(d))?;
        }
        return Some((v, false, v.checked_mul(1000)?));
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| f.contains('.') || f.contains(',')) {
        return None; // "13.12.2015", "1.200.000": not a count we can read safely
    }
    let mut v: u64 = 0;
    for b in whole.bytes() {
        if b == b',' {
            continue;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    let mut milli = v.checked_mul(1000)?;
    if let Some(f) = frac {
        let mut scale = 100;
        for b in f.bytes().take(3) {
            milli += u64::from(b - b'0') * scale;
            scale /= 10;
        }
    }
    Some((v, frac.is_some(), milli))
}

/// Decimal digits of other scripts (Arabic-Indic, Extended Arabic-Indic, Devanagari, fullwidth).
fn non_ascii_digit(c: char) -> Option<u32> {
    let c = c as u32;
    for base in [0x0660, 0x06F0, 0x0966, 0xFF10] {
        if (base..base + 10).contains(&c) {
            return Some(c - base);
        }
    }
    None
}

/// A number at token `i` (digits, words, or a vague quantity), without modifiers.
pub(crate) fn core_at(lex: &Lexicon, ws: &[Tok<'_>], i: usize) -> Option<Core> {
    let t = ws.get(i)?;
    if t.is_number() {
        let (whole, decimal, milli) = parse_digits(t.text)?;
        // A scale word after digits: "3.5 million", "200 thousand".
        if let Some((NumKind::Scale, scale)) = single_word(lex, ws, i + 1) {
            let v = milli.checked_mul(scale)? / 1000;
            return Some(Core { end: i + 2, value: v, vague: None, decimal: false, digits: false, lone_word: None });
        }
        return Some(Core { end: i + 1, value: whole, vague: None, decimal, digits: true, lone_word: None });
    }
    if !t.is_word() {
        return None;
    }
    // "a hundred", "a thousand", "an estimated" is a modifier and handled by the caller.
    let (start, mut current) = if (t.eq_ignore_case("a") || t.eq_ignore_case("an"))
        && matches!(single_word(lex, ws, i + 1), Some((NumKind::Scale, _)))
    {
        (i + 1, 1u64)
    } else {
        (i, 0u64)
    };
    let (p, end) = phrase_at(lex, ws, start)?;
    match p.kind {
        NumKind::Exact => {
            Some(Core { end, value: p.value, vague: None, decimal: false, digits: false, lone_word: None })
        }
        NumKind::Vague => {
            // "several hundred", "a few thousand", "several dozen".
            let (value, end) = match single_word(lex, ws, end) {
                Some((NumKind::Scale, s)) => (p.value.saturating_mul(s), end + 1),
                Some((NumKind::Dozen, d)) => (p.value.saturating_mul(d), end + 1),
                _ => (p.value, end),
            };
            Some(Core { end, value, vague: Some(p.text), decimal: false, digits: false, lone_word: None })
        }
        NumKind::Unit | NumKind::Tens | NumKind::Scale | NumKind::Dozen => words_number(lex, ws, start, &mut current),
        _ => None,
    }
}

/// "one hundred and twenty-five thousand", "twenty five", "two dozen", "a hundred".
fn words_number(lex: &Lexicon, ws: &[Tok<'_>], start: usize, current: &mut u64) -> Option<Core> {
    let mut total: u64 = 0;
    let mut j = start;
    let mut last: Option<NumKind> = None;
    let mut n_words = 0;
    while j < ws.len() {
        let Some((kind, v)) = single_word(lex, ws, j) else {
            // "and" inside a number: "one hundred and five".
            if ws[j].eq_ignore_case("and")
                && last == Some(NumKind::Scale)
                && matches!(single_word(lex, ws, j + 1), Some((NumKind::Unit | NumKind::Tens, _)))
            {
                j += 1;
                continue;
            }
            break;
        };
        match (kind, last) {
            (NumKind::Unit, None | Some(NumKind::Scale)) => *current += v,
            (NumKind::Unit, Some(NumKind::Tens)) if v < 10 => *current += v,
            (NumKind::Tens, None | Some(NumKind::Scale)) => {
                *current += v;
                // "twenty-five"
                if let (Some(d), Some(u)) = (ws.get(j + 1), ws.get(j + 2))
                    && d.is("-")
                    && adjacent(&ws[j], d)
                    && adjacent(d, u)
                    && let Some((NumKind::Unit, uv)) = single_word(lex, ws, j + 2)
                    && uv < 10
                {
                    *current += uv;
                    j += 2;
                }
            }
            (NumKind::Scale, _) => {
                if *current == 0 {
                    if n_words > 0 {
                        break;
                    }
                    return None; // "hundred" alone is not a number
                }
                if v == 100 {
                    if *current >= 100 {
                        break;
                    }
                    *current *= 100;
                } else {
                    total = total.saturating_add(current.saturating_mul(v));
                    *current = 0;
                }
            }
            (NumKind::Dozen, Some(NumKind::Unit | NumKind::Tens) | None) => {
                *current = (*current).max(1) * 12;
                j += 1;
                n_words += 1;
                break;
            }
            _ => break,
        }
        last = Some(kind);
        j += 1;
        n_words += 1;
    }
    if n_words == 0 {
        return None;
    }
    let value = total.saturating_add(*current);
    let lone_word = (n_words == 1 && j == start + 1 && value < 20).then_some(value);
    Some(Core { end: j, value, vague: None, decimal: false, digits: false, lone_word })
}

fn to_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A count expression at token `i`: returns (end token, count). `find` applies the
/// filters used when scanning running text (years, times, dates, percentages...).
pub(crate) fn quantity_at(lex: &Lexicon, ws: &[Tok<'_>], i: usize, find: bool) -> Option<(usize, Count)> {
    let modifier = phrase_at(lex, ws, i).filter(|(p, _)| {
        matches!(p.kind, NumKind::AtLeast | NumKind::AtMost | NumKind::Below | NumKind::Approx | NumKind::Between)
    });
    let (mod_kind, j) = match modifier {
        Some((p, end)) => (Some(p.kind), end),
        None => (None, i),
    };
    let a = core_at(lex, ws, j)?;
    if a.decimal {
        return None;
    }
    if find && mod_kind.is_none() && a.digits && !plausible_count(ws, j) {
        return None;
    }
    if find && a.digits && mod_kind.is_some() && !plausible_count(ws, j) && is_year_like(ws[j].text) {
        return None;
    }
    let unit_after = |k: usize| ws.get(k).is_some_and(is_time_unit);
    if find && (unit_after(a.end) || (ws.get(a.end).is_some_and(|t| t.eq_ignore_case("of")) && unit_after(a.end + 1))) {
        return None; // "two weeks ago", "more than two years", "a thousand times": not a count of anything
    }
    if mod_kind == Some(NumKind::Between) {
        let and = ws.get(a.end)?;
        if !and.eq_ignore_case("and") {
            return None;
        }
        let b = core_at(lex, ws, a.end + 1)?;
        if b.decimal || b.value < a.value {
            return None;
        }
        return Some((b.end, Count::Between(to_u32(a.value), to_u32(b.value))));
    }
    // Ranges and open ends after the number.
    let mut end = a.end;
    let mut count = match a.vague {
        Some(word) => Count::Vague { value: to_u32(a.value), word },
        None => Count::Exact(to_u32(a.value)),
    };
    if a.vague.is_none()
        && let Some((b_end, b)) = range_tail(lex, ws, &a)
    {
        end = b_end;
        count = Count::Between(to_u32(a.value), to_u32(b));
    } else if let Some(t) = ws.get(end) {
        let next = ws.get(end + 1);
        if t.eq_ignore_case("or") && next.is_some_and(|n| n.eq_ignore_case("more")) {
            end += 2;
            count = Count::AtLeast(to_u32(a.value));
        } else if (t.is("+") && adjacent(&ws[end - 1], t))
            || (is_dash(t) && next.is_some_and(|n| n.eq_ignore_case("plus") && adjacent(t, n)))
        {
            end += if t.is("+") { 1 } else { 2 };
            count = Count::AtLeast(to_u32(a.value));
        }
    }
    if find && mod_kind.is_none() && a.lone_word == Some(1) && end == a.end {
        return None; // a lone "one": the event coder reads "one soldier" itself
    }
    let v = to_u32(a.value);
    let count = match (mod_kind, count) {
        (None, c) => c,
        (Some(NumKind::AtLeast), _) => Count::AtLeast(v),
        (Some(NumKind::AtMost), _) => Count::AtMost(v),
        (Some(NumKind::Below), _) => Count::AtMost(v.saturating_sub(1)),
        (Some(_), c) => match c {
            // "about a dozen" stays exact; "about 20 to 30" stays a range.
            Count::Vague { value, .. } => Count::Exact(value),
            c => c,
        },
    };
    Some((end, count))
}

/// "5 to 10", "5-10", "five or six": the upper bound, when it is larger.
fn range_tail(lex: &Lexicon, ws: &[Tok<'_>], a: &Core) -> Option<(usize, u64)> {
    let sep = ws.get(a.end)?;
    let b_tok = ws.get(a.end + 1)?;
    if sep.is("-") {
        // A hyphen joins the numbers with no space: "5-10".
        if !(adjacent(&ws[a.end - 1], sep) && adjacent(sep, b_tok)) {
            return None;
        }
    } else if !(is_dash(sep) || sep.eq_ignore_case("to") || sep.eq_ignore_case("or")) {
        return None;
    }
    let b = core_at(lex, ws, a.end + 1)?;
    if b.decimal || b.vague.is_some() || b.value <= a.value || b.digits != a.digits {
        return None;
    }
    Some((b.end, b.value))
}

fn is_time_unit(t: &Tok<'_>) -> bool {
    const UNITS: &[&str] = &[
        "second",
        "seconds",
        "minute",
        "minutes",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "fortnight",
        "month",
        "months",
        "year",
        "years",
        "decade",
        "decades",
        "times",
    ];
    t.is_word() && UNITS.iter().any(|u| t.eq_ignore_case(u))
}

fn is_year_like(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) && (1900..=2100).contains(&s.parse::<u32>().unwrap_or(0))
}

const MONTHS: &[&str] = &[
    "january",
    "jan",
    "february",
    "feb",
    "march",
    "mar",
    "april",
    "apr",
    "may",
    "june",
    "jun",
    "july",
    "jul",
    "august",
    "aug",
    "september",
    "sept",
    "sep",
    "october",
    "oct",
    "november",
    "nov",
    "december",
    "dec",
];

fn is_month(t: &Tok<'_>) -> bool {
    t.capitalised() && MONTHS.iter().any(|m| t.eq_ignore_case(m))
}

/// Whether the digits at token `i` read as a count rather than a year, a time, a date,
/// a percentage, a sum of money, an age or a serial number.
fn plausible_count(ws: &[Tok<'_>], i: usize) -> bool {
    let t = &ws[i];
    let prev = i.checked_sub(1).map(|p| &ws[p]);
    let prev2 = i.checked_sub(2).map(|p| &ws[p]);
    let next = ws.get(i + 1);
    let next2 = ws.get(i + 2);
    // Money: "$5", "£300".
    if prev.is_some_and(|p| adjacent(p, t) && matches!(p.text, "$" | "£" | "€" | "¥" | "#")) {
        return false;
    }
    if let Some(n) = next {
        let glued = adjacent(t, n);
        // Percentages, times, fractions of dates: "45%", "10:30", "13/12/2015", "2015-12-13".
        if glued && (n.is("%") || n.is("‰")) {
            return false;
        }
        if glued && matches!(n.text, ":" | "/" | ".") && next2.is_some_and(|m| m.is_number() && adjacent(n, m)) {
            return false;
        }
        if n.eq_ignore_case("percent")
            || n.eq_ignore_case("pct")
            || (n.eq_ignore_case("per") && next2.is_some_and(|m| m.eq_ignore_case("cent")))
        {
            return false;
        }
        if matches!(n.text, "a.m." | "p.m." | "am" | "pm" | "AM" | "PM" | "GMT" | "UTC" | "hrs" | "o'clock") {
            return false;
        }
        // Ages and durations as adjectives: "a 25-year-old", "a 3-day offensive".
        if glued
            && n.is("-")
            && next2.is_some_and(|m| {
                ["year", "month", "week", "day", "hour", "minute", "years", "months"]
                    .iter()
                    .any(|u| m.eq_ignore_case(u))
            })
        {
            return false;
        }
        // Dates: "13 December".
        if is_month(n) {
            return false;
        }
        if glued && is_dash(n) && next2.is_some_and(|m| m.is_number() && adjacent(n, m)) {
            // "2015-12-13", "13-12-2015": a date, not a range.
            let chain = ws.get(i + 3).is_some_and(|d| is_dash(d) && next2.is_some_and(|m| adjacent(m, d)));
            if is_year_like(t.text) || chain {
                return false;
            }
        }
    }
    if let Some(p) = prev {
        // "Dec. 13", "December 13", "10:30", "13/12", "No. 5".
        if is_month(p) || (p.is(".") && prev2.is_some_and(|q| is_month(q) || q.is("No") || q.is("Nos"))) {
            return false;
        }
        if adjacent(p, t) && matches!(p.text, ":" | "/") {
            return false;
        }
        // The middle or last part of "2015-12-13" or "13-12-2015".
        if adjacent(p, t) && is_dash(p) && prev2.is_some_and(|q| q.is_number() && adjacent(q, p)) {
            let prev3 = i.checked_sub(3).map(|k| &ws[k]);
            let chained = prev3.is_some_and(|d| is_dash(d) && prev2.is_some_and(|q| adjacent(d, q)));
            let glued_next = next.is_some_and(|n| is_dash(n) && adjacent(t, n) && next2.is_some_and(|m| m.is_number()));
            if chained || glued_next || prev2.is_some_and(|q| is_year_like(q.text)) {
                return false;
            }
        }
    }
    if is_year_like(t.text) {
        let year_before = prev.is_some_and(|p| {
            p.is(",")
                || is_month(p)
                || [
                    "in",
                    "since",
                    "during",
                    "until",
                    "till",
                    "by",
                    "from",
                    "before",
                    "after",
                    "of",
                    "the",
                    "early",
                    "late",
                    "mid",
                    "throughout",
                    "year",
                    "between",
                    "and",
                    "to",
                ]
                .iter()
                .any(|w| p.eq_ignore_case(w))
        });
        let count_after = next.is_some_and(|n| n.is_word() && n.text.chars().next().is_some_and(char::is_lowercase));
        if year_before || !count_after {
            return false;
        }
    }
    true
}

/// All counts in `ws`, left to right, never overlapping.
pub(crate) fn find(lex: &Lexicon, ws: &[Tok<'_>]) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let t = &ws[i];
        // Cheap gate: a quantity starts with digits or a listed word.
        if (t.is_number() || t.info.is_some_and(|x| x.nums.is_some()))
            && let Some((end, count)) = quantity_at(lex, ws, i, true)
        {
            out.push(Quantity { range: t.range.cover(ws[end - 1].range), count });
            i = end;
            continue;
        }
        i += 1;
    }
    out
}
