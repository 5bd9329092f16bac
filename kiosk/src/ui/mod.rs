//! The touchscreen app (eframe/egui, full screen): the center screen with the latest answer
//! and the occupancy, the status bar, and the staff screens behind a PIN.
//!
//! The window never waits for anything: the sync loop (camera, decoding, store, network) runs
//! on its own threads and reports through a channel ([`ScreenSink`]); taps that need the
//! kiosk's store go back to the loop as [`Command`]s. The screens' states and transitions are
//! plain code in [`model`]; [`draw`] paints them.

pub mod app;
pub mod draw;
pub mod fonts;
pub mod library;
mod library_conflicts;
mod library_words;
pub mod model;
pub mod preview;
pub mod settings;
#[cfg(test)]
mod tests;

use std::sync::mpsc;

use eframe::egui;

use crate::{
    answer::Answer,
    snapshot::{Command, Snapshot},
    sync::AnswerSink,
};

/// What the loop tells the screen.
#[derive(Debug, Clone)]
pub enum UiEvent {
    /// A new answer to show.
    Answer(Answer),
    /// The kiosk's state after a change.
    Snapshot(Snapshot),
}

/// The loop's side of the screen: sends answers and snapshots, and wakes the window.
pub struct ScreenSink {
    events: mpsc::Sender<UiEvent>,
    ctx: egui::Context,
    last: Option<Snapshot>,
}

impl ScreenSink {
    /// A sink that sends to `events` and wakes `ctx`.
    pub fn new(events: mpsc::Sender<UiEvent>, ctx: egui::Context) -> Self {
        Self {
            events,
            ctx,
            last: None,
        }
    }

    fn send(&mut self, event: UiEvent) {
        // A closed window (the app is stopping) is not the loop's problem.
        if self.events.send(event).is_ok() {
            self.ctx.request_repaint();
        }
    }
}

impl AnswerSink for ScreenSink {
    fn show(&mut self, answer: &Answer) {
        self.send(UiEvent::Answer(answer.clone()));
    }

    fn snapshot(&mut self, make: &dyn Fn() -> Snapshot) {
        let snapshot = make();
        if self.last.as_ref() != Some(&snapshot) {
            self.last = Some(snapshot.clone());
            self.send(UiEvent::Snapshot(snapshot));
        }
    }
}

/// The screen's side: what it receives, and where its commands go.
pub struct ScreenLink {
    /// Answers and snapshots from the loop.
    pub events: mpsc::Receiver<UiEvent>,
    /// Commands to the loop.
    pub commands: tokio::sync::mpsc::Sender<Command>,
    /// The camera's newest frame.
    pub preview: std::sync::Arc<preview::PreviewSlot>,
}
