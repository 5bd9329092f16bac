//! The library counter's screen: 貸出 (lending) and 返却 (return) as two large buttons, the
//! patron and any block in plain words, and every book scanned with what became of it. Scans
//! arrive from the camera thread; the [`Counter`] turns each into a job for the circulation
//! worker at once, and the worker's answers fill the lines in as they come.

use std::sync::{Arc, mpsc};

use eframe::egui::{self, Color32, RichText, Ui};

use super::{
    draw::{AMBER, BLUE, GREEN, RED, big_button, tr},
    library_conflicts::OfflineView,
    library_words::{block_words, item_words, notice_words},
    model::Lang,
    preview::{PreviewSlot, PreviewTexture},
};
use crate::{
    circulation::{
        counter::{Answer, Counter, Job, Mode},
        queue::Queue,
    },
    decode::Decoded,
};

/// The counter screen and its channels.
pub struct LibraryScreen {
    counter: Counter,
    lang: Lang,
    scans: mpsc::Receiver<Decoded>,
    jobs: tokio::sync::mpsc::UnboundedSender<Job>,
    answers: tokio::sync::mpsc::UnboundedReceiver<Answer>,
    /// The patron was taken on trust (the library system did not answer).
    offline: bool,
    /// The offline queue: what waits, and what the library system refused.
    queue: OfflineView,
    /// The camera's newest frame, from the decoding thread.
    preview: Arc<PreviewSlot>,
    camera: PreviewTexture,
}

impl LibraryScreen {
    /// A screen in `counter`'s mode, fed by `scans`, asking the worker through `jobs`, showing
    /// what waits in `queue` and the camera's view from `preview`.
    pub fn new(
        counter: Counter,
        scans: mpsc::Receiver<Decoded>,
        jobs: tokio::sync::mpsc::UnboundedSender<Job>,
        answers: tokio::sync::mpsc::UnboundedReceiver<Answer>,
        queue: Arc<Queue>,
        preview: Arc<PreviewSlot>,
    ) -> Self {
        Self {
            counter,
            lang: Lang::Ja,
            scans,
            jobs,
            answers,
            offline: false,
            queue: OfflineView::new(queue),
            preview,
            camera: PreviewTexture::default(),
        }
    }

    /// Takes what arrived: scans become jobs, answers fill the session in.
    fn take(&mut self) {
        while let Ok(code) = self.scans.try_recv() {
            let job = self.counter.scan(code.symbology, &code.text);
            tracing::debug!(text = %code.text, symbology = %code.symbology, ?job, "counter scan");
            if let Some(job) = job {
                if matches!(job, Job::Patron(_)) {
                    self.offline = false;
                }
                if self.jobs.send(job).is_err() {
                    tracing::error!("the circulation worker stopped");
                }
            }
        }
        while let Ok(answer) = self.answers.try_recv() {
            if let Answer::PatronOffline(card) = &answer
                && self.counter.patron.as_ref().is_some_and(|(c, _)| c == card)
            {
                self.offline = true;
            }
            self.counter.answer(answer);
        }
    }

    /// Draws the screen.
    pub fn frame(&mut self, ui: &mut Ui) {
        self.take();
        self.camera.update(ui.ctx(), &self.preview);
        let lang = self.lang;
        egui::CentralPanel::default().show(ui, |ui| {
            if self.queue.open {
                self.queue.panel(ui, lang);
                return;
            }
            ui.horizontal(|ui| {
                for (mode, ja, en) in [
                    (Mode::Lend, "貸出", "Lend"),
                    (Mode::Return, "返却", "Return"),
                    (Mode::Renew, "延長", "Renew"),
                ] {
                    let fill = if self.counter.mode == mode {
                        BLUE
                    } else {
                        Color32::GRAY
                    };
                    if big_button(ui, tr(lang, ja, en), fill).clicked() {
                        self.counter.switch(mode);
                        self.offline = false;
                    }
                }
                if big_button(ui, tr(lang, "終了", "Done"), GREEN).clicked() {
                    self.counter.clear();
                    self.offline = false;
                }
                let other = match lang {
                    Lang::Ja => Lang::En,
                    Lang::En => Lang::Ja,
                };
                if big_button(ui, tr(lang, "English", "日本語"), Color32::DARK_GRAY).clicked() {
                    self.lang = other;
                }
                self.queue.status(ui, lang);
            });
            ui.add_space(12.0);
            ui.columns(2, |columns| {
                self.patron(&mut columns[0], lang);
                self.notice(&mut columns[0], lang);
                columns[0].add_space(8.0);
                self.items(&mut columns[0], lang);
                let width = columns[1].available_width();
                self.camera.show(&mut columns[1], width);
            });
        });
    }

