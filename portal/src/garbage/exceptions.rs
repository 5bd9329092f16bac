//! The exceptions staff make to an area's rules for particular days, and why a schedule can be
//! refused.
//!
//! Exceptions are kept as staff entered them (so they can be shown and edited); the
//! [`Schedule`](super::calendar::Schedule) compiles them for fast look-up.

use jiff::civil::Date;

use super::kinds::{KindSet, MAX_KINDS};
use crate::i18n::Lang;

/// A change to the rules that staff make for particular days.
///
/// Pauses and skips take away; moves and extra days add, and what they add is collected even
/// inside a pause or on a skipped day (staff who move a collection into the 年末年始 break
/// mean it). A move carries only what the rules collect on its `from` day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exception {
    /// No collection of any kind from `from` to `to`, both included (a 5374 center's
    /// 休止開始日–休止終了日).
    Pause {
        /// First day without collection.
        from: Date,
        /// Last day without collection.
        to: Date,
    },
    /// No collection of `kinds` on `date`.
    Skip {
        /// The day.
        date: Date,
        /// The kinds not collected.
        kinds: KindSet,
    },
    /// What the rules collect of `kinds` on `from` is collected on `to` instead.
    Move {
        /// The day the rules say.
        from: Date,
        /// The day it is collected.
        to: Date,
        /// The kinds moved (others due on `from` stay there).
        kinds: KindSet,
    },
    /// `kinds` are also collected on `date`.
    Extra {
        /// The day.
        date: Date,
        /// The kinds collected.
        kinds: KindSet,
    },
}

/// Why a schedule could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum ScheduleError {
    /// More kinds than [`MAX_KINDS`].
    TooManyKinds(usize),
    /// A pause whose last day is before its first.
    PauseEndsBeforeStart {
        /// The first day.
        from: Date,
        /// The last day.
        to: Date,
    },
}

impl ScheduleError {
    /// The message for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::TooManyKinds(n), Lang::Ja) => {
                format!("ごみの種別が{n}あります(最大{MAX_KINDS})")
            }
            (Self::TooManyKinds(n), Lang::En) => {
                format!("{n} garbage kinds (at most {MAX_KINDS})")
            }
            (Self::PauseEndsBeforeStart { from, to }, Lang::Ja) => {
                format!("休止終了日 {to} が休止開始日 {from} より前です")
            }
            (Self::PauseEndsBeforeStart { from, to }, Lang::En) => {
                format!("the pause ends ({to}) before it starts ({from})")
            }
        }
    }
}
