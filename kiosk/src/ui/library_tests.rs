//! The library counter screen driven as a person would (egui_kittest, through the
//! accessibility tree): a card and two books scanned, the worker's answers arriving later, a
//! blocked patron in plain words, and the return mode.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, mpsc};

use egui_kittest::{Harness, kittest::Queryable};
use shimin_sync::library::card::CardRules;

use super::LibraryScreen;
use crate::{
    circulation::{
        Block, CircError, Circulation, Lent, NoBlock, Patron, Returned,
        counter::{Answer, Counter, Job, Mode},
        queue::{Kind, Queue},
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
    start_with(Arc::new(Queue::in_memory().unwrap()))
}

fn start_with(queue: Arc<Queue>) -> Desk {
    let (scans, scans_rx) = mpsc::channel();
    let (jobs_tx, jobs) = tokio::sync::mpsc::unbounded_channel();
    let (answers, answers_rx) = tokio::sync::mpsc::unbounded_channel();
    let screen = LibraryScreen::new(
        Counter::new(CardRules::default(), Mode::Lend),
        scans_rx,
        jobs_tx,
        answers_rx,
        Arc::clone(&queue),
        Arc::default(),
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

#[test]
fn staff_see_what_waits_and_check_off_what_the_library_system_refused() {
    let queue = Arc::new(Queue::in_memory().unwrap());
    let at = "2026-12-03T10:15:00".parse().unwrap();
    let due = "2026-12-17".parse().unwrap();
    queue.push(Kind::Lend, CARD, BOOK2, at, due).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let replayed = runtime.block_on(queue.replay(&mut Refuses)).unwrap();
    assert_eq!(replayed.conflicts, 1);
    queue.push(Kind::Lend, CARD, BOOK, at, due).unwrap();
    let mut counter = start_with(Arc::clone(&queue));
    counter.harness.run();
    assert!(text_on_screen(&counter, "未送信 1件"));
    counter.harness.get_by_label("要確認 1件").click();
    counter.harness.run();
    assert!(text_on_screen(
        &counter,
        "12/03 10:15 貸出 2100000005 3000000000027"
    ));
    assert!(text_on_screen(&counter, "Item already charged"));
    counter.harness.get_by_label("確認しました").click();
    counter.harness.run();
    assert!(queue.conflicts().unwrap().is_empty());
    assert!(text_on_screen(&counter, "確認が必要な記録はありません"));
    counter.harness.get_by_label("戻る").click();
    counter.harness.run();
    assert!(text_on_screen(
        &counter,
        "図書館利用カード（スマートフォンのバーコード）をかざしてください"
    ));
}

/// A library system that refuses every transaction, as one does a book lent to someone else.
struct Refuses;

#[async_trait::async_trait]
impl Circulation for Refuses {
    async fn patron(&mut self, _card: &str) -> Result<Patron, CircError> {
        Err(CircError::Refused(String::new()))
    }

    async fn lend(&mut self, _: &str, _: &str, _: Option<NoBlock>) -> Result<Lent, CircError> {
        Err(CircError::Refused("Item already charged".into()))
    }

    async fn renew(&mut self, _: &str, _: &str, _: Option<NoBlock>) -> Result<Lent, CircError> {
        Err(CircError::Refused(String::new()))
    }

    async fn give_back(&mut self, _: &str, _: Option<NoBlock>) -> Result<Returned, CircError> {
        Err(CircError::Refused(String::new()))
    }
}

#[test]
fn renewal_mode_renews_the_books_of_the_card_shown() {
    let mut counter = start();
    counter.harness.get_by_label("延長").click();
    counter.harness.run();
    counter.scans.send(code(Symbology::Codabar, CARD)).unwrap();
    counter.harness.run();
    counter
        .answers
        .send(Answer::Patron(hanako(Vec::new())))
        .unwrap();
    counter.harness.run();
    assert!(text_on_screen(
        &counter,
        "延長する本のバーコードをかざしてください"
    ));
    counter.scans.send(code(Symbology::Code128, BOOK)).unwrap();
    counter.harness.run();
    let mut sent = Vec::new();
    while let Ok(job) = counter.jobs.try_recv() {
        sent.push(job);
    }
    assert_eq!(
        sent,
        [
            Job::Patron(CARD.into()),
            Job::Renew {
                card: CARD.into(),
                item: BOOK.into()
            }
        ]
    );
    counter
        .answers
        .send(Answer::Renewed(Lent {
            item: BOOK.into(),
            title: "ぐりとぐら".into(),
            due: Some("2026-12-31".parse().unwrap()),
        }))
        .unwrap();
    counter.harness.run();
    assert!(text_on_screen(
        &counter,
        "延長しました。返却期限 2026-12-31"
    ));
}
