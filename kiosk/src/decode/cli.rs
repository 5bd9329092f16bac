//! `kiosk decode [--json] [--symbology LIST] IMAGE...`: print every code found in each image.
//!
//! One line per code: its text, or with `--json` an object `{"file", "symbology", "text"}`
//! (`symbology` one of `qr`, `codabar`, `code128`, `ean13`). `--symbology` says what to look
//! for and in which order (default: all four, QR first; see
//! [`Decoder::with_symbologies`]).
//! An image with no code prints nothing. An unreadable image is reported on stderr and the
//! others are still decoded; the command then exits with status 1 at the end.

use std::io::Write as _;
use std::path::PathBuf;

use super::{Decoded, Decoder, Symbology, load_gray};

/// Decodes every image for `symbologies` and prints one line per code found; exits the
/// process with status 1 after the last image if any image could not be read.
pub fn run(json: bool, symbologies: &[Symbology], images: &[PathBuf]) -> anyhow::Result<()> {
    let mut decoder = Decoder::with_symbologies(symbologies);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut unreadable = 0usize;
    for path in images {
        let frame = match load_gray(path) {
            Ok(frame) => frame,
            Err(e) => {
                eprintln!("kiosk decode: {e}");
                unreadable += 1;
                continue;
            }
        };
        for decoded in decoder.decode(&frame) {
            writeln!(out, "{}", line(json, path, &decoded))?;
        }
    }
    out.flush()?;
    if unreadable > 0 {
        // Each file's error is already on stderr; say how many, and fail without repeating
        // them through main's error printer.
        eprintln!(
            "kiosk decode: {unreadable} of {} images could not be read",
            images.len()
        );
        std::process::exit(1);
    }
    Ok(())
}

/// The line printed for one code.
fn line(json: bool, path: &std::path::Path, decoded: &Decoded) -> String {
    if json {
        serde_json::json!({
            "file": path.display().to_string(),
            "symbology": decoded.symbology.name(),
            "text": decoded.text,
        })
        .to_string()
    } else {
        decoded.text.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_line_names_file_symbology_and_text() {
        let decoded = Decoded {
            symbology: Symbology::Qr,
            text: "SP1:ABC \"x\"".to_owned(),
        };
        let line = line(true, std::path::Path::new("frames/a.png"), &decoded);
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"file": "frames/a.png", "symbology": "qr", "text": "SP1:ABC \"x\""})
        );
        assert!(!line.contains('\n'));
    }

    #[test]
    fn plain_line_is_the_text() {
        let decoded = Decoded {
            symbology: Symbology::Qr,
            text: "HELLO".to_owned(),
        };
        assert_eq!(
            line(false, std::path::Path::new("a.png"), &decoded),
            "HELLO"
        );
    }
}
