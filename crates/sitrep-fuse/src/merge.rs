//! One record from the reports of one event: every source listed, the
//! lowest credible death toll, the most precise date and place.

use std::collections::BTreeMap;

use serde::Serialize;
use sitrep_model::{Certainty, Date, Event, Source, Span, SubEventType, stable_id};

/// One report of a fused event, as given to [`fuse_group`].
#[derive(Clone, Copy, Debug)]
pub struct Member<'a> {
    /// The report's unique key (as given to [`crate::cluster`]).
    pub key: &'a str,
    /// The document's id (`document.id` of the contract).
    pub document: &'a str,
    /// The document's publication date.
    pub published: Option<Date>,
    /// The coded event.
    pub event: &'a Event,
}

/// Where a fused event was reported: one per report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceRef {
    /// The document's id.
    pub document: String,
    /// The event's id within that document's record.
    pub event_id: String,
    /// The outlet that published it.
    pub outlet: Option<String>,
    /// Who the report attributes the event to.
    pub attribution: Option<String>,
    /// Reported, claimed or unconfirmed.
    pub certainty: Certainty,
    /// The document's publication date.
    pub published: Option<Date>,
    /// The sub-event type this report gave.
    pub sub_event_type: SubEventType,
    /// The date this report gave.
    pub event_date: Option<Date>,
    /// The death toll this report gave.
    pub fatalities: u32,
    /// The sentence(s) of that document the event was read from (a span of that document's text).
    pub evidence: Span,
}

/// One real event, fused from all its reports.
///
/// Serialises as the contract's Event object (its `id` the fused id, its
/// `source.outlet` every outlet joined by `; ` as ACLED writes them, its
/// spans pointing into the text of `document`), plus `document`,
/// `fatalities_range`, `n_sources`, `n_documents` and `sources`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FusedEvent {
    /// The fused event.
    #[serde(flatten)]
    pub event: Event,
    /// The document whose report was taken as the representative: the
    /// event's spans (actors, location, evidence) are spans of its text.
    pub document: String,
    /// Lowest and highest death toll reported (0, 0 when none was).
    pub fatalities_range: [u32; 2],
    /// Distinct outlets (documents without an outlet count one each).
    pub n_sources: usize,
    /// Documents reporting it.
    pub n_documents: usize,
    /// Every report, by key.
    pub sources: Vec<SourceRef>,
}

/// The id of a fused event: a stable hash of its members' keys, so that the
/// same reports always give the same id.
#[must_use]
pub fn fused_id<S: AsRef<str>>(keys: &[S]) -> String {
    let mut sorted: Vec<&str> = keys.iter().map(AsRef::as_ref).collect();
    sorted.sort_unstable();
    let parts: Vec<&[u8]> = sorted.iter().map(|k| k.as_bytes()).collect();
    stable_id(&parts)
}

