//! Lending at the library counter: what the kiosk asks the library's system, through the
//! [`Circulation`] trait. [`ils::Sip2Circulation`] speaks SIP2 2.00 to the library's ILS
//! ([`sip2`] is the wire format, [`sip2::link`] the connection); [`queue`] keeps what was done
//! while the ILS could not be reached and replays it later, with SIP2's "no block" flag and the
//! time it happened, keeping every conflict for the librarian. [`counter`] is the counter's
//! session as pure state, and [`worker`] does its jobs in order against a [`Circulation`].
//!
//! [`ledger::PortalLedger`] is the second implementation, for a library without an ILS: the
//! portal's loan ledger, over MQTT ([`portal`]). With an ILS, [`reports::Reporting`] reports
//! each loan, return and renewal the ILS accepted to the portal, kept in a durable outbox
//! until the portal answers, so citizens see their loans on the portal.

pub mod card_keys;
pub mod counter;
pub mod ils;
pub mod ledger;
pub mod portal;
pub mod queue;
pub mod reports;
pub mod sip2;
pub mod worker;

use async_trait::async_trait;
use jiff::civil::Date;

pub use sip2::NoBlock;

/// Why a patron may not borrow, in words a citizen understands (the kiosk shows them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// The card is not known to the library (or not valid any more: expired).
    NotAPatron,
    /// Borrowing is stopped (charge privileges denied).
    Stopped,
    /// The card was reported lost.
    CardLost,
    /// Too many items borrowed.
    TooMany,
    /// Items are overdue.
    Overdue,
    /// Fines or fees are outstanding.
    Fines,
}

impl Block {
    /// The blocks a SIP2 patron status says (its 14 flags, and `BL` valid patron).
    pub fn from_status(flags: &str, valid: Option<&str>) -> Vec<Block> {
        let flag = |i: usize| flags.as_bytes().get(i) == Some(&b'Y');
        let mut blocks = Vec::new();
        if valid == Some("N") {
            blocks.push(Block::NotAPatron);
        }
        for (index, block) in [
            (0, Block::Stopped),
            (4, Block::CardLost),
            (5, Block::TooMany),
            (6, Block::Overdue),
            (10, Block::Fines),
            (11, Block::Fines),
        ] {
            if flag(index) && !blocks.contains(&block) {
                blocks.push(block);
            }
        }
        blocks
    }
}

/// A patron as the library system knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patron {
    /// The card number.
    pub card: String,
    /// Their name (may be empty).
    pub name: String,
    /// Why they may not borrow; empty when they may.
    pub blocks: Vec<Block>,
    /// The items charged to them.
    pub loans: Vec<String>,
    /// What the library system asks to show (`AF`), if anything.
    pub message: Option<String>,
}

/// An item lent or renewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lent {
    /// The item's barcode.
    pub item: String,
    /// Its title (may be empty).
    pub title: String,
    /// When it is due back, if the library system said.
    pub due: Option<Date>,
}

/// An item taken back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    /// The item's barcode.
    pub item: String,
    /// Its title (may be empty).
    pub title: String,
}

/// Why a circulation request did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CircError {
    /// The library system cannot be reached now: queue it.
    #[error("the library system cannot be reached: {0}")]
    Unreachable(String),
    /// The library system said no, with its message (may be empty).
    #[error("the library system refused: {0}")]
    Refused(String),
    /// The library system answered something unusable.
    #[error("the library system answered garbage: {0}")]
    Garbage(String),
}

/// What the kiosk asks the library system.
#[async_trait]
pub trait Circulation: Send {
    /// Who holds `card`, what they have, and whether they may borrow.
    async fn patron(&mut self, card: &str) -> Result<Patron, CircError>;

    /// Lends `item` to `card` (`offline`: done earlier while unreachable).
    async fn lend(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError>;

    /// Renews `item` for `card`.
    async fn renew(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError>;

    /// Takes `item` back.
    async fn give_back(
        &mut self,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Returned, CircError>;
}

/// Seconds as a plain number in the configuration.
pub(crate) mod secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    /// Writes seconds as a number.
    pub fn serialize<S: Serializer>(value: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(value.as_secs_f64())
    }

    /// Reads seconds from a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(d)?;
        Duration::try_from_secs_f64(secs).map_err(serde::de::Error::custom)
    }
}

/// The library's time zone, Asia/Tokyo, never the host's: due dates and the times offline
/// circulation is replayed with.
pub fn library_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Tokyo")
        .unwrap_or_else(|_| jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
}

/// A due date as SIP2 gives it: `YYYYMMDD`, alone or leading an 18-character date.
pub fn sip_due(text: &str) -> Option<Date> {
    let digits = text.trim().get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = digits[..4].parse().ok()?;
    let month = digits[4..6].parse().ok()?;
    let day = digits[6..].parse().ok()?;
    Date::new(year, month, day).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn blocks_come_from_the_status_flags_in_plain_categories() {
        assert!(Block::from_status("              ", Some("Y")).is_empty());
        assert_eq!(
            Block::from_status("Y   YY         ", Some("Y")),
            [Block::Stopped, Block::CardLost, Block::TooMany]
        );
        assert_eq!(
            Block::from_status("      Y   YY  ", None),
            [Block::Overdue, Block::Fines]
        );
        assert_eq!(Block::from_status("", Some("N")), [Block::NotAPatron]);
    }

    #[test]
    fn due_dates_are_read_in_both_sip2_forms() {
        let due = Date::new(2027, 1, 10).unwrap();
        assert_eq!(sip_due("20270110"), Some(due));
        assert_eq!(sip_due("20270110    235900"), Some(due));
        assert_eq!(sip_due("2027-01-10"), None);
        assert_eq!(sip_due("20271310"), None);
        assert_eq!(sip_due(""), None);
    }
}
