//! `kiosk decode [--json] IMAGE...`: print every code found in each image.

use std::path::PathBuf;

/// Decodes every image and prints one line per code found.
pub fn run(_json: bool, _images: &[PathBuf]) -> anyhow::Result<()> {
    anyhow::bail!("kiosk decode is not built yet")
}
