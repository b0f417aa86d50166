//! What fusion needs to know of one report, in a compact form that a store
//! can keep beside the event and load by the million.

use sitrep_model::{Event, SubEventType};

use crate::config::{FusionConfig, position};

/// The encoding version of [`Features::encode`]; bump when the layout or the
/// meaning of a field changes (stores then recompute from the events).
pub const FEATURES_VERSION: u8 = 1;

/// One side of an event, as fusion compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorKey {
    /// FNV-1a hash of the lower-cased actor name.
    pub name: u32,
    /// ACLED category code (1–8).
    pub inter: u8,
    /// True for names that say nothing of who acted ("Unidentified Armed Group (Mali)").
    pub generic: bool,
}

/// The comparable parts of one reported event.
///
/// Build with [`Features::of`]. Fusion never looks at anything else, so two
/// reports with equal features (and keys) always fuse the same way.
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    /// Sub-event type.
    pub sub_event_type: SubEventType,
    /// Event date as days since 1970-01-01, when known.
    pub date: Option<i32>,
    /// 1–3.
    pub time_precision: u8,
    /// Latitude and longitude, when located.
    pub point: Option<(f64, f64)>,
    /// 1–3 (3 when not located).
    pub geo_precision: u8,
    /// GeoNames id of the location, when it has one.
    pub geonameid: Option<u32>,
    /// ISO country code of the location, as two bytes.
    pub iso: Option<[u8; 2]>,
    /// Hash of the first-order division name, when known.
    pub admin1: Option<u32>,
    /// Actors on the acting side (actor1 and its associates), sorted.
    pub side1: Vec<ActorKey>,
    /// Actors on the other side (actor2 and its associates), sorted.
    pub side2: Vec<ActorKey>,
    /// Reported deaths.
    pub fatalities: u32,
    /// Hashes of the evidence's content words, sorted and unique.
    pub words: Vec<u32>,
}

impl Features {
    /// The features of an event.
    #[must_use]
    pub fn of(event: &Event, config: &FusionConfig) -> Features {
        let actor = |a: &sitrep_model::ActorRef| ActorKey {
            name: fnv32(a.name.to_lowercase().as_bytes()),
            inter: a.inter.code(),
            generic: config.generic_prefixes.iter().any(|p| a.name.starts_with(p.as_str())),
        };
        let side = |main: Option<&sitrep_model::ActorRef>, assoc: &[sitrep_model::ActorRef]| {
            let mut v: Vec<ActorKey> = main.into_iter().chain(assoc).map(actor).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let loc = event.location.as_ref();
        Features {
            sub_event_type: event.sub_event_type,
            date: event.event_date.map(day_number),
            time_precision: event.time_precision.clamp(1, 3),
            point: loc.filter(|l| l.latitude.is_finite() && l.longitude.is_finite()).map(|l| (l.latitude, l.longitude)),
            geo_precision: loc.map_or(3, |l| l.geo_precision.clamp(1, 3)),
            geonameid: loc.and_then(|l| l.geonameid),
            iso: loc.and_then(|l| l.iso.as_deref()).and_then(iso_bytes),
            admin1: loc.and_then(|l| l.admin1.as_deref()).map(|a| fnv32(a.to_lowercase().as_bytes())),
            side1: side(event.actor1.as_ref(), &event.assoc_actor_1),
            side2: side(event.actor2.as_ref(), &event.assoc_actor_2),
            fatalities: event.fatalities,
            words: {
                // The place is compared by the location; its name in the
                // evidence would make every report from one town look alike.
                let mut words = content_words(&event.evidence.text, config);
                if let Some(l) = loc {
                    let mut place = l.name.clone();
                    for part in [&l.admin1, &l.admin2, &l.country].into_iter().flatten() {
                        place.push(' ');
                        place.push_str(part);
                    }
                    let drop = content_words(&place, config);
                    words.retain(|w| drop.binary_search(w).is_err());
                }
                words
            },
        }
    }

    /// A compact binary form (about 60–150 bytes), for stores.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(48 + 4 * self.words.len() + 6 * (self.side1.len() + self.side2.len()));
        b.push(FEATURES_VERSION);
        b.push(u8::try_from(position(self.sub_event_type)).expect("fewer than 256 types"));
        b.push(self.time_precision);
        b.push(self.geo_precision);
        let mut flags = 0u8;
        for (bit, on) in [
            self.date.is_some(),
            self.point.is_some(),
            self.geonameid.is_some(),
            self.iso.is_some(),
            self.admin1.is_some(),
        ]
        .into_iter()
        .enumerate()
        {
            if on {
                flags |= 1 << bit;
            }
        }
        b.push(flags);
        b.extend_from_slice(&self.date.unwrap_or(0).to_le_bytes());
        let (lat, lon) = self.point.unwrap_or((0.0, 0.0));
        b.extend_from_slice(&lat.to_le_bytes());
        b.extend_from_slice(&lon.to_le_bytes());
        b.extend_from_slice(&self.geonameid.unwrap_or(0).to_le_bytes());
        b.extend_from_slice(&self.iso.unwrap_or([0, 0]));
        b.extend_from_slice(&self.admin1.unwrap_or(0).to_le_bytes());
        b.extend_from_slice(&self.fatalities.to_le_bytes());
        for side in [&self.side1, &self.side2] {
            b.push(u8::try_from(side.len().min(255)).unwrap_or(u8::MAX));
            for a in side.iter().take(255) {
                b.extend_from_slice(&a.name.to_le_bytes());
                b.push(a.inter);
                b.push(u8::from(a.generic));
            }
        }
        let n = u16::try_from(self.words.len().min(usize::from(u16::MAX))).unwrap_or(u16::MAX);
        b.extend_from_slice(&n.to_le_bytes());
        for w in self.words.iter().take(usize::from(n)) {
            b.extend_from_slice(&w.to_le_bytes());
        }
        b
    }

