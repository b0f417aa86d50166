//! The outlet's home: what a document's web address says about where it comes from.
//!
//! A local paper's domain often names its town ("<town>herald.com", "online<town>.com",
//! "thisis<county>.co.uk"), and a country-code domain names its country (".co.uk", ".ca").
//! [`Gazetteer::outlet_home`] reads both: the country from the last label (every two-letter
//! domain that is a country's ISO code, with the exceptions of
//! `data/gazetteer/outlet-domains.tsv`), and home names by cutting each other label into
//! gazetteer names and the words of outlet names (`data/gazetteer/outlet-words.txt`: herald,
//! times, news…). A label counts only when it is cut into such parts entirely, so a domain that
//! is a brand ("examplewire.com") names no home.
//!
//! The resolver treats a home like a place the report names once, with a lighter vote: its
//! namesakes near it win and its country leans the focus, but the report's own words decide.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use fst::raw::{Fst, Node, Output};

use crate::artifact::PostingKind;
use crate::context::FnvBuild;
use crate::recognize::Cand;
use crate::{Error, Gazetteer};

/// The shipped country-code domain exceptions.
pub const OUTLET_DOMAINS: &str = include_str!("../../../data/gazetteer/outlet-domains.tsv");
/// The shipped words of outlet names.
pub const OUTLET_WORDS: &str = include_str!("../../../data/gazetteer/outlet-words.txt");

/// The fewest letters of a home name ("Ada" and "Rome" are towns; two-letter keys are abbreviations).
const MIN_HOME_LETTERS: usize = 4;

/// A cut of a domain label: its number of parts, and the parts (a place key, or `None` for a word).
type Cut = (usize, Vec<Option<String>>);

/// The least population of a town a domain names alone ("<city>.com").
const BARE_HOME_POPULATION: u32 = 50_000;

/// What a document's web address says about where it comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutletHome {
    /// The country of a country-code domain (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Gazetteer keys of the places the domain names, in domain order.
    pub homes: Vec<String>,
    /// Where the home towns of a generic domain (".com") are looked for first: namesakes in this
    /// country are preferred (no prior on the report itself).
    pub home_country: Option<String>,
}

/// The data files, parsed.
#[derive(Default)]
pub(crate) struct OutletData {
    /// Country-code domains that are not (or not only) the country of their ISO code: suffix →
    /// country (`None`: no country, a domain used worldwide like ".tv").
    domains: HashMap<String, Option<String>, FnvBuild>,
    /// Generic domains whose home towns are looked for first in one country: suffix → country.
    home_first: HashMap<String, String, FnvBuild>,
    /// Words of outlet names (never a home).
    words: HashSet<String, FnvBuild>,
    /// The longest word, in bytes.
    longest: usize,
}

impl OutletData {
    /// Parses the domain table (`suffix<TAB>country or -`) and the word list; errors name the line.
    pub(crate) fn parse(domains: &str, words: &str) -> Result<OutletData, Error> {
        let mut out = OutletData::default();
        for (n, line) in domains.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |field: &str, message: String| Error::Data {
                file: "data/gazetteer/outlet-domains.tsv".into(),
                line: n + 1,
                field: field.into(),
                message,
            };
            let mut cols = line.split('\t');
            let suffix = cols.next().unwrap_or("").trim().trim_start_matches('.').to_ascii_lowercase();
            let country = cols.next().unwrap_or("").trim();
            if suffix.is_empty() || !suffix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
                return Err(bad("suffix", format!("{suffix:?} is not a domain suffix")));
            }
            let country = match country {
                "-" => None,
                c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()) => Some(c.to_owned()),
                c => return Err(bad("country", format!("{c:?} is neither an ISO 3166-1 alpha-2 code nor -"))),
            };
            match cols.next().map(str::trim) {
                None | Some("" | "country") => {
                    out.domains.insert(suffix, country);
                }
                Some("home") => {
                    let Some(c) = country else { return Err(bad("country", "a home row needs a country".into())) };
                    out.home_first.insert(suffix, c);
                }
                Some(u) => return Err(bad("use", format!("{u:?} is neither country nor home"))),
            }
        }
        for line in words.lines() {
            let w = line.trim();
            if w.is_empty() || w.starts_with('#') {
                continue;
            }
            let w = w.to_ascii_lowercase();
            out.longest = out.longest.max(w.len());
            out.words.insert(w);
        }
        Ok(out)
    }

    /// The shipped files.
    pub(crate) fn shipped() -> &'static OutletData {
        static DATA: OnceLock<OutletData> = OnceLock::new();
        DATA.get_or_init(|| OutletData::parse(OUTLET_DOMAINS, OUTLET_WORDS).unwrap_or_default())
    }
}

