//! Table-driven tests: sentences written for these tests, in wire-news style.

use std::sync::LazyLock;

use sitrep_model::Inter;
use sitrep_text::TextRange;

use super::*;

static LEX: LazyLock<ActorLexicon> = LazyLock::new(|| ActorLexicon::builtin().unwrap_or_else(|e| panic!("{e}")));

fn ctx(country: &str, year: i16) -> ActorContext {
    ActorContext { country: (!country.is_empty()).then(|| country.to_owned()), year: (year != 0).then_some(year) }
}

/// One line per hit: "mention => name [inter country]" (people: "mention => name {role}").
fn render(lex: &ActorLexicon, text: &str, ctx: &ActorContext) -> Vec<String> {
    lex.recognize(text, TextRange::full(text), ctx)
        .into_iter()
        .map(|h| {
            let mention = &text[h.range];
            match &h.kind {
                ActorKind::Person { role } => {
                    format!("{mention} => {} {{{}}}", h.name, role.as_deref().unwrap_or(""))
                }
                _ => format!("{mention} => {} [{} {}]", h.name, h.inter.code(), h.country.as_deref().unwrap_or("-")),
            }
        })
        .collect()
}

/// Checks the hits of `text` in a document about `country` in `year` ("" and 0 for unknown).
fn check(text: &str, country: &str, year: i16, expect: &[&str]) {
    let got = render(&LEX, text, &ctx(country, year));
    assert_eq!(got, expect, "\ntext: {text}");
}

#[test]
fn state_forces_by_nationality_and_context() {
    let cases: &[(&str, &str, i16, &[&str])] = &[
        (
            "Nigerian troops repelled an attack on a base near Maiduguri on Monday.",
            "NG",
            2016,
            &["Nigerian troops => Military Forces of Nigeria (2015-) [1 NG]"],
        ),
        (
            "Nigeria's army said it had cleared the forest.",
            "NG",
            2013,
            &["Nigeria's army => Military Forces of Nigeria (2010-) [1 NG]"],
        ),
        ("Troops opened fire on the crowd.", "KE", 2016, &["Troops => Military Forces of Kenya (2013-) [1 KE]"]),
        ("Kenyan police arrested 12 people.", "KE", 2016, &["Kenyan police => Police Forces of Kenya (2013-) [1 KE]"]),
        ("Police dispersed the crowd.", "", 0, &["Police => Police Forces [1 -]"]),
        ("Police dispersed the crowd.", "KE", 0, &["Police => Police Forces of Kenya [1 KE]"]),
        (
            "Chadian soldiers crossed the border to pursue the insurgents.",
            "NG",
            2016,
            &[
                "Chadian soldiers => Military Forces of Chad (1990-) [8 TD]",
                "insurgents => Unidentified Armed Group (Nigeria) [2 NG]",
            ],
        ),
        (
            "Russian warplanes struck the town; the jets returned at dawn.",
            "SY",
            2016,
            &["Russian warplanes => Military Forces of Russia (2000-) [8 RU]"],
        ),
        (
            "Algerian gendarmes and Malian gendarmes met at the border.",
            "DZ",
            2016,
            &[
                "Algerian gendarmes => Military Forces of Algeria (1999-) Gendarmerie [1 DZ]",
                "Malian gendarmes => Police Forces of Mali (2013-) Gendarmerie [8 ML]",
            ],
        ),
        (
            "FARDC soldiers clashed with the rebels.",
            "CD",
            2016,
            &[
                "FARDC soldiers => Military Forces of Democratic Republic of Congo (2001-) [1 CD]",
                "rebels => Unidentified Armed Group (Democratic Republic of Congo) [2 CD]",
            ],
        ),
        (
            "Somaliland forces deployed to the town.",
            "SO",
            2016,
            &["Somaliland forces => Military Forces of Somaliland (1991-) [1 SO]"],
        ),
        (
            "Units of the 9th Armored Division entered the district, and a Brigade stayed behind.",
            "IQ",
            2016,
            &["9th Armored Division => Military Forces of Iraq (2014-) [1 IQ]"],
        ),
    ];
    for (text, country, year, expect) in cases {
        check(text, country, *year, expect);
    }
}

#[test]
fn military_counts_as_a_force_only_as_a_noun() {
    check(
        "Clashes between military and rebels were reported.",
        "SS",
        2016,
        &[
            "military => Military Forces of South Sudan (2011-) [1 SS]",
            "rebels => Unidentified Armed Group (South Sudan) [2 SS]",
        ],
    );
    check(
        "The military said two soldiers died.",
        "ML",
        2016,
        &["military => Military Forces of Mali (2013-) [1 ML]", "soldiers => Military Forces of Mali (2013-) [1 ML]"],
    );
    check("A shell hit near the military base.", "ML", 2016, &[]);
    check("Benin military shot a man.", "BJ", 2014, &["Benin military => Military Forces of Benin (2006-) [1 BJ]"]);
    // Terse reports open with the bare noun as the subject of a present tense.
    check(
        "Military kill 4 herders in Yei.",
        "SS",
        2016,
        &["Military => Military Forces of South Sudan (2011-) [1 SS]"],
    );
    check(
        "Military attack villages near Yei.",
        "SS",
        2016,
        &["Military => Military Forces of South Sudan (2011-) [1 SS]"],
    );
    check("Military material was captured.", "SS", 2016, &[]);
    check("Military base in Yei came under fire.", "SS", 2016, &[]);
}