    /// Reads [`Features::encode`]'s form; `None` when the bytes are of another
    /// version or malformed.
    #[must_use]
    pub fn decode(bytes: &[u8]) -> Option<Features> {
        let mut r = Bytes(bytes);
        if r.u8()? != FEATURES_VERSION {
            return None;
        }
        let sub_event_type = *SubEventType::ALL.get(usize::from(r.u8()?))?;
        let time_precision = r.u8()?;
        let geo_precision = r.u8()?;
        let flags = r.u8()?;
        let on = |bit: u8| flags & (1 << bit) != 0;
        let date = r.i32()?;
        let lat = f64::from_le_bytes(r.take::<8>()?);
        let lon = f64::from_le_bytes(r.take::<8>()?);
        let geonameid = r.u32()?;
        let iso = r.take::<2>()?;
        let admin1 = r.u32()?;
        let fatalities = r.u32()?;
        let mut sides = [Vec::new(), Vec::new()];
        for side in &mut sides {
            let n = r.u8()?;
            for _ in 0..n {
                let name = r.u32()?;
                let inter = r.u8()?;
                let generic = r.u8()? != 0;
                side.push(ActorKey { name, inter, generic });
            }
        }
        let n = u16::from_le_bytes(r.take::<2>()?);
        let words = (0..n).map(|_| r.u32()).collect::<Option<Vec<u32>>>()?;
        if !r.0.is_empty() {
            return None;
        }
        let [side1, side2] = sides;
        Some(Features {
            sub_event_type,
            date: on(0).then_some(date),
            time_precision,
            point: on(1).then_some((lat, lon)),
            geo_precision,
            geonameid: on(2).then_some(geonameid),
            iso: on(3).then_some(iso),
            admin1: on(4).then_some(admin1),
            side1,
            side2,
            fatalities,
            words,
        })
    }
}

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take::<1>()?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take::<4>()?))
    }
    fn i32(&mut self) -> Option<i32> {
        Some(i32::from_le_bytes(self.take::<4>()?))
    }
}

/// Days since 1970-01-01.
#[must_use]
pub fn day_number(d: sitrep_model::Date) -> i32 {
    let epoch = sitrep_model::Date::constant(1970, 1, 1);
    // `since` between two civil dates in days never fails for dates jiff can represent.
    epoch.until(d).map_or(0, |span| span.get_days())
}

fn iso_bytes(iso: &str) -> Option<[u8; 2]> {
    let b = iso.as_bytes();
    (b.len() == 2).then(|| [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()])
}

