//! What can go wrong in the account service, as the web layer needs to tell it apart.

use crate::{domain::validation::FieldErrors, store::StoreError};

/// Why a mail link did not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// Not a link we issued (mistyped or cut off).
    Unknown,
    /// Already used once.
    Used,
    /// Past its lifetime.
    Expired,
    /// An email change whose address was registered by someone else meanwhile.
    EmailTaken,
}

impl TokenProblem {
    /// The message-catalogue key that explains it.
    pub fn message_key(self) -> &'static str {
        match self {
            TokenProblem::Unknown => "error.link_unknown",
            TokenProblem::Used => "error.link_used",
            TokenProblem::Expired => "error.link_expired",
            TokenProblem::EmailTaken => "error.email_taken_meanwhile",
        }
    }
}

/// An account operation that did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The input has errors; nothing changed.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// Wrong email or password (never says which).
    #[error("wrong email or password")]
    BadCredentials,
    /// Right password, but the registration is not verified yet.
    #[error("account not verified")]
    NotVerified,
    /// A mail link did not work.
    #[error("link: {0:?}")]
    Token(TokenProblem),
    /// The acting account may not do this.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something else failed inside.
    #[error("internal: {0}")]
    Internal(String),
}
