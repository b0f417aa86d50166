//! Place names in news text: recognition, resolution to coordinates, and event locations.
//!
//! The principal type is [`Gazetteer`]: a compiled, embedded global gazetteer
//! (GeoNames populated places with ≥ 500 people, administrative regions,
//! countries with demonyms, continents and curated regions; see
//! `data/gazetteer/README.md`) plus any places a user adds. [`Gazetteer::geoparse`]
//! finds the place names of a text and resolves each one, giving a
//! [`GeoParse`]: the contract's `places` array and the document's focus country.
//! [`GeoParse::location`] turns a place mention into an event location with
//! ACLED's geo-precision.
//!
//! ```
//! use sitrep_gazetteer::{Gazetteer, GeoHints};
//! let gaz = Gazetteer::embedded().unwrap();
//! let text = "Fighting was reported in Mosul, the largest city of northern Iraq.";
//! let parse = gaz.geoparse(text, &GeoHints::body(text));
//! let mosul = &parse.places[0];
//! assert_eq!(mosul.span.text, "Mosul");
//! assert_eq!(mosul.iso.as_deref(), Some("IQ"));
//! assert_eq!(parse.focus_country.as_deref(), Some("IQ"));
//! ```
//!
//! How it works: words are folded by [`normalize`] (the same code that made
//! the keys at build time) and runs of capitalised words are looked up in an
//! `fst` index, leftmost-longest ("Tal Afar" beats "Afar"). Context rules drop
//! common words, people and organisations named after places, and tag
//! demonyms. Resolution scores every candidate entry by feature rank,
//! population, the document's country focus, admin-hierarchy cues ("Kirkuk,
//! Iraq", "Nineveh province") and distance to the other places of the report.
//! Names the gazetteer lacks but the text introduces ("the village of
//! Gogjali", "the al Khames bridge") are kept as sub-places at their parent.
//! What the caller knows from outside the place names comes in [`GeoHints`]:
//! countries the document is likely about (`country_prior`: the outlet's home,
//! the actors' countries), weighed like a co-mentioned country, and names that
//! are not places (`not_places`: actors found before geoparsing). Cue phrases
//! of the text itself (`data/gazetteer/country-cues.tsv`: "sheriff's deputies"
//! in US local news) add to the country prior the same way. When no place name
//! says where, the strongest prior (if one is strongest) is the focus country.
//! The document's web address (`url`) says more ([`Gazetteer::outlet_home`]): a
//! country-code domain is a country prior, and a town the domain names
//! ("<town>herald.com") is the outlet's home, read with the report's places like
//! a place it names once (namesakes near it win), but never reported.

mod artifact;
mod context;
mod cues;
mod extra;
pub mod normalize;
mod outlet;
mod recognize;
mod resolve;

use std::path::Path;
use std::sync::{Arc, OnceLock};

use sitrep_model::{Location, PlaceMention};
use sitrep_text::TextRange;

pub use extra::{ImportSummary, import_geonames};
pub use outlet::{OutletHome, url_host};

use crate::artifact::{Builder, Data, Row};

/// The shipped artifact (built by `scripts/gazetteer/build.py`).
static EMBEDDED: &[u8] = include_bytes!("../../../data/gazetteer/gazetteer.bin.gz");

/// What can go wrong loading or building a gazetteer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A compiled artifact is damaged or of another version.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A data file (TSV, CSV, GeoNames dump) has a bad value.
    #[error("{file}: line {line}: field {field}: {message}")]
    Data {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// The field (column name).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Building the index failed.
    #[error("building the gazetteer index: {0}")]
    Build(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io { path: path.display().to_string(), source }
    }
}

/// One layer of names: the shipped or imported artifact, or a user's extra places.
pub(crate) struct Layer {
    pub data: Data,
    /// For extra places: the key of the parent place named in the CSV, per entry.
    pub parents: Vec<Option<String>>,
    /// True for a user's extra places (their own points: geo-precision 1).
    pub user: bool,
    /// Per entry: the part of the resolver's prior that depends on the entry only.
    pub base: Vec<f32>,
}

/// A compiled gazetteer and the recogniser and resolver that use it.
pub struct Gazetteer {
    pub(crate) layers: Vec<Layer>,
    /// ISO code → (layer, entry) of the country.
    pub(crate) countries: std::collections::HashMap<String, (u8, u32)>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("entries", &self.layers.iter().map(|l| l.data.entries.len()).sum::<usize>())
            .field("layers", &self.layers.len())
            .finish()
    }
}

