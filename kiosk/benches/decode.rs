//! The decode benchmark: decode + verify every frame of the hard set, time each, count reads
//! and misreads.
//!
//! ```sh
//! cargo run --release -p shimin-e2e --bin make-decode-frames -- target/decode-frames
//! cargo bench -p kiosk --bench decode   # or DECODE_FRAMES=/abs/dir for another set
//! ```
//!
//! (`scripts/bench-decode` does both, pinned to one core, and compares zbar and ZXing-C++ on
//! the same frames.) A frame counts as read when the decoder returns the manifest's text (of
//! a QR frame: and that text verifies as a pass); any other text returned is a misread.
//! Times are wall time of `Decoder::decode` (+ `shimin_sync::pass::verify` of each QR text)
//! per frame, best of `DECODE_ROUNDS` (default 5) rounds, from images already in memory.
//! The decoder reads the symbologies named in `DECODE_SYMBOLOGIES` (e.g.
//! `qr,codabar,code128,ean13`; default `qr` for the QR set, `Symbology::LIBRARY`
//! (`codabar,code128,ean13,qr`) for the 1D set; the first named decides the order of passes). The
//! last line is machine-readable:
//! `RESULT ours:<symbologies> <read> <total> <misreads> <median_ms> <p90_ms>`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;
use std::time::Instant;

use kiosk::decode::{Decoder, Symbology, load_gray};
use shimin_sync::messages::KeySet;

fn main() {
    let dir = PathBuf::from(std::env::var("DECODE_FRAMES").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../target/decode-frames").into()
    }));
    let manifest_path = dir.join("manifest.json");
    let Ok(manifest) = std::fs::read_to_string(&manifest_path) else {
        eprintln!(
            "no {}: make the hard set first (scripts/bench-decode does), \
             or set DECODE_FRAMES to its folder",
            manifest_path.display()
        );
        std::process::exit(2);
    };
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let keys: KeySet = serde_json::from_value(manifest["keyset"].clone()).unwrap();
    let now: jiff::Timestamp = manifest["now"].as_str().unwrap().parse().unwrap();
    let linear_set = manifest["set"] == "1d";
    let symbologies: Vec<Symbology> = match std::env::var("DECODE_SYMBOLOGIES") {
        Ok(names) => names.split(',').map(|n| n.parse().unwrap()).collect(),
        Err(_) if linear_set => Symbology::LIBRARY.to_vec(),
        Err(_) => vec![Symbology::Qr],
    };
    let label = symbologies
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join(",");
    // A frame's text is checked like the kiosk checks it: a QR text must verify as a pass.
    let accepted = |d: &kiosk::decode::Decoded| {
        d.symbology != Symbology::Qr || shimin_sync::pass::verify(&d.text, &keys, now).is_ok()
    };
    let rounds: usize = std::env::var("DECODE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let frames: Vec<(String, String, image::GrayImage)> = manifest["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap().to_owned();
            let text = f["text"].as_str().unwrap().to_owned();
            let image = load_gray(dir.join(&file)).unwrap();
            (file, text, image)
        })
        .collect();

    let mut decoder = Decoder::with_symbologies(&symbologies);
    let (mut read, mut misreads) = (0, 0);
    let mut times = Vec::with_capacity(frames.len());
    let verbose = std::env::var_os("DECODE_VERBOSE").is_some();
    if verbose {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .init();
    }
    for (file, expected, image) in &frames {
        let mut best = f64::MAX;
        let mut found = Vec::new();
        for _ in 0..rounds.max(1) {
            let start = Instant::now();
            found = decoder.decode(image);
            let verified = found.iter().filter(|d| accepted(d)).count();
            std::hint::black_box(verified);
            best = best.min(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.push(best);
        let ok = found.iter().any(|d| &d.text == expected && accepted(d));
        let wrong = found.iter().filter(|d| &d.text != expected).count();
        read += usize::from(ok);
        misreads += wrong;
        if verbose {
            let texts: Vec<&str> = found.iter().map(|d| d.text.as_str()).collect();
            println!(
                "{file}\t{}\t{best:.2} ms\t{texts:?}",
                if ok { "read" } else { "-" }
            );
        }
    }
    times.sort_by(f64::total_cmp);
    let pick = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let (median, p90) = (pick(0.5), pick(0.9));
    println!(
        "kiosk::decode ({label}): read {read}/{} frames, {misreads} misreads, \
         decode+verify median {median:.2} ms, p90 {p90:.2} ms",
        frames.len()
    );
    println!(
        "RESULT ours:{label} {read} {} {misreads} {median:.2} {p90:.2}",
        frames.len()
    );
}
