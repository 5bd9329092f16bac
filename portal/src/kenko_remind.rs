//! The reminder of a health office booking (母子健康手帳の交付, 赤ちゃん訪問), sent by email
//! and/or LINE as the citizen chose for 子育て, from two days before the time until it starts,
//! once per booking and time (a booking moved to another time is reminded of the new one).

use crate::{
    domain::notify::Service,
    health::{BookedSlot, reminder_due},
    i18n::{Lang, t},
    kenko::Kenko,
    notify::{Dispatch, Notice, Notifier},
    store::{Audience, HealthStore, Source, StoreError},
};

/// The dispatcher.
pub struct Reminders {
    /// The reservations service (its store and policy).
    pub kenko: Kenko,
    /// The delivery engine.
    pub notifier: Notifier,
}

impl Reminders {
    fn notice(&self, booked: &BookedSlot, lang: Lang) -> Notice {
        let slot = &booked.slot;
        Notice {
            service: Service::Kosodate,
            sender: slot.service.name(lang).to_owned(),
            title: format!(
                "{}{}",
                slot.service.name(lang),
                t(lang, "page.kenko.reminder_title")
            ),
            body: format!(
                "{}\n{}: {}\n{}: {}",
                t(lang, "page.kenko.reminder_body"),
                t(lang, "page.kenko.when"),
                slot.when_ja(),
                t(lang, "page.kenko.place"),
                slot.place.label(lang)
            ),
            link: None,
            attachment: None,
            read_url: format!("{}/kosodate/yoyaku", self.notifier.base_url()),
            urgent: false,
            date: crate::clock::tokyo_date_time(self.kenko.now()),
        }
    }

    /// Sends every reminder now due; returns how many.
    pub async fn send_due(&self) -> Result<usize, StoreError> {
        let now = self.kenko.now();
        let store: &dyn HealthStore = self.kenko.store();
        let policy = *self.kenko.policy();
        let until = now + policy.remind_before;
        let mut sent = 0;
        for (booked, reminded) in store.bookings_starting(now, until).await? {
            let Some(reminder) = reminder_due(&policy, &booked, now) else {
                continue;
            };
            if reminded.as_deref() == Some(reminder.key.as_str()) {
                continue;
            }
            let contents = vec![
                self.notifier
                    .render(&self.notice(&booked, Lang::Ja), Lang::Ja)?,
                self.notifier
                    .render(&self.notice(&booked, Lang::En), Lang::En)?,
            ];
            let title = self.notice(&booked, Lang::Ja).title;
            self.notifier
                .deliver_contents(
                    "health_reminder",
                    Service::Kosodate,
                    Source::Other(
                        "health_reminder",
                        crate::kosodate_timely::source_id(&reminder.key),
                    ),
                    &title,
                    contents,
                    Audience::Accounts(vec![reminder.citizen_id]),
                )
                .await?;
            store
                .mark_reminded(reminder.booking_id, &reminder.key)
                .await?;
            sent += 1;
        }
        Ok(sent)
    }
}

#[async_trait::async_trait]
impl Dispatch for Reminders {
    fn name(&self) -> &'static str {
        "health booking reminders"
    }

    async fn dispatch(&self) -> Result<usize, StoreError> {
        self.send_due().await
    }
}