/// FNV-1a, 32 bits: stable across runs and platforms.
#[must_use]
pub fn fnv32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The content words of an evidence text, hashed: lower-cased letter and
/// digit runs, stop words and one-letter words left out, a plural `s` cut.
#[must_use]
pub fn content_words(text: &str, config: &FusionConfig) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    let mut word = String::new();
    for token in text.split(|c: char| !c.is_alphanumeric()) {
        if token.is_empty() {
            continue;
        }
        word.clear();
        let ascii = token.is_ascii();
        if ascii {
            // The common case, without decoding characters: the same words.
            word.push_str(token);
            word.make_ascii_lowercase();
        } else {
            word.extend(token.chars().flat_map(char::to_lowercase));
        }
        let digits = word.bytes().all(|b| b.is_ascii_digit());
        let short = if ascii { word.len() < 3 } else { word.chars().count() < 3 };
        if !digits && short {
            continue;
        }
        let hash = fnv32(word.as_bytes());
        if config.stopwords.contains(&word, hash) {
            continue;
        }
        if !digits && word.len() > 4 && word.ends_with('s') && !word.ends_with("ss") {
            word.pop();
            out.push(fnv32(word.as_bytes()));
        } else {
            out.push(hash);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_model::{ActorRef, Certainty, Date, Inter, Location, Source, Span};
    use sitrep_text::TextRange;

    fn event() -> Event {
        let text = "Gunmen killed 4 villagers in Tillaberi on Monday.";
        let t = SubEventType::Attack;
        Event {
            id: "e1".into(),
            event_type: t.event_type(),
            sub_event_type: t,
            disorder_type: t.disorder_type(),
            event_date: Some(Date::constant(2021, 3, 15)),
            time_precision: 1,
            actor1: Some(ActorRef {
                name: "Unidentified Armed Group (Niger)".into(),
                inter: Inter::RebelGroups,
                span: Span::of(text, TextRange::new(0, 6)),
            }),
            assoc_actor_1: vec![],
            actor2: None,
            assoc_actor_2: vec![],
            location: Some(Location {
                name: "Tillaberi".into(),
                admin1: Some("Tillaberi".into()),
                admin2: None,
                country: Some("Niger".into()),
                iso: Some("ne".into()),
                latitude: 14.21,
                longitude: 1.45,
                geo_precision: 1,
                geonameid: Some(2439376),
                span: Span::of(text, TextRange::new(29, 38)),
            }),
            fatalities: 4,
            civilian_targeting: true,
            source: Source { outlet: None, attribution: None, certainty: Certainty::Reported },
            evidence: Span::of(text, TextRange::full(text)),
            confidence: 0.7,
        }
    }

    #[test]
    fn features_round_trip_through_bytes() {
        let c = FusionConfig::builtin();
        let f = Features::of(&event(), &c);
        assert_eq!(f.iso, Some(*b"NE"));
        assert!(f.side1[0].generic);
        assert_eq!(f.date, Some(day_number(Date::constant(2021, 3, 15))));
        let back = Features::decode(&f.encode()).unwrap();
        assert_eq!(back, f);
        let mut bytes = f.encode();
        bytes.push(0);
        assert_eq!(Features::decode(&bytes), None, "trailing bytes are malformed");
        bytes[0] = 99;
        assert_eq!(Features::decode(&bytes), None, "another version is not read");
    }

    #[test]
    fn content_words_drop_stop_words_and_plurals() {
        let c = FusionConfig::builtin();
        let a = content_words("The gunmen killed 4 villagers on Monday", &c);
        let b = content_words("4 villager killed by gunman", &c);
        assert_eq!(a.len(), 4, "gunmen, killed, 4, villager");
        assert_eq!(a.iter().filter(|w| b.contains(w)).count(), 3);
        // Letters beyond ASCII are lower-cased and counted as characters, as ASCII ones are.
        assert_eq!(content_words("ÉTÉ Été été", &c), content_words("été", &c));
        assert_eq!(content_words("Ünal", &c), content_words("ünal", &c));
        assert_eq!(content_words("ÉT", &c), vec![], "two characters, however many bytes");
        assert_eq!(content_words("KILLED killed", &c), content_words("killed", &c));
        assert_eq!(day_number(Date::constant(1970, 1, 2)), 1);
        assert_eq!(day_number(Date::constant(1969, 12, 31)), -1);
    }
}
