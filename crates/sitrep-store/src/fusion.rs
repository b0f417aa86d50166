//! Fusing the stored events: the full pass ([`Store::fuse`]: cluster them
//! all, rewrite only the fused events whose members changed) and the
//! incremental one ([`fuse_written`]: cluster again only the neighbourhood
//! of what a transaction wrote). Both give the fused events of clustering
//! every stored event: `sitrep_fuse` merges reports only along candidate
//! pairs, so the groups of a connected set of candidate pairs depend on that
//! set alone.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rusqlite::{Transaction, params};
use sitrep_fuse::{
    Features, FusedEvent, FusionConfig, IdMap, Member, Report, ReportIndex, blocks_signature, cluster, fuse_group,
    fused_id, fusion_block,
};
use sitrep_model::{Date, Event, stable_id};

use crate::prepare::PreparedEvent;
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

impl FusionSummary {
    /// Adds the counts of a later pass (whose number of fused events replaces this one's).
    pub fn add(&mut self, f: &FusionSummary) {
        self.events += f.events;
        self.fused = f.fused;
        self.created += f.created;
        self.updated += f.updated;
        self.removed += f.removed;
        self.unchanged += f.unchanged;
        self.elapsed += f.elapsed;
    }
}

/// A fusion block, precision class and day ([`sitrep_fuse::fusion_block`]).
pub(crate) type Block = (i64, u8, i32);

/// One stored event as fusion reads it.
struct Row {
    id: i64,
    uid: String,
    fingerprint: String,
    /// Its fused event's row id, when it has one.
    cluster: Option<i64>,
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
        self.fused_count = None;
        self.hood = None;
        // Everything is fused here, what deferred writes left pending included.
        self.pending = None;
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

        // 1. Every event's features, fusion block and fused event.
        let mut rows: Vec<Row> = Vec::new();
        let mut reports: Vec<Report> = Vec::new();
        let mut stale: Vec<(i64, Vec<u8>)> = Vec::new();
        let mut moved: Vec<(i64, Option<Block>)> = Vec::new();
        {
            let mut stmt = tx
                .prepare(
                    "SELECT e.id, e.uid, e.document_id, e.features, e.fingerprint, e.fblock, e.fclass, e.fday, \
                     m.cluster FROM events e LEFT JOIN fused_members m ON m.event = e.id",
                )
                .map_err(sql)?;
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
                        let f = recomputed_features(&tx, &path, id, &uid, &config)?;
                        stale.push((id, f.encode()));
                        f
                    }
                };
                // Blocks drawn by older settings (or not yet: a store of an older schema) are drawn again.
                let stored: (Option<i64>, Option<u8>, Option<i32>) =
                    (r.get(5).map_err(sql)?, r.get(6).map_err(sql)?, r.get(7).map_err(sql)?);
                let block = fusion_block(&features, &config);
                if (stored.0, stored.1, stored.2) != (block.map(|b| b.0), block.map(|b| b.1), block.map(|b| b.2)) {
                    moved.push((id, block));
                }
                rows.push(Row {
                    id,
                    uid: uid.clone(),
                    fingerprint: r.get(4).map_err(sql)?,
                    cluster: r.get(8).map_err(sql)?,
                });
                reports.push(Report { key: uid, document: u64::try_from(document).unwrap_or(0), features });
            }
        }
        for (id, blob) in &stale {
            tx.prepare_cached("UPDATE events SET features = ?1 WHERE id = ?2")
                .map_err(sql)?
                .execute(params![blob, id])
                .map_err(sql)?;
        }
        for (id, block) in &moved {
            tx.prepare_cached("UPDATE events SET fblock = ?1, fclass = ?2, fday = ?3 WHERE id = ?4")
                .map_err(sql)?
                .execute(params![block.map(|b| b.0), block.map(|b| b.1), block.map(|b| b.2), id])
                .map_err(sql)?;
        }

        // 2. Cluster.
        let groups = cluster(&reports, &config);

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
        let (mut keys, mut prints) = (Vec::with_capacity(groups.len()), Vec::with_capacity(groups.len()));
        for (g, group) in groups.iter().enumerate() {
            let (key, fingerprint) =
                identify(group.iter().map(|&i| (rows[i].uid.as_str(), rows[i].fingerprint.as_str())));
            match existing.get(&key) {
                Some((_, fp)) if *fp == fingerprint => summary.unchanged += 1,
                found => to_build.push((g, key.clone(), fingerprint.clone(), found.map(|(id, _)| *id))),
            }
            keep.insert(key.clone());
            keys.push(key);
            prints.push(fingerprint);
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
                    Ok((!members.is_empty()).then(|| (*stored, Built::of_loaded(key, fingerprint, &members))))
                })
                .collect::<Vec<BuildResult>>()
        };
        let mut countries: HashSet<(String, String)> = HashSet::new();
        let mut written: HashMap<String, i64> = HashMap::new();
        let mut fts = FtsRows::default();
        let mut write = |built: Vec<BuildResult>| -> Result<(), StoreError> {
            for b in built {
                let Some((stored, b)) = b? else { continue };
                let id = write_cluster(&tx, &b, stored, &mut countries).map_err(sql)?;
                fts.push(id, stored.is_some(), Cow::Owned(b.evidence), Cow::Owned(b.actors));
                written.insert(b.key, id);
                if stored.is_some() {
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
        // Which fused event each event belongs to (what incremental fusion starts from).
        for (g, group) in groups.iter().enumerate() {
            let key = &keys[g];
            let Some(id) = written.get(key).copied().or_else(|| existing.get(key).map(|(id, _)| *id)) else { continue };
            for &i in group {
                place_member(&tx, rows[i].id, rows[i].cluster, id).map_err(sql)?;
            }
        }
        for (key, (id, _)) in &existing {
            if !keep.contains(key) {
                tx.prepare_cached("DELETE FROM clusters WHERE id = ?1").map_err(sql)?.execute([id]).map_err(sql)?;
                summary.removed += 1;
            }
        }
        set_meta(&tx, "fusion_dirty", "0").map_err(sql)?;
        set_meta(&tx, "fusion_blocks", &blocks_signature(&config)).map_err(sql)?;
        fts.write(&tx).map_err(sql)?;
        let version = crate::write::data_version(&tx).map_err(sql)?;
        tx.commit().map_err(sql)?;
        self.fused_count = Some(summary.fused);
        self.seen_version = Some(version);
        // Keep the query planner's statistics fresh (sampled: cheap on big stores).
        self.conn
            .execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize;")
            .map_err(|e| StoreError::sqlite(&self.path, e))?;
        summary.elapsed = start.elapsed();
        Ok(summary)
    }
}

/// A new event as [`fuse_written`] is given it.
pub(crate) struct Written<'a> {
    /// Its row id.
    pub(crate) id: i64,
    /// Its document's row id, key and publication date.
    pub(crate) document_id: i64,
    pub(crate) document: &'a str,
    pub(crate) published: Option<Date>,
    pub(crate) event: &'a PreparedEvent,
}

