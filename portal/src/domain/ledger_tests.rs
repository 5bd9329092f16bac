//! The ledger's rules, one case each: what a patron sees, what a loan, a renewal and a return do,
//! each refusal, and what "no block" and the ILS's reports change.

use jiff::{Timestamp, civil::date};
use shimin_sync::{
    ids::{EventId, KioskId},
    messages::{Authority, CircOp, CircRefusal, CircRequest, PatronBlock, V1},
};

use super::*;

const CARD: &str = "2000000005";
const BOOK: &str = "3000000000013";

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn request(op: CircOp, card: Option<&str>, item: Option<&str>) -> CircRequest {
    CircRequest {
        v: V1,
        request_id: EventId::new_v7(at("2026-12-03T01:00:00Z")),
        kiosk_id: KioskId::new("library1").unwrap(),
        op,
        authority: Authority::Ledger,
        card: card.map(str::to_owned),
        item: item.map(str::to_owned),
        occurred_at: at("2026-12-03T01:00:00Z"),
        no_block: false,
        title: None,
        due: None,
    }
}

fn loan(item: &str, due: jiff::civil::Date, renewals: u32) -> Loan {
    Loan {
        item_id: item.to_owned(),
        title: String::new(),
        lent_at: at("2026-11-20T01:00:00Z"),
        due_date: due,
        renewals,
    }
}

fn holder() -> LedgerView {
    LedgerView {
        holder: Some("市民".to_owned()),
        ..LedgerView::default()
    }
}

const TODAY: jiff::civil::Date = date(2026, 12, 3);

fn decide_now(request: &CircRequest, view: &LedgerView) -> Decision {
    decide(request, view, TODAY, &LedgerSettings::default())
}

#[test]
fn a_registered_card_borrows_for_the_loan_period() {
    let decision = decide_now(
        &request(CircOp::Checkout, Some(CARD), Some(BOOK)),
        &holder(),
    );
    assert_eq!(decision.answer.refused, None);
    assert_eq!(decision.answer.item.unwrap().due, Some(date(2026, 12, 17)));
    assert_eq!(
        decision.change,
        LoanChange::Lend {
            card: CARD.into(),
            item: BOOK.into(),
            title: String::new(),
            due: date(2026, 12, 17)
        }
    );
}

#[test]
fn refusals_name_the_reason_and_change_nothing() {
    let checkout = request(CircOp::Checkout, Some(CARD), Some(BOOK));
    let cases = [
        (LedgerView::default(), CircRefusal::UnknownCard),
        (
            LedgerView {
                item_loan: Some(("1111111116".into(), loan(BOOK, TODAY, 0))),
                ..holder()
            },
            CircRefusal::AlreadyLent,
        ),
        (
            LedgerView {
                card_loans: vec![loan("other", date(2026, 12, 2), 0)],
                ..holder()
            },
            CircRefusal::Blocked,
        ),
        (
            LedgerView {
                card_loans: (0..10).map(|n| loan(&n.to_string(), TODAY, 0)).collect(),
                ..holder()
            },
            CircRefusal::LoanLimit,
        ),
    ];
    for (view, reason) in cases {
        let decision = decide_now(&checkout, &view);
        assert_eq!(decision.answer.refused, Some(reason));
        assert_eq!(decision.change, LoanChange::Nothing);
    }
    let blocked = decide_now(
        &checkout,
        &LedgerView {
            card_loans: vec![loan("other", date(2026, 12, 2), 0)],
            ..holder()
        },
    );
    assert_eq!(
        blocked.answer.patron.unwrap().blocks,
        [PatronBlock::Overdue]
    );
}

#[test]
fn the_same_book_scanned_twice_stays_lent_as_it_was() {
    let view = LedgerView {
        item_loan: Some((CARD.into(), loan(BOOK, date(2026, 12, 10), 0))),
        ..holder()
    };
    let decision = decide_now(&request(CircOp::Checkout, Some(CARD), Some(BOOK)), &view);
    assert_eq!(decision.answer.refused, None);
    assert_eq!(decision.answer.item.unwrap().due, Some(date(2026, 12, 10)));
    assert_eq!(decision.change, LoanChange::Nothing);
}