#[test]
fn period_styles() {
    let text = "Iraqi forces entered the city.";
    check(text, "IQ", 2016, &["Iraqi forces => Military Forces of Iraq (2014-) [1 IQ]"]);
    check(text, "IQ", 2019, &["Iraqi forces => Military Forces of Iraq (2018-) [1 IQ]"]);
    check(text, "IQ", 0, &["Iraqi forces => Military Forces of Iraq [1 IQ]"]);
    let retro = ActorLexicon::builtin().unwrap().with_period_style(PeriodStyle::Retrospective);
    assert_eq!(render(&retro, text, &ctx("IQ", 2016)), ["Iraqi forces => Military Forces of Iraq (2014-2018) [1 IQ]"]);
    assert_eq!(render(&retro, text, &ctx("IQ", 2024)), ["Iraqi forces => Military Forces of Iraq (2022-) [1 IQ]"]);
    // A change of government that year: the later period wins.
    check("Nigerian police", "NG", 2015, &["Nigerian police => Police Forces of Nigeria (2015-) [1 NG]"]);
}

#[test]
fn missions_and_contingents() {
    let cases: &[(&str, &str, i16, &[&str])] = &[
        (
            "Ugandan troops repulsed the raid.",
            "SO",
            2016,
            &["Ugandan troops => AMISOM: African Union Mission in Somalia (2007-) (Uganda) [8 -]"],
        ),
        (
            "An IED hit an AMISOM-KDF convoy.",
            "SO",
            2016,
            &["AMISOM-KDF convoy => AMISOM: African Union Mission in Somalia (2007-) (Kenya) [8 -]"],
        ),
        (
            "KDF troops shelled the camp.",
            "SO",
            2016,
            &["KDF troops => AMISOM: African Union Mission in Somalia (2007-) (Kenya) [8 -]"],
        ),
        ("KDF troops patrolled Lamu.", "KE", 2016, &["KDF troops => Military Forces of Kenya (2013-) [1 KE]"]),
        (
            "Peacekeepers returned fire.",
            "SS",
            2016,
            &["Peacekeepers => UNMISS: United Nations Mission in the Republic of South Sudan (2011-) [8 -]"],
        ),
        ("Peacekeepers returned fire.", "NG", 2016, &[]),
        (
            "Burundian peacekeepers were accused.",
            "CF",
            2016,
            &[
                "Burundian peacekeepers => MINUSCA: United Nations Multidimensional Integrated Stabilization Mission in the Central African Republic (2014-) [8 -]",
            ],
        ),
        (
            "Kenyan air forces struck the camp.",
            "SO",
            2016,
            &["Kenyan air forces => AMISOM: African Union Mission in Somalia (2007-) (Kenya) [8 -]"],
        ),
        (
            "UNAMID said the camp was calm.",
            "SD",
            2016,
            &["UNAMID => UNAMID: United Nations/African Union Hybrid Operation in Darfur [8 -]"],
        ),
    ];
    for (text, country, year, expect) in cases {
        check(text, country, *year, expect);
    }
}

#[test]
fn groups_by_year_and_country() {
    let text = "Boko Haram fighters attacked the village.";
    check(
        text,
        "NG",
        2013,
        &["Boko Haram fighters => Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad [2 NG]"],
    );
    check(text, "NG", 2016, &["Boko Haram fighters => Boko Haram - Wilayat Gharb Ifriqiyyah [2 NG]"]);
    check(
        text,
        "CM",
        2019,
        &["Boko Haram fighters => Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad [2 NG]"],
    );
    check("ISWAP claimed the attack.", "NG", 2019, &["ISWAP => Islamic State West Africa Province [2 NG]"]);
    let is = "Islamic State militants seized the road.";
    check(is, "IQ", 2016, &["Islamic State militants => Islamic State (Iraq) [2 IQ]"]);
    check(is, "SY", 2016, &["Islamic State militants => Islamic State (Syria) [2 SY]"]);
    check(is, "EG", 2016, &["Islamic State militants => State of Sinai [3 EG]"]);
    check(is, "FR", 2016, &["Islamic State militants => Islamic State [2 -]"]);
    let coalition = "Coalition airstrikes hit the convoy.";
    check(coalition, "IQ", 2016, &["Coalition airstrikes => Global Coalition Against Daesh [8 -]"]);
    check(coalition, "YE", 2016, &["Coalition airstrikes => Operation Restoring Hope [8 SA]"]);
    check(coalition, "KE", 2016, &[]);
    check(
        "The Saudi-led coalition bombed Saada.",
        "YE",
        2017,
        &["Saudi-led coalition => Operation Restoring Hope [8 SA]"],
    );
    check(
        "An Iraqi-led coalition pushed on.",
        "IQ",
        2016,
        &["Iraqi-led coalition => Military Forces of Iraq (2014-) [1 IQ]"],
    );
    check(
        "The US-led coalition bombed Raqqa.",
        "SY",
        2017,
        &["US-led coalition => Global Coalition Against Daesh [8 -]"],
    );
    check(
        "Houthi fighters shelled Taiz.",
        "YE",
        2016,
        &["Houthi fighters => Military Forces of Yemen (2015-2017) Houthi-Saleh [1 YE]"],
    );
    check("Taliban fighters overran the district.", "AF", 2016, &["Taliban fighters => Taliban [2 AF]"]);
    check(
        "Taliban fighters attacked a checkpoint in Swat.",
        "PK",
        2016,
        &["Taliban fighters => TTP: Tehreek-i-Taliban Pakistan [2 PK]"],
    );
    // Without a year, movements that later governed are read as insurgents.
    check("Taliban fighters overran the district.", "AF", 0, &["Taliban fighters => Taliban [2 AF]"]);
    check("Taliban fighters seized the district.", "", 0, &["Taliban fighters => Taliban [2 AF]"]);
    check("Houthi fighters shelled Taiz.", "YE", 0, &["Houthi fighters => Houthi Movement - Ansar Allah [2 YE]"]);
    // With a year after the takeover, the state reading stands.
    check(
        "Taliban forces detained two journalists.",
        "AF",
        2023,
        &[
            "Taliban forces => Military Forces of Afghanistan (2021-) [1 AF]",
            "journalists => Journalists (Afghanistan) [7 AF]",
        ],
    );
}

