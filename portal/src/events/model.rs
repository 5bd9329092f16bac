//! An event of the 子育てイベントカレンダー as staff published it, after [`super::check_event`].
//!
//! Times are civil times in Asia/Tokyo, as the city writes them on a poster ("12月5日(土)
//! 10:00〜11:30"); [`EventTime::start_at`] turns them into instants with
//! [`crate::clock::tokyo`] for comparing with a clock.

use jiff::{
    Timestamp,
    civil::{Date, DateTime},
};

use super::ages::{TargetAges, family_fits};
use crate::clock::tokyo;

/// An event's id, chosen by the store (a UUIDv7 or a row number as text); it is the iCalendar
/// UID's first part, so it never changes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventId(pub String);

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// When an event takes place, in Asia/Tokyo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventTime {
    /// All day, from `first` to `last` inclusive (one day when they are equal): an exhibition,
    /// a week of 子育て相談.
    AllDay {
        /// The first day.
        first: Date,
        /// The last day, not before `first`.
        last: Date,
    },
    /// From `start`, until `end` when it is known (a talk whose end is not announced has none).
    Timed {
        /// The start.
        start: DateTime,
        /// The end, after `start`.
        end: Option<DateTime>,
    },
}

impl EventTime {
    /// The event's first day.
    pub fn first_day(&self) -> Date {
        match *self {
            Self::AllDay { first, .. } => first,
            Self::Timed { start, .. } => start.date(),
        }
    }

    /// The event's last day.
    pub fn last_day(&self) -> Date {
        match *self {
            Self::AllDay { last, .. } => last,
            Self::Timed { start, end } => end.unwrap_or(start).date(),
        }
    }

    /// The civil start: midnight of the first day for an all-day event.
    pub fn start(&self) -> DateTime {
        match *self {
            Self::AllDay { first, .. } => first.to_datetime(jiff::civil::Time::midnight()),
            Self::Timed { start, .. } => start,
        }
    }

    /// The instant the event starts (midnight in Tokyo for an all-day event).
    pub fn start_at(&self) -> Timestamp {
        tokyo_instant(self.start())
    }
}

/// Whether and how to apply (申込).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Application {
    /// 申込不要 — come along (自由参加).
    None,
    /// 申込が必要, through the portal, with a waiting list when full.
    Portal {
        /// When applications open; `None`: as soon as the event is published.
        opens: Option<DateTime>,
        /// When they close (締切), not after the start; `None`: at the start.
        closes: Option<DateTime>,
    },
    /// 申込が必要, another way: `how` says which (電話で 082-000-0000 へ).
    Other {
        /// How to apply, as staff wrote it.
        how: String,
    },
}

/// A published event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its id.
    pub event_id: EventId,
    /// The title (at most [`super::MAX_TITLE_CHARS`] characters).
    pub title: String,
    /// What happens, for whom, what to bring; may be empty.
    pub description: String,
    /// Where (会場): a center's name and address.
    pub place: String,
    /// When.
    pub time: EventTime,
    /// Who it is for.
    pub ages: TargetAges,
    /// 定員 (組 or 人, as the description says); `None`: no limit.
    pub capacity: Option<u32>,
    /// Whether and how to apply.
    pub application: Application,
    /// A page with more about it (the city's site), if any.
    pub url: Option<String>,
}

impl Event {
    /// Whether the event suits a family on a day it can still go: a child's age (in whole
    /// months, [`super::months_old`]) on one of the event's days from `today` on is in the
    /// target range, or the mother is still pregnant then (`due_date` not before), or the
    /// baby expected on `due_date` will be of the age. Events for everyone suit every family.
    pub fn fits_ages(&self, birth_dates: &[Date], due_date: Option<Date>, today: Date) -> bool {
        let first = self.time.first_day().max(today);
        let last = self.time.last_day().max(first);
        family_fits(self.ages, first, last, birth_dates, due_date)
    }

    /// Whether the event is over on `today` (its last day is before).
    pub fn is_past(&self, today: Date) -> bool {
        self.time.last_day() < today
    }
}

/// The instant of a civil time in Asia/Tokyo (which has no daylight saving time, so every
/// civil time is exactly one instant).
pub fn tokyo_instant(at: DateTime) -> Timestamp {
    tokyo()
        .to_ambiguous_zoned(at)
        .compatible()
        .map_or(Timestamp::UNIX_EPOCH, |zoned| zoned.timestamp())
}

/// The civil time in Asia/Tokyo of an instant.
pub fn tokyo_civil(at: Timestamp) -> DateTime {
    at.to_zoned(tokyo()).datetime()
}
