//! The lexicon tables: TSV files parsed into typed rows, with errors that name file, line and field.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sitrep_model::Inter;

use super::{Branch, LexiconError, LexiconStats};

/// How an alias must be capitalised in text to match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CaseRule {
    /// Any case ("troops", "al-Shabaab").
    Any,
    /// The first letter in capitals ("Division", "Islamic State"); the rest any case.
    Capital,
    /// An acronym: as written, or capitalised for acronyms of 3+ letters ("ISIS", "Isis"; "IS" only).
    Acronym,
    /// Exactly as written (`=` prefix: "=JeM").
    Exact,
}

/// An alias cell entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Alias {
    pub text: String,
    pub case: CaseRule,
}

impl Alias {
    fn parse(cell: &str) -> Alias {
        if let Some(rest) = cell.strip_prefix('=') {
            return Alias { text: rest.to_owned(), case: CaseRule::Exact };
        }
        if let Some(rest) = cell.strip_prefix('^') {
            return Alias { text: rest.to_owned(), case: CaseRule::Capital };
        }
        let has_lower = cell.chars().any(char::is_lowercase);
        let has_upper = cell.chars().any(char::is_uppercase);
        let case = if !has_lower && has_upper && cell.chars().count() >= 2 {
            CaseRule::Acronym
        } else if cell.chars().next().is_some_and(char::is_uppercase) {
            CaseRule::Capital
        } else {
            CaseRule::Any
        };
        Alias { text: cell.to_owned(), case }
    }
}

/// Where a row came from, for errors found after loading.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    pub file: Arc<str>,
    pub line: usize,
}

