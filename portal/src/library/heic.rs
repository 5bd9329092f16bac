//! Turning an iPhone's HEIC photo into PNG, so that the card photo can be re-encoded like any
//! other ([`crate::domain::card_photo`]).
//!
//! HEIC is HEVC inside an ISO box file; no maintained pure-Rust decoder exists, and the Rust
//! bindings of libheif need libheif 1.17 or newer, while Debian 12 (the Raspberry Pi OS and
//! server base) ships 1.15. So the portal runs libheif's own `heif-convert` (Debian's
//! `libheif-examples`) as a separate process, in a fresh temporary directory, with a time
//! limit. A separate process is also the safer place for a complex decoder to meet a file
//! from the internet: if it crashes or hangs, the portal does not.

use std::{path::PathBuf, process::Stdio, time::Duration};

use async_trait::async_trait;

use crate::domain::card_photo::PhotoError;

/// Turns HEIC bytes into PNG bytes.
#[async_trait]
pub trait HeicDecoder: Send + Sync + 'static {
    /// The PNG of the first image in `heic`.
    async fn to_png(&self, heic: Vec<u8>) -> Result<Vec<u8>, PhotoError>;
}

/// [`HeicDecoder`] by libheif's `heif-convert` command.
#[derive(Debug, Clone)]
pub struct HeifConvert {
    /// The program (`heif-convert`, found on `PATH`, or a full path).
    pub program: PathBuf,
    /// How long a conversion may take before it is killed.
    pub timeout: Duration,
}

impl Default for HeifConvert {
    fn default() -> Self {
        Self {
            program: PathBuf::from("heif-convert"),
            timeout: Duration::from_secs(20),
        }
    }
}

#[async_trait]
impl HeicDecoder for HeifConvert {
    async fn to_png(&self, heic: Vec<u8>) -> Result<Vec<u8>, PhotoError> {
        let unavailable = |why: String| PhotoError::HeicUnavailable(why);
        let dir = tempfile::tempdir().map_err(|error| unavailable(error.to_string()))?;
        let input = dir.path().join("photo.heic");
        let output = dir.path().join("photo.png");
        tokio::fs::write(&input, heic)
            .await
            .map_err(|error| unavailable(error.to_string()))?;
        let mut command = tokio::process::Command::new(&self.program);
        command
            .arg(&input)
            .arg(&output)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let child = command.spawn().map_err(|error| {
            unavailable(format!("cannot run {}: {error}", self.program.display()))
        })?;
        let finished = tokio::time::timeout(self.timeout, child.wait_with_output())
            .await
            .map_err(|_| {
                PhotoError::Unreadable(format!(
                    "conversion took longer than {} s",
                    self.timeout.as_secs()
                ))
            })?
            .map_err(|error| unavailable(error.to_string()))?;
        if !finished.status.success() {
            let said = String::from_utf8_lossy(&finished.stderr);
            return Err(PhotoError::Unreadable(format!(
                "heif-convert: {}",
                said.trim().lines().last().unwrap_or("failed")
            )));
        }
        tokio::fs::read(&output)
            .await
            .map_err(|error| PhotoError::Unreadable(format!("heif-convert wrote nothing: {error}")))
    }
}
