//! The library card's barcode as the phone shows it at the counter: NW-7 (Codabar), the
//! symbol the card itself carries, or Code 128 where a library's cards carry that, drawn as
//! SVG with its quiet zones.
//!
//! The bars come from barcoders, one character at a time, with its two faults in 2.0.0 mended
//! here: it draws the start/stop characters B and C swapped (A and D are right), so it is asked
//! for the other one; and it draws `+` with five wide elements (`101100110011`), which no
//! reader takes, so `+` gets the standard pattern (ZXing's 0x015: `1011011011`). Tests pin the
//! standard patterns, so a barcoders that fixes either fails them instead of being mended
//! wrong, and every symbol drawn here is read back by an independent decoder (zbar) in
//! `portal/tests/library_barcode_zbar.rs`.

use barcoders::sym::codabar::Codabar;

/// Narrow modules of white on each side of the bars (NW-7 asks for at least 10).
pub const QUIET_MODULES: usize = 12;

/// Why a barcode could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BarcodeError {
    /// The start or stop character is not one of A, B, C, D.
    #[error("NW-7 starts and stops with A, B, C or D, not {0:?}")]
    StartStop(char),
    /// The data holds a character NW-7 cannot encode, or is empty.
    #[error("NW-7 cannot encode {0:?}")]
    Data(String),
}

/// NW-7's `+`: bar, space, wide bar, space, wide bar, space, wide bar.
const PLUS: [u8; 10] = [1, 0, 1, 1, 0, 1, 1, 0, 1, 1];

/// The modules of one NW-7 character.
fn character(c: char) -> Result<Vec<u8>, BarcodeError> {
    let asked = match c {
        '+' => return Ok(PLUS.to_vec()),
        'B' => 'C',
        'C' => 'B',
        other => other,
    };
    Codabar::new(asked.to_string())
        .map(|symbol| symbol.encode())
        .map_err(|_| BarcodeError::Data(c.to_string()))
}

/// The modules (1 = bar, 0 = space, each one narrow unit wide) of the NW-7 symbol
/// `start` `data` `stop`, without quiet zones.
pub fn codabar_modules(start: char, data: &str, stop: char) -> Result<Vec<u8>, BarcodeError> {
    let (start, stop) = (start.to_ascii_uppercase(), stop.to_ascii_uppercase());
    for c in [start, stop] {
        if !matches!(c, 'A'..='D') {
            return Err(BarcodeError::StartStop(c));
        }
    }
    if data.is_empty() || data.chars().any(|c| !"0123456789-$:/.+".contains(c)) {
        return Err(BarcodeError::Data(data.to_owned()));
    }
    let mut modules = Vec::new();
    for c in std::iter::once(start).chain(data.chars()).chain([stop]) {
        if !modules.is_empty() {
            // The narrow space between characters.
            modules.push(0);
        }
        modules.extend(character(c)?);
    }
    Ok(modules)
}

/// The symbol as SVG: black bars on white with the quiet zones, `height` narrow modules high,
/// scaling to its container's width (`width="100%"`) with crisp edges.
pub fn codabar_svg(
    start: char,
    data: &str,
    stop: char,
    height: u32,
) -> Result<String, BarcodeError> {
    Ok(modules_svg(&codabar_modules(start, data, stop)?, height))
}

/// The modules of a Code 128 symbol of `data` in character set B (any printable ASCII), its
/// check character and stop pattern included.
pub fn code128_modules(data: &str) -> Result<Vec<u8>, BarcodeError> {
    if data.is_empty() || !data.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        return Err(BarcodeError::Data(data.to_owned()));
    }
    // barcoders picks the character set by a leading marker: 'Ɓ' is set B.
    barcoders::sym::code128::Code128::new(format!("\u{0181}{data}"))
        .map(|symbol| symbol.encode())
        .map_err(|_| BarcodeError::Data(data.to_owned()))
}

/// A Code 128 symbol as SVG, like [`codabar_svg`].
pub fn code128_svg(data: &str, height: u32) -> Result<String, BarcodeError> {
    Ok(modules_svg(&code128_modules(data)?, height))
}

/// Bars (`1`) and spaces (`0`) as SVG with [`QUIET_MODULES`] on each side.
fn modules_svg(modules: &[u8], height: u32) -> String {
    let width = modules.len() + 2 * QUIET_MODULES;
    let mut bars = String::new();
    let mut x = 0;
    while x < modules.len() {
        if modules[x] == 1 {
            let run = modules[x..].iter().take_while(|m| **m == 1).count();
            bars.push_str(&format!(
                "<rect x=\"{}\" y=\"0\" width=\"{run}\" height=\"{height}\"/>",
                x + QUIET_MODULES
            ));
            x += run;
        } else {
            x += 1;
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"100%\" preserveAspectRatio=\"none\" shape-rendering=\"crispEdges\" \
         role=\"img\"><rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>\
         <g fill=\"#000\">{bars}</g></svg>"
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pattern(c: char) -> String {
        codabar_modules(c, "1", c).unwrap()[..10]
            .iter()
            .map(|m| char::from(b'0' + m))
            .collect()
    }

    #[test]
    fn start_and_stop_characters_have_their_standard_patterns() {
        // NW-7 (JIS X 0503): bar, space, bar, … narrow = 1 module, wide = 2.
        assert_eq!(pattern('A'), "1011001001");
        assert_eq!(pattern('B'), "1001001011");
        assert_eq!(pattern('C'), "1010010011");
        assert_eq!(pattern('D'), "1010011001");
        let plus: String = codabar_modules('A', "+", 'A').unwrap()[11..21]
            .iter()
            .map(|m| char::from(b'0' + m))
            .collect();
        assert_eq!(plus, "1011011011");
        let colon: String = codabar_modules('A', ":", 'A').unwrap()[11..21]
            .iter()
            .map(|m| char::from(b'0' + m))
            .collect();
        assert_eq!(colon, "1101011011");
    }

    #[test]
    fn the_svg_has_quiet_zones_and_one_rect_per_bar() {
        let svg = codabar_svg('A', "1234567890", 'A', 40).unwrap();
        let modules = codabar_modules('A', "1234567890", 'A').unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("crispEdges"));
        let bars = modules.windows(2).filter(|w| w == &[0, 1]).count() + 1;
        assert_eq!(svg.matches("<rect x=").count(), bars);
        assert!(svg.contains(&format!("<rect x=\"{QUIET_MODULES}\" ")));
    }

    #[test]
    fn what_nw7_cannot_carry_is_refused() {
        assert_eq!(
            codabar_modules('E', "1", 'A'),
            Err(BarcodeError::StartStop('E'))
        );
        assert!(matches!(
            codabar_modules('A', "12a", 'A'),
            Err(BarcodeError::Data(_))
        ));
        assert!(matches!(
            codabar_modules('A', "", 'A'),
            Err(BarcodeError::Data(_))
        ));
    }
}
