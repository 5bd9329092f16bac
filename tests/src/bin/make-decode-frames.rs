//! `make-decode-frames OUT_DIR [--count N] [--seed S]`: the decoder's hard set.
//!
//! Writes N (default 60) camera-like 1280×720 PNG frames of real signed passes, of evenly
//! rising difficulty (see `shimin_e2e::camera`), and `manifest.json`:
//! `{"now", "keyset", "frames": [{"file", "text", "difficulty"}]}` — the time at which the
//! passes are valid and the key set that verifies them, so a benchmark can decode *and
//! verify* each frame. The same seed always gives the same files.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use jiff::{SignedDuration, Timestamp};
use qrcode::EcLevel;
use shimin_e2e::camera::{CameraParams, Rng, camera_frame, qr_image};
use shimin_sync::ids::{CenterId, ChildNo, GuardianId, KeyId};
use shimin_sync::messages::KeySet;
use shimin_sync::pass::{DEFAULT_LIFETIME, PassClaims, PassNonce, PassSigner, issue};

/// When the passes are issued; the manifest's `now` is 30 s later.
const ISSUED_AT: &str = "2026-04-01T01:00:00Z";

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let (mut count, mut seed) = (60u32, 1u64);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--count" => count = args.next().context("--count needs a number")?.parse()?,
            "--seed" => seed = args.next().context("--seed needs a number")?.parse()?,
            _ if arg.starts_with('-') => bail!("unknown option {arg}"),
            _ => out = Some(PathBuf::from(arg)),
        }
    }
    let out = out.context("usage: make-decode-frames OUT_DIR [--count N] [--seed S]")?;
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
        let text = pass_text(&signer, issued_at, &mut rng)?;
        let code = qr_image(&text, EcLevel::M, 8).context("pass too long for a QR code")?;
        let difficulty = if count > 1 {
            i as f32 / (count - 1) as f32
        } else {
            0.5
        };
        let frame_seed = rng.next_u64();
        let params = CameraParams::for_difficulty(difficulty, frame_seed);
        let frame = camera_frame(&code, &params, frame_seed);
        let file = format!("frame-{i:03}.png");
        frame
            .save(out.join(&file))
            .with_context(|| format!("writing {file}"))?;
        frames.push(serde_json::json!({
            "file": file,
            "text": text,
            "difficulty": (difficulty * 1000.0).round() / 1000.0,
            "params": format!("{params:?}"),
        }));
    }
    let manifest = serde_json::json!({
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
