//! Library card numbers: the rules a library sets for its cards (length and check digit), and
//! reading a number as a citizen types it or a kiosk's camera decodes it from the card's
//! NW-7 (Codabar) barcode.
//!
//! Japanese library systems let each library pick its check digit scheme; the ones their
//! vendors offer are here ([`CheckScheme`]). A reader can return a partial Codabar symbol
//! (Codabar has no check of its own), so every number is checked against the rules before use.

use serde::{Deserialize, Serialize};

use crate::text::halfwidth_digit;

/// How the last digit of a card number checks the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckScheme {
    /// No check digit.
    None,
    /// セブンチェック DR: the number (without its check digit) modulo 7.
    Dr7,
    /// セブンチェック DSR: 7 minus the number modulo 7 (0 when that is 7).
    Dsr7,
    /// ナインチェック DR: the number modulo 9.
    Dr9,
    /// ナインチェック DSR: 9 minus the number modulo 9 (0 when that is 9).
    Dsr9,
    /// モジュラス10 ウェイト2-1 (分割, Luhn): weights 2, 1, … from the right, the digits of
    /// each product added, 10 minus the sum modulo 10.
    Mod10W21,
    /// モジュラス10 ウェイト3-1 (JAN style): weights 3, 1, … from the right, 10 minus the sum
    /// modulo 10.
    Mod10W31,
    /// モジュラス11 ウェイト2-7: weights 2 to 7 from the right, repeated; 11 minus the sum
    /// modulo 11, and 0 when the remainder is 0 or 1.
    Mod11W27,
    /// モジュラス16: NW-7's own check character, over the whole symbol with its start and stop
    /// characters, just before the stop character. Only a scanned symbol carries it; a typed
    /// number is checked for its length alone.
    Mod16,
}

/// A library's rules for its card numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRules {
    /// The fewest digits a card number has, its check digit included.
    pub min_len: usize,
    /// The most digits.
    pub max_len: usize,
    /// The check digit scheme.
    pub check: CheckScheme,
    /// The digits every card number starts with (empty: any). Libraries whose books carry NW-7
    /// labels of the same length tell cards from books by it (e.g. cards `2…`, books `3…`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
}

impl Default for CardRules {
    /// Ten digits, the last a モジュラス10 ウェイト2-1 check digit, any prefix.
    fn default() -> Self {
        Self {
            min_len: 10,
            max_len: 10,
            check: CheckScheme::Mod10W21,
            prefix: String::new(),
        }
    }
}

/// Why a text is not a card number of this library. [`CardError::code`] names it for messages
/// in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// Nothing was given.
    #[error("no card number")]
    Empty,
    /// Something other than digits (after the start and stop characters and spaces).
    #[error("a card number has digits only")]
    NotDigits,
    /// Too few or too many digits.
    #[error("a card number has {min}–{max} digits")]
    Length {
        /// The fewest.
        min: usize,
        /// The most.
        max: usize,
    },
    /// The check digit (or NW-7 check character) does not match.
    #[error("the check digit does not match")]
    CheckDigit,
    /// The number does not start as this library's cards do.
    #[error("a card number starts with {0}")]
    Prefix(String),
}

impl CardError {
    /// A stable name for the error (`card_empty`, `card_not_digits`, `card_length`,
    /// `card_check_digit`, `card_prefix`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "card_empty",
            Self::NotDigits => "card_not_digits",
            Self::Length { .. } => "card_length",
            Self::CheckDigit => "card_check_digit",
            Self::Prefix(_) => "card_prefix",
        }
    }
}

/// Whether `c` is an NW-7 start/stop character.
fn is_start_stop(c: char) -> bool {
    matches!(c, 'A'..='D' | 'a'..='d')
}

