//! The event taxonomy: ACLED's 6 event types and 25 sub-event types, plus
//! sitrep's Displacement extension (`../shared/docs/taxonomy.md`).

use serde::{Serialize, Serializer};

macro_rules! sub_event_types {
    ($( $variant:ident => ($name:literal, $etype:ident, $case:literal) ),* $(,)?) => {
        /// A sub-event type. Each belongs to exactly one [`EventType`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum SubEventType { $( #[doc = $name] $variant ),* }

        impl SubEventType {
            /// Every sub-event type, in taxonomy order.
            pub const ALL: &'static [SubEventType] = &[ $( SubEventType::$variant ),* ];

            /// The name, spelled exactly as in the taxonomy ("Air/drone strike").
            #[must_use]
            pub fn name(self) -> &'static str {
                match self { $( SubEventType::$variant => $name ),* }
            }

            /// The event type it belongs to.
            #[must_use]
            pub fn event_type(self) -> EventType {
                match self { $( SubEventType::$variant => EventType::$etype ),* }
            }

            /// The CASE 2021 task 2 label (`AIR_STRIKE`), empty for extension types.
            #[must_use]
            pub fn case_label(self) -> &'static str {
                match self { $( SubEventType::$variant => $case ),* }
            }
        }
    };
}

sub_event_types! {
    ArmedClash => ("Armed clash", Battles, "ARMED_CLASH"),
    GovernmentRegainsTerritory => ("Government regains territory", Battles, "GOV_REGAINS_TERIT"),
    NonStateActorOvertakesTerritory => ("Non-state actor overtakes territory", Battles, "NON_STATE_ACTOR_OVERTAKES_TER"),
    ChemicalWeapon => ("Chemical weapon", ExplosionsRemoteViolence, "CHEM_WEAP"),
    AirDroneStrike => ("Air/drone strike", ExplosionsRemoteViolence, "AIR_STRIKE"),
    SuicideBomb => ("Suicide bomb", ExplosionsRemoteViolence, "SUIC_BOMB"),
    ShellingArtilleryMissile => ("Shelling/artillery/missile attack", ExplosionsRemoteViolence, "ART_MISS_ATTACK"),
    RemoteExplosive => ("Remote explosive/landmine/IED", ExplosionsRemoteViolence, "REM_EXPLOS"),
    Grenade => ("Grenade", ExplosionsRemoteViolence, "GRENADE"),
    SexualViolence => ("Sexual violence", ViolenceAgainstCivilians, "SEX_VIOL"),
    Attack => ("Attack", ViolenceAgainstCivilians, "ATTACK"),
    Abduction => ("Abduction/forced disappearance", ViolenceAgainstCivilians, "ABDUCT_DISSAP"),
    PeacefulProtest => ("Peaceful protest", Protests, "PEACE_PROTEST"),
    ProtestWithIntervention => ("Protest with intervention", Protests, "PROTEST_WITH_INTER"),
    ExcessiveForce => ("Excessive force against protesters", Protests, "FORCE_AGAINST_PROTEST"),
    ViolentDemonstration => ("Violent demonstration", Riots, "VIOL_DEMONSTR"),
    MobViolence => ("Mob violence", Riots, "MOB_VIOL"),
    Agreement => ("Agreement", StrategicDevelopments, "AGREEMENT"),
    Arrests => ("Arrests", StrategicDevelopments, "ARREST"),
    ChangeToGroup => ("Change to group/activity", StrategicDevelopments, "CHANGE_TO_GROUP_ACT"),
    DisruptedWeaponsUse => ("Disrupted weapons use", StrategicDevelopments, "DISR_WEAP"),
    HeadquartersEstablished => ("Headquarters or base established", StrategicDevelopments, "HQ_ESTABLISHED"),
    LootingPropertyDestruction => ("Looting/property destruction", StrategicDevelopments, "PROPERTY_DISTRUCT"),
    NonViolentTransfer => ("Non-violent transfer of territory", StrategicDevelopments, "NON_VIOL_TERRIT_TRANSFER"),
    Other => ("Other", StrategicDevelopments, "OTHER"),
    CivilianFlight => ("Civilian flight", Displacement, ""),
    Evacuation => ("Evacuation", Displacement, ""),
    ArrivalAtCamp => ("Arrival at camp", Displacement, ""),
}

