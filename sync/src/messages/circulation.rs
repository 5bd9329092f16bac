//! `CircRequest` and `CircAnswer`: lending at a library counter kiosk, on
//! `shimin/v1/kiosks/{kiosk_id}/circulation` (kiosk → portal) and
//! `shimin/v1/kiosks/{kiosk_id}/circulation-answers` (portal → kiosk).
//!
//! Two uses, told apart by [`Authority`]:
//! - `ledger`: the library has no system of its own; the portal keeps the loans and decides
//!   (a patron lookup, a loan, a return, a renewal).
//! - `ils`: the library's system (ILS, over SIP2) has already done it; the kiosk reports it so
//!   the citizen sees their loans on the portal. The portal records it and never refuses it
//!   for a library reason.
//!
//! Each request carries a UUIDv7 `request_id` made by the kiosk; the portal applies it at most
//! once and answers a repeat with the answer it gave the first time.

use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};

use super::{Message, V1};
use crate::ids::{EventId, KioskId};

/// The longest card number or item barcode, in characters.
pub const MAX_CODE: usize = 64;

/// The longest title, in characters.
pub const MAX_TITLE: usize = 300;

/// The most loans one answer lists.
pub const MAX_LOANS: usize = 100;

/// What the kiosk asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CircOp {
    /// Who holds a card, their loans and blocks (ledger only).
    Patron,
    /// Lend an item to a card.
    Checkout,
    /// Take an item back.
    Checkin,
    /// Renew an item lent to a card.
    Renew,
}

/// Who decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// The portal's loan ledger decides.
    Ledger,
    /// The library's system decided; the portal records.
    Ils,
}

/// One request of a library kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircRequest {
    /// Always 1.
    pub v: V1,
    /// UUIDv7 made by the kiosk: the idempotency key.
    pub request_id: EventId,
    /// The kiosk; must match the topic.
    pub kiosk_id: KioskId,
    /// What is asked.
    pub op: CircOp,
    /// Ledger or ILS.
    pub authority: Authority,
    /// The card number (ASCII digits); absent for a check-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<String>,
    /// The item's barcode; absent for a patron lookup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// When it happened at the counter (earlier than now for offline circulation).
    pub occurred_at: Timestamp,
    /// Done already at the counter while the portal could not be reached: apply it whatever
    /// the blocks (SIP2's "no block").
    #[serde(default)]
    pub no_block: bool,
    /// The item's title, as the ILS gave it (`ils` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When the item is due back, as the ILS said (`ils` checkout and renew only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
}

fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.chars().count() <= MAX_CODE
        && code.chars().all(|c| c.is_ascii_graphic())
}

impl Message for CircRequest {
    const NAME: &'static str = "CircRequest";

    fn check(&self) -> Result<(), String> {
        let needs_card = !matches!(self.op, CircOp::Checkin);
        let needs_item = !matches!(self.op, CircOp::Patron);
        match (&self.card, needs_card) {
            (None, true) => return Err("this request names a card".into()),
            (Some(card), _) if card.is_empty() || !card.bytes().all(|b| b.is_ascii_digit()) => {
                return Err("a card number is ASCII digits".into());
            }
            (Some(card), _) if card.len() > MAX_CODE => return Err("card number too long".into()),
            _ => {}
        }
        match (&self.item, needs_item) {
            (None, true) => return Err("this request names an item".into()),
            (Some(_), false) => return Err("a patron lookup names no item".into()),
            (Some(item), true) if !code_ok(item) => {
                return Err(format!(
                    "an item barcode is 1–{MAX_CODE} printable ASCII characters"
                ));
            }
            _ => {}
        }
        if self.authority == Authority::Ils && self.op == CircOp::Patron {
            return Err("a patron lookup goes to the ILS, not the portal".into());
        }
        if self.authority == Authority::Ledger && (self.title.is_some() || self.due.is_some()) {
            return Err("title and due are the ILS's to report".into());
        }
        if self
            .title
            .as_ref()
            .is_some_and(|title| title.chars().count() > MAX_TITLE)
        {
            return Err(format!("a title is at most {MAX_TITLE} characters"));
        }
        Ok(())
    }
}

/// Why the portal said no. Unknown codes from a newer portal read as [`Self::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CircRefusal {
    /// No citizen has registered this card.
    UnknownCard,
    /// The patron may not borrow now (see the patron's blocks).
    Blocked,
    /// The item is lent to another card.
    AlreadyLent,
    /// The item is not lent (to this card).
    NotLent,
    /// The patron has as many items as the library lends.
    LoanLimit,
    /// The item was renewed as often as the library allows.
    RenewalLimit,
    /// The kiosk is not a registered library kiosk.
    UnknownKiosk,
    /// The request's `kiosk_id` is not the kiosk of its topic.
    TopicMismatch,
    /// The request was not valid (the detail says why).
    Malformed,
    /// The request's `v` is one the portal does not understand.
    UnsupportedVersion,
    /// A reason this program does not know.
    #[serde(other)]
    Other,
}

/// Why a patron may not borrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatronBlock {
    /// Items are overdue.
    Overdue,
    /// As many items as the library lends.
    TooMany,
    /// A block this program does not know.
    #[serde(other)]
    Other,
}

/// An item on loan, or just lent, renewed or returned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircItem {
    /// Its barcode.
    pub item: String,
    /// Its title (may be empty: the ledger knows no catalogue).
    #[serde(default)]
    pub title: String,
    /// When it is due back (absent for a return).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
}

/// A patron as the ledger knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircPatron {
    /// The card number.
    pub card: String,
    /// How the counter greets them (the family name), may be empty.
    #[serde(default)]
    pub name: String,
    /// What they have on loan, soonest due first.
    #[serde(default)]
    pub loans: Vec<CircItem>,
    /// Why they may not borrow; empty when they may.
    #[serde(default)]
    pub blocks: Vec<PatronBlock>,
}

/// The portal's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircAnswer {
    /// Always 1.
    pub v: V1,
    /// The request answered.
    pub request_id: EventId,
    /// `None` when done; why not otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<CircRefusal>,
    /// The patron (a patron lookup, and a refusal for `blocked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patron: Option<CircPatron>,
    /// The item concerned (checkout, checkin, renew).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<CircItem>,
    /// Details for the logs (English, for operators), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl CircAnswer {
    /// A refusal of `request_id` for `reason`.
    pub fn refusal(request_id: EventId, reason: CircRefusal, detail: impl Into<String>) -> Self {
        Self {
            v: V1,
            request_id,
            refused: Some(reason),
            patron: None,
            item: None,
            detail: Some(detail.into()),
        }
    }
}

impl Message for CircAnswer {
    const NAME: &'static str = "CircAnswer";

    fn check(&self) -> Result<(), String> {
        if self
            .patron
            .as_ref()
            .is_some_and(|patron| patron.loans.len() > MAX_LOANS)
        {
            return Err(format!("an answer lists at most {MAX_LOANS} loans"));
        }
        Ok(())
    }
}

/// Reads just the `request_id` of a payload that may not be a valid request, so the portal
/// can still refuse it by id.
pub fn peek_request_id(payload: &[u8]) -> Option<EventId> {
    #[derive(Deserialize)]
    struct Probe {
        request_id: EventId,
    }
    if payload.len() > super::MAX_PAYLOAD {
        return None;
    }
    serde_json::from_slice::<Probe>(payload)
        .ok()
        .map(|probe| probe.request_id)
}
