//! Geoparsing: toponym recognition and resolution on GeoWebNews (`GWN.xml`) and LGL (`lgl.xml`).
//!
//! [`evaluate`] reads one of the two files, runs the geoparser on each
//! article's `<text>` and scores the place mentions it returns against the
//! annotated toponyms. The principal type is [`GeoReport`].
//!
//! Each article is geoparsed with its web address (LGL `<url>`, GWN `<link>`) and
//! that address's domain as its outlet, as `sitrep extract` reads them from a
//! JSON Lines record: the outlet's home country, the country-code domain and the
//! town the domain names are hints (`sitrep::Pipeline::geoparse_text`).
//!
//! Scoring conventions:
//!
//! - **Offsets.** Both files give toponym offsets in characters of the
//!   article text; they are converted to byte offsets. The few GWN toponyms
//!   whose offsets do not cover their annotated name (5 in the file) are set
//!   aside (counted in `gold_offset_mismatch`).
//! - **Which gold toponyms count.** LGL: every `<toponym>`. GWN: every
//!   annotation that carries coordinates — the types `Literal`, `Mixed`,
//!   `Coercion`, `Embedded_Literal`, `Literal_Modifier`, `Metonymic`,
//!   `Non_Literal_Modifier` (adjectival demonyms such as "Syrian") and
//!   `Embedded_Non_Lit` ("Washington" in "Washington Post"), as in the
//!   GeoWebNews paper's geoparsing evaluation. GWN's `Literal_Expression` and
//!   `Non_Lit_Expression` (common nouns: "the city", "residents"),
//!   `Non_Toponym`, `Homonym` and `Language` annotations are not toponyms: a
//!   prediction on them is a false positive. GWN's `Demonym` annotations
//!   (nouns for people: "Syrians") and `Coercion` toponyms without
//!   coordinates carry no point: a prediction on them is *neutral* (neither
//!   right nor wrong), since sitrep reports demonyms as a kind of their own.
//! - **Detection.** A predicted mention matches a gold toponym when their
//!   byte spans overlap; matching is one-to-one, in text order. Unmatched
//!   predictions are false positives unless neutral.
//! - **Resolution.** For a matched toponym with gold coordinates, the error
//!   is the great-circle distance between the gold point and the predicted
//!   point (an unresolved prediction counts as wrong). `Acc@161` is the share
//!   of matched toponyms within 161 km (100 miles). Gold toponyms without
//!   coordinates (626 LGL streets and buildings) count for detection only.
//! - **End to end.** A gold toponym with coordinates is found end to end
//!   when a prediction matches it *and* lies within 161 km. Precision divides
//!   by the predictions that matched a toponym with coordinates plus the
//!   false positives; recall by the gold toponyms with coordinates.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use serde::Serialize;
use sitrep_model::PlaceMention;

use crate::metrics::{Counts, Prf, f3, haversine_km, median, pct, round1, round4, table};

