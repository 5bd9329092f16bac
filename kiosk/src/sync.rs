//! The kiosk's main loop (a thin async shell): it takes decoded frames, MQTT link events and
//! the clock, hands them to [`Kiosk`], shows its answers, and sends what the outbox says is due.
//!
//! On every connection it subscribes to [`kiosk_filters`], publishes its retained `online`
//! status and makes the whole outbox due (PROTOCOL.md §4); due events go out oldest first, at
//! most [`BATCH`] at a time. The last will (set in [`crate::run`]) is the `offline` status; a
//! clean shutdown publishes `offline` itself, then disconnects.

use std::{sync::Arc, time::Duration};

use jiff::Timestamp;
use rand::Rng as _;
use shimin_sync::{
    messages::{KioskState, KioskStatus, V1, encode},
    mqtt::{LinkEvent, LinkHandle},
    topics::{Topic, kiosk_filters},
};
use tokio::sync::mpsc;

use crate::{
    answer::Answer,
    clock::Clock,
    core::{Kiosk, Received},
    feedback::{Feedback, Signal},
    frames::Scanned,
    snapshot::{Command, Snapshot},
};

/// The most events handed to the MQTT client at once; the next batch follows shortly after, so
/// the client's in-flight window is not overrun by a day's backlog.
pub const BATCH: usize = 50;

/// How often replay records of expired passes are forgotten.
const HOUSEKEEPING: Duration = Duration::from_secs(60);

/// Where answers go: the screen, or stdout for `--headless`.
pub trait AnswerSink: Send {
    /// Shows `answer`.
    fn show(&mut self, answer: &Answer);

    /// The kiosk's state after a change, made by `make` only if the sink draws it (the
    /// screen does; stdout has no use for it).
    fn snapshot(&mut self, _make: &dyn Fn() -> Snapshot) {}
}

/// Prints each answer as one JSON line on stdout (`kiosk run --headless`).
#[derive(Debug, Default)]
pub struct StdoutAnswers;

impl AnswerSink for StdoutAnswers {
    fn show(&mut self, answer: &Answer) {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        // A closed stdout (the reader went away) must not stop the kiosk.
        let _ = writeln!(out, "{}", answer.to_json_line());
        let _ = out.flush();
    }
}

/// The status message of this kiosk.
pub fn status(kiosk: &Kiosk, state: KioskState, connected_at: Timestamp) -> KioskStatus {
    KioskStatus {
        v: V1,
        kiosk_id: kiosk.kiosk_id().clone(),
        state,
        connected_at,
        software: Some(format!("kiosk {}", env!("CARGO_PKG_VERSION"))),
        pending_events: (state == KioskState::Online)
            .then(|| u32::try_from(kiosk.pending_events()).unwrap_or(u32::MAX)),
    }
}

/// Everything the loop drives.
pub struct Shell {
    /// The kiosk's state and store.
    pub kiosk: Kiosk,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Lamps and buzzer.
    pub feedback: Box<dyn Feedback>,
    /// The screen.
    pub answers: Box<dyn AnswerSink>,
}

impl Shell {
    fn answer(&mut self, answer: &Answer) {
        tracing::info!(code = answer.code, repeat = answer.repeat, "answer");
        self.answers.show(answer);
        let signal = match (answer.screen, answer.repeat) {
            (_, true) => Signal::Repeat,
            ("accepted", _) => Signal::Accepted,
            _ => Signal::Refused,
        };
        self.feedback.signal(signal);
    }

    fn command(&mut self, command: Command) {
        let now = self.clock.now();
        match command {
            Command::Manual {
                kind,
                guardian,
                children,
                note,
            } => {
                let answer = self.kiosk.manual(kind, guardian, children, &note, now);
                self.answer(&answer);
            }
        }
    }

    fn scanned(&mut self, scanned: Scanned) {
        let now = self.clock.now();
        match scanned {
            Scanned::Codes { codes, arrived } => {
                for code in codes {
                    let mut answer = self.kiosk.scan(&code.text, now);
                    answer.frame_arrived = Some(arrived);
                    self.answer(&answer);
                }
            }
            Scanned::Unreadable => {
                let answer = self.kiosk.unreadable(now);
                self.answer(&answer);
            }
        }
    }

    async fn connected(&mut self, link: &LinkHandle, session_present: bool) {
        let now = self.clock.now();
        tracing::info!(
            session_present,
            pending = self.kiosk.pending_events(),
            "online"
        );
        if let Err(error) = link.subscribe(kiosk_filters(self.kiosk.kiosk_id())).await {
            tracing::warn!(%error, "cannot subscribe");
        }
        let online = status(&self.kiosk, KioskState::Online, now);
        let topic = Topic::KioskStatus(self.kiosk.kiosk_id().clone()).to_string();
        if let Err(error) = link.publish(topic, encode(&online), true).await {
            tracing::warn!(%error, "cannot publish the online status");
        }
        self.kiosk.reconnected(now);
    }

