//! A second binarization of a frame, for the pass after rxing's own.
//!
//! rxing's hybrid binarizer thresholds 8×8 blocks against the local range of nearby
//! blocks; under a glare spot or a shadow edge across the phone it loses a finder pattern on
//! some frames. This second opinion is the Bradley–Roth threshold instead: each pixel is
//! compared with the mean of a square window around it (from an integral image, O(1) per
//! pixel), so light that changes across the frame in any direction is followed, and a pixel
//! counts as black only if it is clearly darker than its surroundings.

/// A grayscale image as a plain row-major buffer (no `image` types in the hot loops).
#[derive(Debug, Clone, Default)]
pub(crate) struct Plane {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` luminance values, row by row.
    pub pixels: Vec<u8>,
}

impl Plane {
    /// Copies `frame` into `self`, reusing the allocation.
    pub fn copy_from(&mut self, frame: &image::GrayImage) {
        self.width = frame.width() as usize;
        self.height = frame.height() as usize;
        self.pixels.clear();
        self.pixels.extend_from_slice(frame.as_raw());
    }
}

/// How [`binarize`] decides black from white.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Threshold {
    /// The window's side as a fraction of the image width (1/8 follows Bradley–Roth).
    pub window_fraction: f32,
    /// A pixel is black if darker than the window mean by more than this percentage.
    pub percent: u32,
    /// …and by at least this many gray levels, so flat noisy areas stay white.
    pub min_delta: u32,
}

/// Writes the binarized `plane` into `black` as luma (0 = black, 255 = white), using
/// `integral` as scratch.
pub(crate) fn binarize(
    plane: &Plane,
    threshold: Threshold,
    integral: &mut Vec<u32>,
    black: &mut Vec<u8>,
) {
    let (w, h) = (plane.width, plane.height);
    black.clear();
    black.resize(w * h, 0);
    if w == 0 || h == 0 {
        return;
    }
    // Integral image with one extra row and column of zeros: sum of rows < y, columns < x.
    let stride = w + 1;
    integral.clear();
    integral.resize(stride * (h + 1), 0);
    for y in 0..h {
        let mut row_sum = 0u32;
        let row = &plane.pixels[y * w..(y + 1) * w];
        for (x, &p) in row.iter().enumerate() {
            row_sum += u32::from(p);
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row_sum;
        }
    }
    let half = ((w as f32 * threshold.window_fraction) as usize / 2).max(2);
    let keep = 100 - threshold.percent.min(99);
    for y in 0..h {
        let y0 = y.saturating_sub(half);
        let y1 = (y + half + 1).min(h);
        for x in 0..w {
            let x0 = x.saturating_sub(half);
            let x1 = (x + half + 1).min(w);
            let count = ((y1 - y0) * (x1 - x0)) as u32;
            let sum = integral[y1 * stride + x1] + integral[y0 * stride + x0]
                - integral[y0 * stride + x1]
                - integral[y1 * stride + x0];
            let p = u32::from(plane.pixels[y * w + x]) * count;
            // p < mean·keep/100 and p < mean − min_delta, both scaled by `count`.
            let dark = p * 100 < sum * keep && p + threshold.min_delta * count < sum;
            black[y * w + x] = if dark { 0 } else { 255 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_square_on_shaded_background_is_black_and_only_it() {
        // Background brightening from 60 to 250 left to right; a square 30 levels darker
        // than its surroundings in the bright part, and one in the dark part.
        let (w, h) = (200, 100);
        let mut pixels = vec![0u8; w * h];
        for y in 0..h {
            for x in 0..w {
                let bg = 60 + (190 * x / w) as u32;
                let in_square = |x0: usize| (x0..x0 + 20).contains(&x) && (40..60).contains(&y);
                let v = if in_square(20) || in_square(160) {
                    bg * 6 / 10
                } else {
                    bg
                };
                pixels[y * w + x] = v as u8;
            }
        }
        let plane = Plane {
            width: w,
            height: h,
            pixels,
        };
        let (mut integral, mut black) = (Vec::new(), Vec::new());
        let t = Threshold {
            window_fraction: 0.25,
            percent: 10,
            min_delta: 8,
        };
        binarize(&plane, t, &mut integral, &mut black);
        assert_eq!(black[50 * w + 30], 0, "square in the dark part");
        assert_eq!(black[50 * w + 170], 0, "square in the bright part");
        assert_eq!(black[10 * w + 30], 255);
        assert_eq!(black[10 * w + 170], 255);
        assert_eq!(black[90 * w + 100], 255);
    }
}