/// One annotated toponym.
#[derive(Clone, Debug, PartialEq)]
struct Gold {
    start: usize,
    end: usize,
    name: String,
    kind: GoldKind,
    point: Option<(f64, f64)>,
    geonameid: Option<u32>,
    /// GWN annotation type or LGL feature code.
    label: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GoldKind {
    /// Scored.
    Toponym,
    /// A prediction here is neither right nor wrong.
    Neutral,
    /// Not a toponym: a prediction here is a false positive.
    NotToponym,
}

#[derive(Clone, Debug)]
struct Article {
    text: String,
    /// The article's web address (LGL `<url>`, else `<domain>`; GWN `<link>`).
    url: Option<String>,
    gold: Vec<Gold>,
}

/// One error for the worst-errors tables.
#[derive(Clone, Debug, Serialize)]
pub struct GeoError {
    /// Article index in the file (0-based).
    pub article: usize,
    /// Byte range of the mention (gold when missed, predicted otherwise).
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Error distance in km (resolution errors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub km: Option<f64>,
    /// Gold label (GWN type or LGL feature code), when there is a gold toponym.
    pub label: String,
    /// What the system said: name, feature code and country of its entry.
    pub predicted: String,
    /// The mention's text (only with evidence text on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Counts by gold label (GWN type or LGL feature code).
#[derive(Clone, Debug, Default, Serialize)]
pub struct LabelRow {
    /// Gold toponyms with this label.
    pub gold: u32,
    /// Of those, found.
    pub found: u32,
    /// Of the found ones with coordinates, within 161 km.
    pub within_161: u32,
}

/// The geoparsing scores of one file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct GeoReport {
    /// File name.
    pub file: String,
    /// Articles read.
    pub articles: usize,
    /// Gold toponyms whose offsets do not cover their name (set aside).
    pub gold_offset_mismatch: usize,
    /// Predictions on neutral annotations (GWN demonym nouns), not scored.
    pub neutral_predictions: u32,
    /// Toponym detection (span overlap).
    pub detection: Prf,
    /// Matched toponyms with gold coordinates.
    pub resolved_scored: u32,
    /// Share of those within 161 km.
    pub acc_at_161: f64,
    /// Share of those within 161 km or resolved to the gold GeoNames id (countries and
    /// regions, whose representative points differ between gazetteers).
    pub acc_at_161_or_id: f64,
    /// Median error of those, km.
    pub median_error_km: Option<f64>,
    /// Mean error of those, km.
    pub mean_error_km: Option<f64>,
    /// End to end: found and within 161 km.
    pub end_to_end: Prf,
    /// Detection and resolution by gold label.
    pub by_label: BTreeMap<String, LabelRow>,
    /// Worst resolution errors (largest distance first).
    pub worst_resolution: Vec<GeoError>,
    /// Most frequent missed toponyms (by count), with one example each.
    pub missed: Vec<(u32, GeoError)>,
    /// Most frequent false positives (by count), with one example each.
    pub false_positives: Vec<(u32, GeoError)>,
    /// Articles per second of the geoparser (not serialised: timings vary).
    #[serde(skip)]
    pub articles_per_second: f64,
}

/// A geoparser: the text and its web address (the document's metadata) → its place mentions.
pub type Geoparse<'a> = dyn Fn(&str, Option<&str>) -> Vec<PlaceMention> + 'a;

/// Evaluates a geoparser on `GWN.xml` or `lgl.xml` (no evidence text in the report).
pub fn evaluate(path: &Path, geoparse: &Geoparse<'_>) -> anyhow::Result<GeoReport> {
    evaluate_with(path, geoparse, 10, false)
}

/// Like [`evaluate`], listing `worst` errors per table, with their text when `evidence_text`.
pub fn evaluate_with(
    path: &Path,
    geoparse: &Geoparse<'_>,
    worst: usize,
    evidence_text: bool,
) -> anyhow::Result<GeoReport> {
    let raw = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (articles, mismatched) = parse(&raw).with_context(|| format!("parsing {}", path.display()))?;
    let start = Instant::now();
    let predictions: Vec<Vec<PlaceMention>> = articles.iter().map(|a| geoparse(&a.text, a.url.as_deref())).collect();
    let secs = start.elapsed().as_secs_f64();
    let mut report = score(&articles, &predictions, worst, evidence_text);
    report.file = name;
    report.gold_offset_mismatch = mismatched;
    report.articles_per_second = if secs > 0.0 { articles.len() as f64 / secs } else { 0.0 };
    Ok(report)
}

fn describe(p: &PlaceMention) -> String {
    match &p.name {
        Some(n) => format!(
            "{n} ({}, {}, {})",
            p.kind,
            p.feature_code.as_deref().unwrap_or("-"),
            p.iso.as_deref().unwrap_or("-")
        ),
        None => format!("unresolved ({})", p.kind),
    }
}

fn score(articles: &[Article], predictions: &[Vec<PlaceMention>], worst: usize, evidence: bool) -> GeoReport {
    let mut det = Counts::default();
    let mut e2e = Counts::default();
    let mut errors_km: Vec<f64> = Vec::new();
    let mut within = 0u32;
    let mut within_or_id = 0u32;
    let mut neutral = 0u32;
    let mut by_label: BTreeMap<String, LabelRow> = BTreeMap::new();
    let mut res_errors: Vec<GeoError> = Vec::new();
    let mut missed: BTreeMap<String, (u32, GeoError)> = BTreeMap::new();
    let mut fps: BTreeMap<String, (u32, GeoError)> = BTreeMap::new();
    for (ai, (art, preds)) in articles.iter().zip(predictions).enumerate() {
        let mut gold_used = vec![false; art.gold.len()];
        let mut order: Vec<usize> = (0..art.gold.len()).collect();
        order.sort_by_key(|&g| (art.gold[g].start, art.gold[g].end));
        for p in preds {
            let (ps, pe) = (p.span.start as usize, p.span.end as usize);
            // A scored toponym first, then a neutral one, then a non-toponym.
            let find = |kind: GoldKind, used: &[bool]| {
                order.iter().copied().find(|&g| {
                    let t = &art.gold[g];
                    !used[g] && t.kind == kind && t.start < pe && ps < t.end
                })
            };
            if let Some(g) = find(GoldKind::Toponym, &gold_used) {
                gold_used[g] = true;
                det.tp += 1;
                let t = &art.gold[g];
                let row = by_label.entry(t.label.clone()).or_default();
                row.found += 1;
                if let Some((glat, glon)) = t.point {
                    let km = match (p.latitude, p.longitude) {
                        (Some(lat), Some(lon)) => haversine_km(glat, glon, lat, lon),
                        _ => 20_037.5, // unresolved: as wrong as can be
                    };
                    errors_km.push(km);
                    if km <= 161.0 || (t.geonameid.is_some() && t.geonameid == p.geonameid) {
                        within_or_id += 1;
                    }
                    if km <= 161.0 {
                        within += 1;
                        row.within_161 += 1;
                        e2e.tp += 1;
                    } else {
                        e2e.fp += 1;
                        res_errors.push(GeoError {
                            article: ai,
                            start: ps,
                            end: pe,
                            km: Some(round1(km)),
                            label: t.label.clone(),
                            predicted: describe(p),
                            text: evidence.then(|| art.text[ps..pe].to_owned()),
                        });
                    }
                }
                continue;
            }
            if find(GoldKind::Neutral, &gold_used).is_some() {
                neutral += 1;
                continue;
            }
            det.fp += 1;
            e2e.fp += 1;
            let key = art.text[ps..pe].to_lowercase();
            let slot = fps.entry(key).or_insert_with(|| {
                (
                    0,
                    GeoError {
                        article: ai,
                        start: ps,
                        end: pe,
                        km: None,
                        label: String::new(),
                        predicted: describe(p),
                        text: evidence.then(|| art.text[ps..pe].to_owned()),
                    },
                )
            });
            slot.0 += 1;
        }
        for (g, t) in art.gold.iter().enumerate() {
            if t.kind != GoldKind::Toponym {
                continue;
            }
            by_label.entry(t.label.clone()).or_default().gold += 1;
            if t.point.is_some() && !gold_used[g] {
                e2e.fn_ += 1;
            }
            if !gold_used[g] {
                det.fn_ += 1;
                let slot = missed.entry(t.name.to_lowercase()).or_insert_with(|| {
                    (
                        0,
                        GeoError {
                            article: ai,
                            start: t.start,
                            end: t.end,
                            km: None,
                            label: t.label.clone(),
                            predicted: "-".into(),
                            text: evidence.then(|| t.name.clone()),
                        },
                    )
                });
                slot.0 += 1;
            }
        }
    }
    // e2e recall: gold with points found within 161 km / gold with points.
    let gold_points: u32 =
        articles.iter().flat_map(|a| &a.gold).filter(|t| t.kind == GoldKind::Toponym && t.point.is_some()).count()
            as u32;
    e2e.fn_ = gold_points - e2e.tp;
    res_errors.sort_by(|a, b| b.km.partial_cmp(&a.km).unwrap_or(std::cmp::Ordering::Equal));
    res_errors.truncate(worst);
    let top = |m: BTreeMap<String, (u32, GeoError)>| {
        let mut v: Vec<(u32, GeoError)> = m.into_values().collect();
        v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.article.cmp(&b.1.article)).then(a.1.start.cmp(&b.1.start)));
        v.truncate(worst);
        v
    };
    let n = errors_km.len();
    GeoReport {
        file: String::new(),
        articles: articles.len(),
        gold_offset_mismatch: 0,
        neutral_predictions: neutral,
        detection: det.prf(),
        resolved_scored: n as u32,
        acc_at_161: round4(if n == 0 { 0.0 } else { f64::from(within) / n as f64 }),
        acc_at_161_or_id: round4(if n == 0 { 0.0 } else { f64::from(within_or_id) / n as f64 }),
        median_error_km: median(&errors_km).map(round1),
        mean_error_km: (n > 0).then(|| round1(errors_km.iter().sum::<f64>() / n as f64)),
        end_to_end: e2e.prf(),
        by_label,
        worst_resolution: res_errors,
        missed: top(missed),
        false_positives: top(fps),
        articles_per_second: 0.0,
    }
}

