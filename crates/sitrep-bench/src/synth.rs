//! A generator of synthetic wire reports, for benchmarks and the scaling check.
//!
//! Reports are assembled from the templates in `data/templates.txt`
//! (written for sitrep) with towns from `data/places.tsv` and countries and
//! armed groups from `data/countries.tsv`. Document `i` depends only on the
//! seed and `i`, so corpora of any size stream out in constant memory and the
//! same `(seed, i)` always gives the same text.
//!
//! The generator knows what it wrote, and says so in [`SynthDoc`]: the kind
//! of the lead event, the number of sentences, and the byte ranges of every
//! town it inserted. Benchmarks assert their result counts against these.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;

use sitrep_model::Date;
use sitrep_text::TextRange;

/// A data file could not be read: names the file, line and problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    /// The file (as embedded, e.g. `data/places.tsv`).
    pub file: &'static str,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for DataError {}

/// One country reports can be set in.
#[derive(Clone, Debug)]
struct Country {
    iso: &'static str,
    name: &'static str,
    demonym: &'static str,
    groups: Vec<&'static str>,
    places: Vec<&'static str>,
}

/// How long the reports are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Length {
    /// Headline and three short paragraphs (about 0.7 KB): a wire brief.
    Short,
    /// Headline and eight to twelve paragraphs (about 2.5–3.5 KB): a full report.
    Long,
}

/// A generated report with what the generator knows about it.
#[derive(Clone, Debug)]
pub struct SynthDoc {
    /// `synth-<seed>-<i>`.
    pub id: String,
    /// The text: headline, blank line, paragraphs separated by blank lines.
    pub text: String,
    /// Publication date (2016–2020).
    pub published: Date,
    /// The lead event's kind (`battle`, `airstrike`, `protest`, …).
    pub kind: &'static str,
    /// ISO2 of the country the report is set in.
    pub country: &'static str,
    /// Sentences written, the headline included.
    pub sentences: usize,
    /// Byte ranges of the towns inserted (dateline included).
    pub places: Vec<TextRange>,
}

/// The generator: templates, places and a seed.
#[derive(Debug)]
pub struct Generator {
    countries: Vec<Country>,
    templates: BTreeMap<String, Vec<&'static str>>,
    kinds: Vec<&'static str>,
    seed: u64,
    length: Length,
}

const TEMPLATES: &str = include_str!("../data/templates.txt");
const PLACES: &str = include_str!("../data/places.tsv");
const COUNTRIES: &str = include_str!("../data/countries.tsv");

const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const NUMBER_WORDS: [&str; 11] =
    ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
const SOURCES: [&str; 8] = [
    "a military spokesman",
    "local officials",
    "a police spokesman",
    "witnesses",
    "a local official",
    "hospital sources",
    "the army",
    "residents",
];
const TITLES: [&str; 6] = ["Colonel", "Governor", "police spokesman", "General", "Major", "district commissioner"];
const FIRST: [&str; 12] = [
    "Ahmed",
    "Ibrahim",
    "Musa",
    "Fatima",
    "Abdullahi",
    "Grace",
    "Joseph",
    "Aisha",
    "Omar",
    "Samuel",
    "Halima",
    "Yusuf",
];
const LAST: [&str; 12] = [
    "Hassan", "Bello", "Okafor", "Mohamed", "Deng", "Mwangi", "Traore", "Karimi", "Osman", "Ndlovu", "Kamara", "Sadiq",
];
const OUTLETS: [&str; 4] = ["Sitrep Wire", "the Frontline Herald", "Regional Radio", "the Evening Courier"];
const STATE_FORMS: [&str; 5] =
    ["{DEMONYM} troops", "{DEMONYM} soldiers", "government forces", "{DEMONYM} security forces", "the {DEMONYM} army"];

