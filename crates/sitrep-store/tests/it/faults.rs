//! Faults: a foreign or damaged file, a newer schema, a read-only
//! directory, a full disk. Each gives an error naming the file, and nothing
//! partial is written.

use std::path::Path;

use sitrep_store::{SCHEMA_VERSION, Store, StoreError, StoreOptions};

use crate::{corpus, prepared};

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "Shopping list: bread, tea, batteries\n").unwrap();
    for result in [Store::open(&path).map(drop), Store::open_read_only(&path).map(drop)] {
        let err = result.unwrap_err();
        assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("{}: not a sitrep database", path.display())), "{msg}");
    }
    assert_eq!(bytes(&path), b"Shopping list: bread, tea, batteries\n");
    assert!(!dir.path().join("notes.db-wal").exists());
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');").unwrap();
    }
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    assert!(err.to_string().contains("other.sqlite") && err.to_string().contains("not a sitrep store"));
    assert_eq!(bytes(&path), before, "not even the journal mode was changed");
}

#[test]
fn a_damaged_database_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    {
        let mut store = Store::open(&path).unwrap();
        store.write_batch(&prepared(&corpus())).unwrap();
        store.fuse().unwrap();
    }
    // Checkpointed and closed: the database is all in the main file. Overwrite its pages after the first.
    let mut data = bytes(&path);
    assert!(data.len() > 3 * 4096, "{} bytes", data.len());
    for b in &mut data[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &data).unwrap();
    let err = match Store::open_read_only(&path) {
        Err(e) => e,
        Ok(store) => store.check().and_then(|()| store.counts().map(drop)).unwrap_err(),
    };
    assert!(matches!(err, StoreError::Corrupt { .. } | StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("corpus.db"), "{err}");
}

#[test]
fn a_database_of_a_newer_sitrep_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    drop(Store::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(&format!("PRAGMA user_version = {}; PRAGMA wal_checkpoint(TRUNCATE);", SCHEMA_VERSION + 1))
            .unwrap();
    }
    let before = bytes(&path);
    for result in [Store::open(&path).map(drop), Store::open_read_only(&path).map(drop)] {
        let err = result.unwrap_err();
        assert!(matches!(err, StoreError::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1), "{err:?}");
        assert!(err.to_string().contains("corpus.db: written by a newer sitrep"), "{err}");
    }
    assert_eq!(bytes(&path), before);
}

#[test]
fn an_older_schema_is_migrated_keeping_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        // A store as schema version 1 wrote it: documents and events, no fused events.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!("../../migrations/0001_documents.sql")).unwrap();
        c.execute_batch(&format!("PRAGMA application_id = {}; PRAGMA user_version = 1;", sitrep_store::APPLICATION_ID))
            .unwrap();
    }
    let docs = prepared(&corpus());
    {
        // Write documents with the current code, then pretend the fusion tables never existed.
        let mut store = Store::open(&dir.path().join("scratch.db")).unwrap();
        store.write_batch(&docs).unwrap();
    }
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(&format!(
        "ATTACH '{}' AS s; INSERT INTO sources SELECT * FROM s.sources; INSERT INTO documents SELECT * FROM s.documents; INSERT INTO events SELECT id, document_id, ord, uid, event_id, fingerprint, features, json FROM s.events; \
         DETACH s;",
        dir.path().join("scratch.db").display()
    ))
    .unwrap();
    drop(c);

    let err = Store::open_read_only(&path).unwrap_err();
    assert!(err.to_string().contains("older than this sitrep"), "{err}");
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.counts().unwrap().documents, 5);
    assert!(store.fusion_pending().unwrap(), "migrated events wait for fusion");
    let f = store.fuse().unwrap();
    assert_eq!(f.fused, 4);
    drop(store);
    let c = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    // The full pass filled in what incremental fusion looks up.
    let unblocked: i64 = c.query_row("SELECT count(*) FROM events WHERE fblock IS NULL", [], |r| r.get(0)).unwrap();
    let members: i64 = c.query_row("SELECT count(*) FROM fused_members", [], |r| r.get(0)).unwrap();
    assert_eq!((unblocked, members), (0, 6));
}

