//! Camera-like frames made from clean code images, for the kiosk's decoder and its tests.
//!
//! A kiosk camera does not see the PNG the portal drew: it sees a phone held at some angle
//! and distance, its screen showing the code, on a cluttered counter, through a lens that
//! blurs, under light that is uneven and reflects off the glass, with sensor noise.
//! [`camera_frame`] makes such a 1280×720 grayscale frame from a clean image (a QR code PNG,
//! or a screenshot of the pass page), deterministically from a seed:
//!
//! 1. a cluttered background (gradient, boxes, stripes, lines of "print");
//! 2. a phone: the image on a white screen inside a dark bezel, its content at reduced
//!    contrast, seen through a pinhole camera after an in-plane rotation and a tilt of the
//!    phone (a true perspective warp: a homography, sampled 2×2 per pixel);
//! 3. uneven light (a gradient across the frame), a glare spot on the screen,
//!    lens blur (Gaussian) and sensor noise (Gaussian).
//!
//! [`CameraParams::for_difficulty`] picks all of these from one difficulty in `0.0..=1.0`;
//! [`qr_image`] draws a code the way a phone shows it.

use image::{GrayImage, Luma, imageops};
use qrcode::{Color, QrCode};

/// The QR error-correction level [`qr_image`] takes (re-exported so callers need not name
/// the `qrcode` crate).
pub use qrcode::EcLevel;

/// Width of the frames [`camera_frame`] makes (a 720p camera).
pub const FRAME_WIDTH: u32 = 1280;
/// Height of the frames [`camera_frame`] makes.
pub const FRAME_HEIGHT: u32 = 720;

/// How the camera sees the code. Sizes are in frame pixels, angles in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameraParams {
    /// How wide the code image appears face-on, in frame pixels (the whole image, quiet zone
    /// included). A pass (version 8, 57 modules with the quiet zone) at 200 px has 3.5 px
    /// modules.
    pub code_px: f32,
    /// Rotation of the phone in the image plane.
    pub rotation_deg: f32,
    /// How far the phone's screen is turned away from facing the camera.
    pub tilt_deg: f32,
    /// The direction of the tilt's axis within the screen.
    pub tilt_axis_deg: f32,
    /// Standard deviation of the lens blur, in pixels (0 = sharp).
    pub blur_sigma: f32,
    /// Standard deviation of the sensor noise, in gray levels.
    pub noise_sigma: f32,
    /// Strength of the glare spot on the screen, 0 (none) to 1 (washes the spot out).
    pub glare: f32,
    /// How much the light falls off across the frame, 0 (even) to 1 (black at one side).
    pub shading: f32,
    /// Contrast of the screen's content, 1 (black on white) down to ~0.2 (gray on gray).
    pub contrast: f32,
    /// Whether the background is cluttered (else a plain gradient).
    pub clutter: bool,
    /// Whether the code is printed on a paper label (matte, no bezel) instead of a phone.
    pub paper: bool,
}

impl Default for CameraParams {
    /// An easy, realistic view: code 360 px wide, slightly turned and tilted, mild blur and noise.
    fn default() -> Self {
        Self {
            code_px: 360.0,
            rotation_deg: 8.0,
            tilt_deg: 12.0,
            tilt_axis_deg: 30.0,
            blur_sigma: 0.7,
            noise_sigma: 3.0,
            glare: 0.0,
            shading: 0.2,
            contrast: 0.85,
            clutter: true,
            paper: false,
        }
    }
}

