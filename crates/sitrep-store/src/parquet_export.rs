//! Fused events as an Apache Parquet file (feature `parquet`): ACLED's
//! columns, the fused fields, and every source as a JSON column.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanBuilder, Float64Builder, Int32Builder, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::StoreError;
use crate::query::FusedRow;

/// Rows per record batch (and row group slice).
const BATCH: usize = 8192;

/// The string columns, in file order.
const TEXT: [&str; 17] = [
    "event_id",
    "event_date",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "source",
    "notes",
    "document",
];
/// The integer columns, in file order (after the strings).
const INTS: [&str; 11] = [
    "year",
    "time_precision",
    "inter1",
    "inter2",
    "interaction",
    "geo_precision",
    "fatalities",
    "fatalities_min",
    "fatalities_max",
    "n_sources",
    "n_documents",
];

pub(crate) struct ParquetSink<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    text: Vec<StringBuilder>,
    ints: Vec<Int32Builder>,
    lat: Float64Builder,
    lon: Float64Builder,
    civilian: BooleanBuilder,
    sources: StringBuilder,
    rows: usize,
    db: PathBuf,
}

fn err(db: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Export { path: db.to_path_buf(), detail: format!("writing Parquet: {e}") }
}

impl<W: Write + Send> ParquetSink<W> {
    pub(crate) fn new(out: W, db: &Path) -> Result<ParquetSink<W>, StoreError> {
        let mut fields: Vec<Field> = TEXT.iter().map(|n| Field::new(*n, DataType::Utf8, true)).collect();
        fields.extend(INTS.iter().map(|n| Field::new(*n, DataType::Int32, true)));
        fields.push(Field::new("latitude", DataType::Float64, true));
        fields.push(Field::new("longitude", DataType::Float64, true));
        fields.push(Field::new("civilian_targeting", DataType::Boolean, false));
        fields.push(Field::new("sources", DataType::Utf8, false));
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
        let writer = ArrowWriter::try_new(out, Arc::clone(&schema), Some(props)).map_err(|e| err(db, e))?;
        Ok(ParquetSink {
            writer,
            schema,
            text: TEXT.iter().map(|_| StringBuilder::new()).collect(),
            ints: INTS.iter().map(|_| Int32Builder::new()).collect(),
            lat: Float64Builder::new(),
            lon: Float64Builder::new(),
            civilian: BooleanBuilder::new(),
            sources: StringBuilder::new(),
            rows: 0,
            db: db.to_path_buf(),
        })
    }

