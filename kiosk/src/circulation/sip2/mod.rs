//! The SIP2 2.00 wire format (3M's Standard Interchange Protocol, as library systems speak it to
//! self-checkout machines): the requests a lending kiosk sends and the answers it reads. Pure
//! code: no sockets here.
//!
//! A message is a two-digit command, fixed-length fields, then variable fields, each a
//! two-letter code, its value and `|`. With error detection on, every message ends with
//! `AY` and a sequence number (0–9), then `AZ` and a checksum: the 16-bit two's complement of
//! the sum of every byte from the first through `AZ`, in four uppercase hex digits. Then `\r`.

pub mod link;
mod response;

use jiff::civil::DateTime;

pub use response::{Response, ResponseError, verify_checksum};

/// The checksum of `bytes` (everything through `AZ`): four uppercase hex digits.
pub fn checksum(bytes: &[u8]) -> String {
    let sum = bytes
        .iter()
        .fold(0u16, |sum, byte| sum.wrapping_add(u16::from(*byte)));
    format!("{:04X}", sum.wrapping_neg())
}

/// A SIP2 date and time: `YYYYMMDD`, four spaces (the library's local time), `HHMMSS`.
pub fn sip_date(at: DateTime) -> String {
    at.strftime("%Y%m%d    %H%M%S").to_string()
}

/// A request from the kiosk (the SC, "self-check") to the library system (the ACS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// 93: log the kiosk in.
    Login {
        /// The kiosk's SIP login (`CN`).
        user: String,
        /// Its password (`CO`).
        password: String,
        /// Where the kiosk stands (`CP`).
        location: String,
    },
    /// 99: the kiosk's status; the answer tells what the library system allows.
    ScStatus,
    /// 23: whether a patron may borrow.
    PatronStatus {
        /// The patron's card number (`AA`).
        patron: String,
    },
    /// 63: the patron's details, with the items charged to them (`BP`–`BQ` range 1–50).
    PatronInformation {
        /// The patron's card number.
        patron: String,
    },
    /// 11: lend `item` to `patron`.
    Checkout {
        /// The patron's card number.
        patron: String,
        /// The item's barcode (`AB`).
        item: String,
    },
    /// 09: take `item` back.
    Checkin {
        /// The item's barcode.
        item: String,
        /// Where it was returned (`AP`).
        location: String,
    },
    /// 29: renew `item` for `patron`.
    Renew {
        /// The patron's card number.
        patron: String,
        /// The item's barcode.
        item: String,
    },
}

/// A value that cannot go into a field: SIP2 has no escaping, so `|` and control characters
/// would break the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a SIP2 field cannot hold {0:?}")]
pub struct BadField(pub String);

fn field(out: &mut String, code: &str, value: &str) -> Result<(), BadField> {
    if value.chars().any(|c| c == '|' || c.is_control()) {
        return Err(BadField(value.to_owned()));
    }
    out.push_str(code);
    out.push_str(value);
    out.push('|');
    Ok(())
}

/// A checkout, renewal or checkin done while the library system was unreachable, sent later
/// with SIP2's "no block" flag: the library system must take it (the item already left or
/// came back), and records it at the time it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoBlock {
    /// When it happened (the transaction date; for a checkin, also the return date).
    pub at: DateTime,
    /// The due date the kiosk gave (the "nb due date" of a checkout or renewal).
    pub due: DateTime,
}

impl Request {
    /// The message for `institution` at local time `at`, with `sequence` (0–9) and the
    /// checksum when error detection is on (`Some`), ending in `\r`.
    pub fn encode(
        &self,
        institution: &str,
        at: DateTime,
        sequence: Option<u8>,
    ) -> Result<String, BadField> {
        self.encode_offline(institution, at, sequence, None)
    }

    /// [`Request::encode`] for a transaction done offline ([`NoBlock`]); `no_block` is ignored
    /// by the requests other than checkout, renew and checkin.
    pub fn encode_offline(
        &self,
        institution: &str,
        at: DateTime,
        sequence: Option<u8>,
        no_block: Option<NoBlock>,
    ) -> Result<String, BadField> {
        let now = sip_date(at);
        // Transaction date, then the no-block due date (checkout, renew) or return date.
        let (flag, when, second) = match no_block {
            Some(nb) => ('Y', sip_date(nb.at), sip_date(nb.due)),
            None => ('N', now.clone(), now.clone()),
        };
        let mut m = String::with_capacity(96);
        match self {
            Self::Login {
                user,
                password,
                location,
            } => {
                // UID and PWD algorithms: 0 (plain).
                m.push_str("9300");
                field(&mut m, "CN", user)?;
                field(&mut m, "CO", password)?;
                field(&mut m, "CP", location)?;
            }
            // Status 0 (ok), print width 030, protocol 2.00.
            Self::ScStatus => m.push_str("9900302.00"),
            Self::PatronStatus { patron } => {
                // Language 001 (English: SIP2 has no code for Japanese).
                m.push_str(&format!("23001{now}"));
                field(&mut m, "AO", institution)?;
                field(&mut m, "AA", patron)?;
                field(&mut m, "AC", "")?;
                field(&mut m, "AD", "")?;
            }
            Self::PatronInformation { patron } => {
                // Summary: charged items (the third position).
                m.push_str(&format!("63001{now}  Y       "));
                field(&mut m, "AO", institution)?;
                field(&mut m, "AA", patron)?;
                field(&mut m, "AC", "")?;
                field(&mut m, "BP", "1")?;
                field(&mut m, "BQ", "50")?;
            }
            Self::Checkout { patron, item } | Self::Renew { patron, item } => {
                let command = if matches!(self, Self::Checkout { .. }) {
                    "11"
                } else {
                    "29"
                };
                // Checkout: no SC renewal policy; renew: no third party. Then the no-block
                // flag, the transaction date and the no-block due date (required, and ignored
                // without a no-block: the date again).
                m.push_str(&format!("{command}N{flag}{when}{second}"));
                field(&mut m, "AO", institution)?;
                field(&mut m, "AA", patron)?;
                field(&mut m, "AB", item)?;
                field(&mut m, "AC", "")?;
            }
            Self::Checkin { item, location } => {
                let returned = if no_block.is_some() { &when } else { &now };
                m.push_str(&format!("09{flag}{when}{returned}"));
                field(&mut m, "AP", location)?;
                field(&mut m, "AO", institution)?;
                field(&mut m, "AB", item)?;
                field(&mut m, "AC", "")?;
            }
        }
        if let Some(sequence) = sequence {
            m.push_str(&format!("AY{}AZ", sequence % 10));
            let sum = checksum(m.as_bytes());
            m.push_str(&sum);
        }
        m.push('\r');
        Ok(m)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
