//! Library counter kiosks: an admin registers one and gets its broker credentials once (the
//! portal keeps only a hash, as for the centers' kiosks); a retired kiosk's login stops
//! working. Their ids are `library{n}`, which no center kiosk (`{center}-{n}`) can have.

use rand::rngs::OsRng;
use shimin_sync::{ids::KioskId, topics::kiosk_client_id};

use super::{Library, LibraryError};
use crate::{
    domain::{Role, kiosks},
    store::{Account, LibraryKiosk},
};

/// The stem of every library kiosk id.
const STEM: &str = "library";

/// Whether `kiosk_id` is a library kiosk's id (`library{n}`).
pub fn is_library_kiosk(kiosk_id: &KioskId) -> bool {
    kiosk_id
        .as_str()
        .strip_prefix(STEM)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Credentials handed out once, at registration.
#[derive(Debug, Clone)]
pub struct LibraryKioskCredentials {
    /// The kiosk (its id is its MQTT user name).
    pub kiosk: LibraryKiosk,
    /// The MQTT password, shown once.
    pub password: String,
}

fn require_admin(by: &Account) -> Result<(), LibraryError> {
    if by.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(LibraryError::Forbidden)
    }
}

impl Library {
    /// Every library kiosk, retired ones too (admins).
    pub async fn kiosks(&self, by: &Account) -> Result<Vec<LibraryKiosk>, LibraryError> {
        require_admin(by)?;
        Ok(self.store.library_kiosks().await?)
    }

    /// Registers a library counter kiosk and returns its credentials (admins).
    pub async fn register_kiosk(
        &self,
        by: &Account,
        label: &str,
    ) -> Result<LibraryKioskCredentials, LibraryError> {
        require_admin(by)?;
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 60 {
            return Err(super::invalid("label", "error.text_too_long"));
        }
        let password = kiosks::new_password(&mut OsRng);
        let hash = kiosks::hash_password(&password, &mut OsRng);
        // Numbers count retired kiosks too: an id is never given to a second kiosk.
        let mut number = self.store.library_kiosks().await?.len();
        loop {
            number += 1;
            let kiosk_id = KioskId::new(format!("{STEM}{number}")).map_err(|error| {
                LibraryError::Store(crate::store::StoreError::Corrupt(error.to_string()))
            })?;
            let kiosk = LibraryKiosk {
                kiosk_id,
                label: label.to_owned(),
                created_at: self.clock.now(),
                retired_at: None,
                state: None,
                software: None,
            };
            if self
                .store
                .create_library_kiosk(kiosk.clone(), hash.clone())
                .await?
            {
                tracing::info!(kiosk = %kiosk.kiosk_id, by = %by.account_id, "registered a library kiosk");
                return Ok(LibraryKioskCredentials { kiosk, password });
            }
        }
    }

    /// Retires a library kiosk (admins); `false` when it was unknown or retired already.
    pub async fn retire_kiosk(
        &self,
        by: &Account,
        kiosk_id: &KioskId,
    ) -> Result<bool, LibraryError> {
        require_admin(by)?;
        let retired = self
            .store
            .retire_library_kiosk(kiosk_id, self.clock.now())
            .await?;
        if retired {
            tracing::info!(kiosk = %kiosk_id, by = %by.account_id, "retired a library kiosk");
        }
        Ok(retired)
    }

    /// The lines of a Mosquitto `password_file` for every active library kiosk.
    pub async fn mosquitto_password_lines(&self) -> Result<Vec<String>, LibraryError> {
        let mut lines = Vec::new();
        for kiosk in self.store.library_kiosks().await? {
            if kiosk.retired_at.is_some() {
                continue;
            }
            if let Some((kiosk, hash)) = self.store.library_kiosk(&kiosk.kiosk_id).await? {
                lines.push(format!("{}:{hash}", kiosk.kiosk_id));
            }
        }
        Ok(lines)
    }

    /// Whether an MQTT client is an active library kiosk with its fixed client id and password.
    pub async fn authenticate(&self, client_id: &str, username: &str, password: &str) -> bool {
        let Ok(kiosk_id) = KioskId::new(username) else {
            return false;
        };
        if !is_library_kiosk(&kiosk_id) || client_id != kiosk_client_id(&kiosk_id) {
            return false;
        }
        match self.store.library_kiosk(&kiosk_id).await {
            Ok(Some((kiosk, hash))) => {
                kiosk.retired_at.is_none() && kiosks::verify_password(password, &hash)
            }
            Ok(None) => false,
            Err(error) => {
                tracing::error!(%error, "checking library kiosk credentials");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_kiosk_ids_are_library_and_a_number() {
        let id = |text: &str| KioskId::new(text).unwrap_or_else(|_| panic!("{text}"));
        assert!(is_library_kiosk(&id("library1")));
        assert!(is_library_kiosk(&id("library12")));
        assert!(!is_library_kiosk(&id("library")));
        assert!(!is_library_kiosk(&id("library-1")));
        assert!(!is_library_kiosk(&id("chuo-1")));
        assert!(!is_library_kiosk(&id("library1x")));
    }
}
