//! Reading 1D barcodes (Codabar, Code 128, EAN-13) along lines across a [`Region`].
//!
//! Each region found by [`regions::find`] is crossed by parallel scan lines in the direction
//! across its bars, [`LINE_GAP`] pixels apart. Each line is sampled at one-pixel steps
//! (bilinear), thresholded against a moving mean with hysteresis, and handed to rxing's row
//! readers forwards and backwards. A text counts only when [`AGREE`] lines read it, so one
//! line that noise happens to turn into a valid-looking symbol is not reported.

use std::collections::HashMap;

use rxing::common::BitArray;
use rxing::oned::{CodaBarReader, Code128Reader, EAN13Reader, OneDReader};
use rxing::{BarcodeFormat, DecodeHints};

use super::Symbology;
use super::binarize::Plane;
use super::regions::{self, Region};
use super::scanline::{Extremes, sample, threshold};

/// Pixels between neighbouring scan lines.
const LINE_GAP: f32 = 4.0;
/// At most this many lines per region (a taller region gets them spread wider).
const MAX_LINES: usize = 40;
/// How many lines must read the same text before it is reported.
const AGREE: usize = 2;
/// The fewest light/dark changes along a region's middle line for the region to be read
/// (an EAN-13 has 60, a 10-digit Codabar over 90, a phone's bezel 4).
const MIN_EDGES: usize = 30;
/// Codabar's characters in the order of ZXing's table. rxing 0.9 returns a symbol read with
/// `ReturnCodabarStartEnd` as indices into this table instead of characters (its translation
/// goes to a copy), so [`codabar_text`] maps them.
const CODABAR_ALPHABET: &[u8; 20] = b"0123456789-$:/.+ABCD";
/// The fewest data characters a Codabar symbol must have (start and stop not counted): a
/// library card number has 8–14, and a partial read of a longer one is usually shorter.
const MIN_CODABAR_DATA: usize = 6;

/// Which 1D symbologies to look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wanted {
    /// Codabar (NW-7), the library card.
    pub codabar: bool,
    /// Code 128, book labels.
    pub code128: bool,
    /// EAN-13, book ISBNs.
    pub ean13: bool,
}

/// Scratch buffers, kept between frames.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    tensors: Vec<(f32, f32, f32)>,
    profile: Vec<f32>,
    extremes: Extremes,
}

/// Every 1D code read in `plane`, each text once, as (symbology, text). Codabar texts keep
/// their start and stop characters (`A2100000000016B`).
pub(crate) fn read(
    plane: &Plane,
    wanted: Wanted,
    scratch: &mut Scratch,
) -> Vec<(Symbology, String)> {
    let regions = regions::find(plane, &mut scratch.tensors);
    let mut found: Vec<(Symbology, String)> = Vec::new();
    for region in regions {
        for code in read_region(plane, &region, wanted, scratch) {
            if !found.contains(&code) {
                found.push(code);
            }
        }
    }
    found
}

/// The codes read in one region (at most one per symbology and text).
fn read_region(
    plane: &Plane,
    region: &Region,
    wanted: Wanted,
    scratch: &mut Scratch,
) -> Vec<(Symbology, String)> {
    let Scratch {
        profile, extremes, ..
    } = scratch;
    let (c, s) = (region.angle.cos(), region.angle.sin());
    // Lines run past the region's ends by a quiet zone and the blocks that fell short of it.
    let reach = region.half_length * 1.25 + 24.0;
    let span = region.half_height + LINE_GAP;
    let lines = ((2.0 * span / LINE_GAP) as usize + 1).clamp(1, MAX_LINES);
    let gap = if lines > 1 {
        2.0 * span / (lines - 1) as f32
    } else {
        0.0
    };
    let hints = DecodeHints {
        ReturnCodabarStartEnd: Some(true),
        ..DecodeHints::default()
    };
    let mut votes: HashMap<(Symbology, String), usize> = HashMap::new();
    let mut done = Vec::new();
    // From the middle line outwards: the middle is the likeliest to cross every bar.
    for k in 0..lines {
        let step = (k as f32 / 2.0).ceil() * if k % 2 == 0 { 1.0 } else { -1.0 };
        let offset = step * gap;
        let (ox, oy) = (region.center.0 - s * offset, region.center.1 + c * offset);
        sample(
            plane,
            (ox - c * reach, oy - s * reach),
            (c, s),
            2.0 * reach,
            profile,
        );
        let Some(mut row) = threshold(profile, extremes) else {
            continue;
        };
        // A middle line with too few bars: edges of a phone or a box, not a barcode.
        if k == 0 && transitions(&row) < MIN_EDGES {
            return Vec::new();
        }
        // A middle line with too few bars: edges of a phone or a box, not a barcode.
        if k == 0 && transitions(&row) < MIN_EDGES {
            return Vec::new();
        }
        if std::env::var_os("DUMP").is_some() && k < 3 {
            let bits: String = (0..row.get_size())
                .map(|i| if row.get(i) { '#' } else { '.' })
                .collect();
            let prof: String = profile
                .iter()
                .map(|v| char::from(b'0' + (*v / 26.0) as u8))
                .collect();
            eprintln!("{prof}\n{bits}");
        }
        for reversed in [false, true] {
            if reversed {
                row.reverse();
            }
            for code in decode_row(&row, wanted, &hints) {
                let count = votes.entry(code.clone()).or_insert(0);
                *count += 1;
                if *count == AGREE && !done.contains(&code) {
                    done.push(code);
                }
            }
        }
        if !done.is_empty() && k >= 2 * AGREE {
            break;
        }
    }
    done
}

/// The codes each wanted reader finds in one thresholded line.
fn decode_row(row: &BitArray, wanted: Wanted, hints: &DecodeHints) -> Vec<(Symbology, String)> {
    let mut codes = Vec::new();
    if wanted.codabar
        && let Ok(r) = CodaBarReader::new().decode_row(0, row, hints)
        && r.getBarcodeFormat() == &BarcodeFormat::CODABAR
        && let Some(text) = codabar_text(r.getText())
        && text.len() >= MIN_CODABAR_DATA + 2
    {
        codes.push((Symbology::Codabar, text));
    }
    if wanted.code128
        && let Ok(r) = Code128Reader.decode_row(0, row, hints)
        && !r.getText().is_empty()
    {
        codes.push((Symbology::Code128, r.getText().to_owned()));
    }
    if wanted.ean13
        && let Ok(r) = EAN13Reader.decode_row(0, row, hints)
        && r.getBarcodeFormat() == &BarcodeFormat::EAN_13
    {
        codes.push((Symbology::Ean13, r.getText().to_owned()));
    }
    codes
}

/// How many times `row` changes between bar and space.
fn transitions(row: &BitArray) -> usize {
    (1..row.get_size())
        .filter(|&i| row.get(i) != row.get(i - 1))
        .count()
}

/// The Codabar text rxing returned, as characters (see [`CODABAR_ALPHABET`]), or `None` if
/// it holds anything else.
fn codabar_text(raw: &str) -> Option<String> {
    raw.chars()
        .map(|c| match u8::try_from(c).ok()? {
            i @ 0..20 => CODABAR_ALPHABET.get(usize::from(i)).map(|&b| char::from(b)),
            b if CODABAR_ALPHABET.contains(&b) => Some(char::from(b)),
            _ => None,
        })
        .collect()
}
