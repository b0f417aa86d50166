//! ACLED events with their `NOTES` text (the 2016 Africa export, old taxonomy).
//!
//! Each row's `NOTES` is analysed as one plain-text document, and the
//! document's first event (the principal event) is compared with the row.
//!
//! Scoring conventions (printed at the top of the section):
//! - Publication date: the last day of the gold event's month. ACLED notes
//!   usually name the day ("On 29 December, …") but not the year; without a
//!   publication date nothing could be dated. This reveals the month and the
//!   year of the event to the engine but not the day, and dates written as
//!   weekdays ("on Thursday") resolve to the last such day of the month, so
//!   they are usually wrong: an honest lower bound for weekday-dated notes.
//! - Event type: the old type is mapped to today's (`taxonomy.md`): e.g.
//!   "Remote violence" accepts any Explosions/Remote violence sub-type,
//!   "Riots/Protests" any Protests or Riots sub-type, "Battle-No change of
//!   territory" only Armed clash. No event at all counts as wrong.
//! - Location: great-circle distance from the first event's location to the
//!   gold point; "within 25/100 km" is a share of all rows (no location = a
//!   miss); the median is over located rows. Country agreement compares ISO
//!   codes (gold country names mapped by `data/countries.tsv`); admin1
//!   agreement compares names loosely (case, diacritics, punctuation and words
//!   such as "state"/"province"/"region" ignored). Both are shares of all rows.
//! - Fatalities: the first event's count (0 when no event) against the gold,
//!   exact-match share and mean absolute error over all rows.
//! - Actor1: the first event's actor1 name against ACLED's, exactly, and
//!   loosely (case and the government-period suffix such as "(2015-)"
//!   ignored); inter1 compares the actor categories. Shares of all rows.
//! - Event date: exact day, and within 7 days; shares of all rows. Most
//!   notes name no date at all (about five in six of the 2016 set), so the
//!   same is also given over the rows whose note names a month ("On 5
//!   January", "Dec 12"): the rows where the day can be read from the text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;
use sitrep_model::{Date, DocumentRecord, EventType, SubEventType};
use unicode_normalization::UnicodeNormalization;

use crate::metrics::{f3, haversine_km, median, pct, ratio, round1, round4, table};
use crate::{Engine, EvalOptions, Evidence};

/// ACLED's event types before 2019.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OldType {
    /// Battle-No change of territory.
    BattleNoChange,
    /// Battle-Government regains territory.
    BattleGovernmentRegains,
    /// Battle-Non-state actor overtakes territory.
    BattleNonStateOvertakes,
    /// Remote violence.
    RemoteViolence,
    /// Violence against civilians.
    ViolenceAgainstCivilians,
    /// Riots/Protests.
    RiotsProtests,
    /// Non-violent transfer of territory.
    NonViolentTransfer,
    /// Headquarters or base established.
    HeadquartersEstablished,
    /// Strategic development.
    StrategicDevelopment,
}

impl OldType {
    const ALL: [(OldType, &'static str); 9] = [
        (OldType::BattleNoChange, "Battle-No change of territory"),
        (OldType::BattleGovernmentRegains, "Battle-Government regains territory"),
        (OldType::BattleNonStateOvertakes, "Battle-Non-state actor overtakes territory"),
        (OldType::RemoteViolence, "Remote violence"),
        (OldType::ViolenceAgainstCivilians, "Violence against civilians"),
        (OldType::RiotsProtests, "Riots/Protests"),
        (OldType::NonViolentTransfer, "Non-violent transfer of territory"),
        (OldType::HeadquartersEstablished, "Headquarters or base established"),
        (OldType::StrategicDevelopment, "Strategic development"),
    ];

    /// Parses ACLED's spelling (case-insensitive).
    #[must_use]
    pub fn parse(s: &str) -> Option<OldType> {
        let s = s.trim();
        OldType::ALL.iter().find(|(_, n)| n.eq_ignore_ascii_case(s)).map(|(t, _)| *t)
    }

    /// ACLED's spelling.
    #[must_use]
    pub fn name(self) -> &'static str {
        OldType::ALL.iter().find(|(t, _)| *t == self).map_or("", |(_, n)| n)
    }

