//! The account service: registration (登録手順2), verification, login, password reset, changes
//! of name, email and password, withdrawal (退会), and staff accounts ([`staff`]).
//!
//! It orchestrates the store traits, the clock and the mail composer; the web pages and the
//! JSON API are thin shells over it. Two rules hold throughout: no answer reveals whether an
//! email is registered, and every change that sends mail queues that mail in the same
//! transaction (so a crash cannot lose the mail or send it for a change that did not happen).

mod changes;
mod errors;
pub mod staff;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use tokio::sync::Notify;

pub use errors::{AccountError, TokenProblem};

use crate::{
    clock::Clock,
    domain::{
        AccountId, Email, password,
        tokens::{self, TokenPurpose},
        validation::{self, FieldErrors, RegistrationInput},
    },
    i18n::Lang,
    mail::compose::{MailKind, compose},
    store::{
        Account, AccountStatus, AccountStore, NewAccount, NewSession, NewStoredToken, SessionInfo,
        SessionKind, SessionStore, TokenEffect, TokenOutcome,
    },
};

/// The account service.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn AccountStore>,
    sessions: Arc<dyn SessionStore>,
    clock: Arc<dyn Clock>,
    city: String,
    base_url: String,
    mail_wake: Arc<Notify>,
}

/// Hashes off the async runtime (argon2id takes tens of milliseconds of CPU).
async fn hash_password(password: String) -> Result<String, AccountError> {
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|error| AccountError::Internal(error.to_string()))?
        .map_err(|error| AccountError::Internal(error.to_string()))
}

/// Verifies off the async runtime. Without a stored hash it still does the work, so timing
/// does not tell whether the account exists.
async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AccountError> {
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => password::verify(&password, &hash),
        None => {
            password::verify(&password, &password::DUMMY_HASH);
            false
        }
    })
    .await
    .map_err(|error| AccountError::Internal(error.to_string()))
}

fn display_name(account: &Account) -> String {
    format!("{} {}", account.family_name, account.given_name)
}

impl Accounts {
    /// A service over these stores. `base_url` starts the links in mail; `mail_wake` is
    /// notified whenever mail is queued.
    pub fn new(
        store: Arc<dyn AccountStore>,
        sessions: Arc<dyn SessionStore>,
        clock: Arc<dyn Clock>,
        city: String,
        base_url: String,
        mail_wake: Arc<Notify>,
    ) -> Self {
        Self {
            store,
            sessions,
            clock,
            city,
            base_url,
            mail_wake,
        }
    }

    /// The account store (for counts in `/metrics`).
    pub fn store(&self) -> &dyn AccountStore {
        self.store.as_ref()
    }

    /// The city's name.
    pub fn city(&self) -> &str {
        &self.city
    }

