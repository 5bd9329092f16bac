//! The library counter screen driven as a person would (egui_kittest, through the
//! accessibility tree): a card and two books scanned, the worker's answers arriving later, a
//! blocked patron in plain words, and the return mode.

#![allow(clippy::unwrap_used)]

use std::sync::mpsc;

use egui_kittest::{Harness, kittest::Queryable};
use shimin_sync::library::card::CardRules;

use super::LibraryScreen;
use crate::{
    circulation::{
        Block, Lent, Patron,
        counter::{Answer, Counter, Job, Mode},
    },
    decode::{Decoded, Symbology},
    ui::fonts,
};

fn code(symbology: Symbology, text: &str) -> Decoded {
    Decoded {
        symbology,
        text: text.into(),
    }
}

const CARD: &str = "2100000005";
const BOOK: &str = "3000000000019";
const BOOK2: &str = "3000000000027";

struct Desk {
    harness: Harness<'static, LibraryScreen>,
    scans: mpsc::Sender<Decoded>,
    jobs: tokio::sync::mpsc::UnboundedReceiver<Job>,
    answers: tokio::sync::mpsc::UnboundedSender<Answer>,
}

fn start() -> Desk {
    let (scans, scans_rx) = mpsc::channel();
    let (jobs_tx, jobs) = tokio::sync::mpsc::unbounded_channel();
    let (answers, answers_rx) = tokio::sync::mpsc::unbounded_channel();
    let screen = LibraryScreen::new(
        Counter::new(CardRules::default(), Mode::Lend),
        scans_rx,
        jobs_tx,
        answers_rx,
    );
    let font = fonts::find(None).expect("fonts-noto-cjk (scripts/test installs it)");
    let harness = Harness::builder()
        .with_size([1024.0, 600.0])
        .with_context_setup(move |ctx| fonts::install(ctx, &font).unwrap())
        .build_ui_state(|ui, screen: &mut LibraryScreen| screen.frame(ui), screen);
    Desk {
        harness,
        scans,
        jobs,
        answers,
    }
}

fn hanako(blocks: Vec<Block>) -> Patron {
    Patron {
        card: CARD.into(),
        name: "山田 花子".into(),
        blocks,
        loans: Vec::new(),
        message: None,
    }
}

fn text_on_screen(counter: &Desk, needle: &str) -> bool {
    counter
        .harness
        .query_all_by_label_contains(needle)
        .next()
        .is_some()
}

#[test]
fn a_card_then_two_books_are_lent_as_the_answers_come() {
    let mut counter = start();
    assert!(text_on_screen(
        &counter,
        "図書館利用カード（スマートフォンのバーコード）をかざしてください"
    ));
    for scanned in [
        code(Symbology::Codabar, &format!("A{CARD}A")),
        code(Symbology::Code128, BOOK),
        code(Symbology::Code128, BOOK),
        code(Symbology::Ean13, BOOK2),
    ] {
        counter.scans.send(scanned).unwrap();
    }
    counter.harness.run();
    // Three jobs at once, the repeated book once only.
    let mut sent = Vec::new();
    while let Ok(job) = counter.jobs.try_recv() {
        sent.push(job);
    }
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(text_on_screen(&counter, "カードを確認しています"));
    assert_eq!(
        counter
            .harness
            .query_all_by_label_contains("処理しています")
            .count(),
        2
    );

    counter
        .answers
        .send(Answer::Patron(hanako(Vec::new())))
        .unwrap();
    counter
        .answers
        .send(Answer::Lent(Lent {
            item: BOOK.into(),
            title: "ぐりとぐら".into(),
            due: Some("2026-12-17".parse().unwrap()),
        }))
        .unwrap();
    counter.answers.send(Answer::Queued(BOOK2.into())).unwrap();
    counter.harness.run();
    assert!(text_on_screen(&counter, "山田 花子 さん"));
    assert!(text_on_screen(&counter, "ぐりとぐら"));
    assert!(text_on_screen(
        &counter,
        "貸出しました。返却期限 2026-12-17"
    ));
    assert!(text_on_screen(&counter, "記録しました"));

    // 終了: the next patron starts from the card.
    counter.harness.get_by_label("終了").click();
    counter.harness.run();
    assert!(!text_on_screen(&counter, "ぐりとぐら"));
}

#[test]
fn a_blocked_patron_is_told_why_in_plain_words_and_no_book_is_sent() {
    let mut counter = start();
    counter.scans.send(code(Symbology::Codabar, CARD)).unwrap();
    counter.harness.run();
    let mut blocked = hanako(vec![Block::Overdue]);
    blocked.loans = vec![BOOK2.into()];
    counter.answers.send(Answer::Patron(blocked)).unwrap();
    counter.harness.run();
    assert!(text_on_screen(&counter, "返却期限を過ぎた本があります"));
    assert!(text_on_screen(&counter, "貸出中の本: 1冊"));
    counter.scans.send(code(Symbology::Code128, BOOK)).unwrap();
    counter.harness.run();
    assert!(text_on_screen(&counter, "このかたには貸出できません"));
    let mut sent = Vec::new();
    while let Ok(job) = counter.jobs.try_recv() {
        sent.push(job);
    }
    assert_eq!(sent, [Job::Patron(CARD.into())]);
}

#[test]
fn return_mode_takes_books_back() {
    let mut counter = start();
    counter.harness.get_by_label("返却").click();
    counter.harness.run();
    assert!(text_on_screen(
        &counter,
        "返却する本のバーコードをかざしてください"
    ));
    counter.scans.send(code(Symbology::Code128, BOOK)).unwrap();
    counter.harness.run();
    assert_eq!(counter.jobs.try_recv().ok(), Some(Job::Return(BOOK.into())));
    counter
        .answers
        .send(Answer::Refused {
            item: BOOK.into(),
            message: "Item not checked out".into(),
        })
        .unwrap();
    counter.harness.run();
    assert!(text_on_screen(&counter, "できませんでした"));
}