    fn received(&mut self, topic: &str, payload: &[u8]) {
        match self.kiosk.receive(topic, payload) {
            Ok(Received::Settled(ids)) => {
                tracing::debug!(
                    settled = ids.len(),
                    pending = self.kiosk.pending_events(),
                    "ack"
                )
            }
            Ok(Received::Nothing) => {}
            Ok(Received::Presence) => tracing::debug!(topic, "presence"),
            Ok(changed) => tracing::info!(?changed, topic, "received"),
            Err(error) => tracing::warn!(%error, "message not taken"),
        }
    }

    /// Hands the due events to the link; returns whether more are due right away.
    fn send_due(&mut self, link: &LinkHandle) -> bool {
        let now = self.clock.now();
        let due = self.kiosk.due(now, BATCH);
        let topic = Topic::KioskEvents(self.kiosk.kiosk_id().clone()).to_string();
        let mut rng = rand::thread_rng();
        for (event_id, payload) in &due {
            if let Err(error) = link.try_publish(topic.clone(), payload.as_bytes(), false) {
                tracing::debug!(%error, "send postponed");
                return true;
            }
            self.kiosk.mark_sent(event_id, now, rng.r#gen::<f64>());
        }
        due.len() == BATCH
    }

    /// How long the loop may sleep before something becomes due.
    fn idle_wait(&self, online: bool, more: bool) -> Duration {
        if !online {
            return HOUSEKEEPING;
        }
        if more {
            return Duration::from_millis(100);
        }
        match self.kiosk.next_wakeup() {
            Some(at) => {
                let wait = self.clock.now().duration_until(at);
                Duration::try_from(wait)
                    .unwrap_or(Duration::ZERO)
                    .clamp(Duration::from_millis(10), HOUSEKEEPING)
            }
            None => HOUSEKEEPING,
        }
    }
}

/// Runs until `shutdown` completes or the link ends, then publishes the `offline` status and
/// disconnects (when connected).
pub async fn run(
    mut shell: Shell,
    link: LinkHandle,
    mut events: mpsc::Receiver<LinkEvent>,
    mut scans: mpsc::Receiver<Scanned>,
    mut commands: mpsc::Receiver<Command>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let mut connected_at: Option<Timestamp> = None;
    let mut scans_open = true;
    let mut commands_open = true;
    let mut more = false;
    let mut last_housekeeping = shell.clock.now();
    shell
        .answers
        .snapshot(&|| shell.kiosk.snapshot(false, last_housekeeping));
    loop {
        let wait = shell.idle_wait(connected_at.is_some(), more);
        tokio::select! {
            () = &mut shutdown => break,
            event = events.recv() => match event {
                None => break,
                Some(LinkEvent::Connected { session_present }) => {
                    connected_at = Some(shell.clock.now());
                    shell.connected(&link, session_present).await;
                }
                Some(LinkEvent::Disconnected { reason }) => {
                    tracing::warn!(%reason, pending = shell.kiosk.pending_events(), "offline");
                    connected_at = None;
                }
                Some(LinkEvent::Message { topic, payload }) => shell.received(&topic, &payload),
            },
            scanned = scans.recv(), if scans_open => match scanned {
                Some(scanned) => shell.scanned(scanned),
                None => scans_open = false,
            },
            command = commands.recv(), if commands_open => match command {
                Some(command) => shell.command(command),
                None => commands_open = false,
            },
            () = tokio::time::sleep(wait) => {}
        }
        more = connected_at.is_some() && shell.send_due(&link);
        let now = shell.clock.now();
        let online = connected_at.is_some();
        shell
            .answers
            .snapshot(&|| shell.kiosk.snapshot(online, now));
        if last_housekeeping.duration_until(now)
            >= jiff::SignedDuration::try_from(HOUSEKEEPING).unwrap_or_default()
        {
            last_housekeeping = now;
            if let Err(error) = shell.kiosk.forget_expired(now) {
                tracing::warn!(%error, "cannot forget expired pass records");
            }
        }
    }
    if let Some(at) = connected_at {
        let offline = status(&shell.kiosk, KioskState::Offline, at);
        let topic = Topic::KioskStatus(shell.kiosk.kiosk_id().clone()).to_string();
        if link.publish(topic, encode(&offline), true).await.is_err() {
            tracing::warn!("cannot publish the offline status");
        }
    }
    if link.disconnect().await.is_err() {
        tracing::debug!("the link had already ended");
    }
}
