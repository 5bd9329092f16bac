//! The calendar's two views: a month as weeks of days with the events on each, and a list
//! in the order people read a programme.

use std::cmp::Ordering;

use jiff::civil::{Date, Weekday};

use super::model::{Event, EventTime};

/// One day of the month grid and the events on it (an event of several days is on each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayEvents<'a> {
    /// The day.
    pub date: Date,
    /// Its events, in [`list_order`].
    pub events: Vec<&'a Event>,
}

/// A month as weeks of seven days, Monday first; days of the neighbouring months are `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthView<'a> {
    /// The first day of the month.
    pub first: Date,
    /// The weeks, each of seven cells.
    pub weeks: Vec<[Option<DayEvents<'a>>; 7]>,
}

impl<'a> MonthView<'a> {
    /// The month that has `day`, with those of `events` that fall on its days.
    pub fn new(day: Date, events: &'a [Event]) -> MonthView<'a> {
        let first = day.first_of_month();
        let last = day.last_of_month();
        let mut in_month: Vec<&Event> = events
            .iter()
            .filter(|event| event.time.first_day() <= last && event.time.last_day() >= first)
            .collect();
        in_month.sort_by(|a, b| list_order(a, b));
        let mut weeks = Vec::new();
        let mut week: [Option<DayEvents<'a>>; 7] = Default::default();
        let mut date = first;
        loop {
            let column = usize::from(date.weekday().to_monday_zero_offset().unsigned_abs());
            let events = in_month
                .iter()
                .copied()
                .filter(|event| event.time.first_day() <= date && date <= event.time.last_day())
                .collect();
            if let Some(cell) = week.get_mut(column) {
                *cell = Some(DayEvents { date, events });
            }
            let next = date.tomorrow().ok().filter(|next| *next <= last);
            if date.weekday() == Weekday::Sunday || next.is_none() {
                weeks.push(std::mem::take(&mut week));
            }
            match next {
                Some(next) => date = next,
                None => break,
            }
        }
        MonthView { first, weeks }
    }

    /// The day `date` of this month, if it is one.
    pub fn day(&self, date: Date) -> Option<&DayEvents<'a>> {
        self.weeks
            .iter()
            .flatten()
            .flatten()
            .find(|cell| cell.date == date)
    }
}

/// The order of the list and of each day: by first day, all-day events before timed ones,
/// then by start time, title and id (so two pages never disagree).
pub fn list_order(a: &Event, b: &Event) -> Ordering {
    let key = |event: &Event| {
        let all_day = matches!(event.time, EventTime::AllDay { .. });
        (event.time.first_day(), !all_day, event.time.start())
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.event_id.cmp(&b.event_id))
}

/// The list view: the events not over on `today`, in [`list_order`].
pub fn upcoming(events: &[Event], today: Date) -> Vec<&Event> {
    let mut list: Vec<&Event> = events
        .iter()
        .filter(|event| !event.is_past(today))
        .collect();
    list.sort_by(|a, b| list_order(a, b));
    list
}

/// The events that suit a family ([`Event::fits_ages`]), keeping their order.
pub fn for_family<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    birth_dates: &[Date],
    due_date: Option<Date>,
    today: Date,
) -> Vec<&'a Event> {
    events
        .into_iter()
        .filter(|event| event.fits_ages(birth_dates, due_date, today))
        .collect()
}
