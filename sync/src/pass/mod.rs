//! The signed pass a guardian's phone shows as a QR code, and its offline verification.
//!
//! Text form: `SP1:` followed by the Base45 (RFC 9285) encoding of a tagged COSE_Sign1
//! (RFC 9052) signed with Ed25519 (`alg` -8, `kid` in the protected header) over the CBOR
//! claims of [`PassClaims`]. Every character is in the QR alphanumeric set, so the code stays
//! small (about 190 characters for three children). `PROTOCOL.md` gives it byte by byte.
//!
//! The portal calls [`issue`]; the kiosk calls [`verify`] with the [`crate::messages::KeySet`] it last received,
//! then [`VerifiedPass::check_center`], then the replay rule of [`crate::replay`].

mod claims;
pub(crate) mod issue;
pub(crate) mod verify;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

pub use claims::{MAX_NAME_CHARS, PassClaims, PassNonce};
pub use issue::{PassSigner, issue};
pub use verify::{verify, verify_with};

use jiff::{SignedDuration, Timestamp};

use crate::ids::{CenterId, ChildNo, GuardianId, KeyId};

/// What every pass text starts with: `SP` (Shimin Pass), format version 1.
pub const PREFIX: &str = "SP1:";

/// Longer texts are refused before decoding anything (a real pass is under 250 characters).
pub const MAX_TEXT_LEN: usize = 512;

/// How long the portal makes passes live by default. The phone refreshes the code well before
/// (every 30 s), so a screenshot stops working within this time.
pub const DEFAULT_LIFETIME: SignedDuration = SignedDuration::from_mins(5);

/// The kiosk's tolerances when verifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// How far the kiosk's clock may be from the portal's, either way (default 60 s).
    pub clock_skew: SignedDuration,
    /// The longest lifetime (expires − issued) a pass may claim (default 15 min): a portal bug
    /// cannot make screenshots live for hours.
    pub max_lifetime: SignedDuration,
}

impl Default for VerifyPolicy {
    fn default() -> Self {
        Self {
            clock_skew: SignedDuration::from_secs(60),
            max_lifetime: SignedDuration::from_mins(15),
        }
    }
}

/// Why a text is not an acceptable pass. [`Self::code`] gives a stable code for logs and for
/// choosing the words the kiosk shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassError {
    /// Not a pass at all (some other QR code).
    #[error("not a Shimin pass")]
    NotAPass,
    /// A pass of a format version this program does not know (`SP2:` …).
    #[error("pass format {0:?} is not supported")]
    UnsupportedVersion(String),
    /// Looks like a pass but cannot be read: Base45, COSE, CBOR or a claim is wrong.
    #[error("malformed pass: {0}")]
    Malformed(String),
    /// Signed with a key the kiosk does not have (not yet received, or revoked).
    #[error("pass signed with unknown key {0}")]
    UnknownKey(KeyId),
    /// The signature does not match: forged or altered.
    #[error("pass signature is not valid")]
    BadSignature,
    /// The key exists but was not valid when the pass says it was issued.
    #[error("key {kid} was not valid at the pass's issue time {issued_at}")]
    KeyNotValidAtIssue {
        /// The key.
        kid: KeyId,
        /// The pass's issue time.
        issued_at: Timestamp,
    },
    /// The pass claims a longer life than the policy allows.
    #[error("pass lifetime {0} is longer than allowed")]
    LifetimeTooLong(SignedDuration),
    /// Issued in the future, beyond the allowed clock skew (the kiosk's clock is behind?).
    #[error("pass is not valid before {0}")]
    NotYetValid(Timestamp),
    /// Expired (a screenshot, or a phone that did not refresh).
    #[error("pass expired at {0}")]
    Expired(Timestamp),
    /// Bound to another center.
    #[error("pass is for center {0}")]
    WrongCenter(CenterId),
}

impl PassError {
    /// The stable code, e.g. `"expired"`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAPass => "not_a_pass",
            Self::UnsupportedVersion(_) => "unsupported_version",
            Self::Malformed(_) => "malformed",
            Self::UnknownKey(_) => "unknown_key",
            Self::BadSignature => "bad_signature",
            Self::KeyNotValidAtIssue { .. } => "key_not_valid_at_issue",
            Self::LifetimeTooLong(_) => "lifetime_too_long",
            Self::NotYetValid(_) => "not_yet_valid",
            Self::Expired(_) => "expired",
            Self::WrongCenter(_) => "wrong_center",
        }
    }
}

/// A pass whose signature, key and times have been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPass {
    /// The key that signed it.
    pub kid: KeyId,
    /// The guardian.
    pub guardian_id: GuardianId,
    /// The children the guardian chose.
    pub children: Vec<ChildNo>,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// When it expires.
    pub expires_at: Timestamp,
    /// Its nonce, for the replay rule and the event.
    pub nonce: PassNonce,
    /// The center it is bound to, if any.
    pub center_id: Option<CenterId>,
    /// The children's given names in the order of `children` (empty when not given).
    pub names: Vec<String>,
}

impl VerifiedPass {
    /// Refuses a pass bound to a center other than `center` (an unbound pass is good anywhere).
    pub fn check_center(&self, center: &CenterId) -> Result<(), PassError> {
        match &self.center_id {
            Some(bound) if bound != center => Err(PassError::WrongCenter(bound.clone())),
            _ => Ok(()),
        }
    }
}