    /// Whether today's sub-event type `t` is a right answer for this old type
    /// (the mapping in `taxonomy.md`).
    #[must_use]
    pub fn accepts(self, t: SubEventType) -> bool {
        use SubEventType as S;
        match self {
            OldType::BattleNoChange => t == S::ArmedClash,
            OldType::BattleGovernmentRegains => t == S::GovernmentRegainsTerritory,
            OldType::BattleNonStateOvertakes => t == S::NonStateActorOvertakesTerritory,
            OldType::RemoteViolence => t.event_type() == EventType::ExplosionsRemoteViolence,
            OldType::ViolenceAgainstCivilians => t.event_type() == EventType::ViolenceAgainstCivilians,
            OldType::RiotsProtests => matches!(t.event_type(), EventType::Protests | EventType::Riots),
            OldType::NonViolentTransfer => t == S::NonViolentTransfer,
            OldType::HeadquartersEstablished => t == S::HeadquartersEstablished,
            OldType::StrategicDevelopment => t.event_type() == EventType::StrategicDevelopments,
        }
    }
}

/// One gold event.
#[derive(Clone, Debug)]
pub struct AcledRow {
    /// 1-based line of the record in the file (header = line 1).
    pub line: u64,
    /// `EVENT_ID_CNTY`.
    pub id: String,
    /// `EVENT_DATE`.
    pub date: Date,
    /// `EVENT_TYPE`.
    pub event_type: OldType,
    /// `ACTOR1`.
    pub actor1: String,
    /// `INTER1`.
    pub inter1: Option<u8>,
    /// `COUNTRY`.
    pub country: String,
    /// `ADMIN1`.
    pub admin1: String,
    /// `LOCATION`.
    pub location: String,
    /// `LATITUDE`.
    pub latitude: f64,
    /// `LONGITUDE`.
    pub longitude: f64,
    /// `NOTES`: the text analysed.
    pub notes: String,
    /// `SOURCE`: the outlet(s) the event was coded from (empty when the column is absent).
    pub source: String,
    /// `FATALITIES`.
    pub fatalities: u32,
    /// The note names a month, so the day can be read from the text.
    pub states_date: bool,
}

/// Reads an ACLED CSV export. Rows that cannot be read are returned as
/// messages naming file, line and field, and left out.
pub fn load(path: &Path) -> anyhow::Result<(Vec<AcledRow>, Vec<String>)> {
    let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&raw, &path.display().to_string())
}

/// Parses CSV bytes; `name` is used in messages.
pub fn parse(raw: &[u8], name: &str) -> anyhow::Result<(Vec<AcledRow>, Vec<String>)> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(raw);
    let headers = rdr.headers().with_context(|| format!("{name}:1: cannot read the header"))?.clone();
    let col = |want: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(want));
    let need = [
        "EVENT_ID_CNTY",
        "EVENT_DATE",
        "EVENT_TYPE",
        "ACTOR1",
        "INTER1",
        "COUNTRY",
        "ADMIN1",
        "LOCATION",
        "LATITUDE",
        "LONGITUDE",
        "NOTES",
        "FATALITIES",
    ];
    let source_col = col("SOURCE");
    let mut idx = BTreeMap::new();
    for n in need {
        let i = col(n).with_context(|| format!("{name}:1: no column `{n}` in the header"))?;
        idx.insert(n, i);
    }
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                skipped.push(format!("{name}:{line}: {e}"));
                continue;
            }
        };
        let line = rec.position().map_or(0, csv::Position::line);
        let get = |n: &str| rec.get(idx[n]).unwrap_or("").trim();
        let row = (|| -> Result<AcledRow, String> {
            let field = |n: &str, msg: String| format!("{name}:{line}: field `{n}`: {msg}");
            let date = parse_dmy(get("EVENT_DATE"))
                .ok_or_else(|| field("EVENT_DATE", format!("expected dd/mm/yyyy, got {:?}", get("EVENT_DATE"))))?;
            let event_type = OldType::parse(get("EVENT_TYPE"))
                .ok_or_else(|| field("EVENT_TYPE", format!("unknown type {:?}", get("EVENT_TYPE"))))?;
            let num = |n: &str| -> Result<f64, String> {
                get(n).parse::<f64>().map_err(|_| field(n, format!("expected a number, got {:?}", get(n))))
            };
            let fatalities = get("FATALITIES")
                .parse::<u32>()
                .map_err(|_| field("FATALITIES", format!("expected a count, got {:?}", get("FATALITIES"))))?;
            Ok(AcledRow {
                line,
                id: get("EVENT_ID_CNTY").to_owned(),
                date,
                event_type,
                actor1: get("ACTOR1").to_owned(),
                inter1: get("INTER1").parse().ok(),
                country: get("COUNTRY").to_owned(),
                admin1: get("ADMIN1").to_owned(),
                location: get("LOCATION").to_owned(),
                latitude: num("LATITUDE")?,
                longitude: num("LONGITUDE")?,
                notes: rec.get(idx["NOTES"]).unwrap_or("").to_owned(),
                source: source_col.and_then(|i| rec.get(i)).unwrap_or("").trim().to_owned(),
                fatalities,
                states_date: names_a_month(rec.get(idx["NOTES"]).unwrap_or("")),
            })
        })();
        match row {
            Ok(r) => rows.push(r),
            Err(m) => skipped.push(m),
        }
    }
    Ok((rows, skipped))
}

