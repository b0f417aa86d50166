//! CASE 2021 task 2: news snippets labelled with ACLED sub-event types.
//!
//! The file is a TSV with a header `id, EventSnippet, SubType`. Each snippet
//! is analysed as one plain-text document with no publication date, and the
//! document's first ACLED event (the principal event; sitrep's Displacement
//! extension types are skipped because they are not CASE labels) is compared
//! with the gold label.
//!
//! Scoring conventions (printed at the top of the section):
//! - Per-class precision/recall/F1 over the 25 ACLED classes. A prediction on
//!   a snippet whose gold label is outside ACLED (ORG_CRIME, NATURAL_DISASTER,
//!   MAN_MADE_DISASTER, DIPLO, ATTRIB) is a false positive of the predicted
//!   class; a snippet left without an ACLED event is a false negative of its
//!   gold class.
//! - Weighted F1: the class F1s weighted by gold support; macro F1: their
//!   unweighted mean over the classes present in the gold; micro F1 from the
//!   summed counts.
//! - Rejection: the share of outside-ACLED snippets that get no ACLED event.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use rayon::prelude::*;
use serde::Serialize;
use sitrep_model::{DocumentRecord, SubEventType};

use crate::metrics::{Counts, Prf, f3, pct, round4, table};
use crate::{Engine, EvalOptions, Evidence};

/// One snippet of the set.
#[derive(Clone, Debug)]
pub struct CaseItem {
    /// The `id` column.
    pub id: String,
    /// The snippet text.
    pub text: String,
    /// The gold label.
    pub gold: CaseGold,
}

/// A gold label: one of ACLED's 25 types, or a label outside ACLED.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaseGold {
    /// An ACLED sub-event type.
    Acled(SubEventType),
    /// A label outside ACLED (`DIPLO`, `ORG_CRIME`, …): the right answer is no ACLED event.
    Outside(String),
}

/// Labels the set uses for snippets that are not ACLED events.
const OUTSIDE_LABELS: &[&str] = &["ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER", "DIPLO", "ATTRIB"];

/// Reads a CASE 2021 task 2 TSV. Errors name the file, line and field.
pub fn load(path: &Path) -> anyhow::Result<Vec<CaseItem>> {
    let raw = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&raw, &path.display().to_string())
}

/// Parses the TSV text; `name` is used in error messages.
pub fn parse(raw: &str, name: &str) -> anyhow::Result<Vec<CaseItem>> {
    let mut items = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        let lineno = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if i == 0 && fields.first().is_some_and(|f| f.trim().eq_ignore_ascii_case("id")) {
            continue;
        }
        if fields.len() != 3 {
            bail!(
                "{name}:{lineno}: expected 3 tab-separated fields (id, EventSnippet, SubType), found {}",
                fields.len()
            );
        }
        let label = fields[2].trim();
        let gold = if let Some(t) = SubEventType::parse(label).filter(|t| t.is_acled()) {
            CaseGold::Acled(t)
        } else if OUTSIDE_LABELS.iter().any(|l| l.eq_ignore_ascii_case(label)) {
            CaseGold::Outside(label.to_ascii_uppercase())
        } else {
            bail!("{name}:{lineno}: field `SubType`: unknown label {label:?}");
        };
        items.push(CaseItem { id: fields[0].trim().to_owned(), text: fields[1].to_owned(), gold });
    }
    Ok(items)
}

/// What the engine said about one snippet.
#[derive(Clone, Debug)]
struct Prediction {
    /// The first ACLED event's type.
    sub: Option<SubEventType>,
    confidence: f32,
    evidence: Option<(u32, u32)>,
    /// All events, extension types included.
    events: usize,
}

impl Prediction {
    fn of(record: &DocumentRecord) -> Prediction {
        let first = record.events.iter().find(|e| e.sub_event_type.is_acled());
        Prediction {
            sub: first.map(|e| e.sub_event_type),
            confidence: first.map_or(0.0, |e| e.confidence),
            evidence: first.map(|e| (e.evidence.start, e.evidence.end)),
            events: record.events.len(),
        }
    }
}

