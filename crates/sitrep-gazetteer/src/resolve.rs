//! Resolution: choosing each mention's entry, the document's focus country, and event locations.
//!
//! Pass 1 scores every candidate by its prior (feature rank, population, own
//! name or alternate) and picks the best. The focus country is voted from
//! those picks (dateline ×3, title ×2, countries, demonyms, places). Pass 2
//! adds context: the focus country, "Kirkuk, Iraq" hierarchy, region cues
//! ("Nineveh province"), settlement cues ("the town of"), and closeness to
//! the other places of the report; mentions with the same key share one
//! decision (scores summed over the group; a hierarchy or region cue of one
//! mention — "Grantville, Pennsylvania", "Barrow County" — holds for all).
//! Readings of different names support each other: a county that holds a town
//! the report names, a town in a county it names, a town in a county or
//! province where other names have readings too (a county named after the town,
//! "City of Norfolk" with "Norfolk", is the same name, no support; a place named
//! only in a building's name, "Lawrence County Jail", is evidence too, never reported),
//! and a town name's reading within 50 km of a reading of another name ("Richmond"
//! and "Berea" in one Kentucky county). A bare town name also reads as the county
//! "<name> County" when another name has a town in it ("Oxford" with "Woodstock").
//! Country priors from [`GeoHints`] vote in the focus like a named country. A
//! small place abroad reached only by a variant name (a report's only name: a
//! town of any size short of a city of a million), far from every other
//! place of the report and outside its countries, keeps no point; a town that
//! contradicts the province named after it ("Grantville, Pennsylvania" with no
//! Grantville there) is a place the gazetteer lacks, at that province; so is a
//! small town of the focus country far from all the report's other places when
//! they lie together (a "Washington Square" in a walk through one city), kept as
//! a sub-place at the place named before it. In a report whose places lie far
//! apart, a small town that won only by lying near one of them gives way to a
//! city of that name in its country ("Portland" with "Houston" and "Oakland");
//! in any report, such a town gives way to a capital of a million of that name
//! ("London" in an American report), unless another of the report's places lies
//! in its province, and to the country of that name ("exports to China" from a
//! Texas report) unless it is cued, near the outlet's home or in a named county.

use std::collections::{BTreeMap, HashMap};

use crate::context::FnvBuild;

use sitrep_model::{Location, PlaceMention, Span};

use crate::artifact::{Entry, PostingKind};
use crate::recognize::{Mention, Role, Words};
use crate::{Gazetteer, GeoHints, GeoParse, Usage};

use crate::recognize::Cand;

/// (layer, country, province, county) string ids → the first name with a town's reading there, and
/// whether other names have one too.
type TownsAt<'a> = HashMap<(u8, u32, u32, u32), (&'a str, bool), FnvBuild>;

/// Readings as points on a grid of 1° cells: (latitude, longitude) cell → (name group, lat, lon).
type PairGrid = HashMap<(i32, i32), Vec<(u32, f64, f64)>, FnvBuild>;

/// Scores of a name's candidates: entry → (candidate, summed score).
type GroupScores = BTreeMap<(u8, u32), (Cand, f64)>;

/// The focus vote of a country prior of weight 1 (a named country's vote is 1, a demonym's 0.7, a
/// dateline's 3): an outlet's home country (weight 0.7) votes a little more than a named country.
const PRIOR_VOTE: f64 = 1.5;

/// The least vote for a focus province.
const ADMIN_FOCUS_MIN: f64 = 1.49;

/// The score of a reading in the report's focus province.
const ADMIN_FOCUS_BONUS: f64 = 2.0;

/// The score of a reading in a country the report names (outside the focus country).
const NAMED_COUNTRY_BONUS: f64 = 1.0;

/// Farther than this from every other place of a report, a small place abroad is doubtful (km).
const FAR_KM: f64 = 1000.0;

/// The fewest other places of a report (lying together) that make a small place far from all of
/// them a place the gazetteer lacks.
const LOCAL_OTHERS: usize = 3;

/// A report is wide when this many of its places (or more) are named, half of them farther than
/// `WIDE_KM` from another.
const WIDE_ANCHORS: usize = 4;

/// Places this far apart (km) are not one area.
const WIDE_KM: f64 = 1000.0;

/// In a wide report, a town smaller than this that has a namesake city of `CITY_NAMESAKE_POP` or
/// more in its country gives way to the city.
const SMALL_NAMESAKE_POP: u32 = 20_000;

/// See `SMALL_NAMESAKE_POP`.
const CITY_NAMESAKE_POP: u32 = 250_000;

/// In any report, a town smaller than `SMALL_NAMESAKE_POP` gives way to a capital of this many
/// people or more of that name.
const CAPITAL_NAMESAKE_POP: u32 = 1_000_000;

/// The score of a city of `DOMAIN_CITY_POP` or more people in a country-code domain's country.
const DOMAIN_CITY_BONUS: f64 = 1.0;

/// See `DOMAIN_CITY_BONUS`.
const DOMAIN_CITY_POP: u32 = 100_000;

/// The score of a reading in a province the report names.
const ADMIN_NAMED_BONUS: f64 = 1.0;

/// The score of a town's reading near a reading of another name of the report (within `PAIR_KM`;
/// half within twice that).
const PAIR_BONUS: f64 = 1.2;

/// See `PAIR_BONUS` (km).
const PAIR_KM: f64 = 50.0;

/// The weight of closeness to the report's other places.
const NEAR_SCALE: f64 = 1.0;

/// The focus vote of a name known only as a variant of small places (a plain name's is 1).
const VARIANT_VOTE: f64 = 0.6;

/// The score of a county holding a town the report names, or a town in a county it names.
const COUNTY_BONUS: f64 = 2.0;

/// The score of a town in a county where another name of the report has a reading.
const NEIGHBOUR_BONUS: f64 = 0.5;

/// The score of a reading in a province where two other names of the report have one.
const PROVINCE_SUPPORT_BONUS: f64 = 0.5;

/// Candidates kept per mention (the most likely by prior).
const MAX_CANDIDATES: usize = 32;

/// The focus vote of the outlet's home town, against a name of the report's (1).
const HOME_VOTE: f64 = 1.0;

/// The score of a reading near the outlet's home town (within 100 km; half within 300 km).
const HOME_NEAR_BONUS: f64 = 1.0;

/// The country prior of a country-code domain (".co.uk"): like an outlet's home country.
const DOMAIN_PRIOR: f32 = 0.5;

/// Adds the outlet's home towns as mentions outside the text (`home`), with their readings in
/// the domain's country when it has one there.
fn add_homes(gaz: &Gazetteer, text: &str, outlet: &crate::OutletHome, mentions: &mut Vec<Mention>) {
    if outlet.homes.is_empty() {
        return;
    }
    let end = sitrep_text::TextRange::new(text.len(), text.len());
    // Provinces the report names: the most likely reading (by prior) of a name is a province.
    let provinces_named: Vec<Cand> = mentions
        .iter()
        .filter(|m| m.role == Role::Place)
        .filter_map(|m| best_of(&m.cands.iter().map(|&c| (c, prior(gaz, c))).collect::<Vec<_>>()).cand)
        .filter(|&c| fcode(gaz, c) == "ADM1")
        .collect();
    for (k, key) in outlet.homes.iter().enumerate() {
        let mut cands = gaz.home_candidates(key);
        // The namesakes in a province the report names ("Ontario" in a paper of "woodstock…com")
        // are the home, whatever the domain (a capital's name stays the capital's: "washington…com"
        // in a report that names Virginia).
        let in_named_province = |c: Cand| {
            let e = entry(gaz, c);
            let a1 = s(gaz, c.0, e.admin1);
            is_populated(fcode(gaz, c))
                && a1.is_some()
                && provinces_named.iter().any(|&x| cc(gaz, x) == cc(gaz, c) && s(gaz, x.0, entry(gaz, x).name) == a1)
        };
        let capital = cands.iter().any(|&c| fcode(gaz, c) == "PPLC" || crate::recognize::is_strong(gaz, c));
        if !capital && cands.iter().any(|&c| in_named_province(c)) {
            cands.retain(|&c| in_named_province(c));
        }
        // A country-code domain's towns are in its country; a generic domain's are looked for
        // first in its home country, unless the name is a country's.
        if let Some(code) = outlet.country.as_deref().or(outlet.home_country.as_deref())
            && cands.iter().any(|&c| cc(gaz, c) == code)
            && (outlet.country.is_some() || !cands.iter().any(|&c| is_country(fcode(gaz, c))))
        {
            cands.retain(|&c| cc(gaz, c) == code);
        }
        if cands.is_empty() {
            continue;
        }
        // Word positions far past the text's: never next to a mention of the text.
        let first = usize::MAX / 4 + 2 * k;
        mentions.push(Mention { home: true, ..Mention::new(end, first, 1, key.clone(), cands, Role::Place) });
    }
}