/// The host of a URL or a bare domain, lower case, without "www." ("https://www.Example.co.ke/a" →
/// "example.co.ke"); `None` for text that is not one (an outlet's name).
#[must_use]
pub fn url_host(s: &str) -> Option<String> {
    let s = s.trim();
    let rest = s.split_once("://").map_or(s, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h).to_ascii_lowercase();
    let host = host.strip_prefix("www.").map(str::to_owned).unwrap_or(host);
    let ok = host.contains('.')
        && !host.starts_with('.')
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    ok.then_some(host)
}

impl Gazetteer {
    /// What the web address `url` (or a bare domain) says about where a document comes from:
    /// the country of a country-code domain, and the places its labels name.
    ///
    /// ```
    /// let gaz = sitrep_gazetteer::Gazetteer::embedded().unwrap();
    /// let home = gaz.outlet_home("https://www.kirkukherald.co.uk/news/1");
    /// assert_eq!(home.country.as_deref(), Some("GB"));
    /// assert_eq!(home.homes, ["kirkuk"]);
    /// ```
    #[must_use]
    pub fn outlet_home(&self, url: &str) -> OutletHome {
        let data = OutletData::shipped();
        let Some(host) = url_host(url) else { return OutletHome::default() };
        let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
        let mut home = OutletHome::default();
        let Some(&tld) = labels.last() else { return home };
        // The longest listed suffix ("co.uk" before "uk"), else a two-letter country code.
        let mut skip = 1;
        let mut listed = None;
        for k in (1..=labels.len().min(3)).rev() {
            let suffix = labels[labels.len() - k..].join(".");
            if let Some(c) = data.domains.get(&suffix) {
                listed = Some(c.clone());
                skip = k;
                break;
            }
        }
        home.country = match listed {
            Some(c) => c,
            None if tld.len() == 2 => {
                let code = tld.to_ascii_uppercase();
                self.countries.contains_key(&code).then_some(code)
            }
            None => None,
        };
        if home.country.is_none() {
            home.home_country = data.home_first.get(tld).cloned();
        }
        for label in &labels[..labels.len().saturating_sub(skip)] {
            for key in self.label_homes(label, data) {
                if !home.homes.contains(&key) {
                    home.homes.push(key);
                }
            }
        }
        home
    }

    /// The place names of one domain label when the whole label is place names and words of
    /// outlet names (fewest parts; none when it can't be cut so).
    fn label_homes(&self, label: &str, data: &OutletData) -> Vec<String> {
        let letters: Vec<u8> = label.bytes().filter(u8::is_ascii_alphabetic).collect();
        let n = letters.len();
        if n < MIN_HOME_LETTERS || label.bytes().any(|b| b.is_ascii_digit()) {
            return Vec::new();
        }
        let text = std::str::from_utf8(&letters).unwrap_or("");
        // best[i]: the fewest parts covering letters[..i] (a place key, or None for a word).
        let mut best: Vec<Option<Cut>> = vec![None; n + 1];
        best[0] = Some((0, Vec::new()));
        for i in 0..n {
            let Some((cost, parts)) = best[i].clone() else { continue };
            let mut ends: Vec<(usize, Option<String>)> = Vec::new();
            for j in (i + 1..=n.min(i + data.longest)).rev() {
                if data.words.contains(&text[i..j]) {
                    ends.push((j, None));
                }
            }
            for layer in &self.layers {
                keys_from(layer.data.exact.as_fst(), &letters, i, &mut |j, key| {
                    if j - i >= MIN_HOME_LETTERS && !data.words.contains(&text[i..j]) {
                        ends.push((j, Some(key)));
                    }
                });
            }
            for (j, key) in ends {
                let better = best[j].as_ref().is_none_or(|(c, _)| cost + 1 < *c);
                if better {
                    let mut p = parts.clone();
                    p.push(key);
                    best[j] = Some((cost + 1, p));
                }
            }
        }
        let Some((_, parts)) = best[n].take() else { return Vec::new() };
        // Two names run together with no word between ("northsouthville") read as a brand, not as
        // two towns ("<town>and<town>times" are two).
        if parts.windows(2).any(|p| p[0].is_some() && p[1].is_some()) {
            return Vec::new();
        }
        let bare = parts.len() == 1;
        parts
            .into_iter()
            .flatten()
            .filter(|k| {
                let cands = self.home_candidates(k);
                // A label that is only a name ("<city>.com") names a home when the place is large
                // or a region; a small town's name alone is as likely a brand word.
                !cands.is_empty()
                    && (!bare
                        || cands.iter().any(|&c| {
                            let d = &self.layers[c.0 as usize].data;
                            let e = &d.entries[c.1 as usize];
                            let f = d.str(e.fcode).unwrap_or("");
                            f.starts_with("ADM") || f.starts_with("PCL") || e.population >= BARE_HOME_POPULATION
                        }))
            })
            .collect()
    }

