//! The store seams of the delivery engine: the durable notification outbox
//! ([`DeliveryStore`]), each citizen's channel choices, and LINE account links
//! ([`LineLinkStore`]).

use async_trait::async_trait;
use jiff::Timestamp;
use uuid::Uuid;

use super::StoreError;
use crate::domain::{
    AccountId,
    notify::{Channel, ChannelChoice, Service},
};

/// Who a delivery goes to, before each citizen's channel choices are applied. Each variant is
/// resolved by the store in the transaction that creates the delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// The citizens who want this 分野 of 市からのお知らせ.
    Category(String),
    /// These accounts (chosen by a rule elsewhere).
    Accounts(Vec<AccountId>),
    /// These accounts, each to get the content in its own language code (an alert's: `vi`,
    /// `ja-easy` …), not the language of their pages; a code without content gets Japanese.
    AccountsIn(Vec<(AccountId, String)>),
    /// The guardians a school notice was posted to (chosen when it was posted).
    SchoolNotice(Uuid),
}

/// What a delivery was made for; it is delivered once per source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A 市からのお知らせ announcement (marked delivered in the same transaction).
    Announcement(Uuid),
    /// A notice of a school (marked delivered in the same transaction).
    SchoolNotice(Uuid),
    /// The reminder of a collection day for one area's citizens in one slot (the slot is
    /// marked done, and each recipient reminded of its day, in the same transaction).
    GarbageReminder(super::Slot, i64),
    /// Anything else with an id of its own (a test message …).
    Other(&'static str, Uuid),
}

impl Source {
    /// The unique text stored for it.
    pub fn key(&self) -> String {
        match self {
            Source::Announcement(id) => format!("announcement:{id}"),
            Source::SchoolNotice(id) => format!("school_notice:{id}"),
            Source::GarbageReminder(slot, area_id) => format!(
                "garbage:{area_id}:{}:{}:{}",
                slot.date,
                slot.remind.as_str(),
                slot.hour
            ),
            Source::Other(kind, id) => format!("{kind}:{id}"),
        }
    }
}

/// A message rendered in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    /// The language code: a page language (`ja`, `en`), or for an alert any of its
    /// languages (`ja-easy`, `vi` …); a recipient whose code has no content gets `ja`.
    pub lang: String,
    /// Mail subject.
    pub subject: String,
    /// Mail text/plain part.
    pub text: String,
    /// Mail text/html part.
    pub html: String,
    /// The LINE text message.
    pub line_text: String,
    /// Quick-reply buttons under the LINE message (an alert's one-tap answers).
    pub line_actions: Vec<LineAction>,
}

/// A LINE quick-reply button that answers with a postback.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineAction {
    /// The button's label (LINE shows up to 20 characters).
    pub label: String,
    /// The postback data the webhook receives.
    pub data: String,
}

/// A delivery to create.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// Its id (UUIDv7).
    pub delivery_id: Uuid,
    /// The message kind (`announcement`, `school_notice` …), for the staff's list.
    pub kind: &'static str,
    /// Whose channel choices apply.
    pub service: Service,
    /// What it was made for.
    pub source: Source,
    /// A title for the staff's list.
    pub title: String,
    /// The message in every language a recipient may have (`ja` at least: the fallback).
    pub contents: Vec<Content>,
    /// Who gets it.
    pub audience: Audience,
}

/// One email to hand over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailJob {
    /// The recipient row.
    pub recipient_id: i64,
    /// Its delivery.
    pub delivery_id: Uuid,
    /// The address.
    pub address: String,
    /// The language of its content.
    pub lang: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// When the delivery was made (the mail's Date).
    pub created_at: Timestamp,
}

/// One LINE request's worth of recipients: same delivery, same language, at most 500. Its
/// `batch_id` is the request's `X-Line-Retry-Key` and never changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineBatch {
    /// The retry key.
    pub batch_id: Uuid,
    /// Its delivery.
    pub delivery_id: Uuid,
    /// The language of its content.
    pub lang: String,
    /// `(recipient_id, LINE user id)`.
    pub recipients: Vec<(i64, String)>,
    /// Failed attempts so far (the most of its recipients').
    pub attempts: u32,
}

/// Recipients of one delivery on one channel in one state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct StateCounts {
    /// Waiting to be handed over (or being handed over).
    pub queued: u64,
    /// Handed over.
    pub sent: u64,
    /// Given up (dead letters).
    pub dead: u64,
}

/// A delivery as the staff's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliverySummary {
    /// Its id.
    pub delivery_id: Uuid,
    /// The message kind.
    pub kind: String,
    /// Whose channel choices applied.
    pub service: String,
    /// Its title.
    pub title: String,
    /// When it was made (recipients chosen).
    pub created_at: Timestamp,
    /// By email.
    pub email: StateCounts,
    /// By LINE.
    pub line: StateCounts,
}

/// One recipient's state, for the staff's dead-letter list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientStatus {
    /// The recipient row.
    pub recipient_id: i64,
    /// The channel.
    pub channel: Channel,
    /// The address (email, or LINE user id).
    pub address: String,
    /// `queued`, `sent` or `dead`.
    pub state: String,
    /// Attempts so far.
    pub attempts: u32,
    /// The last failure.
    pub last_error: Option<String>,
    /// When it was handed over.
    pub sent_at: Option<Timestamp>,
}

