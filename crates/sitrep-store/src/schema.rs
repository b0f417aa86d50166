//! The schema: its version, its migrations, and the checks made before a
//! file is touched.

use std::io::Read;
use std::path::Path;

use rusqlite::Connection;

use crate::StoreError;

/// `PRAGMA application_id` of a sitrep store: "SITR".
pub const APPLICATION_ID: i64 = 0x5349_5452;

/// The migrations, in order: migration `i` brings the schema from version
/// `i` to `i + 1` (`PRAGMA user_version`).
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_documents.sql"),
    include_str!("../migrations/0002_fusion.sql"),
    include_str!("../migrations/0003_incremental_fusion.sql"),
    include_str!("../migrations/0004_compact.sql"),
    include_str!("../migrations/0005_mentions.sql"),
];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Looks at the file before SQLite does: a file that is not empty must start
/// with SQLite's header. Returns whether the file exists and has content.
pub(crate) fn check_header(path: &Path) -> Result<bool, StoreError> {
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(StoreError::CannotOpen { path: path.to_path_buf(), detail: e.to_string() }),
    };
    if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(StoreError::CannotOpen { path: path.to_path_buf(), detail: "is a directory".into() });
    }
    let mut head = [0u8; 16];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(StoreError::CannotOpen { path: path.to_path_buf(), detail: e.to_string() }),
        }
    }
    if n == 0 {
        return Ok(false);
    }
    if &head[..n] != b"SQLite format 3\0".get(..n).unwrap_or_default() || n < head.len() {
        let shown: String =
            head[..n].iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '.' }).collect();
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
            detail: format!("the file starts with {shown:?}, not with SQLite's header"),
        });
    }
    Ok(true)
}

/// Checks that an opened database is a sitrep store this build can use, and
/// returns its schema version (0 for a new, empty database).
pub(crate) fn check_identity(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let sql = |e| StoreError::sqlite(path, e);
    let app: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(sql)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(sql)?;
    if app != APPLICATION_ID {
        if app == 0 && version == 0 && tables == 0 {
            return Ok(0);
        }
        let detail = if app == 0 {
            format!("it has {tables} schema object(s) and no sitrep application id")
        } else {
            format!("application id {app:#x}")
        };
        return Err(StoreError::Foreign { path: path.to_path_buf(), detail });
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { path: path.to_path_buf(), found: version, supported: SCHEMA_VERSION });
    }
    Ok(version)
}

/// Brings the schema from `from` to `to` in one transaction: either every
/// step is applied or none.
pub(crate) fn migrate(conn: &mut Connection, path: &Path, from: i64, to: i64) -> Result<(), StoreError> {
    let sql = |e| StoreError::sqlite(path, e);
    if from >= to {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql)?;
    // Another process may have migrated while we waited for the lock.
    let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(usize::try_from(now).unwrap_or(0)) {
        if i64::try_from(i).unwrap_or(i64::MAX) >= to {
            break;
        }
        tx.execute_batch(step).map_err(sql)?;
    }
    tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {to};")).map_err(sql)?;
    tx.commit().map_err(sql)
}
