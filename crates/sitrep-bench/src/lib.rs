//! Benchmarks, the synthetic corpus generator and the scaling check.
//!
//! The principal type is [`synth::Generator`]: synthetic wire reports from
//! sitrep's own templates and towns, streamed by number so corpora of a
//! million documents never sit in memory, each with what the generator knows
//! about it (lead event kind, sentence count, town byte ranges) so that every
//! benchmark can assert its result count.
//!
//! - `benches/stages.rs` (criterion): HTML extraction, segmentation,
//!   gazetteer matching, event coding and the whole pipeline, with throughput
//!   in bytes and in documents.
//! - `sitrep-synth` (bin): writes a synthetic JSONL corpus.
//! - `sitrep-throughput` (bin): runs the pipeline (or one stage) over a JSONL
//!   corpus on one thread and reports documents/s, MB/s and peak memory,
//!   window by window; `bench/scaling.sh` and `bench/compare.sh` drive it.

pub mod synth;

use std::io::BufRead;

use serde::{Deserialize, Serialize};
use sitrep_model::Date;

/// One JSONL line of a corpus, as `sitrep extract` reads it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JsonlDoc {
    /// Document id.
    pub id: String,
    /// Plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// HTML page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
}

/// Reads a JSONL corpus line by line (streamed), calling `f` for each document.
/// Lines that do not parse are counted and skipped; returns (read, skipped).
pub fn for_each_jsonl(reader: impl BufRead, mut f: impl FnMut(JsonlDoc)) -> std::io::Result<(u64, u64)> {
    let (mut read, mut skipped) = (0, 0);
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<JsonlDoc>(&line) {
            Ok(d) => {
                read += 1;
                f(d);
            }
            Err(_) => skipped += 1,
        }
    }
    Ok((read, skipped))
}

/// The process's peak resident set size in KiB (`VmHWM`), when the OS tells.
#[must_use]
pub fn peak_rss_kib() -> Option<u64> {
    proc_status_kib("VmHWM:")
}

/// The process's current resident set size in KiB (`VmRSS`), when the OS tells.
#[must_use]
pub fn rss_kib() -> Option<u64> {
    proc_status_kib("VmRSS:")
}

fn proc_status_kib(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_round_trip_and_bad_lines_are_counted() {
        let doc = JsonlDoc {
            id: "a".into(),
            text: Some("Fighting in \"Mosul\".\nMore.".into()),
            html: None,
            published: Some(Date::constant(2016, 11, 4)),
        };
        let mut s = serde_json::to_string(&doc).unwrap();
        assert_eq!(s, r#"{"id":"a","text":"Fighting in \"Mosul\".\nMore.","published":"2016-11-04"}"#);
        s.push_str("\nnot json\n\n");
        s.push_str(&serde_json::to_string(&doc).unwrap());
        let mut ids = Vec::new();
        let (read, skipped) = for_each_jsonl(s.as_bytes(), |d| ids.push(d.id)).unwrap();
        assert_eq!((read, skipped), (2, 1));
        assert_eq!(ids, ["a", "a"]);
    }

    #[test]
    fn memory_is_readable_on_linux() {
        if cfg!(target_os = "linux") {
            let peak = peak_rss_kib().unwrap();
            let now = rss_kib().unwrap();
            assert!(peak >= now && now > 0, "{peak} {now}");
        }
    }
}
