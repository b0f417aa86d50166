//! What can go wrong with a store, said so that a user can act on it.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// A store operation failed. Every message names the database file.
///
/// Writes happen in transactions: when an operation fails, the batch it was
/// writing is rolled back whole, and what earlier batches committed stays.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    // --- opening ---
    /// The file exists but is not an SQLite database (or its header is damaged).
    #[error("{}: not a sitrep database: {detail}", path.display())]
    NotADatabase {
        /// The database file.
        path: PathBuf,
        /// What was found.
        detail: String,
    },
    /// An SQLite database that another program made.
    #[error("{}: an SQLite database, but not a sitrep store ({detail}); refusing to touch it", path.display())]
    Foreign {
        /// The database file.
        path: PathBuf,
        /// What was found.
        detail: String,
    },
    /// Written by a newer sitrep whose schema this build does not know.
    #[error(
        "{}: written by a newer sitrep (schema version {found}; this sitrep knows versions up to {supported}): \
         upgrade sitrep to use it",
        path.display()
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The file's schema version.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The file could not be created or opened.
    #[error("{}: cannot open: {detail}", path.display())]
    CannotOpen {
        /// The database file.
        path: PathBuf,
        /// Why (the operating system's words).
        detail: String,
    },
    /// The file or its directory is read-only (WAL mode writes `-wal` and
    /// `-shm` files beside the database).
    #[error("{}: cannot write: {detail}", path.display())]
    ReadOnly {
        /// The database file.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    // --- using ---
    /// The disk (or the size limit set on the database) is full.
    #[error(
        "{}: the disk is full (or the database reached its size limit): the batch being written was rolled back, \
         nothing partial was stored",
        path.display()
    )]
    DiskFull {
        /// The database file.
        path: PathBuf,
    },
    /// The database file is damaged.
    #[error("{}: the database is corrupt ({detail}): restore it from a backup or ingest into a new file", path.display())]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// SQLite's words.
        detail: String,
    },
    /// Another process holds the write lock for longer than the busy timeout.
    #[error("{}: the database is locked by another writer (is another `sitrep ingest` running?)", path.display())]
    Busy {
        /// The database file.
        path: PathBuf,
    },
    /// A full-text query that FTS5 cannot parse.
    #[error("{}: bad full-text query {query:?}: {detail}", path.display())]
    BadTextQuery {
        /// The database file.
        path: PathBuf,
        /// The query as given.
        query: String,
        /// SQLite's words.
        detail: String,
    },
    /// A stored record could not be read back.
    #[error("{}: stored {what} is unreadable: {detail}", path.display())]
    Decode {
        /// The database file.
        path: PathBuf,
        /// Which record.
        what: String,
        /// What is wrong.
        detail: String,
    },
    /// Any other SQLite error.
    #[error("{}: {source}", path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// The error.
        #[source]
        source: rusqlite::Error,
    },
    /// Writing an export failed.
    #[error("{}: {detail}", path.display())]
    Export {
        /// The database file.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
}

impl StoreError {
    /// Classifies an SQLite error met while using the database at `path`.
    pub(crate) fn sqlite(path: &Path, e: rusqlite::Error) -> StoreError {
        let path = path.to_path_buf();
        let detail = e.to_string();
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path, detail },
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path, detail },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path, detail },
            Some(ErrorCode::CannotOpen) => StoreError::CannotOpen { path, detail },
            _ => StoreError::Sqlite { path, source: e },
        }
    }

    /// True for errors that leave the database as it was and may go away
    /// (full disk, a lock), as opposed to a damaged or foreign file.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::DiskFull { .. } | StoreError::Busy { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file() {
        let e = StoreError::NewerSchema { path: "/data/news.db".into(), found: 9, supported: 2 };
        let s = e.to_string();
        assert!(s.starts_with("/data/news.db: written by a newer sitrep (schema version 9"), "{s}");
        let e = StoreError::DiskFull { path: "x.db".into() };
        assert!(e.to_string().starts_with("x.db: the disk is full"));
        assert!(e.is_transient());
    }
}
