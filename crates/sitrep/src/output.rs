//! Writing records in the contract's formats: JSON Lines, ACLED CSV, GeoJSON.
//!
//! Encoding is split from writing so that records can be encoded on many
//! threads ([`encode`]) and written in input order by one [`Writer`]: the
//! bytes out are the same whatever the thread count.

use std::io::{self, Write};

use serde::Serialize;
use sitrep_model::{DocumentRecord, Event};

/// An output format of `sitrep extract`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per document, one per line (the default).
    Jsonl,
    /// One row per event with ACLED's column names.
    AcledCsv,
    /// A FeatureCollection with one Point per located event.
    GeoJson,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "jsonl" => Ok(Format::Jsonl),
            "acled-csv" => Ok(Format::AcledCsv),
            "geojson" => Ok(Format::GeoJson),
            _ => Err(format!("unknown format {s:?}: expected jsonl, acled-csv or geojson")),
        }
    }
}

/// ACLED's columns, in the contract's order.
pub const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// The pieces one record contributes to the output: a JSON line, CSV rows,
/// or GeoJSON features. Pure; call it from any thread.
#[must_use]
pub fn encode(format: Format, record: &DocumentRecord) -> Vec<Vec<u8>> {
    match format {
        Format::Jsonl => {
            let mut line = serde_json::to_vec(record).expect("records always serialise");
            line.push(b'\n');
            vec![line]
        }
        Format::AcledCsv => record.events.iter().map(|e| acled_row(record, e)).collect(),
        Format::GeoJson => record.events.iter().filter_map(|e| feature(record, e)).collect(),
    }
}

/// Writes encoded pieces in order, with the format's header and footer.
pub struct Writer<W: Write> {
    format: Format,
    out: W,
    pieces: u64,
}

impl<W: Write> Writer<W> {
    /// Starts the output (writes the CSV header or the GeoJSON opening).
    ///
    /// # Errors
    /// When writing fails.
    pub fn new(format: Format, mut out: W) -> io::Result<Writer<W>> {
        match format {
            Format::Jsonl => {}
            Format::AcledCsv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(ACLED_COLUMNS).map_err(io::Error::other)?;
                out.write_all(&w.into_inner().map_err(|e| io::Error::other(e.to_string()))?)?;
            }
            Format::GeoJson => out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?,
        }
        Ok(Writer { format, out, pieces: 0 })
    }

    /// Writes the pieces of one record.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write(&mut self, pieces: &[Vec<u8>]) -> io::Result<()> {
        for p in pieces {
            if self.format == Format::GeoJson && self.pieces > 0 {
                self.out.write_all(b",\n")?;
            }
            self.out.write_all(p)?;
            self.pieces += 1;
        }
        Ok(())
    }

    /// Ends the output (closes the GeoJSON collection) and flushes.
    ///
    /// # Errors
    /// When writing fails.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == Format::GeoJson {
            self.out.write_all(b"\n]}\n")?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn acled_row(record: &DocumentRecord, e: &Event) -> Vec<u8> {
    let loc = e.location.as_ref();
    let opt = |s: Option<&String>| s.cloned().unwrap_or_default();
    let names = |v: &[sitrep_model::ActorRef]| v.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join("; ");
    let inter1 = e.actor1.as_ref().map(|a| a.inter.code());
    let inter2 = e.actor2.as_ref().map(|a| a.inter.code());
    let interaction = match (inter1, inter2) {
        (Some(a), Some(b)) => format!("{}{}", a.min(b), a.max(b)),
        (Some(a), None) | (None, Some(a)) => format!("{a}0"),
        (None, None) => String::new(),
    };
    let iso = loc.and_then(|l| l.iso.clone()).unwrap_or_default();
    let mut tags = vec![format!("certainty: {}", certainty_word(e))];
    if let Some(a) = &e.source.attribution {
        tags.push(format!("attribution: {a}"));
    }
    tags.push(format!("document: {}", record.document.id));
    let row: Vec<String> = vec![
        format!("{}{}", if iso.is_empty() { "XX" } else { &iso }, e.id),
        e.event_date.map(|d| d.to_string()).unwrap_or_default(),
        e.event_date.map(|d| d.year().to_string()).unwrap_or_default(),
        e.time_precision.to_string(),
        e.disorder_type.to_owned(),
        e.event_type.name().to_owned(),
        e.sub_event_type.name().to_owned(),
        e.actor1.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        names(&e.assoc_actor_1),
        inter1.map(|c| c.to_string()).unwrap_or_default(),
        e.actor2.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
        names(&e.assoc_actor_2),
        inter2.map(|c| c.to_string()).unwrap_or_default(),
        interaction,
        if e.civilian_targeting { "Civilian targeting".to_owned() } else { String::new() },
        iso,
        String::new(),
        opt(loc.and_then(|l| l.country.as_ref())),
        opt(loc.and_then(|l| l.admin1.as_ref())),
        opt(loc.and_then(|l| l.admin2.as_ref())),
        String::new(),
        loc.map(|l| l.name.clone()).unwrap_or_default(),
        loc.map(|l| format!("{:.4}", l.latitude)).unwrap_or_default(),
        loc.map(|l| format!("{:.4}", l.longitude)).unwrap_or_default(),
        loc.map(|l| l.geo_precision.to_string()).unwrap_or_default(),
        opt(e.source.outlet.as_ref()),
        String::new(),
        e.evidence.text.clone(),
        e.fatalities.to_string(),
        tags.join("; "),
        String::new(),
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&row).expect("writing to memory cannot fail");
    w.into_inner().expect("writing to memory cannot fail")
}

