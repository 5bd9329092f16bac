//! Finding and reading codes in camera frames.
//!
//! [`Decoder::decode`] takes one grayscale frame (the Y plane of the camera's YUYV, or an
//! image file through [`load_gray`]) and returns every code it reads, as [`Decoded`] values.
//! What it looks for is the kiosk's choice ([`Decoder::with_symbologies`]): a childcare
//! kiosk reads QR passes only ([`Decoder::new`], the default); a library kiosk asks for
//! [`Symbology::LIBRARY`] — the card's Codabar (NW-7), books' Code 128 labels and EAN-13
//! ISBNs, and the QR pass.
//!
//! It never returns text that was not in a code: a QR symbol is only reported after its
//! Reed–Solomon check succeeds and its text is valid UTF-8, and a kiosk accepts a pass only
//! after its Ed25519 signature verifies as well (`shimin_sync::pass::verify`). 1D symbols are
//! weaker (Codabar has no check at all), so a 1D text is reported only when two scan lines
//! read it alike, a Codabar symbol only with at least 6 data characters, an EAN-13 only with
//! its check digit right, a Code 128 only with its modulus-103 check right, each with the
//! quiet zones rxing's row readers ask for. The library card number is then checked for its
//! library's length and check digit (`shimin_sync::library::card`). A Codabar text keeps its
//! start and stop characters (`A2100000000016B`), which that check accepts and NW-7's
//! modulus-16 scheme needs.
//!
//! # How QR codes are read, and why so
//!
//! rxing (a pure-Rust port of ZXing, features `qrcode` and `oned`) does the reading,
//! through its port of ZXing-C++'s QR detector, falling back to ZXing's classic detector.
//! The design card named rqrr; it was measured on the hard set of camera-like frames
//! (`scripts/bench-decode`, figures in BENCHMARKS.md) and replaced:
//!
//! - rqrr alone read 27 of 60 frames; helped with everything tried here (shrinking the
//!   frame, a local-mean threshold, a 3×3 smoothing, a second pass at full size) it read 35,
//!   still well short of ZXing-C++ (42), and took 20–50 ms a frame: each candidate grid is
//!   fitted twice by a perspective "jiggle" that costs ~5 ms on x86 and cannot be skipped
//!   from outside the crate;
//! - rxing reads 42 on the frame as it is, like ZXing-C++, in ~8 ms; a second pass on a
//!   locally thresholded copy of the frame (below) reads one more.
//!
//! The price is compile time: the rxing crate is one large unit (~55 s of one core in a
//! debug build with the workspace's `opt-level = 1` for dependencies, measured while the
//! machine was shared); of what it pulls in, only `num`, `codepage-437` and (for `oned`) the
//! small proc-macro crate `rxing-one-d-proc-derive` are not already in the workspace (regex,
//! chrono and encoding_rs come with tracing-subscriber, rumqttd and the portal).
//!
//! # How 1D barcodes are read
//!
//! rxing's 1D readers (like zbar's and ZXing-C++'s) scan rows, and a row must cross every
//! bar: a card turned 30–60° on the phone is missed by all three scanning the frame's rows
//! and columns. So the readers are not given the frame but scan lines at the barcode's own
//! angle (`regions.rs`, `oned.rs`, `scanline.rs`): blocks of 16×16 pixels whose edges all
//! point one way (gradient structure tensor) are joined into regions; each region is crossed
//! by parallel lines 4 px apart, sampled every half pixel, thresholded at the midpoint of
//! the local darkest and lightest, and read forwards and backwards. Finding the regions
//! took ~1.5 ms of a 1280×720 frame and reading one a fraction of a millisecond (a middle
//! line with fewer than 30 edges ends it at once). Rotated copies of the whole frame were not
//! tried: a row crosses every bar of a card-shaped symbol only within ~±8° of its axis, so
//! a dozen copies would be needed.
//!
//! # Passes
//!
//! Each frame goes through passes, stopping at the first that reads a code:
//!
//! 1. QR: rxing on the frame as it is, `TryHarder` on (every row scanned for finder patterns);
//! 2. 1D: the scan lines above, if any 1D symbology is wanted;
//! 3. QR again, on a copy binarized with a local-mean threshold (`binarize.rs`): a pixel is
//!    black when clearly darker than the mean of a window an eighth of the frame wide. This
//!    follows glare spots and shadows across the phone that defeat rxing's own block-wise
//!    binarizer on a few frames.
//!
//! A decoder whose first symbology is a 1D one (as [`Symbology::LIBRARY`]) runs pass 2
//! first, as most of what a library counter sees is cards and books; a QR frame then pays
//! ~1.5 ms more (BENCHMARKS.md). Otherwise a frame with a QR code never pays for 1D reading.
//! A frame without a code pays for every pass. The kiosk decodes on its own thread and keeps
//! only the newest frame, so a slow frame delays the next answer but never queues work.

mod binarize;
pub mod cli;
mod oned;
mod qr;
mod regions;
mod scanline;
mod symbology;

use std::path::Path;

use binarize::{Plane, Threshold};
pub use symbology::{Symbology, UnknownSymbology};

/// One code read from a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// What kind of code it was.
    pub symbology: Symbology,
    /// Its text, exactly as encoded.
    pub text: String,
}

