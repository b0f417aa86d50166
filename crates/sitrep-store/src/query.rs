//! Finding fused events: filters on indexed columns and FTS5.

use rusqlite::ToSql;
use sitrep_fuse::haversine_km;
use sitrep_model::{Date, Event};

use crate::decode::event_from_json;
use crate::{Store, StoreError};

/// Filters for [`Store::query`]. Every filter given must hold; a filter with
/// several values holds when any value matches. The default matches every
/// fused event.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Country names ("Iraq", any case) or ISO 3166 alpha-2 codes ("IQ").
    pub countries: Vec<String>,
    /// First-order divisions ("Nineveh", any case).
    pub admin1: Vec<String>,
    /// Event types, spelled as in the taxonomy.
    pub event_types: Vec<String>,
    /// Sub-event types, spelled as in the taxonomy.
    pub sub_event_types: Vec<String>,
    /// Actor names or their first words (any case; the last word may be cut
    /// short: "al shabaa"): matches when any report of the event named a
    /// matching actor on either side.
    pub actors: Vec<String>,
    /// First day (inclusive).
    pub since: Option<Date>,
    /// Last day (inclusive).
    pub until: Option<Date>,
    /// A point (latitude, longitude) and a radius in km.
    pub near: Option<(f64, f64, f64)>,
    /// An FTS5 query over the evidence of every report ("airstrike AND convoy",
    /// `"tear gas"`, `bomb*`).
    pub text: Option<String>,
    /// At least this many distinct sources (outlets).
    pub min_sources: Option<u32>,
    /// At most this many results.
    pub limit: Option<u64>,
}

/// One fused event as stored.
#[derive(Clone, Debug)]
pub struct FusedRow {
    /// The fused event's id.
    pub key: String,
    /// The fused event as JSON (`sitrep_fuse::FusedEvent`): the contract's
    /// Event keys plus `document`, `fatalities_range`, `n_sources`,
    /// `n_documents` and `sources`.
    pub json: String,
    /// Latitude, when located.
    pub latitude: Option<f64>,
    /// Longitude, when located.
    pub longitude: Option<f64>,
}

impl FusedRow {
    /// The fused event as a contract Event, and the id of the document its
    /// spans point into.
    ///
    /// # Errors
    /// A message when the stored JSON cannot be read.
    pub fn event(&self) -> Result<(Event, String), String> {
        let v: serde_json::Value = serde_json::from_str(&self.json).map_err(|e| e.to_string())?;
        let document = v.get("document").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
        Ok((event_from_json(&v)?, document))
    }
}

