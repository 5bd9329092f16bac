//! Decoder tests on 1D barcodes (Codabar, Code 128, EAN-13) drawn with barcoders, turned in
//! the frame and set on a cluttered background.
//!
//! barcoders 2.0.0 draws Codabar's start/stop B and C swapped and `+` wrong (see the
//! portal's `library_barcode`), so the Codabar symbols here use A and D and digits only,
//! which it draws right.

use barcoders::sym::codabar::Codabar;
use barcoders::sym::code128::Code128;
use barcoders::sym::ean13::EAN13;
use image::{GrayImage, Luma};

use super::*;

/// Narrow modules of quiet zone each side of the bars.
const QUIET: usize = 12;

/// Counter-like clutter: a gradient, boxes, stripes whose period is near a barcode's, and
/// rows of "print".
fn cluttered(width: u32, height: u32) -> GrayImage {
    GrayImage::from_fn(width, height, |x, y| {
        let mut v = 90 + (x / 16 + y / 24) % 40;
        if (100..300).contains(&x) && (60..400).contains(&y) {
            v = if (x / 5) % 2 == 0 { 40 } else { 200 };
        }
        if (900..1200).contains(&x) && (400..650).contains(&y) {
            v = if (x / 7) % 3 != 0 && (y / 9) % 2 == 0 {
                30
            } else {
                220
            };
        }
        if (700..800).contains(&x) && (50..150).contains(&y) {
            v = 20;
        }
        Luma([v as u8])
    })
}

/// `frame` with `modules` (1 = bar) drawn `module` px per module and `bar_px` tall, centred at
/// (`cx`, `cy`), turned by `degrees`, with white quiet zones; 4×4 samples per pixel.
fn draw(frame: &mut GrayImage, modules: &[u8], module: f32, bar_px: f32, degrees: f32) {
    let (cx, cy) = (frame.width() as f32 / 2.0, frame.height() as f32 / 2.0);
    let length = (modules.len() + 2 * QUIET) as f32 * module;
    let (s, c) = degrees.to_radians().sin_cos();
    for y in 0..frame.height() {
        for x in 0..frame.width() {
            let mut sum = 0.0;
            let mut inside = 0;
            for k in 0..16 {
                let (px, py) = (
                    x as f32 + (k % 4) as f32 / 4.0,
                    y as f32 + (k / 4) as f32 / 4.0,
                );
                let (dx, dy) = (px - cx, py - cy);
                let (u, v) = (dx * c + dy * s + length / 2.0, -dx * s + dy * c);
                if !(0.0..length).contains(&u) || v.abs() > bar_px / 2.0 + 2.0 * module {
                    continue;
                }
                inside += 1;
                let m = (u / module) as usize;
                let dark =
                    m >= QUIET && modules.get(m - QUIET) == Some(&1) && v.abs() < bar_px / 2.0;
                sum += if dark { 25.0 } else { 225.0 };
            }
            if inside > 0 {
                let back = f32::from(frame.get_pixel(x, y).0[0]) * (16 - inside) as f32;
                frame.put_pixel(x, y, Luma([((sum + back) / 16.0) as u8]));
            }
        }
    }
}

fn frame_of(modules: &[u8], degrees: f32) -> GrayImage {
    let mut frame = cluttered(1280, 720);
    draw(&mut frame, modules, 2.5, 90.0, degrees);
    frame
}

fn library() -> Decoder {
    Decoder::with_symbologies(&Symbology::LIBRARY)
}

fn read_back(modules: &[u8], symbology: Symbology, text: &str) {
    for degrees in [0.0, 35.0, 55.0, 125.0, 180.0] {
        let found = library().decode(&frame_of(modules, degrees));
        let expected = vec![Decoded {
            symbology,
            text: text.to_owned(),
        }];
        assert_eq!(found, expected, "turned {degrees}°");
    }
}

#[test]
fn reads_a_library_card_codabar_with_its_start_and_stop_turned_any_way() {
    let modules = Codabar::new("A2100000000016D").unwrap().encode();
    read_back(&modules, Symbology::Codabar, "A2100000000016D");
}

#[test]
fn reads_a_code128_book_label_turned_any_way() {
    let modules = Code128::new("\u{0181}LIB-0042-7").unwrap().encode();
    read_back(&modules, Symbology::Code128, "LIB-0042-7");
}

#[test]
fn reads_an_isbn_ean13_turned_any_way_with_its_check_digit() {
    // ISBN 978-4-00-310101-8.
    let modules = EAN13::new("978400310101").unwrap().encode();
    read_back(&modules, Symbology::Ean13, "9784003101018");
}

#[test]
fn clutter_alone_reads_nothing_even_with_every_symbology_wanted() {
    assert!(library().decode(&cluttered(1280, 720)).is_empty());
    assert!(
        Decoder::with_symbologies(&Symbology::ALL)
            .decode(&cluttered(1280, 720))
            .is_empty()
    );
}

#[test]
fn a_qr_only_decoder_ignores_barcodes_and_a_1d_one_ignores_qr() {
    let modules = Codabar::new("A2100000000016D").unwrap().encode();
    let card = frame_of(&modules, 35.0);
    assert!(Decoder::new().decode(&card).is_empty());
    assert_eq!(Decoder::new().symbologies(), vec![Symbology::Qr]);
    let only_books = Decoder::with_symbologies(&[Symbology::Code128, Symbology::Ean13]);
    assert!(
        only_books
            .symbologies()
            .iter()
            .all(|s| *s != Symbology::Codabar)
    );
    let mut only_books = only_books;
    assert!(only_books.decode(&card).is_empty());
}

#[test]
fn a_library_decoder_still_reads_a_pass_after_finding_no_barcode() {
    let frame = super::tests::qr_frame("SP1:LIBRARY PASS", 5, 1280, 720, 400, 150);
    let found = library().decode(&frame);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].symbology, Symbology::Qr);
    assert_eq!(found[0].text, "SP1:LIBRARY PASS");
}
