//! 子育てのタイミング情報 — the pure rules of timely information for families: 妊娠週数 from the
//! 出産予定日, a child's age in months, the city's schedule of messages (pregnancy stages,
//! 乳幼児健診, 予防接種, age-based 教室) and which of them are due for a family on a day.
//!
//! Nothing here does I/O or reads a clock: today (in Asia/Tokyo) and the family are passed in;
//! the sender keeps the keys it has sent.
//!
//! - [`age`]: age in months and days from the 生年月日, month ends and leap days included.
//! - [`pregnancy`]: 妊娠n週m日 from the 出産予定日.
//! - [`schedule`]: the city-edited schedule (`portal/data/timely.toml`), checked
//!   ([`schedule_error`] says where a file is wrong).
//! - [`mod@due`]: the messages due on a day, each with a stable key.

pub mod age;
pub mod due;
pub mod pregnancy;
pub mod schedule;
pub mod schedule_error;

pub use age::{Age, age_on, months_between, turns_months};
pub use due::{ChildFacts, DueMessage, FamilyFacts, Pregnancy, Subject, due, timeline};
pub use pregnancy::{PregnancyWeek, day_of_week, pregnancy_week};
pub use schedule::{Category, Item, Schedule, Text, When};
pub use schedule_error::{ScheduleError, ScheduleProblem};
