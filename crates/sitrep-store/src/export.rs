//! Writing fused events in the contract's formats (and Parquet, with the
//! `parquet` feature).

use std::io::Write;
use std::path::Path;

use sitrep::output::{Format, Writer, encode};
use sitrep_model::DocumentRecord;

use crate::StoreError;
use crate::query::FusedRow;

/// An output format for fused events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One fused event per line: the contract's Event object plus `document`,
    /// `fatalities_range`, `n_sources`, `n_documents` and `sources`.
    Jsonl,
    /// One row per fused event with ACLED's columns; `source` lists every
    /// outlet, `notes` is the representative report's evidence.
    AcledCsv,
    /// A FeatureCollection, one Point per located fused event, the JSON
    /// object as its properties.
    GeoJson,
    /// ACLED's columns plus the fused fields, as an Apache Parquet file
    /// (needs the `parquet` feature).
    Parquet,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<ExportFormat, String> {
        match s {
            "jsonl" => Ok(ExportFormat::Jsonl),
            "acled-csv" => Ok(ExportFormat::AcledCsv),
            "geojson" => Ok(ExportFormat::GeoJson),
            "parquet" => Ok(ExportFormat::Parquet),
            _ => Err(format!("unknown format {s:?}: expected jsonl, acled-csv, geojson or parquet")),
        }
    }
}

impl ExportFormat {
    /// True when this build can write the format.
    #[must_use]
    pub fn available(self) -> bool {
        self != ExportFormat::Parquet || cfg!(feature = "parquet")
    }
}

enum Inner<W: Write + Send> {
    Text(Writer<W>, ExportFormat),
    #[cfg(feature = "parquet")]
    Parquet(Box<crate::parquet_export::ParquetSink<W>>),
}

/// Writes fused events ([`FusedRow`]s) one by one, in one of the
/// [`ExportFormat`]s.
pub struct FusedWriter<W: Write + Send> {
    inner: Inner<W>,
    db: std::path::PathBuf,
}

impl<W: Write + Send> FusedWriter<W> {
    /// Starts the output (a CSV header, the GeoJSON opening).
    ///
    /// # Errors
    /// When writing fails, or the format is Parquet and this build lacks the
    /// `parquet` feature.
    pub fn new(format: ExportFormat, out: W, db: &Path) -> Result<FusedWriter<W>, StoreError> {
        let io =
            |e: std::io::Error| StoreError::Export { path: db.to_path_buf(), detail: format!("writing output: {e}") };
        let inner = match format {
            ExportFormat::Jsonl => Inner::Text(Writer::new(Format::Jsonl, out).map_err(io)?, format),
            ExportFormat::AcledCsv => Inner::Text(Writer::new(Format::AcledCsv, out).map_err(io)?, format),
            ExportFormat::GeoJson => Inner::Text(Writer::new(Format::GeoJson, out).map_err(io)?, format),
            #[cfg(feature = "parquet")]
            ExportFormat::Parquet => Inner::Parquet(Box::new(crate::parquet_export::ParquetSink::new(out, db)?)),
            #[cfg(not(feature = "parquet"))]
            ExportFormat::Parquet => {
                return Err(StoreError::Export {
                    path: db.to_path_buf(),
                    detail: "this sitrep was built without Parquet support (rebuild with `--features parquet`)".into(),
                });
            }
        };
        Ok(FusedWriter { inner, db: db.to_path_buf() })
    }

    /// Writes one fused event.
    ///
    /// # Errors
    /// When writing fails or the stored event cannot be read.
    pub fn write(&mut self, row: &FusedRow) -> Result<(), StoreError> {
        let db = self.db.clone();
        let io = |e: std::io::Error| StoreError::Export { path: db.clone(), detail: format!("writing output: {e}") };
        match &mut self.inner {
            Inner::Text(w, ExportFormat::Jsonl) => {
                let mut line = Vec::with_capacity(row.json.len() + 1);
                line.extend_from_slice(row.json.as_bytes());
                line.push(b'\n');
                w.write(&[line]).map_err(io)
            }
            Inner::Text(w, ExportFormat::GeoJson) => {
                let (Some(lat), Some(lon)) = (row.latitude, row.longitude) else { return Ok(()) };
                let mut f = Vec::with_capacity(row.json.len() + 96);
                f.extend_from_slice(b"{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":");
                f.extend_from_slice(serde_json::to_string(&[lon, lat]).expect("numbers serialise").as_bytes());
                f.extend_from_slice(b"},\"properties\":");
                f.extend_from_slice(row.json.as_bytes());
                f.push(b'}');
                w.write(&[f]).map_err(io)
            }
            Inner::Text(w, _) => {
                let (event, document) = row.event().map_err(|detail| StoreError::Decode {
                    path: self.db.clone(),
                    what: format!("fused event {}", row.key),
                    detail,
                })?;
                let mut record = DocumentRecord::default();
                record.document.id = document;
                record.events.push(event);
                w.write(&encode(Format::AcledCsv, &record)).map_err(io)
            }
            #[cfg(feature = "parquet")]
            Inner::Parquet(p) => p.write(row),
        }
    }

    /// Ends the output (closes the GeoJSON collection, the Parquet footer) and flushes.
    ///
    /// # Errors
    /// When writing fails.
    pub fn finish(self) -> Result<W, StoreError> {
        let io =
            |e: std::io::Error| StoreError::Export { path: self.db.clone(), detail: format!("writing output: {e}") };
        match self.inner {
            Inner::Text(w, _) => w.finish().map_err(io),
            #[cfg(feature = "parquet")]
            Inner::Parquet(p) => p.finish(),
        }
    }
}
