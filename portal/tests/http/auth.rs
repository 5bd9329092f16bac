//! HTTP-level tests of logging in and out with the HTML forms, the session cookie, the pages
//! that need a signed-in citizen, and the login rate limit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{OTHER_PASSWORD, PASSWORD, TestApp};
use axum::http::StatusCode;
use portal::i18n::Lang;

const EMAIL: &str = "taro.yamada@example.jp";

#[tokio::test]
async fn a_wrong_password_is_a_401_page_with_the_message_and_no_session() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let resp = browser.login(EMAIL, "Not-The-Password-1").await;
    assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
    assert!(resp.content_type().starts_with("text/html"));
    resp.assert_says(Lang::Ja, "error.bad_credentials");
    assert!(
        resp.set_cookie("sp_session").is_none(),
        "a session cookie after a wrong password"
    );
    assert!(
        resp.body.contains(&format!("value=\"{EMAIL}\"")),
        "the email is kept in the form"
    );
    assert!(
        !resp.body.contains("Not-The-Password-1"),
        "the password is echoed"
    );
}

#[tokio::test]
async fn an_unknown_address_gets_the_same_answer_as_a_wrong_password() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let wrong_password = browser.login(EMAIL, "Not-The-Password-1").await;
    let unknown = browser
        .login("nobody@example.jp", "Not-The-Password-1")
        .await;
    assert_eq!(unknown.status, wrong_password.status);
    unknown.assert_says(Lang::Ja, "error.bad_credentials");
    assert_eq!(
        unknown.body.replace("nobody@example.jp", "EMAIL"),
        wrong_password.body.replace(EMAIL, "EMAIL"),
        "the page tells whether the address is registered"
    );
}

#[tokio::test]
async fn an_unverified_account_with_the_right_password_is_told_to_verify() {
    let app = TestApp::new();
    app.pending_citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let resp = browser.login(EMAIL, PASSWORD).await;
    assert!(resp.status.is_client_error(), "{}", resp.status);
    resp.assert_says(Lang::Ja, "error.not_verified");
    assert!(resp.set_cookie("sp_session").is_none());
    // With a wrong password it must not reveal that the account exists but is unverified.
    let wrong = browser.login(EMAIL, "Not-The-Password-1").await;
    wrong.assert_says(Lang::Ja, "error.bad_credentials");
    assert!(!wrong.says(Lang::Ja, "error.not_verified"));
}

#[tokio::test]
async fn login_sets_a_protected_session_cookie_and_greets_by_name() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let resp = browser.login(EMAIL, PASSWORD).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(resp.location(), Some("/"));
    let cookie = resp.set_cookie("sp_session").expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain-http portal must not set Secure: {cookie}"
    );
    assert!(
        resp.cookie_value("sp_session").unwrap().len() >= 32,
        "a long random secret"
    );

    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("山田 太郎"), "{}", home.body);
    home.assert_says(Lang::Ja, "page.home.user_lead");
    assert!(home.body.contains("action=\"/logout\""), "a logout button");
    assert!(
        !home.body.contains("href=\"/admin/staff\""),
        "citizens see no staff link"
    );

    // Without the cookie, the same page is the visitors' page.
    let anonymous = app.get("/").await;
    assert!(!anonymous.body.contains("山田 太郎"));
}

#[tokio::test]
async fn login_ignores_case_and_surrounding_spaces_of_the_address() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let resp = browser.login(" Taro.Yamada@EXAMPLE.JP ", PASSWORD).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
}

