//! Re-running extraction over stored documents after the engine changed.

use std::collections::BTreeMap;

use rusqlite::{Transaction, params};
use sitrep_ingest::{Body, RawDocument};
use sitrep_model::Date;

use crate::prepare::{Container, PreparedDocument};
use crate::write::{engine, insert_events, set_meta};
use crate::{Store, StoreError};

/// A stored document, rebuilt as it was read, for analysing again.
#[derive(Clone, Debug)]
pub struct StoredDocument {
    /// The document's row id (documents are read in this order).
    pub row: i64,
    /// The document as read from its input.
    pub raw: RawDocument,
    /// The `--published` fallback it was ingested with.
    pub default_published: Option<Date>,
}

/// What recoding one document changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecodeOutcome {
    /// Any of its records (events, places, actors, metadata) changed.
    pub changed: bool,
    /// Events with the same id and content as before (they keep their ids).
    pub events_unchanged: u64,
    /// Events with the same id and other content.
    pub events_changed: u64,
    /// Events that are new.
    pub events_added: u64,
    /// Events that are gone.
    pub events_removed: u64,
}

impl Store {
    /// Up to `limit` stored documents whose row id is above `after`, in row order.
    ///
    /// # Errors
    /// On a database error, or when a stored document cannot be read back.
    pub fn stored_documents(&self, after: i64, limit: usize) -> Result<Vec<StoredDocument>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, key, file, line, kind, raw, container FROM documents WHERE id > ?1 ORDER BY id LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query(params![after, i64::try_from(limit).unwrap_or(i64::MAX)]).map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = |i| -> Result<rusqlite::types::Value, StoreError> { r.get(i).map_err(|e| self.err(e)) };
            let row: i64 = r.get(0).map_err(|e| self.err(e))?;
            let key: String = r.get(1).map_err(|e| self.err(e))?;
            let file: String = r.get(2).map_err(|e| self.err(e))?;
            let line = match get(3)? {
                rusqlite::types::Value::Integer(l) => u64::try_from(l).ok(),
                _ => None,
            };
            let kind: String = r.get(4).map_err(|e| self.err(e))?;
            let raw: String = r.get(5).map_err(|e| self.err(e))?;
            let container: String = r.get(6).map_err(|e| self.err(e))?;
            let bad = |detail: String| StoreError::Decode {
                path: self.path.clone(),
                what: format!("document {key}"),
                detail,
            };
            let c: Container = serde_json::from_str(&container).map_err(|e| bad(e.to_string()))?;
            let date = |s: &Option<String>| s.as_deref().and_then(|d| d.parse::<Date>().ok());
            let doc = RawDocument {
                id: key.clone(),
                file,
                line,
                body: if kind == "html" { Body::Html(raw) } else { Body::Text(raw) },
                published: date(&c.published),
                url: c.url.clone(),
                outlet: c.outlet.clone(),
                title: c.title.clone(),
                diagnostics: c.diagnostics.iter().map(crate::prepare::StoredDiagnostic::to_diagnostic).collect(),
            };
            out.push(StoredDocument { row, raw: doc, default_published: date(&c.default_published) });
        }
        Ok(out)
    }

    /// Replaces the records of already stored documents with a new analysis,
    /// in one transaction. Documents whose records come out the same are not
    /// written; events whose id and content are unchanged keep their ids, and
    /// fused events whose members are unchanged keep theirs at the next
    /// [`Store::fuse`].
    ///
    /// # Errors
    /// On a database error (the batch is rolled back).
    pub fn recode_batch(&mut self, docs: &[PreparedDocument]) -> Result<Vec<RecodeOutcome>, StoreError> {
        self.fused_count = None;
        self.hood = None;
        self.full_pass_pending();
        let path = self.path.clone();
        let sql = |e| StoreError::sqlite(&path, e);
        let engine = engine();
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql)?;
        let mut out = Vec::with_capacity(docs.len());
        let mut dirty = false;
        for doc in docs {
            let o = recode_one(&tx, doc, &engine).map_err(sql)?;
            dirty |= o.changed;
            out.push(o);
        }
        if dirty {
            set_meta(&tx, "fusion_dirty", "1").map_err(sql)?;
        }
        tx.commit().map_err(sql)?;
        Ok(out)
    }
}

fn recode_one(tx: &Transaction<'_>, doc: &PreparedDocument, engine: &str) -> rusqlite::Result<RecodeOutcome> {
    let mut outcome = RecodeOutcome::default();
    let (document_id, old_meta): (i64, [Option<String>; 10]) = tx
        .prepare_cached(
            "SELECT id, title, published, url, language, author, diagnostics, text, \
             (SELECT name FROM sources WHERE id = source_id), places, actors FROM documents WHERE key = ?1",
        )?
        .query_row([&doc.key], |r| {
            Ok((
                r.get(0)?,
                [
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ],
            ))
        })?;
    let new_meta = [
        doc.title.clone(),
        doc.published.clone(),
        doc.url.clone(),
        doc.language.clone(),
        doc.author.clone(),
        Some(doc.diagnostics.clone()),
        doc.text.clone(),
        doc.outlet.clone(),
        Some(doc.places.clone()),
        Some(doc.actors.clone()),
    ];
    // Old events by uid, with their fingerprints.
    let mut old: BTreeMap<String, String> = BTreeMap::new();
    {
        let mut stmt = tx.prepare_cached("SELECT uid, fingerprint FROM events WHERE document_id = ?1")?;
        let rows = stmt.query_map([document_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            let (uid, fp): (String, String) = row?;
            old.insert(uid, fp);
        }
    }
    for e in &doc.events {
        match old.remove(&e.uid) {
            Some(fp) if fp == e.fingerprint => outcome.events_unchanged += 1,
            Some(_) => outcome.events_changed += 1,
            None => outcome.events_added += 1,
        }
    }
    outcome.events_removed = old.len() as u64;
    let events_same = outcome.events_changed == 0 && outcome.events_added == 0 && outcome.events_removed == 0;
    outcome.changed = !(events_same && old_meta == new_meta);
    if !outcome.changed {
        tx.prepare_cached("UPDATE documents SET engine = ?1 WHERE id = ?2")?.execute(params![engine, document_id])?;
        return Ok(outcome);
    }
    tx.prepare_cached("DELETE FROM events WHERE document_id = ?1")?.execute([document_id])?;
    let source_id: Option<i64> = match &doc.outlet {
        Some(o) => {
            tx.prepare_cached("INSERT INTO sources(name) VALUES (?1) ON CONFLICT(name) DO NOTHING")?.execute([o])?;
            Some(tx.prepare_cached("SELECT id FROM sources WHERE name = ?1")?.query_row([o], |r| r.get(0))?)
        }
        None => None,
    };
    tx.prepare_cached(
        "UPDATE documents SET title = ?1, published = ?2, url = ?3, language = ?4, author = ?5, diagnostics = ?6, \
         text = ?7, text_len = ?8, source_id = ?9, engine = ?10, places = ?11, actors = ?12 WHERE id = ?13",
    )?
    .execute(params![
        doc.title,
        doc.published,
        doc.url,
        doc.language,
        doc.author,
        doc.diagnostics,
        doc.text,
        i64::try_from(doc.text_len).unwrap_or(i64::MAX),
        source_id,
        engine,
        doc.places,
        doc.actors,
        document_id
    ])?;
    insert_events(tx, document_id, doc)?;
    Ok(outcome)
}
