//! Writing documents: one transaction per batch, idempotent by key and hash.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{OptionalExtension, Transaction, params};
use sitrep_fuse::blocks_signature;

use crate::fusion::{FusionSummary, Neighbourhood, Written, fuse_written};
use crate::prepare::{PreparedDocument, PreparedEvent};
use crate::{Store, StoreError};

/// What the store already knows of a document (key and content hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Known {
    /// Nothing: the document is new.
    New,
    /// The key is stored with the same content: nothing to do.
    Unchanged,
    /// The key is stored with other content: the document will be replaced.
    Changed,
    /// The same content is stored under another key.
    Duplicate(String),
}

/// What [`Store::write_batch`] did with one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// Stored for the first time.
    New,
    /// Its old records were replaced.
    Replaced,
    /// Already stored with this content: nothing written.
    Unchanged,
    /// The same content is stored under this other key: nothing written.
    Duplicate(String),
}

impl Store {
    /// Looks a document up by key and content hash, without writing. Call it
    /// before analysing a document to skip work that is already stored.
    ///
    /// # Errors
    /// On a database error.
    pub fn known(&self, key: &str, hash: &str) -> Result<Known, StoreError> {
        known(&self.conn, key, hash).map_err(|e| self.err(e))
    }

    /// [`Store::known`] for many documents at once (two statements): the
    /// answers are in the order of `docs` (key, content hash).
    ///
    /// # Errors
    /// On a database error.
    pub fn known_batch(&self, docs: &[(&str, &str)]) -> Result<Vec<Known>, StoreError> {
        let mut out = Vec::with_capacity(docs.len());
        for chunk in docs.chunks(400) {
            out.extend(known_batch(&self.conn, chunk).map_err(|e| self.err(e))?);
        }
        Ok(out)
    }

    /// Writes a batch of documents in one transaction: all of them or, on
    /// error, none (earlier batches stay committed).
    ///
    /// # Errors
    /// [`StoreError::DiskFull`] when the disk or the size limit is reached,
    /// [`StoreError::Busy`] when another writer holds the lock, or another
    /// database error. The transaction is rolled back in every case.
    pub fn write_batch(&mut self, docs: &[PreparedDocument]) -> Result<Vec<Disposition>, StoreError> {
        // The events written here are fused by the next full pass.
        self.fused_count = None;
        self.hood = None;
        self.full_pass_pending();
        let path = self.path.clone();
        let engine = engine();
        let now = jiff::Timestamp::now().to_string();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| StoreError::sqlite(&path, e))?;
        let mut out = Vec::with_capacity(docs.len());
        let mut sources = HashMap::new();
        let mut dirty = false;
        for doc in docs {
            let d = write_one(&tx, doc, &engine, &now, &mut sources, &mut Deleted::default(), &mut Vec::new())
                .map_err(|e| StoreError::sqlite(&path, e))?;
            dirty |= matches!(d, Disposition::New | Disposition::Replaced);
            out.push(d);
        }
        if dirty {
            set_meta(&tx, "fusion_dirty", "1").map_err(|e| StoreError::sqlite(&path, e))?;
        }
        tx.commit().map_err(|e| StoreError::sqlite(&path, e))?;
        Ok(out)
    }
}

