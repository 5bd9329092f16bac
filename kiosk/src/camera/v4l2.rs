//! Opening and reading a V4L2 camera with `linuxvideo` (Linux only): the format is checked
//! against what the camera offers, the size and rate are asked for (the driver may choose the
//! nearest it has; that is logged), and each read drains the driver's queue so that only the
//! newest frame is converted. System errors become [`CameraError`]s in the operator's words.

use std::{io, path::Path, time::Duration};

use image::GrayImage;
use linuxvideo::{
    BufType, CapabilityFlags, Device, Fract,
    format::{FrameSizes, PixFormat, PixelFormat},
    stream::ReadStream,
};
use rustix::{
    event::{PollFd, PollFlags, Timespec, poll},
    io::Errno,
};

use super::{CameraError, CameraFormat, CameraSettings, Capture, pixels};

/// The V4L2 pixel formats (fourcc) that carry `format`, preferred first.
fn fourccs(format: CameraFormat) -> &'static [PixelFormat] {
    match format {
        CameraFormat::Yuyv => &[PixelFormat::YUYV],
        CameraFormat::Mjpeg => &[PixelFormat::MJPG, PixelFormat::JPEG],
    }
}

/// Opens the camera of `settings` and starts streaming.
pub(super) fn open(settings: &CameraSettings) -> Result<Box<dyn Capture>, CameraError> {
    let path = settings.device.as_path();
    let device = Device::open(path).map_err(|e| classify(path, "opening", e))?;
    let caps = device
        .capabilities()
        .map_err(|e| classify(path, "opening", e))?;
    if !caps
        .device_capabilities()
        .contains(CapabilityFlags::VIDEO_CAPTURE)
    {
        return Err(CameraError::NotCapture {
            device: path.to_owned(),
        });
    }
    let offered: Vec<PixelFormat> = device
        .formats(BufType::VIDEO_CAPTURE)
        .filter_map(Result::ok)
        .map(|f| f.pixel_format())
        .collect();
    let offered_text = describe(&device, &offered);
    let not_offered = |offered: String| CameraError::FormatNotSupported {
        device: path.to_owned(),
        wanted: settings.format,
        offered,
    };
    let Some(&fourcc) = fourccs(settings.format)
        .iter()
        .find(|f| offered.contains(f))
    else {
        return Err(not_offered(offered_text));
    };
    let capture = device
        .video_capture(PixFormat::new(settings.width, settings.height, fourcc))
        .map_err(|e| classify(path, "setting the format of", e))?;
    let format = capture.format();
    let (width, height) = (format.width(), format.height());
    // Some drivers leave bytesperline 0 for packed formats: the lines are then unpadded.
    let stride = match format.bytes_per_line() {
        0 => 2 * width as usize,
        stride => stride as usize,
    };
    if format.pixel_format() != fourcc {
        return Err(not_offered(offered_text));
    }
    if (width, height) != (settings.width, settings.height) {
        tracing::warn!(
            "the camera gives {width}×{height}, not the {}×{} configured (it offers: {offered_text})",
            settings.width,
            settings.height
        );
    }
    let fps = match capture.set_frame_interval(Fract::new(1, settings.fps)) {
        Ok(interval) if interval.numerator() > 0 => {
            format!("{:.1} fps", 1.0 / interval.as_f32())
        }
        // Some drivers have no settable rate: they send at their own.
        Ok(_) | Err(_) => "the camera's own rate".to_owned(),
    };
    let stream = capture
        .into_stream()
        .map_err(|e| classify(path, "starting", e))?;
    tracing::info!(
        device = %path.display(),
        "camera ready: {width}×{height} {fourcc} at {fps}"
    );
    Ok(Box::new(V4l2Capture {
        stream,
        device: path.to_owned(),
        layout: (fourcc, width, height, stride),
        raw: Vec::new(),
        bad_frames: 0,
    }))
}

