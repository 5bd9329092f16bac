//! The city's garbage data as the portal serves it: the 5374 data read back from the store,
//! each active area's [`Schedule`] compiled with the exceptions staff added, the 分別
//! dictionary, and what staff should look at. Built once per revision of the data; pure.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::{
    garbage::{
        Exception, GarbageData, ImportWarning, KindSet, Schedule, SortingDictionary, import,
        kana::fold,
    },
    store::{ExceptionKind, StoredException, StoredGarbage},
};

/// An area as citizens pick it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRef {
    /// Its stable id.
    pub area_id: i64,
    /// 町名・地区名.
    pub name: String,
}

/// The city's garbage data, compiled.
#[derive(Debug)]
pub struct City {
    /// The revision it was built from.
    pub revision: i64,
    /// The data as imported.
    pub data: GarbageData,
    /// The active areas, in file order.
    pub areas: Vec<AreaRef>,
    /// Each active area's schedule, by id.
    schedules: HashMap<i64, Schedule>,
    /// The 分別 dictionary.
    pub dictionary: SortingDictionary,
    /// Things staff should look at: areas with no collection day, kinds without description.
    pub warnings: Vec<ImportWarning>,
    /// Exceptions that name a kind the data no longer has (ignored), by id.
    pub stale_exceptions: Vec<i64>,
    /// Every exception as staff entered it.
    pub exceptions: Vec<StoredException>,
}

/// Turns a stored exception into the rules' form under the city's `kinds`; `None` when it
/// names a kind the city does not have.
fn exception(stored: &StoredException, kinds: &[String]) -> Option<Exception> {
    let set = if stored.kinds.is_empty() {
        KindSet::all(kinds.len())
    } else {
        let mut indices = Vec::with_capacity(stored.kinds.len());
        for label in &stored.kinds {
            indices.push(kinds.iter().position(|kind| kind == label)?);
        }
        KindSet::of(indices)
    };
    Some(match stored.kind {
        ExceptionKind::Pause => Exception::Pause {
            from: stored.from,
            to: stored.to.unwrap_or(stored.from),
        },
        ExceptionKind::Skip => Exception::Skip {
            date: stored.from,
            kinds: set,
        },
        ExceptionKind::Move => Exception::Move {
            from: stored.from,
            to: stored.to.unwrap_or(stored.from),
            kinds: set,
        },
        ExceptionKind::Extra => Exception::Extra {
            date: stored.from,
            kinds: set,
        },
    })
}

impl City {
    /// Compiles the stored data. Fails only if the stored files no longer import (a newer
    /// portal's rules): the message says why.
    pub fn build(stored: &StoredGarbage, exceptions: Vec<StoredException>) -> Result<Self, String> {
        let imported = import(&stored.files).map_err(|error| error.to_string())?;
        let data = imported.data;
        let mut stale = Vec::new();
        let mut areas = Vec::new();
        let mut schedules = HashMap::new();
        for area in &data.areas {
            let Some((area_id, _, _)) = stored
                .areas
                .iter()
                .find(|(_, name, active)| *active && *name == area.name)
            else {
                continue;
            };
            let mut extra = Vec::new();
            for stored in exceptions
                .iter()
                .filter(|e| e.area_id.is_none() || e.area_id == Some(*area_id))
            {
                match exception(stored, &data.kinds) {
                    Some(exception) => extra.push(exception),
                    None if !stale.contains(&stored.exception_id) => {
                        stale.push(stored.exception_id);
                    }
                    None => {}
                }
            }
            let schedule = data
                .schedule(area, &extra)
                .map_err(|error| error.to_string())?;
            schedules.insert(*area_id, schedule);
            areas.push(AreaRef {
                area_id: *area_id,
                name: area.name.clone(),
            });
        }
        Ok(Self {
            revision: stored.revision,
            dictionary: SortingDictionary::new(data.targets.clone()),
            data,
            areas,
            schedules,
            warnings: imported.warnings,
            stale_exceptions: stale,
            exceptions,
        })
    }

    /// The schedule of an active area.
    pub fn schedule(&self, area_id: i64) -> Option<&Schedule> {
        self.schedules.get(&area_id)
    }

    /// The area of that id, if active.
    pub fn area(&self, area_id: i64) -> Option<&AreaRef> {
        self.areas.iter().find(|area| area.area_id == area_id)
    }

    /// Areas whose name holds every word of `query` (kana- and width-insensitive), at most
    /// `limit`, names that start with it first.
    pub fn search_areas(&self, query: &str, limit: usize) -> Vec<&AreaRef> {
        let query = fold(query);
        let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(bool, &AreaRef)> = self
            .areas
            .iter()
            .filter_map(|area| {
                let name = fold(&area.name);
                let first = words.first().is_some_and(|word| name.starts_with(word));
                words
                    .iter()
                    .all(|word| name.contains(word))
                    .then_some((!first, area))
            })
            .collect();
        hits.sort_by_key(|(later, _)| *later);
        hits.into_iter().take(limit).map(|(_, area)| area).collect()
    }

    /// The collection days of an area in `[from, to]`, with the kinds' labels.
    pub fn calendar(&self, area_id: i64, from: Date, to: Date) -> Option<Vec<(Date, Vec<&str>)>> {
        Some(self.schedule(area_id)?.collection_days(from, to))
    }
}

#[cfg(test)]
#[path = "city_tests.rs"]
mod tests;
