//! Camera frames in, decoded texts out. A [`FrameSource`] yields frames (a camera, or image
//! files in a folder with [`DirFrames`]); [`spawn_pipeline`] runs the source on one thread and
//! the decoder on another, with a one-frame mailbox between them that keeps only the newest
//! frame (DESIGN.md): when decoding falls behind, stale frames are dropped, never queued, so
//! the answer is always about what is in front of the camera now.

use std::{
    collections::HashSet,
    path::{Path, PathBuf},
    sync::{
        Arc, Condvar, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use tokio::sync::mpsc;

use crate::decode::{Decoded, Decoder, load_gray};

/// One camera frame.
#[derive(Debug, Clone)]
pub enum Frame {
    /// An 8-bit grayscale image (a camera's Y plane).
    Gray(image::GrayImage),
    /// An image file, read by the decoding thread.
    File(PathBuf),
}

/// What the decoding thread found in a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scanned {
    /// The codes found in a frame.
    Codes {
        /// The codes, each with its symbology (at least one).
        codes: Vec<Decoded>,
        /// When the source handed the frame over (the screen measures its answer from here).
        arrived: Instant,
    },
    /// The frame could not be read (a damaged file); the reason is logged.
    Unreadable,
}

/// Sees every frame the decoder reads (the screen's camera preview).
pub type PreviewFn = Arc<dyn Fn(&image::GrayImage) + Send + Sync>;

/// Where frames come from.
pub trait FrameSource: Send + 'static {
    /// Blocks until the next frame; `None` when the source has ended or `stop` is set.
    fn next_frame(&mut self, stop: &AtomicBool) -> Option<Frame>;
}

/// Frames from image files appearing in a folder (`kiosk run --frames DIR`).
///
/// Every file that appears after the start is a frame, once, in name order; files already
/// there are old frames (e.g. from before a restart) and are skipped. Names starting with `.` and names ending in `.tmp`, `.part` or `~` are ignored, so a
/// writer can write a temporary name and rename it into place.
#[derive(Debug)]
pub struct DirFrames {
    dir: PathBuf,
    seen: HashSet<PathBuf>,
    ready: Vec<PathBuf>,
    poll: Duration,
}

impl DirFrames {
    /// Watches `dir` (polling every 20 ms: portable, and cheap for a folder of frames).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        let mut frames = Self {
            dir: dir.into(),
            seen: HashSet::new(),
            ready: Vec::new(),
            poll: Duration::from_millis(20),
        };
        frames.scan_dir();
        frames.ready.clear();
        frames
    }

    fn scan_dir(&mut self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut fresh: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| is_frame_name(p) && !self.seen.contains(p))
            .collect();
        fresh.sort();
        for path in fresh {
            self.seen.insert(path.clone());
            // Newest last; `next_frame` pops from the end.
            self.ready.insert(0, path);
        }
    }
}

/// Whether a file name looks like a finished frame (not a dotfile or a temporary name).
pub fn is_frame_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !(name.starts_with('.')
        || name.ends_with(".tmp")
        || name.ends_with(".part")
        || name.ends_with('~'))
}

impl FrameSource for DirFrames {
    fn next_frame(&mut self, stop: &AtomicBool) -> Option<Frame> {
        loop {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            if self.ready.is_empty() {
                self.scan_dir();
            }
            if let Some(path) = self.ready.pop() {
                return Some(Frame::File(path));
            }
            std::thread::sleep(self.poll);
        }
    }
}

/// The one-frame mailbox between the source and the decoder.
#[derive(Debug, Default)]
struct Latest {
    slot: Mutex<(Option<(Instant, Frame)>, bool)>,
    changed: Condvar,
}

impl Latest {
    /// Puts `frame` in, replacing (dropping) an undecoded older one.
    fn put(&self, frame: Frame) {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        if slot.0.replace((Instant::now(), frame)).is_some() {
            tracing::trace!("decoder busy: dropped an older frame");
        }
        self.changed.notify_one();
    }

    /// Marks the end of the frames.
    fn close(&self) {
        self.slot.lock().unwrap_or_else(|p| p.into_inner()).1 = true;
        self.changed.notify_one();
    }

    /// Takes the newest frame with the time it was put in, waiting for one; `None` once
    /// closed and empty.
    fn take(&self) -> Option<(Instant, Frame)> {
        let mut slot = self.slot.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(frame) = slot.0.take() {
                return Some(frame);
            }
            if slot.1 {
                return None;
            }
            slot = self.changed.wait(slot).unwrap_or_else(|p| p.into_inner());
        }
    }
}

