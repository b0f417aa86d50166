//! Tests on the embedded gazetteer with short texts written for them.

use std::sync::Arc;

use sitrep_text::TextRange;

use crate::artifact::{Builder, Data, Row};
use crate::{Gazetteer, GeoHints, GeoParse, Usage};

fn gaz() -> Arc<Gazetteer> {
    Gazetteer::embedded().expect("the embedded gazetteer loads")
}

fn parse(text: &str) -> GeoParse {
    let p = gaz().geoparse(text, &GeoHints::body(text));
    check_spans(text, &p);
    p
}

fn check_spans(text: &str, p: &GeoParse) {
    assert_eq!(p.places.len(), p.usage.len());
    for m in &p.places {
        assert_eq!(&text[m.span.range()], m.span.text, "span text must slice the document");
    }
}

fn find<'a>(p: &'a GeoParse, surface: &str) -> Option<(usize, &'a sitrep_model::PlaceMention)> {
    p.places.iter().enumerate().find(|(_, m)| m.span.text == surface)
}

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    crate::resolve::haversine_km(a.0, a.1, b.0, b.1)
}

const MOSUL: (f64, f64) = (36.335, 43.119);

/// A report in the style of the seed article (sentences written for this test).
const REPORT: &str = "Iraqi troops push into Mosul\n\n\
Iraqi special forces fought their way into the eastern edge of Mosul on Tuesday, commanders said. \
Units reached the neighborhood of al Intisar after clearing the village of Gogjali on the outskirts. \
Families fleeing the fighting were driven to a camp in the town of Khazir, aid workers said. \
A coalition strike destroyed a truck on the al Khames bridge in the city center. \
Fighters were also seen moving from Mosul toward Raqqa in Syria, while others stayed in Iraq.";

#[test]
fn the_report_resolves_its_cities_and_countries() {
    let p = parse(REPORT);
    assert_eq!(p.focus_country.as_deref(), Some("IQ"));
    let (_, mosul) = find(&p, "Mosul").expect("Mosul found");
    assert_eq!(mosul.geonameid, Some(99072));
    assert_eq!(mosul.iso.as_deref(), Some("IQ"));
    assert_eq!(mosul.kind, "place");
    assert_eq!(mosul.geo_precision, Some(1));
    let (_, raqqa) = find(&p, "Raqqa").expect("Raqqa found");
    assert_eq!(raqqa.iso.as_deref(), Some("SY"));
    assert!(km((raqqa.latitude.unwrap(), raqqa.longitude.unwrap()), (35.95, 39.01)) < 10.0);
    let (_, syria) = find(&p, "Syria").expect("Syria found");
    assert_eq!((syria.kind, syria.iso.as_deref()), ("country", Some("SY")));
    let (i, iraq) = find(&p, "Iraq").expect("Iraq found");
    assert_eq!(iraq.kind, "country");
    // A country's own point, not its capital's (Baghdad is 33.34, 44.40).
    let point = (iraq.latitude.unwrap(), iraq.longitude.unwrap());
    assert!(km(point, (33.34, 44.40)) > 40.0, "{point:?}");
    let loc = p.location(i).expect("a country is a location");
    assert_eq!(loc.geo_precision, 3);
}

#[test]
fn names_the_gazetteer_lacks_are_placed_at_their_parent() {
    let p = parse(REPORT);
    for name in ["al Intisar", "Gogjali", "Khazir", "al Khames bridge"] {
        let (i, m) = find(&p, name).unwrap_or_else(|| panic!("{name} not found in {:#?}", p.places));
        assert_eq!(m.kind, "sub-place", "{name}");
        assert_eq!(m.geo_precision, Some(2), "{name}");
        let loc = p.location(i).unwrap_or_else(|| panic!("{name} has a location"));
        assert_eq!(loc.geo_precision, 2);
        assert_eq!(loc.name, name);
        assert!(km((loc.latitude, loc.longitude), MOSUL) < 30.0, "{name} at {loc:?}");
        assert!(matches!(p.usage[i], Usage::SubPlace { parent: Some(_) }));
    }
}

#[test]
fn demonyms_name_the_country_but_are_no_location() {
    let p = parse("Iraqi forces and Syrian rebels met near the border.");
    let (i, iraqi) = find(&p, "Iraqi").expect("Iraqi found");
    assert_eq!((iraqi.kind, iraqi.iso.as_deref()), ("demonym", Some("IQ")));
    assert!(p.location(i).is_none());
    assert_eq!(find(&p, "Syrian").unwrap().1.iso.as_deref(), Some("SY"));
}

#[test]
fn leftmost_longest_prefers_the_longer_name() {
    let p = parse("Troops entered Tal Afar, west of Mosul, on Sunday.");
    let (_, ta) = find(&p, "Tal Afar").expect("Tal Afar found whole");
    assert_eq!(ta.iso.as_deref(), Some("IQ"));
    assert!(find(&p, "Afar").is_none());
}

#[test]
fn transliterations_meet() {
    for text in [
        "Shelling hit Qayyarah on Monday, south of Mosul.",
        "Shelling hit Qaiyara on Monday, south of Mosul.",
        "Shelling hit al-Qayyarah on Monday, south of Mosul.",
    ] {
        let p = parse(text);
        let m = p.places.iter().find(|m| m.span.text.contains("ayyar") || m.span.text.contains("aiyar")).unwrap();
        assert_eq!(m.geonameid, Some(99003), "{text}: {m:?}");
    }
    let p = parse("Militants withdrew from ar-Raqqa and Deir ez-Zor.");
    assert_eq!(find(&p, "ar-Raqqa").expect("ar-Raqqa").1.iso.as_deref(), Some("SY"));
}

#[test]
fn loose_keys_find_unlisted_spellings_near_the_story() {
    // "Bartilla" is not among the gazetteer's spellings of Bartella (Barṭallah).
    let p = parse("Iraqi troops advanced east of Mosul. Clashes were reported in Bartilla on Friday.");
    let (_, m) = find(&p, "Bartilla").expect("Bartilla found by its loose key");
    assert_eq!(m.geonameid, Some(97890), "{m:?}");
    // Far from any place of the story, the same kind of match is not made.
    let p = parse("Rain fell in Paris. Clashes were reported in Bartilla on Friday.");
    assert!(find(&p, "Bartilla").is_none());
}

#[test]
fn hierarchy_and_region_cues() {
    let p = parse("The blast hit Kirkuk, Iraq, and a market in Paris, Texas, stayed closed.");
    assert_eq!(find(&p, "Kirkuk").unwrap().1.iso.as_deref(), Some("IQ"));
    let paris = find(&p, "Paris").unwrap().1;
    assert_eq!(paris.iso.as_deref(), Some("US"), "{paris:?}");
    assert_eq!(paris.admin1.as_deref(), Some("Texas"));
    let p = parse("Fighting spread across Nineveh province and into Anbar.");
    let nineveh = find(&p, "Nineveh").unwrap().1;
    assert_eq!((nineveh.feature_code.as_deref(), nineveh.kind), (Some("ADM1"), "region"));
    assert_eq!(nineveh.geo_precision, Some(3));
}

#[test]
fn distances_and_directions_make_precision_two() {
    let p = parse("An airstrike hit a convoy 30 km south of Mosul, and shells fell west of Mosul.");
    let near: Vec<usize> = (0..p.places.len()).filter(|&i| matches!(p.usage[i], Usage::Near { .. })).collect();
    assert_eq!(near.len(), 2, "{:?}", p.usage);
    let a = p.location(near[0]).unwrap();
    assert_eq!(a.geo_precision, 2);
    assert_eq!(a.span.text, "30 km south of Mosul");
    let d = km((a.latitude, a.longitude), MOSUL);
    assert!((25.0..35.0).contains(&d) && a.latitude < MOSUL.0, "{a:?}");
    let b = p.location(near[1]).unwrap();
    assert_eq!((b.geo_precision, b.span.text.as_str()), (2, "west of Mosul"));
    assert!(km((b.latitude, b.longitude), MOSUL) < 1.0);
}