impl Store {
    /// [`Store::write_batch`], fusing as it writes: in the same
    /// transaction, the new events (and what replaced documents leave
    /// behind) are fused with the stored events around them, so that the
    /// store is fused after every batch and no final pass is needed. Only the
    /// neighbourhood is read (stored events of the same family of event and
    /// country, dated within the fusion window, and so on transitively), and
    /// only fused events that gain or lose members (or whose members changed)
    /// are rewritten: the cost follows the batch, not the store. The fused
    /// events are those a full [`Store::fuse`] would give. A store with
    /// fusion pending (a plain write, a recode, an older schema, other fusion
    /// settings, [`Store::write_batch_deferred`]) gets fused first.
    ///
    /// # Errors
    /// As [`Store::write_batch`] and [`Store::fuse`]; nothing of the batch
    /// is written then.
    pub fn write_batch_fused(
        &mut self,
        docs: &[PreparedDocument],
    ) -> Result<(Vec<Disposition>, FusionSummary), StoreError> {
        let config = self.options.fusion.clone();
        let mut summary = self.fuse_pending()?;
        if self.needs_full_fusion()? {
            summary = self.fuse()?;
        }
        // Taken out: put back only when the batch commits.
        let cache = self.hood.take();
        let path = self.path.clone();
        let sql = |e| StoreError::sqlite(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql)?;
        // What this writer knows of the neighbourhoods holds only while no
        // other connection committed since (`data_version` says so; it is read
        // under the write lock).
        let version = data_version(&tx).map_err(sql)?;
        let current = self.seen_version == Some(version);
        let mut hood = match cache {
            Some(hood) if current => hood,
            _ => Box::new(Neighbourhood::new(&config)),
        };
        let batch = write_docs(&tx, docs).map_err(sql)?;
        let written: Vec<Written<'_>> = batch.written.iter().map(|w| w.of(docs)).collect();
        let mut fused = if current { self.fused_count } else { None };
        if !written.is_empty() || !batch.deleted.clusters.is_empty() {
            let f = fuse_step(&tx, &path, &mut hood, &mut fused, &written, &batch.deleted)?;
            summary.add(&f);
        }
        tx.commit().map_err(sql)?;
        self.fused_count = fused;
        self.seen_version = Some(version);
        if hood.len() <= MAX_CACHED_EVENTS {
            self.hood = Some(hood);
        }
        Ok((batch.out, summary))
    }

