//! HTTP-level tests of the JSON API under `/api/v1`: registration, sessions with bearer
//! tokens, the profile, errors as `{"error":{"code","message"}}` in the user's language, body
//! limits and the login rate limit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp, msg};
use axum::http::{Method, StatusCode};
use portal::i18n::Lang;
use serde_json::{Value, json};

const EMAIL: &str = "taro.yamada@example.jp";
const REGISTER: &str = "/api/v1/account/register";

fn registration(email: &str) -> Value {
    json!({
        "email": email,
        "family_name": "山田",
        "given_name": "太郎",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "accept_terms": true,
    })
}

fn credentials(email: &str, password: &str) -> Value {
    json!({ "email": email, "password": password })
}

fn has_japanese(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ---- Registration ----

#[tokio::test]
async fn malformed_json_is_a_400_json_error_in_japanese() {
    let app = TestApp::new();
    let resp = app
        .raw(
            Method::POST,
            REGISTER,
            "application/json",
            "{\"email\": ",
            &[],
        )
        .await;
    resp.assert_api_error(
        StatusCode::BAD_REQUEST,
        "bad_request",
        Lang::Ja,
        "error.malformed",
    );
    let message = resp.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(has_japanese(&message), "{message}");
    assert!(
        !resp.body.contains("line 1"),
        "parser details leak: {}",
        resp.body
    );
    assert_eq!(app.account_count().await, 0);
}

#[tokio::test]
async fn malformed_json_is_explained_in_english_for_english_clients() {
    let app = TestApp::new();
    let resp = app
        .raw(
            Method::POST,
            REGISTER,
            "application/json",
            "not json",
            &[("accept-language", "en")],
        )
        .await;
    resp.assert_api_error(
        StatusCode::BAD_REQUEST,
        "bad_request",
        Lang::En,
        "error.malformed",
    );
    assert!(!has_japanese(
        resp.json()["error"]["message"].as_str().unwrap()
    ));
}

#[tokio::test]
async fn a_missing_field_is_a_json_client_error() {
    let app = TestApp::new();
    let mut body = registration(EMAIL);
    body.as_object_mut().unwrap().remove("accept_terms");
    let resp = app.api(Method::POST, REGISTER, Some(body), None).await;
    assert!(resp.status.is_client_error(), "{}", resp.status);
    assert!(
        resp.content_type().starts_with("application/json"),
        "{}",
        resp.content_type()
    );
    let json = resp.json();
    assert!(json["error"]["code"].is_string(), "{json}");
    assert_eq!(json["error"]["message"], msg(Lang::Ja, "error.malformed"));
    assert_eq!(app.account_count().await, 0);
    assert_eq!(app.mail_count().await, 0);
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_a_json_client_error() {
    let app = TestApp::new();
    let mut body = registration(EMAIL);
    body["accept_terms"] = json!("yes");
    let resp = app.api(Method::POST, REGISTER, Some(body), None).await;
    assert!(resp.status.is_client_error(), "{}", resp.status);
    assert!(resp.json()["error"]["code"].is_string());
    assert_eq!(app.account_count().await, 0);
}

#[tokio::test]
async fn a_non_json_content_type_is_a_415_json_error() {
    let app = TestApp::new();
    let resp = app
        .raw(
            Method::POST,
            REGISTER,
            "text/plain",
            registration(EMAIL).to_string(),
            &[],
        )
        .await;
    resp.assert_api_error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        Lang::Ja,
        "error.unsupported_media",
    );
    assert_eq!(app.account_count().await, 0);
}

#[tokio::test]
async fn a_body_over_64_kib_is_a_413_json_error() {
    let app = TestApp::new();
    let mut body = registration(EMAIL);
    body["family_name"] = json!("x".repeat(70 * 1024));
    let resp = app.api(Method::POST, REGISTER, Some(body), None).await;
    resp.assert_api_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        Lang::Ja,
        "error.too_large",
    );
    assert_eq!(app.account_count().await, 0);
}

