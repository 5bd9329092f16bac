//! Why a timely-information schedule was refused: the line of `timely.toml` and what is wrong
//! there, with a stable code and a message in Japanese (the [`std::fmt::Display`]) or English.

use crate::i18n::Lang;

/// What is wrong in a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleProblem {
    /// Not TOML, or not the schedule's shape (an unknown key, a missing one); toml's words.
    Toml(String),
    /// No `[[category]]` at all.
    NoCategories,
    /// An id that is empty or not made of `a-z`, `0-9`, `-` and `_` (ids go into message keys).
    BadId(String),
    /// Two categories, or two items, with one id.
    DuplicateId(String),
    /// An item in a category the file does not list.
    UnknownCategory(String),
    /// A name, title or body without its Japanese text.
    NoJapanese,
    /// A pregnancy week outside 0 to 42.
    WeekOutOfRange(i64),
    /// An age outside 0 to 18 years (216 months), or days outside 0 to 365.
    AgeOutOfRange,
    /// A reminder more than 365 days before the age or week.
    RemindTooEarly(i64),
}

/// A schedule that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub struct ScheduleError {
    /// The line (from 1) of the file; 0 when the problem has no place.
    pub line: usize,
    /// What is wrong.
    pub problem: ScheduleProblem,
}

impl ScheduleError {
    /// A stable name of the error, for programs and logs.
    pub fn code(&self) -> &'static str {
        match self.problem {
            ScheduleProblem::Toml(_) => "timely_toml",
            ScheduleProblem::NoCategories => "timely_no_categories",
            ScheduleProblem::BadId(_) => "timely_bad_id",
            ScheduleProblem::DuplicateId(_) => "timely_duplicate_id",
            ScheduleProblem::UnknownCategory(_) => "timely_unknown_category",
            ScheduleProblem::NoJapanese => "timely_no_japanese",
            ScheduleProblem::WeekOutOfRange(_) => "timely_week_out_of_range",
            ScheduleProblem::AgeOutOfRange => "timely_age_out_of_range",
            ScheduleProblem::RemindTooEarly(_) => "timely_remind_too_early",
        }
    }

    /// The error for a person, in Japanese or English, starting with the line.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let what = match &self.problem {
            ScheduleProblem::Toml(detail) if ja => format!("TOMLとして読めません: {detail}"),
            ScheduleProblem::Toml(detail) => format!("not readable TOML: {detail}"),
            ScheduleProblem::NoCategories if ja => "分類([[category]])が一つもありません".into(),
            ScheduleProblem::NoCategories => "no category ([[category]]) at all".into(),
            ScheduleProblem::BadId(id) if ja => {
                format!("id「{id}」は英小文字・数字・-・_ で書いてください")
            }
            ScheduleProblem::BadId(id) => {
                format!("id \"{id}\" must be lowercase letters, digits, - and _")
            }
            ScheduleProblem::DuplicateId(id) if ja => format!("id「{id}」が二つあります"),
            ScheduleProblem::DuplicateId(id) => format!("the id \"{id}\" is used twice"),
            ScheduleProblem::UnknownCategory(id) if ja => {
                format!("分類「{id}」は [[category]] にありません")
            }
            ScheduleProblem::UnknownCategory(id) => {
                format!("the category \"{id}\" is not listed as a [[category]]")
            }
            ScheduleProblem::NoJapanese if ja => "日本語(ja)の文が空です".into(),
            ScheduleProblem::NoJapanese => "the Japanese (ja) text is empty".into(),
            ScheduleProblem::WeekOutOfRange(week) if ja => {
                format!("妊娠{week}週は0から42週にしてください")
            }
            ScheduleProblem::WeekOutOfRange(week) => {
                format!("week {week} of pregnancy must be 0 to 42")
            }
            ScheduleProblem::AgeOutOfRange if ja => {
                "月齢は0から216か月(18歳)、日数は0から365日にしてください".into()
            }
            ScheduleProblem::AgeOutOfRange => {
                "the age must be 0 to 216 months (18 years), and days 0 to 365".into()
            }
            ScheduleProblem::RemindTooEarly(days) if ja => {
                format!("{days}日前のお知らせは早すぎます(0から365日前)")
            }
            ScheduleProblem::RemindTooEarly(days) => {
                format!("a reminder {days} days before is too early (0 to 365 days)")
            }
        };
        match (self.line, ja) {
            (0, _) => what,
            (line, true) => format!("{line}行目: {what}"),
            (line, false) => format!("line {line}: {what}"),
        }
    }
}

/// The line (from 1) of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before.matches('\n').count() + 1
}
