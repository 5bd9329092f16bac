//! Applying for an event on the portal: the places fill, then the waiting list in order; a
//! second application is refused; a cancellation gives the place to the first waiting family,
//! who is told through the delivery engine.

use super::{STAFF, publish};
use crate::common::{PASSWORD, TestApp};
use axum::http::StatusCode;
use portal::{events::EventId, i18n::Lang, store::DeliveryStore};

async fn apply(app: &TestApp, email: &str, event: &EventId) -> crate::common::Resp {
    let mut browser = app.browser();
    browser.login(email, PASSWORD).await;
    let page = format!("/kosodate/events/{event}");
    browser.submit(&page, &format!("{page}/apply"), &[]).await
}

async fn page_of(app: &TestApp, email: &str, event: &EventId) -> String {
    let mut browser = app.browser();
    browser.login(email, PASSWORD).await;
    browser
        .get(&format!("/kosodate/events/{event}"))
        .await
        .text()
}

#[tokio::test]
async fn applying_fills_the_places_then_the_waiting_list_and_a_cancellation_moves_the_first_up() {
    let app = TestApp::new();
    let event = publish(&app, "離乳食教室", 20, |d| {
        d.capacity = "2".into();
        d.application = "portal".into();
    })
    .await;
    let families = [
        "a@example.jp",
        "b@example.jp",
        "c@example.jp",
        "d@example.jp",
    ];
    for (n, email) in families.iter().enumerate() {
        app.citizen(email, "子育", &format!("{}さん", n + 1)).await;
    }
    for (email, done) in families
        .iter()
        .zip(["applied", "applied", "waiting", "waiting"])
    {
        let applied = apply(&app, email, &event).await;
        assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
        assert!(
            applied
                .location()
                .unwrap()
                .ends_with(&format!("?done={done}"))
        );
    }
    assert!(
        page_of(&app, "a@example.jp", &event)
            .await
            .contains("申込済み")
    );
    assert!(
        page_of(&app, "c@example.jp", &event)
            .await
            .contains("キャンセル待ち 1番目")
    );
    assert!(
        page_of(&app, "d@example.jp", &event)
            .await
            .contains("キャンセル待ち 2番目")
    );

    // A second application is refused, and says why.
    let again = apply(&app, "a@example.jp", &event).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.text().contains("このイベントには申込済みです"),
        "{}",
        again.body
    );

    // Staff see the names: two confirmed, two waiting in order.
    let mut staff = app.browser();
    staff.login(STAFF, PASSWORD).await;
    let roster = staff
        .get(&format!("/admin/kosodate/events/{event}"))
        .await
        .text();
    let waiting = roster.split("id=\"waiting\"").nth(1).unwrap();
    assert!(
        waiting.find("子育 3さん").unwrap() < waiting.find("子育 4さん").unwrap(),
        "{roster}"
    );

    // The first family cancels: the first waiting one has the place and is told.
    let mut first = app.browser();
    first.login("a@example.jp", PASSWORD).await;
    let page = format!("/kosodate/events/{event}");
    let cancelled = first.submit(&page, &format!("{page}/cancel"), &[]).await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.body
    );
    assert!(
        page_of(&app, "c@example.jp", &event)
            .await
            .contains("申込済み")
    );
    assert!(
        page_of(&app, "d@example.jp", &event)
            .await
            .contains("キャンセル待ち 1番目")
    );
    let told = app.parts.store.deliveries(10).await.unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].title, "【申込確定】離乳食教室");
    assert_eq!(told[0].service, "kosodate");
    assert_eq!(
        told[0].email.queued + told[0].email.sent,
        1,
        "the promoted family only"
    );
    let recipients = app
        .parts
        .store
        .recipients(told[0].delivery_id, None, 10)
        .await
        .unwrap();
    assert_eq!(recipients[0].address, "c@example.jp");

    // Cancelling again: nothing to cancel.
    let twice = first.submit(&page, &format!("{page}/cancel"), &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.says(Lang::Ja, "page.events.not_applied"));
}
