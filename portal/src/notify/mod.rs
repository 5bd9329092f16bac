//! The delivery engine: every service that "届く" (reaches citizens by email or LINE) makes a
//! delivery here. [`Notifier::deliver`] renders the notice in each language ([`render`]) and
//! writes the delivery with all its recipients to the durable outbox in one transaction; the
//! [`worker`]s hand it over. The staff see each delivery's state per channel and resend its
//! dead letters; citizens choose email, LINE or both per service.

pub mod render;
#[cfg(test)]
mod tests;
pub mod worker;

use std::{sync::Arc, time::Duration};

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use crate::{
    accounts::AccountError,
    clock::{Clock, tokyo_date_time},
    domain::{
        AccountId, Role,
        notify::{Channel, ChannelChoice, Service},
    },
    store::{
        Account, Announcement, Audience, CategoryStore, Content, DeliveryStore, DeliverySummary,
        NewDelivery, RecipientStatus, Source, StoreError,
    },
};

pub use render::Notice;

/// Wakes the worker of each channel when there is new work.
#[derive(Debug, Default)]
pub struct Wake {
    email: Notify,
    line: Notify,
}

impl Wake {
    /// The signal of one channel's worker.
    pub fn of(&self, channel: Channel) -> &Notify {
        match channel {
            Channel::Email => &self.email,
            Channel::Line => &self.line,
        }
    }

    /// Wakes both workers (a permit is kept if one is busy, so no wake is lost).
    pub fn both(&self) {
        self.email.notify_one();
        self.line.notify_one();
    }
}

/// How often sources are looked at for what is due and not yet delivered.
const DISPATCH_EVERY: Duration = Duration::from_secs(10);

/// A source of deliveries (announcements, school notices …) that makes the deliveries of
/// whatever is due and not yet delivered. Making one twice is harmless: a source is delivered
/// once.
#[async_trait::async_trait]
pub trait Dispatch: Send + Sync + 'static {
    /// What it delivers, for the log.
    fn name(&self) -> &'static str;

    /// Makes the deliveries now due; returns how many were made.
    async fn dispatch(&self) -> Result<usize, StoreError>;
}

/// Runs every dispatcher every 10 s until `stop`: scheduled announcements go
/// out as their time comes, and whatever a crash left undelivered goes out after a restart.
pub async fn run_dispatchers(dispatchers: Vec<Arc<dyn Dispatch>>, stop: CancellationToken) {
    loop {
        for dispatcher in &dispatchers {
            if let Err(error) = dispatcher.dispatch().await {
                tracing::error!(%error, source = dispatcher.name(), "dispatching failed");
            }
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(DISPATCH_EVERY) => {}
        }
    }
}

#[async_trait::async_trait]
impl Dispatch for Notifier {
    fn name(&self) -> &'static str {
        "announcements"
    }

    async fn dispatch(&self) -> Result<usize, StoreError> {
        self.dispatch_announcements().await
    }
}

/// The delivery engine's service.
#[derive(Clone)]
pub struct Notifier {
    store: Arc<dyn DeliveryStore>,
    categories: Arc<dyn CategoryStore>,
    clock: Arc<dyn Clock>,
    wake: Arc<Wake>,
    city: String,
    base_url: String,
}

/// The staff who see deliveries and resend dead letters.
fn require_sender(by: &Account) -> Result<(), AccountError> {
    if [Role::Admin, Role::Announcements, Role::Disaster]
        .iter()
        .any(|role| by.has_role(*role))
    {
        Ok(())
    } else {
        Err(AccountError::Forbidden("only senders see deliveries"))
    }
}

impl Notifier {
    /// The service; `base_url` is the portal's public address (links in messages).
    pub fn new(
        store: Arc<dyn DeliveryStore>,
        categories: Arc<dyn CategoryStore>,
        clock: Arc<dyn Clock>,
        wake: Arc<Wake>,
        city: String,
        base_url: String,
    ) -> Self {
        Self {
            store,
            categories,
            clock,
            wake,
            city,
            base_url,
        }
    }

    /// The portal's public address, for links in messages.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// Makes a delivery of `notice` to `audience` (once per `source`) and wakes the workers;
    /// returns how many recipient rows were made, `None` when `source` was delivered before.
    pub async fn deliver(
        &self,
        kind: &'static str,
        source: Source,
        notice: &Notice,
        audience: Audience,
    ) -> Result<Option<u64>, StoreError> {
        let contents = render::render_all(notice, &self.city, &self.base_url)
            .map_err(|error| StoreError::Corrupt(format!("rendering a notice: {error}")))?;
        self.deliver_contents(
            kind,
            notice.service,
            source,
            &notice.title,
            contents,
            audience,
        )
        .await
    }