#[test]
fn people_organisations_and_common_words_are_not_places() {
    let p = parse("President Jackson met Tom Kelly. Kelly said the plan would work.");
    assert!(find(&p, "Jackson").is_none() && find(&p, "Kelly").is_none(), "{:?}", p.places);
    let p = parse("Reading is popular. Students at Mosul University returned to class on Thursday.");
    assert!(find(&p, "Reading").is_none());
    assert!(find(&p, "Thursday").is_none());
    let (i, m) = find(&p, "Mosul").expect("Mosul inside the university's name is still recognised");
    assert_eq!(m.iso.as_deref(), Some("IQ"));
    // A university has grounds in its town: students there are in Mosul.
    assert_eq!(p.usage[i], Usage::Place);
    assert!(p.location(i).is_some(), "a campus is in its town");
    // ... unless the text says where the campus is.
    let p = parse("Parents gathered at the Mosul School in Erbil on Thursday.");
    assert_eq!(p.usage[find(&p, "Mosul").expect("Mosul").0], Usage::Embedded);
    let p = parse("Reporters of the Mosul Times returned to work on Thursday.");
    let (i, _) = find(&p, "Mosul").expect("Mosul inside the newspaper's name is still recognised");
    assert_eq!(p.usage[i], Usage::Embedded);
    assert!(p.location(i).is_none(), "an organisation's name is no event location");
    let p = parse("Washington said the strikes near Raqqa would continue.");
    let (i, m) = find(&p, "Washington").expect("Washington");
    assert_eq!((m.iso.as_deref(), &p.usage[i]), (Some("US"), &Usage::Metonym));
    assert!(p.location(i).is_none(), "a government speaking is no event location");
    assert!(p.location(find(&p, "Raqqa").unwrap().0).is_some());
    let p = parse("Forces loyal to Abu Bakr al-Baghdadi regrouped, Brig. Gen. Yahya Rasool said.");
    assert!(p.places.is_empty(), "{:?}", p.places);
}

#[test]
fn acronyms_and_abbreviations() {
    let p = parse("The US and the UAE condemned the attack. ISIS claimed it. Officials in Austin, Tex., agreed.");
    assert_eq!(find(&p, "US").expect("US").1.iso.as_deref(), Some("US"));
    assert_eq!(find(&p, "UAE").expect("UAE").1.iso.as_deref(), Some("AE"));
    assert!(find(&p, "ISIS").is_none());
    let tex = find(&p, "Tex").expect("Tex. after a town");
    assert_eq!(tex.1.name.as_deref(), Some("Texas"));
    assert_eq!(find(&p, "Austin").unwrap().1.admin1.as_deref(), Some("Texas"));
}

#[test]
fn datelines_and_headlines() {
    let text = "MOSUL, Iraq — Iraqi forces advanced on Friday.";
    let p = parse(text);
    assert_eq!(find(&p, "MOSUL").expect("MOSUL").1.geonameid, Some(99072));
    let hints = GeoHints {
        region: TextRange::full(text),
        dateline: Some(TextRange::new(0, 11)),
        title: None,
        ..GeoHints::default()
    };
    let p = gaz().geoparse(text, &hints);
    assert_eq!(p.focus_country.as_deref(), Some("IQ"));
}

#[test]
fn odd_input_never_panics_and_output_is_deterministic() {
    for text in ["", " ", "—", "al", "Al-", "A", "ÅÄÖ", "الموصل", "x".repeat(10_000).as_str(), "Mosul,,,Iraq..\n\n"]
    {
        let p = parse(text);
        let q = gaz().geoparse(text, &GeoHints::body(text));
        assert_eq!(p, q);
    }
    // A region hint outside the text falls back to the whole text.
    let text = "Clashes in Mosul.";
    let hints = GeoHints { region: TextRange::new(0, 999), dateline: None, title: None, ..GeoHints::default() };
    assert_eq!(gaz().geoparse(text, &hints).places.len(), 1);
    assert_eq!(parse(REPORT), parse(REPORT));
}

#[test]
fn arabic_script_names_resolve() {
    let p = parse("قصف في الموصل");
    assert_eq!(find(&p, "الموصل").expect("Arabic Mosul").1.geonameid, Some(99072));
}

#[test]
fn extra_places_give_their_own_points() {
    let csv = "name,aliases,lat,lon,kind,country,admin1,parent\n\
               al Intisar,Intisar|Al-Intisar,36.332,43.185,neighbourhood,IQ,Nineveh,Mosul\n\
               Gogjali,Kokjali,36.353,43.237,village,IQ,Nineveh,Mosul\n";
    let g = Gazetteer::embedded_owned().unwrap().with_extra_places_str(csv, "extra.csv").unwrap();
    let p = g.geoparse(REPORT, &GeoHints::body(REPORT));
    check_spans(REPORT, &p);
    let (i, m) = find(&p, "al Intisar").expect("al Intisar");
    assert_eq!((m.kind, m.geo_precision), ("place", Some(1)));
    assert!(km((m.latitude.unwrap(), m.longitude.unwrap()), (36.332, 43.185)) < 0.1);
    assert_eq!(p.location(i).unwrap().geo_precision, 1);
    assert_eq!(find(&p, "Gogjali").unwrap().1.geo_precision, Some(1));
    // Places the file does not name stay sub-places.
    assert_eq!(find(&p, "Khazir").unwrap().1.kind, "sub-place");
}

#[test]
fn extra_place_errors_name_file_line_and_field() {
    let bad = [
        ("name,lat,lon\nX,95,10\n", "line 2", "lat"),
        ("name,lat,lon\nX,1,abc\n", "line 2", "lon"),
        ("name,lat,lon\n,1,2\n", "line 2", "name"),
        ("name,lat\nX,1\n", "line 1", "lon"),
        ("name,lat,lon,country\nX,1,2,Iraq\n", "line 2", "country"),
    ];
    for (csv, line, field) in bad {
        let err = Gazetteer::embedded_owned().unwrap().with_extra_places_str(csv, "mine.csv").unwrap_err().to_string();
        assert!(err.contains("mine.csv") && err.contains(line) && err.contains(field), "{csv:?}: {err}");
    }
}

#[test]
fn artifacts_round_trip_byte_for_byte() {
    let mut b = Builder::new();
    b.add_row(&Row {
        id: 1,
        name: "Test Town".into(),
        lat: 10.5,
        lon: -20.25,
        fcode: "PPL".into(),
        cc: "IQ".into(),
        admin1: "Nineveh".into(),
        population: 1200,
        names: vec!["Tést Town".into(), "Al-Test".into()],
        ..Row::default()
    });
    let data = b.finish().unwrap();
    let mut one = Vec::new();
    data.write(&mut one).unwrap();
    let back = Data::read(&one, "mem").unwrap();
    assert_eq!(back.entries, data.entries);
    let mut two = Vec::new();
    back.write(&mut two).unwrap();
    assert_eq!(one, two);
    assert!(back.exact.get("test town").is_some() && back.exact.get("test").is_some());
    assert!(Data::read(b"not gzip", "x.bin.gz").err().unwrap().to_string().contains("x.bin.gz"));
}