#[tokio::test]
async fn an_https_portal_sets_secure_cookies() {
    let app = TestApp::with_settings(|settings| portal::config::Settings {
        public_url: Some("https://portal.city.example.jp".to_owned()),
        ..settings
    });
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let form = browser.get("/login").await;
    assert!(form.set_cookie("sp_csrf").unwrap().contains("Secure"));
    let resp = browser.login(EMAIL, PASSWORD).await;
    let cookie = resp.set_cookie("sp_session").expect("session cookie");
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn the_account_page_needs_login_and_comes_back_after_it() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let resp = browser.get("/account").await;
    assert!(resp.status.is_redirection(), "{}", resp.status);
    assert_eq!(resp.location(), Some("/login?next=%2Faccount"));

    let form = browser.get("/login?next=%2Faccount").await;
    assert!(
        form.body.contains("name=\"next\" value=\"/account\""),
        "{}",
        form.body
    );
    let csrf = form.csrf();
    let login = browser
        .post_form(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", EMAIL),
                ("password", PASSWORD),
                ("next", "/account"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location(), Some("/account"));

    let account = browser.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains(EMAIL));
    assert!(account.body.contains("value=\"山田\""));
}

#[tokio::test]
async fn login_does_not_redirect_off_site() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let csrf = browser.get("/login").await.csrf();
    let resp = browser
        .post_form(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", EMAIL),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), Some("/"));
}

#[tokio::test]
async fn login_without_the_csrf_token_is_refused() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    browser.get("/login").await;
    let resp = browser
        .post_form("/login", &[("email", EMAIL), ("password", PASSWORD)])
        .await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    resp.assert_says(Lang::Ja, "error.csrf");
    assert!(resp.set_cookie("sp_session").is_none());
}

#[tokio::test]
async fn a_signed_in_visitor_of_the_login_page_goes_on() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    browser.login(EMAIL, PASSWORD).await;
    let resp = browser.get("/login?next=%2Faccount").await;
    assert!(resp.status.is_redirection());
    assert_eq!(resp.location(), Some("/account"));
}

#[tokio::test]
async fn logout_clears_the_cookie_and_ends_the_session() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    browser.login(EMAIL, PASSWORD).await;
    let old_session = browser.session().expect("logged in").to_owned();
    let csrf_cookie = browser.cookies["sp_csrf"].clone();

    let home = browser.get("/").await;
    let csrf = home.csrf(); // the logout form in the header
    let resp = browser.post_form("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), Some("/"));
    let cleared = resp
        .set_cookie("sp_session")
        .expect("the cookie is cleared");
    assert!(
        cleared.starts_with("sp_session=;") || cleared.to_ascii_lowercase().contains("max-age=0"),
        "{cleared}"
    );
    assert!(browser.session().is_none());
    assert!(!browser.get("/").await.body.contains("山田 太郎"));

    // Someone who kept the old cookie gets nothing with it.
    let replay = app
        .get_with(
            "/account",
            &[(
                "cookie",
                &format!("sp_session={old_session}; sp_csrf={csrf_cookie}"),
            )],
        )
        .await;
    assert!(replay.status.is_redirection(), "{}", replay.status);
    assert_eq!(replay.location(), Some("/login?next=%2Faccount"));
}

#[tokio::test]
async fn logout_without_the_csrf_token_keeps_the_session() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    browser.login(EMAIL, PASSWORD).await;
    let resp = browser.post_form("/logout", &[]).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    resp.assert_says(Lang::Ja, "error.csrf");
    let account = browser.get("/account").await;
    assert_eq!(
        account.status,
        StatusCode::OK,
        "a forged logout ended the session"
    );
}

#[tokio::test]
async fn an_api_bearer_header_does_not_sign_in_a_page() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let token = app.api_token(EMAIL, PASSWORD).await;
    let resp = app
        .get_with("/account", &[("authorization", &format!("Bearer {token}"))])
        .await;
    assert!(resp.status.is_redirection(), "{}", resp.status);
    assert_eq!(resp.location(), Some("/login?next=%2Faccount"));
}

