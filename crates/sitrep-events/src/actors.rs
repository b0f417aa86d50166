//! Actor recognition: who acts and who is acted on, with ACLED's actor names and categories.
//!
//! The principal type is [`ActorLexicon`]: the actor lexicons of `lexicons/actors/` (countries and their
//! government periods, words for state forces, named groups and missions, ethnic groups, collective
//! nouns, roles) compiled into one Aho-Corasick automaton. [`ActorLexicon::recognize`] reads a region
//! of a document in one pass and returns [`ActorHit`]s: byte ranges of the text with the ACLED-style
//! actor name ("Military Forces of Iraq (2014-)", "Al Shabaab", "Protesters (Nigeria)",
//! "Unidentified Armed Group (Somalia)"), the `inter` category and the actor's country.
//!
//! ```
//! use sitrep_events::actors::{ActorContext, ActorLexicon};
//! use sitrep_text::TextRange;
//!
//! let lexicon = ActorLexicon::builtin().unwrap();
//! let text = "Kenyan police fired tear gas at protesters in Nairobi.";
//! let ctx = ActorContext { country: Some("KE".into()), year: Some(2016) };
//! let hits = lexicon.recognize(text, TextRange::full(text), &ctx);
//! let names: Vec<&str> = hits.iter().map(|h| h.name.as_str()).collect();
//! assert_eq!(names, ["Police Forces of Kenya (2013-)", "Protesters (Kenya)"]);
//! assert_eq!(&text[hits[0].range], "Kenyan police");
//! ```
//!
//! How a mention becomes an actor:
//! - a nationality or country name in front of a force word names the state ("Nigerian troops",
//!   "Nigeria's army"); a force word alone takes the document's country (`ActorContext::country`);
//!   state forces of another country are external forces (inter 8), and troops of a mission's
//!   contributing country in the mission's host country are that mission's contingent ("Kenyan troops"
//!   in Somalia: "AMISOM: African Union Mission in Somalia (2007-) (Kenya)");
//! - state actor names carry the government period of the event year from `regimes.tsv`: by default
//!   as ACLED wrote it at the time ("(2014-)"), or closed as in ACLED's later exports
//!   ([`PeriodStyle::Retrospective`]: "(2014-2018)"); without a year the name is bare;
//! - a named group takes the lexicon row valid in the event year and, where an alias means different
//!   actors in different countries ("coalition", "Islamic State"), the row for the document's country;
//! - head words join what stands before them: "ISIS fighters" is Islamic State, "Murle youths" the
//!   "Murle Ethnic Militia (South Sudan)", "Oromo protesters" are "Protesters (Ethiopia)" with a nested
//!   hit for the "Oromo Ethnic Group (Ethiopia)";
//! - "the militants", "the militant group" name the one armed group named before them in the region,
//!   nothing when two or more are, and an unidentified armed group ("militants") or nothing ("the
//!   militant group") when none is;
//! - armed men of a named group or people are that group ("gunmen from the LRA", "fighters loyal to
//!   the SPLA-IO", "armed Fulani", "Fulanis attacked …"); a head word after two peoples or two
//!   nationalities is shared ("Murle and Lou Nuer militias", "Nigerian and Cameroonian troops"); a
//!   people the lexicon lacks, named before "communal|ethnic|clan militia", makes its own militia name
//!   ("Abuok Communal Militia (South Sudan)");
//! - unnamed attackers in a report where one armed group claims the attack ("… claimed
//!   responsibility", "claimed by al Shabaab") are that group;
//! - words that are often adjectives count only as heads of their phrase: "the military said",
//!   "clashes between military and rebels", but not "a military base" or "rebel-held";
//! - people are found by title or role ("Brig. Gen. Tahsin Ibrahim", "a defense spokesman",
//!   "witnesses") as [`ActorKind::Person`] hits: sources for attribution, not event actors.
//!
//! Hits are sorted by start (outer hit first when one holds another) and never overlap, except the
//! nested identity-group hit inside a collective. Call `recognize` once on a document's body rather
//! than per sentence: a back-reference ("the militants") is resolved within the region given.
//!
//! Speed: one automaton probe per word start, behind a hashed first-word filter that most words
//! fail; about 100 MB/s on news text on one core (`examples/actors_bench.rs`). Building the lexicon
//! takes about 30 ms. The probes do not depend on the document's country or year: read a text several
//! times (hints first, then actors in the country found) from one [`ActorLexicon::scan`] with
//! [`ActorLexicon::hints_with`] and [`ActorLexicon::recognize_with`].
//!
//! Lexicon files are TSV with a header row that says which table they hold; users add their own with
//! [`ActorLexicon::with_file`] (see `lexicons/actors/README.md`). Their rows come before the built-in
//! ones when both give an alias.