/// The CASE section of the report.
#[derive(Clone, Debug, Serialize)]
pub struct CaseReport {
    /// The file, relative to the eval directory.
    pub file: String,
    /// Snippets scored.
    pub snippets: usize,
    /// Snippets whose gold is an ACLED type.
    pub acled_snippets: usize,
    /// Snippets whose gold is outside ACLED.
    pub outside_snippets: usize,
    /// Share of ACLED-gold snippets whose first event has the gold type.
    pub accuracy: f64,
    /// F1 over the 25 classes weighted by gold support.
    pub weighted_f1: f64,
    /// Weighted precision.
    pub weighted_precision: f64,
    /// Weighted recall.
    pub weighted_recall: f64,
    /// Unweighted mean F1 over the classes present in the gold.
    pub macro_f1: f64,
    /// Micro-averaged counts and scores over the 25 classes.
    pub micro: Prf,
    /// Share of outside-ACLED snippets left without an ACLED event.
    pub outside_rejected: f64,
    /// Per outside label: snippets and how many got no ACLED event.
    pub outside: Vec<OutsideRow>,
    /// Per ACLED class, in taxonomy order.
    pub per_class: Vec<ClassRow>,
    /// The most frequent (gold, predicted) mistakes.
    pub confusions: Vec<Confusion>,
    /// Confident mistakes first, then misses.
    pub worst: Vec<CaseError>,
}

/// Scores for one class.
#[derive(Clone, Debug, Serialize)]
pub struct ClassRow {
    /// CASE label (`AIR_STRIKE`).
    pub label: &'static str,
    /// Counts and scores.
    #[serde(flatten)]
    pub prf: Prf,
}

/// One outside-ACLED label.
#[derive(Clone, Debug, Serialize)]
pub struct OutsideRow {
    /// The label.
    pub label: String,
    /// Snippets with it.
    pub snippets: u32,
    /// Of them, those left without an ACLED event.
    pub rejected: u32,
}

/// A (gold, predicted) pair and how often it occurred.
#[derive(Clone, Debug, Serialize)]
pub struct Confusion {
    /// Gold label.
    pub gold: String,
    /// Predicted label, `(none)` for no ACLED event.
    pub predicted: String,
    /// Occurrences.
    pub count: u32,
}

/// One mistake, with what the engine read it from.
#[derive(Clone, Debug, Serialize)]
pub struct CaseError {
    /// Snippet id.
    pub id: String,
    /// Gold label.
    pub gold: String,
    /// Predicted label, `(none)` for no ACLED event.
    pub predicted: String,
    /// The engine's confidence in its first ACLED event (0 when none).
    pub confidence: f64,
    /// How many events the engine coded (all types).
    pub events: usize,
    /// The first event's evidence (or the snippet's start when no event was coded).
    pub evidence: Evidence,
}

const NONE: &str = "(none)";

fn gold_label(g: &CaseGold) -> String {
    match g {
        CaseGold::Acled(t) => t.case_label().to_owned(),
        CaseGold::Outside(l) => l.clone(),
    }
}

fn pred_label(p: Option<SubEventType>) -> String {
    p.map_or_else(|| NONE.to_owned(), |t| t.case_label().to_owned())
}

/// Runs the engine over the snippets (in parallel) and scores them.
pub fn evaluate(path: &Path, rel: &str, engine: &dyn Engine, opts: &EvalOptions) -> anyhow::Result<CaseReport> {
    let mut items = load(path)?;
    if let Some(n) = opts.limit {
        items.truncate(n);
    }
    let preds: Vec<Prediction> = items
        .par_iter()
        .map(|it| Prediction::of(&engine.analyze_text(&format!("case-{}", it.id), &it.text, None)))
        .collect();
    Ok(score(rel, &items, &preds, opts))
}

