//! Date expressions in short sentences written for these tests: each case is data
//! (text, publication date, expected expression text, date, end, precision, kind).

use proptest::prelude::*;
use sitrep_expr::{Date, DateKind, find_dates};
use sitrep_text::TextRange;

use DateKind::*;

/// Friday 4 November 2016.
const FRI: &str = "2016-11-04";
/// Wednesday 20 January 2016.
const JAN: &str = "2016-01-20";
/// Tuesday 20 December 2016.
const DEC: &str = "2016-12-20";

/// (text, published, expected: [(expression, date, end, precision, kind)]); dates as
/// "YYYY-MM-DD" or "" for none.
type Case = (&'static str, &'static str, &'static [(&'static str, &'static str, &'static str, u8, DateKind)]);

const CASES: &[Case] = &[
    // Names that contain a date are not dates; the same date before an ordinary word is.
    ("Police raided a flat in the October 6 suburb of the capital.", FRI, &[]),
    ("Students marched from 6th of October City to the ministry.", FRI, &[]),
    ("Members of the April 6 Youth Movement were detained.", FRI, &[]),
    ("On 6 October city officials closed the market.", FRI, &[("On 6 October", "2016-10-06", "", 1, Relative)]),
    // Weekdays: the most recent one on or before publication.
    ("Troops entered the city on Thursday.", FRI, &[("on Thursday", "2016-11-03", "", 1, Relative)]),
    ("Shelling resumed Thursday night.", FRI, &[("Thursday night", "2016-11-03", "", 1, Relative)]),
    ("Gunmen attacked the checkpoint early Saturday.", FRI, &[("early Saturday", "2016-10-29", "", 1, Relative)]),
    ("The strike hit a market Saturday morning.", FRI, &[("Saturday morning", "2016-10-29", "", 1, Relative)]),
    ("Police said on Friday that two men were held.", FRI, &[("on Friday", "2016-11-04", "", 1, Relative)]),
    ("The convoy was ambushed last Friday.", FRI, &[("last Friday", "2016-10-28", "", 1, Relative)]),
    ("Thursday's attack killed four.", FRI, &[("Thursday", "2016-11-03", "", 1, Relative)]),
    // Future: a cue word before the weekday, or "next".
    ("The council will meet on Monday.", FRI, &[("on Monday", "2016-11-07", "", 1, Future)]),
    ("Talks are scheduled for next Tuesday.", FRI, &[("next Tuesday", "2016-11-08", "", 1, Future)]),
    // A plan word points forward only when it leads to the date or a verb, not as a noun nearby.
    ("The vote is scheduled for 4 January.", DEC, &[("4 January", "2017-01-04", "", 1, Future)]),
    ("The union plans to march on 4 January.", DEC, &[("on 4 January", "2017-01-04", "", 1, Future)]),
    (
        "Farmers rallied against the zoning plan in the town on 4 January.",
        JAN,
        &[("on 4 January", "2016-01-04", "", 1, Relative)],
    ),
    ("Crowds marched against the new land plan on 4 January.", JAN, &[("on 4 January", "2016-01-04", "", 1, Relative)]),
    ("The council vote is due on 4 January.", DEC, &[("on 4 January", "2017-01-04", "", 1, Future)]),
    ("Men accused of a plan to riot were detained on Monday.", FRI, &[("on Monday", "2016-10-31", "", 1, Relative)]),
    (
        "Students planned protests, and police raided the campus on Monday.",
        FRI,
        &[("on Monday", "2016-10-31", "", 1, Relative)],
    ),
    // Days around publication.
    ("Two soldiers died yesterday.", FRI, &[("yesterday", "2016-11-03", "", 1, Relative)]),
    ("Protests continued today in the capital.", FRI, &[("today", "2016-11-04", "", 1, Relative)]),
    ("Rockets fell overnight on the northern suburbs.", FRI, &[("overnight", "2016-11-03", "", 1, Relative)]),
    ("A bomb exploded last night near the port.", FRI, &[("last night", "2016-11-03", "", 1, Relative)]),
    ("Aid is expected to arrive tomorrow.", FRI, &[("tomorrow", "2016-11-05", "", 1, Future)]),
    (
        "Fighting broke out the day before yesterday.",
        FRI,
        &[("the day before yesterday", "2016-11-02", "", 1, Relative)],
    ),
    // Since.
    ("Families have fled since Monday.", FRI, &[("since Monday", "2016-10-31", "2016-11-04", 2, Since)]),
    ("The group has held the town since 2014.", FRI, &[("since 2014", "2014-01-01", "2014-12-31", 3, Background)]),
    ("Clashes over the past week killed dozens.", FRI, &[("over the past week", "2016-10-28", "2016-11-04", 2, Since)]),
    // Weeks and months.
    ("Militants seized the village last week.", FRI, &[("last week", "2016-10-24", "2016-10-30", 2, Relative)]),
    ("The offensive began two weeks ago.", FRI, &[("two weeks ago", "2016-10-17", "2016-10-23", 2, Relative)]),
    ("Three days ago the road was cut.", FRI, &[("Three days ago", "2016-11-01", "", 1, Relative)]),
    ("A few days ago the road was cut.", FRI, &[("A few days ago", "2016-11-01", "", 2, Relative)]),
    ("Riots spread this week.", FRI, &[("this week", "2016-10-31", "2016-11-04", 2, Relative)]),
    ("Elections are due next week.", FRI, &[("next week", "2016-11-07", "2016-11-13", 2, Future)]),
    ("The camp opened last month.", FRI, &[("last month", "2016-10-01", "2016-10-31", 3, Relative)]),
    ("Earlier this month the army retreated.", FRI, &[("Earlier this month", "2016-11-01", "2016-11-04", 3, Relative)]),
    ("Strikes intensified in March.", FRI, &[("in March", "2016-03-01", "2016-03-31", 3, Relative)]),
    ("Strikes intensified in December.", FRI, &[("in December", "2015-12-01", "2015-12-31", 3, Relative)]),
    ("Hundreds marched at the weekend.", FRI, &[("at the weekend", "2016-10-29", "2016-10-30", 2, Relative)]),
    ("Hundreds marched over the weekend.", FRI, &[("over the weekend", "2016-10-29", "2016-10-30", 2, Relative)]),
    ("Fighting eased in mid-December.", DEC, &[("in mid-December", "2016-12-11", "2016-12-20", 2, Relative)]),
    ("Fighting eased in early October.", FRI, &[("in early October", "2016-10-01", "2016-10-10", 2, Relative)]),
    // Calendar dates.
    ("Rebels took the town on Dec. 13.", DEC, &[("on Dec. 13", "2016-12-13", "", 1, Relative)]),
    ("Rebels took the town on December 13.", DEC, &[("on December 13", "2016-12-13", "", 1, Relative)]),
    ("Rebels took the town on 13 December 2015.", FRI, &[("on 13 December 2015", "2015-12-13", "", 1, Absolute)]),
    ("Rebels took the town on Dec 13, 2015.", FRI, &[("on Dec 13, 2015", "2015-12-13", "", 1, Absolute)]),
    ("Rebels took the town on 2015-12-13.", FRI, &[("on 2015-12-13", "2015-12-13", "", 1, Absolute)]),
    ("Rebels took the town on 13/12/2015.", FRI, &[("on 13/12/2015", "2015-12-13", "", 1, Absolute)]),
    ("Rebels took the town on 13.12.2015.", FRI, &[("on 13.12.2015", "2015-12-13", "", 1, Absolute)]),
    (
        "Rebels took the town on the 13th of December.",
        DEC,
        &[("on the 13th of December", "2016-12-13", "", 1, Relative)],
    ),
    ("Rebels took the town on Thursday, Nov. 3.", FRI, &[("on Thursday, Nov. 3", "2016-11-03", "", 1, Relative)]),
    ("Talks were held Nov. 1-3 in Geneva.", FRI, &[("Nov. 1-3", "2016-11-01", "2016-11-03", 2, Relative)]),
    ("The vote is set for Nov. 10.", FRI, &[("Nov. 10", "2016-11-10", "", 1, Future)]),
    ("ISIS seized Mosul in June 2014.", FRI, &[("in June 2014", "2014-06-01", "2014-06-30", 3, Background)]),
    ("The siege began in September 2016.", FRI, &[("in September 2016", "2016-09-01", "2016-09-30", 3, Absolute)]),
    // Background.
    ("The city fell to the group in 2014.", FRI, &[("in 2014", "2014-01-01", "2014-12-31", 3, Background)]),
    ("Two years ago the dam was captured.", FRI, &[("Two years ago", "2014-01-01", "2014-12-31", 3, Background)]),
    ("Last year the dam was captured.", FRI, &[("Last year", "2015-01-01", "2015-12-31", 3, Background)]),
    // Several expressions in one sentence, in order.
    (
        "Since Monday, after the raid on Oct. 30, troops have advanced.",
        FRI,
        &[("Since Monday", "2016-10-31", "2016-11-04", 2, Since), ("on Oct. 30", "2016-10-30", "", 1, Relative)],
    ),
    // Not dates.
    ("Officials may retreat, and protesters march peacefully.", FRI, &[]),
    ("He said 2,000 people were hurt at 5 p.m.", FRI, &[]),
    ("May God protect us, the imam said.", FRI, &[]),
    ("The day was long.", FRI, &[]),
    ("Commanders expect the battle to last weeks.", FRI, &[]),
    ("In the last days of the siege, food ran out.", FRI, &[]),
    // Without a publication date, relative expressions have no date.
    ("Troops entered the city on Thursday.", "", &[("on Thursday", "", "", 1, Relative)]),
    ("Militants seized the village last week.", "", &[("last week", "", "", 2, Relative)]),
    ("Rebels took the town on Dec. 13.", "", &[("on Dec. 13", "", "", 1, Relative)]),
    ("Rebels took the town on 13 December 2015.", "", &[("on 13 December 2015", "2015-12-13", "", 1, Absolute)]),
    ("The city fell in 2014.", "", &[("in 2014", "2014-01-01", "2014-12-31", 3, Background)]),
];

