//! Tests of the camera source: the retry and reconnect loop against a scripted fake camera,
//! and the real V4L2 open function on paths that are not cameras (this machine has none).

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

use super::*;

/// What the fake camera does next when read.
enum Step {
    Frame(u8),
    Gone,
}

struct FakeCapture(VecDeque<Step>);

impl Capture for FakeCapture {
    fn newest_frame(&mut self, _timeout: Duration) -> Result<Option<GrayImage>, CameraError> {
        match self.0.pop_front() {
            Some(Step::Frame(value)) => Ok(Some(GrayImage::from_pixel(2, 2, image::Luma([value])))),
            Some(Step::Gone) | None => Err(CameraError::Lost {
                device: "/dev/video0".into(),
                source: std::io::Error::from_raw_os_error(19),
            }),
        }
    }
}

/// An opener that fails with "no camera" `missing` times, then opens each script in turn.
fn opener(missing: usize, scripts: Vec<Vec<Step>>) -> (Opener, Arc<Mutex<usize>>) {
    let calls = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&calls);
    let mut scripts: VecDeque<Vec<Step>> = scripts.into();
    let open: Opener = Box::new(move || {
        let mut calls = counted.lock().unwrap();
        *calls += 1;
        match scripts.front() {
            Some(_) if *calls > missing => Ok(Box::new(FakeCapture(
                scripts.pop_front().unwrap_or_default().into(),
            )) as Box<dyn Capture>),
            _ => Err(CameraError::NoDevice {
                device: "/dev/video0".into(),
            }),
        }
    });
    (open, calls)
}

fn value(frame: Option<Frame>) -> u8 {
    match frame {
        Some(Frame::Gray(image)) => image.get_pixel(0, 0).0[0],
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_camera_is_tried_again_until_it_appears() {
    let (open, calls) = opener(2, vec![vec![Step::Frame(7)]]);
    let mut frames = CameraFrames::with_opener(open, Duration::from_millis(20));
    let stop = AtomicBool::new(false);
    assert_eq!(value(frames.next_frame(&stop)), 7);
    assert_eq!(*calls.lock().unwrap(), 3);
}

#[test]
fn an_unplugged_camera_is_reopened_and_frames_go_on() {
    let scripts = vec![
        vec![Step::Frame(1), Step::Frame(2), Step::Gone],
        vec![Step::Frame(3)],
    ];
    let (open, calls) = opener(0, scripts);
    let mut frames = CameraFrames::with_opener(open, Duration::from_millis(20));
    let stop = AtomicBool::new(false);
    let got: Vec<u8> = (0..3).map(|_| value(frames.next_frame(&stop))).collect();
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(*calls.lock().unwrap(), 2);
}

#[test]
fn stopping_ends_the_wait_for_a_missing_camera() {
    let (open, _) = opener(usize::MAX, vec![]);
    let mut frames = CameraFrames::with_opener(open, Duration::from_secs(60));
    let stop = Arc::new(AtomicBool::new(false));
    let stopper = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            stop.store(true, Ordering::SeqCst);
        })
    };
    let started = Instant::now();
    assert!(frames.next_frame(&stop).is_none());
    assert!(started.elapsed() < Duration::from_secs(2));
    stopper.join().unwrap();
}

#[test]
fn a_failure_that_repeats_is_logged_once() {
    let (open, _) = opener(usize::MAX, vec![]);
    let mut frames = CameraFrames::with_opener(open, RETRY_EVERY);
    let missing = CameraError::NoDevice {
        device: "/dev/video0".into(),
    };
    assert!(frames.report(&missing, false));
    assert!(!frames.report(&missing, false));
    assert!(frames.report(&CameraError::Unsupported, false));
}

#[cfg(target_os = "linux")]
mod v4l2_open {
    use super::*;

    fn open_at(device: &std::path::Path) -> CameraError {
        let settings = CameraSettings {
            device: device.to_owned(),
            ..CameraSettings::default()
        };
        match v4l2::open(&settings) {
            Ok(_) => panic!("{} opened as a camera", device.display()),
            Err(error) => error,
        }
    }

    #[test]
    fn a_missing_device_says_no_camera_at_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("video9");
        let error = open_at(&path);
        assert!(matches!(error, CameraError::NoDevice { .. }), "{error:?}");
        let text = error.to_string();
        assert!(
            text.starts_with(&format!("no camera at {}", path.display())),
            "{text}"
        );
    }

    #[test]
    fn a_file_that_is_no_camera_is_named_so() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let error = open_at(file.path());
        assert!(matches!(error, CameraError::NotACamera { .. }), "{error:?}");
        assert!(error.to_string().contains("is not a camera"), "{error}");
    }

    #[test]
    fn permission_denied_says_to_join_the_video_group() {
        // Tests run as root here, so the real EACCES cannot be provoked: check its mapping.
        let path = std::path::Path::new("/dev/video0");
        let error = v4l2::classify(path, "opening", std::io::Error::from_raw_os_error(13));
        assert!(
            matches!(error, CameraError::PermissionDenied { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("`video` group"), "{error}");
        let busy = v4l2::classify(path, "starting", std::io::Error::from_raw_os_error(16));
        assert!(
            busy.to_string().contains("in use by another program"),
            "{busy}"
        );
    }
}
