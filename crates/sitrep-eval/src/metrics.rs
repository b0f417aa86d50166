//! Small scoring helpers shared by the sections of the report: counts to
//! precision/recall/F1, great-circle distance, medians, rounding and the
//! Markdown table writer.

use std::fmt::Write as _;

use serde::Serialize;

/// True positives, false positives and false negatives of one class or one task.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted and right.
    pub tp: u32,
    /// Predicted and wrong.
    pub fp: u32,
    /// In the gold, not predicted.
    pub fn_: u32,
}

impl Counts {
    /// `tp / (tp + fp)`, 0 when nothing was predicted.
    #[must_use]
    pub fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// `tp / (tp + fn)`, 0 when the gold holds nothing.
    #[must_use]
    pub fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall, 0 when both are 0.
    #[must_use]
    pub fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    /// The rounded, serialisable summary.
    #[must_use]
    pub fn prf(self) -> Prf {
        Prf {
            gold: self.tp + self.fn_,
            predicted: self.tp + self.fp,
            correct: self.tp,
            precision: round4(self.precision()),
            recall: round4(self.recall()),
            f1: round4(self.f1()),
        }
    }
}

/// Precision, recall and F1 with the counts they come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Items in the gold.
    pub gold: u32,
    /// Items predicted.
    pub predicted: u32,
    /// Items predicted and right.
    pub correct: u32,
    /// `correct / predicted`.
    pub precision: f64,
    /// `correct / gold`.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

/// `num / den`, 0 when `den` is 0.
#[must_use]
pub fn ratio(num: u32, den: u32) -> f64 {
    if den == 0 { 0.0 } else { f64::from(num) / f64::from(den) }
}

/// Rounds to 4 decimals, so that reports diff cleanly.
#[must_use]
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Rounds to 1 decimal (kilometres, counts averaged).
#[must_use]
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Mean Earth radius (IUGG), km.
pub use sitrep_model::haversine_km;

/// The median of `values` (mean of the middle two for an even count), `None` when empty.
#[must_use]
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 { v[mid] } else { (v[mid - 1] + v[mid]) / 2.0 })
}

/// A number for a Markdown cell: 3 decimals.
#[must_use]
pub fn f3(x: f64) -> String {
    format!("{x:.3}")
}

/// A share as a percentage with one decimal ("83.4%").
#[must_use]
pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Writes a Markdown table. Cells have `|` escaped and newlines flattened.
///
/// # Panics
/// When a row has not as many cells as the header (a bug in the caller).
pub fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    assert!(rows.iter().all(|r| r.len() == header.len()), "table rows must have {} cells", header.len());
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// Makes text safe for one Markdown table cell.
#[must_use]
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The first `max_chars` characters of `s`, with "…" when cut.
#[must_use]
pub fn excerpt(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_give_prf() {
        let c = Counts { tp: 3, fp: 1, fn_: 2 };
        assert!((c.precision() - 0.75).abs() < 1e-12);
        assert!((c.recall() - 0.6).abs() < 1e-12);
        assert!((c.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        let p = c.prf();
        assert_eq!((p.gold, p.predicted, p.correct), (5, 4, 3));
        assert_eq!(p.f1, 0.6667);
        assert_eq!(Counts::default().f1(), 0.0);
    }

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn tables_escape_cells_and_excerpts_cut_on_chars() {
        let mut s = String::new();
        table(&mut s, &["a", "b"], &[vec!["x|y".into(), "1\n2".into()]]);
        assert_eq!(s, "| a | b |\n|---|---|\n| x\\|y | 1 2 |\n\n");
        assert_eq!(excerpt("Mossoul été", 8), "Mossoul …");
        assert_eq!(excerpt("short", 8), "short");
    }
}
