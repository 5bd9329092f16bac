//! Why a booking, change or cancel was refused: a stable code, and a message for the citizen
//! in Japanese (the [`std::fmt::Display`]) or English that says what to do instead. Nothing
//! the citizen entered is lost: the page shows the message over the same choice.

use jiff::Timestamp;

use super::service::Service;
use crate::{clock::tokyo_date_time, i18n::Lang};

/// A booking, change or cancel that cannot be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum BookingError {
    /// The slot has as many bookings as its capacity.
    Full,
    /// The slot has started (or is over).
    Started,
    /// Booking the slot closed at `closes_at`, before it starts.
    Closed {
        /// When booking closed.
        closes_at: Timestamp,
    },
    /// The citizen already holds a booking of this service.
    AlreadyBooked {
        /// The service.
        service: Service,
        /// When the booking they hold starts.
        starts_at: Timestamp,
    },
    /// The booking is someone else's.
    NotYours,
    /// The booking was cancelled already.
    Cancelled,
    /// A change to a slot of another service.
    OtherService,
    /// A change to the slot the booking is in.
    SameSlot,
    /// A change once the booked slot has started.
    TooLateToChange,
    /// A cancel once the booked slot has started.
    TooLateToCancel,
}

impl BookingError {
    /// A stable name of the error, for the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Full => "booking_full",
            Self::Started => "booking_slot_started",
            Self::Closed { .. } => "booking_closed",
            Self::AlreadyBooked { .. } => "booking_already_booked",
            Self::NotYours => "booking_not_yours",
            Self::Cancelled => "booking_cancelled",
            Self::OtherService => "booking_other_service",
            Self::SameSlot => "booking_same_slot",
            Self::TooLateToChange => "booking_too_late_to_change",
            Self::TooLateToCancel => "booking_too_late_to_cancel",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::Full if ja => "この枠は定員に達しました。別の日時を選んでください".into(),
            Self::Full => "this slot is full; please choose another time".into(),
            Self::Started if ja => "この枠の日時は過ぎています。別の日時を選んでください".into(),
            Self::Started => "this slot has already started; please choose another time".into(),
            Self::Closed { closes_at } if ja => format!(
                "この枠の予約受付は{}に終了しました。別の日時を選ぶか、保健センターへお電話ください",
                tokyo_date_time(*closes_at)
            ),
            Self::Closed { closes_at } => format!(
                "booking this slot closed at {}; choose another time or call the health center",
                tokyo_date_time(*closes_at)
            ),
            Self::AlreadyBooked { service, starts_at } if ja => format!(
                "{}はすでに{}で予約されています。日時を変えるときは、その予約を変更してください",
                service.name(lang),
                tokyo_date_time(*starts_at)
            ),
            Self::AlreadyBooked { service, starts_at } => format!(
                "you already have a booking for {} at {}; to change the time, change that booking",
                service.name(lang),
                tokyo_date_time(*starts_at)
            ),
            Self::NotYours if ja => "この予約は見つかりません".into(),
            Self::NotYours => "no such booking".into(),
            Self::Cancelled if ja => "この予約は取り消されています".into(),
            Self::Cancelled => "this booking has been cancelled".into(),
            Self::OtherService if ja => "別の事業の枠には変更できません".into(),
            Self::OtherService => "a booking can only move to a slot of the same service".into(),
            Self::SameSlot if ja => "今の予約と同じ枠です".into(),
            Self::SameSlot => "that is the slot you have booked".into(),
            Self::TooLateToChange if ja => {
                "開始時刻を過ぎた予約は変更できません。保健センターへお電話ください".into()
            }
            Self::TooLateToChange => {
                "a booking cannot be changed once it has started; please call the health center"
                    .into()
            }
            Self::TooLateToCancel if ja => {
                "開始時刻を過ぎた予約は取り消せません。保健センターへお電話ください".into()
            }
            Self::TooLateToCancel => {
                "a booking cannot be cancelled once it has started; please call the health center"
                    .into()
            }
        }
    }
}