#[test]
fn aliases_match_with_case_rules_and_spelling_variants() {
    let cases: &[(&str, &str, &[&str])] = &[
        ("IS fighters held the bridge. This is new.", "IQ", &["IS fighters => Islamic State (Iraq) [2 IQ]"]),
        ("Isis fighters held the bridge.", "IQ", &["Isis fighters => Islamic State (Iraq) [2 IQ]"]),
        ("Is it true that isis left?", "IQ", &[]),
        (
            "Al Shabaab and al-Shabab and Shabaab.",
            "SO",
            &["Al Shabaab => Al Shabaab [2 SO]", "al-Shabab => Al Shabaab [2 SO]", "Shabaab => Al Shabaab [2 SO]"],
        ),
        (
            "The Lord’s Resistance Army and the Lords Resistance Army.",
            "CF",
            &[
                "Lord’s Resistance Army => LRA: Lord's Resistance Army [2 UG]",
                "Lords Resistance Army => LRA: Lord's Resistance Army [2 UG]",
            ],
        ),
        ("Ex-Séléka fighters looted the market.", "CF", &["Ex-Séléka fighters => Séléka Militia [3 CF]"]),
        (
            "Let the islamic state wait; the Islamic State did not.",
            "SY",
            &["Islamic State => Islamic State (Syria) [2 SY]"],
        ),
        (
            "Sudanese SAF units shelled the hills; SAF denied it.",
            "SD",
            &[
                "Sudanese SAF units => Military Forces of Sudan (1989-) [1 SD]",
                "SAF => Military Forces of Sudan (1989-) [1 SD]",
            ],
        ),
        ("SAF denied it.", "SG", &[]),
        ("ISIS-held areas.", "IQ", &["ISIS => Islamic State (Iraq) [2 IQ]"]),
    ];
    for (text, country, expect) in cases {
        check(text, country, 2016, expect);
    }
}

#[test]
fn identity_militias_and_collectives() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "Murle youths raided cattle camps in Pibor.",
            "SS",
            &["Murle youths => Murle Ethnic Militia (South Sudan) [4 SS]"],
        ),
        (
            "Oromo protesters blocked the road.",
            "ET",
            &["Oromo protesters => Protesters (Ethiopia) [6 ET]", "Oromo => Oromo Ethnic Group (Ethiopia) [4 ET]"],
        ),
        (
            "Fulani herdsmen attacked farmers.",
            "ML",
            &["Fulani herdsmen => Fulani Ethnic Militia (Mali) [4 ML]", "farmers => Civilians (Mali) [7 ML]"],
        ),
        (
            "Fulani herdsmen attacked farmers.",
            "NG",
            &["Fulani herdsmen => Fulani Ethnic Militia (Nigeria) [4 NG]", "farmers => Civilians (Nigeria) [7 NG]"],
        ),
        ("Suspected herdsmen burned houses.", "NG", &["Suspected herdsmen => Fulani Ethnic Militia (Nigeria) [4 NG]"]),
        ("Suspected herdsmen burned houses.", "KE", &[]),
        (
            "Gunmen from Dhulbahante shot a driver.",
            "SO",
            &["Gunmen from Dhulbahante => Dhulbahante Clan Militia (Somalia) [4 SO]"],
        ),
        ("Clan militias exchanged fire.", "SO", &["Clan militias => Unidentified Clan Militia (Somalia) [4 SO]"]),
        (
            "Unknown gunmen killed two civilians.",
            "BI",
            &["Unknown gunmen => Unidentified Armed Group (Burundi) [3 BI]", "civilians => Civilians (Burundi) [7 BI]"],
        ),
        ("Kenyan protesters marched on the border post.", "UG", &["Kenyan protesters => Protesters (Kenya) [6 KE]"]),
        (
            "Rioters torched the office and looters followed.",
            "ZA",
            &["Rioters => Rioters (South Africa) [5 ZA]", "looters => Rioters (South Africa) [5 ZA]"],
        ),
        ("The international community condemned it.", "ZA", &[]),
        ("Misratan forces advanced.", "LY", &["Misratan forces => Misratah Communal Militia (Libya) [4 LY]"]),
        ("Protesters gathered.", "", &["Protesters => Protesters [6 -]"]),
        (
            "Zanu PF activists beat an MDC-T activist.",
            "ZW",
            &[
                "Zanu PF activists => ZANU-PF: Zimbabwe African National Union-Patriotic Front [3 ZW]",
                "MDC-T => MDC-T: Movement for Democratic Change (Tsvangirai Faction) [3 ZW]",
                "activist => activist {activist}",
            ],
        ),
    ];
    for (text, country, expect) in cases {
        check(text, country, 2016, expect);
    }
}

