//! The store seam for ごみ収集日: the city's 5374 files and its areas' ids, the exceptions staff
//! add, each citizen's area and reminder, and the reminders made.

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};

use super::StoreError;
use crate::{domain::AccountId, garbage::Five374Files};

/// The city's garbage files as kept, with the ids of their areas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGarbage {
    /// The files' text as last imported.
    pub files: Five374Files,
    /// +1 on every change (an import, an exception added or removed).
    pub revision: i64,
    /// When they were imported.
    pub imported_at: Timestamp,
    /// Every area ever imported: id, name, and whether the current files have it.
    pub areas: Vec<(i64, String, bool)>,
}

/// What a stored exception does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionKind {
    /// No collection from `from` to `to`.
    Pause,
    /// No collection of the kinds on `from`.
    Skip,
    /// The kinds due on `from` are collected on `to`.
    Move,
    /// The kinds are also collected on `from`.
    Extra,
}

impl ExceptionKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pause => "pause",
            Self::Skip => "skip",
            Self::Move => "move",
            Self::Extra => "extra",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Pause, Self::Skip, Self::Move, Self::Extra]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }
}

/// An exception as staff entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredException {
    /// Its id (0 before it is stored).
    pub exception_id: i64,
    /// The area, or `None` for every area.
    pub area_id: Option<i64>,
    /// What it does.
    pub kind: ExceptionKind,
    /// The day (a pause's first day; a move's day by the rules).
    pub from: Date,
    /// A pause's last day, or a move's new day.
    pub to: Option<Date>,
    /// The kinds concerned, by label; empty for all.
    pub kinds: Vec<String>,
    /// Why (年末年始, 祝日 …), for staff and citizens.
    pub note: String,
}

/// When a citizen is reminded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Remind {
    /// The evening before, at the hour.
    Evening,
    /// The morning of the day, at the hour.
    Morning,
    /// Not at all (the calendar only).
    Off,
}

impl Remind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Evening => "evening",
            Self::Morning => "morning",
            Self::Off => "off",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Evening, Self::Morning, Self::Off]
            .into_iter()
            .find(|remind| remind.as_str() == text)
    }
}

/// A citizen's ごみ収集日 setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GarbageSetting {
    /// Their area.
    pub area_id: i64,
    /// When they are reminded.
    pub remind: Remind,
    /// At which hour (0–23, Asia/Tokyo).
    pub hour: u8,
}

/// One reminder slot: a collection day, evening or morning, an hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    /// The collection day.
    pub date: Date,
    /// Evening before or morning of.
    pub remind: Remind,
    /// The hour.
    pub hour: u8,
}

/// Garbage data and settings.
#[async_trait]
pub trait GarbageStore: Send + Sync + 'static {
    /// The city's files, if imported.
    async fn garbage(&self) -> Result<Option<StoredGarbage>, StoreError>;

    /// The revision of the city's data (0 before any import): cheap, to know when to reload.
    async fn garbage_revision(&self) -> Result<i64, StoreError>;

    /// Replaces the city's files; `areas` are the new files' area names. Areas keep their ids
    /// by name; those not in `areas` become inactive.
    async fn save_garbage(
        &self,
        files: Five374Files,
        areas: Vec<String>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Every exception, oldest first.
    async fn garbage_exceptions(&self) -> Result<Vec<StoredException>, StoreError>;

    /// Adds an exception; its id.
    async fn add_garbage_exception(
        &self,
        exception: StoredException,
        now: Timestamp,
    ) -> Result<i64, StoreError>;

    /// Removes an exception; `false` when there was none.
    async fn delete_garbage_exception(&self, exception_id: i64) -> Result<bool, StoreError>;

    /// The citizen's setting.
    async fn garbage_setting(
        &self,
        account_id: AccountId,
    ) -> Result<Option<GarbageSetting>, StoreError>;

    /// Saves (or with `None` removes) the citizen's setting.
    async fn save_garbage_setting(
        &self,
        account_id: AccountId,
        setting: Option<GarbageSetting>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// The citizens still to be reminded in `slot`, by area: the areas whose run for it is not
    /// done, each with its active citizens not yet reminded of the day (possibly none). One
    /// query for the whole slot.
    async fn garbage_slot_due(&self, slot: Slot) -> Result<Vec<(i64, Vec<AccountId>)>, StoreError>;

    /// The (remind, hour) pairs some citizen has chosen (reminders on).
    async fn garbage_slot_kinds(&self) -> Result<Vec<(Remind, u8)>, StoreError>;

    /// Marks `slot` done for `area_id` with nothing delivered (nothing to collect, or nobody
    /// left to remind), and `reminded` as reminded of its day, in one transaction. A
    /// delivery marks its slot itself ([`super::Source::GarbageReminder`]).
    async fn finish_garbage_run(
        &self,
        slot: Slot,
        area_id: i64,
        reminded: Vec<AccountId>,
        now: Timestamp,
    ) -> Result<(), StoreError>;
}