/// Event row ids as index ids (row ids are positive).
pub(crate) fn row_key(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0)
}

/// Index ids as event row ids.
fn row_id(key: u64) -> i64 {
    i64::try_from(key).unwrap_or(0)
}

/// The key (fused id) and fingerprint of a group, from its members' uids
/// and fingerprints given in key order.
fn identify<'a>(members: impl Iterator<Item = (&'a str, &'a str)>) -> (String, String) {
    let (uids, prints): (Vec<&str>, Vec<&[u8]>) = members.map(|(u, f)| (u, f.as_bytes())).unzip();
    (fused_id(&uids), stable_id(&prints))
}

/// Records the fused event's country for `query --country NAME`.
fn note_country(tx: &Transaction<'_>, b: &Built, seen: &mut HashSet<(String, String)>) -> rusqlite::Result<()> {
    if let Some(loc) = &b.row.location
        && let (Some(name), Some(iso)) = (&loc.country, &loc.iso)
        && seen.insert((name.clone(), iso.clone()))
    {
        tx.prepare_cached("INSERT OR IGNORE INTO countries (name, iso) VALUES (?1, ?2)")?.execute([name, iso])?;
    }
    Ok(())
}

/// The events around some events, loaded from the store as far as fusion
/// needs them: a [`ReportIndex`] of them, their fingerprints, and which
/// (block, precision class, date range)s have been read.
///
/// A writer keeps it from one batch to the next (`Store::hood`): the events
/// it writes are added, those it deletes removed, so that a range read once
/// stays complete and later batches read only what they have not seen.
pub(crate) struct Neighbourhood {
    config: FusionConfig,
    index: ReportIndex,
    prints: IdMap<i64, String>,
    blocks: IdMap<i64, Option<Block>>,
    /// Per (block, class): the date ranges read, sorted and disjoint.
    loaded: HashMap<(i64, u8), Vec<(i32, i32)>>,
}

impl Neighbourhood {
    pub(crate) fn new(config: &FusionConfig) -> Neighbourhood {
        Neighbourhood {
            config: config.clone(),
            index: ReportIndex::new(config),
            prints: IdMap::default(),
            blocks: IdMap::default(),
            loaded: HashMap::new(),
        }
    }

