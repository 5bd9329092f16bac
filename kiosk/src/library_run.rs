//! `kiosk library`: the kiosk at a library counter. The camera (or a frames folder) feeds the
//! decoder; each code goes to the counter screen ([`crate::ui::library`]), which hands jobs to
//! the circulation worker ([`crate::circulation::worker`]), with the offline queue in
//! `DATA/circulation.db`. The worker talks SIP2 to the library's ILS (`[sip2]`), reporting
//! what it did to the portal when `[portal]` is set; without `[sip2]`, it lends through the
//! portal's loan ledger.

use std::{path::PathBuf, sync::Arc};

use anyhow::Context as _;
use serde::Deserialize;
use shimin_sync::library::card::CardRules;

use crate::{
    camera::{CameraFrames, settings::CameraSettings},
    circulation::{
        Circulation,
        card_keys::CardKeys,
        counter::{Counter, Mode},
        ils::Sip2Circulation,
        ledger::PortalLedger,
        portal::{PortalLink, PortalSettings},
        queue::Queue,
        reports::{self, Reporting, Reports},
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
    /// The library's ILS (`[sip2]`), if it has one.
    #[serde(default)]
    pub sip2: Option<Sip2Settings>,
    /// The portal (`[portal]`): its loan ledger when there is no `[sip2]`; else where loans
    /// are reported for citizens to see.
    #[serde(default)]
    pub portal: Option<PortalSettings>,
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
        let settings: Self =
            toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
        if settings.sip2.is_none() && settings.portal.is_none() {
            anyhow::bail!(
                "{} names no library system: add [sip2] (the library's ILS) or [portal] (the \
                 portal's loan ledger, as /admin/library/kiosks issued it)",
                path.display()
            );
        }
        Ok(settings)
    }

    /// The circulation these settings describe, with what must run beside it.
    fn circulation(
        &self,
        keys: &CardKeys,
    ) -> anyhow::Result<(Box<dyn Circulation>, Option<PortalLink>)> {
        let link = self
            .portal
            .as_ref()
            .map(|portal| PortalLink::start(portal, keys.clone()))
            .transpose()?;
        match (&self.sip2, link) {
            (Some(sip2), None) => Ok((
                Box::new(Sip2Circulation::new(Sip2Link::new(sip2.clone())?)),
                None,
            )),
            (Some(sip2), Some(link)) => {
                let ils = Box::new(Sip2Circulation::new(Sip2Link::new(sip2.clone())?));
                let outbox =
                    Arc::new(Reports::open(&self.data_dir).context("opening the reports outbox")?);
                let wake = Arc::new(tokio::sync::Notify::new());
                tokio::spawn(reports::send(
                    Arc::clone(&outbox),
                    link.clone(),
                    Arc::clone(&wake),
                    std::time::Duration::from_secs(10),
                ));
                tracing::info!("lending through the ILS, reporting to the portal");
                let reporting = Reporting::new(ils, outbox, link.kiosk_id().clone(), wake);
                Ok((Box::new(reporting), Some(link)))
            }
            (None, Some(link)) => {
                tracing::info!("lending through the portal's loan ledger");
                Ok((Box::new(PortalLedger::new(link.clone())), Some(link)))
            }
            (None, None) => anyhow::bail!("no library system is configured"),
        }
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
    let keys = CardKeys::load(&settings.data_dir);
    let (circulation, portal) = settings.circulation(&keys)?;
    let worker_settings = WorkerSettings {
        loan_days: settings.loan_days,
        ..WorkerSettings::default()
    };
    let (jobs, answers) = worker::spawn(circulation, Arc::clone(&queue), worker_settings);

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
        Counter::new(settings.card.clone(), Mode::Lend).with_card_passes(keys.checker()),
        codes,
        jobs,
        answers,
        queue,
        slot,
    );
    let shown = run_window(ctx, &settings.ui, LibraryApp(screen));
    pipeline.stop();
    if let Some(portal) = portal {
        runtime.block_on(portal.close());
    }
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
        assert_eq!(
            settings.sip2.unwrap().timeout,
            std::time::Duration::from_secs(5)
        );
        assert_eq!(settings.portal.unwrap().kiosk_id.as_str(), "library1");
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

    #[test]
    fn a_kiosk_without_a_library_system_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("library-kiosk.toml");
        std::fs::write(&path, "loan_days = 14\n").unwrap();
        let error = format!("{:#}", LibrarySettings::load(&path).unwrap_err());
        assert!(
            error.contains("[sip2]") && error.contains("[portal]"),
            "{error}"
        );
    }
}
