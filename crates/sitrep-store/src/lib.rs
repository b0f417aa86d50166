//! The sitrep corpus store: one SQLite file holding every ingested
//! document, the events, places and actors read from it, and the fused
//! events (one per real event, however many reports described it).
//!
//! The principal type is [`Store`]. One process writes (`sitrep ingest`,
//! `sitrep recode`); any number read at the same time (`sitrep query`,
//! `sitrep export`): the database runs in WAL mode, so readers see the last
//! committed state and never wait for the writer.
//!
//! - **Idempotent.** Documents are keyed by `document.id` and carry a
//!   [`content_hash`]. Writing a document whose key and hash are stored
//!   changes nothing; a changed document replaces all its records; the same
//!   content under a second key is skipped as a duplicate.
//! - **Crash-safe.** [`Store::write_batch`] writes a batch of documents in one
//!   transaction: a killed process loses at most the batch in flight, and
//!   the next run skips what was committed. (WAL with `synchronous =
//!   NORMAL`: durable against the process being killed; a power loss may
//!   lose the last commits, never the file's consistency.)
//! - **Fusion, incremental.** [`Store::write_batch_fused`] fuses each batch
//!   in its own transaction: the new events are compared only with stored events that could fuse with them (same
//!   family of event and country, dated within the fusion window: the
//!   `events_fusion` index), the neighbourhood is followed transitively
//!   (a report that bridges two fused events merges them), clustered
//!   again, and only fused events that gain, lose or change members are
//!   rewritten (`fused_members` says which fused event each event is in).
//!   The writer keeps what it has read of the neighbourhood (and the events
//!   it wrote) in memory from one batch to the next, so that later batches
//!   read only rows they have not seen; `PRAGMA data_version` tells it when
//!   another connection committed in between, and it starts afresh.
//!   The store is fused after every committed batch, so a killed ingest
//!   leaves nothing to catch up.
//! - **Fusion, deferred.** [`Store::write_batch_deferred`] (what `sitrep
//!   ingest` uses) commits documents and events batch by batch and marks
//!   fusion pending in the same transaction; the writer keeps what fusion
//!   needs of the new events in memory and adds them to its neighbourhood
//!   index as each batch commits (their candidate pairs are searched while
//!   later documents are analysed), and [`Store::fuse_pending`] fuses
//!   them all at once, with the same neighbourhood search, in one
//!   transaction that writes each fused event once (fusing batch by batch
//!   rewrote the fused events that later reports joined). Its search for
//!   candidate pairs, clustering and building of fused events run on the
//!   rayon pool (results taken in a fixed order: the store does not depend
//!   on the thread count), and while it runs another connection checkpoints
//!   the run's WAL into the database file. Meanwhile readers
//!   see the documents and events committed and the fused events of the last
//!   fusion. A killed run leaves fusion pending: the next writer fuses the
//!   whole store first. [`Store::fuse`] is the full pass: it
//!   clusters every stored event with `sitrep_fuse` and rewrites only the
//!   fused events whose members changed; plain [`Store::write_batch`]es
//!   and [`Store::recode_batch`]es mark fusion pending for it (in the same
//!   transaction, so an interrupted run fuses on the next one). Either way
//!   the result depends only on the stored events, never on the order or
//!   the batches they were ingested in.
//! - **Queries.** [`Store::query`] filters fused events by country, admin1,
//!   type, actor, dates, a point and radius, full text of the evidence
//!   (FTS5) and number of sources, through indexes on the fused events
//!   (one million stored events: a country and a month in well under a
//!   millisecond, see `benches/query.rs`).
//! - **Layout.** `documents` (content hash, metadata, raw body, analysed
//!   text, place and actor mentions as JSON: each distinct resolution or
//!   actor once, and per mention its byte range and which one it is (see
//!   migration 0005), with `places`/`actors` views giving them as columns and
//!   the places as the contract's objects), `events` (one per report: the
//!   contract JSON, fusion features and block), `sources` (outlets),
//!   `clusters` (fused events, with `clusters_fts`; a fused event of one
//!   report stores `''` as its JSON, which readers rebuild from that report's
//!   event, see migration 0004), `fused_members` (event → fused event),
//!   `meta`.
//! - **Schema.** Versioned (`PRAGMA user_version`, [`SCHEMA_VERSION`]) and
//!   migrated forward in one transaction (`migrations/*.sql`); a file of
//!   another program, a damaged file or a file of a newer sitrep is refused
//!   before anything is written ([`StoreError`]).

