//! ごみ収集日 — the pure rules of garbage collection days: which kinds (燃やすごみ, 資源 …) an
//! area's calendar collects on which day, the 5374 (ゴミナシ) open-data files that cities
//! publish them in, and the 分別 dictionary that tells which kind an item is.
//!
//! Nothing here does I/O or reads a clock: callers read files and pass their text, and pass the
//! day in Asia/Tokyo from [`crate::clock`].
//!
//! - [`rules`]: one cell of `area_days.csv` (`月 木`, `水2`, `20270105`), read and written.
//! - [`kinds`]: kinds as column indices and compact sets of them.
//! - [`exceptions`]: pauses (年末年始), skipped, moved and extra days.
//! - [`calendar`]: an area's schedule, compiled for "what is collected on day D".
//! - [`data`]: a city's garbage data as the 5374 files hold it.
//! - [`five374`]: import and export of the 5374 files, every row checked before anything is
//!   returned; [`import_error`] says what was wrong, where, in Japanese or English.
//! - [`search`]: the 分別 search over the dictionary; [`kana`] folds kana and widths for it.

pub mod calendar;
pub mod data;
pub mod exceptions;
pub mod five374;
mod five374_export;
mod five374_rows;
pub mod import_error;
pub mod kana;
pub mod kinds;
pub mod rules;
pub mod search;

pub use calendar::{Schedule, areas_collecting_on};
pub use data::{Area, Center, GarbageData, KindDescription, Remark, Target};
pub use exceptions::{Exception, ScheduleError};
pub use five374::{Five374Files, Imported, export, import};
pub use import_error::{Five374File, GarbageImportError, ImportReason, ImportWarning, WarningKind};
pub use kinds::{KindRules, KindSet};
pub use rules::{Rule, RuleError, format_rules, parse_rules};
pub use search::{MatchRank, SearchHit, SortingDictionary};