#[test]
fn back_references_name_the_one_armed_group() {
    check(
        "Boko Haram attacked Dikwa. The militants burned the market.",
        "NG",
        2016,
        &[
            "Boko Haram => Boko Haram - Wilayat Gharb Ifriqiyyah [2 NG]",
            "militants => Boko Haram - Wilayat Gharb Ifriqiyyah [2 NG]",
        ],
    );
    check(
        "Al Shabaab and ISIS clashed. The militants withdrew.",
        "SO",
        2016,
        &["Al Shabaab => Al Shabaab [2 SO]", "ISIS => Islamic State (Somalia) [2 SO]"],
    );
    check(
        "The militants withdrew after a gunfight.",
        "SO",
        2016,
        &["militants => Unidentified Armed Group (Somalia) [2 SO]"],
    );
    check("The militant group claimed the attack.", "SO", 2016, &[]);
    check(
        "Boko Haram attacked Dikwa. The militant group later withdrew.",
        "NG",
        2016,
        &[
            "Boko Haram => Boko Haram - Wilayat Gharb Ifriqiyyah [2 NG]",
            "The militant group => Boko Haram - Wilayat Gharb Ifriqiyyah [2 NG]",
        ],
    );
    // Without "the", a militant group is some group, not a back-reference; "militant" qualifies "group".
    check("A militant group claimed it.", "SO", 2016, &[]);
    check("A militant was killed.", "SO", 2016, &["militant => Unidentified Armed Group (Somalia) [2 SO]"]);
    // "Islamist militants" look for a political militia first, "the militants" for a rebel group.
    check(
        "Hezbollah and the Badr Organization fought; Islamist militants and the militants withdrew.",
        "LB",
        2016,
        &[
            "Hezbollah => Hezbollah [2 LB]",
            "Badr Organization => Badr Organization [3 IQ]",
            "Islamist militants => Badr Organization [3 IQ]",
            "militants => Hezbollah [2 LB]",
        ],
    );
}

#[test]
fn people_by_title_and_role() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "Iraqi Ministry of Defense spokesman Brig. Gen. Tahsin Ibrahim told reporters",
            "IQ",
            &[
                "Iraqi Ministry of Defense spokesman Brig. Gen. Tahsin Ibrahim => Tahsin Ibrahim {Ministry of Defense spokesman, Brigadier General}",
                "reporters => Journalists (Iraq) [7 IQ]",
            ],
        ),
        (
            "Prime Minister Haider al-Abadi’s claims",
            "IQ",
            &["Prime Minister Haider al-Abadi => Haider al-Abadi {Prime Minister}"],
        ),
        ("a defense spokesman said", "IQ", &["defense spokesman => defense spokesman {defense spokesman}"]),
        ("witnesses said", "IQ", &["witnesses => witnesses {witnesses}"]),
        ("Major roads were closed and Major Ahmed Ali was hurt.", "IQ", &["Major Ahmed Ali => Ahmed Ali {Major}"]),
        (
            "President Muhammadu Buhari on Monday ordered",
            "NG",
            &["President Muhammadu Buhari => Muhammadu Buhari {President}"],
        ),
        ("a police spokesman, Ahmed Ali, said", "KE", &["police spokesman => police spokesman {police spokesman}"]),
        (
            "Islamic State leader Abu Bakr al-Baghdadi",
            "IQ",
            &["Islamic State leader Abu Bakr al-Baghdadi => Abu Bakr al-Baghdadi {Islamic State leader}"],
        ),
    ];
    for (text, country, expect) in cases {
        check(text, country, 2016, expect);
    }
    let hits = LEX.recognize("a police spokesman said", TextRange::full("a police spokesman said"), &ctx("KE", 2016));
    assert_eq!((hits[0].inter, hits[0].country.as_deref()), (Inter::StateForces, Some("KE")));
    let hits = LEX.recognize("witnesses said", TextRange::full("witnesses said"), &ctx("KE", 2016));
    assert_eq!(hits[0].inter, Inter::Civilians);
}

#[test]
fn ranges_are_absolute_sorted_and_match_the_text() {
    let text = "HEADLINE. Kenyan police and Al Shabaab fighters clashed; witnesses said Oromo protesters fled.";
    let region = TextRange::new(10, text.len());
    let hits = LEX.recognize(text, region, &ctx("KE", 2016));
    assert!(!hits.is_empty());
    for w in hits.windows(2) {
        let (a, b) = (w[0].range, w[1].range);
        assert!(a.start() <= b.start());
        assert!(a.end() <= b.start() || a.contains_range(b), "{a:?} and {b:?} overlap");
    }
    for h in &hits {
        assert!(region.contains_range(h.range));
        assert!(!text[h.range].is_empty());
    }
    assert_eq!(&text[hits[0].range], "Kenyan police");
}

#[test]
fn never_panics_on_odd_text() {
    // A deterministic soup of word pieces, punctuation and multi-byte characters.
    let pieces = [
        "ISIS",
        " ",
        "-",
        "’s",
        "Séléka",
        "9th",
        " Division",
        "the militants",
        "Gen.",
        " al-",
        "Kenyan",
        "forces",
        "\n",
        "é",
        "日本",
        "Boko",
        " Haram",
        "police",
        ",",
        "spokesman",
        "'",
        "Major",
        "Fulani",
        " herdsmen",
        "AMISOM",
        "/",
        "KDF",
        "  ",
        "military",
    ];
    let mut seed: u64 = 0x5eed;
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..40 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        for c in ["SO", "", "NG"] {
            for h in LEX.recognize(&text, TextRange::full(&text), &ctx(c, 2016)) {
                assert!(h.range.is_valid_for(&text));
            }
        }
    }
}

#[test]
fn helpers_name_states_collectives_and_countries() {
    assert_eq!(LEX.state_actor(Branch::Police, "KE", Some(2016)).as_deref(), Some("Police Forces of Kenya (2013-)"));
    assert_eq!(
        LEX.state_actor(Branch::Military, "US", Some(2018)).as_deref(),
        Some("Military Forces of the United States (2017-)")
    );
    assert_eq!(LEX.state_actor(Branch::Government, "XX", None), None);
    assert_eq!(LEX.collective("Civilians", Some("SO")), "Civilians (Somalia)");
    assert_eq!(LEX.collective("Civilians", None), "Civilians");
    assert_eq!(LEX.country_code("Democratic Republic of Congo"), Some("CD"));
    assert_eq!(LEX.country_code("drc"), Some("CD"));
    assert_eq!(LEX.country_code("Somaliland"), Some("SO"));
    assert_eq!(LEX.country_name("CI"), Some("Ivory Coast"));
}

