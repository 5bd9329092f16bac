//! Every MQTT topic of the protocol, as a type: building a topic string, parsing one back, its
//! QoS and retain flag, who may publish on it, and the filters each side subscribes to.
//!
//! All topics start with [`ROOT`] (`shimin/v1/`). A kiosk publishes only below its own
//! `shimin/v1/kiosks/{kiosk_id}/`, so a broker ACL keyed on the kiosk's user name
//! (Mosquitto: `pattern write shimin/v1/kiosks/%u/events`) is enough to stop one kiosk speaking
//! for another.

use std::fmt;

use crate::ids::{CenterId, IdError, KioskId};

/// The prefix of every topic; `v1` is the protocol version.
pub const ROOT: &str = "shimin/v1/";

/// The QoS of every message of this protocol: at least once. Idempotency (event ids) makes
/// duplicates harmless.
pub const QOS: u8 = 1;

/// One topic of the protocol.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Topic {
    /// `shimin/v1/kiosks/{kiosk_id}/events` — kiosk → portal check-in/out events ([`crate::messages::KioskEvent`]).
    KioskEvents(KioskId),
    /// `shimin/v1/kiosks/{kiosk_id}/acks` — portal → kiosk acknowledgements ([`crate::messages::Ack`]).
    KioskAcks(KioskId),
    /// `shimin/v1/kiosks/{kiosk_id}/status` — kiosk online/offline, retained, offline as last will
    /// ([`crate::messages::KioskStatus`]).
    KioskStatus(KioskId),
    /// `shimin/v1/kiosks/{kiosk_id}/config` — portal → kiosk configuration, retained
    /// ([`crate::messages::KioskConfig`]).
    KioskConfig(KioskId),
    /// `shimin/v1/kiosks/{kiosk_id}/presence` — portal → kiosk: who is checked in at the kiosk's
    /// center, retained ([`crate::messages::Presence`]).
    KioskPresence(KioskId),
    /// `shimin/v1/kiosks/{kiosk_id}/circulation` — a library kiosk → portal: lending requests
    /// and reports ([`crate::messages::CircRequest`]).
    KioskCirculation(KioskId),
    /// `shimin/v1/kiosks/{kiosk_id}/circulation-answers` — portal → a library kiosk: the
    /// answers ([`crate::messages::CircAnswer`]).
    KioskCirculationAnswers(KioskId),
    /// `shimin/v1/centers/{center_id}/occupancy` — portal → everyone: live occupancy, retained
    /// ([`crate::messages::Occupancy`]). Fixed by the design.
    CenterOccupancy(CenterId),
    /// `shimin/v1/keys` — portal → kiosks: the pass-verification public keys, retained
    /// ([`crate::messages::KeySet`]).
    Keys,
}

/// Who publishes on a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publisher {
    /// The kiosk named in the topic, and no one else.
    Kiosk,
    /// The portal.
    Portal,
}

/// Why a topic string is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicError {
    /// The topic does not start with `shimin/v1/`.
    #[error("topic {0:?} is outside shimin/v1/")]
    OutsideRoot(String),
    /// The topic is under `shimin/v1/` but is not one the protocol defines.
    #[error("unknown topic {0:?}")]
    Unknown(String),
    /// The id segment of the topic is not a valid id.
    #[error("bad id in topic: {0}")]
    BadId(#[from] IdError),
}

impl Topic {
    /// Reads a topic name (not a filter: `+` and `#` are refused as bad ids).
    pub fn parse(topic: &str) -> Result<Self, TopicError> {
        let rest = topic
            .strip_prefix(ROOT)
            .ok_or_else(|| TopicError::OutsideRoot(topic.to_owned()))?;
        let parts: Vec<&str> = rest.split('/').collect();
        match parts.as_slice() {
            ["keys"] => Ok(Self::Keys),
            ["kiosks", kiosk, leaf] => {
                let kiosk = KioskId::new(*kiosk)?;
                match *leaf {
                    "events" => Ok(Self::KioskEvents(kiosk)),
                    "acks" => Ok(Self::KioskAcks(kiosk)),
                    "status" => Ok(Self::KioskStatus(kiosk)),
                    "config" => Ok(Self::KioskConfig(kiosk)),
                    "presence" => Ok(Self::KioskPresence(kiosk)),
                    "circulation" => Ok(Self::KioskCirculation(kiosk)),
                    "circulation-answers" => Ok(Self::KioskCirculationAnswers(kiosk)),
                    _ => Err(TopicError::Unknown(topic.to_owned())),
                }
            }
            ["centers", center, "occupancy"] => Ok(Self::CenterOccupancy(CenterId::new(*center)?)),
            _ => Err(TopicError::Unknown(topic.to_owned())),
        }
    }