impl Origin {
    fn error(&self, field: &str, message: impl Into<String>) -> LexiconError {
        LexiconError::new(&self.file, Some(self.line), Some(field), message)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct CountryRow {
    pub code: String,
    pub name: String,
    pub forces: String,
    pub demonyms: Vec<Alias>,
    pub aliases: Vec<Alias>,
    pub parent: String,
    /// Resolved `parent` (or self).
    pub iso: usize,
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub(crate) struct RegimeRow {
    pub code: String,
    pub country: usize,
    pub from: i16,
    pub to: Option<i16>,
    pub rank: u32,
    pub origin: Origin,
}

/// When a force word counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Needs {
    Nothing,
    Ordinal,
    Nationality,
    Local,
    /// Like `Local`, and also where the document's country is not known: national acronyms that
    /// mean little else in the news ("SAF" is Sudan's army).
    Home,
    Noun,
}

#[derive(Clone, Debug)]
pub(crate) struct ForceRow {
    pub alias: Alias,
    pub branch: Branch,
    pub unit: String,
    pub country_codes: Vec<String>,
    pub countries: Vec<usize>,
    pub needs: Needs,
    pub rank: u32,
    pub origin: Origin,
}

/// A group's name: text (maybe with `{period}`), or a state actor.
#[derive(Clone, Debug)]
pub(crate) enum GroupName {
    Text { text: String, period: bool },
    State { branch: Branch, code: String, country: usize },
}

#[derive(Clone, Debug)]
pub(crate) struct GroupRow {
    pub name: GroupName,
    pub inter: Inter,
    pub country_code: String,
    pub country: Option<usize>,
    pub from: Option<i16>,
    pub to: Option<i16>,
    pub where_codes: Vec<String>,
    pub where_: Vec<usize>,
    pub aliases: Vec<Alias>,
    pub contingent_codes: Vec<String>,
    pub contingents: Vec<usize>,
    /// Place names, one of which the text must name for the row to apply ("Sirte").
    pub near: Vec<String>,
    pub rank: u32,
    pub origin: Origin,
}

impl GroupRow {
    pub fn valid_in(&self, year: Option<i16>) -> bool {
        year.is_none_or(|y| self.from.is_none_or(|f| f <= y) && self.to.is_none_or(|t| y <= t))
    }
}

#[derive(Clone, Debug)]
pub(crate) struct EthnicRow {
    pub name: String,
    pub country_codes: Vec<String>,
    pub countries: Vec<usize>,
    pub kind: String,
    pub aliases: Vec<Alias>,
    pub rank: u32,
    pub origin: Origin,
}

/// What a collective noun names on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    /// "<label> (<country>)".
    Plain(String),
    /// The one named armed group, else "<fallback> (<country>)" when given.
    Anaphor(Option<String>),
    /// Nothing: a head word that only joins.
    Nothing,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Joins {
    pub member: bool,
    pub ethnic: bool,
    pub nationality: bool,
    pub only: bool,
    pub the: bool,
    pub noun: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct NounRow {
    pub alias: Alias,
    pub label: Label,
    pub inter: Inter,
    pub joins: Joins,
    pub rank: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RoleKind {
    Title,
    Role,
    Modifier,
}

#[derive(Clone, Debug)]
pub(crate) struct RoleRow {
    pub alias: Alias,
    pub role: String,
    pub inter: Option<Inter>,
    pub kind: RoleKind,
    pub rank: u32,
}

/// All lexicon rows, in load order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tables {
    pub countries: Vec<CountryRow>,
    pub regimes: Vec<RegimeRow>,
    pub forces: Vec<ForceRow>,
    pub groups: Vec<GroupRow>,
    pub ethnic: Vec<EthnicRow>,
    pub nouns: Vec<NounRow>,
    pub roles: Vec<RoleRow>,
    pub name_stops: HashSet<String>,
    /// `name_stops` in lower case: function words, after which a `noun` force word still counts.
    pub function_words: HashSet<String>,
    /// Per country: its `regimes` rows, from the highest-ranked file that gives any.
    regimes_of: Vec<Vec<usize>>,
    /// Groups with contingents (multinational missions).
    pub missions: Vec<usize>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    ranks: u32,
}

const HEADERS: &[(&str, &[&str])] = &[
    ("countries", &["code", "name", "forces", "demonyms", "aliases", "parent"]),
    ("regimes", &["code", "from", "to"]),
    ("forces", &["alias", "branch", "unit", "countries", "needs"]),
    ("groups", &["name", "inter", "country", "from", "to", "where", "aliases", "contingents", "near"]),
    // The same table without the optional last column.
    ("groups", &["name", "inter", "country", "from", "to", "where", "aliases", "contingents"]),
    ("ethnic", &["name", "countries", "kind", "aliases"]),
    ("collectives", &["alias", "label", "inter", "joins"]),
    ("roles", &["alias", "role", "inter", "kind"]),
    ("name-stops", &["word"]),
];

/// One data row being parsed: its cells by column name, and where it is.
struct Row<'a> {
    file: &'a str,
    line: usize,
    columns: &'static [&'static str],
    cells: Vec<&'a str>,
}

impl<'a> Row<'a> {
    /// The cell of a column; empty for an optional column the file's header leaves out.
    fn get(&self, field: &str) -> &'a str {
        let Some(i) = self.columns.iter().position(|c| *c == field) else { return "" };
        self.cells.get(i).copied().unwrap_or("").trim()
    }

    fn error(&self, field: &str, message: impl Into<String>) -> LexiconError {
        LexiconError::new(self.file, Some(self.line), Some(field), message)
    }