#[test]
fn builtin_lexicon_covers_the_regions() {
    let s = LEX.stats();
    assert!(s.countries >= 90 && s.groups >= 250 && s.ethnic >= 150 && s.forces >= 200, "{s:?}");
    assert!(s.patterns > s.groups, "{s:?}");
    for code in [
        "NG", "SO", "SS", "SD", "CD", "BI", "LY", "EG", "KE", "ET", "ML", "CF", "CM", "DZ", "TN", "ZA", "UG", "ZW",
        "MZ",
    ] {
        assert!(
            LEX.state_actor(Branch::Military, code, Some(2016)).is_some_and(|n| n.ends_with('-') || n.ends_with(")"))
        );
    }
}

#[test]
fn user_files_extend_and_take_precedence() {
    let user = "name\tinter\tcountry\tfrom\tto\twhere\taliases\tcontingents\n\
                Lakeside Defence Brigade\t3\tKE\t\t\t\tLakeside Brigade|the Brigade\t\n\
                Islamic State (Kenya)\t2\tKE\t\t\tKE\tISIS\t\n";
    let lex = ActorLexicon::builtin().unwrap().with_text("user.tsv", user).unwrap();
    assert_eq!(
        render(&lex, "The Lakeside Brigade and ISIS fought.", &ctx("KE", 2016)),
        ["Lakeside Brigade => Lakeside Defence Brigade [3 KE]", "ISIS => Islamic State (Kenya) [2 KE]",]
    );
    let forces = "alias\tbranch\tunit\tcountries\tneeds\nrangers\tpolice\tRangers\t\t\n";
    let lex = lex.with_text("forces.tsv", forces).unwrap();
    assert_eq!(
        render(&lex, "Rangers shot a poacher.", &ctx("KE", 2016)),
        ["Rangers => Police Forces of Kenya (2013-) Rangers [1 KE]",]
    );
}