    /// A notice rendered in `lang` (a page language's layout) for this city.
    pub fn render(&self, notice: &Notice, lang: crate::i18n::Lang) -> Result<Content, StoreError> {
        render::render(notice, lang, &self.city, &self.base_url)
            .map_err(|error| StoreError::Corrupt(format!("rendering a notice: {error}")))
    }

    /// Makes a delivery of `contents` (one per language code, Japanese among them) to
    /// `audience` (once per `source`) and wakes the workers; as [`Self::deliver`].
    pub async fn deliver_contents(
        &self,
        kind: &'static str,
        service: Service,
        source: Source,
        title: &str,
        contents: Vec<Content>,
        audience: Audience,
    ) -> Result<Option<u64>, StoreError> {
        let delivery = NewDelivery {
            delivery_id: Uuid::now_v7(),
            kind,
            service,
            source,
            title: title.to_owned(),
            contents,
            audience,
        };
        let delivery_id = delivery.delivery_id;
        let started = std::time::Instant::now();
        let made = self
            .store
            .create_delivery(delivery, self.clock.now())
            .await?;
        if let Some(count) = made {
            // How long choosing the recipients took (the whole transaction): bench-notify reads it.
            let choose_ms = started.elapsed().as_secs_f64() * 1000.0;
            tracing::info!(%delivery_id, kind, recipients = count, choose_ms, "delivery made");
            self.wake.both();
        }
        Ok(made)
    }

    /// The notice of a 市からのお知らせ announcement.
    pub fn announcement_notice(&self, announcement: &Announcement) -> Notice {
        Notice {
            service: Service::Oshirase,
            sender: announcement.category.1.clone(),
            title: announcement.title.clone(),
            body: announcement.body.clone(),
            link: announcement.link.clone(),
            attachment: announcement.attachment.as_ref().map(|(name, _, _)| {
                let url = format!(
                    "{}/oshirase/{}/attachment",
                    self.base_url.trim_end_matches('/'),
                    announcement.announcement_id
                );
                (name.clone(), url)
            }),
            read_url: format!(
                "{}/oshirase/{}",
                self.base_url.trim_end_matches('/'),
                announcement.announcement_id
            ),
            urgent: false,
            date: tokyo_date_time(announcement.publish_at),
        }
    }

    /// Delivers every announcement whose time has come to the citizens who want its 分野;
    /// returns how many were delivered. Safe on two instances: each is delivered once.
    pub async fn dispatch_announcements(&self) -> Result<usize, StoreError> {
        let due = self
            .categories
            .undelivered_announcements(self.clock.now(), 50)
            .await?;
        let mut delivered = 0;
        for announcement in due {
            let notice = self.announcement_notice(&announcement);
            let audience = Audience::Category(announcement.category.0.clone());
            let source = Source::Announcement(announcement.announcement_id);
            if self
                .deliver("announcement", source, &notice, audience)
                .await?
                .is_some()
            {
                delivered += 1;
            }
        }
        Ok(delivered)
    }

    /// The newest deliveries, for the staff.
    pub async fn deliveries(&self, by: &Account) -> Result<Vec<DeliverySummary>, AccountError> {
        require_sender(by)?;
        Ok(self.store.deliveries(100).await?)
    }

    /// One delivery with its dead letters and (the first) recipients still waiting.
    pub async fn delivery(
        &self,
        by: &Account,
        delivery_id: Uuid,
    ) -> Result<Option<(DeliverySummary, Vec<RecipientStatus>)>, AccountError> {
        require_sender(by)?;
        let Some(summary) = self.store.delivery(delivery_id).await? else {
            return Ok(None);
        };
        let dead = self
            .store
            .recipients(delivery_id, Some("dead"), 200)
            .await?;
        Ok(Some((summary, dead)))
    }

    /// One delivery's counts, for a service that checked the reader's role itself.
    pub(crate) async fn summary(
        &self,
        delivery_id: Uuid,
    ) -> Result<Option<DeliverySummary>, StoreError> {
        self.store.delivery(delivery_id).await
    }

    /// Queues a delivery's dead letters again; returns how many.
    pub async fn resend(&self, by: &Account, delivery_id: Uuid) -> Result<u64, AccountError> {
        require_sender(by)?;
        let count = self
            .store
            .resend_dead(delivery_id, self.clock.now())
            .await?;
        if count > 0 {
            tracing::info!(%delivery_id, count, by = %by.account_id, "dead letters queued again");
            self.wake.both();
        }
        Ok(count)
    }

    /// A citizen's channel choices per service.
    pub async fn choices(
        &self,
        account_id: AccountId,
    ) -> Result<Vec<(Service, ChannelChoice)>, StoreError> {
        self.store.channel_choices(account_id).await
    }

    /// Replaces a citizen's channel choices.
    pub async fn set_choices(
        &self,
        account_id: AccountId,
        choices: Vec<(Service, ChannelChoice)>,
    ) -> Result<(), StoreError> {
        self.store.set_channel_choices(account_id, choices).await
    }
}