#[tokio::test]
async fn validation_errors_are_422_with_every_field() {
    let app = TestApp::new();
    let body = json!({
        "email": "taro.example.jp",
        "family_name": "",
        "given_name": "太郎",
        "password": "short",
        "password_confirm": "short",
        "accept_terms": false,
    });
    let resp = app.api(Method::POST, REGISTER, Some(body), None).await;
    resp.assert_api_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Lang::Ja,
        "error.invalid",
    );
    let json = resp.json();
    let fields = json["error"]["fields"].as_array().expect("fields");
    let message_of = |field: &str| {
        fields
            .iter()
            .find(|entry| entry["field"] == field)
            .and_then(|entry| entry["message"].as_str())
            .map(str::to_owned)
    };
    for (field, key) in [
        ("email", "error.email_malformed"),
        ("family_name", "error.name_required"),
        ("password", "error.password_too_short"),
        ("accept_terms", "error.terms_required"),
    ] {
        assert_eq!(
            message_of(field).as_deref(),
            Some(msg(Lang::Ja, key)),
            "{field} in {json}"
        );
    }
    assert!(
        message_of("given_name").is_none(),
        "a good field reported: {json}"
    );
    assert_eq!(app.account_count().await, 0);
    assert_eq!(app.mail_count().await, 0);
}

#[tokio::test]
async fn field_errors_follow_accept_language() {
    let app = TestApp::new();
    let mut body = registration(EMAIL);
    body["password_confirm"] = json!("Something-Else-9182");
    let resp = app
        .api_with(
            Method::POST,
            REGISTER,
            Some(body),
            None,
            &[("accept-language", "en")],
        )
        .await;
    resp.assert_api_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Lang::En,
        "error.invalid",
    );
    let json = resp.json();
    assert_eq!(json["error"]["fields"][0]["field"], "password_confirm");
    assert_eq!(
        json["error"]["fields"][0]["message"],
        msg(Lang::En, "error.password_mismatch")
    );
}

#[tokio::test]
async fn a_good_registration_is_accepted_and_mails_a_verification_link() {
    let app = TestApp::new();
    let resp = app
        .api(Method::POST, REGISTER, Some(registration(EMAIL)), None)
        .await;
    assert_eq!(resp.status, StatusCode::ACCEPTED, "{}", resp.body);
    let json = resp.json();
    assert_eq!(json["status"], "accepted");
    assert_eq!(json["message"], msg(Lang::Ja, "page.register.sent_1"));
    assert!(
        resp.set_cookie("sp_csrf").is_none(),
        "the API sets no cookies"
    );
    let mail = app.mail_to(EMAIL).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "東広島市市民ポータルサイトの本登録確認");
    assert!(mail[0].text.contains("/verify?token="));
}

#[tokio::test]
async fn registering_the_same_address_twice_answers_identically() {
    let app = TestApp::new();
    let first = app
        .api(Method::POST, REGISTER, Some(registration(EMAIL)), None)
        .await;
    let second = app
        .api(Method::POST, REGISTER, Some(registration(EMAIL)), None)
        .await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    assert_eq!(second.status, first.status);
    assert_eq!(second.body, first.body);
    assert_eq!(app.account_count().await, 1);

    // Also once the account is active: same answer as for a new address.
    app.parts
        .state
        .accounts
        .verify(&app.token_for(EMAIL, "/verify").await)
        .await
        .unwrap();
    let third = app
        .api(Method::POST, REGISTER, Some(registration(EMAIL)), None)
        .await;
    assert_eq!(third.status, first.status);
    assert_eq!(third.body, first.body);
    assert_eq!(app.account_count().await, 1);
    let last = app.mail_to(EMAIL).await.pop().unwrap();
    assert_eq!(last.subject, "東広島市市民ポータルサイトの登録について");
}

// ---- Sessions and the profile ----

#[tokio::test]
async fn a_wrong_password_is_401_bad_credentials() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let resp = app
        .api(
            Method::POST,
            "/api/v1/session",
            Some(credentials(EMAIL, "Not-The-Password-1")),
            None,
        )
        .await;
    resp.assert_api_error(
        StatusCode::UNAUTHORIZED,
        "bad_credentials",
        Lang::Ja,
        "error.bad_credentials",
    );
    let unknown = app
        .api(
            Method::POST,
            "/api/v1/session",
            Some(credentials("nobody@example.jp", PASSWORD)),
            None,
        )
        .await;
    assert_eq!(unknown.status, resp.status);
    assert_eq!(
        unknown.body, resp.body,
        "the answer tells whether the address is registered"
    );
}

