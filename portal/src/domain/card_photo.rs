//! The photo of a library card a citizen uploads from a phone camera: what is accepted and how
//! it is kept.
//!
//! The type is judged by the file's first bytes, never its name or the browser's word. JPEG and
//! PNG are decoded here; HEIC (what iPhones take) is turned into PNG first by a
//! [`HeicDecoder`](crate::library::heic::HeicDecoder). Whatever came in, what is kept is a new
//! JPEG encoded from the pixels alone: turned upright as the camera's EXIF orientation says,
//! at most [`MAX_SIDE`] pixels on its long side, and with no metadata at all — no EXIF, no GPS
//! location, no camera serial number.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, codecs::jpeg::JpegEncoder};

/// The largest upload accepted (a 12-megapixel HEIC or JPEG is 2–6 MB).
pub const MAX_BYTES: usize = 15 * 1024 * 1024;

/// The longest side of the photo as kept, in pixels: enough to read the card's printing.
pub const MAX_SIDE: u32 = 1600;

/// The largest image decoded, in pixels a side (a decompression bomb is refused before its
/// pixels are allocated).
const MAX_DECODED_SIDE: u32 = 12_000;

/// JPEG quality of the kept photo.
const JPEG_QUALITY: u8 = 85;

/// The kinds of upload accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    /// JPEG (most Android phones).
    Jpeg,
    /// PNG (screenshots).
    Png,
    /// HEIC/HEIF (iPhones).
    Heic,
}

impl PhotoKind {
    /// What the file's first bytes say it is.
    pub fn sniff(bytes: &[u8]) -> Option<PhotoKind> {
        if bytes.starts_with(b"\xFF\xD8\xFF") {
            return Some(PhotoKind::Jpeg);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(PhotoKind::Png);
        }
        // ISO base media: a box size, then `ftyp` and the major brand.
        let brand = bytes.get(8..12)?;
        let heif_brands: [&[u8]; 8] = [
            b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
        ];
        (bytes.get(4..8) == Some(b"ftyp".as_slice()) && heif_brands.contains(&brand))
            .then_some(PhotoKind::Heic)
    }
}

/// Why a photo was not accepted. [`PhotoError::code`] names it for the user's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// Larger than [`MAX_BYTES`].
    #[error("the photo is larger than {} MB", MAX_BYTES / 1024 / 1024)]
    TooLarge,
    /// Not a JPEG, PNG or HEIC file.
    #[error("not a JPEG, PNG or HEIC image")]
    NotImage,
    /// Says it is an image but cannot be decoded (damaged, or too large in pixels).
    #[error("the image cannot be read: {0}")]
    Unreadable(String),
    /// A HEIC photo, and this server cannot convert HEIC.
    #[error("HEIC photos cannot be converted here: {0}")]
    HeicUnavailable(String),
}

impl PhotoError {
    /// The message key for the user.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooLarge => "error.photo_too_large",
            Self::NotImage => "error.photo_not_image",
            Self::Unreadable(_) => "error.photo_unreadable",
            Self::HeicUnavailable(_) => "error.photo_heic_unavailable",
        }
    }
}

/// A photo as kept: a JPEG without metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardPhoto {
    /// The JPEG bytes.
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Checks an upload's size and kind before any decoding.
pub fn check(bytes: &[u8]) -> Result<PhotoKind, PhotoError> {
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    PhotoKind::sniff(bytes).ok_or(PhotoError::NotImage)
}

/// Which way up the decoded pixels are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upright {
    /// As the file's EXIF orientation says (a camera's JPEG).
    ByExif,
    /// Already upright (a HEIC converted by libheif, which applies the HEIF rotation itself;
    /// the EXIF copied beside it must not turn it a second time).
    AsDecoded,
}

/// Re-encodes a JPEG or PNG (a HEIC already converted to PNG) as the kept photo: upright,
/// scaled to [`MAX_SIDE`], metadata gone. CPU-bound: call it off the async runtime.
pub fn reencode(bytes: &[u8], upright: Upright) -> Result<CardPhoto, PhotoError> {
    let unreadable = |error: image::ImageError| PhotoError::Unreadable(error.to_string());
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|error| PhotoError::Unreadable(error.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    if upright == Upright::ByExif {
        image.apply_orientation(orientation);
    }
    if image.width().max(image.height()) > MAX_SIDE {
        image = image.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let rgb = image.into_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(unreadable)?;
    Ok(CardPhoto {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

#[cfg(test)]
#[path = "card_photo_tests.rs"]
mod tests;
