//! The compiled gazetteer: entries, names and the two key indexes, and its file format.
//!
//! File format (gzip-compressed, little-endian, version 1):
//!
//! ```text
//! b"SRGAZ001"
//! u32 n_strings,  then n × (u32 len, UTF-8 bytes)      interned names, codes, admin names
//! u32 n_entries,  then n × 9 u32: geonameid, lat×1e5 (i32), lon×1e5 (i32), population,
//!                 name, feature code, country code, admin1, admin2 (string ids; u32::MAX = none)
//! u32 n_postings, then n × u32: entry index (low 28 bits) | posting kind << 28
//! u32 len, fst bytes   exact keys  → u64 (first posting << 32 | count << 8 | key flags)
//! u32 len, fst bytes   loose keys  → same
//! ```
//!
//! Everything is written in sorted order from sorted input, so the same input
//! gives the same bytes (gzip header without timestamp).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};

use fst::Streamer;

use crate::Error;
use crate::normalize;

/// String id meaning "none".
pub const NONE: u32 = u32::MAX;

/// How a key names an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PostingKind {
    /// The entry's own name.
    Primary = 0,
    /// An alternate name.
    Alternate = 1,
    /// An abbreviation ("Calif."): only trusted in "Town, Abbr." position.
    Abbrev = 2,
    /// A demonym ("Iraqi").
    Demonym = 3,
}

impl PostingKind {
    fn from_bits(b: u32) -> PostingKind {
        match b {
            0 => PostingKind::Primary,
            1 => PostingKind::Alternate,
            2 => PostingKind::Abbrev,
            _ => PostingKind::Demonym,
        }
    }
}

/// Key flag: the key is a common English word ("reading", "mobile").
pub const FLAG_COMMON_WORD: u64 = 1;
/// Key flag: some name with this key is written in capitals ("US", "UAE", "BC").
pub const FLAG_ACRONYM: u64 = 2;

/// One gazetteer entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// GeoNames id (0 when the entry is not a GeoNames feature).
    pub id: u32,
    /// Latitude.
    pub lat: f32,
    /// Longitude.
    pub lon: f32,
    /// Population (0 when unknown).
    pub population: u32,
    /// String id of the name.
    pub name: u32,
    /// String id of the GeoNames feature code.
    pub fcode: u32,
    /// String id of the ISO country code (NONE for continents and seas).
    pub cc: u32,
    /// String id of the admin1 name.
    pub admin1: u32,
    /// String id of the admin2 name.
    pub admin2: u32,
}

/// The loaded gazetteer data.
pub struct Data {
    pub strings: Vec<Box<str>>,
    pub entries: Vec<Entry>,
    pub postings: Vec<u32>,
    pub exact: fst::Map<Vec<u8>>,
    pub loose: fst::Map<Vec<u8>>,
}

impl Data {
    /// A string by id.
    #[inline]
    pub fn str(&self, id: u32) -> Option<&str> {
        if id == NONE { None } else { self.strings.get(id as usize).map(|s| &**s) }
    }

    /// Decodes a key's value into its postings and flags.
    #[inline]
    pub fn postings_of(&self, value: u64) -> (impl Iterator<Item = (u32, PostingKind)> + '_, u64) {
        let start = (value >> 32) as usize;
        let count = ((value >> 8) & 0xff_ffff) as usize;
        let flags = value & 0xff;
        let end = (start + count).min(self.postings.len());
        let it = self.postings[start.min(end)..end].iter().map(|&p| (p & 0x0fff_ffff, PostingKind::from_bits(p >> 28)));
        (it, flags)
    }