/// True when `text` has a capitalised month name or abbreviation as a word.
fn names_a_month(text: &str) -> bool {
    const MONTHS: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    ];
    text.split(|c: char| !c.is_alphabetic()).any(|w| MONTHS.contains(&w))
}

fn parse_dmy(s: &str) -> Option<Date> {
    let mut it = s.split('/');
    let d: i8 = it.next()?.trim().parse().ok()?;
    let m: i8 = it.next()?.trim().parse().ok()?;
    let y: i16 = it.next()?.trim().parse().ok()?;
    if it.next().is_some() {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// The publication date the engine is given for a row (see the module docs).
#[must_use]
pub fn published_for(row: &AcledRow) -> Date {
    row.date.last_of_month()
}

/// Gold country name → ISO2, from `data/countries.tsv`.
fn country_iso(name: &str) -> Option<&'static str> {
    static TABLE: OnceLock<BTreeMap<String, &'static str>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut m = BTreeMap::new();
        for line in include_str!("../data/countries.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some((n, iso)) = line.split_once('\t') {
                m.insert(loose(n), iso.trim());
            }
        }
        m
    });
    table.get(&loose(name)).copied()
}

/// Lower case, diacritics dropped, only letters and digits kept.
fn loose(s: &str) -> String {
    s.nfd().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Admin names compared loosely: generic words dropped as well.
fn loose_admin(s: &str) -> String {
    const GENERIC: &[&str] =
        &["state", "province", "region", "governorate", "wilaya", "district", "county", "department", "prefecture"];
    let kept: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|w| !w.is_empty() && !GENERIC.iter().any(|g| g.eq_ignore_ascii_case(w)))
        .collect();
    loose(&kept.join(" "))
}

