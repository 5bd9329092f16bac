//! ライフイベントの手続き: the questions come one answer at a time; a birth with 国民健康保険
//! gives 出生届, 国民健康保険, 児童手当 … with deadlines as dates from the day of birth; the
//! same result as plain text; answers that no longer apply are dropped.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{TestApp, unescape};
use axum::http::StatusCode;

#[tokio::test]
async fn a_birth_gives_its_procedures_with_deadlines_and_the_text_to_share() {
    let app = TestApp::new();
    let first = app.get("/kosodate/tetsuzuki").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("id=\"q-event\""));
    assert!(!first.body.contains("id=\"q-insurance\""));

    // After 出生, the insurance questions appear; nothing is listed until they are answered.
    let next = app.get("/kosodate/tetsuzuki?event=birth").await;
    assert!(next.body.contains("id=\"q-insurance\""));
    assert!(!next.body.contains("id=\"procedures\""));

    let query = "event=birth&insurance=national&public_servant=no&day=2026-12-01";
    let result = unescape(&app.get(&format!("/kosodate/tetsuzuki?{query}")).await.body);
    let list = result.split("id=\"procedures\"").nth(1).unwrap_or("");
    for title in ["出生届", "国民健康保険", "児童手当"] {
        assert!(list.contains(title), "{title} missing: {list}");
    }
    // 出生届 within 14 days counting the day of birth: by 14 December.
    assert!(list.contains("2026年12月14日"), "{list}");
    assert!(result.contains(&format!("/kosodate/tetsuzuki.txt?{query}")));

    let text = app.get(&format!("/kosodate/tetsuzuki.txt?{query}")).await;
    assert!(text.content_type().starts_with("text/plain"));
    assert!(
        text.body.contains("出生届") && text.body.contains("持ち物"),
        "{}",
        text.body
    );

    // A stale answer (転入's question, with 出生) is dropped from the shared link.
    let stale = app
        .get("/kosodate/tetsuzuki?event=birth&insurance=national&public_servant=no&with_children=yes")
        .await;
    assert!(!stale.body.contains("with_children=yes"));
    // Unfinished answers have no text.
    assert_eq!(
        app.get("/kosodate/tetsuzuki.txt?event=birth").await.status,
        StatusCode::NOT_FOUND
    );
}