impl GeoReport {
    /// The report as a Markdown section.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "### Geoparsing: {} ({} articles)\n", self.file, self.articles);
        let d = &self.detection;
        let e = &self.end_to_end;
        table(
            &mut s,
            &["measure", "value"],
            &[
                vec!["detection P / R / F1".into(), format!("{} / {} / {}", f3(d.precision), f3(d.recall), f3(d.f1))],
                vec![
                    "gold toponyms / predicted / matched".into(),
                    format!("{} / {} / {}", d.gold, d.predicted, d.correct),
                ],
                vec!["Acc@161 of matched".into(), format!("{} (of {})", pct(self.acc_at_161), self.resolved_scored)],
                vec!["Acc@161 or same GeoNames id".into(), pct(self.acc_at_161_or_id)],
                vec![
                    "median / mean error km".into(),
                    format!(
                        "{} / {}",
                        self.median_error_km.map_or("-".into(), |x| format!("{x:.1}")),
                        self.mean_error_km.map_or("-".into(), |x| format!("{x:.1}"))
                    ),
                ],
                vec![
                    "end-to-end P / R / F1 (found, ≤161 km)".into(),
                    format!("{} / {} / {}", f3(e.precision), f3(e.recall), f3(e.f1)),
                ],
                vec!["neutral predictions (GWN demonym nouns)".into(), self.neutral_predictions.to_string()],
                vec!["gold set aside (offsets off)".into(), self.gold_offset_mismatch.to_string()],
            ],
        );
        s.push('\n');
        let rows: Vec<Vec<String>> = self
            .by_label
            .iter()
            .map(|(l, r)| {
                vec![
                    l.clone(),
                    r.gold.to_string(),
                    pct(if r.gold == 0 { 0.0 } else { f64::from(r.found) / f64::from(r.gold) }),
                    r.within_161.to_string(),
                ]
            })
            .collect();
        table(&mut s, &["gold label", "gold", "found", "≤161 km"], &rows);
        s.push('\n');
        let err_rows = |v: &mut dyn Iterator<Item = (Option<u32>, &GeoError)>| -> Vec<Vec<String>> {
            v.map(|(n, g)| {
                let mut r = vec![
                    format!("{}:{}..{}", g.article, g.start, g.end),
                    g.label.clone(),
                    g.predicted.clone(),
                    g.km.map_or("-".into(), |k| format!("{k:.0}")),
                ];
                if let Some(n) = n {
                    r.insert(0, n.to_string());
                }
                if let Some(t) = &g.text {
                    r.push(t.clone());
                }
                r
            })
            .collect()
        };
        let with_text = self.worst_resolution.iter().chain(self.missed.iter().map(|m| &m.1)).any(|g| g.text.is_some());
        let mut hdr = vec!["article:bytes", "gold label", "predicted", "km"];
        if with_text {
            hdr.push("text");
        }
        let _ = writeln!(s, "Worst resolution errors:\n");
        table(&mut s, &hdr, &err_rows(&mut self.worst_resolution.iter().map(|g| (None, g))));
        s.push('\n');
        let mut hdr2 = vec!["count"];
        hdr2.extend(hdr.iter().copied());
        let _ = writeln!(s, "Most missed toponyms:\n");
        table(&mut s, &hdr2, &err_rows(&mut self.missed.iter().map(|(n, g)| (Some(*n), g))));
        s.push('\n');
        let _ = writeln!(s, "Most frequent false positives:\n");
        table(&mut s, &hdr2, &err_rows(&mut self.false_positives.iter().map(|(n, g)| (Some(*n), g))));
        s
    }
}