impl CameraParams {
    /// Parameters of a view of the given difficulty (0 = easy, 1 = at the edge of what a good
    /// decoder reads), varied by `seed` so frames of one difficulty differ.
    pub fn for_difficulty(difficulty: f32, seed: u64) -> Self {
        let d = difficulty.clamp(0.0, 1.0);
        let mut rng = Rng::new(seed ^ 0x5eed_ca3e_a000_0001);
        let lerp = |a: f32, b: f32| a + (b - a) * d;
        Self {
            code_px: lerp(440.0, 170.0) * rng.range(0.88, 1.12),
            rotation_deg: rng.range(-180.0, 180.0),
            tilt_deg: lerp(4.0, 45.0) * rng.range(0.6, 1.0),
            tilt_axis_deg: rng.range(0.0, 180.0),
            blur_sigma: lerp(0.4, 1.5) * rng.range(0.7, 1.15),
            noise_sigma: lerp(2.0, 10.0) * rng.range(0.7, 1.1),
            glare: if rng.unit() < 0.3 + 0.5 * d {
                lerp(0.2, 0.9) * rng.range(0.6, 1.0)
            } else {
                0.0
            },
            shading: lerp(0.1, 0.65) * rng.range(0.5, 1.0),
            contrast: lerp(0.9, 0.35) * rng.range(0.9, 1.1),
            clutter: true,
            paper: false,
        }
    }
}

/// `text` as a QR code the way a phone screen shows it: black modules of `module_px` pixels
/// on white, with the standard 4-module quiet zone. Returns `None` if the text does not fit.
pub fn qr_image(text: &str, level: EcLevel, module_px: u32) -> Option<GrayImage> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), level).ok()?;
    let n = u32::try_from(code.width()).ok()?;
    let colors = code.to_colors();
    let module_px = module_px.max(1);
    let side = (n + 8) * module_px;
    Some(GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / module_px, y / module_px);
        let dark = (4..n + 4).contains(&mx)
            && (4..n + 4).contains(&my)
            && colors[((my - 4) * n + (mx - 4)) as usize] == Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    }))
}

/// Writes the camera frame of `code` under `params` as frame `n` of a kiosk's `--frames`
/// folder: written beside, then renamed, as a camera writer would, so the kiosk never reads
/// half a file.
pub fn show_frame(
    frames: &std::path::Path,
    n: u32,
    code: &GrayImage,
    params: &CameraParams,
) -> anyhow::Result<()> {
    let frame = camera_frame(code, params, u64::from(n));
    let tmp = frames.join(format!("{n:06}.png.tmp"));
    frame.save_with_format(&tmp, image::ImageFormat::Png)?;
    std::fs::rename(&tmp, frames.join(format!("{n:06}.png")))?;
    Ok(())
}

/// A book's label (printed paper) held up to the counter's camera, turned `rotation_deg`.
pub fn book_label(rotation_deg: f32) -> CameraParams {
    CameraParams {
        rotation_deg,
        paper: true,
        code_px: 420.0,
        ..CameraParams::default()
    }
}

/// A camera-like 1280×720 frame of `code` (any clean image: a code PNG, a screenshot) as
/// seen under `params`; the same inputs always give the same frame.
pub fn camera_frame(code: &GrayImage, params: &CameraParams, seed: u64) -> GrayImage {
    let mut rng = Rng::new(seed);
    let mut frame = background(&mut rng, params.clutter);
    let phone = phone_image(code, params, &mut rng);
    // Where the phone's centre lands: anywhere that keeps the code inside the frame.
    let reach = params.code_px * 0.75;
    let (w, h) = (FRAME_WIDTH as f32, FRAME_HEIGHT as f32);
    let cx = rng.range(reach.min(w / 2.0), (w - reach).max(w / 2.0));
    let cy = rng.range(reach.min(h / 2.0), (h - reach).max(h / 2.0));
    let to_frame = pose(params, phone.center, cx, cy);
    warp_onto(&mut frame, &phone.image, &to_frame);
    light(&mut frame, params, &mut rng, cx, cy);
    if params.blur_sigma > 0.05 {
        frame = imageops::blur(&frame, params.blur_sigma);
    }
    add_noise(&mut frame, params.noise_sigma, &mut rng);
    frame
}

/// The phone as a flat image: bezel, screen, the code, a little "text" around it.
struct Phone {
    image: GrayImage,
    /// The code's centre in `image`, which [`pose`] puts at the chosen frame position.
    center: (f32, f32),
}

