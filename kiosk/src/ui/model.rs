//! The screens and their transitions, as plain code (no egui): what is shown, for how long,
//! the staff PIN with its lock-out, and what a staff action asks the loop to do. The clock is
//! passed in, so tests drive it.

use jiff::{SignedDuration, Timestamp};
use shimin_sync::messages::EventKind;

use crate::{
    answer::Answer,
    snapshot::{Command, Snapshot},
};

/// How long an accepted answer stays on screen.
pub const ACCEPTED_FOR: SignedDuration = SignedDuration::from_secs(4);
/// How long a refusal stays (it has more to read).
pub const REFUSED_FOR: SignedDuration = SignedDuration::from_secs(7);
/// Staff screens close by themselves after this long untouched.
pub const STAFF_IDLE: SignedDuration = SignedDuration::from_mins(2);
/// Wrong PINs before the PIN pad locks.
pub const MAX_PIN_FAILURES: u32 = 5;
/// How long it stays locked.
pub const PIN_LOCK: SignedDuration = SignedDuration::from_mins(1);
/// How many recent records the staff screen lists for correction.
pub const RECENT: usize = 10;

/// The screen's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 日本語 (the default).
    Ja,
    /// English.
    En,
}

/// Which screen is up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// The center screen: camera, occupancy, the latest answer.
    Center,
    /// The staff PIN pad.
    Pin {
        /// Digits typed so far.
        entered: String,
        /// Wrong PINs in a row.
        failures: u32,
        /// Locked until then after too many wrong PINs.
        locked_until: Option<Timestamp>,
    },
    /// The staff screen: who is in, recent records, by-hand check-out and corrections.
    Staff,
}

/// Everything the screen shows.
#[derive(Debug, Clone)]
pub struct Model {
    /// The language.
    pub lang: Lang,
    /// The screen up now.
    pub screen: Screen,
    /// The loop's latest state, once it has sent one.
    pub snapshot: Option<Snapshot>,
    /// The answer on screen and since when.
    pub answer: Option<(Answer, Timestamp)>,
    /// Recent new records (newest first), for staff corrections.
    pub recent: Vec<(Answer, Timestamp)>,
    /// The last time anyone touched a staff screen.
    touched: Timestamp,
    /// The staff PIN (`None`: staff screens are off).
    pin: Option<String>,
}

impl Model {
    /// The center screen, in Japanese, with staff screens behind `pin`.
    pub fn new(pin: Option<String>, now: Timestamp) -> Self {
        Self {
            lang: Lang::Ja,
            screen: Screen::Center,
            snapshot: None,
            answer: None,
            recent: Vec::new(),
            touched: now,
            pin: pin.filter(|p| !p.is_empty()),
        }
    }

    /// Whether staff screens can be opened at all.
    pub fn has_staff(&self) -> bool {
        self.pin.is_some()
    }

    /// A new answer from the loop.
    pub fn answered(&mut self, answer: Answer, now: Timestamp) {
        if answer.screen == "accepted" && !answer.repeat && answer.guardian.is_some() {
            self.recent.insert(0, (answer.clone(), now));
            self.recent.truncate(RECENT);
        }
        self.answer = Some((answer, now));
    }

    /// The loop's new state.
    pub fn updated(&mut self, snapshot: Snapshot) {
        self.snapshot = Some(snapshot);
    }

    /// Time passes: answers go away, idle staff screens close.
    pub fn tick(&mut self, now: Timestamp) {
        if let Some((answer, at)) = &self.answer {
            let keep = if answer.screen == "accepted" {
                ACCEPTED_FOR
            } else {
                REFUSED_FOR
            };
            if now >= *at + keep {
                self.answer = None;
            }
        }
        if self.screen != Screen::Center && now >= self.touched + STAFF_IDLE {
            self.screen = Screen::Center;
        }
    }

    /// Switches between Japanese and English.
    pub fn toggle_lang(&mut self) {
        self.lang = match self.lang {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        };
    }

    /// Opens the PIN pad (when staff screens are on).
    pub fn open_staff(&mut self, now: Timestamp) {
        if self.pin.is_some() && self.screen == Screen::Center {
            self.touched = now;
            self.screen = Screen::Pin {
                entered: String::new(),
                failures: 0,
                locked_until: None,
            };
        }
    }

    /// Back to the center screen.
    pub fn close_staff(&mut self) {
        self.screen = Screen::Center;
    }

    /// A digit (or `None` for ←) on the PIN pad.
    pub fn pin_key(&mut self, digit: Option<char>, now: Timestamp) {
        self.touched = now;
        if let Screen::Pin {
            entered,
            locked_until,
            ..
        } = &mut self.screen
        {
            if locked_until.is_some_and(|until| now < until) {
                return;
            }
            match digit {
                Some(d) if d.is_ascii_digit() && entered.len() < 12 => entered.push(d),
                Some(_) => {}
                None => {
                    entered.pop();
                }
            }
        }
    }

    /// OK on the PIN pad: the staff screen, or one more failure (and the lock after too many).
    pub fn pin_submit(&mut self, now: Timestamp) {
        self.touched = now;
        let Screen::Pin {
            entered,
            failures,
            locked_until,
        } = &mut self.screen
        else {
            return;
        };
        if locked_until.is_some_and(|until| now < until) {
            return;
        }
        if self.pin.as_deref() == Some(entered.as_str()) {
            self.screen = Screen::Staff;
            return;
        }
        entered.clear();
        *failures += 1;
        if *failures >= MAX_PIN_FAILURES {
            *failures = 0;
            *locked_until = Some(now + PIN_LOCK);
        }
    }

    /// Staff check a family that is in out by hand.
    pub fn check_out(&mut self, index: usize, now: Timestamp) -> Option<Command> {
        self.by_hand(EventKind::CheckOut, index, now)
    }

    /// Staff check a family that left today back in by hand (back without the phone).
    pub fn check_in(&mut self, index: usize, now: Timestamp) -> Option<Command> {
        self.by_hand(EventKind::CheckIn, index, now)
    }

    /// A by-hand event for row `index` of the families in (to check out) or of those who
    /// left today (to check in).
    fn by_hand(&mut self, kind: EventKind, index: usize, now: Timestamp) -> Option<Command> {
        self.touched = now;
        if self.screen != Screen::Staff {
            return None;
        }
        let snapshot = self.snapshot.as_ref()?;
        let (rows, note) = match kind {
            EventKind::CheckOut => (&snapshot.present, "職員による退室"),
            EventKind::CheckIn => (&snapshot.left, "職員による入室"),
        };
        let family = rows.get(index)?;
        Some(Command::Manual {
            kind,
            guardian: family.guardian,
            children: family.children.clone(),
            note: note.to_owned(),
        })
    }

    /// Staff undo a recent record (the opposite event for the same children).
    pub fn undo(&mut self, index: usize, now: Timestamp) -> Option<Command> {
        self.touched = now;
        if self.screen != Screen::Staff {
            return None;
        }
        let (answer, _) = self.recent.get(index)?;
        let kind = match answer.kind? {
            EventKind::CheckIn => EventKind::CheckOut,
            EventKind::CheckOut => EventKind::CheckIn,
        };
        let command = Command::Manual {
            kind,
            guardian: answer.guardian?,
            children: answer.children.clone(),
            note: "職員による取り消し".to_owned(),
        };
        self.recent.remove(index);
        Some(command)
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
