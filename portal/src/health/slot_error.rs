//! Why a slot, or a series of slots, cannot be opened: a stable code, and a message for the
//! staff member in Japanese (the [`std::fmt::Display`]) or English.

use super::series::{MAX_SERIES_DAYS, MAX_SERIES_SLOTS};
use super::service::Service;
use super::slot::{MAX_CAPACITY, MAX_DAYS_AHEAD, MAX_PLACE_CHARS};
use crate::i18n::Lang;

/// A slot or series that cannot be opened as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum SlotError {
    /// The end is not after the start.
    EndNotAfterStart,
    /// Longer than [`super::slot::MAX_SLOT_LENGTH`].
    TooLong,
    /// A capacity outside 1 to [`MAX_CAPACITY`].
    Capacity(u16),
    /// A start not in the future.
    InPast,
    /// A start more than [`MAX_DAYS_AHEAD`] days ahead.
    TooFarAhead,
    /// A day or time the calendar cannot hold.
    OutOfCalendar,
    /// No place name.
    NoPlace,
    /// A place name longer than [`MAX_PLACE_CHARS`].
    PlaceTooLong,
    /// 訪問 (at home) for a service that is not 赤ちゃん訪問.
    HomeNotForService(Service),
    /// A series whose last day is before its first, or whose first day is past.
    SeriesDays,
    /// A series over more than [`MAX_SERIES_DAYS`] days.
    SeriesTooLong,
    /// A series on no day of the week.
    NoWeekdays,
    /// A slot length outside 5 to 480 minutes.
    SlotMinutes(u16),
    /// A series in which not one slot fits.
    NoSlotFits,
    /// A series of more than [`MAX_SERIES_SLOTS`] slots.
    TooManySlots(usize),
}

impl SlotError {
    /// A stable name of the error, for the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EndNotAfterStart => "slot_end_not_after_start",
            Self::TooLong => "slot_too_long",
            Self::Capacity(_) => "slot_capacity",
            Self::InPast => "slot_in_past",
            Self::TooFarAhead => "slot_too_far_ahead",
            Self::OutOfCalendar => "slot_out_of_calendar",
            Self::NoPlace => "slot_no_place",
            Self::PlaceTooLong => "slot_place_too_long",
            Self::HomeNotForService(_) => "slot_home_not_for_service",
            Self::SeriesDays => "slot_series_days",
            Self::SeriesTooLong => "slot_series_too_long",
            Self::NoWeekdays => "slot_no_weekdays",
            Self::SlotMinutes(_) => "slot_minutes",
            Self::NoSlotFits => "slot_none_fits",
            Self::TooManySlots(_) => "slot_too_many",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::EndNotAfterStart if ja => "終了時刻は開始時刻より後にしてください".into(),
            Self::EndNotAfterStart => "the end must be after the start".into(),
            Self::TooLong if ja => "1枠は8時間までにしてください".into(),
            Self::TooLong => "a slot lasts at most 8 hours".into(),
            Self::Capacity(n) if ja => format!("定員{n}人は1から{MAX_CAPACITY}人にしてください"),
            Self::Capacity(n) => format!("capacity {n} must be 1 to {MAX_CAPACITY}"),
            Self::InPast if ja => "過ぎた日時の枠は作れません".into(),
            Self::InPast => "a slot cannot start in the past".into(),
            Self::TooFarAhead if ja => format!("枠は{MAX_DAYS_AHEAD}日先までにしてください"),
            Self::TooFarAhead => format!("slots can be opened up to {MAX_DAYS_AHEAD} days ahead"),
            Self::OutOfCalendar if ja => "日付または時刻が正しくありません".into(),
            Self::OutOfCalendar => "the date or time is not valid".into(),
            Self::NoPlace if ja => "会場を入力してください".into(),
            Self::NoPlace => "enter the place".into(),
            Self::PlaceTooLong if ja => format!("会場名は{MAX_PLACE_CHARS}文字までにしてください"),
            Self::PlaceTooLong => format!("the place name is at most {MAX_PLACE_CHARS} characters"),
            Self::HomeNotForService(service) if ja => {
                format!("{}は訪問(ご自宅)では行えません", service.name(lang))
            }
            Self::HomeNotForService(service) => {
                format!("{} is not done at home", service.name(lang))
            }
            Self::SeriesDays if ja => {
                "期間は今日以降の日から、開始日以後の終了日までにしてください".into()
            }
            Self::SeriesDays => {
                "the period must start today or later and end after it starts".into()
            }
            Self::SeriesTooLong if ja => format!("期間は{MAX_SERIES_DAYS}日以内にしてください"),
            Self::SeriesTooLong => format!("the period is at most {MAX_SERIES_DAYS} days"),
            Self::NoWeekdays if ja => "曜日を一つ以上選んでください".into(),
            Self::NoWeekdays => "choose at least one day of the week".into(),
            Self::SlotMinutes(n) if ja => format!("1枠{n}分は5分から480分にしてください"),
            Self::SlotMinutes(n) => format!("{n} minutes a slot must be 5 to 480"),
            Self::NoSlotFits if ja => "この条件では枠が一つもできません".into(),
            Self::NoSlotFits => "these settings make no slot at all".into(),
            Self::TooManySlots(n) if ja => {
                format!("{n}枠になります(一度に{MAX_SERIES_SLOTS}枠まで)")
            }
            Self::TooManySlots(n) => {
                format!("that makes {n} slots (at most {MAX_SERIES_SLOTS} at once)")
            }
        }
    }
}
