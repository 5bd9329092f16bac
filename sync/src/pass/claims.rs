//! The claims a pass carries and their CBOR form: a map with small integer keys, written in
//! key order with the shortest encodings (what `ciborium` writes), so the same claims always
//! give the same bytes.
//!
//! | key | claim | CBOR type |
//! |---|---|---|
//! | 1 | guardian id (UUID) | bstr, 16 bytes |
//! | 2 | children (child numbers) | array of uint, 1–16 items, no repeats |
//! | 3 | issued at (Unix seconds) | uint |
//! | 4 | expires at (Unix seconds) | uint |
//! | 5 | nonce | bstr, 8 bytes |
//! | 6 | center id, only when the pass is bound to one center | tstr |
//! | 7 | the children's given names, for the kiosk's answer (optional) | array of tstr, one per child |

use std::fmt;

use coset::cbor::value::{Integer, Value};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::PassError;
use crate::{
    ids::{CenterId, ChildNo, GuardianId},
    messages::MAX_CHILDREN,
};

/// The longest given name a pass carries, in characters (longer names are shortened).
pub const MAX_NAME_CHARS: usize = 12;

/// The random 8 bytes that make each pass unique; the replay rule is keyed on it. In JSON, 16
/// lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassNonce(pub [u8; 8]);

impl PassNonce {
    /// A fresh nonce from `rng` (the portal passes a cryptographic RNG, e.g. `rand::rngs::OsRng`).
    pub fn random(rng: &mut impl RngCore) -> Self {
        let mut bytes = [0; 8];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn from_hex(text: &str) -> Option<Self> {
        let digits = text.as_bytes();
        if digits.len() != 16
            || !digits
                .iter()
                .all(|d| matches!(d, b'0'..=b'9' | b'a'..=b'f'))
        {
            return None;
        }
        let mut bytes = [0; 8];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            let pair = std::str::from_utf8(pair).ok()?;
            *byte = u8::from_str_radix(pair, 16).ok()?;
        }
        Some(Self(bytes))
    }
}

impl fmt::Debug for PassNonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PassNonce({})", self.to_hex())
    }
}

impl fmt::Display for PassNonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for PassNonce {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for PassNonce {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_hex(&text)
            .ok_or_else(|| serde::de::Error::custom("pass_nonce is not 16 lowercase hex digits"))
    }
}

/// What a pass says: whose children, which, when, and its nonce. Times are whole seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassClaims {
    /// The guardian's account.
    pub guardian_id: GuardianId,
    /// The children the guardian chose on the phone (1–16, no repeats).
    pub children: Vec<ChildNo>,
    /// When the portal issued the pass.
    pub issued_at: Timestamp,
    /// When it stops being accepted.
    pub expires_at: Timestamp,
    /// Random, unique per pass.
    pub nonce: PassNonce,
    /// The only center where the pass is accepted, if the guardian picked one.
    pub center_id: Option<CenterId>,
    /// The children's given names in the order of `children`, shown in the kiosk's answer
    /// (おかえりなさい、はるとさん); empty when the portal leaves them out.
    pub names: Vec<String>,
}

impl PassClaims {
    /// Claims for a pass issued at `issued_at` (truncated to the second) that lives `lifetime`,
    /// accepted at any center (set `center_id` to bind it to one).
    pub fn new(
        guardian_id: GuardianId,
        children: Vec<ChildNo>,
        issued_at: Timestamp,
        lifetime: SignedDuration,
        nonce: PassNonce,
    ) -> Result<Self, PassError> {
        let issued_at = Timestamp::from_second(issued_at.as_second())
            .map_err(|e| PassError::Malformed(e.to_string()))?;
        let expires_at = issued_at
            .checked_add(lifetime)
            .map_err(|e| PassError::Malformed(e.to_string()))?;
        let claims = Self {
            guardian_id,
            children,
            issued_at,
            expires_at,
            nonce,
            center_id: None,
            names: Vec::new(),
        };
        claims.check()?;
        Ok(claims)
    }

    /// The claims with the children's given `names` (one per child, in their order), each
    /// trimmed and shortened to [`MAX_NAME_CHARS`].
    pub fn with_names(mut self, names: &[&str]) -> Result<Self, PassError> {
        self.names = names
            .iter()
            .map(|name| name.trim().chars().take(MAX_NAME_CHARS).collect())
            .collect();
        self.check()?;
        Ok(self)
    }

