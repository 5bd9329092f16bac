//! 子育てイベントカレンダー, the portal's service over the pure rules of [`crate::events`]:
//! staff of the 子育て支援センター and the health office publish, edit and call off events;
//! citizens browse them, apply where applying is needed (a waiting list when full) and cancel.
//! A family moved up from the waiting list is told through the delivery engine.

use std::sync::Arc;

use jiff::{Timestamp, civil::Date};
use uuid::Uuid;

use crate::{
    clock::{Clock, tokyo_date_time},
    domain::{AccountId, Role, notify::Service},
    events::{
        ApplyError, Event, EventDraft, EventDraftError, EventId, Placement, check_event, ics,
    },
    notify::{Notice, Notifier},
    store::{
        Account, Audience, EventApplicant, EventApplyOutcome, EventCancelOutcome, EventStore,
        Source, StoreError, StoredEvent,
    },
};

mod words;

pub use words::{day_ja, draft_of, when_ja};

/// Why an event change or an application did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EventsError {
    /// The form has errors, each beside its field; nothing changed.
    #[error("invalid event: {0:?}")]
    Invalid(Vec<EventDraftError>),
    /// The application was refused; nothing changed.
    #[error("{0}")]
    Refused(ApplyError),
    /// Cancelling an application that was not made.
    #[error("not applied")]
    NotApplied,
    /// Cancelling after the event started.
    #[error("the event has started")]
    Started,
    /// No such event (or it was called off).
    #[error("no such event")]
    NotFound,
    /// Not staff who publish events.
    #[error("not event staff")]
    Forbidden,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether `account` publishes events: 子育て支援センター staff, the health office, admins.
pub fn is_event_staff(account: &Account) -> bool {
    [Role::Center, Role::Health, Role::Admin]
        .iter()
        .any(|role| account.has_role(*role))
}

/// The service. Cheap to clone.
#[derive(Clone)]
pub struct KosodateEvents {
    store: Arc<dyn EventStore>,
    notifier: Notifier,
    clock: Arc<dyn Clock>,
}

