//! HTTP-level tests of the operator endpoints (`/healthz`, `/metrics`) and the OpenAPI
//! description.
//!
//! The Prometheus recorder is installed globally once for this test binary (as `portal serve`
//! does), so the request metrics recorded by the middleware really show up in `/metrics`. Only
//! one test here reads `/metrics`, so no other test's gauges interfere with it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::new();
    let resp = app.get("/healthz").await;
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(resp.body.trim(), "ok");
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_requests_and_accounts() {
    let app = TestApp::new();
    app.citizen("taro@example.jp", "山田", "太郎").await;
    app.pending_citizen("hanako@example.jp", "山田", "花子")
        .await;
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(app.get("/nope").await.status, StatusCode::NOT_FOUND);

    let resp = app.get("/metrics").await;
    assert_eq!(resp.status, StatusCode::OK);
    assert!(
        resp.content_type().starts_with("text/plain"),
        "{}",
        resp.content_type()
    );
    let text = &resp.body;
    let requests: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("portal_http_requests_total{"))
        .collect();
    assert!(
        requests
            .iter()
            .any(|line| line.contains("route=\"/healthz\"")
                && line.contains("status=\"200\"")
                && line.contains("method=\"GET\"")),
        "no request counter for GET /healthz:\n{text}"
    );
    assert!(
        requests.iter().any(|line| line.contains("status=\"404\"")),
        "no request counter for the 404:\n{text}"
    );
    assert!(
        text.contains("portal_http_request_duration_seconds"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|line| line.starts_with("portal_accounts{status=\"active\"} 1")),
        "active accounts gauge:\n{text}"
    );
    assert!(
        text.lines()
            .any(|line| line.starts_with("portal_accounts{status=\"pending\"} 1")),
        "pending accounts gauge:\n{text}"
    );
    assert!(
        !text.contains("taro@example.jp"),
        "personal data in metrics"
    );
}

#[tokio::test]
async fn the_openapi_description_is_3_1_with_the_api_routes() {
    let app = TestApp::new();
    let resp = app.get("/api/v1/openapi.json").await;
    assert_eq!(resp.status, StatusCode::OK);
    assert!(resp.content_type().starts_with("application/json"));
    let doc = resp.json();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    for (path, method) in [
        ("/api/v1/session", "post"),
        ("/api/v1/session", "delete"),
        ("/api/v1/account/register", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
