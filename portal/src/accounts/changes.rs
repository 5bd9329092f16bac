//! Changes to an existing account: name, language, email address (re-verified from the new
//! address), password, and 退会 (withdrawal, which deletes the account's personal data).

use super::{AccountError, Accounts, display_name, hash_password, verify_password};
use crate::{
    domain::{
        tokens::TokenPurpose,
        validation::{self, FieldErrors},
    },
    i18n::Lang,
    mail::compose::MailKind,
    store::{Account, SessionInfo, TokenEffect},
};

impl Accounts {
    /// Changes 姓 and 名.
    pub async fn change_name(
        &self,
        account: &Account,
        family: &str,
        given: &str,
    ) -> Result<(), AccountError> {
        let mut errors = FieldErrors::default();
        let family = validation::name(&mut errors, "family_name", family);
        let given = validation::name(&mut errors, "given_name", given);
        if !errors.is_empty() {
            return Err(AccountError::Invalid(errors));
        }
        Ok(self
            .store
            .update_name(account.account_id, &family, &given)
            .await?)
    }

    /// Sets the language of the account's mail.
    pub async fn set_lang(&self, account: &Account, lang: Lang) -> Result<(), AccountError> {
        Ok(self.store.set_lang(account.account_id, lang.code()).await?)
    }

    async fn check_current_password(
        &self,
        account: &Account,
        password: &str,
        field: &'static str,
    ) -> Result<(), AccountError> {
        let stored = self
            .store
            .get(account.account_id)
            .await?
            .and_then(|found| found.password_hash);
        if verify_password(password.to_owned(), stored).await? {
            Ok(())
        } else {
            let mut errors = FieldErrors::default();
            errors.add(field, "error.current_password_wrong");
            Err(AccountError::Invalid(errors))
        }
    }

    /// メールアドレスの変更: after checking the current password, mails a confirmation link to
    /// the new address and a notice to the old one. The change happens when the link is used.
    pub async fn request_email_change(
        &self,
        account: &Account,
        raw_new: &str,
        current_password: &str,
        lang: Lang,
    ) -> Result<(), AccountError> {
        let mut errors = FieldErrors::default();
        let new_email = validation::email(&mut errors, "email", raw_new);
        if let Some(email) = &new_email
            && email.as_str().eq_ignore_ascii_case(account.email.as_str())
        {
            errors.add("email", "error.email_same");
        }
        let Some(new_email) = new_email.filter(|_| errors.is_empty()) else {
            return Err(AccountError::Invalid(errors));
        };
        self.check_current_password(account, current_password, "current_password")
            .await?;
        let name = display_name(account);
        if self.store.find_by_email(&new_email).await?.is_some() {
            // Do not reveal that the address is taken; tell its owner instead.
            let kind = MailKind::AlreadyRegistered {
                login: format!("{}/login", self.base_url),
                reset: format!("{}/password/forgot", self.base_url),
            };
            self.store
                .queue_mail(self.mail(&kind, lang, new_email.as_str(), &name)?)
                .await?;
        } else {
            let (secret, token) = self.token(
                account.account_id,
                TokenPurpose::EmailChange,
                Some(new_email.clone()),
            )?;
            let kind = MailKind::EmailChange {
                link: self.link("/account/email/confirm", &secret),
            };
            self.store
                .issue_token(token, self.mail(&kind, lang, new_email.as_str(), &name)?)
                .await?;
            let notice = MailKind::EmailChangeNotice {
                new_email: new_email.to_string(),
            };
            self.store
                .queue_mail(self.mail(&notice, lang, account.email.as_str(), &name)?)
                .await?;
        }
        self.mail_queued();
        Ok(())
    }

    /// Follows an email-change link.
    pub async fn confirm_email_change(&self, secret: &str) -> Result<(), AccountError> {
        self.use_token(secret, TokenPurpose::EmailChange, TokenEffect::ChangeEmail)
            .await
            .map(drop)
    }

    /// パスワードの変更: checks the current password, sets the new one, ends every other session
    /// and mails a notice.
    pub async fn change_password(
        &self,
        account: &Account,
        session: Option<&SessionInfo>,
        current: &str,
        new: &str,
        confirm: &str,
        lang: Lang,
    ) -> Result<(), AccountError> {
        let mut errors = FieldErrors::default();
        validation::new_password(&mut errors, "password", "password_confirm", new, confirm);
        if !errors.is_empty() {
            return Err(AccountError::Invalid(errors));
        }
        self.check_current_password(account, current, "current_password")
            .await?;
        let hash = hash_password(new.to_owned()).await?;
        self.store
            .set_password(account.account_id, &hash, session.map(|s| s.token_hash))
            .await?;
        let mail = self.mail(
            &MailKind::PasswordChanged,
            lang,
            account.email.as_str(),
            &display_name(account),
        )?;
        self.store.queue_mail(mail).await?;
        self.mail_queued();
        Ok(())
    }

    /// 退会: after checking the password, deletes the account and all its personal data, and
    /// mails a last confirmation.
    pub async fn withdraw(
        &self,
        account: &Account,
        password: &str,
        lang: Lang,
    ) -> Result<(), AccountError> {
        self.check_current_password(account, password, "password")
            .await?;
        let farewell = self.mail(
            &MailKind::Withdrawn,
            lang,
            account.email.as_str(),
            &display_name(account),
        )?;
        self.store
            .delete_account(account.account_id, Some(farewell))
            .await?;
        self.mail_queued();
        tracing::info!(account_id = %account.account_id, "account withdrawn and deleted");
        Ok(())
    }
}