/// Makes `dir` read-only for this process. Permission bits are enough for
/// an ordinary user; root ignores them, so for root the directory is made
/// immutable (`chattr +i`, undone by the returned guard).
struct ReadOnlyDir<'a> {
    dir: &'a Path,
    immutable: bool,
}

impl<'a> ReadOnlyDir<'a> {
    fn new(dir: &'a Path) -> ReadOnlyDir<'a> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let mut guard = ReadOnlyDir { dir, immutable: false };
        if std::fs::write(dir.join("probe"), b"x").is_ok() {
            std::fs::remove_file(dir.join("probe")).unwrap();
            let ok = std::process::Command::new("chattr").arg("+i").arg(dir).status().is_ok_and(|s| s.success());
            assert!(ok, "cannot make {} read-only for this user (root without chattr?)", dir.display());
            guard.immutable = true;
            assert!(std::fs::write(dir.join("probe"), b"x").is_err(), "chattr +i did not make the directory read-only");
        }
        guard
    }
}

impl Drop for ReadOnlyDir<'_> {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = std::process::Command::new("chattr").arg("-i").arg(self.dir).status();
        }
        let _ = std::fs::set_permissions(self.dir, std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn a_read_only_directory_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    // An existing store, closed cleanly (no -wal/-shm files left).
    let existing = ro.join("corpus.db");
    {
        let mut store = Store::open(&existing).unwrap();
        store.write_batch(&prepared(&corpus()[..1])).unwrap();
    }
    let before = bytes(&existing);
    let _guard = ReadOnlyDir::new(&ro);

    let err = Store::open(&ro.join("new.db")).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    assert!(err.to_string().contains("new.db: cannot write"), "{err}");
    assert!(!ro.join("new.db").exists());

    let err = Store::open(&existing).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("corpus.db: cannot write") && msg.contains("read-only"), "{msg}");
    assert_eq!(bytes(&existing), before);
}

#[test]
fn a_full_disk_rolls_the_batch_back_and_keeps_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.db");
    let docs = prepared(&corpus());
    let pages_used = {
        let mut store = Store::open(&path).unwrap();
        store.write_batch(&docs[..2]).unwrap();
        let c = rusqlite::Connection::open(&path).unwrap();
        u64::try_from(c.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0)).unwrap()).unwrap()
    };
    // A big document that cannot fit in the pages left.
    let mut big = crate::corpus().remove(4);
    let filler = "Crowds gathered again in the capital. ".repeat(4000);
    big.0.id = "star-2".into();
    big.1.document.id = "star-2".into();
    if let sitrep_ingest::Body::Text(t) = &mut big.0.body {
        t.push_str(&filler);
        big.1.document.text = Some(t.clone());
    }
    let mut batch = docs[2..].to_vec();
    batch.extend(prepared(&[big]));

    let options = StoreOptions { max_pages: Some(pages_used + 8), ..StoreOptions::default() };
    let mut store = Store::open_with(&path, options).unwrap();
    let err = store.write_batch(&batch).unwrap_err();
    assert!(matches!(err, StoreError::DiskFull { .. }), "{err:?}");
    assert!(err.to_string().starts_with(&format!("{}: the disk is full", path.display())), "{err}");
    assert!(err.is_transient());
    // Nothing of the failed batch is stored, everything before it is.
    let counts = store.counts().unwrap();
    assert_eq!((counts.documents, counts.events), (2, 2));
    store.check().unwrap();
    drop(store);
    // With room again, the same batch goes in whole.
    let mut store = Store::open(&path).unwrap();
    store.write_batch(&batch).unwrap();
    assert_eq!(store.counts().unwrap().documents, 6);
}