#[test]
fn compile_tsv_reports_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("e.tsv");
    std::fs::write(&tsv, "# header\n1\tX\tnorth\t2\tPPL\tIQ\t\t\t0\t\t\t\n").unwrap();
    let err = crate::compile_tsv(&tsv, &dir.path().join("o.gz")).unwrap_err().to_string();
    assert!(err.contains("e.tsv") && err.contains("line 2") && err.contains("lat"), "{err}");
    std::fs::write(&tsv, "1\tTest Hamlet\t36.1\t43.2\tPPL\tIQ\tNineveh\t\t700\tHamlet of Tests\t\t\n").unwrap();
    assert_eq!(crate::compile_tsv(&tsv, &dir.path().join("o.gz")).unwrap(), 1);
    let g = Gazetteer::load(&dir.path().join("o.gz")).unwrap();
    let text = "Shots were fired in Test Hamlet.";
    assert_eq!(g.geoparse(text, &GeoHints::body(text)).places[0].geonameid, Some(1));
}

#[test]
fn geonames_dumps_import_with_alternate_names() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("IQ.txt");
    // Two invented features in the GeoNames dump layout (19 tab-separated columns).
    let row = |id: u32, name: &str, alts: &str, lat: f64, lon: f64, class: &str, code: &str| {
        format!(
            "{id}\t{name}\t{name}\t{alts}\t{lat}\t{lon}\t{class}\t{code}\tIQ\t\t15\t\t\t\t0\t\t300\tAsia/Baghdad\t2024-01-01\n"
        )
    };
    let mut text = row(990_000_001, "Qaryat Zuhur", "Zuhur Village", 36.40, 43.20, "P", "PPL");
    text += &row(990_000_002, "Jisr al Tajriba", "", 36.34, 43.13, "S", "BDG");
    std::fs::write(&dump, text).unwrap();
    let alt = dir.path().join("alternateNamesV2.txt");
    std::fs::write(&alt, "1\t990000002\ten\tTajriba Bridge\t\t\t\t\t\t\n2\t990000002\tlink\thttps://x\t\t\t\t\t\t\n")
        .unwrap();
    let out = dir.path().join("local.bin.gz");
    let summary = crate::import_geonames(&dump, Some(&alt), &out).unwrap();
    assert_eq!((summary.features, summary.added), (2, 2));
    let g = Gazetteer::load(&out).unwrap();
    let text = "Iraqi troops crossed the Tajriba Bridge near Mosul and reached Qaryat Zuhur.";
    let p = g.geoparse(text, &GeoHints::body(text));
    check_spans(text, &p);
    assert_eq!(find(&p, "Tajriba Bridge").expect("bridge").1.geonameid, Some(990_000_002));
    assert_eq!(find(&p, "Qaryat Zuhur").expect("village").1.geonameid, Some(990_000_001));
    assert_eq!(find(&p, "Mosul").expect("the shipped places are kept").1.geonameid, Some(99072));
    // A bad row names the file, line and field.
    std::fs::write(&dump, "5\tX\tX\t\tnorth\t1\tP\tPPL\tIQ\t\t\t\t\t\t0\n").unwrap();
    let err = crate::import_geonames(&dump, None, &out).unwrap_err().to_string();
    assert!(err.contains("IQ.txt") && err.contains("line 1") && err.contains("latitude"), "{err}");
}

#[test]
fn random_fragment_soup_never_panics_and_spans_slice() {
    const FRAGMENTS: &[&str] = &[
        "Mosul",
        "al-",
        "al ",
        "Ar-",
        "Raqqa",
        ",",
        ", ",
        "—",
        " - ",
        "of",
        "the ",
        "village",
        " of ",
        "30 km",
        "km",
        " south ",
        "west of ",
        "Iraq",
        "\n",
        "’s",
        "'s",
        "U.S.",
        "ʿ",
        "É",
        "é",
        "Kirkuk",
        " province",
        "bridge",
        "President ",
        "Tom ",
        "Kelly",
        " said",
        ". ",
        "MOSUL",
        "الموصل",
        "  ",
        "Calif.",
        "Tal Afar",
        "near ",
        "in ",
        "Gogjali",
        "Khazir",
        "St. ",
        "Louis",
        "-",
        ".",
        "Qa'im",
        "ABC",
        "1",
        "Ⅻ",
        "\u{301}",
        "😀",
    ];
    let g = gaz();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..1500 {
        let n = (next() % 24) as usize;
        let text: String = (0..n).map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize]).collect();
        let p = g.geoparse(&text, &GeoHints::body(&text));
        check_spans(&text, &p);
        for i in 0..p.places.len() {
            if let Some(loc) = p.location(i) {
                assert!((-90.0..=90.0).contains(&loc.latitude) && (-180.0..=180.0).contains(&loc.longitude));
                assert!((1..=3).contains(&loc.geo_precision));
                assert_eq!(&text[loc.span.range()], loc.span.text);
            }
        }
    }
}

#[test]
fn streets_are_sub_places_of_their_town() {
    let text = "Police closed Main Street in Mosul after the blast, and traffic on Highway 2 slowed.";
    let p = parse(text);
    let (i, m) = find(&p, "Main Street").unwrap_or_else(|| panic!("Main Street in {:?}", p.places));
    assert_eq!(m.kind, "sub-place");
    let loc = p.location(i).expect("placed at Mosul");
    assert!(km((loc.latitude, loc.longitude), MOSUL) < 30.0 && loc.geo_precision == 2);
    // A numbered road runs through many towns: it has no point and is not reported.
    assert!(find(&p, "Highway 2").is_none(), "{:?}", p.places);
    let p = parse("Traffic on State Route 9 and Interstate 40 backed up for miles outside Mosul.");
    assert!(
        p.places.iter().all(|m| !m.span.text.contains("Route") && !m.span.text.contains("Interstate")),
        "{:?}",
        p.places
    );
    assert!(find(&p, "Mosul").is_some());
    // A town's name that only names the street gives way to it.
    let p = parse("Firefighters were called to a house on Augusta Street in Alexandria, Louisiana.");
    assert!(find(&p, "Augusta").is_none());
    assert_eq!(find(&p, "Augusta Street").expect("street").1.kind, "sub-place");
    assert_eq!(find(&p, "Alexandria").unwrap().1.admin1.as_deref(), Some("Louisiana"));
}

#[test]
fn a_country_after_a_town_qualifies_it() {
    let text = "BELEDWEYNE, Somalia (Wire) — Troops and militants clashed for hours on Tuesday.";
    let p = parse(text);
    let (t, town) = find(&p, "BELEDWEYNE").expect("the dateline town is found");
    assert_eq!((town.iso.as_deref(), town.geo_precision), (Some("SO"), Some(1)));
    let (c, _) = find(&p, "Somalia").expect("the country is found");
    assert_eq!(p.usage[c], Usage::Qualifier { of: t });
    let loc = p.location(c).expect("the qualifier stands for the town");
    assert_eq!((loc.span.text.as_str(), loc.geo_precision), ("BELEDWEYNE", 1));
    // A country named on its own is still the country.
    let p = parse("Aid groups warned of hunger across Somalia this year.");
    let (c, _) = find(&p, "Somalia").expect("found");
    assert_eq!(p.location(c).map(|l| l.geo_precision), Some(3));
}

#[test]
fn sentence_initial_locatives_and_abbreviated_bearings_are_cues() {
    let p = parse("In Lusikisiki, residents blocked roads with burning tyres on Monday.");
    let (_, m) = find(&p, "Lusikisiki").expect("a small town after a capitalised locative");
    assert_eq!(m.iso.as_deref(), Some("ZA"));
    let p = parse("Gunmen ambushed a convoy 15km N of Buuhoodle on Tuesday.");
    let (i, m) = find(&p, "Buuhoodle").expect("a town after a bearing phrase");
    assert_eq!(m.iso.as_deref(), Some("SO"));
    let loc = p.location(i).expect("located");
    assert_eq!(loc.geo_precision, 2);
    let town = (m.latitude.unwrap(), m.longitude.unwrap());
    let d = km(town, (loc.latitude, loc.longitude));
    assert!((14.0..16.0).contains(&d), "{d} km");
    assert!(loc.latitude > town.0);
}

