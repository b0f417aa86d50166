//! sitrep as a library: news reports in, geocoded, sourced event records out.
//!
//! The principal type is [`Pipeline`]: built once (gazetteer, lexicons and
//! rules are compiled then), shared across threads, and applied to one
//! [`RawDocument`] at a time with [`Pipeline::analyze`], which never fails:
//! problems with a document come back as diagnostics in its record.
//!
//! ```
//! use sitrep::{Pipeline, RawDocument};
//! let pipeline = Pipeline::builder().build().unwrap();
//! let doc = RawDocument::text("r1", "Clashes in Gao\n\nGAO, Mali (Wire) -- Fighting broke out on Monday.".into());
//! let record = pipeline.analyze(&doc);
//! assert_eq!(record.document.title.as_deref(), Some("Clashes in Gao"));
//! assert_eq!(record.document.outlet.as_deref(), Some("Wire"));
//! ```
//!
//! Reading inputs is [`sitrep_ingest::Reader`]'s job; writing records in the
//! contract's formats is [`output`]'s.

mod pipeline;

pub mod outlets;
pub mod output;

pub use pipeline::{Pipeline, PipelineBuilder, PipelineError};
pub use sitrep_ingest::{Body, Item, RawDocument, ReadOptions, Reader, Source};
pub use sitrep_model as model;
pub use sitrep_model::{Date, Diagnostic, DocumentRecord};