/// Where in a document to look, and what its dateline and title are.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GeoHints {
    /// The article body (places outside it are not reported).
    pub region: TextRange,
    /// The dateline ("MOSUL, Iraq —"), a strong hint of the focus country.
    pub dateline: Option<TextRange>,
    /// The headline.
    pub title: Option<TextRange>,
    /// Countries the document is likely about, known from outside its place names (the outlet's home
    /// country, the countries of actors named in it): ISO 3166-1 alpha-2 code and a weight in (0, 1].
    pub country_prior: Vec<(String, f32)>,
    /// Ranges that are not place names whatever the gazetteer holds (actor and organisation names found
    /// before geoparsing: the "Haram" of "Boko Haram").
    pub not_places: Vec<TextRange>,
    /// The document's web address (or its outlet's domain): a country-code domain is a country
    /// prior, and a town the domain names ("<town>herald.com") the outlet's home, resolved like a
    /// place the report names once ([`Gazetteer::outlet_home`]).
    pub url: Option<String>,
}

impl GeoHints {
    /// The whole text as body, no dateline or title.
    #[must_use]
    pub fn body(text: &str) -> GeoHints {
        GeoHints {
            region: TextRange::full(text),
            dateline: None,
            title: None,
            country_prior: Vec::new(),
            not_places: Vec::new(),
            url: None,
        }
    }
}

/// How a place mention relates to the point it resolved to.
#[derive(Clone, Debug, PartialEq)]
pub enum Usage {
    /// The named place itself.
    Place,
    /// "30 km south of Mosul", "west of Mosul", "near Mosul": near the place.
    Near {
        /// Stated distance, km.
        km: Option<f64>,
        /// Stated bearing, degrees clockwise from north.
        bearing: Option<f64>,
        /// The whole phrase.
        phrase: sitrep_model::Span,
    },
    /// A demonym ("Iraqi forces"): names the country, not a location.
    Demonym,
    /// Part of an organisation's name ("Mosul University", "Washington Post").
    Embedded,
    /// The place stands for its government ("Washington said", "Moscow warned").
    Metonym,
    /// A country or province that qualifies the place named just before it
    /// ("Iraq" in "Kirkuk, Iraq"): as an event location it stands for that place.
    Qualifier {
        /// Index of the qualified place in [`GeoParse::places`].
        of: usize,
    },
    /// A place the gazetteer lacks, placed at the parent mention given.
    SubPlace {
        /// Index of the parent in [`GeoParse::places`], when one was found.
        parent: Option<usize>,
    },
}

/// The place names of one text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GeoParse {
    /// Every recognised place name, in text order (the contract's `places`).
    pub places: Vec<PlaceMention>,
    /// How each mention is used (parallel to `places`).
    pub usage: Vec<Usage>,
    /// The document's focus country (ISO 3166-1 alpha-2).
    pub focus_country: Option<String>,
    /// The focus country's name and representative point (latitude, longitude): where a report
    /// whose names all went unresolved is placed (see [`GeoParse::location`]).
    pub focus_point: Option<(String, f64, f64)>,
}

impl GeoParse {
    /// The event location for place mention `i` (the resolve API), with
    /// ACLED's geo-precision: 1 the named town or a place in it, 2 near a town
    /// or a part of a district, 3 only the province or country. `None` for
    /// demonyms, organisation names, governments ("Washington said"),
    /// unresolved names and regions wider than a country. When no name of the
    /// report has a point at all, an unresolved place name (a village the
    /// gazetteer lacks) is placed in the focus country, precision 3.
    #[must_use]
    pub fn location(&self, i: usize) -> Option<Location> {
        resolve::location(self, i)
    }
}

impl Gazetteer {
    /// The shipped gazetteer (decoded once per process).
    pub fn embedded() -> Result<Arc<Gazetteer>, Error> {
        static CELL: OnceLock<Result<Arc<Gazetteer>, String>> = OnceLock::new();
        CELL.get_or_init(|| {
            Data::read(EMBEDDED, "data/gazetteer/gazetteer.bin.gz")
                .map(|data| {
                    Arc::new(Gazetteer::from_layers(vec![Layer {
                        data,
                        parents: Vec::new(),
                        user: false,
                        base: Vec::new(),
                    }]))
                })
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|message| Error::Format { path: "data/gazetteer/gazetteer.bin.gz".into(), message })
    }

    /// A compiled artifact from disk (one written by [`import_geonames`]).
    pub fn load(path: &Path) -> Result<Gazetteer, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let data = Data::read(&bytes, &path.display().to_string())?;
        Ok(Gazetteer::from_layers(vec![Layer { data, parents: Vec::new(), user: false, base: Vec::new() }]))
    }

    /// The gazetteer plus the places of an extra-places CSV (columns `name,
    /// aliases, lat, lon, kind, country, admin1, parent`; aliases separated by
    /// `|`). Errors name the file, line and field.
    pub fn with_extra_places(mut self, csv: &Path) -> Result<Gazetteer, Error> {
        let layer = extra::read_extra_places(csv)?;
        self.layers.push(layer);
        let layers = std::mem::take(&mut self.layers);
        Ok(Gazetteer::from_layers(layers))
    }

