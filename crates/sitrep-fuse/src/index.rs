//! Incremental fusion: an index of reports by block and date that finds a
//! report's fusion partners without looking at every report.
//!
//! [`cluster`](crate::cluster) merges groups only along candidate pairs
//! (compatible, scoring at least the threshold), and whether two groups may
//! merge depends on those two groups alone. So the groups of a connected
//! component of the candidate-pair graph depend only on that component:
//! clustering the component of the reports that were added (or of the
//! reports left behind by removed ones) gives exactly the groups that
//! clustering every report would give there, and every other group stays as
//! it was. A report that links two components (a bridge) makes them one.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::cluster::{Report, block_of, family_components, score_pair};
use crate::config::FusionConfig;

type Block = (u8, [u8; 2]);

/// A hasher for integer ids (a multiply and a rotate: ids are not chosen by
/// an adversary, and SipHash was a good part of looking reports up). Maps
/// keyed with it are only looked up, never iterated for output.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_i64(&mut self, n: i64) {
        self.write_u64(n.cast_unsigned());
    }
}

/// A `HashMap` keyed by integer ids ([`IdHasher`]).
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Reports by id, with a (block, date) index and the candidate pairs among
/// them (found once, when a report is added). Ids are the caller's (a store
/// uses its event row ids); they only name reports, the keys order them.
#[derive(Debug)]
pub struct ReportIndex {
    config: FusionConfig,
    component: Vec<u8>,
    reports: IdMap<u64, Report>,
    blocks: BTreeMap<Block, [BTreeSet<(i32, u64)>; 3]>,
    /// Candidate partners of each report.
    pairs: IdMap<u64, Vec<u64>>,
}

impl ReportIndex {
    /// An empty index for these settings.
    #[must_use]
    pub fn new(config: &FusionConfig) -> ReportIndex {
        ReportIndex {
            config: config.clone(),
            component: family_components(config),
            reports: IdMap::default(),
            blocks: BTreeMap::new(),
            pairs: IdMap::default(),
        }
    }

    /// The settings the index compares reports with.
    #[must_use]
    pub fn config(&self) -> &FusionConfig {
        &self.config
    }

    /// Number of reports.
    #[must_use]
    pub fn len(&self) -> usize {
        self.reports.len()
    }

