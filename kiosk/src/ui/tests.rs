//! The screens driven as a person would, with egui_kittest (through the accessibility tree) and
//! a fixed clock: a scan's answer and its timeout, a refusal, the offline banner with events
//! waiting, the staff PIN, a by-hand check-out and an undo reaching the loop as commands.

use std::sync::{Arc, mpsc};

use egui_kittest::{Harness, kittest::Queryable};
use jiff::{SignedDuration, Timestamp};
use shimin_sync::{
    ids::{ChildNo, EventId, GuardianId},
    messages::{CongestionLevel, EventKind},
};

use super::{ScreenLink, UiEvent, app::KioskApp, fonts, settings::UiSettings};
use crate::{
    answer::{Answer, LocalOccupancy, Refusal},
    clock::{Clock, FakeClock},
    snapshot::{Command, FamilyRow, Snapshot},
    visits::Visit,
};

struct Screen {
    harness: Harness<'static, KioskApp>,
    events: mpsc::Sender<UiEvent>,
    commands: tokio::sync::mpsc::Receiver<Command>,
    clock: Arc<FakeClock>,
}

fn start() -> Screen {
    let clock = Arc::new(FakeClock::new("2026-12-02T01:00:00Z".parse().unwrap())); // 10:00 in Tokyo
    let (events, events_rx) = mpsc::channel();
    let (commands_tx, commands) = tokio::sync::mpsc::channel(8);
    let settings = UiSettings {
        staff_pin: Some("2468".into()),
        ..UiSettings::default()
    };
    let app = KioskApp::new(
        &settings,
        ScreenLink {
            events: events_rx,
            commands: commands_tx,
            preview: Arc::default(),
        },
        Arc::clone(&clock) as Arc<dyn Clock>,
    );
    let font = fonts::find(None).expect("fonts-noto-cjk (scripts/test installs it)");
    let harness = Harness::builder()
        .with_size([1024.0, 600.0])
        .with_context_setup(move |ctx| fonts::install(ctx, &font).unwrap())
        .build_ui_state(|ui, app: &mut KioskApp| app.frame(ui), app);
    Screen {
        harness,
        events,
        commands,
        clock,
    }
}

fn occupancy(families: u32) -> LocalOccupancy {
    LocalOccupancy {
        families_in: families,
        children_in: families * 2,
        level: CongestionLevel::Vacant,
    }
}

fn snapshot(online: bool, pending: usize) -> Snapshot {
    Snapshot {
        online,
        pending,
        center_name: Some("西条子育て支援センター".into()),
        capacity: 12,
        occupancy: occupancy(1),
        present: vec![FamilyRow {
            guardian: GuardianId(uuid::Uuid::from_u128(1)),
            children: vec![ChildNo::new(1).unwrap(), ChildNo::new(2).unwrap()],
            at: "2026-12-02T00:30:00Z".parse().unwrap(),
            names: Vec::new(),
        }],
        left: vec![FamilyRow {
            guardian: GuardianId(uuid::Uuid::from_u128(3)),
            children: vec![ChildNo::new(1).unwrap()],
            at: "2026-12-02T00:45:00Z".parse().unwrap(),
            names: vec!["そら".into()],
        }],
        today: vec![
            Visit {
                event_id: EventId::new_v7("2026-12-02T00:45:00Z".parse().unwrap()),
                at: "2026-12-02T00:45:00Z".parse().unwrap(),
                kind: EventKind::CheckOut,
                guardian: GuardianId(uuid::Uuid::from_u128(3)),
                children: vec![ChildNo::new(1).unwrap()],
                names: vec!["そら".into()],
                manual: true,
            },
            Visit {
                event_id: EventId::new_v7("2026-12-02T00:30:00Z".parse().unwrap()),
                at: "2026-12-02T00:30:00Z".parse().unwrap(),
                kind: EventKind::CheckIn,
                guardian: GuardianId(uuid::Uuid::from_u128(1)),
                children: vec![ChildNo::new(1).unwrap(), ChildNo::new(2).unwrap()],
                names: Vec::new(),
                manual: false,
            },
        ],
        today_check_ins: 1,
    }
}

fn check_in(now: Timestamp) -> Answer {
    let children = vec![ChildNo::new(1).unwrap(), ChildNo::new(2).unwrap()];
    let mut answer = Answer::accepted(
        EventKind::CheckIn,
        children,
        EventId::new_v7(now),
        occupancy(2),
    );
    answer.guardian = Some(GuardianId(uuid::Uuid::from_u128(2)));
    answer.names = vec!["はると".into(), "ゆい".into()];
    answer
}

