//! `kiosk library`: the kiosk at a library counter. The camera (or a frames folder) feeds the
//! decoder; each code goes to the counter screen ([`crate::ui::library`]), which hands jobs to
//! the circulation worker ([`crate::circulation::worker`]) talking SIP2 to the library's ILS,
//! with the offline queue in `DATA/circulation.db`.

use std::{path::PathBuf, sync::Arc};

use anyhow::Context as _;
use serde::Deserialize;
use shimin_sync::library::card::CardRules;

use crate::{
    camera::{CameraFrames, settings::CameraSettings},
    circulation::{
        counter::{Counter, Mode},
        ils::Sip2Circulation,
        queue::Queue,
        sip2::link::{Sip2Link, Sip2Settings},
        worker::{self, WorkerSettings},
    },
    decode::{Decoder, Symbology},
    frames::{DirFrames, Scanned, spawn_pipeline},
    ui::{
        app::run_window,
        library::LibraryScreen,
        preview::{PreviewSlot, preview_fn},
        settings::UiSettings,
    },
};

/// The library kiosk's settings (a TOML file; see `config/library-kiosk.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibrarySettings {
    /// Where the offline circulation queue lives. Default `data`.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// Days a book lent offline is due after. Default 14.
    #[serde(default = "default_loan_days")]
    pub loan_days: i32,
    /// The library's card numbers (`[card]`: `min_len`, `max_len`, `check`), to tell a card
    /// from a book. Default 10 digits, `mod10_w21`.
    #[serde(default)]
    pub card: CardRules,
    /// The ILS (`[sip2]`).
    pub sip2: Sip2Settings,
    /// The camera (`[camera]`).
    #[serde(default)]
    pub camera: CameraSettings,
    /// The window (`[ui]`).
    #[serde(default)]
    pub ui: UiSettings,
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}

fn default_loan_days() -> i32 {
    14
}

impl LibrarySettings {
    /// Reads the settings file.
    pub fn load(path: &std::path::Path) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
    }
}

/// The screen as an eframe app.
struct LibraryApp(LibraryScreen);

impl eframe::App for LibraryApp {
    fn ui(&mut self, ui: &mut eframe::egui::Ui, _frame: &mut eframe::Frame) {
        self.0.frame(ui);
        // Answers arrive from the worker without an event of the window's own.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(200));
    }
}

/// Runs the library counter until its window is closed.
pub fn main(config: &std::path::Path, frames: Option<PathBuf>) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let settings = LibrarySettings::load(config)?;
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating {}", settings.data_dir.display()))?;
    let queue =
        Arc::new(Queue::open(&settings.data_dir).context("opening the offline circulation queue")?);
    tracing::info!(
        pending = queue.pending()?.len(),
        conflicts = queue.conflicts()?.len(),
        "offline circulation queue open"
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let _entered = runtime.enter();
    let link = Sip2Link::new(settings.sip2.clone())?;
    let worker_settings = WorkerSettings {
        loan_days: settings.loan_days,
        ..WorkerSettings::default()
    };
    let (jobs, answers) = worker::spawn(
        Box::new(Sip2Circulation::new(link)),
        Arc::clone(&queue),
        worker_settings,
    );

    let ctx = eframe::egui::Context::default();
    let slot = Arc::new(PreviewSlot::default());
    let preview = || Some(preview_fn(Arc::clone(&slot), ctx.clone()));
    let (scan_tx, mut scans) = tokio::sync::mpsc::channel(16);
    // The card's NW-7 and the books' Code 128 or EAN-13 first, then the portal's QR.
    let decoder = Decoder::with_symbologies(&Symbology::LIBRARY);
    let pipeline = match frames {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("creating the frames folder {}", dir.display()))?;
            tracing::info!(dir = %dir.display(), "watching the frames folder");
            spawn_pipeline(DirFrames::new(&dir), decoder, scan_tx, preview())?
        }
        None => spawn_pipeline(
            CameraFrames::new(settings.camera.clone()),
            decoder,
            scan_tx,
            preview(),
        )?,
    };
    let (codes_tx, codes) = std::sync::mpsc::channel();
    let wake = ctx.clone();
    runtime.spawn(async move {
        while let Some(Scanned::Codes { codes, .. }) = scans.recv().await {
            for code in codes {
                tracing::info!(text = %code.text, symbology = %code.symbology, "scanned");
                if codes_tx.send(code).is_err() {
                    return;
                }
            }
            wake.request_repaint();
        }
    });
    let screen = LibraryScreen::new(
        Counter::new(settings.card.clone(), Mode::Lend),
        codes,
        jobs,
        answers,
        queue,
        slot,
    );
    let shown = run_window(ctx, &settings.ui, LibraryApp(screen));
    pipeline.stop();
    shown
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_example_configuration_reads() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/library-kiosk.toml");
        let settings = LibrarySettings::load(&path).unwrap();
        assert_eq!(settings.sip2.timeout, std::time::Duration::from_secs(5));
        assert_eq!(settings.card, CardRules::default());
        assert_eq!(settings.loan_days, 14);
        assert!(settings.ui.fullscreen);
    }

    #[test]
    fn a_mistyped_key_is_refused() {
        let bad = "[sip2]\naddress = \"x:1\"\nuser = \"u\"\npassword = \"p\"\n\
                   institution = \"i\"\nlocation = \"l\"\ntimout = 3\n";
        let error = toml::from_str::<LibrarySettings>(bad)
            .unwrap_err()
            .to_string();
        assert!(error.contains("timout"), "{error}");
    }
}
