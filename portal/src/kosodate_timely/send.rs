//! The daily sender of timely information, run by the delivery engine's dispatch loop every
//! 10 seconds: from 09:00 Asia/Tokyo, once a day, it builds each family's facts, asks
//! [`fn@crate::timely::due`] what is due (catching up [`CATCH_UP_DAYS`] days after an outage) and
//! delivers each message not yet sent to its citizen, in each citizen's page language.
//!
//! A message is sent once, across restarts and two instances: its delivery's source is a
//! UUID made from the message's stable key ([`super::source_id`]), and the engine makes one
//! delivery per source (`deliveries.source` is unique). The key is then recorded in
//! `timely_sent`, so later runs skip it without asking the engine; a crash between the two
//! only means the next run finds the delivery already made and records the key then.

use jiff::civil::{Date, Time};

use super::{KosodateTimely, pregnancy_key, source_id};
use crate::{
    clock::tokyo,
    domain::notify::Service,
    i18n::Lang,
    notify::{Dispatch, Notice},
    store::{Audience, Source, StoreError, TimelyFamily},
    timely::{ChildFacts, DueMessage, FamilyFacts, Pregnancy, due},
};

/// The time of day (Asia/Tokyo) from which the day's messages go out.
pub const SEND_FROM: Time = Time::constant(9, 0, 0, 0);

/// How many days back a message still goes out after the portal was down.
pub const CATCH_UP_DAYS: u16 = 3;

/// `2025年4月1日` / `April 1, 2025`: the date line of a message.
fn date_line(day: Date, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", day.year(), day.month(), day.day()),
        Lang::En => day.strftime("%B %-d, %Y").to_string(),
    }
}

impl KosodateTimely {
    /// Sends today's messages if it is time and today's run is not done yet (by this or
    /// another instance); returns how many deliveries were made.
    pub async fn send_due(&self) -> Result<usize, StoreError> {
        let local = self.clock.now().to_zoned(tokyo()).datetime();
        let today = local.date();
        if local.time() < SEND_FROM || self.finished_on() == Some(today) {
            return Ok(0);
        }
        if self.store.timely_day_finished(today).await? {
            self.remember_finished(today);
            return Ok(0);
        }
        let made = self.send_day(today).await?;
        self.store
            .finish_timely_day(today, self.clock.now())
            .await?;
        self.remember_finished(today);
        Ok(made)
    }

    fn finished_on(&self) -> Option<Date> {
        *self
            .finished
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn remember_finished(&self, day: Date) {
        *self
            .finished
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(day);
    }

    /// Delivers every message due on `today` and not sent yet.
    async fn send_day(&self, today: Date) -> Result<usize, StoreError> {
        let mut made = 0;
        for family in self.store.timely_families().await? {
            let facts = self.facts(&family).await?;
            let due = due(
                &self.schedule,
                &facts,
                today,
                &family.turned_off,
                CATCH_UP_DAYS,
            );
            if due.is_empty() {
                continue;
            }
            let keys = due.iter().map(|message| message.key.clone()).collect();
            let sent = self.store.timely_sent(keys).await?;
            for message in due {
                if sent.contains(&message.key) {
                    continue;
                }
                if self.deliver(&family, &message, today).await? {
                    made += 1;
                }
                self.store
                    .mark_timely_sent(message.key, family.account_id, self.clock.now())
                    .await?;
            }
        }
        if made > 0 {
            tracing::info!(deliveries = made, %today, "timely information sent");
        }
        Ok(made)
    }

    /// The facts of one family, its pregnancy key kept (or made and recorded).
    async fn facts(&self, family: &TimelyFamily) -> Result<FamilyFacts, StoreError> {
        let mut pregnancies = Vec::new();
        if let Some(due_date) = family.due_date {
            let known = family
                .pregnancy
                .as_ref()
                .map(|(key, seen)| (key.as_str(), *seen));
            let key = pregnancy_key(family.account_id, due_date, known);
            if known != Some((key.as_str(), due_date)) {
                self.store
                    .set_timely_pregnancy(family.account_id, key.clone(), due_date)
                    .await?;
            }
            pregnancies.push(Pregnancy { key, due_date });
        }
        let children = family
            .children
            .iter()
            .map(|child| ChildFacts {
                child_id: child.child_id,
                given_name: child.given_name.clone(),
                birth_date: child.birth_date,
            })
            .collect();
        Ok(FamilyFacts {
            pregnancies,
            children,
        })
    }

    /// Delivers `message` to the family's guardian; `false` when it was delivered before.
    async fn deliver(
        &self,
        family: &TimelyFamily,
        message: &DueMessage,
        today: Date,
    ) -> Result<bool, StoreError> {
        let read_url = format!("{}/kosodate", self.notifier.base_url());
        let mut contents = Vec::new();
        for lang in [Lang::Ja, Lang::En] {
            let notice = Notice {
                service: Service::Kosodate,
                sender: self.category_name(&message.category, lang),
                title: message.title(lang).to_owned(),
                body: message.body(lang).to_owned(),
                link: None,
                attachment: None,
                read_url: read_url.clone(),
                urgent: false,
                date: date_line(today, lang),
            };
            contents.push(self.notifier.render(&notice, lang)?);
        }
        let made = self
            .notifier
            .deliver_contents(
                "timely",
                Service::Kosodate,
                Source::Other("timely", source_id(&message.key)),
                message.title(Lang::Ja),
                contents,
                Audience::Accounts(vec![family.account_id]),
            )
            .await?;
        Ok(made.is_some())
    }
}

#[async_trait::async_trait]
impl Dispatch for KosodateTimely {
    fn name(&self) -> &'static str {
        "timely information"
    }

    async fn dispatch(&self) -> Result<usize, StoreError> {
        self.send_due().await
    }
}