/// Why an image file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not an image this program can read (PNG and JPEG are), or is damaged.
    #[error("{path} is not a readable PNG or JPEG image: {source}")]
    Image {
        /// The file.
        path: String,
        /// Why.
        source: image::ImageError,
    },
}

/// Reads a PNG or JPEG file as an 8-bit grayscale image (color images are converted).
pub fn load_gray(path: impl AsRef<Path>) -> Result<image::GrayImage, DecodeError> {
    let path = path.as_ref();
    let shown = path.display().to_string();
    let reader = image::ImageReader::open(path).map_err(|source| DecodeError::Io {
        path: shown.clone(),
        source,
    })?;
    let reader = reader
        .with_guessed_format()
        .map_err(|source| DecodeError::Io {
            path: shown.clone(),
            source,
        })?;
    let image = reader.decode().map_err(|source| DecodeError::Image {
        path: shown,
        source,
    })?;
    Ok(image.into_luma8())
}

/// One way of looking at the frame.
#[derive(Debug, Clone, Copy)]
enum Pass {
    /// rxing's QR reader on the frame as it is, scanning every row for finder patterns.
    QrWhole,
    /// 1D readers along lines across each region of bars (see [`oned`]).
    Linear,
    /// rxing's QR reader on the frame binarized with a local-mean threshold (see [`binarize`]).
    QrBinarized(Threshold),
}

/// The passes, QR first (see the module docs); a decoder skips those of symbologies it does
/// not want, and one asked for a 1D symbology first tries the 1D pass first.
const PASSES: [Pass; 3] = [
    Pass::QrWhole,
    Pass::Linear,
    Pass::QrBinarized(Threshold {
        window_fraction: 0.125,
        percent: 8,
        min_delta: 6,
    }),
];

/// Reads codes in frames. Keeps its scratch buffers between calls, so make one per camera
/// thread and reuse it.
#[derive(Debug)]
pub struct Decoder {
    qr: bool,
    linear: oned::Wanted,
    /// Whether the 1D pass comes before the QR passes.
    linear_first: bool,
    frame: Plane,
    integral: Vec<u32>,
    black: Vec<u8>,
    scratch: oned::Scratch,
}

impl Default for Decoder {
    /// A decoder of QR codes only, as [`Decoder::new`].
    fn default() -> Self {
        Self::with_symbologies(&[Symbology::Qr])
    }
}

impl Decoder {
    /// A decoder of QR codes only (the pass), with empty scratch buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder of the given symbologies, e.g. [`Symbology::LIBRARY`] for a library
    /// kiosk; with none given it reads nothing.
    ///
    /// The first one given says what the kiosk mostly sees: if it is a 1D symbology, each
    /// frame goes to the 1D readers first and to the QR passes only if they read nothing;
    /// otherwise QR comes first and a frame with a QR code never pays for 1D reading.
    pub fn with_symbologies(symbologies: &[Symbology]) -> Self {
        let wants = |s: Symbology| symbologies.contains(&s);
        Self {
            qr: wants(Symbology::Qr),
            linear_first: symbologies.first().is_some_and(|&s| s != Symbology::Qr),
            linear: oned::Wanted {
                codabar: wants(Symbology::Codabar),
                code128: wants(Symbology::Code128),
                ean13: wants(Symbology::Ean13),
            },
            frame: Plane::default(),
            integral: Vec::new(),
            black: Vec::new(),
            scratch: oned::Scratch::default(),
        }
    }

    /// The symbologies this decoder reads, in [`Symbology::ALL`]'s order.
    pub fn symbologies(&self) -> Vec<Symbology> {
        let l = self.linear;
        let on = [self.qr, l.codabar, l.code128, l.ean13];
        Symbology::ALL
            .into_iter()
            .zip(on)
            .filter_map(|(s, on)| on.then_some(s))
            .collect()
    }

    /// Every code read in `frame`, each text once, in the order found; empty if none.
    pub fn decode(&mut self, frame: &image::GrayImage) -> Vec<Decoded> {
        self.frame.copy_from(frame);
        let (width, height) = (self.frame.width, self.frame.height);
        let linear = self.linear;
        let any_linear = linear.codabar || linear.code128 || linear.ean13;
        let mut found: Vec<Decoded> = Vec::new();
        let mut passes = PASSES;
        if self.linear_first {
            passes.swap(0, 1);
        }
        for (number, pass) in passes.into_iter().enumerate() {
            let started = std::time::Instant::now();
            let codes: Vec<(Symbology, String)> = match pass {
                Pass::QrWhole if self.qr => qr::read(&self.frame.pixels, width, height)
                    .into_iter()
                    .map(|text| (Symbology::Qr, text))
                    .collect(),
                Pass::Linear if any_linear => oned::read(&self.frame, linear, &mut self.scratch),
                Pass::QrBinarized(threshold) if self.qr => {
                    binarize::binarize(&self.frame, threshold, &mut self.integral, &mut self.black);
                    qr::read(&self.black, width, height)
                        .into_iter()
                        .map(|text| (Symbology::Qr, text))
                        .collect()
                }
                _ => continue,
            };
            tracing::trace!(
                pass = number + 1,
                read = codes.len(),
                micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                "decode pass"
            );
            for (symbology, text) in codes {
                if !found
                    .iter()
                    .any(|d| d.symbology == symbology && d.text == text)
                {
                    found.push(Decoded { symbology, text });
                }
            }
            if !found.is_empty() {
                break;
            }
        }
        found
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_1d;