    fn notice(&self, ui: &mut Ui, lang: Lang) {
        if let Some(notice) = self.counter.notice {
            let text = notice_words(lang, notice);
            ui.label(RichText::new(text).size(24.0).color(AMBER));
        }
    }

    fn patron(&self, ui: &mut Ui, lang: Lang) {
        match (self.counter.mode, &self.counter.patron) {
            (Mode::Return, _) => {
                ui.label(
                    RichText::new(tr(
                        lang,
                        "返却する本のバーコードをかざしてください。",
                        "Show the barcode of each book you return.",
                    ))
                    .size(28.0),
                );
            }
            (Mode::Lend | Mode::Renew, None) => {
                ui.label(
                    RichText::new(tr(
                        lang,
                        "図書館利用カード（スマートフォンのバーコード）をかざしてください。",
                        "Show your library card (or its barcode on your phone).",
                    ))
                    .size(28.0),
                );
            }
            (Mode::Lend | Mode::Renew, Some((card, None))) => {
                let text = if self.offline {
                    tr(
                        lang,
                        "図書館システムにつながりません。貸出は記録して、あとで送ります。",
                        "The library system is not answering: lendings are recorded and sent later.",
                    )
                } else {
                    tr(lang, "カードを確認しています…", "Checking the card…")
                };
                ui.label(RichText::new(format!("{card}  {text}")).size(24.0));
            }
            (mode, Some((_, Some(patron)))) => {
                let name = if patron.name.is_empty() {
                    patron.card.clone()
                } else {
                    format!("{} {}", patron.name, tr(lang, "さん", ""))
                };
                ui.label(RichText::new(name).size(32.0).strong());
                if !patron.loans.is_empty() {
                    let count = patron.loans.len();
                    let on_loan = match lang {
                        Lang::Ja => format!("貸出中の本: {count}冊"),
                        Lang::En => format!("On loan: {count}"),
                    };
                    ui.label(RichText::new(on_loan).size(22.0));
                }
                let prompt = if mode == Mode::Renew {
                    // The library system decides each renewal; a block does not stop the asking.
                    Some(tr(
                        lang,
                        "延長する本のバーコードをかざしてください。",
                        "Show the barcode of each book to renew.",
                    ))
                } else {
                    patron.blocks.is_empty().then(|| {
                        tr(
                            lang,
                            "本のバーコードをかざしてください。",
                            "Show the barcode of each book.",
                        )
                    })
                };
                if let Some(prompt) = prompt {
                    ui.label(RichText::new(prompt).size(24.0).color(GREEN));
                }
                for block in &patron.blocks {
                    ui.label(
                        RichText::new(block_words(lang, *block))
                            .size(24.0)
                            .color(RED),
                    );
                }
                if let Some(message) = &patron.message {
                    ui.label(RichText::new(message).size(20.0));
                }
            }
        }
    }

    fn items(&self, ui: &mut Ui, lang: Lang) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            for line in self.counter.items.iter().rev() {
                let (title, state, color) = item_words(lang, line);
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(title).size(24.0).strong());
                    ui.label(RichText::new(state).size(22.0).color(color));
                });
                ui.separator();
            }
        });
    }
}

#[cfg(test)]
#[path = "library_tests.rs"]
mod tests;
