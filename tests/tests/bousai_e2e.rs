//! 避難情報 the whole way, on the real `portal` binary (the demo city, 東広島市's towns), a real
//! SMTP server (aiosmtpd), the fake LINE platform checking every request against LINE's OpenAPI
//! files, and headless Chromium for the pages:
//!
//! the demo citizen links LINE and takes only 西条町's 土砂災害警戒区域, in English; the disaster
//! office writes a 警戒レベル4 避難指示 for exactly that, previews it in every language and sends
//! it, and watches the delivery end on its page; the citizen gets it in English by email and by
//! LINE, answers 「I need help」 with the quick-reply button under the LINE message, sees the top
//! page's banner, follows the mail's link and changes her answer to 「I have evacuated」 with
//! one tap; the office sees her latest answer under 西条町; the office cancels it, and the 取消 notice reaches her
//! in English on both channels.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use shimin_e2e::line_fake::{LineFake, LineFakeConfig};
use shimin_e2e::{Browser, Portal, SmtpServer, demo, screenshot_dir};

const CITIZEN: &str = "citizen@demo.invalid";
const OFFICE: &str = "bousai@demo.invalid";
const LINE_USER: &str = "U0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e";
const WAIT: Duration = Duration::from_secs(30);

async fn login(browser: &Browser, portal: &Portal, email: &str) -> Result<()> {
    browser.client().delete_all_cookies().await?;
    browser.goto(&portal.url("/login")).await?;
    browser.fill("email", email).await?;
    browser.fill("password", demo::DEMO_PASSWORD).await?;
    browser.click_id("submit").await?;
    browser.wait_for_css("#logout", WAIT).await?;
    Ok(())
}

async fn click(browser: &Browser, css: &str) -> Result<()> {
    browser
        .find(Locator::Css(css))
        .await
        .with_context(|| format!("no {css}"))?
        .click()
        .await?;
    Ok(())
}