impl Store {
    /// Calls `each` with every fused event that matches, ordered by date
    /// (undated last) then id. Returns how many matched. A fused event of one
    /// report is rebuilt from that report; while fusion is pending after its
    /// report was replaced (`--no-fuse`, `recode`), it is left out until the
    /// next fusion pass removes or rebuilds it.
    ///
    /// # Errors
    /// A malformed full-text query ([`StoreError::BadTextQuery`]), a database
    /// error, or the first error `each` returns (which stops the query).
    pub fn query(
        &self,
        q: &Query,
        mut each: impl FnMut(&FusedRow) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut sql = String::from("SELECT c.key, c.json, c.latitude, c.longitude, c.id FROM clusters c WHERE 1");
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        let placeholders = |sql: &mut String, args: &mut Vec<Box<dyn ToSql>>, values: Vec<String>| {
            let marks: Vec<&str> = values.iter().map(|_| "?").collect();
            sql.push_str(&marks.join(", "));
            for v in values {
                args.push(Box::new(v));
            }
        };
        if !q.countries.is_empty() {
            let isos = self.country_codes(&q.countries)?;
            sql.push_str(" AND c.iso IN (");
            placeholders(&mut sql, &mut args, isos);
            sql.push(')');
        }
        if !q.admin1.is_empty() {
            sql.push_str(" AND c.admin1 COLLATE NOCASE IN (");
            placeholders(&mut sql, &mut args, q.admin1.clone());
            sql.push(')');
        }
        if !q.event_types.is_empty() {
            sql.push_str(" AND c.event_type IN (");
            placeholders(&mut sql, &mut args, q.event_types.clone());
            sql.push(')');
        }
        if !q.sub_event_types.is_empty() {
            sql.push_str(" AND c.sub_event_type IN (");
            placeholders(&mut sql, &mut args, q.sub_event_types.clone());
            sql.push(')');
        }
        if let Some(d) = q.since {
            sql.push_str(" AND c.event_date >= ?");
            args.push(Box::new(d.to_string()));
        }
        if let Some(d) = q.until {
            sql.push_str(" AND c.event_date <= ?");
            args.push(Box::new(d.to_string()));
        }
        if let Some(n) = q.min_sources {
            sql.push_str(" AND c.n_sources >= ?");
            args.push(Box::new(n));
        }
        // With an indexed filter above, full-text matches only filter the rows
        // it finds (`+c.id` keeps SQLite from fetching every match by rowid,
        // which for a common word is most of the file); alone, they drive the query.
        let fts = if q.countries.is_empty()
            && q.admin1.is_empty()
            && q.since.is_none()
            && q.until.is_none()
            && q.near.is_none()
        {
            " AND c.id IN (SELECT rowid FROM clusters_fts WHERE clusters_fts MATCH ?)"
        } else {
            " AND +c.id IN (SELECT rowid FROM clusters_fts WHERE clusters_fts MATCH ?)"
        };
        if !q.actors.is_empty() {
            // Each name part is a phrase whose last word may be cut short ("al shabaa" finds "Al Shabaab").
            let phrases: Vec<String> = q
                .actors
                .iter()
                .filter(|a| a.chars().any(char::is_alphanumeric))
                .map(|a| format!("actors : \"{}\"*", a.replace('"', "\"\"")))
                .collect();
            if phrases.is_empty() {
                sql.push_str(" AND 0");
            } else {
                sql.push_str(fts);
                args.push(Box::new(phrases.join(" OR ")));
            }
        }
        if let Some((lat, lon, km)) = q.near {
            // A box around the circle (the (latitude, longitude) index), then the exact distance below.
            let dlat = km / 111.0;
            let dlon = km / (111.320 * lat.to_radians().cos().abs().max(0.01));
            sql.push_str(" AND c.latitude BETWEEN ? AND ? AND c.longitude BETWEEN ? AND ?");
            args.push(Box::new(lat - dlat));
            args.push(Box::new(lat + dlat));
            args.push(Box::new(lon - dlon));
            args.push(Box::new(lon + dlon));
        }
        let text = q.text.as_ref().map(|t| format!("evidence : ({t})"));
        if let Some(text) = &text {
            sql.push_str(fts);
            args.push(Box::new(text.clone()));
        }
        sql.push_str(" ORDER BY c.event_date IS NULL, c.event_date, c.key");

        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let params: Vec<&dyn ToSql> = args.iter().map(AsRef::as_ref).collect();
        if let (Some(given), Some(text)) = (&q.text, &text) {
            // Check the full-text query alone first, so that its errors are told apart.
            let probe = self
                .conn
                .prepare_cached("SELECT 1 FROM clusters_fts WHERE clusters_fts MATCH ?1 LIMIT 1")
                .and_then(|mut s| s.exists([text]));
            if let Err(e) = probe {
                return Err(match e {
                    rusqlite::Error::SqliteFailure(f, msg) if f.code == rusqlite::ErrorCode::Unknown => {
                        StoreError::BadTextQuery {
                            path: self.path.clone(),
                            query: given.clone(),
                            detail: msg.unwrap_or_else(|| "syntax error".into()),
                        }
                    }
                    e => self.err(e),
                });
            }
        }
        let text_error = |e: rusqlite::Error| self.err(e);
        let mut rows = stmt.query(params.as_slice()).map_err(text_error)?;
        let mut n = 0u64;
        while let Some(r) = rows.next().map_err(text_error)? {
            if q.limit.is_some_and(|limit| n >= limit) {
                break;
            }
            let mut row = FusedRow {
                key: r.get(0).map_err(|e| self.err(e))?,
                json: r.get(1).map_err(|e| self.err(e))?,
                latitude: r.get(2).map_err(|e| self.err(e))?,
                longitude: r.get(3).map_err(|e| self.err(e))?,
            };
            if let Some((lat, lon, km)) = q.near {
                match (row.latitude, row.longitude) {
                    (Some(a), Some(b)) if haversine_km((lat, lon), (a, b)) <= km => {}
                    _ => continue,
                }
            }
            if row.json.is_empty() {
                // A fused event of one report: rebuilt from it.
                match self.single_json(r.get(4).map_err(|e| self.err(e))?)? {
                    Some(json) => row.json = json,
                    None => continue,
                }
            }
            each(&row)?;
            n += 1;
        }
        Ok(n)
    }

    /// The JSON of fused event `cluster`, made of one report (stored as
    /// `''`): rebuilt from that report's event row. `None` when the report is
    /// gone (its document was replaced or recoded and fusion is pending: the
    /// next fusion pass removes or rebuilds the fused event).
    fn single_json(&self, cluster: i64) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        let member: Option<(String, String, String, Option<String>)> = self
            .conn
            .prepare_cached(
                // `(SELECT ?1)`, not `?1`: a parameter compared with an indexed column can make SQLite
                // prepare the statement again for every new value, which cost more than the lookup.
                "SELECT e.uid, e.json, d.key, d.published FROM fused_members m JOIN events e ON e.id = m.event \
                 JOIN documents d ON d.id = e.document_id WHERE m.cluster = (SELECT ?1)",
            )
            .and_then(|mut s| s.query_row([cluster], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).optional())
            .map_err(|e| self.err(e))?;
        let Some((uid, json, document, published)) = member else { return Ok(None) };
        crate::fusion::single_json(&self.path, &uid, &json, &document, published.as_deref()).map(Some)
    }

    /// ISO codes for country filters: two letters are a code, anything else
    /// a country name looked up among the stored events.
    fn country_codes(&self, countries: &[String]) -> Result<Vec<String>, StoreError> {
        use rusqlite::OptionalExtension;
        let mut out = Vec::new();
        for c in countries {
            let c = c.trim();
            if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
                out.push(c.to_ascii_uppercase());
                continue;
            }
            let iso: Option<Option<String>> = self
                .conn
                .prepare_cached("SELECT iso FROM countries WHERE name = ?1 LIMIT 1")
                .and_then(|mut s| s.query_row([c], |r| r.get(0)).optional())
                .map_err(|e| self.err(e))?;
            // A name no stored event has matches nothing (an impossible code keeps the SQL simple).
            out.push(iso.flatten().unwrap_or_else(|| "-".to_owned()));
        }
        Ok(out)
    }
}