mod decode;
mod error;
mod export;
mod fusion;
mod prepare;
mod query;
mod recode;
mod schema;
mod write;

#[cfg(feature = "parquet")]
mod parquet_export;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use decode::event_from_json;
pub use error::StoreError;
pub use export::{ExportFormat, FusedWriter};
pub use fusion::FusionSummary;
pub use prepare::{PreparedDocument, content_hash, prepare};
pub use query::{FusedRow, Query};
pub use recode::{RecodeOutcome, StoredDocument};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use sitrep_fuse::{FusedEvent, FusionConfig};
pub use write::{Disposition, Known, MAX_PENDING_EVENTS};

/// How a store is opened.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// How long a writer waits for another writer's lock before giving up.
    pub busy_timeout: Duration,
    /// A size limit, in database pages (16 KiB each in a store this sitrep created): writes beyond it fail
    /// as if the disk were full. `None`: no limit but the disk's.
    pub max_pages: Option<u64>,
    /// The fusion settings.
    pub fusion: FusionConfig,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions { busy_timeout: Duration::from_secs(10), max_pages: None, fusion: FusionConfig::builtin() }
    }
}

/// Counts of what a store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Documents.
    pub documents: u64,
    /// Events (one per report).
    pub events: u64,
    /// Fused events.
    pub fused: u64,
    /// Place mentions.
    pub places: u64,
    /// Actor mentions.
    pub actors: u64,
}