    /// [`Store::write_batch`] for loading many batches, fused later and all
    /// at once: each batch is one transaction that writes the documents and
    /// their events and marks fusion pending (so that a killed run leaves a
    /// store that the next writer fuses, [`Store::fuse`]); the writer keeps
    /// what fusion needs of the new events in memory, and
    /// [`Store::fuse_pending`] fuses them in one transaction, with the
    /// stored events around them, as [`Store::write_batch_fused`] would have
    /// batch by batch (the result depends only on the stored events). One
    /// pass over all the new events writes each fused event once, where
    /// fusing batch by batch rewrote those that later reports joined.
    ///
    /// Until then readers see the documents and events as written and the
    /// fused events of the last fusion. When the pending events reach
    /// [`MAX_PENDING_EVENTS`] they are fused at once (the summary says what
    /// that did), which bounds both the memory held and how far readers'
    /// fused events lag behind.
    ///
    /// # Errors
    /// As [`Store::write_batch`]; nothing of the batch is written then (the
    /// events of earlier batches stay pending).
    pub fn write_batch_deferred(
        &mut self,
        docs: Vec<PreparedDocument>,
    ) -> Result<(Vec<Disposition>, FusionSummary), StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::sqlite(&path, e);
        let mut summary = FusionSummary::default();
        let mut pending = match self.pending.take() {
            Some(p) => p,
            None => {
                // Fusion pending from before (an interrupted run, --no-fuse, a recode, other settings):
                // a full pass first, so that only this writer's events are left to fuse.
                if self.needs_full_fusion()? {
                    summary = self.fuse()?;
                }
                Box::default()
            }
        };
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql)?;
        let version = data_version(&tx).map_err(sql)?;
        if self.seen_version != Some(version) {
            // Another connection wrote since this one last did: what it knew may not hold.
            self.hood = None;
            self.fused_count = None;
            pending.full |= pending.any;
        }
        let batch = write_docs(&tx, &docs).map_err(sql)?;
        let changed = batch.out.iter().any(|d| matches!(d, Disposition::New | Disposition::Replaced));
        if changed {
            set_meta(&tx, "fusion_dirty", "1").map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        self.seen_version = Some(version);
        // Replaced documents: their events are gone, pending or fused.
        if !batch.deleted.events.is_empty() {
            let gone: BTreeSet<i64> = batch.deleted.events.iter().copied().collect();
            pending.events.retain(|p| !gone.contains(&p.id));
            pending.deleted.extend(&batch.deleted.events);
            pending.dirty.extend(&batch.deleted.clusters);
        }
        let mut docs: Vec<(String, Option<sitrep_model::Date>, Vec<Option<PreparedEvent>>)> = docs
            .into_iter()
            .map(|d| (d.key, d.published.and_then(|p| p.parse().ok()), d.events.into_iter().map(Some).collect()))
            .collect();
        let first_new = pending.events.len();
        for w in &batch.written {
            let (key, published, events) = &mut docs[w.doc];
            let Some(mut event) = events[w.ord].take() else { continue };
            // Written already: only what fusion needs is kept.
            event.json = String::new();
            event.features = Vec::new();
            pending.events.push(PendingEvent {
                id: w.id,
                document_id: w.document_id,
                document: key.clone(),
                published: *published,
                event: Box::new(event),
            });
        }
        if !pending.full {
            // The batch's events join the neighbourhood now (what they
            // replaced leaves it first), so that their candidate pairs are
            // searched while later documents are analysed; fusion at the end
            // then finds them there.
            let hood = self.hood.get_or_insert_with(|| Box::new(Neighbourhood::new(&self.options.fusion)));
            for &id in &batch.deleted.events {
                hood.remove(id);
            }
            // The fusion features move into the neighbourhood (`fuse_written` adds only events it does
            // not hold, so nothing reads them again): copying them was most of what it allocated.
            let reports = pending.events[first_new..].iter_mut().map(|p| {
                let e = &mut p.event;
                let features = sitrep_fuse::Features {
                    side1: std::mem::take(&mut e.fusion.side1),
                    side2: std::mem::take(&mut e.fusion.side2),
                    words: std::mem::take(&mut e.fusion.words),
                    ..e.fusion
                };
                let report = sitrep_fuse::Report {
                    key: e.uid.clone(),
                    document: crate::fusion::row_key(p.document_id),
                    features,
                };
                (p.id, report, e.fingerprint.clone(), e.block)
            });
            hood.add_reports(reports);
        }
        pending.any |= changed;
        let full = pending.events.len() >= MAX_PENDING_EVENTS;
        self.pending = Some(pending);
        if full {
            summary.add(&self.fuse_pending()?);
        }
        Ok((batch.out, summary))
    }

    /// Fuses what [`Store::write_batch_deferred`] wrote, in one transaction:
    /// the new events with the stored events around them, and what replaced
    /// documents leave behind; only fused events that gain, lose or change
    /// members are written. A full [`Store::fuse`] instead when fusion was
    /// pending before the first deferred batch or another connection wrote
    /// in between. Nothing to do (an empty summary) when nothing is pending.
    ///
    /// # Errors
    /// As [`Store::fuse`]; the pending events stay pending then (the next
    /// writer fuses them).
    pub fn fuse_pending(&mut self) -> Result<FusionSummary, StoreError> {
        let Some(pending) = self.pending.take() else { return Ok(FusionSummary::default()) };
        if !pending.any {
            return Ok(FusionSummary::default());
        }
        if pending.full {
            return self.fuse();
        }
        let path = self.path.clone();
        let sql = |e| StoreError::sqlite(&path, e);
        // This transaction writes fused events and memberships of events
        // that it has just read (or that this writer wrote): their references
        // hold by construction, and checking each one (two lookups per
        // membership) was a tenth of the pass. Deletes here need no cascade
        // either (members are moved out of a fused event before it goes).
        self.conn.execute_batch("PRAGMA foreign_keys = OFF").map_err(sql)?;
        let result = self.fuse_deferred(*pending);
        let restored = self.conn.execute_batch("PRAGMA foreign_keys = ON").map_err(sql);
        let summary = result?;
        restored?;
        match summary {
            Some(summary) => Ok(summary),
            // Another connection wrote in between: what this writer knows may not hold.
            None => self.fuse(),
        }
    }

    /// [`Store::fuse_pending`]'s transaction; `None` when another connection
    /// committed since this writer's last batch.
    fn fuse_deferred(&mut self, pending: Pending) -> Result<Option<FusionSummary>, StoreError> {
        let path = self.path.clone();
        let sql = |e| StoreError::sqlite(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql)?;
        let version = data_version(&tx).map_err(sql)?;
        if self.seen_version != Some(version) {
            return Ok(None);
        }
        // While this thread fuses, another connection moves what the run
        // committed from the WAL into the database file, which closing the
        // store would otherwise do afterwards, alone (a speed-up only: a
        // checkpoint that cannot run leaves the WAL as it is).
        let checkpoint = background_checkpoint(&path);
        let mut hood = self.hood.take().unwrap_or_else(|| Box::new(Neighbourhood::new(&self.options.fusion)));
        let written: Vec<Written<'_>> = pending.events.iter().map(PendingEvent::written).collect();
        let deleted = Deleted { events: pending.deleted.clone(), clusters: pending.dirty.clone() };
        let mut fused = self.fused_count;
        let mut summary = fuse_step(&tx, &path, &mut hood, &mut fused, &written, &deleted)?;
        set_meta(&tx, "fusion_dirty", "0").map_err(sql)?;
        tx.commit().map_err(sql)?;
        let _ = checkpoint.join();
        // Freeing the pending events (many small allocations) need not hold up the caller.
        drop(written);
        std::thread::spawn(move || drop(pending));
        summary.fused = fused.unwrap_or(0);
        self.fused_count = fused;
        if hood.len() <= MAX_CACHED_EVENTS {
            self.hood = Some(hood);
        }
        Ok(Some(summary))
    }
}