    /// Reads a compiled artifact (gzip-compressed).
    pub fn read(bytes: &[u8], origin: &str) -> Result<Data, Error> {
        let mut raw = Vec::with_capacity(bytes.len() * 3);
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut raw)
            .map_err(|e| Error::Format { path: origin.to_owned(), message: format!("not a gzip file: {e}") })?;
        Data::decode(&raw).map_err(|message| Error::Format { path: origin.to_owned(), message })
    }

    fn decode(raw: &[u8]) -> Result<Data, String> {
        let mut r = Reader { b: raw, at: 0 };
        if r.take(8)? != b"SRGAZ001" {
            return Err("not a sitrep gazetteer (bad magic)".into());
        }
        let n = r.u32()? as usize;
        let mut strings = Vec::with_capacity(n);
        for i in 0..n {
            let len = r.u32()? as usize;
            let s = std::str::from_utf8(r.take(len)?).map_err(|_| format!("string {i} is not UTF-8"))?;
            strings.push(Box::from(s));
        }
        let n = r.u32()? as usize;
        let mut entries = Vec::with_capacity(n);
        let body = r.take(n.checked_mul(36).ok_or("entry count overflows")?)?;
        for c in body.chunks_exact(36) {
            let w = |i: usize| u32::from_le_bytes([c[i * 4], c[i * 4 + 1], c[i * 4 + 2], c[i * 4 + 3]]);
            let e = Entry {
                id: w(0),
                lat: w(1) as i32 as f32 / 1e5,
                lon: w(2) as i32 as f32 / 1e5,
                population: w(3),
                name: w(4),
                fcode: w(5),
                cc: w(6),
                admin1: w(7),
                admin2: w(8),
            };
            for s in [e.name, e.fcode, e.cc, e.admin1, e.admin2] {
                if s != NONE && s as usize >= strings.len() {
                    return Err(format!("entry {} names string {s}, past the end", entries.len()));
                }
            }
            entries.push(e);
        }
        let n = r.u32()? as usize;
        let body = r.take(n.checked_mul(4).ok_or("posting count overflows")?)?;
        let postings: Vec<u32> = body.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        if let Some(p) = postings.iter().find(|&&p| (p & 0x0fff_ffff) as usize >= entries.len()) {
            return Err(format!("posting {p} names an entry past the end"));
        }
        let len = r.u32()? as usize;
        let exact = fst::Map::new(r.take(len)?.to_vec()).map_err(|e| format!("exact key index: {e}"))?;
        let len = r.u32()? as usize;
        let loose = fst::Map::new(r.take(len)?.to_vec()).map_err(|e| format!("loose key index: {e}"))?;
        Ok(Data { strings, entries, postings, exact, loose })
    }

    /// Writes the artifact, gzip-compressed.
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut gz = flate2::GzBuilder::new().mtime(0).write(out, flate2::Compression::best());
        gz.write_all(b"SRGAZ001")?;
        gz.write_all(&(self.strings.len() as u32).to_le_bytes())?;
        for s in &self.strings {
            gz.write_all(&(s.len() as u32).to_le_bytes())?;
            gz.write_all(s.as_bytes())?;
        }
        gz.write_all(&(self.entries.len() as u32).to_le_bytes())?;
        let mut buf = Vec::with_capacity(self.entries.len() * 36);
        for e in &self.entries {
            for w in [
                e.id,
                (e.lat * 1e5).round() as i32 as u32,
                (e.lon * 1e5).round() as i32 as u32,
                e.population,
                e.name,
                e.fcode,
                e.cc,
                e.admin1,
                e.admin2,
            ] {
                buf.extend_from_slice(&w.to_le_bytes());
            }
        }
        gz.write_all(&buf)?;
        gz.write_all(&(self.postings.len() as u32).to_le_bytes())?;
        let mut buf = Vec::with_capacity(self.postings.len() * 4);
        for p in &self.postings {
            buf.extend_from_slice(&p.to_le_bytes());
        }
        gz.write_all(&buf)?;
        for map in [&self.exact, &self.loose] {
            let bytes = map.as_fst().as_bytes();
            gz.write_all(&(bytes.len() as u32).to_le_bytes())?;
            gz.write_all(bytes)?;
        }
        gz.finish()?.flush()
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len()).ok_or("truncated artifact")?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, String> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
}

/// One entry to compile, with its names as written.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub id: u32,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub fcode: String,
    pub cc: String,
    pub admin1: String,
    pub admin2: String,
    pub population: u32,
    pub names: Vec<String>,
    pub abbrevs: Vec<String>,
    pub demonyms: Vec<String>,
}

