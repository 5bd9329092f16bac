//! 母子健康手帳の交付の予約 in headless Chromium on the demo city: the citizen picks a time,
//! answers the 問診 leaving a required question out (refused at that question, the rest kept),
//! completes it and books; the health office finds the booking in its calendar and reads her
//! answers.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use shimin_e2e::{Browser, Portal, demo, screenshot_dir};

const WAIT: Duration = Duration::from_secs(20);

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

#[tokio::test]
async fn a_citizen_books_with_the_questionnaire_and_the_office_reads_it() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let browser = Browser::start().await?;
    let result = book(&portal, &browser).await;
    browser.close().await?;
    portal.explain(result)
}

async fn book(portal: &Portal, browser: &Browser) -> Result<()> {
    let shots = screenshot_dir()?;
    login(browser, portal, "citizen@demo.invalid").await?;
    browser.goto(&portal.url("/kosodate")).await?;
    click(browser, "a[href='/kosodate/yoyaku']").await?;
    browser.click_id("service-boshi_techo").await?;
    browser.wait_for_css("#slots", WAIT).await?;
    click(browser, "#slots a.button").await?;
    browser.wait_for_css("#monshin", WAIT).await?;
    let when = browser.find(Locator::Id("slot-when")).await?.text().await?;

    // Everything but 喫煙: refused at that question, the rest kept.
    browser.fill("weeks", "9").await?;
    for (name, value) in [
        ("first_pregnancy", "yes"),
        ("feeling", "happy"),
        ("history", "none"),
        ("smoking_household", "no"),
        ("drinking", "no"),
        ("support", "yes"),
    ] {
        click(browser, &format!("input[name='{name}'][value='{value}']")).await?;
    }
    browser
        .fill(
            "consult",
            "仕事を続けながらの妊婦健診について相談したいです。",
        )
        .await?;
    browser.click_id("book").await?;
    let error = browser
        .wait_for_css("#q-smoking .error", WAIT)
        .await?
        .text()
        .await?;
    ensure!(!error.is_empty(), "no message at 喫煙");
    let kept = browser
        .find(Locator::Css("textarea[name='consult']"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    ensure!(kept.contains("妊婦健診"), "the answer was lost: {kept:?}");
    browser
        .client()
        .execute(
            "document.getElementById('q-smoking').scrollIntoView()",
            vec![],
        )
        .await?;
    browser.screenshot(shots.join("kenko-refused.png")).await?;

    click(browser, "input[name='smoking'][value='never']").await?;
    browser.click_id("book").await?;
    browser.wait_for_css("#done", WAIT).await?;
    let mine = browser.find(Locator::Id("bookings")).await?.text().await?;
    ensure!(mine.contains(&when), "{mine} lacks {when}");
    browser.screenshot(shots.join("kenko-booked.png")).await?;

    // The office: her booking in the calendar, her answers on the time's page.
    login(browser, portal, "hoken@demo.invalid").await?;
    browser.goto(&portal.url("/admin/kenko")).await?;
    click(browser, "#calendar a[href^='/admin/kenko/slots/']").await?;
    let page = browser.wait_for_text("妊婦健診について", WAIT).await?;
    ensure!(
        page.contains("山田 花子") || page.contains("花子"),
        "{page}"
    );
    browser.screenshot(shots.join("kenko-office.png")).await?;
    Ok(())
}
