//! 市からの欲しい情報の設定 in headless Chromium on a `--demo` portal: the demo citizen adds
//! two 分野, takes one off with ×, and sends; the page shows what was saved. The office
//! attaches a PDF to an announcement, and the announcement offers it.

use std::time::Duration;

use anyhow::{Result, ensure};
use fantoccini::Locator;
use shimin_e2e::{Browser, Portal, screenshot_dir};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn the_demo_citizen_picks_her_categories() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let browser = Browser::start().await?;
    let result = async {
        browser.goto(&portal.url("/login")).await?;
        browser.fill("email", "citizen@demo.invalid").await?;
        browser.fill("password", "shimin-demo-2026").await?;
        browser.click_id("submit").await?;
        browser.wait_for_css("#logout", WAIT).await?;
        browser.goto(&portal.url("/oshirase/settings")).await?;
        browser
            .wait_for_text("選択されている分野はありません", WAIT)
            .await?;
        for value in ["bousai", "kosodate"] {
            browser
                .find(Locator::Css(&format!("#add option[value={value}]")))
                .await?
                .click()
                .await?;
            browser.click_id("add-category").await?;
            browser
                .wait_for_css(&format!("button[value='remove:{value}']"), WAIT)
                .await?;
        }
        browser
            .screenshot(screenshot_dir()?.join("oshirase-settings.png"))
            .await?;
        browser
            .find(Locator::Css("button[value='remove:bousai']"))
            .await?
            .click()
            .await?;
        // The page comes back without it (nothing is saved yet).
        let deadline = std::time::Instant::now() + WAIT;
        while !browser
            .find_all(Locator::Css("button[value='remove:bousai']"))
            .await?
            .is_empty()
        {
            ensure!(
                std::time::Instant::now() < deadline,
                "× did not take bousai off"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        browser
            .wait_for_css("button[value='remove:kosodate']", WAIT)
            .await?;
        browser.click_id("submit").await?;
        let saved = browser.wait_for_text("保存しました", WAIT).await?;
        ensure!(
            saved.contains("子育て・教育"),
            "kosodate not saved:\n{saved}"
        );
        ensure!(
            browser
                .find_all(Locator::Css("button[value='remove:bousai']"))
                .await?
                .is_empty(),
            "bousai was taken off but is still chosen"
        );
        Ok(())
    }
    .await;
    browser.close().await?;
    result
}

#[tokio::test]
async fn the_office_attaches_a_pdf_and_a_reader_finds_it() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let browser = Browser::start().await?;
    let leaflet = portal.data_dir().join("防災訓練の案内.pdf");
    std::fs::write(&leaflet, b"%PDF-1.4\n%%EOF\n")?;
    let result = async {
        browser.goto(&portal.url("/login")).await?;
        browser.fill("email", "city@demo.invalid").await?;
        browser.fill("password", "shimin-demo-2026").await?;
        browser.click_id("submit").await?;
        browser.wait_for_css("#logout", WAIT).await?;
        browser.goto(&portal.url("/admin/announcements")).await?;
        browser.fill("title", "防災訓練のお知らせ").await?;
        browser
            .fill("body", "12月6日に市内一斉の防災訓練を行います。")
            .await?;
        browser
            .find(Locator::Id("attachment"))
            .await?
            .send_keys(&leaflet.display().to_string())
            .await?;
        browser
            .screenshot(screenshot_dir()?.join("oshirase-attach.png"))
            .await?;
        browser.click_id("submit").await?;
        // The form itself says 添付ファイル: wait for the announcement's page with the file.
        browser
            .wait_for_text("防災訓練の案内.pdf（PDF, 1 KB）", WAIT)
            .await?;
        browser
            .screenshot(screenshot_dir()?.join("oshirase-attachment.png"))
            .await?;
        let href = browser
            .find(Locator::Id("attachment-link"))
            .await?
            .attr("href")
            .await?
            .unwrap_or_default();
        let file = reqwest::get(portal.url(&href)).await?;
        ensure!(file.status() == 200, "GET {href}: {}", file.status());
        ensure!(file.bytes().await?.as_ref() == b"%PDF-1.4\n%%EOF\n");
        Ok(())
    }
    .await;
    browser.close().await?;
    portal.explain(result)
}
