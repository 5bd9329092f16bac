//! The card's barcode as the library's scanners expect it: NW-7 (Codabar) with the library's
//! start and stop characters, or Code 128 for a library whose cards carry that.

use serde::{Deserialize, Serialize};
use shimin_sync::library::card::{CardRules, CheckScheme, mod16_check_char};

use crate::domain::library_barcode::{self, BarcodeError};

/// How a library's cards carry their number (`[library.barcode]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "symbology", rename_all = "snake_case", deny_unknown_fields)]
pub enum CardBarcode {
    /// NW-7 (Codabar), what most Japanese library cards carry.
    Codabar {
        /// The start character, `A`–`D`.
        start: char,
        /// The stop character, `A`–`D`.
        stop: char,
    },
    /// Code 128 (character set B).
    Code128,
}

impl Default for CardBarcode {
    /// NW-7, `A` to `A`.
    fn default() -> Self {
        Self::Codabar {
            start: 'A',
            stop: 'A',
        }
    }
}

impl CardBarcode {
    /// The symbol's text as a scanner reads it: for NW-7 the start character, the number,
    /// the modulus 16 check character where the library uses one, and the stop character.
    pub fn symbol_text(&self, number: &str, rules: &CardRules) -> String {
        match *self {
            Self::Codabar { start, stop } => {
                let bare = format!("{start}{number}{stop}");
                match (rules.check, mod16_check_char(&bare)) {
                    (CheckScheme::Mod16, Some(check)) => format!("{start}{number}{check}{stop}"),
                    _ => bare,
                }
            }
            Self::Code128 => number.to_owned(),
        }
    }

    /// The barcode as an SVG `height` modules tall, its quiet zones included.
    pub fn svg(
        &self,
        number: &str,
        rules: &CardRules,
        height: u32,
    ) -> Result<String, BarcodeError> {
        match *self {
            Self::Codabar { start, stop } => {
                let text = self.symbol_text(number, rules);
                let data: String = text
                    .chars()
                    .skip(1)
                    .take(text.chars().count() - 2)
                    .collect();
                library_barcode::codabar_svg(start, &data, stop, height)
            }
            Self::Code128 => library_barcode::code128_svg(number, height),
        }
    }

    /// A short name for pages (`NW-7`, `Code 128`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Codabar { .. } => "NW-7",
            Self::Code128 => "Code 128",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nw7_text_has_the_start_stop_and_a_mod16_check_where_used() {
        let rules = CardRules::default();
        let nw7 = CardBarcode::Codabar {
            start: 'A',
            stop: 'B',
        };
        assert_eq!(nw7.symbol_text("2100000000016", &rules), "A2100000000016B");
        let mod16 = CardRules {
            min_len: 5,
            max_len: 5,
            check: CheckScheme::Mod16,
            prefix: String::new(),
        };
        // The textbook example: A37859B carries the check character '+'.
        assert_eq!(nw7.symbol_text("37859", &mod16), "A37859+B");
        assert_eq!(CardBarcode::Code128.symbol_text("37859", &mod16), "37859");
    }

    #[test]
    fn the_settings_read_from_toml() {
        #[derive(Deserialize)]
        struct Wrap {
            barcode: CardBarcode,
        }
        let nw7: Wrap =
            toml::from_str("[barcode]\nsymbology = \"codabar\"\nstart = \"C\"\nstop = \"D\"\n")
                .unwrap();
        assert_eq!(
            nw7.barcode,
            CardBarcode::Codabar {
                start: 'C',
                stop: 'D'
            }
        );
        let code128: Wrap = toml::from_str("[barcode]\nsymbology = \"code128\"\n").unwrap();
        assert_eq!(code128.barcode, CardBarcode::Code128);
    }

    #[test]
    fn both_symbologies_draw() {
        let rules = CardRules::default();
        let svg = CardBarcode::default()
            .svg("1234567890", &rules, 40)
            .unwrap();
        assert!(svg.starts_with("<svg"));
        let svg = CardBarcode::Code128.svg("1234567890", &rules, 40).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<rect x="));
    }
}
