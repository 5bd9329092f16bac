//! Decoder tests on real QR images made with the `qrcode` crate.

use image::{GrayImage, Luma};
use qrcode::{Color, EcLevel, QrCode};

use super::*;

/// `text` as a QR code at `module` pixels per module with a 4-module quiet zone, placed at
/// (`left`, `top`) on a `width`×`height` canvas of gray `background`.
pub(super) fn qr_frame(
    text: &str,
    module: u32,
    width: u32,
    height: u32,
    left: u32,
    top: u32,
) -> GrayImage {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).unwrap();
    let n = code.width() as u32;
    let colors = code.to_colors();
    let mut frame = GrayImage::from_pixel(width, height, Luma([120]));
    let side = (n + 8) * module;
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / module).checked_sub(4), (y / module).checked_sub(4));
            let dark = match (mx, my) {
                (Some(mx), Some(my)) if mx < n && my < n => {
                    colors[(my * n + mx) as usize] == Color::Dark
                }
                _ => false,
            };
            frame.put_pixel(left + x, top + y, Luma([if dark { 20 } else { 235 }]));
        }
    }
    frame
}

const PASS: &str = "SP1:RRQN29P60AO0 OD8CKUY5L70+800 UGPF%$FN3IPD2--A0DICE0X50TH0*GD6-DFN0*GD 2E2U0X507H0QS00+027B/ZBI27IYG8-LL/0WUNPLK*2P2%S6NPU.PQ%5B/F85P 6QF5JNICG75SPIUIQPHB6%D%LCFPA$.8 05/MGWNF+36$DAJJQ0*9";

#[test]
fn reads_the_protocol_test_vector_pass_in_a_1280x720_frame() {
    let frame = qr_frame(PASS, 6, 1280, 720, 400, 150);
    let found = Decoder::new().decode(&frame);
    assert_eq!(
        found,
        vec![Decoded {
            symbology: Symbology::Qr,
            text: PASS.to_owned()
        }]
    );
    assert_eq!(found[0].symbology.name(), "qr");
}

#[test]
fn reads_a_small_code_with_2_pixel_modules() {
    let frame = qr_frame("HELLO KIOSK 12345", 2, 1280, 720, 900, 500);
    let found = Decoder::new().decode(&frame);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, "HELLO KIOSK 12345");
}

#[test]
fn reads_a_code_under_a_strong_light_gradient() {
    let mut frame = qr_frame(PASS, 5, 1280, 720, 300, 100);
    for (x, _y, p) in frame.enumerate_pixels_mut() {
        // Left edge at 35 % brightness, right edge at 100 %.
        let gain = 35 + 65 * x / 1280;
        p.0[0] = (u32::from(p.0[0]) * gain / 100) as u8;
    }
    let found = Decoder::new().decode(&frame);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].text, PASS);
}

#[test]
fn reads_two_codes_in_one_frame() {
    let mut frame = qr_frame("FIRST CODE", 5, 1280, 720, 50, 50);
    let second = qr_frame("SECOND CODE", 5, 1280, 720, 700, 300);
    for (x, y, p) in second.enumerate_pixels() {
        if (700..1100).contains(&x) && (300..700).contains(&y) {
            frame.put_pixel(x, y, *p);
        }
    }
    let mut texts: Vec<String> = Decoder::new()
        .decode(&frame)
        .into_iter()
        .map(|d| d.text)
        .collect();
    texts.sort();
    assert_eq!(texts, vec!["FIRST CODE", "SECOND CODE"]);
}

#[test]
fn finds_nothing_in_a_frame_without_a_code() {
    let mut frame = GrayImage::from_pixel(1280, 720, Luma([128]));
    for (x, y, p) in frame.enumerate_pixels_mut() {
        p.0[0] = ((x * 7 + y * 13) % 256) as u8;
    }
    assert!(Decoder::new().decode(&frame).is_empty());
}

#[test]
fn a_decoder_is_reusable_across_frame_sizes() {
    let mut decoder = Decoder::new();
    let big = qr_frame("BIG", 6, 1280, 720, 100, 100);
    let small = qr_frame("SMALL", 4, 320, 240, 40, 40);
    assert_eq!(decoder.decode(&big)[0].text, "BIG");
    assert_eq!(decoder.decode(&small)[0].text, "SMALL");
    assert_eq!(decoder.decode(&big)[0].text, "BIG");
}

#[test]
fn load_gray_reads_png_and_explains_unreadable_files() {
    let dir = std::env::temp_dir().join(format!("kiosk-decode-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join("code.png");
    qr_frame("FROM A FILE", 4, 400, 300, 50, 30)
        .save(&png)
        .unwrap();
    let loaded = load_gray(&png).unwrap();
    assert_eq!(Decoder::new().decode(&loaded)[0].text, "FROM A FILE");

    let missing = load_gray(dir.join("missing.png")).unwrap_err();
    assert!(matches!(missing, DecodeError::Io { .. }), "{missing}");
    assert!(missing.to_string().contains("missing.png"), "{missing}");

    let junk = dir.join("junk.png");
    std::fs::write(&junk, b"this is not an image").unwrap();
    let junk_err = load_gray(&junk).unwrap_err();
    assert!(matches!(junk_err, DecodeError::Image { .. }), "{junk_err}");
    assert!(junk_err.to_string().contains("junk.png"), "{junk_err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
