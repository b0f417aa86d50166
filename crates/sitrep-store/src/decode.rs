//! Reading stored events back: the contract's Event JSON into
//! `sitrep_model::Event` (the model types serialise only).

use serde_json::{Map, Value};
use sitrep_model::{ActorRef, Certainty, Date, Event, Inter, Location, Source, Span, SubEventType};

/// Reads an Event object as the contract writes it (extra keys, such as a
/// fused event's `sources`, are ignored).
///
/// # Errors
/// A message naming the missing or malformed field.
pub fn event_from_json(v: &Value) -> Result<Event, String> {
    let o = v.as_object().ok_or("not a JSON object")?;
    let sub = str_field(o, "sub_event_type")?;
    let t = SubEventType::parse(sub).ok_or_else(|| format!("sub_event_type: unknown type {sub:?}"))?;
    Ok(Event {
        id: str_field(o, "id")?.to_owned(),
        event_type: t.event_type(),
        sub_event_type: t,
        disorder_type: t.disorder_type(),
        event_date: opt_date(o, "event_date")?,
        time_precision: u8_field(o, "time_precision")?,
        actor1: opt_actor(o, "actor1")?,
        assoc_actor_1: actors(o, "assoc_actor_1")?,
        actor2: opt_actor(o, "actor2")?,
        assoc_actor_2: actors(o, "assoc_actor_2")?,
        location: match o.get("location") {
            None | Some(Value::Null) => None,
            Some(l) => Some(location(l).map_err(|e| format!("location.{e}"))?),
        },
        fatalities: u32::try_from(u64_field(o, "fatalities")?).map_err(|_| "fatalities: out of range")?,
        civilian_targeting: o
            .get("civilian_targeting")
            .and_then(Value::as_bool)
            .ok_or("civilian_targeting: missing")?,
        source: source(o.get("source").ok_or("source: missing")?).map_err(|e| format!("source.{e}"))?,
        evidence: span(o.get("evidence").and_then(Value::as_object).ok_or("evidence: missing")?)
            .map_err(|e| format!("evidence.{e}"))?,
        #[allow(clippy::cast_possible_truncation)]
        confidence: o.get("confidence").and_then(Value::as_f64).ok_or("confidence: missing")? as f32,
    })
}

/// [`event_from_json`] of a JSON text. Reads it straight into the event's
/// fields (no intermediate `serde_json::Value`: rebuilding fused events of
/// one report in queries spent most of its time there); a text that does not
/// read that way is read through `Value` again, for its error message.
///
/// # Errors
/// As [`event_from_json`], or the JSON parser's message.
pub(crate) fn event_from_str(json: &str) -> Result<Event, String> {
    if let Ok(e) = serde_json::from_str::<typed::EventIn<'_>>(json)
        && let Some(event) = e.into_event()
    {
        return Ok(event);
    }
    let v: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    event_from_json(&v)
}

/// The contract's Event as serde reads it (what [`event_from_json`] accepts,
/// and nothing else: anything it would refuse fails here too, or in
/// `into_event`).
mod typed {
    use std::borrow::Cow;

    use serde::Deserialize;
    use sitrep_model::{ActorRef, Certainty, Event, Inter, Location, Source, Span, SubEventType};

