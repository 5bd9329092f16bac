//! The library counter's session, as pure state: scan the patron's card (from the phone's
//! barcode or the card), then the books; each book is lent (or, in return mode, taken back;
//! in renewal mode, renewed) as soon as it is scanned, and the screen lists what happened to each in plain words.
//!
//! The state never waits for the library system: a scan becomes a [`Job`] at once, jobs are
//! done in order by the worker ([`super::worker`]), and their answers come back as
//! [`Answer`]s. The camera sees a barcode many times a second, so a code already handled in
//! this session is ignored; nothing the librarian scans is dropped. An NW-7 code is a card
//! when it passes the library's card rules (length, check digit and, where books carry NW-7
//! labels too, the cards' prefix); anything else is a book. A QR code that says it is
//! the portal's signed card (`SL1:`) is a card only if its signature checks
//! ([`CardPassCheck`]).

use std::sync::Arc;

use shimin_sync::{library::card::CardRules, library::card_pass::is_card_pass, pass::PassError};

use crate::decode::Symbology;

use super::{Block, Lent, Patron, Returned};

/// Lending or taking back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// 貸出: a patron, then their books.
    Lend,
    /// 返却: books only.
    Return,
    /// 延長: a patron, then the books they want to keep longer.
    Renew,
}

/// What the worker is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Look the patron up.
    Patron(String),
    /// Lend `item` to `card`.
    Lend {
        /// The patron's card.
        card: String,
        /// The item.
        item: String,
    },
    /// Take `item` back.
    Return(String),
    /// Renew `item` for `card`.
    Renew {
        /// The patron's card.
        card: String,
        /// The item.
        item: String,
    },
}

/// What the worker answers for a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The patron as the library system knows them.
    Patron(Patron),
    /// The library system cannot be reached: the patron is taken on trust (offline lending).
    PatronOffline(String),
    /// Lent by the library system.
    Lent(Lent),
    /// Renewed by the library system.
    Renewed(Lent),
    /// Taken back.
    Returned(Returned),
    /// Recorded while the library system is unreachable, to be sent later.
    Queued(String),
    /// The library system said no (its message, may be empty) for this item.
    Refused {
        /// The item.
        item: String,
        /// Why.
        message: String,
    },
}

/// One book's line on the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    /// Its barcode.
    pub item: String,
    /// Where it stands.
    pub state: ItemState,
}

/// Where a book stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    /// Sent, no answer yet.
    Waiting,
    /// Lent, with its title and due date when known.
    Lent(Lent),
    /// Renewed, with its new due date when known.
    Renewed(Lent),
    /// Taken back.
    Returned(Returned),
    /// Recorded offline.
    Queued,
    /// Refused, with the library system's message.
    Refused(String),
}

/// The counter's session.
#[derive(Clone)]
pub struct Counter {
    rules: CardRules,
    card_passes: Option<CardPassCheck>,
    /// Lending or return.
    pub mode: Mode,
    /// The card scanned, and the patron once known (`None` while asked, or offline).
    pub patron: Option<(String, Option<Patron>)>,
    /// The books of this session, in scan order.
    pub items: Vec<ItemLine>,
    /// A message for the librarian about the last scan (a code that is neither card nor book
    /// in this mode), cleared by the next good scan.
    pub notice: Option<Notice>,
}

/// A message about a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A book was scanned before a card in lending mode.
    CardFirst,
    /// The patron may not borrow.
    Blocked,
    /// The portal's card QR code could not be trusted (forged, expired, or the kiosk has not
    /// yet had the portal's keys).
    BadCardPass,
    /// A card was scanned in return mode.
    NotInReturn,
}

impl std::fmt::Debug for Counter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counter")
            .field("mode", &self.mode)
            .field("patron", &self.patron)
            .field("items", &self.items)
            .field("notice", &self.notice)
            .finish_non_exhaustive()
    }
}

/// Reads the card number from the portal's signed card QR code, checking its signature.
pub type CardPassCheck = Arc<dyn Fn(&str) -> Result<String, PassError> + Send + Sync>;

impl Counter {
    /// An empty session in `mode`.
    pub fn new(rules: CardRules, mode: Mode) -> Self {
        Self {
            rules,
            card_passes: None,
            mode,
            patron: None,
            items: Vec::new(),
            notice: None,
        }
    }

    /// Accepts the portal's signed card QR codes, checked by `check`.
    pub fn with_card_passes(mut self, check: CardPassCheck) -> Self {
        self.card_passes = Some(check);
        self
    }

