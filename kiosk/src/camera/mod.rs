//! The camera: a V4L2 device (a USB UVC camera, or the Pi camera through libcamera's V4L2
//! layer) as a [`FrameSource`] for `kiosk run` without `--frames`.
//!
//! [`CameraFrames`] opens the device named in `[camera]` ([`CameraSettings`]), asks for the
//! configured size, rate and format (YUYV by default: its Y plane is the grayscale image, see
//! [`pixels`]), and hands the pipeline only the newest frame: frames that queued up in the
//! driver while the decoder was busy are dropped, never decoded late. When the camera is
//! missing or goes away (unplugged), the reason is logged once in the operator's words and the
//! device is tried again every 2 s; the kiosk keeps syncing meanwhile and scans again as soon
//! as the camera is back.
//!
//! Why the `linuxvideo` crate: it issues the V4L2 ioctls itself in pure Rust (deps: libc,
//! bitflags, log, uoctl; about 4 s to build cold), so the kiosk needs no C toolchain, no
//! libclang and no libv4l. `v4l` 0.14 was the alternative: its default `v4l2` feature
//! generates bindings with bindgen at build time (libclang needed; the build fails without it,
//! and took ~58 s before failing here) and its `libv4l` feature links the C libv4l. `linuxvideo`
//! calls `ioctl`/`mmap` through libc, so `libcamerify kiosk run …` (libcamera's V4L2
//! compatibility layer, `LD_PRELOAD`) also works for the Pi camera modules.
//!
//! **Not run against a real camera here**: the machine this was written on has no camera and
//! cannot load v4l2loopback. What is tested: the pixel conversions, the settings, the retry and
//! reconnect loop (with a fake device), and the errors for a missing path and for a node that
//! is not a camera. Frame capture, format negotiation and unplug detection on real hardware are
//! not.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use image::GrayImage;

use crate::frames::{Frame, FrameSource};

pub mod pixels;
pub mod settings;
#[cfg(target_os = "linux")]
mod v4l2;

pub use settings::{CameraFormat, CameraSettings};

/// How long to wait before opening the camera again after it failed or went away.
pub const RETRY_EVERY: Duration = Duration::from_secs(2);

/// Why the camera cannot be read; each message says what the operator can do about it.
#[derive(Debug, thiserror::Error)]
pub enum CameraError {
    /// Nothing at the device path.
    #[error(
        "no camera at {device}: is it plugged in? (`ls /dev/video*` lists the cameras; set camera.device in kiosk.toml)"
    )]
    NoDevice {
        /// The configured device path.
        device: PathBuf,
    },
    /// The kiosk's user may not open the device.
    #[error(
        "permission denied opening the camera {device}: add the kiosk's user to the `video` group (`sudo usermod -aG video USER`) and restart the kiosk"
    )]
    PermissionDenied {
        /// The configured device path.
        device: PathBuf,
    },
    /// The path is not a V4L2 device.
    #[error("{device} is not a camera (not a V4L2 video device): set camera.device in kiosk.toml")]
    NotACamera {
        /// The configured device path.
        device: PathBuf,
    },
    /// A V4L2 device that cannot capture video (e.g. a UVC camera's metadata node).
    #[error(
        "{device} cannot capture video (a USB camera's second node carries metadata only; `v4l2-ctl --list-devices` shows which node to use)"
    )]
    NotCapture {
        /// The configured device path.
        device: PathBuf,
    },
    /// The camera does not offer the configured pixel format.
    #[error(
        "the camera at {device} does not offer {wanted}; it offers: {offered} (set camera.format to one of these)"
    )]
    FormatNotSupported {
        /// The configured device path.
        device: PathBuf,
        /// The configured format.
        wanted: CameraFormat,
        /// What the camera offers: formats with their frame sizes.
        offered: String,
    },
    /// Another program holds the camera.
    #[error("the camera at {device} is in use by another program")]
    Busy {
        /// The configured device path.
        device: PathBuf,
    },
    /// The camera stopped answering while streaming (unplugged, or its driver gave up).
    #[error("the camera at {device} stopped sending frames ({source}): unplugged?")]
    Lost {
        /// The configured device path.
        device: PathBuf,
        /// What the driver said.
        source: std::io::Error,
    },
    /// Any other failure from the device.
    #[error("{action} the camera at {device}: {source}")]
    Io {
        /// What was being done ("opening", "starting").
        action: &'static str,
        /// The configured device path.
        device: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// This system has no V4L2.
    #[error("cameras are read through V4L2, which only Linux has: use --frames DIR here")]
    Unsupported,
}