    #[derive(Deserialize)]
    pub(super) struct EventIn<'a> {
        #[serde(borrow)]
        id: Cow<'a, str>,
        #[serde(borrow)]
        sub_event_type: Cow<'a, str>,
        #[serde(borrow)]
        event_date: Option<Cow<'a, str>>,
        time_precision: u8,
        #[serde(borrow)]
        actor1: Option<ActorIn<'a>>,
        #[serde(borrow, default)]
        assoc_actor_1: Option<Vec<ActorIn<'a>>>,
        #[serde(borrow)]
        actor2: Option<ActorIn<'a>>,
        #[serde(borrow, default)]
        assoc_actor_2: Option<Vec<ActorIn<'a>>>,
        #[serde(borrow)]
        location: Option<LocationIn<'a>>,
        fatalities: u32,
        civilian_targeting: bool,
        #[serde(borrow)]
        source: SourceIn<'a>,
        #[serde(borrow)]
        evidence: SpanIn<'a>,
        confidence: f64,
    }

    #[derive(Deserialize)]
    struct SpanIn<'a> {
        #[serde(borrow)]
        text: Cow<'a, str>,
        start: u32,
        end: u32,
    }

    #[derive(Deserialize)]
    struct ActorIn<'a> {
        #[serde(borrow)]
        name: Cow<'a, str>,
        inter: u8,
        #[serde(borrow)]
        text: Cow<'a, str>,
        start: u32,
        end: u32,
    }

    #[derive(Deserialize)]
    struct LocationIn<'a> {
        #[serde(borrow)]
        name: Cow<'a, str>,
        #[serde(borrow, default)]
        admin1: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        admin2: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        country: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        iso: Option<Cow<'a, str>>,
        latitude: f64,
        longitude: f64,
        geo_precision: u8,
        #[serde(default)]
        geonameid: Option<u32>,
        #[serde(borrow)]
        text: Cow<'a, str>,
        start: u32,
        end: u32,
    }

    #[derive(Deserialize)]
    struct SourceIn<'a> {
        #[serde(borrow, default)]
        outlet: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        attribution: Option<Cow<'a, str>>,
        #[serde(borrow)]
        certainty: Cow<'a, str>,
    }

    fn owned(s: Option<Cow<'_, str>>) -> Option<String> {
        s.map(Cow::into_owned)
    }

    impl ActorIn<'_> {
        fn into_actor(self) -> Option<ActorRef> {
            Some(ActorRef {
                name: self.name.into_owned(),
                inter: Inter::from_code(self.inter)?,
                span: Span { text: self.text.into_owned(), start: self.start, end: self.end },
            })
        }
    }

    impl EventIn<'_> {
        /// The event; `None` for what the type cannot say (an unknown type, date,
        /// actor category or certainty).
        pub(super) fn into_event(self) -> Option<Event> {
            let t = SubEventType::parse(&self.sub_event_type)?;
            let actors = |list: Option<Vec<ActorIn<'_>>>| -> Option<Vec<ActorRef>> {
                list.unwrap_or_default().into_iter().map(ActorIn::into_actor).collect()
            };
            let event_date = match self.event_date {
                Some(d) => Some(d.parse().ok()?),
                None => None,
            };
            Some(Event {
                id: self.id.into_owned(),
                event_type: t.event_type(),
                sub_event_type: t,
                disorder_type: t.disorder_type(),
                event_date,
                time_precision: self.time_precision,
                actor1: match self.actor1 {
                    Some(a) => Some(a.into_actor()?),
                    None => None,
                },
                assoc_actor_1: actors(self.assoc_actor_1)?,
                actor2: match self.actor2 {
                    Some(a) => Some(a.into_actor()?),
                    None => None,
                },
                assoc_actor_2: actors(self.assoc_actor_2)?,
                location: self.location.map(|l| Location {
                    name: l.name.into_owned(),
                    admin1: owned(l.admin1),
                    admin2: owned(l.admin2),
                    country: owned(l.country),
                    iso: owned(l.iso),
                    latitude: l.latitude,
                    longitude: l.longitude,
                    geo_precision: l.geo_precision,
                    geonameid: l.geonameid,
                    span: Span { text: l.text.into_owned(), start: l.start, end: l.end },
                }),
                fatalities: self.fatalities,
                civilian_targeting: self.civilian_targeting,
                source: Source {
                    outlet: owned(self.source.outlet),
                    attribution: owned(self.source.attribution),
                    certainty: match self.source.certainty.as_ref() {
                        "reported" => Certainty::Reported,
                        "claimed" => Certainty::Claimed,
                        "unconfirmed" => Certainty::Unconfirmed,
                        _ => return None,
                    },
                },
                evidence: Span {
                    text: self.evidence.text.into_owned(),
                    start: self.evidence.start,
                    end: self.evidence.end,
                },
                #[allow(clippy::cast_possible_truncation)]
                confidence: self.confidence as f32,
            })
        }
    }
}

fn str_field<'a>(o: &'a Map<String, Value>, k: &str) -> Result<&'a str, String> {
    o.get(k).and_then(Value::as_str).ok_or_else(|| format!("{k}: missing or not a string"))
}

fn opt_str(o: &Map<String, Value>, k: &str) -> Result<Option<String>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{k}: not a string")),
    }
}

fn u64_field(o: &Map<String, Value>, k: &str) -> Result<u64, String> {
    o.get(k).and_then(Value::as_u64).ok_or_else(|| format!("{k}: missing or not a number"))
}

fn u8_field(o: &Map<String, Value>, k: &str) -> Result<u8, String> {
    u8::try_from(u64_field(o, k)?).map_err(|_| format!("{k}: out of range"))
}

fn f64_field(o: &Map<String, Value>, k: &str) -> Result<f64, String> {
    o.get(k).and_then(Value::as_f64).ok_or_else(|| format!("{k}: missing or not a number"))
}

fn opt_date(o: &Map<String, Value>, k: &str) -> Result<Option<Date>, String> {
    opt_str(o, k)?.map(|s| s.parse::<Date>().map_err(|e| format!("{k}: {e}"))).transpose()
}

fn span(o: &Map<String, Value>) -> Result<Span, String> {
    let start = u32::try_from(u64_field(o, "start")?).map_err(|_| "start: out of range")?;
    let end = u32::try_from(u64_field(o, "end")?).map_err(|_| "end: out of range")?;
    Ok(Span { text: str_field(o, "text")?.to_owned(), start, end })
}

fn actor(v: &Value) -> Result<ActorRef, String> {
    let o = v.as_object().ok_or("not an object")?;
    let inter = u8_field(o, "inter")?;
    Ok(ActorRef {
        name: str_field(o, "name")?.to_owned(),
        inter: Inter::from_code(inter).ok_or_else(|| format!("inter: {inter} is not 1-8"))?,
        span: span(o)?,
    })
}