fn phone_image(code: &GrayImage, params: &CameraParams, rng: &mut Rng) -> Phone {
    // Scale the code so that, face-on, it is `code_px` wide: the warp then samples near 1:1.
    let scale = params.code_px / code.width().max(1) as f32;
    let cw = (code.width() as f32 * scale).round().max(8.0) as u32;
    let ch = (code.height() as f32 * scale).round().max(8.0) as u32;
    let code = imageops::resize(code, cw, ch, imageops::FilterType::Triangle);
    let margin_x = (cw as f32 * 0.12) as u32 + 4;
    let (top, bottom) = ((ch as f32 * 0.45) as u32, (ch as f32 * 0.55) as u32);
    let bezel = (cw as f32 * 0.06) as u32 + 3;
    let (sw, sh) = (cw + 2 * margin_x, ch + top + bottom);
    let (pw, ph) = (sw + 2 * bezel, sh + 2 * bezel + bezel);
    let contrast = params.contrast.clamp(0.05, 1.0);
    // Screens glow: their white is often brighter than the room, black is never black.
    // Paper is matte and its edge is paper too.
    let white = rng.range(200.0, 250.0) * if params.paper { 0.85 } else { 1.0 };
    let black = white - (white - 10.0) * contrast;
    let shade = |v: u8| Luma([(black + (white - black) * f32::from(v) / 255.0) as u8]);
    let edge = if params.paper {
        white * 0.95
    } else {
        rng.range(15.0, 45.0)
    };
    let mut image = GrayImage::from_pixel(pw, ph, Luma([edge as u8]));
    for y in 0..sh {
        for x in 0..sw {
            image.put_pixel(bezel + x, bezel + y, shade(255));
        }
    }
    // A header bar and lines of text above and below the code, like the pass page.
    let mut bar = |x0: u32, y0: u32, bw: u32, bh: u32, v: u8| {
        for y in y0..(y0 + bh).min(bezel + sh) {
            for x in x0..(x0 + bw).min(bezel + sw) {
                image.put_pixel(x, y, shade(v));
            }
        }
    };
    bar(bezel, bezel, sw, top / 4, 90);
    let line_h = (ch / 30).max(2);
    for i in 0..3 {
        let len = (sw as f32 * rng.range(0.3, 0.8)) as u32;
        bar(
            bezel + margin_x,
            bezel + top / 3 + i * 3 * line_h,
            len,
            line_h,
            60,
        );
        let len = (sw as f32 * rng.range(0.3, 0.8)) as u32;
        bar(
            bezel + margin_x,
            bezel + top + ch + top / 6 + i * 3 * line_h,
            len,
            line_h,
            60,
        );
    }
    for (x, y, p) in code.enumerate_pixels() {
        image.put_pixel(bezel + margin_x + x, bezel + top + y, shade(p.0[0]));
    }
    let center = (
        (bezel + margin_x) as f32 + cw as f32 / 2.0,
        (bezel + top) as f32 + ch as f32 / 2.0,
    );
    Phone { image, center }
}

/// A 3×3 projective map, row-major, applied to `(x, y, 1)`.
type Homography = [f32; 9];

/// The homography from phone-image coordinates to frame coordinates: rotate the phone by
/// `rotation_deg` in its plane, tilt it by `tilt_deg` about an in-plane axis, and look at it
/// with a pinhole camera whose focal length is about a 720p webcam's, its centre landing
/// on (`cx`, `cy`).
fn pose(params: &CameraParams, center: (f32, f32), cx: f32, cy: f32) -> Homography {
    let f = 1000.0f32;
    let (sr, cr) = params.rotation_deg.to_radians().sin_cos();
    let (sa, ca) = params.tilt_axis_deg.to_radians().sin_cos();
    let (st, ct) = params.tilt_deg.to_radians().sin_cos();
    // Tilt: rotation by t about the unit axis (ca, sa, 0) (Rodrigues' formula).
    let (ux, uy) = (ca, sa);
    let tilt = [
        ct + ux * ux * (1.0 - ct),
        ux * uy * (1.0 - ct),
        uy * st,
        uy * ux * (1.0 - ct),
        ct + uy * uy * (1.0 - ct),
        -ux * st,
        -uy * st,
        ux * st,
        ct,
    ];
    let spin = [cr, -sr, 0.0, sr, cr, 0.0, 0.0, 0.0, 1.0];
    let r = mul(&tilt, &spin);
    // Point (X, Y, 0) on the phone → camera (r·p + (0, 0, f)) → pixel, as one homography on
    // (X, Y, 1); then X = x − centre.x, Y = y − centre.y.
    let camera = [
        f * r[0] + cx * r[6],
        f * r[1] + cx * r[7],
        cx * f,
        f * r[3] + cy * r[6],
        f * r[4] + cy * r[7],
        cy * f,
        r[6],
        r[7],
        f,
    ];
    let recentre = [1.0, 0.0, -center.0, 0.0, 1.0, -center.1, 0.0, 0.0, 1.0];
    mul(&camera, &recentre)
}

