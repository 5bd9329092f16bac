//! The replay rule: at a center, a pass (its nonce) drives at most one check-in/out toggle.
//!
//! A kiosk camera sees the same code for many frames, and a screenshot can be shown again while
//! the pass has not expired. So once a scan of a pass has produced an event at a center, every
//! later scan of that pass at that center changes nothing:
//!
//! - the kiosk keeps the nonces it has used ([`ReplayGuard`]) until the pass has expired
//!   (plus the clock skew) — after that the verifier refuses the pass anyway, so the memory can
//!   go. The kiosk stores the guard's entries with the event, in the same transaction.
//! - a repeat within a few seconds ([`NonceUse::is_same_presentation`]) is the phone still in
//!   front of the camera: show the earlier answer again, quietly. A later repeat is a reused
//!   code: ask for a fresh one.
//! - the portal enforces the same rule across the kiosks of a center: an event whose
//!   `(center_id, pass_nonce)` was already used by an event with another `event_id` is rejected
//!   with `pass_reused`. One scan makes one event, so honest events never collide.
//!
//! The rule is per center because a kiosk can only know its own center's history while offline.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};

use crate::{
    ids::EventId,
    pass::{PassNonce, VerifiedPass},
};

/// How long after a use a repeat still counts as the same presentation (the phone still held
/// to the camera), by default.
pub const SAME_PRESENTATION: SignedDuration = SignedDuration::from_secs(10);

/// The kiosk's record that a nonce was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NonceUse {
    /// The nonce.
    pub nonce: PassNonce,
    /// The event the scan produced.
    pub event_id: EventId,
    /// When it was used.
    pub used_at: Timestamp,
    /// When the record may be dropped: the pass's expiry plus the clock skew.
    pub forget_after: Timestamp,
}

impl NonceUse {
    /// Whether a repeat at `now` is the same presentation still in front of the camera
    /// (within `window` of the use), rather than the code shown again later.
    pub fn is_same_presentation(&self, now: Timestamp, window: SignedDuration) -> bool {
        self.used_at.duration_until(now) <= window
    }
}

/// What to do with a verified pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayDecision {
    /// Not used here before: go on and toggle.
    Fresh,
    /// Already used at this center: change nothing.
    AlreadyUsed(NonceUse),
}

/// The nonces used at this kiosk's center that may still come back.
#[derive(Debug, Clone, Default)]
pub struct ReplayGuard {
    used: HashMap<PassNonce, NonceUse>,
}

impl ReplayGuard {
    /// An empty guard.
    pub fn new() -> Self {
        Self::default()
    }

    /// A guard restored from stored records.
    pub fn from_uses(uses: impl IntoIterator<Item = NonceUse>) -> Self {
        Self {
            used: uses.into_iter().map(|u| (u.nonce, u)).collect(),
        }
    }

    /// The decision for `pass`: fresh, or already used.
    pub fn check(&self, pass: &VerifiedPass) -> ReplayDecision {
        match self.used.get(&pass.nonce) {
            Some(used) => ReplayDecision::AlreadyUsed(*used),
            None => ReplayDecision::Fresh,
        }
    }

    /// Records that `pass` produced `event_id` at `now`; returns the record to store. Keeps the
    /// first use if the nonce was already recorded.
    pub fn record(
        &mut self,
        pass: &VerifiedPass,
        event_id: EventId,
        now: Timestamp,
        clock_skew: SignedDuration,
    ) -> NonceUse {
        let forget_after = pass
            .expires_at
            .checked_add(clock_skew)
            .unwrap_or(pass.expires_at);
        *self.used.entry(pass.nonce).or_insert(NonceUse {
            nonce: pass.nonce,
            event_id,
            used_at: now,
            forget_after,
        })
    }

    /// Drops the records of passes that can no longer verify; returns how many went.
    pub fn forget_expired(&mut self, now: Timestamp) -> usize {
        let before = self.used.len();
        self.used.retain(|_, u| u.forget_after > now);
        before - self.used.len()
    }

    /// The records, to store.
    pub fn uses(&self) -> impl Iterator<Item = &NonceUse> {
        self.used.values()
    }

    /// How many nonces are remembered.
    pub fn len(&self) -> usize {
        self.used.len()
    }

    /// Whether no nonce is remembered.
    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::ids::{ChildNo, GuardianId, KeyId};

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn pass(nonce: u8) -> VerifiedPass {
        VerifiedPass {
            kid: KeyId::new("k1").unwrap(),
            guardian_id: GuardianId(uuid::Uuid::nil()),
            children: vec![ChildNo::new(1).unwrap()],
            issued_at: ts("2026-04-01T01:00:00Z"),
            expires_at: ts("2026-04-01T01:05:00Z"),
            nonce: PassNonce([nonce; 8]),
            center_id: None,
            names: Vec::new(),
        }
    }

    #[test]
    fn a_nonce_toggles_once() {
        let mut guard = ReplayGuard::new();
        let event = EventId(uuid::Uuid::max());
        let skew = SignedDuration::from_secs(60);
        assert_eq!(guard.check(&pass(1)), ReplayDecision::Fresh);
        let used = guard.record(&pass(1), event, ts("2026-04-01T01:00:10Z"), skew);
        assert_eq!(guard.check(&pass(1)), ReplayDecision::AlreadyUsed(used));
        assert_eq!(guard.check(&pass(2)), ReplayDecision::Fresh);
        // A second record keeps the first use.
        let again = guard.record(
            &pass(1),
            EventId(uuid::Uuid::nil()),
            ts("2026-04-01T01:01:00Z"),
            skew,
        );
        assert_eq!(again, used);
    }

    #[test]
    fn a_repeat_soon_after_is_the_same_presentation_later_a_reuse() {
        let mut guard = ReplayGuard::new();
        let used = guard.record(
            &pass(1),
            EventId(uuid::Uuid::max()),
            ts("2026-04-01T01:00:10Z"),
            SignedDuration::ZERO,
        );
        assert!(used.is_same_presentation(ts("2026-04-01T01:00:15Z"), SAME_PRESENTATION));
        assert!(!used.is_same_presentation(ts("2026-04-01T01:02:00Z"), SAME_PRESENTATION));
    }

    #[test]
    fn records_are_kept_until_the_pass_cannot_verify() {
        let mut guard = ReplayGuard::new();
        let skew = SignedDuration::from_secs(60);
        guard.record(
            &pass(1),
            EventId(uuid::Uuid::max()),
            ts("2026-04-01T01:00:10Z"),
            skew,
        );
        assert_eq!(guard.forget_expired(ts("2026-04-01T01:05:59Z")), 0);
        assert_eq!(guard.check(&pass(1)), guard.check(&pass(1)));
        assert_eq!(guard.forget_expired(ts("2026-04-01T01:06:00Z")), 1);
        assert!(guard.is_empty());
        let restored = ReplayGuard::from_uses(vec![NonceUse {
            nonce: PassNonce([3; 8]),
            event_id: EventId(uuid::Uuid::nil()),
            used_at: ts("2026-04-01T01:00:00Z"),
            forget_after: ts("2026-04-01T01:06:00Z"),
        }]);
        assert!(matches!(
            restored.check(&pass(3)),
            ReplayDecision::AlreadyUsed(_)
        ));
    }
}
