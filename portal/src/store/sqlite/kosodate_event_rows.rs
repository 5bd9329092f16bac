//! Rows of `kosodate_events` and `kosodate_event_applications` (migration 0019) and back:
//! an event's columns, and one event's [`Roster`] loaded in the order families applied.

use jiff::civil::{Date, DateTime};
use rusqlite::{Connection, OptionalExtension, Row, params, types::Value};

use super::rows::{corrupt, ts};
use crate::{
    domain::AccountId,
    events::{Application, Event, EventId, EventTime, MonthRange, Roster, TargetAges},
    store::{StoreError, StoredEvent},
};

/// The columns [`event_of`] reads, from `kosodate_events e`, with the counts of applications.
pub const EVENT_COLUMNS: &str = "e.event_id, e.title, e.description, e.place, e.all_day, \
     e.starts, e.ends, e.age_from, e.age_to, e.pregnant, e.capacity, e.application, \
     e.apply_how, e.opens, e.closes, e.url, e.cancelled_at, \
     (SELECT count(*) FROM kosodate_event_applications a WHERE a.event_id = e.event_id \
      AND a.status = 'confirmed'), \
     (SELECT count(*) FROM kosodate_event_applications a WHERE a.event_id = e.event_id \
      AND a.status = 'waiting')";

fn date(text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(|_| corrupt("event date", text))
}

fn moment(text: &str) -> Result<DateTime, StoreError> {
    text.parse().map_err(|_| corrupt("event time", text))
}

fn moment_opt(text: Option<String>) -> Result<Option<DateTime>, StoreError> {
    text.as_deref().map(moment).transpose()
}

/// An event read from a row of [`EVENT_COLUMNS`].
pub fn event_of(row: &Row<'_>) -> Result<StoredEvent, StoreError> {
    let all_day: bool = row.get(4)?;
    let starts: String = row.get(5)?;
    let ends: Option<String> = row.get(6)?;
    let time = if all_day {
        let first = date(&starts)?;
        let last = ends.as_deref().map(date).transpose()?.unwrap_or(first);
        EventTime::AllDay { first, last }
    } else {
        EventTime::Timed {
            start: moment(&starts)?,
            end: moment_opt(ends)?,
        }
    };
    let months = match (row.get::<_, Option<u32>>(7)?, row.get::<_, Option<u32>>(8)?) {
        (Some(from), Some(to)) => Some(MonthRange { from, to }),
        _ => None,
    };
    let kind: String = row.get(11)?;
    let application = match kind.as_str() {
        "none" => Application::None,
        "portal" => Application::Portal {
            opens: moment_opt(row.get(13)?)?,
            closes: moment_opt(row.get(14)?)?,
        },
        "other" => Application::Other {
            how: row.get::<_, Option<String>>(12)?.unwrap_or_default(),
        },
        _ => return Err(corrupt("event application", &kind)),
    };
    let cancelled_at: Option<String> = row.get(16)?;
    Ok(StoredEvent {
        event: Event {
            event_id: EventId(row.get(0)?),
            title: row.get(1)?,
            description: row.get(2)?,
            place: row.get(3)?,
            time,
            ages: TargetAges {
                months,
                pregnant: row.get(9)?,
            },
            capacity: row.get(10)?,
            application,
            url: row.get(15)?,
        },
        cancelled_at: cancelled_at.as_deref().map(ts).transpose()?,
        confirmed: row.get(17)?,
        waiting: row.get(18)?,
    })
}

/// The columns an event is written as, in the order of [`event_params`].
pub const WRITE_COLUMNS: [&str; 17] = [
    "title",
    "description",
    "place",
    "all_day",
    "starts",
    "ends",
    "first_day",
    "last_day",
    "age_from",
    "age_to",
    "pregnant",
    "capacity",
    "application",
    "apply_how",
    "opens",
    "closes",
    "url",
];

/// An event's values for [`WRITE_COLUMNS`].
pub fn event_params(event: &Event) -> Vec<Value> {
    let (all_day, starts, ends) = match event.time {
        EventTime::AllDay { first, last } => (true, first.to_string(), Some(last.to_string())),
        EventTime::Timed { start, end } => {
            (false, start.to_string(), end.map(|end| end.to_string()))
        }
    };
    let (kind, how, opens, closes) = match &event.application {
        Application::None => ("none", None, None, None),
        Application::Portal { opens, closes } => (
            "portal",
            None,
            opens.map(|at| at.to_string()),
            closes.map(|at| at.to_string()),
        ),
        Application::Other { how } => ("other", Some(how.clone()), None, None),
    };
    vec![
        Value::from(event.title.clone()),
        Value::from(event.description.clone()),
        Value::from(event.place.clone()),
        Value::from(all_day),
        Value::from(starts),
        Value::from(ends),
        Value::from(event.time.first_day().to_string()),
        Value::from(event.time.last_day().to_string()),
        Value::from(event.ages.months.map(|range| range.from)),
        Value::from(event.ages.months.map(|range| range.to)),
        Value::from(event.ages.pregnant),
        Value::from(event.capacity),
        Value::from(kind.to_owned()),
        Value::from(how),
        Value::from(opens),
        Value::from(closes),
        Value::from(event.url.clone()),
    ]
}

/// One event, called off or not.
pub fn stored_event(conn: &Connection, event_id: &str) -> Result<Option<StoredEvent>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM kosodate_events e WHERE e.event_id = ?1"
    ))?;
    let mut rows = statement.query([event_id])?;
    match rows.next()? {
        Some(row) => Ok(Some(event_of(row)?)),
        None => Ok(None),
    }
}

/// An event's roster: confirmed and waiting families, each in the order they applied.
pub fn roster(conn: &Connection, event_id: &str) -> Result<Roster<AccountId>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT account_id, status FROM kosodate_event_applications WHERE event_id = ?1 \
         ORDER BY seq",
    )?;
    let mut rows = statement.query([event_id])?;
    let mut roster = Roster::default();
    while let Some(row) = rows.next()? {
        let account: String = row.get(0)?;
        let account: AccountId = account
            .parse()
            .map_err(|_| corrupt("account id", &account))?;
        let status: String = row.get(1)?;
        match status.as_str() {
            "confirmed" => roster.confirmed.push(account),
            "waiting" => roster.waiting.push(account),
            _ => return Err(corrupt("application status", &status)),
        }
    }
    Ok(roster)
}

/// Writes `promoted` families' applications as confirmed.
pub fn confirm(
    conn: &Connection,
    event_id: &str,
    promoted: &[AccountId],
) -> Result<(), StoreError> {
    let mut update = conn.prepare_cached(
        "UPDATE kosodate_event_applications SET status = 'confirmed' \
         WHERE event_id = ?1 AND account_id = ?2",
    )?;
    for account in promoted {
        update.execute(params![event_id, account.to_string()])?;
    }
    Ok(())
}

/// Whether the event exists and is not called off.
pub fn is_live(conn: &Connection, event_id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM kosodate_events WHERE event_id = ?1 AND cancelled_at IS NULL",
            [event_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