impl KosodateEvents {
    /// The service over `store`, telling promoted families through `notifier`.
    pub fn new(store: Arc<dyn EventStore>, notifier: Notifier, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            notifier,
            clock,
        }
    }

    /// Today in Asia/Tokyo.
    pub fn today(&self) -> Date {
        self.clock.today()
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Checks that `by` publishes events.
    pub fn require_staff(&self, by: &Account) -> Result<(), EventsError> {
        if is_event_staff(by) {
            Ok(())
        } else {
            Err(EventsError::Forbidden)
        }
    }

    /// Publishes the event `draft` describes; its id.
    pub async fn publish(&self, by: &Account, draft: &EventDraft) -> Result<EventId, EventsError> {
        self.require_staff(by)?;
        let event_id = EventId(Uuid::now_v7().to_string());
        let event = check_event(event_id.clone(), draft).map_err(EventsError::Invalid)?;
        self.store
            .save_event(event, by.account_id, self.clock.now())
            .await?;
        tracing::info!(%event_id, by = %by.account_id, "event published");
        Ok(event_id)
    }

    /// Replaces an event's details; a larger capacity moves waiting families up (told).
    pub async fn update(
        &self,
        by: &Account,
        event_id: &EventId,
        draft: &EventDraft,
    ) -> Result<(), EventsError> {
        self.require_staff(by)?;
        let event = check_event(event_id.clone(), draft).map_err(EventsError::Invalid)?;
        let promoted = self
            .store
            .update_event(event.clone(), self.clock.now())
            .await?
            .ok_or(EventsError::NotFound)?;
        self.tell_promoted(&event, promoted).await;
        Ok(())
    }

    /// Calls an event off (中止): it leaves the calendar and the feed.
    pub async fn call_off(&self, by: &Account, event_id: &EventId) -> Result<(), EventsError> {
        self.require_staff(by)?;
        if self.store.cancel_event(event_id, self.clock.now()).await? {
            Ok(())
        } else {
            Err(EventsError::NotFound)
        }
    }

    /// Every event with a day from `from` to `until`, called off ones too (for staff).
    pub async fn all_between(
        &self,
        from: Date,
        until: Option<Date>,
    ) -> Result<Vec<StoredEvent>, EventsError> {
        Ok(self.store.events_between(from, until).await?)
    }

    /// The events held (not called off) with a day from `from` to `until`.
    pub async fn between(
        &self,
        from: Date,
        until: Option<Date>,
    ) -> Result<Vec<StoredEvent>, EventsError> {
        let mut events = self.all_between(from, until).await?;
        events.retain(|stored| stored.cancelled_at.is_none());
        Ok(events)
    }

    /// One event, called off or not.
    pub async fn event(&self, event_id: &EventId) -> Result<StoredEvent, EventsError> {
        self.store
            .event(event_id)
            .await?
            .ok_or(EventsError::NotFound)
    }

    /// Where `citizen` stands for an event, if they applied.
    pub async fn placement(
        &self,
        event_id: &EventId,
        citizen: &Account,
    ) -> Result<Option<Placement>, EventsError> {
        Ok(self.store.placement(event_id, citizen.account_id).await?)
    }

    /// Who applied, with names, for staff.
    pub async fn applicants(
        &self,
        by: &Account,
        event_id: &EventId,
    ) -> Result<Vec<EventApplicant>, EventsError> {
        self.require_staff(by)?;
        Ok(self.store.applicants(event_id).await?)
    }

    /// Applies `citizen` for an event: confirmed while there is room, else waiting.
    pub async fn apply(
        &self,
        citizen: &Account,
        event_id: &EventId,
    ) -> Result<Placement, EventsError> {
        match self
            .store
            .apply(event_id, citizen.account_id, self.clock.now())
            .await?
        {
            EventApplyOutcome::Placed(placement) => Ok(placement),
            EventApplyOutcome::Refused(refused) => Err(EventsError::Refused(refused)),
            EventApplyOutcome::NoEvent => Err(EventsError::NotFound),
        }
    }

    /// Cancels `citizen`'s application; the first waiting family takes the place (told).
    pub async fn cancel(&self, citizen: &Account, event_id: &EventId) -> Result<(), EventsError> {
        let outcome = self
            .store
            .cancel_application(event_id, citizen.account_id, self.clock.now())
            .await?;
        match outcome {
            EventCancelOutcome::Cancelled { promoted } => {
                if !promoted.is_empty() {
                    let stored = self.event(event_id).await?;
                    self.tell_promoted(&stored.event, promoted).await;
                }
                Ok(())
            }
            EventCancelOutcome::NotApplied => Err(EventsError::NotApplied),
            EventCancelOutcome::Started => Err(EventsError::Started),
        }
    }

    /// The iCalendar feed of the events held from today on.
    pub async fn feed(&self) -> Result<String, EventsError> {
        let stored = self.between(self.today(), None).await?;
        let events: Vec<Event> = stored.into_iter().map(|s| s.event).collect();
        let upcoming = crate::events::upcoming(&events, self.today());
        let base = self.notifier.base_url().to_owned();
        let host = base.split("://").nth(1).unwrap_or("portal").to_owned();
        Ok(ics::calendar(
            "子育てイベントカレンダー",
            &upcoming,
            &host,
            |event| format!("{base}/kosodate/events/{}", event.event_id),
            self.clock.now(),
        ))
    }

    /// Tells the families moved up from the waiting list that they have a place. The change
    /// is kept already; a failure to make the delivery is logged here and goes no further.
    async fn tell_promoted(&self, event: &Event, promoted: Vec<AccountId>) {
        if promoted.is_empty() {
            return;
        }
        let count = promoted.len();
        let notice = self.promoted_notice(event);
        let source = Source::Other("event_promoted", Uuid::now_v7());
        match self
            .notifier
            .deliver(
                "event_promoted",
                source,
                &notice,
                Audience::Accounts(promoted),
            )
            .await
        {
            Ok(_) => tracing::info!(event_id = %event.event_id, count, "waiting families moved up"),
            Err(error) => {
                tracing::error!(%error, event_id = %event.event_id, "telling moved-up families failed")
            }
        }
    }

    /// The notice to a family whose キャンセル待ち became a place.
    pub fn promoted_notice(&self, event: &Event) -> Notice {
        let base = self.notifier.base_url();
        Notice {
            service: Service::Kosodate,
            sender: "子育てイベントカレンダー".to_owned(),
            title: format!("【申込確定】{}", event.title),
            body: format!(
                "キャンセル待ちでお申し込みの「{}」に空きが出たため、申込が確定しました。\n\n\
                 日時: {}\n会場: {}\n\nご都合が悪くなった場合は、イベントのページから申込を\
                 取り消してください。",
                event.title,
                when_ja(&event.time),
                event.place
            ),
            link: None,
            attachment: None,
            read_url: format!("{base}/kosodate/events/{}", event.event_id),
            urgent: false,
            date: tokyo_date_time(self.clock.now()),
        }
    }
}
