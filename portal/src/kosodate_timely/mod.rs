//! 子育て情報のお知らせ — the service around [`crate::timely`]: each citizen's turned-off
//! categories and upcoming messages (the `/kosodate/oshirase` page), and the daily sender
//! ([`send`]) that delivers each due message once by email/LINE through the delivery engine.
//!
//! The rules (which message is due when) are pure and live in [`crate::timely`]; this module
//! only reads families from the store, remembers what was sent and hands messages over.

pub mod send;
#[cfg(test)]
mod tests;

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex},
};

use jiff::{ToSpan, civil::Date};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    clock::Clock,
    domain::AccountId,
    notify::Notifier,
    store::{FamilyStore, StoreError, TimelyStore},
    timely::{
        Category, ChildFacts, DueMessage, FamilyFacts, Pregnancy, Schedule, age::days_between,
        timeline,
    },
};

/// How many days ahead the citizen's page lists what will come.
pub const UPCOMING_DAYS: i64 = 60;

/// A corrected 出産予定日 within this many days of the one seen before is the same pregnancy
/// (its key is kept, so nothing already sent is sent again); further off, it is a new one.
pub const SAME_PREGNANCY_DAYS: i64 = 56;

/// The key of the pregnancy due on `due_date` for `account_id`, given the pregnancy last seen
/// for the account (`known`: its key and due date). A new pregnancy's key is the account and
/// the due date it was first seen with, so it stays the same while the date is corrected.
pub fn pregnancy_key(account_id: AccountId, due_date: Date, known: Option<(&str, Date)>) -> String {
    match known {
        Some((key, seen)) if days_between(seen, due_date).abs() <= SAME_PREGNANCY_DAYS => {
            key.to_owned()
        }
        _ => format!("{account_id}:{due_date}"),
    }
}

/// The delivery source id of the message `key`: the same UUID for the same key on every
/// instance and after every restart (SHA-256 of the key as a version 8 UUID), so the delivery
/// engine's unique source makes each message once.
pub fn source_id(key: &str) -> Uuid {
    let digest = Sha256::digest(format!("timely:{key}").as_bytes());
    let mut bytes = [0u8; 16];
    for (byte, from) in bytes.iter_mut().zip(digest.iter()) {
        *byte = *from;
    }
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// Why a settings change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum TimelyError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The service: settings, upcoming messages and the daily sender.
#[derive(Clone)]
pub struct KosodateTimely {
    store: Arc<dyn TimelyStore>,
    family: Arc<dyn FamilyStore>,
    notifier: Notifier,
    clock: Arc<dyn Clock>,
    schedule: Arc<Schedule>,
    /// The last day (Asia/Tokyo) this instance finished sending, so the 10-second dispatch
    /// loop asks the store only once a day after that.
    finished: Arc<Mutex<Option<Date>>>,
}

impl KosodateTimely {
    /// The service over `schedule` (usually [`Schedule::embedded`]).
    pub fn new(
        store: Arc<dyn TimelyStore>,
        family: Arc<dyn FamilyStore>,
        notifier: Notifier,
        clock: Arc<dyn Clock>,
        schedule: Schedule,
    ) -> Self {
        Self {
            store,
            family,
            notifier,
            clock,
            schedule: Arc::new(schedule),
            finished: Arc::new(Mutex::new(None)),
        }
    }

    /// The categories a citizen can turn off, in the schedule's order.
    pub fn categories(&self) -> &[Category] {
        self.schedule.categories()
    }

    /// The categories the citizen turned off.
    pub async fn turned_off(&self, account_id: AccountId) -> Result<BTreeSet<String>, TimelyError> {
        Ok(self.store.timely_turned_off(account_id).await?)
    }

    /// Keeps only the categories in `wanted` (ids the schedule does not know are ignored).
    pub async fn save(
        &self,
        account_id: AccountId,
        wanted: &BTreeSet<String>,
    ) -> Result<(), TimelyError> {
        let off = self
            .categories()
            .iter()
            .filter(|category| !wanted.contains(&category.id))
            .map(|category| category.id.clone())
            .collect();
        self.store
            .set_timely_turned_off(account_id, off, self.clock.now())
            .await?;
        Ok(())
    }

    /// What will come for the citizen's family from today for [`UPCOMING_DAYS`] days, without
    /// the categories turned off.
    pub async fn upcoming(&self, account_id: AccountId) -> Result<Vec<DueMessage>, TimelyError> {
        let today = self.clock.today();
        let children = self.family.children(account_id).await?;
        let due_date = self.family.due_date(account_id).await?;
        let facts = FamilyFacts {
            pregnancies: due_date
                .map(|due_date| Pregnancy {
                    key: format!("{account_id}:{due_date}"),
                    due_date,
                })
                .into_iter()
                .collect(),
            children: children
                .into_iter()
                .map(|child| ChildFacts {
                    child_id: child.child_id,
                    given_name: child.details.given_name,
                    birth_date: child.details.birth_date,
                })
                .collect(),
        };
        let to = today.saturating_add(UPCOMING_DAYS.days());
        let off = self.turned_off(account_id).await?;
        let mut messages = timeline(&self.schedule, &facts, today, to);
        messages.retain(|message| !off.contains(&message.category));
        Ok(messages)
    }

    /// The name of `category` in `lang` (its id when the schedule does not know it).
    pub fn category_name(&self, category: &str, lang: crate::i18n::Lang) -> String {
        self.categories()
            .iter()
            .find(|known| known.id == category)
            .map_or_else(
                || category.to_owned(),
                |known| known.name.get(lang).to_owned(),
            )
    }
}