fn mul(a: &Homography, b: &Homography) -> Homography {
    let mut out = [0.0; 9];
    for row in 0..3 {
        for col in 0..3 {
            out[row * 3 + col] = (0..3).map(|k| a[row * 3 + k] * b[k * 3 + col]).sum();
        }
    }
    out
}

fn invert(m: &Homography) -> Option<Homography> {
    let [a, b, c, d, e, f, g, h, i] = *m;
    let co = [
        e * i - f * h,
        c * h - b * i,
        b * f - c * e,
        f * g - d * i,
        a * i - c * g,
        c * d - a * f,
        d * h - e * g,
        b * g - a * h,
        a * e - b * d,
    ];
    let det = a * co[0] + b * co[3] + c * co[6];
    (det.abs() > 1e-9).then(|| co.map(|v| v / det))
}

fn apply(m: &Homography, x: f32, y: f32) -> Option<(f32, f32)> {
    let w = m[6] * x + m[7] * y + m[8];
    (w > 1e-6).then(|| {
        (
            (m[0] * x + m[1] * y + m[2]) / w,
            (m[3] * x + m[4] * y + m[5]) / w,
        )
    })
}

/// Draws `src` onto `frame` through `to_frame`, 2×2 samples per frame pixel, bilinear.
fn warp_onto(frame: &mut GrayImage, src: &GrayImage, to_frame: &Homography) {
    let Some(to_src) = invert(to_frame) else {
        return;
    };
    let (sw, sh) = (src.width() as f32, src.height() as f32);
    let corners = [(0.0, 0.0), (sw, 0.0), (sw, sh), (0.0, sh)];
    let mapped: Vec<(f32, f32)> = corners
        .iter()
        .filter_map(|&(x, y)| apply(to_frame, x, y))
        .collect();
    if mapped.len() < 4 {
        return;
    }
    let clampx = |v: f32| v.clamp(0.0, FRAME_WIDTH as f32 - 1.0) as u32;
    let clampy = |v: f32| v.clamp(0.0, FRAME_HEIGHT as f32 - 1.0) as u32;
    let x0 = clampx(mapped.iter().map(|p| p.0).fold(f32::MAX, f32::min).floor());
    let x1 = clampx(mapped.iter().map(|p| p.0).fold(f32::MIN, f32::max).ceil());
    let y0 = clampy(mapped.iter().map(|p| p.1).fold(f32::MAX, f32::min).floor());
    let y1 = clampy(mapped.iter().map(|p| p.1).fold(f32::MIN, f32::max).ceil());
    const SUB: [(f32, f32); 4] = [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)];
    for y in y0..=y1 {
        for x in x0..=x1 {
            let background = f32::from(frame.get_pixel(x, y).0[0]);
            let mut sum = 0.0;
            let mut inside = 0;
            for (dx, dy) in SUB {
                match apply(&to_src, x as f32 + dx, y as f32 + dy).and_then(|p| bilinear(src, p)) {
                    Some(v) => {
                        sum += v;
                        inside += 1;
                    }
                    None => sum += background,
                }
            }
            if inside > 0 {
                frame.put_pixel(x, y, Luma([(sum / 4.0) as u8]));
            }
        }
    }
}