impl Store {
    /// Events left pending by deferred writes are fused by a full pass once
    /// other writes (plain, recode) have come between.
    pub(crate) fn full_pass_pending(&mut self) {
        if let Some(p) = &mut self.pending {
            p.full = true;
        }
    }
}

/// A PASSIVE checkpoint on a connection of its own, on another thread: it
/// copies the committed WAL frames into the database file while this
/// connection goes on writing (readers and the writer are never waited for).
fn background_checkpoint(path: &std::path::Path) -> std::thread::JoinHandle<()> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if let Ok(conn) = rusqlite::Connection::open_with_flags(&path, flags) {
            let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0));
        }
    })
}

/// The most events [`Store::write_batch_deferred`] keeps waiting for fusion
/// (a few KB each in memory); at this many they are fused.
pub const MAX_PENDING_EVENTS: usize = 131_072;

/// What a writer wrote with [`Store::write_batch_deferred`] and has not fused yet.
#[derive(Default)]
pub(crate) struct Pending {
    /// The events written, with what fusion needs of them.
    events: Vec<PendingEvent>,
    /// Stored events that replaced documents deleted, and the fused events they were in.
    deleted: Vec<i64>,
    dirty: BTreeSet<i64>,
    /// Whether a batch wrote or replaced anything.
    any: bool,
    /// Fusion was pending before the first batch, or another connection
    /// wrote in between: the pending events are fused by a full pass.
    full: bool,
}

struct PendingEvent {
    id: i64,
    document_id: i64,
    document: String,
    published: Option<sitrep_model::Date>,
    event: Box<PreparedEvent>,
}

impl PendingEvent {
    fn written(&self) -> Written<'_> {
        Written {
            id: self.id,
            document_id: self.document_id,
            document: &self.document,
            published: self.published,
            event: &self.event,
        }
    }
}

/// `PRAGMA data_version`: changes when another connection commits (read under
/// the write lock, it says whether what this writer keeps in memory holds).
pub(crate) fn data_version(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row("PRAGMA data_version", [], |r| r.get(0))
}

impl Store {
    /// Fusion must be redone whole: events changed since the last fusion
    /// (an interrupted run, `--no-fuse`, a recode) or it used other settings.
    fn needs_full_fusion(&self) -> Result<bool, StoreError> {
        Ok(self.fusion_pending()? || self.meta("fusion_blocks")? != Some(blocks_signature(&self.options.fusion)))
    }
}

/// Fuses what a transaction wrote ([`fuse_written`]), keeping `fused` (the
/// number of fused events, counted once and then followed: a count reads a
/// whole index) up to date.
fn fuse_step(
    tx: &Transaction<'_>,
    path: &std::path::Path,
    hood: &mut Neighbourhood,
    fused: &mut Option<u64>,
    written: &[Written<'_>],
    deleted: &Deleted,
) -> Result<FusionSummary, StoreError> {
    let before = match *fused {
        Some(n) => n,
        None => tx
            .query_row("SELECT count(*) FROM clusters", [], |r| r.get::<_, i64>(0))
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(|e| StoreError::sqlite(path, e))?,
    };
    let mut f = fuse_written(tx, path, hood, written, &deleted.events, &deleted.clusters)?;
    *fused = Some((before + f.created).saturating_sub(f.removed));
    f.fused = fused.unwrap_or(0);
    Ok(f)
}

/// An event a batch wrote: the document (its index in the batch) and the
/// event's position in it, its row id and its document's row id.
struct WrittenRow {
    doc: usize,
    ord: usize,
    id: i64,
    document_id: i64,
}

impl WrittenRow {
    fn of<'a>(&self, docs: &'a [PreparedDocument]) -> Written<'a> {
        let doc = &docs[self.doc];
        Written {
            id: self.id,
            document_id: self.document_id,
            document: &doc.key,
            published: doc.published.as_deref().and_then(|p| p.parse().ok()),
            event: &doc.events[self.ord],
        }
    }
}