/// An open camera, streaming.
pub trait Capture: Send {
    /// The newest frame, waiting at most `timeout`; `Ok(None)` when none came in time (or a
    /// damaged frame was skipped). An error means the camera is gone: it is opened again.
    fn newest_frame(&mut self, timeout: Duration) -> Result<Option<GrayImage>, CameraError>;
}

/// Opens the camera (again).
pub type Opener = Box<dyn FnMut() -> Result<Box<dyn Capture>, CameraError> + Send>;

/// Frames from a camera, reopened every [`RETRY_EVERY`] while it is missing.
pub struct CameraFrames {
    open: Opener,
    capture: Option<Box<dyn Capture>>,
    retry: Duration,
    /// The last failure logged, so a failure that repeats is logged once.
    reported: Option<String>,
}

impl std::fmt::Debug for CameraFrames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CameraFrames")
            .field("open", &self.capture.is_some())
            .field("reported", &self.reported)
            .finish_non_exhaustive()
    }
}

impl CameraFrames {
    /// The V4L2 camera described by `settings` (opened on the first frame asked for).
    pub fn new(settings: CameraSettings) -> Self {
        #[cfg(target_os = "linux")]
        let open: Opener = Box::new(move || v4l2::open(&settings));
        #[cfg(not(target_os = "linux"))]
        let open: Opener = {
            let _ = settings;
            Box::new(|| Err(CameraError::Unsupported))
        };
        Self::with_opener(open, RETRY_EVERY)
    }

    /// Frames from whatever `open` opens, retried every `retry` (tests use a fake camera).
    pub fn with_opener(open: Opener, retry: Duration) -> Self {
        Self {
            open,
            capture: None,
            retry,
            reported: None,
        }
    }

    /// Logs `error` unless it is the one logged last; whether it was logged.
    fn report(&mut self, error: &CameraError, lost: bool) -> bool {
        let text = error.to_string();
        if self.reported.as_deref() == Some(text.as_str()) {
            return false;
        }
        let retry = self.retry.as_secs_f32();
        if lost {
            tracing::warn!("camera lost: {text}; trying again every {retry} s");
        } else {
            tracing::error!("camera not available: {text}; trying again every {retry} s");
        }
        self.reported = Some(text);
        true
    }
}

impl FrameSource for CameraFrames {
    fn next_frame(&mut self, stop: &AtomicBool) -> Option<Frame> {
        loop {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            let Some(capture) = self.capture.as_mut() else {
                match (self.open)() {
                    Ok(capture) => {
                        if self.reported.take().is_some() {
                            tracing::info!("camera is back");
                        }
                        self.capture = Some(capture);
                    }
                    Err(error) => {
                        self.report(&error, false);
                        sleep_unless_stopped(self.retry, stop);
                    }
                }
                continue;
            };
            match capture.newest_frame(Duration::from_millis(200)) {
                Ok(Some(image)) => return Some(Frame::Gray(image)),
                Ok(None) => {}
                Err(error) => {
                    // Close it before opening it again: the node may come back under the same name.
                    self.capture = None;
                    self.report(&error, true);
                }
            }
        }
    }
}

/// Sleeps `duration`, waking early when `stop` is set.
fn sleep_unless_stopped(duration: Duration, stop: &AtomicBool) {
    let until = Instant::now() + duration;
    while !stop.load(Ordering::SeqCst) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(Duration::from_millis(50)));
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