#[test]
fn a_dateline_names_a_town_not_a_state() {
    let p = parse("NEW YORK — Shares fell sharply on Monday as traders weighed new tariffs.");
    let (_, m) = find(&p, "NEW YORK").expect("the dateline is found");
    assert_eq!((m.kind, m.iso.as_deref()), ("place", Some("US")));
    assert!(km((m.latitude.unwrap(), m.longitude.unwrap()), (40.714, -74.006)) < 30.0);
}

#[test]
fn no_small_homonym_abroad_when_the_report_is_elsewhere() {
    let text = "Residents of New Brighton blocked roads in Port Elizabeth and Uitenhage, South Africa, \
                on Monday to protest against power cuts.";
    let p = parse(text);
    assert!(find(&p, "Port Elizabeth").is_some_and(|(_, m)| m.iso.as_deref() == Some("ZA")));
    for m in &p.places {
        assert_eq!(m.iso.as_deref(), Some("ZA"), "{} resolved abroad", m.span.text);
    }
    // The same name where the report is about its own country is kept.
    let p = parse("Police in New Brighton, Minnesota, closed a road near St. Paul on Friday.");
    assert!(find(&p, "New Brighton").is_some_and(|(_, m)| m.iso.as_deref() == Some("US")));
}

#[test]
fn a_short_note_keeps_a_lone_village_of_its_country() {
    let p = parse("Nigerian troops repelled an attack on Goniri army base in Nigeria overnight.");
    let (_, m) = find(&p, "Goniri").expect("a village with no cue, in a note about its country");
    assert_eq!(m.iso.as_deref(), Some("NG"));
    // Not when the note is about another country.
    let p = parse("Gunmen in Kenya repelled an attack on Goniri army base overnight.");
    assert!(find(&p, "Goniri").is_none());
}

#[test]
fn a_country_prior_steers_an_ambiguous_name_but_explicit_places_win() {
    let text = "Gunmen attacked a market in Gaya overnight, killing four traders.";
    let with = |prior: &[(&str, f32)], text: &str| {
        let hints =
            GeoHints { country_prior: prior.iter().map(|&(c, w)| (c.to_owned(), w)).collect(), ..GeoHints::body(text) };
        let p = gaz().geoparse(text, &hints);
        check_spans(text, &p);
        p
    };
    let p = with(&[("NG", 0.5)], text);
    assert_eq!(find(&p, "Gaya").expect("Gaya").1.iso.as_deref(), Some("NG"));
    assert_eq!(p.focus_country.as_deref(), Some("NG"));
    let p = with(&[("IN", 0.5)], text);
    assert_eq!(find(&p, "Gaya").expect("Gaya").1.iso.as_deref(), Some("IN"));
    // The document's own places outweigh the outlet's home country.
    let text = "Gunmen attacked a market in Gaya, in the Indian state of Bihar, near Patna and Nalanda.";
    let p = with(&[("NG", 0.5), ("NG", 0.5)], text);
    assert_eq!(find(&p, "Gaya").expect("Gaya").1.iso.as_deref(), Some("IN"));
    assert_eq!(p.focus_country.as_deref(), Some("IN"));
    // Codes that are no country are ignored.
    let p = with(&[("XX", 1.0), ("", 1.0)], "Troops entered Mosul.");
    assert_eq!(p.focus_country.as_deref(), Some("IQ"));
}

#[test]
fn actor_names_found_before_geoparsing_are_not_places() {
    let text = "Boko Haram fighters raided Gwoza and burned the market.";
    let p = parse(text);
    assert!(find(&p, "Gwoza").is_some());
    let start = text.find("Boko").expect("Boko");
    let hints =
        GeoHints { not_places: vec![TextRange::new(start, start + "Boko Haram".len())], ..GeoHints::body(text) };
    let p = gaz().geoparse(text, &hints);
    assert!(p.places.iter().all(|m| !m.span.text.contains("Haram")), "{:?}", p.places);
    assert_eq!(find(&p, "Gwoza").expect("Gwoza is still a place").1.iso.as_deref(), Some("NG"));
    // "Mosul University" named as an organisation: its place name is not reported either.
    let text = "Students of Mosul University protested in Erbil.";
    let hints = GeoHints { not_places: vec![TextRange::new(12, 28)], ..GeoHints::body(text) };
    let p = gaz().geoparse(text, &hints);
    assert!(find(&p, "Mosul").is_none());
    assert!(find(&p, "Erbil").is_some());
}

#[test]
fn a_list_before_a_plural_region_word_names_regions() {
    let text = "Flood warnings were issued for Barrow and Jackson counties in Georgia on Monday.";
    let p = parse(text);
    let (_, barrow) = find(&p, "Barrow").expect("Barrow");
    assert_eq!(barrow.feature_code.as_deref(), Some("ADM2"), "{barrow:?}");
    assert_eq!(barrow.admin1.as_deref(), Some("Georgia"));
    // The county reading holds for a later bare mention too.
    let text = "Schools in Barrow and Jackson counties closed. Barrow officials said roads were flooded.";
    let p = parse(text);
    let barrows: Vec<_> = p.places.iter().filter(|m| m.span.text == "Barrow").collect();
    assert_eq!(barrows.len(), 2);
    assert!(barrows.iter().all(|m| m.admin1.as_deref() == Some("Georgia")), "{barrows:?}");
}

#[test]
fn people_with_initials_and_word_prefixes_are_not_places() {
    let p = parse("Capt. Roy A. Nelson said officers arrived at 11 p.m. with Judah P. Benjamin.");
    assert!(find(&p, "Nelson").is_none() && find(&p, "Judah").is_none(), "{:?}", p.places);
    let p = parse("Teachers protested outside a Pre-school in Cotonou.");
    assert!(find(&p, "Pre").is_none());
    assert!(find(&p, "Cotonou").is_some());
    let p = parse("Police cleared a camp near the Gare du Nord in Paris.");
    assert!(p.places.iter().all(|m| m.span.text == "Paris"), "{:?}", p.places);
}

#[test]
fn a_legislators_party_and_home_town() {
    let p = parse("The bill's sponsors are Rep. Tom Smith, R-Fairfax, and Rep. Ann Lee, D-Richmond.");
    assert!(find(&p, "Fairfax").is_some(), "{:?}", p.places);
    assert!(find(&p, "Richmond").is_some(), "{:?}", p.places);
}

#[test]
fn buildings_named_after_their_town_are_in_it_but_churches_named_after_saints_are_not() {
    let text = "Boise residents met at the Boise Public Library on Monday.";
    let p = parse(text);
    let (i, lib) = find(&p, "Boise Public Library").expect("the library");
    assert_eq!(lib.kind, "sub-place");
    assert_eq!(lib.iso.as_deref(), Some("US"));
    assert_eq!(p.location(i).expect("a point").geo_precision, 1);
    let p = parse("Gunmen attacked St. Andrew Catholic Church in Bangui.");
    let (_, church) = find(&p, "St. Andrew Catholic Church").expect("the church");
    assert_eq!(church.iso.as_deref(), Some("CF"), "{church:?}");
    assert!(p.places.iter().all(|m| m.iso.as_deref() == Some("CF")), "{:?}", p.places);
}