    /// Whether messages on this topic are published with the retain flag (the latest value is
    /// kept by the broker for new subscribers).
    pub fn retained(&self) -> bool {
        !matches!(
            self,
            Self::KioskEvents(_)
                | Self::KioskAcks(_)
                | Self::KioskCirculation(_)
                | Self::KioskCirculationAnswers(_)
        )
    }

    /// The QoS to publish and subscribe with ([`QOS`] for every topic).
    pub fn qos(&self) -> u8 {
        QOS
    }

    /// Who is allowed to publish on this topic.
    pub fn publisher(&self) -> Publisher {
        match self {
            Self::KioskEvents(_) | Self::KioskStatus(_) | Self::KioskCirculation(_) => {
                Publisher::Kiosk
            }
            _ => Publisher::Portal,
        }
    }

    /// The kiosk named in the topic, if any.
    pub fn kiosk(&self) -> Option<&KioskId> {
        match self {
            Self::KioskEvents(k)
            | Self::KioskAcks(k)
            | Self::KioskStatus(k)
            | Self::KioskConfig(k)
            | Self::KioskPresence(k)
            | Self::KioskCirculation(k)
            | Self::KioskCirculationAnswers(k) => Some(k),
            Self::CenterOccupancy(_) | Self::Keys => None,
        }
    }

    /// Whether the kiosk `kiosk` may publish on this topic: only its own events, status and
    /// circulation requests.
    /// The broker ACL enforces the same rule; the portal checks again on receipt.
    pub fn kiosk_may_publish(&self, kiosk: &KioskId) -> bool {
        self.publisher() == Publisher::Kiosk && self.kiosk() == Some(kiosk)
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kiosk = |f: &mut fmt::Formatter<'_>, id: &KioskId, leaf: &str| {
            write!(f, "{ROOT}kiosks/{id}/{leaf}")
        };
        match self {
            Self::KioskEvents(id) => kiosk(f, id, "events"),
            Self::KioskAcks(id) => kiosk(f, id, "acks"),
            Self::KioskStatus(id) => kiosk(f, id, "status"),
            Self::KioskConfig(id) => kiosk(f, id, "config"),
            Self::KioskPresence(id) => kiosk(f, id, "presence"),
            Self::KioskCirculation(id) => kiosk(f, id, "circulation"),
            Self::KioskCirculationAnswers(id) => kiosk(f, id, "circulation-answers"),
            Self::CenterOccupancy(id) => write!(f, "{ROOT}centers/{id}/occupancy"),
            Self::Keys => write!(f, "{ROOT}keys"),
        }
    }
}

/// The topic filters the portal subscribes to: every kiosk's events, status and circulation
/// requests.
pub fn portal_filters() -> Vec<String> {
    vec![
        format!("{ROOT}kiosks/+/events"),
        format!("{ROOT}kiosks/+/status"),
        format!("{ROOT}kiosks/+/circulation"),
    ]
}

/// The topic filters a library counter kiosk subscribes to: the answers to its requests, and
/// the key set (to check the portal's signed card QR codes).
pub fn library_kiosk_filters(kiosk: &KioskId) -> Vec<String> {
    vec![
        Topic::KioskCirculationAnswers(kiosk.clone()).to_string(),
        Topic::Keys.to_string(),
    ]
}

/// The topic filters a kiosk subscribes to: its acks, config and presence, the key set, and the
/// occupancy of every center (a kiosk may show its neighbours; its own center's is among them).
pub fn kiosk_filters(kiosk: &KioskId) -> Vec<String> {
    vec![
        Topic::KioskAcks(kiosk.clone()).to_string(),
        Topic::KioskConfig(kiosk.clone()).to_string(),
        Topic::KioskPresence(kiosk.clone()).to_string(),
        Topic::Keys.to_string(),
        format!("{ROOT}centers/+/occupancy"),
    ]
}

