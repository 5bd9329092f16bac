//! A real X server without a screen (Xvfb) for the kiosk's window, and screenshots of it with
//! ImageMagick's `import` (both installed by `scripts/test`).

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail, ensure};

/// A running Xvfb; killed on drop.
pub struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Starts Xvfb on the first free display from :90 with one `width`×`height` screen.
    pub fn start(width: u32, height: u32) -> Result<Self> {
        let number = (90..200)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .context("no free X display")?;
        let display = format!(":{number}");
        let child = Command::new("Xvfb")
            .arg(&display)
            .args([
                "-screen",
                "0",
                &format!("{width}x{height}x24"),
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting Xvfb (scripts/test installs it)")?;
        let socket = format!("/tmp/.X11-unix/X{number}");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !Path::new(&socket).exists() {
            if Instant::now() > deadline {
                bail!("Xvfb did not open {socket}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Self { child, display })
    }

    /// The `DISPLAY` value of this server.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Saves the whole screen as a PNG at `path` and returns it decoded.
    pub fn screenshot(&self, path: &Path) -> Result<image::RgbImage> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let status = Command::new("import")
            .args(["-window", "root"])
            .arg(path)
            .env("DISPLAY", &self.display)
            .status()
            .context("ImageMagick's import (scripts/test installs imagemagick)")?;
        ensure!(status.success(), "import failed: {status}");
        Ok(image::open(path)
            .with_context(|| format!("reading {}", path.display()))?
            .to_rgb8())
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