fn certainty_word(e: &Event) -> &'static str {
    match e.source.certainty {
        sitrep_model::Certainty::Reported => "reported",
        sitrep_model::Certainty::Claimed => "claimed",
        sitrep_model::Certainty::Unconfirmed => "unconfirmed",
    }
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    geometry: Geometry,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: &'static str,
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct Properties<'a> {
    document_id: &'a str,
    #[serde(flatten)]
    event: &'a Event,
}

fn feature(record: &DocumentRecord, e: &Event) -> Option<Vec<u8>> {
    let loc = e.location.as_ref()?;
    let f = Feature {
        kind: "Feature",
        geometry: Geometry { kind: "Point", coordinates: [loc.longitude, loc.latitude] },
        properties: Properties { document_id: &record.document.id, event: e },
    };
    Some(serde_json::to_vec(&f).expect("features always serialise"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_model::{ActorRef, Certainty, Inter, Location, Source, Span, SubEventType, TextRange};

    fn record() -> DocumentRecord {
        let text = "Rebels attacked an army post in Gao, killing 3 soldiers.";
        let span = |a: usize, b: usize| Span::of(text, TextRange::new(a, b));
        let t = SubEventType::ArmedClash;
        let event = Event {
            id: "abc".into(),
            event_type: t.event_type(),
            sub_event_type: t,
            disorder_type: t.disorder_type(),
            event_date: Some(sitrep_model::Date::constant(2016, 1, 5)),
            time_precision: 1,
            actor1: Some(ActorRef { name: "Rebels (Mali)".into(), inter: Inter::RebelGroups, span: span(0, 6) }),
            assoc_actor_1: vec![],
            actor2: Some(ActorRef {
                name: "Military Forces of Mali".into(),
                inter: Inter::StateForces,
                span: span(19, 23),
            }),
            assoc_actor_2: vec![],
            location: Some(Location {
                name: "Gao".into(),
                admin1: Some("Gao".into()),
                admin2: None,
                country: Some("Mali".into()),
                iso: Some("ML".into()),
                latitude: 16.2717,
                longitude: -0.0447,
                geo_precision: 1,
                geonameid: Some(2457163),
                span: span(32, 35),
            }),
            fatalities: 3,
            civilian_targeting: false,
            source: Source { outlet: Some("Wire".into()), attribution: None, certainty: Certainty::Reported },
            evidence: span(0, text.len()),
            confidence: 0.8,
        };
        let mut rec = DocumentRecord::default();
        rec.document.id = "doc1".into();
        rec.events.push(event);
        rec
    }

    fn render(format: Format, recs: &[DocumentRecord]) -> String {
        let mut w = Writer::new(format, Vec::new()).unwrap();
        for r in recs {
            w.write(&encode(format, r)).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn acled_csv_has_the_contract_columns_and_one_row_per_event() {
        let out = render(Format::AcledCsv, &[record(), DocumentRecord::default()]);
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(header, ACLED_COLUMNS);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        let get = |name: &str| rows[0][ACLED_COLUMNS.iter().position(|c| *c == name).unwrap()].to_owned();
        assert_eq!(get("interaction"), "12");
        assert_eq!(get("sub_event_type"), "Armed clash");
        assert_eq!(get("location"), "Gao");
        assert_eq!(get("fatalities"), "3");
        assert_eq!(get("event_id_cnty"), "MLabc");
    }

    #[test]
    fn geojson_is_a_feature_collection_of_points() {
        let out = render(Format::GeoJson, &[record(), record()]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["features"].as_array().unwrap().len(), 2);
        assert_eq!(v["features"][0]["geometry"]["coordinates"][0], -0.0447);
        assert_eq!(v["features"][0]["properties"]["sub_event_type"], "Armed clash");
        let empty = render(Format::GeoJson, &[]);
        let v: serde_json::Value = serde_json::from_str(&empty).unwrap();
        assert_eq!(v["features"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn jsonl_is_one_line_per_record_even_without_events() {
        let out = render(Format::Jsonl, &[record(), DocumentRecord::default()]);
        assert_eq!(out.lines().count(), 2);
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(v["events"][0]["location"]["text"], "Gao");
        assert_eq!(v["events"][0]["actor1"]["inter"], 2);
    }
}