/// A bare name can be its county's ("Oxford" for Oxford County, "the Douglas sheriff"): the
/// counties named "<name> County" become readings of the name (as alternate names), when another
/// name of the report has a town's reading in that county. The report's other places decide.
fn add_county_readings(gaz: &Gazetteer, mentions: &mut [Mention]) {
    // The counties named "<name> County", per bare name (most reports have none: nothing more to do).
    let mut counties: Vec<(usize, Cand)> = Vec::new();
    for (mi, m) in mentions.iter().enumerate() {
        if m.role != Role::Place || m.loose || m.home || m.admin_cue != 0 || m.key.contains(' ') {
            continue;
        }
        // (Not a country's, a region's or a great city's name: "Houston" is the city, "Cheshire"
        // the English county.)
        let strong = m.cands.iter().any(|&x| {
            let xf = fcode(gaz, x);
            is_country(xf) || is_admin(xf) || crate::recognize::is_strong(gaz, x)
        });
        if strong {
            continue;
        }
        let county_key = format!("{} county", m.key);
        for (li, layer) in gaz.layers.iter().enumerate() {
            let Some(v) = layer.data.exact.get(county_key.as_bytes()) else { continue };
            let (it, _) = layer.data.postings_of(v);
            for (e, kind) in it {
                let c = (li as u8, e, PostingKind::Alternate);
                if kind == PostingKind::Primary
                    && fcode(gaz, c) == "ADM2"
                    && entry(gaz, c).admin2 != crate::artifact::NONE
                    && !m.cands.iter().any(|&x| (x.0, x.1) == (c.0, c.1))
                {
                    counties.push((mi, c));
                }
            }
        }
    }
    if counties.is_empty() {
        return;
    }
    // The counties where the report's names have a town's reading: county → the first name, and
    // whether there are more.
    let mut towns: TownsAt<'_> = HashMap::default();
    for m in mentions.iter().filter(|m| m.role == Role::Place && !m.loose) {
        for &c in m.cands.iter().filter(|&&c| is_populated(fcode(gaz, c))) {
            let e = entry(gaz, c);
            towns
                .entry((c.0, e.cc, e.admin1, e.admin2))
                .and_modify(|v| v.1 |= v.0 != m.key.as_str())
                .or_insert((m.key.as_str(), false));
        }
    }
    let added: Vec<(usize, Cand)> = counties
        .into_iter()
        .filter(|&(mi, c)| {
            let e = entry(gaz, c);
            towns
                .get(&(c.0, e.cc, e.admin1, e.admin2))
                .is_some_and(|&(first, more)| more || first != mentions[mi].key.as_str())
        })
        .collect();
    for (mi, c) in added {
        mentions[mi].cands.push(c);
    }
}

fn entry(gaz: &Gazetteer, c: Cand) -> &Entry {
    &gaz.layers[c.0 as usize].data.entries[c.1 as usize]
}

fn s(gaz: &Gazetteer, layer: u8, id: u32) -> Option<&str> {
    gaz.layers[layer as usize].data.str(id)
}

fn fcode(gaz: &Gazetteer, c: Cand) -> &str {
    s(gaz, c.0, entry(gaz, c).fcode).unwrap_or("")
}

fn cc(gaz: &Gazetteer, c: Cand) -> &str {
    s(gaz, c.0, entry(gaz, c).cc).unwrap_or("")
}

fn is_country(f: &str) -> bool {
    f.starts_with("PCL")
}

fn is_populated(f: &str) -> bool {
    f.starts_with("PPL") || f == "STLMT"
}

fn is_admin(f: &str) -> bool {
    f.starts_with("ADM")
}

/// Regions wider than a point: no town-level precision.
fn is_area(f: &str) -> bool {
    is_country(f)
        || is_admin(f)
        || matches!(f, "CONT" | "RGN" | "SEA" | "OCN" | "GULF" | "PEN" | "STM" | "LKS" | "LK" | "STRT" | "MTS" | "PLN")
}

fn prior(gaz: &Gazetteer, c: Cand) -> f64 {
    let layer = &gaz.layers[c.0 as usize];
    let base = layer.base.get(c.1 as usize).map_or_else(|| base_prior(&layer.data, entry(gaz, c)), |&b| f64::from(b));
    let name = if c.2 == PostingKind::Primary { 0.8 } else { 0.0 };
    let user = if layer.user { 2.5 } else { 0.0 };
    base + name + user
}

/// The prior of an entry: feature rank and population.
pub(crate) fn base_prior(data: &crate::artifact::Data, e: &Entry) -> f64 {
    let f = data.str(e.fcode).unwrap_or("");
    let curated = e.id == 0 && !is_admin(f);
    let feature = match f {
        "PCLI" => 3.0,
        _ if is_country(f) => 2.2,
        "CONT" => 2.6,
        "PPLC" => 2.0,
        "ADM1" => 1.5,
        "PPLA" => 1.3,
        _ if curated => 3.5,
        "RGN" | "SEA" | "OCN" | "GULF" | "PEN" | "STM" | "LKS" | "LK" | "STRT" | "CNL" | "ISL" | "MTS" | "PLN" => 1.6,
        "PPLA2" => 0.9,
        "ADM2" => 0.6,
        "PPLA3" => 0.6,
        "PPLA4" => 0.5,
        "PPL" => 0.4,
        "PPLX" => 0.1,
        _ => 0.3,
    };
    // Regions carry the population of their towns: count it for less.
    let weight = if is_admin(f) { 0.2 } else { 0.35 };
    let pop = if e.population > 0 { f64::from(e.population).log10() * weight } else { 0.0 };
    feature + pop
}

#[cfg(test)]
pub(crate) use sitrep_model::haversine_km;

/// Distance in km by the equirectangular approximation (good to a few percent
/// at the distances the resolver compares, and free of trigonometry per pair).
/// `cos_lat2` is the cosine of `lat2`.
#[inline]
fn approx_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64, cos_lat2: f64) -> f64 {
    let dlat = lat1 - lat2;
    let mut dlon = (lon1 - lon2).abs();
    if dlon > 180.0 {
        dlon = 360.0 - dlon;
    }
    let x = dlon * cos_lat2;
    111.195 * (x * x + dlat * dlat).sqrt()
}

/// The point `km` from (lat, lon) on `bearing` (degrees).
fn destination(lat: f64, lon: f64, km: f64, bearing: f64) -> (f64, f64) {
    let d = km / 6371.0088;
    let (p1, l1, b) = (lat.to_radians(), lon.to_radians(), bearing.to_radians());
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * b.cos()).asin();
    let l2 = l1 + (b.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    let lon2 = (l2.to_degrees() + 540.0) % 360.0 - 180.0;
    (p2.to_degrees(), lon2)
}

struct Pick {
    cand: Option<Cand>,
    score: f64,
    margin: f64,
}

fn best_of(scores: &[(Cand, f64)]) -> Pick {
    let mut best: Option<(Cand, f64)> = None;
    let mut second = f64::NEG_INFINITY;
    for &(c, sc) in scores {
        match best {
            Some((bc, bs)) if sc > bs || (sc == bs && (c.0, c.1) < (bc.0, bc.1)) => {
                second = bs;
                best = Some((c, sc));
            }
            Some(_) => second = second.max(sc),
            None => best = Some((c, sc)),
        }
    }
    match best {
        Some((c, sc)) => Pick { cand: Some(c), score: sc, margin: if second.is_finite() { sc - second } else { 5.0 } },
        None => Pick { cand: None, score: 0.0, margin: 0.0 },
    }
}

