//! 子育てイベントカレンダー in headless Chromium on the demo city: the demo citizen opens the
//! calendar from her 子育て menu, sees the month with the demo events, keeps only those her
//! children's ages suit, opens 親子ふれあいあそび (0–1歳, her 蓮 is 1歳) and applies; the page then
//! says 申込済み.

use std::time::Duration;

use anyhow::Result;
use fantoccini::Locator;
use shimin_e2e::{Browser, Portal, screenshot_dir};

const WAIT: Duration = Duration::from_secs(20);
const EVENT: &str = "親子ふれあいあそび";

#[tokio::test]
async fn the_demo_citizen_browses_the_month_and_applies_for_an_event() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let browser = Browser::start().await?;
    let shots = screenshot_dir()?;
    let result = async {
        browser.goto(&portal.url("/login")).await?;
        browser.fill("email", "citizen@demo.invalid").await?;
        browser.fill("password", "shimin-demo-2026").await?;
        browser.click_id("submit").await?;
        browser.wait_for_css("#logout", WAIT).await?;
        browser.goto(&portal.url("/kosodate")).await?;
        browser
            .find(Locator::Css("a[href='/kosodate/events']"))
            .await?
            .click()
            .await?;
        browser.wait_for_css("table.event-calendar", WAIT).await?;
        // Only the events for her children's ages (さくら 4歳, 蓮 1歳): no 離乳食教室 (5–8か月).
        let all = browser.current_url().await?;
        browser.click_id("fit").await?;
        browser.click_id("fit-apply").await?;
        browser.wait_for_url_change(all.as_str(), WAIT).await?;
        browser.wait_for_css("#fit:checked", WAIT).await?;
        // The demo events start three days from today, which may be next month.
        if !browser.body_text().await?.contains(EVENT) {
            browser.click_id("next-month").await?;
            browser.wait_for_text(EVENT, WAIT).await?;
        }
        let month = browser.body_text().await?;
        anyhow::ensure!(!month.contains("離乳食教室"), "{month}");
        browser.screenshot(shots.join("events-month.png")).await?;

        browser
            .find(Locator::XPath(&format!(
                "//table[@class='event-calendar']//a[contains(., '{EVENT}')]"
            )))
            .await?
            .click()
            .await?;
        browser.wait_for_css("#apply", WAIT).await?;
        let page = browser.body_text().await?;
        anyhow::ensure!(page.contains("0歳〜1歳"), "{page}");
        browser.click_id("apply").await?;
        browser.wait_for_css("#standing", WAIT).await?;
        let standing = browser.find(Locator::Id("standing")).await?.text().await?;
        anyhow::ensure!(standing == "申込済み", "standing: {standing}");
        let left = browser
            .find(Locator::Id("places-left"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(left == "14", "places left: {left}");
        browser.screenshot(shots.join("event-applied.png")).await?;
        Ok(())
    }
    .await;
    browser.close().await?;
    portal.explain(result)
}
