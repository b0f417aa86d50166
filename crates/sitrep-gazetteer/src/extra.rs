//! Extending the gazetteer: a user's extra-places CSV, and imports of full GeoNames dumps.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::artifact::{Builder, Data, PostingKind, Row};
use crate::{Error, Layer, normalize};

const EMBEDDED_NAME: &str = "data/gazetteer/gazetteer.bin.gz";

/// What [`import_geonames`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Features read from the dump.
    pub features: usize,
    /// Features added as new entries.
    pub added: usize,
    /// Features merged into an entry the shipped gazetteer already had (same
    /// GeoNames id, or the same country or region).
    pub merged: usize,
    /// Alternate names read (from the dump's column and the alternate-names file).
    pub names: usize,
    /// Entries in the written artifact.
    pub entries: usize,
}

/// The feature code for a kind in an extra-places CSV.
fn kind_to_fcode(kind: &str) -> String {
    match kind.trim().to_ascii_lowercase().as_str() {
        "" | "place" | "town" | "city" | "village" | "populated place" | "hamlet" => "PPL".into(),
        "neighbourhood" | "neighborhood" | "quarter" | "district of a city" | "sub-place" => "PPLX".into(),
        "camp" | "idp camp" | "refugee camp" => "CMP".into(),
        "checkpoint" => "CSTM".into(),
        "bridge" => "BDG".into(),
        "region" | "province" | "governorate" | "state" => "ADM1".into(),
        "district" | "county" => "ADM2".into(),
        "country" => "PCLI".into(),
        other => other.to_ascii_uppercase().replace(' ', "_"),
    }
}

pub(crate) fn read_extra_places(path: &Path) -> Result<Layer, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_extra_places(&bytes, &path.display().to_string())
}

/// Parses an extra-places CSV: `name,aliases,lat,lon,kind,country,admin1,parent`.
pub(crate) fn parse_extra_places(bytes: &[u8], origin: &str) -> Result<Layer, Error> {
    const FIELDS: [&str; 8] = ["name", "aliases", "lat", "lon", "kind", "country", "admin1", "parent"];
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).trim(csv::Trim::All).from_reader(bytes);
    let bad = |line: usize, field: &str, message: String| Error::Data {
        file: origin.to_owned(),
        line,
        field: field.to_owned(),
        message,
    };
    let headers = rdr.headers().map_err(|e| bad(1, "header", e.to_string()))?.clone();
    let col: Vec<Option<usize>> =
        FIELDS.iter().map(|f| headers.iter().position(|h| h.eq_ignore_ascii_case(f))).collect();
    for (i, f) in FIELDS.iter().enumerate().take(4) {
        if col[i].is_none() && *f != "aliases" {
            return Err(bad(1, f, format!("missing column {f:?} (expected {})", FIELDS.join(","))));
        }
    }
    let mut b = Builder::new();
    let mut parents = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            bad(line, "record", e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let get = |i: usize| col[i].and_then(|c| rec.get(c)).unwrap_or("").trim();
        let name = get(0);
        if name.is_empty() {
            return Err(bad(line, "name", "empty name".into()));
        }
        let num = |i: usize, lo: f64, hi: f64| -> Result<f64, Error> {
            let v: f64 = get(i).parse().map_err(|_| bad(line, FIELDS[i], format!("not a number: {:?}", get(i))))?;
            if !(lo..=hi).contains(&v) {
                return Err(bad(line, FIELDS[i], format!("{v} is out of range {lo}..{hi}")));
            }
            Ok(v)
        };
        let lat = num(2, -90.0, 90.0)?;
        let lon = num(3, -180.0, 180.0)?;
        let country = get(5).to_ascii_uppercase();
        if !country.is_empty() && (country.len() != 2 || !country.bytes().all(|c| c.is_ascii_uppercase())) {
            return Err(bad(line, "country", format!("not an ISO 3166-1 alpha-2 code: {:?}", get(5))));
        }
        let row = Row {
            id: 0,
            name: name.to_owned(),
            lat,
            lon,
            fcode: kind_to_fcode(get(4)),
            cc: country,
            admin1: get(6).to_owned(),
            admin2: String::new(),
            population: 0,
            names: get(1).split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            abbrevs: Vec::new(),
            demonyms: Vec::new(),
        };
        b.add_row(&row);
        let parent = get(7);
        parents.push((!parent.is_empty()).then(|| normalize::key(parent)));
    }
    Ok(Layer { data: b.finish()?, parents, user: true, base: Vec::new() })
}