#[test]
fn with_file_reads_a_file_and_names_it_in_errors() {
    let dir = std::env::temp_dir().join(format!("sitrep-actors-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.tsv");
    std::fs::write(&path, "alias\tlabel\tinter\tjoins\nposse\tVigilante Militia\t4\t\n").unwrap();
    let lex = ActorLexicon::builtin().unwrap().with_file(&path).unwrap();
    assert_eq!(render(&lex, "A posse chased them.", &ctx("KE", 2016)), ["posse => Vigilante Militia (Kenya) [4 KE]"]);
    std::fs::write(&path, "alias\tlabel\tinter\tjoins\nposse\tVigilante Militia\t9\t\n").unwrap();
    let err = ActorLexicon::builtin().unwrap().with_file(&path).unwrap_err();
    assert_eq!(err.to_string(), format!("{}:2: field `inter`: expected 1-8, got 9", path.display()));
    let missing = ActorLexicon::builtin().unwrap().with_file(&dir.join("absent.tsv")).unwrap_err();
    assert!(missing.to_string().contains("absent.tsv: cannot read"), "{missing}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn errors_name_file_line_and_field() {
    let cases: &[(&str, &str)] = &[
        (
            "name\tinter\tcountry\tfrom\tto\twhere\taliases\tcontingents\n# a comment\nX\t9\t\t\t\t\txx\t\n",
            "lexicons/actors/groups.tsv:3: field `inter`: expected 1-8, got 9",
        ),
        (
            "name\tinter\tcountry\tfrom\tto\twhere\taliases\tcontingents\nX\t2\tZZ\t\t\t\txx\t\n",
            "lexicons/actors/groups.tsv:2: field `country`: unknown country code ZZ",
        ),
        (
            "name\tinter\tcountry\tfrom\tto\twhere\taliases\tcontingents\nX\t2\t\t2016\t2015\t\txx\t\n",
            "lexicons/actors/groups.tsv:2: field `to`: ends (2015) before it starts (2016)",
        ),
        (
            "name\tinter\tcountry\tfrom\tto\twhere\taliases\tcontingents\nX\t2\t\t\t\t\txx||yy\t\n",
            "lexicons/actors/groups.tsv:2: field `aliases`: empty entry in `|`-separated list \"xx||yy\"",
        ),
        (
            "name\tinter\tcountry\tfrom\tto\twhere\taliases\tcontingents\nX\t2\t\t\t\t\t-xx\t\n",
            "lexicons/actors/groups.tsv:2: field `aliases`: alias \"-xx\" must start with a letter or digit and be 2+ bytes",
        ),
        (
            "alias\tbranch\tunit\tcountries\tneeds\ntroopers\tnavy\t\t\t\n",
            "lexicons/actors/groups.tsv:2: field `branch`: expected military, police or government, got navy",
        ),
        (
            "alias\tlabel\tinter\tjoins\nmob\tRioters\t5\tmember|crowd\n",
            "lexicons/actors/groups.tsv:2: field `joins`: expected member, ethnic, nationality, only, the or noun, got crowd",
        ),
        (
            "code\tfrom\tto\nKE\t2013\t\textra\n",
            "lexicons/actors/groups.tsv:2: 4 fields, but the regimes table has 3 (code, from, to)",
        ),
    ];
    for (text, expect) in cases {
        let err = ActorLexicon::builtin().unwrap().with_text("lexicons/actors/groups.tsv", text).unwrap_err();
        assert_eq!(err.to_string(), *expect);
    }
    let err = ActorLexicon::builtin().unwrap().with_text("x.tsv", "alias\tname\n").unwrap_err();
    assert!(err.to_string().starts_with("x.tsv:1: the first row must be a header"), "{err}");
    assert_eq!(err.line(), Some(1));
    assert_eq!(err.file(), "x.tsv");
}

#[test]
fn spelling_variants() {
    let v = compile::variants("Lord's Resistance Army");
    for want in ["Lord's Resistance Army", "Lord’s Resistance Army", "Lords Resistance Army", "Lord's Resistance-Army"]
    {
        assert!(v.iter().any(|x| x == want), "{want} missing from {v:?}");
    }
    assert_eq!(compile::variants("ISIS"), ["ISIS"]);
}

#[test]
fn hints_name_countries_without_context() {
    let render_hints = |text: &str| -> Vec<String> {
        LEX.hints(text, TextRange::full(text))
            .into_iter()
            .map(|h| format!("{} => {}", &text[h.range], h.country.as_deref().unwrap_or("-")))
            .collect::<Vec<_>>()
    };
    let cases: &[(&str, &[&str])] = &[
        // A state force named by nationality counts; bare force words and people do not.
        (
            "Ethiopian soldiers fired on the crowd, a police spokesman said; troops later withdrew.",
            &["Ethiopian soldiers => ET"],
        ),
        // Named groups carry their home country; unqualified collectives do not.
        ("Al Shabaab fighters attacked the town and residents fled.", &["Al Shabaab fighters => SO"]),
        // An ethnic group of one country names it; one living in many countries does not.
        ("Murle youths raided cattle camps.", &["Murle youths => SS"]),
        ("Fulani herdsmen clashed with farmers.", &[]),
        ("Oromo protesters marched on the town.", &["Oromo => ET"]),
        // A peacekeeping mission names its host country; its contributors' troops are its contingents.
        ("AMISOM and KDF troops repelled the attack.", &["AMISOM => SO"]),
        ("KDF troops repelled the attack.", &["KDF troops => KE"]),
        ("MONUSCO peacekeepers patrolled the road.", &["MONUSCO peacekeepers => CD"]),
        // National acronyms that mean little else.
        ("SAF bombed the villages.", &["SAF => SD"]),
        // Collectives named by nationality are often abroad.
        ("Somali refugees protested at the camp.", &[]),
        ("Protesters gathered outside parliament.", &[]),
    ];
    for (text, expect) in cases {
        assert_eq!(render_hints(text), *expect, "\ntext: {text}");
    }
    // Ranges slice the text, also inside a region.
    let text = "Intro. Kenyan police arrested two men.";
    let region = TextRange::new(7, text.len());
    let hits = LEX.hints(text, region);
    assert_eq!(hits.len(), 1);
    assert_eq!(&text[hits[0].range], "Kenyan police");
    assert_eq!(hits[0].kind, ActorKind::StateForce);
}

#[test]
fn armed_men_of_a_named_group_or_people() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "Gunmen from the Lord's Resistance Army abducted 12 villagers.",
            "CF",
            &[
                "Gunmen from the Lord's Resistance Army => LRA: Lord's Resistance Army [2 UG]",
                "villagers => Civilians (Central African Republic) [7 CF]",
            ],
        ),
        (
            "Fighters loyal to the SPLA-IO overran the town.",
            "SS",
            &[
                "Fighters loyal to the SPLA-IO => SPLA/M-In Opposition: Sudanese People's Liberation Army/Movement-In Opposition [2 SS]",
            ],
        ),
        (
            "Armed Fulani killed two farmers.",
            "NG",
            &["Armed Fulani => Fulani Ethnic Militia (Nigeria) [4 NG]", "farmers => Civilians (Nigeria) [7 NG]"],
        ),
        // Without "armed" (or a head word) the people are not an actor …
        ("The Fulani say they were pushed south.", "NG", &[]),
        ("Two Fulanis were killed in the raid.", "NG", &[]),
        // … unless the plural is the subject of what they did.
        (
            "Suspected Fulanis attacked farmers.",
            "NG",
            &["Fulanis => Fulani Ethnic Militia (Nigeria) [4 NG]", "farmers => Civilians (Nigeria) [7 NG]"],
        ),
        (
            "Fulani cattle herders killed a priest.",
            "GH",
            &["Fulani cattle herders => Fulani Ethnic Militia (Ghana) [4 GH]"],
        ),
        ("Government militia attacked the camp.", "SD", &["Government militia => Militia (Pro-Government) [3 SD]"]),
        (
            "Gunmen reportedly hailing from the Murle raided the camp.",
            "SS",
            &["Gunmen reportedly hailing from the Murle => Murle Ethnic Militia (South Sudan) [4 SS]"],
        ),
        (
            "Two soldiers of the United Nations Mission in Liberia beat a boy.",
            "LR",
            &["soldiers of the United Nations Mission in Liberia => UNMIL: United Nations Mission in Liberia [8 -]"],
        ),
        (
            "Gunmen affiliated with the \"Islamic State\" attacked a compound.",
            "EG",
            &["Gunmen affiliated with the \"Islamic State => State of Sinai [3 EG]"],
        ),
        (
            "Unidentified forces fired rockets at the camp.",
            "LY",
            &["Unidentified forces => Unidentified Armed Group (Libya) [3 LY]"],
        ),
        (
            "Armed militia from Galjeel opened fire on a truck.",
            "SO",
            &["Armed militia from Galjeel => Gaaljecel Clan Militia (Somalia) [4 SO]"],
        ),
        // "from" a place is not "from" a group.
        ("Gunmen from Maiduguri fled.", "NG", &["Gunmen => Unidentified Armed Group (Nigeria) [3 NG]"]),
    ];
    for (text, country, expect) in cases {
        check(text, country, 2016, expect);
    }
}

