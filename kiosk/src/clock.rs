//! The kiosk's clock, behind a trait so the scan rules and the closing-time clear can be
//! tested at any instant. Time is UTC ([`jiff::Timestamp`]); local times are computed in the
//! center's named zone (Asia/Tokyo by default), never the host's.

use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

/// Where the kiosk reads the time.
pub trait Clock: Send + Sync {
    /// Now, in UTC.
    fn now(&self) -> Timestamp;
}

/// The system clock (kept by NTP on a real kiosk: PROTOCOL.md §11.4 allows 60 s of skew).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that shows a set time and moves only when told; for tests.
#[derive(Debug)]
pub struct FakeClock(Mutex<Timestamp>);

impl FakeClock {
    /// A clock standing at `at`.
    pub fn new(at: Timestamp) -> Self {
        Self(Mutex::new(at))
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now = now.checked_add(by).unwrap_or(*now);
    }

    /// Sets the clock to `at`.
    pub fn set(&self, at: Timestamp) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}