/// Builds a [`Data`] from rows (and, for imports and extra places, from an existing [`Data`]).
pub struct Builder {
    strings: Vec<Box<str>>,
    string_ids: HashMap<Box<str>, u32>,
    entries: Vec<Entry>,
    keys: BTreeMap<String, BTreeSet<(u32, PostingKind)>>,
    acronyms: BTreeSet<String>,
    loose_keys: BTreeMap<String, BTreeSet<(u32, PostingKind)>>,
    common: BTreeSet<String>,
    loose_countries: BTreeSet<String>,
}

/// Countries whose names are transliterated from Arabic, Persian, Kurdish,
/// Pashto or Urdu: their places also get loose keys.
pub const LOOSE_COUNTRIES: &str = include_str!("../../../data/gazetteer/loose-countries.txt");
/// Common English words (SCOWL 10–35).
pub const COMMON_WORDS: &str = include_str!("../../../data/gazetteer/common-words.txt");

fn list(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(|l| l.split('#').next().unwrap_or("").trim()).filter(|l| !l.is_empty())
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// An empty builder with the shipped common-word and transliteration lists.
    pub fn new() -> Builder {
        Builder {
            strings: Vec::new(),
            string_ids: HashMap::new(),
            entries: Vec::new(),
            keys: BTreeMap::new(),
            acronyms: BTreeSet::new(),
            loose_keys: BTreeMap::new(),
            common: list(COMMON_WORDS).map(str::to_owned).collect(),
            loose_countries: list(LOOSE_COUNTRIES)
                .map(|c| c.split_whitespace().next().unwrap_or("").to_owned())
                .collect(),
        }
    }

    fn intern(&mut self, s: &str) -> u32 {
        if s.is_empty() {
            return NONE;
        }
        if let Some(&id) = self.string_ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(Box::from(s));
        self.string_ids.insert(Box::from(s), id);
        id
    }

    /// Number of entries so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adds an entry and its names; returns its index.
    pub fn add_row(&mut self, row: &Row) -> u32 {
        let entry = Entry {
            id: row.id,
            lat: row.lat as f32,
            lon: row.lon as f32,
            population: row.population,
            name: self.intern(&row.name),
            fcode: self.intern(&row.fcode),
            cc: self.intern(&row.cc),
            admin1: self.intern(&row.admin1),
            admin2: self.intern(&row.admin2),
        };
        let idx = self.entries.len() as u32;
        self.entries.push(entry);
        let loose = self.loose_countries.contains(&row.cc);
        self.add_name(idx, &row.name, PostingKind::Primary, loose);
        for n in &row.names {
            self.add_name(idx, n, PostingKind::Alternate, loose);
        }
        for n in &row.abbrevs {
            self.add_name(idx, n, PostingKind::Abbrev, false);
        }
        for n in &row.demonyms {
            self.add_name(idx, n, PostingKind::Demonym, false);
        }
        idx
    }

    /// Adds a name (raw text) for entry `idx`.
    pub fn add_name(&mut self, idx: u32, name: &str, kind: PostingKind, loose: bool) {
        let k = normalize::key(name);
        if k.is_empty() {
            return;
        }
        let letters = name.chars().filter(|c| c.is_alphabetic()).count();
        if (2..=5).contains(&letters) && name.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
            self.acronyms.insert(k.clone());
        }
        let mut variants = vec![k.clone()];
        // "al Khames" is also written "Khames": index the name without its article.
        if loose && let Some(rest) = k.strip_prefix("al ") {
            variants.push(rest.to_owned());
        }
        for (a, b) in [("saint ", "st "), ("st ", "saint "), ("mount ", "mt "), ("fort ", "ft ")] {
            if let Some(rest) = k.strip_prefix(a) {
                variants.push(format!("{b}{rest}"));
            }
        }
        for (i, v) in variants.into_iter().enumerate() {
            let kind = if i > 0 && kind == PostingKind::Primary { PostingKind::Alternate } else { kind };
            self.add_key(idx, v, kind, loose);
        }
    }

    /// Adds an already normalised key for entry `idx`.
    pub fn add_key(&mut self, idx: u32, key: String, kind: PostingKind, loose: bool) {
        if loose && matches!(kind, PostingKind::Primary | PostingKind::Alternate) {
            let lk = normalize::loose_key(&key);
            if lk.len() >= 4 {
                self.loose_keys.entry(lk).or_default().insert((idx, kind));
            }
        }
        self.keys.entry(key).or_default().insert((idx, kind));
    }

    /// True when the country's names get loose keys.
    pub fn is_loose_country(&self, cc: &str) -> bool {
        self.loose_countries.contains(cc)
    }

    /// Copies every entry and key of `data` (for imports and extra places).
    pub fn extend_from(&mut self, data: &Data) -> Vec<u32> {
        let mut map = Vec::with_capacity(data.entries.len());
        for e in &data.entries {
            let s = |id| data.str(id).unwrap_or("").to_owned();
            let entry = Entry {
                name: self.intern(&s(e.name)),
                fcode: self.intern(&s(e.fcode)),
                cc: self.intern(&s(e.cc)),
                admin1: self.intern(&s(e.admin1)),
                admin2: self.intern(&s(e.admin2)),
                ..*e
            };
            map.push(self.entries.len() as u32);
            self.entries.push(entry);
        }
        for (fst_map, target) in [(&data.exact, &mut self.keys), (&data.loose, &mut self.loose_keys)] {
            let mut stream = fst_map.stream();
            let exact = std::ptr::eq(fst_map, &data.exact);
            while let Some((k, v)) = stream.next() {
                let key = String::from_utf8_lossy(k).into_owned();
                let (postings, flags) = data.postings_of(v);
                if exact && flags & FLAG_ACRONYM != 0 {
                    self.acronyms.insert(key.clone());
                }
                let set = target.entry(key).or_default();
                for (idx, kind) in postings {
                    set.insert((map[idx as usize], kind));
                }
            }
        }
        map
    }

    /// Entry `idx` as added.
    pub fn entry(&self, idx: u32) -> Entry {
        self.entries[idx as usize]
    }

    /// The entries whose key set contains `key`.
    pub fn entries_with_key(&self, key: &str) -> Vec<u32> {
        self.keys.get(key).map(|s| s.iter().map(|&(i, _)| i).collect()).unwrap_or_default()
    }

    /// A string by id.
    pub fn string(&self, id: u32) -> Option<&str> {
        if id == NONE { None } else { self.strings.get(id as usize).map(|s| &**s) }
    }

    /// Finishes: builds the key indexes.
    pub fn finish(self) -> Result<Data, Error> {
        let mut postings = Vec::new();
        let exact = build_map(&self.keys, &mut postings, Some((&self.common, &self.acronyms)))?;
        let loose = build_map(&self.loose_keys, &mut postings, None)?;
        Ok(Data { strings: self.strings, entries: self.entries, postings, exact, loose })
    }
}