fn line_texts(line: &LineFake) -> Vec<String> {
    line.received(LINE_USER)
        .iter()
        .filter_map(|message| message["text"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn an_evacuation_order_reaches_the_citizen_in_english_who_answers_and_is_told_of_its_cancel()
-> Result<()> {
    let line = LineFake::start(LineFakeConfig::default()).await?;
    let smtp = SmtpServer::start().await?;
    let portal = Portal::builder()
        .arg("--demo")
        .smtp(&smtp)
        .env("PORTAL_LINE_API_BASE", line.base_url())
        .env("PORTAL_LINE_CHANNEL_SECRET", &line.config().channel_secret)
        .env("PORTAL_LINE_CHANNEL_TOKEN", &line.config().channel_token)
        .start()
        .await?;
    let browser = Browser::start().await?;
    let result = whole_path(&portal, &line, &smtp, &browser).await;
    browser.close().await?;
    portal.explain(result)?;
    line.assert_clean()
}

async fn whole_path(
    portal: &Portal,
    line: &LineFake,
    smtp: &SmtpServer,
    browser: &Browser,
) -> Result<()> {
    let shots = screenshot_dir()?;
    let citizen = demo::link_line(portal, line, CITIZEN, LINE_USER).await?;
    let saved = citizen
        .submit(
            "/bousai/settings",
            "/bousai/settings",
            &[
                ("receive", "1"),
                ("language", "en"),
                ("scope", "areas"),
                ("area1", "1"),
                ("zones1", "1"),
            ],
        )
        .await?;
    ensure!(saved.status == 303, "{saved:?}");
    let linked = line_texts(line).len();

    // The office writes the order, previews it, sends it.
    login(browser, portal, OFFICE).await?;
    browser.goto(&portal.url("/admin/bousai")).await?;
    browser.click_id("new-alert").await?;
    browser.wait_for_css("#alert-form", WAIT).await?;
    click(browser, "#kind option[value='level4']").await?;
    browser.click_id("scope-areas").await?;
    click(browser, "input[name='area'][value='1']").await?;
    click(browser, "input[name='zones'][value='1']").await?;
    browser.fill("shelters", "西条小学校").await?;
    browser.click_id("preview-button").await?;
    browser
        .wait_for_css("section[data-lang='vi']", WAIT)
        .await?;
    let preview = browser.body_text().await?;
    ensure!(preview.contains("Alert Level 4"), "{preview}");
    ensure!(preview.contains("西条町(土砂災害警戒区域)"), "{preview}");
    browser
        .client()
        .execute(
            "document.getElementById('preview').scrollIntoView()",
            vec![],
        )
        .await?;
    browser.screenshot(shots.join("bousai-preview.png")).await?;
    browser.click_id("send-button").await?;
    browser
        .wait_for_css("#progress[data-done='1']", WAIT)
        .await?;
    let page = browser.body_text().await?;
    ensure!(page.contains("送信済み"), "{page}");
    let alert_url = browser.client().current_url().await?;
    let alert_id = alert_url
        .path()
        .rsplit('/')
        .next()
        .context("no alert id")?
        .to_owned();
    browser
        .screenshot(shots.join("bousai-progress.png"))
        .await?;

    // In English, by email and by LINE, with the alert's link.
    let mail = smtp.wait_for_mail(CITIZEN, "Alert Level 4", WAIT).await?;
    ensure!(
        mail.text.contains("Open shelters: 西条小学校"),
        "{}",
        mail.text
    );
    let link = mail.link_containing(&format!("/bousai/alerts/{alert_id}"))?;
    let received = line.wait_for_received(LINE_USER, linked + 1, WAIT).await?;
    let pushed = received.last().context("nothing pushed")?;
    ensure!(
        pushed["text"]
            .as_str()
            .is_some_and(|t| t.contains("Alert Level 4")),
        "{pushed}"
    );
    // One tap under the LINE message: 「I need help」 comes back as a postback.
    let buttons = pushed["quickReply"]["items"]
        .as_array()
        .context("no quick replies")?;
    let labels: Vec<&str> = buttons
        .iter()
        .filter_map(|item| item["action"]["label"].as_str())
        .collect();
    ensure!(
        labels == ["I am safe", "I have evacuated", "I need help"],
        "{labels:?}"
    );
    let data = buttons[2]["action"]["data"].as_str().context("no data")?;
    line.post_webhook(
        &portal.url("/webhooks/line"),
        vec![line.postback_event(LINE_USER, data)],
    )
    .await?;
    line.wait_for_received(LINE_USER, linked + 2, WAIT).await?;
    let reply = line_texts(line);
    ensure!(
        reply
            .last()
            .is_some_and(|t| t.starts_with("Your answer: I need help")),
        "{reply:?}"
    );

    // The banner, then the page from the mail's link: her answer from LINE, changed by a tap.
    login(browser, portal, CITIZEN).await?;
    let banner = browser
        .wait_for_css("#alert-banner", WAIT)
        .await?
        .text()
        .await?;
    ensure!(banner.contains("Alert Level 4"), "{banner}");
    browser.screenshot(shots.join("bousai-banner.png")).await?;
    browser.goto(&link).await?;
    let from_line = browser
        .wait_for_css("#my-answer", WAIT)
        .await?
        .text()
        .await?;
    ensure!(from_line.contains("I need help"), "{from_line}");
    browser.click_id("answer-evacuated").await?;
    browser.wait_for_css("#answer-saved", WAIT).await?;
    let mine = browser.body_text().await?;
    ensure!(mine.contains("I have evacuated"), "{mine}");
    browser
        .screenshot(shots.join("bousai-alert-citizen.png"))
        .await?;

    // The office sees her answer under 西条町, then cancels.
    login(browser, portal, OFFICE).await?;
    browser.goto(alert_url.as_str()).await?;
    let answers = browser.wait_for_css("#answers", WAIT).await?.text().await?;
    ensure!(
        answers.lines().any(|row| {
            let cells: Vec<&str> = row.split_whitespace().collect();
            cells == ["西条町", "0", "1", "0", "1"]
        }),
        "{answers}"
    );
    browser.screenshot(shots.join("bousai-answers.png")).await?;
    // The 取消 form sits in a closed <details>.
    browser
        .client()
        .execute(
            "document.querySelectorAll('details').forEach(d => d.open = true)",
            vec![],
        )
        .await?;
    browser.click_id("cancel").await?;
    browser.wait_for_text("取消のお知らせ", WAIT).await?;
    let notice = smtp.wait_for_mail(CITIZEN, "[Cancelled]", WAIT).await?;
    ensure!(notice.text.contains("is cancelled"), "{}", notice.text);
    let received = line.wait_for_received(LINE_USER, linked + 3, WAIT).await?;
    let notice = received.last().context("no notice")?;
    ensure!(
        notice["text"]
            .as_str()
            .is_some_and(|t| t.contains("[Cancelled]")),
        "{notice}"
    );
    ensure!(notice.get("quickReply").is_none(), "{notice}");
    Ok(())
}