// --- parsing -----------------------------------------------------------------------------

/// Parses GWN or LGL XML into articles (offsets converted to bytes) and the
/// number of gold toponyms set aside.
fn parse(raw: &str) -> anyhow::Result<(Vec<Article>, usize)> {
    let mut out = Vec::new();
    let mut mismatched = 0;
    let mut rest = raw;
    while let Some(i) = rest.find("<article") {
        let after = &rest[i..];
        let Some(end) = after.find("</article>") else {
            bail!("unterminated <article> at byte {}", raw.len() - after.len())
        };
        let block = &after[..end];
        rest = &after[end + "</article>".len()..];
        let Some(text) = element(block, "text") else { continue };
        let text = unescape(text);
        let chars: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        let mut gold = Vec::new();
        let tops = element(block, "toponyms").unwrap_or("");
        let mut trest = tops;
        while let Some(j) = trest.find("<toponym>") {
            let t_after = &trest[j + "<toponym>".len()..];
            let k = t_after.find("</toponym>").unwrap_or(t_after.len());
            let t = &t_after[..k];
            trest = &t_after[k..];
            let num = |tag: &str| element(t, tag).and_then(|v| v.trim().parse::<usize>().ok());
            let (Some(cs), Some(ce)) = (num("start"), num("end")) else { continue };
            if ce < cs || ce >= chars.len() {
                mismatched += 1;
                continue;
            }
            let (start, end) = (chars[cs], chars[ce]);
            let name = unescape(element(t, "extractedName").or_else(|| element(t, "phrase")).unwrap_or(""));
            if text[start..end] != name {
                mismatched += 1;
                continue;
            }
            let coord =
                |a: &str, b: &str| element(t, a).or_else(|| element(t, b)).and_then(|v| v.trim().parse::<f64>().ok());
            let point = match (coord("latitude", "lat"), coord("longitude", "lon")) {
                (Some(la), Some(lo)) => Some((la, lo)),
                _ => None,
            };
            let (kind, label) = match element(t, "type") {
                Some(ty) => {
                    let ty = ty.trim().to_owned();
                    let kind = match ty.as_str() {
                        "Literal_Expression" | "Non_Lit_Expression" | "Non_Toponym" | "Homonym" | "Language" => {
                            GoldKind::NotToponym
                        }
                        _ if point.is_some() => GoldKind::Toponym,
                        _ => GoldKind::Neutral,
                    };
                    (kind, ty)
                }
                None => (GoldKind::Toponym, element(t, "fcode").map_or("none".into(), |f| f.trim().to_owned())),
            };
            let geonameid = element(t, "geonamesID")
                .and_then(|v| v.trim().parse().ok())
                .or_else(|| attribute(t, "gaztag", "geonameid").and_then(|v| v.parse().ok()));
            gold.push(Gold { start, end, name, kind, point, geonameid, label });
        }
        let url = ["url", "link", "domain"]
            .iter()
            .find_map(|tag| element(block, tag).map(|u| unescape(u.trim())).filter(|u| !u.is_empty()));
        out.push(Article { text, url, gold });
    }
    if out.is_empty() {
        bail!("no <article> with a <text> found");
    }
    Ok((out, mismatched))
}