impl CardRules {
    /// The card number in `text` — typed (full-width digits, spaces and hyphens allowed) or
    /// decoded from the card's barcode (with its start and stop characters) — as plain ASCII
    /// digits, checked against the rules.
    pub fn read(&self, text: &str) -> Result<String, CardError> {
        let text: String = text
            .trim()
            .chars()
            .map(|c| match c {
                'Ａ'..='Ｄ' => char::from(b'A' + (u32::from(c) - u32::from('Ａ')) as u8),
                other => halfwidth_digit(other),
            })
            .collect();
        if text.is_empty() {
            return Err(CardError::Empty);
        }
        let chars: Vec<char> = text.chars().collect();
        let framed =
            chars.len() >= 2 && is_start_stop(chars[0]) && is_start_stop(chars[chars.len() - 1]);
        let inner: &[char] = if framed {
            &chars[1..chars.len() - 1]
        } else {
            &chars
        };
        let inner = if framed && self.check == CheckScheme::Mod16 {
            let symbol: String = chars.iter().collect::<String>().to_ascii_uppercase();
            if !mod16_holds(&symbol) {
                return Err(CardError::CheckDigit);
            }
            // The check character goes; it is not part of the number.
            inner.get(..inner.len().saturating_sub(1)).unwrap_or(&[])
        } else {
            inner
        };
        let digits: String = inner
            .iter()
            .filter(|c| !matches!(c, ' ' | '-' | '　'))
            .collect();
        if digits.is_empty() {
            return Err(CardError::Empty);
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(CardError::NotDigits);
        }
        if digits.len() < self.min_len || digits.len() > self.max_len {
            return Err(CardError::Length {
                min: self.min_len,
                max: self.max_len,
            });
        }
        if !digits.starts_with(&self.prefix) {
            return Err(CardError::Prefix(self.prefix.clone()));
        }
        let (data, check) = digits.split_at(digits.len() - 1);
        match check_digit(self.check, data) {
            Some(expected) if !check.starts_with(expected) => Err(CardError::CheckDigit),
            _ => Ok(digits),
        }
    }
}

/// The digits of `data` as numbers.
fn values(data: &str) -> impl DoubleEndedIterator<Item = u32> + '_ {
    data.chars().filter_map(|c| c.to_digit(10))
}

/// The check digit `scheme` gives for `data` (ASCII digits), or `None` for a scheme with no
/// decimal check digit ([`CheckScheme::None`], [`CheckScheme::Mod16`]).
pub fn check_digit(scheme: CheckScheme, data: &str) -> Option<char> {
    let modulo = |m: u32| values(data).fold(0, |r, d| (r * 10 + d) % m);
    let weighted = |weights: &[u32]| -> u32 {
        values(data)
            .rev()
            .zip(weights.iter().cycle())
            .map(|(d, w)| d * w)
            .sum()
    };
    let digit = match scheme {
        CheckScheme::None | CheckScheme::Mod16 => return None,
        CheckScheme::Dr7 => modulo(7),
        CheckScheme::Dsr7 => (7 - modulo(7)) % 7,
        CheckScheme::Dr9 => modulo(9),
        CheckScheme::Dsr9 => (9 - modulo(9)) % 9,
        CheckScheme::Mod10W21 => {
            let sum: u32 = values(data)
                .rev()
                .zip([2, 1].iter().cycle())
                .map(|(d, w)| {
                    let p = d * w;
                    p / 10 + p % 10
                })
                .sum();
            (10 - sum % 10) % 10
        }
        CheckScheme::Mod10W31 => (10 - weighted(&[3, 1]) % 10) % 10,
        CheckScheme::Mod11W27 => match weighted(&[2, 3, 4, 5, 6, 7]) % 11 {
            0 | 1 => 0,
            r => 11 - r,
        },
    };
    char::from_digit(digit, 10)
}

/// The value of an NW-7 character in the modulus 16 check.
fn nw7_value(c: char) -> Option<u32> {
    const SYMBOLS: &str = "0123456789-$:/.+ABCD";
    SYMBOLS.find(c).map(|i| i as u32)
}

/// Whether a whole NW-7 symbol (start, data, check character, stop) passes modulus 16.
fn mod16_holds(symbol: &str) -> bool {
    symbol
        .chars()
        .map(nw7_value)
        .sum::<Option<u32>>()
        .is_some_and(|sum| sum % 16 == 0)
}

/// The NW-7 check character modulus 16 adds to `symbol` (start, data and stop), placed just
/// before the stop character.
pub fn mod16_check_char(symbol: &str) -> Option<char> {
    let sum = symbol.chars().map(nw7_value).sum::<Option<u32>>()?;
    "0123456789-$:/.+"
        .chars()
        .nth(((16 - sum % 16) % 16) as usize)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "card_tests.rs"]
mod tests;
