//! Newtype identifiers shared by the portal and the kiosks, so a kiosk id cannot be passed where a
//! center id is wanted.
//!
//! Two families of ids exist on the wire:
//! - *names* ([`KioskId`], [`CenterId`]) are chosen by the portal when a kiosk or center is
//!   registered. They appear inside MQTT topics, broker user names and (for centers) inside
//!   passes, so they are restricted to `[a-z0-9-]`, 1–36 characters (a UUID in text form fits).
//!   Short ones (`chuo`, `chuo-1`) keep passes small and broker logs readable.
//! - *UUIDs* ([`EventId`], [`GuardianId`]): an event id is made offline by a kiosk (UUIDv7, so
//!   ids sort by creation time); a guardian id is the portal's account id.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why a text could not be read as an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// A name id (kiosk, center) broke the `[a-z0-9-]{1,36}` rule.
    #[error(
        "{kind} must be 1–36 characters of a–z, 0–9 and '-', starting with a letter or digit: {text:?}"
    )]
    BadName {
        /// Which id was being read.
        kind: &'static str,
        /// The text that was refused.
        text: String,
    },
    /// A key id broke the `[A-Za-z0-9._-]{1,16}` rule.
    #[error("key id must be 1–16 characters of A–Z, a–z, 0–9, '.', '_' and '-': {0:?}")]
    BadKeyId(String),
    /// A child number was zero or not a number.
    #[error("child number must be a whole number from 1 to 65535: {0:?}")]
    BadChildNo(String),
    /// A UUID could not be parsed.
    #[error("not a UUID: {0:?}")]
    BadUuid(String),
}

/// The longest name id: a UUID in its 36-character text form still fits.
pub const MAX_NAME_LEN: usize = 36;

fn check_name(kind: &'static str, text: &str) -> Result<(), IdError> {
    let bytes = text.as_bytes();
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-';
    let starts_well = bytes.first().is_some_and(|b| *b != b'-');
    if bytes.len() <= MAX_NAME_LEN && starts_well && bytes.iter().all(allowed) {
        Ok(())
    } else {
        Err(IdError::BadName {
            kind,
            text: text.to_owned(),
        })
    }
}

macro_rules! name_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks `text` against the name rule (`[a-z0-9-]{1,36}`, not starting with `-`).
            pub fn new(text: impl Into<String>) -> Result<Self, IdError> {
                let text = text.into();
                check_name($kind, &text)?;
                Ok(Self(text))
            }

            /// The id as text, as it appears in topics and JSON.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                Self::new(text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, IdError> {
                Self::new(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

name_id!(
    /// A kiosk, as registered at the portal. Also its broker user name.
    KioskId,
    "kiosk id"
);
name_id!(
    /// A 子育て支援センター (childcare support center).
    CenterId,
    "center id"
);

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, IdError> {
                Uuid::parse_str(text)
                    .map(Self)
                    .map_err(|_| IdError::BadUuid(text.to_owned()))
            }
        }
    };
}

uuid_id!(
    /// One kiosk event (a check-in or check-out). Made offline by the kiosk as a UUIDv7; the
    /// portal applies each event id at most once.
    EventId
);
uuid_id!(
    /// A guardian: the portal account that holds the children and shows the pass.
    GuardianId
);

impl EventId {
    /// A new UUIDv7 for an event that happened at `at` (the time part is `at`, the rest random).
    pub fn new_v7(at: jiff::Timestamp) -> Self {
        let seconds = u64::try_from(at.as_second()).unwrap_or(0);
        let nanos = u32::try_from(at.subsec_nanosecond()).unwrap_or(0);
        let ts = uuid::Timestamp::from_unix(uuid::NoContext, seconds, nanos);
        Self(Uuid::new_v7(ts))
    }
}

/// A child within its guardian's account: the portal numbers each account's children 1, 2, 3…
/// and never reuses a number within that account. `(GuardianId, ChildNo)` names one child.
///
/// A number rather than a UUID keeps a pass for three children small enough for an easy QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct ChildNo(u16);

impl ChildNo {
    /// A child number; zero is refused.
    pub fn new(number: u16) -> Result<Self, IdError> {
        if number == 0 {
            Err(IdError::BadChildNo(number.to_string()))
        } else {
            Ok(Self(number))
        }
    }

    /// The number itself.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for ChildNo {
    type Error = IdError;
    fn try_from(number: u16) -> Result<Self, IdError> {
        Self::new(number)
    }
}

impl From<ChildNo> for u16 {
    fn from(child: ChildNo) -> u16 {
        child.0
    }
}

impl fmt::Display for ChildNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The id of a pass-signing key (`kid`), e.g. `2026a`. Travels in every pass, so keep it short.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KeyId(String);

impl KeyId {
    /// Checks `text` against `[A-Za-z0-9._-]{1,16}`.
    pub fn new(text: impl Into<String>) -> Result<Self, IdError> {
        let text = text.into();
        let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
        if (1..=16).contains(&text.len()) && text.bytes().all(allowed) {
            Ok(Self(text))
        } else {
            Err(IdError::BadKeyId(text))
        }
    }

    /// The key id as text (its UTF-8 bytes are the COSE `kid`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for KeyId {
    type Error = IdError;
    fn try_from(text: String) -> Result<Self, IdError> {
        Self::new(text)
    }
}

impl From<KeyId> for String {
    fn from(id: KeyId) -> String {
        id.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn names_accept_short_codes_and_uuids() {
        assert!(KioskId::new("chuo-1").is_ok());
        assert!(CenterId::new("0190f3a2-7b1c-7d4e-8f00-1234567890ab").is_ok());
    }

    #[test]
    fn names_refuse_what_would_break_a_topic() {
        for bad in ["", "-x", "Chuo", "a/b", "a+b", "#", "a b", &"x".repeat(37)] {
            assert!(KioskId::new(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn json_refuses_a_bad_name() {
        let err = serde_json::from_str::<CenterId>("\"a/b\"").unwrap_err();
        assert!(err.to_string().contains("center id"), "{err}");
    }

    #[test]
    fn child_numbers_start_at_one() {
        assert!(ChildNo::new(0).is_err());
        assert_eq!(
            serde_json::to_string(&ChildNo::new(2).unwrap()).unwrap(),
            "2"
        );
        assert!(serde_json::from_str::<ChildNo>("0").is_err());
    }

    #[test]
    fn key_ids_are_short() {
        assert!(KeyId::new("2026a").is_ok());
        assert!(KeyId::new("").is_err());
        assert!(KeyId::new("x".repeat(17)).is_err());
    }

    #[test]
    fn event_ids_carry_their_time() {
        let at: jiff::Timestamp = "2026-04-01T01:02:03.456Z".parse().unwrap();
        let id = EventId::new_v7(at);
        assert_eq!(id.0.get_version_num(), 7);
        let (secs, nanos) = id.0.get_timestamp().unwrap().to_unix();
        assert_eq!(secs, 1_775_005_323);
        assert_eq!(nanos / 1_000_000, 456);
        assert_ne!(EventId::new_v7(at), id);
    }
}
