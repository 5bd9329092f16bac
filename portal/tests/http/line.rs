//! LINE's webhook and the portal's pages of the delivery engine, in process: a portal without
//! LINE settings says so; a body without a valid `X-Line-Signature` is refused and changes
//! nothing; 配信方法の設定 saves each service's channels; the link page takes only a link token.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use axum::http::{Method, StatusCode};
use base64::Engine;
use hmac::{Hmac, Mac};
use portal::{
    domain::{
        Email,
        notify::{ChannelChoice, Service},
    },
    store::AccountStore,
};

const CITIZEN: &str = "hanako@example.jp";
const SECRET: &str = "channel-secret";

fn sign(body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn with_line() -> TestApp {
    TestApp::with_settings(|mut settings| {
        // Nothing listens there: replies fail, and are only logged.
        settings.line.api_base = "http://127.0.0.1:9".into();
        settings.line.channel_secret = Some(SECRET.into());
        settings.line.channel_token = Some("token".into());
        settings
    })
}

const UNFOLLOW: &str = r#"{"destination":"U0","events":[{"type":"unfollow","mode":"active","timestamp":1764633600000,"source":{"type":"user","userId":"U1"},"webhookEventId":"01J0000000000000000000000A","deliveryContext":{"isRedelivery":false}}]}"#;

#[tokio::test]
async fn without_line_settings_the_webhook_says_line_is_not_configured() {
    let app = TestApp::new();
    let response = app
        .raw(
            Method::POST,
            "/webhooks/line",
            "application/json",
            UNFOLLOW,
            &[("x-line-signature", "anything")],
        )
        .await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        response.body.contains("line_not_configured"),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn only_a_body_signed_with_the_channel_secret_is_taken() {
    let app = with_line();
    for signature in [None, Some("AAAA".to_owned()), Some(sign("{}"))] {
        let headers: Vec<(&str, &str)> = signature
            .as_deref()
            .map(|s| vec![("x-line-signature", s)])
            .unwrap_or_default();
        let response = app
            .raw(
                Method::POST,
                "/webhooks/line",
                "application/json",
                UNFOLLOW,
                &headers,
            )
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{signature:?}");
        assert!(response.body.contains("bad_signature"));
    }
    let good = sign(UNFOLLOW);
    let response = app
        .raw(
            Method::POST,
            "/webhooks/line",
            "application/json",
            UNFOLLOW,
            &[("x-line-signature", good.as_str())],
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    // Signed, but not a webhook body.
    let junk = "[1,2,3]";
    let response = app
        .raw(
            Method::POST,
            "/webhooks/line",
            "application/json",
            junk,
            &[("x-line-signature", sign(junk).as_str())],
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_citizen_saves_the_channels_of_each_service() {
    let app = with_line();
    app.citizen(CITIZEN, "山田", "花子").await;
    let mut browser = app.browser();
    browser.login(CITIZEN, PASSWORD).await;
    let page = browser.get("/account/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("LINEとは連携していません"));
    let saved = browser
        .submit(
            "/account/notifications",
            "/account/notifications",
            &[("email", "school"), ("line", "school"), ("line", "bousai")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let account = app
        .parts
        .store
        .find_by_email(&Email::parse(CITIZEN).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account
        .account_id;
    let choices = app.parts.state.notifier.choices(account).await.unwrap();
    let of = |service| choices.iter().find(|(s, _)| *s == service).unwrap().1;
    assert_eq!(
        of(Service::School),
        ChannelChoice {
            email: true,
            line: true
        }
    );
    assert_eq!(
        of(Service::Bousai),
        ChannelChoice {
            email: false,
            line: true
        }
    );
    assert_eq!(
        of(Service::Oshirase),
        ChannelChoice {
            email: false,
            line: false
        }
    );
    // Without the CSRF token nothing changes.
    let forged = app
        .raw(
            Method::POST,
            "/account/notifications",
            "application/x-www-form-urlencoded",
            "email=oshirase",
            &[("cookie", browser.cookie_header().as_str())],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_link_page_needs_a_login_and_takes_only_a_link_token() {
    let app = with_line();
    let anonymous = app.get("/line/link?linkToken=abcdefgh12345678").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().unwrap().starts_with("/login?next="));
    app.citizen(CITIZEN, "山田", "花子").await;
    let mut browser = app.browser();
    browser.login(CITIZEN, PASSWORD).await;
    let bad = browser.get("/line/link?linkToken=%3Cscript%3E").await;
    assert_eq!(bad.status, StatusCode::NOT_FOUND);
    let good = browser.get("/line/link?linkToken=abcdefgh12345678").await;
    assert_eq!(good.status, StatusCode::OK);
    assert!(good.body.contains(CITIZEN));
}
