//! The library card as a signed QR code (PROTOCOL.md §13.4): the card page shows it under the
//! NW-7 barcode, and a library kiosk reads the card number from it offline, knowing the portal
//! issued it for that number (a QR made up from a typed number is refused).
//!
//! Text form: `SL1:` + Base45 of a tagged COSE_Sign1 signed with a pass-signing key — the
//! envelope of the check-in pass (§11) — over the CBOR map `{1: card number (tstr), 2: issued
//! at, 3: expires at (Unix seconds)}`. The card page is kept on the phone for use with no
//! signal, so the code lives for days, not minutes.

use coset::cbor::value::{Integer, Value};
use jiff::{SignedDuration, Timestamp};

use crate::{
    messages::KeySet,
    pass::{PassError, PassSigner, issue::seal, verify::open},
};

/// What every card pass starts with: `SL` (Shimin Library card), format version 1.
pub const CARD_PREFIX: &str = "SL1:";

/// The longest life the portal gives a card pass, and the longest a kiosk accepts.
pub const MAX_CARD_LIFETIME: SignedDuration = SignedDuration::from_hours(30 * 24);

/// How far the kiosk's clock may be from the portal's.
const CLOCK_SKEW: SignedDuration = SignedDuration::from_secs(300);

/// Longer texts are refused before decoding (a real card pass is about 160 characters).
const MAX_TEXT_LEN: usize = 256;

/// Signs `card` for the card page: valid from `issued_at` until `expires_at`.
pub fn issue_card_pass(
    signer: &PassSigner,
    card: &str,
    issued_at: Timestamp,
    expires_at: Timestamp,
) -> Result<String, PassError> {
    if card.is_empty() || card.len() > 32 || !card.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PassError::Malformed("a card number is 1–32 digits".into()));
    }
    let int = |n: i64| Value::Integer(Integer::from(n));
    let map = Value::Map(vec![
        (int(1), Value::Text(card.to_owned())),
        (int(2), int(issued_at.as_second())),
        (int(3), int(expires_at.as_second())),
    ]);
    let mut payload = Vec::with_capacity(32);
    coset::cbor::ser::into_writer(&map, &mut payload)
        .map_err(|e| PassError::Malformed(format!("cannot encode claims: {e}")))?;
    seal(signer, CARD_PREFIX, payload)
}

/// Whether `text` is meant as a card pass (then [`verify_card_pass`] says whether it is good).
pub fn is_card_pass(text: &str) -> bool {
    text.starts_with("SL") && text.contains(':')
}

/// The card number of a card pass, checked offline against `keys` at `now`.
pub fn verify_card_pass(text: &str, keys: &KeySet, now: Timestamp) -> Result<String, PassError> {
    let Some(body) = text.strip_prefix(CARD_PREFIX) else {
        return Err(if is_card_pass(text) {
            PassError::UnsupportedVersion(text.split(':').next().unwrap_or_default().to_owned())
        } else {
            PassError::NotAPass
        });
    };
    if text.len() > MAX_TEXT_LEN {
        return Err(PassError::Malformed("too long".into()));
    }
    let (kid, key, payload) = open(body, keys)?;
    let (card, issued_at, expires_at) = claims(&payload)?;
    if !key.covers(issued_at) {
        return Err(PassError::KeyNotValidAtIssue { kid, issued_at });
    }
    let lifetime = issued_at.duration_until(expires_at);
    if lifetime > MAX_CARD_LIFETIME {
        return Err(PassError::LifetimeTooLong(lifetime));
    }
    let skewed = |t: Timestamp, by| t.checked_add(by).unwrap_or(t);
    if issued_at > skewed(now, CLOCK_SKEW) {
        return Err(PassError::NotYetValid(issued_at));
    }
    if now >= skewed(expires_at, CLOCK_SKEW) {
        return Err(PassError::Expired(expires_at));
    }
    Ok(card)
}