#[test]
fn renewals_extend_from_today_up_to_the_limit() {
    let renew = request(CircOp::Renew, Some(CARD), Some(BOOK));
    let lent = |renewals| LedgerView {
        item_loan: Some((CARD.into(), loan(BOOK, date(2026, 12, 5), renewals))),
        ..holder()
    };
    let decision = decide_now(&renew, &lent(0));
    assert_eq!(
        decision.change,
        LoanChange::Renew {
            item: BOOK.into(),
            due: date(2026, 12, 17)
        }
    );
    assert_eq!(
        decide_now(&renew, &lent(1)).answer.refused,
        Some(CircRefusal::RenewalLimit)
    );
    assert_eq!(
        decide_now(&renew, &holder()).answer.refused,
        Some(CircRefusal::NotLent)
    );
}

#[test]
fn a_return_ends_the_loan_and_an_unknown_book_is_not_lent() {
    let checkin = request(CircOp::Checkin, None, Some(BOOK));
    let view = LedgerView {
        item_loan: Some((CARD.into(), loan(BOOK, TODAY, 0))),
        ..LedgerView::default()
    };
    assert_eq!(
        decide_now(&checkin, &view).change,
        LoanChange::Return { item: BOOK.into() }
    );
    let not_lent = decide_now(&checkin, &LedgerView::default());
    assert_eq!(not_lent.answer.refused, Some(CircRefusal::NotLent));
}

#[test]
fn offline_circulation_is_applied_whatever_the_blocks() {
    let mut checkout = request(CircOp::Checkout, Some(CARD), Some(BOOK));
    checkout.no_block = true;
    let view = LedgerView {
        card_loans: vec![loan("other", date(2026, 12, 1), 0)],
        item_loan: Some(("1111111116".into(), loan(BOOK, TODAY, 0))),
        ..LedgerView::default()
    };
    let decision = decide_now(&checkout, &view);
    assert_eq!(decision.answer.refused, None);
    assert!(matches!(decision.change, LoanChange::Lend { ref card, .. } if card == CARD));
    let mut checkin = request(CircOp::Checkin, None, Some(BOOK));
    checkin.no_block = true;
    let nothing_lent = decide_now(&checkin, &LedgerView::default());
    assert_eq!(nothing_lent.answer.refused, None);
    assert_eq!(
        nothing_lent.change,
        LoanChange::Return { item: BOOK.into() }
    );
}

#[test]
fn the_ils_reports_are_recorded_with_its_due_date_unless_older_than_the_last_change() {
    let mut report = request(CircOp::Checkout, Some(CARD), Some(BOOK));
    report.authority = Authority::Ils;
    report.title = Some("としょかんライオン".into());
    report.due = Some(date(2026, 12, 24));
    // A card no citizen registered: done for the ILS, nothing kept.
    let unregistered = decide_now(&report, &LedgerView::default());
    assert_eq!(unregistered.answer.refused, None);
    assert_eq!(unregistered.change, LoanChange::Nothing);
    let decision = decide_now(&report, &holder());
    assert_eq!(
        decision.change,
        LoanChange::Lend {
            card: CARD.into(),
            item: BOOK.into(),
            title: "としょかんライオン".into(),
            due: date(2026, 12, 24)
        }
    );
    // Returned at another kiosk after this loan: the late report changes nothing.
    let returned_later = LedgerView {
        item_latest: Some(at("2026-12-03T02:00:00Z")),
        ..holder()
    };
    let late = decide_now(&report, &returned_later);
    assert_eq!(late.answer.refused, None);
    assert_eq!(late.change, LoanChange::Nothing);
}

#[test]
fn a_patron_lookup_lists_loans_and_blocks() {
    let view = LedgerView {
        card_loans: vec![loan(BOOK, date(2026, 12, 1), 0)],
        ..holder()
    };
    let decision = decide_now(&request(CircOp::Patron, Some(CARD), None), &view);
    let patron = decision.answer.patron.unwrap();
    assert_eq!(patron.name, "市民");
    assert_eq!(patron.loans.len(), 1);
    assert_eq!(patron.blocks, [PatronBlock::Overdue]);
    let unknown = decide_now(
        &request(CircOp::Patron, Some(CARD), None),
        &LedgerView::default(),
    );
    assert_eq!(unknown.answer.refused, Some(CircRefusal::UnknownCard));
}