mod compile;
mod scan;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;

use sitrep_model::Inter;
use sitrep_text::TextRange;

use compile::Compiled;
use table::Tables;

/// The built-in lexicon files: (name used in errors, contents).
const BUILTIN: &[(&str, &str)] = &[
    ("lexicons/actors/countries.tsv", include_str!("../../../lexicons/actors/countries.tsv")),
    ("lexicons/actors/regimes.tsv", include_str!("../../../lexicons/actors/regimes.tsv")),
    ("lexicons/actors/forces.tsv", include_str!("../../../lexicons/actors/forces.tsv")),
    ("lexicons/actors/groups.tsv", include_str!("../../../lexicons/actors/groups.tsv")),
    ("lexicons/actors/ethnic.tsv", include_str!("../../../lexicons/actors/ethnic.tsv")),
    ("lexicons/actors/collectives.tsv", include_str!("../../../lexicons/actors/collectives.tsv")),
    ("lexicons/actors/roles.tsv", include_str!("../../../lexicons/actors/roles.tsv")),
    ("lexicons/actors/name-stops.tsv", include_str!("../../../lexicons/actors/name-stops.tsv")),
];

/// The actor lexicons, compiled for one-pass recognition. Build once and share (`Send + Sync`).
pub struct ActorLexicon {
    tables: Tables,
    compiled: Compiled,
    style: PeriodStyle,
}

/// What the document is about: the country that unqualified words ("troops", "protesters") belong to,
/// and the year that picks government periods and group names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActorContext {
    /// ISO 3166-1 alpha-2 code of the document's focus country ("IQ").
    pub country: Option<String>,
    /// Year of the events.
    pub year: Option<i16>,
}

/// Where a lexicon's aliases occur in a region of one text: the part of reading it for actors that
/// does not depend on the document's country or year. Made by [`ActorLexicon::scan`], read by
/// [`ActorLexicon::hints_with`] and [`ActorLexicon::recognize_with`], so that a document is scanned
/// once however often its actors are read.
#[derive(Clone)]
pub struct ActorScan<'a> {
    lex: &'a ActorLexicon,
    text: &'a str,
    region: TextRange,
    probes: Vec<scan::Probe>,
}

impl ActorScan<'_> {
    /// The region scanned.
    #[must_use]
    pub fn region(&self) -> TextRange {
        self.region
    }

    /// The matches of `text[region]`, when this scan holds them: made by `lex`, of this very `text`
    /// (same address and length), of a region that holds `region` and ends where it ends (a match
    /// never runs past the region's end). (The match at the region start, when the region cuts a
    /// word the scan read whole, comes first, on its own.)
    fn probes_for(
        &self,
        lex: &ActorLexicon,
        text: &str,
        region: TextRange,
    ) -> Option<(Option<scan::Probe>, &[scan::Probe])> {
        let fits = std::ptr::eq(self.lex, lex)
            && std::ptr::eq(self.text, text)
            && self.region.start() <= region.start()
            && self.region.end() == region.end();
        if !fits {
            return None;
        }
        let s = region.start();
        let from = self.probes.partition_point(|p| (p.at as usize) < s);
        let cut = s > self.region.start()
            && text[..s].ends_with(char::is_alphanumeric)
            && text[region].starts_with(char::is_alphanumeric);
        let first = if cut {
            let at = u32::try_from(s).expect("text ranges are u32");
            scan::probe_at(lex, &text[region], 0).map(|pattern| scan::Probe { at, pattern })
        } else {
            None
        };
        Some((first, &self.probes[from..]))
    }
}

impl fmt::Debug for ActorScan<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActorScan").field("region", &self.region).field("matches", &self.probes.len()).finish()
    }
}