/// The content of the first `<tag>…</tag>` (or `<tag …>…</tag>`) in `s`; `Some("")` for `<tag/>`.
fn element<'a>(s: &'a str, tag: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(i) = s[from..].find(&format!("<{tag}")) {
        let at = from + i + 1 + tag.len();
        let next = s[at..].chars().next()?;
        if next == '>' || next == ' ' || next == '/' {
            let close = s[at..].find('>')? + at;
            if s[..close].ends_with('/') {
                return Some("");
            }
            let body = &s[close + 1..];
            let end = body.find(&format!("</{tag}>"))?;
            let inner = &body[..end];
            return Some(inner.strip_prefix("<![CDATA[").and_then(|x| x.strip_suffix("]]>")).unwrap_or(inner));
        }
        from = at;
    }
    None
}

/// The value of attribute `attr` of the first `<tag …>` in `s`.
fn attribute<'a>(s: &'a str, tag: &str, attr: &str) -> Option<&'a str> {
    let i = s.find(&format!("<{tag} "))?;
    let open = &s[i..i + s[i..].find('>')?];
    let j = open.find(&format!("{attr}=\""))? + attr.len() + 2;
    let k = open[j..].find('"')?;
    Some(&open[j..j + k])
}

/// Resolves the XML entities of `s`.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let semi = after.find(';').filter(|&j| j <= 10);
        let rep = semi.and_then(|j| {
            let ent = &after[1..j];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if ent.starts_with("#x") => u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32),
                _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, j + 1))
        });
        match rep {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_model::Span;

    const GWN_LIKE: &str = r#"<articles><article file="0"><text>Rain hit Lyon &amp; Syrians fled the city.</text>
<toponyms>
<toponym><extractedName>Lyon</extractedName><type>Literal</type><nonLocational>No</nonLocational>
<start>9</start><end>13</end><geonamesID>2996944</geonamesID><latitude>45.75</latitude><longitude>4.85</longitude></toponym>
<toponym><extractedName>Syrians</extractedName><type>Demonym</type><nonLocational>No</nonLocational>
<start>16</start><end>23</end></toponym>
<toponym><extractedName>city</extractedName><type>Literal_Expression</type><nonLocational>No</nonLocational>
<start>33</start><end>37</end></toponym>
</toponyms></article></articles>"#;

    fn pm(text: &str, s: usize, e: usize, point: Option<(f64, f64)>) -> PlaceMention {
        PlaceMention {
            span: Span::of(text, sitrep_text::TextRange::new(s, e)),
            name: point.map(|_| "X".to_owned()),
            geonameid: None,
            feature_code: None,
            iso: None,
            country: None,
            admin1: None,
            admin2: None,
            latitude: point.map(|p| p.0),
            longitude: point.map(|p| p.1),
            kind: "place",
            geo_precision: None,
            confidence: 0.5,
        }
    }

    #[test]
    fn parses_gwn_offsets_entities_and_types() {
        let (arts, bad) = parse(GWN_LIKE).unwrap();
        assert_eq!(bad, 0);
        assert_eq!(arts[0].text, "Rain hit Lyon & Syrians fled the city.");
        let g = &arts[0].gold;
        assert_eq!(g.len(), 3);
        assert_eq!(&arts[0].text[g[0].start..g[0].end], "Lyon");
        assert_eq!(g[0].kind, GoldKind::Toponym);
        assert_eq!(g[1].kind, GoldKind::Neutral);
        assert_eq!(g[2].kind, GoldKind::NotToponym);
    }

    #[test]
    fn scores_detection_resolution_and_neutral_predictions() {
        let (arts, _) = parse(GWN_LIKE).unwrap();
        let t = &arts[0].text;
        // Lyon resolved 300 km off, Syrians (neutral), "city" (a false positive).
        let preds = vec![vec![pm(t, 9, 13, Some((48.0, 4.85))), pm(t, 16, 23, None), pm(t, 33, 37, None)]];
        let r = score(&arts, &preds, 5, false);
        assert_eq!((r.detection.correct, r.detection.predicted, r.detection.gold), (1, 2, 1));
        assert_eq!(r.neutral_predictions, 1);
        assert_eq!(r.acc_at_161, 0.0);
        assert_eq!(r.end_to_end.correct, 0);
        assert_eq!(r.worst_resolution.len(), 1);
        assert!(r.worst_resolution[0].km.unwrap() > 200.0);
        let good = vec![vec![pm(t, 9, 13, Some((45.7, 4.8)))]];
        let r = score(&arts, &good, 5, false);
        assert_eq!(r.acc_at_161, 1.0);
        assert_eq!(r.end_to_end.f1, 1.0);
        assert!(r.markdown().contains("Acc@161"));
    }

    #[test]
    fn parses_lgl_cdata_and_char_offsets() {
        let xml = "<articles><article docid=\"1\"><text><![CDATA[Café in Paris.]]></text><toponyms count=\"1\">\
<toponym><start>8</start><end>13</end><phrase>Paris</phrase><gaztag geonameid=\"2988507\"><name>Paris</name>\
<fcode>PPLC</fcode><lat>48.85</lat><lon>2.35</lon></gaztag></toponym></toponyms></article></articles>";
        let (arts, bad) = parse(xml).unwrap();
        assert_eq!(bad, 0);
        let g = &arts[0].gold[0];
        // "Café" has a two-byte é: character 8 is byte 9.
        assert_eq!((g.start, g.end), (9, 14));
        assert_eq!(g.label, "PPLC");
        assert_eq!(g.point, Some((48.85, 2.35)));
        assert_eq!(g.geonameid, Some(2_988_507));
    }
}
