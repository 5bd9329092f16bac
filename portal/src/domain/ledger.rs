//! The portal's loan ledger, as pure rules (PROTOCOL.md §13.3): what a library counter kiosk's
//! request does to the loans, and what the kiosk is told. The store reads a [`LedgerView`]
//! and applies the [`Decision`] in one transaction; nothing here does I/O.

use jiff::{Timestamp, ToSpan, civil::Date};
use serde::{Deserialize, Serialize};
use shimin_sync::messages::{
    Authority, CircAnswer, CircItem, CircOp, CircPatron, CircRefusal, CircRequest, PatronBlock, V1,
};

/// One item on loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loan {
    /// The item's barcode.
    pub item_id: String,
    /// Its title, as the library system gave it (may be empty).
    pub title: String,
    /// When it was lent.
    pub lent_at: Timestamp,
    /// When it is due back.
    pub due_date: Date,
    /// How many times it was renewed.
    pub renewals: u32,
}

/// The ledger's rules (`[library.ledger]`), for a library without a system of its own.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LedgerSettings {
    /// Days an item is lent for, counted from the day of the loan (Asia/Tokyo). Default 14.
    pub loan_days: i32,
    /// The most items one card may have. Default 10.
    pub max_loans: usize,
    /// How often one loan may be renewed. Default 1.
    pub max_renewals: u32,
}

impl Default for LedgerSettings {
    fn default() -> Self {
        Self {
            loan_days: 14,
            max_loans: 10,
            max_renewals: 1,
        }
    }
}

/// What the ledger knows when it decides one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerView {
    /// The family name of whoever registered the request's card; `None`: nobody has.
    pub holder: Option<String>,
    /// What is lent on the request's card, soonest due first.
    pub card_loans: Vec<Loan>,
    /// The request's item, if it is lent now: to which card, and the loan.
    pub item_loan: Option<(String, Loan)>,
    /// When the latest request that changed the item's loan happened.
    pub item_latest: Option<Timestamp>,
}

/// A change to the loans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoanChange {
    /// Nothing changes.
    Nothing,
    /// The item is lent to the card now (replacing any loan it had).
    Lend {
        /// The card.
        card: String,
        /// The item.
        item: String,
        /// Its title (may be empty).
        title: String,
        /// Due back.
        due: Date,
    },
    /// The item's loan is renewed.
    Renew {
        /// The item.
        item: String,
        /// The new due date.
        due: Date,
    },
    /// The item is back.
    Return {
        /// The item.
        item: String,
    },
}

/// What one request does: the change, and the answer the kiosk gets (and gets again if it
/// resends the request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The change to apply.
    pub change: LoanChange,
    /// The answer.
    pub answer: CircAnswer,
}

/// Why the patron may not borrow, seen from their loans on `today`.
pub fn blocks(loans: &[Loan], today: Date, settings: &LedgerSettings) -> Vec<PatronBlock> {
    let mut blocks = Vec::new();
    if loans.iter().any(|loan| loan.due_date < today) {
        blocks.push(PatronBlock::Overdue);
    }
    if loans.len() >= settings.max_loans {
        blocks.push(PatronBlock::TooMany);
    }
    blocks
}

fn item_of(loan: &Loan) -> CircItem {
    CircItem {
        item: loan.item_id.clone(),
        title: loan.title.clone(),
        due: Some(loan.due_date),
    }
}

/// The patron as a kiosk is told.
pub fn patron(card: &str, view: &LedgerView, today: Date, settings: &LedgerSettings) -> CircPatron {
    CircPatron {
        card: card.to_owned(),
        name: view.holder.clone().unwrap_or_default(),
        loans: view.card_loans.iter().map(item_of).collect(),
        blocks: blocks(&view.card_loans, today, settings),
    }
}

