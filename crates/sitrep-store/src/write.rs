//! Writing documents: one transaction per batch, idempotent by key and hash.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{OptionalExtension, Transaction, params};
use sitrep_fuse::blocks_signature;

use crate::fusion::{FusionSummary, Neighbourhood, Written, fuse_written};
use crate::prepare::PreparedDocument;
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
    /// settings) gets a full pass first.
    ///
    /// # Errors
    /// As [`Store::write_batch`] and [`Store::fuse`]; nothing of the batch
    /// is written then.
    pub fn write_batch_fused(
        &mut self,
        docs: &[PreparedDocument],
    ) -> Result<(Vec<Disposition>, FusionSummary), StoreError> {
        let config = self.options.fusion.clone();
        let mut summary = FusionSummary::default();
        if self.fusion_pending()? || self.meta("fusion_blocks")? != Some(blocks_signature(&config)) {
            summary = self.fuse()?;
        }
        // Taken out: put back only when the batch commits.
        let cache = self.hood.take();
        let path = self.path.clone();
        let sql = |e| StoreError::sqlite(&path, e);
        let engine = engine();
        let now = jiff::Timestamp::now().to_string();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql)?;
        // What this writer knows of the neighbourhoods holds only while no
        // other connection committed since (`data_version` says so; it is read
        // under the write lock).
        let version: i64 = tx.query_row("PRAGMA data_version", [], |r| r.get(0)).map_err(sql)?;
        let current = self.seen_version == Some(version);
        let mut hood = match cache {
            Some(hood) if current => hood,
            _ => Box::new(Neighbourhood::new(&config)),
        };
        let mut out = Vec::with_capacity(docs.len());
        // Fused events that lose members and events deleted (replaced documents'); (event row id, document
        // row id, position) of the events written.
        let (mut deleted, mut added) = (Deleted::default(), Vec::new());
        let mut written: Vec<Written<'_>> = Vec::new();
        let mut sources = HashMap::new();
        for doc in docs {
            added.clear();
            let before = deleted.events.len();
            out.push(write_one(&tx, doc, &engine, &now, &mut sources, &mut deleted, &mut added).map_err(sql)?);
            if deleted.events.len() > before && !written.is_empty() {
                // The document came twice in this batch: what its first copy wrote is gone.
                let gone: BTreeSet<i64> = deleted.events[before..].iter().copied().collect();
                written.retain(|w| !gone.contains(&w.id));
            }
            let published = doc.published.as_deref().and_then(|p| p.parse().ok());
            written.extend(added.iter().map(|&(id, document_id, ord)| Written {
                id,
                document_id,
                document: &doc.key,
                published,
                event: &doc.events[ord],
            }));
        }
        let mut fused = if current { self.fused_count } else { None };
        if !written.is_empty() || !deleted.clusters.is_empty() {
            // Fused events: counted once, then followed (a count reads a whole index).
            let before = match fused {
                Some(n) => n,
                None => tx
                    .query_row("SELECT count(*) FROM clusters", [], |r| r.get::<_, i64>(0))
                    .map(|n| u64::try_from(n).unwrap_or(0))
                    .map_err(sql)?,
            };
            let f = fuse_written(&tx, &path, &mut hood, &written, &deleted.events, &deleted.clusters)?;
            fused = Some((before + f.created).saturating_sub(f.removed));
            summary.events += f.events;
            summary.fused = fused.unwrap_or(0);
            summary.created += f.created;
            summary.updated += f.updated;
            summary.removed += f.removed;
            summary.unchanged += f.unchanged;
            summary.elapsed += f.elapsed;
        }
        tx.commit().map_err(sql)?;
        self.fused_count = fused;
        self.seen_version = Some(version);
        if hood.len() <= MAX_CACHED_EVENTS {
            self.hood = Some(hood);
        }
        Ok((out, summary))
    }
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