fn claims(mut bytes: &[u8]) -> Result<(String, Timestamp, Timestamp), PassError> {
    let bad = |why: &str| PassError::Malformed(format!("card claims: {why}"));
    let value: Value = coset::cbor::de::from_reader(&mut bytes).map_err(|_| bad("not CBOR"))?;
    let Value::Map(entries) = value else {
        return Err(bad("not a map"));
    };
    let find = |key: i64| {
        entries
            .iter()
            .find(|(k, _)| k.as_integer() == Some(Integer::from(key)))
            .map(|(_, v)| v.clone())
    };
    let card = find(1)
        .and_then(|v| v.into_text().ok())
        .filter(|card| !card.is_empty() && card.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| bad("1 (card) is not a number"))?;
    let time = |key: i64, name: &str| {
        find(key)
            .and_then(|v| v.as_integer())
            .and_then(|n| i64::try_from(n).ok())
            .and_then(|n| Timestamp::from_second(n).ok())
            .ok_or_else(|| bad(&format!("{key} ({name}) is not a time")))
    };
    Ok((card, time(2, "issued at")?, time(3, "expires at")?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{ids::KeyId, messages::V1};

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn keys(signer: &PassSigner) -> KeySet {
        KeySet {
            v: V1,
            issued_at: at("2026-12-01T00:00:00Z"),
            keys: vec![signer.key_entry(at("2026-12-01T00:00:00Z"), at("2027-03-01T00:00:00Z"))],
        }
    }

    #[test]
    fn a_card_pass_gives_its_number_back_until_it_expires() {
        let signer = PassSigner::from_seed(KeyId::new("k1").unwrap(), &[7; 32]);
        let issued = at("2026-12-03T00:00:00Z");
        let text =
            issue_card_pass(&signer, "2100000005", issued, at("2027-01-02T00:00:00Z")).unwrap();
        assert!(text.starts_with(CARD_PREFIX) && is_card_pass(&text));
        assert!(text.len() < 180, "{} characters", text.len());
        let keys = keys(&signer);
        assert_eq!(
            verify_card_pass(&text, &keys, at("2026-12-20T00:00:00Z")).unwrap(),
            "2100000005"
        );
        assert!(matches!(
            verify_card_pass(&text, &keys, at("2027-01-03T00:00:00Z")),
            Err(PassError::Expired(_))
        ));
    }

    #[test]
    fn forged_altered_and_foreign_card_passes_are_refused() {
        let signer = PassSigner::from_seed(KeyId::new("k1").unwrap(), &[7; 32]);
        let other = PassSigner::from_seed(KeyId::new("k1").unwrap(), &[8; 32]);
        let issued = at("2026-12-03T00:00:00Z");
        let until = at("2027-01-02T00:00:00Z");
        let now = at("2026-12-04T00:00:00Z");
        let keys = keys(&signer);
        let forged = issue_card_pass(&other, "2100000005", issued, until).unwrap();
        assert_eq!(
            verify_card_pass(&forged, &keys, now),
            Err(PassError::BadSignature)
        );
        let long =
            issue_card_pass(&signer, "2100000005", issued, at("2027-06-01T00:00:00Z")).unwrap();
        assert!(matches!(
            verify_card_pass(&long, &keys, now),
            Err(PassError::LifetimeTooLong(_))
        ));
        assert_eq!(
            verify_card_pass("A2100000005A", &keys, now),
            Err(PassError::NotAPass)
        );
        assert!(matches!(
            verify_card_pass("SL2:ABC", &keys, now),
            Err(PassError::UnsupportedVersion(_))
        ));
        assert!(matches!(
            verify_card_pass("SL1:%%%", &keys, now),
            Err(PassError::Malformed(_))
        ));
        // A check-in pass is not a card.
        assert_eq!(
            verify_card_pass("SP1:ABC", &keys, now),
            Err(PassError::NotAPass)
        );
        assert!(issue_card_pass(&signer, "21-00", issued, until).is_err());
    }
}