/// A found expression as compared: (text, date, end, precision, kind).
type Seen<'a> = (&'a str, Option<Date>, Option<Date>, u8, DateKind);

fn date(s: &str) -> Option<Date> {
    (!s.is_empty()).then(|| s.parse().expect("test date"))
}

#[test]
fn date_cases() {
    let mut failures = Vec::new();
    for (text, published, want) in CASES {
        let got = find_dates(text, TextRange::full(text), date(published));
        let got: Vec<Seen<'_>> = got.iter().map(|d| (&text[d.range], d.date, d.end, d.precision, d.kind)).collect();
        let want: Vec<Seen<'_>> = want.iter().map(|(s, d, e, p, k)| (*s, date(d), date(e), *p, *k)).collect();
        if got != want {
            failures.push(format!("{text:?} (published {published:?})\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn regions_limit_the_search_and_keep_absolute_offsets() {
    let text = "Yesterday: headline. Troops left on Thursday.";
    let start = text.find("Troops").unwrap();
    let found = find_dates(text, TextRange::new(start, text.len()), date(FRI));
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].range], "on Thursday");
}

#[test]
fn midpoint_of_spans() {
    let text = "The camp opened last month.";
    let d = find_dates(text, TextRange::full(text), date(FRI))[0];
    assert_eq!(d.midpoint(), date("2016-10-16"));
    let text = "on Thursday";
    let d = find_dates(text, TextRange::full(text), date(FRI))[0];
    assert_eq!(d.midpoint(), date("2016-11-03"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn never_panics_and_ranges_are_valid(
        words in proptest::collection::vec(prop_oneof![
            Just("on"), Just("Thursday"), Just("last"), Just("week"), Just("Dec."), Just("13"), Just(","),
            Just("2015"), Just("-"), Just("/"), Just("ago"), Just("two"), Just("since"), Just("the"),
            Just("past"), Just("mid"), Just("early"), Just("March"), Just("in"), Just("weekend"), Just("13th"),
            Just("of"), Just("31"), Just("02"), Just("29.02.2015"), Just("9999"), Just("a"), Just("few"),
            Just("days"), Just("coming"), Just("will"), Just("\n"), Just("é"), Just("€"), Just("4294967296"),
        ], 0..25),
        glue in proptest::collection::vec(prop_oneof![Just(""), Just(" ")], 25),
        noise in "\\PC{0,8}",
        y in 1i16..9999, m in 1i8..=12, d in 1i8..=28, has_pub in any::<bool>(),
    ) {
        let mut text = String::new();
        for (i, w) in words.iter().enumerate() {
            text.push_str(w);
            text.push_str(glue[i]);
        }
        text.push_str(&noise);
        let published = has_pub.then(|| Date::new(y, m, d).unwrap());
        let found = find_dates(&text, TextRange::full(&text), published);
        let mut last_end = 0;
        for e in &found {
            prop_assert!(e.range.is_valid_for(&text));
            prop_assert!(e.range.start() >= last_end, "overlap in {:?}", text);
            prop_assert!(!e.range.is_empty());
            prop_assert!((1..=3).contains(&e.precision));
            if let (Some(a), Some(b)) = (e.date, e.end) {
                prop_assert!(a <= b, "{:?} ends before it starts in {:?}", e, text);
            }
            prop_assert!(e.end.is_none() || e.date.is_some());
            last_end = e.range.end();
        }
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,80}", y in 1i16..9999) {
        let published = Date::new(y, 1, 1).ok();
        for e in find_dates(&text, TextRange::full(&text), published) {
            prop_assert!(e.range.is_valid_for(&text));
        }
    }
}

/// The combined call reads the words once and finds exactly what the two calls find.
#[test]
fn dates_and_numbers_together_match_separate_calls() {
    let mut texts: Vec<&str> = CASES.iter().map(|(text, _, _)| *text).collect();
    texts.push("At least 12 people were killed on Monday and dozens wounded in clashes since March 3, police said.");
    let published = date(FRI);
    let mut with_numbers = 0;
    for text in texts {
        let region = TextRange::full(text);
        let (dates, numbers) = sitrep_expr::find_dates_and_numbers(text, region, published);
        assert_eq!(dates, find_dates(text, region, published), "dates of {text:?}");
        assert_eq!(numbers, sitrep_expr::find_numbers(text, region), "numbers of {text:?}");
        with_numbers += usize::from(!numbers.is_empty());
    }
    assert!(with_numbers > 0, "some text has a count");
}

#[test]
fn calendar_dates_are_told_from_relative_ones() {
    let text = "Gunmen struck on Sunday [21 February]; today, 13/12/2015 and two days ago were calm.";
    let published: Date = "2016-02-29".parse().unwrap();
    let found: Vec<(&str, bool)> =
        find_dates(text, TextRange::full(text), Some(published)).iter().map(|d| (&text[d.range], d.calendar)).collect();
    assert_eq!(
        found,
        [("on Sunday", false), ("21 February", true), ("today", false), ("13/12/2015", true), ("two days ago", false)]
    );
}