/// True for names worth indexing: Latin script with a capital letter, or Arabic script.
fn keep_name(name: &str) -> bool {
    let name = name.trim();
    if name.is_empty() || name.len() > 80 {
        return false;
    }
    let mut latin = false;
    let mut arabic = false;
    let mut upper = false;
    for c in name.chars() {
        if !c.is_alphabetic() {
            continue;
        }
        let cp = c as u32;
        if c.is_ascii_alphabetic() || (0xC0..=0x24F).contains(&cp) || (0x1E00..=0x1EFF).contains(&cp) {
            latin = true;
            upper |= c.is_uppercase();
        } else if (0x600..=0x6FF).contains(&cp) || (0x750..=0x77F).contains(&cp) || (0xFB50..=0xFEFF).contains(&cp) {
            arabic = true;
        } else {
            return false;
        }
    }
    (latin && upper && !arabic) || (arabic && !latin)
}

/// Imports a GeoNames dump (`allCountries.txt` or a country file such as
/// `IQ.txt`, optionally with `alternateNamesV2.txt`) into an artifact at `out`
/// that [`crate::Gazetteer::load`] reads. The shipped gazetteer is included,
/// so countries, demonyms and regions keep working; features it already has
/// (same GeoNames id, or the same country or region by name) get the dump's
/// names added. Every feature class is imported (villages, camps, bridges,
/// checkpoints…). Errors name the file, line and field.
pub fn import_geonames(dump: &Path, alternate_names: Option<&Path>, out: &Path) -> Result<ImportSummary, Error> {
    let origin = dump.display().to_string();
    let file = std::fs::File::open(dump).map_err(|e| Error::io(dump, e))?;
    let mut rows: Vec<Row> = Vec::new();
    let mut admin_names: HashMap<String, String> = HashMap::new();
    let mut summary = ImportSummary::default();
    const FIELDS: [&str; 15] = [
        "geonameid",
        "name",
        "asciiname",
        "alternatenames",
        "latitude",
        "longitude",
        "feature class",
        "feature code",
        "country code",
        "cc2",
        "admin1 code",
        "admin2 code",
        "admin3 code",
        "admin4 code",
        "population",
    ];
    let mut admin_codes: Vec<(String, String)> = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::io(dump, e))?;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = |i: usize, message: String| Error::Data {
            file: origin.clone(),
            line: n + 1,
            field: FIELDS[i.min(FIELDS.len() - 1)].into(),
            message,
        };
        if f.len() < 15 {
            return Err(bad(f.len(), format!("expected 19 tab-separated columns, found {}", f.len())));
        }
        let id: u32 = f[0].parse().map_err(|_| bad(0, format!("not a GeoNames id: {:?}", f[0])))?;
        let lat: f64 = f[4].parse().map_err(|_| bad(4, format!("not a number: {:?}", f[4])))?;
        let lon: f64 = f[5].parse().map_err(|_| bad(5, format!("not a number: {:?}", f[5])))?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(bad(4, format!("coordinates out of range: {lat}, {lon}")));
        }
        let population: u64 = if f[14].is_empty() {
            0
        } else {
            f[14].parse().map_err(|_| bad(14, format!("not a population: {:?}", f[14])))?
        };
        let fcode = f[7].to_owned();
        let cc = f[8].to_owned();
        match fcode.as_str() {
            "ADM1" => {
                admin_names.insert(format!("{cc}.{}", f[10]), f[1].to_owned());
            }
            "ADM2" => {
                admin_names.insert(format!("{cc}.{}.{}", f[10], f[11]), f[1].to_owned());
            }
            _ => {}
        }
        let mut names: Vec<String> = f[3].split(',').filter(|s| keep_name(s)).map(str::to_owned).collect();
        if f[2] != f[1] && keep_name(f[2]) {
            names.push(f[2].to_owned());
        }
        summary.names += names.len();
        admin_codes.push((f[10].to_owned(), f[11].to_owned()));
        rows.push(Row {
            id,
            name: f[1].to_owned(),
            lat,
            lon,
            fcode,
            cc,
            admin1: String::new(),
            admin2: String::new(),
            population: population.min(u64::from(u32::MAX)) as u32,
            names,
            abbrevs: Vec::new(),
            demonyms: Vec::new(),
        });
    }
    summary.features = rows.len();
    for (row, (a1, a2)) in rows.iter_mut().zip(&admin_codes) {
        if !a1.is_empty() && row.fcode != "ADM1" && !row.fcode.starts_with("PCL") {
            row.admin1 = admin_names.get(&format!("{}.{a1}", row.cc)).cloned().unwrap_or_default();
            if !a2.is_empty() && row.fcode != "ADM2" {
                row.admin2 = admin_names.get(&format!("{}.{a1}.{a2}", row.cc)).cloned().unwrap_or_default();
            }
        }
    }
    if let Some(alt) = alternate_names {
        let by_id: HashMap<u32, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        let aorigin = alt.display().to_string();
        let file = std::fs::File::open(alt).map_err(|e| Error::io(alt, e))?;
        for (n, line) in BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| Error::io(alt, e))?;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 4 {
                return Err(Error::Data {
                    file: aorigin,
                    line: n + 1,
                    field: "alternate name".into(),
                    message: format!("expected at least 4 tab-separated columns, found {}", f.len()),
                });
            }
            let id: u32 = f[1].parse().map_err(|_| Error::Data {
                file: aorigin.clone(),
                line: n + 1,
                field: "geonameid".into(),
                message: format!("not a GeoNames id: {:?}", f[1]),
            })?;
            if matches!(f[2], "link" | "wkdt" | "post" | "iata" | "icao" | "faac" | "fr_1793" | "unlc" | "tcid") {
                continue;
            }
            if let Some(&i) = by_id.get(&id)
                && keep_name(f[3])
            {
                rows[i].names.push(f[3].to_owned());
                summary.names += 1;
            }
        }
    }

    // Start from the shipped gazetteer, then merge or add the dump's features.
    let embedded = Data::read(crate::EMBEDDED, EMBEDDED_NAME)?;
    let mut b = Builder::new();
    b.extend_from(&embedded);
    let by_id: HashMap<u32, u32> =
        (0..b.len() as u32).filter(|&i| b.entry(i).id != 0).map(|i| (b.entry(i).id, i)).collect();
    rows.sort_by_key(|r| r.id);
    for row in &rows {
        let target = by_id.get(&row.id).copied().or_else(|| merge_target(&b, row));
        match target {
            Some(idx) => {
                let loose = b.is_loose_country(&row.cc);
                b.add_name(idx, &row.name, PostingKind::Alternate, loose);
                for n in &row.names {
                    b.add_name(idx, n, PostingKind::Alternate, loose);
                }
                summary.merged += 1;
            }
            None => {
                b.add_row(row);
                summary.added += 1;
            }
        }
    }
    summary.entries = b.len();
    let data = b.finish()?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(out).map_err(|e| Error::io(out, e))?);
    data.write(&mut f).map_err(|e| Error::io(out, e))?;
    Ok(summary)
}

