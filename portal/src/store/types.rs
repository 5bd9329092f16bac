//! The values that cross the store traits.

use jiff::Timestamp;
use uuid::Uuid;

use crate::domain::{AccountId, Email, Role, tokens::TokenPurpose};

/// Whether an account can log in yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    /// Registered, waiting for the verification link (or an invited staff member who has not
    /// set a password yet).
    Pending,
    /// Verified: can log in.
    Active,
}

impl AccountStatus {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Pending => "pending",
            AccountStatus::Active => "active",
        }
    }
}

/// An account as the rest of the portal sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Its id.
    pub account_id: AccountId,
    /// Its login and mail address.
    pub email: Email,
    /// 姓
    pub family_name: String,
    /// 名
    pub given_name: String,
    /// Pending or active.
    pub status: AccountStatus,
    /// The language of its mail (`ja` or `en`).
    pub lang: String,
    /// Staff roles; empty for a citizen.
    pub roles: Vec<Role>,
    /// When it registered.
    pub created_at: Timestamp,
}

impl Account {
    /// Whether the account holds `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// An account with its password hash, for login checks.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The account.
    pub account: Account,
    /// argon2id PHC string; `None` for an invited staff member who has not set one.
    pub password_hash: Option<String>,
}

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// New id.
    pub account_id: AccountId,
    /// Normalised address.
    pub email: Email,
    /// 姓
    pub family_name: String,
    /// 名
    pub given_name: String,
    /// argon2id hash, if a password is known yet.
    pub password_hash: Option<String>,
    /// Pending until verified.
    pub status: AccountStatus,
    /// Mail language.
    pub lang: String,
    /// Roles to grant at once (staff invitations, `portal admin create`).
    pub roles: Vec<Role>,
    /// Now.
    pub created_at: Timestamp,
    /// When the privacy policy and terms were accepted, if by the person themself.
    pub terms_accepted_at: Option<Timestamp>,
}

/// A single-use token to store (its secret went into a mail).
#[derive(Debug, Clone)]
pub struct NewStoredToken {
    /// SHA-256 of the secret.
    pub token_hash: [u8; 32],
    /// Whose token.
    pub account_id: AccountId,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// For an email change: the new address.
    pub new_email: Option<Email>,
    /// Now.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// What using a token does, applied in the same transaction.
#[derive(Debug, Clone)]
pub enum TokenEffect {
    /// Makes the account active (registration verified).
    Activate,
    /// Sets a password hash, activates the account and ends every session.
    SetPassword(String),
    /// Moves the account to the token's new email address.
    ChangeEmail,
}

/// The result of using a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOutcome {
    /// It worked: whose token it was.
    Applied(AccountId),
    /// No such token (or for another purpose).
    Unknown,
    /// Already used.
    Used,
    /// Past its expiry.
    Expired,
    /// An email change whose new address was taken in the meantime.
    EmailTaken,
}

/// A mail to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    /// Id, also the Message-ID's left part and the `.eml` file name, so a retry is the same mail.
    pub mail_id: Uuid,
    /// Recipient address.
    pub to: String,
    /// Subject (UTF-8; encoded on the wire).
    pub subject: String,
    /// text/plain part.
    pub text: String,
    /// text/html part.
    pub html: String,
    /// When it was queued (the Date header).
    pub created_at: Timestamp,
}

/// A queued mail with its delivery state.
#[derive(Debug, Clone)]
pub struct QueuedMail {
    /// The mail.
    pub mail: OutgoingMail,
    /// Attempts so far.
    pub attempts: u32,
}

/// Whether a session is a browser's (cookie) or an API client's (bearer token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// Cookie session of the HTML pages.
    Web,
    /// Bearer token of the JSON API.
    Api,
}

impl SessionKind {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

/// A session to store.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie or bearer token.
    pub token_hash: [u8; 32],
    /// Whose.
    pub account_id: AccountId,
    /// Browser or API.
    pub kind: SessionKind,
    /// Now.
    pub created_at: Timestamp,
    /// Expiry (slid forward on use).
    pub expires_at: Timestamp,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// SHA-256 of its token.
    pub token_hash: [u8; 32],
    /// Browser or API.
    pub kind: SessionKind,
    /// When it ends unless used.
    pub expires_at: Timestamp,
}

/// A registered child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    /// Its id.
    pub child_id: crate::domain::ChildId,
    /// Its number in the account (what a pass names it by): 1, 2, 3…, never reused.
    pub child_no: shimin_sync::ids::ChildNo,
    /// The details.
    pub details: crate::domain::family::ValidChild,
}

/// A 子育て支援センター.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Center {
    /// Its details (the id among them).
    pub details: crate::domain::centers::ValidCenter,
}
