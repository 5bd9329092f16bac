//! `make-decode-frames OUT_DIR [--set qr|1d] [--count N] [--seed S]`: the decoder's hard sets.
//!
//! Writes N (default 60) camera-like 1280×720 PNG frames of evenly rising difficulty (see
//! `shimin_e2e::camera`), and `manifest.json`:
//! `{"set", "now", "keyset", "frames": [{"file", "symbology", "text", "difficulty"}]}`.
//!
//! - `--set qr` (the default): real signed passes as QR codes on a phone; `now` and `keyset`
//!   are the time at which the passes are valid and the key set that verifies them, so a
//!   benchmark can decode *and verify* each frame.
//! - `--set 1d`: what a library counter sees — every other frame a library card number in
//!   NW-7 (Codabar, e.g. `A2100000000016B`, start and stop A–D) on a phone, the others a
//!   book label on paper, Code 128 or EAN-13 (an ISBN) by turns; 3.2 down to 1.4 px per
//!   narrow module, turned at any angle in the image plane (`shimin_e2e::barcodes`).
//!
//! The same seed always gives the same files.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use jiff::{SignedDuration, Timestamp};
use qrcode::EcLevel;
use shimin_e2e::barcodes::{codabar_image, code128_image, ean13_check_digit, ean13_image};
use shimin_e2e::camera::{CameraParams, Rng, camera_frame, qr_image};
use shimin_sync::ids::{CenterId, ChildNo, GuardianId, KeyId};
use shimin_sync::messages::KeySet;
use shimin_sync::pass::{DEFAULT_LIFETIME, PassClaims, PassNonce, PassSigner, issue};

/// When the passes are issued; the manifest's `now` is 30 s later.
const ISSUED_AT: &str = "2026-04-01T01:00:00Z";

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let (mut count, mut seed, mut linear) = (60u32, 1u64, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--set" => match args.next().as_deref() {
                Some("qr") => linear = false,
                Some("1d") => linear = true,
                other => bail!("--set takes qr or 1d, not {other:?}"),
            },
            "--count" => count = args.next().context("--count needs a number")?.parse()?,
            "--seed" => seed = args.next().context("--seed needs a number")?.parse()?,
            _ if arg.starts_with('-') => bail!("unknown option {arg}"),
            _ => out = Some(PathBuf::from(arg)),
        }
    }
    let out =
        out.context("usage: make-decode-frames OUT_DIR [--set qr|1d] [--count N] [--seed S]")?;
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;

    let issued_at: Timestamp = ISSUED_AT.parse()?;
    let signer = PassSigner::from_seed(KeyId::new("k1")?, &[7; 32]);
    let keyset = KeySet::new(
        issued_at - SignedDuration::from_hours(24),
        vec![signer.key_entry(
            issued_at - SignedDuration::from_hours(24),
            issued_at + SignedDuration::from_hours(24 * 30),
        )],
    );
    let mut rng = Rng::new(seed);
    let mut frames = Vec::new();
    for i in 0..count {
        let difficulty = if count > 1 {
            i as f32 / (count - 1) as f32
        } else {
            0.5
        };
        let (symbology, text, code, module_frame_px) = if linear {
            linear_code(i, difficulty, &mut rng)?
        } else {
            let text = pass_text(&signer, issued_at, &mut rng)?;
            let code = qr_image(&text, EcLevel::M, 8).context("pass too long for a QR code")?;
            ("qr", text, code, None)
        };
        let frame_seed = rng.next_u64();
        let mut params = CameraParams::for_difficulty(difficulty, frame_seed);
        if let Some(px) = module_frame_px {
            // Drawn at DRAWN_MODULE px per module; sized so a module spans `px` in the frame.
            params.code_px = code.width() as f32 * px / DRAWN_MODULE as f32;
            params.paper = symbology != "codabar";
        }
        let frame = camera_frame(&code, &params, frame_seed);
        let file = format!("frame-{i:03}.png");
        frame
            .save(out.join(&file))
            .with_context(|| format!("writing {file}"))?;
        frames.push(serde_json::json!({
            "file": file,
            "symbology": symbology,
            "text": text,
            "difficulty": (difficulty * 1000.0).round() / 1000.0,
            "params": format!("{params:?}"),
        }));
    }
    let manifest = serde_json::json!({
        "set": if linear { "1d" } else { "qr" },
        "now": (issued_at + SignedDuration::from_secs(30)).to_string(),
        "keyset": keyset,
        "frames": frames,
    });
    std::fs::write(
        out.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    println!("{count} frames in {}", out.display());
    Ok(())
}

/// Pixels per module of the 1D images before the camera scales them.
const DRAWN_MODULE: u32 = 4;

/// Frame `i` of the 1D set: (symbology, text as a reader returns it, clean image, frame px
/// per module).
fn linear_code(
    i: u32,
    difficulty: f32,
    rng: &mut Rng,
) -> Result<(&'static str, String, image::GrayImage, Option<f32>)> {
    let digits = |rng: &mut Rng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + (rng.next_u64() % 10) as u8))
            .collect()
    };
    let module = (3.2 + (1.4 - 3.2) * difficulty) * rng.range(0.9, 1.1);
    let (symbology, text, image) = match i % 4 {
        0 | 2 => {
            let start_stop = |rng: &mut Rng| char::from(b'A' + (rng.next_u64() % 4) as u8);
            let (start, stop) = (start_stop(rng), start_stop(rng));
            let text = format!("{start}21{}{stop}", digits(rng, 11));
            let image = codabar_image(&text, DRAWN_MODULE, 40)?;
            ("codabar", text, image)
        }
        1 => {
            let text = format!("1{}", digits(rng, 9));
            (
                "code128",
                text.clone(),
                code128_image(&text, DRAWN_MODULE, 30)?,
            )
        }
        _ => {
            let first12 = format!("978{}", digits(rng, 9));
            let check = ean13_check_digit(&first12).context("EAN-13 check digit")?;
            let image = ean13_image(&first12, DRAWN_MODULE, 30)?;
            ("ean13", format!("{first12}{check}"), image)
        }
    };
    Ok((symbology, text, image, Some(module)))
}

/// A pass for 1–3 children of a random guardian, one in four bound to a center.
fn pass_text(signer: &PassSigner, issued_at: Timestamp, rng: &mut Rng) -> Result<String> {
    let uuid = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
    let guardian: GuardianId = format!(
        "{}-{}-{}-{}-{}",
        &uuid[0..8],
        &uuid[8..12],
        &uuid[12..16],
        &uuid[16..20],
        &uuid[20..32]
    )
    .parse()?;
    let n_children = 1 + rng.next_u64() % 3;
    let children = (1..=n_children)
        .map(|n| ChildNo::new(n as u16))
        .collect::<Result<Vec<_>, _>>()?;
    let nonce = PassNonce(rng.next_u64().to_le_bytes());
    let mut claims = PassClaims::new(guardian, children, issued_at, DEFAULT_LIFETIME, nonce)?;
    if rng.next_u64().is_multiple_of(4) {
        claims.center_id = Some(CenterId::new("chuo")?);
    }
    Ok(issue(signer, &claims)?)
}
