//! Slots: a time the health office offers a service, where, and for how many citizens. Staff
//! make them one by one ([`check_slot`]) or as a series ([`super::series`]).

use jiff::{
    SignedDuration, Timestamp, ToSpan,
    civil::{Date, Time},
};

use super::service::{Service, SlotId};
use super::slot_error::SlotError;
use crate::clock::tokyo;

/// The most citizens one slot can take.
pub const MAX_CAPACITY: u16 = 100;
/// The longest slot (a morning or afternoon of home visits).
pub const MAX_SLOT_LENGTH: SignedDuration = SignedDuration::from_hours(8);
/// How far ahead a slot may be opened.
pub const MAX_DAYS_AHEAD: i64 = 366;
/// The longest place name.
pub const MAX_PLACE_CHARS: usize = 100;

/// Where a slot's service happens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// At a place of the city (保健センター, 支所…), by name.
    Venue(String),
    /// At the citizen's home (赤ちゃん訪問 only).
    Home,
}

impl Place {
    /// The place for people: its name, or ご自宅 / At home.
    pub fn label(&self, lang: crate::i18n::Lang) -> &str {
        match (self, lang) {
            (Place::Venue(name), _) => name,
            (Place::Home, crate::i18n::Lang::Ja) => "ご自宅(訪問)",
            (Place::Home, crate::i18n::Lang::En) => "At home (visit)",
        }
    }
}

/// A checked slot not yet stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSlot {
    /// The service offered.
    pub service: Service,
    /// When it starts.
    pub starts_at: Timestamp,
    /// When it ends (after `starts_at`).
    pub ends_at: Timestamp,
    /// Where.
    pub place: Place,
    /// How many citizens it takes (1 to [`MAX_CAPACITY`]).
    pub capacity: u16,
}

impl NewSlot {
    /// The slot once the store gave it an id.
    pub fn with_id(self, slot_id: SlotId) -> Slot {
        Slot {
            slot_id,
            service: self.service,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            place: self.place,
            capacity: self.capacity,
        }
    }
}

/// A slot as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// Its id.
    pub slot_id: SlotId,
    /// The service offered.
    pub service: Service,
    /// When it starts.
    pub starts_at: Timestamp,
    /// When it ends.
    pub ends_at: Timestamp,
    /// Where.
    pub place: Place,
    /// How many citizens it takes.
    pub capacity: u16,
}

impl Slot {
    /// The day it is on, in Asia/Tokyo.
    pub fn date(&self) -> Date {
        self.starts_at.to_zoned(tokyo()).date()
    }

    /// `2026年12月2日 09:00〜09:30`, in Asia/Tokyo.
    pub fn when_ja(&self) -> String {
        let end = self.ends_at.to_zoned(tokyo()).strftime("%H:%M").to_string();
        format!("{}〜{end}", crate::clock::tokyo_date_time(self.starts_at))
    }
}

/// A slot as a staff member fills in the form: a day and times in Asia/Tokyo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotInput {
    /// The service.
    pub service: Service,
    /// The day.
    pub date: Date,
    /// 開始時刻.
    pub start: Time,
    /// 終了時刻 (after the start, on the same day).
    pub end: Time,
    /// Where.
    pub place: Place,
    /// 定員.
    pub capacity: u16,
}

/// Checks a staff-made slot at `now`: it ends after it starts and within [`MAX_SLOT_LENGTH`],
/// takes 1 to [`MAX_CAPACITY`] citizens, starts in the future and within [`MAX_DAYS_AHEAD`]
/// days, and is at a named place — or at home for 赤ちゃん訪問.
pub fn check_slot(input: &SlotInput, now: Timestamp) -> Result<NewSlot, SlotError> {
    let at = |time: Time| {
        input
            .date
            .to_datetime(time)
            .to_zoned(tokyo())
            .map(|zoned| zoned.timestamp())
            .map_err(|_| SlotError::OutOfCalendar)
    };
    let (starts_at, ends_at) = (at(input.start)?, at(input.end)?);
    if ends_at <= starts_at {
        return Err(SlotError::EndNotAfterStart);
    }
    if starts_at.duration_until(ends_at) > MAX_SLOT_LENGTH {
        return Err(SlotError::TooLong);
    }
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        return Err(SlotError::Capacity(input.capacity));
    }
    if starts_at <= now {
        return Err(SlotError::InPast);
    }
    let latest = now
        .to_zoned(tokyo())
        .checked_add(MAX_DAYS_AHEAD.days())
        .map_err(|_| SlotError::OutOfCalendar)?;
    if starts_at > latest.timestamp() {
        return Err(SlotError::TooFarAhead);
    }
    let place = match &input.place {
        Place::Home if input.service != Service::AkachanHoumon => {
            return Err(SlotError::HomeNotForService(input.service));
        }
        Place::Home => Place::Home,
        Place::Venue(name) => {
            let name = name.trim();
            if name.is_empty() {
                return Err(SlotError::NoPlace);
            }
            if name.chars().count() > MAX_PLACE_CHARS {
                return Err(SlotError::PlaceTooLong);
            }
            Place::Venue(name.to_owned())
        }
    };
    Ok(NewSlot {
        service: input.service,
        starts_at,
        ends_at,
        place,
        capacity: input.capacity,
    })
}

#[cfg(test)]
#[path = "slot_tests.rs"]
mod tests;
