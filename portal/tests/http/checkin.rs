//! Check-in/out on the portal, below MQTT: passes signed for a guardian's own children, kiosk
//! credentials, kiosk events applied exactly once whatever the order and repeats, occupancy in
//! the API and the live stream, the closing-time check-out the staff see.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use axum::{
    body::Body,
    http::{Method, Request, StatusCode},
};
use futures_util::StreamExt;
use jiff::{SignedDuration, Timestamp};
use portal::{
    checkin::Outbound,
    domain::{Email, centers::CenterInput, family::ChildInput},
    store::{Account, AccountStore},
};
use serde_json::{Value, json};
use shimin_sync::{
    ids::{CenterId, ChildNo, EventId, GuardianId, KioskId},
    messages::{self, Ack, EventKind, KioskEvent, RejectReason, V1},
    pass::{self, PassNonce},
    topics::{Topic, kiosk_client_id},
};
use tower::ServiceExt;

const ADMIN: &str = "admin@city.example.jp";
const MOTHER: &str = "hanako@example.jp";

pub(crate) fn now(app: &TestApp) -> Timestamp {
    portal::clock::Clock::now(&app.clock)
}

async fn account(app: &TestApp, email: &str) -> Account {
    app.parts
        .store
        .find_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account
}

/// A city with the center `chuo` (open 08:30–16:00, 4 families), its kiosk, and a mother of two.
pub(crate) async fn city(app: &TestApp) -> (Account, Account, KioskId, String) {
    app.admin(ADMIN).await;
    app.citizen(MOTHER, "山田", "花子").await;
    let admin = account(app, ADMIN).await;
    let mother = account(app, MOTHER).await;
    let input = CenterInput {
        center_id: "chuo".into(),
        name: "中央子育て支援センター".into(),
        address: "西条栄町8-29".into(),
        capacity: "4".into(),
        opens: "08:30".into(),
        closes: "16:00".into(),
    };
    let center = app
        .parts
        .state
        .centers
        .create(&admin, &input)
        .await
        .unwrap();
    let credentials = app
        .parts
        .state
        .checkin
        .register_kiosk(&admin, &center, "受付")
        .await
        .unwrap();
    for given in ["さくら", "蓮"] {
        let child = ChildInput {
            family_name: "山田".into(),
            given_name: given.into(),
            sex: "sex_female".into(),
            birth_date: "2023-09-15".into(),
            relationship: "rel_mother".into(),
        };
        app.parts
            .state
            .family
            .add_child(&mother, &child)
            .await
            .unwrap();
    }
    (
        admin,
        mother,
        credentials.kiosk.kiosk_id,
        credentials.password,
    )
}

pub(crate) fn event(
    kiosk: &KioskId,
    guardian: &Account,
    kind: EventKind,
    at: Timestamp,
) -> KioskEvent {
    KioskEvent {
        v: V1,
        event_id: EventId::new_v7(at),
        kiosk_id: kiosk.clone(),
        center_id: CenterId::new("chuo").unwrap(),
        kind,
        guardian_id: GuardianId(guardian.account_id.0),
        children: vec![ChildNo::new(1).unwrap(), ChildNo::new(2).unwrap()],
        pass_nonce: Some(PassNonce(rand::random())),
        occurred_at: at,
        manual: false,
        staff_note: None,
    }
}

pub(crate) async fn deliver(app: &TestApp, kiosk: &KioskId, event: &KioskEvent) {
    let topic = Topic::KioskEvents(kiosk.clone()).to_string();
    app.parts
        .state
        .checkin
        .handle_message(&topic, messages::encode(event).as_bytes())
        .await
        .unwrap();
}

/// Every ack queued for the broker since the last call.
fn drain_acks(app: &mut TestApp) -> Vec<Ack> {
    let mut acks = Vec::new();
    while let Ok(Outbound { topic, payload, .. }) = app.parts.outbound.try_recv() {
        if topic.ends_with("/acks") {
            acks.push(messages::decode::<Ack>(payload.as_bytes()).unwrap());
        }
    }
    acks
}

async fn occupancy(app: &TestApp) -> Value {
    let resp = app.get("/api/v1/centers/chuo").await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    serde_json::from_str(&resp.body).unwrap()
}

