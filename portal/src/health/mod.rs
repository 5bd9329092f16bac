//! 母子健康手帳の交付 and 赤ちゃん訪問 — the pure rules of booking the health office's
//! services: slots and their capacity, booking, change and cancel, reminders, the 問診 as data
//! with its answers checked, the staff calendar and CSV export.
//!
//! Nothing here does I/O or reads a clock: `now` (a [`jiff::Timestamp`]) or `today` (a civil
//! date in Asia/Tokyo) is passed in. The store runs each booking decision inside the
//! transaction that writes it; it also logs every read of 問診 answers.
//!
//! - [`service`]: the services, and the ids of slots and bookings.
//! - [`slot`] and [`series`]: slots made by staff, one by one or as a series ([`slot_error`]).
//! - [`booking`]: book, change, cancel and remind decisions ([`booking_error`]).
//! - [`questionnaire`]: the 問診 read from `portal/data/questionnaires/*.toml`
//!   ([`questionnaire_error`] says where a file is wrong).
//! - [`answers`]: the answers, checked per question ([`answer_error`]).
//! - [`mod@calendar`]: the staff calendar; [`export`]: the staff CSV.

pub mod answer_error;
pub mod answers;
pub mod booking;
pub mod booking_error;
pub mod calendar;
pub mod export;
pub mod questionnaire;
pub mod questionnaire_error;
mod questionnaire_parse;
pub mod series;
pub mod service;
pub mod slot;
pub mod slot_error;

#[cfg(test)]
mod fixtures;

pub use answer_error::AnswerError;
pub use answers::{Answer, AnswerErrors, Answers, RawAnswers, check_answers};
pub use booking::{
    BookedSlot, Booking, BookingPolicy, NewBooking, Reminder, closes_at, decide_booking,
    decide_cancel, decide_change, places_left, reminder_due,
};
pub use booking_error::BookingError;
pub use calendar::{CalendarDay, CalendarSlot, calendar};
pub use export::{ExportRow, export_csv};
pub use questionnaire::{Choice, DateRange, Question, QuestionKind, Questionnaire, Words};
pub use questionnaire_error::{QuestionnaireError, QuestionnaireProblem};
pub use series::{SeriesInput, generate_series};
pub use service::{BookingId, Service, SlotId};
pub use slot::{NewSlot, Place, Slot, SlotInput, check_slot};
pub use slot_error::SlotError;