    /// Like [`Gazetteer::with_extra_places`], from CSV text (`origin` names it in errors).
    pub fn with_extra_places_str(mut self, csv: &str, origin: &str) -> Result<Gazetteer, Error> {
        let layer = extra::parse_extra_places(csv.as_bytes(), origin)?;
        self.layers.push(layer);
        let layers = std::mem::take(&mut self.layers);
        Ok(Gazetteer::from_layers(layers))
    }

    /// A copy of the shipped gazetteer that can take extra places.
    pub fn embedded_owned() -> Result<Gazetteer, Error> {
        let data = Data::read(EMBEDDED, "data/gazetteer/gazetteer.bin.gz")?;
        Ok(Gazetteer::from_layers(vec![Layer { data, parents: Vec::new(), user: false, base: Vec::new() }]))
    }

    pub(crate) fn from_layers(mut layers: Vec<Layer>) -> Gazetteer {
        for layer in &mut layers {
            if layer.base.len() != layer.data.entries.len() {
                layer.base = layer.data.entries.iter().map(|e| resolve::base_prior(&layer.data, e) as f32).collect();
            }
        }
        let mut countries = std::collections::HashMap::new();
        for (li, layer) in layers.iter().enumerate() {
            for (i, e) in layer.data.entries.iter().enumerate() {
                let fcode = layer.data.str(e.fcode).unwrap_or("");
                if (fcode == "PCLI" || fcode == "PCLD")
                    && let Some(cc) = layer.data.str(e.cc)
                {
                    countries.entry(cc.to_owned()).or_insert((li as u8, i as u32));
                }
            }
        }
        Gazetteer { layers, countries }
    }

    /// Number of entries (all layers).
    #[must_use]
    pub fn len(&self) -> usize {
        self.layers.iter().map(|l| l.data.entries.len()).sum()
    }

    /// True when the gazetteer has no entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Finds and resolves the place names of `text` inside `hints.region`.
    #[must_use]
    pub fn geoparse(&self, text: &str, hints: &GeoHints) -> GeoParse {
        let mentions = recognize::recognize(self, text, hints);
        resolve::resolve(self, text, hints, mentions)
    }

    /// The name of a country by ISO code.
    #[must_use]
    pub fn country_name(&self, iso: &str) -> Option<&str> {
        let &(l, i) = self.countries.get(iso)?;
        let layer = &self.layers[l as usize];
        layer.data.str(layer.data.entries[i as usize].name)
    }
}

/// Compiles the TSV that `scripts/gazetteer/build.py` writes into an artifact
/// at `out`; returns the number of entries.
pub fn compile_tsv(tsv: &Path, out: &Path) -> Result<usize, Error> {
    let text = std::fs::read_to_string(tsv).map_err(|e| Error::io(tsv, e))?;
    let origin = tsv.display().to_string();
    let mut b = Builder::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let row = parse_tsv_row(line, &origin, n + 1)?;
        b.add_row(&row);
    }
    let count = b.len();
    let data = b.finish()?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(out).map_err(|e| Error::io(out, e))?);
    data.write(&mut f).map_err(|e| Error::io(out, e))?;
    Ok(count)
}

fn parse_tsv_row(line: &str, origin: &str, n: usize) -> Result<Row, Error> {
    const FIELDS: [&str; 12] =
        ["id", "name", "lat", "lon", "fcode", "cc", "admin1", "admin2", "population", "names", "abbrevs", "demonyms"];
    let cols: Vec<&str> = line.split('\t').collect();
    let bad = |i: usize, message: String| Error::Data {
        file: origin.to_owned(),
        line: n,
        field: FIELDS[i.min(FIELDS.len() - 1)].into(),
        message,
    };
    if cols.len() != FIELDS.len() {
        return Err(bad(cols.len(), format!("expected {} columns, found {}", FIELDS.len(), cols.len())));
    }
    let num = |i: usize| -> Result<f64, Error> {
        cols[i].parse::<f64>().map_err(|_| bad(i, format!("not a number: {:?}", cols[i])))
    };
    let list = |i: usize| -> Vec<String> { cols[i].split('|').filter(|s| !s.is_empty()).map(str::to_owned).collect() };
    let lat = num(2)?;
    let lon = num(3)?;
    if !(-90.0..=90.0).contains(&lat) {
        return Err(bad(2, format!("latitude {lat} out of range")));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(bad(3, format!("longitude {lon} out of range")));
    }
    Ok(Row {
        id: cols[0].parse().map_err(|_| bad(0, format!("not a GeoNames id: {:?}", cols[0])))?,
        name: cols[1].to_owned(),
        lat,
        lon,
        fcode: cols[4].to_owned(),
        cc: cols[5].to_owned(),
        admin1: cols[6].to_owned(),
        admin2: cols[7].to_owned(),
        population: cols[8].parse().map_err(|_| bad(8, format!("not a population: {:?}", cols[8])))?,
        names: list(9),
        abbrevs: list(10),
        demonyms: list(11),
    })
}

#[cfg(test)]
mod tests;
