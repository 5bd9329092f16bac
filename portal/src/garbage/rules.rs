//! One cell of a 5374 `area_days.csv`: the rules that say on which days a garbage kind is
//! collected in an area.
//!
//! A cell holds rules separated by spaces: `月` (every Monday), `水2` (the second Wednesday of
//! each month) or `20270105` (that date only). Cells are typed by hand in spreadsheet programs,
//! so full-width digits and the ideographic space (U+3000) are read as their ASCII forms;
//! [`format_rules`] always writes the canonical form, and reading it back gives the same rules.

use std::fmt;

use jiff::civil::{Date, Weekday};

/// The weekday characters of a 5374 cell, Monday first.
const WEEKDAY_CHARS: [(char, Weekday); 7] = [
    ('月', Weekday::Monday),
    ('火', Weekday::Tuesday),
    ('水', Weekday::Wednesday),
    ('木', Weekday::Thursday),
    ('金', Weekday::Friday),
    ('土', Weekday::Saturday),
    ('日', Weekday::Sunday),
];

/// The highest n of "the n-th weekday of the month": no month has a sixth Monday.
pub const MAX_NTH: u8 = 5;

/// One rule of a collection schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Every such weekday (`月`).
    Weekly(Weekday),
    /// The `nth` (1–[`MAX_NTH`]) such weekday of every month (`水2`).
    NthWeekday {
        /// The weekday.
        weekday: Weekday,
        /// Which one of the month: 1 for the first.
        nth: u8,
    },
    /// That date only (`20270105`).
    Date(Date),
}

impl Rule {
    /// Whether the rule collects on `date`.
    pub fn matches(&self, date: Date) -> bool {
        match *self {
            Rule::Weekly(weekday) => date.weekday() == weekday,
            Rule::NthWeekday { weekday, nth } => {
                date.weekday() == weekday && nth_of_month(date) == nth
            }
            Rule::Date(only) => date == only,
        }
    }

    /// Reads one token of a cell (already split on spaces).
    pub fn parse_token(token: &str) -> Result<Rule, RuleError> {
        let normal: String = token.chars().map(ascii_digit).collect();
        let error = |reason| RuleError {
            token: token.to_owned(),
            reason,
        };
        if normal.len() == 8 && normal.bytes().all(|b| b.is_ascii_digit()) {
            return parse_date(&normal)
                .map(Rule::Date)
                .ok_or_else(|| error(RuleErrorReason::NoSuchDate));
        }
        let mut chars = normal.chars();
        let weekday = chars
            .next()
            .and_then(weekday_of)
            .ok_or_else(|| error(RuleErrorReason::UnknownToken))?;
        let rest = chars.as_str();
        if rest.is_empty() {
            return Ok(Rule::Weekly(weekday));
        }
        if !rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error(RuleErrorReason::UnknownToken));
        }
        match rest.parse::<u8>() {
            Ok(nth) if (1..=MAX_NTH).contains(&nth) => Ok(Rule::NthWeekday { weekday, nth }),
            _ => Err(error(RuleErrorReason::NthOutOfRange)),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Rule::Weekly(weekday) => write!(f, "{}", weekday_char(weekday)),
            Rule::NthWeekday { weekday, nth } => write!(f, "{}{nth}", weekday_char(weekday)),
            Rule::Date(date) => write!(f, "{:04}{:02}{:02}", date.year(), date.month(), date.day()),
        }
    }
}

/// Which of its kind in the month a date's weekday is: 1 for days 1–7, 5 for days 29–31.
pub fn nth_of_month(date: Date) -> u8 {
    // day() is 1..=31, so this is 1..=5 and fits.
    u8::try_from((date.day() - 1) / 7 + 1).unwrap_or(MAX_NTH)
}

/// Why a cell could not be read, and the token that was at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(crate::i18n::Lang::Ja))]
pub struct RuleError {
    /// The token as it was written in the cell.
    pub token: String,
    /// What is wrong with it.
    pub reason: RuleErrorReason,
}

/// What is wrong with a token of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleErrorReason {
    /// Neither a weekday, a weekday with a number, nor an 8-digit date.
    UnknownToken,
    /// A weekday with a number outside 1–[`MAX_NTH`] (`水6`).
    NthOutOfRange,
    /// Eight digits that are not a date of the calendar (`20270230`).
    NoSuchDate,
}

impl RuleError {
    /// A stable name of the reason, for logs and programs.
    pub fn code(&self) -> &'static str {
        match self.reason {
            RuleErrorReason::UnknownToken => "unknown_rule_token",
            RuleErrorReason::NthOutOfRange => "nth_out_of_range",
            RuleErrorReason::NoSuchDate => "no_such_date",
        }
    }

    /// The message for a person, in Japanese or English.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        let token = &self.token;
        match (self.reason, lang) {
            (RuleErrorReason::UnknownToken, Lang::Ja) => format!(
                "「{token}」は収集日として読めません(曜日「月」、第n曜日「水2」、日付「20270105」のいずれかで書いてください)"
            ),
            (RuleErrorReason::UnknownToken, Lang::En) => format!(
                "\"{token}\" is not a collection rule (write a weekday \"月\", an n-th weekday \"水2\" or a date \"20270105\")"
            ),
            (RuleErrorReason::NthOutOfRange, Lang::Ja) => {
                format!("「{token}」: 第何曜日かは1から{MAX_NTH}までです")
            }
            (RuleErrorReason::NthOutOfRange, Lang::En) => {
                format!("\"{token}\": the n-th weekday must be 1 to {MAX_NTH}")
            }
            (RuleErrorReason::NoSuchDate, Lang::Ja) => format!("「{token}」という日付はありません"),
            (RuleErrorReason::NoSuchDate, Lang::En) => format!("\"{token}\" is not a date"),
        }
    }
}

/// Reads a whole cell; an empty cell is no rules (not collected in that area).
pub fn parse_rules(cell: &str) -> Result<Vec<Rule>, RuleError> {
    cell.split(|c: char| c.is_whitespace())
        .filter(|token| !token.is_empty())
        .map(Rule::parse_token)
        .collect()
}

/// Writes rules as a cell, separated by one ASCII space: the inverse of [`parse_rules`].
pub fn format_rules(rules: &[Rule]) -> String {
    rules
        .iter()
        .map(Rule::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The cell character of a weekday (`月` for Monday).
pub fn weekday_char(weekday: Weekday) -> char {
    WEEKDAY_CHARS
        .iter()
        .find(|(_, day)| *day == weekday)
        .map_or('?', |(c, _)| *c)
}

/// The weekday of a cell character, if it is one.
pub fn weekday_of(c: char) -> Option<Weekday> {
    WEEKDAY_CHARS
        .iter()
        .find(|(day_char, _)| *day_char == c)
        .map(|(_, day)| *day)
}

/// A full-width digit as its ASCII digit; any other character unchanged.
fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => {
            char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
        }
        other => other,
    }
}

/// `YYYYMMDD` (eight ASCII digits) as a date, if the calendar has it.
fn parse_date(digits: &str) -> Option<Date> {
    let year: i16 = digits.get(0..4)?.parse().ok()?;
    let month: i8 = digits.get(4..6)?.parse().ok()?;
    let day: i8 = digits.get(6..8)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
