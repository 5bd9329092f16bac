//! 利用状況: a center's staff see check-ins per day and per hour of the day, as charts and
//! tables, from what its kiosk reported; a citizen cannot.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::checkin::{city, deliver, event, now};
use crate::common::{PASSWORD, TestApp, unescape};
use axum::http::StatusCode;
use jiff::SignedDuration;
use shimin_sync::messages::EventKind;

#[tokio::test]
async fn the_staff_see_check_ins_per_day_and_hour_and_a_citizen_does_not() {
    let app = TestApp::new();
    let (_, mother, kiosk, _) = city(&app).await;
    // 09:00 in Tokyo on 1 April: in with two children, out at 10:00.
    deliver(
        &app,
        &kiosk,
        &event(&kiosk, &mother, EventKind::CheckIn, now(&app)),
    )
    .await;
    app.clock.advance(SignedDuration::from_hours(1));
    deliver(
        &app,
        &kiosk,
        &event(&kiosk, &mother, EventKind::CheckOut, now(&app)),
    )
    .await;
    // 3 April, 11:30: in again.
    app.clock.advance(SignedDuration::from_mins(49 * 60 + 30));
    deliver(
        &app,
        &kiosk,
        &event(&kiosk, &mother, EventKind::CheckIn, now(&app)),
    )
    .await;

    let mut admin = app.browser();
    admin.login("admin@city.example.jp", PASSWORD).await;
    let page = admin
        .get("/admin/centers/chuo/stats?from=2025-03-31&to=2025-04-03")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let body = unescape(&page.body);
    assert!(
        body.contains("id=\"total\">期間の合計: 2組 / 4人"),
        "{body}"
    );
    assert_eq!(
        body.matches("class=\"bar\"").count(),
        4 + 3,
        "4 days, 09–11 h"
    );
    let hours = body.split("id=\"hours\"").nth(1).unwrap_or("");
    assert!(
        hours.contains("<td>9:00–9:59</td><td>1</td><td>2</td>"),
        "{hours}"
    );
    assert!(hours.contains("<td>10:00–10:59</td><td>0</td><td>0</td>"));
    assert!(hours.contains("<td>11:00–11:59</td><td>1</td><td>2</td>"));
    let days = body.split("id=\"days\"").nth(1).unwrap_or("");
    assert!(days.contains("2025-04-02</a></td><td>0</td>"), "{days}");
    // Nonsense dates fall back to the last four weeks.
    let fallback = admin.get("/admin/centers/chuo/stats?from=x&to=y").await;
    assert_eq!(fallback.status, StatusCode::OK);
    assert_eq!(fallback.body.matches("class=\"bar\"").count(), 28 + 3);

    let mut citizen = app.browser();
    citizen.login("hanako@example.jp", PASSWORD).await;
    assert_eq!(
        citizen.get("/admin/centers/chuo/stats").await.status,
        StatusCode::FORBIDDEN
    );
}
