//! Accounts end to end: registration, email verification, login and logout,
//! against the real `portal` binary, a real SMTP server and (for the browser
//! test) headless Chromium. Each test has its own portal, SMTP server and
//! data directory.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use reqwest::StatusCode;
use serde_json::{Value, json};
use shimin_e2e::{Browser, Portal, SmtpServer, screenshot_dir};

/// The subject of the verification mail contains this.
const VERIFY_SUBJECT: &str = "本登録確認";
/// The page behind a fresh verification link says this.
const VERIFIED: &str = "本登録が完了しました";
/// The page behind a used verification link says this.
const ALREADY_USED: &str = "すでに使用";

const MAIL_TIMEOUT: Duration = Duration::from_secs(30);
const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

fn http() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// POSTs `body` as JSON and returns the status and the body text.
async fn post_json(
    http: &reqwest::Client,
    url: &str,
    body: &Value,
) -> Result<(StatusCode, String)> {
    let response = http
        .post(url)
        .json(body)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    let status = response.status();
    Ok((status, response.text().await?))
}

#[tokio::test]
async fn registration_over_the_json_api_with_real_smtp() -> Result<()> {
    let smtp = SmtpServer::start().await?;
    let portal = Portal::builder().smtp(&smtp).start().await?;
    portal.explain(register_verify_and_log_in_over_json(&portal, &smtp).await)
}