    pub(crate) fn write(&mut self, row: &FusedRow) -> Result<(), StoreError> {
        let decode = |detail: String| StoreError::Decode {
            path: self.db.clone(),
            what: format!("fused event {}", row.key),
            detail,
        };
        let v: serde_json::Value = serde_json::from_str(&row.json).map_err(|e| decode(e.to_string()))?;
        let (e, document) = row.event().map_err(decode)?;
        let loc = e.location.as_ref();
        let names = |v: &[sitrep_model::ActorRef]| {
            (!v.is_empty()).then(|| v.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join("; "))
        };
        let date = e.event_date.map(|d| d.to_string());
        let texts: [Option<String>; 17] = [
            Some(e.id.clone()),
            date,
            Some(e.disorder_type.to_owned()),
            Some(e.event_type.name().to_owned()),
            Some(e.sub_event_type.name().to_owned()),
            e.actor1.as_ref().map(|a| a.name.clone()),
            names(&e.assoc_actor_1),
            e.actor2.as_ref().map(|a| a.name.clone()),
            names(&e.assoc_actor_2),
            loc.and_then(|l| l.iso.clone()),
            loc.and_then(|l| l.country.clone()),
            loc.and_then(|l| l.admin1.clone()),
            loc.and_then(|l| l.admin2.clone()),
            loc.map(|l| l.name.clone()),
            e.source.outlet.clone(),
            Some(e.evidence.text.clone()),
            Some(document),
        ];
        for (b, t) in self.text.iter_mut().zip(texts) {
            b.append_option(t);
        }
        let inter1 = e.actor1.as_ref().map(|a| i32::from(a.inter.code()));
        let inter2 = e.actor2.as_ref().map(|a| i32::from(a.inter.code()));
        let interaction = match (inter1, inter2) {
            (Some(a), Some(b)) => Some(a.min(b) * 10 + a.max(b)),
            (Some(a), None) | (None, Some(a)) => Some(a * 10),
            (None, None) => None,
        };
        let int = |v: &serde_json::Value| v.as_i64().and_then(|n| i32::try_from(n).ok());
        let range = v.get("fatalities_range").and_then(serde_json::Value::as_array);
        let ints: [Option<i32>; 11] = [
            e.event_date.map(|d| i32::from(d.year())),
            Some(i32::from(e.time_precision)),
            inter1,
            inter2,
            interaction,
            loc.map(|l| i32::from(l.geo_precision)),
            i32::try_from(e.fatalities).ok(),
            range.and_then(|r| r.first()).and_then(int),
            range.and_then(|r| r.get(1)).and_then(int),
            v.get("n_sources").and_then(int),
            v.get("n_documents").and_then(int),
        ];
        for (b, n) in self.ints.iter_mut().zip(ints) {
            b.append_option(n);
        }
        self.lat.append_option(loc.map(|l| l.latitude));
        self.lon.append_option(loc.map(|l| l.longitude));
        self.civilian.append_value(e.civilian_targeting);
        let sources = v.get("sources").map_or_else(|| "[]".to_owned(), ToString::to_string);
        self.sources.append_value(sources);
        self.rows += 1;
        if self.rows >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut columns: Vec<ArrayRef> = self.text.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
        columns.extend(self.ints.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
        columns.push(Arc::new(self.lat.finish()));
        columns.push(Arc::new(self.lon.finish()));
        columns.push(Arc::new(self.civilian.finish()));
        columns.push(Arc::new(self.sources.finish()));
        let batch = RecordBatch::try_new(Arc::clone(&self.schema), columns).map_err(|e| err(&self.db, e))?;
        self.writer.write(&batch).map_err(|e| err(&self.db, e))?;
        self.rows = 0;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<W, StoreError> {
        self.flush()?;
        // Writes the footer, and gives the file back.
        self.writer.into_inner().map_err(|e| err(&self.db, e))
    }
}

#[cfg(test)]
mod tests {
    use parquet::file::reader::{FileReader, SerializedFileReader};

    use super::*;

    #[test]
    fn writes_a_readable_parquet_file() {
        let json = r#"{"id":"f1","event_type":"Battles","sub_event_type":"Armed clash","disorder_type":"Political violence","event_date":"2016-05-16","time_precision":1,"actor1":{"name":"Al Shabaab","inter":2,"text":"Al-Shabaab","start":0,"end":10},"assoc_actor_1":[],"actor2":null,"assoc_actor_2":[],"location":{"name":"Beledweyne","admin1":"Hiraan","admin2":null,"country":"Somalia","iso":"SO","latitude":4.736,"longitude":45.204,"geo_precision":1,"geonameid":null,"text":"Beledweyne","start":20,"end":30},"fatalities":6,"civilian_targeting":false,"source":{"outlet":"A; B","attribution":null,"certainty":"reported"},"evidence":{"text":"Al-Shabaab attacked Beledweyne.","start":0,"end":31},"confidence":0.8,"document":"d1","fatalities_range":[6,9],"n_sources":2,"n_documents":2,"sources":[]}"#;
        let row = FusedRow { key: "f1".into(), json: json.into(), latitude: Some(4.736), longitude: Some(45.204) };
        let file = tempfile::tempfile().unwrap();
        let mut sink = ParquetSink::new(file, Path::new("t.db")).unwrap();
        sink.write(&row).unwrap();
        sink.write(&row).unwrap();
        let file = sink.finish().unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 2);
        let schema = reader.metadata().file_metadata().schema_descr();
        let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
        assert!(names.contains(&"fatalities_max") && names.contains(&"sources") && names.contains(&"event_id"));
    }
}