fn build_map(
    keys: &BTreeMap<String, BTreeSet<(u32, PostingKind)>>,
    postings: &mut Vec<u32>,
    flag_sets: Option<(&BTreeSet<String>, &BTreeSet<String>)>,
) -> Result<fst::Map<Vec<u8>>, Error> {
    let mut b = fst::MapBuilder::memory();
    for (k, set) in keys {
        // One posting per entry: its strongest kind (Primary < Alternate < Abbrev < Demonym).
        let start = postings.len() as u64;
        let mut last = None;
        for &(idx, kind) in set {
            if last == Some(idx) {
                continue;
            }
            last = Some(idx);
            postings.push(idx | (kind as u32) << 28);
        }
        let count = (postings.len() as u64 - start).min(0xff_ffff);
        let mut flags = 0;
        if let Some((common, acronyms)) = flag_sets {
            if common.contains(k.as_str()) {
                flags |= FLAG_COMMON_WORD;
            }
            if acronyms.contains(k.as_str()) {
                flags |= FLAG_ACRONYM;
            }
        }
        b.insert(k.as_bytes(), start << 32 | count << 8 | flags)
            .map_err(|e| Error::Build(format!("key {k:?}: {e}")))?;
    }
    let bytes = b.into_inner().map_err(|e| Error::Build(e.to_string()))?;
    fst::Map::new(bytes).map_err(|e| Error::Build(e.to_string()))
}