    fn add(&mut self, id: i64, report: Report, fingerprint: String, block: Option<Block>) {
        if self.prints.insert(id, fingerprint).is_none() {
            self.blocks.insert(id, block);
            self.index.insert(row_key(id), report);
        }
    }

    /// Adds many events, as [`Neighbourhood::add`] one by one would (an
    /// event held already, or given twice: the first), their candidate pairs
    /// searched in parallel ([`ReportIndex::insert_many`]).
    fn add_many(&mut self, items: impl IntoIterator<Item = (i64, Report, String, Option<Block>)>) {
        let mut reports = Vec::new();
        for (id, report, fingerprint, block) in items {
            if self.prints.insert(id, fingerprint).is_none() {
                self.blocks.insert(id, block);
                reports.push((row_key(id), report));
            }
        }
        self.index.insert_many(reports);
    }

    /// Adds written events it does not hold yet (a deferred writer adds
    /// each batch's events as it commits them: their candidate pairs are then
    /// searched while later documents are analysed, not all at the end).
    pub(crate) fn add_written(&mut self, added: &[Written<'_>]) {
        let this = &*self;
        let items: Vec<(i64, Report, String, Option<Block>)> = added
            .par_iter()
            .filter(|w| !this.prints.contains_key(&w.id))
            .map(|w| {
                let report = Report {
                    key: w.event.uid.clone(),
                    document: row_key(w.document_id),
                    features: w.event.fusion.clone(),
                };
                (w.id, report, w.event.fingerprint.clone(), w.event.block)
            })
            .collect();
        self.add_reports(items.into_iter());
    }

    /// Adds events it does not hold yet, given their reports (room for all made first).
    pub(crate) fn add_reports(&mut self, items: impl ExactSizeIterator<Item = (i64, Report, String, Option<Block>)>) {
        self.reserve(items.len());
        self.add_many(items);
    }

    /// Makes room for `n` more events.
    fn reserve(&mut self, n: usize) {
        self.prints.reserve(n);
        self.blocks.reserve(n);
        self.index.reserve(n);
    }

    /// Forgets an event that was deleted (its row id may be given to a new one).
    pub(crate) fn remove(&mut self, id: i64) {
        if self.prints.remove(&id).is_some() {
            self.blocks.remove(&id);
            self.index.remove(row_key(id));
        }
    }

    /// Number of events held.
    pub(crate) fn len(&self) -> usize {
        self.prints.len()
    }

    /// Adds a stored event row: id, uid, document id, features, fingerprint, fblock, fclass, fday.
    fn add_row(
        &mut self,
        path: &std::path::Path,
        tx: &Transaction<'_>,
        r: &rusqlite::Row<'_>,
    ) -> Result<(), StoreError> {
        let sql = |e| StoreError::sqlite(path, e);
        let id: i64 = r.get(0).map_err(sql)?;
        if self.prints.contains_key(&id) {
            return Ok(());
        }
        let uid: String = r.get(1).map_err(sql)?;
        let document: i64 = r.get(2).map_err(sql)?;
        let blob: Vec<u8> = r.get(3).map_err(sql)?;
        let features = match Features::decode(&blob) {
            Some(f) => f,
            None => recomputed_features(tx, path, id, &uid, &self.config)?,
        };
        let block = match (r.get::<_, Option<i64>>(5), r.get::<_, Option<u8>>(6), r.get::<_, Option<i32>>(7)) {
            (Ok(Some(b)), Ok(Some(c)), Ok(Some(d))) => Some((b, c, d)),
            _ => None,
        };
        let report = Report { key: uid, document: row_key(document), features };
        self.add(id, report, r.get(4).map_err(sql)?, block);
        Ok(())
    }

    /// Reads stored events by row id.
    fn load_ids(&mut self, tx: &Transaction<'_>, path: &std::path::Path, ids: &[i64]) -> Result<(), StoreError> {
        let sql = |e| StoreError::sqlite(path, e);
        let mut stmt = tx
            .prepare_cached(
                "SELECT id, uid, document_id, features, fingerprint, fblock, fclass, fday FROM events WHERE id = ?1",
            )
            .map_err(sql)?;
        for &id in ids {
            let mut rows = stmt.query([id]).map_err(sql)?;
            if let Some(r) = rows.next().map_err(sql)? {
                self.add_row(path, tx, r)?;
            }
        }
        Ok(())
    }

    /// Reads the stored events of one block and precision class dated `lo..=hi`.
    fn load_range(
        &mut self,
        tx: &Transaction<'_>,
        path: &std::path::Path,
        (block, class, lo, hi): (i64, u8, i32, i32),
    ) -> Result<(), StoreError> {
        let sql = |e| StoreError::sqlite(path, e);
        // Row ids first (from the index alone): most are held already.
        let unseen: Vec<i64> = tx
            .prepare_cached("SELECT id FROM events WHERE fblock = ?1 AND fclass = ?2 AND fday BETWEEN ?3 AND ?4")
            .map_err(sql)?
            .query_map(params![block, class, lo, hi], |r| r.get::<_, i64>(0))
            .map_err(sql)?
            .filter(|id| id.as_ref().map_or(true, |id| !self.prints.contains_key(id)))
            .collect::<rusqlite::Result<_>>()
            .map_err(sql)?;
        self.load_ids(tx, path, &unseen)?;
        let list = self.loaded.entry((block, class)).or_default();
        list.push((lo, hi));
        list.sort_unstable();
        let mut merged: Vec<(i32, i32)> = Vec::with_capacity(list.len());
        for &(a, b) in list.iter() {
            match merged.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        *list = merged;
        Ok(())
    }

    /// The date ranges not read yet where the events of `ids` may have
    /// partners, merged per block and class.
    fn missing(&self, ids: &[u64]) -> Vec<(i64, u8, i32, i32)> {
        let mut want: BTreeMap<(i64, u8), Vec<(i32, i32)>> = BTreeMap::new();
        for &key in ids {
            let id = row_id(key);
            let (Some(Some((block, _, day))), Some(report)) = (self.blocks.get(&id), self.index.get(key)) else {
                continue;
            };
            for class in 0..3u8 {
                let window = self.config.date_window(report.features.time_precision, class + 1);
                let reach = i32::try_from(window).unwrap_or(i32::MAX);
                let (lo, hi) = (day.saturating_sub(reach), day.saturating_add(reach));
                let covered =
                    self.loaded.get(&(*block, class)).is_some_and(|list| list.iter().any(|&(a, b)| a <= lo && hi <= b));
                if !covered {
                    want.entry((*block, class)).or_default().push((lo, hi));
                }
            }
        }
        let mut out = Vec::new();
        for ((block, class), mut list) in want {
            list.sort_unstable();
            let mut current: Option<(i32, i32)> = None;
            for (a, b) in list {
                current = match current {
                    Some((x, y)) if a <= y.saturating_add(1) => Some((x, y.max(b))),
                    Some((x, y)) => {
                        out.push((block, class, x, y));
                        Some((a, b))
                    }
                    None => Some((a, b)),
                };
            }
            if let Some((x, y)) = current {
                out.push((block, class, x, y));
            }
        }
        out
    }
}

/// Fuses what one transaction wrote: events `added`, and fused events
/// `dirty` that lost members (their events were deleted with their
/// documents). Only the neighbourhood is read and clustered again: the new
/// events, what the dirty fused events leave behind, and every stored event
/// connected to them through candidate pairs (read block by block and date
/// range by range until no member of the neighbourhood can have a partner
/// outside it), which takes in two fused events that a new report bridges.
/// Fused events whose members and content stay the same are not touched.
/// The result is what a full [`Store::fuse`] would give.
pub(crate) fn fuse_written<'a>(
    tx: &Transaction<'_>,
    path: &std::path::Path,
    hood: &mut Neighbourhood,
    added: &[Written<'a>],
    deleted: &[i64],
    dirty: &BTreeSet<i64>,
) -> Result<FusionSummary, StoreError> {
    let start = Instant::now();
    let sql = |e| StoreError::sqlite(path, e);
    let config = &hood.config.clone();
    let mut summary = FusionSummary { events: added.len() as u64, ..FusionSummary::default() };
    for &id in deleted {
        hood.remove(id);
    }
    let mut seeds: Vec<u64> = Vec::with_capacity(added.len());
    let mut fresh: IdMap<i64, &Written<'a>> = IdMap::with_capacity_and_hasher(added.len(), Default::default());
    hood.add_written(added);
    for w in added {
        seeds.push(row_key(w.id));
        fresh.insert(w.id, w);
    }
    // What fused events that lost members leave behind.
    for &c in dirty {
        let survivors: Vec<i64> = tx
            .prepare_cached("SELECT event FROM fused_members WHERE cluster = ?1")
            .map_err(sql)?
            .query_map([c], |r| r.get(0))
            .map_err(sql)?
            .collect::<rusqlite::Result<_>>()
            .map_err(sql)?;
        hood.load_ids(tx, path, &survivors)?;
        seeds.extend(survivors.into_iter().map(row_key));
    }
    // The neighbourhood: read until every member's partners are read.
    let ids = loop {
        let component = hood.index.component(seeds.iter().copied());
        let missing = hood.missing(&component);
        if missing.is_empty() {
            break component;
        }
        for range in missing {
            hood.load_range(tx, path, range)?;
        }
    };
    let groups = clustered(&hood.index, &ids, config);
    let reports = hood.index.reports(&ids);

    // The fused events these events belong to now.
    // (Events written since the last fusion are in none yet: only stored ones are looked up.)
    let mut current: IdMap<i64, i64> = IdMap::default();
    let stored: Vec<u64> = ids.iter().copied().filter(|&k| !fresh.contains_key(&row_id(k))).collect();
    for chunk in stored.chunks(500) {
        let list: Vec<String> = chunk.iter().map(ToString::to_string).collect();
        let mut stmt = tx
            .prepare(&format!("SELECT event, cluster FROM fused_members WHERE event IN ({})", list.join(",")))
            .map_err(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(sql)?;
        for row in rows {
            let (e, c): (i64, i64) = row.map_err(sql)?;
            current.insert(e, c);
        }
    }
    let old_ids: BTreeSet<i64> = dirty.iter().copied().chain(current.values().copied()).collect();
    let mut old: HashMap<String, (i64, String)> = HashMap::new();
    let old_list: Vec<i64> = old_ids.iter().copied().collect();
    for chunk in old_list.chunks(500) {
        let list: Vec<String> = chunk.iter().map(ToString::to_string).collect();
        let mut stmt = tx
            .prepare(&format!("SELECT id, key, fingerprint FROM clusters WHERE id IN ({})", list.join(",")))
            .map_err(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map_err(sql)?;
        for row in rows {
            let (id, key, fp): (i64, String, String) = row.map_err(sql)?;
            old.insert(key, (id, fp));
        }
    }

    // Compare; build and write what changed.
    let mut keep: HashSet<i64> = HashSet::new();
    let mut placed: Vec<(Vec<i64>, i64)> = Vec::new();
    // (members, key, fingerprint, row id of a stored fused event with these members)
    let mut to_build: Vec<(Vec<i64>, String, String, Option<i64>)> = Vec::new();
    let identified: Vec<(Vec<i64>, String, String)> = groups
        .par_iter()
        .map(|group| {
            let members: Vec<i64> = group.iter().map(|&i| row_id(ids[i])).collect();
            let (key, fingerprint) = identify(
                group
                    .iter()
                    .zip(&members)
                    .map(|(&i, m)| (reports[i].key.as_str(), hood.prints.get(m).map_or("", String::as_str))),
            );
            (members, key, fingerprint)
        })
        .collect();
    for (members, key, fingerprint) in identified {
        match old.get(&key) {
            Some((id, fp)) if *fp == fingerprint => {
                summary.unchanged += 1;
                keep.insert(*id);
                placed.push((members, *id));
            }
            found => to_build.push((members, key, fingerprint, found.map(|(id, _)| *id))),
        }
    }
    // New fused events in the order of their first event's row id, and members placed in row id order:
    // `fused_members` and its index then grow at their ends instead of everywhere.
    to_build.sort_by_key(|(m, ..)| m.iter().min().copied());
    let mut stored_ids: Vec<i64> =
        to_build.iter().flat_map(|(m, ..)| m.iter().copied()).filter(|m| !fresh.contains_key(m)).collect();
    stored_ids.sort_unstable();
    stored_ids.dedup();
    let stored_rows = if stored_ids.is_empty() { BTreeMap::new() } else { load_members(tx, path, &stored_ids)? };
    let mut loaded: IdMap<i64, Loaded> = IdMap::with_capacity_and_hasher(stored_rows.len(), Default::default());
    for (id, m) in &stored_rows {
        loaded.insert(*id, m.decode(path)?);
    }
    let mut countries: HashSet<(String, String)> = HashSet::new();
    let mut fts = FtsRows::default();
    // Fused events of several reports are built on the rayon pool, then written in order.
    let built: Vec<Option<Built>> = to_build
        .par_iter()
        .map(|(members, key, fingerprint, _)| {
            if let [one] = members.as_slice()
                && fresh.contains_key(one)
            {
                return None;
            }
            let refs: Vec<Member<'_>> = members
                .iter()
                .filter_map(|m| match (fresh.get(m), loaded.get(m)) {
                    (Some(w), _) => Some(Member {
                        key: &w.event.uid,
                        document: w.document,
                        published: w.published,
                        event: &w.event.event,
                    }),
                    (None, Some(l)) => {
                        Some(Member { key: &l.uid, document: &l.document, published: l.published, event: &l.event })
                    }
                    (None, None) => None,
                })
                .collect();
            (!refs.is_empty()).then(|| Built::new(key, fingerprint, &refs))
        })
        .collect();
    for ((members, _, _, stored), built) in to_build.into_iter().zip(built) {
        let (id, evidence, actors) = match (members.as_slice(), built) {
            ([one], _) if fresh.contains_key(one) => {
                // Most reports stay alone: their fused event was built by `prepare`.
                let single: &'a Built = &fresh[one].event.single;
                let id = write_cluster(tx, single, stored, &mut countries).map_err(sql)?;
                (id, Cow::Borrowed(single.evidence.as_str()), Cow::Borrowed(single.actors.as_str()))
            }
            (_, Some(built)) => {
                let id = write_cluster(tx, &built, stored, &mut countries).map_err(sql)?;
                (id, Cow::Owned(built.evidence), Cow::Owned(built.actors))
            }
            (_, None) => continue,
        };
        fts.push(id, stored.is_some(), evidence, actors);
        if stored.is_some() {
            summary.updated += 1;
        } else {
            summary.created += 1;
        }
        keep.insert(id);
        placed.push((members, id));
    }
    let mut places: Vec<(i64, i64)> =
        placed.iter().flat_map(|(members, id)| members.iter().map(move |m| (*m, *id))).collect();
    places.sort_unstable();
    for (m, id) in places {
        place_member(tx, m, current.get(&m).copied(), id).map_err(sql)?;
    }
    for id in old_ids {
        if !keep.contains(&id) {
            let n = tx.prepare_cached("DELETE FROM clusters WHERE id = ?1").map_err(sql)?.execute([id]).map_err(sql)?;
            summary.removed += n as u64;
        }
    }
    fts.write(tx).map_err(sql)?;
    summary.elapsed = start.elapsed();
    Ok(summary)
}
/// The groups of reports `ids` (a union of connected components of the
/// candidate-pair graph), as [`cluster`] gives them, as indexes into `ids`
/// (groups in no particular order). A report without a candidate pair is a
/// group of its own (most are): only the others are clustered.
fn clustered(index: &ReportIndex, ids: &[u64], config: &FusionConfig) -> Vec<Vec<usize>> {
    let (linked, alone): (Vec<usize>, Vec<usize>) = (0..ids.len()).partition(|&i| index.has_partners(ids[i]));
    let linked_ids: Vec<u64> = linked.iter().map(|&i| ids[i]).collect();
    let reports = index.reports(&linked_ids);
    let mut groups: Vec<Vec<usize>> =
        cluster(&reports, config).into_iter().map(|g| g.into_iter().map(|i| linked[i]).collect()).collect();
    groups.extend(alone.into_iter().map(|i| vec![i]));
    groups
}

/// A fused event built by a worker (with the row id of the stored one it
/// replaces), or none when its members could not be read.
type BuildResult = Result<Option<(Option<i64>, Built)>, StoreError>;

/// A member event with what fusion needs of its document.
struct Loaded {
    uid: String,
    document: String,
    published: Option<Date>,
    event: Event,
}

/// The JSON of a fused event of one report (stored as `''`), rebuilt from
/// that report: its uid, event JSON, document key and publication date.
/// `fuse_group` of one member, as [`Built::new`] gives it when writing.
pub(crate) fn single_json(
    path: &std::path::Path,
    uid: &str,
    json: &str,
    document: &str,
    published: Option<&str>,
) -> Result<String, StoreError> {
    let event = decode_event(path, uid, json)?;
    let member = Member { key: uid, document, published: published.and_then(|p| p.parse().ok()), event: &event };
    Ok(serde_json::to_string(&fuse_group(&[member])).expect("fused events always serialise"))
}

fn decode_event(path: &std::path::Path, uid: &str, json: &str) -> Result<Event, StoreError> {
    crate::decode::event_from_str(json).map_err(|detail| StoreError::Decode {
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
#[derive(Clone, Debug)]
pub(crate) struct Built {
    key: String,
    fingerprint: String,
    row: ClusterRow,
    json: String,
    evidence: String,
    actors: String,
}

/// The columns of a fused event's row (besides key, fingerprint and JSON).
#[derive(Clone, Debug, PartialEq)]
struct ClusterRow {
    event_type: &'static str,
    sub_event_type: &'static str,
    event_date: Option<String>,
    time_precision: u8,
    location: Option<Box<RowLocation>>,
    fatalities: u32,
    fatalities_max: u32,
    n_sources: i64,
    n_documents: i64,
}

#[derive(Clone, Debug, PartialEq)]
struct RowLocation {
    iso: Option<String>,
    country: Option<String>,
    admin1: Option<String>,
    name: String,
    latitude: f64,
    longitude: f64,
    geo_precision: u8,
}

impl ClusterRow {
    fn of(fused: &FusedEvent) -> ClusterRow {
        ClusterRow::with(&fused.event, fused.fatalities_range[1], fused.n_sources, fused.n_documents)
    }

    /// The columns of the fused event of one report: its own values (a toll
    /// range of one count, one source, one document).
    fn of_single(e: &Event) -> ClusterRow {
        ClusterRow::with(e, e.fatalities, 1, 1)
    }

    fn with(e: &Event, fatalities_max: u32, n_sources: usize, n_documents: usize) -> ClusterRow {
        ClusterRow {
            event_type: e.event_type.name(),
            sub_event_type: e.sub_event_type.name(),
            event_date: e.event_date.map(|d| d.to_string()),
            time_precision: e.time_precision,
            location: e.location.as_ref().map(|l| {
                Box::new(RowLocation {
                    iso: l.iso.clone(),
                    country: l.country.clone(),
                    admin1: l.admin1.clone(),
                    name: l.name.clone(),
                    latitude: l.latitude,
                    longitude: l.longitude,
                    geo_precision: l.geo_precision,
                })
            }),
            fatalities: e.fatalities,
            fatalities_max,
            n_sources: i64::try_from(n_sources).unwrap_or(i64::MAX),
            n_documents: i64::try_from(n_documents).unwrap_or(i64::MAX),
        }
    }
}

impl Built {
    pub(crate) fn new(key: &str, fingerprint: &str, members: &[Member<'_>]) -> Built {
        // A fused event of one report is not stored as JSON: readers rebuild
        // it from its report's event row ([`single_json`]), the same way. Its
        // columns are the report's own (`fuse_group` of one report changes
        // none of them: a test checks it), so it is not fused here.
        let (row, json) = match members {
            [one] => (ClusterRow::of_single(one.event), String::new()),
            _ => {
                let fused = fuse_group(members);
                (ClusterRow::of(&fused), serde_json::to_string(&fused).expect("fused events always serialise"))
            }
        };
        // Every name any report gave, so that `--actor` finds the event whichever outlet named whom.
        let mut names: BTreeSet<&str> = BTreeSet::new();
        for m in members {
            let ev = m.event;
            for a in ev.actor1.iter().chain(&ev.assoc_actor_1).chain(ev.actor2.iter()).chain(&ev.assoc_actor_2) {
                names.insert(a.name.as_str());
            }
        }
        // In key order, as `fuse_group` lists the sources.
        let mut sorted: Vec<&Member<'_>> = members.iter().collect();
        sorted.sort_by(|a, b| a.key.cmp(b.key));
        let evidence: Vec<&str> = sorted.iter().map(|m| m.event.evidence.text.as_str()).collect();
        let actors: Vec<&str> = names.into_iter().collect();
        Built {
            key: key.to_owned(),
            fingerprint: fingerprint.to_owned(),
            row,
            json,
            evidence: evidence.join("\n"),
            actors: actors.join("\n"),
        }
    }

    fn of_loaded(key: &str, fingerprint: &str, members: &[Loaded]) -> Built {
        let refs: Vec<Member<'_>> = members
            .iter()
            .map(|m| Member { key: &m.uid, document: &m.document, published: m.published, event: &m.event })
            .collect();
        Built::new(key, fingerprint, &refs)
    }
}

/// Inserts (or, given its row id, updates) a fused event and notes its country
/// ([`note_country`]); its full-text entry goes in [`FtsRows`].
fn write_cluster(
    tx: &Transaction<'_>,
    b: &Built,
    stored: Option<i64>,
    countries: &mut HashSet<(String, String)>,
) -> rusqlite::Result<i64> {
    note_country(tx, b, countries)?;
    let r = &b.row;
    let loc = r.location.as_deref();
    let values = params![
        b.key,
        b.fingerprint,
        r.event_type,
        r.sub_event_type,
        r.event_date,
        r.time_precision,
        loc.and_then(|l| l.iso.as_deref()),
        loc.and_then(|l| l.country.as_deref()),
        loc.and_then(|l| l.admin1.as_deref()),
        loc.map(|l| l.name.as_str()),
        loc.map(|l| l.latitude),
        loc.map(|l| l.longitude),
        loc.map(|l| l.geo_precision),
        r.fatalities,
        r.fatalities_max,
        r.n_sources,
        r.n_documents,
        b.json,
    ];
    let id = match stored {
        Some(id) => {
            tx.prepare_cached(
                "UPDATE clusters SET key = ?1, fingerprint = ?2, event_type = ?3, sub_event_type = ?4, event_date = ?5, \
                 time_precision = ?6, iso = ?7, country = ?8, admin1 = ?9, location = ?10, latitude = ?11, \
                 longitude = ?12, geo_precision = ?13, fatalities = ?14, fatalities_max = ?15, n_sources = ?16, \
                 n_documents = ?17, json = ?18 WHERE id = ?19",
            )?
            .execute(rusqlite::params_from_iter(values.iter().copied().chain(std::iter::once(&id as &dyn rusqlite::ToSql))))?;
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
    Ok(id)
}

/// Puts event `event` (in fused event `from`, if any) in fused event `to`.
fn place_member(tx: &Transaction<'_>, event: i64, from: Option<i64>, to: i64) -> rusqlite::Result<()> {
    match from {
        Some(from) if from == to => {}
        Some(_) => {
            tx.prepare_cached("UPDATE fused_members SET cluster = ?2 WHERE event = ?1")?.execute([event, to])?;
        }
        None => {
            tx.prepare_cached("INSERT INTO fused_members (event, cluster) VALUES (?1, ?2)")?.execute([event, to])?;
        }
    }
    Ok(())
}

/// The full-text entries of the fused events a transaction writes, written
/// last, just before it commits. FTS5 holds new entries in memory until the
/// commit, but flushes them to a new segment at every statement savepoint,
/// which SQLite opens for any later write that may fail halfway (an insert
/// checked against foreign keys, a cascading delete): written among the
/// other rows, a batch made a small segment per statement, and FTS5 spent
/// its time merging them.
#[derive(Default)]
struct FtsRows<'a> {
    /// Fused events rewritten in place: their old entries go first.
    stale: Vec<i64>,
    rows: Vec<(i64, Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> FtsRows<'a> {
    fn push(&mut self, id: i64, replaces: bool, evidence: Cow<'a, str>, actors: Cow<'a, str>) {
        if replaces {
            self.stale.push(id);
        }
        self.rows.push((id, evidence, actors));
    }

    fn write(self, tx: &Transaction<'_>) -> rusqlite::Result<()> {
        let mut delete = tx.prepare_cached("DELETE FROM clusters_fts WHERE rowid = ?1")?;
        for id in self.stale {
            delete.execute([id])?;
        }
        let mut insert = tx.prepare_cached("INSERT INTO clusters_fts (rowid, evidence, actors) VALUES (?1, ?2, ?3)")?;
        for (id, evidence, actors) in &self.rows {
            insert.execute(params![id, evidence.as_ref(), actors.as_ref()])?;
        }
        Ok(())
    }
}

/// The fusion features of stored event `id`, recomputed from its JSON (for features
/// written by another version of them).
fn recomputed_features(
    tx: &Transaction<'_>,
    path: &std::path::Path,
    id: i64,
    uid: &str,
    config: &FusionConfig,
) -> Result<Features, StoreError> {
    let sql = |e| StoreError::sqlite(path, e);
    let json: String = tx
        .prepare_cached("SELECT json FROM events WHERE id = ?1")
        .map_err(sql)?
        .query_row([id], |r| r.get(0))
        .map_err(sql)?;
    Ok(Features::of(&decode_event(path, uid, &json)?, config))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::tests::sample_event;
    use sitrep_model::{Certainty, SubEventType};

    #[test]
    fn the_fused_event_of_one_report_has_that_report_s_columns() {
        let base = sample_event();
        let mut variants = vec![base.clone()];
        let mut e = base.clone();
        e.fatalities = 0;
        e.source.outlet = None;
        e.source.certainty = Certainty::Reported;
        variants.push(e);
        let mut e = base.clone();
        e.event_date = None;
        e.time_precision = 3;
        e.location = None;
        e.sub_event_type = SubEventType::PeacefulProtest;
        e.event_type = e.sub_event_type.event_type();
        variants.push(e);
        let mut e = base;
        e.source.outlet = Some(String::new());
        e.source.certainty = Certainty::Unconfirmed;
        variants.push(e);
        for e in &variants {
            let member = Member { key: "k", document: "d", published: None, event: e };
            let fused = fuse_group(&[member]);
            assert_eq!(ClusterRow::of_single(e), ClusterRow::of(&fused), "{e:?}");
        }
    }
}