    /// The readings of a home name: populated places, administrative regions and countries.
    pub(crate) fn home_candidates(&self, key: &str) -> Vec<Cand> {
        let mut cands: Vec<Cand> = Vec::new();
        for (li, layer) in self.layers.iter().enumerate() {
            if let Some(v) = layer.data.exact.get(key.as_bytes()) {
                let (it, _) = layer.data.postings_of(v);
                for (e, kind) in it {
                    let f = layer.data.str(layer.data.entries[e as usize].fcode).unwrap_or("");
                    let place = f.starts_with("PPL") || f.starts_with("ADM") || f.starts_with("PCL");
                    if kind != PostingKind::Demonym && place {
                        cands.push((li as u8, e, kind));
                    }
                }
            }
        }
        cands
    }
}

/// Calls `found(end, key)` for every key of `fst` that spells `letters[start..end]` with spaces
/// between words ("newyork" → "new york").
fn keys_from(fst: &Fst<Vec<u8>>, letters: &[u8], start: usize, found: &mut dyn FnMut(usize, String)) {
    fn walk(
        fst: &Fst<Vec<u8>>,
        node: Node<'_>,
        out: Output,
        letters: &[u8],
        at: usize,
        key: &mut Vec<u8>,
        found: &mut dyn FnMut(usize, String),
    ) {
        if node.is_final() && key.last() != Some(&b' ') && !key.is_empty() {
            found(at, String::from_utf8_lossy(key).into_owned());
        }
        let Some(&b) = letters.get(at) else { return };
        if let Some(i) = node.find_input(b) {
            let t = node.transition(i);
            key.push(b);
            walk(fst, fst.node(t.addr), out.cat(t.out), letters, at + 1, key, found);
            key.pop();
        }
        if !key.is_empty()
            && key.last() != Some(&b' ')
            && let Some(i) = node.find_input(b' ')
        {
            let t = node.transition(i);
            key.push(b' ');
            walk(fst, fst.node(t.addr), out.cat(t.out), letters, at, key, found);
            key.pop();
        }
    }
    let mut key = Vec::new();
    walk(fst, fst.root(), Output::zero(), letters, start, &mut key, found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_parse_and_errors_name_line_and_field() {
        let data = OutletData::parse(OUTLET_DOMAINS, OUTLET_WORDS).expect("shipped outlet files");
        assert_eq!(data.domains.get("co.uk"), Some(&Some("GB".to_owned())));
        assert_eq!(data.domains.get("tv"), Some(&None));
        assert_eq!(data.home_first.get("com").map(String::as_str), Some("US"));
        assert!(data.words.contains("herald") && data.longest >= "newspapers".len());
        let e = OutletData::parse("# note\nuk\tGB\nxx\tgreat\n", "").err().expect("a bad country");
        assert!(e.to_string().contains("line 3: field country"), "{e}");
        let e = OutletData::parse("com\tUS\tsometimes\n", "").err().expect("a bad use");
        assert!(e.to_string().contains("line 1: field use"), "{e}");
        let e = OutletData::parse("com\t-\thome\n", "").err().expect("a home row without a country");
        assert!(e.to_string().contains("field country"), "{e}");
    }
}