#[test]
fn national_acronyms_name_their_country_when_the_document_country_is_unknown() {
    check("SAF bombed the villages.", "", 2016, &["SAF => Military Forces of Sudan (1989-) [1 SD]"]);
    check("SAF bombed the villages.", "SD", 2016, &["SAF => Military Forces of Sudan (1989-) [1 SD]"]);
    // A known other country (even one without a row in the country table) rules them out.
    check("SAF bombed the villages.", "SG", 2016, &[]);
    check("SAF bombed the villages.", "KE", 2016, &[]);
    // `local` acronyms still need the country.
    check("ISF units advanced.", "", 2016, &[]);
}

#[test]
fn rows_that_need_a_place_named_in_the_text() {
    // The Islamic State in Sirte was its Tripoli province; elsewhere in Libya, Cyrenaica's.
    check(
        "Islamic State fighters attacked a checkpoint west of Sirte.",
        "LY",
        2016,
        &["Islamic State fighters => Islamic State (Tripoli) [2 LY]"],
    );
    check(
        "Islamic State fighters attacked a checkpoint in Benghazi.",
        "LY",
        2016,
        &["Islamic State fighters => Islamic State (Cyrenaica Province) [2 LY]"],
    );
    // A place inside a longer word does not count.
    check(
        "Islamic State fighters attacked Sirtex Street in Benghazi.",
        "LY",
        2016,
        &["Islamic State fighters => Islamic State (Cyrenaica Province) [2 LY]"],
    );
}

#[test]
fn a_shared_head_word_makes_both_peoples_militias() {
    check(
        "Clashes between Murle and Lou Nuer militias left ten dead.",
        "SS",
        2016,
        &[
            "Murle => Murle Ethnic Militia (South Sudan) [4 SS]",
            "Lou Nuer militias => Lou Nuer Ethnic Militia (South Sudan) [4 SS]",
        ],
    );
    check(
        "Fighting between Tabu and Tuareg tribesmen resumed.",
        "LY",
        2016,
        &["Tabu => Tabu Ethnic Militia (Libya) [4 LY]", "Tuareg tribesmen => Tuareg Ethnic Militia (Libya) [4 LY]"],
    );
}

#[test]
fn unnamed_attackers_of_a_claimed_attack_are_the_claimant() {
    check(
        "Gunmen shot dead two policemen in Arish. Sinai Province claimed responsibility.",
        "EG",
        2016,
        &[
            "Gunmen => State of Sinai [3 EG]",
            "policemen => Police Forces of Egypt (2014-) [1 EG]",
            "Sinai Province => State of Sinai [3 EG]",
        ],
    );
    check(
        "A suicide bomber struck a market in Baidoa; the attack was claimed by al Shabaab.",
        "SO",
        2016,
        &["suicide bomber => Al Shabaab [2 SO]", "al Shabaab => Al Shabaab [2 SO]"],
    );
    // No claim, or a denial: the attackers stay unidentified.
    check(
        "Gunmen shot dead two policemen in Arish. Sinai Province denied involvement.",
        "EG",
        2016,
        &[
            "Gunmen => Unidentified Armed Group (Egypt) [3 EG]",
            "policemen => Police Forces of Egypt (2014-) [1 EG]",
            "Sinai Province => State of Sinai [3 EG]",
        ],
    );
}

#[test]
fn peoples_the_lexicon_lacks_before_a_militia_word() {
    check(
        "Clashes between Abuok and Thony communal militias near Thiet left 40 dead.",
        "SS",
        2016,
        &[
            "Abuok => Abuok Communal Militia (South Sudan) [4 SS]",
            "Thony communal militias => Thony Communal Militia (South Sudan) [4 SS]",
        ],
    );
    check(
        "Armed communal militia raided the camp.",
        "SS",
        2016,
        &["communal militia => Unidentified Communal Militia (South Sudan) [4 SS]"],
    );
    // A listed people keeps its own row.
    check(
        "Murle ethnic militia raided the camp.",
        "SS",
        2016,
        &["Murle ethnic militia => Murle Ethnic Militia (South Sudan) [4 SS]"],
    );
}

#[test]
fn a_shared_force_word_after_two_nationalities() {
    check(
        "Nigerian and Cameroonian troops engaged Boko Haram fighters.",
        "NG",
        2016,
        &[
            "Nigerian => Military Forces of Nigeria (2015-) [1 NG]",
            "Cameroonian troops => Military Forces of Cameroon (1982-) [8 CM]",
            "Boko Haram fighters => Boko Haram - Wilayat Gharb Ifriqiyyah [2 NG]",
        ],
    );
}

#[test]
fn group_files_with_and_without_the_near_column() {
    // The old eight-column header still loads.
    let old = "name\tinter\tcountry\tfrom\tto\twhere\taliases\tcontingents\nRiver Boys\t3\tNG\t\t\t\tRiver Boys\t\n";
    let lex = ActorLexicon::builtin().unwrap().with_text("mine.tsv", old).unwrap();
    assert_eq!(render(&lex, "The River Boys attacked.", &ctx("NG", 2016)), ["River Boys => River Boys [3 NG]"]);
    // With `near`, the row applies only where the text names one of the places.
    let near = "name\tinter\tcountry\tfrom\tto\twhere\taliases\tcontingents\tnear\n\
                Delta River Boys\t3\tNG\t\t\t\tRiver Boys\t\tWarri|Yenagoa\n";
    let lex = ActorLexicon::builtin().unwrap().with_text("mine.tsv", near).unwrap();
    assert_eq!(
        render(&lex, "The River Boys attacked Warri.", &ctx("NG", 2016)),
        ["River Boys => Delta River Boys [3 NG]"]
    );
    assert_eq!(render(&lex, "The River Boys attacked Kano.", &ctx("NG", 2016)), Vec::<String>::new());
}

