//! `kiosk run`: the running kiosk.

use std::path::PathBuf;

/// How `kiosk run` was asked to start.
#[derive(Debug, Clone)]
pub struct RunArgs {
    /// The kiosk's TOML configuration file.
    pub config: Option<PathBuf>,
    /// Run with no window; log what the screen would say.
    pub headless: bool,
    /// Read camera frames from image files in this folder instead of a camera.
    pub frames: Option<PathBuf>,
}

/// Runs the kiosk until it is stopped.
pub fn main(_args: RunArgs) -> anyhow::Result<()> {
    anyhow::bail!("kiosk run is not built yet")
}