/// Actor names compared loosely: case and a trailing period "(2015-)" or
/// "(2012-2017)" ignored.
fn loose_actor(s: &str) -> String {
    let t = s.trim();
    let t = match t.rfind('(') {
        Some(i) if t.ends_with(')') && is_period(&t[i + 1..t.len() - 1]) => t[..i].trim_end(),
        _ => t,
    };
    t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn is_period(s: &str) -> bool {
    let (a, b) = s.split_once('-').unwrap_or((s, "x"));
    a.len() == 4
        && a.bytes().all(|c| c.is_ascii_digit())
        && (b.is_empty() || (b.len() == 4 && b.bytes().all(|c| c.is_ascii_digit())))
}

/// What the engine's first event said about one row.
#[derive(Clone, Debug, Default)]
struct Outcome {
    events: usize,
    sub: Option<SubEventType>,
    confidence: f32,
    evidence: Option<(u32, u32)>,
    km: Option<f64>,
    location: Option<String>,
    country_ok: bool,
    admin1_ok: bool,
    fatalities: u32,
    actor1: Option<String>,
    actor1_exact: bool,
    actor1_loose: bool,
    inter1_ok: bool,
    date: Option<Date>,
    date_days_off: Option<i64>,
    /// Place names recognised in the note.
    places: usize,
}

fn outcome(row: &AcledRow, rec: &DocumentRecord) -> Outcome {
    let Some(ev) = rec.events.first() else {
        return Outcome { places: rec.places.len(), ..Outcome::default() };
    };
    let mut o = Outcome {
        events: rec.events.len(),
        sub: Some(ev.sub_event_type),
        confidence: ev.confidence,
        evidence: Some((ev.evidence.start, ev.evidence.end)),
        fatalities: ev.fatalities,
        date: ev.event_date,
        places: rec.places.len(),
        ..Outcome::default()
    };
    if let Some(loc) = &ev.location {
        o.km = Some(haversine_km(loc.latitude, loc.longitude, row.latitude, row.longitude));
        o.location = Some(loc.name.clone());
        o.country_ok = match (country_iso(&row.country), loc.iso.as_deref()) {
            (Some(g), Some(p)) => g.eq_ignore_ascii_case(p),
            _ => loc.country.as_deref().is_some_and(|c| loose(c) == loose(&row.country)),
        };
        o.admin1_ok =
            !row.admin1.is_empty() && loc.admin1.as_deref().is_some_and(|a| loose_admin(a) == loose_admin(&row.admin1));
    }
    if let Some(a) = &ev.actor1 {
        o.actor1 = Some(a.name.clone());
        o.actor1_exact = a.name == row.actor1;
        o.actor1_loose = loose_actor(&a.name) == loose_actor(&row.actor1);
        o.inter1_ok = Some(a.inter.code()) == row.inter1;
    }
    o.date_days_off = ev.event_date.map(|d| (d.duration_since(row.date).as_hours() / 24).abs());
    o
}

/// The ACLED section of the report.
#[derive(Clone, Debug, Serialize)]
pub struct AcledReport {
    /// The file, relative to the eval directory.
    pub file: String,
    /// Rows scored.
    pub rows: usize,
    /// Rows that could not be read (file:line: field: why), at most 20.
    pub skipped: Vec<String>,
    /// Rows whose note got at least one event.
    pub coded: f64,
    /// Share of rows whose first event's type maps to the gold old type.
    pub event_type_accuracy: f64,
    /// Accuracy per old type.
    pub per_type: Vec<TypeRow>,
    /// The most frequent (gold old type → predicted type) mistakes.
    pub type_confusions: Vec<TypeConfusion>,
    /// Location scores.
    pub location: LocationScores,
    /// Fatality scores.
    pub fatalities: FatalityScores,
    /// Actor scores.
    pub actor1: ActorScores,
    /// Date scores.
    pub event_date: DateScores,
    /// The same scores with the notes analysed without their outlet (SOURCE), to show what
    /// the outlet's home-country hint adds.
    pub without_outlet: Option<OutletAblation>,
    /// The worst errors per field.
    pub worst: AcledWorst,
}

/// Scores of the run without outlets.
#[derive(Clone, Debug, Serialize)]
pub struct OutletAblation {
    /// Type accuracy.
    pub event_type_accuracy: f64,
    /// Within 25 km.
    pub within_25km: f64,
    /// Same country.
    pub country: f64,
    /// Actor1, loose.
    pub actor1_loose: f64,
}

/// Accuracy of one old type.
#[derive(Clone, Debug, Serialize)]
pub struct TypeRow {
    /// ACLED's old type name.
    pub old_type: &'static str,
    /// Rows with it.
    pub rows: u32,
    /// Rows typed right.
    pub correct: u32,
    /// `correct / rows`.
    pub accuracy: f64,
}

/// A (gold old type, predicted type) pair.
#[derive(Clone, Debug, Serialize)]
pub struct TypeConfusion {
    /// Old type.
    pub gold: &'static str,
    /// Predicted "Event type / Sub-event type", or `(none)`.
    pub predicted: String,
    /// Occurrences.
    pub count: u32,
}

/// Location scores (shares of all rows unless said otherwise).
#[derive(Clone, Debug, Serialize)]
pub struct LocationScores {
    /// Rows whose first event has a location.
    pub located: f64,
    /// Within 25 km of the gold point.
    pub within_25km: f64,
    /// Within 100 km.
    pub within_100km: f64,
    /// Median distance over located rows, km.
    pub median_km: Option<f64>,
    /// Same country.
    pub country: f64,
    /// Same admin1 (loosely).
    pub admin1: f64,
    /// Notes in which sitrep recognised no place name at all (a bound on what any
    /// location score can reach without other cues).
    pub no_place: f64,
}

/// Fatality scores over all rows.
#[derive(Clone, Debug, Serialize)]
pub struct FatalityScores {
    /// Exact match share.
    pub exact: f64,
    /// Mean absolute error.
    pub mae: f64,
    /// Rows with gold fatalities > 0.
    pub gold_nonzero: u32,
    /// Exact share among those rows.
    pub exact_nonzero: f64,
    /// What answering 0 for every row would score (the share of rows with 0 gold fatalities).
    pub zero_baseline: f64,
}

/// Actor1 scores over all rows.
#[derive(Clone, Debug, Serialize)]
pub struct ActorScores {
    /// Rows whose first event has an actor1.
    pub with_actor1: f64,
    /// Same name exactly.
    pub exact: f64,
    /// Same name ignoring case and the period suffix.
    pub loose: f64,
    /// Same inter code.
    pub inter1: f64,
}

/// Event date scores over all rows.
#[derive(Clone, Debug, Serialize)]
pub struct DateScores {
    /// Rows whose first event has a date.
    pub dated: f64,
    /// Same day.
    pub exact: f64,
    /// Within 7 days.
    pub within_7_days: f64,
    /// Rows whose note names a month.
    pub stated_rows: u32,
    /// Same day, among those rows.
    pub stated_exact: f64,
    /// Within 7 days, among those rows.
    pub stated_within_7_days: f64,
}

/// One row gone wrong.
#[derive(Clone, Debug, Serialize)]
pub struct AcledError {
    /// `EVENT_ID_CNTY`.
    pub id: String,
    /// Line in the file.
    pub line: u64,
    /// The gold value.
    pub gold: String,
    /// The engine's value.
    pub predicted: String,
    /// The engine's confidence in the first event.
    pub confidence: f64,
    /// The first event's evidence (the note's start when no event).
    pub evidence: Evidence,
}

/// The worst errors, per field.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AcledWorst {
    /// Wrong types, most confident first; then rows without events.
    pub event_type: Vec<AcledError>,
    /// Farthest locations first; then rows without a location.
    pub location: Vec<AcledError>,
    /// Largest fatality differences first.
    pub fatalities: Vec<AcledError>,
    /// Loose actor1 mismatches, most confident first.
    pub actor1: Vec<AcledError>,
    /// Dates farthest off first; then undated rows.
    pub event_date: Vec<AcledError>,
}