impl Generator {
    /// The generator over the embedded data files.
    pub fn builtin(seed: u64, length: Length) -> Result<Generator, DataError> {
        let mut countries = Vec::new();
        for (i, line) in COUNTRIES.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 4 {
                return Err(DataError {
                    file: "data/countries.tsv",
                    line: i + 1,
                    message: format!("expected 4 tab-separated fields, found {}", f.len()),
                });
            }
            countries.push(Country {
                iso: f[0],
                name: f[1],
                demonym: f[2],
                groups: f[3].split(';').collect(),
                places: Vec::new(),
            });
        }
        for (i, line) in PLACES.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let err = |message: String| DataError { file: "data/places.tsv", line: i + 1, message };
            let (iso, name) = line.split_once('\t').ok_or_else(|| err("expected `iso2<TAB>place`".into()))?;
            let c = countries
                .iter_mut()
                .find(|c| c.iso == iso)
                .ok_or_else(|| err(format!("field `iso2`: {iso:?} is not in data/countries.tsv")))?;
            c.places.push(name.trim());
        }
        if let Some(c) = countries.iter().find(|c| c.places.len() < 2) {
            return Err(DataError {
                file: "data/places.tsv",
                line: 0,
                message: format!("{} needs at least two places", c.iso),
            });
        }
        let mut templates: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
        let mut section: Option<String> = None;
        for (i, line) in TEMPLATES.lines().enumerate() {
            let t = line.trim();
            if t.starts_with('#') || t.is_empty() {
                continue;
            }
            if let Some(name) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                section = Some(name.to_owned());
                continue;
            }
            let Some(s) = &section else {
                return Err(DataError {
                    file: "data/templates.txt",
                    line: i + 1,
                    message: "template before any [section]".into(),
                });
            };
            templates.entry(s.clone()).or_default().push(t);
        }
        let kinds: Vec<&'static str> = TEMPLATES
            .lines()
            .filter_map(|l| l.trim().strip_prefix("[lead.").and_then(|s| s.strip_suffix(']')))
            .collect();
        for k in &kinds {
            for part in ["headline", "detail"] {
                if !templates.contains_key(&format!("{part}.{k}")) {
                    return Err(DataError {
                        file: "data/templates.txt",
                        line: 0,
                        message: format!("kind {k:?} has no [{part}.{k}] section"),
                    });
                }
            }
        }
        for part in ["quote", "background", "closing"] {
            if !templates.contains_key(part) {
                return Err(DataError { file: "data/templates.txt", line: 0, message: format!("no [{part}] section") });
            }
        }
        Ok(Generator { countries, templates, kinds, seed, length })
    }

    /// The kinds of lead event the generator writes.
    #[must_use]
    pub fn kinds(&self) -> &[&'static str] {
        &self.kinds
    }

    /// Every town the generator may insert, with its country's ISO2.
    pub fn places(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.countries.iter().flat_map(|c| c.places.iter().map(move |p| (c.iso, *p)))
    }

    /// Document number `i`.
    #[must_use]
    pub fn doc(&self, i: u64) -> SynthDoc {
        let mut rng = Rng::new(self.seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let country = &self.countries[rng.below(self.countries.len())];
        let kind = self.kinds[rng.below(self.kinds.len())];
        let p1 = rng.below(country.places.len());
        let mut p2 = rng.below(country.places.len() - 1);
        if p2 >= p1 {
            p2 += 1;
        }
        let published = Date::constant(2016, 1, 1)
            .checked_add(jiff::Span::new().days(rng.below(1800) as i64))
            .unwrap_or(Date::constant(2016, 1, 1));
        let event_day = published.checked_sub(jiff::Span::new().days(1 + rng.below(3) as i64)).unwrap_or(published);
        let ctx = Ctx {
            country,
            place: country.places[p1],
            place2: country.places[p2],
            group: country.groups[rng.below(country.groups.len())],
            state: STATE_FORMS[rng.below(STATE_FORMS.len())],
            day: WEEKDAYS[event_day.weekday().to_monday_zero_offset() as usize],
            outlet: OUTLETS[rng.below(OUTLETS.len())],
            official: format!(
                "{} {} {}",
                TITLES[rng.below(TITLES.len())],
                FIRST[rng.below(FIRST.len())],
                LAST[rng.below(LAST.len())]
            ),
            n: 2 + rng.below(58),
            n2: 2 + rng.below(18),
        };
        let mut w = Writer { text: String::with_capacity(4096), places: Vec::new(), sentences: 0 };

        let pick = |rng: &mut Rng, section: &str| -> &'static str {
            let list = &self.templates[section];
            list[rng.below(list.len())]
        };
        let t = pick(&mut rng, &format!("headline.{kind}"));
        w.sentence(&ctx, &mut rng, t);
        w.text.push_str("\n\n");
        // Dateline: "MOSUL, Iraq (Sitrep Wire) — ".
        let start = w.text.len();
        w.text.push_str(&ctx.place.to_uppercase());
        w.places.push(TextRange::new(start, w.text.len()));
        let _ = write!(w.text, ", {} ({}) — ", country.name, strip_the(ctx.outlet));
        let t = pick(&mut rng, &format!("lead.{kind}"));
        w.sentence(&ctx, &mut rng, t);
        w.text.push(' ');
        let t = pick(&mut rng, &format!("detail.{kind}"));
        w.sentence(&ctx, &mut rng, t);
        let paragraphs = match self.length {
            Length::Short => 2,
            Length::Long => 7 + rng.below(5),
        };
        for p in 0..paragraphs {
            w.text.push_str("\n\n");
            let sections: &[&str] = match (self.length, p % 3) {
                (Length::Short, 0) => &["quote", "background"],
                (Length::Short, _) => &["closing"],
                (Length::Long, 0) => &["quote", "background"],
                (Length::Long, 1) => &["detail", "quote"],
                (Length::Long, _) => &["background", "closing"],
            };
            for (j, s) in sections.iter().enumerate() {
                if j > 0 {
                    w.text.push(' ');
                }
                let section = if *s == "detail" { format!("detail.{kind}") } else { (*s).to_owned() };
                let t = pick(&mut rng, &section);
                w.sentence(&ctx, &mut rng, t);
            }
        }
        SynthDoc {
            id: format!("synth-{}-{i}", self.seed),
            text: w.text,
            published,
            kind,
            country: country.iso,
            sentences: w.sentences,
            places: w.places,
        }
    }

    /// Document `i` as an HTML page: navigation, the article in
    /// `<article><p>…</p></article>` with metadata in meta tags, a sidebar and
    /// a footer of site boilerplate.
    #[must_use]
    pub fn html_page(&self, doc: &SynthDoc) -> String {
        let mut paras = doc.text.split("\n\n");
        let headline = paras.next().unwrap_or("");
        let mut h = String::with_capacity(doc.text.len() * 2 + 2048);
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>{t} | Sitrep Wire</title>\
             <meta property=\"og:title\" content=\"{t}\">\
             <meta property=\"og:site_name\" content=\"Sitrep Wire\">\
             <meta property=\"article:published_time\" content=\"{d}T08:30:00Z\">\
             <link rel=\"canonical\" href=\"https://wire.example/{id}\">\
             <script>window.dataLayer = window.dataLayer || [];</script></head>\n<body>\
             <header><a class=\"logo\" href=\"/\">Sitrep Wire</a><nav><ul>\
             <li><a href=\"/world\">World</a></li><li><a href=\"/africa\">Africa</a></li>\
             <li><a href=\"/middle-east\">Middle East</a></li><li><a href=\"/opinion\">Opinion</a></li>\
             <li><a href=\"/video\">Video</a></li></ul></nav></header>\n<main><article>\
             <h1>{t}</h1><p class=\"byline\">By Staff Reporter</p>\
             <time datetime=\"{d}\">{d}</time>\n",
            t = escape(headline),
            d = doc.published,
            id = doc.id,
        );
        for p in paras {
            let _ = writeln!(h, "<p>{}</p>", escape(p));
        }
        h.push_str(
            "</article><aside><h2>Most read</h2><ul>\
             <li><a href=\"/a\">Markets close higher after a volatile week</a></li>\
             <li><a href=\"/b\">Five things to watch at the summit</a></li>\
             <li><a href=\"/c\">Opinion: what the election means for the region</a></li></ul>\
             <div class=\"newsletter\">Sign up for our daily briefing. Enter your email address.</div></aside></main>\n\
             <footer><p>Share this article on social media.</p>\
             <p>We use cookies to improve your experience. By continuing you agree to our cookie policy.</p>\
             <p>Copyright Sitrep Wire. All rights reserved.</p></footer></body></html>\n",
        );
        h
    }
}