/// One actor mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorHit {
    /// Where in the text: `&text[range]` is the mention ("Iraqi forces").
    pub range: TextRange,
    /// The normalised name: ACLED's for actors, the personal name (or the role words) for people.
    pub name: String,
    /// ACLED actor category.
    pub inter: Inter,
    /// ISO code of the actor's country, when it has one.
    pub country: Option<String>,
    /// What sort of actor.
    pub kind: ActorKind,
    /// For the people of an identity group ("the Nuer community", "Tiv farmers"): the militia they
    /// form when they fight ("Nuer Ethnic Militia (South Sudan)").
    pub militia: Option<String>,
}

/// What sort of actor a hit names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActorKind {
    /// A named organisation: rebel group, militia, party, coalition, mission.
    Group,
    /// A state's military, police or government.
    StateForce,
    /// A person, by role ("Brigadier General", "spokesman", "witnesses"); a source for attribution.
    Person {
        /// The role, normalised ("Ministry of Defense spokesman, Brigadier General").
        role: Option<String>,
    },
    /// An unnamed collective: protesters, rioters, civilians, unidentified armed men, an identity group.
    Collective,
}

/// How the government period in a state actor's name is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PeriodStyle {
    /// As ACLED wrote it while that government was in power: "Military Forces of Iraq (2014-)".
    #[default]
    AsOfEventYear,
    /// As ACLED's later exports write it, with the end year: "Military Forces of Iraq (2014-2018)".
    Retrospective,
}

/// A state actor's branch, for [`ActorLexicon::state_actor`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Branch {
    /// "Military Forces of X".
    Military,
    /// "Police Forces of X".
    Police,
    /// "Government of X".
    Government,
}

/// Counts of lexicon entries, per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LexiconStats {
    /// Countries and regional governments.
    pub countries: usize,
    /// Government periods.
    pub regimes: usize,
    /// Words for state forces.
    pub forces: usize,
    /// Named group rows.
    pub groups: usize,
    /// Ethnic groups, clans, tribes, towns.
    pub ethnic: usize,
    /// Collective nouns and head words.
    pub collectives: usize,
    /// Titles, roles and role modifiers.
    pub roles: usize,
    /// Distinct patterns in the automaton (all aliases and their spelling variants).
    pub patterns: usize,
}

/// A lexicon file could not be read: which file, line and field, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexiconError {
    file: String,
    line: Option<usize>,
    field: Option<String>,
    message: String,
}

impl LexiconError {
    fn new(file: &str, line: Option<usize>, field: Option<&str>, message: impl Into<String>) -> LexiconError {
        LexiconError { file: file.to_owned(), line, field: field.map(str::to_owned), message: message.into() }
    }

    /// The file ("lexicons/actors/groups.tsv" for built-in files).
    #[must_use]
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line, when the problem is on one line.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The column, when the problem is in one field.
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for LexiconError {}

impl ActorLexicon {
    /// The lexicons shipped in `lexicons/actors/`.
    ///
    /// # Errors
    /// Only if a shipped file is malformed (a bug, caught by the tests).
    pub fn builtin() -> Result<ActorLexicon, LexiconError> {
        let mut tables = Tables::default();
        for (name, text) in BUILTIN {
            tables.load(name, text, 0)?;
        }
        ActorLexicon::build(tables, PeriodStyle::default())
    }