#[tokio::test]
async fn an_unverified_account_is_403_not_verified() {
    let app = TestApp::new();
    app.pending_citizen(EMAIL, "山田", "太郎").await;
    let resp = app
        .api(
            Method::POST,
            "/api/v1/session",
            Some(credentials(EMAIL, PASSWORD)),
            None,
        )
        .await;
    resp.assert_api_error(
        StatusCode::FORBIDDEN,
        "not_verified",
        Lang::Ja,
        "error.not_verified",
    );
    assert!(resp.json().get("token").is_none());
}

#[tokio::test]
async fn login_gives_a_token_that_opens_the_profile() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let resp = app
        .api(
            Method::POST,
            "/api/v1/session",
            Some(credentials(EMAIL, PASSWORD)),
            None,
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert!(
        resp.set_cookie("sp_session").is_none(),
        "the API must not set a session cookie"
    );
    let token = resp.json()["token"].as_str().expect("token").to_owned();
    assert!(token.len() >= 32, "{token}");

    let me = app.api(Method::GET, "/api/v1/me", None, Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert!(me.content_type().starts_with("application/json"));
    let json = me.json();
    assert_eq!(json["email"], EMAIL);
    assert_eq!(json["family_name"], "山田");
    assert_eq!(json["given_name"], "太郎");
    assert_eq!(json["lang"], "ja");
    assert_eq!(json["roles"], json!([]));
    assert!(
        json["account_id"].as_str().is_some_and(|id| id.len() == 36),
        "{json}"
    );
    assert!(
        json.get("password_hash").is_none() && !me.body.contains("argon2"),
        "{json}"
    );
}

#[tokio::test]
async fn the_profile_without_a_token_is_401_json() {
    let app = TestApp::new();
    let resp = app.api(Method::GET, "/api/v1/me", None, None).await;
    resp.assert_api_error(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        Lang::Ja,
        "error.login_required",
    );
    assert!(
        resp.location().is_none(),
        "the API must not redirect to the login page"
    );
    let bad = app
        .api(Method::GET, "/api/v1/me", None, Some("not-a-token"))
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.json()["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn a_session_cookie_does_not_authenticate_the_api() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let login = browser.login(EMAIL, PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/account").await.status,
        StatusCode::OK,
        "the cookie works on pages"
    );
    let cookie = browser.cookie_header();
    let resp = app.get_with("/api/v1/me", &[("cookie", &cookie)]).await;
    assert_eq!(resp.status, StatusCode::UNAUTHORIZED, "{}", resp.body);
    assert_eq!(resp.json()["error"]["code"], "unauthorized");
    let patch = app
        .api_with(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "family_name": "悪意", "given_name": "太郎" })),
            None,
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(patch.status, StatusCode::UNAUTHORIZED);
    assert!(
        browser.get("/").await.body.contains("山田 太郎"),
        "the cookie changed the name"
    );
}

#[tokio::test]
async fn deleting_the_session_ends_the_token() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let token = app.api_token(EMAIL, PASSWORD).await;
    let other = app.api_token(EMAIL, PASSWORD).await;
    let resp = app
        .api(Method::DELETE, "/api/v1/session", None, Some(&token))
        .await;
    assert_eq!(resp.status, StatusCode::NO_CONTENT, "{}", resp.body);
    let me = app.api(Method::GET, "/api/v1/me", None, Some(&token)).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    assert_eq!(me.json()["error"]["code"], "unauthorized");
    // Only that session: another device stays logged in.
    let still = app.api(Method::GET, "/api/v1/me", None, Some(&other)).await;
    assert_eq!(still.status, StatusCode::OK);
    // Logging out without a token is a JSON 401.
    let anonymous = app.api(Method::DELETE, "/api/v1/session", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.json()["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn patching_the_profile_changes_the_name() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let token = app.api_token(EMAIL, PASSWORD).await;
    let resp = app
        .api(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "family_name": " 佐藤 ", "given_name": "花子" })),
            Some(&token),
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert_eq!(resp.json()["family_name"], "佐藤");
    assert_eq!(resp.json()["given_name"], "花子");
    let me = app
        .api(Method::GET, "/api/v1/me", None, Some(&token))
        .await
        .json();
    assert_eq!(me["family_name"], "佐藤", "the change did not last: {me}");
    assert_eq!(me["given_name"], "花子");

    let bad = app
        .api(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "family_name": "", "given_name": "花子" })),
            Some(&token),
        )
        .await;
    bad.assert_api_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        Lang::Ja,
        "error.invalid",
    );
    assert_eq!(bad.json()["error"]["fields"][0]["field"], "family_name");
    let me = app
        .api(Method::GET, "/api/v1/me", None, Some(&token))
        .await
        .json();
    assert_eq!(me["family_name"], "佐藤");

    let anonymous = app
        .api(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "family_name": "x", "given_name": "y" })),
            None,
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_whole_registration_works_over_the_api_and_the_mail_link() {
    let app = TestApp::new();
    let accepted = app
        .api(Method::POST, REGISTER, Some(registration(EMAIL)), None)
        .await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    let early = app
        .api(
            Method::POST,
            "/api/v1/session",
            Some(credentials(EMAIL, PASSWORD)),
            None,
        )
        .await;
    assert_eq!(early.status, StatusCode::FORBIDDEN);
    let token = app.token_for(EMAIL, "/verify").await;
    assert_eq!(
        app.get(&format!("/verify?token={token}")).await.status,
        StatusCode::OK
    );
    let bearer = app.api_token(EMAIL, PASSWORD).await;
    let me = app
        .api(Method::GET, "/api/v1/me", None, Some(&bearer))
        .await;
    assert_eq!(me.json()["email"], EMAIL);
}