fn score(rel: &str, items: &[CaseItem], preds: &[Prediction], opts: &EvalOptions) -> CaseReport {
    let classes: Vec<SubEventType> = SubEventType::ALL.iter().copied().filter(|t| t.is_acled()).collect();
    let mut counts: BTreeMap<SubEventType, Counts> = classes.iter().map(|&t| (t, Counts::default())).collect();
    let mut outside: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut confusions: BTreeMap<(String, String), u32> = BTreeMap::new();
    let mut errors: Vec<CaseError> = Vec::new();
    let (mut acled_n, mut correct_n) = (0usize, 0usize);

    for (it, p) in items.iter().zip(preds) {
        let right = match (&it.gold, p.sub) {
            (CaseGold::Acled(g), Some(s)) if *g == s => {
                counts.entry(s).or_default().tp += 1;
                true
            }
            (CaseGold::Acled(g), s) => {
                counts.entry(*g).or_default().fn_ += 1;
                if let Some(s) = s {
                    counts.entry(s).or_default().fp += 1;
                }
                false
            }
            (CaseGold::Outside(l), s) => {
                let e = outside.entry(l.clone()).or_default();
                e.0 += 1;
                match s {
                    Some(s) => {
                        counts.entry(s).or_default().fp += 1;
                        false
                    }
                    None => {
                        e.1 += 1;
                        true
                    }
                }
            }
        };
        if let CaseGold::Acled(_) = it.gold {
            acled_n += 1;
            correct_n += usize::from(right);
        }
        if !right {
            *confusions.entry((gold_label(&it.gold), pred_label(p.sub))).or_default() += 1;
            let (start, end) = p.evidence.unwrap_or((0, it.text.len().min(200) as u32));
            errors.push(CaseError {
                id: it.id.clone(),
                gold: gold_label(&it.gold),
                predicted: pred_label(p.sub),
                confidence: round4(f64::from(p.confidence)),
                events: p.events,
                evidence: Evidence::new(&it.text, start as usize, end as usize, opts.evidence_text),
            });
        }
    }

    let per_class: Vec<ClassRow> =
        classes.iter().map(|t| ClassRow { label: t.case_label(), prf: counts[t].prf() }).collect();
    let support: u32 = classes.iter().map(|t| counts[t].tp + counts[t].fn_).sum();
    let weighted = |f: fn(Counts) -> f64| {
        let s: f64 = classes.iter().map(|t| f64::from(counts[t].tp + counts[t].fn_) * f(counts[t])).sum();
        if support == 0 { 0.0 } else { round4(s / f64::from(support)) }
    };
    let present: Vec<f64> =
        classes.iter().filter(|t| counts[t].tp + counts[t].fn_ > 0).map(|t| counts[t].f1()).collect();
    let macro_f1 = if present.is_empty() { 0.0 } else { present.iter().sum::<f64>() / present.len() as f64 };
    let micro = classes.iter().fold(Counts::default(), |a, t| Counts {
        tp: a.tp + counts[t].tp,
        fp: a.fp + counts[t].fp,
        fn_: a.fn_ + counts[t].fn_,
    });
    let outside_n: u32 = outside.values().map(|v| v.0).sum();
    let rejected_n: u32 = outside.values().map(|v| v.1).sum();

    let mut confusions: Vec<Confusion> =
        confusions.into_iter().map(|((gold, predicted), count)| Confusion { gold, predicted, count }).collect();
    confusions
        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (&a.gold, &a.predicted).cmp(&(&b.gold, &b.predicted))));
    confusions.truncate(opts.confusions);

    // Confident wrong answers first (they show rules that fire wrongly), then
    // misses (rules that are missing); ties by id for a stable order.
    errors.sort_by(|a, b| {
        let a_miss = a.predicted == NONE;
        let b_miss = b.predicted == NONE;
        a_miss
            .cmp(&b_miss)
            .then_with(|| b.confidence.total_cmp(&a.confidence))
            .then_with(|| natural_id(&a.id).cmp(&natural_id(&b.id)))
    });
    errors.truncate(opts.worst);

    CaseReport {
        file: rel.to_owned(),
        snippets: items.len(),
        acled_snippets: acled_n,
        outside_snippets: outside_n as usize,
        accuracy: round4(if acled_n == 0 { 0.0 } else { correct_n as f64 / acled_n as f64 }),
        weighted_f1: weighted(Counts::f1),
        weighted_precision: weighted(Counts::precision),
        weighted_recall: weighted(Counts::recall),
        macro_f1: round4(macro_f1),
        micro: micro.prf(),
        outside_rejected: round4(crate::metrics::ratio(rejected_n, outside_n)),
        outside: outside
            .into_iter()
            .map(|(label, (snippets, rejected))| OutsideRow { label, snippets, rejected })
            .collect(),
        per_class,
        confusions,
        worst: errors,
    }
}