impl SubEventType {
    /// Looks a sub-event type up by its taxonomy name or CASE 2021 label
    /// (case-insensitive).
    #[must_use]
    pub fn parse(s: &str) -> Option<SubEventType> {
        let s = s.trim();
        SubEventType::ALL.iter().copied().find(|t| {
            t.name().eq_ignore_ascii_case(s) || (!t.case_label().is_empty() && t.case_label().eq_ignore_ascii_case(s))
        })
    }

    /// ACLED's disorder type for this sub-event type.
    #[must_use]
    pub fn disorder_type(self) -> &'static str {
        match self {
            SubEventType::PeacefulProtest
            | SubEventType::ProtestWithIntervention
            | SubEventType::ViolentDemonstration => "Demonstrations",
            SubEventType::ExcessiveForce => "Political violence; Demonstrations",
            t => match t.event_type() {
                EventType::StrategicDevelopments => "Strategic developments",
                EventType::Displacement => "Displacement",
                _ => "Political violence",
            },
        }
    }

    /// True for ACLED's 25 types, false for sitrep's extension.
    #[must_use]
    pub fn is_acled(self) -> bool {
        self.event_type() != EventType::Displacement
    }
}

impl Serialize for SubEventType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// An event type (ACLED's six, and sitrep's Displacement).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    /// Battles.
    Battles,
    /// Explosions/Remote violence.
    ExplosionsRemoteViolence,
    /// Violence against civilians.
    ViolenceAgainstCivilians,
    /// Protests.
    Protests,
    /// Riots.
    Riots,
    /// Strategic developments.
    StrategicDevelopments,
    /// Displacement (sitrep extension).
    Displacement,
}

impl EventType {
    /// The name, spelled as in the taxonomy.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            EventType::Battles => "Battles",
            EventType::ExplosionsRemoteViolence => "Explosions/Remote violence",
            EventType::ViolenceAgainstCivilians => "Violence against civilians",
            EventType::Protests => "Protests",
            EventType::Riots => "Riots",
            EventType::StrategicDevelopments => "Strategic developments",
            EventType::Displacement => "Displacement",
        }
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// ACLED's actor categories (`inter` codes 1–8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Inter {
    /// 1: state forces.
    StateForces = 1,
    /// 2: rebel groups.
    RebelGroups = 2,
    /// 3: political militias.
    PoliticalMilitias = 3,
    /// 4: identity militias.
    IdentityMilitias = 4,
    /// 5: rioters.
    Rioters = 5,
    /// 6: protesters.
    Protesters = 6,
    /// 7: civilians.
    Civilians = 7,
    /// 8: external/other forces.
    External = 8,
}

impl Inter {
    /// The code, 1–8.
    #[must_use]
    pub fn code(self) -> u8 {
        self as u8
    }

    /// From a code 1–8.
    #[must_use]
    pub fn from_code(code: u8) -> Option<Inter> {
        Some(match code {
            1 => Inter::StateForces,
            2 => Inter::RebelGroups,
            3 => Inter::PoliticalMilitias,
            4 => Inter::IdentityMilitias,
            5 => Inter::Rioters,
            6 => Inter::Protesters,
            7 => Inter::Civilians,
            8 => Inter::External,
            _ => return None,
        })
    }
}

impl Serialize for Inter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxonomy_has_25_acled_types_and_3_extensions() {
        assert_eq!(SubEventType::ALL.iter().filter(|t| t.is_acled()).count(), 25);
        assert_eq!(SubEventType::ALL.len(), 28);
    }

    #[test]
    fn parses_names_and_case_labels() {
        assert_eq!(SubEventType::parse("AIR_STRIKE"), Some(SubEventType::AirDroneStrike));
        assert_eq!(SubEventType::parse("air/drone strike"), Some(SubEventType::AirDroneStrike));
        assert_eq!(SubEventType::parse("ORG_CRIME"), None);
        assert_eq!(SubEventType::Grenade.event_type().name(), "Explosions/Remote violence");
        assert_eq!(SubEventType::Arrests.disorder_type(), "Strategic developments");
    }
}