    /// Ends the session (the patron leaves, or staff press 終了), keeping the mode.
    pub fn clear(&mut self) {
        let card_passes = self.card_passes.take();
        *self = Self::new(self.rules.clone(), self.mode);
        self.card_passes = card_passes;
    }

    /// Switches between lending and return, ending the session.
    pub fn switch(&mut self, mode: Mode) {
        self.mode = mode;
        self.clear();
    }

    /// The patron's blocks, when known.
    pub fn blocks(&self) -> &[Block] {
        match &self.patron {
            Some((_, Some(patron))) => &patron.blocks,
            _ => &[],
        }
    }

    /// A decoded code: the job it makes, if any (none for a repeat or a refused scan). A card
    /// is an NW-7 symbol (the card, or its barcode on the phone) or the portal's QR whose text
    /// is a card number by the library's rules; a Code 128 or EAN-13 label is always a book,
    /// even when its digits would pass for a card number.
    pub fn scan(&mut self, symbology: Symbology, text: &str) -> Option<Job> {
        let card = match symbology {
            Symbology::Qr if is_card_pass(text) => {
                let checked = match &self.card_passes {
                    Some(check) => check(text),
                    None => Err(PassError::NotAPass),
                };
                match checked.map(|card| self.rules.read(&card)) {
                    Ok(Ok(card)) => Some(card),
                    failed => {
                        let why = match failed {
                            Err(error) => error.code(),
                            _ => "not_a_card_of_this_library",
                        };
                        tracing::warn!(why, "a card QR code was refused");
                        self.notice = Some(Notice::BadCardPass);
                        return None;
                    }
                }
            }
            Symbology::Codabar | Symbology::Qr => self.rules.read(text).ok(),
            _ => None,
        };
        match (self.mode, card) {
            (Mode::Lend | Mode::Renew, Some(card)) => {
                if self
                    .patron
                    .as_ref()
                    .is_some_and(|(known, _)| *known == card)
                {
                    return None;
                }
                self.clear();
                self.patron = Some((card.clone(), None));
                Some(Job::Patron(card))
            }
            (Mode::Return, Some(_)) => {
                self.notice = Some(Notice::NotInReturn);
                None
            }
            (mode, None) => {
                let item = text.trim().to_owned();
                if item.is_empty() || self.items.iter().any(|line| line.item == item) {
                    return None;
                }
                let job = match (mode, &self.patron) {
                    (Mode::Return, _) => Job::Return(item.clone()),
                    (Mode::Lend | Mode::Renew, None) => {
                        self.notice = Some(Notice::CardFirst);
                        return None;
                    }
                    // The library system decides whether a renewal is allowed.
                    (Mode::Renew, Some((card, _))) => Job::Renew {
                        card: card.clone(),
                        item: item.clone(),
                    },
                    (Mode::Lend, Some(_)) if !self.blocks().is_empty() => {
                        self.notice = Some(Notice::Blocked);
                        return None;
                    }
                    (Mode::Lend, Some((card, _))) => Job::Lend {
                        card: card.clone(),
                        item: item.clone(),
                    },
                };
                self.notice = None;
                self.items.push(ItemLine {
                    item,
                    state: ItemState::Waiting,
                });
                Some(job)
            }
        }
    }

    /// A worker's answer. Answers for a session that has since ended are ignored.
    pub fn answer(&mut self, answer: Answer) {
        let line = |items: &mut Vec<ItemLine>, item: &str, state: ItemState| {
            if let Some(line) = items.iter_mut().find(|line| line.item == item) {
                line.state = state;
            }
        };
        match answer {
            Answer::Patron(patron) => {
                if let Some((card, known)) = &mut self.patron
                    && *card == patron.card
                {
                    *known = Some(patron);
                }
            }
            Answer::PatronOffline(_) => {}
            Answer::Lent(lent) => {
                let item = lent.item.clone();
                line(&mut self.items, &item, ItemState::Lent(lent));
            }
            Answer::Renewed(renewed) => {
                let item = renewed.item.clone();
                line(&mut self.items, &item, ItemState::Renewed(renewed));
            }
            Answer::Returned(returned) => {
                let item = returned.item.clone();
                line(&mut self.items, &item, ItemState::Returned(returned));
            }
            Answer::Queued(item) => line(&mut self.items, &item, ItemState::Queued),
            Answer::Refused { item, message } => {
                line(&mut self.items, &item, ItemState::Refused(message));
            }
        }
    }
}

#[cfg(test)]
#[path = "counter_tests.rs"]
mod tests;
