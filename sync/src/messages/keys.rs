//! `KeySet`: the public keys kiosks verify passes with, retained on `shimin/v1/keys`.
//!
//! Each key has a window `[valid_from, valid_until)` of *issue* times: a pass is good only if
//! it was issued inside its key's window. Rotation publishes the next key well before its
//! `valid_from` (a week ahead lets a kiosk that is offline for days still receive it), switches
//! the portal's signing to it at `valid_from`, and ends the old key's window there. Removing a
//! key from the set revokes it.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use ed25519_dalek::VerifyingKey;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Message, V1};
use crate::ids::KeyId;

/// An Ed25519 public key; on the wire its 32 bytes in unpadded base64url (43 characters), as
/// the `x` of a JSON Web Key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub VerifyingKey);

impl Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&URL_SAFE_NO_PAD.encode(self.0.as_bytes()))
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let text = String::deserialize(deserializer)?;
        let bytes = URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .map_err(|_| D::Error::custom("public_key is not unpadded base64url"))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| D::Error::custom("public_key is not 32 bytes"))?;
        VerifyingKey::from_bytes(&bytes)
            .map(Self)
            .map_err(|_| D::Error::custom("public_key is not an Ed25519 key"))
    }
}

/// One pass-verification key and the issue times it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    /// The key id passes name in their COSE `kid`.
    pub kid: KeyId,
    /// The Ed25519 public key.
    pub public_key: PublicKey,
    /// Passes issued from this instant on may use the key.
    pub valid_from: Timestamp,
    /// Passes issued from this instant on may not.
    pub valid_until: Timestamp,
}

impl KeyEntry {
    /// Whether a pass issued at `issued_at` may be signed with this key.
    pub fn covers(&self, issued_at: Timestamp) -> bool {
        self.valid_from <= issued_at && issued_at < self.valid_until
    }
}

/// Every key a kiosk should accept passes from. Replaces, not merges with, the set before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySet {
    /// Always 1.
    pub v: V1,
    /// When the portal made this set; a kiosk keeps the newest set it has seen.
    pub issued_at: Timestamp,
    /// The keys; no `kid` twice.
    #[serde(default)]
    pub keys: Vec<KeyEntry>,
}

impl KeySet {
    /// A set of `keys` made at `issued_at`.
    pub fn new(issued_at: Timestamp, keys: Vec<KeyEntry>) -> Self {
        Self {
            v: V1,
            issued_at,
            keys,
        }
    }

    /// The key named `kid`, if the set has it.
    pub fn find(&self, kid: &KeyId) -> Option<&KeyEntry> {
        self.keys.iter().find(|k| &k.kid == kid)
    }

    /// Whether this set should replace `current` (it was made later). A kiosk ignores a set
    /// older than the one it holds, so a stale retained message cannot undo a rotation.
    pub fn supersedes(&self, current: &KeySet) -> bool {
        self.issued_at > current.issued_at
    }
}

impl Message for KeySet {
    const NAME: &'static str = "KeySet";

    fn check(&self) -> Result<(), String> {
        for (i, key) in self.keys.iter().enumerate() {
            if key.valid_from >= key.valid_until {
                return Err(format!(
                    "key {}: valid_from is not before valid_until",
                    key.kid
                ));
            }
            if self.keys.iter().skip(i + 1).any(|k| k.kid == key.kid) {
                return Err(format!("key {} appears twice", key.kid));
            }
        }
        Ok(())
    }
}
