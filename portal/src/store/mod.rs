//! The store: traits the rest of the portal reaches the database through, and their SQLite
//! implementation in [`sqlite`]. Nothing above these traits assumes SQLite, so a PostgreSQL
//! implementation can stand beside it for a city that runs two portal instances.
//!
//! Operations that must happen together (create an account *and* queue its verification mail;
//! use a token *and* apply its effect) are single trait methods, so each is one transaction.

mod alert_log;
mod alerts;
mod categories;
mod checkin;
mod garbage;
mod health;
mod kosodate_events;
mod library;
mod notify;
mod schools;
pub mod sqlite;
mod timely;
mod types;

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};

pub use alert_log::*;
pub use alerts::*;
pub use categories::*;
pub use checkin::*;
pub use garbage::*;
pub use health::*;
pub use kosodate_events::*;
pub use library::*;
pub use notify::*;
pub use schools::*;
pub use timely::*;
pub use types::*;

use shimin_sync::ids::CenterId;

use crate::domain::{AccountId, ChildId, Email, Role, centers::ValidCenter, family::ValidChild};

/// A failure of the store itself (not of the caller's input).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database answered with an error.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// The blocking task running the query panicked or was cancelled.
    #[error("database task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The stored data is not what this version expects.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// Opening or migrating the database failed.
    #[error("{0}")]
    Setup(String),
}

/// Accounts, their roles and their single-use mail tokens.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates an account with its first token and mail, atomically. Returns `false` (and
    /// changes nothing) when the email is already registered.
    async fn create_account(
        &self,
        account: NewAccount,
        token: Option<NewStoredToken>,
        mail: Option<OutgoingMail>,
    ) -> Result<bool, StoreError>;

    /// The account with this email (case-insensitive), with its password hash.
    async fn find_by_email(&self, email: &Email) -> Result<Option<Credentials>, StoreError>;

    /// The account with this id, with its password hash.
    async fn get(&self, account_id: AccountId) -> Result<Option<Credentials>, StoreError>;

    /// Stores a new single-use token and queues its mail, atomically.
    async fn issue_token(
        &self,
        token: NewStoredToken,
        mail: OutgoingMail,
    ) -> Result<(), StoreError>;

    /// Uses a token once and applies its effect in the same transaction.
    async fn use_token(
        &self,
        token_hash: [u8; 32],
        purpose: crate::domain::tokens::TokenPurpose,
        effect: TokenEffect,
        now: Timestamp,
    ) -> Result<TokenOutcome, StoreError>;

    /// Changes 姓 and 名.
    async fn update_name(
        &self,
        account_id: AccountId,
        family_name: &str,
        given_name: &str,
    ) -> Result<(), StoreError>;

    /// Replaces the password hash and ends every session except `keep_session`.
    async fn set_password(
        &self,
        account_id: AccountId,
        password_hash: &str,
        keep_session: Option<[u8; 32]>,
    ) -> Result<(), StoreError>;

    /// Sets the language mail is written in.
    async fn set_lang(&self, account_id: AccountId, lang: &str) -> Result<(), StoreError>;

    /// Deletes the account and everything that belongs to it (sessions, tokens, roles, queued
    /// and sent mail to its address), then queues `farewell`, atomically.
    async fn delete_account(
        &self,
        account_id: AccountId,
        farewell: Option<OutgoingMail>,
    ) -> Result<(), StoreError>;

    /// Replaces an account's roles, recording who did it.
    async fn set_roles(
        &self,
        account_id: AccountId,
        roles: &[Role],
        by: Option<AccountId>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Every account that holds at least one role, by family name.
    async fn list_staff(&self) -> Result<Vec<Account>, StoreError>;

    /// Queues a mail on its own (e.g. "this address is already registered").
    async fn queue_mail(&self, mail: OutgoingMail) -> Result<(), StoreError>;

    /// How many accounts exist, by status (for `/metrics`).
    async fn count_accounts(&self) -> Result<Vec<(AccountStatus, u64)>, StoreError>;
}

