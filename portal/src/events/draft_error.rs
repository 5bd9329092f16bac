//! Why an event draft cannot be published, said beside the field staff must fix: a stable
//! code, the form field, and a message in Japanese (the [`std::fmt::Display`]) or English.

use super::ages::MAX_AGE_MONTHS;
use super::draft::{
    MAX_CAPACITY, MAX_DESCRIPTION_CHARS, MAX_HOW_CHARS, MAX_PLACE_CHARS, MAX_TITLE_CHARS,
    MAX_URL_CHARS,
};
use crate::i18n::Lang;

/// One problem of an event draft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum EventDraftError {
    /// No title.
    TitleMissing,
    /// A title longer than [`MAX_TITLE_CHARS`].
    TitleTooLong,
    /// A description longer than [`MAX_DESCRIPTION_CHARS`].
    DescriptionTooLong,
    /// No place.
    PlaceMissing,
    /// A place longer than [`MAX_PLACE_CHARS`].
    PlaceTooLong,
    /// A date or time that cannot be read; the field is named.
    Malformed(&'static str),
    /// No start date.
    StartMissing,
    /// A timed event without its start time.
    StartTimeMissing,
    /// An end before the start (for an all-day event, a last day before the first).
    EndBeforeStart,
    /// A capacity that is not a whole number from 1 to [`MAX_CAPACITY`].
    BadCapacity,
    /// An age that is not a whole number of months up to [`MAX_AGE_MONTHS`]; the field is named.
    BadAge(&'static str),
    /// Only one end of the age range.
    HalfAgeRange,
    /// The youngest age above the oldest.
    AgesReversed,
    /// An application kind that is not `none`, `portal` or `other`.
    BadApplication,
    /// Applying another way, without saying how.
    HowMissing,
    /// A "how to apply" longer than [`MAX_HOW_CHARS`].
    HowTooLong,
    /// Applications closing before they open.
    WindowReversed,
    /// Applications closing after the event starts.
    ClosesAfterStart,
    /// A URL that is not http(s) or longer than [`MAX_URL_CHARS`].
    BadUrl,
}

impl EventDraftError {
    /// The form field the problem is beside.
    pub fn field(&self) -> &'static str {
        match self {
            Self::TitleMissing | Self::TitleTooLong => "title",
            Self::DescriptionTooLong => "description",
            Self::PlaceMissing | Self::PlaceTooLong => "place",
            Self::Malformed(field) | Self::BadAge(field) => field,
            Self::StartMissing => "start_date",
            Self::StartTimeMissing => "start_time",
            Self::EndBeforeStart => "end_time",
            Self::BadCapacity => "capacity",
            Self::HalfAgeRange | Self::AgesReversed => "age_to_months",
            Self::BadApplication => "application",
            Self::HowMissing | Self::HowTooLong => "how",
            Self::WindowReversed | Self::ClosesAfterStart => "closes",
            Self::BadUrl => "url",
        }
    }

    /// A stable name of the error, for the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TitleMissing => "event_title_missing",
            Self::TitleTooLong => "event_title_too_long",
            Self::DescriptionTooLong => "event_description_too_long",
            Self::PlaceMissing => "event_place_missing",
            Self::PlaceTooLong => "event_place_too_long",
            Self::Malformed(_) => "event_malformed",
            Self::StartMissing => "event_start_missing",
            Self::StartTimeMissing => "event_start_time_missing",
            Self::EndBeforeStart => "event_end_before_start",
            Self::BadCapacity => "event_bad_capacity",
            Self::BadAge(_) => "event_bad_age",
            Self::HalfAgeRange => "event_half_age_range",
            Self::AgesReversed => "event_ages_reversed",
            Self::BadApplication => "event_bad_application",
            Self::HowMissing => "event_how_missing",
            Self::HowTooLong => "event_how_too_long",
            Self::WindowReversed => "event_window_reversed",
            Self::ClosesAfterStart => "event_closes_after_start",
            Self::BadUrl => "event_bad_url",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::TitleMissing if ja => "タイトルを入力してください".into(),
            Self::TitleMissing => "enter a title".into(),
            Self::TitleTooLong if ja => {
                format!("タイトルは{MAX_TITLE_CHARS}文字以内にしてください")
            }
            Self::TitleTooLong => {
                format!("the title is too long (at most {MAX_TITLE_CHARS} characters)")
            }
            Self::DescriptionTooLong if ja => {
                format!("内容は{MAX_DESCRIPTION_CHARS}文字以内にしてください")
            }
            Self::DescriptionTooLong => {
                format!("the description is too long (at most {MAX_DESCRIPTION_CHARS} characters)")
            }
            Self::PlaceMissing if ja => "会場を入力してください".into(),
            Self::PlaceMissing => "enter the place".into(),
            Self::PlaceTooLong if ja => format!("会場は{MAX_PLACE_CHARS}文字以内にしてください"),
            Self::PlaceTooLong => {
                format!("the place is too long (at most {MAX_PLACE_CHARS} characters)")
            }
            Self::Malformed(_) if ja => {
                "日付は 2026-12-05、時刻は 10:00 の形で入力してください".into()
            }
            Self::Malformed(_) => "write dates as 2026-12-05 and times as 10:00".into(),
            Self::StartMissing if ja => "開催日を入力してください".into(),
            Self::StartMissing => "enter the date".into(),
            Self::StartTimeMissing if ja => "開始時刻を入力するか、終日にしてください".into(),
            Self::StartTimeMissing => "enter the start time, or make it an all-day event".into(),
            Self::EndBeforeStart if ja => "終了は開始より後にしてください".into(),
            Self::EndBeforeStart => "the end must be after the start".into(),
            Self::BadCapacity if ja => {
                format!("定員は1から{MAX_CAPACITY}の数字で入力してください(定員なしは空欄)")
            }
            Self::BadCapacity => {
                format!("the capacity must be a number from 1 to {MAX_CAPACITY} (empty: no limit)")
            }
            Self::BadAge(_) if ja => {
                format!("対象年齢は0から{MAX_AGE_MONTHS}か月の数字で入力してください")
            }
            Self::BadAge(_) => format!("ages are months from 0 to {MAX_AGE_MONTHS}"),
            Self::HalfAgeRange if ja => "対象年齢は下限と上限の両方を入力してください".into(),
            Self::HalfAgeRange => "enter both the youngest and the oldest age".into(),
            Self::AgesReversed if ja => "対象年齢の下限が上限を超えています".into(),
            Self::AgesReversed => "the youngest age is above the oldest".into(),
            Self::BadApplication if ja => "申込の要否を選んでください".into(),
            Self::BadApplication => "choose whether and how to apply".into(),
            Self::HowMissing if ja => "申込方法(電話など)を入力してください".into(),
            Self::HowMissing => "say how to apply (by phone …)".into(),
            Self::HowTooLong if ja => format!("申込方法は{MAX_HOW_CHARS}文字以内にしてください"),
            Self::HowTooLong => {
                format!("how to apply is too long (at most {MAX_HOW_CHARS} characters)")
            }
            Self::WindowReversed if ja => "申込の締切は受付開始より後にしてください".into(),
            Self::WindowReversed => "applications must close after they open".into(),
            Self::ClosesAfterStart if ja => "申込の締切は開始より前にしてください".into(),
            Self::ClosesAfterStart => "applications must close before the event starts".into(),
            Self::BadUrl if ja => {
                format!("URLは http:// か https:// で始まる{MAX_URL_CHARS}文字以内にしてください")
            }
            Self::BadUrl => format!(
                "the URL must start with http:// or https:// (at most {MAX_URL_CHARS} characters)"
            ),
        }
    }
}