    /// True when the index holds no report.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.reports.is_empty()
    }

    /// A report by id.
    #[must_use]
    pub fn get(&self, id: u64) -> Option<&Report> {
        self.reports.get(&id)
    }

    /// Makes room for `n` more reports.
    pub fn reserve(&mut self, n: usize) {
        self.reports.reserve(n);
        self.pairs.reserve(n);
    }

    /// Adds a report (replacing the one with this id, which is returned),
    /// and finds its candidate pairs with the reports already there.
    pub fn insert(&mut self, id: u64, report: Report) -> Option<Report> {
        let old = self.remove(id);
        let partners = self.scan(id, &report);
        for &p in &partners {
            self.pairs.entry(p).or_default().push(id);
        }
        self.pairs.insert(id, partners);
        if let Some((block, class, date)) = block_of(&report.features, &self.component, &self.config) {
            self.blocks.entry(block).or_default()[class].insert((date, id));
        }
        self.reports.insert(id, report);
        old
    }

    /// Adds many reports, as [`ReportIndex::insert`] one by one would (an id
    /// given twice: its last report), with their candidate pairs searched on
    /// the rayon pool: every new report is placed first, then each scans its
    /// block and date window; a pair of two new reports is found by both.
    pub fn insert_many(&mut self, items: impl IntoIterator<Item = (u64, Report)>) {
        let mut fresh: Vec<u64> = Vec::new();
        for (id, report) in items {
            self.remove(id);
            if let Some((block, class, date)) = block_of(&report.features, &self.component, &self.config) {
                self.blocks.entry(block).or_default()[class].insert((date, id));
            }
            self.reports.insert(id, report);
            fresh.push(id);
        }
        fresh.sort_unstable();
        fresh.dedup();
        let this = &*self;
        let found: Vec<Vec<u64>> = fresh.par_iter().map(|&id| this.scan(id, &this.reports[&id])).collect();
        for (&id, partners) in fresh.iter().zip(found) {
            for &p in &partners {
                if fresh.binary_search(&p).is_err() {
                    self.pairs.entry(p).or_default().push(id);
                }
            }
            self.pairs.insert(id, partners);
        }
    }

    /// Removes a report (and its candidate pairs).
    pub fn remove(&mut self, id: u64) -> Option<Report> {
        let old = self.reports.remove(&id)?;
        if let Some((block, class, date)) = block_of(&old.features, &self.component, &self.config)
            && let Some(lists) = self.blocks.get_mut(&block)
        {
            lists[class].remove(&(date, id));
            if lists.iter().all(BTreeSet::is_empty) {
                self.blocks.remove(&block);
            }
        }
        for p in self.pairs.remove(&id).unwrap_or_default() {
            if let Some(list) = self.pairs.get_mut(&p) {
                list.retain(|&q| q != id);
            }
        }
        Some(old)
    }

    /// The reports that form a candidate pair with report `id` (the pairs
    /// [`cluster`](crate::cluster) considers merging along), sorted.
    #[must_use]
    pub fn partners(&self, id: u64) -> Vec<u64> {
        let mut out = self.pairs.get(&id).cloned().unwrap_or_default();
        out.sort_unstable();
        out
    }

    /// Whether report `id` forms a candidate pair with any other report.
    #[must_use]
    pub fn has_partners(&self, id: u64) -> bool {
        self.pairs.get(&id).is_some_and(|p| !p.is_empty())
    }

    /// The reports of the index (other than `id`) that form a candidate pair with `a`.
    fn scan(&self, id: u64, a: &Report) -> Vec<u64> {
        let Some((block, _, date)) = block_of(&a.features, &self.component, &self.config) else { return Vec::new() };
        let Some(lists) = self.blocks.get(&block) else { return Vec::new() };
        let mut out = Vec::new();
        for (class, list) in lists.iter().enumerate() {
            let tp_b = u8::try_from(class + 1).unwrap_or(3);
            let reach = i32::try_from(self.config.date_window(a.features.time_precision, tp_b)).unwrap_or(i32::MAX);
            let (lo, hi) = (date.saturating_sub(reach), date.saturating_add(reach));
            for &(_, other) in list.range((lo, 0)..=(hi, u64::MAX)) {
                if other == id {
                    continue;
                }
                let b = &self.reports[&other];
                let s = score_pair(a, b, &self.config);
                if s.compatible && s.score >= self.config.threshold {
                    out.push(other);
                }
            }
        }
        out
    }

    /// Every report connected to one of `seeds` through candidate pairs (the
    /// seeds included; ids not in the index are left out), sorted. Cluster
    /// these reports to get their groups as clustering every report would.
    #[must_use]
    pub fn component(&self, seeds: impl IntoIterator<Item = u64>) -> Vec<u64> {
        let mut seen: BTreeSet<u64> = BTreeSet::new();
        let mut stack: Vec<u64> = Vec::new();
        for s in seeds {
            if self.reports.contains_key(&s) && seen.insert(s) {
                stack.push(s);
            }
        }
        while let Some(id) = stack.pop() {
            for &p in self.pairs.get(&id).map_or(&[][..], Vec::as_slice) {
                if seen.insert(p) {
                    stack.push(p);
                }
            }
        }
        seen.into_iter().collect()
    }

    /// The reports of `ids`, in the order given (for
    /// [`cluster`](crate::cluster)).
    #[must_use]
    pub fn reports(&self, ids: &[u64]) -> Vec<&Report> {
        ids.iter().filter_map(|id| self.reports.get(id)).collect()
    }
}
