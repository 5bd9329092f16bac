//! Pass-signing keys and passes. The portal makes keys as [`crate::domain::passkeys`] plans
//! them, publishes the `KeySet`, and signs each guardian's pass with the key of the moment.
//! Passes are stateless: nothing is stored when one is issued (a pass is refused as reused by
//! the kiosks and by the portal's event ingestion, keyed on its nonce).

use jiff::{SignedDuration, Timestamp};
use rand::rngs::OsRng;
use shimin_sync::{
    ids::{ChildNo, GuardianId, KeyId},
    messages::KeySet,
    pass::{self, DEFAULT_LIFETIME, PassClaims, PassNonce, PassSigner},
    topics::Topic,
};

use super::{Checkin, Outbound};
use crate::{
    accounts::AccountError,
    domain::{
        passkeys::{self, StoredKey},
        validation::FieldErrors,
    },
    store::Account,
};

/// How often a phone asks for a fresh pass; passes live [`DEFAULT_LIFETIME`] (5 minutes), so a
/// screenshot stops working soon after.
pub const REFRESH: SignedDuration = SignedDuration::from_secs(30);

/// A pass for a guardian's phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedPass {
    /// The text to show as a QR code (`SP1:…`).
    pub text: String,
    /// When it was signed.
    pub issued_at: Timestamp,
    /// When kiosks stop accepting it.
    pub expires_at: Timestamp,
    /// The children it names.
    pub children: Vec<ChildNo>,
}

impl Checkin {
    /// Makes the keys the plan calls for (the first key, or the next one before a switch) and
    /// publishes the new set; returns whether a key was made. Safe on two instances at once.
    pub async fn rotate_keys(&self) -> Result<bool, AccountError> {
        let now = self.inner.clock.now();
        let keys = self.inner.store.pass_keys().await?;
        let Some(new) = passkeys::next_key(&keys, now) else {
            return Ok(false);
        };
        let signer = PassSigner::generate(new.kid.clone(), &mut OsRng);
        let made = self
            .inner
            .store
            .add_pass_key(new.clone(), signer.seed(), now)
            .await?;
        if made {
            tracing::info!(kid = %new.kid, valid_from = %new.valid_from, valid_until = %new.valid_until, "made a pass-signing key");
            self.send(Outbound::new(&Topic::Keys, &self.key_set().await?));
        }
        Ok(made)
    }

    /// The key set kiosks verify passes with.
    pub async fn key_set(&self) -> Result<KeySet, AccountError> {
        let keys = self.inner.store.pass_keys().await?;
        Ok(passkeys::key_set(&keys, self.inner.clock.now()))
    }

    async fn signer(&self, now: Timestamp) -> Result<StoredKey, AccountError> {
        let keys = self.inner.store.pass_keys().await?;
        if let Some(key) = passkeys::signer_at(&keys, now) {
            return Ok(key.clone());
        }
        // No key covers now (first start, or the portal was off past a switch): make one.
        self.rotate_keys().await?;
        let keys = self.inner.store.pass_keys().await?;
        passkeys::signer_at(&keys, now)
            .cloned()
            .ok_or_else(|| AccountError::Internal("no pass-signing key".into()))
    }

    /// Signs a pass for the guardian's chosen children (by child number). Every number must be
    /// one of the guardian's children.
    pub async fn issue_pass(
        &self,
        guardian: &Account,
        chosen: &[u16],
    ) -> Result<IssuedPass, AccountError> {
        let children = self.inner.family.children(guardian.account_id).await?;
        let mut numbers: Vec<ChildNo> = Vec::new();
        for number in chosen {
            match children
                .iter()
                .find(|child| child.child_no.get() == *number)
            {
                Some(child) if !numbers.contains(&child.child_no) => numbers.push(child.child_no),
                Some(_) => {}
                None => return Err(invalid("error.child_not_found")),
            }
        }
        if numbers.is_empty() {
            return Err(invalid("error.pass_no_children"));
        }
        if numbers.len() > shimin_sync::messages::MAX_CHILDREN {
            return Err(invalid("error.pass_too_many_children"));
        }
        numbers.sort();
        let now = self.inner.clock.now();
        let key = self.signer(now).await?;
        let claims = PassClaims::new(
            GuardianId(guardian.account_id.0),
            numbers.clone(),
            now,
            DEFAULT_LIFETIME,
            PassNonce::random(&mut OsRng),
        )
        .map_err(|error| AccountError::Internal(error.to_string()))?;
        let text = pass::issue(&key.signer, &claims)
            .map_err(|error| AccountError::Internal(error.to_string()))?;
        Ok(IssuedPass {
            text,
            issued_at: claims.issued_at,
            expires_at: claims.expires_at,
            children: numbers,
        })
    }

    /// The id of the key that signs now, if any (for the operators' view).
    pub async fn current_kid(&self) -> Result<Option<KeyId>, AccountError> {
        let keys = self.inner.store.pass_keys().await?;
        Ok(passkeys::signer_at(&keys, self.inner.clock.now()).map(|key| key.signer.kid().clone()))
    }
}

fn invalid(key: &'static str) -> AccountError {
    let mut errors = FieldErrors::default();
    errors.add("children", key);
    AccountError::Invalid(errors)
}
