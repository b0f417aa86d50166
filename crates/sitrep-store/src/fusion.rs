//! Fusing the stored events: cluster them all, rewrite only the fused events
//! whose members changed.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rusqlite::{Transaction, params};
use sitrep_fuse::{Features, FusedEvent, Member, Report, cluster, fuse_group, fused_id};
use sitrep_model::{Date, Event, stable_id};

use crate::decode::event_from_json;
use crate::write::set_meta;
use crate::{Store, StoreError};

/// What a fusion pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FusionSummary {
    /// Events (reports) considered.
    pub events: u64,
    /// Fused events after the pass.
    pub fused: u64,
    /// Fused events created.
    pub created: u64,
    /// Fused events whose members' content changed (same members, same id).
    pub updated: u64,
    /// Fused events removed (their members now belong elsewhere, or are gone).
    pub removed: u64,
    /// Fused events left as they were.
    pub unchanged: u64,
    /// Wall time of the pass.
    pub elapsed: Duration,
}

/// One stored event as fusion reads it.
struct Row {
    id: i64,
    uid: String,
    fingerprint: String,
}

impl Store {
    /// Re-fuses every stored event, in one transaction. Fused events whose
    /// members (and their content) did not change keep their rows and ids;
    /// the others are rebuilt. Readers keep seeing the previous state until
    /// the pass commits.
    ///
    /// # Errors
    /// On a database error (the pass is rolled back), or when a stored
    /// event cannot be read back.
    pub fn fuse(&mut self) -> Result<FusionSummary, StoreError> {
        let start = Instant::now();
        let path = self.path.clone();
        let config = self.options.fusion.clone();
        let sql = |e| StoreError::sqlite(&path, e);
        // Move what the ingest just committed from the WAL into the database
        // file first: fusion reads every event, and pages in the main file
        // are read through the memory map, while pages in a large WAL are
        // found through the WAL index and read one `pread` at a time. Closing
        // the connection would copy the same pages anyway, so this adds no
        // work. PASSIVE: readers are never waited for (pages they still use
        // stay in the WAL). Only a speed-up: a checkpoint that fails (a full
        // disk) leaves the WAL as it was, and fusion reads it from there.
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0));
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(sql)?;

        // 1. Every event's features.
        let mut rows: Vec<Row> = Vec::new();
        let mut reports: Vec<Report> = Vec::new();
        let mut stale: Vec<(i64, Vec<u8>)> = Vec::new();
        {
            let mut stmt = tx.prepare("SELECT id, uid, document_id, features, fingerprint FROM events").map_err(sql)?;
            let mut q = stmt.query([]).map_err(sql)?;
            while let Some(r) = q.next().map_err(sql)? {
                let id: i64 = r.get(0).map_err(sql)?;
                let uid: String = r.get(1).map_err(sql)?;
                let document: i64 = r.get(2).map_err(sql)?;
                let blob: Vec<u8> = r.get(3).map_err(sql)?;
                let features = match Features::decode(&blob) {
                    Some(f) => f,
                    None => {
                        // Written by another version of the features: recompute from the event.
                        let json: String = tx
                            .prepare_cached("SELECT json FROM events WHERE id = ?1")
                            .map_err(sql)?
                            .query_row([id], |r| r.get(0))
                            .map_err(sql)?;
                        let event = decode_event(&path, &uid, &json)?;
                        let f = Features::of(&event, &config);
                        stale.push((id, f.encode()));
                        f
                    }
                };
                rows.push(Row { id, uid: uid.clone(), fingerprint: r.get(4).map_err(sql)? });
                reports.push(Report { key: uid, document: u64::try_from(document).unwrap_or(0), features });
            }
        }
        for (id, blob) in &stale {
            tx.prepare_cached("UPDATE events SET features = ?1 WHERE id = ?2")
                .map_err(sql)?
                .execute(params![blob, id])
                .map_err(sql)?;
        }

        // 2. Cluster.
        let groups = cluster(&reports, &config);
        drop(reports);

        // 3. Compare with the stored fused events.
        let mut existing: BTreeMap<String, (i64, String)> = BTreeMap::new();
        {
            let mut stmt = tx.prepare("SELECT key, id, fingerprint FROM clusters").map_err(sql)?;
            let mut q = stmt.query([]).map_err(sql)?;
            while let Some(r) = q.next().map_err(sql)? {
                existing.insert(r.get(0).map_err(sql)?, (r.get(1).map_err(sql)?, r.get(2).map_err(sql)?));
            }
        }
        let mut summary =
            FusionSummary { events: rows.len() as u64, fused: groups.len() as u64, ..FusionSummary::default() };
        let mut keep: BTreeSet<String> = BTreeSet::new();
        // (group, key, fingerprint, the row id of a stored fused event with these members)
        let mut to_build: Vec<(usize, String, String, Option<i64>)> = Vec::new();
        for (g, group) in groups.iter().enumerate() {
            let uids: Vec<&str> = group.iter().map(|&i| rows[i].uid.as_str()).collect();
            let key = fused_id(&uids);
            // Members are in uid order (cluster sorts by key): the fingerprint is order-free.
            let prints: Vec<&[u8]> = group.iter().map(|&i| rows[i].fingerprint.as_bytes()).collect();
            let fingerprint = stable_id(&prints);
            match existing.get(&key) {
                Some((_, fp)) if *fp == fingerprint => summary.unchanged += 1,
                found => to_build.push((g, key.clone(), fingerprint, found.map(|(id, _)| *id))),
            }
            keep.insert(key);
        }
        // Build the new and changed fused events, a chunk at a time: members
        // are read in row order, one statement per chunk.
        // A pipeline: this thread reads the members of chunk k+1 and writes
        // chunk k while every core decodes, fuses and serialises chunk k+1.
        let build = |chunk: &[(usize, String, String, Option<i64>)], stored_rows: &BTreeMap<i64, StoredMember>| {
            chunk
                .par_iter()
                .map(|(g, key, fingerprint, stored)| {
                    let members = groups[*g]
                        .iter()
                        .filter_map(|&i| stored_rows.get(&rows[i].id))
                        .map(|m| m.decode(&path))
                        .collect::<Result<Vec<Loaded>, StoreError>>()?;
                    Ok((!members.is_empty()).then(|| Built::new(*stored, key, fingerprint, &members)))
                })
                .collect::<Vec<Result<Option<Built>, StoreError>>>()
        };
        let mut countries: BTreeSet<(String, String)> = BTreeSet::new();
        let mut write = |built: Vec<Result<Option<Built>, StoreError>>| -> Result<(), StoreError> {
            for b in built {
                let Some(b) = b? else { continue };
                write_cluster(&tx, &b).map_err(sql)?;
                if let Some(loc) = &b.fused.event.location
                    && let (Some(name), Some(iso)) = (&loc.country, &loc.iso)
                    && countries.insert((name.clone(), iso.clone()))
                {
                    tx.prepare_cached("INSERT OR IGNORE INTO countries (name, iso) VALUES (?1, ?2)")
                        .and_then(|mut s| s.execute([name, iso]))
                        .map_err(sql)?;
                }
                if b.stored.is_some() {
                    summary.updated += 1;
                } else {
                    summary.created += 1;
                }
            }
            Ok(())
        };
        std::thread::scope(|scope| -> Result<(), StoreError> {
            let mut pending: Option<std::thread::ScopedJoinHandle<'_, _>> = None;
            for chunk in to_build.chunks(1024) {
                let mut ids: Vec<i64> =
                    chunk.iter().flat_map(|(g, ..)| groups[*g].iter().map(|&i| rows[i].id)).collect();
                ids.sort_unstable();
                let stored_rows = load_members(&tx, &path, &ids)?;
                let next = scope.spawn(move || build(chunk, &stored_rows));
                if let Some(done) = pending.replace(next) {
                    write(done.join().expect("fusion workers do not panic"))?;
                }
            }
            if let Some(done) = pending {
                write(done.join().expect("fusion workers do not panic"))?;
            }
            Ok(())
        })?;
        for (key, (id, _)) in &existing {
            if !keep.contains(key) {
                tx.prepare_cached("DELETE FROM clusters WHERE id = ?1").map_err(sql)?.execute([id]).map_err(sql)?;
                summary.removed += 1;
            }
        }
        set_meta(&tx, "fusion_dirty", "0").map_err(sql)?;
        tx.commit().map_err(sql)?;
        // Keep the query planner's statistics fresh (sampled: cheap on big stores).
        self.conn
            .execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize;")
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        summary.elapsed = start.elapsed();
        Ok(summary)
    }
}