    fn required(&self, field: &str) -> Result<&'a str, LexiconError> {
        let v = self.get(field);
        if v.is_empty() { Err(self.error(field, "must not be empty")) } else { Ok(v) }
    }

    fn inter(&self, field: &str) -> Result<Inter, LexiconError> {
        let v = self.get(field);
        v.parse::<u8>()
            .ok()
            .and_then(Inter::from_code)
            .ok_or_else(|| self.error(field, format!("expected 1-8, got {}", if v.is_empty() { "nothing" } else { v })))
    }

    fn year(&self, field: &str) -> Result<Option<i16>, LexiconError> {
        let v = self.get(field);
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<i16>() {
            Ok(y) if (1900..=2100).contains(&y) => Ok(Some(y)),
            _ => Err(self.error(field, format!("expected a year (1900-2100) or nothing, got {v}"))),
        }
    }

    fn list(&self, field: &str) -> Result<Vec<&'a str>, LexiconError> {
        let v = self.get(field);
        if v.is_empty() {
            return Ok(Vec::new());
        }
        let items: Vec<&str> = v.split('|').map(str::trim).collect();
        if items.iter().any(|s| s.is_empty()) {
            return Err(self.error(field, format!("empty entry in `|`-separated list {v:?}")));
        }
        Ok(items)
    }

    fn aliases(&self, field: &str) -> Result<Vec<Alias>, LexiconError> {
        let items = self.list(field)?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let alias = Alias::parse(item);
            if !alias.text.starts_with(char::is_alphanumeric) || alias.text.len() < 2 {
                return Err(
                    self.error(field, format!("alias {item:?} must start with a letter or digit and be 2+ bytes"))
                );
            }
            out.push(alias);
        }
        Ok(out)
    }

    fn alias(&self, field: &str) -> Result<Alias, LexiconError> {
        let v = self.required(field)?;
        let mut list = self.aliases(field)?;
        if list.len() != 1 {
            return Err(self.error(field, format!("expected one alias, got {v:?}")));
        }
        Ok(list.remove(0))
    }

    fn codes(&self, field: &str) -> Result<Vec<String>, LexiconError> {
        Ok(self.list(field)?.into_iter().map(str::to_ascii_uppercase).collect())
    }

    fn origin(&self) -> Origin {
        Origin { file: Arc::from(self.file), line: self.line }
    }
}

impl Tables {
    /// The rank the next user file gets (built-in files have rank 0).
    pub fn next_rank(&mut self) -> u32 {
        self.ranks += 1;
        self.ranks
    }