/// こども情報 and 出産予定日, always scoped to the guardian's account.
#[async_trait]
pub trait FamilyStore: Send + Sync + 'static {
    /// The guardian's children, oldest first.
    async fn children(&self, account_id: AccountId) -> Result<Vec<Child>, StoreError>;

    /// Registers a child.
    async fn add_child(
        &self,
        account_id: AccountId,
        child: ValidChild,
        now: Timestamp,
    ) -> Result<ChildId, StoreError>;

    /// Replaces a child's details; `false` when the child is not this guardian's.
    async fn update_child(
        &self,
        account_id: AccountId,
        child_id: ChildId,
        child: ValidChild,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Removes a child; `false` when the child is not this guardian's.
    async fn delete_child(
        &self,
        account_id: AccountId,
        child_id: ChildId,
    ) -> Result<bool, StoreError>;

    /// The guardian's 出産予定日, if registered.
    async fn due_date(&self, account_id: AccountId) -> Result<Option<Date>, StoreError>;

    /// Sets or (with `None`) removes the 出産予定日.
    async fn set_due_date(
        &self,
        account_id: AccountId,
        due_date: Option<Date>,
        now: Timestamp,
    ) -> Result<(), StoreError>;
}

/// 子育て支援センター and their staff.
#[async_trait]
pub trait CenterStore: Send + Sync + 'static {
    /// Every center, by id.
    async fn centers(&self) -> Result<Vec<Center>, StoreError>;

    /// Creates a center; `false` (nothing changed) when the id is taken.
    async fn create_center(&self, center: ValidCenter, now: Timestamp) -> Result<bool, StoreError>;

    /// Replaces a center's details (not its id); `false` when there is no such center.
    async fn update_center(&self, center: ValidCenter, now: Timestamp) -> Result<bool, StoreError>;

    /// Assigns (or with `false` removes) a staff member to a center.
    async fn set_center_staff(
        &self,
        center_id: &CenterId,
        account_id: AccountId,
        assigned: bool,
    ) -> Result<(), StoreError>;

    /// The staff of a center.
    async fn center_staff(&self, center_id: &CenterId) -> Result<Vec<Account>, StoreError>;
}

/// Browser sessions and API bearer tokens.
#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Stores a new session.
    async fn create_session(&self, session: NewSession) -> Result<(), StoreError>;

    /// The live session with this token hash and its account. Slides the expiry when it was
    /// last extended long enough ago (so a busy session does not write on every request).
    async fn find_session(
        &self,
        token_hash: [u8; 32],
        now: Timestamp,
    ) -> Result<Option<(Account, SessionInfo)>, StoreError>;

    /// Ends one session (logout).
    async fn delete_session(&self, token_hash: [u8; 32]) -> Result<(), StoreError>;

    /// Removes expired sessions and tokens; returns how many rows went.
    async fn purge_expired(&self, now: Timestamp) -> Result<u64, StoreError>;
}

/// The durable mail outbox: mail is written here in the same transaction as the change that
/// causes it, and a worker hands it to the transport.
#[async_trait]
pub trait MailOutbox: Send + Sync + 'static {
    /// Claims mail that is due at `now`, oldest first: the claimed rows are not due again
    /// until `lease_until`, so two portal instances never hand over the same mail, and a
    /// worker that dies mid-send leaves its mail to be retried when the lease ends.
    async fn claim_due_mail(
        &self,
        instance: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> Result<Vec<QueuedMail>, StoreError>;

    /// Makes every unsent mail claimed by `instance` due at `now` again: called when that
    /// instance starts, since whatever it claimed before was lost with the old process.
    async fn release_claims(&self, instance: &str, now: Timestamp) -> Result<u64, StoreError>;

    /// Every queued, sent or dead mail to `address` (case-insensitive), oldest first, for the
    /// staff's delivery view and for tests.
    async fn mail_to(&self, address: &str) -> Result<Vec<QueuedMail>, StoreError>;

    /// Records a successful hand-over.
    async fn mark_sent(&self, mail_id: uuid::Uuid, now: Timestamp) -> Result<(), StoreError>;

    /// Records a failed attempt; `retry_at` of `None` gives up (dead letter).
    async fn mark_failed(
        &self,
        mail_id: uuid::Uuid,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<(), StoreError>;

    /// The earliest time any unsent mail is due, if there is one.
    async fn next_due(&self) -> Result<Option<Timestamp>, StoreError>;

    /// Deletes the bodies of mail handed over before `before` (they hold personal data).
    async fn purge_sent(&self, before: Timestamp) -> Result<u64, StoreError>;
}
