//! An area's ごみ収集日: for each garbage kind its rules, plus the city's exceptions — a pause
//! (年末年始), a skipped day, a day moved to another, an extra day.
//!
//! The reminder for every citizen is computed the evening before, one area at a time, so the
//! question that has to be cheap is "what does this area collect on day D": [`Schedule::new`]
//! compiles the rules into a table by (weekday, n-th of the month) and sorted date lists, and
//! [`Schedule::collects_on_set`] answers with one table look-up and a few binary searches.
//! Dates are civil dates of the city, Asia/Tokyo (the caller's clock says which day it is
//! there); nothing here reads a clock.

use jiff::civil::{Date, Weekday};

use super::exceptions::{Exception, ScheduleError};
use super::kinds::{KindRules, KindSet, MAX_KINDS};
use super::rules::{MAX_NTH, Rule, nth_of_month};

/// How far [`Schedule::next_collections`] looks: a year and a month, more than the longest gap
/// of any weekday rule (a 5th weekday can be months away) with a 年末年始 pause on top.
pub const NEXT_SEARCH_DAYS: usize = 400;

/// Kinds by weekday (Monday first) and n-th of the month (first first).
type Slots = [[KindSet; MAX_NTH as usize]; 7];

/// The collection calendar of one area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    kinds: Vec<KindRules>,
    exceptions: Vec<Exception>,
    /// Kinds the weekday rules collect, by weekday (Monday first) and n-th of the month.
    slots: Slots,
    /// Kinds the date rules collect, sorted by date, one entry a date.
    dates: Vec<(Date, KindSet)>,
    /// The pauses, as (first, last) day.
    pauses: Vec<(Date, Date)>,
    /// Kinds skipped or moved away, by date.
    removed: Vec<(Date, KindSet)>,
    /// Kinds moved in or extra, by date; these win over pauses and skips, since staff who
    /// move a collection into the 年末年始 break mean it.
    added: Vec<(Date, KindSet)>,
}

impl Schedule {
    /// Builds and compiles a schedule; kinds keep their order (the area's column order).
    pub fn new(kinds: Vec<KindRules>, exceptions: Vec<Exception>) -> Result<Self, ScheduleError> {
        if kinds.len() > MAX_KINDS {
            return Err(ScheduleError::TooManyKinds(kinds.len()));
        }
        let all = KindSet::all(kinds.len());
        let mut schedule = Schedule {
            kinds,
            exceptions,
            slots: Default::default(),
            dates: Vec::new(),
            pauses: Vec::new(),
            removed: Vec::new(),
            added: Vec::new(),
        };
        let mut dates = Vec::new();
        for (index, kind) in schedule.kinds.iter().enumerate() {
            let this = KindSet::single(index);
            for rule in &kind.rules {
                match *rule {
                    Rule::Weekly(weekday) => {
                        for nth in 1..=MAX_NTH {
                            add_slot(&mut schedule.slots, weekday, nth, this);
                        }
                    }
                    Rule::NthWeekday { weekday, nth } => {
                        add_slot(&mut schedule.slots, weekday, nth, this)
                    }
                    Rule::Date(date) => dates.push((date, this)),
                }
            }
        }
        schedule.dates = merged(dates);
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        for exception in &schedule.exceptions {
            match *exception {
                Exception::Pause { from, to } if to < from => {
                    return Err(ScheduleError::PauseEndsBeforeStart { from, to });
                }
                Exception::Pause { from, to } => schedule.pauses.push((from, to)),
                Exception::Skip { date, kinds } => removed.push((date, kinds.intersection(all))),
                Exception::Move { from, to, kinds } => {
                    let moved = schedule.by_rules(from).intersection(kinds);
                    removed.push((from, moved));
                    added.push((to, moved));
                }
                Exception::Extra { date, kinds } => added.push((date, kinds.intersection(all))),
            }
        }
        schedule.removed = merged(removed);
        schedule.added = merged(added);
        Ok(schedule)
    }

    /// The kinds with their rules, in column order.
    pub fn kinds(&self) -> &[KindRules] {
        &self.kinds
    }

    /// The exceptions, as given.
    pub fn exceptions(&self) -> &[Exception] {
        &self.exceptions
    }

    /// Every kind of this calendar.
    pub fn all_kinds(&self) -> KindSet {
        KindSet::all(self.kinds.len())
    }

    /// The column index of a kind's label.
    pub fn kind_index(&self, label: &str) -> Option<usize> {
        self.kinds.iter().position(|kind| kind.label == label)
    }

    /// The labels of a set of kinds, in column order.
    pub fn labels(&self, set: KindSet) -> Vec<&str> {
        set.iter()
            .filter_map(|index| self.kinds.get(index))
            .map(|kind| kind.label.as_str())
            .collect()
    }

    /// Whether no rule collects anything at all (an area staff should look at).
    pub fn has_no_rules(&self) -> bool {
        self.kinds.iter().all(|kind| kind.rules.is_empty())
    }

