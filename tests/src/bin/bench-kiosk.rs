//! `bench-kiosk`: the kiosk's touchscreen app measured as it runs (by `scripts/bench-kiosk-ui`).
//!
//! A `--demo` portal (`SHIMIN_PORTAL_BIN`, release) and the demo kiosk of 西条子育て支援センター
//! (`SHIMIN_KIOSK_BIN`, release) with its 1024×600 window on Xvfb, frames from a folder. After
//! the kiosk has the portal's keys and configuration:
//!
//! - idle: CPU and RSS of the kiosk over 20 s with no frames;
//! - scanning: camera-like 1280×720 frames (tests/src/camera.rs) written at 30 per second for
//!   30 s; every 1.5 s a phone shows a fresh pass of the demo family for 0.4 s (12 frames), so
//!   the family is checked in, then out, and so on, and the frames after the first answer are
//!   repeats; CPU and RSS over the same 30 s;
//! - latency: from each frame's arrival to its answer on screen, as the kiosk logs it
//!   (`answer on screen`, repeats at debug level, which the kiosk's tests turn on: the frame source hands the frame over → decode → verify → stored →
//!   the window's next frame after the one that drew it), first answers and repeats apart; and
//!   from the frame file written here to the same moment (adds the folder's 20 ms polling and
//!   reading the PNG, which a camera does not have).
//!
//! The frames are drawn and encoded before the measured part, so the benchmark writes files
//! and nothing else while the kiosk works.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    fs,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, ensure};
use image::GrayImage;
use jiff::Timestamp;
use qrcode::EcLevel;
use shimin_e2e::{
    Portal,
    camera::{CameraParams, camera_frame, qr_image},
    demo::{citizen_token, fresh_pass, kiosk_password, wait_until_synced},
    kiosk::KioskProcess,
    percentile,
    xvfb::Xvfb,
};

const FPS: u32 = 30;
const SCAN_SECONDS: u32 = 30;
/// A phone is shown every this many frames (1.5 s) …
const ROUND_FRAMES: u32 = 45;
/// … for this many frames (0.4 s).
const SHOWN_FRAMES: u32 = 12;

fn png(image: &GrayImage) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encoding a PNG in memory");
    bytes.into_inner()
}

/// CPU ticks (user + system) and the memory lines of `/proc/PID/status`, in KiB.
struct Usage {
    ticks: u64,
    rss: u64,
    anon: u64,
    file: u64,
    peak: u64,
}

fn usage(pid: u32) -> Result<Usage> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .context("odd /proc/PID/stat")?
        .1
        .split_whitespace()
        .collect();
    let ticks = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    let status = fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib = |key: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(key))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok(Usage {
        ticks,
        rss: kib("VmRSS:"),
        anon: kib("RssAnon:"),
        file: kib("RssFile:"),
        peak: kib("VmHWM:"),
    })
}

fn print_usage(name: &str, before: &Usage, after: &Usage, seconds: f64) {
    let hz = rustix::param::clock_ticks_per_second() as f64;
    let cpu = (after.ticks - before.ticks) as f64 / hz / seconds * 100.0;
    println!(
        "{name:<9} CPU {cpu:5.1} % of one core   RSS {:>4} MiB (anon {} MiB, files {} MiB; peak {} MiB)",
        after.rss / 1024,
        after.anon / 1024,
        after.file / 1024,
        after.peak / 1024
    );
}

/// One "answer on screen" line of the kiosk's log.
struct Shown {
    at: Timestamp,
    latency_ms: f64,
    repeat: bool,
}

fn answers_on_screen(log: &str) -> Vec<Shown> {
    let ansi = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    let log = ansi.replace_all(log, "");
    let field = |line: &str, key: &str| -> Option<String> {
        let start = line.find(&format!("{key}="))? + key.len() + 1;
        Some(line[start..].split_whitespace().next()?.to_owned())
    };
    log.lines()
        .filter(|line| line.contains("answer on screen"))
        .filter_map(|line| {
            Some(Shown {
                at: line.split_whitespace().next()?.parse().ok()?,
                latency_ms: field(line, "latency_ms")?.parse().ok()?,
                repeat: field(line, "repeat")? == "true",
            })
        })
        .collect()
}

fn report(name: &str, mut samples: Vec<f64>) {
    if samples.is_empty() {
        println!("{name:<44} no samples");
        return;
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "{name:<44} n={:<4} p50 {:>6.1} ms  p95 {:>6.1} ms  max {:>6.1} ms",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.95),
        samples[samples.len() - 1]
    );
}