fn strip_the(s: &str) -> &str {
    s.strip_prefix("the ").unwrap_or(s)
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

struct Ctx<'a> {
    country: &'a Country,
    place: &'a str,
    place2: &'a str,
    group: &'a str,
    state: &'static str,
    day: &'static str,
    outlet: &'static str,
    official: String,
    n: usize,
    n2: usize,
}

struct Writer {
    text: String,
    places: Vec<TextRange>,
    sentences: usize,
}

impl Writer {
    /// Appends one template, filling its slots; the sentence's first letter is capitalised.
    fn sentence(&mut self, ctx: &Ctx<'_>, rng: &mut Rng, template: &str) {
        let start = self.text.len();
        self.fill(ctx, rng, template);
        capitalise_at(&mut self.text, start);
        self.sentences += 1;
    }

    fn fill(&mut self, ctx: &Ctx<'_>, rng: &mut Rng, template: &str) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            self.text.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else {
                self.text.push_str(&rest[open..]);
                return;
            };
            let slot = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            match slot {
                "PLACE" | "PLACE2" => {
                    let s = self.text.len();
                    self.text.push_str(if slot == "PLACE" { ctx.place } else { ctx.place2 });
                    self.places.push(TextRange::new(s, self.text.len()));
                }
                "COUNTRY" => self.text.push_str(ctx.country.name),
                "DEMONYM" => self.text.push_str(ctx.country.demonym),
                "STATE" => {
                    let form = ctx.state;
                    self.fill(ctx, rng, form);
                }
                "GROUP" => self.text.push_str(ctx.group),
                "N" => {
                    let _ = write!(self.text, "{}", ctx.n);
                }
                "N2" => {
                    let _ = write!(self.text, "{}", ctx.n2);
                }
                "NWORD" => self.text.push_str(NUMBER_WORDS[rng.below(NUMBER_WORDS.len())]),
                "DAY" => self.text.push_str(ctx.day),
                "SOURCE" => self.text.push_str(SOURCES[rng.below(SOURCES.len())]),
                "OFFICIAL" => self.text.push_str(&ctx.official),
                "OUTLET" => self.text.push_str(ctx.outlet),
                other => {
                    // Unknown slots are kept as written, so a typo shows in the output.
                    let _ = write!(self.text, "{{{other}}}");
                }
            }
        }
        self.text.push_str(rest);
    }
}

