//! Clean 1D barcode images for the decoder's 1D hard set: the library card (NW-7 / Codabar,
//! drawn from the portal's own modules, so the frames carry what a phone really shows) and
//! book labels (Code 128 from the portal's encoder too, EAN-13 drawn with barcoders).
//!
//! Each image is the bars at `module_px` pixels per narrow module, `height_modules` tall,
//! black on white with quiet zones, and a line of "print" under the bars where the
//! human-readable number goes. [`camera_frame`](crate::camera::camera_frame) then puts it on
//! a phone or a label in a camera-like frame.

use ::portal::domain::library_barcode::{QUIET_MODULES, codabar_modules, code128_modules};
use anyhow::{Context, Result};
use barcoders::sym::ean13::EAN13;
use image::{GrayImage, Luma};

/// A library card number as its NW-7 symbol shows it, start and stop included: e.g.
/// `A2100000000016B` (start A, 13 digits, stop B).
pub fn codabar_image(symbol: &str, module_px: u32, height_modules: u32) -> Result<GrayImage> {
    let chars: Vec<char> = symbol.chars().collect();
    let (Some(&start), Some(&stop)) = (chars.first(), chars.last()) else {
        anyhow::bail!("empty Codabar symbol");
    };
    let data: String = chars[1..chars.len().saturating_sub(1)].iter().collect();
    let modules = codabar_modules(start, &data, stop)?;
    Ok(draw(&modules, module_px, height_modules))
}

/// `text` (printable ASCII) as Code 128 in character set B, as a library's book label.
pub fn code128_image(text: &str, module_px: u32, height_modules: u32) -> Result<GrayImage> {
    let modules = code128_modules(text)?;
    Ok(draw(&modules, module_px, height_modules))
}

/// The EAN-13 of the 12 digits `first12` (barcoders adds the check digit; an ISBN-13's
/// first 12 digits give the book's EAN-13).
pub fn ean13_image(first12: &str, module_px: u32, height_modules: u32) -> Result<GrayImage> {
    let symbol = EAN13::new(first12).with_context(|| format!("EAN-13 cannot carry {first12:?}"))?;
    Ok(draw(&symbol.encode(), module_px, height_modules))
}

/// The EAN-13 check digit of 12 digits (weights 1, 3, 1, … from the left).
pub fn ean13_check_digit(first12: &str) -> Option<char> {
    let mut sum = 0u32;
    for (i, c) in first12.chars().enumerate() {
        sum += c.to_digit(10)? * if i % 2 == 0 { 1 } else { 3 };
    }
    char::from_digit((10 - sum % 10) % 10, 10)
}

/// Bars (1 = dark) at `module_px` per module, `height_modules` tall, with quiet zones of
/// [`QUIET_MODULES`] each side and a strip of "digits" below.
fn draw(modules: &[u8], module_px: u32, height_modules: u32) -> GrayImage {
    let m = module_px.max(1);
    let quiet = QUIET_MODULES as u32;
    let width = (modules.len() as u32 + 2 * quiet) * m;
    let bars = height_modules.max(1) * m;
    let (gap, digits) = (2 * m, 6 * m);
    let height = m * 4 + bars + gap + digits + m * 2;
    GrayImage::from_fn(width, height, |x, y| {
        let module = (x / m).checked_sub(quiet).map(|i| i as usize);
        let in_bars = (m * 4..m * 4 + bars).contains(&y);
        let in_digits = (m * 4 + bars + gap..m * 4 + bars + gap + digits).contains(&y);
        let dark = match module {
            Some(i) if i < modules.len() => {
                (in_bars && modules[i] == 1) || (in_digits && (x / (4 * m)).is_multiple_of(2))
            }
            _ => false,
        };
        Luma([if dark { 0 } else { 255 }])
    })
}

/// The QR code of a page's SVG (as the `qrcode` crate draws it: one `<path>` of
/// `M{left} {top}h{w}v{h}H{left}V{top}` rectangles in a `width`×`height` box), drawn again as
/// an image at `scale` pixels per SVG unit.
pub fn qr_svg_image(svg: &str, scale: u32) -> Result<GrayImage> {
    let number = |name: &str| -> Result<u32> {
        let start = svg
            .find(&format!("{name}=\""))
            .with_context(|| format!("no {name} in the SVG"))?
            + name.len()
            + 2;
        let rest = svg.get(start..).context("SVG cut short")?;
        let end = rest.find('"').context("unterminated attribute")?;
        Ok(rest[..end].parse()?)
    };
    let (width, height) = (number("width")?, number("height")?);
    let path = svg
        .split(" d=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .context("no path in the SVG")?;
    let mut image = GrayImage::from_pixel(width * scale, height * scale, Luma([255]));
    for rect in path.split('M').filter(|r| !r.is_empty()) {
        // "{left} {top}h{w}v{h}H{left}V{top}"
        let fields: Vec<u32> = rect
            .split(|c: char| c == ' ' || c.is_ascii_alphabetic())
            .filter(|f| !f.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()?;
        let [left, top, w, h, ..] = fields[..] else {
            anyhow::bail!("a path segment that is not a rectangle: {rect}");
        };
        for y in top * scale..(top + h) * scale {
            for x in left * scale..(left + w) * scale {
                if x < image.width() && y < image.height() {
                    image.put_pixel(x, y, Luma([0]));
                }
            }
        }
    }
    Ok(image)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn images_have_quiet_zones_and_the_check_digit_is_jans() {
        let card = codabar_image("A2100000000016B", 2, 30).unwrap();
        assert_eq!(card.get_pixel(QUIET_MODULES as u32 * 2 - 1, 20).0[0], 255);
        assert_eq!(
            card.get_pixel(QUIET_MODULES as u32 * 2, 20).0[0],
            0,
            "start bar"
        );
        assert!(code128_image("LIB-0042", 2, 30).is_ok());
        assert!(ean13_image("978402013", 2, 30).is_err());
        // ISBN 978-4-00-310101-8.
        assert_eq!(ean13_check_digit("978400310101"), Some('8'));
        assert!(ean13_image("978400310101", 2, 30).is_ok());
    }
}
