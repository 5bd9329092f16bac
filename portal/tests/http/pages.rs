//! HTTP-level tests of the public pages: the top page and its languages, the language switch,
//! security headers, error pages, the registration form (CSRF, errors, mail) and the
//! verification link.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{CITY, PASSWORD, TestApp, msg, token_in};
use axum::http::{Method, StatusCode};
use portal::i18n::Lang;

const GOOD_EMAIL: &str = "taro.yamada@example.jp";

/// The fields of a complete, valid registration.
fn good_registration(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("email", email),
        ("family_name", "山田"),
        ("given_name", "太郎"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("accept_terms", "yes"),
    ]
}

// ---- The top page and languages ----

#[tokio::test]
async fn the_top_page_is_japanese_by_default() {
    let app = TestApp::new();
    let resp = app.get("/").await;
    assert_eq!(resp.status, StatusCode::OK);
    assert!(
        resp.content_type().starts_with("text/html"),
        "{}",
        resp.content_type()
    );
    assert!(resp.body.contains("<html lang=\"ja\">"), "{}", resp.body);
    assert!(resp.body.contains("市民ポータルサイト"));
    assert!(resp.body.contains(CITY));
    resp.assert_says(Lang::Ja, "page.home.lead");
    // The way in for visitors: login and registration.
    assert!(resp.body.contains("href=\"/register\""));
    assert!(resp.body.contains("href=\"/login\""));
}

#[tokio::test]
async fn accept_language_en_gives_the_english_top_page() {
    let app = TestApp::new();
    let resp = app
        .get_with("/", &[("accept-language", "en-US,en;q=0.9")])
        .await;
    assert_eq!(resp.status, StatusCode::OK);
    assert!(resp.body.contains("<html lang=\"en\">"), "{}", resp.body);
    assert!(resp.body.contains("Citizen Portal"));
    resp.assert_says(Lang::En, "page.home.lead");
    assert!(
        !resp.body.contains("市民ポータルサイト"),
        "Japanese text on the English page"
    );
}

#[tokio::test]
async fn accept_language_preferring_japanese_keeps_japanese() {
    let app = TestApp::new();
    let resp = app
        .get_with("/", &[("accept-language", "en;q=0.5, ja")])
        .await;
    assert!(resp.body.contains("<html lang=\"ja\">"), "{}", resp.body);
}

#[tokio::test]
async fn the_language_switch_sets_the_cookie_and_goes_back() {
    let app = TestApp::new();
    let resp = app.get("/lang/en?next=/register").await;
    assert!(resp.status.is_redirection(), "{}", resp.status);
    assert_eq!(resp.location(), Some("/register"));
    let cookie = resp.set_cookie("lang").expect("lang cookie");
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    // The cookie wins over Accept-Language from then on.
    let page = app
        .get_with(
            "/register",
            &[("cookie", "lang=en"), ("accept-language", "ja")],
        )
        .await;
    assert!(page.body.contains("<html lang=\"en\">"));
    page.assert_says(Lang::En, "page.register.lead");
}

#[tokio::test]
async fn the_language_switch_back_to_japanese_works_in_a_browser() {
    let app = TestApp::new();
    let mut browser = app.browser();
    browser.get("/lang/en?next=/").await;
    assert!(browser.get("/").await.body.contains("<html lang=\"en\">"));
    let back = browser.get("/lang/ja?next=/").await;
    assert_eq!(back.location(), Some("/"));
    assert!(browser.get("/").await.body.contains("<html lang=\"ja\">"));
}

#[tokio::test]
async fn the_language_switch_does_not_redirect_off_site() {
    let app = TestApp::new();
    for next in [
        "//evil.example",
        "//evil.example/path",
        "https://evil.example/",
        "/%5Cevil.example",
    ] {
        let resp = app.get(&format!("/lang/en?next={next}")).await;
        assert!(resp.status.is_redirection(), "{next}: {}", resp.status);
        assert_eq!(resp.location(), Some("/"), "next={next}");
    }
}

#[tokio::test]
async fn the_language_switch_links_back_to_the_current_page() {
    let app = TestApp::new();
    let resp = app.get("/register").await;
    assert!(
        resp.body.contains("href=\"/lang/en?next=%2Fregister\""),
        "{}",
        resp.body
    );
}

#[tokio::test]
async fn an_unknown_language_is_not_found() {
    let app = TestApp::new();
    let resp = app.get("/lang/xx?next=/").await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    assert!(resp.set_cookie("lang").is_none());
}

// ---- Security headers ----