    /// Parses one lexicon file (any table, told by its header row) and appends its rows.
    pub fn load(&mut self, file: &str, text: &str, rank: u32) -> Result<(), LexiconError> {
        let mut columns: Option<(&str, &'static [&'static str])> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = raw.trim_end_matches(['\r', '\n']).split('\t').collect();
            let Some((table, cols)) = columns else {
                let header: Vec<&str> = cells.iter().map(|c| c.trim()).collect();
                let found = HEADERS.iter().find(|(_, cols)| *cols == header.as_slice());
                let Some(&(table, cols)) = found else {
                    let known: Vec<String> = HEADERS.iter().map(|(t, c)| format!("{t}: {}", c.join(" "))).collect();
                    return Err(LexiconError::new(
                        file,
                        Some(line),
                        None,
                        format!(
                            "the first row must be a header naming the columns, tab-separated; got {:?}; known headers: {}",
                            trimmed,
                            known.join("; ")
                        ),
                    ));
                };
                columns = Some((table, cols));
                continue;
            };
            if cells.len() > cols.len() {
                return Err(LexiconError::new(
                    file,
                    Some(line),
                    None,
                    format!("{} fields, but the {table} table has {} ({})", cells.len(), cols.len(), cols.join(", ")),
                ));
            }
            let row = Row { file, line, columns: cols, cells };
            match table {
                "countries" => self.country(&row)?,
                "regimes" => self.regime_row(&row, rank)?,
                "forces" => self.force(&row, rank)?,
                "groups" => self.group(&row, rank)?,
                "ethnic" => self.ethnic_row(&row, rank)?,
                "collectives" => self.noun(&row, rank)?,
                "roles" => self.role(&row, rank)?,
                _ => {
                    let word = row.required("word")?;
                    self.name_stops.insert(word.to_owned());
                    self.function_words.insert(word.to_lowercase());
                }
            }
        }
        if columns.is_none() {
            return Err(LexiconError::new(file, None, None, "no header row: the file holds no table"));
        }
        Ok(())
    }

    fn country(&mut self, row: &Row<'_>) -> Result<(), LexiconError> {
        let code = row.required("code")?.to_ascii_uppercase();
        if !code.chars().all(|c| c.is_ascii_alphabetic()) || !(2..=3).contains(&code.len()) {
            return Err(
                row.error("code", format!("expected a 2-letter ISO code (or 3 letters for a region), got {code}"))
            );
        }
        let parent = row.get("parent").to_ascii_uppercase();
        let r = CountryRow {
            code: code.clone(),
            name: row.required("name")?.to_owned(),
            forces: row.get("forces").to_owned(),
            demonyms: row.aliases("demonyms")?,
            aliases: row.aliases("aliases")?,
            parent,
            iso: 0,
            origin: row.origin(),
        };
        if code.len() == 3 && r.parent.is_empty() {
            return Err(row.error("parent", format!("a 3-letter code ({code}) is a region and needs a parent country")));
        }
        match self.by_code.get(&code) {
            Some(&i) => self.countries[i] = r,
            None => {
                self.by_code.insert(code, self.countries.len());
                self.countries.push(r);
            }
        }
        Ok(())
    }

    fn regime_row(&mut self, row: &Row<'_>, rank: u32) -> Result<(), LexiconError> {
        let from = row.year("from")?.ok_or_else(|| row.error("from", "must not be empty"))?;
        let to = row.year("to")?;
        if to.is_some_and(|t| t < from) {
            return Err(row.error("to", format!("ends ({}) before it starts ({from})", to.unwrap_or(from))));
        }
        self.regimes.push(RegimeRow {
            code: row.required("code")?.to_ascii_uppercase(),
            country: 0,
            from,
            to,
            rank,
            origin: row.origin(),
        });
        Ok(())
    }

    fn force(&mut self, row: &Row<'_>, rank: u32) -> Result<(), LexiconError> {
        let branch = match row.required("branch")? {
            "military" => Branch::Military,
            "police" => Branch::Police,
            "government" => Branch::Government,
            other => return Err(row.error("branch", format!("expected military, police or government, got {other}"))),
        };
        let needs = match row.get("needs") {
            "" => Needs::Nothing,
            "ordinal" => Needs::Ordinal,
            "nationality" => Needs::Nationality,
            "local" => Needs::Local,
            "home" => Needs::Home,
            "noun" => Needs::Noun,
            other => {
                return Err(row.error(
                    "needs",
                    format!("expected nothing, ordinal, nationality, local, home or noun, got {other}"),
                ));
            }
        };
        let country_codes = row.codes("countries")?;
        if matches!(needs, Needs::Local | Needs::Home) && country_codes.is_empty() {
            return Err(row.error("needs", "`local` and `home` need the countries where the alias is used"));
        }
        self.forces.push(ForceRow {
            alias: row.alias("alias")?,
            branch,
            unit: row.get("unit").to_owned(),
            country_codes,
            countries: Vec::new(),
            needs,
            rank,
            origin: row.origin(),
        });
        Ok(())
    }

    fn group(&mut self, row: &Row<'_>, rank: u32) -> Result<(), LexiconError> {
        let raw = row.required("name")?;
        let name = parse_group_name(raw).map_err(|m| row.error("name", m))?;
        let (from, to) = (row.year("from")?, row.year("to")?);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(row.error("to", format!("ends ({t}) before it starts ({f})")));
        }
        if let GroupName::Text { period: true, .. } = name
            && from.is_none()
        {
            return Err(row.error("from", "a name with {period} needs a `from` year"));
        }
        let aliases = row.aliases("aliases")?;
        if aliases.is_empty() {
            return Err(row.error("aliases", "must not be empty"));
        }
        self.groups.push(GroupRow {
            name,
            inter: row.inter("inter")?,
            country_code: row.get("country").to_ascii_uppercase(),
            country: None,
            from,
            to,
            where_codes: row.codes("where")?,
            where_: Vec::new(),
            aliases,
            contingent_codes: row.codes("contingents")?,
            contingents: Vec::new(),
            near: row.get("near").split('|').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect(),
            rank,
            origin: row.origin(),
        });
        Ok(())
    }

    fn ethnic_row(&mut self, row: &Row<'_>, rank: u32) -> Result<(), LexiconError> {
        let kind = row.required("kind")?;
        if !["Ethnic", "Clan", "Tribal", "Communal"].contains(&kind) {
            return Err(row.error("kind", format!("expected Ethnic, Clan, Tribal or Communal, got {kind}")));
        }
        let country_codes = row.codes("countries")?;
        if country_codes.is_empty() {
            return Err(row.error("countries", "must not be empty"));
        }
        let aliases = row.aliases("aliases")?;
        if aliases.is_empty() {
            return Err(row.error("aliases", "must not be empty"));
        }
        self.ethnic.push(EthnicRow {
            name: row.required("name")?.to_owned(),
            country_codes,
            countries: Vec::new(),
            kind: kind.to_owned(),
            aliases,
            rank,
            origin: row.origin(),
        });
        Ok(())
    }

    fn noun(&mut self, row: &Row<'_>, rank: u32) -> Result<(), LexiconError> {
        let label = match row.required("label")? {
            "-" => Label::Nothing,
            "@" => Label::Anaphor(None),
            l => match l.strip_prefix('@') {
                Some(fallback) => Label::Anaphor(Some(fallback.trim().to_owned())),
                None => Label::Plain(l.to_owned()),
            },
        };
        let mut joins = Joins::default();
        for j in row.list("joins")? {
            match j {
                "member" => joins.member = true,
                "ethnic" => joins.ethnic = true,
                "nationality" => joins.nationality = true,
                "only" => joins.only = true,
                "the" => joins.the = true,
                "noun" => joins.noun = true,
                other => {
                    return Err(row.error(
                        "joins",
                        format!("expected member, ethnic, nationality, only, the or noun, got {other}"),
                    ));
                }
            }
        }
        self.nouns.push(NounRow { alias: row.alias("alias")?, label, inter: row.inter("inter")?, joins, rank });
        Ok(())
    }

    fn role(&mut self, row: &Row<'_>, rank: u32) -> Result<(), LexiconError> {
        let kind = match row.required("kind")? {
            "title" => RoleKind::Title,
            "role" => RoleKind::Role,
            "modifier" => RoleKind::Modifier,
            other => return Err(row.error("kind", format!("expected title, role or modifier, got {other}"))),
        };
        let inter =
            if kind == RoleKind::Modifier && row.get("inter").is_empty() { None } else { Some(row.inter("inter")?) };
        self.roles.push(RoleRow {
            alias: row.alias("alias")?,
            role: row.required("role")?.to_owned(),
            inter,
            kind,
            rank,
        });
        Ok(())
    }

    /// Resolves country codes to indices and checks references. Call after every load.
    pub fn resolve(&mut self) -> Result<(), LexiconError> {
        let by_code = &self.by_code;
        let find = |code: &str, origin: &Origin, field: &str| -> Result<usize, LexiconError> {
            by_code.get(code).copied().ok_or_else(|| origin.error(field, format!("unknown country code {code}")))
        };
        let mut isos = Vec::with_capacity(self.countries.len());
        for (i, c) in self.countries.iter().enumerate() {
            isos.push(if c.parent.is_empty() { i } else { find(&c.parent, &c.origin, "parent")? });
        }
        for (c, iso) in self.countries.iter_mut().zip(isos) {
            c.iso = iso;
        }
        for r in &mut self.regimes {
            r.country = find(&r.code, &r.origin, "code")?;
        }
        for f in &mut self.forces {
            f.countries = f.country_codes.iter().map(|c| find(c, &f.origin, "countries")).collect::<Result<_, _>>()?;
        }
        for g in &mut self.groups {
            g.country =
                if g.country_code.is_empty() { None } else { Some(find(&g.country_code, &g.origin, "country")?) };
            g.where_ = g.where_codes.iter().map(|c| find(c, &g.origin, "where")).collect::<Result<_, _>>()?;
            g.contingents =
                g.contingent_codes.iter().map(|c| find(c, &g.origin, "contingents")).collect::<Result<_, _>>()?;
            if let GroupName::State { code, country, .. } = &mut g.name {
                *country = find(code, &g.origin, "name")?;
            }
        }
        for e in &mut self.ethnic {
            e.countries = e.country_codes.iter().map(|c| find(c, &e.origin, "countries")).collect::<Result<_, _>>()?;
        }
        let mut regimes_of = vec![Vec::new(); self.countries.len()];
        for (i, r) in self.regimes.iter().enumerate() {
            regimes_of[r.country].push(i);
        }
        for list in &mut regimes_of {
            let top = list.iter().map(|&i| self.regimes[i].rank).max().unwrap_or(0);
            list.retain(|&i| self.regimes[i].rank == top);
        }
        self.regimes_of = regimes_of;
        self.missions = (0..self.groups.len()).filter(|&g| !self.groups[g].contingents.is_empty()).collect();
        let mut by_name = HashMap::new();
        for (i, c) in self.countries.iter().enumerate() {
            for n in std::iter::once(c.name.as_str())
                .chain(c.aliases.iter().map(|a| a.text.as_str()))
                .chain(c.demonyms.iter().map(|a| a.text.as_str()))
                .chain(std::iter::once(c.code.as_str()))
            {
                by_name.entry(n.to_ascii_lowercase()).or_insert(i);
            }
        }
        self.by_name = by_name;
        Ok(())
    }

    pub fn country_index(&self, code: &str) -> Option<usize> {
        self.by_code.get(&code.trim().to_ascii_uppercase()).copied()
    }

    pub fn country_by_name(&self, name: &str) -> Option<usize> {
        self.by_name.get(&name.trim().to_ascii_lowercase()).copied()
    }

    /// The ISO code an actor of country `c` reports (a region reports its parent's).
    pub fn country_iso(&self, c: usize) -> &str {
        &self.countries[self.countries[c].iso].code
    }

    /// The government period of country `c` in `year`: the latest-starting period holding the year,
    /// from the highest-ranked file that gives periods for the country.
    pub fn regime(&self, c: usize, year: i16) -> Option<(Option<i16>, Option<i16>)> {
        self.regimes_of[c]
            .iter()
            .map(|&i| &self.regimes[i])
            .filter(|r| r.from <= year && r.to.is_none_or(|t| year <= t))
            .max_by_key(|r| r.from)
            .map(|r| (Some(r.from), r.to))
    }

    pub fn stats(&self) -> LexiconStats {
        LexiconStats {
            countries: self.countries.len(),
            regimes: self.regimes.len(),
            forces: self.forces.len(),
            groups: self.groups.len(),
            ethnic: self.ethnic.len(),
            collectives: self.nouns.len(),
            roles: self.roles.len(),
            patterns: 0,
        }
    }
}

fn parse_group_name(raw: &str) -> Result<GroupName, String> {
    if let Some(inner) = raw.strip_prefix('{').and_then(|r| r.strip_suffix('}'))
        && let Some((kind, code)) = inner.split_once(':')
    {
        let branch = match kind {
            "military" => Branch::Military,
            "police" => Branch::Police,
            "government" => Branch::Government,
            other => return Err(format!("unknown template {{{other}:…}}: expected military, police or government")),
        };
        return Ok(GroupName::State { branch, code: code.trim().to_ascii_uppercase(), country: 0 });
    }
    let without = raw.replace("{period}", "");
    if without.contains('{') || without.contains('}') {
        return Err(format!(
            "{raw:?}: braces may only hold {{period}}, or the whole name may be {{military:XX}}, {{police:XX}} or {{government:XX}}"
        ));
    }
    Ok(GroupName::Text { text: raw.to_owned(), period: raw.contains("{period}") })
}