/// The fixed MQTT client id of a kiosk. Fixed (with `clean_session = false`) so the broker keeps
/// the kiosk's session and subscriptions across reconnects.
pub fn kiosk_client_id(kiosk: &KioskId) -> String {
    format!("shimin-kiosk-{kiosk}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn kiosk() -> KioskId {
        KioskId::new("chuo-1").unwrap()
    }

    fn all() -> Vec<Topic> {
        let k = kiosk();
        vec![
            Topic::KioskEvents(k.clone()),
            Topic::KioskAcks(k.clone()),
            Topic::KioskStatus(k.clone()),
            Topic::KioskConfig(k.clone()),
            Topic::KioskPresence(k.clone()),
            Topic::KioskCirculation(k.clone()),
            Topic::KioskCirculationAnswers(k),
            Topic::CenterOccupancy(CenterId::new("chuo").unwrap()),
            Topic::Keys,
        ]
    }

    #[test]
    fn every_topic_round_trips_through_its_string() {
        for topic in all() {
            let text = topic.to_string();
            assert!(text.starts_with(ROOT), "{text}");
            assert_eq!(Topic::parse(&text).unwrap(), topic, "{text}");
        }
    }

    #[test]
    fn topic_strings_are_the_documented_ones() {
        let texts: Vec<String> = all().iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            [
                "shimin/v1/kiosks/chuo-1/events",
                "shimin/v1/kiosks/chuo-1/acks",
                "shimin/v1/kiosks/chuo-1/status",
                "shimin/v1/kiosks/chuo-1/config",
                "shimin/v1/kiosks/chuo-1/presence",
                "shimin/v1/kiosks/chuo-1/circulation",
                "shimin/v1/kiosks/chuo-1/circulation-answers",
                "shimin/v1/centers/chuo/occupancy",
                "shimin/v1/keys",
            ]
        );
    }

    #[test]
    fn foreign_and_malformed_topics_are_refused() {
        assert!(matches!(
            Topic::parse("other/v1/keys"),
            Err(TopicError::OutsideRoot(_))
        ));
        assert!(matches!(
            Topic::parse("shimin/v2/keys"),
            Err(TopicError::OutsideRoot(_))
        ));
        for unknown in [
            "shimin/v1/",
            "shimin/v1/keys/extra",
            "shimin/v1/kiosks/chuo-1",
            "shimin/v1/kiosks/chuo-1/events/x",
            "shimin/v1/kiosks/chuo-1/secrets",
            "shimin/v1/centers/chuo/presence",
        ] {
            assert!(
                matches!(Topic::parse(unknown), Err(TopicError::Unknown(_))),
                "{unknown}"
            );
        }
        for bad_id in ["shimin/v1/kiosks/+/events", "shimin/v1/centers/#/occupancy"] {
            assert!(
                matches!(Topic::parse(bad_id), Err(TopicError::BadId(_))),
                "{bad_id}"
            );
        }
    }

    #[test]
    fn a_kiosk_publishes_only_its_own_events_and_status() {
        let me = kiosk();
        let other = KioskId::new("kita-1").unwrap();
        let allowed: Vec<Topic> = all()
            .into_iter()
            .filter(|t| t.kiosk_may_publish(&me))
            .collect();
        assert_eq!(
            allowed,
            [
                Topic::KioskEvents(me.clone()),
                Topic::KioskStatus(me.clone()),
                Topic::KioskCirculation(me)
            ]
        );
        assert!(!Topic::KioskEvents(other).kiosk_may_publish(&kiosk()));
    }

    #[test]
    fn only_state_is_retained() {
        let retained: Vec<bool> = all().iter().map(Topic::retained).collect();
        assert_eq!(
            retained,
            [false, false, true, true, true, false, false, true, true]
        );
    }

    #[test]
    fn each_side_subscribes_only_to_what_it_reads() {
        let me = kiosk();
        for filter in kiosk_filters(&me) {
            assert!(filter.starts_with(ROOT));
            if let Ok(topic) = Topic::parse(&filter) {
                assert_eq!(topic.publisher(), Publisher::Portal, "{filter}");
            }
        }
        assert_eq!(
            portal_filters(),
            [
                "shimin/v1/kiosks/+/events",
                "shimin/v1/kiosks/+/status",
                "shimin/v1/kiosks/+/circulation"
            ]
        );
        assert_eq!(
            library_kiosk_filters(&me),
            [
                "shimin/v1/kiosks/chuo-1/circulation-answers",
                "shimin/v1/keys"
            ]
        );
        assert_eq!(kiosk_client_id(&me), "shimin-kiosk-chuo-1");
    }
}
