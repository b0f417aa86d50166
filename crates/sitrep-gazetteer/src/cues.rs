//! Country cue phrases (`data/gazetteer/country-cues.tsv`): words of a report, not place names,
//! that point to one country ("sheriff's deputies", "the school district", "a felony charge" in
//! a US local report). Each distinct phrase found adds its weight to that country's prior, capped
//! at 1; the resolver counts the prior like an outlet's home country ([`crate::GeoHints`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::Error;
use crate::context::FnvBuild;
use crate::recognize::Words;

/// The shipped cue list.
pub const COUNTRY_CUES: &str = include_str!("../../../data/gazetteer/country-cues.tsv");

/// One phrase: its folded words, country and weight.
struct Cue {
    words: Vec<String>,
    country: String,
    weight: f32,
}

/// Cue phrases, indexed by their first folded word.
pub(crate) struct CountryCues {
    by_first: HashMap<String, Vec<Cue>, FnvBuild>,
}

impl CountryCues {
    /// Parses a cue list (`phrase<TAB>country[<TAB>weight]`); errors name the line and field.
    pub(crate) fn parse(text: &str, origin: &str) -> Result<CountryCues, Error> {
        let mut by_first: HashMap<String, Vec<Cue>, FnvBuild> = HashMap::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |field: &str, message: String| Error::Data {
                file: origin.to_owned(),
                line: n + 1,
                field: field.into(),
                message,
            };
            let mut cols = line.split('\t');
            let phrase = cols.next().unwrap_or("").trim();
            let country = cols.next().unwrap_or("").trim();
            let weight = match cols.next().map(str::trim) {
                None | Some("") => 0.5,
                Some(w) => w
                    .parse::<f32>()
                    .ok()
                    .filter(|w| w.is_finite() && *w > 0.0 && *w <= 1.0)
                    .ok_or_else(|| bad("weight", format!("{w:?} is not a number in (0, 1]")))?,
            };
            let words: Vec<String> = crate::normalize::words(phrase)
                .into_iter()
                .map(|(s, e)| {
                    let mut w = String::new();
                    crate::normalize::fold_word(&phrase[s..e], &mut w);
                    w
                })
                .collect();
            if words.is_empty() {
                return Err(bad("phrase", "empty phrase".into()));
            }
            if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(bad("country", format!("{country:?} is not an ISO 3166-1 alpha-2 code")));
            }
            by_first.entry(words[0].clone()).or_default().push(Cue { words, country: country.to_owned(), weight });
        }
        Ok(CountryCues { by_first })
    }

    /// The shipped list.
    pub(crate) fn shipped() -> &'static CountryCues {
        static CUES: OnceLock<CountryCues> = OnceLock::new();
        CUES.get_or_init(|| {
            CountryCues::parse(COUNTRY_CUES, "data/gazetteer/country-cues.tsv")
                .unwrap_or_else(|_| CountryCues { by_first: HashMap::default() })
        })
    }

    /// Country → prior weight (at most 1) from the distinct cue phrases among `words`. A phrase
    /// matches consecutive words separated by spaces or hyphens only.
    pub(crate) fn priors(&self, words: &Words<'_>) -> BTreeMap<String, f32> {
        let mut found: Vec<&Cue> = Vec::new();
        for i in 0..words.words.len() {
            let Some(cues) = self.by_first.get(words.fold(i)) else { continue };
            for cue in cues {
                let n = cue.words.len();
                let fits = i + n <= words.words.len()
                    && (1..n).all(|k| {
                        matches!(words.gap(i + k - 1), " " | "-") && words.fold(i + k) == cue.words[k].as_str()
                    });
                if fits && !found.iter().any(|f| std::ptr::eq(*f, cue)) {
                    found.push(cue);
                }
            }
        }
        let mut out: BTreeMap<String, f32> = BTreeMap::new();
        for cue in found {
            let w = out.entry(cue.country.clone()).or_default();
            *w = (*w + cue.weight).min(1.0);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_text::TextRange;

    fn priors(list: &CountryCues, text: &str) -> BTreeMap<String, f32> {
        list.priors(&Words::new(text, TextRange::full(text)))
    }

    #[test]
    fn shipped_list_parses_and_finds_phrases() {
        let cues = CountryCues::parse(COUNTRY_CUES, "country-cues.tsv").unwrap();
        let p = priors(&cues, "Deputies from the sheriff's office said the school district closed early.");
        assert!(p.get("US").is_some_and(|&w| w > 0.5), "{p:?}");
        assert!(priors(&cues, "The minister said the talks in the capital went well.").is_empty());
    }

    #[test]
    fn phrases_count_once_weights_add_up_to_one() {
        let cues = CountryCues::parse("grand jury\tUS\t0.4\nfelony\tUS\t0.4\nbaz\tFR\n", "x.tsv").unwrap();
        let one = priors(&cues, "A grand jury met. The grand jury adjourned.");
        assert_eq!(one.get("US"), Some(&0.4));
        let two = priors(&cues, "A grand jury heard the felony case; another felony followed.");
        assert_eq!(two.get("US"), Some(&0.8));
        // Words of a phrase must be next to each other.
        assert!(priors(&cues, "The grand old jury.").is_empty());
        let capped = CountryCues::parse("a\tUS\t0.7\nb\tUS\t0.7\n", "y.tsv").unwrap();
        assert_eq!(priors(&capped, "a b").get("US"), Some(&1.0));
    }

    #[test]
    fn bad_rows_name_line_and_field() {
        let err = CountryCues::parse("# c\nsheriff\tUSA\n", "x.tsv").err().unwrap().to_string();
        assert!(err.contains("line 2") && err.contains("country"), "{err}");
        let err = CountryCues::parse("sheriff\tUS\t2\n", "x.tsv").err().unwrap().to_string();
        assert!(err.contains("line 1") && err.contains("weight"), "{err}");
    }
}
