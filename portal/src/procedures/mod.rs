//! ライフイベントの手続き — answer a few simple questions (妊娠, 出生, 転入, 入園, 就学 …
//! and some facts about the household) and get the procedures needed: what, where, what to
//! bring, by when.
//!
//! The questions and procedures are the city's data, not code: a reviewed TOML file
//! ([`EMBEDDED_PROCEDURES`] is `portal/data/procedures.toml`) whose every reference is checked
//! when it is read, a problem refused with its line ([`ProceduresError`]). Nothing here does
//! I/O or reads a clock.
//!
//! - [`model`]: questions, procedures, conditions, answers.
//! - [`guide`]: the checked file; the questions to ask next and the procedures found.
//! - [`text`]: the result as plain text, to print or share.
//! - [`error`]: why a file was refused.

pub mod error;
pub mod guide;
pub mod model;
mod parse;
pub mod text;

pub use error::{Problem, ProceduresError};
pub use guide::{EMBEDDED_PROCEDURES, Guide};
pub use model::{Answers, Choice, Clause, Condition, NO, Procedure, Question, QuestionKind, YES};
pub use text::{japanese_date, render_text};

#[cfg(test)]
#[path = "guide_tests.rs"]
mod guide_tests;
#[cfg(test)]
#[path = "parse_tests.rs"]
mod parse_tests;
