//! One scan line across a barcode: sampled from the frame, then thresholded into bars and
//! spaces for rxing's row readers.

use rxing::common::BitArray;

use super::binarize::Plane;

/// Pixels between samples along a scan line (two per pixel: a 1.5 px module still spans
/// three samples, so rxing can tell narrow from wide).
pub(crate) const STEP: f32 = 0.5;
/// Pixels between the three taps of each sample, along the bars.
const TAP: f32 = 1.5;

/// Samples `plane` every [`STEP`] pixels along `length` pixels from `from` in direction
/// `dir` (a unit vector) into `out`. Each sample is the mean of three bilinear samples
/// [`TAP`] pixels apart along the bars (perpendicular to `dir`): the bars are the same there,
/// the sensor noise is not. Points off the frame end the line.
pub(crate) fn sample(
    plane: &Plane,
    from: (f32, f32),
    dir: (f32, f32),
    length: f32,
    out: &mut Vec<f32>,
) {
    out.clear();
    let (w, h) = (plane.width, plane.height);
    if w < 2 || h < 2 {
        return;
    }
    let max = (w as f32 - 1.001, h as f32 - 1.001);
    let across = (-dir.1 * TAP, dir.0 * TAP);
    let at = |x: f32, y: f32| -> Option<f32> {
        if !(0.0..max.0).contains(&x) || !(0.0..max.1).contains(&y) {
            return None;
        }
        let (ix, iy) = (x as usize, y as usize);
        let (tx, ty) = (x - ix as f32, y - iy as f32);
        let px = |dx: usize, dy: usize| f32::from(plane.pixels[(iy + dy) * w + ix + dx]);
        let top = px(0, 0) + (px(1, 0) - px(0, 0)) * tx;
        let bottom = px(0, 1) + (px(1, 1) - px(0, 1)) * tx;
        Some(top + (bottom - top) * ty)
    };
    for i in 0..(length.max(0.0) / STEP) as usize {
        let (x, y) = (
            from.0 + dir.0 * STEP * i as f32,
            from.1 + dir.1 * STEP * i as f32,
        );
        let taps = [
            at(x, y),
            at(x - across.0, y - across.1),
            at(x + across.0, y + across.1),
        ];
        match taps {
            [Some(a), Some(b), Some(c)] => out.push((a + b + c) / 3.0),
            _ if out.is_empty() => {}
            _ => break,
        }
    }
}

/// The line as bars (set bits) and spaces. A sample's threshold is the midpoint of the
/// darkest and lightest samples in a window a few modules wide around it (unlike a mean, not
/// pulled towards white next to a quiet zone, which would fatten the outer bars); with
/// hysteresis of a twentieth of that range, and no change where the window's range is small
/// (flat paper or screen: noise there must not make bars). `None` if the line is too short
/// or flat.
pub(crate) fn threshold(profile: &[f32], scratch: &mut Extremes) -> Option<BitArray> {
    let n = profile.len();
    if n < 32 {
        return None;
    }
    let (mut low, mut high) = (f32::MAX, f32::MIN);
    for &v in profile {
        (low, high) = (low.min(v), high.max(v));
    }
    let contrast = high - low;
    if contrast < 16.0 {
        return None;
    }
    // A line is ~2.5 barcode lengths long; a thirtieth of it is ~6 modules of a card number.
    let half = (n / 30).clamp(6, 48);
    scratch.fill(profile, half);
    let mut row = BitArray::with_size(n);
    let mut black = false;
    for (i, &v) in profile.iter().enumerate() {
        let (lo, hi) = (scratch.min[i], scratch.max[i]);
        let range = hi - lo;
        if range > contrast * 0.2 {
            let (mid, margin) = ((lo + hi) / 2.0, range * 0.05);
            if black && v > mid + margin {
                black = false;
            } else if !black && v < mid - margin {
                black = true;
            }
        }
        if black {
            row.set(i);
        }
    }
    Some(row)
}

/// The minimum and maximum of each sample's window, by monotonic queues (O(n)).
#[derive(Debug, Default)]
pub(crate) struct Extremes {
    min: Vec<f32>,
    max: Vec<f32>,
    queue: std::collections::VecDeque<usize>,
}

impl Extremes {
    /// Fills `min` and `max` with the extremes of `profile[i - half ..= i + half]`.
    fn fill(&mut self, profile: &[f32], half: usize) {
        let n = profile.len();
        for (out, darker) in [(&mut self.min, true), (&mut self.max, false)] {
            out.clear();
            self.queue.clear();
            let keeps = |a: f32, b: f32| if darker { a < b } else { a > b };
            for j in 0..n + half {
                if j < n {
                    while let Some(&last) = self.queue.back()
                        && !keeps(profile[last], profile[j])
                    {
                        self.queue.pop_back();
                    }
                    self.queue.push_back(j);
                }
                if j >= half {
                    let i = j - half;
                    while let Some(&first) = self.queue.front()
                        && first + half < i
                    {
                        self.queue.pop_front();
                    }
                    let best = self.queue.front().map_or(profile[i], |&f| profile[f]);
                    out.push(best);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A profile of bars `widths` samples wide (bar, space, bar, …) between quiet zones,
    /// dark `dark` on light `light`, with light glare rising along the line.
    fn profile(widths: &[usize], dark: f32, light: f32) -> Vec<f32> {
        let mut out = vec![light; 60];
        for (i, &w) in widths.iter().enumerate() {
            out.extend(std::iter::repeat_n(
                if i % 2 == 0 { dark } else { light },
                w,
            ));
        }
        out.extend(std::iter::repeat_n(light, 60));
        let n = out.len() as f32;
        out.iter()
            .enumerate()
            .map(|(i, v)| (v + 60.0 * i as f32 / n).min(255.0))
            .collect()
    }

    #[test]
    fn bars_keep_their_widths_next_to_quiet_zones_and_under_glare() {
        let widths = [3, 3, 6, 3, 3, 6, 3, 3, 6, 6, 3, 3, 3, 6, 3];
        let line = profile(&widths, 70.0, 180.0);
        let row = threshold(&line, &mut Extremes::default()).unwrap();
        let mut runs = Vec::new();
        let mut i = 60;
        while i < row.get_size() - 60 {
            let bar = row.get(i);
            let run = (i..row.get_size())
                .take_while(|&j| row.get(j) == bar)
                .count();
            runs.push(run);
            i += run;
        }
        assert_eq!(runs, widths);
        assert!(!row.get(10) && !row.get(row.get_size() - 10), "quiet zones");
    }

    #[test]
    fn a_flat_or_short_line_is_not_a_barcode() {
        assert!(threshold(&[100.0; 400], &mut Extremes::default()).is_none());
        assert!(threshold(&[0.0, 255.0, 0.0], &mut Extremes::default()).is_none());
    }
}
