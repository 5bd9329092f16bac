//! The life of the Ed25519 keys that sign passes (PROTOCOL.md §12): which key signs now, when
//! the next one is made, and which keys the published `KeySet` holds.
//!
//! A key signs for [`KEY_PERIOD`]. The next key is made and published [`ANNOUNCE_AHEAD`]
//! before the switch, so a kiosk that is offline for days already holds it when passes signed
//! by it appear. A key stays in the set for [`KEEP_AFTER`] past its window, so passes it signed
//! just before the switch still verify until they expire.

use jiff::{SignedDuration, Timestamp};
use shimin_sync::{
    ids::KeyId,
    messages::{KeyEntry, KeySet},
    pass::PassSigner,
};

/// How long one key signs passes.
pub const KEY_PERIOD: SignedDuration = SignedDuration::from_hours(90 * 24);

/// How long before the switch the next key is made and published.
pub const ANNOUNCE_AHEAD: SignedDuration = SignedDuration::from_hours(14 * 24);

/// How long a key stays published after it stops signing: longer than any pass may live
/// (15 minutes) plus the clock skew kiosks allow.
pub const KEEP_AFTER: SignedDuration = SignedDuration::from_hours(1);

/// A pass-signing key as the store keeps it.
#[derive(Clone)]
pub struct StoredKey {
    /// 1, 2, 3…: orders the keys; the key id is `k{seq}`.
    pub seq: u32,
    /// The signer (the secret seed and its key id).
    pub signer: PassSigner,
    /// First issue time it may sign.
    pub valid_from: Timestamp,
    /// Issue times before this.
    pub valid_until: Timestamp,
    /// When the portal made it.
    pub created_at: Timestamp,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredKey")
            .field("kid", self.signer.kid())
            .field("valid_from", &self.valid_from)
            .field("valid_until", &self.valid_until)
            .finish_non_exhaustive()
    }
}

impl StoredKey {
    /// Whether this key signs passes issued at `at`.
    pub fn covers(&self, at: Timestamp) -> bool {
        self.valid_from <= at && at < self.valid_until
    }

    fn entry(&self) -> KeyEntry {
        self.signer.key_entry(self.valid_from, self.valid_until)
    }
}

/// A key the portal should make now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKey {
    /// Its sequence number.
    pub seq: u32,
    /// Its key id.
    pub kid: KeyId,
    /// Start of its window.
    pub valid_from: Timestamp,
    /// End of its window.
    pub valid_until: Timestamp,
}

fn new_key(seq: u32, valid_from: Timestamp) -> Option<NewKey> {
    // Passes carry whole seconds: a window starting within a second would refuse the passes
    // it signs in that second ("key not valid at issue").
    let valid_from = Timestamp::from_second(valid_from.as_second()).ok()?;
    Some(NewKey {
        seq,
        kid: KeyId::new(format!("k{seq}")).ok()?,
        valid_from,
        valid_until: valid_from.checked_add(KEY_PERIOD).ok()?,
    })
}

/// The key to make now, if any: the first key, a replacement when none covers `now` (the
/// portal was off past a switch), or the next key once the switch is near.
pub fn next_key(keys: &[StoredKey], now: Timestamp) -> Option<NewKey> {
    let next_seq = keys.iter().map(|key| key.seq).max().unwrap_or(0) + 1;
    let Some(latest) = keys.iter().max_by_key(|key| key.valid_until) else {
        return new_key(next_seq, now);
    };
    if latest.valid_until <= now {
        return new_key(next_seq, now);
    }
    if latest.valid_until.duration_since(now) <= ANNOUNCE_AHEAD {
        return new_key(next_seq, latest.valid_until);
    }
    None
}

/// The key that signs passes issued at `now`: the newest one whose window covers it.
pub fn signer_at(keys: &[StoredKey], now: Timestamp) -> Option<&StoredKey> {
    keys.iter()
        .filter(|key| key.covers(now))
        .max_by_key(|key| key.seq)
}

