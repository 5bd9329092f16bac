//! Reading the health office's slots and bookings from rows, inside a transaction or not.

use rusqlite::{Connection, Row, params};

use super::rows::{corrupt, ts};
use crate::{
    domain::AccountId,
    health::{BookedSlot, Booking, BookingId, Place, Service, Slot, SlotId},
    store::StoreError,
};

/// The slot columns, in the order [`slot_of`] reads them.
pub(super) const SLOT_COLUMNS: &str =
    "s.slot_id, s.service, s.starts_at, s.ends_at, s.place, s.capacity";

/// The booking columns (after [`SLOT_COLUMNS`] in a join), in the order [`booking_of`] reads.
pub(super) const BOOKING_COLUMNS: &str =
    "b.booking_id, b.slot_id, b.citizen_id, b.booked_at, b.cancelled_at";

fn parse<T: std::str::FromStr>(what: &str, text: &str) -> Result<T, StoreError> {
    text.parse().map_err(|_| corrupt(what, text))
}

/// A slot from [`SLOT_COLUMNS`] starting at column `at`.
pub(super) fn slot_of(row: &Row<'_>, at: usize) -> Result<Slot, StoreError> {
    let id: String = row.get(at)?;
    let service: String = row.get(at + 1)?;
    let place: Option<String> = row.get(at + 4)?;
    Ok(Slot {
        slot_id: parse::<SlotId>("slot id", &id)?,
        service: parse::<Service>("service", &service)?,
        starts_at: ts(&row.get::<_, String>(at + 2)?)?,
        ends_at: ts(&row.get::<_, String>(at + 3)?)?,
        place: place.map_or(Place::Home, Place::Venue),
        capacity: row.get(at + 5)?,
    })
}

/// A booking from [`BOOKING_COLUMNS`] starting at column `at`.
pub(super) fn booking_of(row: &Row<'_>, at: usize) -> Result<Booking, StoreError> {
    let id: String = row.get(at)?;
    let slot: String = row.get(at + 1)?;
    let citizen: String = row.get(at + 2)?;
    Ok(Booking {
        booking_id: parse::<BookingId>("booking id", &id)?,
        slot_id: parse::<SlotId>("slot id", &slot)?,
        citizen_id: parse::<AccountId>("account id", &citizen)?,
        booked_at: ts(&row.get::<_, String>(at + 3)?)?,
        cancelled_at: row
            .get::<_, Option<String>>(at + 4)?
            .as_deref()
            .map(ts)
            .transpose()?,
    })
}

/// One slot with its bookings.
pub(super) fn slot_with_bookings(
    conn: &Connection,
    slot_id: SlotId,
) -> Result<Option<(Slot, Vec<Booking>)>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SLOT_COLUMNS} FROM health_slots s WHERE s.slot_id = ?1"
    ))?;
    let mut rows = statement.query([slot_id.to_string()])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let slot = slot_of(row, 0)?;
    Ok(Some((slot, bookings_of_slot(conn, slot_id)?)))
}

/// A slot's bookings, cancelled ones too.
pub(super) fn bookings_of_slot(
    conn: &Connection,
    slot_id: SlotId,
) -> Result<Vec<Booking>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {BOOKING_COLUMNS} FROM health_bookings b WHERE b.slot_id = ?1 \
         ORDER BY b.booked_at"
    ))?;
    let mut rows = statement.query([slot_id.to_string()])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(booking_of(row, 0)?);
    }
    Ok(out)
}

/// A citizen's bookings with their slots, newest slot first.
pub(super) fn bookings_of_citizen(
    conn: &Connection,
    citizen: AccountId,
) -> Result<Vec<BookedSlot>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {SLOT_COLUMNS}, {BOOKING_COLUMNS} FROM health_bookings b \
         JOIN health_slots s ON s.slot_id = b.slot_id WHERE b.citizen_id = ?1 \
         ORDER BY s.starts_at DESC"
    ))?;
    let mut rows = statement.query(params![citizen.to_string()])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(BookedSlot {
            slot: slot_of(row, 0)?,
            booking: booking_of(row, 6)?,
        });
    }
    Ok(out)
}