    /// The portal's public base URL (no trailing slash), for absolute links.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn link(&self, path: &str, secret: &str) -> String {
        format!("{}{path}?token={secret}", self.base_url)
    }

    fn mail(
        &self,
        kind: &MailKind,
        lang: Lang,
        to: &str,
        name: &str,
    ) -> Result<crate::store::OutgoingMail, AccountError> {
        compose(kind, lang, &self.city, to, name, self.clock.now())
            .map_err(|error| AccountError::Internal(error.to_string()))
    }

    fn token(
        &self,
        account_id: AccountId,
        purpose: TokenPurpose,
        new_email: Option<Email>,
    ) -> Result<(String, NewStoredToken), AccountError> {
        let now = self.clock.now();
        let token = tokens::new_token();
        let expires_at = now
            .checked_add(purpose.lifetime())
            .map_err(|error| AccountError::Internal(error.to_string()))?;
        Ok((
            token.secret,
            NewStoredToken {
                token_hash: token.hash,
                account_id,
                purpose,
                new_email,
                created_at: now,
                expires_at,
            },
        ))
    }

    fn mail_queued(&self) {
        self.mail_wake.notify_one();
    }

    /// 利用者登録: checks the input, creates a pending account and queues the 本登録確認 mail.
    /// For an address that is already registered it queues a different mail to that address
    /// and answers exactly the same, so the answer reveals nothing.
    pub async fn register(
        &self,
        input: &RegistrationInput,
        lang: Lang,
    ) -> Result<(), AccountError> {
        let valid = validation::registration(input).map_err(AccountError::Invalid)?;
        let name = format!("{} {}", valid.family_name, valid.given_name);
        let password_hash = hash_password(valid.password.clone()).await?;
        let account_id = AccountId::new();
        let (secret, token) = self.token(account_id, TokenPurpose::Verify, None)?;
        let mail = self.mail(
            &MailKind::Verify {
                link: self.link("/verify", &secret),
            },
            lang,
            valid.email.as_str(),
            &name,
        )?;
        let now = self.clock.now();
        let created = self
            .store
            .create_account(
                NewAccount {
                    account_id,
                    email: valid.email.clone(),
                    family_name: valid.family_name,
                    given_name: valid.given_name,
                    password_hash: Some(password_hash),
                    status: AccountStatus::Pending,
                    lang: lang.code().to_owned(),
                    roles: Vec::new(),
                    created_at: now,
                    terms_accepted_at: Some(now),
                },
                Some(token),
                Some(mail),
            )
            .await?;
        if !created {
            self.already_registered(&valid.email, lang).await?;
        }
        self.mail_queued();
        Ok(())
    }

    async fn already_registered(&self, email: &Email, lang: Lang) -> Result<(), AccountError> {
        let Some(existing) = self.store.find_by_email(email).await? else {
            return Ok(());
        };
        if existing.account.status == AccountStatus::Pending {
            // Not verified yet: send a fresh verification link instead.
            return self.send_verification(&existing.account, lang).await;
        }
        let kind = MailKind::AlreadyRegistered {
            login: format!("{}/login", self.base_url),
            reset: format!("{}/password/forgot", self.base_url),
        };
        let account = &existing.account;
        let mail = self.mail(&kind, lang, account.email.as_str(), &display_name(account))?;
        self.store.queue_mail(mail).await?;
        Ok(())
    }

    async fn send_verification(&self, account: &Account, lang: Lang) -> Result<(), AccountError> {
        let (secret, token) = self.token(account.account_id, TokenPurpose::Verify, None)?;
        let kind = MailKind::Verify {
            link: self.link("/verify", &secret),
        };
        let mail = self.mail(&kind, lang, account.email.as_str(), &display_name(account))?;
        self.store.issue_token(token, mail).await?;
        Ok(())
    }

    /// 確認メールの再送信: sends a new verification link if the address has a pending account.
    /// Answers the same whatever the address.
    pub async fn resend_verification(
        &self,
        raw_email: &str,
        lang: Lang,
    ) -> Result<(), AccountError> {
        let mut errors = FieldErrors::default();
        let Some(email) = validation::email(&mut errors, "email", raw_email) else {
            return Err(AccountError::Invalid(errors));
        };
        if let Some(found) = self.store.find_by_email(&email).await?
            && found.account.status == AccountStatus::Pending
            && found.password_hash.is_some()
        {
            self.send_verification(&found.account, lang).await?;
            self.mail_queued();
        }
        Ok(())
    }

    /// Follows a verification link: activates the account.
    pub async fn verify(&self, secret: &str) -> Result<(), AccountError> {
        self.use_token(secret, TokenPurpose::Verify, TokenEffect::Activate)
            .await
            .map(drop)
    }

    async fn use_token(
        &self,
        secret: &str,
        purpose: TokenPurpose,
        effect: TokenEffect,
    ) -> Result<AccountId, AccountError> {
        let outcome = self
            .store
            .use_token(
                tokens::hash_token(secret.trim()),
                purpose,
                effect,
                self.clock.now(),
            )
            .await?;
        match outcome {
            TokenOutcome::Applied(account_id) => Ok(account_id),
            TokenOutcome::Unknown => Err(AccountError::Token(TokenProblem::Unknown)),
            TokenOutcome::Used => Err(AccountError::Token(TokenProblem::Used)),
            TokenOutcome::Expired => Err(AccountError::Token(TokenProblem::Expired)),
            TokenOutcome::EmailTaken => Err(AccountError::Token(TokenProblem::EmailTaken)),
        }
    }

    /// ログイン: checks email and password and opens a session. Returns the account and the
    /// session's secret (the cookie value or the bearer token).
    pub async fn login(
        &self,
        raw_email: &str,
        password: &str,
        kind: SessionKind,
    ) -> Result<(Account, String), AccountError> {
        let found = match Email::parse(raw_email) {
            Ok(email) => self.store.find_by_email(&email).await?,
            Err(_) => None,
        };
        let stored = found.as_ref().and_then(|found| found.password_hash.clone());
        let matches = verify_password(password.to_owned(), stored).await?;
        let Some(found) = found.filter(|_| matches) else {
            return Err(AccountError::BadCredentials);
        };
        if found.account.status != AccountStatus::Active {
            return Err(AccountError::NotVerified);
        }
        let now = self.clock.now();
        let token = tokens::new_token();
        self.sessions
            .create_session(NewSession {
                token_hash: token.hash,
                account_id: found.account.account_id,
                kind,
                created_at: now,
                expires_at: now
                    .checked_add(tokens::SESSION_IDLE)
                    .map_err(|error| AccountError::Internal(error.to_string()))?,
            })
            .await?;
        Ok((found.account, token.secret))
    }

    /// The account behind a session cookie or bearer token, if the session is live.
    pub async fn authenticate(
        &self,
        secret: &str,
    ) -> Result<Option<(Account, SessionInfo)>, AccountError> {
        Ok(self
            .sessions
            .find_session(tokens::hash_token(secret), self.clock.now())
            .await?)
    }

    /// ログアウト: ends the session.
    pub async fn logout(&self, session: &SessionInfo) -> Result<(), AccountError> {
        Ok(self.sessions.delete_session(session.token_hash).await?)
    }

    /// パスワードをお忘れの方: mails a reset link if the address has an account. Answers the
    /// same whatever the address.
    pub async fn request_reset(&self, raw_email: &str, lang: Lang) -> Result<(), AccountError> {
        let mut errors = FieldErrors::default();
        let Some(email) = validation::email(&mut errors, "email", raw_email) else {
            return Err(AccountError::Invalid(errors));
        };
        if let Some(found) = self.store.find_by_email(&email).await? {
            let account = &found.account;
            let (secret, token) = self.token(account.account_id, TokenPurpose::Reset, None)?;
            let kind = MailKind::PasswordReset {
                link: self.link("/password/reset", &secret),
            };
            let mail = self.mail(&kind, lang, account.email.as_str(), &display_name(account))?;
            self.store.issue_token(token, mail).await?;
            self.mail_queued();
        }
        Ok(())
    }

    /// Sets a new password from a reset link. Ends every session of the account, and
    /// activates a pending one (the link proves the address).
    pub async fn reset_password(
        &self,
        secret: &str,
        new: &str,
        confirm: &str,
    ) -> Result<(), AccountError> {
        self.set_password_with_token(secret, TokenPurpose::Reset, new, confirm)
            .await
    }

    /// Checks a new password, then sets it through a single-use link of `purpose`.
    async fn set_password_with_token(
        &self,
        secret: &str,
        purpose: TokenPurpose,
        new: &str,
        confirm: &str,
    ) -> Result<(), AccountError> {
        let mut errors = FieldErrors::default();
        validation::new_password(&mut errors, "password", "password_confirm", new, confirm);
        if !errors.is_empty() {
            return Err(AccountError::Invalid(errors));
        }
        let hash = hash_password(new.to_owned()).await?;
        self.use_token(secret, purpose, TokenEffect::SetPassword(hash))
            .await
            .map(drop)
    }
}
