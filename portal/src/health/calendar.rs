//! The staff calendar: each day of a period with its slots and how full they are.

use jiff::civil::Date;

use super::booking::{Booking, places_left};
use super::slot::Slot;

/// A slot on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarSlot<'a> {
    /// The slot.
    pub slot: &'a Slot,
    /// Standing bookings.
    pub booked: u16,
    /// Places left.
    pub left: u16,
}

/// A day on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay<'a> {
    /// The day (Asia/Tokyo).
    pub date: Date,
    /// Its slots by start time (then place), possibly none.
    pub slots: Vec<CalendarSlot<'a>>,
}

/// Every day from `from` for `days` days, with the slots among `slots` on it and their counts
/// from `bookings` (the bookings of those slots; cancelled ones do not count).
pub fn calendar<'a>(
    slots: &'a [Slot],
    bookings: &[Booking],
    from: Date,
    days: u16,
) -> Vec<CalendarDay<'a>> {
    let mut calendar = Vec::with_capacity(usize::from(days));
    let mut date = from;
    for _ in 0..days {
        let mut on_day: Vec<CalendarSlot<'a>> = slots
            .iter()
            .filter(|slot| slot.date() == date)
            .map(|slot| {
                let left = places_left(slot, bookings);
                CalendarSlot {
                    slot,
                    booked: slot.capacity.saturating_sub(left),
                    left,
                }
            })
            .collect();
        on_day.sort_by(|a, b| {
            (a.slot.starts_at, a.slot.place.label(crate::i18n::Lang::Ja))
                .cmp(&(b.slot.starts_at, b.slot.place.label(crate::i18n::Lang::Ja)))
        });
        calendar.push(CalendarDay {
            date,
            slots: on_day,
        });
        match date.tomorrow() {
            Ok(next) => date = next,
            Err(_) => break,
        }
    }
    calendar
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::health::fixtures::{at, booking, citizen, slot};
    use crate::health::service::Service;

    #[test]
    fn each_day_lists_its_slots_in_time_order_with_places_left() {
        let afternoon = slot(
            1,
            Service::BoshiTecho,
            "2026-12-08T13:00",
            "2026-12-08T13:30",
            2,
        );
        let morning = slot(
            2,
            Service::BoshiTecho,
            "2026-12-08T09:00",
            "2026-12-08T09:30",
            2,
        );
        let wednesday = slot(
            3,
            Service::BoshiTecho,
            "2026-12-09T09:00",
            "2026-12-09T09:30",
            1,
        );
        let slots = [afternoon.clone(), morning.clone(), wednesday.clone()];
        let mut cancelled = booking(2, &morning, citizen(2), "2026-12-01T10:00");
        cancelled.cancelled_at = Some(at("2026-12-02T10:00"));
        let bookings = [
            booking(1, &morning, citizen(1), "2026-12-01T10:00"),
            cancelled,
            booking(3, &wednesday, citizen(3), "2026-12-01T10:00"),
        ];
        let days = calendar(&slots, &bookings, date(2026, 12, 7), 3);
        let dates: Vec<Date> = days.iter().map(|d| d.date).collect();
        assert_eq!(
            dates,
            [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)]
        );
        assert!(days[0].slots.is_empty());
        let tuesday: Vec<(u16, u16)> = days[1].slots.iter().map(|s| (s.booked, s.left)).collect();
        assert_eq!(days[1].slots[0].slot, &morning);
        assert_eq!(tuesday, [(1, 1), (0, 2)]);
        assert_eq!((days[2].slots[0].booked, days[2].slots[0].left), (1, 0));
    }
}
