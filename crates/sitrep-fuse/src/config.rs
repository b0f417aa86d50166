//! The fusion settings (`data/fusion.toml`, `data/stopwords.txt`) and their compiled form.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;
use sitrep_model::SubEventType;

/// The built-in settings.
const BUILTIN_TOML: &str = include_str!("../data/fusion.toml");
/// The built-in stop words.
const BUILTIN_STOPWORDS: &str = include_str!("../data/stopwords.txt");

/// A settings file could not be used: names the file, the line and the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file (`data/fusion.toml` for the built-in one).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The field (`families.remote`, `radius_km`…), when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    threshold: f64,
    date_window_days: [u32; 3],
    radius_km: [f64; 3],
    weights: RawWeights,
    families: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    compatible: RawCompatible,
    #[serde(default)]
    actors: RawActors,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    #[serde(rename = "type")]
    kind: f64,
    date: f64,
    location: f64,
    actors: f64,
    evidence: f64,
    fatalities: f64,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCompatible {
    #[serde(default)]
    pairs: Vec<[String; 2]>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawActors {
    #[serde(default)]
    generic_prefixes: Vec<String>,
}

/// Weights of the pair similarities (any positive scale; the score is their weighted mean).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    /// Same sub-event type, same family, or compatible families.
    pub kind: f64,
    /// Closeness of the dates.
    pub date: f64,
    /// Closeness of the locations.
    pub location: f64,
    /// Shared actors.
    pub actors: f64,
    /// Shared content words of the evidence.
    pub evidence: f64,
    /// Agreeing death tolls.
    pub fatalities: f64,
}

/// The compiled fusion settings. Build once with [`FusionConfig::builtin`] or
/// [`FusionConfig::from_toml`]; share freely.
#[derive(Clone, Debug)]
pub struct FusionConfig {
    /// The lowest pair score that merges two groups.
    pub threshold: f64,
    /// Date windows, in days, for time precision 1, 2 and 3.
    pub date_window_days: [u32; 3],
    /// Radii, in km, for geo precision 1, 2 and 3.
    pub radius_km: [f64; 3],
    /// Similarity weights.
    pub weights: Weights,
    /// Family names, in file order of their names (sorted).
    pub(crate) family_names: Vec<String>,
    /// The family index of each sub-event type, by `SubEventType::ALL` position.
    pub(crate) family_of: Vec<u8>,
    /// `compatible[a][b]`: families `a` and `b` may describe one event.
    pub(crate) compatible: Vec<Vec<bool>>,
    /// Prefixes of actor names that match any actor of the same category.
    pub(crate) generic_prefixes: Vec<String>,
    /// Words left out of evidence comparison.
    pub(crate) stopwords: Stopwords,
}

/// The stop words, and a filter of their hashes that tells most other words
/// apart without comparing strings.
#[derive(Clone, Debug)]
pub(crate) struct Stopwords {
    words: BTreeSet<String>,
    /// Bit `h % 65536` is set for the [`fnv32`](crate::features::fnv32) hash `h` of every stop word.
    seen: Vec<u64>,
}

impl Stopwords {
    fn new(words: BTreeSet<String>) -> Stopwords {
        let mut seen = vec![0u64; 1024];
        for w in &words {
            let bit = crate::features::fnv32(w.as_bytes()) & 0xffff;
            seen[(bit >> 6) as usize] |= 1 << (bit & 63);
        }
        Stopwords { words, seen }
    }

    /// Whether `word`, whose `fnv32` hash is `hash`, is a stop word.
    pub(crate) fn contains(&self, word: &str, hash: u32) -> bool {
        let bit = hash & 0xffff;
        self.seen[(bit >> 6) as usize] & (1 << (bit & 63)) != 0 && self.words.contains(word)
    }
}

impl FusionConfig {
    /// The built-in settings (`data/fusion.toml`).
    ///
    /// # Panics
    /// Never in a released build: the built-in file is checked by the tests.
    #[must_use]
    pub fn builtin() -> FusionConfig {
        FusionConfig::from_toml("data/fusion.toml", BUILTIN_TOML).expect("the built-in fusion settings are valid")
    }

    /// Settings from a TOML text (named `file` in errors), with the built-in stop words.
    ///
    /// # Errors
    /// When the text is not valid TOML, a field is missing or has the wrong
    /// type, a sub-event type is unknown or in two families, or a number is
    /// out of range.
    pub fn from_toml(file: &str, text: &str) -> Result<FusionConfig, ConfigError> {
        let err = |line: Option<usize>, field: Option<&str>, message: String| ConfigError {
            file: file.to_owned(),
            line,
            field: field.map(str::to_owned),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            err(line, None, e.message().to_owned())
        })?;
        if !(0.0..=1.0).contains(&raw.threshold) {
            return Err(err(find_line(text, "threshold"), Some("threshold"), "must lie between 0 and 1".into()));
        }
        if raw.radius_km.iter().any(|r| !r.is_finite() || *r <= 0.0) {
            return Err(err(find_line(text, "radius_km"), Some("radius_km"), "radii must be positive".into()));
        }
        let w = &raw.weights;
        let weights = Weights {
            kind: w.kind,
            date: w.date,
            location: w.location,
            actors: w.actors,
            evidence: w.evidence,
            fatalities: w.fatalities,
        };
        let all = [w.kind, w.date, w.location, w.actors, w.evidence, w.fatalities];
        if all.iter().any(|x| !x.is_finite() || *x < 0.0) || all.iter().sum::<f64>() <= 0.0 {
            return Err(err(
                find_line(text, "[weights]"),
                Some("weights"),
                "weights must be non-negative, not all 0".into(),
            ));
        }

