//! Date expressions, resolved against the publication date.

use crate::lexicon::{DateWord, Kw, Lexicon};
use crate::numbers::core_at;
use crate::words::{Tok, adjacent, is_dash};
use crate::{Date, DateExpr, DateKind};
use jiff::Span;

/// A date expression found at tokens `start..end`.
#[derive(Clone, Copy, Debug)]
struct Found {
    start: usize,
    end: usize,
    date: Option<Date>,
    last: Option<Date>,
    precision: u8,
    kind: DateKind,
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().days(n)).ok()
}

fn add_months(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().months(n)).ok()
}

fn weekday(d: Date) -> i64 {
    i64::from(d.weekday().to_monday_one_offset())
}

/// The day of weekday `wd` (Monday = 1) nearest `from`: on or before it (`dir` -1), strictly
/// before (-2), on or after (1), strictly after (2).
fn weekday_near(from: Date, wd: u8, dir: i8) -> Option<Date> {
    let cur = weekday(from);
    let wd = i64::from(wd);
    let back = (cur - wd).rem_euclid(7);
    let fwd = (wd - cur).rem_euclid(7);
    match dir {
        -1 => add_days(from, -back),
        -2 => add_days(from, -(if back == 0 { 7 } else { back })),
        1 => add_days(from, fwd),
        _ => add_days(from, if fwd == 0 { 7 } else { fwd }),
    }
}

fn ymd(y: i64, m: i64, d: i64) -> Option<Date> {
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

fn month_span(y: i64, m: i64) -> Option<(Date, Date)> {
    let first = ymd(y, m, 1)?;
    Some((first, first.last_of_month()))
}

fn year_span(y: i64) -> Option<(Date, Date)> {
    Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?))
}

fn days_between(a: Date, b: Date) -> i64 {
    a.duration_until(b).as_secs() / 86_400
}