/// Sort key that orders numeric ids numerically ("9" before "10").
fn natural_id(id: &str) -> (u64, &str) {
    (id.parse::<u64>().unwrap_or(u64::MAX), id)
}

impl CaseReport {
    /// The section as Markdown.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "## CASE 2021 task 2: sub-event type of snippets (`{}`)\n", self.file);
        s.push_str(
            "Each snippet is one plain-text document without a publication date; its first ACLED event \
             (Displacement extension events skipped) is compared with the gold label. Per-class P/R/F1 over \
             the 25 ACLED classes; an event coded on a snippet whose gold is outside ACLED is a false positive \
             of the predicted class; weighted F1 weights class F1 by gold support, macro F1 is the plain mean \
             over classes present in the gold. Rejection: outside-ACLED snippets left without an ACLED event.\n\n",
        );
        table(
            &mut s,
            &[
                "snippets",
                "ACLED gold",
                "outside gold",
                "accuracy",
                "weighted F1",
                "weighted P",
                "weighted R",
                "macro F1",
                "micro F1",
                "rejection",
            ],
            &[vec![
                self.snippets.to_string(),
                self.acled_snippets.to_string(),
                self.outside_snippets.to_string(),
                f3(self.accuracy),
                f3(self.weighted_f1),
                f3(self.weighted_precision),
                f3(self.weighted_recall),
                f3(self.macro_f1),
                f3(self.micro.f1),
                pct(self.outside_rejected),
            ]],
        );
        s.push_str("### Per class\n\n");
        let rows: Vec<Vec<String>> = self
            .per_class
            .iter()
            .map(|c| {
                vec![
                    c.label.to_owned(),
                    c.prf.gold.to_string(),
                    c.prf.predicted.to_string(),
                    c.prf.correct.to_string(),
                    f3(c.prf.precision),
                    f3(c.prf.recall),
                    f3(c.prf.f1),
                ]
            })
            .collect();
        table(&mut s, &["class", "gold", "predicted", "correct", "P", "R", "F1"], &rows);
        s.push_str("### Outside ACLED (right answer: no ACLED event)\n\n");
        let rows: Vec<Vec<String>> = self
            .outside
            .iter()
            .map(|o| {
                vec![
                    o.label.clone(),
                    o.snippets.to_string(),
                    o.rejected.to_string(),
                    pct(crate::metrics::ratio(o.rejected, o.snippets)),
                ]
            })
            .collect();
        table(&mut s, &["label", "snippets", "no ACLED event", "share"], &rows);
        s.push_str("### Most frequent confusions (gold → predicted)\n\n");
        let rows: Vec<Vec<String>> =
            self.confusions.iter().map(|c| vec![c.gold.clone(), c.predicted.clone(), c.count.to_string()]).collect();
        table(&mut s, &["gold", "predicted", "count"], &rows);
        s.push_str("### Worst errors (confident mistakes first, then misses)\n\n");
        let rows: Vec<Vec<String>> = self
            .worst
            .iter()
            .map(|e| {
                vec![
                    e.id.clone(),
                    e.gold.clone(),
                    e.predicted.clone(),
                    format!("{:.2}", e.confidence),
                    e.events.to_string(),
                    e.evidence.markdown(),
                ]
            })
            .collect();
        table(&mut s, &["id", "gold", "predicted", "conf.", "events", "evidence"], &rows);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_reads_labels_and_names_bad_lines() {
        let tsv = "id\tEventSnippet\tSubType\n1\tTroops clashed.\tARMED_CLASH\n2\tA quake hit.\tNATURAL_DISASTER\n";
        let items = parse(tsv, "t.tsv").unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].gold, CaseGold::Acled(SubEventType::ArmedClash));
        assert_eq!(items[1].gold, CaseGold::Outside("NATURAL_DISASTER".into()));
        let err = parse("id\tEventSnippet\tSubType\n1\tx\tBANANA\n", "t.tsv").unwrap_err().to_string();
        assert_eq!(err, "t.tsv:2: field `SubType`: unknown label \"BANANA\"");
        let err = parse("1\tx\n", "t.tsv").unwrap_err().to_string();
        assert!(err.starts_with("t.tsv:1: expected 3"), "{err}");
    }

    fn pred(sub: Option<SubEventType>, confidence: f32) -> Prediction {
        Prediction { sub, confidence, evidence: None, events: usize::from(sub.is_some()) }
    }

    fn item(id: &str, gold: CaseGold) -> CaseItem {
        CaseItem { id: id.into(), text: format!("snippet {id}"), gold }
    }

    #[test]
    fn scores_a_known_answer() {
        use SubEventType::{AirDroneStrike as Air, ArmedClash as Clash};
        let items = vec![
            item("1", CaseGold::Acled(Air)),
            item("2", CaseGold::Acled(Air)),
            item("3", CaseGold::Acled(Clash)),
            item("4", CaseGold::Outside("DIPLO".into())),
            item("5", CaseGold::Outside("DIPLO".into())),
        ];
        // 1 right; 2 predicted as a clash; 3 right; 4 rejected; 5 wrongly an airstrike.
        let preds = vec![
            pred(Some(Air), 0.9),
            pred(Some(Clash), 0.8),
            pred(Some(Clash), 0.7),
            pred(None, 0.0),
            pred(Some(Air), 0.6),
        ];
        let r = score("t.tsv", &items, &preds, &EvalOptions::default());
        // Air: tp 1, fp 1 (item 5), fn 1 -> P .5 R .5 F1 .5; Clash: tp 1, fp 1, fn 0 -> P .5 R 1 F1 2/3.
        let air = r.per_class.iter().find(|c| c.label == "AIR_STRIKE").unwrap();
        assert_eq!((air.prf.precision, air.prf.recall, air.prf.f1), (0.5, 0.5, 0.5));
        // weighted: (2*.5 + 1*.6667)/3 = .5556 ; macro: (.5+.6667)/2 = .5833
        assert_eq!(r.weighted_f1, 0.5556);
        assert_eq!(r.macro_f1, 0.5833);
        assert_eq!(r.accuracy, 0.6667);
        assert_eq!(r.outside_rejected, 0.5);
        assert_eq!((r.micro.correct, r.micro.predicted, r.micro.gold), (2, 4, 3));
        // Mistakes: item 2 (conf .8) before item 5 (conf .6).
        let ids: Vec<&str> = r.worst.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["2", "5"]);
        assert_eq!(r.confusions.len(), 2);
        assert!(r.markdown().contains("| AIR_STRIKE | 2 | 2 | 1 | 0.500 | 0.500 | 0.500 |"));
    }
}
