//! Where a frame may hold a 1D barcode, and which way its bars run.
//!
//! 1D readers scan lines across the bars; a line must cross every bar of the symbol, so a
//! barcode turned 30–60° is missed by readers that only scan rows and columns. Instead of
//! scanning the whole frame at many angles, the frame is cut into blocks of
//! [`BLOCK`]×[`BLOCK`] pixels and each block's gradient structure tensor is summed: in a block
//! of bars every edge points the same way, so the tensor's two eigenvalues differ a lot (the
//! block is *coherent*), while noise, print and QR modules have edges in every direction.
//! Neighbouring coherent blocks whose edges point the same way are joined into a [`Region`],
//! which gives the decoder the direction to scan in and how far.

use super::binarize::Plane;

/// The side of a block, in pixels.
pub(crate) const BLOCK: usize = 16;

/// A block is part of a barcode when λ₁ − λ₂ (per pixel) of its tensor is at least this
/// (a bar edge of ~25 gray levels every few pixels gives a few hundred; sensor noise of σ = 10
/// alone gives ~0 on average, as it has no direction)…
const MIN_ANISOTROPY: f32 = 60.0;
/// …and (λ₁ − λ₂) / (λ₁ + λ₂) is at least this (1 = all edges parallel).
const MIN_COHERENCE: f32 = 0.55;
/// Neighbouring blocks join one region when their edge directions differ by less than this.
const MAX_TURN_DEG: f32 = 14.0;
/// The fewest blocks a region has (a 95-module EAN-13 at 2 px/module and 30 px tall is ~8).
const MIN_BLOCKS: usize = 4;
/// At most this many regions are returned, largest first.
const MAX_REGIONS: usize = 40;

/// Part of the frame that looks like bars all turned one way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Region {
    /// The region's centre, in frame pixels.
    pub center: (f32, f32),
    /// The direction across the bars (the one to scan in), radians in `[0, π)`.
    pub angle: f32,
    /// Half the region's extent across the bars, in pixels.
    pub half_length: f32,
    /// Half its extent along the bars.
    pub half_height: f32,
    /// How many blocks it has.
    pub blocks: usize,
}

/// One block's summed tensor.
#[derive(Debug, Clone, Copy, Default)]
struct Tensor {
    xx: f32,
    yy: f32,
    xy: f32,
}

impl Tensor {
    /// The gradient direction in `[0, π)` and whether the block counts as bars.
    fn bars(self, pixels: f32) -> Option<f32> {
        let trace = self.xx + self.yy;
        let spread = ((self.xx - self.yy).powi(2) + 4.0 * self.xy * self.xy).sqrt();
        if trace <= 0.0 || spread / pixels < MIN_ANISOTROPY || spread / trace < MIN_COHERENCE {
            return None;
        }
        let angle = 0.5 * (2.0 * self.xy).atan2(self.xx - self.yy);
        Some(angle.rem_euclid(std::f32::consts::PI))
    }
}

/// The candidate regions of `plane`, largest first; `tensors` is scratch.
pub(crate) fn find(plane: &Plane, tensors: &mut Vec<(f32, f32, f32)>) -> Vec<Region> {
    let (w, h) = (plane.width, plane.height);
    let (bw, bh) = (w / BLOCK, h / BLOCK);
    if bw < 2 || bh < 2 {
        return Vec::new();
    }
    tensors.clear();
    tensors.resize(bw * bh, (0.0, 0.0, 0.0));
    let p = &plane.pixels;
    for by in 0..bh {
        for bx in 0..bw {
            let mut t = (0i64, 0i64, 0i64);
            for y in (by * BLOCK).max(1)..((by + 1) * BLOCK).min(h - 1) {
                let row = y * w;
                for x in (bx * BLOCK).max(1)..((bx + 1) * BLOCK).min(w - 1) {
                    let gx = i64::from(p[row + x + 1]) - i64::from(p[row + x - 1]);
                    let gy = i64::from(p[row + w + x]) - i64::from(p[row - w + x]);
                    t.0 += gx * gx;
                    t.1 += gy * gy;
                    t.2 += gx * gy;
                }
            }
            tensors[by * bw + bx] = (t.0 as f32, t.1 as f32, t.2 as f32);
        }
    }
    let pixels = (BLOCK * BLOCK) as f32;
    let angles: Vec<Option<f32>> = tensors
        .iter()
        .map(|&(xx, yy, xy)| Tensor { xx, yy, xy }.bars(pixels))
        .collect();
    let mut regions = Vec::new();
    let mut seen = vec![false; bw * bh];
    let mut stack = Vec::new();
    for start in 0..bw * bh {
        if seen[start] || angles[start].is_none() {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let mut members = Vec::new();
        while let Some(i) = stack.pop() {
            members.push(i);
            let Some(a) = angles[i] else { continue };
            let (x, y) = ((i % bw) as isize, (i / bw) as isize);
            for (dx, dy) in [
                (-1, -1),
                (0, -1),
                (1, -1),
                (-1, 0),
                (1, 0),
                (-1, 1),
                (0, 1),
                (1, 1),
            ] {
                let (nx, ny) = (x + dx, y + dy);
                if nx < 0 || ny < 0 || nx >= bw as isize || ny >= bh as isize {
                    continue;
                }
                let n = ny as usize * bw + nx as usize;
                if let (false, Some(b)) = (seen[n], angles[n])
                    && turn(a, b) < MAX_TURN_DEG.to_radians()
                {
                    seen[n] = true;
                    stack.push(n);
                }
            }
        }
        if members.len() >= MIN_BLOCKS {
            regions.push(region(&members, tensors, bw));
        }
    }
    regions.sort_by_key(|r| std::cmp::Reverse(r.blocks));
    regions.truncate(MAX_REGIONS);
    regions
}

/// The angle between two directions in `[0, π)`, in `[0, π/2]`.
fn turn(a: f32, b: f32) -> f32 {
    let d = (a - b).abs();
    d.min(std::f32::consts::PI - d)
}

/// The region of the blocks `members`: direction from their summed tensor, extent from their
/// centres projected on it (plus one block, as a centre is half a block from the edge).
fn region(members: &[usize], tensors: &[(f32, f32, f32)], bw: usize) -> Region {
    let sum = members.iter().fold(Tensor::default(), |s, &i| {
        let (xx, yy, xy) = tensors[i];
        Tensor {
            xx: s.xx + xx,
            yy: s.yy + yy,
            xy: s.xy + xy,
        }
    });
    let angle = (0.5 * (2.0 * sum.xy).atan2(sum.xx - sum.yy)).rem_euclid(std::f32::consts::PI);
    let (c, s) = (angle.cos(), angle.sin());
    let half = BLOCK as f32 / 2.0;
    let centres = members.iter().map(|&i| {
        (
            (i % bw * BLOCK) as f32 + half,
            (i / bw * BLOCK) as f32 + half,
        )
    });
    let (mut u0, mut u1, mut v0, mut v1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for (x, y) in centres {
        let (u, v) = (x * c + y * s, -x * s + y * c);
        (u0, u1, v0, v1) = (u0.min(u), u1.max(u), v0.min(v), v1.max(v));
    }
    let (uc, vc) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
    Region {
        center: (uc * c - vc * s, uc * s + vc * c),
        angle,
        half_length: (u1 - u0) / 2.0 + half,
        half_height: (v1 - v0) / 2.0 + half,
        blocks: members.len(),
    }
}
