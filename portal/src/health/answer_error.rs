//! Why an answer to a question was refused: a stable code, and a message in Japanese (the
//! [`std::fmt::Display`]) or English shown next to the question. The form keeps what was typed.

use crate::i18n::Lang;

/// An answer that cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum AnswerError {
    /// A required question left blank.
    Missing,
    /// Text longer than the question takes.
    TooLong {
        /// The most characters.
        max_chars: usize,
    },
    /// Not a whole number.
    NotANumber,
    /// A number outside the question's range.
    OutOfRange {
        /// The least accepted.
        min: i64,
        /// The most accepted.
        max: i64,
    },
    /// Not a date (YYYY-MM-DD).
    NotADate,
    /// A date after today where one on or before today is asked.
    DateNotPast,
    /// A date before today where one on or after today is asked.
    DateNotFuture,
    /// A yes/no answer that is neither.
    NotYesNo,
    /// A choice the question does not have.
    UnknownChoice(String),
    /// More than one choice where one is asked.
    OneOnly,
    /// なし (or the like) chosen with something else.
    ExclusiveWithOthers(String),
}

impl AnswerError {
    /// A stable name of the error, for the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing => "answer_missing",
            Self::TooLong { .. } => "answer_too_long",
            Self::NotANumber => "answer_not_a_number",
            Self::OutOfRange { .. } => "answer_out_of_range",
            Self::NotADate => "answer_not_a_date",
            Self::DateNotPast => "answer_date_not_past",
            Self::DateNotFuture => "answer_date_not_future",
            Self::NotYesNo => "answer_not_yes_no",
            Self::UnknownChoice(_) => "answer_unknown_choice",
            Self::OneOnly => "answer_one_only",
            Self::ExclusiveWithOthers(_) => "answer_exclusive_with_others",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::Missing if ja => "この質問は必須です。ご回答ください".into(),
            Self::Missing => "this question must be answered".into(),
            Self::TooLong { max_chars } if ja => format!("{max_chars}文字以内でご記入ください"),
            Self::TooLong { max_chars } => format!("write at most {max_chars} characters"),
            Self::NotANumber if ja => "数字(整数)でご記入ください".into(),
            Self::NotANumber => "enter a whole number".into(),
            Self::OutOfRange { min, max } if ja => {
                format!("{min}から{max}までの数でご記入ください")
            }
            Self::OutOfRange { min, max } => format!("enter a number from {min} to {max}"),
            Self::NotADate if ja => "日付を 2026-04-01 の形でご記入ください".into(),
            Self::NotADate => "enter a date as 2026-04-01".into(),
            Self::DateNotPast if ja => "今日までの日付をご記入ください".into(),
            Self::DateNotPast => "enter a date no later than today".into(),
            Self::DateNotFuture if ja => "今日以降の日付をご記入ください".into(),
            Self::DateNotFuture => "enter a date no earlier than today".into(),
            Self::NotYesNo if ja => "「はい」か「いいえ」を選んでください".into(),
            Self::NotYesNo => "choose yes or no".into(),
            Self::UnknownChoice(choice) if ja => format!("「{choice}」は選択肢にありません"),
            Self::UnknownChoice(choice) => format!("\"{choice}\" is not one of the choices"),
            Self::OneOnly if ja => "一つだけ選んでください".into(),
            Self::OneOnly => "choose only one".into(),
            Self::ExclusiveWithOthers(label) if ja => {
                format!("「{label}」はほかの項目と一緒には選べません")
            }
            Self::ExclusiveWithOthers(label) => {
                format!("\"{label}\" cannot be chosen with anything else")
            }
        }
    }
}