    /// Rules on the claims alone (time rules are the verifier's).
    pub(super) fn check(&self) -> Result<(), PassError> {
        let malformed = |why: &str| Err(PassError::Malformed(why.to_owned()));
        if self.children.is_empty() || self.children.len() > MAX_CHILDREN {
            return malformed("a pass names 1 to 16 children");
        }
        let mut sorted = self.children.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != self.children.len() {
            return malformed("a pass names a child twice");
        }
        if self.expires_at <= self.issued_at || self.issued_at.as_second() < 0 {
            return malformed("a pass expires after it is issued, after 1970");
        }
        if !self.names.is_empty() && self.names.len() != self.children.len() {
            return malformed("a pass names every child or none");
        }
        if self.names.iter().any(|name| {
            name.is_empty()
                || name.chars().count() > MAX_NAME_CHARS
                || name.chars().any(char::is_control)
        }) {
            return malformed("a child's name is empty, too long or holds control characters");
        }
        Ok(())
    }

    /// The CBOR bytes of the claims (the COSE payload).
    pub(super) fn to_cbor(&self) -> Result<Vec<u8>, PassError> {
        let int = |n: i64| Value::Integer(Integer::from(n));
        let mut map = vec![
            (int(1), Value::Bytes(self.guardian_id.0.as_bytes().to_vec())),
            (
                int(2),
                Value::Array(
                    self.children
                        .iter()
                        .map(|c| int(i64::from(c.get())))
                        .collect(),
                ),
            ),
            (int(3), int(self.issued_at.as_second())),
            (int(4), int(self.expires_at.as_second())),
            (int(5), Value::Bytes(self.nonce.0.to_vec())),
        ];
        if let Some(center) = &self.center_id {
            map.push((int(6), Value::Text(center.as_str().to_owned())));
        }
        if !self.names.is_empty() {
            let names = self.names.iter().cloned().map(Value::Text).collect();
            map.push((int(7), Value::Array(names)));
        }
        let mut bytes = Vec::with_capacity(64);
        coset::cbor::ser::into_writer(&Value::Map(map), &mut bytes)
            .map_err(|e| PassError::Malformed(format!("cannot encode claims: {e}")))?;
        Ok(bytes)
    }

    /// Reads claims from the COSE payload. Unknown integer keys are ignored (a later portal may
    /// add claims that do not change their meaning); repeated keys are refused.
    pub(super) fn from_cbor(mut bytes: &[u8]) -> Result<Self, PassError> {
        let bad = |why: &str| PassError::Malformed(format!("claims: {why}"));
        let value: Value = coset::cbor::de::from_reader(&mut bytes).map_err(|_| bad("not CBOR"))?;
        if !bytes.is_empty() {
            return Err(bad("trailing bytes"));
        }
        let Value::Map(entries) = value else {
            return Err(bad("not a map"));
        };
        let mut slots: [Option<Value>; 8] = Default::default();
        for (key, value) in entries {
            let Some(key) = key.as_integer() else {
                return Err(bad("a key is not an integer"));
            };
            let slot = usize::try_from(key).ok().and_then(|k| slots.get_mut(k));
            if let Some(slot) = slot
                && slot.replace(value).is_some()
            {
                return Err(bad("a key appears twice"));
            }
        }
        let [_, guardian, children, iat, exp, nonce, center, names] = slots;
        let guardian = guardian
            .and_then(|v| v.into_bytes().ok())
            .and_then(|b| Uuid::from_slice(&b).ok())
            .ok_or_else(|| bad("1 (guardian) is not a 16-byte string"))?;
        let children = children
            .and_then(|v| v.into_array().ok())
            .ok_or_else(|| bad("2 (children) is not an array"))?
            .into_iter()
            .map(|c| {
                c.as_integer()
                    .and_then(|n| u16::try_from(n).ok())
                    .and_then(|n| ChildNo::new(n).ok())
            })
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("2 (children) holds something not a child number"))?;
        let time = |v: Option<Value>, what: &str| {
            v.and_then(|v| v.as_integer())
                .and_then(|n| i64::try_from(n).ok())
                .and_then(|n| Timestamp::from_second(n).ok())
                .ok_or_else(|| bad(&format!("{what} is not a time in seconds")))
        };
        let nonce = nonce
            .and_then(|v| v.into_bytes().ok())
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .ok_or_else(|| bad("5 (nonce) is not an 8-byte string"))?;
        let center_id = match center {
            None => None,
            Some(v) => Some(
                v.into_text()
                    .ok()
                    .and_then(|t| CenterId::new(t).ok())
                    .ok_or_else(|| bad("6 (center) is not a center id"))?,
            ),
        };
        let names = match names {
            None => Vec::new(),
            Some(v) => v
                .into_array()
                .ok()
                .and_then(|a| {
                    a.into_iter()
                        .map(|n| n.into_text().ok())
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| bad("7 (names) is not an array of texts"))?,
        };
        let claims = Self {
            guardian_id: GuardianId(guardian),
            children,
            issued_at: time(iat, "3 (issued at)")?,
            expires_at: time(exp, "4 (expires at)")?,
            nonce: PassNonce(nonce),
            center_id,
            names,
        };
        claims.check()?;
        Ok(claims)
    }
}