    /// The kinds collected on `date`, exceptions included: the cheap question, asked for
    /// every area every evening.
    pub fn collects_on_set(&self, date: Date) -> KindSet {
        let paused = self
            .pauses
            .iter()
            .any(|&(from, to)| from <= date && date <= to);
        let due = if paused {
            KindSet::EMPTY
        } else {
            self.by_rules(date).difference(lookup(&self.removed, date))
        };
        due.union(lookup(&self.added, date))
    }

    /// The labels of the kinds collected on `date`, in column order.
    pub fn collects_on(&self, date: Date) -> Vec<&str> {
        self.labels(self.collects_on_set(date))
    }

    /// Every collection day from `from` to `to` (both included), in date order, each with its
    /// kinds as column-index sets; empty when `to` is before `from`.
    pub fn collection_sets(&self, from: Date, to: Date) -> Vec<(Date, KindSet)> {
        days(from)
            .take_while(|date| *date <= to)
            .map(|date| (date, self.collects_on_set(date)))
            .filter(|(_, set)| !set.is_empty())
            .collect()
    }

    /// Every collection day from `from` to `to` (both included), in date order, each with
    /// the labels of its kinds in column order.
    pub fn collection_days(&self, from: Date, to: Date) -> Vec<(Date, Vec<&str>)> {
        self.collection_sets(from, to)
            .into_iter()
            .map(|(date, set)| (date, self.labels(set)))
            .collect()
    }

    /// For each kind in column order, its label and the first day after `after` (not `after`
    /// itself) it is collected, or `None` if not within [`NEXT_SEARCH_DAYS`].
    pub fn next_collections(&self, after: Date) -> Vec<(&str, Option<Date>)> {
        let mut next: Vec<Option<Date>> = vec![None; self.kinds.len()];
        let mut wanted = self.all_kinds();
        for date in days(after).skip(1).take(NEXT_SEARCH_DAYS) {
            let found = self.collects_on_set(date).intersection(wanted);
            for index in found.iter() {
                if let Some(slot) = next.get_mut(index) {
                    *slot = Some(date);
                }
            }
            wanted = wanted.difference(found);
            if wanted.is_empty() {
                break;
            }
        }
        self.kinds
            .iter()
            .map(|kind| kind.label.as_str())
            .zip(next)
            .collect()
    }

    /// The kinds the rules alone collect on `date` (no exceptions).
    fn by_rules(&self, date: Date) -> KindSet {
        let weekday = usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0);
        let nth = usize::from(nth_of_month(date)) - 1;
        let slot = self
            .slots
            .get(weekday)
            .and_then(|row| row.get(nth))
            .copied()
            .unwrap_or_default();
        slot.union(lookup(&self.dates, date))
    }
}

/// The areas that collect anything on `date`, with what they collect: the evening reminder's
/// question for a whole city, one table look-up per area.
pub fn areas_collecting_on<'a, K>(
    areas: impl IntoIterator<Item = (K, &'a Schedule)>,
    date: Date,
) -> Vec<(K, KindSet)> {
    areas
        .into_iter()
        .map(|(key, schedule)| (key, schedule.collects_on_set(date)))
        .filter(|(_, set)| !set.is_empty())
        .collect()
}

/// Adds `kinds` to the slot of the `nth` `weekday` of a month.
fn add_slot(slots: &mut Slots, weekday: Weekday, nth: u8, kinds: KindSet) {
    let row = usize::try_from(weekday.to_monday_zero_offset()).unwrap_or(0);
    let column = usize::from(nth).saturating_sub(1);
    if let Some(slot) = slots.get_mut(row).and_then(|r| r.get_mut(column)) {
        *slot = slot.union(kinds);
    }
}

/// `from` and every day after it, to the end of jiff's calendar. `tomorrow()` rather than a
/// span series: it is several times cheaper, and a year is expanded per area on request.
fn days(from: Date) -> impl Iterator<Item = Date> {
    std::iter::successors(Some(from), |day| day.tomorrow().ok())
}

/// Sorts by date and joins the sets of equal dates, so a binary search finds one entry.
fn merged(mut entries: Vec<(Date, KindSet)>) -> Vec<(Date, KindSet)> {
    entries.sort_by_key(|(date, _)| *date);
    let mut out: Vec<(Date, KindSet)> = Vec::with_capacity(entries.len());
    for (date, set) in entries {
        match out.last_mut() {
            Some((last, joined)) if *last == date => *joined = joined.union(set),
            _ => out.push((date, set)),
        }
    }
    out
}

/// The set of `date` in a [`merged`] list.
fn lookup(list: &[(Date, KindSet)], date: Date) -> KindSet {
    list.binary_search_by_key(&date, |(day, _)| *day)
        .ok()
        .and_then(|index| list.get(index))
        .map_or(KindSet::EMPTY, |(_, set)| *set)
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "calendar_props.rs"]
mod props;