/// Texts written for the scan-reuse tests: a headline line, then a body.
const SCANNED: &[&str] = &[
    "Troops clash with rebels near border\n\nKenyan troops and Somali police said al Shabaab fighters attacked a \
     base; the militants later claimed responsibility. Antipolice protesters marched in Mombasa.",
    "Herders accused of raid\n\nGunmen from the Fulani community killed three farmers, a police spokesman said. \
     Murle youths and Lou Nuer militias fought overnight, witnesses told reporters.",
    "Brig. Gen. Amina Odhiambo said the army had retaken the town from ISIS fighters. Nigerian and Cameroonian \
     troops patrolled; AMISOM said Ugandan soldiers were hurt.",
];

/// Every suffix of a scanned text reads the same from the scan as afresh, in any document context, even
/// where the suffix starts inside a word ("Anti|police").
#[test]
fn recognizing_from_a_scan_equals_scanning_afresh() {
    let contexts = [ctx("", 0), ctx("KE", 2016), ctx("SO", 2012), ctx("NG", 2019), ctx("SS", 2015)];
    let mut seen = 0;
    for text in SCANNED {
        let scan = LEX.scan(text, TextRange::full(text));
        for start in (0..=text.len()).filter(|&s| text.is_char_boundary(s)) {
            let region = TextRange::new(start, text.len());
            assert!(scan.probes_for(&LEX, text, region).is_some(), "a suffix fits the scan");
            for c in &contexts {
                let fresh = LEX.recognize(text, region, c);
                seen += fresh.len();
                assert_eq!(LEX.recognize_with(text, region, c, Some(&scan)), fresh, "\nregion {start}.. of: {text}");
            }
        }
    }
    assert!(seen > 0, "the texts name actors");
    // "police" starts a word of the region that cuts "Antipolice": it is read there.
    let text = SCANNED[0];
    let at = text.find("Antipolice").unwrap_or_else(|| panic!("test text")) + 4;
    let scan = LEX.scan(text, TextRange::full(text));
    let hits = LEX.recognize_with(text, TextRange::new(at, text.len()), &ctx("KE", 2016), Some(&scan));
    assert_eq!(hits.first().map(|h| &text[h.range]), Some("police"));
}

/// A scan of another text (even an equal copy), by another lexicon or of a region that ends elsewhere is
/// not used: the region is scanned afresh, with the same hits.
#[test]
fn a_scan_that_does_not_fit_is_not_used() {
    let text = SCANNED[0];
    let copy = text.to_owned();
    let body = TextRange::new(text.find("\n\n").unwrap_or(0) + 2, text.len());
    let title = TextRange::new(0, text.find('\n').unwrap_or(0));
    let scan = LEX.scan(text, TextRange::full(text));
    let other = ActorLexicon::builtin().unwrap_or_else(|e| panic!("{e}"));
    assert!(scan.probes_for(&LEX, &copy, body).is_none());
    assert!(scan.probes_for(&other, text, body).is_none());
    assert!(scan.probes_for(&LEX, text, title).is_none());
    let c = ctx("KE", 2016);
    assert_eq!(LEX.recognize_with(&copy, body, &c, Some(&scan)), LEX.recognize(&copy, body, &c));
    assert_eq!(other.recognize_with(text, body, &c, Some(&scan)), other.recognize(text, body, &c));
    let titled = LEX.recognize_with(text, title, &c, Some(&scan));
    assert_eq!(titled, LEX.recognize(text, title, &c));
    assert!(titled.iter().any(|h| &text[h.range] == "Troops"), "{titled:?}");
}

/// Hints read from a scan are the hints.
#[test]
fn hints_from_a_scan() {
    for text in SCANNED {
        let region = TextRange::full(text);
        let scan = LEX.scan(text, region);
        assert_eq!(scan.region(), region);
        let hints = LEX.hints_with(&scan);
        assert!(!hints.is_empty(), "{text}");
        assert_eq!(hints, LEX.hints(text, region));
    }
}

#[test]
fn heads_of_state_name_their_country() {
    let country = |text: &str, year: i16| -> Vec<Option<String>> {
        LEX.recognize(text, TextRange::full(text), &ctx("", year)).into_iter().map(|h| h.country).collect()
    };
    // After a title the head of state is a person who speaks for the country; alone, the government.
    assert_eq!(country("President Yoweri Museveni addressed a rally.", 2016), [Some("UG".to_owned())]);
    check("Crowds marched against Museveni.", "", 2016, &["Museveni => Government of Uganda (1986-) [1 UG]"]);
    // Out of office, the name tells nothing.
    assert_eq!(country("President Jacob Zuma addressed a rally.", 2022), [None]);
}

#[test]
fn a_near_place_tells_a_country_dependent_group_when_the_country_is_unknown() {
    check(
        "Islamic State fighters shelled Ras Lanuf.",
        "",
        2016,
        &["Islamic State fighters => Islamic State (Tripoli) [2 LY]"],
    );
    check("Islamic State fighters shelled the town.", "", 2016, &["Islamic State fighters => Islamic State [2 -]"]);
}

#[test]
fn a_bare_abbreviation_names_its_group_only_where_the_group_is() {
    // "AA" is the Arakan Army in Myanmar and an anti-aircraft gun elsewhere; the full name counts anywhere.
    let gun = render(&LEX, "Soldiers fired an AA gun at the insurgents near Bama.", &ctx("NG", 2016));
    assert!(gun.iter().all(|h| !h.contains("Arakan")), "{gun:?}");
    let mm = render(&LEX, "AA fighters attacked a police post in Rakhine.", &ctx("MM", 2019));
    assert!(mm.iter().any(|h| h.contains("AA: Arakan Army")), "{mm:?}");
    let named = render(&LEX, "The Arakan Army said it shot down a helicopter.", &ctx("", 2019));
    assert!(named.iter().any(|h| h.contains("AA: Arakan Army")), "{named:?}");
}
