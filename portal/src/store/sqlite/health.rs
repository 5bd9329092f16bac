//! [`HealthStore`] on SQLite. Booking, change and cancel each read what the decision needs and
//! write its outcome in one write transaction (SQLite has one writer at a time), so the
//! decision sees every booking made before it.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::params;

use super::{
    SqliteStore,
    health_rows::{
        BOOKING_COLUMNS, SLOT_COLUMNS, booking_of, bookings_of_citizen, bookings_of_slot, slot_of,
        slot_with_bookings,
    },
};
use crate::{
    domain::AccountId,
    health::{
        BookedSlot, Booking, BookingError, BookingId, BookingPolicy, Place, Service, Slot, SlotId,
        decide_booking, decide_cancel, decide_change,
    },
    store::{BookingRecord, HealthStore, ReadWhat, StoreError},
};

#[async_trait]
impl HealthStore for SqliteStore {
    async fn add_slots(
        &self,
        slots: Vec<Slot>,
        by: AccountId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO health_slots (slot_id, service, starts_at, ends_at, place, \
                     capacity, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?;
                for slot in &slots {
                    let place = match &slot.place {
                        Place::Venue(name) => Some(name.as_str()),
                        Place::Home => None,
                    };
                    insert.execute(params![
                        slot.slot_id.to_string(),
                        slot.service.as_str(),
                        slot.starts_at.to_string(),
                        slot.ends_at.to_string(),
                        place,
                        slot.capacity,
                        by.to_string(),
                        now.to_string()
                    ])?;
                }
                Ok(())
            })
            .await
    }

    async fn slots(
        &self,
        service: Option<Service>,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<(Slot, Vec<Booking>)>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT {SLOT_COLUMNS} FROM health_slots s WHERE (?1 IS NULL OR \
                     s.service = ?1) AND s.starts_at >= ?2 AND s.starts_at < ?3 \
                     ORDER BY s.starts_at, s.slot_id"
                ))?;
                let mut rows = statement.query(params![
                    service.map(Service::as_str),
                    from.to_string(),
                    until.to_string()
                ])?;
                let mut slots = Vec::new();
                while let Some(row) = rows.next()? {
                    slots.push(slot_of(row, 0)?);
                }
                slots
                    .into_iter()
                    .map(|slot| {
                        let bookings = bookings_of_slot(conn, slot.slot_id)?;
                        Ok((slot, bookings))
                    })
                    .collect()
            })
            .await
    }

    async fn slot(&self, slot_id: SlotId) -> Result<Option<(Slot, Vec<Booking>)>, StoreError> {
        self.db
            .read(move |conn| slot_with_bookings(conn, slot_id))
            .await
    }

    async fn citizen_bookings(&self, citizen: AccountId) -> Result<Vec<BookedSlot>, StoreError> {
        self.db
            .read(move |conn| bookings_of_citizen(conn, citizen))
            .await
    }

    async fn book(
        &self,
        policy: BookingPolicy,
        slot_id: SlotId,
        citizen: AccountId,
        answers: String,
        now: Timestamp,
    ) -> Result<Result<BookingId, BookingError>, StoreError> {
        self.db
            .write(move |tx| {
                let Some((slot, bookings)) = slot_with_bookings(tx, slot_id)? else {
                    return Ok(Err(BookingError::Started));
                };
                let held = bookings_of_citizen(tx, citizen)?;
                let new = match decide_booking(&policy, &slot, &bookings, citizen, &held, now) {
                    Ok(new) => new,
                    Err(refused) => return Ok(Err(refused)),
                };
                let booking_id = BookingId::new();
                tx.execute(
                    "INSERT INTO health_bookings (booking_id, slot_id, citizen_id, booked_at, \
                     answers) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        booking_id.to_string(),
                        new.slot_id.to_string(),
                        new.citizen_id.to_string(),
                        new.booked_at.to_string(),
                        answers
                    ],
                )?;
                Ok(Ok(booking_id))
            })
            .await
    }

    async fn change(
        &self,
        policy: BookingPolicy,
        booking_id: BookingId,
        to: SlotId,
        citizen: AccountId,
        now: Timestamp,
    ) -> Result<Result<(), BookingError>, StoreError> {
        self.db
            .write(move |tx| {
                let held = bookings_of_citizen(tx, citizen)?;
                let Some(current) = held.iter().find(|b| b.booking.booking_id == booking_id) else {
                    return Ok(Err(BookingError::NotYours));
                };
                let Some((slot, bookings)) = slot_with_bookings(tx, to)? else {
                    return Ok(Err(BookingError::Started));
                };
                if let Err(refused) =
                    decide_change(&policy, current, &slot, &bookings, citizen, &held, now)
                {
                    return Ok(Err(refused));
                }
                tx.execute(
                    "UPDATE health_bookings SET slot_id = ?2, reminded = NULL \
                     WHERE booking_id = ?1",
                    params![booking_id.to_string(), to.to_string()],
                )?;
                Ok(Ok(()))
            })
            .await
    }

    async fn cancel(
        &self,
        booking_id: BookingId,
        citizen: AccountId,
        now: Timestamp,
    ) -> Result<Result<(), BookingError>, StoreError> {
        self.db
            .write(move |tx| {
                let held = bookings_of_citizen(tx, citizen)?;
                let Some(current) = held.iter().find(|b| b.booking.booking_id == booking_id) else {
                    return Ok(Err(BookingError::NotYours));
                };
                if let Err(refused) = decide_cancel(current, citizen, now) {
                    return Ok(Err(refused));
                }
                tx.execute(
                    "UPDATE health_bookings SET cancelled_at = ?2 WHERE booking_id = ?1",
                    params![booking_id.to_string(), now.to_string()],
                )?;
                Ok(Ok(()))
            })
            .await
    }

    async fn read_bookings(
        &self,
        staff: AccountId,
        what: ReadWhat,
        now: Timestamp,
    ) -> Result<Vec<BookingRecord>, StoreError> {
        self.db
            .write(move |tx| {
                let base = format!(
                    "SELECT {SLOT_COLUMNS}, {BOOKING_COLUMNS}, \
                     a.family_name || ' ' || a.given_name, a.email, b.answers \
                     FROM health_bookings b JOIN health_slots s ON s.slot_id = b.slot_id \
                     JOIN accounts a ON a.account_id = b.citizen_id"
                );
                let (sql, args, label) = match &what {
                    ReadWhat::Booking(id) => (
                        format!("{base} WHERE b.booking_id = ?1"),
                        vec![id.to_string()],
                        format!("booking:{id}"),
                    ),
                    ReadWhat::Slot(id) => (
                        format!("{base} WHERE b.slot_id = ?1 ORDER BY b.booked_at"),
                        vec![id.to_string()],
                        format!("slot:{id}"),
                    ),
                    ReadWhat::Export(service, from, until) => (
                        format!(
                            "{base} WHERE s.service = ?1 AND s.starts_at >= ?2 \
                             AND s.starts_at < ?3 ORDER BY s.starts_at, b.booked_at"
                        ),
                        vec![
                            service.as_str().to_owned(),
                            from.to_string(),
                            until.to_string(),
                        ],
                        format!("export:{}:{from}:{until}", service.as_str()),
                    ),
                };
                let mut statement = tx.prepare(&sql)?;
                let mut rows = statement.query(rusqlite::params_from_iter(args))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(BookingRecord {
                        booked: BookedSlot {
                            slot: slot_of(row, 0)?,
                            booking: booking_of(row, 6)?,
                        },
                        name: row.get(11)?,
                        email: row.get(12)?,
                        answers: row.get(13)?,
                    });
                }
                drop(rows);
                drop(statement);
                tx.execute(
                    "INSERT INTO health_answer_reads (staff_id, what, rows, read_at) \
                     VALUES (?1, ?2, ?3, ?4)",
                    params![staff.to_string(), label, out.len(), now.to_string()],
                )?;
                Ok(out)
            })
            .await
    }

    async fn bookings_starting(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<(BookedSlot, Option<String>)>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT {SLOT_COLUMNS}, {BOOKING_COLUMNS}, b.reminded \
                     FROM health_bookings b JOIN health_slots s ON s.slot_id = b.slot_id \
                     WHERE b.cancelled_at IS NULL AND s.starts_at >= ?1 AND s.starts_at < ?2"
                ))?;
                let mut rows = statement.query(params![from.to_string(), until.to_string()])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push((
                        BookedSlot {
                            slot: slot_of(row, 0)?,
                            booking: booking_of(row, 6)?,
                        },
                        row.get(11)?,
                    ));
                }
                Ok(out)
            })
            .await
    }

    async fn mark_reminded(&self, booking_id: BookingId, key: &str) -> Result<(), StoreError> {
        let key = key.to_owned();
        self.db
            .write(move |tx| {
                tx.execute(
                    "UPDATE health_bookings SET reminded = ?2 WHERE booking_id = ?1",
                    params![booking_id.to_string(), key],
                )?;
                Ok(())
            })
            .await
    }

    async fn answer_reads(&self) -> Result<Vec<(AccountId, String, u64)>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT staff_id, what, rows FROM health_answer_reads ORDER BY read_id",
                )?;
                let mut rows = statement.query([])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let staff: String = row.get(0)?;
                    out.push((
                        staff
                            .parse()
                            .map_err(|_| super::rows::corrupt("account id", &staff))?,
                        row.get(1)?,
                        row.get(2)?,
                    ));
                }
                Ok(out)
            })
            .await
    }
}
