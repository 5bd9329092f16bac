//! [`AccountStore`] on SQLite.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{
    SqliteStore,
    rows::{find_account, insert_mail, ts},
};
use crate::{
    domain::{AccountId, Email, Role, tokens::TokenPurpose},
    store::{
        Account, AccountStatus, AccountStore, Credentials, NewAccount, NewStoredToken,
        OutgoingMail, StoreError, TokenEffect, TokenOutcome,
    },
};

fn insert_token(tx: &rusqlite::Transaction<'_>, token: &NewStoredToken) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO account_tokens (token_hash, account_id, purpose, new_email, created_at, \
         expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            token.token_hash.as_slice(),
            token.account_id.to_string(),
            token.purpose.as_str(),
            token.new_email.as_ref().map(Email::as_str),
            token.created_at.to_string(),
            token.expires_at.to_string(),
        ],
    )?;
    Ok(())
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_account(
        &self,
        account: NewAccount,
        token: Option<NewStoredToken>,
        mail: Option<OutgoingMail>,
    ) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let inserted = tx.execute(
                    "INSERT INTO accounts (account_id, email, family_name, given_name, \
                     password_hash, status, lang, created_at, terms_accepted_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (email) DO NOTHING",
                    params![
                        account.account_id.to_string(),
                        account.email.as_str(),
                        account.family_name,
                        account.given_name,
                        account.password_hash,
                        account.status.as_str(),
                        account.lang,
                        account.created_at.to_string(),
                        account.terms_accepted_at.map(|at| at.to_string()),
                    ],
                )?;
                if inserted == 0 {
                    return Ok(false);
                }
                for role in &account.roles {
                    tx.execute(
                        "INSERT INTO account_roles (account_id, role, granted_at) \
                         VALUES (?1, ?2, ?3)",
                        params![
                            account.account_id.to_string(),
                            role.as_str(),
                            account.created_at.to_string()
                        ],
                    )?;
                }
                if let Some(token) = &token {
                    insert_token(tx, token)?;
                }
                if let Some(mail) = &mail {
                    insert_mail(tx, mail)?;
                }
                Ok(true)
            })
            .await
    }

    async fn find_by_email(&self, email: &Email) -> Result<Option<Credentials>, StoreError> {
        let email = email.as_str().to_owned();
        self.db
            .read(move |conn| find_account(conn, "a.email = ?1", &email))
            .await
    }

    async fn get(&self, account_id: AccountId) -> Result<Option<Credentials>, StoreError> {
        self.db
            .read(move |conn| find_account(conn, "a.account_id = ?1", &account_id.to_string()))
            .await
    }

    async fn issue_token(
        &self,
        token: NewStoredToken,
        mail: OutgoingMail,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                insert_token(tx, &token)?;
                insert_mail(tx, &mail)
            })
            .await
    }

    async fn use_token(
        &self,
        token_hash: [u8; 32],
        purpose: TokenPurpose,
        effect: TokenEffect,
        now: Timestamp,
    ) -> Result<TokenOutcome, StoreError> {
        self.db
            .write(move |tx| {
                let row = tx
                    .query_row(
                        "SELECT account_id, new_email, expires_at, used_at FROM account_tokens \
                         WHERE token_hash = ?1 AND purpose = ?2",
                        params![token_hash.as_slice(), purpose.as_str()],
                        |row| {
                            Ok((
                                row.get::<_, String>(0)?,
                                row.get::<_, Option<String>>(1)?,
                                row.get::<_, String>(2)?,
                                row.get::<_, Option<String>>(3)?,
                            ))
                        },
                    )
                    .optional()?;
                let Some((account_id, new_email, expires_at, used_at)) = row else {
                    return Ok(TokenOutcome::Unknown);
                };
                if used_at.is_some() {
                    return Ok(TokenOutcome::Used);
                }
                if ts(&expires_at)? <= now {
                    return Ok(TokenOutcome::Expired);
                }
                match &effect {
                    TokenEffect::Activate => {
                        tx.execute(
                            "UPDATE accounts SET status = 'active' WHERE account_id = ?1",
                            [&account_id],
                        )?;
                    }
                    TokenEffect::SetPassword(hash) => {
                        tx.execute(
                            "UPDATE accounts SET password_hash = ?2, status = 'active' \
                             WHERE account_id = ?1",
                            params![account_id, hash],
                        )?;
                        tx.execute("DELETE FROM sessions WHERE account_id = ?1", [&account_id])?;
                    }
                    TokenEffect::ChangeEmail => {
                        let Some(new_email) = new_email else {
                            return Err(StoreError::Corrupt("email token without address".into()));
                        };
                        let changed = tx.execute(
                            "UPDATE accounts SET email = ?2 WHERE account_id = ?1 AND NOT EXISTS \
                             (SELECT 1 FROM accounts WHERE email = ?2 AND account_id != ?1)",
                            params![account_id, new_email],
                        )?;
                        if changed == 0 {
                            return Ok(TokenOutcome::EmailTaken);
                        }
                    }
                }
                tx.execute(
                    "UPDATE account_tokens SET used_at = ?2 WHERE token_hash = ?1",
                    params![token_hash.as_slice(), now.to_string()],
                )?;
                let account_id = account_id
                    .parse::<AccountId>()
                    .map_err(|error| StoreError::Corrupt(format!("account id: {error}")))?;
                Ok(TokenOutcome::Applied(account_id))
            })
            .await
    }

    async fn update_name(
        &self,
        account_id: AccountId,
        family_name: &str,
        given_name: &str,
    ) -> Result<(), StoreError> {
        let (family_name, given_name) = (family_name.to_owned(), given_name.to_owned());
        self.db
            .write(move |tx| {
                tx.execute(
                    "UPDATE accounts SET family_name = ?2, given_name = ?3 WHERE account_id = ?1",
                    params![account_id.to_string(), family_name, given_name],
                )?;
                Ok(())
            })
            .await
    }

    async fn set_password(
        &self,
        account_id: AccountId,
        password_hash: &str,
        keep_session: Option<[u8; 32]>,
    ) -> Result<(), StoreError> {
        let password_hash = password_hash.to_owned();
        self.db
            .write(move |tx| {
                let id = account_id.to_string();
                tx.execute(
                    "UPDATE accounts SET password_hash = ?2 WHERE account_id = ?1",
                    params![id, password_hash],
                )?;
                tx.execute(
                    "DELETE FROM sessions WHERE account_id = ?1 AND token_hash IS NOT ?2",
                    params![id, keep_session.as_ref().map(|hash| hash.as_slice())],
                )?;
                Ok(())
            })
            .await
    }

    async fn set_lang(&self, account_id: AccountId, lang: &str) -> Result<(), StoreError> {
        let lang = lang.to_owned();
        self.db
            .write(move |tx| {
                tx.execute(
                    "UPDATE accounts SET lang = ?2 WHERE account_id = ?1",
                    params![account_id.to_string(), lang],
                )?;
                Ok(())
            })
            .await
    }

    async fn delete_account(
        &self,
        account_id: AccountId,
        farewell: Option<OutgoingMail>,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let id = account_id.to_string();
                // Mail to the address (sent or queued) holds personal data too.
                tx.execute(
                    "DELETE FROM mail_outbox WHERE to_addr = \
                     (SELECT email FROM accounts WHERE account_id = ?1)",
                    [&id],
                )?;
                // Its place in every delivery (the address, the LINE user id). That table has
                // no index by account, for the speed of a fan-out: this scans it, which is
                // fine for something as rare as a withdrawal.
                tx.execute(
                    "DELETE FROM delivery_recipients WHERE account_id = ?1",
                    [&id],
                )?;
                // Roles, tokens and sessions go by ON DELETE CASCADE.
                tx.execute("DELETE FROM accounts WHERE account_id = ?1", [&id])?;
                if let Some(mail) = &farewell {
                    insert_mail(tx, mail)?;
                }
                Ok(())
            })
            .await
    }

    async fn set_roles(
        &self,
        account_id: AccountId,
        roles: &[Role],
        by: Option<AccountId>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let roles = roles.to_vec();
        self.db
            .write(move |tx| {
                let id = account_id.to_string();
                tx.execute("DELETE FROM account_roles WHERE account_id = ?1", [&id])?;
                for role in &roles {
                    tx.execute(
                        "INSERT INTO account_roles (account_id, role, granted_at, granted_by) \
                         VALUES (?1, ?2, ?3, ?4)",
                        params![
                            id,
                            role.as_str(),
                            now.to_string(),
                            by.map(|b| b.to_string())
                        ],
                    )?;
                }
                Ok(())
            })
            .await
    }

    async fn list_staff(&self) -> Result<Vec<Account>, StoreError> {
        self.db
            .read(|conn| {
                let mut statement =
                    conn.prepare_cached("SELECT DISTINCT account_id FROM account_roles")?;
                let ids = statement
                    .query_map([], |row| row.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?;
                let mut staff = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(credentials) = find_account(conn, "a.account_id = ?1", &id)? {
                        staff.push(credentials.account);
                    }
                }
                staff.sort_by(|a, b| {
                    (&a.family_name, &a.given_name).cmp(&(&b.family_name, &b.given_name))
                });
                Ok(staff)
            })
            .await
    }

    async fn queue_mail(&self, mail: OutgoingMail) -> Result<(), StoreError> {
        self.db.write(move |tx| insert_mail(tx, &mail)).await
    }

    async fn count_accounts(&self) -> Result<Vec<(AccountStatus, u64)>, StoreError> {
        self.db
            .read(|conn| {
                let mut counts = Vec::new();
                for status in [AccountStatus::Pending, AccountStatus::Active] {
                    let count: i64 = conn.query_row(
                        "SELECT count(*) FROM accounts WHERE status = ?1",
                        [status.as_str()],
                        |row| row.get(0),
                    )?;
                    counts.push((status, u64::try_from(count).unwrap_or(0)));
                }
                Ok(counts)
            })
            .await
    }
}