impl Screen {
    fn send(&mut self, event: UiEvent) {
        self.events.send(event).unwrap();
        self.harness.run();
    }

    fn has(&self, text: &str) -> bool {
        self.harness.query_by_label_contains(text).is_some()
    }
}

#[test]
fn a_check_in_greets_then_goes_back_to_the_scanning_screen() {
    let mut screen = start();
    screen.harness.run();
    assert!(screen.has("QRコードをカメラにかざしてください"));
    screen.send(UiEvent::Snapshot(snapshot(true, 0)));
    assert!(screen.has("西条子育て支援センター"));
    assert!(screen.has("オンライン"));
    assert!(screen.has("定員 12組"));
    assert!(screen.has("10:00"), "the clock in Tokyo time");
    let now = screen.clock.now();
    screen.send(UiEvent::Answer(check_in(now)));
    assert!(screen.has("おかえりなさい"));
    assert!(screen.has("はるとさん・ゆいさん"));
    assert!(screen.has("チェックインしました（お子さま2人）"));
    screen.clock.advance(SignedDuration::from_secs(5));
    screen.harness.run();
    assert!(!screen.has("おかえりなさい"));
    assert!(screen.has("QRコードをカメラにかざしてください"));
}

#[test]
fn a_refusal_says_why_and_english_is_one_tap_away() {
    let mut screen = start();
    screen.send(UiEvent::Snapshot(snapshot(true, 0)));
    screen.send(UiEvent::Answer(Answer::refused(
        Refusal::Expired,
        occupancy(1),
    )));
    assert!(screen.has("ご確認ください"));
    screen.harness.get_by_label("English").click();
    screen.harness.run();
    assert!(screen.has("Please check"));
    assert!(screen.has("In now"));
    assert!(screen.has("日本語"));
}

#[test]
fn offline_with_events_waiting_is_shown() {
    let mut screen = start();
    screen.send(UiEvent::Snapshot(snapshot(false, 3)));
    assert!(screen.has("オフライン"));
    assert!(screen.has("送信待ち 3件"));
}

#[test]
fn staff_open_with_the_pin_check_a_family_out_and_undo_a_scan() {
    let mut screen = start();
    screen.send(UiEvent::Snapshot(snapshot(true, 0)));
    let now = screen.clock.now();
    screen.send(UiEvent::Answer(check_in(now)));
    screen.harness.get_by_label("職員").click();
    screen.harness.run();
    assert!(screen.has("職員用暗証番号"));
    for key in ["1", "1", "1", "1", "OK"] {
        screen.harness.get_by_label(key).click();
        screen.harness.run();
    }
    assert!(screen.has("暗証番号が違います"));
    for key in ["2", "4", "6", "8", "OK"] {
        screen.harness.get_by_label(key).click();
        screen.harness.run();
    }
    assert!(screen.has("いま利用中のご家族"));
    assert!(screen.has("お子さま2人 ・ 09:30から"));
    assert!(screen.has("本日の記録（この端末・入室1件）"));
    assert!(screen.has("09:45 退室 ・ そらさん（職員が入力）"));
    assert!(screen.has("09:30 入室 ・ お子さま2人"));
    assert!(
        screen.has("入室 ・ はるとさん・ゆいさん"),
        "the recent scan, by name"
    );
    screen.harness.get_by_label("退室にする").click();
    screen.harness.run();
    let Ok(Command::Manual { kind, children, .. }) = screen.commands.try_recv() else {
        panic!("no command from 退室にする");
    };
    assert_eq!(kind, EventKind::CheckOut);
    assert_eq!(children.len(), 2);
    assert!(screen.has("本日退室したご家族"));
    assert!(screen.has("そらさん ・ 09:45まで"));
    screen.harness.get_by_label("入室にする").click();
    screen.harness.run();
    let Ok(Command::Manual { kind, children, .. }) = screen.commands.try_recv() else {
        panic!("no command from 入室にする");
    };
    assert_eq!((kind, children.len()), (EventKind::CheckIn, 1));
    screen.harness.get_by_label("取り消す").click();
    screen.harness.run();
    let Ok(Command::Manual { kind, note, .. }) = screen.commands.try_recv() else {
        panic!("no command from 取り消す");
    };
    assert_eq!(kind, EventKind::CheckOut, "the check-in is undone");
    assert!(note.contains("取り消し"));
    screen.harness.get_by_label("戻る").click();
    screen.clock.advance(SignedDuration::from_secs(5));
    screen.harness.run();
    assert!(screen.has("QRコードをカメラにかざしてください"));
    assert_eq!(
        screen.harness.state().model().screen,
        super::model::Screen::Center
    );
}
