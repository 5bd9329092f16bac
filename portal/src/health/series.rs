//! A series of slots made at once: "weekdays 9:00–12:00, every 30 minutes, 2 citizens each,
//! for two weeks". Pure: the days to skip (祝日, 年末年始) are given by the caller.

use std::collections::BTreeSet;

use jiff::{
    Timestamp, ToSpan,
    civil::{Date, Time, Weekday},
};

use super::service::Service;
use super::slot::{NewSlot, Place, SlotInput, check_slot};
use super::slot_error::SlotError;
use crate::clock::tokyo;

/// The longest period of a series, in days.
pub const MAX_SERIES_DAYS: i64 = 92;
/// The most slots one series makes.
pub const MAX_SERIES_SLOTS: usize = 2000;

/// A series as a staff member fills in the form (days and times in Asia/Tokyo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesInput {
    /// The service.
    pub service: Service,
    /// Where.
    pub place: Place,
    /// The first day (today or later).
    pub first_day: Date,
    /// The last day (inclusive).
    pub last_day: Date,
    /// The days of the week with slots (`Weekday` has no order, so a list).
    pub weekdays: Vec<Weekday>,
    /// Days without slots even on those weekdays (祝日, 年末年始, 閉庁日).
    pub skip_days: BTreeSet<Date>,
    /// When the first slot of a day starts.
    pub day_start: Time,
    /// When the last slot of a day ends at the latest.
    pub day_end: Time,
    /// The length of each slot, in minutes (5 to 480); slots follow each other.
    pub slot_minutes: u16,
    /// 定員 of each slot.
    pub capacity: u16,
}

/// The slots of a series at `now`, in time order, each checked as [`check_slot`] does. On the
/// first day, slots that have already started are left out; a slot that would run past
/// `day_end` is not made.
pub fn generate_series(input: &SeriesInput, now: Timestamp) -> Result<Vec<NewSlot>, SlotError> {
    let today = now.to_zoned(tokyo()).date();
    if input.last_day < input.first_day || input.first_day < today {
        return Err(SlotError::SeriesDays);
    }
    let last_allowed = input
        .first_day
        .checked_add((MAX_SERIES_DAYS - 1).days())
        .map_err(|_| SlotError::OutOfCalendar)?;
    if input.last_day > last_allowed {
        return Err(SlotError::SeriesTooLong);
    }
    if input.weekdays.is_empty() {
        return Err(SlotError::NoWeekdays);
    }
    if !(5..=480).contains(&input.slot_minutes) {
        return Err(SlotError::SlotMinutes(input.slot_minutes));
    }
    let times = day_times(input.day_start, input.day_end, input.slot_minutes);
    let mut slots = Vec::new();
    let mut day = input.first_day;
    while day <= input.last_day {
        if input.weekdays.contains(&day.weekday()) && !input.skip_days.contains(&day) {
            for &(start, end) in &times {
                let slot = SlotInput {
                    service: input.service,
                    date: day,
                    start,
                    end,
                    place: input.place.clone(),
                    capacity: input.capacity,
                };
                match check_slot(&slot, now) {
                    Err(SlotError::InPast) if day == today => {}
                    Err(error) => return Err(error),
                    Ok(slot) => slots.push(slot),
                }
                if slots.len() > MAX_SERIES_SLOTS {
                    return Err(SlotError::TooManySlots(count_all(input, &times)));
                }
            }
        }
        day = day.tomorrow().map_err(|_| SlotError::OutOfCalendar)?;
    }
    if slots.is_empty() {
        return Err(SlotError::NoSlotFits);
    }
    Ok(slots)
}

/// The start and end of each slot of a day.
fn day_times(day_start: Time, day_end: Time, minutes: u16) -> Vec<(Time, Time)> {
    let mut times = Vec::new();
    let mut start = day_start;
    while let Ok(end) = start.checked_add(i64::from(minutes).minutes()) {
        // Time arithmetic fails past midnight, so `end > start` holds here.
        if end > day_end || end <= start {
            break;
        }
        times.push((start, end));
        start = end;
    }
    times
}

/// How many slots the series would make, for the error message.
fn count_all(input: &SeriesInput, times: &[(Time, Time)]) -> usize {
    let mut days = 0;
    let mut day = input.first_day;
    while day <= input.last_day {
        if input.weekdays.contains(&day.weekday()) && !input.skip_days.contains(&day) {
            days += 1;
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    days * times.len()
}