pub(crate) fn resolve(gaz: &Gazetteer, text: &str, hints: &GeoHints, input: (Words<'_>, Vec<Mention>)) -> GeoParse {
    let (words, mut mentions) = input;
    // The outlet's home towns (from the document's web address): names the report is read with.
    let outlet = hints.url.as_deref().map(|u| gaz.outlet_home(u)).unwrap_or_default();
    add_homes(gaz, text, &outlet, &mut mentions);
    add_county_readings(gaz, &mut mentions);
    // Keep the most likely candidates of very ambiguous names (by prior).
    for m in &mut mentions {
        if m.cands.len() > MAX_CANDIDATES {
            let mut scored: Vec<(f64, Cand)> = m.cands.iter().map(|&c| (prior(gaz, c), c)).collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1.0, a.1.1).cmp(&(b.1.0, b.1.1))));
            scored.truncate(MAX_CANDIDATES);
            m.cands = scored.into_iter().map(|(_, c)| c).collect();
        }
    }
    let home_keys: Vec<String> = mentions.iter().filter(|m| m.home).map(|m| m.key.clone()).collect();
    // Pass 1: priors.
    let pass1: Vec<Pick> =
        mentions.iter().map(|m| best_of(&m.cands.iter().map(|&c| (c, prior(gaz, c))).collect::<Vec<_>>())).collect();

    // Focus country (and focus admin1): each mention votes for the countries of
    // its candidates, weighted by how likely each is a priori (softmax of priors).
    // A name repeated votes once (more weight, not more votes).
    let mut seen: HashMap<&str, usize, FnvBuild> = HashMap::default();
    for m in mentions.iter().filter(|m| !m.home) {
        *seen.entry(m.key.as_str()).or_default() += 1;
    }
    let mut voted: HashMap<&str, bool, FnvBuild> = HashMap::default();
    let mut votes: BTreeMap<String, f64> = BTreeMap::new();
    // Each name's own votes, so that a name does not vote for its own reading ("Paris" for France).
    let mut own_votes: HashMap<String, BTreeMap<String, f64>, FnvBuild> = HashMap::default();
    let mut admin_votes: BTreeMap<(String, String), f64> = BTreeMap::new();
    // What the discount of variant names took from `votes`.
    let mut variant_votes: BTreeMap<String, f64> = BTreeMap::new();
    let mut plain_voted = false;
    for m in &mentions {
        if m.loose || matches!(m.role, Role::Embedded | Role::Metonym) || m.cands.is_empty() {
            continue;
        }
        let in_dateline = m.in_dateline || hints.dateline.is_some_and(|d| d.intersects(m.range));
        // (The outlet's home votes even when the report names it too: it is evidence from outside
        // the text, never a name's own vote.)
        if !m.home && !in_dateline && !m.in_title && voted.insert(m.key.as_str(), true).is_some() {
            continue;
        }
        let repeats = seen.get(m.key.as_str()).copied().unwrap_or(1) as f64;
        let priors: Vec<f64> = m.cands.iter().map(|&c| prior(gaz, c)).collect();
        let top = priors.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = priors.iter().map(|p| ((p - top) * 1.5).exp()).collect();
        let sum: f64 = weights.iter().sum();
        let mut v = if m.role == Role::Demonym { 0.7 } else { 1.0 } * (1.0 + 0.3 * repeats.ln());
        if m.home {
            v *= HOME_VOTE;
        }
        // A name known only as a variant of small places says little about the country (unless
        // nothing else does: see `variant_votes`).
        let variant = m.cands.iter().all(|&c| c.2 != PostingKind::Primary && !crate::recognize::is_strong(gaz, c));
        if variant {
            v *= VARIANT_VOTE;
        }
        if in_dateline {
            v *= 3.0;
        } else if m.in_title {
            v *= 2.0;
        }
        for (&c, w) in m.cands.iter().zip(&weights) {
            let code = cc(gaz, c);
            if code.is_empty() {
                continue;
            }
            let share = v * w / sum;
            *votes.entry(code.to_owned()).or_default() += share;
            if variant {
                *variant_votes.entry(code.to_owned()).or_default() += share * (1.0 / VARIANT_VOTE - 1.0);
            } else {
                plain_voted = true;
            }
            if !m.home {
                *own_votes.entry(m.key.clone()).or_default().entry(code.to_owned()).or_default() += share;
            }
            let e = entry(gaz, c);
            let a1 = if fcode(gaz, c) == "ADM1" { s(gaz, c.0, e.name) } else { s(gaz, c.0, e.admin1) };
            if let Some(a1) = a1 {
                *admin_votes.entry((code.to_owned(), a1.to_owned())).or_default() += share;
            }
        }
    }
    // Countries known from outside the place names (the outlet's home, the actors' countries): a vote
    // like a co-mentioned country's, never a name's own (so leave-one-out focus keeps it).
    // Several priors for one country (outlet and actors) add up to one prior of weight 1 at most.
    let mut prior_votes: BTreeMap<String, f64> = BTreeMap::new();
    // Cue phrases of the text ("sheriff's deputies") count like an outlet's home country.
    let cues = crate::cues::CountryCues::shipped().priors(&words);
    let domain = outlet.country.iter().map(|c| (c, &DOMAIN_PRIOR));
    for (code, weight) in hints.country_prior.iter().map(|(c, w)| (c, w)).chain(&cues).chain(domain) {
        let code = code.trim().to_ascii_uppercase();
        if code.len() == 2 && weight.is_finite() && *weight > 0.0 && gaz.countries.contains_key(&code) {
            let v = prior_votes.entry(code).or_default();
            *v = (*v + PRIOR_VOTE * f64::from(weight.min(1.0))).min(PRIOR_VOTE);
        }
    }
    for (code, v) in &prior_votes {
        *votes.entry(code.clone()).or_default() += v;
    }
    // The country the hints point to most strongly, when no other is as strong.
    let strongest_prior = {
        let best = prior_votes.values().copied().fold(0.0, f64::max);
        let mut top = prior_votes.iter().filter(|&(_, &v)| v == best && best > 0.0);
        match (top.next(), top.next()) {
            (Some((c, _)), None) => Some(c.clone()),
            _ => None,
        }
    };
    let mut focus_admin1: Option<(String, String)> = None;
    let mut best_admin = ADMIN_FOCUS_MIN;
    for (k, &v) in &admin_votes {
        if v > best_admin {
            best_admin = v;
            focus_admin1 = Some(k.clone());
        }
    }
    let mut focus: Option<String> = None;
    let mut best_vote = 0.99;
    for (code, &v) in &votes {
        if v > best_vote {
            best_vote = v;
            focus = Some(code.clone());
        }
    }
    // No focus and no other name: the variant names count in full ("Garowe residents protested"
    // names one town, by a spelling GeoNames lists as a variant).
    if focus.is_none() && !plain_voted && !variant_votes.is_empty() {
        for (code, extra) in &variant_votes {
            *votes.entry(code.clone()).or_default() += extra;
        }
        for (code, &v) in &votes {
            if v > best_vote {
                best_vote = v;
                focus = Some(code.clone());
            }
        }
    }
    let total_votes: f64 = votes.values().sum();
    let focus_share = if total_votes > 0.0 { best_vote / total_votes } else { 0.0 };

    // Anchor points: confident pass-1 picks that are points (not countries or continents).
    let anchor_of = |mentions: &[Mention], pass1: &[Pick]| -> Vec<(usize, f64, f64, String)> {
        mentions
            .iter()
            .zip(pass1)
            .enumerate()
            .filter_map(|(i, (m, p))| {
                let c = p.cand?;
                let f = fcode(gaz, c);
                if m.role != Role::Place || m.loose || m.weak || is_country(f) || f == "CONT" || p.margin < 0.5 {
                    return None;
                }
                let e = entry(gaz, c);
                Some((i, f64::from(e.lat), f64::from(e.lon), m.key.clone()))
            })
            .collect()
    };
    let anchors0 = anchor_of(&mentions, &pass1);
    // Provinces the report names (confident picks): a place in one is near the report's places.
    let provinces0: Vec<(&str, &str)> = pass1
        .iter()
        .filter_map(|p| p.cand.filter(|&c| fcode(gaz, c) == "ADM1" && p.margin >= 0.5))
        .filter_map(|c| Some((cc(gaz, c), s(gaz, c.0, entry(gaz, c).name)?)))
        .collect();
    // Weak mentions stay only when a candidate lies in the focus country near the report's places.
    mentions.retain(|m| {
        !m.weak
            || m.cands.iter().any(|&c| {
                let e = entry(gaz, c);
                let code = cc(gaz, c);
                let points: Vec<_> = anchors0.iter().filter(|a| a.3 != m.key).collect();
                focus.as_deref() == Some(code)
                    && (points.iter().any(|(ai, lat, lon, _)| {
                        // (A region's point stands for a wide area: "Bosasso" is 300 km from Puntland's.)
                        let region = pass1[*ai].cand.is_some_and(|a| fcode(gaz, a) == "RGN");
                        approx_km(f64::from(e.lat), f64::from(e.lon), *lat, *lon, lat.to_radians().cos())
                            < if region { 500.0 } else { 100.0 }
                    }) || focus_admin1.as_ref().is_some_and(|(_, a)| s(gaz, c.0, e.admin1) == Some(a.as_str()))
                        || provinces0.iter().any(|&(pc, pn)| pc == code && s(gaz, c.0, e.admin1) == Some(pn))
                        || (points.is_empty() && focus_share >= 0.8 && m.n == 1 && m.cands.len() == 1)
                        // (The report's only name, with one reading in the country its outlet or
                        // actors point to: "Residents of Bayanga" in a Central African report.)
                        || (points.is_empty()
                            && m.n == 1
                            && strongest_prior.as_deref() == Some(code)
                            && m.cands.iter().filter(|&&x| cc(gaz, x) == code).count() == 1))
            })
    });
    let _pass1: Vec<Pick> =
        mentions.iter().map(|m| best_of(&m.cands.iter().map(|&c| (c, prior(gaz, c))).collect::<Vec<_>>())).collect();
    // Loose matches count only in the focus country, near the other places of the report.
    mentions.retain_mut(|m| {
        if !m.loose {
            return true;
        }
        m.cands.retain(|&c| {
            let e = entry(gaz, c);
            focus.as_deref() == Some(cc(gaz, c))
                && anchors0.iter().any(|(_, lat, lon, _)| {
                    approx_km(f64::from(e.lat), f64::from(e.lon), *lat, *lon, lat.to_radians().cos()) < 150.0
                })
        });
        if m.cands.is_empty() {
            m.loose = false;
        }
        !m.cands.is_empty() || m.role == Role::SubPlace
    });
    crate::recognize::link_commas(&words, &mut mentions);
    let pass1: Vec<Pick> =
        mentions.iter().map(|m| best_of(&m.cands.iter().map(|&c| (c, prior(gaz, c))).collect::<Vec<_>>())).collect();
    // One anchor per distinct name.
    let mut anchor_points: Vec<(String, f64, f64, f64)> = Vec::new();
    for (_, lat, lon, key) in anchor_of(&mentions, &pass1) {
        if !anchor_points.iter().any(|a| a.0 == key) {
            anchor_points.push((key, lat, lon, lat.to_radians().cos()));
        }
    }
    // Admin1 names the text mentions (resolved confidently), by country.
    // A name that is a province of the focus country counts too ("Georgia" in a report on the US).
    let mut admin1_mentioned: Vec<(String, String)> = mentions
        .iter()
        .zip(&pass1)
        .filter_map(|(_, p)| {
            let c = p.cand?;
            if fcode(gaz, c) != "ADM1" {
                return None;
            }
            let e = entry(gaz, c);
            Some((cc(gaz, c).to_owned(), s(gaz, c.0, e.name).unwrap_or("").to_owned()))
        })
        .collect();
    let admin1_picked = admin1_mentioned.clone();
    if let Some(fc) = focus.as_deref() {
        for m in &mentions {
            if m.role != Role::Place || m.loose || m.weak {
                continue;
            }
            for &c in &m.cands {
                if fcode(gaz, c) == "ADM1" && cc(gaz, c) == fc {
                    let name = s(gaz, c.0, entry(gaz, c).name).unwrap_or("").to_owned();
                    if !admin1_mentioned.iter().any(|(a, n)| a == fc && *n == name) {
                        admin1_mentioned.push((fc.to_owned(), name));
                    }
                }
            }
        }
    }

    // Admin1 regions that hold the report's confident places (by country), for "New York" the state.
    let admin1_holding: Vec<(String, String, String)> = mentions
        .iter()
        .zip(&pass1)
        .filter_map(|(m, p)| {
            let c = p.cand?;
            if m.role != Role::Place || m.weak || m.loose || p.margin < 0.5 || is_area(fcode(gaz, c)) {
                return None;
            }
            let e = entry(gaz, c);
            Some((cc(gaz, c).to_owned(), s(gaz, c.0, e.admin1)?.to_owned(), m.key.clone()))
        })
        .collect();

    // Pass 2: context scores, summed over mentions with the same key.
    let mention_keys: std::collections::HashSet<&str, FnvBuild> = mentions.iter().map(|m| m.key.as_str()).collect();
    // The focus as the *other* names see it (leave-one-out), per name.
    let mut focus_without: HashMap<&str, (Option<String>, f64, f64), FnvBuild> = HashMap::default();
    for m in &mentions {
        if focus_without.contains_key(m.key.as_str()) {
            continue;
        }
        let own = own_votes.get(m.key.as_str());
        let mut best: Option<(String, f64)> = None;
        let mut total = 0.0;
        for (code, &v) in &votes {
            let v = v - own.and_then(|o| o.get(code)).copied().unwrap_or(0.0);
            total += v;
            if v > 0.99 && best.as_ref().is_none_or(|b| v > b.1) {
                best = Some((code.clone(), v));
            }
        }
        let entry = match best {
            Some((code, v)) => (Some(code), v / total.max(1e-9), total),
            // No other name points anywhere: keep the document's focus.
            None => (focus.clone(), focus_share, total_votes),
        };
        focus_without.insert(m.key.as_str(), entry);
    }
    // Counties and the towns in them, among the readings of the report's names: a county that holds
    // a town the report names, and a town in a county it names, support each other ("Anderson County"
    // with "Palestine"); so do readings in one province. Keyed by string ids (layer, country,
    // province, county) and by name group. A county named after its town ("City of Norfolk",
    // "Dublin City") is one group with the town: the same name twice is no support.
    let mut gid_of: HashMap<&str, u32, FnvBuild> = HashMap::default();
    let mut gid_of_core: HashMap<&str, u32, FnvBuild> = HashMap::default();
    for m in &mentions {
        let next = gid_of_core.len() as u32;
        let gid = *gid_of_core.entry(name_core(&m.key)).or_insert(next);
        gid_of.entry(m.key.as_str()).or_insert(gid);
    }
    let mut towns_at = CountyIndex::default();
    let mut counties_at = CountyIndex::default();
    let mut province_seen: std::collections::HashSet<(u8, u32, u32, u32), FnvBuild> = Default::default();
    let mut province_support: HashMap<(u8, u32, u32), u32, FnvBuild> = HashMap::default();
    // The names whose readings support other names' (a name with so many namesakes that its
    // readings were cut to the likeliest — "Springfield", "Franklin" — has one near almost
    // anything: it supports none).
    let supporting = || mentions.iter().filter(|m| m.role == Role::Place && !m.loose && m.cands.len() < MAX_CANDIDATES);
    for m in supporting() {
        let gid = gid_of[m.key.as_str()];
        for &c in &m.cands {
            let e = entry(gaz, c);
            if e.admin1 == crate::artifact::NONE || e.admin2 == crate::artifact::NONE {
                continue;
            }
            let f = fcode(gaz, c);
            let at = if is_populated(f) {
                (c.0, e.cc, e.admin1, e.admin2)
            } else if f == "ADM2" {
                (c.0, e.cc, e.admin1, e.name)
            } else {
                continue;
            };
            let index = if is_populated(f) { &mut towns_at } else { &mut counties_at };
            index.entry(at).and_modify(|v| v.1 |= v.0 != gid).or_insert((gid, false));
            if province_seen.insert((c.0, e.cc, e.admin1, gid)) {
                *province_support.entry((c.0, e.cc, e.admin1)).or_default() += 1;
            }
        }
    }
    // "Kirkuk, Iraq": the mention before each one's comma.
    let mut comma_prev: Vec<Option<usize>> = vec![None; mentions.len()];
    for (j, m) in mentions.iter().enumerate() {
        if let Some(k) = m.comma_next {
            comma_prev[k] = Some(j);
        }
    }
    // Countries the report names as such (not by demonym).
    let mut countries_named: Vec<&str> = mentions
        .iter()
        .zip(&pass1)
        .filter(|(m, _)| m.role == Role::Place)
        .filter_map(|(_, p)| p.cand.filter(|&c| is_country(fcode(gaz, c))).map(|c| cc(gaz, c)))
        .collect();
    countries_named.sort_unstable();
    countries_named.dedup();
    // Every reading of every name, as points on a grid of 1° cells: two names with readings close
    // together ("Berea" and "Richmond", both in one Kentucky county) support those readings.
    // (Towns and counties only.)
    let pair_point = |c: Cand| {
        let f = fcode(gaz, c);
        let e = entry(gaz, c);
        (is_populated(f) || f == "ADM2").then(|| (f64::from(e.lat), f64::from(e.lon)))
    };
    let mut pair_grid: PairGrid = HashMap::default();
    for m in supporting() {
        let gid = gid_of[m.key.as_str()];
        for (lat, lon) in m.cands.iter().filter_map(|&c| pair_point(c)) {
            pair_grid.entry((lat.floor() as i32, lon.floor() as i32)).or_default().push((gid, lat, lon));
        }
    }
    let pair_km = |gid: u32, lat: f64, lon: f64| -> f64 {
        let (y, x) = (lat.floor() as i32, lon.floor() as i32);
        let cos = lat.to_radians().cos();
        let mut best = f64::INFINITY;
        for dy in -1..=1 {
            for dx in -1..=1 {
                for &(g, plat, plon) in pair_grid.get(&(y + dy, x + dx)).map_or(&[][..], Vec::as_slice) {
                    if g != gid {
                        best = best.min(approx_km(lat, lon, plat, plon, cos));
                    }
                }
            }
        }
        best
    };
    // The closeness score of each reading, per mention (computed once for both rounds), for the
    // names whose readings it decides between: town names only (not a country's, a province's or
    // a great city's: "Florida" is the state, whatever small towns of that name lie near others).
    let pair_bonus: Vec<Vec<f64>> = mentions
        .iter()
        .map(|m| {
            let town_name = m.role == Role::Place
                && m.cands.len() > 1
                && !m.cands.iter().any(|&x| {
                    let xf = fcode(gaz, x);
                    is_country(xf) || xf == "ADM1" || crate::recognize::is_strong(gaz, x)
                });
            if !town_name || pair_grid.is_empty() {
                return Vec::new();
            }
            let gid = gid_of[m.key.as_str()];
            m.cands
                .iter()
                .map(|&c| {
                    let Some((lat, lon)) = pair_point(c) else { return 0.0 };
                    let d = pair_km(gid, lat, lon);
                    PAIR_BONUS
                        * if d < PAIR_KM {
                            1.0
                        } else if d < 2.0 * PAIR_KM {
                            0.5
                        } else {
                            0.0
                        }
                })
                .collect()
        })
        .collect();
    // Two rounds: the second measures closeness to the first round's picks (which know the
    // focus country), not to the priors' picks.
    let mut group_picks: HashMap<&str, Pick, FnvBuild> = HashMap::default();
    for round in 0..2 {
        let mut group_scores: HashMap<&str, GroupScores, FnvBuild> = HashMap::default();
        let mut group_cues: HashMap<&str, BTreeMap<(u8, u32), f64>, FnvBuild> = HashMap::default();
        for (mi, m) in mentions.iter().enumerate() {
            if let [c] = m.cands[..] {
                // One reading: nothing to choose (the pick's margin is fixed).
                group_scores.entry(m.key.as_str()).or_default().entry((c.0, c.1)).or_insert((c, 0.0));
                continue;
            }
            let (m_focus, m_share, m_total) = focus_without.get(m.key.as_str()).cloned().unwrap_or((None, 0.0, 0.0));
            for (ci, &c) in m.cands.iter().enumerate() {
                let e = entry(gaz, c);
                let f = fcode(gaz, c);
                let code = cc(gaz, c);
                let mut sc = prior(gaz, c);
                if let Some(fc) = m_focus.as_deref() {
                    // Continents, oceans and regions across borders fit any focus.
                    if code == fc || (code.is_empty() && is_area(f)) {
                        sc += if m_share >= 0.5 { 2.5 } else { 1.5 };
                    } else if let Some(&v) = votes.get(code) {
                        let own = own_votes.get(m.key.as_str()).and_then(|o| o.get(code)).copied().unwrap_or(0.0);
                        sc += 0.8 * (v - own).max(0.0) / m_total.max(1.0);
                        // A country the report names: its places are in the story too ("Moscow" in
                        // a report on flights from the United States to Russia).
                        if countries_named.contains(&code) && !is_country(f) {
                            sc += NAMED_COUNTRY_BONUS;
                        }
                    }
                }
                // (The country that holds the focus province fits it too: "Mexico" in a report
                // datelined "MEXICO CITY" is the country, not a short name of the city.)
                if let Some((fc, fa)) = &focus_admin1
                    && fc == code
                    && (s(gaz, c.0, e.admin1) == Some(fa.as_str())
                        || (f == "ADM1" && s(gaz, c.0, e.name) == Some(fa.as_str()))
                        || is_country(f))
                {
                    sc += ADMIN_FOCUS_BONUS;
                }
                // "Kirkuk, Iraq", "Grantville, Pennsylvania": the qualified reading, for every
                // mention of the name (the best cue of the group, not its mean).
                let mut hierarchy = 0.0;
                if let Some(k) = m.comma_next
                    && let Some(kc) = pass1[k].cand
                {
                    let kf = fcode(gaz, kc);
                    if is_country(kf) && cc(gaz, kc) == code {
                        hierarchy += 3.0;
                    }
                    if mentions[k].cands.iter().any(|&x| {
                        fcode(gaz, x) == "ADM1"
                            && cc(gaz, x) == code
                            && s(gaz, x.0, entry(gaz, x).name) == s(gaz, c.0, e.admin1)
                    }) {
                        // (Enough to outweigh a country's prior: "Italy, Texas" is the town.)
                        hierarchy += 6.0;
                    } else if e.admin2 != crate::artifact::NONE
                        && mentions[k].cands.iter().any(|&x| {
                            fcode(gaz, x) == "ADM2"
                                && cc(gaz, x) == code
                                && s(gaz, x.0, entry(gaz, x).name) == s(gaz, c.0, e.admin2)
                        })
                    {
                        // "Oulton Park, Cheshire": a county.
                        hierarchy += 3.0;
                    }
                }
                // The qualifier's side: the province or county that holds the place before the comma.
                if let Some(j) = comma_prev[mi]
                    && matches!(f, "ADM1" | "ADM2")
                    && let Some(name) = s(gaz, c.0, e.name)
                    && mentions[j].cands.iter().any(|&x| {
                        let xe = entry(gaz, x);
                        cc(gaz, x) == code
                            && is_populated(fcode(gaz, x))
                            && (if f == "ADM1" { s(gaz, x.0, xe.admin1) } else { s(gaz, x.0, xe.admin2) }) == Some(name)
                    })
                {
                    hierarchy += 2.0;
                }
                if hierarchy > 0.0 {
                    let best = group_cues.entry(m.key.as_str()).or_default().entry((c.0, c.1)).or_insert(0.0);
                    *best = best.max(hierarchy);
                }
                let before_cue = sc;
                match m.admin_cue {
                    1 => {
                        sc += if f == "ADM1" {
                            3.0
                        } else if f == "ADM2" {
                            1.0
                        } else {
                            -1.0
                        };
                    }
                    2 => {
                        sc += if f == "ADM2" {
                            3.0
                        } else if f == "ADM1" {
                            1.0
                        } else {
                            -1.0
                        };
                    }
                    _ => {}
                }
                // A region cue decides for every mention of the name ("Barrow County … Barrow").
                if sc > before_cue {
                    let best = group_cues.entry(m.key.as_str()).or_default().entry((c.0, c.1)).or_insert(0.0);
                    *best = best.max(sc - before_cue);
                    sc = before_cue;
                }
                // "NEW YORK —": a dateline names a town, not a state.
                if m.in_dateline && m.admin_cue == 0 && is_populated(f) {
                    sc += 1.5;
                }
                if m.settlement_cue && m.admin_cue == 0 {
                    sc += if is_populated(f) {
                        1.0
                    } else if is_admin(f) {
                        -1.0
                    } else {
                        0.0
                    };
                }
                if !is_country(f) && f != "CONT" {
                    let mut best_d = f64::INFINITY;
                    let mut home_d = f64::INFINITY;
                    for (key, lat, lon, cos) in &anchor_points {
                        if *key == m.key {
                            continue;
                        }
                        let d = approx_km(f64::from(e.lat), f64::from(e.lon), *lat, *lon, *cos);
                        best_d = best_d.min(d);
                        if home_keys.contains(key) {
                            home_d = home_d.min(d);
                        }
                    }
                    // The outlet's home: a local paper reports on its surroundings.
                    sc += HOME_NEAR_BONUS
                        * if home_d < 100.0 {
                            1.0
                        } else if home_d < 300.0 {
                            0.5
                        } else {
                            0.0
                        };
                    sc += pair_bonus[mi].get(ci).copied().unwrap_or(0.0);
                    sc += NEAR_SCALE
                        * if best_d < 50.0 {
                            1.0
                        } else if best_d < 150.0 {
                            0.7
                        } else if best_d < 400.0 {
                            0.3
                        } else {
                            0.0
                        };
                    if let Some(a1) = s(gaz, c.0, e.admin1)
                        && admin1_mentioned.iter().any(|(acc, an)| acc == code && an == a1)
                    {
                        sc += ADMIN_NAMED_BONUS;
                    }
                }
                if f == "ADM1"
                    && let Some(name) = s(gaz, c.0, e.name)
                    && admin1_holding.iter().any(|(acc, a1, key)| acc == code && a1 == name && *key != m.key)
                {
                    sc += 1.0;
                }
                // "England and Wales", "Oregon and Washington": a province among the provinces named.
                if f == "ADM1"
                    && let Some(name) = s(gaz, c.0, e.name)
                    && admin1_picked.iter().any(|(acc, an)| acc == code && an != name)
                    && !m.cands.iter().any(|&x| is_populated(fcode(gaz, x)) && crate::recognize::is_strong(gaz, x))
                {
                    sc += 1.0;
                }
                if e.admin1 != crate::artifact::NONE && e.admin2 != crate::artifact::NONE {
                    let gid = gid_of[m.key.as_str()];
                    let county_holds_town = f == "ADM2" && other_than(&towns_at, (c.0, e.cc, e.admin1, e.name), gid);
                    let town_in_county =
                        is_populated(f) && other_than(&counties_at, (c.0, e.cc, e.admin1, e.admin2), gid);
                    // Other names with a reading in the same province (this name's own excluded).
                    let support = province_support.get(&(c.0, e.cc, e.admin1)).copied().unwrap_or(0).saturating_sub(1);
                    if support >= 2 {
                        sc += PROVINCE_SUPPORT_BONUS;
                    }
                    if county_holds_town || town_in_county {
                        sc += COUNTY_BONUS;
                    } else if is_populated(f) && other_than(&towns_at, (c.0, e.cc, e.admin1, e.admin2), gid) {
                        // A town of a county where another name of the report may lie.
                        sc += NEIGHBOUR_BONUS;
                    }
                }
                // A city of the country-code domain's country ("London" on a ".ca" site).
                if outlet.country.as_deref() == Some(code) && is_populated(f) && e.population >= DOMAIN_CITY_POP {
                    sc += DOMAIN_CITY_BONUS;
                }
                if m.loose {
                    sc -= 0.8;
                }
                // A user's place whose parent the text names ("Gogjali" with "Mosul").
                if let Some(Some(parent)) = gaz.layers[c.0 as usize].parents.get(c.1 as usize)
                    && mention_keys.contains(parent.as_str())
                {
                    sc += 2.0;
                }
                let slot = group_scores.entry(m.key.as_str()).or_default().entry((c.0, c.1)).or_insert((c, 0.0));
                slot.1 += sc;
            }
        }
        group_picks = group_scores
            .iter()
            .map(|(k, v)| {
                let n = mentions.iter().filter(|m| m.key == *k).count().max(1) as f64;
                let cues = group_cues.get(k);
                let scores: Vec<(Cand, f64)> = v
                    .iter()
                    .map(|(id, &(c, sc))| (c, sc / n + cues.and_then(|q| q.get(id)).copied().unwrap_or(0.0)))
                    .collect();
                (*k, best_of(&scores))
            })
            .collect();
        if round == 1 {
            break;
        }
        let mut next: Vec<(String, f64, f64, f64)> = Vec::new();
        for m in &mentions {
            if m.role != Role::Place || m.loose || m.weak || next.iter().any(|a| a.0 == m.key) {
                continue;
            }
            let Some(p) = group_picks.get(m.key.as_str()) else { continue };
            let Some(c) = p.cand else { continue };
            let f = fcode(gaz, c);
            if is_country(f) || f == "CONT" || p.margin < 0.5 {
                continue;
            }
            let e = entry(gaz, c);
            let (lat, lon) = (f64::from(e.lat), f64::from(e.lon));
            next.push((m.key.clone(), lat, lon, lat.to_radians().cos()));
        }
        next.sort_by(|a, b| a.0.cmp(&b.0));
        anchor_points.sort_by(|a, b| a.0.cmp(&b.0));
        if next == anchor_points {
            break;
        }
        anchor_points = next;
    }

    // A report whose places lie far apart (a league's cities, a national story) says little about
    // which namesake of a name it means: there a small town that won only by lying near one of
    // them gives way to a city of that name in the same country ("Portland" with "Houston" and
    // "Oakland" is the Oregon city, not the Texas town near Houston).
    let wide = anchor_points.len() >= WIDE_ANCHORS && {
        let far = |a: &(String, f64, f64, f64)| {
            anchor_points.iter().filter(|b| approx_km(a.1, a.2, b.1, b.2, b.3) > WIDE_KM).count()
        };
        anchor_points.iter().filter(|a| far(a) > 0).count() >= WIDE_ANCHORS / 2
    };
    // So does a small town that won a capital's or a country's name ("London" read as a town in
    // Ohio, "China" as one in Texas) by the focus alone, in any report.
    {
        for m in &mentions {
            let Some(p) = group_picks.get(m.key.as_str()) else { continue };
            let Some(c) = p.cand else { continue };
            let e = entry(gaz, c);
            if m.role == Role::SubPlace || !is_populated(fcode(gaz, c)) || e.population >= SMALL_NAMESAKE_POP {
                continue;
            }
            let cued = mentions.iter().any(|o| {
                o.key == m.key && (o.in_dateline || o.admin_cue != 0 || o.settlement_cue || o.comma_next.is_some())
            });
            if cued {
                continue;
            }
            // (Unless another name of the report lies in its county, or the outlet's home nearby.)
            let gid = gid_of[m.key.as_str()];
            let county = (c.0, e.cc, e.admin1, e.admin2);
            let (lat, lon) = (f64::from(e.lat), f64::from(e.lon));
            let near_home = anchor_points
                .iter()
                .any(|(k, alat, alon, cos)| home_keys.contains(k) && approx_km(lat, lon, *alat, *alon, *cos) < 100.0);
            if near_home
                || (e.admin2 != crate::artifact::NONE
                    && (other_than(&towns_at, county, gid) || other_than(&counties_at, county, gid)))
            {
                continue;
            }
            // (A capital's name stays the town's when another place of the report lies in its province:
            // "Paris" with "Nashville".)
            let province_named = e.admin1 != crate::artifact::NONE
                && group_picks.iter().any(|(k, q)| {
                    *k != m.key.as_str()
                        && q.cand.is_some_and(|x| {
                            let xe = entry(gaz, x);
                            x.0 == c.0 && xe.cc == e.cc && xe.admin1 == e.admin1
                        })
                });
            let city = m
                .cands
                .iter()
                .filter(|&&x| {
                    let xf = fcode(gaz, x);
                    x.2 == PostingKind::Primary
                        // (A country's own name: "exports to China" is not a Texas town.)
                        && (is_country(xf)
                            || if xf == "PPLC" {
                                !province_named && entry(gaz, x).population >= CAPITAL_NAMESAKE_POP
                            } else {
                                wide && cc(gaz, x) == cc(gaz, c)
                                    && is_populated(xf)
                                    && entry(gaz, x).population >= CITY_NAMESAKE_POP
                            })
                })
                .max_by_key(|&&x| (entry(gaz, x).population, std::cmp::Reverse((x.0, x.1))));
            if let Some(&x) = city {
                let key = m.key.as_str();
                group_picks.insert(key, Pick { cand: Some(x), score: p.score, margin: 0.0 });
            }
        }
    }

    // A village, small town or small district abroad, when the other names agree on another
    // country and the gazetteer knows no place of that name there ("New Brighton" in a South
    // African report, "West Coast" in an American one):
    // most likely a place the gazetteer lacks, so no homonym abroad is reported.
    let foreign_homonym = |m: &Mention| -> bool {
        let Some(c) = group_picks.get(m.key.as_str()).and_then(|p| p.cand) else { return false };
        let Some((Some(fc), share, total)) = focus_without.get(m.key.as_str()) else { return false };
        let e = entry(gaz, c);
        m.role == Role::Place
            && !m.in_dateline
            && m.admin_cue == 0
            && !m.strong
            && *share >= 0.6
            && *total >= 2.0
            && cc(gaz, c) != fc
            && (is_populated(fcode(gaz, c)) || is_admin(fcode(gaz, c)))
            && e.population < 50_000
            && !gaz.layers[c.0 as usize].user
            && !m.cands.iter().any(|&x| cc(gaz, x) == fc)
    };
    let dropped: Vec<bool> = mentions.iter().map(foreign_homonym).collect();
    // A small place abroad reached by a variant name or a loose key, far from every other place of
    // the report and outside the countries it is about ("Diya" read as a Tibetan village next to
    // "Bangui"): most likely a place the gazetteer lacks, kept as a mention with no point.
    let far_foreign = |m: &Mention| -> bool {
        let Some(c) = group_picks.get(m.key.as_str()).and_then(|p| p.cand) else { return false };
        // Without a focus country, the other places alone must be far; a lone place is measured
        // against the country the hints point to ("SPLA-IO fighters attacked Mundri" is not the
        // Indonesian village).
        let (fc, share) = match focus_without.get(m.key.as_str()) {
            Some((Some(fc), share, _)) => (fc.as_str(), *share),
            _ => ("", 1.0),
        };
        let lone = anchor_points.iter().all(|a| a.0 == m.key);
        let fc = if lone { strongest_prior.as_deref().unwrap_or(fc) } else { fc };
        let code = cc(gaz, c);
        let e = entry(gaz, c);
        if m.role != Role::Place
            || m.in_dateline
            || m.admin_cue != 0
            || share < 0.5
            || code == fc
            || prior_votes.contains_key(code)
            || crate::recognize::is_strong(gaz, c)
            || gaz.layers[c.0 as usize].user
            || is_country(fcode(gaz, c))
        {
            return false;
        }
        let variant = m.loose || c.2 != PostingKind::Primary;
        let small = crate::recognize::is_small(gaz, c) || (is_populated(fcode(gaz, c)) && e.population < 20_000);
        // (A report's only name, reached by a variant of a town abroad, is measured so whatever the
        // town's size: "gunmen attacked Chama" in a South Sudanese report is not Hama in Syria.)
        let lone_variant = lone && variant && is_populated(fcode(gaz, c));
        if !(lone_variant
            || small
            || (variant && e.population < 100_000 && !matches!(fcode(gaz, c), "PPLC" | "PPLA" | "ADM1")))
        {
            return false;
        }
        let (lat, lon) = (f64::from(e.lat), f64::from(e.lon));
        let mut others = anchor_points.iter().filter(|a| a.0 != m.key).peekable();
        if others.peek().is_none() {
            // No other point: far from the focus country itself ("Golo, Sudan" read as a village
            // in Guinea-Bissau), not merely outside it.
            return gaz.countries.get(fc).is_some_and(|&(l, i)| {
                let ce = &gaz.layers[l as usize].data.entries[i as usize];
                let clat = f64::from(ce.lat);
                approx_km(lat, lon, clat, f64::from(ce.lon), clat.to_radians().cos()) > 1.5 * FAR_KM
            });
        }
        others.all(|(_, alat, alon, cos)| approx_km(lat, lon, *alat, *alon, *cos) > FAR_KM)
    };
    let unresolved: Vec<bool> = mentions.iter().map(far_foreign).collect();
    // A small place in the focus country, far from every other place of a report whose places lie
    // together ("Washington Square" read as a Pennsylvania town in a report on streets of New
    // Orleans): most likely a square, street or quarter the gazetteer lacks, named after a town
    // elsewhere; kept as a sub-place at the report's place named nearest before it.
    let far_local = |m: &Mention| -> bool {
        let Some(c) = group_picks.get(m.key.as_str()).and_then(|p| p.cand) else { return false };
        if m.role != Role::Place
            || m.in_dateline
            || m.in_title
            || m.admin_cue != 0
            || m.settlement_cue
            || m.comma_next.is_some()
            || focus.as_deref() != Some(cc(gaz, c))
            || !crate::recognize::is_small(gaz, c)
        {
            return false;
        }
        let e = entry(gaz, c);
        let (lat, lon) = (f64::from(e.lat), f64::from(e.lon));
        let others: Vec<_> = anchor_points.iter().filter(|a| a.0 != m.key && !home_keys.contains(&a.0)).collect();
        if others.len() < LOCAL_OTHERS
            || others.iter().any(|(_, alat, alon, cos)| approx_km(lat, lon, *alat, *alon, *cos) <= FAR_KM)
        {
            return false;
        }
        // Enough of the others lie together (each within half FAR_KM of another).
        let together = others
            .iter()
            .filter(|(k, alat, alon, _)| {
                others.iter().any(|(k2, blat, blon, bcos)| {
                    k2 != k && approx_km(*alat, *alon, *blat, *blon, *bcos) < FAR_KM / 2.0
                })
            })
            .count();
        together >= LOCAL_OTHERS
    };
    let outlier: Vec<bool> = mentions.iter().map(far_local).collect();
    // Mention index → index in the output.
    let mut out_index: Vec<Option<usize>> = Vec::with_capacity(mentions.len());

    // Build the output.
    let mut out = GeoParse { focus_country: focus.clone(), ..GeoParse::default() };
    for (mi, m) in mentions.iter().enumerate() {
        if dropped[mi] || m.home || m.inside {
            out_index.push(None);
            continue;
        }
        out_index.push(Some(out.places.len()));
        let pick = group_picks.get(m.key.as_str());
        let cand = pick.and_then(|p| p.cand).filter(|_| !unresolved[mi] && !outlier[mi]);
        let span = Span::of(text, m.range);
        let mut pm = PlaceMention {
            span,
            name: None,
            geonameid: None,
            feature_code: None,
            iso: None,
            country: None,
            admin1: None,
            admin2: None,
            latitude: None,
            longitude: None,
            kind: "place",
            geo_precision: None,
            confidence: 0.0,
        };
        let mut usage = Usage::Place;
        match cand {
            Some(c) => {
                let e = entry(gaz, c);
                let f = fcode(gaz, c);
                let code = cc(gaz, c);
                let user = gaz.layers[c.0 as usize].user;
                pm.name = s(gaz, c.0, e.name).map(str::to_owned);
                pm.geonameid = (e.id != 0).then_some(e.id);
                pm.feature_code = Some(f.to_owned());
                pm.iso = (!code.is_empty()).then(|| code.to_owned());
                pm.country = pm.iso.as_deref().and_then(|iso| gaz.country_name(iso)).map(str::to_owned);
                pm.admin1 = s(gaz, c.0, e.admin1).map(str::to_owned);
                pm.admin2 = s(gaz, c.0, e.admin2).map(str::to_owned);
                pm.latitude = Some(round5(f64::from(e.lat)));
                pm.longitude = Some(round5(f64::from(e.lon)));
                pm.kind = if is_country(f) {
                    "country"
                } else if is_area(f) {
                    "region"
                } else {
                    "place"
                };
                pm.geo_precision = Some(if user {
                    1
                } else if is_country(f) || f == "ADM1" || (is_area(f) && f != "ADM2") {
                    3
                } else if f == "ADM2" {
                    2
                } else {
                    1
                });
                let p = pick.expect("a candidate comes from a pick");
                let margin = p.margin.min(5.0);
                let mut conf = 0.55 + 0.08 * margin;
                if m.cands.len() == 1 {
                    conf = conf.max(0.85);
                }
                if m.loose {
                    conf -= 0.25;
                }
                let _ = p.score;
                match m.role {
                    Role::Demonym => {
                        pm.kind = "demonym";
                        pm.geo_precision = None;
                        usage = Usage::Demonym;
                    }
                    // "protesters at Ambo University": the university's town is where they are.
                    Role::Embedded if m.campus => conf -= 0.3,
                    Role::Embedded => {
                        usage = Usage::Embedded;
                        conf -= 0.3;
                    }
                    Role::Metonym => {
                        usage = Usage::Metonym;
                        conf -= 0.2;
                    }
                    Role::SubPlace if m.within => {
                        // A building in the town it is named after: the town's point, a place in it.
                        pm.kind = "sub-place";
                        pm.name = Some(span_text(text, m));
                        pm.geonameid = None;
                        pm.feature_code = None;
                        pm.geo_precision = Some(if is_populated(f) { 1 } else { 2 });
                        conf -= 0.1;
                    }
                    Role::SubPlace | Role::Place => {
                        if let Some((km, bearing, phrase)) = m.near
                            && pm.kind == "place"
                        {
                            usage = Usage::Near { km, bearing, phrase: Span::of(text, phrase) };
                            pm.geo_precision = Some(2);
                        }
                    }
                }
                pm.confidence = conf.clamp(0.05, 0.99) as f32;
            }
            None => {
                if m.role == Role::SubPlace || outlier[mi] {
                    pm.kind = "sub-place";
                    usage = Usage::SubPlace { parent: None };
                }
            }
        }
        out.places.push(pm);
        out.usage.push(usage);
    }
    // "Kirkuk, Iraq", "Maiduguri, Borno": the country or province qualifies the place before it.
    for (k, m) in mentions.iter().enumerate() {
        let (Some(k), Some(j)) = (out_index[k], m.comma_next.and_then(|j| out_index[j])) else { continue };
        let (a, b) = (&out.places[k], &out.places[j]);
        let qualifies = matches!(out.usage[k], Usage::Place | Usage::Near { .. })
            && matches!(out.usage[j], Usage::Place)
            && a.kind == "place"
            && a.iso.is_some()
            && a.iso == b.iso
            && (b.kind == "country"
                || (b.feature_code.as_deref() == Some("ADM1")
                    && a.admin1.is_some()
                    && (b.admin1 == a.admin1 || b.name == a.admin1)));
        if qualifies {
            out.usage[j] = Usage::Qualifier { of: k };
            continue;
        }
        // "Grantville, Pennsylvania" when the gazetteer knows no Grantville there: a place it lacks,
        // placed at the province (or country) that qualifies it.
        let contradicted = matches!(out.usage[k], Usage::Place)
            && matches!(out.usage[j], Usage::Place)
            && a.kind == "place"
            && !m.strong
            && !m.in_dateline
            && b.latitude.is_some()
            && (b.kind == "country" || b.feature_code.as_deref() == Some("ADM1"))
            && !m.cands.iter().any(|&c| {
                Some(cc(gaz, c)) == b.iso.as_deref()
                    && (b.kind == "country" || s(gaz, c.0, entry(gaz, c).admin1) == b.name.as_deref())
            });
        if contradicted {
            let b = b.clone();
            let pm = &mut out.places[k];
            pm.name = Some(pm.span.text.clone());
            pm.kind = "sub-place";
            pm.geonameid = None;
            pm.feature_code = None;
            pm.iso = b.iso;
            pm.country = b.country;
            pm.admin1 = if b.kind == "country" { None } else { b.name };
            pm.admin2 = None;
            pm.latitude = b.latitude;
            pm.longitude = b.longitude;
            pm.geo_precision = Some(3);
            pm.confidence = 0.4;
            out.usage[k] = Usage::SubPlace { parent: Some(j) };
            out.usage[j] = Usage::Qualifier { of: k };
        }
    }
    // Sub-places: the parent is the nearest populated place (or district) before, else after.
    for i in 0..out.places.len() {
        if !matches!(out.usage[i], Usage::SubPlace { parent: None }) {
            continue;
        }
        let ok = |j: usize| {
            let p = &out.places[j];
            matches!(out.usage[j], Usage::Place | Usage::Near { .. })
                && p.latitude.is_some()
                && (p.kind == "place" || p.feature_code.as_deref() == Some("ADM2"))
                && (focus.is_none() || p.iso == focus)
        };
        // Failing that, the nearest place of any rank below a country (the report's province or district).
        let fallback = |j: usize| {
            let p = &out.places[j];
            matches!(out.usage[j], Usage::Place | Usage::Near { .. } | Usage::Qualifier { .. })
                && p.latitude.is_some()
                && p.kind == "region"
                && p.feature_code.as_deref().is_some_and(is_admin)
                && (focus.is_none() || p.iso == focus)
        };
        let parent = (0..i)
            .rev()
            .find(|&j| ok(j))
            .or_else(|| (i + 1..out.places.len()).find(|&j| ok(j)))
            .or_else(|| (0..i).rev().find(|&j| fallback(j)))
            .or_else(|| (i + 1..out.places.len()).find(|&j| fallback(j)));
        let name = out.places[i].span.text.clone();
        if let Some(j) = parent {
            let p = out.places[j].clone();
            let pm = &mut out.places[i];
            pm.name = Some(name);
            pm.iso = p.iso;
            pm.country = p.country;
            pm.admin1 = p.admin1;
            pm.admin2 = p.admin2;
            pm.latitude = p.latitude;
            pm.longitude = p.longitude;
            pm.geo_precision = Some(2);
            pm.confidence = 0.5;
        }
        out.usage[i] = Usage::SubPlace { parent };
    }
    // No place says where (or only places left unresolved voted for the focus): the strongest
    // hint does, when one is strongest.
    let placed = out
        .focus_country
        .as_deref()
        .is_some_and(|f| out.places.iter().any(|p| p.iso.as_deref() == Some(f)) || prior_votes.contains_key(f));
    if !placed {
        out.focus_country = strongest_prior;
    }
    out.focus_point = out.focus_country.as_deref().and_then(|fc| {
        let &(l, i) = gaz.countries.get(fc)?;
        let layer = &gaz.layers[l as usize];
        let e = &layer.data.entries[i as usize];
        Some((layer.data.str(e.name)?.to_owned(), f64::from(e.lat), f64::from(e.lon)))
    });
    out
}