/// Fuses the reports of one event into one record.
///
/// - type: the most frequent sub-event type (ties: the representative's);
/// - date: the most precise; among equally precise reports, the most
///   frequent date, then the earliest;
/// - location: the representative's, which is chosen among the reports
///   with the most precise location, at the most frequent such place;
/// - fatalities: ACLED's rule, the lowest count reported by a neutral
///   source (claimed or hedged counts only when no neutral source gives
///   one); 0 when no report gives a toll; the range kept;
/// - actors, evidence and attribution: the representative's (among the
///   reports at the best place, the one with the most fields filled in,
///   then the most confident, then the lowest key), so that every span of
///   the fused event is a span of the representative document's text.
///
/// # Panics
/// When `members` is empty.
#[must_use]
pub fn fuse_group(members: &[Member<'_>]) -> FusedEvent {
    assert!(!members.is_empty(), "a fused event has at least one report");
    let mut members: Vec<Member<'_>> = members.to_vec();
    members.sort_by(|a, b| a.key.cmp(b.key));
    let rep = representative(&members);
    let mut event = rep.event.clone();
    event.id = fused_id(&members.iter().map(|m| m.key).collect::<Vec<_>>());

    // Type: the mode.
    let mut votes: BTreeMap<SubEventType, usize> = BTreeMap::new();
    for m in &members {
        *votes.entry(m.event.sub_event_type).or_default() += 1;
    }
    let top = votes.values().copied().max().unwrap_or(0);
    if votes.get(&rep.event.sub_event_type).copied() != Some(top) {
        let t = votes.iter().find(|(_, n)| **n == top).map_or(rep.event.sub_event_type, |(t, _)| *t);
        event.sub_event_type = t;
        event.event_type = t.event_type();
        event.disorder_type = t.disorder_type();
    }

    // Date: most precise, then most frequent, then earliest.
    let dated: Vec<&Member<'_>> = members.iter().filter(|m| m.event.event_date.is_some()).collect();
    if let Some(best_tp) = dated.iter().map(|m| m.event.time_precision).min() {
        let mut counts: BTreeMap<Date, usize> = BTreeMap::new();
        for m in dated.iter().filter(|m| m.event.time_precision == best_tp) {
            *counts.entry(m.event.event_date.expect("dated")).or_default() += 1;
        }
        let most = counts.values().copied().max().unwrap_or(0);
        let date = counts.iter().find(|(_, n)| **n == most).map(|(d, _)| *d);
        event.event_date = date;
        event.time_precision = best_tp;
    }

    // Fatalities: ACLED's lowest credible count, and the range.
    let tolls: Vec<u32> = members.iter().map(|m| m.event.fatalities).filter(|f| *f > 0).collect();
    let neutral: Vec<u32> = members
        .iter()
        .filter(|m| m.event.source.certainty == Certainty::Reported)
        .map(|m| m.event.fatalities)
        .filter(|f| *f > 0)
        .collect();
    event.fatalities = neutral.iter().min().or_else(|| tolls.iter().min()).copied().unwrap_or(0);
    let range = [tolls.iter().min().copied().unwrap_or(0), tolls.iter().max().copied().unwrap_or(0)];

    // Civilian targeting: when most reports say so.
    let targeted = members.iter().filter(|m| m.event.civilian_targeting).count();
    event.civilian_targeting = 2 * targeted >= members.len() && targeted > 0;

    // Source: every outlet, the best certainty.
    let mut outlets: Vec<String> = members.iter().filter_map(|m| m.event.source.outlet.clone()).collect();
    outlets.sort();
    outlets.dedup();
    let certainty = if members.iter().any(|m| m.event.source.certainty == Certainty::Reported) {
        Certainty::Reported
    } else if members.iter().any(|m| m.event.source.certainty == Certainty::Claimed) {
        Certainty::Claimed
    } else {
        Certainty::Unconfirmed
    };
    event.source = Source {
        outlet: (!outlets.is_empty()).then(|| outlets.join("; ")),
        attribution: rep.event.source.attribution.clone(),
        certainty,
    };
    event.confidence = members.iter().map(|m| m.event.confidence).fold(0.0, f32::max);

    let mut documents: Vec<&str> = members.iter().map(|m| m.document).collect();
    documents.sort_unstable();
    documents.dedup();
    let no_outlet = members.iter().filter(|m| m.event.source.outlet.is_none()).map(|m| m.document).collect::<Vec<_>>();
    let mut no_outlet_docs = no_outlet;
    no_outlet_docs.sort_unstable();
    no_outlet_docs.dedup();

    let sources = members
        .iter()
        .map(|m| SourceRef {
            document: m.document.to_owned(),
            event_id: m.event.id.clone(),
            outlet: m.event.source.outlet.clone(),
            attribution: m.event.source.attribution.clone(),
            certainty: m.event.source.certainty,
            published: m.published,
            sub_event_type: m.event.sub_event_type,
            event_date: m.event.event_date,
            fatalities: m.event.fatalities,
            evidence: m.event.evidence.clone(),
        })
        .collect();
    FusedEvent {
        event,
        document: rep.document.to_owned(),
        fatalities_range: range,
        n_sources: outlets.len() + no_outlet_docs.len(),
        n_documents: documents.len(),
        sources,
    }
}

/// The report whose location, actors and evidence the fused event takes.
fn representative<'a>(members: &[Member<'a>]) -> Member<'a> {
    let gp = |m: &Member<'_>| m.event.location.as_ref().map(|l| l.geo_precision.clamp(1, 3));
    let best_gp = members.iter().filter_map(gp).min();
    let candidates: Vec<&Member<'a>> = members.iter().filter(|m| best_gp.is_none() || gp(m) == best_gp).collect();
    let place = |m: &Member<'_>| m.event.location.as_ref().map(|l| (l.geonameid, l.name.clone()));
    let mut counts: BTreeMap<Option<(Option<u32>, String)>, usize> = BTreeMap::new();
    for m in &candidates {
        *counts.entry(place(m)).or_default() += 1;
    }
    let most = counts.values().copied().max().unwrap_or(0);
    let best = |pool: &mut dyn Iterator<Item = &&Member<'a>>| {
        pool.max_by(|a, b| rank(a).total_cmp(&rank(b)).then_with(|| b.key.cmp(a.key))).map(|m| **m)
    };
    best(&mut candidates.iter().filter(|m| counts.get(&place(m)) == Some(&most))).expect("members are not empty")
}

/// How good a representative a report is: fields filled in, then confidence.
fn rank(m: &Member<'_>) -> f64 {
    let e = m.event;
    let mut filled = 0u32;
    filled += u32::from(e.event_date.is_some());
    filled += u32::from(e.location.is_some());
    filled += u32::from(e.actor1.is_some());
    filled += u32::from(e.actor2.is_some());
    filled += u32::from(e.fatalities > 0);
    filled += u32::from(e.source.attribution.is_some());
    // Precision counts: a day beats a week, a town a province.
    let precision = f64::from(3 - e.time_precision.clamp(1, 3)) * 0.3
        + f64::from(3 - e.location.as_ref().map_or(3, |l| l.geo_precision.clamp(1, 3))) * 0.3;
    f64::from(filled) + precision + f64::from(e.confidence).clamp(0.0, 1.0) * 0.1
}