/// Runs the engine over the notes (in parallel) and scores them.
pub fn evaluate(path: &Path, rel: &str, engine: &dyn Engine, opts: &EvalOptions) -> anyhow::Result<AcledReport> {
    let (mut rows, skipped) = load(path)?;
    if let Some(n) = opts.limit {
        rows.truncate(n);
    }
    let run = |with_outlet: bool| -> Vec<Outcome> {
        rows.par_iter()
            .map(|r| {
                let outlet = (with_outlet && !r.source.is_empty()).then_some(r.source.as_str());
                let id = format!("acled-{}", r.id);
                outcome(r, &engine.analyze_report(&id, &r.notes, Some(published_for(r)), outlet))
            })
            .collect()
    };
    let mut report = score(rel, &rows, &run(true), skipped, opts);
    if rows.iter().any(|r| !r.source.is_empty()) {
        let plain = score(rel, &rows, &run(false), Vec::new(), opts);
        report.without_outlet = Some(OutletAblation {
            event_type_accuracy: plain.event_type_accuracy,
            within_25km: plain.location.within_25km,
            country: plain.location.country,
            actor1_loose: plain.actor1.loose,
        });
    }
    Ok(report)
}

fn type_name(t: Option<SubEventType>) -> String {
    t.map_or_else(|| "(none)".to_owned(), |t| format!("{} / {}", t.event_type().name(), t.name()))
}

