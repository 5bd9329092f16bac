//! The reminder of a collection day: the evening before (default 18:00 Asia/Tokyo) or the
//! morning of, at the hour each citizen chose, with the date and the kinds.
//!
//! Exactly one per citizen per day, also across restarts, a clock jump, a late start and two
//! portal instances: a slot (collection day, evening/morning, hour) is done per area in the
//! same transaction as its delivery (the delivery's source is the slot and the area, made
//! once), and each recipient is marked reminded of that day, so a citizen who moves to another
//! area or hour the same evening is not reminded again. A slot missed while the portal was
//! down is caught up only while still useful: until the garbage must be out (`put_out_by`).

use jiff::{
    ToSpan,
    civil::{Date, DateTime, Time},
};

use super::Gomi;
use crate::{
    clock::tokyo,
    domain::notify::Service,
    notify::{Dispatch, Notice},
    store::{Audience, Remind, Slot, Source, StoreError},
};

/// The slots due at local time `now`, among the (remind, hour) pairs citizens chose: the
/// send time has come, and the garbage is not yet due out (`put_out_by` on the day).
pub fn due_slots(now: DateTime, put_out_by: Time, chosen: &[(Remind, u8)]) -> Vec<Slot> {
    let today = now.date();
    let tomorrow = today.tomorrow().unwrap_or(today);
    let mut due = Vec::new();
    for date in [today, tomorrow] {
        let deadline = date.to_datetime(put_out_by);
        if now >= deadline {
            continue;
        }
        for &(remind, hour) in chosen {
            let Ok(at) = Time::new(i8::try_from(hour).unwrap_or(0), 0, 0, 0) else {
                continue;
            };
            let send = match remind {
                Remind::Evening => date.yesterday().unwrap_or(date).to_datetime(at),
                Remind::Morning => date.to_datetime(at),
                Remind::Off => continue,
            };
            if send <= now && send < deadline {
                due.push(Slot { date, remind, hour });
            }
        }
    }
    due
}

/// `HH:MM`, or 08:00 when unreadable (the settings test reads the example file).
fn put_out_by(text: &str) -> Time {
    text.parse().unwrap_or_else(|_| Time::constant(8, 0, 0, 0))
}

/// 12月4日(金) — a date as the reminder says it.
pub fn date_words(date: Date) -> String {
    const DAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    let day = DAYS
        .get(usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0))
        .copied()
        .unwrap_or_default();
    format!("{}月{}日({day})", date.month(), date.day())
}

impl Gomi {
    /// The reminder of `kinds` on `date` for citizens of `area`.
    fn notice(&self, area: &str, date: Date, kinds: &[&str], remind: Remind) -> Notice {
        let when = match remind {
            Remind::Morning => "きょう",
            _ => "あした",
        };
        let kinds = kinds.join("・");
        Notice {
            service: Service::Gomi,
            sender: area.to_owned(),
            title: format!("{when} {} は {kinds} の収集日です", date_words(date)),
            body: format!(
                "{area}の{when} {} の収集は {kinds} です。{}までに出してください。",
                date_words(date),
                self.settings.put_out_by
            ),
            link: None,
            attachment: None,
            read_url: format!("{}/gomi", self.notifier.base_url()),
            urgent: false,
            date: date_words(date),
        }
    }

    /// Makes the deliveries of every due slot; how many were made.
    pub async fn send_reminders(&self) -> Result<usize, StoreError> {
        let city = match self.city().await {
            Ok(Some(city)) => city,
            Ok(None) => return Ok(0),
            Err(error) => {
                tracing::error!(%error, "garbage data unreadable; no reminders");
                return Ok(0);
            }
        };
        let now = self.clock.now();
        let local = now.to_zoned(tokyo()).datetime();
        let chosen = self.store.garbage_slot_kinds().await?;
        let started = std::time::Instant::now();
        let (mut made, mut reminded) = (0, 0);
        let mut choosing = std::time::Duration::ZERO;
        for slot in due_slots(local, put_out_by(&self.settings.put_out_by), &chosen) {
            let chose = std::time::Instant::now();
            let due = self.store.garbage_slot_due(slot).await?;
            choosing += chose.elapsed();
            for (area_id, citizens) in due {
                let kinds = city
                    .schedule(area_id)
                    .map(|schedule| schedule.collects_on(slot.date))
                    .unwrap_or_default();
                let citizens = if kinds.is_empty() {
                    Vec::new()
                } else {
                    citizens
                };
                let Some(area) = city.area(area_id).filter(|_| !citizens.is_empty()) else {
                    self.store
                        .finish_garbage_run(slot, area_id, Vec::new(), now)
                        .await?;
                    continue;
                };
                let notice = self.notice(&area.name, slot.date, &kinds, slot.remind);
                reminded += citizens.len();
                let delivered = self
                    .notifier
                    .deliver(
                        "garbage_reminder",
                        Source::GarbageReminder(slot, area_id),
                        &notice,
                        Audience::Accounts(citizens),
                    )
                    .await?;
                if delivered.is_some() {
                    made += 1;
                }
            }
        }
        if made > 0 {
            // bench-gomi reads this line: the whole run, and the part spent choosing.
            tracing::info!(
                deliveries = made,
                citizens = reminded,
                choose_ms = choosing.as_secs_f64() * 1000.0,
                total_ms = started.elapsed().as_secs_f64() * 1000.0,
                started_unix = (now.as_millisecond() as f64) / 1000.0,
                "garbage reminders made"
            );
        }
        Ok(made)
    }
}

#[async_trait::async_trait]
impl Dispatch for Gomi {
    fn name(&self) -> &'static str {
        "garbage reminders"
    }

    async fn dispatch(&self) -> Result<usize, StoreError> {
        self.send_reminders().await
    }
}

#[cfg(test)]
#[path = "reminders_tests.rs"]
mod tests;

/// The days from `from` for `count` days (for the month view).
pub fn days(from: Date, count: i32) -> impl Iterator<Item = Date> {
    (0..count).filter_map(move |n| from.checked_add(n.days()).ok())
}