/// A region's name without its rank words: "city of norfolk", "norfolk county" and "norfolk city"
/// → "norfolk" (keys are folded lower case).
pub(crate) fn name_core(key: &str) -> &str {
    let mut k = key;
    for p in ["city of ", "county of ", "town of ", "township of ", "village of "] {
        k = k.strip_prefix(p).unwrap_or(k);
    }
    for sfx in [" county", " city", " parish", " borough", " township"] {
        k = k.strip_suffix(sfx).unwrap_or(k);
    }
    if k.is_empty() { key } else { k }
}

/// (layer, country, province, county) string ids → the name groups with such a reading: the first,
/// and whether there are more.
type CountyIndex = HashMap<(u8, u32, u32, u32), (u32, bool), FnvBuild>;

/// True when a name group other than `gid` has a reading at `at`.
fn other_than(map: &CountyIndex, at: (u8, u32, u32, u32), gid: u32) -> bool {
    map.get(&at).is_some_and(|&(first, more)| more || first != gid)
}

fn span_text(text: &str, m: &Mention) -> String {
    text[m.range].to_owned()
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

pub(crate) fn location(parse: &GeoParse, i: usize) -> Option<Location> {
    let pm = parse.places.get(i)?;
    let usage = parse.usage.get(i)?.clone();
    if let Usage::Qualifier { of } = usage {
        return if of < i { location(parse, of) } else { None };
    }
    if matches!(usage, Usage::Demonym | Usage::Embedded | Usage::Metonym) || pm.kind == "demonym" {
        return None;
    }
    let (Some(lat), Some(lon)) = (pm.latitude, pm.longitude) else {
        return unplaced(parse, pm);
    };
    pm.iso.as_ref()?;
    let mut loc = Location {
        name: pm.name.clone().unwrap_or_else(|| pm.span.text.clone()),
        admin1: pm.admin1.clone(),
        admin2: pm.admin2.clone(),
        country: pm.country.clone(),
        iso: pm.iso.clone(),
        latitude: lat,
        longitude: lon,
        geo_precision: pm.geo_precision.unwrap_or(3),
        geonameid: pm.geonameid,
        span: pm.span.clone(),
    };
    if pm.kind == "country" {
        loc.admin1 = None;
        loc.admin2 = None;
    }
    match usage {
        Usage::Near { km, bearing, phrase } => {
            loc.geo_precision = 2;
            if let (Some(km), Some(b)) = (km, bearing) {
                let (la, lo) = destination(lat, lon, km, b);
                loc.latitude = round5(la);
                loc.longitude = round5(lo);
            }
            loc.span = phrase;
        }
        Usage::SubPlace { parent } => {
            parent?;
            loc.geo_precision = pm.geo_precision.unwrap_or(2).max(2);
            loc.geonameid = None;
        }
        _ => {}
    }
    Some(loc)
}

/// An unresolved place name ("Golo", read as no place the gazetteer holds) in a report where no name
/// has a point: the focus country (from the report's hints), precision 3 — the country is known,
/// the place is not.
fn unplaced(parse: &GeoParse, pm: &PlaceMention) -> Option<Location> {
    if !matches!(pm.kind, "place" | "sub-place") || parse.places.iter().any(|p| p.latitude.is_some()) {
        return None;
    }
    let (country, lat, lon) = parse.focus_point.clone()?;
    Some(Location {
        name: pm.span.text.clone(),
        admin1: None,
        admin2: None,
        country: Some(country),
        iso: parse.focus_country.clone(),
        latitude: round5(lat),
        longitude: round5(lon),
        geo_precision: 3,
        geonameid: None,
        span: pm.span.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_destinations() {
        // Mosul to Erbil is about 80 km.
        let d = haversine_km(36.335, 43.119, 36.19, 44.01);
        assert!((75.0..90.0).contains(&d), "{d}");
        let (lat, lon) = destination(36.335, 43.119, 30.0, 180.0);
        assert!((haversine_km(36.335, 43.119, lat, lon) - 30.0).abs() < 0.1);
        assert!(lat < 36.335 && (lon - 43.119).abs() < 1e-6);
    }
}
