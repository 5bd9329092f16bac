//! 小中学校・幼稚園からの情報 in headless Chromium on a `--demo` portal with a real SMTP server:
//! the kindergarten's teacher is refused a notice to a class nobody registered in, sends an
//! urgent 休園 notice to 年中ひまわり組, the guardian gets the mail, opens its link, reads it on
//! the portal, and adds her younger child to the elementary school with its code (a wrong code
//! first); the teacher then sees that it was read.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use shimin_e2e::{Browser, Portal, SmtpServer, screenshot_dir};

const WAIT: Duration = Duration::from_secs(30);
const PASSWORD: &str = "shimin-demo-2026";
const TEACHER: &str = "school@demo.invalid";
const CITIZEN: &str = "citizen@demo.invalid";

/// The demo school codes the portal printed: (code, name).
fn codes(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let code = words.next()?;
            let name = words.next()?;
            (code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()))
                .then(|| (code.to_owned(), name.to_owned()))
        })
        .collect()
}

async fn login(browser: &Browser, portal: &Portal, email: &str) -> Result<()> {
    browser.goto(&portal.url("/login")).await?;
    browser.fill("email", email).await?;
    browser.fill("password", PASSWORD).await?;
    browser.click_id("submit").await?;
    browser.wait_for_css("#logout", WAIT).await?;
    Ok(())
}

async fn logout(browser: &Browser) -> Result<()> {
    browser.click_id("logout").await?;
    browser.wait_for_css("a[href='/login']", WAIT).await?;
    Ok(())
}

/// Clicks the element the XPath `path` finds.
async fn click(browser: &Browser, path: &str) -> Result<()> {
    browser
        .find(Locator::XPath(path))
        .await
        .with_context(|| format!("nothing at {path}"))?
        .click()
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_kindergarten_notice_is_mailed_read_on_the_portal_and_its_reading_seen() -> Result<()> {
    let smtp = SmtpServer::start().await?;
    let portal = Portal::builder().arg("--demo").smtp(&smtp).start().await?;
    let browser = Browser::start().await?;
    let result = portal.explain(flow(&portal, &browser, &smtp).await);
    browser.close().await?;
    result
}

async fn flow(portal: &Portal, browser: &Browser, smtp: &SmtpServer) -> Result<()> {
    let shots = screenshot_dir()?;
    let codes = codes(&portal.stdout());
    let code_of = |name: &str| {
        codes
            .iter()
            .find(|(_, n)| n == name)
            .map(|(code, _)| code.clone())
            .with_context(|| format!("no demo code for {name} in {codes:?}"))
    };
    let kindergarten = code_of("みどり幼稚園")?;
    let elementary = code_of("西条小学校")?;

    // The teacher: a notice to 年長ばら組, where nobody registered, is refused.
    login(browser, portal, TEACHER).await?;
    browser.goto(&portal.url("/admin/schools")).await?;
    browser.wait_for_text("みどり幼稚園", WAIT).await?;
    let new_notice = portal.url(&format!("/admin/schools/{kindergarten}/notices/new"));
    browser.goto(&new_notice).await?;
    click(browser, "//label[contains(., '年長ばら組')]/input").await?;
    browser.fill("title", "お知らせ").await?;
    browser.fill("body", "テスト").await?;
    browser.click_id("submit").await?;
    browser
        .wait_for_text("まだ登録している保護者がいません", WAIT)
        .await?;

    // An urgent 休園 notice to 年中ひまわり組.
    browser.goto(&new_notice).await?;
    click(browser, "//label[contains(., '年中ひまわり組')]/input").await?;
    click(browser, "//select[@id='kind']/option[@value='closure']").await?;
    browser.check("urgent").await?;
    browser.fill("title", "臨時休園のお知らせ").await?;
    browser
        .fill(
            "body",
            "大雪のため、明日12月3日は臨時休園とします。\n\n預かり保育もありません。",
        )
        .await?;
    browser
        .screenshot(shots.join("school-notice-new.png"))
        .await?;
    browser.click_id("submit").await?;
    let receipts = browser.wait_for_text("既読の確認", WAIT).await?;
    ensure!(receipts.contains("0 / 1"), "not 0 of 1 read:\n{receipts}");
    ensure!(
        receipts.contains("山田 さくら（年中ひまわり組）"),
        "{receipts}"
    );
    let receipts_url = browser.current_url().await?.to_string();
    logout(browser).await?;

    // The guardian gets it by mail, urgent, from the kindergarten, with a link to the portal.
    let mail = smtp.wait_for_mail(CITIZEN, "臨時休園", WAIT).await?;
    ensure!(
        mail.subject.contains("緊急") && mail.subject.contains("みどり幼稚園"),
        "subject {:?}",
        mail.subject
    );
    ensure!(
        mail.text.contains("預かり保育もありません"),
        "{}",
        mail.text
    );
    let link = mail.link_containing("/school/notices/")?;
    let path = url::Url::parse(&link)?.path().to_owned();

    login(browser, portal, CITIZEN).await?;
    browser.goto(&portal.url("/school")).await?;
    let inbox = browser.wait_for_text("臨時休園のお知らせ", WAIT).await?;
    ensure!(inbox.contains("未読") && inbox.contains("緊急"), "{inbox}");
    browser.screenshot(shots.join("school-inbox.png")).await?;
    browser.goto(&portal.url(&path)).await?;
    let read = browser
        .wait_for_text("預かり保育もありません", WAIT)
        .await?;
    ensure!(read.contains("既読"), "{read}");
    browser.screenshot(shots.join("school-notice.png")).await?;

    // Her younger child to 西条小学校: a wrong code first, then the right one.
    browser.goto(&portal.url("/school/join")).await?;
    click(
        browser,
        "//select[@id='child_id']/option[contains(., '蓮')]",
    )
    .await?;
    let wrong = (0..10_000)
        .map(|n| format!("{n:04}"))
        .find(|c| !codes.iter().any(|(code, _)| code == c))
        .context("no free code")?;
    browser.fill("code", &wrong).await?;
    browser.click_id("submit").await?;
    browser
        .wait_for_text("この学校コードの学校は見つかりません", WAIT)
        .await?;
    click(
        browser,
        "//select[@id='child_id']/option[contains(., '蓮')]",
    )
    .await?;
    browser.fill("code", &elementary).await?;
    browser.click_id("submit").await?;
    browser
        .wait_for_text("学校コードを確認しました", WAIT)
        .await?;
    click(browser, "//select[@id='place']/option[.='1年2組']").await?;
    browser.screenshot(shots.join("school-join.png")).await?;
    browser.click_id("submit").await?;
    let saved = browser.wait_for_text("保存しました", WAIT).await?;
    ensure!(saved.contains("西条小学校 1年2組"), "{saved}");
    logout(browser).await?;

    // The teacher sees it read.
    login(browser, portal, TEACHER).await?;
    browser.goto(&receipts_url).await?;
    let receipts = browser.wait_for_text("既読の確認", WAIT).await?;
    ensure!(receipts.contains("1 / 1"), "not 1 of 1 read:\n{receipts}");
    browser
        .screenshot(shots.join("school-receipts.png"))
        .await?;
    browser
        .goto(&portal.url(&format!("/admin/schools/{kindergarten}")))
        .await?;
    let page = browser.wait_for_text("学級・グループを追加", WAIT).await?;
    ensure!(page.contains("臨時休園のお知らせ"), "{page}");
    browser.screenshot(shots.join("school-admin.png")).await?;
    Ok(())
}