/// The running pipeline's threads; stop them with [`Pipeline::stop`].
#[derive(Debug)]
pub struct Pipeline {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Pipeline {
    /// Stops the source and the decoder and waits for both.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        for thread in self.threads {
            let _ = thread.join();
        }
    }
}

/// Starts reading frames from `source` and decoding them with `decoder` (a childcare kiosk's
/// reads QR only, a library counter's NW-7, Code 128 and EAN-13 as well); every frame with a
/// code (or that cannot be read) is reported on `results`, and every frame read is shown to
/// `preview`.
pub fn spawn_pipeline(
    mut source: impl FrameSource,
    mut decoder: Decoder,
    results: mpsc::Sender<Scanned>,
    preview: Option<PreviewFn>,
) -> std::io::Result<Pipeline> {
    let stop = Arc::new(AtomicBool::new(false));
    let latest = Arc::new(Latest::default());
    let capture = {
        let (stop, latest) = (Arc::clone(&stop), Arc::clone(&latest));
        std::thread::Builder::new()
            .name("frames".into())
            .spawn(move || {
                while let Some(frame) = source.next_frame(&stop) {
                    latest.put(frame);
                }
                latest.close();
            })?
    };
    let decode = {
        let latest = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("decode".into())
            .spawn(move || {
                while let Some((arrived, frame)) = latest.take() {
                    let result = decode_frame(&mut decoder, frame, arrived, preview.as_ref());
                    if let Some(result) = result
                        && results.blocking_send(result).is_err()
                    {
                        return;
                    }
                }
            })?
    };
    // The decoder ends when the source closes the mailbox; stopping the source is enough.
    Ok(Pipeline {
        stop,
        threads: vec![capture, decode],
    })
}

fn decode_frame(
    decoder: &mut Decoder,
    frame: Frame,
    arrived: Instant,
    preview: Option<&PreviewFn>,
) -> Option<Scanned> {
    let image = match frame {
        Frame::Gray(image) => image,
        Frame::File(path) => match load_gray(&path) {
            Ok(image) => image,
            Err(error) => {
                tracing::warn!(%error, "unreadable frame");
                return Some(Scanned::Unreadable);
            }
        },
    };
    if let Some(preview) = preview {
        preview(&image);
    }
    let started = std::time::Instant::now();
    let codes = decoder.decode(&image);
    tracing::trace!(codes = codes.len(), elapsed = ?started.elapsed(), "decoded a frame");
    (!codes.is_empty()).then_some(Scanned::Codes { codes, arrived })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_and_hidden_names_are_not_frames() {
        for name in [".frame.png", "frame.png.tmp", "frame.part", "frame.png~"] {
            assert!(!is_frame_name(Path::new(name)), "{name}");
        }
        assert!(is_frame_name(Path::new("/frames/0001.png")));
    }

    #[test]
    fn a_folder_yields_each_new_file_once_in_name_order_and_skips_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let stop = AtomicBool::new(false);
        std::fs::write(dir.path().join("old.png"), b"x").unwrap();
        let mut frames = DirFrames::new(dir.path());
        std::fs::write(dir.path().join("b.png"), b"x").unwrap();
        std::fs::write(dir.path().join("a.png"), b"x").unwrap();
        std::fs::write(dir.path().join(".c.png"), b"x").unwrap();
        let name = |f: Option<Frame>| match f {
            Some(Frame::File(p)) => p.file_name().unwrap().to_string_lossy().into_owned(),
            other => panic!("{other:?}"),
        };
        assert_eq!(name(frames.next_frame(&stop)), "a.png");
        assert_eq!(name(frames.next_frame(&stop)), "b.png");
        std::fs::write(dir.path().join("d.png"), b"x").unwrap();
        assert_eq!(name(frames.next_frame(&stop)), "d.png");
        stop.store(true, Ordering::SeqCst);
        assert!(frames.next_frame(&stop).is_none());
    }

    #[test]
    fn the_mailbox_keeps_only_the_newest_frame() {
        let latest = Latest::default();
        latest.put(Frame::File("old.png".into()));
        latest.put(Frame::File("new.png".into()));
        latest.close();
        assert!(matches!(latest.take(), Some((_, Frame::File(p))) if p == Path::new("new.png")));
        assert!(latest.take().is_none());
    }
}