/// A member event with what fusion needs of its document.
struct Loaded {
    uid: String,
    document: String,
    published: Option<Date>,
    event: Event,
}

fn decode_event(path: &std::path::Path, uid: &str, json: &str) -> Result<Event, StoreError> {
    let v: serde_json::Value = serde_json::from_str(json).map_err(|e| StoreError::Decode {
        path: path.to_path_buf(),
        what: format!("event {uid}"),
        detail: e.to_string(),
    })?;
    event_from_json(&v).map_err(|detail| StoreError::Decode {
        path: path.to_path_buf(),
        what: format!("event {uid}"),
        detail,
    })
}

/// A member event as stored, not decoded yet.
struct StoredMember {
    uid: String,
    json: String,
    document: String,
    published: Option<String>,
}

impl StoredMember {
    fn decode(&self, path: &std::path::Path) -> Result<Loaded, StoreError> {
        Ok(Loaded {
            uid: self.uid.clone(),
            document: self.document.clone(),
            published: self.published.as_deref().and_then(|p| p.parse().ok()),
            event: decode_event(path, &self.uid, &self.json)?,
        })
    }
}

fn load_members(
    tx: &Transaction<'_>,
    path: &std::path::Path,
    ids: &[i64],
) -> Result<BTreeMap<i64, StoredMember>, StoreError> {
    let sql = |e| StoreError::sqlite(path, e);
    // Our own integers: safe to write into the SQL.
    let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let mut stmt = tx
        .prepare(&format!(
            "SELECT e.id, e.uid, e.json, d.key, d.published FROM events e JOIN documents d ON d.id = e.document_id \
             WHERE e.id IN ({})",
            list.join(",")
        ))
        .map_err(sql)?;
    let mut out = BTreeMap::new();
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(r) = rows.next().map_err(sql)? {
        out.insert(
            r.get::<_, i64>(0).map_err(sql)?,
            StoredMember {
                uid: r.get(1).map_err(sql)?,
                json: r.get(2).map_err(sql)?,
                document: r.get(3).map_err(sql)?,
                published: r.get(4).map_err(sql)?,
            },
        );
    }
    Ok(out)
}

