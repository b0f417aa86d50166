//! Grouping reports into events: blocking, pair scores, constrained
//! best-first merging.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::FusionConfig;
use crate::features::{ActorKey, Features};

/// One report to cluster.
#[derive(Clone, Debug)]
pub struct Report {
    /// A unique, stable key (the store uses the document key and the event
    /// id). Keys, not input positions, order everything fusion does, so the
    /// result never depends on the order reports are given in.
    pub key: String,
    /// The document the report comes from: reports of one document never fuse.
    pub document: u64,
    /// What fusion compares.
    pub features: Features,
}

/// The score of a pair of reports, with the reasons that decided it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairScore {
    /// Every hard condition holds (family, date window, radius, actors).
    pub compatible: bool,
    /// The weighted mean of the similarities, 0–1 (0 when not compatible).
    pub score: f64,
}

/// Groups reports into events. Returns the groups as indices into `reports`,
/// each group sorted by key, the groups sorted by their first key; every
/// report is in exactly one group.
///
/// The result depends only on the set of reports (keys and features), never
/// on their order in the slice.
#[must_use]
pub fn cluster<R: Borrow<Report>>(reports: &[R], config: &FusionConfig) -> Vec<Vec<usize>> {
    let n = reports.len();
    let report = |i: usize| reports[i].borrow();
    // Everything below works on ranks: positions in key order.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| report(a).key.cmp(&report(b).key).then_with(|| report(a).document.cmp(&report(b).document)));
    let ranked: Vec<&Report> = order.iter().map(|&i| report(i)).collect();
    let item = |rank: usize| ranked[rank];

    let mut edges = candidate_edges(&ranked, config);
    edges.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| (a.1, a.2).cmp(&(b.1, b.2))));

    // Constrained best-first merging (average linkage on scores, complete
    // linkage on the hard conditions and on documents).
    let mut group_of: Vec<usize> = (0..n).collect();
    let mut groups: Vec<Vec<usize>> = (0..n).map(|r| vec![r]).collect();
    for &(_, a, b) in &edges {
        let (ga, gb) = (group_of[a], group_of[b]);
        if ga == gb {
            continue;
        }
        if !may_merge(&groups[ga], &groups[gb], &item, config) {
            continue;
        }
        // Merge into the group whose first rank is lower; ranks stay sorted.
        let (keep, gone) = if groups[ga][0] < groups[gb][0] { (ga, gb) } else { (gb, ga) };
        let moved = std::mem::take(&mut groups[gone]);
        for &r in &moved {
            group_of[r] = keep;
        }
        groups[keep].extend(moved);
        groups[keep].sort_unstable();
    }
    let mut out: Vec<Vec<usize>> =
        groups.into_iter().filter(|g| !g.is_empty()).map(|g| g.into_iter().map(|r| order[r]).collect()).collect();
    // Groups are already in rank order of their members; order the groups by first key.
    out.sort_by(|a, b| report(a[0]).key.cmp(&report(b[0]).key));
    out
}

/// Scores one pair of reports (symmetric).
#[must_use]
pub fn score_pair(a: &Report, b: &Report, config: &FusionConfig) -> PairScore {
    let (a, b) = if (&a.key, a.document) <= (&b.key, b.document) { (a, b) } else { (b, a) };
    if a.document == b.document {
        return PairScore { compatible: false, score: 0.0 };
    }
    match score(&a.features, &b.features, config) {
        Some(score) => PairScore { compatible: true, score },
        None => PairScore { compatible: false, score: 0.0 },
    }
}

/// (date, rank) pairs, sorted.
type DatedRanks = Vec<(i32, usize)>;