#[test]
fn a_town_the_gazetteer_lacks_in_the_province_named_after_it() {
    let p = parse("The singer was born in Grantville, Pennsylvania, in 1913.");
    let (i, town) = find(&p, "Grantville").expect("Grantville");
    assert_eq!(town.kind, "sub-place");
    assert_eq!(town.admin1.as_deref(), Some("Pennsylvania"));
    let loc = p.location(i).expect("the province's point");
    assert_eq!(loc.geo_precision, 3);
    assert_eq!(loc.iso.as_deref(), Some("US"));
}

#[test]
fn a_small_variant_far_from_the_rest_of_the_report_gets_no_point() {
    let p = parse("Fighting in Diya and Bangui left five people dead.");
    let (i, diya) = find(&p, "Diya").expect("kept as a mention");
    assert!(diya.latitude.is_none(), "{diya:?}");
    assert!(p.location(i).is_none());
    assert_eq!(find(&p, "Bangui").expect("Bangui").1.iso.as_deref(), Some("CF"));
}

#[test]
fn county_lists_state_abbreviations_and_common_word_datelines() {
    // Names of a list that are no place on their own are looked up with the region word.
    let p = parse("Roads were closed in Otter Tail, Swift and Wilkin counties after the flood.");
    let (_, wilkin) = find(&p, "Wilkin").expect("Wilkin County");
    assert_eq!(wilkin.name.as_deref(), Some("Wilkin County"));
    assert_eq!(wilkin.admin1.as_deref(), Some("Minnesota"));
    // AP state abbreviations after a town the gazetteer may lack, and before a noun.
    let p = parse("Grants went to Sioux Falls, S.D., and Surprise, Ariz., this year.");
    assert_eq!(find(&p, "Ariz").expect("Ariz.").1.name.as_deref(), Some("Arizona"));
    let p = parse("Police said a missing Ill. man was found on Monday.");
    assert_eq!(find(&p, "Ill").expect("Ill.").1.name.as_deref(), Some("Illinois"));
    // A town named by a common word, in its dateline.
    let p = parse("HURRICANE, W.Va. - Officers found the two teenagers on Monday.");
    let (_, town) = find(&p, "HURRICANE").expect("the dateline town");
    assert_eq!(town.admin1.as_deref(), Some("West Virginia"));
}

#[test]
fn a_note_naming_one_town_by_a_variant_spelling_keeps_it() {
    let p = parse("Garowe residents staged a peaceful demonstration on Monday.");
    assert_eq!(find(&p, "Garowe").expect("Garowe").1.iso.as_deref(), Some("SO"));
    // A variant spelling a few hundred km from the region named with it.
    let p = parse("Dock workers in Puntland protested over fees at the port of Bosasso.");
    assert_eq!(find(&p, "Bosasso").expect("Bosasso").1.iso.as_deref(), Some("SO"));
}

#[test]
fn a_county_and_a_town_in_it_support_each_other() {
    let p = parse("A man from Palestine was arrested in Anderson County on Friday.");
    let (_, county) = find(&p, "Anderson County").expect("the county");
    assert_eq!(county.admin1.as_deref(), Some("Texas"), "{county:?}");
    let (_, town) = find(&p, "Palestine").expect("the town");
    assert_eq!(town.admin1.as_deref(), Some("Texas"), "{town:?}");
}

#[test]
fn a_country_named_in_a_report_datelined_at_its_capital_stays_the_country() {
    let text = "MEXICO CITY — Officials said trade between Mexico and the U.S. grew last year, and Mexico \
                plans new ports.";
    let hints = GeoHints { dateline: Some(TextRange::new(0, "MEXICO CITY".len())), ..GeoHints::body(text) };
    let p = gaz().geoparse(text, &hints);
    check_spans(text, &p);
    let (_, city) = find(&p, "MEXICO CITY").expect("the dateline");
    assert_eq!(city.feature_code.as_deref(), Some("PPLC"));
    let countries: Vec<_> = p.places.iter().filter(|m| m.span.text == "Mexico").collect();
    assert_eq!(countries.len(), 2);
    assert!(countries.iter().all(|m| m.kind == "country" && m.iso.as_deref() == Some("MX")), "{countries:?}");
}

#[test]
fn us_local_cue_phrases_steer_a_name_with_no_other_place_to_the_us() {
    // No other place name: a world capital by population alone.
    let p = parse("Residents of Athens gathered at the library on Tuesday evening.");
    assert_eq!(find(&p, "Athens").expect("Athens").1.iso.as_deref(), Some("GR"));
    // Sheriff's deputies and a felony charge are US local news.
    let text = "Sheriff's deputies in Athens arrested a man on a felony charge on Tuesday evening.";
    let p = parse(text);
    assert_eq!(find(&p, "Athens").expect("Athens").1.iso.as_deref(), Some("US"));
    // The places a report names still win over the cue.
    let p = parse("Sheriff's deputies flew from Athens to Thessaloniki and Patras in Greece.");
    assert_eq!(find(&p, "Athens").expect("Athens").1.iso.as_deref(), Some("GR"));
}

fn with_url(text: &str, url: &str) -> GeoParse {
    let hints = GeoHints { url: Some(url.to_owned()), ..GeoHints::body(text) };
    let p = gaz().geoparse(text, &hints);
    check_spans(text, &p);
    p
}

#[test]
fn a_domain_gives_its_country_and_the_towns_it_names() {
    let g = gaz();
    let home = g.outlet_home("https://www.kirkukherald.co.uk/news/2024/story.html");
    assert_eq!(home.country.as_deref(), Some("GB"));
    assert_eq!(home.homes, ["kirkuk"]);
    // Newspaper words around the name, in any order; two towns joined by "and".
    assert_eq!(g.outlet_home("http://onlinemosul.com/x").homes, ["mosul"]);
    assert_eq!(g.outlet_home("lancasterandmorecambetimes.com").homes, ["lancaster", "morecambe"]);
    // Several words of a name run together ("newyork" is "new york").
    assert_eq!(g.outlet_home("https://newyorkdailygazette.com/").homes, ["new york"]);
    // A generic domain: no country, but its towns are looked for first in the United States.
    let home = g.outlet_home("www.springfieldnewssun.com");
    assert_eq!((home.country, home.home_country.as_deref()), (None, Some("US")));
    // A bare country code, and one sold worldwide for its letters.
    assert_eq!(g.outlet_home("https://example.co.ke/a").country.as_deref(), Some("KE"));
    assert_eq!(g.outlet_home("https://mosul.tv/a").country, None);
    // A label that is not cut entirely into names and outlet words names no home, nor do two
    // names run together, a small town's name alone, or a newspaper word that is also a town's.
    assert!(g.outlet_home("https://zqxmosulwire.com").homes.is_empty());
    assert!(g.outlet_home("https://mosulerbil.com").homes.is_empty());
    assert!(g.outlet_home("https://gogjali.com").homes.is_empty());
    assert!(g.outlet_home("https://heraldtimes.com").homes.is_empty());
    // Not a web address at all.
    assert_eq!(g.outlet_home("The Example Herald"), crate::OutletHome::default());
    assert_eq!(crate::url_host("HTTPS://WWW.Example.org:8080/a?b"), Some("example.org".to_owned()));
}

