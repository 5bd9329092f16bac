//! What timely information is due for a family on a day: each item of the [`Schedule`] whose
//! reminder date falls today (or in a catch-up window before it, for a sender that was down),
//! for each pregnancy and each child, without the categories the citizen turned off.
//!
//! Each message has a stable key, the same every day it is due, so the sender records the keys
//! it has sent and sends each message once.

use std::collections::BTreeSet;

use jiff::{ToSpan, civil::Date};

use super::age::turns_months;
use super::pregnancy::{PregnancyWeek, day_of_week};
use super::schedule::{Item, Schedule, Text, When};
use crate::{domain::ChildId, i18n::Lang};

/// A pregnancy as the timely rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pregnancy {
    /// A key the same for this pregnancy and different for the next one, e.g. the account id
    /// and the day the 出産予定日 was first registered. (The due date alone works, except that
    /// a corrected due date sends the items still ahead once more.)
    pub key: String,
    /// The 出産予定日.
    pub due_date: Date,
}

/// A child as the timely rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildFacts {
    /// The child's id.
    pub child_id: ChildId,
    /// 名, for `{name}` in bodies.
    pub given_name: String,
    /// 生年月日.
    pub birth_date: Date,
}

/// What the timely rules need to know about one citizen's family.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FamilyFacts {
    /// Pregnancies with a registered 出産予定日.
    pub pregnancies: Vec<Pregnancy>,
    /// Registered children.
    pub children: Vec<ChildFacts>,
}

/// Who a message is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A pregnancy, by its key.
    Pregnancy(String),
    /// A child.
    Child(ChildId),
}

/// One message due for a family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueMessage {
    /// Stable per (pregnancy or child, item): `pregnancy:{key}:{item}` or `child:{id}:{item}`.
    pub key: String,
    /// Who it is about.
    pub subject: Subject,
    /// The schedule item's id.
    pub item_id: String,
    /// The item's category.
    pub category: String,
    /// The day it was due to be sent (today, or earlier within the catch-up window).
    pub send_on: Date,
    /// The day the week or age is reached (later than `send_on` by the reminder's lead).
    pub reached_on: Date,
    /// The title.
    pub title: Text,
    /// The body, `{name}` filled in.
    pub body: Text,
}

impl DueMessage {
    /// The title in `lang` (Japanese when the city wrote no English).
    pub fn title(&self, lang: Lang) -> &str {
        self.title.get(lang)
    }

    /// The body in `lang` (Japanese when the city wrote no English).
    pub fn body(&self, lang: Lang) -> &str {
        self.body.get(lang)
    }
}

/// Every message of `schedule` for `family` whose send day falls from `from` to `to`
/// (inclusive), whatever the citizen turned off: the base of [`due`] and of an "upcoming"
/// list on the family's page. Ordered by send day, then pregnancies before children.
pub fn timeline(
    schedule: &Schedule,
    family: &FamilyFacts,
    from: Date,
    to: Date,
) -> Vec<DueMessage> {
    let mut messages = Vec::new();
    let in_range = |day: &Date| (from..=to).contains(day);
    for pregnancy in &family.pregnancies {
        for item in schedule.items() {
            let When::PregnancyWeek(weeks) = item.when else {
                continue;
            };
            let week = PregnancyWeek { weeks, days: 0 };
            let Some(reached_on) = day_of_week(pregnancy.due_date, week) else {
                continue;
            };
            if in_range(&reached_on) {
                let subject = Subject::Pregnancy(pregnancy.key.clone());
                let key = format!("pregnancy:{}:{}", pregnancy.key, item.id);
                messages.push(message(item, key, subject, reached_on, reached_on, None));
            }
        }
    }
    for child in &family.children {
        for item in schedule.items() {
            let When::ChildAge {
                months,
                days,
                remind_days_before,
            } = item.when
            else {
                continue;
            };
            let Some(reached_on) = turns_months(child.birth_date, months)
                .and_then(|day| day.checked_add(days.days()).ok())
            else {
                continue;
            };
            let Ok(send_on) = reached_on.checked_sub(remind_days_before.days()) else {
                continue;
            };
            if in_range(&send_on) {
                let subject = Subject::Child(child.child_id);
                let key = format!("child:{}:{}", child.child_id, item.id);
                let name = Some(child.given_name.as_str());
                messages.push(message(item, key, subject, send_on, reached_on, name));
            }
        }
    }
    // Stable: the schedule's order is kept within a day.
    messages.sort_by_key(|message| message.send_on);
    messages
}

/// The messages due on `today` for `family`: those whose send day is today or up to
/// `catch_up_days` before it, in categories not in `turned_off`. A sender that keeps the keys
/// it sent can run this every day (and after being down for up to `catch_up_days` days)
/// without sending a message twice or missing one.
pub fn due(
    schedule: &Schedule,
    family: &FamilyFacts,
    today: Date,
    turned_off: &BTreeSet<String>,
    catch_up_days: u16,
) -> Vec<DueMessage> {
    let from = today
        .checked_sub(i64::from(catch_up_days).days())
        .unwrap_or(today);
    let mut messages = timeline(schedule, family, from, today);
    messages.retain(|message| !turned_off.contains(&message.category));
    messages
}

fn message(
    item: &Item,
    key: String,
    subject: Subject,
    send_on: Date,
    reached_on: Date,
    name: Option<&str>,
) -> DueMessage {
    let fill = |text: &str| match name {
        Some(name) => text.replace("{name}", name),
        None => text.to_owned(),
    };
    DueMessage {
        key,
        subject,
        item_id: item.id.clone(),
        category: item.category.clone(),
        send_on,
        reached_on,
        title: Text {
            ja: fill(&item.title.ja),
            en: item.title.en.as_deref().map(fill),
        },
        body: Text {
            ja: fill(&item.body.ja),
            en: item.body.en.as_deref().map(fill),
        },
    }
}

#[cfg(test)]
#[path = "due_tests.rs"]
mod tests;