/// What writing a batch's documents did.
struct BatchWrite {
    out: Vec<Disposition>,
    /// The events replaced documents lost, and the fused events they were in.
    deleted: Deleted,
    /// The events written (a document given twice: its last copy's).
    written: Vec<WrittenRow>,
}

/// Writes a batch's documents in `tx`.
fn write_docs(tx: &Transaction<'_>, docs: &[PreparedDocument]) -> rusqlite::Result<BatchWrite> {
    let engine = engine();
    let now = jiff::Timestamp::now().to_string();
    let mut batch =
        BatchWrite { out: Vec::with_capacity(docs.len()), deleted: Deleted::default(), written: Vec::new() };
    let mut added = Vec::new();
    let mut sources = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        added.clear();
        let before = batch.deleted.events.len();
        batch.out.push(write_one(tx, doc, &engine, &now, &mut sources, &mut batch.deleted, &mut added)?);
        if batch.deleted.events.len() > before && !batch.written.is_empty() {
            // The document came twice in this batch: what its first copy wrote is gone.
            let gone: BTreeSet<i64> = batch.deleted.events[before..].iter().copied().collect();
            batch.written.retain(|w| !gone.contains(&w.id));
        }
        batch.written.extend(added.iter().map(|&(id, document_id, ord)| WrittenRow { doc: i, ord, id, document_id }));
    }
    Ok(batch)
}

/// The most events a writer keeps in memory between batches for fusion
/// (about 1 KB each); beyond, it starts again from the store.
const MAX_CACHED_EVENTS: usize = 250_000;

/// What replacing documents deletes: their events' row ids, and the fused
/// events those were in.
#[derive(Default)]
struct Deleted {
    events: Vec<i64>,
    clusters: BTreeSet<i64>,
}

/// The engine that analysed stored documents.
pub(crate) fn engine() -> String {
    format!("sitrep {}", env!("CARGO_PKG_VERSION"))
}

pub(crate) fn set_meta(tx: &Transaction<'_>, key: &str, value: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2")?
        .execute(params![key, value])?;
    Ok(())
}

fn known(conn: &rusqlite::Connection, key: &str, hash: &str) -> rusqlite::Result<Known> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT content_hash FROM documents WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    match stored {
        Some(h) if h == hash => return Ok(Known::Unchanged),
        Some(_) => return Ok(Known::Changed),
        None => {}
    }
    // `(SELECT ?n)`: a bare parameter here made SQLite prepare the statement again at every call.
    let other: Option<String> = conn
        .prepare_cached("SELECT min(key) FROM documents WHERE content_hash = (SELECT ?1) AND key <> (SELECT ?2)")?
        .query_row([hash, key], |r| r.get(0))?;
    Ok(other.map_or(Known::New, Known::Duplicate))
}

fn known_batch(conn: &rusqlite::Connection, docs: &[(&str, &str)]) -> rusqlite::Result<Vec<Known>> {
    use std::collections::BTreeMap;
    let marks = vec!["?"; docs.len()].join(",");
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    {
        let mut stmt = conn.prepare(&format!("SELECT key, content_hash FROM documents WHERE key IN ({marks})"))?;
        let rows =
            stmt.query_map(rusqlite::params_from_iter(docs.iter().map(|d| d.0)), |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            let (k, h) = row?;
            by_key.insert(k, h);
        }
    }
    let mut by_hash: BTreeMap<String, String> = BTreeMap::new();
    {
        let mut stmt =
            conn.prepare(&format!("SELECT content_hash, key FROM documents WHERE content_hash IN ({marks})"))?;
        let rows =
            stmt.query_map(rusqlite::params_from_iter(docs.iter().map(|d| d.1)), |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            let (h, k): (String, String) = row?;
            // The smallest key holding the content, so that the answer does not depend on row order.
            by_hash
                .entry(h)
                .and_modify(|old| {
                    if k < *old {
                        old.clone_from(&k);
                    }
                })
                .or_insert(k);
        }
    }
    Ok(docs
        .iter()
        .map(|(key, hash)| match by_key.get(*key) {
            Some(h) if h == hash => Known::Unchanged,
            Some(_) => Known::Changed,
            None => match by_hash.get(*hash) {
                Some(other) if other != key => Known::Duplicate(other.clone()),
                _ => Known::New,
            },
        })
        .collect())
}