#[test]
fn the_outlets_home_town_picks_its_namesake_but_the_text_decides() {
    let text = "Paris firefighters put out a kitchen fire on Tuesday night.";
    assert_eq!(find(&parse(text), "Paris").expect("Paris").1.iso.as_deref(), Some("FR"));
    // A paper named after its town, on a generic domain: the American namesake.
    let p = with_url(text, "http://www.theparisherald.com/local/1");
    assert_eq!(find(&p, "Paris").expect("Paris").1.iso.as_deref(), Some("US"));
    // The home town is never reported as a place of the text.
    assert_eq!(p.places.len(), 1);
    // The text's own words win: "Paris, France".
    let text = "Visitors in Paris, France, watched a kitchen fire on Tuesday night.";
    let p = with_url(text, "http://www.theparisherald.com/local/1");
    assert_eq!(find(&p, "Paris").expect("Paris").1.iso.as_deref(), Some("FR"));
}

#[test]
fn a_namesake_near_the_outlets_home_wins() {
    let text = "The Dublin school board met on Monday to talk about the budget.";
    assert_eq!(find(&parse(text), "Dublin").expect("Dublin").1.iso.as_deref(), Some("IE"));
    let p = with_url(text, "https://www.columbusevening.com/schools/1");
    let (_, m) = find(&p, "Dublin").expect("Dublin");
    assert_eq!((m.iso.as_deref(), m.admin1.as_deref()), (Some("US"), Some("Ohio")));
    // A country-code domain keeps the home in its country: Lancaster in England, not Pennsylvania.
    let text = "Councillors in Lancaster approved the budget on Monday.";
    let p = with_url(text, "https://www.lancastervoice.co.uk/a/1");
    assert_eq!(find(&p, "Lancaster").expect("Lancaster").1.iso.as_deref(), Some("GB"));
}

#[test]
fn the_outlets_home_lies_in_the_province_its_report_names() {
    // Sentences written for this test. On a generic domain the home is looked for in the United
    // States first, but a report that names Ontario again and again is from the Ontario namesake.
    let text = "Woodstock council approved a new library on Monday. Ontario will pay half of it, \
                and the mayor thanked Ontario for the grant.";
    let p = with_url(text, "http://www.woodstockherald.com/news/1");
    let (_, m) = find(&p, "Woodstock").expect("Woodstock");
    assert_eq!((m.iso.as_deref(), m.admin1.as_deref()), (Some("CA"), Some("Ontario")), "{m:?}");
    // Without the province, the American namesake.
    let text = "Woodstock council approved a new library on Monday.";
    let p = with_url(text, "http://www.woodstockherald.com/news/1");
    assert_eq!(find(&p, "Woodstock").expect("Woodstock").1.iso.as_deref(), Some("US"));
}

#[test]
fn a_small_namesake_far_from_a_report_whose_places_lie_together_is_a_place_in_it() {
    // Sentences written for this test: a walk through one city; "Washington Square" is a square
    // there, and the gazetteer's only Washington Square is a town 1,700 km away.
    let text = "The tour starts in New Orleans, follows the river past Metairie and Kenner, \
                then turns back toward Baton Rouge. Walkers end the day at Washington Square, \
                a small park.";
    let p = parse(text);
    assert_eq!(p.focus_country.as_deref(), Some("US"));
    let (i, square) = find(&p, "Washington Square").expect("Washington Square found");
    assert_eq!(square.kind, "sub-place");
    assert!(matches!(p.usage[i], Usage::SubPlace { parent: Some(_) }), "{:?}", p.usage[i]);
    let nola = (29.95, -90.07);
    assert!(km((square.latitude.unwrap(), square.longitude.unwrap()), nola) < 150.0, "{square:?}");
    // A lone far place in a report with fewer places stays itself.
    let p = parse("Officials in New Orleans met visitors from Washington Square on Monday.");
    let (_, square) = find(&p, "Washington Square").expect("Washington Square found");
    assert_eq!(square.kind, "place");
}

#[test]
fn in_a_report_whose_places_lie_far_apart_a_small_namesake_gives_way_to_the_city() {
    // Sentences written for this test: a league round-up naming cities across the country.
    let text = "Texas teams had a good week: Houston beat San Antonio on Friday night and Dallas \
                won at home against Oakland, Calif. Portland plays in Houston on Sunday.";
    let p = parse(text);
    let (_, m) = find(&p, "Portland").expect("Portland");
    assert_eq!((m.iso.as_deref(), m.admin1.as_deref()), (Some("US"), Some("Oregon")), "{m:?}");
    // A local report keeps the small town near its other places.
    let text = "Flooding closed roads in Portland and Aransas Pass, and the county judge asked \
                Ingleside and Gregory residents to stay home.";
    let p = parse(text);
    let (_, m) = find(&p, "Portland").expect("Portland");
    assert_eq!((m.iso.as_deref(), m.admin1.as_deref()), (Some("US"), Some("Texas")), "{m:?}");
}

#[test]
fn english_counties_that_are_no_geonames_region_are_places() {
    // Sentences written for this test.
    let p = parse("Heavy rain fell across Cheshire, Merseyside and Greater Manchester overnight.");
    for name in ["Cheshire", "Merseyside", "Greater Manchester"] {
        let (_, m) = find(&p, name).expect(name);
        assert_eq!(m.iso.as_deref(), Some("GB"), "{m:?}");
    }
    let p = parse("Racing returns to Northamptonshire and Yorkshire in May.");
    let (_, m) = find(&p, "Northamptonshire").expect("Northamptonshire");
    assert!(km((m.latitude.unwrap(), m.longitude.unwrap()), (52.25, -0.85)) < 60.0, "{m:?}");
    // The American town keeps its name where the text says so.
    let p = parse("Police in Cheshire, Connecticut, closed a road on Monday.");
    assert_eq!(find(&p, "Cheshire").expect("Cheshire").1.iso.as_deref(), Some("US"));
}

#[test]
fn a_city_of_the_country_code_domains_country_wins_its_name() {
    // Sentences written for this test: a Canadian site on a London festival; elsewhere the capital.
    let text = "The London festival opened on Friday with dancers from Beijing and Shanghai, \
                and a minister from Ontario praised the organisers.";
    let p = with_url(text, "https://www.examplenews.ca/local/1");
    let (_, m) = find(&p, "London").expect("London");
    assert_eq!(m.iso.as_deref(), Some("CA"), "{m:?}");
    let p = with_url(text, "https://www.examplenews.com/local/1");
    assert_eq!(find(&p, "London").expect("London").1.iso.as_deref(), Some("GB"));
}

#[test]
fn a_capitals_name_is_the_capital_unless_the_report_is_in_a_towns_province() {
    // Sentences written for this test: an American report on flights to London.
    let text = "Pet owners flying from Kansas City and Denver to London must book a kennel at \
                the airport, the airline group said. The U.S. rules changed in March.";
    let p = parse(text);
    let (_, m) = find(&p, "London").expect("London");
    assert_eq!(m.iso.as_deref(), Some("GB"), "{m:?}");
    // A town of that name in the province of the report's other places keeps it.
    let text = "A student from Paris spent her spring break in Guatemala with classmates from \
                Nashville and Knoxville.";
    let p = parse(text);
    let (_, m) = find(&p, "Paris").expect("Paris");
    assert_eq!((m.iso.as_deref(), m.admin1.as_deref()), (Some("US"), Some("Tennessee")), "{m:?}");
}

#[test]
fn a_countrys_own_name_is_the_country_not_a_small_namesake_nearby() {
    // Sentences written for this test: a Texas farm report that names two countries whose names
    // small Texas towns also carry.
    let text = "Cotton shipments from Texas farms to China fell this year, and buyers in Italy \
                ordered less, a Dallas trade group said.";
    let p = parse(text);
    for name in ["China", "Italy"] {
        let (_, m) = find(&p, name).expect(name);
        assert_eq!(m.feature_code.as_deref(), Some("PCLI"), "{name}: {m:?}");
    }
    // Told as a town of a state ("Italy, Texas"), it is the town.
    let p = parse("The volunteer fire station in Italy, Texas, reopened on Monday.");
    let (_, m) = find(&p, "Italy").expect("Italy");
    assert_eq!((m.iso.as_deref(), m.admin1.as_deref()), (Some("US"), Some("Texas")), "{m:?}");
}

