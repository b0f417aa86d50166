//! Sentence splitting on short wire-style texts written for these tests, and the
//! invariants of a segmentation checked on arbitrary text.

use proptest::prelude::*;
use sitrep_segment::{Segmentation, Segmenter, TokenKind, segment, segment_region};
use sitrep_text::TextRange;

/// (text, the sentences expected, in order). `\n\n` is a paragraph break.
const CASES: &[(&str, &[&str])] = &[
    // Titles and ranks never end a sentence.
    (
        "Brig. Gen. Yahya Rasool said Lt. Col. Ali Hamid was wounded. Dr. Salim treated him.",
        &["Brig. Gen. Yahya Rasool said Lt. Col. Ali Hamid was wounded.", "Dr. Salim treated him."],
    ),
    (
        "Gov. Nasir and Sen. Rubio met Mr. Jones at St. Joseph hospital. They spoke briefly.",
        &["Gov. Nasir and Sen. Rubio met Mr. Jones at St. Joseph hospital.", "They spoke briefly."],
    ),
    // Dotted acronyms: inside a sentence before a name, at its end before a starter.
    (
        "U.S. officials and U.N. monitors visited Aleppo. The U.K. Foreign Office agreed.",
        &["U.S. officials and U.N. monitors visited Aleppo.", "The U.K. Foreign Office agreed."],
    ),
    (
        "Troops arrived from the U.S. The convoy left at dawn.",
        &["Troops arrived from the U.S.", "The convoy left at dawn."],
    ),
    ("Aid was sent by the U.N. World Food Programme.", &["Aid was sent by the U.N. World Food Programme."]),
    // Numbers and months before numbers.
    (
        "The clash on Jan. 13 left 1,200 families homeless. About 3.5 million people need aid.",
        &["The clash on Jan. 13 left 1,200 families homeless.", "About 3.5 million people need aid."],
    ),
    (
        "Route No. 1 was closed in Feb. 2022 after the attack. No. Nobody could pass.",
        &["Route No. 1 was closed in Feb. 2022 after the attack.", "No.", "Nobody could pass."],
    ),
    (
        "Fighting resumed in Sept. Officials blamed the rebels.",
        &["Fighting resumed in Sept.", "Officials blamed the rebels."],
    ),
    ("The 1,200-strong unit moved 100,000 rounds.", &["The 1,200-strong unit moved 100,000 rounds."]),
    // Times.
    (
        "The blast hit at 5 p.m. Monday near the market. It killed four.",
        &["The blast hit at 5 p.m. Monday near the market.", "It killed four."],
    ),
    (
        "The curfew starts at 9 p.m. Police will patrol the streets.",
        &["The curfew starts at 9 p.m.", "Police will patrol the streets."],
    ),
    // Initials.
    (
        "President George W. Bush met Gen. David H. Petraeus in Baghdad. They discussed the surge.",
        &["President George W. Bush met Gen. David H. Petraeus in Baghdad.", "They discussed the surge."],
    ),
    // Latin abbreviations.
    (
        "Some towns, e.g. Tal Afar, stayed calm. Others did not.",
        &["Some towns, e.g. Tal Afar, stayed calm.", "Others did not."],
    ),
    // Closing quotes after the full stop.
    (
        "Commanders expect fighting “from house to house.” Officials said the push would last weeks.",
        &["Commanders expect fighting “from house to house.”", "Officials said the push would last weeks."],
    ),
    (
        "He said \"we will not retreat.\" The crowd cheered.",
        &["He said \"we will not retreat.\"", "The crowd cheered."],
    ),
    ("“Where are they?” she asked. Nobody knew.", &["“Where are they?” she asked.", "Nobody knew."]),
    ("The mayor spoke. “We need water,” he said.", &["The mayor spoke.", "“We need water,” he said."]),
    (
        "The camp is full (aid workers say so.) More arrive daily.",
        &["The camp is full (aid workers say so.)", "More arrive daily."],
    ),
    // Exclamations, questions, ellipses.
    ("Help us! Nobody came. Why? Roads were cut.", &["Help us!", "Nobody came.", "Why?", "Roads were cut."]),
    (
        "The shelling went on and on... and then stopped. Silence followed… Then sirens.",
        &["The shelling went on and on... and then stopped.", "Silence followed…", "Then sirens."],
    ),
    // A sentence may start with a number or a symbol.
    ("Two convoys were hit. 25 people died.", &["Two convoys were hit.", "25 people died."]),
    // Datelines belong to the first sentence.
    (
        "MOSUL, Iraq (CNN) — Iraqi troops pushed into the city on Thursday. Residents fled east.",
        &["MOSUL, Iraq (CNN) — Iraqi troops pushed into the city on Thursday.", "Residents fled east."],
    ),
    (
        "BAGHDAD, Nov. 3 (Reuters) - Two bombs exploded in the capital.",
        &["BAGHDAD, Nov. 3 (Reuters) - Two bombs exploded in the capital."],
    ),
    // Paragraph breaks always end a sentence; headlines have no final punctuation.
    (
        "Troops enter Mosul for first time since 2014\n\nIraqi troops entered the city on Thursday, officials said.",
        &["Troops enter Mosul for first time since 2014", "Iraqi troops entered the city on Thursday, officials said."],
    ),
    ("Gen.\n\nTahsin spoke.", &["Gen.", "Tahsin spoke."]),
    // A headline on its own line before the body, without a blank line.
    (
        "Troops enter Mosul\nMOSUL, Iraq (CNN) — Iraqi forces entered the city on Thursday after two weeks of fighting.",
        &[
            "Troops enter Mosul",
            "MOSUL, Iraq (CNN) — Iraqi forces entered the city on Thursday after two weeks of fighting.",
        ],
    ),
    (
        "Iraqi Troops Enter Eastern Mosul Districts\nIraqi forces entered the city on Thursday after a long siege.",
        &[
            "Iraqi Troops Enter Eastern Mosul Districts",
            "Iraqi forces entered the city on Thursday after a long siege.",
        ],
    ),
    // Hard-wrapped lines inside a paragraph do not end a sentence.
    (
        "Iraqi forces entered the eastern outskirts of the city on Thursday\nafter two weeks of heavy fighting with the militants, a defence\nofficial said. Residents fled.",
        &[
            "Iraqi forces entered the eastern outskirts of the city on Thursday\nafter two weeks of heavy fighting with the militants, a defence\nofficial said.",
            "Residents fled.",
        ],
    ),
    (
        "Iraqi forces entered the eastern outskirts of the city on Thursday\nAnd officials said the advance would continue into the old city soon.",
        &[
            "Iraqi forces entered the eastern outskirts of the city on Thursday\nAnd officials said the advance would continue into the old city soon.",
        ],
    ),
    // Bylines and list items on their own lines.
    (
        "By Sara Haddad\nCNN\nThe demands were:\n• a ceasefire\n• safe corridors",
        &["By Sara Haddad", "CNN", "The demands were:", "• a ceasefire", "• safe corridors"],
    ),
    // Possessives, hyphens and other scripts.
    ("The group’s leader fled. ISIS’ fighters stayed.", &["The group’s leader fled.", "ISIS’ fighters stayed."]),
    ("قتل خمسة أشخاص. وأصيب عشرة آخرون.", &["قتل خمسة أشخاص.", "وأصيب عشرة آخرون."]),
    ("部队进入城市。居民逃离。", &["部队进入城市。", "居民逃离。"]),
    // Nothing but whitespace.
    (" \n\n \t", &[]),
];