/// Upper-cases the first letter at or after `start` (skipping an opening quote).
fn capitalise_at(text: &mut String, start: usize) {
    let Some((off, c)) = text[start..].char_indices().find(|(_, c)| c.is_alphabetic()) else {
        return;
    };
    if c.is_lowercase() {
        let at = start + off;
        let upper: String = c.to_uppercase().collect();
        text.replace_range(at..at + c.len_utf8(), &upper);
    }
}

/// SplitMix64: small, fast and good enough to pick templates.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed);
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_load_and_every_kind_is_written() {
        let g = Generator::builtin(7, Length::Short).unwrap();
        assert!(g.kinds().len() >= 15, "{:?}", g.kinds());
        assert!(g.places().count() >= 100);
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..2000 {
            seen.insert(g.doc(i).kind);
        }
        assert_eq!(seen.len(), g.kinds().len());
    }

    #[test]
    fn documents_are_deterministic_and_place_ranges_slice_the_text() {
        let g = Generator::builtin(42, Length::Short).unwrap();
        let g2 = Generator::builtin(42, Length::Short).unwrap();
        for i in 0..500 {
            let d = g.doc(i);
            assert_eq!(d.text, g2.doc(i).text);
            assert!(!d.text.contains('{'), "unfilled slot in {}", d.text);
            assert!(d.places.len() >= 2);
            for r in &d.places {
                let name = &d.text[*r];
                assert!(
                    g.places().any(|(_, p)| p == name || p.to_uppercase() == name),
                    "{name:?} is not a generator place"
                );
            }
            assert_eq!(d.text.split("\n\n").count(), 4);
            assert!(d.sentences >= 6);
        }
        assert_ne!(g.doc(1).text, g.doc(2).text);
    }

    #[test]
    fn long_reports_are_longer_and_html_pages_hold_the_text() {
        let g = Generator::builtin(1, Length::Long).unwrap();
        let d = g.doc(3);
        assert!(d.text.len() > 1500, "{}", d.text.len());
        let html = g.html_page(&d);
        assert!(html.contains("<article>"));
        let first_para = d.text.split("\n\n").nth(1).unwrap();
        assert!(html.contains(&escape(first_para)));
    }

    #[test]
    fn sentences_start_with_capitals() {
        let g = Generator::builtin(9, Length::Long).unwrap();
        for i in 0..200 {
            let d = g.doc(i);
            for para in d.text.split("\n\n").skip(2) {
                let c = para.chars().find(|c| c.is_alphabetic()).unwrap();
                assert!(c.is_uppercase(), "{para}");
            }
        }
    }
}