/// Decides `request` on `today` (the request's own day in Asia/Tokyo).
pub fn decide(
    request: &CircRequest,
    view: &LedgerView,
    today: Date,
    settings: &LedgerSettings,
) -> Decision {
    let card = request.card.clone().unwrap_or_default();
    let item = request.item.clone().unwrap_or_default();
    let done = |item: Option<CircItem>, change: LoanChange| Decision {
        change,
        answer: CircAnswer {
            v: V1,
            request_id: request.request_id,
            refused: None,
            patron: None,
            item,
            detail: None,
        },
    };
    let refuse = |reason: CircRefusal, detail: &str| Decision {
        change: LoanChange::Nothing,
        answer: CircAnswer::refusal(request.request_id, reason, detail),
    };
    // A report (or replay) older than what last changed the item records nothing: a later
    // return elsewhere must not be undone by a late loan.
    let stale = view
        .item_latest
        .is_some_and(|latest| request.occurred_at < latest);
    let lent_to = view
        .item_loan
        .as_ref()
        .map(|(card, loan)| (card.as_str(), loan));
    let due = |days: i32| today.checked_add(days.days()).unwrap_or(today);
    let trusted = request.authority == Authority::Ils || request.no_block;
    // The ILS reports every patron's loans; the portal keeps only those of cards a citizen
    // registered (the others' reading is none of its business).
    let unregistered_report = request.authority == Authority::Ils && view.holder.is_none();
    match request.op {
        CircOp::Patron => {
            if view.holder.is_none() {
                return refuse(CircRefusal::UnknownCard, "no citizen registered this card");
            }
            let mut decision = done(None, LoanChange::Nothing);
            decision.answer.patron = Some(patron(&card, view, today, settings));
            decision
        }
        CircOp::Checkout => {
            if stale || unregistered_report {
                return done(Some(item_with(&item, request, None)), LoanChange::Nothing);
            }
            if request.authority == Authority::Ledger
                && let Some((_, loan)) = lent_to.filter(|(holder, _)| *holder == card)
            {
                // Scanned twice: it is lent already, as before.
                return done(Some(item_of(loan)), LoanChange::Nothing);
            }
            if !trusted {
                if view.holder.is_none() {
                    return refuse(CircRefusal::UnknownCard, "no citizen registered this card");
                }
                if lent_to.is_some() {
                    return refuse(CircRefusal::AlreadyLent, "the item is lent to another card");
                }
                let blocks = blocks(&view.card_loans, today, settings);
                if blocks.contains(&PatronBlock::Overdue) {
                    let mut decision = refuse(CircRefusal::Blocked, "overdue items");
                    decision.answer.patron = Some(patron(&card, view, today, settings));
                    return decision;
                }
                if blocks.contains(&PatronBlock::TooMany) {
                    return refuse(CircRefusal::LoanLimit, "as many items as the library lends");
                }
            }
            let due = request.due.unwrap_or_else(|| due(settings.loan_days));
            let title = request.title.clone().unwrap_or_default();
            done(
                Some(item_with(&item, request, Some(due))),
                LoanChange::Lend {
                    card,
                    item: item.clone(),
                    title,
                    due,
                },
            )
        }
        CircOp::Renew => {
            if stale || unregistered_report {
                return done(Some(item_with(&item, request, None)), LoanChange::Nothing);
            }
            let loan = lent_to
                .filter(|(holder, _)| *holder == card)
                .map(|(_, l)| l);
            let Some(loan) = loan else {
                if request.authority == Authority::Ils {
                    // The ILS renewed a loan the portal never heard of: record it as lent.
                    let due = request.due.unwrap_or_else(|| due(settings.loan_days));
                    return done(
                        Some(item_with(&item, request, Some(due))),
                        LoanChange::Lend {
                            card,
                            item: item.clone(),
                            title: request.title.clone().unwrap_or_default(),
                            due,
                        },
                    );
                }
                if request.no_block {
                    return done(Some(item_with(&item, request, None)), LoanChange::Nothing);
                }
                return refuse(CircRefusal::NotLent, "the item is not lent to this card");
            };
            if !trusted && loan.renewals >= settings.max_renewals {
                return refuse(CircRefusal::RenewalLimit, "renewed as often as allowed");
            }
            let due = request.due.unwrap_or_else(|| due(settings.loan_days));
            let mut answered = item_of(loan);
            answered.due = Some(due);
            done(Some(answered), LoanChange::Renew { item, due })
        }
        CircOp::Checkin => {
            let title = lent_to.map(|(_, loan)| loan.title.clone());
            let answered = CircItem {
                item: item.clone(),
                title: title.or_else(|| request.title.clone()).unwrap_or_default(),
                due: None,
            };
            if stale {
                return done(Some(answered), LoanChange::Nothing);
            }
            // A trusted return of an item not known as lent still counts as the item's latest
            // change: a loan reported late (from before it) must not bring the loan back.
            match lent_to {
                Some(_) => done(Some(answered), LoanChange::Return { item }),
                None if trusted => done(Some(answered), LoanChange::Return { item }),
                None => refuse(CircRefusal::NotLent, "the item is not lent"),
            }
        }
    }
}

fn item_with(item: &str, request: &CircRequest, due: Option<Date>) -> CircItem {
    CircItem {
        item: item.to_owned(),
        title: request.title.clone().unwrap_or_default(),
        due: due.or(request.due),
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