#[tokio::test]
async fn resend_and_reset_answer_the_same_for_any_address() {
    let app = TestApp::new();
    app.pending_citizen(EMAIL, "山田", "太郎").await;
    for path in [
        "/api/v1/account/resend-verification",
        "/api/v1/account/password-reset",
    ] {
        let known = app
            .api(Method::POST, path, Some(json!({ "email": EMAIL })), None)
            .await;
        let unknown = app
            .api(
                Method::POST,
                path,
                Some(json!({ "email": "nobody@example.jp" })),
                None,
            )
            .await;
        assert_eq!(known.status, StatusCode::ACCEPTED, "{path}: {}", known.body);
        assert_eq!(unknown.status, known.status, "{path}");
        assert_eq!(unknown.body, known.body, "{path}");
        let malformed = app
            .api(Method::POST, path, Some(json!({ "email": "nope" })), None)
            .await;
        malformed.assert_api_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Lang::Ja,
            "error.invalid",
        );
    }
    assert!(app.mail_to("nobody@example.jp").await.is_empty());
}

// ---- Unknown routes, methods ----

#[tokio::test]
async fn an_unknown_api_route_is_a_404_json_error() {
    let app = TestApp::new();
    let resp = app.get("/api/v1/nope").await;
    resp.assert_api_error(
        StatusCode::NOT_FOUND,
        "not_found",
        Lang::Ja,
        "error.not_found",
    );
    let en = app
        .get_with("/api/v1/nope", &[("accept-language", "en")])
        .await;
    en.assert_api_error(
        StatusCode::NOT_FOUND,
        "not_found",
        Lang::En,
        "error.not_found",
    );
}

#[tokio::test]
async fn a_wrong_method_on_the_api_is_a_405_json_error() {
    let app = TestApp::new();
    let resp = app.get("/api/v1/session").await;
    resp.assert_api_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        Lang::Ja,
        "error.method_not_allowed",
    );
}

// ---- Rate limit ----

#[tokio::test]
async fn eleven_api_logins_for_one_address_are_a_429_json_error() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    for attempt in 1..=10 {
        let resp = app
            .api(
                Method::POST,
                "/api/v1/session",
                Some(credentials(EMAIL, "Guess-Number-0001")),
                None,
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let resp = app
        .api(
            Method::POST,
            "/api/v1/session",
            Some(credentials(EMAIL, PASSWORD)),
            None,
        )
        .await;
    resp.assert_api_error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        Lang::Ja,
        "error.rate_limited",
    );
    let retry = resp.header("retry-after").expect("Retry-After");
    assert!(
        retry.parse::<u64>().is_ok_and(|seconds| seconds > 0),
        "{retry}"
    );
    // The address's limit holds whatever the letter case.
    let upper = app
        .api(
            Method::POST,
            "/api/v1/session",
            Some(credentials("TARO.YAMADA@EXAMPLE.JP", PASSWORD)),
            None,
        )
        .await;
    assert_eq!(upper.status, StatusCode::TOO_MANY_REQUESTS);
}
