//! What the facade knows before geoparsing: the outlet's home country and the
//! actors the text names. Reports written for these tests.

use sitrep::{Pipeline, RawDocument};

fn analyze(pipeline: &Pipeline, text: &str, outlet: Option<&str>) -> sitrep::DocumentRecord {
    let mut doc = RawDocument::text("t", text.to_owned());
    doc.title = Some("Test report".to_owned());
    doc.outlet = outlet.map(str::to_owned);
    pipeline.analyze(&doc)
}

#[test]
fn the_outlet_places_a_report_that_names_no_place() {
    let pipeline = Pipeline::builder().build().unwrap();
    let text = "Hundreds of teachers marched on Monday to demand unpaid salaries.";
    let rec = analyze(&pipeline, text, Some("Radio Okapi"));
    let actor = rec.events[0].actor1.as_ref().unwrap();
    assert_eq!(actor.name, "Protesters (Democratic Republic of Congo)");
    // A wire says nothing about the country.
    let rec = analyze(&pipeline, text, Some("Reuters"));
    assert_eq!(rec.events[0].actor1.as_ref().unwrap().name, "Protesters");
}

#[test]
fn an_unlisted_outlet_qualified_by_a_place_points_to_its_country() {
    let pipeline = Pipeline::builder().build().unwrap();
    let text = "Hundreds of teachers marched on Monday to demand unpaid salaries.";
    let protesters =
        |outlet: &str| analyze(&pipeline, text, Some(outlet)).events[0].actor1.as_ref().unwrap().name.clone();
    assert_eq!(protesters("The Valley Courier (Lagos)"), "Protesters (Nigeria)");
    assert_eq!(protesters("The Valley Courier (South Africa)"), "Protesters (South Africa)");
    // A qualifier that is no place says nothing.
    assert_eq!(protesters("The Valley Courier (English)"), "Protesters");
}

#[test]
fn a_users_outlet_file_is_read_and_its_errors_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("mine.tsv");
    std::fs::write(&good, "# my outlets\nValley Courier\tvalleycourier.example\tKE\tlocal\t\n").unwrap();
    let pipeline = Pipeline::builder().outlets(&good).build().unwrap();
    let rec = analyze(&pipeline, "Traders protested on Tuesday against new market fees.", Some("Valley Courier"));
    assert_eq!(rec.events[0].actor1.as_ref().unwrap().name, "Protesters (Kenya)");

    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "Valley Courier\t\tKE\tlocal\t\nHill Times\t\tKenya\tlocal\t\n").unwrap();
    let Err(err) = Pipeline::builder().outlets(&bad).build() else { panic!("a bad outlet file must fail") };
    let chain = format!("{err}: {}", std::error::Error::source(&err).unwrap());
    assert!(chain.contains("bad.tsv: line 2: field country"), "{chain}");
}

#[test]
fn names_of_armed_groups_are_not_places() {
    let pipeline = Pipeline::builder().build().unwrap();
    let rec = analyze(&pipeline, "Boko Haram fighters raided a village on Sunday, killing four farmers.", None);
    assert!(rec.places.iter().all(|p| !p.span.text.contains("Haram")), "{:?}", rec.places);
    assert_eq!(rec.events[0].actor1.as_ref().unwrap().inter.code(), 2);
}

#[test]
fn group_names_hide_the_places_inside_them() {
    let pipeline = Pipeline::builder().build().unwrap();
    let text = "Members of the Movement for the Emancipation of the Niger Delta attacked an army post on Sunday, killing two soldiers.";
    // The gazetteer alone sees the country inside the name...
    let geo = pipeline.gazetteer().geoparse(text, &sitrep_gazetteer::GeoHints::body(text));
    assert!(geo.places.iter().any(|p| p.span.text.contains("Niger")), "{:?}", geo.places);
    // ...the pipeline knows it is part of a group's name, whose country still hints at the focus.
    let rec = analyze(&pipeline, text, None);
    assert!(rec.places.iter().all(|p| !p.span.text.contains("Niger")), "{:?}", rec.places);
    assert!(rec.actors.iter().any(|a| a.name.starts_with("MEND")), "{:?}", rec.actors);
    // With no place left, the group's home country names the state force.
    assert_eq!(rec.events[0].actor1.as_ref().unwrap().name, "Military Forces of Nigeria");
}

#[test]
fn a_lone_small_place_abroad_yields_to_the_groups_country() {
    let pipeline = Pipeline::builder().build().unwrap();
    // "Mundri" is also a village in Indonesia; the group is South Sudanese and nothing else in the
    // report points to Indonesia: the name stays a mention with no point, and the focus is the
    // group's country.
    let rec = analyze(&pipeline, "SPLA-IO fighters attacked Mundri on Sunday, killing three soldiers.", None);
    let mundri = rec.places.iter().find(|p| p.span.text == "Mundri").expect("the name is kept");
    assert_eq!(mundri.iso, None, "{mundri:?}");
    let e = &rec.events[0];
    assert!(e.actor1.iter().chain(&e.actor2).any(|a| a.name.contains("South Sudan")), "{e:?}");
}

#[test]
fn a_jsonl_records_web_address_names_the_outlets_home_town() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("local.jsonl");
    let line = |url: &str| {
        format!(
            "{{\"id\":\"{url}\",\"title\":\"Board meeting\",\"url\":\"{url}\",\"text\":\"The Dublin school board met on Monday. \
             Hundreds of parents protested outside against the closing of two schools.\"}}\n"
        )
    };
    let jsonl = line("https://www.columbusevening.com/local/board") + &line("");
    std::fs::write(&path, jsonl).unwrap();
    let pipeline = Pipeline::builder().build().unwrap();
    let recs: Vec<_> = sitrep::Reader::new(&[path], sitrep::ReadOptions::default())
        .map(|d| pipeline.analyze(&d.expect("a readable record")))
        .collect();
    let dublin = |rec: &sitrep::DocumentRecord| {
        let p = rec.places.iter().find(|p| p.span.text == "Dublin").expect("Dublin is a place");
        (p.iso.clone(), p.admin1.clone())
    };
    // The paper's home (Columbus, Ohio) picks the Dublin next to it ...
    assert_eq!(dublin(&recs[0]), (Some("US".into()), Some("Ohio".into())));
    // ... where no address says otherwise, the capital of Ireland.
    assert_eq!(dublin(&recs[1]).0.as_deref(), Some("IE"));
    // The home town is a hint, never a place of the record.
    assert!(recs[0].places.iter().all(|p| p.span.text != "Columbus"));
}