fn opt_actor(o: &Map<String, Value>, k: &str) -> Result<Option<ActorRef>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => actor(v).map(Some).map_err(|e| format!("{k}.{e}")),
    }
}

fn actors(o: &Map<String, Value>, k: &str) -> Result<Vec<ActorRef>, String> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            items.iter().enumerate().map(|(i, v)| actor(v).map_err(|e| format!("{k}[{i}].{e}"))).collect()
        }
        Some(_) => Err(format!("{k}: not an array")),
    }
}

fn location(v: &Value) -> Result<Location, String> {
    let o = v.as_object().ok_or("not an object")?;
    Ok(Location {
        name: str_field(o, "name")?.to_owned(),
        admin1: opt_str(o, "admin1")?,
        admin2: opt_str(o, "admin2")?,
        country: opt_str(o, "country")?,
        iso: opt_str(o, "iso")?,
        latitude: f64_field(o, "latitude")?,
        longitude: f64_field(o, "longitude")?,
        geo_precision: u8_field(o, "geo_precision")?,
        geonameid: match o.get("geonameid") {
            None | Some(Value::Null) => None,
            Some(g) => Some(g.as_u64().and_then(|g| u32::try_from(g).ok()).ok_or("geonameid: not a number")?),
        },
        span: span(o)?,
    })
}

fn source(v: &Value) -> Result<Source, String> {
    let o = v.as_object().ok_or("not an object")?;
    let certainty = match str_field(o, "certainty")? {
        "reported" => Certainty::Reported,
        "claimed" => Certainty::Claimed,
        "unconfirmed" => Certainty::Unconfirmed,
        other => return Err(format!("certainty: unknown value {other:?}")),
    };
    Ok(Source { outlet: opt_str(o, "outlet")?, attribution: opt_str(o, "attribution")?, certainty })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn typed_reads(json: &str) -> bool {
        serde_json::from_str::<typed::EventIn<'_>>(json).ok().and_then(typed::EventIn::into_event).is_some()
    }
    use sitrep_model::TextRange;

    /// An armed clash in Gao with an actor, an associate, a place, a toll and an outlet.
    pub(crate) fn sample_event() -> Event {
        let text = "Rebels attacked an army post in Gao, killing 3 soldiers.";
        let span = |a: usize, b: usize| Span::of(text, TextRange::new(a, b));
        let t = SubEventType::ArmedClash;
        Event {
            id: "abc".into(),
            event_type: t.event_type(),
            sub_event_type: t,
            disorder_type: t.disorder_type(),
            event_date: Some(Date::constant(2016, 1, 5)),
            time_precision: 1,
            actor1: Some(ActorRef { name: "Rebels (Mali)".into(), inter: Inter::RebelGroups, span: span(0, 6) }),
            assoc_actor_1: vec![ActorRef { name: "X".into(), inter: Inter::Civilians, span: span(7, 15) }],
            actor2: None,
            assoc_actor_2: vec![],
            location: Some(Location {
                name: "Gao".into(),
                admin1: Some("Gao".into()),
                admin2: None,
                country: Some("Mali".into()),
                iso: Some("ML".into()),
                latitude: 16.2717,
                longitude: -0.0447,
                geo_precision: 1,
                geonameid: Some(2_457_163),
                span: span(32, 35),
            }),
            fatalities: 3,
            civilian_targeting: false,
            source: Source { outlet: Some("Wire".into()), attribution: None, certainty: Certainty::Claimed },
            evidence: span(0, text.len()),
            confidence: 0.75,
        }
    }

    #[test]
    fn events_round_trip_through_json() {
        let event = sample_event();
        let v = serde_json::to_value(&event).unwrap();
        assert_eq!(event_from_json(&v).unwrap(), event);
        let text = serde_json::to_string(&event).unwrap();
        assert_eq!(event_from_str(&text).unwrap(), event, "read straight from the text");
        assert!(typed_reads(&text), "the fast path reads it");
        let mut none = event;
        none.location = None;
        none.actor1 = None;
        none.event_date = None;
        let text = serde_json::to_string(&none).unwrap();
        assert_eq!(event_from_str(&text).unwrap(), none);
        assert!(typed_reads(&text));
        // What the fast path refuses is read (and refused) as before, with the same messages.
        let broken = text
            .replace("\"Political violence\"", "\"Political violence\",\"extra\":1")
            .replace("\"certainty\":\"claimed\"", "\"certainty\":\"rumoured\"");
        assert!(!typed_reads(&broken));
        assert_eq!(event_from_str(&broken).unwrap_err(), "source.certainty: unknown value \"rumoured\"");
        let mut broken = v.clone();
        broken["location"]["latitude"] = Value::String("north".into());
        assert_eq!(event_from_json(&broken).unwrap_err(), "location.latitude: missing or not a number");
        broken = v;
        broken["sub_event_type"] = Value::String("Picnic".into());
        assert!(event_from_json(&broken).unwrap_err().contains("Picnic"));
    }
}