/// Writes one document; adds the events a changed document loses, and the
/// fused events they leave short, to `deleted`, and pushes (row id,
/// document row id, position) of the events it writes to `added`. `sources`:
/// the outlets' row ids met in this transaction.
fn write_one(
    tx: &Transaction<'_>,
    doc: &PreparedDocument,
    engine: &str,
    now: &str,
    sources: &mut HashMap<String, i64>,
    deleted: &mut Deleted,
    added: &mut Vec<(i64, i64, usize)>,
) -> rusqlite::Result<Disposition> {
    let disposition = match known(tx, &doc.key, &doc.hash)? {
        Known::Unchanged => return Ok(Disposition::Unchanged),
        Known::Duplicate(other) => return Ok(Disposition::Duplicate(other)),
        Known::Changed => {
            let mut stmt = tx.prepare_cached(
                "SELECT e.id, m.cluster FROM events e JOIN documents d ON d.id = e.document_id \
                 LEFT JOIN fused_members m ON m.event = e.id WHERE d.key = ?1",
            )?;
            for row in stmt.query_map([&doc.key], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)))? {
                let (event, cluster) = row?;
                deleted.events.push(event);
                deleted.clusters.extend(cluster);
            }
            // Cascades to its events.
            tx.prepare_cached("DELETE FROM documents WHERE key = ?1")?.execute([&doc.key])?;
            Disposition::Replaced
        }
        Known::New => Disposition::New,
    };
    let source_id = match &doc.outlet {
        Some(outlet) => Some(match sources.get(outlet) {
            Some(&id) => id,
            None => {
                let id = source_id(tx, outlet)?;
                sources.insert(outlet.clone(), id);
                id
            }
        }),
        None => None,
    };
    tx.prepare_cached(
        "INSERT INTO documents (key, content_hash, file, line, kind, raw, text, text_len, container, title, \
         published, source_id, url, language, author, diagnostics, engine, ingested_at, places, actors) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    )?
    .execute(params![
        doc.key,
        doc.hash,
        doc.file,
        doc.line.and_then(|l| i64::try_from(l).ok()),
        doc.kind,
        doc.raw,
        doc.text,
        i64::try_from(doc.text_len).unwrap_or(i64::MAX),
        doc.container,
        doc.title,
        doc.published,
        source_id,
        doc.url,
        doc.language,
        doc.author,
        doc.diagnostics,
        engine,
        now,
        doc.places,
        doc.actors,
    ])?;
    let document_id = tx.last_insert_rowid();
    for (ord, id) in insert_events(tx, document_id, doc)?.into_iter().enumerate() {
        added.push((id, document_id, ord));
    }
    Ok(disposition)
}

/// Inserts a document's events; returns their row ids.
pub(crate) fn insert_events(
    tx: &Transaction<'_>,
    document_id: i64,
    doc: &PreparedDocument,
) -> rusqlite::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(doc.events.len());
    let mut ins = tx.prepare_cached(
        "INSERT INTO events (document_id, ord, uid, event_id, fingerprint, features, json, fblock, fclass, fday) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (ord, e) in doc.events.iter().enumerate() {
        ins.execute(params![
            document_id,
            i64::try_from(ord).unwrap_or(i64::MAX),
            e.uid,
            e.event_id,
            e.fingerprint,
            e.features,
            e.json,
            e.block.map(|b| b.0),
            e.block.map(|b| b.1),
            e.block.map(|b| b.2),
        ])?;
        ids.push(tx.last_insert_rowid());
    }
    Ok(ids)
}

fn source_id(tx: &Transaction<'_>, name: &str) -> rusqlite::Result<i64> {
    tx.prepare_cached("INSERT INTO sources(name) VALUES (?1) ON CONFLICT(name) DO NOTHING")?.execute([name])?;
    tx.prepare_cached("SELECT id FROM sources WHERE name = ?1")?.query_row([name], |r| r.get(0))
}