/// The keys to publish: every key not yet [`KEEP_AFTER`] past its window.
pub fn key_set(keys: &[StoredKey], now: Timestamp) -> KeySet {
    let mut published: Vec<&StoredKey> = keys
        .iter()
        .filter(|key| {
            key.valid_until
                .checked_add(KEEP_AFTER)
                .is_ok_and(|until| until > now)
        })
        .collect();
    published.sort_by_key(|key| key.seq);
    // The set changes only when a key is made or dropped; its issue time is the latest of
    // those moments, so every portal instance publishes the same set with the same time.
    let issued_at = published
        .iter()
        .map(|key| key.created_at)
        .chain(
            keys.iter()
                .filter_map(|key| key.valid_until.checked_add(KEEP_AFTER).ok())
                .filter(|dropped| *dropped <= now),
        )
        .max()
        // No key at all: the oldest possible set, so that the first real one supersedes it.
        .unwrap_or(Timestamp::UNIX_EPOCH);
    KeySet::new(
        issued_at,
        published.into_iter().map(StoredKey::entry).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn stored(new: &NewKey) -> StoredKey {
        StoredKey {
            seq: new.seq,
            signer: PassSigner::from_seed(new.kid.clone(), &[new.seq as u8; 32]),
            valid_from: new.valid_from,
            valid_until: new.valid_until,
            created_at: new.valid_from.min(at("2026-04-01T00:00:00Z")),
        }
    }

    #[test]
    fn the_first_key_starts_now_and_the_next_is_announced_two_weeks_ahead() {
        let now = at("2026-04-01T00:00:00Z");
        let first = next_key(&[], now).unwrap();
        assert_eq!(first.kid.as_str(), "k1");
        assert_eq!(first.valid_from, now);
        let keys = vec![stored(&first)];
        assert_eq!(next_key(&keys, now), None);
        assert_eq!(signer_at(&keys, now).unwrap().seq, 1);

        let near = first.valid_until - ANNOUNCE_AHEAD;
        let second = next_key(&keys, near).unwrap();
        assert_eq!(second.kid.as_str(), "k2");
        assert_eq!(second.valid_from, first.valid_until, "no gap, no overlap");
        let keys = vec![stored(&first), stored(&second)];
        assert_eq!(next_key(&keys, near), None);
        // Before the switch k1 signs, after it k2; both are published meanwhile.
        assert_eq!(signer_at(&keys, near).unwrap().seq, 1);
        assert_eq!(signer_at(&keys, first.valid_until).unwrap().seq, 2);
        assert_eq!(key_set(&keys, near).keys.len(), 2);
    }

    #[test]
    fn an_old_key_is_dropped_an_hour_after_its_window_and_the_set_time_moves() {
        let now = at("2026-04-01T00:00:00Z");
        let first = next_key(&[], now).unwrap();
        let second = next_key(&[stored(&first)], first.valid_until - ANNOUNCE_AHEAD).unwrap();
        let keys = vec![stored(&first), stored(&second)];
        let switch = first.valid_until;
        let during = key_set(&keys, switch + SignedDuration::from_mins(30));
        assert_eq!(
            during.keys.len(),
            2,
            "passes signed just before the switch still verify"
        );
        let after = key_set(&keys, switch + KEEP_AFTER);
        assert_eq!(after.keys.len(), 1);
        assert_eq!(after.keys[0].kid.as_str(), "k2");
        assert!(
            after.supersedes(&during),
            "kiosks must take the smaller set"
        );
        // Two instances computing the set at different moments agree on it.
        let later = key_set(&keys, switch + KEEP_AFTER + SignedDuration::from_mins(5));
        assert_eq!(later.issued_at, after.issued_at);
    }

    #[test]
    fn an_empty_set_never_supersedes_a_real_one() {
        let now = at("2026-04-01T00:00:00Z");
        let empty = key_set(&[], now + SignedDuration::from_hours(1));
        let first = next_key(&[], now).unwrap();
        assert!(key_set(&[stored(&first)], now).supersedes(&empty));
    }

    #[test]
    fn windows_start_on_a_whole_second_so_the_first_passes_verify() {
        let now = at("2026-04-01T00:00:00.75Z");
        let first = next_key(&[], now).unwrap();
        assert_eq!(first.valid_from, at("2026-04-01T00:00:00Z"));
        let keys = vec![stored(&first)];
        let signer = signer_at(&keys, now).unwrap();
        let claims = shimin_sync::pass::PassClaims::new(
            shimin_sync::ids::GuardianId(uuid::Uuid::nil()),
            vec![shimin_sync::ids::ChildNo::new(1).unwrap()],
            now,
            SignedDuration::from_mins(5),
            shimin_sync::pass::PassNonce([7; 8]),
        )
        .unwrap();
        let text = shimin_sync::pass::issue(&signer.signer, &claims).unwrap();
        shimin_sync::pass::verify(&text, &key_set(&keys, now), now).unwrap();
    }

    #[test]
    fn a_portal_that_was_off_past_every_window_makes_a_key_at_once() {
        let now = at("2026-04-01T00:00:00Z");
        let first = next_key(&[], now).unwrap();
        let keys = vec![stored(&first)];
        let much_later = first.valid_until + SignedDuration::from_hours(24);
        assert!(signer_at(&keys, much_later).is_none());
        let again = next_key(&keys, much_later).unwrap();
        assert_eq!((again.seq, again.valid_from), (2, much_later));
    }
}
