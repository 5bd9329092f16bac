//! `kiosk run`: wires the parts together and runs until SIGTERM or Ctrl-C.
//!
//! settings ([`crate::config`]) → local store ([`crate::store`]) → [`crate::core::Kiosk`] →
//! MQTT link (`shimin_sync::mqtt`, last will = `offline` status) → frames
//! ([`crate::frames`]: `--frames DIR`, else the camera of [`crate::camera`]) → the loop
//! ([`crate::sync::run`]). Logs go to stderr; with `--headless`, each screen answer is one JSON
//! line on stdout.

use std::{path::PathBuf, sync::Arc};

use anyhow::Context as _;
use shimin_sync::{
    messages::{KioskState, encode},
    mqtt::{self, LinkOptions, Will},
    topics::{Topic, kiosk_client_id},
};

use crate::{
    camera::CameraFrames,
    clock::{Clock, SystemClock},
    config::Settings,
    core::Kiosk,
    decode::Decoder,
    feedback,
    frames::{DirFrames, spawn_pipeline},
    store::SqliteStore,
    sync::{Shell, StdoutAnswers, status},
    ui::{
        ScreenLink, ScreenSink,
        app::{KioskApp, run_window},
    },
};

/// How `kiosk run` was asked to start.
#[derive(Debug, Clone)]
pub struct RunArgs {
    /// The kiosk's TOML configuration file.
    pub config: Option<PathBuf>,
    /// Run with no window; print what the screen would say.
    pub headless: bool,
    /// Read camera frames from image files in this folder instead of a camera.
    pub frames: Option<PathBuf>,
}

/// Runs the kiosk until it is stopped.
pub fn main(args: RunArgs) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let settings = Settings::load(args.config.as_deref())?;
    tracing::info!(?settings, "starting");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    if args.headless {
        // Nobody sends commands without a screen.
        let (_commands, none) = tokio::sync::mpsc::channel(1);
        return runtime.block_on(run(
            settings,
            args,
            clock,
            Box::new(StdoutAnswers),
            none,
            None,
            shutdown_signal(),
        ));
    }
    // The window on this thread (as the windowing system wants); the loop on the runtime's.
    let ctx = eframe::egui::Context::default();
    let (events_tx, events) = std::sync::mpsc::channel();
    let (commands, commands_rx) = tokio::sync::mpsc::channel(16);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let sink = Box::new(ScreenSink::new(events_tx, ctx.clone()));
    let window = ctx.clone();
    let slot = Arc::new(crate::ui::preview::PreviewSlot::default());
    let preview = crate::ui::preview::preview_fn(Arc::clone(&slot), ctx.clone());
    let link = ScreenLink {
        events,
        commands,
        preview: slot,
    };
    let app = KioskApp::new(&settings.ui, link, Arc::clone(&clock));
    let ui_settings = settings.ui.clone();
    let worker = std::thread::Builder::new()
        .name("kiosk-loop".into())
        .spawn(move || {
            let done = async {
                tokio::select! {
                    () = shutdown_signal() => {}
                    _ = stopped => tracing::info!("the window was closed"),
                }
            };
            let result = runtime.block_on(run(
                settings,
                args,
                clock,
                sink,
                commands_rx,
                Some(preview),
                done,
            ));
            // The loop ended (SIGTERM, or it failed): close the window too.
            window.send_viewport_cmd(eframe::egui::ViewportCommand::Close);
            result
        })
        .context("starting the kiosk loop")?;
    let shown = run_window(ctx, &ui_settings, app);
    if let Ok(notifier) = crate::watchdog::Notifier::from_env()
        && let Err(error) = notifier.stopping()
    {
        tracing::debug!(%error, "cannot tell systemd the kiosk is stopping");
    }
    let _ = stop.send(());
    let looped = worker
        .join()
        .map_err(|_| anyhow::anyhow!("the kiosk loop panicked"))?;
    shown.and(looped)
}

async fn run(
    settings: Settings,
    args: RunArgs,
    clock: Arc<dyn Clock>,
    answers: Box<dyn crate::sync::AnswerSink>,
    commands: tokio::sync::mpsc::Receiver<crate::snapshot::Command>,
    preview: Option<crate::frames::PreviewFn>,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let started = clock.now();
    let store = SqliteStore::open(&settings.data_dir)
        .with_context(|| format!("opening the store in {}", settings.data_dir.display()))?;
    let kiosk = Kiosk::open(settings.kiosk_id.clone(), Box::new(store), started)?;
    tracing::info!(pending = kiosk.pending_events(), "local store open");

    let mut options = LinkOptions::new(
        settings.broker_url.clone(),
        kiosk_client_id(&settings.kiosk_id),
    );
    if let Some(password) = settings.broker_password()? {
        options.credentials = Some((settings.kiosk_id.to_string(), password));
    }
    options.ca_file = settings.ca_file.clone();
    options.last_will = Some(Will {
        topic: Topic::KioskStatus(settings.kiosk_id.clone()).to_string(),
        payload: encode(&status(&kiosk, KioskState::Offline, started)).into_bytes(),
        retain: true,
    });
    let (link, events, link_task) = mqtt::start(&options)?;

    let (scan_tx, scans) = tokio::sync::mpsc::channel(16);
    let pipeline = match &args.frames {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the frames folder {}", dir.display()))?;
            let frames = DirFrames::new(dir);
            // Tests wait for this line before showing frames: files older than it are skipped.
            tracing::info!(dir = %dir.display(), "watching the frames folder");
            Some(spawn_pipeline(frames, Decoder::new(), scan_tx, preview)?)
        }
        None => {
            // A missing camera is logged and retried by the source itself; syncing goes on.
            tracing::info!(device = %settings.camera.device.display(), "reading the camera");
            let camera = CameraFrames::new(settings.camera.clone());
            Some(spawn_pipeline(camera, Decoder::new(), scan_tx, preview)?)
        }
    };

    let shell = Shell {
        kiosk,
        clock,
        feedback: feedback::from_settings(&settings.feedback)?,
        answers,
    };
    crate::sync::run(shell, link, events, scans, commands, shutdown).await;
    if tokio::time::timeout(std::time::Duration::from_secs(3), link_task)
        .await
        .is_err()
    {
        tracing::warn!("the MQTT link did not close in time");
    }
    if let Some(pipeline) = pipeline {
        pipeline.stop();
    }
    tracing::info!("stopped");
    Ok(())
}

/// Completes on SIGTERM or Ctrl-C (SIGINT).
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("interrupted"),
        () = terminate => tracing::info!("terminated"),
    }
}
