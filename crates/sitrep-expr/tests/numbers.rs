//! Counts: `parse_count` on phrases and `find_numbers` on short sentences written for
//! these tests. Each case is data.

use proptest::prelude::*;
use sitrep_expr::{Count, find_numbers, parse_count};
use sitrep_text::TextRange;

use Count::*;

const fn vague(value: u32, word: &'static str) -> Count {
    Vague { value, word }
}

/// (phrase, count, lowest).
const PHRASES: &[(&str, Count, u32)] = &[
    ("12", Exact(12), 12),
    ("100,000", Exact(100_000), 100_000),
    ("3.5 million", Exact(3_500_000), 3_500_000),
    ("200 thousand", Exact(200_000), 200_000),
    ("three", Exact(3), 3),
    ("one", Exact(1), 1),
    ("twenty-five", Exact(25), 25),
    ("Twenty five", Exact(25), 25),
    ("one hundred and twenty", Exact(120), 120),
    ("two thousand five hundred", Exact(2500), 2500),
    ("a hundred", Exact(100), 100),
    ("a dozen", Exact(12), 12),
    ("two dozen", Exact(24), 24),
    ("half a dozen", Exact(6), 6),
    ("at least 12", AtLeast(12), 12),
    ("At least one", AtLeast(1), 1),
    ("more than 20", AtLeast(20), 20),
    ("over 200", AtLeast(200), 200),
    ("no fewer than 40", AtLeast(40), 40),
    ("more than a dozen", AtLeast(12), 12),
    ("10 or more", AtLeast(10), 10),
    ("up to 30", AtMost(30), 30),
    ("as many as 50", AtMost(50), 50),
    ("nearly 40", AtMost(40), 40),
    ("fewer than 10", AtMost(9), 9),
    ("between 5 and 10", Between(5, 10), 5),
    ("between five and ten", Between(5, 10), 5),
    ("5-10", Between(5, 10), 5),
    ("20 to 30", Between(20, 30), 20),
    ("five or six", Between(5, 6), 5),
    ("about 300", Exact(300), 300),
    ("some 5,000", Exact(5000), 5000),
    ("an estimated 1,500", Exact(1500), 1500),
    ("around a dozen", Exact(12), 12),
    ("dozens", vague(12, "dozens"), 12),
    ("Dozens", vague(12, "dozens"), 12),
    ("several", vague(3, "several"), 3),
    ("a few", vague(3, "a few"), 3),
    ("scores", vague(20, "scores"), 20),
    ("tens", vague(10, "tens"), 10),
    ("hundreds", vague(100, "hundreds"), 100),
    ("thousands", vague(1000, "thousands"), 1000),
    ("tens of thousands", vague(10_000, "tens of thousands"), 10_000),
    ("hundreds of thousands", vague(100_000, "hundreds of thousands"), 100_000),
    ("several hundred", vague(300, "several"), 300),
    ("a few thousand", vague(3000, "a few"), 3000),
    ("several dozen", vague(36, "several"), 36),
    ("at least 12.", AtLeast(12), 12),
];

/// Phrases that are not (only) a count.
const NOT_COUNTS: &[&str] = &["", "killed", "12 people", "hundred", "between 5", "at least", "3.5", "some", "and"];

