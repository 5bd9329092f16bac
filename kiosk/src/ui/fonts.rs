//! Japanese text on the kiosk: egui's own fonts have no kana or kanji, so a CJK font is loaded
//! from the system (Debian's and Raspberry Pi OS's `fonts-noto-cjk`, or the file configured)
//! and added after egui's fonts for every family. Without one the kiosk would show tofu, so it
//! refuses to start instead.
//!
//! The file is mapped into memory rather than read: Noto's CJK collection is 19 MB, and the
//! kiosk touches only the tables and glyphs it draws (a few MB), so the rest never takes RAM.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use eframe::egui::{self, FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// Where CJK fonts are found on Debian and Raspberry Pi OS (`fonts-noto-cjk`), best first.
pub const SYSTEM_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
];

/// The face of the Japanese font in Noto's CJK collections (0 = JP).
const JAPANESE_FACE: u32 = 0;

/// No CJK font was found.
#[derive(Debug, thiserror::Error)]
#[error(
    "no Japanese font: install fonts-noto-cjk or set ui.font in kiosk.toml (looked at {looked})"
)]
pub struct NoFont {
    looked: String,
}

/// The font file to use: `configured`, or the first system font that exists.
pub fn find(configured: Option<&Path>) -> Result<PathBuf, NoFont> {
    let candidates: Vec<PathBuf> = match configured {
        Some(path) => vec![path.to_path_buf()],
        None => SYSTEM_FONTS.iter().map(PathBuf::from).collect(),
    };
    candidates
        .iter()
        .find(|path| path.is_file())
        .cloned()
        .ok_or_else(|| NoFont {
            looked: candidates
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Maps the font file at `path` into memory, read-only.
#[allow(unsafe_code)]
fn map(path: &Path) -> std::io::Result<memmap2::Mmap> {
    let file = std::fs::File::open(path)?;
    // SAFETY: the mapping is undefined behaviour only if the file changes while mapped. It is
    // a system font (or one an administrator configured), which package managers replace by
    // writing a new file and renaming it over the old one: the mapped inode stays as it was.
    unsafe { memmap2::Mmap::map(&file) }
}

/// Adds the font at `path` to `ctx` as the fallback of every family.
pub fn install(ctx: &egui::Context, path: &Path) -> std::io::Result<()> {
    let mapped = map(path)?;
    let data = FontData::from_blob(Arc::new(mapped), JAPANESE_FACE);
    let families = [FontFamily::Proportional, FontFamily::Monospace]
        .into_iter()
        .map(|family| InsertFontFamily {
            family,
            priority: FontPriority::Lowest,
        })
        .collect();
    ctx.add_font(FontInsert::new("noto-sans-cjk-jp", data, families));
    Ok(())
}