#[tokio::test]
async fn a_guardian_gets_a_signed_pass_for_her_own_children_only() {
    let app = TestApp::new();
    let (_, mother, _, _) = city(&app).await;
    let token = app.api_token(MOTHER, PASSWORD).await;
    let resp = app
        .api(
            Method::POST,
            "/api/v1/passes",
            Some(json!({"children": [2, 1, 2]})),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    let body: Value = serde_json::from_str(&resp.body).unwrap();
    let text = body["text"].as_str().unwrap();
    // With the children's given names the code stays within QR version 9.
    assert!(
        text.starts_with("SP1:") && text.len() <= portal::checkin::passes::NAMED_PASS_MAX_LEN,
        "{text}"
    );
    let keys = app.parts.state.checkin.key_set().await.unwrap();
    let verified = pass::verify(text, &keys, now(&app)).unwrap();
    assert_eq!(verified.guardian_id.0, mother.account_id.0);
    assert_eq!(
        verified
            .children
            .iter()
            .map(|c| c.get())
            .collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(
        verified.expires_at.duration_since(verified.issued_at),
        SignedDuration::from_mins(5)
    );
    // Six minutes later the same text is refused: a screenshot stops working.
    let later = now(&app) + SignedDuration::from_mins(7);
    assert!(pass::verify(text, &keys, later).is_err());

    for bad in [json!({"children": [3]}), json!({"children": []})] {
        let resp = app
            .api(Method::POST, "/api/v1/passes", Some(bad), Some(&token))
            .await;
        assert_eq!(
            resp.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            resp.body
        );
    }
    let anonymous = app
        .api(
            Method::POST,
            "/api/v1/passes",
            Some(json!({"children": [1]})),
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_pass_page_shows_a_fresh_qr_code_that_is_never_cached() {
    let app = TestApp::new();
    city(&app).await;
    let mut browser = app.browser();
    browser.login(MOTHER, PASSWORD).await;
    let page = browser.get("/kosodate/pass").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("山田 さくら") && page.body.contains("山田 蓮"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("pass-qr"),
        "no code before children are chosen"
    );
    let chosen = browser.get("/kosodate/pass?c=2").await;
    assert!(
        chosen.body.contains("/kosodate/pass/qr.svg?c=2"),
        "{}",
        chosen.body
    );
    assert!(chosen.body.contains("/static/pass.js"));
    let first = browser.get("/kosodate/pass/qr.svg?c=2").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.headers["content-type"], "image/svg+xml");
    assert_eq!(first.headers["cache-control"], "no-store");
    assert!(first.body.contains("<svg"));
    let second = browser.get("/kosodate/pass/qr.svg?c=2").await;
    assert_ne!(
        first.body, second.body,
        "every code is a new pass (new nonce)"
    );
    assert_eq!(
        browser.get("/kosodate/pass/qr.svg?c=9").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/kosodate/pass/qr.svg?c=1").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn child_numbers_are_never_reused_in_an_account() {
    let app = TestApp::new();
    let (_, mother, _, _) = city(&app).await;
    let family = &app.parts.state.family;
    let children = family.children(&mother).await.unwrap();
    family
        .delete_child(&mother, children[1].child_id)
        .await
        .unwrap();
    let child = ChildInput {
        family_name: "山田".into(),
        given_name: "葵".into(),
        sex: "sex_female".into(),
        birth_date: "2024-01-01".into(),
        relationship: "rel_mother".into(),
    };
    family.add_child(&mother, &child).await.unwrap();
    let numbers: Vec<u16> = family
        .children(&mother)
        .await
        .unwrap()
        .iter()
        .map(|child| child.child_no.get())
        .collect();
    assert_eq!(numbers.len(), 2);
    assert!(numbers.contains(&1) && numbers.contains(&3), "{numbers:?}");
}

#[tokio::test]
async fn kiosks_log_in_with_their_own_credentials_until_retired() {
    let app = TestApp::new();
    let (admin, _, kiosk, password) = city(&app).await;
    let checkin = &app.parts.state.checkin;
    let client = kiosk_client_id(&kiosk);
    assert!(
        checkin
            .authenticate(&client, kiosk.as_str(), &password, "p")
            .await
    );
    assert!(
        !checkin
            .authenticate(&client, kiosk.as_str(), "wrong", "p")
            .await
    );
    assert!(
        !checkin
            .authenticate("someone-else", kiosk.as_str(), &password, "p")
            .await
    );
    assert!(
        checkin
            .authenticate("shimin-portal-1", "portal", "p", "p")
            .await
    );
    assert!(
        !checkin
            .authenticate("shimin-portal-1", "portal", "", "")
            .await
    );

    // Over the admin page: the credentials are shown once.
    let mut browser = app.browser();
    browser.login(ADMIN, PASSWORD).await;
    let page = browser
        .submit(
            "/admin/centers/chuo",
            "/admin/centers/chuo/kiosks",
            &[("label", "入口")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("chuo-2"), "{}", page.body);
    let listed = browser.get("/admin/centers/chuo").await;
    assert!(listed.body.contains("chuo-1") && listed.body.contains("入口"));

    assert!(checkin.retire_kiosk(&admin, &kiosk).await.unwrap());
    assert!(
        !checkin
            .authenticate(&client, kiosk.as_str(), &password, "p")
            .await
    );
}

#[tokio::test]
async fn each_event_counts_once_whatever_the_repeats_and_the_order() {
    let mut app = TestApp::new();
    let (_, mother, kiosk, _) = city(&app).await;
    let now = now(&app);
    let check_in = event(&kiosk, &mother, EventKind::CheckIn, now);
    deliver(&app, &kiosk, &check_in).await;
    deliver(&app, &kiosk, &check_in).await; // the ack was lost: the kiosk sends it again
    let acks = drain_acks(&mut app);
    assert_eq!(acks.len(), 2);
    assert!(acks.iter().all(|ack| ack.accepted == [check_in.event_id]));
    let now_in = occupancy(&app).await;
    assert_eq!(
        (
            now_in["families_in"].as_u64(),
            now_in["children_in"].as_u64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(now_in["level"], "vacant");

    // The same pass again with another event id: a screenshot used at a second kiosk.
    let reused = KioskEvent {
        event_id: EventId::new_v7(now + SignedDuration::from_secs(60)),
        occurred_at: now + SignedDuration::from_secs(60),
        kind: EventKind::CheckOut,
        ..check_in.clone()
    };
    deliver(&app, &kiosk, &reused).await;
    let ack = drain_acks(&mut app).pop().unwrap();
    assert_eq!(ack.rejected[0].reason, RejectReason::PassReused);
    assert_eq!(occupancy(&app).await["children_in"], 2);

    // A check-out made later arrives before an older check-in of another kiosk's backlog.
    let out = event(
        &kiosk,
        &mother,
        EventKind::CheckOut,
        now + SignedDuration::from_mins(90),
    );
    let old_in = event(
        &kiosk,
        &mother,
        EventKind::CheckIn,
        now + SignedDuration::from_mins(30),
    );
    deliver(&app, &kiosk, &out).await;
    deliver(&app, &kiosk, &old_in).await;
    assert_eq!(
        occupancy(&app).await["children_in"],
        0,
        "the latest event wins"
    );
    assert_eq!(
        drain_acks(&mut app)
            .iter()
            .map(|ack| ack.accepted.len())
            .sum::<usize>(),
        2
    );
}

#[tokio::test]
async fn bad_events_are_refused_with_a_reason_and_change_nothing() {
    let mut app = TestApp::new();
    let (_, mother, kiosk, _) = city(&app).await;
    let now = now(&app);
    let other_kiosk = KioskId::new("chuo-9").unwrap();
    let cases: Vec<(KioskId, KioskEvent, RejectReason)> = vec![
        (
            other_kiosk.clone(),
            event(&other_kiosk, &mother, EventKind::CheckIn, now),
            RejectReason::UnknownKiosk,
        ),
        (
            kiosk.clone(),
            event(&other_kiosk, &mother, EventKind::CheckIn, now),
            RejectReason::TopicMismatch,
        ),
        (
            kiosk.clone(),
            KioskEvent {
                center_id: CenterId::new("kita").unwrap(),
                ..event(&kiosk, &mother, EventKind::CheckIn, now)
            },
            RejectReason::WrongCenter,
        ),
        (
            kiosk.clone(),
            KioskEvent {
                guardian_id: GuardianId(uuid::Uuid::now_v7()),
                ..event(&kiosk, &mother, EventKind::CheckIn, now)
            },
            RejectReason::UnknownGuardian,
        ),
        (
            kiosk.clone(),
            KioskEvent {
                children: vec![ChildNo::new(7).unwrap()],
                ..event(&kiosk, &mother, EventKind::CheckIn, now)
            },
            RejectReason::UnknownChild,
        ),
    ];
    for (topic_kiosk, bad, reason) in cases {
        deliver(&app, &topic_kiosk, &bad).await;
        let ack = drain_acks(&mut app).pop().expect("an ack");
        assert_eq!(ack.rejected[0].event_id, bad.event_id);
        assert_eq!(ack.rejected[0].reason, reason);
    }
    let topic = Topic::KioskEvents(kiosk.clone()).to_string();
    let checkin = &app.parts.state.checkin;
    // Valid JSON with an id but not an event, a newer version, garbage, and an oversized one.
    let id = EventId::new_v7(now);
    checkin
        .handle_message(&topic, format!(r#"{{"v":1,"event_id":"{id}"}}"#).as_bytes())
        .await
        .unwrap();
    checkin
        .handle_message(&topic, format!(r#"{{"v":2,"event_id":"{id}"}}"#).as_bytes())
        .await
        .unwrap();
    checkin.handle_message(&topic, b"not json").await.unwrap();
    checkin
        .handle_message(&topic, &vec![b' '; 70 * 1024])
        .await
        .unwrap();
    let reasons: Vec<RejectReason> = drain_acks(&mut app)
        .iter()
        .map(|ack| ack.rejected[0].reason)
        .collect();
    assert_eq!(
        reasons,
        [RejectReason::Malformed, RejectReason::UnsupportedVersion]
    );
    assert_eq!(occupancy(&app).await["children_in"], 0);
}

#[tokio::test]
async fn the_live_stream_starts_with_the_state_and_follows_each_change() {
    let app = TestApp::new();
    let (_, mother, kiosk, _) = city(&app).await;
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get("/kosodate/centers/events")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body().into_data_stream();
    let first = String::from_utf8(body.next().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(
        first.contains("event: occupancy") && first.contains("\"families_in\":0"),
        "{first}"
    );
    deliver(
        &app,
        &kiosk,
        &event(&kiosk, &mother, EventKind::CheckIn, now(&app)),
    )
    .await;
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), body.next())
        .await
        .expect("a change within 5 s")
        .unwrap()
        .unwrap();
    let next = String::from_utf8(next.to_vec()).unwrap();
    assert!(
        next.contains("\"families_in\":1") && next.contains("\"children_in\":2"),
        "{next}"
    );
}

#[tokio::test]
async fn children_still_in_at_closing_are_checked_out_and_the_staff_see_it() {
    let app = TestApp::new();
    let (_, mother, kiosk, _) = city(&app).await;
    deliver(
        &app,
        &kiosk,
        &event(&kiosk, &mother, EventKind::CheckIn, now(&app)),
    )
    .await;
    assert_eq!(occupancy(&app).await["children_in"], 2);
    // 16:30 in Tokyo.
    app.clock.advance(SignedDuration::from_mins(7 * 60 + 30));
    app.parts.state.checkin.tick().await.unwrap();
    let closed = occupancy(&app).await;
    assert_eq!(
        (closed["children_in"].as_u64(), closed["level"].as_str()),
        (Some(0), Some("closed"))
    );

    let mut browser = app.browser();
    browser.login(ADMIN, PASSWORD).await;
    let visits = browser
        .get("/admin/centers/chuo/visits?date=2025-04-01")
        .await;
    assert_eq!(visits.status, StatusCode::OK);
    assert!(visits.body.contains("automatic-notice"), "{}", visits.body);
    assert!(visits.body.contains("閉館時の自動退室") && visits.body.contains("さくら"));
    // A citizen may not read the visit history.
    let mut citizen = app.browser();
    citizen.login(MOTHER, PASSWORD).await;
    assert_eq!(
        citizen.get("/admin/centers/chuo/visits").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_backlog_is_applied_at_once_with_one_ack_per_kiosk() {
    let mut app = TestApp::new();
    let (_, mother, kiosk, _) = city(&app).await;
    let topic = Topic::KioskEvents(kiosk.clone()).to_string();
    let start = now(&app);
    // A day offline: 601 alternating check-ins and check-outs, one delivered twice.
    let events: Vec<KioskEvent> = (0..601)
        .map(|i| {
            let kind = if i % 2 == 0 {
                EventKind::CheckIn
            } else {
                EventKind::CheckOut
            };
            event(
                &kiosk,
                &mother,
                kind,
                start + SignedDuration::from_secs(i * 10),
            )
        })
        .collect();
    let mut messages: Vec<(String, Vec<u8>)> = events
        .iter()
        .map(|event| (topic.clone(), messages::encode(event).into_bytes()))
        .collect();
    messages.push(messages[10].clone());
    app.parts
        .state
        .checkin
        .handle_messages(messages)
        .await
        .unwrap();
    let acks = drain_acks(&mut app);
    assert_eq!(acks.len(), 2, "602 settled ids in acks of at most 500");
    assert_eq!(
        acks.iter().map(|ack| ack.accepted.len()).sum::<usize>(),
        602
    );
    assert!(acks.iter().all(|ack| ack.rejected.is_empty()));
    // The last event (the 601st) is a check-in: both children are in.
    assert_eq!(occupancy(&app).await["children_in"], 2);
}
