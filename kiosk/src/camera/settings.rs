//! The `[camera]` settings of `kiosk.toml` (`KIOSK_CAMERA__*`): which V4L2 device, what frame
//! size, rate and pixel format to ask it for. Read by [`crate::config::Settings`]; checked
//! there with [`CameraSettings::check`].

use std::{fmt, path::PathBuf};

use serde::Deserialize;

/// The pixel format asked of the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CameraFormat {
    /// Uncompressed YUV 4:2:2; its Y plane is the grayscale image (no decoding). USB 2.0 UVC
    /// cameras give 640×480 at 30 fps but only about 10 fps at 1280×720.
    #[default]
    Yuyv,
    /// Motion JPEG: larger frames at full rate over USB 2.0, at the cost of a JPEG decode.
    Mjpeg,
}

impl fmt::Display for CameraFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Yuyv => "YUYV",
            Self::Mjpeg => "MJPEG",
        })
    }
}

/// The camera the kiosk reads when `kiosk run` has no `--frames DIR`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CameraSettings {
    /// The V4L2 device node (`/dev/video0`; a `/dev/v4l/by-id/…` name survives re-plugging
    /// into another USB port).
    #[serde(default = "default_device")]
    pub device: PathBuf,
    /// Frame width asked for, in pixels (the camera may give the nearest size it has).
    #[serde(default = "default_width")]
    pub width: u32,
    /// Frame height asked for, in pixels.
    #[serde(default = "default_height")]
    pub height: u32,
    /// Frames per second asked for.
    #[serde(default = "default_fps")]
    pub fps: u32,
    /// `yuyv` (the default) or `mjpeg`.
    #[serde(default)]
    pub format: CameraFormat,
}

fn default_device() -> PathBuf {
    PathBuf::from("/dev/video0")
}
fn default_width() -> u32 {
    640
}
fn default_height() -> u32 {
    480
}
fn default_fps() -> u32 {
    30
}

impl Default for CameraSettings {
    fn default() -> Self {
        Self {
            device: default_device(),
            width: default_width(),
            height: default_height(),
            fps: default_fps(),
            format: CameraFormat::default(),
        }
    }
}

impl CameraSettings {
    /// Whether the numbers make sense; the message names the setting at fault.
    pub fn check(&self) -> Result<(), String> {
        if !(16..=8192).contains(&self.width) || !(16..=8192).contains(&self.height) {
            return Err(format!(
                "camera.width and camera.height must be 16–8192 pixels, not {}×{}",
                self.width, self.height
            ));
        }
        if !(1..=240).contains(&self.fps) {
            return Err(format!("camera.fps must be 1–240, not {}", self.fps));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn load(text: &str, env: &[(&str, &str)]) -> Result<Settings, String> {
        let env = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()));
        Settings::from_sources(text, env).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_are_640_by_480_yuyv_at_30_fps_on_video0() {
        let settings = load("kiosk_id = \"a\"", &[]).unwrap();
        assert_eq!(settings.camera, CameraSettings::default());
        assert_eq!(settings.camera.device, PathBuf::from("/dev/video0"));
        assert_eq!(
            (
                settings.camera.width,
                settings.camera.height,
                settings.camera.fps
            ),
            (640, 480, 30)
        );
        assert_eq!(settings.camera.format, CameraFormat::Yuyv);
    }

    #[test]
    fn file_then_environment() {
        let settings = load(
            "kiosk_id = \"a\"\n[camera]\nformat = \"mjpeg\"\nwidth = 1280\nheight = 720\n",
            &[
                ("KIOSK_CAMERA__DEVICE", "/dev/video2"),
                ("KIOSK_CAMERA__FPS", "15"),
            ],
        )
        .unwrap();
        let camera = settings.camera;
        assert_eq!(camera.device, PathBuf::from("/dev/video2"));
        assert_eq!((camera.width, camera.height, camera.fps), (1280, 720, 15));
        assert_eq!(camera.format, CameraFormat::Mjpeg);
    }

    #[test]
    fn mistakes_are_named() {
        let err = load("kiosk_id = \"a\"\n[camera]\nformat = \"h264\"", &[]).unwrap_err();
        assert!(err.contains("h264"), "{err}");
        let err = load("kiosk_id = \"a\"", &[("KIOSK_CAMERA__FPS", "0")]).unwrap_err();
        assert!(err.contains("camera.fps"), "{err}");
        let err = load("kiosk_id = \"a\"\n[camera]\nwidth = 4", &[]).unwrap_err();
        assert!(err.contains("camera.width"), "{err}");
        assert!(load("kiosk_id = \"a\"\n[camera]\nzoom = 2", &[]).is_err());
    }
}
