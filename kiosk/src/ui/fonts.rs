//! Japanese text on the kiosk: egui's own fonts have no kana or kanji, so a CJK font is loaded
//! from the system (Debian's and Raspberry Pi OS's `fonts-noto-cjk`, or the file configured)
//! and added after egui's fonts for every family. Without one the kiosk would show tofu, so it
//! refuses to start instead.

use std::path::{Path, PathBuf};

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

/// Adds the font at `path` to `ctx` as the fallback of every family.
pub fn install(ctx: &egui::Context, path: &Path) -> std::io::Result<()> {
    let bytes = std::fs::read(path)?;
    let mut data = FontData::from_owned(bytes);
    data.index = JAPANESE_FACE;
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