/// Candidate pairs (score, lower rank, higher rank) that reach the threshold,
/// given the reports in rank order. Blocks are independent: each is searched
/// on the rayon pool, and the pairs are concatenated in block order (the
/// caller sorts them by score and ranks anyway).
fn candidate_edges(ranked: &[&Report], config: &FusionConfig) -> Vec<(f64, usize, usize)> {
    // Block on (family component, country); inside a block, one date-sorted
    // list per time precision, so that a vague report looks a month around
    // it while precise ones look a day around them.
    let component = family_components(config);
    let mut blocks: BTreeMap<(u8, [u8; 2]), [DatedRanks; 3]> = BTreeMap::new();
    for (rank, r) in ranked.iter().enumerate() {
        let Some((block, class, date)) = block_of(&r.features, &component, config) else { continue };
        blocks.entry(block).or_default()[class].push((date, rank));
    }
    let mut blocks: Vec<[DatedRanks; 3]> = blocks.into_values().collect();
    blocks
        .par_iter_mut()
        .flat_map_iter(|lists| {
            for list in lists.iter_mut() {
                list.sort_unstable();
            }
            block_edges(lists, ranked, config)
        })
        .collect()
}

/// The candidate pairs of one block.
fn block_edges(lists: &[DatedRanks; 3], ranked: &[&Report], config: &FusionConfig) -> Vec<(f64, usize, usize)> {
    let mut edges = Vec::new();
    for list in lists {
        for &(date_a, ra) in list {
            let tp_a = ranked[ra].features.time_precision;
            for (class, partners) in lists.iter().enumerate() {
                let tp_b = u8::try_from(class + 1).unwrap_or(3);
                let reach = i64::from(config.date_window(tp_a, tp_b));
                // Each pair once: partners after (date_a, ra) in (date, rank) order.
                let from = partners.partition_point(|&p| p <= (date_a, ra));
                for &(date_b, rb) in &partners[from..] {
                    if i64::from(date_b) - i64::from(date_a) > reach {
                        break;
                    }
                    let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
                    let s = score_pair(ranked[lo], ranked[hi], config);
                    if s.compatible && s.score >= config.threshold {
                        edges.push((s.score, lo, hi));
                    }
                }
            }
        }
    }
    edges
}

/// A report's block (family component, country), date-precision class
/// (0–2) and date: only reports of one block are ever compared, and a
/// report without a date or a point is compared with none.
pub(crate) fn block_of(f: &Features, component: &[u8], config: &FusionConfig) -> Option<((u8, [u8; 2]), usize, i32)> {
    let (Some(date), Some(_)) = (f.date, f.point) else { return None };
    let fam = component[usize::from(config.family_index(f.sub_event_type))];
    let class = usize::from(f.time_precision.clamp(1, 3) - 1);
    Some(((fam, f.iso.unwrap_or([0, 0])), class, date))
}

/// Where a report is compared with others: its block (the family component
/// of its type × 65,536 + its country code as two bytes, 0 when it has
/// none), its date-precision class (0–2) and its date as days since
/// 1970-01-01. `None` when it has no date or no point: such a report never
/// fuses. Two reports can fuse only when they share a block, and then only
/// when their dates lie within [`FusionConfig::date_window`] of their time
/// precisions (class + 1 for the other report).
#[must_use]
pub fn fusion_block(f: &Features, config: &FusionConfig) -> Option<(i64, u8, i32)> {
    let component = family_components(config);
    let ((fam, iso), class, date) = block_of(f, &component, config)?;
    let block = (i64::from(fam) << 16) | (i64::from(iso[0]) << 8) | i64::from(iso[1]);
    Some((block, u8::try_from(class).unwrap_or(2), date))
}