#[tokio::test]
async fn the_name_can_be_changed_on_the_account_page() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    browser.login(EMAIL, PASSWORD).await;
    let resp = browser
        .submit(
            "/account",
            "/account",
            &[("family_name", "佐藤"), ("given_name", "花子")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), Some("/account?saved=1"));
    let page = browser.get("/account?saved=1").await;
    page.assert_says(Lang::Ja, "page.account.saved");
    assert!(page.body.contains("value=\"佐藤\""));
    assert!(browser.get("/").await.body.contains("佐藤 花子"));

    let empty = browser
        .submit(
            "/account",
            "/account",
            &[("family_name", " "), ("given_name", "花子")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_says(Lang::Ja, "error.name_required");
}

#[tokio::test]
async fn a_password_reset_link_sets_a_new_password() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let resp = browser
        .submit("/password/forgot", "/password/forgot", &[("email", EMAIL)])
        .await;
    assert_eq!(resp.status, StatusCode::OK);
    resp.assert_says(Lang::Ja, "page.mail_sent.body");
    let token = app.token_for(EMAIL, "/password/reset").await;
    let page = format!("/password/reset?token={token}");
    let form = browser.get(&page).await;
    assert!(
        form.body
            .contains(&format!("name=\"token\" value=\"{token}\""))
    );
    let done = browser
        .submit(
            &page,
            "/password/reset",
            &[
                ("token", &token),
                ("password", OTHER_PASSWORD),
                ("password_confirm", OTHER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    done.assert_says(Lang::Ja, "page.reset.done");

    assert_eq!(
        browser.login(EMAIL, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.login(EMAIL, OTHER_PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn eleven_login_attempts_for_one_address_are_refused_with_retry_after() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    let csrf = browser.get("/login").await.csrf();
    for attempt in 1..=10 {
        let resp = browser
            .post_form(
                "/login",
                &[
                    ("csrf", &csrf),
                    ("email", EMAIL),
                    ("password", "Guess-Number-0001"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // Even the right password is refused while the address is limited.
    let resp = browser
        .post_form(
            "/login",
            &[("csrf", &csrf), ("email", EMAIL), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);
    let retry = resp.header("retry-after").expect("Retry-After");
    assert!(
        retry.parse::<u64>().is_ok_and(|seconds| seconds > 0),
        "{retry}"
    );
    assert!(resp.content_type().starts_with("text/html"));
    resp.assert_says(Lang::Ja, "error.rate_limited");
    assert!(resp.set_cookie("sp_session").is_none());

    // Another address from the same client is not affected.
    app.citizen("hanako@example.jp", "山田", "花子").await;
    let other = browser
        .post_form(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", "hanako@example.jp"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_verification_link_does_not_reset_a_password() {
    let app = TestApp::new();
    app.pending_citizen(EMAIL, "山田", "太郎").await;
    let verify_token = app.token_for(EMAIL, "/verify").await;
    let mut browser = app.browser();
    let page = format!("/password/reset?token={verify_token}");
    let resp = browser
        .submit(
            &page,
            "/password/reset",
            &[
                ("token", &verify_token),
                ("password", OTHER_PASSWORD),
                ("password_confirm", OTHER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.body);
    resp.assert_says(Lang::Ja, "error.link_unknown");
    // The link still verifies, and the password is the old one.
    assert_eq!(
        app.get(&format!("/verify?token={verify_token}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        browser.login(EMAIL, OTHER_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        browser.login(EMAIL, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn names_are_shown_escaped() {
    let app = TestApp::new();
    app.citizen(EMAIL, "<script>alert(1)</script>", "太郎")
        .await;
    let mut browser = app.browser();
    browser.login(EMAIL, PASSWORD).await;
    for path in ["/", "/account"] {
        let resp = browser.get(path).await;
        assert_eq!(resp.status, StatusCode::OK);
        assert!(
            !resp.body.contains("<script>alert(1)"),
            "{path} injects markup:\n{}",
            resp.body
        );
        assert!(
            resp.text().contains("<script>alert(1)</script>"),
            "the name is not shown as text on {path}:\n{}",
            resp.body
        );
    }
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions_only() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut here = app.browser();
    here.login(EMAIL, PASSWORD).await;
    let mut elsewhere = app.browser();
    elsewhere.login(EMAIL, PASSWORD).await;
    let token = app.api_token(EMAIL, PASSWORD).await;

    let wrong = here
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", "Not-The-Password-1"),
                ("password", OTHER_PASSWORD),
                ("password_confirm", OTHER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_says(Lang::Ja, "error.current_password_wrong");

    let resp = here
        .submit(
            "/account/password",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", OTHER_PASSWORD),
                ("password_confirm", OTHER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(
        here.get("/account").await.status,
        StatusCode::OK,
        "this browser stays in"
    );
    assert!(
        elsewhere.get("/account").await.status.is_redirection(),
        "the other browser stays in"
    );
    let api = app
        .api(axum::http::Method::GET, "/api/v1/me", None, Some(&token))
        .await;
    assert_eq!(
        api.status,
        StatusCode::UNAUTHORIZED,
        "the API token survives a password change"
    );
    let notice = app.mail_to(EMAIL).await.pop().unwrap();
    assert_eq!(
        notice.subject,
        "東広島市市民ポータルサイトのパスワード変更のお知らせ"
    );
}

#[tokio::test]
async fn changing_the_email_address_takes_effect_with_the_link() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let new = "taro.new@example.jp";
    let mut browser = app.browser();
    browser.login(EMAIL, PASSWORD).await;
    let resp = browser
        .submit(
            "/account/email",
            "/account/email",
            &[("email", new), ("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    resp.assert_says(Lang::Ja, "page.email.sent");
    let notice = app.mail_to(EMAIL).await.pop().unwrap();
    assert_eq!(
        notice.subject,
        "東広島市市民ポータルサイトのメールアドレス変更のお知らせ"
    );
    let token = app.token_for(new, "/account/email/confirm").await;

    // Nothing changes before the link is used.
    let mut other = app.browser();
    assert_eq!(
        other.login(new, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );

    let done = app
        .get(&format!("/account/email/confirm?token={token}"))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    done.assert_says(Lang::Ja, "page.email.done");
    assert_eq!(
        other.login(new, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.browser().login(EMAIL, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(browser.get("/account").await.body.contains(new));
}

#[tokio::test]
async fn withdrawal_deletes_the_account_and_ends_the_session() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut browser = app.browser();
    browser.login(EMAIL, PASSWORD).await;
    let page = browser.get("/account/withdraw").await;
    page.assert_says(Lang::Ja, "page.withdraw.warning");

    let wrong = browser
        .submit(
            "/account/withdraw",
            "/account/withdraw",
            &[("password", "Not-The-Password-1")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.account_count().await, 1);

    let old_cookie = browser.cookie_header();
    let resp = browser
        .submit(
            "/account/withdraw",
            "/account/withdraw",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    resp.assert_says(Lang::Ja, "page.withdraw.done");
    assert!(
        resp.set_cookie("sp_session").is_some(),
        "the cookie is cleared"
    );
    assert!(
        !resp.body.contains("action=\"/logout\""),
        "the page still shows a signed-in header"
    );
    assert_eq!(app.account_count().await, 0);
    let farewell = app.mail_to(EMAIL).await.pop().unwrap();
    assert_eq!(farewell.subject, "東広島市市民ポータルサイト退会のお知らせ");

    let replay = app.get_with("/account", &[("cookie", &old_cookie)]).await;
    assert!(replay.status.is_redirection());
    assert_eq!(
        app.browser().login(EMAIL, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_browser_session_ends_after_two_weeks_unused_but_not_while_used() {
    let app = TestApp::new();
    app.citizen(EMAIL, "山田", "太郎").await;
    let mut used = app.browser();
    used.login(EMAIL, PASSWORD).await;
    let mut idle = app.browser();
    idle.login(EMAIL, PASSWORD).await;
    for _ in 0..3 {
        app.clock.advance(jiff::SignedDuration::from_hours(24 * 8));
        assert_eq!(
            used.get("/account").await.status,
            StatusCode::OK,
            "a session in use expired"
        );
    }
    let resp = idle.get("/account").await;
    assert!(
        resp.status.is_redirection(),
        "an idle session lived 24 days: {}",
        resp.status
    );
    assert_eq!(resp.location(), Some("/login?next=%2Faccount"));
}
