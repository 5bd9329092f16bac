//! The library counter's offline circulation as staff see it: how many transactions wait to be
//! sent, and the ones the library system refused on replay (要確認), each with when it happened,
//! the card, the book and the system's words, until a librarian marks it 確認しました.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use eframe::egui::{self, Color32, RichText, Ui};

use super::{
    draw::{AMBER, RED, big_button, tr},
    model::Lang,
};
use crate::circulation::queue::{Conflict, Kind, Queue};

/// How often the counts are read from the queue's store.
const REFRESH: Duration = Duration::from_secs(1);

/// The queue and what the screen last read of it.
pub struct OfflineView {
    queue: Arc<Queue>,
    read_at: Option<Instant>,
    pending: usize,
    conflicts: Vec<Conflict>,
    /// Whether the conflict list is open.
    pub open: bool,
}

impl OfflineView {
    /// A view of `queue`.
    pub fn new(queue: Arc<Queue>) -> Self {
        Self {
            queue,
            read_at: None,
            pending: 0,
            conflicts: Vec::new(),
            open: false,
        }
    }

    fn refresh(&mut self, force: bool) {
        if !force && self.read_at.is_some_and(|at| at.elapsed() < REFRESH) {
            return;
        }
        self.read_at = Some(Instant::now());
        match (self.queue.pending(), self.queue.conflicts()) {
            (Ok(pending), Ok(conflicts)) => {
                self.pending = pending.len();
                self.conflicts = conflicts;
            }
            (Err(error), _) | (_, Err(error)) => {
                tracing::error!(%error, "reading the offline circulation queue");
            }
        }
    }

    /// The status line: transactions waiting, and a button to the conflicts when there are any.
    pub fn status(&mut self, ui: &mut Ui, lang: Lang) {
        self.refresh(false);
        if self.pending > 0 {
            let text = match lang {
                Lang::Ja => format!("未送信 {}件", self.pending),
                Lang::En => format!("{} not sent yet", self.pending),
            };
            ui.label(RichText::new(text).size(22.0).color(AMBER));
        }
        if !self.conflicts.is_empty() {
            let text = match lang {
                Lang::Ja => format!("要確認 {}件", self.conflicts.len()),
                Lang::En => format!("{} to check", self.conflicts.len()),
            };
            if big_button(ui, &text, RED).clicked() {
                self.open = true;
            }
        }
    }

    /// The list of conflicts, for staff.
    pub fn panel(&mut self, ui: &mut Ui, lang: Lang) {
        self.refresh(false);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(tr(
                    lang,
                    "図書館システムが受け付けなかった記録",
                    "Refused by the library system",
                ))
                .size(28.0)
                .strong(),
            );
            if big_button(ui, tr(lang, "戻る", "Back"), Color32::DARK_GRAY).clicked() {
                self.open = false;
            }
        });
        if self.conflicts.is_empty() {
            ui.label(
                RichText::new(tr(
                    lang,
                    "確認が必要な記録はありません。",
                    "Nothing to check.",
                ))
                .size(24.0),
            );
        }
        let mut resolved = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            for conflict in &self.conflicts {
                let offline = &conflict.offline;
                let kind = match offline.kind {
                    Kind::Lend => tr(lang, "貸出", "Lend"),
                    Kind::Renew => tr(lang, "延長", "Renew"),
                    Kind::Return => tr(lang, "返却", "Return"),
                };
                let when = offline.at.strftime("%m/%d %H:%M");
                ui.horizontal_wrapped(|ui| {
                    let line = format!("{when} {kind} {} {}", offline.card, offline.item);
                    ui.label(RichText::new(line).size(22.0).strong());
                    ui.label(RichText::new(&conflict.message).size(22.0).color(RED));
                    if big_button(ui, tr(lang, "確認しました", "Checked"), AMBER).clicked() {
                        resolved = Some(offline.seq);
                    }
                });
                ui.separator();
            }
        });
        if let Some(seq) = resolved {
            if let Err(error) = self.queue.resolve(seq) {
                tracing::error!(%error, "marking a conflict as checked");
            }
            self.refresh(true);
        }
    }
}
