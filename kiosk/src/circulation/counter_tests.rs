#![allow(clippy::unwrap_used)]

use super::*;
use crate::decode::Symbology::{Codabar, Code128, Ean13, Qr};

const CARD: &str = "2100000005";
const OTHER_CARD: &str = "2100000013";
const BOOK: &str = "3000000000019";
const BOOK2: &str = "3000000000027";

fn patron(card: &str, blocks: Vec<Block>) -> Patron {
    Patron {
        card: card.into(),
        name: "山田 花子".into(),
        blocks,
        loans: Vec::new(),
        message: None,
    }
}

fn lent(item: &str) -> Lent {
    Lent {
        item: item.into(),
        title: "ぐりとぐら".into(),
        due: Some("2026-12-17".parse().unwrap()),
    }
}

#[test]
fn a_card_then_books_makes_one_job_each_and_repeats_none() {
    let mut counter = Counter::new(CardRules::default(), Mode::Lend);
    // The card as the camera reads its NW-7 barcode.
    assert_eq!(
        counter.scan(Codabar, &format!("A{CARD}A")),
        Some(Job::Patron(CARD.into()))
    );
    assert_eq!(counter.scan(Codabar, CARD), None, "the same card again");
    let lend = |item: &str| Job::Lend {
        card: CARD.into(),
        item: item.into(),
    };
    // Books are lent while the patron is still being looked up: nothing waits.
    assert_eq!(counter.scan(Code128, BOOK), Some(lend(BOOK)));
    assert_eq!(counter.scan(Code128, BOOK), None, "a book seen twice");
    assert_eq!(counter.scan(Ean13, BOOK2), Some(lend(BOOK2)));
    counter.answer(Answer::Patron(patron(CARD, Vec::new())));
    counter.answer(Answer::Lent(lent(BOOK2)));
    counter.answer(Answer::Queued(BOOK.into()));
    assert_eq!(counter.items[0].state, ItemState::Queued);
    assert_eq!(counter.items[1].state, ItemState::Lent(lent(BOOK2)));
    assert_eq!(
        counter.patron.as_ref().unwrap().1.as_ref().unwrap().name,
        "山田 花子"
    );
}

#[test]
fn a_book_before_a_card_or_for_a_blocked_patron_is_not_lent() {
    let mut counter = Counter::new(CardRules::default(), Mode::Lend);
    assert_eq!(counter.scan(Code128, BOOK), None);
    assert_eq!(counter.notice, Some(Notice::CardFirst));
    counter.scan(Codabar, CARD);
    counter.answer(Answer::Patron(patron(CARD, vec![Block::Overdue])));
    assert_eq!(counter.blocks(), [Block::Overdue]);
    assert_eq!(counter.scan(Code128, BOOK), None);
    assert_eq!(counter.notice, Some(Notice::Blocked));
    assert!(counter.items.is_empty());
}

#[test]
fn a_new_card_starts_a_new_session_and_late_answers_are_ignored() {
    let mut counter = Counter::new(CardRules::default(), Mode::Lend);
    counter.scan(Codabar, CARD);
    counter.scan(Code128, BOOK);
    assert_eq!(
        counter.scan(Qr, OTHER_CARD),
        Some(Job::Patron(OTHER_CARD.into()))
    );
    assert!(counter.items.is_empty());
    // The first patron's answers arrive late: they change nothing of the second's session.
    counter.answer(Answer::Patron(patron(CARD, Vec::new())));
    counter.answer(Answer::Lent(lent(BOOK)));
    assert_eq!(counter.patron, Some((OTHER_CARD.into(), None)));
    assert!(counter.items.is_empty());
}

#[test]
fn return_mode_takes_books_back_and_ignores_cards() {
    let mut counter = Counter::new(CardRules::default(), Mode::Lend);
    counter.scan(Codabar, CARD);
    counter.switch(Mode::Return);
    assert_eq!(counter.patron, None);
    assert_eq!(counter.scan(Code128, BOOK), Some(Job::Return(BOOK.into())));
    assert_eq!(counter.scan(Codabar, CARD), None);
    assert_eq!(counter.notice, Some(Notice::NotInReturn));
    counter.answer(Answer::Refused {
        item: BOOK.into(),
        message: "Item not checked out".into(),
    });
    assert_eq!(
        counter.items[0].state,
        ItemState::Refused("Item not checked out".into())
    );
}

#[test]
fn a_book_label_is_a_book_even_when_its_digits_pass_for_a_card() {
    let mut counter = Counter::new(CardRules::default(), Mode::Lend);
    counter.scan(Codabar, CARD);
    // A Code 128 label whose digits are a valid card number.
    assert_eq!(
        counter.scan(Code128, OTHER_CARD),
        Some(Job::Lend {
            card: CARD.into(),
            item: OTHER_CARD.into()
        })
    );
}

#[test]
fn renewal_mode_asks_for_the_card_then_renews_each_book() {
    let mut counter = Counter::new(CardRules::default(), Mode::Renew);
    assert_eq!(counter.scan(Code128, BOOK), None);
    assert_eq!(counter.notice, Some(Notice::CardFirst));
    assert_eq!(counter.scan(Codabar, CARD), Some(Job::Patron(CARD.into())));
    // A block does not stop the asking: the library system decides each renewal.
    counter.answer(Answer::Patron(patron(CARD, vec![Block::Overdue])));
    let renew = Job::Renew {
        card: CARD.into(),
        item: BOOK.into(),
    };
    assert_eq!(counter.scan(Code128, BOOK), Some(renew));
    let renewed = Lent {
        due: Some("2026-12-31".parse().unwrap()),
        ..lent(BOOK)
    };
    counter.answer(Answer::Renewed(renewed.clone()));
    assert_eq!(counter.items[0].state, ItemState::Renewed(renewed));
}

#[test]
fn the_portals_signed_card_qr_is_a_card_only_when_its_signature_checks() {
    let check: CardPassCheck = Arc::new(|text: &str| match text {
        "SL1:GOOD" => Ok(CARD.to_owned()),
        "SL1:OTHER-LIBRARY" => Ok("12".to_owned()),
        _ => Err(PassError::BadSignature),
    });
    let mut counter = Counter::new(CardRules::default(), Mode::Lend).with_card_passes(check);
    assert_eq!(counter.scan(Qr, "SL1:FORGED"), None);
    assert_eq!(counter.notice, Some(Notice::BadCardPass));
    assert!(counter.items.is_empty(), "a refused card QR is not a book");
    assert_eq!(counter.scan(Qr, "SL1:OTHER-LIBRARY"), None);
    assert_eq!(counter.notice, Some(Notice::BadCardPass));
    assert_eq!(counter.scan(Qr, "SL1:GOOD"), Some(Job::Patron(CARD.into())));
    // Ending the session keeps the check.
    counter.clear();
    assert_eq!(counter.scan(Qr, "SL1:GOOD"), Some(Job::Patron(CARD.into())));
    // A kiosk without the portal's keys trusts no card QR.
    let mut bare = Counter::new(CardRules::default(), Mode::Lend);
    assert_eq!(bare.scan(Qr, "SL1:GOOD"), None);
    assert_eq!(bare.notice, Some(Notice::BadCardPass));
}