/// A fused event ready to be written: its row values, JSON and indexed texts.
struct Built {
    stored: Option<i64>,
    key: String,
    fingerprint: String,
    fused: FusedEvent,
    json: String,
    evidence: String,
    actors: String,
}

impl Built {
    fn new(stored: Option<i64>, key: &str, fingerprint: &str, members: &[Loaded]) -> Built {
        let refs: Vec<Member<'_>> = members
            .iter()
            .map(|m| Member { key: &m.uid, document: &m.document, published: m.published, event: &m.event })
            .collect();
        let fused = fuse_group(&refs);
        let json = serde_json::to_string(&fused).expect("fused events always serialise");
        // Every name any report gave, so that `--actor` finds the event whichever outlet named whom.
        let mut names: BTreeSet<&str> = BTreeSet::new();
        for m in members {
            let ev = &m.event;
            for a in ev.actor1.iter().chain(&ev.assoc_actor_1).chain(ev.actor2.iter()).chain(&ev.assoc_actor_2) {
                names.insert(a.name.as_str());
            }
        }
        let evidence: Vec<&str> = members.iter().map(|m| m.event.evidence.text.as_str()).collect();
        let actors: Vec<&str> = names.into_iter().collect();
        Built {
            stored,
            key: key.to_owned(),
            fingerprint: fingerprint.to_owned(),
            fused,
            json,
            evidence: evidence.join("\n"),
            actors: actors.join("\n"),
        }
    }
}

/// Inserts (or, given its row id, updates) a fused event and its full-text entry.
fn write_cluster(tx: &Transaction<'_>, b: &Built) -> rusqlite::Result<i64> {
    let e = &b.fused.event;
    let loc = e.location.as_ref();
    let values = params![
        b.key,
        b.fingerprint,
        e.event_type.name(),
        e.sub_event_type.name(),
        e.event_date.map(|d| d.to_string()),
        e.time_precision,
        loc.and_then(|l| l.iso.as_deref()),
        loc.and_then(|l| l.country.as_deref()),
        loc.and_then(|l| l.admin1.as_deref()),
        loc.map(|l| l.name.as_str()),
        loc.map(|l| l.latitude),
        loc.map(|l| l.longitude),
        loc.map(|l| l.geo_precision),
        e.fatalities,
        b.fused.fatalities_range[1],
        i64::try_from(b.fused.n_sources).unwrap_or(i64::MAX),
        i64::try_from(b.fused.n_documents).unwrap_or(i64::MAX),
        b.json,
    ];
    let id = match b.stored {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE clusters SET key = ?1, fingerprint = ?2, event_type = ?3, sub_event_type = ?4, event_date = ?5, \
                 time_precision = ?6, iso = ?7, country = ?8, admin1 = ?9, location = ?10, latitude = ?11, \
                 longitude = ?12, geo_precision = ?13, fatalities = ?14, fatalities_max = ?15, n_sources = ?16, \
                 n_documents = ?17, json = ?18 WHERE id = ?19",
            )?
            .execute(rusqlite::params_from_iter(values.iter().copied().chain(std::iter::once(&id as &dyn rusqlite::ToSql))))?;
            tx.prepare_cached("DELETE FROM clusters_fts WHERE rowid = ?1")?.execute([id])?;
            id
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO clusters (key, fingerprint, event_type, sub_event_type, event_date, time_precision, iso, \
                 country, admin1, location, latitude, longitude, geo_precision, fatalities, fatalities_max, n_sources, \
                 n_documents, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?
            .execute(values)?;
            tx.last_insert_rowid()
        }
    };
    tx.prepare_cached("INSERT INTO clusters_fts (rowid, evidence, actors) VALUES (?1, ?2, ?3)")?
        .execute(params![id, b.evidence, b.actors])?;
    Ok(id)
}