fn assert_security_headers(resp: &crate::common::Resp, what: &str) {
    assert_eq!(resp.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        resp.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        resp.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    let csp = resp
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"));
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
}

#[tokio::test]
async fn pages_carry_the_security_headers_and_are_not_cached() {
    let app = TestApp::new();
    for path in [
        "/",
        "/register",
        "/login",
        "/nope",
        "/verify?token=x",
        "/terms",
    ] {
        let resp = app.get(path).await;
        assert_security_headers(&resp, path);
        assert_eq!(resp.header("cache-control"), Some("no-store"), "{path}");
    }
    // Redirects and API answers too.
    let redirect = app.get("/account").await;
    assert_security_headers(&redirect, "/account redirect");
    let api = app.get("/api/v1/me").await;
    assert_security_headers(&api, "/api/v1/me");
    assert_eq!(api.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn the_stylesheet_is_cacheable_but_still_protected() {
    let app = TestApp::new();
    let resp = app.get("/static/app.css").await;
    assert_eq!(resp.status, StatusCode::OK);
    assert!(resp.content_type().starts_with("text/css"));
    let cache = resp.header("cache-control").unwrap_or("");
    assert!(!cache.contains("no-store"), "{cache}");
    assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
}

// ---- Error pages ----

#[tokio::test]
async fn an_unknown_page_is_a_japanese_404_page() {
    let app = TestApp::new();
    let resp = app.get("/nope").await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    assert!(
        resp.content_type().starts_with("text/html"),
        "{}",
        resp.content_type()
    );
    assert!(resp.body.contains("<html lang=\"ja\">"));
    resp.assert_says(Lang::Ja, "error.not_found");
    assert!(
        resp.body.contains("市民ポータルサイト"),
        "the error page has the site's layout"
    );
}

#[tokio::test]
async fn an_unknown_page_is_english_for_english_readers() {
    let app = TestApp::new();
    let resp = app
        .get_with("/nope/deeper", &[("accept-language", "en")])
        .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    assert!(resp.body.contains("<html lang=\"en\">"));
    resp.assert_says(Lang::En, "error.not_found");
}

#[tokio::test]
async fn a_wrong_method_on_a_page_is_an_html_405_page() {
    let app = TestApp::new();
    let resp = app
        .raw(Method::DELETE, "/register", "text/plain", "", &[])
        .await;
    assert_eq!(resp.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(resp.content_type().starts_with("text/html"));
    resp.assert_says(Lang::Ja, "error.method_not_allowed");
}

#[tokio::test]
async fn an_oversized_form_is_refused_with_413_and_creates_nothing() {
    let app = TestApp::new();
    let mut browser = app.browser();
    let csrf = browser.get("/register").await.csrf();
    let huge = "あ".repeat(30_000); // 90 000 bytes of UTF-8, 270 000 encoded
    let resp = browser
        .post_form(
            "/register",
            &[
                ("csrf", &csrf),
                ("email", GOOD_EMAIL),
                ("family_name", &huge),
                ("given_name", "太郎"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("accept_terms", "yes"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(resp.content_type().starts_with("text/html"));
    resp.assert_says(Lang::Ja, "error.too_large");
    assert_eq!(app.account_count().await, 0);
}

// ---- Registration ----

#[tokio::test]
async fn the_registration_form_has_every_field_and_a_csrf_token() {
    let app = TestApp::new();
    let resp = app.get("/register").await;
    assert_eq!(resp.status, StatusCode::OK);
    for field in [
        "email",
        "family_name",
        "given_name",
        "password",
        "password_confirm",
        "accept_terms",
    ] {
        assert!(
            resp.body.contains(&format!("name=\"{field}\"")),
            "field {field} missing"
        );
    }
    assert_eq!(
        resp.csrf().len(),
        43,
        "token looks like base64 of an HMAC-SHA256"
    );
    let cookie = resp.set_cookie("sp_csrf").expect("the CSRF cookie is set");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    resp.assert_says(Lang::Ja, "page.register.lead");
}

#[tokio::test]
async fn the_csrf_cookie_is_kept_once_set() {
    let app = TestApp::new();
    let mut browser = app.browser();
    let first = browser.get("/register").await;
    assert!(first.set_cookie("sp_csrf").is_some());
    let second = browser.get("/register").await;
    assert!(
        second.set_cookie("sp_csrf").is_none(),
        "a browser with the cookie gets no new one"
    );
    assert_eq!(first.csrf(), second.csrf(), "same cookie, same token");
}

#[tokio::test]
async fn registration_errors_are_shown_beside_the_fields_and_nothing_is_created() {
    let app = TestApp::new();
    let mut browser = app.browser();
    let resp = browser
        .submit(
            "/register",
            "/register",
            &[
                ("email", "taro.example.jp"),
                ("family_name", "山田"),
                ("given_name", "太郎"),
                ("password", PASSWORD),
                ("password_confirm", "Something-Else-9182"),
                // no accept_terms
            ],
        )
        .await;
    assert_eq!(
        resp.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        resp.body
    );
    assert!(resp.content_type().starts_with("text/html"));
    resp.assert_says(Lang::Ja, "error.email_malformed");
    resp.assert_says(Lang::Ja, "error.password_mismatch");
    resp.assert_says(Lang::Ja, "error.terms_required");
    resp.assert_says(Lang::Ja, "error.form_has_errors");
    // What was typed is kept (except the passwords), so only the mistakes need fixing.
    assert!(
        resp.body.contains("value=\"taro.example.jp\""),
        "email not kept"
    );
    assert!(resp.body.contains("value=\"山田\""), "family name not kept");
    assert!(resp.body.contains("value=\"太郎\""), "given name not kept");
    assert!(!resp.body.contains(PASSWORD), "the password is echoed back");
    assert!(resp.body.contains("aria-invalid=\"true\""));

    assert_eq!(app.account_count().await, 0, "an account was created");
    assert_eq!(app.mail_count().await, 0, "mail was queued");
}

#[tokio::test]
async fn registration_errors_are_in_english_for_english_readers() {
    let app = TestApp::new();
    let mut browser = app.browser().accept_language("en");
    let resp = browser
        .submit(
            "/register",
            "/register",
            &[
                ("email", ""),
                ("family_name", ""),
                ("given_name", "Taro"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("<html lang=\"en\">"));
    resp.assert_says(Lang::En, "error.email_required");
    resp.assert_says(Lang::En, "error.name_required");
    resp.assert_says(Lang::En, "error.password_too_short");
    resp.assert_says(Lang::En, "error.terms_required");
}

#[tokio::test]
async fn a_common_password_is_refused() {
    let app = TestApp::new();
    let mut browser = app.browser();
    let mut fields = good_registration(GOOD_EMAIL);
    fields[3] = ("password", "password123");
    fields[4] = ("password_confirm", "password123");
    let resp = browser.submit("/register", "/register", &fields).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    resp.assert_says(Lang::Ja, "error.password_too_common");
    assert_eq!(app.account_count().await, 0);
}

#[tokio::test]
async fn registration_without_a_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::new();
    let mut browser = app.browser();
    browser.get("/register").await; // has the cookie, but the form omits the token
    let resp = browser
        .post_form("/register", &good_registration(GOOD_EMAIL))
        .await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    assert!(resp.content_type().starts_with("text/html"));
    resp.assert_says(Lang::Ja, "error.csrf");
    assert_eq!(app.account_count().await, 0);
    assert_eq!(app.mail_count().await, 0);
}

#[tokio::test]
async fn registration_with_a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::new();
    let mut browser = app.browser();
    let real = browser.get("/register").await.csrf();
    let mut wrong = real.clone();
    wrong.replace_range(0..1, if real.starts_with('A') { "B" } else { "A" });
    let mut fields = vec![("csrf", wrong.as_str())];
    fields.extend(good_registration(GOOD_EMAIL));
    let resp = browser.post_form("/register", &fields).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    resp.assert_says(Lang::Ja, "error.csrf");
    assert_eq!(app.account_count().await, 0);
    assert_eq!(app.mail_count().await, 0);
}

#[tokio::test]
async fn a_token_from_another_browser_does_not_pass() {
    let app = TestApp::new();
    let mut attacker = app.browser();
    let attackers_token = attacker.get("/register").await.csrf();
    let mut victim = app.browser();
    victim.get("/").await; // the victim has a CSRF cookie of its own
    let mut fields = vec![("csrf", attackers_token.as_str())];
    fields.extend(good_registration(GOOD_EMAIL));
    let resp = victim.post_form("/register", &fields).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    resp.assert_says(Lang::Ja, "error.csrf");
    // And with no cookie at all (a cross-site form post from a fresh browser).
    let mut fresh = app.browser();
    let resp = fresh.post_form("/register", &fields).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    assert_eq!(app.account_count().await, 0);
}

#[tokio::test]
async fn a_good_registration_sends_exactly_one_verification_mail() {
    let app = TestApp::new();
    let mut browser = app.browser();
    let resp = browser
        .submit("/register", "/register", &good_registration(GOOD_EMAIL))
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert!(resp.body.contains("確認メール"), "{}", resp.body);
    resp.assert_says(Lang::Ja, "page.register.sent_1");

    assert_eq!(app.mail_count().await, 1, "exactly one mail");
    let mail = app.mail_to(GOOD_EMAIL).await;
    assert_eq!(mail.len(), 1);
    let mail = &mail[0];
    assert_eq!(mail.to, GOOD_EMAIL);
    assert_eq!(mail.subject, "東広島市市民ポータルサイトの本登録確認");
    assert!(mail.text.contains("/verify?token="), "{}", mail.text);
    assert!(
        mail.text.contains("山田 太郎"),
        "the mail greets by name: {}",
        mail.text
    );
    assert!(
        mail.text.contains("http://127.0.0.1:8080/verify?token="),
        "the link starts with the portal's address: {}",
        mail.text
    );
    assert_eq!(app.account_count().await, 1);
}

#[tokio::test]
async fn an_english_registration_gets_english_mail() {
    let app = TestApp::new();
    let mut browser = app.browser();
    browser.get("/lang/en?next=/register").await;
    let resp = browser
        .submit("/register", "/register", &good_registration(GOOD_EMAIL))
        .await;
    assert_eq!(resp.status, StatusCode::OK);
    resp.assert_says(Lang::En, "page.register.sent_1");
    let mail = app.mail_to(GOOD_EMAIL).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0].subject,
        "東広島市 Citizen Portal: confirm your registration"
    );
}

#[tokio::test]
async fn registering_a_taken_address_looks_the_same_and_tells_the_owner() {
    let app = TestApp::new();
    app.citizen(GOOD_EMAIL, "山田", "太郎").await;
    let before = app.mail_to(GOOD_EMAIL).await.len();

    let mut fresh = app.browser();
    let new_one = fresh
        .submit(
            "/register",
            "/register",
            &good_registration("hanako@example.jp"),
        )
        .await;
    let mut other = app.browser();
    let taken = other
        .submit(
            "/register",
            "/register",
            &good_registration("Taro.Yamada@EXAMPLE.jp"),
        )
        .await;
    assert_eq!(taken.status, new_one.status);
    assert_eq!(taken.status, StatusCode::OK);
    assert_eq!(
        taken.body, new_one.body,
        "the page must not tell the two apart"
    );
    assert_eq!(
        app.account_count().await,
        2,
        "no second account for the taken address"
    );
    let mail = app.mail_to(GOOD_EMAIL).await;
    assert_eq!(mail.len(), before + 1);
    let notice = mail.last().unwrap();
    assert_eq!(notice.subject, "東広島市市民ポータルサイトの登録について");
    assert!(!notice.text.contains("/verify?token="));
}

#[tokio::test]
async fn registration_mail_is_written_to_the_outbox_folder_by_the_worker() {
    let app = TestApp::new();
    let mut browser = app.browser();
    browser
        .submit("/register", "/register", &good_registration(GOOD_EMAIL))
        .await;
    let mail_id = app.mail_to(GOOD_EMAIL).await[0].mail_id;
    let sent = app.parts.worker.run_once().await.unwrap();
    assert_eq!(sent, 1);
    let file = app
        .settings
        .data_dir
        .join("outbox")
        .join(format!("{mail_id}.eml"));
    let eml = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    assert!(eml.contains(GOOD_EMAIL), "{eml}");
    assert_eq!(
        app.parts.worker.run_once().await.unwrap(),
        0,
        "handed-over mail is sent again"
    );
}

#[tokio::test]
async fn eleven_registrations_in_an_hour_from_one_client_are_refused() {
    let app = TestApp::new();
    let mut browser = app.browser();
    let csrf = browser.get("/register").await.csrf();
    // Invalid forms still count: the limit is on attempts, and they are cheap to send.
    let fields = [("csrf", csrf.as_str()), ("email", "x")];
    for attempt in 1..=10 {
        let resp = browser.post_form("/register", &fields).await;
        assert_eq!(
            resp.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
    }
    let resp = browser.post_form("/register", &fields).await;
    assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.header("retry-after").is_some());
    resp.assert_says(Lang::Ja, "error.rate_limited");
}

// ---- The verification link ----

#[tokio::test]
async fn an_unknown_verification_link_is_a_400_page() {
    let app = TestApp::new();
    let resp = app.get("/verify?token=not-a-real-token").await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert!(resp.content_type().starts_with("text/html"));
    resp.assert_says(Lang::Ja, "error.link_unknown");
    // And without any token at all.
    let resp = app.get("/verify").await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    resp.assert_says(Lang::Ja, "error.link_unknown");
}

#[tokio::test]
async fn the_verification_link_activates_once() {
    let app = TestApp::new();
    let mut browser = app.browser();
    browser
        .submit("/register", "/register", &good_registration(GOOD_EMAIL))
        .await;
    let mail = app.mail_to(GOOD_EMAIL).await;
    let token = token_in(&mail[0].text, "/verify").expect("link in the mail");

    // Before verification the account cannot log in.
    let early = browser.login(GOOD_EMAIL, PASSWORD).await;
    early.assert_says(Lang::Ja, "error.not_verified");

    let done = app.get(&format!("/verify?token={token}")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("本登録が完了しました"));
    assert!(done.body.contains("href=\"/login\""));

    let again = app.get(&format!("/verify?token={token}")).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    again.assert_says(Lang::Ja, "error.link_used");
    assert!(!again.body.contains("本登録が完了しました"));

    let login = browser.login(GOOD_EMAIL, PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
}

#[tokio::test]
async fn a_verification_link_older_than_a_day_has_expired() {
    let app = TestApp::new();
    app.pending_citizen(GOOD_EMAIL, "山田", "太郎").await;
    let token = app.token_for(GOOD_EMAIL, "/verify").await;
    app.clock.advance(jiff::SignedDuration::from_hours(25));
    let resp = app.get(&format!("/verify?token={token}")).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    resp.assert_says(Lang::Ja, "error.link_expired");
}

#[tokio::test]
async fn the_resend_form_sends_a_fresh_link_that_works() {
    let app = TestApp::new();
    app.pending_citizen(GOOD_EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let resp = browser
        .submit("/verify/resend", "/verify/resend", &[("email", GOOD_EMAIL)])
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    resp.assert_says(Lang::Ja, "page.mail_sent.body");
    let mail = app.mail_to(GOOD_EMAIL).await;
    assert_eq!(mail.len(), 2, "the first and the resent verification mail");
    let token = token_in(&mail[1].text, "/verify").unwrap();
    let done = app.get(&format!("/verify?token={token}")).await;
    assert_eq!(done.status, StatusCode::OK);

    // The same answer for an address nobody registered, and no mail.
    let unknown = browser
        .submit(
            "/verify/resend",
            "/verify/resend",
            &[("email", "nobody@example.jp")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    unknown.assert_says(Lang::Ja, "page.mail_sent.body");
    assert!(app.mail_to("nobody@example.jp").await.is_empty());
}

#[tokio::test]
async fn the_legal_pages_exist_in_both_languages() {
    let app = TestApp::new();
    for path in ["/terms", "/privacy"] {
        let ja = app.get(path).await;
        assert_eq!(ja.status, StatusCode::OK, "{path}");
        assert!(ja.body.contains("<html lang=\"ja\">"));
        let en = app.get_with(path, &[("accept-language", "en")]).await;
        assert_eq!(en.status, StatusCode::OK, "{path}");
        assert!(en.body.contains("<html lang=\"en\">"));
        assert_ne!(ja.body, en.body);
    }
    assert!(
        app.get("/terms")
            .await
            .text()
            .contains(msg(Lang::Ja, "page.terms.title"))
    );
}

#[tokio::test]
async fn a_forged_x_forwarded_for_does_not_escape_the_limit_without_a_proxy() {
    let app = TestApp::new(); // trust_proxy is off by default
    let mut browser = app.browser();
    let csrf = browser.get("/register").await.csrf();
    let fields = crate::common::form_body(&[("csrf", &csrf), ("email", "x")]);
    let mut last = StatusCode::OK;
    for attempt in 1..=11 {
        let request = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/register")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", browser.cookie_header())
            .header("x-forwarded-for", format!("203.0.113.{attempt}"))
            .body(axum::body::Body::from(fields.clone()))
            .unwrap();
        last = app.send(request).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_clients_are_limited_separately() {
    let app = TestApp::with_settings(|settings| portal::config::Settings {
        trust_proxy: true,
        ..settings
    });
    let mut browser = app.browser();
    let csrf = browser.get("/register").await.csrf();
    let fields = crate::common::form_body(&[("csrf", &csrf), ("email", "x")]);
    let post = |client: &'static str| {
        axum::http::Request::builder()
            .method(Method::POST)
            .uri("/register")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", browser.cookie_header())
            .header("x-forwarded-for", client)
            .body(axum::body::Body::from(fields.clone()))
            .unwrap()
    };
    for _ in 0..10 {
        app.send(post("203.0.113.1")).await;
    }
    assert_eq!(
        app.send(post("203.0.113.1")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        app.send(post("203.0.113.2, 10.0.0.1")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another client behind the proxy is limited on its own"
    );
}
