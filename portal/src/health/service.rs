//! The health office's bookable services, and the ids of slots and bookings.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::Lang;

/// A service citizens book with the health office (保健センター).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// 母子健康手帳の交付: the handbook handed over at the office, with an interview.
    BoshiTecho,
    /// 赤ちゃん訪問: a public health nurse or midwife visits the newborn at home.
    AkachanHoumon,
}

impl Service {
    /// Every service, in the order pages list them.
    pub const ALL: [Service; 2] = [Service::BoshiTecho, Service::AkachanHoumon];

    /// The stable name stored and posted (`boshi_techo`, `akachan_houmon`); also the name of
    /// its questionnaire file.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::BoshiTecho => "boshi_techo",
            Service::AkachanHoumon => "akachan_houmon",
        }
    }

    /// Its name for people.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Service::BoshiTecho, Lang::Ja) => "母子健康手帳の交付",
            (Service::BoshiTecho, Lang::En) => "Maternal and Child Health Handbook",
            (Service::AkachanHoumon, Lang::Ja) => "赤ちゃん訪問",
            (Service::AkachanHoumon, Lang::En) => "Newborn home visit",
        }
    }
}

impl FromStr for Service {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Service::ALL
            .into_iter()
            .find(|service| service.as_str() == s)
            .ok_or(())
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new id (UUIDv7: sortable by creation time).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// The id of a slot the health office opened.
    SlotId
);
uuid_id!(
    /// The id of a citizen's booking; it stays the same when the booking moves to another slot.
    BookingId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stable_and_read_back() {
        for service in Service::ALL {
            assert_eq!(service.as_str().parse(), Ok(service));
        }
        assert_eq!(Service::AkachanHoumon.as_str(), "akachan_houmon");
        assert_eq!(Service::BoshiTecho.name(Lang::Ja), "母子健康手帳の交付");
        assert_eq!("houmon".parse::<Service>(), Err(()));
        let id = SlotId::new();
        assert_eq!(id.to_string().parse::<SlotId>().unwrap(), id);
    }
}
