//! Secret tokens (sessions, mail links, API bearer tokens): 256 random bits, shown to the user
//! once in base64url; only their SHA-256 is stored, so a copy of the database opens nothing.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jiff::SignedDuration;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What a single-use mail token is for, and how long it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Activates a new registration (本登録確認).
    Verify,
    /// Sets a new password after "forgot password".
    Reset,
    /// Confirms a new email address.
    EmailChange,
    /// A staff invitation: sets the password of an invited staff account.
    Invite,
}

impl TokenPurpose {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Verify => "verify",
            TokenPurpose::Reset => "reset",
            TokenPurpose::EmailChange => "email_change",
            TokenPurpose::Invite => "invite",
        }
    }

    /// How long a link stays valid. Reset links are short because they grant access.
    pub fn lifetime(self) -> SignedDuration {
        match self {
            TokenPurpose::Verify | TokenPurpose::EmailChange => SignedDuration::from_hours(24),
            TokenPurpose::Reset => SignedDuration::from_hours(1),
            TokenPurpose::Invite => SignedDuration::from_hours(72),
        }
    }
}

/// How long a browser session or an API bearer token lasts without use (each use slides it).
pub const SESSION_IDLE: SignedDuration = SignedDuration::from_hours(24 * 14);

/// A fresh token: the text for the user and the hash for the store.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// Given to the user (in a cookie, a link or an API response) and never stored.
    pub secret: String,
    /// SHA-256 of `secret`, stored.
    pub hash: [u8; 32],
}

/// Makes a new random token.
pub fn new_token() -> NewToken {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&secret);
    NewToken { secret, hash }
}

/// The stored form of a token the user presents.
pub fn hash_token(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hash_to_what_is_stored() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.secret.len(), 43);
        assert_eq!(hash_token(&a.secret), a.hash);
        assert_ne!(hash_token(&b.secret), a.hash);
    }

    #[test]
    fn reset_links_expire_sooner_than_verification_links() {
        assert!(TokenPurpose::Reset.lifetime() < TokenPurpose::Verify.lifetime());
    }
}
