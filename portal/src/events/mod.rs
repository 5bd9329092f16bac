//! 子育てイベントカレンダー — the pure rules of child-rearing events: what staff publish and
//! how it is checked, which events suit a family's children, the month and list views,
//! applications with a waiting list, and the iCalendar feed.
//!
//! Nothing here does I/O or reads a clock: the store passes events and rosters in, and the
//! caller says what day or instant it is (Asia/Tokyo, [`crate::clock`]).
//!
//! - [`model`]: [`Event`], its time, its application rule.
//! - [`ages`]: ages in whole months by Japanese reckoning, and the ages an event is for.
//! - [`draft`]: staff's event form, checked field by field ([`EventDraftError`]).
//! - [`calendar`]: the month grid and the list order.
//! - [`applications`]: 申込 — confirmed or キャンセル待ち, cancellations that move the next up.
//! - [`ics`]: the iCalendar feed.

pub mod ages;
pub mod applications;
pub mod calendar;
pub mod draft;
mod draft_error;
pub mod ics;
pub mod model;

#[cfg(test)]
mod fixtures;

pub use ages::{MAX_AGE_MONTHS, MonthRange, TargetAges, months_old};
pub use applications::{ApplyError, Cancelled, Placement, Roster, check_open, placement};
pub use calendar::{DayEvents, MonthView, for_family, list_order, upcoming};
pub use draft::{EventDraft, MAX_TITLE_CHARS, check_event};
pub use draft_error::EventDraftError;
pub use model::{Application, Event, EventId, EventTime, tokyo_civil, tokyo_instant};

#[cfg(test)]
#[path = "applications_props.rs"]
mod applications_props;
#[cfg(test)]
#[path = "applications_tests.rs"]
mod applications_tests;
#[cfg(test)]
#[path = "calendar_tests.rs"]
mod calendar_tests;
#[cfg(test)]
#[path = "draft_tests.rs"]
mod draft_tests;