fn bilinear(src: &GrayImage, (x, y): (f32, f32)) -> Option<f32> {
    let (fx, fy) = (x - 0.5, y - 0.5);
    if fx < -0.5 || fy < -0.5 || fx > src.width() as f32 - 0.5 || fy > src.height() as f32 - 0.5 {
        return None;
    }
    let max_x = src.width() as i64 - 1;
    let max_y = src.height() as i64 - 1;
    let (ix, iy) = (fx.floor() as i64, fy.floor() as i64);
    let (tx, ty) = (fx - ix as f32, fy - iy as f32);
    let px = |x: i64, y: i64| {
        f32::from(
            src.get_pixel(x.clamp(0, max_x) as u32, y.clamp(0, max_y) as u32)
                .0[0],
        )
    };
    let top = px(ix, iy) * (1.0 - tx) + px(ix + 1, iy) * tx;
    let bottom = px(ix, iy + 1) * (1.0 - tx) + px(ix + 1, iy + 1) * tx;
    Some(top * (1.0 - ty) + bottom * ty)
}

/// A counter seen by the camera: a gradient, and with `clutter` boxes, stripes and print.
fn background(rng: &mut Rng, clutter: bool) -> GrayImage {
    let base = rng.range(70.0, 170.0);
    let (gx, gy) = (rng.range(-0.05, 0.05), rng.range(-0.05, 0.05));
    let mut frame = GrayImage::from_fn(FRAME_WIDTH, FRAME_HEIGHT, |x, y| {
        Luma([(base + gx * x as f32 + gy * y as f32).clamp(0.0, 255.0) as u8])
    });
    if !clutter {
        return frame;
    }
    let (w, h) = (FRAME_WIDTH as f32, FRAME_HEIGHT as f32);
    for _ in 0..rng.range(8.0, 16.0) as u32 {
        let (x0, y0) = (rng.range(-100.0, w), rng.range(-100.0, h));
        let (bw, bh) = (rng.range(30.0, 400.0), rng.range(30.0, 300.0));
        let v = rng.range(10.0, 250.0);
        let stripes = rng.unit() < 0.3;
        let period = rng.range(4.0, 20.0);
        fill(&mut frame, x0, y0, bw, bh, |x, _y| {
            if stripes && (x / period) as i32 % 2 == 0 {
                v * 0.5
            } else {
                v
            }
        });
    }
    // Lines of print: rows of short dark dashes on a light sheet.
    for _ in 0..rng.range(1.0, 4.0) as u32 {
        let (x0, y0) = (rng.range(0.0, w - 200.0), rng.range(0.0, h - 150.0));
        let (sw, sh) = (rng.range(150.0, 400.0), rng.range(100.0, 250.0));
        fill(&mut frame, x0, y0, sw, sh, |_, _| 225.0);
        let glyph = rng.range(4.0, 10.0);
        let mut y = y0 + glyph;
        while y + glyph < y0 + sh {
            let mut x = x0 + glyph;
            while x + glyph < x0 + sw {
                if rng.unit() < 0.8 {
                    fill(&mut frame, x, y, glyph * 0.8, glyph, |_, _| 40.0);
                }
                x += glyph * 1.1;
            }
            y += glyph * 1.8;
        }
    }
    frame
}

fn fill(frame: &mut GrayImage, x0: f32, y0: f32, w: f32, h: f32, v: impl Fn(f32, f32) -> f32) {
    let x_start = x0.max(0.0) as u32;
    let y_start = y0.max(0.0) as u32;
    let x_end = (x0 + w).clamp(0.0, FRAME_WIDTH as f32) as u32;
    let y_end = (y0 + h).clamp(0.0, FRAME_HEIGHT as f32) as u32;
    for y in y_start..y_end {
        for x in x_start..x_end {
            frame.put_pixel(x, y, Luma([v(x as f32, y as f32).clamp(0.0, 255.0) as u8]));
        }
    }
}