/// The durable notification outbox. A delivery and all of its recipients are written in one
/// transaction; each recipient row then goes queued → sent, or → dead after its retries.
/// Claims are leases, so two portal instances never hand over the same row at once.
#[async_trait]
pub trait DeliveryStore: Send + Sync + 'static {
    /// Creates a delivery and chooses its recipients (the audience × each citizen's channel
    /// choice × LINE links), all due at `now`; returns how many recipient rows were made, or
    /// `None` (and changes nothing) when its source was delivered already.
    async fn create_delivery(
        &self,
        delivery: NewDelivery,
        now: Timestamp,
    ) -> Result<Option<u64>, StoreError>;

    /// The delivery's content in `lang`, or in Japanese when it has none in `lang`.
    async fn content(&self, delivery_id: Uuid, lang: &str) -> Result<Option<Content>, StoreError>;

    /// Claims up to `limit` due emails until `lease_until`.
    async fn claim_email(
        &self,
        instance: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> Result<Vec<EmailJob>, StoreError>;

    /// Claims up to `limit` due LINE batches (each with its fixed retry key) until
    /// `lease_until`.
    async fn claim_line(
        &self,
        instance: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> Result<Vec<LineBatch>, StoreError>;

    /// Records recipients as handed over.
    async fn mark_sent(&self, recipient_ids: Vec<i64>, now: Timestamp) -> Result<(), StoreError>;

    /// Records a failed attempt: due again at `retry_at`, or dead with `None`; `counts` adds
    /// one to the attempts.
    async fn mark_failed(
        &self,
        recipient_ids: Vec<i64>,
        error: &str,
        retry_at: Option<Timestamp>,
        counts: bool,
    ) -> Result<(), StoreError>;

    /// Makes every row claimed by `instance` due at `now` (it restarted: its claims died
    /// with the old process).
    async fn release_claims(&self, instance: &str, now: Timestamp) -> Result<u64, StoreError>;

    /// The earliest time a row on `channel` is due.
    async fn next_due(&self, channel: Channel) -> Result<Option<Timestamp>, StoreError>;

    /// The newest deliveries with their counts.
    async fn deliveries(&self, limit: u32) -> Result<Vec<DeliverySummary>, StoreError>;

    /// One delivery with its counts.
    async fn delivery(&self, delivery_id: Uuid) -> Result<Option<DeliverySummary>, StoreError>;

    /// A delivery's recipients in `state` (all states with `None`), at most `limit`.
    async fn recipients(
        &self,
        delivery_id: Uuid,
        state: Option<&'static str>,
        limit: u32,
    ) -> Result<Vec<RecipientStatus>, StoreError>;

    /// Queues a delivery's dead letters again (they keep their LINE retry keys); returns how
    /// many.
    async fn resend_dead(&self, delivery_id: Uuid, now: Timestamp) -> Result<u64, StoreError>;

    /// A citizen's channel choices, for every service (the default where none is stored).
    async fn channel_choices(
        &self,
        account_id: AccountId,
    ) -> Result<Vec<(Service, ChannelChoice)>, StoreError>;

    /// Replaces a citizen's channel choices.
    async fn set_channel_choices(
        &self,
        account_id: AccountId,
        choices: Vec<(Service, ChannelChoice)>,
    ) -> Result<(), StoreError>;
}

/// The outcome of using an account-link nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    /// Linked: this account to this LINE user (a previous link of either was replaced).
    Linked(AccountId),
    /// No such nonce, already used, or expired.
    UnknownNonce,
}

/// LINE account links, link nonces and the webhook events already handled.
#[async_trait]
pub trait LineLinkStore: Send + Sync + 'static {
    /// Stores a nonce (its SHA-256) for `account_id`, valid until `expires_at`.
    async fn create_link_nonce(
        &self,
        nonce_hash: [u8; 32],
        account_id: AccountId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError>;

    /// Uses a nonce once and links its account to `line_user_id`, in one transaction.
    async fn link_with_nonce(
        &self,
        nonce_hash: [u8; 32],
        line_user_id: &str,
        now: Timestamp,
    ) -> Result<LinkOutcome, StoreError>;

    /// The LINE user an account is linked to.
    async fn line_user(&self, account_id: AccountId) -> Result<Option<String>, StoreError>;

    /// Removes an account's link; returns the LINE user it was linked to.
    async fn unlink_account(&self, account_id: AccountId) -> Result<Option<String>, StoreError>;

    /// The account a LINE user is linked to.
    async fn account_of_line_user(
        &self,
        line_user_id: &str,
    ) -> Result<Option<AccountId>, StoreError>;

    /// Removes the link of a LINE user (it unfollowed); returns the account it was linked to.
    async fn unlink_line_user(&self, line_user_id: &str) -> Result<Option<AccountId>, StoreError>;

    /// Records a webhook event id; `false` when it was seen before (a redelivery). Forgets
    /// ids older than `forget_before`.
    async fn first_sight(
        &self,
        webhook_event_id: &str,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Forgets a webhook event id whose handling failed, so LINE's redelivery is handled.
    async fn forget_event(&self, webhook_event_id: &str) -> Result<(), StoreError>;
}
