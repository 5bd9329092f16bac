//! The portal's pass-signing keys at a library kiosk, for its signed card QR codes
//! (PROTOCOL.md §13.4): received on `shimin/v1/keys` (retained) and kept in `DATA/keys.json`,
//! so the counter checks cards offline, also after a restart with no network.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

use jiff::Timestamp;
use shimin_sync::{
    library::card_pass::verify_card_pass,
    messages::{self, KeySet},
    pass::PassError,
};

use super::counter::CardPassCheck;

/// The newest key set the kiosk has; cheap to clone.
#[derive(Clone, Default)]
pub struct CardKeys {
    keys: Arc<RwLock<Option<KeySet>>>,
    file: Option<PathBuf>,
}

impl CardKeys {
    /// The keys kept in `data_dir` (none yet on a new kiosk; an unreadable file is logged and
    /// replaced by the next key set).
    pub fn load(data_dir: &Path) -> Self {
        let file = data_dir.join("keys.json");
        let keys = match std::fs::read(&file) {
            Ok(bytes) => messages::decode::<KeySet>(&bytes)
                .inspect_err(|error| tracing::warn!(%error, "the kept key set is unreadable"))
                .ok(),
            Err(_) => None,
        };
        Self {
            keys: Arc::new(RwLock::new(keys)),
            file: Some(file),
        }
    }

    /// Takes a `KeySet` payload from the portal if it is newer than the one kept.
    pub fn offer(&self, payload: &[u8]) {
        let keys = match messages::decode::<KeySet>(payload) {
            Ok(keys) => keys,
            Err(messages::DecodeError::Empty) => return,
            Err(error) => {
                tracing::warn!(%error, "unreadable key set");
                return;
            }
        };
        let mut current = self
            .keys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if current.as_ref().is_some_and(|kept| !keys.supersedes(kept)) {
            return;
        }
        if let Some(file) = &self.file {
            // Written beside, then renamed: a power cut leaves the old set or the new one.
            let temporary = file.with_extension("json.tmp");
            let written = std::fs::write(&temporary, payload)
                .and_then(|()| std::fs::rename(&temporary, file));
            if let Err(error) = written {
                tracing::error!(%error, "cannot keep the key set");
            }
        }
        tracing::info!(keys = keys.keys.len(), "key set received");
        *current = Some(keys);
    }

    /// The card number of a signed card QR code, checked at `now`.
    pub fn check(&self, text: &str, now: Timestamp) -> Result<String, PassError> {
        let keys = self
            .keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match keys.as_ref() {
            Some(keys) => verify_card_pass(text, keys, now),
            // Without keys nothing verifies: as an unknown key.
            None => Err(PassError::Malformed("no keys from the portal yet".into())),
        }
    }

    /// The counter's check, with the kiosk's clock.
    pub fn checker(&self) -> CardPassCheck {
        let keys = self.clone();
        Arc::new(move |text| keys.check(text, Timestamp::now()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use shimin_sync::{
        ids::KeyId, library::card_pass::issue_card_pass, messages::V1, pass::PassSigner,
    };

    #[test]
    fn kept_keys_check_cards_after_a_restart_and_older_sets_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let signer = PassSigner::from_seed(KeyId::new("k1").unwrap(), &[3; 32]);
        let at = |t: &str| t.parse::<Timestamp>().unwrap();
        let set = |issued: &str, keys| KeySet {
            v: V1,
            issued_at: at(issued),
            keys,
        };
        let newer = set(
            "2026-12-01T00:00:00Z",
            vec![signer.key_entry(at("2026-11-01T00:00:00Z"), at("2027-02-01T00:00:00Z"))],
        );
        let card = issue_card_pass(
            &signer,
            "2100000005",
            at("2026-12-03T00:00:00Z"),
            at("2026-12-20T00:00:00Z"),
        )
        .unwrap();
        let now = at("2026-12-04T00:00:00Z");

        let keys = CardKeys::load(dir.path());
        assert!(keys.check(&card, now).is_err(), "no keys yet");
        keys.offer(messages::encode(&newer).as_bytes());
        assert_eq!(keys.check(&card, now).unwrap(), "2100000005");
        // An older set (a stale retained message) changes nothing.
        keys.offer(messages::encode(&set("2026-10-01T00:00:00Z", Vec::new())).as_bytes());
        keys.offer(b"not json");

        let restarted = CardKeys::load(dir.path());
        assert_eq!(restarted.check(&card, now).unwrap(), "2100000005");
        assert_eq!(
            (restarted.checker())("A2100000005A"),
            Err(PassError::NotAPass)
        );
    }
}