/// Uneven light across the frame and a glare spot near (`cx`, `cy`), where the phone is.
fn light(frame: &mut GrayImage, params: &CameraParams, rng: &mut Rng, cx: f32, cy: f32) {
    let angle = rng.range(0.0, std::f32::consts::TAU);
    let (dx, dy) = (angle.cos(), angle.sin());
    let span = (FRAME_WIDTH as f32).hypot(FRAME_HEIGHT as f32) / 2.0;
    let (mx, my) = (FRAME_WIDTH as f32 / 2.0, FRAME_HEIGHT as f32 / 2.0);
    let shading = params.shading.clamp(0.0, 1.0);
    let glare_r = params.code_px * rng.range(0.15, 0.35);
    let gx = cx + rng.range(-0.3, 0.3) * params.code_px;
    let gy = cy + rng.range(-0.3, 0.3) * params.code_px;
    let glare = params.glare.clamp(0.0, 1.0) * 255.0;
    for (x, y, p) in frame.enumerate_pixels_mut() {
        let (fx, fy) = (x as f32, y as f32);
        // 1 on the lit side, 1 − shading on the other.
        let along = ((fx - mx) * dx + (fy - my) * dy) / span;
        let gain = 1.0 - shading * (0.5 - 0.5 * along.clamp(-1.0, 1.0));
        let d2 = ((fx - gx).powi(2) + (fy - gy).powi(2)) / (2.0 * glare_r * glare_r);
        let spot = if glare > 0.0 && d2 < 9.0 {
            glare * (-d2).exp()
        } else {
            0.0
        };
        p.0[0] = (f32::from(p.0[0]) * gain + spot).clamp(0.0, 255.0) as u8;
    }
}

fn add_noise(frame: &mut GrayImage, sigma: f32, rng: &mut Rng) {
    if sigma <= 0.0 {
        return;
    }
    for p in frame.pixels_mut() {
        p.0[0] = (f32::from(p.0[0]) + sigma * rng.normal())
            .round()
            .clamp(0.0, 255.0) as u8;
    }
}

/// SplitMix64: small, fast, and the same sequence on every platform and version (a frame
/// made from a seed today is the same frame next year).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Uniform in `[low, high)`.
    pub fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f32 {
        let u1 = self.unit().max(1e-7);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_deterministic_by_seed_and_differ_between_seeds() {
        let code = qr_image("SP1:TEST", EcLevel::M, 4).unwrap();
        let params = CameraParams::for_difficulty(0.5, 7);
        let a = camera_frame(&code, &params, 7);
        let b = camera_frame(&code, &params, 7);
        let c = camera_frame(&code, &params, 8);
        assert_eq!((a.width(), a.height()), (FRAME_WIDTH, FRAME_HEIGHT));
        assert!(a == b, "same seed, same frame");
        assert!(a != c, "another seed, another frame");
        assert_eq!(CameraParams::for_difficulty(0.5, 7), params);
    }

    #[test]
    fn qr_image_has_quiet_zone_and_dark_finder_corner() {
        let image = qr_image("HELLO", EcLevel::M, 3).unwrap();
        // Version 1: 21 modules + 8 of quiet zone.
        assert_eq!(image.width(), 29 * 3);
        assert_eq!(image.get_pixel(1, 1).0[0], 255, "quiet zone");
        assert_eq!(
            image.get_pixel(4 * 3 + 1, 4 * 3 + 1).0[0],
            0,
            "finder pattern"
        );
    }

    #[test]
    fn pose_puts_the_code_centre_where_asked() {
        let params = CameraParams {
            tilt_deg: 30.0,
            rotation_deg: 45.0,
            ..CameraParams::default()
        };
        let h = pose(&params, (100.0, 50.0), 640.0, 360.0);
        let (x, y) = apply(&h, 100.0, 50.0).unwrap();
        assert!(
            (x - 640.0).abs() < 1e-3 && (y - 360.0).abs() < 1e-3,
            "{x} {y}"
        );
        let back = invert(&h).unwrap();
        let (u, v) = apply(&back, 640.0, 360.0).unwrap();
        assert!(
            (u - 100.0).abs() < 1e-2 && (v - 50.0).abs() < 1e-2,
            "{u} {v}"
        );
    }
}
