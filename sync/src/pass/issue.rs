//! Issuing passes (the portal's side): the signing key and [`issue`].

use std::fmt;

use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable as _, iana};
use ed25519_dalek::{Signer as _, SigningKey};
use jiff::Timestamp;
use rand::{CryptoRng, RngCore};

use super::{PREFIX, PassClaims, PassError};
use crate::{
    ids::KeyId,
    messages::{KeyEntry, PublicKey},
};

/// The portal's pass-signing key with its key id. `Debug` shows the key id only.
#[derive(Clone)]
pub struct PassSigner {
    kid: KeyId,
    key: SigningKey,
}

impl fmt::Debug for PassSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PassSigner")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl PassSigner {
    /// A new random key named `kid`.
    pub fn generate(kid: KeyId, rng: &mut (impl RngCore + CryptoRng)) -> Self {
        Self {
            kid,
            key: SigningKey::generate(rng),
        }
    }

    /// The key named `kid` from its 32-byte secret seed (as stored by the portal).
    pub fn from_seed(kid: KeyId, seed: &[u8; 32]) -> Self {
        Self {
            kid,
            key: SigningKey::from_bytes(seed),
        }
    }

    /// The 32-byte secret seed, to store. Keep it secret: whoever has it can issue passes.
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The key id.
    pub fn kid(&self) -> &KeyId {
        &self.kid
    }

    /// The public key kiosks verify with.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.key.verifying_key())
    }

    /// The key-set entry announcing this key for passes issued in `[valid_from, valid_until)`.
    pub fn key_entry(&self, valid_from: Timestamp, valid_until: Timestamp) -> KeyEntry {
        KeyEntry {
            kid: self.kid.clone(),
            public_key: self.public_key(),
            valid_from,
            valid_until,
        }
    }
}

/// Signs `claims` and returns the pass text (`SP1:` + Base45) to put in a QR code, in
/// alphanumeric mode.
pub fn issue(signer: &PassSigner, claims: &PassClaims) -> Result<String, PassError> {
    claims.check()?;
    seal(signer, PREFIX, claims.to_cbor()?)
}

/// `prefix` + the Base45 of a tagged COSE_Sign1 by `signer` (EdDSA, its `kid` in the protected
/// header) over `payload`: the envelope of every signed text the phone shows.
pub(crate) fn seal(
    signer: &PassSigner,
    prefix: &str,
    payload: Vec<u8>,
) -> Result<String, PassError> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(signer.kid.as_str().as_bytes().to_vec())
        .build();
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(b"", |to_be_signed| {
            signer.key.sign(to_be_signed).to_bytes().to_vec()
        })
        .build();
    let bytes = sign1
        .to_tagged_vec()
        .map_err(|e| PassError::Malformed(format!("cannot encode COSE: {e}")))?;
    Ok(format!("{prefix}{}", base45::encode(bytes)))
}