/// Reads a day of the month: "13", "13th", "1st".
fn day_of(t: &Tok<'_>) -> Option<i64> {
    let s = t.text;
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let suffix = &s[digits..];
    if !(suffix.is_empty() || ["st", "nd", "rd", "th"].iter().any(|x| suffix.eq_ignore_ascii_case(x))) {
        return None;
    }
    if suffix.is_empty() && !t.is_number() {
        return None;
    }
    let d: i64 = s[..digits].parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_of(t: &Tok<'_>) -> Option<i64> {
    if !t.is_number() || t.text.len() != 4 || !t.text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i64 = t.text.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn small_number(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

struct Matcher<'a, 'w> {
    lex: &'a Lexicon,
    ws: &'a [Tok<'w>],
    published: Option<Date>,
}

impl Matcher<'_, '_> {
    fn tok(&self, i: usize) -> Option<&Tok<'_>> {
        self.ws.get(i)
    }

    fn kw(&self, i: usize) -> Option<Kw> {
        self.ws.get(i)?.info?.kw
    }

    fn is(&self, i: usize, w: &str) -> bool {
        self.ws.get(i).is_some_and(|t| t.eq_ignore_case(w))
    }

    fn word(&self, i: usize) -> Option<DateWord> {
        let t = self.ws.get(i)?;
        let w = t.info?.date?;
        match w {
            DateWord::Month(_) | DateWord::Weekday(_) if !t.capitalised() => None,
            w => Some(w),
        }
    }

    fn month(&self, i: usize) -> Option<i64> {
        match self.word(i)? {
            DateWord::Month(m) => Some(i64::from(m)),
            _ => None,
        }
    }

    fn weekday(&self, i: usize) -> Option<u8> {
        match self.word(i)? {
            DateWord::Weekday(d) => Some(d),
            _ => None,
        }
    }

    fn unit(&self, i: usize) -> Option<u16> {
        match self.word(i)? {
            DateWord::Unit(u) => Some(u),
            _ => None,
        }
    }

    /// After a month abbreviation, its full stop: "Dec." → the token after the stop.
    fn skip_abbrev_stop(&self, month_tok: usize) -> usize {
        match (self.tok(month_tok), self.tok(month_tok + 1)) {
            (Some(m), Some(d)) if d.is(".") && adjacent(m, d) && m.text.len() <= 4 => month_tok + 2,
            _ => month_tok + 1,
        }
    }

    /// A word that makes a bare weekday or a date without a year point forward, a few words back.
    fn future_cue(&self, start: usize) -> bool {
        let mut i = start;
        let mut seen = 0;
        while i > 0 && seen < 6 {
            let t = &self.ws[i];
            if t.after_break {
                return false;
            }
            i -= 1;
            let p = &self.ws[i];
            if matches!(p.text, "." | "!" | "?" | ";" | ":") {
                return false;
            }
            if p.text.ends_with("'ll") || p.text.ends_with("’ll") {
                return true;
            }
            if matches!(self.word(i), Some(DateWord::FutureCue)) {
                return self.governs_date(i, start);
            }
            seen += 1;
        }
        false
    }

    /// Does the future cue at `i` govern the date at `start`? A modal ("will", "shall") does from a few words
    /// back; a plan word ("planned", "scheduled", "due", "expected") only when it leads to the date or to a
    /// verb: "scheduled for Monday", "plans to march on Friday", "upcoming Sunday", not "the master plan
    /// on 4 January" or "accused of plans" a clause away.
    fn governs_date(&self, i: usize, start: usize) -> bool {
        let cue = self.ws[i].text;
        if cue.eq_ignore_ascii_case("will") || cue.eq_ignore_ascii_case("shall") {
            return true;
        }
        if i + 1 == start {
            return true;
        }
        let next = self.ws[i + 1].text;
        // "on" only after a timetable word ("due on", "scheduled on"): "the master plan on 4 January" is a
        // noun with a past date.
        let on = next.eq_ignore_ascii_case("on")
            && ["scheduled", "due", "expected"].iter().any(|w| cue.eq_ignore_ascii_case(w));
        (on || next.eq_ignore_ascii_case("to") || next.eq_ignore_ascii_case("for"))
            && !(i > 0 && {
                // A plan noun after a determiner or a possessive ("the government's plan to …").
                let prev = self.ws[i - 1].text;
                ["the", "a", "its", "their", "his", "her"].iter().any(|d| prev.eq_ignore_ascii_case(d))
                    || prev.ends_with("'s")
                    || prev.ends_with("’s")
            })
    }

    fn found(&self, start: usize, end: usize, span: Option<(Date, Date)>, precision: u8, kind: DateKind) -> Found {
        let (date, last) = match span {
            Some((a, b)) if a == b => (Some(a), None),
            Some((a, b)) => (Some(a), Some(b)),
            None => (None, None),
        };
        Found { start, end, date, last, precision, kind }
    }

    /// All date expressions, left to right, never overlapping.
    fn find(&self) -> Vec<DateExpr> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.ws.len() {
            let t = &self.ws[i];
            // Cheap gate: digits, an ordinal ("13th") or a listed word.
            let candidate = t.is_number() || t.info.is_some() || t.text.as_bytes()[0].is_ascii_digit();
            if candidate && let Some(f) = self.at(i) {
                // "the 6th of October suburb", "the February 17 Revolution": a name (the head
                // capitalised, or the date after "the").
                let head = |j: usize| matches!(self.word(j), Some(DateWord::NameHead));
                let name = (head(f.end) && f.start > 0 && self.is(f.start - 1, "the"))
                    || (f.end..(f.end + 3).min(self.ws.len())).take_while(|&j| self.ws[j].capitalised()).any(head);
                if !name {
                    out.push(self.finish(f));
                }
                i = f.end;
                continue;
            }
            i += 1;
        }
        out
    }

    fn finish(&self, f: Found) -> DateExpr {
        let mut kind = f.kind;
        if let (Some(p), Some(d)) = (self.published, f.date) {
            let last = f.last.unwrap_or(d);
            match kind {
                DateKind::Absolute | DateKind::Relative if d > p => kind = DateKind::Future,
                DateKind::Absolute | DateKind::Relative if days_between(last, p) > 365 => kind = DateKind::Background,
                DateKind::Since if days_between(d, p) > 365 => kind = DateKind::Background,
                _ => {}
            }
        }
        let range = self.ws[f.start].range.cover(self.ws[f.end - 1].range);
        let calendar =
            f.kind == DateKind::Absolute || (f.start..f.end).any(|i| matches!(self.word(i), Some(DateWord::Month(_))));
        DateExpr { range, date: f.date, end: f.last, precision: f.precision, kind, calendar }
    }

    /// A date expression starting at token `i`, possibly with a preposition.
    fn at(&self, i: usize) -> Option<Found> {
        let kw = self.kw(i);
        let in_range =
            matches!(kw, Some(Kw::On | Kw::In | Kw::At | Kw::Over | Kw::During | Kw::Since | Kw::Throughout));
        let context = in_range
            || matches!(
                kw,
                Some(
                    Kw::Until
                        | Kw::Till
                        | Kw::By
                        | Kw::From
                        | Kw::Before
                        | Kw::After
                        | Kw::Of
                        | Kw::Around
                        | Kw::Between
                        | Kw::And
                )
            );
        if context && let Some(mut f) = self.core(i + 1, Some(i)) {
            if in_range {
                f.start = i;
            }
            if kw == Some(Kw::Since) {
                return Some(self.since(f));
            }
            return Some(f);
        }
        if matches!(kw, Some(Kw::In | Kw::Within)) {
            // "in two weeks", "in the coming days": ahead.
            if let Some(f) = self.ahead(i) {
                return Some(f);
            }
        }
        self.core(i, None)
    }

    /// "since Monday": from that day to publication.
    fn since(&self, mut f: Found) -> Found {
        if f.kind == DateKind::Background {
            return f;
        }
        f.kind = DateKind::Since;
        if let (Some(d), Some(p)) = (f.date, self.published)
            && d <= p
        {
            f.last = Some(p);
            f.precision = if days_between(d, p) <= 7 { 2 } else { 3 };
        }
        f
    }

    /// A date expression at `i`; `prep` is the index of a preceding preposition.
    fn core(&self, i: usize, prep: Option<usize>) -> Option<Found> {
        let t = self.tok(i)?;
        if t.is_number() {
            return self.numeric(i).or_else(|| self.day_led(i)).or_else(|| self.ago(i)).or_else(|| self.year(i, prep));
        }
        if !t.is_word() {
            return None;
        }
        if let Some(f) = self.day_led(i) {
            return Some(f);
        }
        if self.weekday(i).is_some() {
            return self.weekday_led(i, i);
        }
        if self.month(i).is_some() {
            return self.month_led(i, i, prep.is_some());
        }
        match t.info.and_then(|x| x.kw) {
            Some(k @ (Kw::Yesterday | Kw::Today | Kw::Tonight | Kw::Tomorrow | Kw::Overnight)) => {
                self.relative_day(i, k)
            }
            Some(Kw::Last | Kw::Next | Kw::This | Kw::Past | Kw::Coming) => self.prefixed(i),
            Some(Kw::Early | Kw::Late | Kw::Mid) => self.early_late(i, prep),
            Some(Kw::Earlier | Kw::Later) => self.earlier_later(i),
            Some(Kw::The) => self.the(i, prep),
            Some(Kw::Weekend) if prep.is_some() => self.weekend(i, i, i + 1, 0),
            _ if t.info.is_some_and(|x| x.nums.is_some()) || t.eq_ignore_case("a") || t.eq_ignore_case("an") => {
                self.ago(i)
            }
            _ => None,
        }
    }

    /// "2015-12-13", "2015/12/13", "13/12/2015", "13-12-2015", "13.12.2015".
    fn numeric(&self, i: usize) -> Option<Found> {
        let t = &self.ws[i];
        if t.text.matches('.').count() == 2 {
            let mut parts = t.text.split('.');
            let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
            if c.len() != 4 {
                return None;
            }
            let d = self.dmy(small_number(a)?, small_number(b)?, small_number(c)?)?;
            return Some(self.found(i, i + 1, Some((d, d)), 1, DateKind::Absolute));
        }
        let (s1, n2, s2, n3) = (self.tok(i + 1)?, self.tok(i + 2)?, self.tok(i + 3)?, self.tok(i + 4)?);
        let sep_ok = |s: &Tok<'_>| s.is("-") || s.is("/");
        if !(sep_ok(s1) && s1.text == s2.text && n2.is_number() && n3.is_number()) {
            return None;
        }
        if !(adjacent(t, s1) && adjacent(s1, n2) && adjacent(n2, s2) && adjacent(s2, n3)) {
            return None;
        }
        let (a, b, c) = (small_number(t.text)?, small_number(n2.text)?, small_number(n3.text)?);
        let d = if t.text.len() == 4 {
            ymd(a, b, c)?
        } else if n3.text.len() == 4 || n3.text.len() == 2 {
            let y = if n3.text.len() == 2 { if c < 50 { 2000 + c } else { 1900 + c } } else { c };
            self.dmy(a, b, y)?
        } else {
            return None;
        };
        Some(self.found(i, i + 5, Some((d, d)), 1, DateKind::Absolute))
    }

    /// Day-month-year, or month-day-year when the second number cannot be a month.
    fn dmy(&self, a: i64, b: i64, y: i64) -> Option<Date> {
        if b > 12 { ymd(y, a, b) } else { ymd(y, b, a) }
    }

    /// The occurrence of month `m` (day `d`, or the whole month when `d` is `None`) that fits
    /// the publication date: the closest one for a day (the past wins ties), the latest one on
    /// or before publication for a month; the next one when `ahead`.
    fn infer_year(&self, m: i64, d: Option<i64>, ahead: bool) -> Option<(Date, Date)> {
        let p = self.published?;
        let y = i64::from(p.year());
        let span = |y: i64| -> Option<(Date, Date)> {
            match d {
                Some(d) => ymd(y, m, d).map(|x| (x, x)),
                None => month_span(y, m),
            }
        };
        let this = span(y);
        let prev = span(y - 1);
        let next = span(y + 1);
        if ahead {
            return [this, next].into_iter().flatten().find(|(_, last)| *last >= p);
        }
        match d {
            None => [this, prev].into_iter().flatten().find(|(first, _)| *first <= p),
            Some(_) => {
                let cands = [prev, this, next];
                let mut best: Option<(Date, Date)> = None;
                for c in cands.into_iter().flatten() {
                    let dist = days_between(c.0, p).abs();
                    let better = match best {
                        None => true,
                        Some(b) => {
                            let bd = days_between(b.0, p).abs();
                            dist < bd || (dist == bd && c.0 < b.0)
                        }
                    };
                    if better {
                        best = Some(c);
                    }
                }
                best
            }
        }
    }

    /// "December 13", "Dec. 13, 2015", "Dec 13-15", "December 2015", "in March".
    fn month_led(&self, start: usize, i: usize, has_prep: bool) -> Option<Found> {
        let m = self.month(i)?;
        let j = self.skip_abbrev_stop(i);
        if let Some(t) = self.tok(j)
            && let Some(d) = day_of(t)
            && year_of(t).is_none()
            && adjacent_or_spaced(self.ws, j - 1, j)
        {
            // Not a time ("May 5:30") or a count ("in March 5 people ..." is rare; accept).
            let mut end = j + 1;
            let mut last_day = None;
            if let (Some(dash), Some(d2)) = (self.tok(j + 1), self.tok(j + 2))
                && is_dash(dash)
                && let Some(d2v) = day_of(d2)
                && d2v > d
            {
                last_day = Some(d2v);
                end = j + 3;
            }
            let mut year = None;
            let comma = self.tok(end).is_some_and(|c| c.is(","));
            let yi = if comma { end + 1 } else { end };
            if let Some(y) = self.tok(yi).and_then(year_of) {
                year = Some(y);
                end = yi + 1;
            }
            return self.day_span(start, end, m, d, last_day, year);
        }
        if let Some(y) = self.tok(j).and_then(year_of) {
            let span = month_span(y, m);
            return Some(self.found(start, j + 1, span, 3, DateKind::Absolute));
        }
        // "March" alone: only after a preposition or a qualifier ("in March", "early March").
        if !has_prep {
            return None;
        }
        let span = self.infer_year(m, None, self.future_cue(start)).map(|(a, b)| self.clip_to_published(a, b));
        Some(self.found(start, i + 1, span, 3, DateKind::Relative))
    }

    /// A span that includes publication day ends there ("this month" so far).
    fn clip_to_published(&self, a: Date, b: Date) -> (Date, Date) {
        match self.published {
            Some(p) if a <= p && p < b => (a, p),
            _ => (a, b),
        }
    }

    fn day_span(
        &self,
        start: usize,
        end: usize,
        m: i64,
        d: i64,
        last_day: Option<i64>,
        year: Option<i64>,
    ) -> Option<Found> {
        let (first, kind) = match year {
            Some(y) => (ymd(y, m, d)?, DateKind::Absolute),
            None => match self.infer_year(m, Some(d), self.future_cue(start)) {
                Some((x, _)) => (x, DateKind::Relative),
                None => {
                    // No publication date: the expression stays, without a date.
                    ymd(2000, m, d)?; // still reject "February 30"
                    return Some(self.found(
                        start,
                        end,
                        None,
                        if last_day.is_some() { 2 } else { 1 },
                        DateKind::Relative,
                    ));
                }
            },
        };
        match last_day {
            Some(ld) => {
                let last = ymd(i64::from(first.year()), m, ld)?;
                Some(self.found(start, end, Some((first, last)), 2, kind))
            }
            None => Some(self.found(start, end, Some((first, first)), 1, kind)),
        }
    }

    /// "13 December 2015", "13th Dec", "the 13th of December".
    fn day_led(&self, i: usize) -> Option<Found> {
        let d = day_of(self.tok(i)?)?;
        let mut j = i + 1;
        if self.is(j, "of") {
            j += 1;
        }
        let m = self.month(j)?;
        let mut end = self.skip_abbrev_stop(j);
        if self.tok(end).is_some_and(|t| t.is(".")) || end == j + 1 {
            end = j + 1;
        }
        let mut year = None;
        let yi = if self.is(end, ",") { end + 1 } else { end };
        if let Some(y) = self.tok(yi).and_then(year_of) {
            year = Some(y);
            end = yi + 1;
        }
        self.day_span(i, end, m, d, None, year)
    }

    /// "Thursday", "Thursday night", "Thursday, Nov. 3", "Thursday's attack".
    fn weekday_led(&self, start: usize, i: usize) -> Option<Found> {
        let wd = self.weekday(i)?;
        let mut j = i + 1;
        if self.is(j, ",") {
            j += 1;
        }
        // An explicit date after the weekday wins.
        if let Some(f) = self.month_led(start, j, false).or_else(|| self.day_led(j)) {
            return Some(Found { start, ..f });
        }
        let mut end = i + 1;
        if matches!(self.word(end), Some(DateWord::Daypart)) {
            end += 1;
        }
        let dir = if self.future_cue(start) { 1 } else { -1 };
        let span = self.published.and_then(|p| weekday_near(p, wd, dir)).map(|d| (d, d));
        Some(self.found(start, end, span, 1, DateKind::Relative))
    }

    /// "yesterday", "today", "tonight", "tomorrow", "overnight".
    fn relative_day(&self, i: usize, w: Kw) -> Option<Found> {
        let (offset, kind) = match w {
            Kw::Yesterday => (-1, DateKind::Relative),
            Kw::Today | Kw::Tonight => (0, DateKind::Relative),
            Kw::Tomorrow => (1, DateKind::Future),
            _ => {
                // "overnight" alone: the night before publication; before a weekday, that day.
                if self.weekday(i + 1).is_some() {
                    let mut f = self.weekday_led(i, i + 1)?;
                    f.start = i;
                    return Some(f);
                }
                (-1, DateKind::Relative)
            }
        };
        let mut end = i + 1;
        if matches!(w, Kw::Yesterday | Kw::Today | Kw::Tomorrow) {
            // "yesterday morning"
            if matches!(self.word(end), Some(DateWord::Daypart)) {
                end += 1;
            }
        }
        let span = self.published.and_then(|p| add_days(p, offset)).map(|d| (d, d));
        Some(self.found(i, end, span, 1, kind))
    }

    /// "last/next/this/past/coming" + weekday, week, weekend, month, year, night, morning, month name.
    fn prefixed(&self, i: usize) -> Option<Found> {
        let w = self.kw(i)?;
        let p = self.published;
        let j = i + 1;
        if let Some(wd) = self.weekday(j) {
            let mut end = j + 1;
            if matches!(self.word(end), Some(DateWord::Daypart)) {
                end += 1;
            }
            let (dir, kind) = match w {
                Kw::Last | Kw::Past => (-2, DateKind::Relative),
                Kw::Next | Kw::Coming => (2, DateKind::Future),
                _ => (if self.future_cue(i) { 1 } else { -1 }, DateKind::Relative),
            };
            let span = p.and_then(|p| weekday_near(p, wd, dir)).map(|d| (d, d));
            return Some(self.found(i, end, span, 1, kind));
        }
        if let Some(m) = self.month(j) {
            let span = p.and_then(|p| {
                let y = i64::from(p.year());
                let pm = i64::from(p.month());
                let year = match w {
                    Kw::Last | Kw::Past => {
                        if m < pm {
                            y
                        } else {
                            y - 1
                        }
                    }
                    Kw::Next | Kw::Coming => {
                        if m > pm {
                            y
                        } else {
                            y + 1
                        }
                    }
                    _ => y,
                };
                month_span(year, m)
            });
            let kind = if matches!(w, Kw::Next | Kw::Coming) { DateKind::Future } else { DateKind::Relative };
            let span = span.map(|(a, b)| self.clip_to_published(a, b));
            return Some(self.found(i, j + 1, span, 3, kind));
        }
        if matches!(self.word(j), Some(DateWord::Daypart)) && matches!(w, Kw::Last | Kw::This) {
            let off = if w == Kw::Last { -1 } else { 0 };
            let span = p.and_then(|p| add_days(p, off)).map(|d| (d, d));
            return Some(self.found(i, j + 1, span, 1, DateKind::Relative));
        }
        if self.is(j, "weekend") {
            let dir = match w {
                Kw::Last | Kw::Past => -2,
                Kw::Next | Kw::Coming => 2,
                _ => 0,
            };
            return self.weekend(i, j, j + 1, dir);
        }
        let unit = self.unit(j)?;
        // "to last weeks", "last days": "last" is a verb or an adjective, not a date.
        if self.ws[j].text.ends_with('s') || (w == Kw::Last && i > 0 && self.is(i - 1, "to")) {
            return None;
        }
        let shift = match w {
            Kw::Last | Kw::Past => -1,
            Kw::Next | Kw::Coming => 1,
            _ => 0,
        };
        if matches!(w, Kw::Past | Kw::Coming) && !self.is(i.wrapping_sub(1), "the") {
            return None;
        }
        let kind = match (shift, unit) {
            (1, _) => DateKind::Future,
            (-1, 365) if w == Kw::Last => DateKind::Background,
            _ => DateKind::Relative,
        };
        if matches!(w, Kw::Past | Kw::Coming) {
            // "the past week", "the coming days": a span up to (or from) publication.
            return self.window(i - 1, i, j + 1, 1, unit, shift);
        }
        let span = p.and_then(|p| calendar_unit(p, unit, shift));
        let span = if shift == 0 { span.map(|(a, b)| self.clip_to_published(a, b)) } else { span };
        let precision = match unit {
            0 | 1 => 1,
            7 | 14 => 2,
            _ => 3,
        };
        Some(self.found(i, j + 1, span, precision, kind))
    }

    /// "the past two weeks", "the last 24 hours", "the coming days": from `n` units before
    /// publication to publication (or after it, ahead).
    fn window(&self, start: usize, _q: usize, end: usize, n: i64, unit: u16, shift: i64) -> Option<Found> {
        let p = self.published;
        let days = match unit {
            0 => n.div_euclid(24).max(1),
            30 => n * 30,
            365 => n * 365,
            u => n * i64::from(u),
        };
        let span = p.and_then(|p| {
            if shift > 0 { Some((add_days(p, 1)?, add_days(p, days)?)) } else { Some((add_days(p, -days)?, p)) }
        });
        let precision = if days <= 1 {
            1
        } else if days <= 14 {
            2
        } else {
            3
        };
        let kind = if shift > 0 { DateKind::Future } else { DateKind::Since };
        Some(self.found(start, end, span, precision, kind))
    }

    /// "at the weekend", "this weekend", "last weekend": Saturday and Sunday.
    fn weekend(&self, start: usize, _w: usize, end: usize, dir: i8) -> Option<Found> {
        let ahead = dir > 0 || (dir == 0 && self.future_cue(start));
        let span = self.published.and_then(|p| {
            let sat = match (dir, ahead) {
                (2, _) | (0, true) => weekday_near(p, 6, if dir == 2 { 2 } else { 1 })?,
                (-2, _) => weekday_near(weekday_near(p, 6, -1)?, 6, -2)?,
                _ => weekday_near(p, 6, -1)?,
            };
            let sun = add_days(sat, 1)?;
            Some((sat, if dir <= 0 && !ahead && sun > p { p } else { sun }))
        });
        let kind = if ahead { DateKind::Future } else { DateKind::Relative };
        Some(self.found(start, end, span, 2, kind))
    }

    /// "early Saturday", "late Thursday night", "early December", "mid-December", "late 2015".
    fn early_late(&self, i: usize, prep: Option<usize>) -> Option<Found> {
        let w = self.kw(i)?;
        let mut j = i + 1;
        if w == Kw::Mid {
            // "mid-December"
            let dash = self.tok(j)?;
            if !(dash.is("-") && adjacent(&self.ws[i], dash)) {
                return None;
            }
            j += 1;
        }
        if w != Kw::Mid && self.weekday(j).is_some() {
            let mut f = self.weekday_led(i, j)?;
            f.start = i;
            return Some(f);
        }
        if let Some(m) = self.month(j) {
            let (lo, hi) = match w {
                Kw::Early => (1, 10),
                Kw::Mid => (11, 20),
                _ => (21, 31),
            };
            let mut end = j + 1;
            let year = self.tok(end).and_then(year_of);
            if year.is_some() {
                end += 1;
            }
            let month = match year {
                Some(y) => month_span(y, m),
                None => self.infer_year(m, None, self.future_cue(i)),
            };
            let span = month.and_then(|(first, last)| {
                let a = ymd(i64::from(first.year()), m, lo)?;
                let b = if hi == 31 { last } else { ymd(i64::from(first.year()), m, hi)? };
                Some((a, b))
            });
            let kind = if year.is_some() { DateKind::Absolute } else { DateKind::Relative };
            return Some(self.found(i, end, span, 2, kind));
        }
        if let Some(y) = self.tok(j).and_then(year_of) {
            let _ = prep;
            return Some(self.found(i, j + 1, year_span(y), 3, DateKind::Background));
        }
        None
    }

    /// "earlier this week", "later this month", "earlier today".
    fn earlier_later(&self, i: usize) -> Option<Found> {
        let later = self.ws[i].eq_ignore_case("later");
        let p = self.published;
        if self.is(i + 1, "today") {
            let span = p.map(|p| (p, p));
            return Some(self.found(i, i + 2, span, 1, DateKind::Relative));
        }
        if !self.is(i + 1, "this") {
            return None;
        }
        let unit = self.unit(i + 2)?;
        if !matches!(unit, 7 | 30 | 365) {
            return None;
        }
        let span = p.and_then(|p| {
            let (a, b) = calendar_unit(p, unit, 0)?;
            if later { Some((add_days(p, 1)?.min(b), b)) } else { Some((a, p)) }
        });
        let kind = if later { DateKind::Future } else { DateKind::Relative };
        let precision = if unit == 7 { 2 } else { 3 };
        Some(self.found(i, i + 3, span, precision, kind))
    }

    /// "the weekend", "the day before yesterday", "the past week", "the 2014 offensive", "the 13th of May".
    fn the(&self, i: usize, prep: Option<usize>) -> Option<Found> {
        if self.is(i + 1, "weekend") && prep.is_some() {
            return self.weekend(i, i + 1, i + 2, 0);
        }
        if self.is(i + 1, "day") && self.is(i + 2, "before") && self.is(i + 3, "yesterday") {
            let span = self.published.and_then(|p| add_days(p, -2)).map(|d| (d, d));
            return Some(self.found(i, i + 4, span, 1, DateKind::Relative));
        }
        if self.is(i + 1, "past") || self.is(i + 1, "last") || self.is(i + 1, "coming") || self.is(i + 1, "next") {
            let shift = if self.is(i + 1, "coming") || self.is(i + 1, "next") { 1 } else { -1 };
            let j = i + 2;
            // "the past week", "the past two weeks", "the last few days", "the past 24 hours"
            if let Some(u) = self.unit(j) {
                // "the past week", but not "the last days of the siege".
                if self.ws[j].text.ends_with('s') {
                    return None;
                }
                return self.window(i, i + 1, j + 1, 1, u, shift);
            }
            let c = core_at(self.lex, self.ws, j)?;
            let u = self.unit(c.end)?;
            let n = i64::try_from(c.value).ok()?.clamp(1, 10_000);
            return self.window(i, i + 1, c.end + 1, n, u, shift);
        }
        if let Some(f) = self.day_led(i + 1) {
            return Some(Found { start: i, ..f });
        }
        if let Some(y) = self.tok(i + 1).and_then(year_of) {
            let _ = prep;
            return Some(self.found(i, i + 2, year_span(y), 3, DateKind::Background));
        }
        None
    }

    /// "two weeks ago", "a few days ago", "three years ago".
    fn ago(&self, i: usize) -> Option<Found> {
        let t = &self.ws[i];
        let (n, vague, u_at) = if t.eq_ignore_case("a") || t.eq_ignore_case("an") || t.eq_ignore_case("one") {
            if let Some(u) = self.unit(i + 1).filter(|_| self.is(i + 2, "ago")) {
                let _ = u;
                (1, false, i + 1)
            } else {
                let c = core_at(self.lex, self.ws, i)?;
                (i64::try_from(c.value).ok()?, c.vague.is_some(), c.end)
            }
        } else {
            let c = core_at(self.lex, self.ws, i)?;
            if c.decimal {
                return None;
            }
            (i64::try_from(c.value).ok()?, c.vague.is_some(), c.end)
        };
        let unit = self.unit(u_at)?;
        if !self.is(u_at + 1, "ago") {
            return None;
        }
        let end = u_at + 2;
        let n = n.clamp(0, 100_000);
        let p = self.published;
        let (span, precision, kind) = match unit {
            0 => (p.map(|p| (p, p)), 1, DateKind::Relative),
            1 => {
                let d = p.and_then(|p| add_days(p, -n));
                (d.map(|d| (d, d)), if vague { 2 } else { 1 }, DateKind::Relative)
            }
            7 | 14 => {
                let d = p.and_then(|p| add_days(p, -n * i64::from(unit)));
                (d.and_then(|d| calendar_unit(d, 7, 0)), 2, DateKind::Relative)
            }
            30 => {
                let d = p.and_then(|p| add_months(p, -n));
                (d.and_then(|d| calendar_unit(d, 30, 0)), 3, DateKind::Relative)
            }
            _ => {
                let y = p.map(|p| i64::from(p.year()) - n);
                (y.and_then(year_span), 3, DateKind::Background)
            }
        };
        Some(self.found(i, end, span, precision, kind))
    }

    /// "in two weeks", "in the coming days", "within days" (ahead of publication).
    fn ahead(&self, i: usize) -> Option<Found> {
        let j = i + 1;
        if self.is(j, "the") && (self.is(j + 1, "coming") || self.is(j + 1, "next")) {
            let k = j + 2;
            if let Some(u) = self.unit(k) {
                return self.window(i, j, k + 1, if u == 1 { 3 } else { 1 }, u, 1);
            }
            let c = core_at(self.lex, self.ws, k)?;
            let u = self.unit(c.end)?;
            return self.window(i, j, c.end + 1, i64::try_from(c.value).ok()?.clamp(1, 10_000), u, 1);
        }
        if self.ws[i].eq_ignore_case("within") {
            return None;
        }
        let c = if self.is(j, "a") || self.is(j, "an") { None } else { Some(core_at(self.lex, self.ws, j)?) };
        let (n, u_at) = match c {
            Some(c) => (i64::try_from(c.value).ok()?, c.end),
            None => (1, j + 1),
        };
        let u = self.unit(u_at)?;
        if self.is(u_at + 1, "ago") || self.is(u_at + 1, "of") || u == 0 {
            return None;
        }
        self.window(i, j, u_at + 1, n.clamp(1, 10_000), u, 1)
    }

    /// "in 2014", "since 2003", "during 2015": a year, for background.
    fn year(&self, i: usize, prep: Option<usize>) -> Option<Found> {
        let y = self.tok(i).and_then(year_of)?;
        prep?;
        // Not part of a longer number expression ("2015-16" is still the year 2015).
        Some(self.found(i, i + 1, year_span(y), 3, DateKind::Background))
    }
}

/// The calendar week (Monday–Sunday), month or year containing `d`, shifted by `shift` units.
fn calendar_unit(d: Date, unit: u16, shift: i64) -> Option<(Date, Date)> {
    match unit {
        0 | 1 => {
            let x = add_days(d, shift)?;
            Some((x, x))
        }
        7 | 14 => {
            let monday = add_days(d, 1 - weekday(d) + 7 * shift)?;
            Some((monday, add_days(monday, 6)?))
        }
        30 => {
            let m = add_months(d.first_of_month(), shift)?;
            Some((m, m.last_of_month()))
        }
        _ => year_span(i64::from(d.year()) + shift),
    }
}

fn adjacent_or_spaced(ws: &[Tok<'_>], a: usize, b: usize) -> bool {
    // Tokens are consecutive non-space tokens; a line break between them ends the expression.
    !ws[b].after_break || a == b
}

pub(crate) fn find(lex: &Lexicon, ws: &[Tok<'_>], published: Option<Date>) -> Vec<DateExpr> {
    Matcher { lex, ws, published }.find()
}