/// A sitrep store: an SQLite file. See the crate documentation.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    options: StoreOptions,
    /// The number of fused events as of the last fusing write (a count reads a whole index).
    fused_count: Option<u64>,
    /// What incremental fusion read and wrote so far (kept between
    /// [`Store::write_batch_fused`] calls; dropped by any other write).
    hood: Option<Box<fusion::Neighbourhood>>,
    /// `PRAGMA data_version` when this connection last fused: while it is
    /// the same, no other connection has committed, and `fused_count` and
    /// `hood` still hold.
    seen_version: Option<i64>,
    /// What [`Store::write_batch_deferred`] wrote and [`Store::fuse_pending`] has not fused yet.
    pending: Option<Box<write::Pending>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating it if needed) a store for reading and writing, and
    /// migrates its schema to this build's version.
    ///
    /// # Errors
    /// When the file is not a sitrep store, is damaged, was written by a
    /// newer sitrep, or cannot be created or written (a read-only file or
    /// directory). Nothing is written to the file in any of these cases.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, StoreOptions::default())
    }

    /// [`Store::open`] with options.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_with(path: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        let exists = schema::check_header(path)?;
        if !exists && !path.exists() {
            // Create the file ourselves first: the operating system's reason
            // (a read-only or missing directory) is clearer than SQLite's.
            if let Err(e) = std::fs::OpenOptions::new().write(true).create_new(true).open(path) {
                let detail = format!("cannot create the file: {e}");
                return Err(match e.kind() {
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                        StoreError::ReadOnly { path: path.to_path_buf(), detail }
                    }
                    _ => StoreError::CannotOpen { path: path.to_path_buf(), detail },
                });
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::sqlite(path, e))?;
        let sql = |e| StoreError::sqlite(path, e);
        conn.busy_timeout(options.busy_timeout).map_err(sql)?;
        let version = schema::check_identity(&conn, path).map_err(|e| read_only_dir(path, e))?;
        if conn.is_readonly(rusqlite::MAIN_DB).map_err(sql)? {
            return Err(StoreError::ReadOnly { path: path.to_path_buf(), detail: "the file is read-only".into() });
        }
        if !exists {
            // 16 KiB pages: a document's row (about 4 KB with its text and
            // mentions) shares its page with three others instead of one
            // (8 KiB pages left a third of the documents' pages empty), and
            // event records stay out of overflow chains. Only a new, empty
            // database can take a page size; older stores keep theirs.
            conn.execute_batch("PRAGMA page_size = 16384").map_err(sql)?;
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| read_only_dir(path, StoreError::sqlite(path, e)))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
                detail: format!("cannot switch to WAL mode (journal mode stays {mode})"),
            });
        }
        // WAL with `synchronous = NORMAL`: a commit appends to the WAL without
        // an fsync (the WAL is synced before each checkpoint). Every committed
        // transaction survives the process being killed (kill -9: the OS keeps
        // the written pages), which is what a resumable ingest needs; only a
        // power loss or OS crash may lose the last commits, never consistency.
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 32768;")
            .map_err(sql)?;
        tune_reads(&conn).map_err(sql)?;
        if let Some(pages) = options.max_pages {
            let _: i64 = conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get(0)).map_err(sql)?;
        }
        schema::migrate(&mut conn, path, version, SCHEMA_VERSION).map_err(|e| read_only_dir(path, e))?;
        Ok(Store::with(conn, path, options))
    }

    /// A store on an open connection, with nothing cached yet.
    fn with(conn: Connection, path: &Path, options: StoreOptions) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            options,
            fused_count: None,
            hood: None,
            seen_version: None,
            pending: None,
        }
    }

    /// Opens an existing store for reading only (query, export). Works while
    /// another process writes.
    ///
    /// # Errors
    /// When the file does not exist, is not a sitrep store, is damaged, or has
    /// a schema other than this build's (older ones are upgraded by opening
    /// them for writing once).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        if !schema::check_header(path)? {
            return Err(StoreError::CannotOpen {
                path: path.to_path_buf(),
                detail: if path.exists() { "the database is empty".into() } else { "no such file".into() },
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::sqlite(path, e))?;
        let sql = |e| StoreError::sqlite(path, e);
        conn.busy_timeout(Duration::from_secs(10)).map_err(sql)?;
        let version = schema::check_identity(&conn, path)?;
        tune_reads(&conn).map_err(sql)?;
        if version < SCHEMA_VERSION {
            return Err(StoreError::CannotOpen {
                path: path.to_path_buf(),
                detail: format!(
                    "schema version {version} is older than this sitrep's ({SCHEMA_VERSION}): open it for writing \
                     once (`sitrep ingest --db FILE` with no new input, or `sitrep recode --db FILE`) to upgrade it"
                ),
            });
        }
        Ok(Store::with(conn, path, StoreOptions::default()))
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The fusion settings in use.
    #[must_use]
    pub fn fusion_config(&self) -> &FusionConfig {
        &self.options.fusion
    }

    /// What the store holds.
    ///
    /// # Errors
    /// On a database error.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let count = |table: &str| -> Result<u64, StoreError> {
            let n: i64 = self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        let count_json = |column: &str| -> Result<u64, StoreError> {
            let n: i64 = self
                .conn
                .query_row(
                    &format!("SELECT coalesce(sum(json_array_length({column}, '$[1]')), 0) FROM documents"),
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| self.err(e))?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        Ok(Counts {
            documents: count("documents")?,
            events: count("events")?,
            fused: count("clusters")?,
            places: count_json("places")?,
            actors: count_json("actors")?,
        })
    }

    /// True when events changed since the last fusion (an interrupted ingest
    /// leaves this set; the next [`Store::fuse`] catches up).
    ///
    /// # Errors
    /// On a database error.
    pub fn fusion_pending(&self) -> Result<bool, StoreError> {
        Ok(self.meta("fusion_dirty")?.as_deref() == Some("1"))
    }

    /// Checks the whole file for damage (`PRAGMA quick_check`).
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] naming what SQLite found, or a database error.
    pub fn check(&self) -> Result<(), StoreError> {
        let result: String = self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| self.err(e))?;
        if result == "ok" { Ok(()) } else { Err(StoreError::Corrupt { path: self.path.clone(), detail: result }) }
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    pub(crate) fn err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, e)
    }
}

/// A 64 MiB page cache and memory-mapped reads: fusion and queries touch
/// rows all over the file.
fn tune_reads(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824; PRAGMA temp_store = MEMORY;")
}

/// An open failure of an existing file in a read-only directory shows up as
/// "unable to open" when SQLite creates the `-wal`/`-shm` files: say so.
fn read_only_dir(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::CannotOpen { detail, .. } | StoreError::ReadOnly { detail, .. } => {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let writable = std::fs::metadata(dir).map(|m| !m.permissions().readonly()).unwrap_or(false);
            let probe = dir.join(format!(".sitrep-probe-{}", std::process::id()));
            let can_create = std::fs::File::create(&probe).map(|_| std::fs::remove_file(&probe)).is_ok();
            let detail = if !writable || !can_create {
                format!(
                    "its directory {} is read-only (WAL mode needs to create {}-wal and {}-shm beside it): {detail}",
                    dir.display(),
                    path.display(),
                    path.display()
                )
            } else {
                detail
            };
            StoreError::ReadOnly { path: path.to_path_buf(), detail }
        }
        other => other,
    }
}