fn sentences<'a>(text: &'a str, seg: &Segmentation) -> Vec<&'a str> {
    seg.sentences.iter().map(|s| &text[s.range]).collect()
}

#[test]
fn splits_tricky_news_text() {
    let mut failures = Vec::new();
    for (text, want) in CASES {
        let seg = segment(text);
        check_invariants(text, TextRange::full(text), &seg);
        let got = sentences(text, &seg);
        if got != *want {
            failures.push(format!("text: {text:?}\n  want: {want:?}\n  got:  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn paragraphs_are_numbered() {
    let text = "Headline here\n\nFirst body sentence. Second one.\r\n\r\nLast paragraph.\n";
    let seg = segment(text);
    let paras: Vec<&str> = seg.paragraphs.iter().map(|p| &text[*p]).collect();
    assert_eq!(paras, ["Headline here", "First body sentence. Second one.", "Last paragraph."]);
    let of: Vec<u32> = seg.sentences.iter().map(|s| s.paragraph).collect();
    assert_eq!(of, [0, 1, 1, 2]);
}

#[test]
fn regions_keep_absolute_offsets() {
    let text = "IGNORED HEADER. Troops advanced. They held the bridge. TRAILER";
    let start = text.find("Troops").unwrap();
    let end = text.find(" TRAILER").unwrap();
    let seg = segment_region(text, TextRange::new(start, end));
    assert_eq!(sentences(text, &seg), ["Troops advanced.", "They held the bridge."]);
    assert_eq!(seg.tokens.first().unwrap().range.start(), start);
    assert_eq!(seg.tokens.last().unwrap().range.end(), end);
    // A region beyond the text or inside a character is clamped, not a panic.
    let t = "Café bombed.";
    let seg = segment_region(t, TextRange::new(4, 100));
    check_invariants(t, TextRange::new(5, t.len()), &seg);
    assert_eq!(sentences(t, &seg), ["bombed."]);
}

#[test]
fn sentence_at_and_words() {
    let text = "Two were killed.  Police said 12 were hurt.";
    let seg = segment(text);
    assert_eq!(seg.sentence_at(0), Some(0));
    assert_eq!(seg.sentence_at(15), Some(0));
    assert_eq!(seg.sentence_at(16), None, "the gap between sentences belongs to none");
    assert_eq!(seg.sentence_at(18), Some(1));
    assert_eq!(seg.sentence_at(text.len()), None);
    let words: Vec<&str> = seg.words(text, 1).map(|(_, w)| w).collect();
    assert_eq!(words, ["Police", "said", "12", "were", "hurt"]);
    for (r, w) in seg.words(text, 1) {
        assert_eq!(&text[r], w);
    }
    assert_eq!(seg.words(text, 9).count(), 0);
    let kinds: Vec<TokenKind> = seg.sentence_tokens(0).iter().map(|t| t.kind).collect();
    use TokenKind::*;
    assert_eq!(kinds, [Word, Space, Word, Space, Word, Punct]);
}

#[test]
fn users_can_extend_the_lists() {
    let text = "The 3rd Bde. Commander spoke. Then he left.";
    assert_eq!(segment(text).sentences.len(), 3);
    let mut s = Segmenter::new();
    s.extend_abbreviations("# brigade\nBde.\tnever\n", "extra.tsv").unwrap();
    assert_eq!(sentences(text, &s.segment(text)), ["The 3rd Bde. Commander spoke.", "Then he left."]);
    let err = s.extend_abbreviations("Bde.\tnever\nRgt.\talways\n", "extra.tsv").unwrap_err();
    assert_eq!(err.to_string(), "extra.tsv:2: field `kind`: \"always\" is not one of never, number, acronym, maybe");

    let text = "Supplies came from the U.S. Officials confirmed it.";
    assert_eq!(segment(text).sentences.len(), 1, "\"Officials\" is not a sentence starter by default");
    s.extend_sentence_starters("Officials\n", "starters.txt").unwrap();
    assert_eq!(s.segment(text).sentences.len(), 2);

    let text = "It began at 6 a.m. Ramadan prayers followed.";
    assert_eq!(segment(text).sentences.len(), 2);
    s.extend_continuations("Ramadan\n", "cont.txt").unwrap();
    assert_eq!(s.segment(text).sentences.len(), 1);

    // Without lists every full stop before a capital splits.
    let bare = Segmenter::without_lists();
    assert_eq!(bare.segment("Gen. Ali spoke.").sentences.len(), 2);
}

fn check_invariants(text: &str, region: TextRange, seg: &Segmentation) {
    // Tokens tile the region exactly.
    let mut pos = region.start();
    for t in &seg.tokens {
        assert_eq!(t.range.start(), pos, "tokens must be contiguous in {text:?}");
        assert!(!t.range.is_empty(), "empty token in {text:?}");
        assert!(t.range.is_valid_for(text), "token off char boundary in {text:?}");
        pos = t.range.end();
    }
    assert_eq!(pos, region.end());
    let joined: String = seg.tokens.iter().map(|t| &text[t.range]).collect();
    assert_eq!(joined, &text[region]);
    // Sentences: sorted, disjoint, inside the region and their paragraph, trimmed, consistent with tokens.
    let mut last_end = region.start();
    for s in &seg.sentences {
        assert!(s.range.start() >= last_end, "sentences overlap or are unsorted in {text:?}");
        assert!(!s.range.is_empty());
        assert!(region.contains_range(s.range));
        assert!(s.range.is_valid_for(text));
        let para = seg.paragraphs[s.paragraph as usize];
        assert!(para.contains_range(s.range), "sentence outside its paragraph in {text:?}");
        let toks = &seg.tokens[s.tokens.start as usize..s.tokens.end as usize];
        assert_eq!(toks.first().unwrap().range.start(), s.range.start());
        assert_eq!(toks.last().unwrap().range.end(), s.range.end());
        assert_ne!(toks.first().unwrap().kind, TokenKind::Space);
        assert_ne!(toks.last().unwrap().kind, TokenKind::Space);
        last_end = s.range.end();
    }
    // Every non-whitespace token belongs to a sentence.
    let covered: usize = seg.sentences.iter().map(|s| (s.tokens.end - s.tokens.start) as usize).sum();
    let spaces_inside: usize = seg
        .sentences
        .iter()
        .map(|s| {
            seg.tokens[s.tokens.start as usize..s.tokens.end as usize]
                .iter()
                .filter(|t| t.kind == TokenKind::Space)
                .count()
        })
        .sum();
    let non_space = seg.tokens.iter().filter(|t| t.kind != TokenKind::Space).count();
    assert_eq!(covered - spaces_inside, non_space, "a token outside every sentence in {text:?}");
    // Paragraphs sorted and disjoint.
    for w in seg.paragraphs.windows(2) {
        assert!(w[0].end() < w[1].start());
    }
}

/// Text made of pieces that stress the splitter: abbreviations, quotes, line breaks, Unicode.
fn newsish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Gen.".to_owned()),
        Just("U.S.".to_owned()),
        Just("p.m.".to_owned()),
        Just("No.".to_owned()),
        Just("W.".to_owned()),
        Just("e.g.".to_owned()),
        Just("1,200".to_owned()),
        Just("3.5".to_owned()),
        Just("group’s".to_owned()),
        Just("”".to_owned()),
        Just("\"".to_owned()),
        Just("...".to_owned()),
        Just("…".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("\r\n".to_owned()),
        Just(" ".to_owned()),
        Just("The".to_owned()),
        Just("killed".to_owned()),
        Just("MOSUL,".to_owned()),
        Just("—".to_owned()),
        Just("• ".to_owned()),
        Just("\u{301}".to_owned()),
        Just("\u{200B}".to_owned()),
        Just("。".to_owned()),
        "[a-zA-Z]{1,8}",
        "[.!?,;:'()-]",
        "\\PC{1,3}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.join(""))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(700))]

    #[test]
    fn invariants_hold_on_newsish_text(text in newsish()) {
        let seg = segment(&text);
        check_invariants(&text, TextRange::full(&text), &seg);
    }

    #[test]
    fn invariants_hold_on_any_text(text in "\\PC{0,60}|(\\PC|\\s){0,60}") {
        let seg = segment(&text);
        check_invariants(&text, TextRange::full(&text), &seg);
    }

    #[test]
    fn regions_are_clamped_and_tiled(text in newsish(), a in 0usize..200, b in 0usize..200) {
        let (a, b) = (a.min(b), a.max(b));
        let seg = segment_region(&text, TextRange::new(a, b));
        // The effective region: clamped to the text, moved inward to char boundaries.
        let mut e = b.min(text.len());
        let mut s = a.min(e);
        while !text.is_char_boundary(s) { s += 1; }
        while !text.is_char_boundary(e) { e -= 1; }
        let s = s.min(e);
        check_invariants(&text, TextRange::new(s, e), &seg);
    }
}