    /// Adds a user lexicon file: any of the tables, recognised by its header row (same format as the
    /// built-in file). Its entries take precedence over earlier ones for the same alias.
    ///
    /// # Errors
    /// When the file cannot be read or a row is malformed: the error names the file, line and field.
    pub fn with_file(self, path: &Path) -> Result<ActorLexicon, LexiconError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| LexiconError::new(&name, None, None, format!("cannot read: {e}")))?;
        self.with_text(&name, &text)
    }

    /// Like [`with_file`](Self::with_file), from text already in memory; `name` is used in errors.
    ///
    /// # Errors
    /// When a row is malformed.
    pub fn with_text(self, name: &str, text: &str) -> Result<ActorLexicon, LexiconError> {
        let ActorLexicon { mut tables, style, .. } = self;
        let rank = tables.next_rank();
        tables.load(name, text, rank)?;
        ActorLexicon::build(tables, style)
    }

    /// Sets how government periods are written (default [`PeriodStyle::AsOfEventYear`]).
    #[must_use]
    pub fn with_period_style(mut self, style: PeriodStyle) -> ActorLexicon {
        self.style = style;
        self
    }

    fn build(mut tables: Tables, style: PeriodStyle) -> Result<ActorLexicon, LexiconError> {
        tables.resolve()?;
        let compiled = Compiled::new(&tables);
        Ok(ActorLexicon { tables, compiled, style })
    }

    /// The actors mentioned in `text[region]`, in text order. Never fails: text it cannot read yields
    /// fewer hits. Ranges are into `text` (not into the region).
    ///
    /// # Panics
    /// If `region` does not lie on `char` boundaries of `text` (a caller bug).
    #[must_use]
    pub fn recognize(&self, text: &str, region: TextRange, ctx: &ActorContext) -> Vec<ActorHit> {
        self.recognize_with(text, region, ctx, None)
    }

    /// [`recognize`](Self::recognize), reusing the automaton matches of an earlier
    /// [`scan`](Self::scan) of the text when it holds them: a scan by this lexicon, of this very
    /// `text`, of a region that holds `region` and ends where it ends. Otherwise (or with `None`) the
    /// region is scanned afresh. The hits are the same either way.
    ///
    /// ```
    /// use sitrep_events::actors::{ActorContext, ActorLexicon};
    /// use sitrep_text::TextRange;
    ///
    /// let lexicon = ActorLexicon::builtin().unwrap();
    /// let text = "Police in Nairobi arrested protesters. Kenyan troops were deployed.";
    /// let scan = lexicon.scan(text, TextRange::full(text));
    /// let ctx = ActorContext { country: Some("KE".into()), year: Some(2016) };
    /// let body = TextRange::new(10, text.len());
    /// assert_eq!(lexicon.recognize_with(text, body, &ctx, Some(&scan)), lexicon.recognize(text, body, &ctx));
    /// ```
    ///
    /// # Panics
    /// If `region` does not lie on `char` boundaries of `text` (a caller bug).
    #[must_use]
    pub fn recognize_with(
        &self,
        text: &str,
        region: TextRange,
        ctx: &ActorContext,
        scan: Option<&ActorScan<'_>>,
    ) -> Vec<ActorHit> {
        assert!(region.is_valid_for(text), "ActorLexicon::recognize: region {region:?} is not valid for the text");
        self.read(scan::Scanner::new(self, text, region, ctx), text, region, scan)
    }

    /// Runs `scanner` over `text[region]` on the matches of `scan` when it holds them, else on fresh ones.
    fn read(
        &self,
        scanner: scan::Scanner<'_>,
        text: &str,
        region: TextRange,
        scan: Option<&ActorScan<'_>>,
    ) -> Vec<ActorHit> {
        match scan.and_then(|s| s.probes_for(self, text, region)) {
            Some((first, probes)) => scanner.run(first, probes),
            None => scanner.run(None, &scan::probes(self, text, region)),
        }
    }

    /// Reads `text[region]` for what does not depend on the document (where the lexicon's aliases
    /// occur), once, for [`hints_with`](Self::hints_with) and
    /// [`recognize_with`](Self::recognize_with) to share.
    ///
    /// # Panics
    /// If `region` does not lie on `char` boundaries of `text` (a caller bug).
    #[must_use]
    pub fn scan<'a>(&'a self, text: &'a str, region: TextRange) -> ActorScan<'a> {
        assert!(region.is_valid_for(text), "ActorLexicon::scan: region {region:?} is not valid for the text");
        ActorScan { lex: self, text, region, probes: scan::probes(self, text, region) }
    }

    /// Country cues of `text[region]` read without any document context, for deciding what a document
    /// is about before its places are resolved: named groups with a home country ("Al Shabaab" →
    /// SO, "Zanu-PF" → ZW), state forces named by nationality or a national name ("Ethiopian
    /// soldiers", "FARDC"), ethnic militias and identity groups of one country ("Murle youths",
    /// "Oromo protesters" → the Oromo), peacekeeping missions with their host country ("AMISOM" →
    /// SO; the national forces of its contributing countries in the same text are then left out as
    /// its contingents). Left out: people, unqualified words ("troops", "protesters"), collectives
    /// named by nationality ("Somali refugees" are often abroad), other multinational actors and
    /// ethnic groups living in several countries. Hits are in text order; their `country` is always
    /// set. A group's country is its home: weigh the hints against other cues (Al Shabaab also
    /// fights in Kenya).
    ///
    /// # Panics
    /// If `region` does not lie on `char` boundaries of `text` (a caller bug).
    #[must_use]
    pub fn hints(&self, text: &str, region: TextRange) -> Vec<ActorHit> {
        assert!(region.is_valid_for(text), "ActorLexicon::hints: region {region:?} is not valid for the text");
        self.hints_with(&self.scan(text, region))
    }

    /// [`hints`](Self::hints) of the scan's text and region; keep the scan for
    /// [`recognize_with`](Self::recognize_with).
    #[must_use]
    pub fn hints_with(&self, scan: &ActorScan<'_>) -> Vec<ActorHit> {
        let (text, region) = (scan.text, scan.region);
        let mut hits = self.read(scan::Scanner::for_hints(self, text, region), text, region, Some(scan));
        hits.retain(|h| {
            h.country.is_some()
                && match h.kind {
                    ActorKind::Group | ActorKind::StateForce => true,
                    ActorKind::Collective => h.inter == Inter::IdentityMilitias,
                    ActorKind::Person { .. } => false,
                }
        });
        hits
    }

    /// The ACLED name of a state actor: `state_actor(Branch::Police, "KE", Some(2016))` is
    /// "Police Forces of Kenya (2013-)". `None` for an unknown country code.
    #[must_use]
    pub fn state_actor(&self, branch: Branch, country: &str, year: Option<i16>) -> Option<String> {
        let c = self.tables.country_index(country)?;
        Some(self.state_name(branch, c, year, None))
    }

    /// `"<label> (<country name>)"`, as ACLED names collectives: `collective("Civilians", Some("SO"))` is
    /// "Civilians (Somalia)"; the bare label for no or an unknown country.
    #[must_use]
    pub fn collective(&self, label: &str, country: Option<&str>) -> String {
        let c = country.and_then(|c| self.tables.country_index(c));
        self.collective_name(label, c)
    }

    /// The name ACLED gives a country code ("CD" → "Democratic Republic of Congo").
    #[must_use]
    pub fn country_name(&self, code: &str) -> Option<&str> {
        self.tables.country_index(code).map(|c| self.tables.countries[c].name.as_str())
    }

    /// The code of a country named by its ACLED name, another name or a nationality word
    /// ("Democratic Republic of Congo", "DRC", "Congolese" → "CD"); ASCII case-insensitive.
    #[must_use]
    pub fn country_code(&self, name: &str) -> Option<&str> {
        self.tables.country_by_name(name).map(|c| self.tables.country_iso(c))
    }

    /// How many entries each table holds.
    #[must_use]
    pub fn stats(&self) -> LexiconStats {
        LexiconStats { patterns: self.compiled.pattern_count(), ..self.tables.stats() }
    }

    fn state_name(&self, branch: Branch, c: usize, year: Option<i16>, unit: Option<&str>) -> String {
        let country = &self.tables.countries[c];
        let of = if country.forces.is_empty() { &country.name } else { &country.forces };
        let mut name = match branch {
            Branch::Military => format!("Military Forces of {of}"),
            Branch::Police => format!("Police Forces of {of}"),
            Branch::Government => format!("Government of {of}"),
        };
        if let Some(year) = year
            && let Some((from, to)) = self.tables.regime(c, year)
        {
            name.push(' ');
            name.push_str(&self.period(from, to, Some(year)));
        }
        if let Some(unit) = unit.filter(|u| !u.is_empty()) {
            name.push(' ');
            name.push_str(unit);
        }
        name
    }

    /// "(2014-)" or "(2014-2018)" for a period, in the lexicon's style as of `year`.
    fn period(&self, from: Option<i16>, to: Option<i16>, year: Option<i16>) -> String {
        let from = from.map(|y| y.to_string()).unwrap_or_default();
        let closed = match (self.style, year) {
            (PeriodStyle::AsOfEventYear, Some(_)) => None,
            _ => to,
        };
        match closed {
            Some(to) => format!("({from}-{to})"),
            None => format!("({from}-)"),
        }
    }

    fn collective_name(&self, label: &str, country: Option<usize>) -> String {
        match country {
            Some(c) if !label.contains('(') => format!("{label} ({})", self.tables.countries[c].name),
            _ => label.to_owned(),
        }
    }
}

impl fmt::Debug for ActorLexicon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActorLexicon").field("stats", &self.stats()).field("style", &self.style).finish()
    }
}