/// A country or region of the shipped gazetteer that a dump feature names.
fn merge_target(b: &Builder, row: &Row) -> Option<u32> {
    let is_country = row.fcode.starts_with("PCL");
    if !(is_country || row.fcode == "ADM1" || row.fcode == "ADM2") {
        return None;
    }
    let mut names = vec![row.name.as_str()];
    names.extend(row.names.iter().map(String::as_str));
    for n in names {
        for idx in b.entries_with_key(&normalize::key(n)) {
            let e = b.entry(idx);
            let fc = b.string(e.fcode).unwrap_or("");
            let cc = b.string(e.cc).unwrap_or("");
            let same_kind = if is_country { fc.starts_with("PCL") } else { fc == row.fcode };
            if same_kind && cc == row.cc {
                return Some(idx);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_kept_are_latin_with_capitals_or_arabic() {
        assert!(keep_name("Mosul"));
        assert!(keep_name("Al Mawşil"));
        assert!(keep_name("الموصل"));
        assert!(!keep_name("mo su er"));
        assert!(!keep_name("Мосул"));
        assert!(!keep_name(""));
    }

    #[test]
    fn kinds_map_to_feature_codes() {
        assert_eq!(kind_to_fcode("village"), "PPL");
        assert_eq!(kind_to_fcode("Neighbourhood"), "PPLX");
        assert_eq!(kind_to_fcode("camp"), "CMP");
        assert_eq!(kind_to_fcode("oil field"), "OIL_FIELD");
    }
}
