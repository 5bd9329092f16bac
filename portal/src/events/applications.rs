//! Applying for an event through the portal: who is confirmed, who waits, and who moves up
//! when someone cancels. [`Roster`] holds one event's applications in the order they came;
//! its methods only change that state, so the store can load a roster, apply a decision and
//! write it back in one transaction.

use jiff::Timestamp;

use super::model::{Application, Event, tokyo_civil};
use crate::i18n::Lang;

/// Where an application landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placement {
    /// 申込完了 — a place is kept.
    Confirmed,
    /// キャンセル待ち, `position` (1 is next) in the waiting list.
    Waitlisted {
        /// 1-based.
        position: u32,
    },
}

/// Why an application was refused; nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum ApplyError {
    /// The event takes no applications through the portal.
    NotThroughPortal,
    /// Applications are not open yet.
    NotOpenYet,
    /// Applications have closed (締切).
    Closed,
    /// The event has started or is over.
    Started,
    /// The family has applied already (confirmed or waiting).
    AlreadyApplied,
}

impl ApplyError {
    /// A stable name of the error, for the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotThroughPortal => "event_apply_not_through_portal",
            Self::NotOpenYet => "event_apply_not_open_yet",
            Self::Closed => "event_apply_closed",
            Self::Started => "event_apply_started",
            Self::AlreadyApplied => "event_apply_already_applied",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::NotThroughPortal if ja => "このイベントはポータルからは申し込めません".into(),
            Self::NotThroughPortal => "this event takes no applications on the portal".into(),
            Self::NotOpenYet if ja => "申込の受付はまだ始まっていません".into(),
            Self::NotOpenYet => "applications are not open yet".into(),
            Self::Closed if ja => "申込の受付は締め切りました".into(),
            Self::Closed => "applications have closed".into(),
            Self::Started if ja => "このイベントは開始済みまたは終了しています".into(),
            Self::Started => "the event has started or is over".into(),
            Self::AlreadyApplied if ja => "このイベントには申込済みです".into(),
            Self::AlreadyApplied => "you have applied for this event already".into(),
        }
    }
}

/// Whether `event` takes an application at `now`: through the portal, its window open, and
/// not started. The time checks only; see [`Roster::apply`] for the rest.
pub fn check_open(event: &Event, now: Timestamp) -> Result<(), ApplyError> {
    let Application::Portal { opens, closes } = &event.application else {
        return Err(ApplyError::NotThroughPortal);
    };
    if now >= event.time.start_at() {
        return Err(ApplyError::Started);
    }
    let civil = tokyo_civil(now);
    if opens.is_some_and(|opens| civil < opens) {
        return Err(ApplyError::NotOpenYet);
    }
    if closes.is_some_and(|closes| civil >= closes) {
        return Err(ApplyError::Closed);
    }
    Ok(())
}

/// Where the next application goes, given how many are confirmed and waiting.
pub fn placement(confirmed: u32, waiting: u32, capacity: Option<u32>) -> Placement {
    match capacity {
        Some(capacity) if confirmed >= capacity => Placement::Waitlisted {
            position: waiting.saturating_add(1),
        },
        _ => Placement::Confirmed,
    }
}

/// One event's applications: the confirmed families and the waiting list, each in the order
/// they applied. `F` is whatever names a family (an account id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster<F> {
    /// Confirmed, first come first.
    pub confirmed: Vec<F>,
    /// Waiting, next first.
    pub waiting: Vec<F>,
}

impl<F> Default for Roster<F> {
    fn default() -> Self {
        Self {
            confirmed: Vec::new(),
            waiting: Vec::new(),
        }
    }
}

impl<F: PartialEq> Roster<F> {
    /// Whether `family` has applied (confirmed or waiting).
    pub fn contains(&self, family: &F) -> bool {
        self.confirmed.contains(family) || self.waiting.contains(family)
    }

    /// Applies `family` for `event` at `now`: refused outside the window, after the start,
    /// or a second time; otherwise confirmed while there is room, else at the end of the
    /// waiting list.
    pub fn apply(
        &mut self,
        event: &Event,
        family: F,
        now: Timestamp,
    ) -> Result<Placement, ApplyError> {
        check_open(event, now)?;
        if self.contains(&family) {
            return Err(ApplyError::AlreadyApplied);
        }
        let count = |list: &Vec<F>| u32::try_from(list.len()).unwrap_or(u32::MAX);
        let placed = placement(count(&self.confirmed), count(&self.waiting), event.capacity);
        match placed {
            Placement::Confirmed => self.confirmed.push(family),
            Placement::Waitlisted { .. } => self.waiting.push(family),
        }
        Ok(placed)
    }

    /// Cancels `family`'s application. A confirmed family's place goes to the first on the
    /// waiting list, who is returned (to be told); a waiting family just leaves the list.
    /// `None` when the family had not applied. Whether cancelling is still allowed (before
    /// the start, say) is the caller's rule.
    pub fn cancel(&mut self, family: &F, capacity: Option<u32>) -> Option<Cancelled<&F>> {
        if let Some(index) = self.waiting.iter().position(|f| f == family) {
            self.waiting.remove(index);
            return Some(Cancelled {
                promoted: Vec::new(),
            });
        }
        let index = self.confirmed.iter().position(|f| f == family)?;
        self.confirmed.remove(index);
        let moved = self.fill(capacity);
        let kept = self.confirmed.len().saturating_sub(moved);
        Some(Cancelled {
            promoted: self.confirmed.iter().skip(kept).collect(),
        })
    }

    /// Moves families from the waiting list to confirmed while there is room (after a
    /// cancellation, or when staff raise the capacity); returns how many moved, who are the
    /// last of [`Roster::confirmed`].
    pub fn fill(&mut self, capacity: Option<u32>) -> usize {
        let room = match capacity {
            None => self.waiting.len(),
            Some(capacity) => usize::try_from(capacity)
                .unwrap_or(usize::MAX)
                .saturating_sub(self.confirmed.len()),
        };
        let moving = room.min(self.waiting.len());
        self.confirmed.extend(self.waiting.drain(..moving));
        moving
    }
}

/// What a cancellation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancelled<F> {
    /// The families moved from the waiting list to confirmed, in order (tell them).
    pub promoted: Vec<F>,
}
