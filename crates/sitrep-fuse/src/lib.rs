//! Cross-report fusion: the reports of one real event, from however many
//! articles and outlets, become one event record.
//!
//! The principal type is [`FusedEvent`]: one event with every report that
//! described it ([`SourceRef`]: outlet, attribution, document, evidence
//! span), ACLED's lowest credible death toll (and the reported range), and
//! the most precise date and location any report gave.
//!
//! Fusion runs in two steps, both pure and deterministic:
//!
//! 1. [`cluster`] groups [`Report`]s: each report is reduced to its
//!    [`Features`] (sub-event type, date and time precision, point and geo
//!    precision, actor sides, death toll, content words of the evidence).
//!    Two reports may fuse only when their types are of one family (or of
//!    compatible families), their dates lie within a window that widens with
//!    time precision, their places within a radius that widens with geo
//!    precision, their actors do not contradict each other, and they come
//!    from different documents. Pairs that may fuse are scored, and groups
//!    are merged best pair first while every member stays compatible with
//!    every other and the mean score stays above the threshold; two groups
//!    that each have several reports agreeing on a day, a town or a family
//!    of event, and disagree with each other on it, stay apart (a protest on
//!    Tuesday and another on Wednesday are two events). Reports are
//!    ordered by key before anything else, so the result depends only on the
//!    set of reports, never on the order they were ingested in. Blocks are
//!    searched for candidate pairs on the rayon pool; the pairs are then
//!    sorted by score and ranks, so the thread count changes nothing.
//! 2. [`fuse_group`] builds the [`FusedEvent`] of one group.
//!
//! Groups form only along candidate pairs, so fusion is incremental:
//! [`ReportIndex`] finds the reports connected to new (or orphaned) reports,
//! and clustering just those gives the groups that clustering everything
//! would (a store re-fuses only the neighbourhood of what it writes);
//! [`ReportIndex::insert_many`] adds many reports with their pairs searched
//! in parallel.
//!
//! The settings (families, windows, radii, weights, threshold, stop words)
//! are data: `data/fusion.toml` and `data/stopwords.txt`, loaded by
//! [`FusionConfig`].
//!
//! ```
//! use sitrep_fuse::{FusionConfig, fuse};
//! let config = FusionConfig::builtin();
//! let fused = fuse(&[], &config);
//! assert!(fused.is_empty());
//! ```

mod cluster;
mod config;
mod features;
mod index;
mod merge;

pub use cluster::{PairScore, Report, blocks_signature, cluster, fusion_block, haversine_km, score_pair};
pub use config::{ConfigError, FusionConfig, Weights};
pub use features::{ActorKey, FEATURES_VERSION, Features, content_words, day_number, fnv32};
pub use index::{IdHasher, IdMap, ReportIndex};
pub use merge::{FusedEvent, Member, SourceRef, fuse_group, fused_id};

/// Clusters reports given as [`Member`]s and fuses each group: the one-call
/// form for callers that hold the events in memory. Document ids are
/// compared as strings (reports of one document never fuse).
///
/// The result is sorted by fused id's first member key, like [`cluster`]'s.
#[must_use]
pub fn fuse(members: &[Member<'_>], config: &FusionConfig) -> Vec<FusedEvent> {
    let mut doc_numbers: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for m in members {
        let next = doc_numbers.len() as u64;
        doc_numbers.entry(m.document).or_insert(next);
    }
    let reports: Vec<Report> = members
        .iter()
        .map(|m| Report {
            key: m.key.to_owned(),
            document: doc_numbers[m.document],
            features: Features::of(m.event, config),
        })
        .collect();
    cluster(&reports, config)
        .into_iter()
        .map(|group| fuse_group(&group.iter().map(|&i| members[i]).collect::<Vec<_>>()))
        .collect()
}
