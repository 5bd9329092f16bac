//! 子育て情報のお知らせ: the 4か月児健診 reminder reaches the parent on its day, once (not on a
//! second run, not the next day); a category turned off on `/kosodate/oshirase` is not sent
//! (and is caught up when turned on again within the window); the 妊娠20週 message comes on
//! the day the 出産予定日 says, from 09:00 Tokyo.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use portal::store::{DeliveryStore, DeliverySummary};

const MOTHER: &str = "hanako@example.jp";
const OTHER: &str = "jiro@example.jp";

/// Moves the test clock to `at` (forward or back).
fn set_clock(app: &TestApp, at: &str) {
    let at: Timestamp = at.parse().unwrap();
    let now = portal::clock::Clock::now(&app.clock);
    app.clock.advance(now.duration_until(at));
}

/// Registers a child of the signed-in guardian.
async fn register_child(browser: &mut crate::common::Browser<'_>, given: &str, birth: &str) {
    let made = browser
        .submit(
            "/kosodate/children/new",
            "/kosodate/children/new",
            &[
                ("family_name", "山田"),
                ("given_name", given),
                ("sex", "sex_female"),
                ("birth_date", birth),
                ("relationship", "rel_mother"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
}

async fn deliveries(app: &TestApp) -> Vec<DeliverySummary> {
    app.parts.store.deliveries(20).await.unwrap()
}

/// The email addresses a delivery went to.
async fn recipients(app: &TestApp, delivery: &DeliverySummary) -> Vec<String> {
    app.parts
        .store
        .recipients(delivery.delivery_id, None, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|recipient| recipient.address)
        .collect()
}

#[tokio::test]
async fn the_four_month_checkup_reminder_reaches_the_parent_once() {
    let app = TestApp::new(); // 2025-04-01 09:00 in Tokyo
    app.citizen(MOTHER, "山田", "花子").await;
    app.citizen(OTHER, "佐藤", "次郎").await;
    let mut mother = app.browser();
    mother.login(MOTHER, PASSWORD).await;
    // Born 2024-12-15: four months old on 2025-04-15, reminded 14 days before, today.
    register_child(&mut mother, "さくら", "2024-12-15").await;
    let timely = &app.parts.state.timely;

    // 08:59: not yet.
    set_clock(&app, "2025-03-31T23:59:00Z");
    assert_eq!(timely.send_due().await.unwrap(), 0);
    assert!(deliveries(&app).await.is_empty());

    // 09:00: one delivery, to the mother only; a second run makes none.
    set_clock(&app, "2025-04-01T00:00:00Z");
    assert_eq!(timely.send_due().await.unwrap(), 1);
    assert_eq!(timely.send_due().await.unwrap(), 0);
    let made = deliveries(&app).await;
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].service, "kosodate");
    assert!(made[0].title.contains("4か月児健診"), "{}", made[0].title);
    assert_eq!(recipients(&app, &made[0]).await, vec![MOTHER.to_owned()]);

    // The next day the reminder is still inside the catch-up window, but it was sent.
    set_clock(&app, "2025-04-02T00:00:00Z");
    assert_eq!(timely.send_due().await.unwrap(), 0);
    assert_eq!(deliveries(&app).await.len(), 1);

    // Her page lists what comes next: the BCG reminder on 2025-05-08.
    let family = mother.get("/kosodate").await;
    assert!(family.body.contains("href=\"/kosodate/oshirase\""));
    let page = mother.get("/kosodate/oshirase").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("2025-05-08"), "{}", page.body);
    assert!(page.text().contains("BCGの予防接種"));
}

#[tokio::test]
async fn a_turned_off_category_is_not_sent_and_is_caught_up_when_turned_on_again() {
    let app = TestApp::new();
    app.citizen(MOTHER, "山田", "花子").await;
    let mut mother = app.browser();
    mother.login(MOTHER, PASSWORD).await;
    register_child(&mut mother, "さくら", "2024-12-15").await;

    // 乳幼児健診 unticked; the rest kept.
    let saved = mother
        .submit(
            "/kosodate/oshirase",
            "/kosodate/oshirase",
            &[
                ("category", "pregnancy"),
                ("category", "vaccination"),
                ("category", "event"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = mother.get("/kosodate/oshirase?saved=1").await;
    assert!(
        page.body.contains("id=\"category-checkup\">"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"category-vaccination\" checked"));
    assert!(!page.text().contains("4か月児健診"));
    // Without a valid CSRF token nothing changes.
    let forged = mother
        .post_form(
            "/kosodate/oshirase",
            &[("csrf", "x"), ("category", "checkup")],
        )
        .await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER);

    let timely = &app.parts.state.timely;
    assert_eq!(timely.send_due().await.unwrap(), 0);
    assert!(deliveries(&app).await.is_empty());

    // Ticked again the next day: the reminder of yesterday is caught up, once.
    set_clock(&app, "2025-04-02T00:30:00Z");
    let all = [
        ("category", "pregnancy"),
        ("category", "checkup"),
        ("category", "vaccination"),
        ("category", "event"),
    ];
    let saved = mother
        .submit("/kosodate/oshirase", "/kosodate/oshirase", &all)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(timely.send_due().await.unwrap(), 1);
    let made = deliveries(&app).await;
    assert!(made[0].title.contains("4か月児健診"));
}

#[tokio::test]
async fn the_week_twenty_message_comes_on_its_day() {
    let app = TestApp::new();
    app.citizen(MOTHER, "山田", "花子").await;
    let mut mother = app.browser();
    mother.login(MOTHER, PASSWORD).await;
    // Due 2025-08-23: 妊娠20週0日 is 140 days earlier, 2025-04-05.
    let set = mother
        .submit(
            "/kosodate/due-date",
            "/kosodate/due-date",
            &[("due_date", "2025-08-23")],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    let timely = &app.parts.state.timely;
    assert_eq!(timely.send_due().await.unwrap(), 0, "妊娠16週 was 03-08");
    let page = mother.get("/kosodate/oshirase").await;
    assert!(page.body.contains("2025-04-05"), "{}", page.body);

    // 2025-04-05 08:30 Tokyo: not yet; 09:00: 両親学級のご案内.
    set_clock(&app, "2025-04-04T23:30:00Z");
    assert_eq!(timely.send_due().await.unwrap(), 0);
    app.clock.advance(SignedDuration::from_mins(30));
    assert_eq!(timely.send_due().await.unwrap(), 1);
    let made = deliveries(&app).await;
    assert_eq!(made.len(), 1);
    assert!(made[0].title.contains("両親学級"), "{}", made[0].title);
    assert_eq!(recipients(&app, &made[0]).await, vec![MOTHER.to_owned()]);

    // A corrected due date (a week later) is the same pregnancy: week 20 is not sent again.
    let corrected = mother
        .submit(
            "/kosodate/due-date",
            "/kosodate/due-date",
            &[("due_date", "2025-08-30")],
        )
        .await;
    assert_eq!(corrected.status, StatusCode::SEE_OTHER);
    for day in ["2025-04-06", "2025-04-11", "2025-04-12"] {
        set_clock(&app, &format!("{day}T01:00:00Z"));
        assert_eq!(timely.send_due().await.unwrap(), 0, "{day}");
    }
    assert_eq!(deliveries(&app).await.len(), 1);
}