#[test]
fn parse_count_cases() {
    let mut failures = Vec::new();
    for (phrase, want, lowest) in PHRASES {
        let got = parse_count(phrase);
        if got != Some(*want) || got.map(|c| c.lowest()) != Some(*lowest) {
            failures.push(format!("{phrase:?}: want {want:?} (lowest {lowest}), got {got:?}"));
        }
    }
    for phrase in NOT_COUNTS {
        if let Some(c) = parse_count(phrase) {
            failures.push(format!("{phrase:?} is not a count, got {c:?}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// (sentence, expected counts in order: (text, count)).
const SENTENCES: &[(&str, &[(&str, Count)])] = &[
    (
        "At least 12 people were killed and dozens wounded in the 2014 attacks.",
        &[("At least 12", AtLeast(12)), ("dozens", vague(12, "dozens"))],
    ),
    (
        "Around 100,000 troops and a 1,200-strong militia joined.",
        &[("Around 100,000", Exact(100_000)), ("1,200", Exact(1200))],
    ),
    ("Twenty-five civilians and three soldiers died.", &[("Twenty-five", Exact(25)), ("three", Exact(3))]),
    (
        "Between 5 and 10 houses burned; five or six cars too.",
        &[("Between 5 and 10", Between(5, 10)), ("five or six", Between(5, 6))],
    ),
    ("Tens of thousands fled, the U.N. said.", &[("Tens of thousands", vague(10_000, "tens of thousands"))]),
    (
        "Up to 30 fighters and several hundred civilians were trapped.",
        &[("Up to 30", AtMost(30)), ("several hundred", vague(300, "several"))],
    ),
    ("2000 people marched.", &[("2000", Exact(2000))]),
    (
        "One or two shells and several dozen rockets hit.",
        &[("One or two", Between(1, 2)), ("several dozen", vague(36, "several"))],
    ),
    ("More than 2000 people marched.", &[("More than 2000", AtLeast(2000))]),
    // Not counts: years, times, dates, percentages, money, ages, serial numbers, decimals, "one".
    ("The city fell in 2014 and again in June 2016.", &[]),
    ("The blast came at 5 p.m. and a second at 10:30.", &[]),
    ("It happened on Dec. 13, on 13 December and on 13/12/2015 or 2015-12-13.", &[]),
    ("Turnout was 45% and the fine $5 or 30 percent.", &[]),
    ("A 25-year-old man and a 3-day truce.", &[]),
    ("Route No. 5 was shut; inflation hit 3.5 in one month.", &[]),
    ("One soldier was killed.", &[]),
    ("The offensive began two weeks ago and lasted 24 hours.", &[]),
    ("For more than two years it was a thousand times worse.", &[]),
    ("The siege lasted several days and dozens of hours.", &[]),
];

#[test]
fn find_numbers_cases() {
    let mut failures = Vec::new();
    for (text, want) in SENTENCES {
        let got = find_numbers(text, TextRange::full(text));
        let got: Vec<(&str, Count)> = got.iter().map(|q| (&text[q.range], q.count)).collect();
        if got != *want {
            failures.push(format!("{text:?}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), SENTENCES.len(), failures.join("\n"));
}

#[test]
fn regions_keep_absolute_offsets() {
    let text = "12 dead. Later, dozens fled.";
    let start = text.find("Later").unwrap();
    let found = find_numbers(text, TextRange::new(start, text.len()));
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].range], "dozens");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn never_panics_and_ranges_are_valid(
        words in proptest::collection::vec(prop_oneof![
            Just("at"), Just("least"), Just("12"), Just("1,200"), Just("3.5"), Just("million"), Just("-"),
            Just("twenty"), Just("five"), Just("hundred"), Just("and"), Just("between"), Just("dozens"),
            Just("of"), Just("thousands"), Just("a"), Just("dozen"), Just("or"), Just("more"), Just("to"),
            Just("99999999999999999999"), Just("4294967296"), Just("billion"), Just("%"), Just("$"),
            Just("fewer"), Just("than"), Just("0"), Just("٣"), Just("\n"), Just("+"),
        ], 0..25),
        glue in proptest::collection::vec(prop_oneof![Just(""), Just(" ")], 25),
        noise in "\\PC{0,8}",
    ) {
        let mut text = String::new();
        for (i, w) in words.iter().enumerate() {
            text.push_str(w);
            text.push_str(glue[i]);
        }
        text.push_str(&noise);
        let mut last_end = 0;
        for q in find_numbers(&text, TextRange::full(&text)) {
            prop_assert!(q.range.is_valid_for(&text));
            prop_assert!(q.range.start() >= last_end);
            prop_assert!(!q.range.is_empty());
            if let Count::Between(a, b) = q.count {
                prop_assert!(a <= b);
            }
            last_end = q.range.end();
        }
        let _ = parse_count(&text);
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC{0,80}") {
        for q in find_numbers(&text, TextRange::full(&text)) {
            prop_assert!(q.range.is_valid_for(&text));
        }
        let _ = parse_count(&text);
    }
}