#[tokio::main]
async fn main() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let password = kiosk_password(&portal, "saijo-1")?;
    let screen = Xvfb::start(1024, 600)?;
    let broker = format!("mqtt://127.0.0.1:{}", portal.mqtt_port());
    let kiosk =
        KioskProcess::start_windowed(&broker, "saijo-1", &password, screen.display()).await?;
    wait_until_synced(&kiosk, Duration::from_secs(30)).await?;
    let pid = kiosk.pid().context("the kiosk is not running")?;

    // Everything the camera will see, made before measuring: a few frames of the counter with
    // nobody in front, and for each round a fresh pass seen from three slightly different poses.
    let token = citizen_token(&portal).await?;
    let rounds = SCAN_SECONDS * FPS / ROUND_FRAMES;
    let blank = GrayImage::from_pixel(400, 400, image::Luma([235]));
    let background: Vec<Vec<u8>> = (0..4)
        .map(|seed| png(&camera_frame(&blank, &CameraParams::default(), seed)))
        .collect();
    let mut phones: Vec<Vec<Vec<u8>>> = Vec::new();
    for round in 0..rounds {
        let pass = fresh_pass(&portal, &token).await?;
        let code = qr_image(&pass, EcLevel::M, 6).context("the pass does not fit a QR code")?;
        let poses = (0..3u64)
            .map(|pose| {
                let seed = u64::from(round) * 10 + pose;
                png(&camera_frame(
                    &code,
                    &CameraParams::for_difficulty(0.2, seed),
                    seed,
                ))
            })
            .collect();
        phones.push(poses);
    }

    tokio::time::sleep(Duration::from_secs(5)).await;
    let before = usage(pid)?;
    tokio::time::sleep(Duration::from_secs(20)).await;
    print_usage("idle", &before, &usage(pid)?, 20.0);

    let frames = kiosk.frames_dir();
    let started = Instant::now();
    let before = usage(pid)?;
    let mut shown_at: Vec<Timestamp> = Vec::new();
    for n in 0..SCAN_SECONDS * FPS {
        let (round, within) = (n / ROUND_FRAMES, n % ROUND_FRAMES);
        let bytes = match phones.get(round as usize) {
            Some(poses) if within < SHOWN_FRAMES => &poses[within as usize % poses.len()],
            _ => &background[n as usize % background.len()],
        };
        let name = frames.join(format!("{n:06}.png"));
        let tmp = frames.join(format!("{n:06}.png.tmp"));
        fs::write(&tmp, bytes)?;
        fs::rename(&tmp, &name)?;
        if within == 0 && (round as usize) < phones.len() {
            shown_at.push(Timestamp::now());
        }
        if n >= 10 {
            let _ = fs::remove_file(frames.join(format!("{:06}.png", n - 10)));
        }
        let next = started + Duration::from_secs_f64(f64::from(n + 1) / f64::from(FPS));
        tokio::time::sleep_until(next.into()).await;
    }
    print_usage("30 fps", &before, &usage(pid)?, f64::from(SCAN_SECONDS));
    tokio::time::sleep(Duration::from_secs(1)).await;

    let shown = answers_on_screen(&kiosk.log_tail(100_000));
    let first: Vec<f64> = shown
        .iter()
        .filter(|s| !s.repeat)
        .map(|s| s.latency_ms)
        .collect();
    let repeats: Vec<f64> = shown
        .iter()
        .filter(|s| s.repeat)
        .map(|s| s.latency_ms)
        .collect();
    // From the first frame of a phone written here to its first answer on screen.
    let mut written_to_screen = Vec::new();
    for (i, written) in shown_at.iter().enumerate() {
        let until = shown_at.get(i + 1).copied().unwrap_or(Timestamp::MAX);
        if let Some(answer) = shown
            .iter()
            .find(|s| !s.repeat && s.at > *written && s.at < until)
        {
            written_to_screen.push(written.duration_until(answer.at).as_secs_f64() * 1000.0);
        }
    }
    println!(
        "phones shown {}, answered {} (first answers), {} repeats",
        shown_at.len(),
        first.len(),
        repeats.len()
    );
    report("frame arrived → answer on screen (first)", first.clone());
    report("frame arrived → answer on screen (repeat)", repeats);
    report("frame file written → answer on screen", written_to_screen);
    ensure!(
        !first.is_empty(),
        "no answer reached the screen:\n{}",
        kiosk.log_tail(60)
    );
    Ok(())
}