/// How [`fusion_block`] draws blocks under these settings (the family
/// component of every sub-event type), as text: stored blocks drawn under
/// another signature must be drawn again.
#[must_use]
pub fn blocks_signature(config: &FusionConfig) -> String {
    let component = family_components(config);
    sitrep_model::SubEventType::ALL
        .iter()
        .map(|&t| component[usize::from(config.family_index(t))].to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Families joined by `compatible` pairs fall in one block: a component number per family.
pub(crate) fn family_components(config: &FusionConfig) -> Vec<u8> {
    let n = config.compatible.len();
    let mut comp: Vec<u8> = (0..n).map(|i| u8::try_from(i).unwrap_or(u8::MAX)).collect();
    // Tiny graph: relax until stable.
    let mut changed = true;
    while changed {
        changed = false;
        for a in 0..n {
            for b in 0..n {
                if config.compatible[a][b] && comp[b] > comp[a] {
                    comp[b] = comp[a];
                    changed = true;
                }
            }
        }
    }
    comp
}

fn may_merge<'r>(ga: &[usize], gb: &[usize], item: &dyn Fn(usize) -> &'r Report, config: &FusionConfig) -> bool {
    // Two groups that each have independent sources agreeing on a day (or a
    // town), and the days (towns) differ, are two events: a protest on
    // Tuesday and another on Wednesday, not one event dated twice.
    // The same holds for the kind of event: an air strike and a ground
    // battle in one town on one day, each told by several outlets.
    if attested_disjoint(ga, gb, item, |f| (f.time_precision == 1).then_some(f.date).flatten().map(i64::from))
        || attested_disjoint(ga, gb, item, |f| {
            (f.geo_precision == 1).then_some(()).and(f.geonameid.map(i64::from).or_else(|| f.point.map(point_id)))
        })
        || attested_disjoint(ga, gb, item, |f| Some(i64::from(config.family_index(f.sub_event_type))))
    {
        return false;
    }
    let mut total = 0.0;
    let mut pairs = 0usize;
    for &a in ga {
        for &b in gb {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let s = score_pair(item(lo), item(hi), config);
            if !s.compatible {
                return false;
            }
            total += s.score;
            pairs += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let mean = total / pairs as f64;
    mean >= config.threshold
}

/// True when both groups attest a value (two or more reports giving it)
/// and no attested value is shared.
fn attested_disjoint<'r>(
    ga: &[usize],
    gb: &[usize],
    item: &dyn Fn(usize) -> &'r Report,
    value: impl Fn(&Features) -> Option<i64>,
) -> bool {
    let attested = |g: &[usize]| {
        let mut values: Vec<i64> = g.iter().filter_map(|&r| value(&item(r).features)).collect();
        values.sort_unstable();
        let mut out: Vec<i64> = values.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
        out.dedup();
        out
    };
    let (a, b) = (attested(ga), attested(gb));
    !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.contains(x))
}

/// A point as one number (to about 10 m), for telling places apart.
#[allow(clippy::cast_possible_truncation)]
fn point_id((lat, lon): (f64, f64)) -> i64 {
    ((lat * 10_000.0).round() as i64) * 10_000_000 + (lon * 10_000.0).round() as i64
}

/// The pair score, or `None` when a hard condition fails.
fn score(a: &Features, b: &Features, config: &FusionConfig) -> Option<f64> {
    let w = config.weights;
    // Type.
    let kind = if a.sub_event_type == b.sub_event_type {
        1.0
    } else if config.family_index(a.sub_event_type) == config.family_index(b.sub_event_type) {
        0.6
    } else if config.types_compatible(a.sub_event_type, b.sub_event_type) {
        0.3
    } else {
        return None;
    };
    // Date.
    let (da, db) = (a.date?, b.date?);
    let window = config.date_window(a.time_precision, b.time_precision);
    let gap = da.abs_diff(db);
    if gap > window {
        return None;
    }
    let closeness = 1.0 - f64::from(gap) / f64::from(window + 1);
    let mut date = closeness;
    if a.time_precision.max(b.time_precision) > 1 {
        date *= 0.85;
    }
    // Location.
    let (pa, pb) = (a.point?, b.point?);
    let radius = config.radius(a.geo_precision, b.geo_precision);
    let km = haversine_km(pa, pb);
    if km > radius {
        return None;
    }
    if a.geo_precision >= 3 && b.geo_precision >= 3 && a.iso != b.iso {
        return None;
    }
    let same_place = matches!((a.geonameid, b.geonameid), (Some(x), Some(y)) if x == y);
    let mut location = if same_place { 1.0 } else { (1.0 - km / radius).max(0.0) };
    if a.geo_precision.max(b.geo_precision) > 1 {
        location *= 0.85;
    }
    // Actors.
    let actors = actor_similarity(a, b)?;
    // Evidence.
    let evidence = (2.0 * dice(&a.words, &b.words)).min(1.0);
    // Fatalities.
    let fatalities = match (a.fatalities, b.fatalities) {
        (0, 0) => 0.5,
        (0, _) | (_, 0) => 0.4,
        (x, y) => f64::from(x.min(y)) / f64::from(x.max(y)),
    };
    let sum = w.kind + w.date + w.location + w.actors + w.evidence + w.fatalities;
    let s = w.kind * kind
        + w.date * date
        + w.location * location
        + w.actors * actors
        + w.evidence * evidence
        + w.fatalities * fatalities;
    Some(s / sum)
}

/// Actor agreement, 0–1, or `None` when the two reports name sides that
/// contradict each other whichever way round they are read.
fn actor_similarity(a: &Features, b: &Features) -> Option<f64> {
    let all_a: Vec<ActorKey> = a.side1.iter().chain(&a.side2).copied().collect();
    let all_b: Vec<ActorKey> = b.side1.iter().chain(&b.side2).copied().collect();
    if all_a.is_empty() || all_b.is_empty() {
        return Some(0.5);
    }
    // One outlet may name the attacker, another the attacked, a third put
    // them the other way round: sides contradict only when both name
    // someone and have neither an actor nor a category in common.
    let straight = sides_agree(&a.side1, &b.side1) && sides_agree(&a.side2, &b.side2);
    let swapped = sides_agree(&a.side1, &b.side2) && sides_agree(&a.side2, &b.side1);
    if !straight && !swapped {
        return None;
    }
    let named = |v: &[ActorKey]| v.iter().filter(|x| !x.generic).map(|x| x.name).collect::<Vec<u32>>();
    let (na, nb) = (named(&all_a), named(&all_b));
    let shared_named = na.iter().filter(|x| nb.contains(x)).count();
    // A generic actor matches an actor of the same category on the other side.
    let generic_match = |from: &[ActorKey], to: &[ActorKey]| {
        from.iter().filter(|x| x.generic && to.iter().any(|y| y.inter == x.inter || y.name == x.name)).count()
    };
    #[allow(clippy::cast_precision_loss)]
    let matched = shared_named as f64 + 0.5 * (generic_match(&all_a, &all_b) + generic_match(&all_b, &all_a)) as f64;
    #[allow(clippy::cast_precision_loss)]
    let most = all_a.len().max(all_b.len()) as f64;
    Some((matched / most).clamp(0.0, 1.0))
}

/// Two accounts of one side agree when either names nobody in particular,
/// or they share a named actor or an actor category.
fn sides_agree(a: &[ActorKey], b: &[ActorKey]) -> bool {
    let named_a: Vec<&ActorKey> = a.iter().filter(|x| !x.generic).collect();
    let named_b: Vec<&ActorKey> = b.iter().filter(|x| !x.generic).collect();
    named_a.is_empty()
        || named_b.is_empty()
        || named_a.iter().any(|x| named_b.iter().any(|y| y.name == x.name || y.inter == x.inter))
}

/// Dice coefficient of two sorted, unique lists.
fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let d = 2.0 * common as f64 / (a.len() + b.len()) as f64;
    d
}

/// Great-circle distance in km between two (lat, lon) points.
#[must_use]
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    sitrep_model::haversine_km(a.0, a.1, b.0, b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_is_about_right() {
        // Mosul to Erbil: about 80 km.
        let d = haversine_km((36.335, 43.119), (36.191, 44.009));
        assert!((78.0..84.0).contains(&d), "{d}");
        assert!(haversine_km((1.0, 1.0), (1.0, 1.0)).abs() < 1e-9);
    }

    #[test]
    fn dice_counts_common_items() {
        assert!((dice(&[1, 2, 3], &[2, 3, 4]) - 2.0 / 3.0).abs() < 1e-12);
        assert!(dice(&[], &[1]).abs() < 1e-12);
    }
}
