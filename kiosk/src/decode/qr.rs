//! Reading QR codes with rxing (a pure-Rust port of ZXing).

use std::collections::HashSet;

use rxing::common::HybridBinarizer;
use rxing::multi::MultipleBarcodeReader as _;
use rxing::qrcode::QRCodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, Reader as _};

/// The texts of every QR code found in a `width`×`height` grayscale image (`luma`, row by
/// row): first with rxing's port of ZXing-C++'s detector (which finds several codes in one
/// frame), then, if that reads nothing, with ZXing's classic detector.
///
/// A symbol is reported only when its Reed–Solomon check passes (rxing never returns a
/// guess). rxing's own "not found" errors are the normal case for most camera frames, so
/// they are not logged.
pub(crate) fn read(luma: &[u8], width: usize, height: usize) -> Vec<String> {
    let (Ok(w), Ok(h)) = (u32::try_from(width), u32::try_from(height)) else {
        return Vec::new();
    };
    if w == 0 || h == 0 || luma.len() != width * height {
        return Vec::new();
    }
    let Ok(source) = Luma8LuminanceSource::new(luma.to_vec(), w, h) else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let hints = DecodeHints {
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    let texts: Vec<String> = QrReader
        .decode_multiple_with_hints(&mut bitmap, &hints)
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.getText().to_owned())
        .filter(|text| !text.is_empty())
        .collect();
    if !texts.is_empty() {
        return texts;
    }
    QRCodeReader::new()
        .decode_with_hints(&mut bitmap, &hints)
        .map(|r| r.getText().to_owned())
        .into_iter()
        .filter(|text| !text.is_empty())
        .collect()
}