async fn register_verify_and_log_in_over_json(portal: &Portal, smtp: &SmtpServer) -> Result<()> {
    let http = http()?;

    let email = "yamada.taro@example.invalid";
    let password = "kasumigaoka-Sakura-7421";
    let registration = json!({
        "email": email,
        "family_name": "山田",
        "given_name": "太郎",
        "password": password,
        "password_confirm": password,
        "accept_terms": true,
    });
    let register_url = portal.url("/api/v1/account/register");
    let session_url = portal.url("/api/v1/session");
    let credentials = json!({ "email": email, "password": password });

    // Start the registration.
    let first = post_json(&http, &register_url, &registration).await?;
    ensure!(
        first.0.is_success(),
        "POST /api/v1/account/register answered {}: {}",
        first.0,
        first.1
    );

    // The verification mail arrives over SMTP with a link back to the portal.
    let mail = smtp
        .wait_for_mail(email, VERIFY_SUBJECT, MAIL_TIMEOUT)
        .await?;
    let link = mail.link_containing("/verify?token=")?;
    ensure!(
        link.starts_with(&portal.url("/verify?token=")),
        "the verification link {link} does not point at the portal {}",
        portal.base_url()
    );

    // Not verified yet: no session.
    let (status, body) = post_json(&http, &session_url, &credentials).await?;
    ensure!(
        status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED,
        "login before verification answered {status} (expected 403 or 401): {body}"
    );

    // Following the link activates the account, once.
    let response = http.get(&link).send().await?;
    let status = response.status();
    let page = response.text().await?;
    ensure!(
        status == StatusCode::OK,
        "GET {link} answered {status}: {page}"
    );
    ensure!(
        page.contains(VERIFIED),
        "the verification page lacks {VERIFIED:?}:\n{page}"
    );
    let response = http.get(&link).send().await?;
    let status = response.status();
    let page = response.text().await?;
    ensure!(
        !status.is_server_error(),
        "GET {link} a second time answered {status}: {page}"
    );
    ensure!(
        page.contains(ALREADY_USED),
        "following a used link does not say it was already used ({ALREADY_USED:?}); \
         status {status}:\n{page}"
    );

    // Now the account can log in and read its profile.
    let (status, body) = post_json(&http, &session_url, &credentials).await?;
    ensure!(
        status == StatusCode::OK,
        "login after verification answered {status}: {body}"
    );
    let session: Value = serde_json::from_str(&body).context("the session answer is not JSON")?;
    let token = session["token"]
        .as_str()
        .filter(|t| !t.is_empty())
        .with_context(|| format!("no \"token\" in {body}"))?;
    let response = http
        .get(portal.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await?;
    let status = response.status();
    let body = response.text().await?;
    ensure!(
        status == StatusCode::OK,
        "GET /api/v1/me answered {status}: {body}"
    );
    let me: Value = serde_json::from_str(&body).context("/api/v1/me is not JSON")?;
    ensure!(me["email"] == email, "wrong email in {body}");
    ensure!(me["family_name"] == "山田", "wrong family_name in {body}");
    ensure!(me["given_name"] == "太郎", "wrong given_name in {body}");

    // Registering the same address again answers exactly as the first time:
    // no answer tells whether an address is registered.
    let again = post_json(&http, &register_url, &registration).await?;
    ensure!(
        again == first,
        "registering an existing address answered {} {:?}, but a new one {} {:?}",
        again.0,
        again.1,
        first.0,
        first.1
    );

    // A malformed JSON body gets a 400 with a JSON error.
    let response = http
        .post(&register_url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(r#"{"email": "broken@example.invalid", "#)
        .send()
        .await?;
    let status = response.status();
    let body = response.text().await?;
    ensure!(
        status == StatusCode::BAD_REQUEST,
        "malformed JSON answered {status}: {body}"
    );
    let error: Value = serde_json::from_str(&body)
        .with_context(|| format!("the 400 answer is not JSON: {body}"))?;
    ensure!(
        error["error"]["code"]
            .as_str()
            .is_some_and(|c| !c.is_empty()),
        "no error.code in {body}"
    );
    ensure!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "no error.message in {body}"
    );

    // A wrong password is a 401.
    let (status, body) = post_json(
        &http,
        &session_url,
        &json!({ "email": email, "password": "not-the-password-1234" }),
    )
    .await?;
    ensure!(
        status == StatusCode::UNAUTHORIZED,
        "a wrong password answered {status}: {body}"
    );
    Ok(())
}

#[tokio::test]
async fn browser_registers_verifies_logs_in_and_out() -> Result<()> {
    let browser = Browser::start().await?;
    let smtp = SmtpServer::start().await?;
    let portal = Portal::builder().smtp(&smtp).start().await?;
    portal.explain(register_verify_log_in_and_out_in_browser(browser, &portal, &smtp).await)
}

async fn register_verify_log_in_and_out_in_browser(
    browser: Browser,
    portal: &Portal,
    smtp: &SmtpServer,
) -> Result<()> {
    let email = "suzuki.hanako@example.invalid";
    let password = "hinode-Minato-2026-kaede";
    let family_name = "鈴木";

    // Register through the form.
    browser.goto(&portal.url("/register")).await?;
    browser.fill("email", email).await?;
    browser.fill("family_name", family_name).await?;
    browser.fill("given_name", "花子").await?;
    browser.fill("password", password).await?;
    browser.fill("password_confirm", password).await?;
    browser.check("accept_terms").await?;
    browser.click_id("submit").await?;
    browser.wait_for_text("確認メール", PAGE_TIMEOUT).await?;

    // Verify with the link from the mail.
    let mail = smtp
        .wait_for_mail(email, VERIFY_SUBJECT, MAIL_TIMEOUT)
        .await?;
    let link = mail.link_containing("/verify?token=")?;
    browser.goto(&link).await?;
    browser.wait_for_text(VERIFIED, PAGE_TIMEOUT).await?;

    // Log in; the top page greets the citizen by name.
    let login_url = portal.url("/login");
    browser.goto(&login_url).await?;
    browser.fill("email", email).await?;
    browser.fill("password", password).await?;
    browser.click_id("submit").await?;
    browser
        .wait_for_url_change(&login_url, PAGE_TIMEOUT)
        .await
        .context("the login form did not lead away from /login")?;
    browser.goto(&portal.url("/")).await?;
    browser.wait_for_text(family_name, PAGE_TIMEOUT).await?;
    browser
        .screenshot(screenshot_dir()?.join("top-logged-in.png"))
        .await?;

    // Log out: the page offers the login again, and no logout button.
    browser.click_id("logout").await?;
    let deadline = tokio::time::Instant::now() + PAGE_TIMEOUT;
    loop {
        let logout_gone = browser
            .find(fantoccini::Locator::Id("logout"))
            .await
            .is_err();
        let login_link = browser
            .find(fantoccini::Locator::Css(r#"a[href*="/login"]"#))
            .await
            .is_ok();
        if logout_gone && login_link {
            break;
        }
        if tokio::time::Instant::now() > deadline {
            let text = browser.body_text().await.unwrap_or_default();
            anyhow::bail!(
                "after logout the page has no link to /login (or still a logout button); \
                 its text:\n{text}"
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    browser.close().await?;
    Ok(())
}
