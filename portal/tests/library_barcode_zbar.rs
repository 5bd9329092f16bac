//! The library card's NW-7 barcode as the portal draws it, read back by an independent decoder:
//! Debian's `zbarimg` (zbar-tools, installed by scripts/test). barcoders 2.0.0 swaps the
//! start/stop characters B and C; this proves the portal's symbols say what they should, for
//! every start/stop pair a library may use.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use portal::domain::library_barcode::{QUIET_MODULES, codabar_modules, code128_modules};

/// The symbol as a PNG a scanner would see on a phone: 3 px a module, 90 px tall.
fn render(start: char, data: &str, stop: char, path: &std::path::Path) {
    render_modules(&codabar_modules(start, data, stop).unwrap(), path);
}

/// Any symbol's modules as such a PNG.
fn render_modules(modules: &[u8], path: &std::path::Path) {
    let px = 3u32;
    let width = (modules.len() + 2 * QUIET_MODULES) as u32 * px;
    let image = image::GrayImage::from_fn(width, 90, |x, _| {
        let module = (x / px) as usize;
        let bar = module
            .checked_sub(QUIET_MODULES)
            .and_then(|i| modules.get(i))
            .is_some_and(|m| *m == 1);
        image::Luma([if bar { 0 } else { 255 }])
    });
    image.save(path).unwrap();
}

fn zbar(path: &std::path::Path) -> String {
    let out = Command::new("zbarimg")
        .args([
            "--quiet",
            "--raw",
            "-Sdisable",
            "-Scodabar.enable",
            "-Scode128.enable",
        ])
        .arg(path)
        .output()
        .expect("zbarimg (zbar-tools; scripts/test installs it)");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn zbar_reads_every_start_stop_pair_as_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let number = "2100000000016";
    for (start, stop) in [
        ('A', 'A'),
        ('B', 'B'),
        ('C', 'C'),
        ('D', 'D'),
        ('A', 'B'),
        ('C', 'D'),
    ] {
        let path = dir.path().join(format!("{start}{stop}.png"));
        render(start, number, stop, &path);
        assert_eq!(
            zbar(&path),
            format!("{start}{number}{stop}"),
            "start {start}, stop {stop}"
        );
    }
}

#[test]
fn zbar_reads_the_other_nw7_characters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("symbols.png");
    // The modulus 16 example (A37859B → A37859+B), and every other character NW-7 has.
    render('A', "37859+", 'B', &path);
    assert_eq!(zbar(&path), "A37859+B");
    render('C', "0-1$2:3/4.5+6789", 'D', &path);
    assert_eq!(zbar(&path), "C0-1$2:3/4.5+6789D");
}

#[test]
fn zbar_reads_the_code128_card() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("code128.png");
    for data in ["2100000000016", "1234567890", "LIB-0042"] {
        render_modules(&code128_modules(data).unwrap(), &path);
        assert_eq!(zbar(&path), data);
    }
}
