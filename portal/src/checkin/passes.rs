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
    store::{Account, Child},
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
        let mut picked = Vec::new();
        for number in chosen {
            match children
                .iter()
                .find(|child| child.child_no.get() == *number)
            {
                Some(child) if !picked.iter().any(|c: &&Child| c.child_no == child.child_no) => {
                    picked.push(child);
                }
                Some(_) => {}
                None => return Err(invalid("error.child_not_found")),
            }
        }
        picked.sort_by_key(|child| child.child_no);
        let numbers: Vec<ChildNo> = picked.iter().map(|child| child.child_no).collect();
        let names: Vec<&str> = picked
            .iter()
            .map(|child| child.details.given_name.as_str())
            .collect();
        if numbers.is_empty() {
            return Err(invalid("error.pass_no_children"));
        }
        if numbers.len() > shimin_sync::messages::MAX_CHILDREN {
            return Err(invalid("error.pass_too_many_children"));
        }
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
        let text = with_names_if_they_fit(&key.signer, claims.clone(), &names)?;
        Ok(IssuedPass {
            text,
            issued_at: claims.issued_at,
            expires_at: claims.expires_at,
            children: numbers,
        })
    }

    /// The library card `card` as a signed QR text (PROTOCOL.md §13.4), for the card page.
    /// It lives 30 days, or until its key leaves the key set (an hour after the key's window),
    /// whichever comes first.
    pub async fn issue_card_pass(&self, card: &str) -> Result<String, AccountError> {
        let now = self.inner.clock.now();
        let key = self.signer(now).await?;
        let key_kept = key
            .valid_until
            .checked_add(jiff::SignedDuration::from_hours(1))
            .unwrap_or(key.valid_until);
        let expires_at = now
            .checked_add(shimin_sync::library::card_pass::MAX_CARD_LIFETIME)
            .unwrap_or(now)
            .min(key_kept);
        shimin_sync::library::card_pass::issue_card_pass(&key.signer, card, now, expires_at)
            .map_err(|error| AccountError::Internal(error.to_string()))
    }

    /// The id of the key that signs now, if any (for the operators' view).
    pub async fn current_kid(&self) -> Result<Option<KeyId>, AccountError> {
        let keys = self.inner.store.pass_keys().await?;
        Ok(passkeys::signer_at(&keys, self.inner.clock.now()).map(|key| key.signer.kid().clone()))
    }
}

/// The longest pass text that carries names: the most QR version 9 holds at level M in
/// alphanumeric mode (53 modules a side), which a kiosk still reads from a phone held at arm's
/// length. A pass with no names is about 150 characters (version 6).
pub const NAMED_PASS_MAX_LEN: usize = 262;

/// The pass text with the children's given names in it (the kiosk greets them by name), or
/// without them when a name cannot go in a pass or they would make the text longer than
/// [`NAMED_PASS_MAX_LEN`].
fn with_names_if_they_fit(
    signer: &PassSigner,
    claims: PassClaims,
    names: &[&str],
) -> Result<String, AccountError> {
    let internal = |error: pass::PassError| AccountError::Internal(error.to_string());
    if let Ok(named) = claims.clone().with_names(names) {
        let text = pass::issue(signer, &named).map_err(internal)?;
        if text.len() <= NAMED_PASS_MAX_LEN {
            return Ok(text);
        }
    }
    pass::issue(signer, &claims).map_err(internal)
}

fn invalid(key: &'static str) -> AccountError {
    let mut errors = FieldErrors::default();
    errors.add("children", key);
    AccountError::Invalid(errors)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn claims(children: u16) -> PassClaims {
        let children = (1..=children).map(|n| ChildNo::new(n).unwrap()).collect();
        PassClaims::new(
            GuardianId(uuid::Uuid::from_u128(7)),
            children,
            "2026-12-03T01:00:00Z".parse().unwrap(),
            DEFAULT_LIFETIME,
            PassNonce([3; 8]),
        )
        .unwrap()
    }

    #[test]
    fn names_go_in_while_the_code_stays_small_and_are_left_out_past_it() {
        let signer = PassSigner::from_seed(KeyId::new("k1").unwrap(), &[9; 32]);
        let keys = KeySet::new(
            "2026-01-01T00:00:00Z".parse().unwrap(),
            vec![signer.key_entry(
                "2026-01-01T00:00:00Z".parse().unwrap(),
                "2027-01-01T00:00:00Z".parse().unwrap(),
            )],
        );
        let at = "2026-12-03T01:01:00Z".parse().unwrap();
        let plain = pass::issue(&signer, &claims(2)).unwrap();
        let named = with_names_if_they_fit(&signer, claims(2), &["はると", "ゆい"]).unwrap();
        assert!(plain.len() < named.len() && named.len() <= NAMED_PASS_MAX_LEN);
        assert_eq!(
            pass::verify(&named, &keys, at).unwrap().names,
            ["はると", "ゆい"]
        );
        // Four long names would make a code too dense to read at arm's length: none go in.
        let long = ["じゅげむじゅげむごこうの"; 4];
        let text = with_names_if_they_fit(&signer, claims(4), &long).unwrap();
        let verified = pass::verify(&text, &keys, at).unwrap();
        assert!(verified.names.is_empty() && verified.children.len() == 4);
        // A name that cannot go in a pass (empty) leaves every name out, not the pass.
        let text = with_names_if_they_fit(&signer, claims(2), &["はると", " "]).unwrap();
        assert!(pass::verify(&text, &keys, at).unwrap().names.is_empty());
    }
}