        let family_names: Vec<String> = raw.families.keys().cloned().collect();
        let mut family_of = vec![u8::MAX; SubEventType::ALL.len()];
        for (fi, (name, members)) in raw.families.iter().enumerate() {
            let field = format!("families.{name}");
            for member in members {
                let line = find_line(text, &format!("\"{member}\""));
                let Some(t) = SubEventType::parse(member) else {
                    return Err(err(line, Some(&field), format!("unknown sub-event type {member:?}")));
                };
                let pos = position(t);
                if family_of[pos] != u8::MAX {
                    let other = &family_names[usize::from(family_of[pos])];
                    return Err(err(line, Some(&field), format!("{member:?} is already in family {other:?}")));
                }
                family_of[pos] =
                    u8::try_from(fi).map_err(|_| err(None, Some("families"), "too many families".into()))?;
            }
        }
        if let Some(pos) = family_of.iter().position(|f| *f == u8::MAX) {
            let name = SubEventType::ALL[pos].name();
            return Err(err(find_line(text, "[families]"), Some("families"), format!("{name:?} is in no family")));
        }
        let n = family_names.len();
        let mut compatible = vec![vec![false; n]; n];
        for (i, row) in compatible.iter_mut().enumerate() {
            row[i] = true;
        }
        for [a, b] in &raw.compatible.pairs {
            let find = |f: &str| {
                family_names.iter().position(|x| x == f).ok_or_else(|| {
                    err(find_line(text, &format!("\"{f}\"")), Some("compatible.pairs"), format!("unknown family {f:?}"))
                })
            };
            let (ia, ib) = (find(a)?, find(b)?);
            compatible[ia][ib] = true;
            compatible[ib][ia] = true;
        }
        let stopwords = Stopwords::new(parse_stopwords(BUILTIN_STOPWORDS));
        Ok(FusionConfig {
            threshold: raw.threshold,
            date_window_days: raw.date_window_days,
            radius_km: raw.radius_km,
            weights,
            family_names,
            family_of,
            compatible,
            generic_prefixes: raw.actors.generic_prefixes,
            stopwords,
        })
    }

    /// The family a sub-event type belongs to.
    #[must_use]
    pub fn family(&self, t: SubEventType) -> &str {
        &self.family_names[usize::from(self.family_of[position(t)])]
    }

    pub(crate) fn family_index(&self, t: SubEventType) -> u8 {
        self.family_of[position(t)]
    }

    /// True when the two sub-event types may describe one event.
    #[must_use]
    pub fn types_compatible(&self, a: SubEventType, b: SubEventType) -> bool {
        self.compatible[usize::from(self.family_index(a))][usize::from(self.family_index(b))]
    }

    /// The date window, in days, for two time precisions (the vaguer decides).
    #[must_use]
    pub fn date_window(&self, tp_a: u8, tp_b: u8) -> u32 {
        self.date_window_days[precision_index(tp_a.max(tp_b))]
    }

    /// The radius, in km, for two geo precisions (the vaguer decides).
    #[must_use]
    pub fn radius(&self, gp_a: u8, gp_b: u8) -> f64 {
        self.radius_km[precision_index(gp_a.max(gp_b))]
    }
}

/// Precision 1..=3 as an index 0..=2 (out-of-range values count as the vaguest).
fn precision_index(p: u8) -> usize {
    usize::from(p.clamp(1, 3) - 1)
}

/// The position of a sub-event type in [`SubEventType::ALL`].
pub(crate) fn position(t: SubEventType) -> usize {
    SubEventType::ALL.iter().position(|x| *x == t).expect("ALL lists every sub-event type")
}

fn parse_stopwords(text: &str) -> BTreeSet<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_lowercase).collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1
}

/// The first line holding `needle` outside comments.
fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| !l.trim_start().starts_with('#') && l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_settings_load_and_place_every_type_in_a_family() {
        let c = FusionConfig::builtin();
        assert_eq!(c.family(SubEventType::AirDroneStrike), "remote");
        assert_eq!(c.family(SubEventType::Evacuation), "displacement");
        assert!(c.types_compatible(SubEventType::SuicideBomb, SubEventType::Attack));
        assert!(!c.types_compatible(SubEventType::PeacefulProtest, SubEventType::AirDroneStrike));
        assert_eq!(c.date_window(1, 3), 31);
        assert!(c.stopwords.contains("the", crate::features::fnv32(b"the")));
        for w in &c.stopwords.words {
            assert!(c.stopwords.contains(w, crate::features::fnv32(w.as_bytes())), "{w}");
        }
        assert!(!c.stopwords.contains("ambush", crate::features::fnv32(b"ambush")));
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let bad = BUILTIN_TOML.replace("\"Grenade\",", "\"Grenades\",");
        let e = FusionConfig::from_toml("my.toml", &bad).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("families.remote"));
        assert!(e.line.is_some());
        assert!(e.to_string().starts_with("my.toml:"), "{e}");
        assert!(e.message.contains("Grenades"));

        let dup = BUILTIN_TOML.replace("arrests = [\"Arrests\"]", "arrests = [\"Arrests\", \"Grenade\"]");
        let e = FusionConfig::from_toml("my.toml", &dup).unwrap_err();
        assert!(e.message.contains("already in family"), "{e}");

        let e = FusionConfig::from_toml("my.toml", "threshold = \"high\"\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");

        let missing = BUILTIN_TOML.replace("arrests = [\"Arrests\"]", "");
        let e = FusionConfig::from_toml("my.toml", &missing).unwrap_err();
        assert!(e.message.contains("Arrests"), "{e}");
    }
}
