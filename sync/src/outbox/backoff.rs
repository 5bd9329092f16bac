//! The resend delay: exponential, capped, with jitter given as an input so the outbox stays
//! deterministic (the shell draws the jitter from its RNG; tests pass fixed values).

use jiff::SignedDuration;

/// How long to wait for an ack before sending an event again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The wait after the first send (default 5 s).
    pub first: SignedDuration,
    /// The longest wait (default 60 s): after a portal restart, every event is resent within it.
    pub max: SignedDuration,
    /// The share of the wait that jitter may take off, 0–1 (default 0.2), so kiosks that came
    /// back together do not resend in step.
    pub jitter_ratio: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first: SignedDuration::from_secs(5),
            max: SignedDuration::from_secs(60),
            jitter_ratio: 0.2,
        }
    }
}

impl Backoff {
    /// The wait after the `step`-th send since the last (re)connection (step 1 = the first
    /// send): `first · 2^(step−1)`, at most `max`, shortened by `jitter_ratio · jitter`, where
    /// `jitter` is a draw from 0–1 (clamped).
    pub fn delay(&self, step: u32, jitter: f64) -> SignedDuration {
        let first = self.first.as_millis().max(0);
        let max = self.max.as_millis().max(0);
        let doublings = step.saturating_sub(1).min(40);
        let base = first
            .checked_mul(1_i128 << doublings)
            .unwrap_or(i128::MAX)
            .min(max);
        let jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        let ratio = self.jitter_ratio.clamp(0.0, 1.0);
        // base ≤ max fits in i64 milliseconds for any sane configuration; the f64 product is
        // at most `base`, so the subtraction cannot go negative.
        let base_ms = i64::try_from(base).unwrap_or(i64::MAX);
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        let cut = (base_ms as f64 * ratio * jitter) as i64;
        SignedDuration::from_millis(base_ms - cut.clamp(0, base_ms))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap() {
        let b = Backoff::default();
        let secs: Vec<i64> = (1..=6).map(|s| b.delay(s, 0.0).as_secs()).collect();
        assert_eq!(secs, [5, 10, 20, 40, 60, 60]);
        assert_eq!(b.delay(u32::MAX, 0.0), b.max);
    }

    #[test]
    fn jitter_only_shortens_and_is_deterministic() {
        let b = Backoff::default();
        assert_eq!(b.delay(1, 1.0), SignedDuration::from_secs(4));
        assert_eq!(b.delay(1, 0.5), b.delay(1, 0.5));
        for j in [-1.0, 0.0, 0.3, 1.0, 7.0, f64::NAN] {
            let d = b.delay(3, j);
            assert!(d <= SignedDuration::from_secs(20) && d >= SignedDuration::from_secs(16));
        }
    }
}
