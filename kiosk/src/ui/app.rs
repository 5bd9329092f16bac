//! The eframe app: each frame takes what the loop sent, lets time pass in the [`Model`], draws
//! it, and sends the staff's commands back. It repaints twice a second for the clock and the
//! answers' timeouts, and at once when the loop sends something; its frames feed systemd's
//! watchdog. Each answer to a camera frame is logged with the time from the frame's arrival to
//! the answer on screen (`answer on screen`, taken when the frame after the one that drew it
//! starts, so painting and presenting are in it).

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use eframe::egui;
use jiff::tz::TimeZone;

use super::{
    ScreenLink, UiEvent, draw, fonts, model::Model, preview::PreviewTexture, settings::UiSettings,
};
use crate::{
    clock::Clock,
    watchdog::{self, Notifier},
};

/// The systemd watchdog, fed by the frames the window draws: a window that stops drawing
/// stops the pings, and systemd restarts the kiosk (`WatchdogSec=` in systemd/kiosk.service).
struct Heartbeat {
    notifier: Notifier,
    period: Option<Duration>,
    last: Option<Instant>,
}

impl Heartbeat {
    fn from_env() -> Self {
        let notifier = Notifier::from_env().unwrap_or_else(|error| {
            tracing::warn!(%error, "NOTIFY_SOCKET unusable: no systemd notifications");
            Notifier::disabled()
        });
        Self {
            notifier,
            period: watchdog::watchdog_interval_from_env().map(watchdog::ping_period),
            last: None,
        }
    }

    /// After each frame: READY=1 after the first, WATCHDOG=1 every period.
    fn beat(&mut self) {
        let now = Instant::now();
        let due = match (self.last, self.period) {
            (None, _) => {
                if let Err(error) = self.notifier.ready() {
                    tracing::warn!(%error, "cannot tell systemd the kiosk is ready");
                }
                true
            }
            (Some(last), Some(period)) => now.duration_since(last) >= period,
            (Some(_), None) => false,
        };
        if due {
            if self.period.is_some()
                && let Err(error) = self.notifier.watchdog()
            {
                tracing::warn!(%error, "cannot ping the systemd watchdog");
            }
            self.last = Some(now);
        }
    }
}

/// The running screen.
pub struct KioskApp {
    model: Model,
    link: ScreenLink,
    zone: TimeZone,
    clock: Arc<dyn Clock>,
    heartbeat: Heartbeat,
    camera: PreviewTexture,
    /// An answer to a camera frame taken this frame: when its frame arrived, and its code.
    drawing: Option<Drawn>,
    /// The same, for the answer drawn in the previous frame (painted once the next begins).
    painted: Option<Drawn>,
}

/// An answer to a camera frame on its way to the screen, for the latency log.
#[derive(Debug, Clone, Copy)]
struct Drawn {
    arrived: Instant,
    code: &'static str,
    repeat: bool,
}

impl KioskApp {
    /// The app over `link`, with the staff PIN and time zone of `settings`.
    pub fn new(settings: &UiSettings, link: ScreenLink, clock: Arc<dyn Clock>) -> Self {
        let zone = TimeZone::get(&settings.time_zone).unwrap_or_else(|_| {
            tracing::warn!(zone = %settings.time_zone, "unknown time zone; using Asia/Tokyo");
            TimeZone::get("Asia/Tokyo").unwrap_or(TimeZone::UTC)
        });
        Self {
            model: Model::new(settings.staff_pin.clone(), clock.now()),
            link,
            zone,
            clock,
            heartbeat: Heartbeat::from_env(),
            camera: PreviewTexture::default(),
            drawing: None,
            painted: None,
        }
    }

    /// One frame, as eframe and the tests run it.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let now = self.clock.now();
        if let Some(drawn) = self.painted.take() {
            // The previous frame, which drew an answer, has been painted and presented.
            let latency_ms = drawn.arrived.elapsed().as_secs_f64() * 1000.0;
            let (code, repeat) = (drawn.code, drawn.repeat);
            // A phone held up repeats its answer at the camera's rate: those only in debug.
            if repeat {
                tracing::debug!(latency_ms, code, repeat, "answer on screen");
            } else {
                tracing::info!(latency_ms, code, repeat, "answer on screen");
            }
        }
        loop {
            match self.link.events.try_recv() {
                Ok(UiEvent::Answer(answer)) => {
                    if let Some(arrived) = answer.frame_arrived {
                        self.drawing = Some(Drawn {
                            arrived,
                            code: answer.code,
                            repeat: answer.repeat,
                        });
                    }
                    self.model.answered(answer, now);
                }
                Ok(UiEvent::Snapshot(snapshot)) => self.model.updated(snapshot),
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    // The loop has ended (stopped, or failed at start): so does the window,
                    // and systemd restarts the kiosk instead of a screen that answers nothing.
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    break;
                }
            }
        }
        self.model.tick(now);
        self.camera.update(ui.ctx(), &self.link.preview);
        for command in draw::screen(ui, &mut self.model, &self.camera, now, &self.zone) {
            if let Err(error) = self.link.commands.try_send(command) {
                tracing::error!(%error, "the kiosk loop did not take a staff command");
            }
        }
        if let Some(drawn) = self.drawing.take() {
            // Measured at the start of the next frame, which comes at once.
            self.painted = Some(drawn);
            ui.ctx().request_repaint();
        } else {
            ui.ctx().request_repaint_after(Duration::from_millis(500));
        }
        self.heartbeat.beat();
    }

    /// The model, for tests.
    pub fn model(&self) -> &Model {
        &self.model
    }
}

impl eframe::App for KioskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }
}

/// The look of the kiosk on `ctx`: large type, the Japanese font, light theme.
pub fn prepare(ctx: &egui::Context, settings: &UiSettings) -> anyhow::Result<()> {
    let font = fonts::find(settings.font.as_deref())?;
    fonts::install(ctx, &font).with_context(|| format!("reading the font {}", font.display()))?;
    ctx.set_visuals(egui::Visuals::light());
    Ok(())
}

/// Opens the window (full screen unless configured otherwise) and runs `app` until it is
/// closed. `ctx` is the context the loop's [`super::ScreenSink`] wakes.
pub fn run_window(
    ctx: egui::Context,
    settings: &UiSettings,
    app: impl eframe::App + 'static,
) -> anyhow::Result<()> {
    prepare(&ctx, settings)?;
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Shimin kiosk")
            .with_inner_size([
                settings.window_size[0] as f32,
                settings.window_size[1] as f32,
            ])
            .with_fullscreen(settings.fullscreen),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native_ext(
        "shimin-kiosk",
        options,
        Some(ctx),
        Box::new(|_cc| Ok(Box::new(app))),
    )
    .map_err(|error| anyhow::anyhow!("the kiosk window: {error}"))
}
