//! `kiosk decode` as a user runs it: one JSON line per code found with its symbology, nothing
//! for an image with no code, and a clear message (and a failing exit) for a file that is not
//! an image — after the other files are done; `--symbology` limits what is looked for.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use image::{GrayImage, Luma};

fn qr(text: &str) -> GrayImage {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let width = code.width() as u32;
    let scale = 8;
    let side = (width + 8) * scale;
    let colors = code.to_colors();
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = (4..width + 4).contains(&mx)
            && (4..width + 4).contains(&my)
            && colors[((my - 4) * width + (mx - 4)) as usize] == qrcode::Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    })
}

/// A library card's Codabar, 3 px per module, with quiet zones (barcoders draws start/stop A
/// and D right; B and C swapped, so they are not used here).
fn codabar(symbol: &str) -> GrayImage {
    let modules = barcoders::sym::codabar::Codabar::new(symbol)
        .unwrap()
        .encode();
    let (scale, quiet) = (3, 12);
    let width = (modules.len() as u32 + 2 * quiet) * scale;
    GrayImage::from_fn(width, 120, |x, y| {
        let m = (x / scale).checked_sub(quiet).map(|m| m as usize);
        let dark = (20..100).contains(&y) && m.and_then(|m| modules.get(m)) == Some(&1);
        Luma([if dark { 0 } else { 255 }])
    })
}

#[test]
fn decode_names_the_symbology_and_reads_only_those_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("card.png");
    codabar("A2100000000016D").save(&card).unwrap();
    let pass = dir.path().join("pass.png");
    qr("SP1:HELLO KIOSK").save(&pass).unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .arg("decode")
            .args(args)
            .args([&card, &pass])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let all: Vec<serde_json::Value> = run(&["--json"])
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[0]["symbology"], "codabar");
    assert_eq!(all[0]["text"], "A2100000000016D");
    assert!(all[0]["file"].as_str().unwrap().ends_with("card.png"));
    assert_eq!(all[1]["symbology"], "qr");
    assert_eq!(run(&["--symbology", "qr"]), "SP1:HELLO KIOSK\n");
    assert_eq!(run(&["--symbology", "codabar,ean13"]), "A2100000000016D\n");

    let unknown = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["decode", "--symbology", "qr,upca"])
        .arg(&card)
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("upca"));
}

#[test]
fn decode_prints_each_code_skips_blank_images_and_names_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let with_code = dir.path().join("pass.png");
    qr("SP1:HELLO KIOSK").save(&with_code).unwrap();
    let blank = dir.path().join("blank.png");
    GrayImage::from_pixel(320, 240, Luma([200]))
        .save(&blank)
        .unwrap();
    let broken = dir.path().join("broken.png");
    std::fs::write(&broken, b"not an image").unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .arg("decode")
        .arg("--json")
        .args([&broken, &with_code, &blank])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert_eq!(lines[0]["text"], "SP1:HELLO KIOSK");
    assert_eq!(lines[0]["symbology"], "qr");
    assert!(lines[0]["file"].as_str().unwrap().ends_with("pass.png"));
    assert!(!output.status.success(), "an unreadable file fails the run");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("broken.png"), "{stderr}");

    let plain = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["decode"])
        .arg(&with_code)
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert_eq!(
        String::from_utf8(plain.stdout).unwrap(),
        "SP1:HELLO KIOSK\n"
    );
}
