//! Converting between rows and store types.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::{
    domain::{AccountId, Email, Role},
    store::{Account, AccountStatus, Credentials, OutgoingMail, StoreError},
};

/// The account columns, in the order [`credentials_from_row`] reads them; the roles come
/// along as one comma-separated column, so a lookup (done on every request) is one query.
pub const ACCOUNT_COLUMNS: &str = "a.account_id, a.email, a.family_name, a.given_name, \
     a.status, a.lang, a.created_at, a.password_hash, \
     (SELECT group_concat(r.role) FROM account_roles r WHERE r.account_id = a.account_id)";

/// How many columns [`ACCOUNT_COLUMNS`] has (the next column of a wider row is at this index).
pub const ACCOUNT_COLUMN_COUNT: usize = 9;

/// A stored value this version cannot read.
pub fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

/// Parses a stored timestamp.
pub fn ts(text: &str) -> Result<Timestamp, StoreError> {
    text.parse()
        .map_err(|error| StoreError::Corrupt(format!("timestamp {text:?}: {error}")))
}

/// A kiosk's reported state as stored (`state`, `state_at` columns), if it reported one.
pub fn kiosk_state(
    state: Option<String>,
    at: Option<String>,
) -> Result<Option<(shimin_sync::messages::KioskState, Timestamp)>, StoreError> {
    use shimin_sync::messages::KioskState;
    let (Some(state), Some(at)) = (state, at) else {
        return Ok(None);
    };
    let state = match state.as_str() {
        "online" => KioskState::Online,
        "offline" => KioskState::Offline,
        _ => return Err(corrupt("kiosk state", &state)),
    };
    Ok(Some((state, ts(&at)?)))
}

/// The stored name of a kiosk state.
pub fn kiosk_state_name(state: shimin_sync::messages::KioskState) -> &'static str {
    match state {
        shimin_sync::messages::KioskState::Online => "online",
        shimin_sync::messages::KioskState::Offline => "offline",
    }
}

/// Reads an account with its roles and password hash from a row of [`ACCOUNT_COLUMNS`].
pub fn credentials_from_row(row: &Row<'_>) -> Result<Credentials, StoreError> {
    let account_id: String = row.get(0)?;
    let email: String = row.get(1)?;
    let status: String = row.get(4)?;
    let created_at: String = row.get(6)?;
    let roles: Option<String> = row.get(8)?;
    let mut roles: Vec<Role> = roles
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter_map(|name| name.parse::<Role>().ok())
        .collect();
    roles.sort();
    Ok(Credentials {
        account: Account {
            account_id: account_id
                .parse::<AccountId>()
                .map_err(|error| StoreError::Corrupt(format!("account id: {error}")))?,
            email: Email::parse(&email)
                .map_err(|error| StoreError::Corrupt(format!("email: {error}")))?,
            family_name: row.get(2)?,
            given_name: row.get(3)?,
            status: match status.as_str() {
                "active" => AccountStatus::Active,
                "pending" => AccountStatus::Pending,
                other => return Err(StoreError::Corrupt(format!("status {other:?}"))),
            },
            lang: row.get(5)?,
            roles,
            created_at: ts(&created_at)?,
        },
        password_hash: row.get(7)?,
    })
}

/// Looks up one account by a `WHERE` clause over `a` with one parameter.
pub fn find_account(
    conn: &Connection,
    where_clause: &str,
    param: &str,
) -> Result<Option<Credentials>, StoreError> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE {where_clause}");
    let mut statement = conn.prepare_cached(&sql)?;
    statement
        .query_row([param], |row| Ok(credentials_from_row(row)))
        .optional()?
        .transpose()
}

/// Inserts a mail into the outbox, due now.
pub fn insert_mail(conn: &Connection, mail: &OutgoingMail) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO mail_outbox (mail_id, to_addr, subject, text_body, html_body, created_at, \
         next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )?
    .execute(params![
        mail.mail_id.to_string(),
        mail.to,
        mail.subject,
        mail.text,
        mail.html,
        mail.created_at.to_string(),
    ])?;
    Ok(())
}
