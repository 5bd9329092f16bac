//! The clock seam: every rule that depends on "now" asks a [`Clock`], so tests can fix time.

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp, civil::Date, tz::TimeZone};

/// The city's time zone. Named explicitly, never the host's: a portal in a data center
/// abroad still turns days over at midnight in Japan. The zone data is bundled in the binary.
pub fn tokyo() -> TimeZone {
    TimeZone::get("Asia/Tokyo").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(9)))
}

/// A moment as the portal shows it to people, in Asia/Tokyo: "2026年12月2日 09:00".
pub fn tokyo_date_time(at: Timestamp) -> String {
    at.to_zoned(tokyo())
        .strftime("%Y年%-m月%-d日 %H:%M")
        .to_string()
}

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> Timestamp;

    /// Today's date in Asia/Tokyo.
    fn today(&self) -> Date {
        self.now().to_zoned(tokyo()).date()
    }
}

/// The real clock of the machine.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until a test moves it.
#[derive(Debug, Clone)]
pub struct FixedClock {
    now: Arc<Mutex<Timestamp>>,
}

impl FixedClock {
    /// A clock fixed at `at`.
    pub fn new(at: Timestamp) -> Self {
        Self {
            now: Arc::new(Mutex::new(at)),
        }
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now = now.checked_add(by).unwrap_or(*now);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let start: Timestamp = "2026-11-25T09:00:00Z".parse().unwrap();
        let clock = FixedClock::new(start);
        assert_eq!(clock.now(), start);
        clock.advance(SignedDuration::from_hours(2));
        assert_eq!(
            clock.now(),
            "2026-11-25T11:00:00Z".parse::<Timestamp>().unwrap()
        );
    }
}
