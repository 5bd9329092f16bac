//! 母子健康手帳の交付・赤ちゃん訪問の予約: the health office opens times; a citizen books one
//! with the 問診 (a missing answer is refused at its question, every answer kept), cannot
//! double-book, finds a full time refused, changes and cancels; ten citizens racing for the
//! last place leave exactly one booked; the office reads the answers (each read logged) and
//! exports them as CSV; a citizen cannot see the office's pages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp, unescape};
use axum::http::StatusCode;
use portal::{
    domain::{Email, Role},
    health::{RawAnswers, Service},
    store::{AccountStore, HealthStore},
};

const OFFICE: &str = "hoken@city.example.jp";
const HANAKO: &str = "hanako@example.jp";

/// The clock starts at 2025-04-01 09:00 in Tokyo: two 30-minute times on 3 April, one place
/// each.
async fn open_times(app: &TestApp) -> Vec<String> {
    app.staff(OFFICE, &[Role::Health]).await;
    let mut office = app.browser();
    office.login(OFFICE, PASSWORD).await;
    let saved = office
        .submit(
            "/admin/kenko",
            "/admin/kenko/series",
            &[
                ("service", "boshi_techo"),
                ("place", "東広島市保健センター"),
                ("first_day", "2025-04-03"),
                ("day_start", "09:00"),
                ("day_end", "10:00"),
                ("slot_minutes", "30"),
                ("capacity", "1"),
            ],
        )
        .await;
    assert_eq!(
        saved.location(),
        Some("/admin/kenko?saved=2"),
        "{}",
        saved.body
    );
    let (from, until) = (
        "2025-04-01T00:00:00Z".parse().unwrap(),
        "2025-05-01T00:00:00Z".parse().unwrap(),
    );
    app.parts
        .store
        .slots(Some(Service::BoshiTecho), from, until)
        .await
        .unwrap()
        .into_iter()
        .map(|(slot, _)| slot.slot_id.to_string())
        .collect()
}

fn answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("weeks", "10"),
        ("first_pregnancy", "yes"),
        ("feeling", "happy"),
        ("history", "none"),
        ("smoking", "never"),
        ("smoking_household", "no"),
        ("drinking", "no"),
        ("support", "yes"),
        ("consult", "つわりが続いています。"),
    ]
}

