//! Staff accounts: the first admin from the command line, invitations by mail, and roles.

use crate::{
    domain::{
        AccountId, Role,
        tokens::TokenPurpose,
        validation::{self, FieldErrors},
    },
    i18n::Lang,
    mail::compose::MailKind,
    store::{Account, AccountStatus, NewAccount},
};

use super::{AccountError, Accounts, display_name, hash_password};

/// The account with this email if it holds `role` (for assigning staff to a center or a
/// school); otherwise `not_staff` (a message key) beside the email field.
pub async fn staff_with_role(
    accounts: &dyn crate::store::AccountStore,
    raw_email: &str,
    role: Role,
    not_staff: &'static str,
) -> Result<Account, AccountError> {
    let mut errors = FieldErrors::default();
    let Ok(email) = crate::domain::Email::parse(raw_email) else {
        errors.add("email", "error.email_malformed");
        return Err(AccountError::Invalid(errors));
    };
    match accounts.find_by_email(&email).await? {
        Some(found) if found.account.has_role(role) => Ok(found.account),
        _ => {
            errors.add("email", not_staff);
            Err(AccountError::Invalid(errors))
        }
    }
}

impl Accounts {
    /// `portal admin create`: an active admin account with the given password, or the admin
    /// role added to an existing account with that email.
    pub async fn create_admin(
        &self,
        raw_email: &str,
        family: &str,
        given: &str,
        password: &str,
    ) -> Result<AccountId, AccountError> {
        let mut errors = FieldErrors::default();
        let email = validation::email(&mut errors, "email", raw_email);
        let family = validation::name(&mut errors, "family_name", family);
        let given = validation::name(&mut errors, "given_name", given);
        validation::new_password(
            &mut errors,
            "password",
            "password_confirm",
            password,
            password,
        );
        let Some(email) = email.filter(|_| errors.is_empty()) else {
            return Err(AccountError::Invalid(errors));
        };
        let now = self.clock.now();
        if let Some(existing) = self.store.find_by_email(&email).await? {
            let mut roles = existing.account.roles.clone();
            if !roles.contains(&Role::Admin) {
                roles.push(Role::Admin);
            }
            self.store
                .set_roles(existing.account.account_id, &roles, None, now)
                .await?;
            return Ok(existing.account.account_id);
        }
        let account_id = AccountId::new();
        let hash = hash_password(password.to_owned()).await?;
        self.store
            .create_account(
                NewAccount {
                    account_id,
                    email,
                    family_name: family,
                    given_name: given,
                    password_hash: Some(hash),
                    status: AccountStatus::Active,
                    lang: Lang::Ja.code().to_owned(),
                    roles: vec![Role::Admin],
                    created_at: now,
                    terms_accepted_at: None,
                },
                None,
                None,
            )
            .await?;
        Ok(account_id)
    }

    /// An admin invites a staff member: a new account with `roles` and a mail with a link to
    /// set a password; for an existing account, the roles are added and no mail is sent.
    pub async fn invite_staff(
        &self,
        by: &Account,
        raw_email: &str,
        family: &str,
        given: &str,
        roles: &[Role],
        lang: Lang,
    ) -> Result<(), AccountError> {
        if !by.has_role(Role::Admin) {
            return Err(AccountError::Forbidden("only admins invite staff"));
        }
        let mut errors = FieldErrors::default();
        let email = validation::email(&mut errors, "email", raw_email);
        let family = validation::name(&mut errors, "family_name", family);
        let given = validation::name(&mut errors, "given_name", given);
        if roles.is_empty() {
            errors.add("roles", "error.roles_required");
        }
        let Some(email) = email.filter(|_| errors.is_empty()) else {
            return Err(AccountError::Invalid(errors));
        };
        let now = self.clock.now();
        if let Some(existing) = self.store.find_by_email(&email).await? {
            let mut merged = existing.account.roles.clone();
            merged.extend(
                roles
                    .iter()
                    .copied()
                    .filter(|role| !existing.account.roles.contains(role)),
            );
            self.store
                .set_roles(
                    existing.account.account_id,
                    &merged,
                    Some(by.account_id),
                    now,
                )
                .await?;
            return Ok(());
        }
        let account_id = AccountId::new();
        let (secret, token) = self.token(account_id, TokenPurpose::Invite, None)?;
        let name = format!("{family} {given}");
        let kind = MailKind::StaffInvite {
            link: self.link("/staff/welcome", &secret),
        };
        let mail = self.mail(&kind, lang, email.as_str(), &name)?;
        self.store
            .create_account(
                NewAccount {
                    account_id,
                    email,
                    family_name: family,
                    given_name: given,
                    password_hash: None,
                    status: AccountStatus::Pending,
                    lang: lang.code().to_owned(),
                    roles: roles.to_vec(),
                    created_at: now,
                    terms_accepted_at: None,
                },
                Some(token),
                Some(mail),
            )
            .await?;
        self.mail_queued();
        tracing::info!(by = %by.account_id, invited = %account_id, "staff invited");
        Ok(())
    }

    /// An invited staff member sets a password from the invitation link.
    pub async fn accept_invite(
        &self,
        secret: &str,
        new: &str,
        confirm: &str,
    ) -> Result<(), AccountError> {
        self.set_password_with_token(secret, TokenPurpose::Invite, new, confirm)
            .await
    }

    /// An admin replaces a staff member's roles. The last admin cannot lose the admin role,
    /// so the city is never locked out of its own staff pages.
    pub async fn set_roles(
        &self,
        by: &Account,
        target: AccountId,
        roles: &[Role],
    ) -> Result<(), AccountError> {
        if !by.has_role(Role::Admin) {
            return Err(AccountError::Forbidden("only admins set roles"));
        }
        if !roles.contains(&Role::Admin) {
            let admins: Vec<AccountId> = self
                .store
                .list_staff()
                .await?
                .into_iter()
                .filter(|account| account.has_role(Role::Admin))
                .map(|account| account.account_id)
                .collect();
            if admins == [target] {
                let mut errors = FieldErrors::default();
                errors.add("roles", "error.last_admin");
                return Err(AccountError::Invalid(errors));
            }
        }
        self.store
            .set_roles(target, roles, Some(by.account_id), self.clock.now())
            .await?;
        tracing::info!(by = %by.account_id, target = %target, ?roles, "roles set");
        Ok(())
    }

    /// Every staff account, for the admin page.
    pub async fn list_staff(&self, by: &Account) -> Result<Vec<Account>, AccountError> {
        if !by.has_role(Role::Admin) {
            return Err(AccountError::Forbidden("only admins list staff"));
        }
        Ok(self.store.list_staff().await?)
    }

    /// The name to greet an account with.
    pub fn display_name(account: &Account) -> String {
        display_name(account)
    }
}
