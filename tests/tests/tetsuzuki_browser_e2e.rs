//! ライフイベントの手続き in headless Chromium: a visitor answers the questions one at a time
//! (子どもが生まれた, 国民健康保険, not a public servant, the day of birth) and gets the procedures
//! with their deadlines as dates; the shared link opens the same result, and the plain text
//! carries it too.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use shimin_e2e::{Browser, Portal, screenshot_dir};

const WAIT: Duration = Duration::from_secs(20);

async fn choose(browser: &Browser, name: &str, value: &str) -> Result<()> {
    browser
        .find(Locator::Css(&format!(
            "input[name='{name}'][value='{value}']"
        )))
        .await
        .with_context(|| format!("no answer {value} to {name}"))?
        .click()
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_birth_gives_its_procedures_and_the_link_shares_them() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let browser = Browser::start().await?;
    let result = async {
        browser.goto(&portal.url("/kosodate/tetsuzuki")).await?;
        choose(&browser, "event", "birth").await?;
        browser.click_id("find").await?;
        browser.wait_for_css("#q-insurance", WAIT).await?;
        choose(&browser, "insurance", "national").await?;
        choose(&browser, "public_servant", "no").await?;
        browser
            .client()
            .execute(
                "document.getElementById('day').value = '2026-12-01'",
                vec![],
            )
            .await?;
        browser.click_id("find").await?;
        let list = browser
            .wait_for_css("#procedures", WAIT)
            .await?
            .text()
            .await?;
        ensure!(
            list.contains("出生届") && list.contains("児童手当"),
            "{list}"
        );
        ensure!(list.contains("2026年12月14日"), "{list}");
        browser
            .client()
            .execute("document.getElementById('result').scrollIntoView()", vec![])
            .await?;
        browser
            .screenshot(screenshot_dir()?.join("tetsuzuki.png"))
            .await?;

        // The link to share opens the same result in a fresh browser.
        let link = browser
            .find(Locator::Id("share-url"))
            .await?
            .prop("value")
            .await?
            .context("no share link")?;
        browser.client().delete_all_cookies().await?;
        ensure!(link.starts_with(portal.base_url()), "{link}");
        browser.goto(&link).await?;
        let again = browser
            .wait_for_css("#procedures", WAIT)
            .await?
            .text()
            .await?;
        ensure!(again == list, "the shared link shows another result");
        browser.click_id("as-text").await?;
        let text = browser.wait_for_text("出生届", WAIT).await?;
        ensure!(text.contains("持ち物"), "{text}");
        Ok(())
    }
    .await;
    browser.close().await?;
    portal.explain(result)
}