#[tokio::test]
async fn a_citizen_books_with_the_questionnaire_changes_and_cancels() {
    let app = TestApp::new();
    let slots = open_times(&app).await;
    assert_eq!(slots.len(), 2);
    app.citizen(HANAKO, "山田", "花子").await;
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    let list = hanako.get("/kosodate/yoyaku/boshi_techo").await;
    assert!(
        list.body.contains("2025年4月3日 09:00〜09:30"),
        "{}",
        list.body
    );

    // A required answer missing and a number out of range: refused at each, answers kept.
    let page = format!("/kosodate/yoyaku/slots/{}", slots[0]);
    let mut partial = answers();
    partial.retain(|(id, _)| *id != "smoking");
    partial[0] = ("weeks", "50");
    let refused = hanako.submit(&page, &page, &partial).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&refused.body);
    let at = |id: &str| {
        body.split(&format!("id=\"q-{id}\""))
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or("")
            .to_owned()
    };
    assert!(
        at("smoking").contains("class=\"error\""),
        "{}",
        at("smoking")
    );
    assert!(at("weeks").contains("class=\"error\""));
    assert!(at("consult").contains("つわりが続いています。"));
    assert!(!at("feeling").contains("class=\"error\""));

    let booked = hanako.submit(&page, &page, &answers()).await;
    assert_eq!(booked.location(), Some("/kosodate/yoyaku?done=booked"));
    // The same service again: a double booking, refused with the reason.
    let other = format!("/kosodate/yoyaku/slots/{}", slots[1]);
    let twice = hanako.submit(&other, &other, &answers()).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("id=\"book-error\""));

    // Another citizen finds the first time full.
    app.citizen("taro@example.jp", "鈴木", "太郎").await;
    let mut taro = app.browser();
    taro.login("taro@example.jp", PASSWORD).await;
    let full = taro.submit(&page, &page, &answers()).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Hanako moves to the second time, then cancels.
    let menu = hanako.get("/kosodate/yoyaku").await;
    let booking = menu
        .body
        .split("/kosodate/yoyaku/bookings/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let change = format!("/kosodate/yoyaku/bookings/{booking}/change");
    let moved = hanako
        .submit(&change, &change, &[("slot", slots[1].as_str())])
        .await;
    assert_eq!(moved.location(), Some("/kosodate/yoyaku?done=changed"));
    // The first time is free again: Taro gets it.
    let now_free = taro.submit(&page, &page, &answers()).await;
    assert_eq!(now_free.location(), Some("/kosodate/yoyaku?done=booked"));
    let csrf = hanako.get("/kosodate/yoyaku").await.csrf();
    let cancelled = hanako
        .post_form(
            &format!("/kosodate/yoyaku/bookings/{booking}/cancel"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        cancelled.location(),
        Some("/kosodate/yoyaku?done=cancelled")
    );
    let again = hanako
        .post_form(
            &format!("/kosodate/yoyaku/bookings/{booking}/cancel"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The office reads Taro's answers on the slot's page; the read is logged; CSV too.
    let mut office = app.browser();
    office.login(OFFICE, PASSWORD).await;
    let slot_page = office
        .get(&format!("/admin/kenko/slots/{}", slots[0]))
        .await;
    assert!(slot_page.body.contains("鈴木 太郎"));
    assert!(slot_page.body.contains("つわりが続いています。"));
    let csv = office
        .get("/admin/kenko/export.csv?service=boshi_techo&from=2025-04-01&days=30")
        .await;
    assert!(csv.content_type().starts_with("text/csv"));
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    assert!(
        text.contains("予約番号") && text.contains("鈴木 太郎"),
        "{text}"
    );
    let reads = app.parts.store.answer_reads().await.unwrap();
    assert_eq!(reads.len(), 2);
    assert!(reads[0].1.starts_with("slot:") && reads[1].1.starts_with("export:boshi_techo"));
    assert_eq!(
        hanako.get("/admin/kenko").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hanako
            .get(&format!("/admin/kenko/slots/{}", slots[0]))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn ten_citizens_racing_for_the_last_place_leave_exactly_one_booked() {
    let app = TestApp::new();
    let slots = open_times(&app).await;
    let slot = slots[0].parse().unwrap();
    let mut raw = RawAnswers::new();
    for (id, value) in answers() {
        raw.entry(id.to_owned()).or_default().push(value.to_owned());
    }
    let mut citizens = Vec::new();
    for n in 0..10 {
        let email = format!("c{n}@example.jp");
        app.citizen(&email, "市民", "太郎").await;
        citizens.push(
            app.parts
                .store
                .find_by_email(&Email::parse(&email).unwrap())
                .await
                .unwrap()
                .unwrap()
                .account
                .account_id,
        );
    }
    let attempts = citizens.iter().map(|citizen| {
        let kenko = app.parts.state.kenko.clone();
        let raw = raw.clone();
        let citizen = *citizen;
        tokio::spawn(async move { kenko.book(citizen, slot, &raw).await })
    });
    let outcomes = futures_util::future::join_all(attempts).await;
    let booked = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Ok(Ok(_))))
        .count();
    assert_eq!(booked, 1);
    let (_, bookings) = app.parts.store.slot(slot).await.unwrap().unwrap();
    assert_eq!(bookings.len(), 1);
}

#[tokio::test]
async fn a_moved_booking_is_reminded_once_from_two_days_before_its_new_time() {
    let app = TestApp::new();
    let slots = open_times(&app).await;
    app.citizen(HANAKO, "山田", "花子").await;
    let hanako = app
        .parts
        .store
        .find_by_email(&Email::parse(HANAKO).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account
        .account_id;
    let mut raw = RawAnswers::new();
    for (id, value) in answers() {
        raw.entry(id.to_owned()).or_default().push(value.to_owned());
    }
    let kenko = app.parts.state.kenko.clone();
    let booking = kenko
        .book(hanako, slots[0].parse().unwrap(), &raw)
        .await
        .unwrap();
    let reminders = portal::kenko_remind::Reminders {
        kenko: kenko.clone(),
        notifier: app.parts.state.notifier.clone(),
    };
    let count = |app: &TestApp| {
        let db = app.parts.store.db().clone();
        async move {
            db.read(|conn| {
                Ok(conn.query_row(
                    "SELECT count(*) FROM deliveries WHERE kind = 'health_reminder'",
                    [],
                    |row| row.get::<_, i64>(0),
                )?)
            })
            .await
            .unwrap()
        }
    };
    // Booked on 1 April 09:00 for 3 April 09:00: the reminder time (1 April 09:00) is not after
    // the booking, so none; a move to 09:30 on the same day makes the new time's reminder due
    // once the clock passes its reminder time (1 April 09:30).
    assert_eq!(reminders.send_due().await.unwrap(), 0);
    app.clock.advance(jiff::SignedDuration::from_mins(10));
    kenko
        .change(hanako, booking, slots[1].parse().unwrap())
        .await
        .unwrap();
    assert_eq!(reminders.send_due().await.unwrap(), 0);
    app.clock.advance(jiff::SignedDuration::from_mins(25));
    assert_eq!(reminders.send_due().await.unwrap(), 1);
    assert_eq!(reminders.send_due().await.unwrap(), 0);
    assert_eq!(count(&app).await, 1);
}