#[test]
fn quarters_of_mogadishu_and_bujumbura_are_places_of_their_own() {
    // Sentences written for this test: districts that conflict reports name without their city.
    let p = parse("Two traders were shot dead in Hodan on Tuesday, and a grenade hit a checkpoint in Dayniile.");
    for name in ["Hodan", "Dayniile"] {
        let (_, m) = find(&p, name).expect(name);
        assert_eq!(m.iso.as_deref(), Some("SO"), "{name}: {m:?}");
        let (lat, lon) = (m.latitude.expect("point"), m.longitude.expect("point"));
        assert!((lat - 2.04).abs() < 0.15 && (lon - 45.32).abs() < 0.15, "{name} far from Mogadishu: {m:?}");
    }
    let p = parse("Youths set up barricades in Musaga and Kamenge overnight.");
    for name in ["Musaga", "Kamenge"] {
        let (_, m) = find(&p, name).expect(name);
        assert_eq!(m.iso.as_deref(), Some("BI"), "{name}: {m:?}");
    }
    // Somali towns in the spellings reports use.
    let p = parse("Fighters withdrew from Baraawe and regrouped near El Buur.");
    for name in ["Baraawe", "El Buur"] {
        let (_, m) = find(&p, name).expect(name);
        assert_eq!(m.iso.as_deref(), Some("SO"), "{name}: {m:?}");
    }
}

#[test]
fn a_county_named_only_in_a_buildings_name_still_places_its_town() {
    // Sentences written for this test: the report names its county only in a jail's name.
    let text = "Deputies arrested a Bedford woman on Friday. She was taken to the Lawrence County Jail \
                and released on bond.";
    let p = parse(text);
    let (_, m) = find(&p, "Bedford").expect("Bedford");
    assert_eq!((m.iso.as_deref(), m.admin1.as_deref()), (Some("US"), Some("Indiana")), "{m:?}");
    // The county itself is not reported: the jail is the sub-place, in the town's county.
    assert!(find(&p, "Lawrence County").is_none());
    let (_, jail) = find(&p, "Lawrence County Jail").expect("the jail");
    assert_eq!((jail.kind, jail.admin1.as_deref()), ("sub-place", Some("Indiana")));
    // Without the building, the better-known namesake.
    let p = parse("Deputies arrested a Bedford woman on Friday.");
    assert_ne!(find(&p, "Bedford").expect("Bedford").1.admin1.as_deref(), Some("Indiana"));
}

#[test]
fn a_county_named_after_its_town_is_no_support_for_that_town() {
    assert_eq!(crate::resolve::name_core("city of norfolk"), "norfolk");
    assert_eq!(crate::resolve::name_core("dublin city"), "dublin");
    assert_eq!(crate::resolve::name_core("lawrence county"), "lawrence");
    assert_eq!(crate::resolve::name_core("city"), "city");
    assert_eq!(crate::resolve::name_core("kansas city"), "kansas");
}

#[test]
fn two_town_names_with_namesakes_close_together_pick_those_namesakes() {
    // Sentences written for this test: neither name is the best-known of its namesakes, but their
    // namesakes in one Kentucky county lie 20 km apart.
    let text = "Richmond police arrested two men Sunday. The men took tools from a garage near Berea.";
    let p = parse(text);
    for name in ["Richmond", "Berea"] {
        let (_, m) = find(&p, name).expect(name);
        assert_eq!(m.admin1.as_deref(), Some("Kentucky"), "{m:?}");
    }
    // One name alone: the best-known namesake.
    let p = parse("Richmond police arrested two men Sunday.");
    assert_eq!(find(&p, "Richmond").expect("Richmond").1.admin1.as_deref(), Some("Virginia"));
    // A state's name is the state, whatever small towns of that name lie near the report's towns.
    let p = parse("Richmond police arrested two men in Berea. Florida officers had asked for them.");
    assert_eq!(find(&p, "Florida").expect("Florida").1.feature_code.as_deref(), Some("ADM1"));
}

#[test]
fn a_bare_name_is_its_county_when_the_report_names_towns_in_it() {
    // Sentences written for this test: "Oxford" stands for Oxford County, Ontario, which holds
    // Woodstock and Tillsonburg.
    let text = "The Oxford health unit reported two new cases. Officials in Woodstock and Tillsonburg \
                asked residents to stay home.";
    let p = parse(text);
    let (_, m) = find(&p, "Oxford").expect("Oxford");
    assert_eq!((m.feature_code.as_deref(), m.admin1.as_deref()), (Some("ADM2"), Some("Ontario")), "{m:?}");
    // With no town of that county named, the name keeps its own readings.
    let p = parse("The Oxford health unit reported two new cases.");
    assert_ne!(find(&p, "Oxford").expect("Oxford").1.feature_code.as_deref(), Some("ADM2"));
}

#[test]
fn brands_people_and_month_abbreviations_named_like_towns_are_not_places() {
    // Sentences written for this test.
    let text = "The Toyota plant near Georgetown will add 500 jobs, Obama said on Nov. 3 in Lexington.";
    let p = parse(text);
    for word in ["Toyota", "Obama", "Nov"] {
        assert!(find(&p, word).is_none(), "{word} is not a place: {:?}", p.places);
    }
    assert!(find(&p, "Lexington").is_some() && find(&p, "Georgetown").is_some());
}

#[test]
fn a_towns_name_after_the_names_an_institution_or_an_event() {
    // "the Duma" (Douma, Syria, is a city): an assembly when no noun follows the name.
    let p = parse("The bill was sent to the Duma in May, and the Duma approved it on Friday.");
    assert!(find(&p, "Duma").is_none(), "{:?}", p.places);
    // A modifier of the noun after it stays the town ("the Mosul police").
    let p = parse("Officers of the Mosul police said two men were held.");
    assert!(find(&p, "Mosul").is_some(), "{:?}", p.places);
    // "the Gulf War", "a Gulf-war veteran": the name of an event.
    let p = parse("The veteran served in the Gulf War and later met a Gulf-war nurse in Mosul.");
    assert!(find(&p, "Gulf").is_none(), "{:?}", p.places);
    assert!(find(&p, "Mosul").is_some(), "{:?}", p.places);
}

#[test]
fn saints_firms_and_given_names_are_not_places() {
    // A saint's name with a possessive names a school or a church after the saint.
    let p = parse("Pupils of St. Paul's Catholic School in Mosul sang, and St. Paul's choir joined them.");
    assert!(p.places.iter().all(|m| !m.span.text.contains("Paul")), "{:?}", p.places);
    assert!(find(&p, "Mosul").is_some());
    // A firm's name is a person's name elsewhere in the report too.
    let p = parse("The board hired Lowell & Partners of Mosul. According to Lowell, the search takes a month.");
    assert!(find(&p, "Lowell").is_none(), "{:?}", p.places);
    // A country's name that is a given name, before a surname that ends the name.
    let p = parse(
        "Two officers of the local police, Tom Reed and Chad Miller, 41, stopped the car on a road near Mosul late on the evening of the attack.",
    );
    assert!(find(&p, "Chad").is_none(), "{:?}", p.places);
    let p = parse("Aid convoys crossed from Chad into Darfur on Monday.");
    assert!(find(&p, "Chad").is_some(), "{:?}", p.places);
}

