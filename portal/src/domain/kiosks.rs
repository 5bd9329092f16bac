//! Kiosk credentials: each kiosk logs in to the broker as its own user (its kiosk id) with a
//! password issued once, at registration.
//!
//! The portal keeps only a hash, in Mosquitto's own password-file format (`$7$`: PBKDF2 with
//! HMAC-SHA512, 101 rounds, a 12-byte salt), so the same line serves the embedded broker's
//! login check and a city's Mosquitto `password_file`. The passwords are random (144 bits), so
//! the low round count Mosquitto uses costs no real safety.

use base64::{Engine, engine::general_purpose::STANDARD};
use rand::{CryptoRng, Rng, RngCore, distributions::Alphanumeric};
use sha2::Sha512;
use shimin_sync::ids::{CenterId, KioskId};

/// Mosquitto's PBKDF2 round count for `$7$` hashes.
const ROUNDS: u32 = 101;

/// Length of an issued kiosk password (alphanumeric: ~5.95 bits each).
const PASSWORD_LEN: usize = 24;

/// A new kiosk password.
pub fn new_password(rng: &mut (impl RngCore + CryptoRng)) -> String {
    rng.sample_iter(&Alphanumeric)
        .take(PASSWORD_LEN)
        .map(char::from)
        .collect()
}

fn derive(password: &str, salt: &[u8]) -> [u8; 64] {
    let mut out = [0_u8; 64];
    pbkdf2::pbkdf2_hmac::<Sha512>(password.as_bytes(), salt, ROUNDS, &mut out);
    out
}

/// The hash of `password` in Mosquitto's `$7$` format.
pub fn hash_password(password: &str, rng: &mut (impl RngCore + CryptoRng)) -> String {
    let mut salt = [0_u8; 12];
    rng.fill_bytes(&mut salt);
    format!(
        "$7${ROUNDS}${}${}",
        STANDARD.encode(salt),
        STANDARD.encode(derive(password, &salt))
    )
}

/// Whether `password` matches a `$7$` hash (any round count). Malformed hashes match nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    let mut parts = hash.split('$');
    let (Some(""), Some("7"), Some(rounds), Some(salt), Some(expected), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Ok(rounds), Ok(salt), Ok(expected)) = (
        rounds.parse::<u32>(),
        STANDARD.decode(salt),
        STANDARD.decode(expected),
    ) else {
        return false;
    };
    if !(1..=1_000_000).contains(&rounds) || expected.len() != 64 {
        return false;
    }
    let mut out = [0_u8; 64];
    pbkdf2::pbkdf2_hmac::<Sha512>(password.as_bytes(), &salt, rounds, &mut out);
    // Constant time: the comparison must not tell an attacker how many bytes matched.
    out.iter()
        .zip(&expected)
        .fold(0_u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// The id for the `number`-th kiosk of a center: `{center}-{number}`, the center part cut so
/// the whole fits the 36 characters an id may have.
pub fn kiosk_id(center: &CenterId, number: u32) -> Option<KioskId> {
    let suffix = format!("-{number}");
    let room = 36_usize.saturating_sub(suffix.len());
    let stem: String = center.as_str().chars().take(room).collect();
    KioskId::new(format!("{}{suffix}", stem.trim_end_matches('-'))).ok()
}

/// The MQTT user name of the portal itself on a broker the portal runs (embedded).
pub const PORTAL_MQTT_USER: &str = "portal";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_match_mosquitto_passwd() {
        // Made by `mosquitto_passwd -b -c FILE u secretpw` (Mosquitto 2.0).
        let line = "$7$101$7NEqJjWCu84VRvDV$PbH2hlr4HPXZYY2FBjb5Ljr0+TMKJW6WciO6xVOjcj2Uab/\
                    qwUJuFiX3aCcrbqBhCgXjEYmHTo8b2dqABVVD9A==";
        assert!(verify_password("secretpw", line));
        assert!(!verify_password("secretpx", line));
        assert!(!verify_password("secretpw", "$6$101$x$y"));
        assert!(!verify_password("secretpw", "garbage"));
    }

    #[test]
    fn issued_passwords_are_random_and_verify_against_their_hash() {
        let mut rng = rand::thread_rng();
        let password = new_password(&mut rng);
        assert_eq!(password.len(), PASSWORD_LEN);
        assert_ne!(password, new_password(&mut rng));
        let hash = hash_password(&password, &mut rng);
        assert!(hash.starts_with("$7$101$"));
        assert!(verify_password(&password, &hash));
        assert!(!verify_password("wrong", &hash));
    }

    #[test]
    fn kiosk_ids_follow_the_center_and_fit_36_characters() {
        let chuo = CenterId::new("chuo").unwrap();
        assert_eq!(kiosk_id(&chuo, 1).unwrap().as_str(), "chuo-1");
        let long = CenterId::new("a".repeat(36)).unwrap();
        let id = kiosk_id(&long, 12).unwrap();
        assert_eq!(id.as_str().len(), 36);
        assert!(id.as_str().ends_with("-12"));
    }
}
