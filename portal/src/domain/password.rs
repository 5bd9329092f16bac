//! Passwords: the policy (NIST SP 800-63B style — length, not composition rules, plus a list of
//! common passwords) and argon2id hashing with OWASP's parameters.

use std::{collections::HashSet, sync::LazyLock};

use argon2::{
    Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version,
    password_hash::{SaltString, rand_core::OsRng},
};

/// Shortest accepted password, in characters.
pub const MIN_CHARS: usize = 8;
/// Longest accepted password, in characters (bounds hashing work per request).
pub const MAX_CHARS: usize = 128;

/// The bundled list of common passwords (see the file's header for its source).
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .collect()
});

/// Why a new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    /// Fewer than [`MIN_CHARS`] characters.
    #[error("password too short")]
    TooShort,
    /// More than [`MAX_CHARS`] characters.
    #[error("password too long")]
    TooLong,
    /// On the list of common passwords.
    #[error("password too common")]
    TooCommon,
    /// The two entries differ.
    #[error("passwords differ")]
    Mismatch,
}

/// Checks a new password and its confirmation. Any characters are allowed (Japanese included);
/// the common-password check ignores ASCII case, as guessing tools do.
pub fn check_new(password: &str, confirm: &str) -> Result<(), PasswordPolicyError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordPolicyError::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordPolicyError::TooLong);
    }
    if COMMON.contains(password.to_ascii_lowercase().as_str()) {
        return Err(PasswordPolicyError::TooCommon);
    }
    if password != confirm {
        return Err(PasswordPolicyError::Mismatch);
    }
    Ok(())
}

/// argon2id with OWASP's recommended minimum: 19 MiB memory, 2 iterations, 1 lane.
fn hasher() -> Argon2<'static> {
    // The parameters are constants inside the crate's documented bounds.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
/// CPU-heavy (tens of milliseconds): call it off the async runtime.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored PHC string. A malformed stored hash never matches.
/// CPU-heavy: call it off the async runtime.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the account does not exist, so that
/// a login's timing does not reveal whether an email is registered.
pub static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("no account has this password").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_count_characters_not_bytes() {
        assert_eq!(
            check_new("short12", "short12"),
            Err(PasswordPolicyError::TooShort)
        );
        // 8 Japanese characters are 24 bytes but 8 characters: accepted.
        assert_eq!(check_new("ひがしひろしま市", "ひがしひろしま市"), Ok(()));
        let long = "x".repeat(MAX_CHARS + 1);
        assert_eq!(check_new(&long, &long), Err(PasswordPolicyError::TooLong));
        let longest = "y".repeat(MAX_CHARS);
        assert_eq!(check_new(&longest, &longest), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        assert_eq!(
            check_new("password", "password"),
            Err(PasswordPolicyError::TooCommon)
        );
        assert_eq!(
            check_new("Password", "Password"),
            Err(PasswordPolicyError::TooCommon)
        );
        assert_eq!(
            check_new("12345678", "12345678"),
            Err(PasswordPolicyError::TooCommon)
        );
    }

    #[test]
    fn mismatch_is_reported() {
        assert_eq!(
            check_new("kaki-no-tane-7", "kaki-no-tane-8"),
            Err(PasswordPolicyError::Mismatch)
        );
    }

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let stored = hash("kaki-no-tane-7").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("kaki-no-tane-7", &stored));
        assert!(!verify("kaki-no-tane-8", &stored));
        assert!(!verify("kaki-no-tane-7", "not a hash"));
    }
}