fn score(rel: &str, rows: &[AcledRow], outs: &[Outcome], mut skipped: Vec<String>, opts: &EvalOptions) -> AcledReport {
    let n = rows.len() as u32;
    let count = |f: &dyn Fn(&AcledRow, &Outcome) -> bool| -> u32 {
        rows.iter().zip(outs).filter(|(r, o)| f(r, o)).count() as u32
    };
    let share = |f: &dyn Fn(&AcledRow, &Outcome) -> bool| round4(ratio(count(f), n));
    let type_ok = |r: &AcledRow, o: &Outcome| o.sub.is_some_and(|t| r.event_type.accepts(t));

    let mut per_type: BTreeMap<OldType, (u32, u32)> = BTreeMap::new();
    let mut confusions: BTreeMap<(OldType, String), u32> = BTreeMap::new();
    for (r, o) in rows.iter().zip(outs) {
        let e = per_type.entry(r.event_type).or_default();
        e.0 += 1;
        if type_ok(r, o) {
            e.1 += 1;
        } else {
            *confusions.entry((r.event_type, type_name(o.sub))).or_default() += 1;
        }
    }
    let mut type_confusions: Vec<TypeConfusion> = confusions
        .into_iter()
        .map(|((g, predicted), count)| TypeConfusion { gold: g.name(), predicted, count })
        .collect();
    type_confusions
        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| (a.gold, &a.predicted).cmp(&(b.gold, &b.predicted))));
    type_confusions.truncate(opts.confusions);

    let located_km: Vec<f64> = outs.iter().filter_map(|o| o.km).collect();
    let abs_err: u64 = rows.iter().zip(outs).map(|(r, o)| u64::from(r.fatalities.abs_diff(o.fatalities))).sum();
    let nonzero = count(&|r, _| r.fatalities > 0);

    let err = |r: &AcledRow, o: &Outcome, gold: String, predicted: String| -> AcledError {
        let (s, e) = o.evidence.unwrap_or((0, r.notes.len().min(200) as u32));
        AcledError {
            id: r.id.clone(),
            line: r.line,
            gold,
            predicted,
            confidence: round4(f64::from(o.confidence)),
            evidence: Evidence::new(&r.notes, s as usize, e as usize, opts.evidence_text),
        }
    };
    let pairs: Vec<(&AcledRow, &Outcome)> = rows.iter().zip(outs).collect();
    let worst_by = |keep: &dyn Fn(&AcledRow, &Outcome) -> bool,
                    key: &dyn Fn(&AcledRow, &Outcome) -> f64,
                    show: &dyn Fn(&AcledRow, &Outcome) -> AcledError| {
        let mut v: Vec<&(&AcledRow, &Outcome)> = pairs.iter().filter(|(r, o)| keep(r, o)).collect();
        v.sort_by(|a, b| key(b.0, b.1).total_cmp(&key(a.0, a.1)).then_with(|| a.0.line.cmp(&b.0.line)));
        v.into_iter().take(opts.worst).map(|(r, o)| show(r, o)).collect::<Vec<_>>()
    };
    let none_last = |x: Option<f64>| x.unwrap_or(-1.0);
    let worst = AcledWorst {
        event_type: worst_by(
            &|r, o| !type_ok(r, o),
            &|_, o| if o.sub.is_some() { f64::from(o.confidence) } else { -1.0 },
            &|r, o| err(r, o, r.event_type.name().to_owned(), type_name(o.sub)),
        ),
        location: worst_by(&|_, o| o.km.is_none_or(|k| k > 25.0), &|_, o| none_last(o.km), &|r, o| {
            let pred = match (&o.location, o.km) {
                (Some(l), Some(k)) => format!("{l} ({k:.0} km off)"),
                _ => "(no location)".to_owned(),
            };
            err(r, o, format!("{}, {}, {}", r.location, r.admin1, r.country), pred)
        }),
        fatalities: worst_by(
            &|r, o| r.fatalities != o.fatalities,
            &|r, o| f64::from(r.fatalities.abs_diff(o.fatalities)),
            &|r, o| err(r, o, r.fatalities.to_string(), o.fatalities.to_string()),
        ),
        actor1: worst_by(&|_, o| o.sub.is_some() && !o.actor1_loose, &|_, o| f64::from(o.confidence), &|r, o| {
            err(r, o, r.actor1.clone(), o.actor1.clone().unwrap_or_else(|| "(none)".to_owned()))
        }),
        event_date: worst_by(
            &|_, o| o.date_days_off != Some(0),
            &|_, o| none_last(o.date_days_off.map(|d| d as f64)),
            &|r, o| err(r, o, r.date.to_string(), o.date.map_or_else(|| "(none)".to_owned(), |d| d.to_string())),
        ),
    };

    skipped.truncate(20);
    AcledReport {
        file: rel.to_owned(),
        rows: rows.len(),
        skipped,
        coded: share(&|_, o| o.events > 0),
        event_type_accuracy: share(&type_ok),
        per_type: per_type
            .into_iter()
            .map(|(t, (rows, correct))| TypeRow {
                old_type: t.name(),
                rows,
                correct,
                accuracy: round4(ratio(correct, rows)),
            })
            .collect(),
        type_confusions,
        location: LocationScores {
            located: share(&|_, o| o.km.is_some()),
            within_25km: share(&|_, o| o.km.is_some_and(|k| k <= 25.0)),
            within_100km: share(&|_, o| o.km.is_some_and(|k| k <= 100.0)),
            median_km: median(&located_km).map(round1),
            country: share(&|_, o| o.country_ok),
            admin1: share(&|_, o| o.admin1_ok),
            no_place: share(&|_, o| o.places == 0),
        },
        fatalities: FatalityScores {
            exact: share(&|r, o| r.fatalities == o.fatalities),
            mae: if n == 0 { 0.0 } else { round4(abs_err as f64 / f64::from(n)) },
            gold_nonzero: nonzero,
            exact_nonzero: round4(ratio(count(&|r, o| r.fatalities > 0 && r.fatalities == o.fatalities), nonzero)),
            zero_baseline: round4(ratio(n - nonzero, n)),
        },
        actor1: ActorScores {
            with_actor1: share(&|_, o| o.actor1.is_some()),
            exact: share(&|_, o| o.actor1_exact),
            loose: share(&|_, o| o.actor1_loose),
            inter1: share(&|_, o| o.inter1_ok),
        },
        event_date: DateScores {
            dated: share(&|_, o| o.date.is_some()),
            exact: share(&|_, o| o.date_days_off == Some(0)),
            within_7_days: share(&|_, o| o.date_days_off.is_some_and(|d| d <= 7)),
            stated_rows: count(&|r, _| r.states_date),
            stated_exact: round4(ratio(
                count(&|r, o| r.states_date && o.date_days_off == Some(0)),
                count(&|r, _| r.states_date),
            )),
            stated_within_7_days: round4(ratio(
                count(&|r, o| r.states_date && o.date_days_off.is_some_and(|d| d <= 7)),
                count(&|r, _| r.states_date),
            )),
        },
        without_outlet: None,
        worst,
    }
}