#[test]
fn a_town_name_of_two_words_seen_as_a_persons_stays_a_persons() {
    let text = "The archive project is led by Marisol St. Clair of the county museum in Mosul. \
                Later in the week, St. Clair said that more volunteers were needed.";
    let p = parse(text);
    assert!(p.places.iter().all(|m| !m.span.text.contains("Clair")), "{:?}", p.places);
    assert!(find(&p, "Mosul").is_some());
}

#[test]
fn a_name_before_impersonator_or_biographer_is_a_persons_in_the_whole_report() {
    let text = "A Lincoln impersonator in a tall hat greeted pupils at the library on Tuesday. \
                Lincoln walked the halls and answered questions about the war, the actor said.";
    let p = parse(text);
    assert!(find(&p, "Lincoln").is_none(), "{:?}", p.places);
    // Without the cue the city keeps its name.
    let p = parse("The library in Lincoln opened a new wing on Tuesday.");
    assert!(find(&p, "Lincoln").is_some(), "{:?}", p.places);
}

#[test]
fn an_organisation_named_like_a_town_is_not_a_place() {
    let p = parse("The Red Cross opened a shelter for the families whose houses burned in Waterbury.");
    assert!(find(&p, "Red Cross").is_none(), "{:?}", p.places);
    assert!(find(&p, "Waterbury").is_some(), "{:?}", p.places);
}

#[test]
fn a_vehicle_model_after_its_maker_is_not_a_place() {
    let text = "Witnesses saw a grey Buick Lucerne leave the bank in Columbus. Police later found the Lucerne parked behind a barn.";
    let p = parse(text);
    assert!(find(&p, "Lucerne").is_none(), "{:?}", p.places);
    assert!(find(&p, "Columbus").is_some(), "{:?}", p.places);
}

#[test]
fn a_people_named_like_a_town_is_not_the_town() {
    let p = parse("Pots that the Lorain people made were found near the lake by a farmer from Columbus.");
    assert!(find(&p, "Lorain").is_none(), "{:?}", p.places);
    let p = parse("A farmer from Lorain found old pots near the lake.");
    assert!(find(&p, "Lorain").is_some(), "{:?}", p.places);
}

fn with_prior(prior: &[(&str, f32)], text: &str) -> GeoParse {
    let hints =
        GeoHints { country_prior: prior.iter().map(|&(c, w)| (c.to_owned(), w)).collect(), ..GeoHints::body(text) };
    let p = gaz().geoparse(text, &hints);
    check_spans(text, &p);
    p
}

#[test]
fn a_local_government_area_is_a_second_order_region() {
    let p = parse("Gunmen burned houses in two villages of Madagali LGA on Sunday night.");
    let (_, m) = find(&p, "Madagali").expect("Madagali found");
    assert_eq!((m.iso.as_deref(), m.feature_code.as_deref()), (Some("NG"), Some("ADM2")));
}

#[test]
fn a_settlement_word_after_a_name_in_place_says_it_is_a_town() {
    let text = "Police detained a teacher at her house in Ambo Town on Friday.";
    let p = with_prior(&[("ET", 0.7)], text);
    assert_eq!(find(&p, "Ambo").expect("Ambo found").1.iso.as_deref(), Some("ET"));
    let p = with_prior(&[("ET", 0.7)], "Gunmen looted shops in Ambo village overnight.");
    assert_eq!(find(&p, "Ambo").expect("Ambo found").1.iso.as_deref(), Some("ET"));
}

#[test]
fn a_lone_small_town_in_the_hinted_country_is_kept() {
    let text = "Residents of Bayanga chased a man they accused of theft.";
    let p = with_prior(&[("CF", 0.7)], text);
    assert_eq!(find(&p, "Bayanga").expect("Bayanga found").1.iso.as_deref(), Some("CF"));
    // With no hint the bare name of a small town is too weak to report.
    assert!(find(&parse(text), "Bayanga").is_none());
}

/// The event location of mention `name`, which has no point of its own.
fn placed_without_point(p: &GeoParse, name: &str) -> sitrep_model::Location {
    let (i, m) = find(p, name).unwrap_or_else(|| panic!("{name} is a mention: {:?}", p.places));
    assert!(m.latitude.is_none(), "{m:?}");
    p.location(i).expect("placed in the hinted country")
}

#[test]
fn a_village_the_gazetteer_lacks_is_placed_in_the_hinted_country_when_nothing_else_is() {
    let text = "Gunmen burned the village of Ngarbulaye on Sunday.";
    let loc = placed_without_point(&with_prior(&[("CF", 0.7)], text), "Ngarbulaye");
    assert_eq!((loc.iso.as_deref(), loc.geo_precision, loc.span.text.as_str()), (Some("CF"), 3, "Ngarbulaye"));
    // No hint, no country.
    let p = parse(text);
    assert!(p.location(find(&p, "Ngarbulaye").expect("mention").0).is_none());
}

#[test]
fn a_name_followed_by_the_kind_of_place_it_is_is_a_place_where_nothing_else_is() {
    for (text, name) in [
        ("Militiamen raided Kobdalu village on Monday, killing three.", "Kobdalu"),
        ("Fighters clashed in the Gorumbaye area overnight.", "Gorumbaye"),
        ("Clashes erupted in Pibor Kadhe County on Friday.", "Pibor Kadhe"),
        ("Rebels kidnapped four people in the mining town of Ndumaye.", "Ndumaye"),
    ] {
        let p = with_prior(&[("SS", 0.7)], text);
        let (i, _) = find(&p, name).unwrap_or_else(|| panic!("{name} in {:?}", p.places));
        assert_eq!(p.location(i).expect("placed in the hinted country").iso.as_deref(), Some("SS"));
    }
    // Common words are no such name ("the Bay area"), and a report that names a known place is
    // placed by it.
    let p = with_prior(&[("US", 0.7)], "Traffic slowed across the Bay area on Friday.");
    assert!(find(&p, "Bay").is_none(), "{:?}", p.places);
    let p = with_prior(&[("SS", 0.7)], "Militiamen raided Kobdalu village near Juba on Monday.");
    assert!(find(&p, "Kobdalu").is_none(), "{:?}", p.places);
    assert!(find(&p, "Juba").is_some(), "{:?}", p.places);
}

#[test]
fn a_name_after_a_preposition_of_place_is_placed_in_the_hinted_country_where_nothing_else_is() {
    let text = "Soldiers clashed with militiamen in Wadakoni on Tuesday.";
    let p = with_prior(&[("SS", 0.7)], text);
    let (i, _) = find(&p, "Wadakoni").unwrap_or_else(|| panic!("{:?}", p.places));
    assert_eq!(p.location(i).expect("placed").iso.as_deref(), Some("SS"));
    // Without a hint it is no place; nor is a person's name, or one next to a known place.
    assert!(find(&parse(text), "Wadakoni").is_none());
    let p = with_prior(&[("BI", 0.7)], "Protests in Nkurunzizo's home region went on.");
    assert!(p.places.is_empty(), "{:?}", p.places);
    let p = with_prior(&[("SS", 0.7)], "Soldiers clashed with militiamen in Wadakoni near Juba.");
    assert!(find(&p, "Wadakoni").is_none(), "{:?}", p.places);
}

#[test]
fn a_lone_variant_name_of_a_town_abroad_gives_way_to_the_hinted_country() {
    let text = "Gunmen attacked Chama on Monday, wounding ten people.";
    let loc = placed_without_point(&with_prior(&[("SS", 0.7)], text), "Chama");
    assert_eq!(loc.iso.as_deref(), Some("SS"));
    // Without a hint the name keeps its reading.
    let p = parse(text);
    assert!(find(&p, "Chama").expect("Chama").1.latitude.is_some());
}
