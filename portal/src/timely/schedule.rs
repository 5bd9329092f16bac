//! The city's schedule of timely information, as data: the categories a citizen can turn off,
//! the messages at weeks of pregnancy, and the reminders at ages of a child (乳幼児健診,
//! 予防接種, age-based 教室). The city edits `portal/data/timely.toml`; [`Schedule::embedded`]
//! is the one shipped. Nothing in the rules names an item: ids are only keys.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::schedule_error::{ScheduleError, ScheduleProblem, line_of};
use crate::i18n::Lang;

/// The schedule shipped with the portal.
pub const EMBEDDED_SCHEDULE: &str = include_str!("../../data/timely.toml");

/// A text in Japanese, and in English if the city wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Japanese, always there.
    pub ja: String,
    /// English, if written.
    pub en: Option<String>,
}

impl Text {
    /// The text in `lang`, or the Japanese one.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) if !en.trim().is_empty() => en,
            _ => &self.ja,
        }
    }
}

/// A kind of message a citizen can turn off as a whole (妊娠期の情報, 乳幼児健診, 予防接種…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Its stable id, stored in the citizen's settings.
    pub id: String,
    /// Its name on the settings page.
    pub name: Text,
}

/// When an item comes due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// On the first day of 妊娠`week`週 of a pregnancy.
    PregnancyWeek(i64),
    /// When a child turns `months` months and `days` days old, `remind_days_before` earlier.
    ChildAge {
        /// Months of age (18 for 1歳6か月).
        months: i32,
        /// Days past the months (for 生後28日 and the like).
        days: i32,
        /// How many days before that age the reminder goes out.
        remind_days_before: i64,
    },
}

/// One message of the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its stable id, part of each message's key: never reuse one for something else.
    pub id: String,
    /// The category it belongs to.
    pub category: String,
    /// When it comes due.
    pub when: When,
    /// The title (mail subject).
    pub title: Text,
    /// The body; `{name}` is replaced by the child's given name.
    pub body: Text,
}

/// A checked schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    categories: Vec<Category>,
    items: Vec<Item>,
}

impl Schedule {
    /// The schedule shipped with the portal ([`EMBEDDED_SCHEDULE`]); a test keeps it valid.
    pub fn embedded() -> Result<Schedule, ScheduleError> {
        Schedule::from_toml(EMBEDDED_SCHEDULE)
    }

    /// Reads and checks a schedule; the first problem found refuses it, with its line.
    pub fn from_toml(text: &str) -> Result<Schedule, ScheduleError> {
        let raw: RawSchedule = toml::from_str(text).map_err(|e| ScheduleError {
            line: e.span().map_or(0, |span| line_of(text, span.start)),
            problem: ScheduleProblem::Toml(e.message().to_owned()),
        })?;
        let at = |span: std::ops::Range<usize>, problem| ScheduleError {
            line: line_of(text, span.start),
            problem,
        };
        if raw.category.is_empty() {
            return Err(ScheduleError {
                line: 0,
                problem: ScheduleProblem::NoCategories,
            });
        }
        let mut category_ids = HashSet::new();
        let mut categories = Vec::new();
        for category in raw.category {
            check_id(&category.id, &mut category_ids).map_err(|p| at(category.id.span(), p))?;
            check_text(&category.name).map_err(|p| at(category.id.span(), p))?;
            categories.push(Category {
                id: category.id.into_inner(),
                name: category.name,
            });
        }
        let mut item_ids = HashSet::new();
        let mut items = Vec::new();
        let pregnancy = raw.pregnancy.into_iter().map(|item| {
            let week = *item.week.get_ref();
            let when = if (0..=42).contains(&week) {
                Ok(When::PregnancyWeek(week))
            } else {
                Err(at(item.week.span(), ScheduleProblem::WeekOutOfRange(week)))
            };
            let common = RawCommon {
                id: item.id,
                category: item.category,
                title: item.title,
                body: item.body,
            };
            (common, when)
        });
        let child = raw.child.into_iter().map(|item| {
            let (months, days) = (*item.months.get_ref(), item.days.unwrap_or(0));
            let remind = item.remind_days_before.unwrap_or(0);
            let when = if !(0..=216).contains(&months) || !(0..=365).contains(&days) {
                Err(at(item.months.span(), ScheduleProblem::AgeOutOfRange))
            } else if !(0..=365).contains(&remind) {
                Err(at(item.id.span(), ScheduleProblem::RemindTooEarly(remind)))
            } else {
                Ok(When::ChildAge {
                    months,
                    days,
                    remind_days_before: remind,
                })
            };
            let common = RawCommon {
                id: item.id,
                category: item.category,
                title: item.title,
                body: item.body,
            };
            (common, when)
        });
        for (common, when) in pregnancy.collect::<Vec<_>>().into_iter().chain(child) {
            let when = when?;
            check_id(&common.id, &mut item_ids).map_err(|p| at(common.id.span(), p))?;
            if !category_ids.contains(common.category.get_ref().as_str()) {
                let unknown = ScheduleProblem::UnknownCategory(common.category.get_ref().clone());
                return Err(at(common.category.span(), unknown));
            }
            check_text(&common.title).map_err(|p| at(common.id.span(), p))?;
            check_text(&common.body).map_err(|p| at(common.id.span(), p))?;
            items.push(Item {
                id: common.id.into_inner(),
                category: common.category.into_inner(),
                when,
                title: common.title,
                body: common.body,
            });
        }
        Ok(Schedule { categories, items })
    }

    /// The categories, in the order the settings page lists them.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The items, pregnancy ones first, each part in the file's order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }
}

fn check_id(id: &Spanned<String>, seen: &mut HashSet<String>) -> Result<(), ScheduleProblem> {
    let id = id.get_ref();
    let well_formed = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if id.is_empty() || !well_formed {
        return Err(ScheduleProblem::BadId(id.clone()));
    }
    if !seen.insert(id.clone()) {
        return Err(ScheduleProblem::DuplicateId(id.clone()));
    }
    Ok(())
}

fn check_text(text: &Text) -> Result<(), ScheduleProblem> {
    if text.ja.trim().is_empty() {
        return Err(ScheduleProblem::NoJapanese);
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSchedule {
    #[serde(default)]
    category: Vec<RawCategory>,
    #[serde(default)]
    pregnancy: Vec<RawPregnancyItem>,
    #[serde(default)]
    child: Vec<RawChildItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
    name: Text,
}

struct RawCommon {
    id: Spanned<String>,
    category: Spanned<String>,
    title: Text,
    body: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPregnancyItem {
    id: Spanned<String>,
    category: Spanned<String>,
    week: Spanned<i64>,
    title: Text,
    body: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChildItem {
    id: Spanned<String>,
    category: Spanned<String>,
    months: Spanned<i32>,
    days: Option<i32>,
    remind_days_before: Option<i64>,
    title: Text,
    body: Text,
}

#[cfg(test)]
#[path = "schedule_tests.rs"]
mod tests;
