//! Verifying passes (the kiosk's side), offline: only the key set and the clock are needed.
//!
//! The checks run in this order, so the error names the first thing wrong: size and prefix,
//! Base45, COSE structure and algorithm, key id known, signature, claims readable, key valid at
//! the issue time, lifetime within policy, not issued in the future, not expired.

use coset::{CoseSign1, RegisteredLabelWithPrivate, TaggedCborSerializable as _, iana};
use ed25519_dalek::Signature;
use jiff::Timestamp;

use super::{MAX_TEXT_LEN, PREFIX, PassClaims, PassError, VerifiedPass, VerifyPolicy};
use crate::{
    ids::KeyId,
    messages::{KeyEntry, KeySet},
};

/// Verifies a pass text with the default [`VerifyPolicy`].
pub fn verify(text: &str, keys: &KeySet, now: Timestamp) -> Result<VerifiedPass, PassError> {
    verify_with(text, keys, now, &VerifyPolicy::default())
}

/// Verifies a pass text against `keys` at `now` (the kiosk's clock), with `policy`'s tolerances.
pub fn verify_with(
    text: &str,
    keys: &KeySet,
    now: Timestamp,
    policy: &VerifyPolicy,
) -> Result<VerifiedPass, PassError> {
    let body = strip_prefix(text)?;
    if text.len() > MAX_TEXT_LEN {
        return Err(PassError::Malformed("too long".into()));
    }
    let (kid, key, payload) = open(body, keys)?;
    let claims = PassClaims::from_cbor(&payload)?;
    if !key.covers(claims.issued_at) {
        return Err(PassError::KeyNotValidAtIssue {
            kid,
            issued_at: claims.issued_at,
        });
    }
    let lifetime = claims.issued_at.duration_until(claims.expires_at);
    if lifetime > policy.max_lifetime {
        return Err(PassError::LifetimeTooLong(lifetime));
    }
    let skewed = |t: Timestamp, by| t.checked_add(by).unwrap_or(t);
    if claims.issued_at > skewed(now, policy.clock_skew) {
        return Err(PassError::NotYetValid(claims.issued_at));
    }
    if now >= skewed(claims.expires_at, policy.clock_skew) {
        return Err(PassError::Expired(claims.expires_at));
    }
    Ok(VerifiedPass {
        kid,
        guardian_id: claims.guardian_id,
        children: claims.children,
        issued_at: claims.issued_at,
        expires_at: claims.expires_at,
        nonce: claims.nonce,
        center_id: claims.center_id,
        names: claims.names,
    })
}

/// Opens the envelope of [`super::issue::seal`]: Base45, a tagged COSE_Sign1 with alg EdDSA
/// and a known `kid`, its signature checked. The key that signed it and the payload.
pub(crate) fn open<'k>(
    body: &str,
    keys: &'k KeySet,
) -> Result<(KeyId, &'k KeyEntry, Vec<u8>), PassError> {
    let malformed = |why: &str| PassError::Malformed(why.to_owned());
    let bytes = base45::decode(body).map_err(|_| malformed("not Base45"))?;
    let sign1 =
        CoseSign1::from_tagged_slice(&bytes).map_err(|_| malformed("not a tagged COSE_Sign1"))?;
    let header = &sign1.protected.header;
    if header.alg != Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::EdDSA)) {
        return Err(malformed("protected header does not say alg EdDSA (-8)"));
    }
    let kid = std::str::from_utf8(&header.key_id)
        .ok()
        .and_then(|k| KeyId::new(k).ok())
        .ok_or_else(|| malformed("protected header has no valid kid"))?;
    let key = keys
        .find(&kid)
        .ok_or_else(|| PassError::UnknownKey(kid.clone()))?;
    let payload = sign1
        .payload
        .as_deref()
        .ok_or_else(|| malformed("no payload"))?;
    let signature = Signature::from_slice(&sign1.signature).map_err(|_| PassError::BadSignature)?;
    sign1.verify_signature(b"", |_, to_be_signed| {
        key.public_key
            .0
            .verify_strict(to_be_signed, &signature)
            .map_err(|_| PassError::BadSignature)
    })?;
    Ok((kid, key, payload.to_vec()))
}

/// The Base45 part of a pass text, or why there is none.
fn strip_prefix(text: &str) -> Result<&str, PassError> {
    if let Some(body) = text.strip_prefix(PREFIX) {
        return Ok(body);
    }
    // `SP<digits>:` is a pass of another format version; anything else is not a pass.
    let version = text
        .strip_prefix("SP")
        .and_then(|rest| rest.split_once(':'))
        .map(|(digits, _)| digits)
        .filter(|d| !d.is_empty() && d.len() <= 3 && d.bytes().all(|b| b.is_ascii_digit()));
    match version {
        Some(digits) => Err(PassError::UnsupportedVersion(format!("SP{digits}:"))),
        None => Err(PassError::NotAPass),
    }
}