/// What the camera offers, for an error message: `YUYV 640×480 1280×720, MJPG 1920×1080`.
fn describe(device: &Device, formats: &[PixelFormat]) -> String {
    let list: Vec<String> = formats
        .iter()
        .map(|&f| match device.frame_sizes(f) {
            Ok(FrameSizes::Discrete(sizes)) => {
                let sizes: Vec<String> = sizes
                    .iter()
                    .map(|s| format!("{}×{}", s.width(), s.height()))
                    .collect();
                format!("{f} {}", sizes.join(" "))
            }
            Ok(FrameSizes::Stepwise(s) | FrameSizes::Continuous(s)) => format!(
                "{f} {}×{} to {}×{}",
                s.min_width(),
                s.min_height(),
                s.max_width(),
                s.max_height()
            ),
            Err(_) => f.to_string(),
        })
        .collect();
    if list.is_empty() {
        "no video formats".to_owned()
    } else {
        list.join(", ")
    }
}

/// A system error while `action` the camera at `path`, in the operator's words.
pub(super) fn classify(path: &Path, action: &'static str, error: io::Error) -> CameraError {
    let device = path.to_owned();
    match Errno::from_io_error(&error) {
        Some(Errno::NOENT | Errno::NODEV | Errno::NXIO) => CameraError::NoDevice { device },
        Some(Errno::ACCESS | Errno::PERM) => CameraError::PermissionDenied { device },
        Some(Errno::NOTTY | Errno::INVAL) if action == "opening" => {
            CameraError::NotACamera { device }
        }
        Some(Errno::BUSY) => CameraError::Busy { device },
        _ => CameraError::Io {
            action,
            device,
            source: error,
        },
    }
}

/// A streaming V4L2 camera.
struct V4l2Capture {
    stream: ReadStream,
    device: std::path::PathBuf,
    /// Pixel format, width, height, bytes per line.
    layout: (PixelFormat, u32, u32, usize),
    /// The newest frame's bytes, copied out of the driver's buffer.
    raw: Vec<u8>,
    bad_frames: u64,
}

impl V4l2Capture {
    /// Whether a filled buffer is waiting, waiting at most `timeout`.
    fn ready(&self, timeout: Duration) -> io::Result<bool> {
        let timeout = Timespec::try_from(timeout).map_err(io::Error::other)?;
        let mut fds = [PollFd::new(&self.stream, PollFlags::IN)];
        match poll(&mut fds, Some(&timeout)) {
            Ok(_) => Ok(fds.first().is_some_and(|fd| !fd.revents().is_empty())),
            Err(Errno::INTR) => Ok(false),
            Err(errno) => Err(errno.into()),
        }
    }

    fn lost(&self, source: io::Error) -> CameraError {
        CameraError::Lost {
            device: self.device.clone(),
            source,
        }
    }
}

impl Capture for V4l2Capture {
    fn newest_frame(&mut self, timeout: Duration) -> Result<Option<GrayImage>, CameraError> {
        if !self.ready(timeout).map_err(|e| self.lost(e))? {
            return Ok(None);
        }
        // Drain: take every frame already waiting and keep the last (the decoder must never
        // see a backlog). An error or hang-up flag from poll shows here as a dequeue error.
        let damaged = loop {
            let raw = &mut self.raw;
            let damaged = self
                .stream
                .dequeue(|buf| {
                    raw.clear();
                    raw.extend_from_slice(&buf);
                    Ok(buf.is_error())
                })
                .map_err(|e| self.lost(e))?;
            if !self.ready(Duration::ZERO).map_err(|e| self.lost(e))? {
                break damaged;
            }
            tracing::trace!("camera: dropped an older frame");
        };
        let (fourcc, width, height, stride) = self.layout;
        let image = if damaged {
            Err("the driver marked the frame as damaged".to_owned())
        } else if fourcc == PixelFormat::YUYV {
            pixels::yuyv_luma(&self.raw, width, height, stride).map_err(|e| e.to_string())
        } else {
            pixels::mjpeg_luma(&self.raw).map_err(|e| e.to_string())
        };
        match image {
            Ok(image) => Ok(Some(image)),
            Err(error) => {
                // Now and then a frame is damaged in transit: skip it, say so once.
                self.bad_frames += 1;
                if self.bad_frames == 1 {
                    tracing::warn!(%error, "skipped a damaged camera frame (further ones: debug)");
                } else {
                    tracing::debug!(%error, bad_frames = self.bad_frames, "skipped a damaged camera frame");
                }
                Ok(None)
            }
        }
    }
}