impl AcledReport {
    /// The section as Markdown.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "## ACLED 2016 events from their notes (`{}`)\n", self.file);
        s.push_str(
            "Each row's NOTES is one plain-text document, published on the last day of the gold event's month \
             (reveals month and year, not the day); its first event is compared with the row. Old types map to \
             today's as in `taxonomy.md`; no event counts as wrong. Shares are of all rows: a missing location, \
             actor or date is a miss; the median distance is over located rows. Country: ISO codes; admin1: \
             names compared loosely. Fatalities: the first event's count (0 when no event). Actor1: exact, and \
             loose (case and the \"(2015-)\" period suffix ignored). Dates: most notes name no day, so date \
             accuracy is also given over the rows whose note names a month.\n\n",
        );
        if !self.skipped.is_empty() {
            let _ = writeln!(s, "Rows left out ({}):\n", self.skipped.len());
            for m in &self.skipped {
                let _ = writeln!(s, "- {m}");
            }
            s.push('\n');
        }
        table(
            &mut s,
            &["rows", "coded", "type acc.", "≤25 km", "≤100 km", "median km", "country", "admin1"],
            &[vec![
                self.rows.to_string(),
                pct(self.coded),
                f3(self.event_type_accuracy),
                pct(self.location.within_25km),
                pct(self.location.within_100km),
                self.location.median_km.map_or_else(|| "–".to_owned(), |k| format!("{k:.1}")),
                pct(self.location.country),
                pct(self.location.admin1),
            ]],
        );
        table(
            &mut s,
            &[
                "fatal. exact",
                "(all-0 baseline)",
                "fatal. MAE",
                "exact where gold > 0",
                "actor1 exact",
                "actor1 loose",
                "inter1",
                "date exact",
                "date ±7 d",
                "date exact where the note names a month",
            ],
            &[vec![
                pct(self.fatalities.exact),
                pct(self.fatalities.zero_baseline),
                format!("{:.2}", self.fatalities.mae),
                format!("{} of {}", pct(self.fatalities.exact_nonzero), self.fatalities.gold_nonzero),
                pct(self.actor1.exact),
                pct(self.actor1.loose),
                pct(self.actor1.inter1),
                pct(self.event_date.exact),
                pct(self.event_date.within_7_days),
                format!("{} of {}", pct(self.event_date.stated_exact), self.event_date.stated_rows),
            ]],
        );
        let _ = writeln!(
            s,
            "Each note is analysed with its row's SOURCE as the report's outlet (metadata a real report carries; \
             `lexicons/outlets.tsv` maps outlets to the country they cover, a weak hint of where the report is). \
             sitrep recognised no place name at all in {} of the notes.\n",
            pct(self.location.no_place)
        );
        if let Some(a) = &self.without_outlet {
            let _ = writeln!(
                s,
                "Without the outlet: type {} · ≤25 km {} · country {} · actor1 loose {}.\n",
                f3(a.event_type_accuracy),
                pct(a.within_25km),
                pct(a.country),
                pct(a.actor1_loose)
            );
        }
        s.push_str("### Event type accuracy per old type\n\n");
        let rows: Vec<Vec<String>> = self
            .per_type
            .iter()
            .map(|t| vec![t.old_type.to_owned(), t.rows.to_string(), t.correct.to_string(), f3(t.accuracy)])
            .collect();
        table(&mut s, &["old type", "rows", "correct", "accuracy"], &rows);
        s.push_str("### Most frequent type confusions\n\n");
        let rows: Vec<Vec<String>> = self
            .type_confusions
            .iter()
            .map(|c| vec![c.gold.to_owned(), c.predicted.clone(), c.count.to_string()])
            .collect();
        table(&mut s, &["gold (old type)", "predicted", "count"], &rows);
        for (title, errs) in [
            ("event type (confident mistakes first)", &self.worst.event_type),
            ("location (farthest first)", &self.worst.location),
            ("fatalities (largest difference first)", &self.worst.fatalities),
            ("actor1 (confident mistakes first)", &self.worst.actor1),
            ("event date (farthest first)", &self.worst.event_date),
        ] {
            let _ = writeln!(s, "### Worst errors: {title}\n");
            let rows: Vec<Vec<String>> = errs
                .iter()
                .map(|e| {
                    vec![
                        format!("{} (line {})", e.id, e.line),
                        e.gold.clone(),
                        e.predicted.clone(),
                        format!("{:.2}", e.confidence),
                        e.evidence.markdown(),
                    ]
                })
                .collect();
            table(&mut s, &["row", "gold", "predicted", "conf.", "evidence"], &rows);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_types_map_as_the_taxonomy_says() {
        use SubEventType as S;
        assert!(OldType::RemoteViolence.accepts(S::AirDroneStrike));
        assert!(OldType::RemoteViolence.accepts(S::RemoteExplosive));
        assert!(!OldType::RemoteViolence.accepts(S::ArmedClash));
        assert!(OldType::RiotsProtests.accepts(S::PeacefulProtest));
        assert!(OldType::RiotsProtests.accepts(S::MobViolence));
        assert!(!OldType::BattleNoChange.accepts(S::GovernmentRegainsTerritory));
        assert!(OldType::StrategicDevelopment.accepts(S::Arrests));
        assert!(!OldType::StrategicDevelopment.accepts(S::CivilianFlight));
        assert_eq!(OldType::parse("battle-no change of territory"), Some(OldType::BattleNoChange));
        for (t, n) in OldType::ALL {
            assert_eq!(OldType::parse(n), Some(t));
            assert_eq!(t.name(), n);
        }
    }

    #[test]
    fn loose_comparisons() {
        assert_eq!(loose_actor("Military Forces of Nigeria (2015-)"), "military forces of nigeria");
        assert_eq!(loose_actor("Military Forces of Somalia (2012-2017)"), "military forces of somalia");
        assert_eq!(loose_actor("Protesters (Nigeria)"), "protesters (nigeria)");
        assert_eq!(loose_admin("Borno State"), loose_admin("Borno"));
        assert_eq!(loose_admin("Béja"), loose_admin("Beja"));
        assert_ne!(loose_admin("Lagos"), loose_admin("Kano"));
        assert_eq!(country_iso("Democratic Republic of Congo"), Some("CD"));
        assert_eq!(country_iso("ivory coast"), Some("CI"));
        assert_eq!(country_iso("Atlantis"), None);
        assert!(names_a_month("On 5 January, gunmen attacked"));
        assert!(names_a_month("relocated there on Dec 12."));
        assert!(!names_a_month("Residents may decide to march in Decatur."));
    }

    #[test]
    fn parse_reads_rows_and_reports_bad_ones() {
        let csv = "EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE,ACTOR1,INTER1,COUNTRY,ADMIN1,LOCATION,LATITUDE,LONGITUDE,NOTES,FATALITIES\n\
                   1NIG,05/01/2016,Remote violence,Boko Haram,2,Nigeria,Borno,Maiduguri,11.85,13.16,\"A bomb, they said.\",4\n\
                   2NIG,32/01/2016,Remote violence,Boko Haram,2,Nigeria,Borno,Maiduguri,11.85,13.16,x,4\n\
                   3NIG,05/01/2016,Battle,Boko Haram,2,Nigeria,Borno,Maiduguri,11.85,13.16,x,4\n";
        let (rows, skipped) = parse(csv.as_bytes(), "a.csv").unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].notes, "A bomb, they said.");
        assert_eq!(rows[0].date, Date::constant(2016, 1, 5));
        assert_eq!(published_for(&rows[0]), Date::constant(2016, 1, 31));
        assert_eq!(rows[0].line, 2);
        assert_eq!(
            skipped,
            [
                "a.csv:3: field `EVENT_DATE`: expected dd/mm/yyyy, got \"32/01/2016\"",
                "a.csv:4: field `EVENT_TYPE`: unknown type \"Battle\""
            ]
        );
        let err = parse(b"A,B\n1,2\n", "b.csv").unwrap_err().to_string();
        assert_eq!(err, "b.csv:1: no column `EVENT_ID_CNTY` in the header");
    }
}
