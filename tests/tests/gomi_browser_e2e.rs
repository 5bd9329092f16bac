//! ごみ収集日 in headless Chromium on the demo city (Kanazawa's real 5374 data): the citizen
//! sees her area's month calendar and next collections, moves to another area found by its
//! town name, and looks an item up in the 分別 dictionary (and opens her 防災情報の通知設定);
//! the waste office's import of a file
//! with a bad row is refused with the file, line and reason, and nothing changes.

use std::time::Duration;

use anyhow::Result;
use fantoccini::Locator;
use shimin_e2e::{Browser, Portal, screenshot_dir};

const WAIT: Duration = Duration::from_secs(20);

async fn login(browser: &Browser, portal: &Portal, email: &str) -> Result<()> {
    browser.goto(&portal.url("/login")).await?;
    browser.fill("email", email).await?;
    browser.fill("password", "shimin-demo-2026").await?;
    browser.click_id("submit").await?;
    browser.wait_for_css("#logout", WAIT).await?;
    Ok(())
}

#[tokio::test]
async fn a_citizen_keeps_her_garbage_days_and_the_office_sees_bad_rows_refused() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let browser = Browser::start().await?;
    let shots = screenshot_dir()?;
    let dir = tempfile::tempdir()?;
    let result = async {
        login(&browser, &portal, "citizen@demo.invalid").await?;
        browser
            .find(Locator::Css("a[href='/gomi']"))
            .await?
            .click()
            .await?;
        browser.wait_for_text("ごみ収集日の通知設定", WAIT).await?;
        let text = browser.body_text().await?;
        anyhow::ensure!(text.contains("浅野"), "{text}");
        anyhow::ensure!(text.contains("燃やすごみ"), "{text}");
        browser.screenshot(shots.join("gomi-citizen.png")).await?;
        browser
            .client()
            .execute(
                "document.getElementById('month-title').scrollIntoView()",
                vec![],
            )
            .await?;
        browser.screenshot(shots.join("gomi-calendar.png")).await?;

        // Another area, found by part of its name.
        browser.fill("q", "浅野川").await?;
        browser.click_id("search-area").await?;
        browser.wait_for_css("ul.choices button", WAIT).await?;
        browser
            .find(Locator::XPath(
                "//ul[@class='choices']//button[text()='浅野川']",
            ))
            .await?
            .click()
            .await?;
        browser.wait_for_text("設定を保存しました", WAIT).await?;
        let area = browser
            .find(Locator::Id("current-area"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(area == "浅野川", "area now {area}");

        // 分別: an iron goes out as 燃やさないごみ.
        browser.fill("item", "アイロン").await?;
        browser.click_id("search-item").await?;
        browser.wait_for_css("table.bunbetsu", WAIT).await?;
        let text = browser.body_text().await?;
        anyhow::ensure!(text.contains("燃やさないごみ"), "{text}");
        browser.screenshot(shots.join("gomi-bunbetsu.png")).await?;

        // Her 防災情報の通知設定 sits beside it on the menu: the demo city's towns to choose.
        browser.goto(&portal.url("/bousai/settings")).await?;
        browser
            .wait_for_text("特定の地域の情報だけを希望するか", WAIT)
            .await?;
        let text = browser.body_text().await?;
        anyhow::ensure!(text.contains("該当なし"), "{text}");
        browser
            .screenshot(shots.join("bousai-settings.png"))
            .await?;

        // The waste office imports a file with a bad rule on line 2: refused, unchanged.
        let bad = dir.path().join("area_days.csv");
        let good = include_str!("../../portal/data/5374/kanazawa/area_days.csv");
        std::fs::write(&bad, good.replacen("月 木", "月曜 木", 1))?;
        let keep = |name: &str| -> Result<std::path::PathBuf> {
            let path = dir.path().join(name);
            let from = shimin_e2e::workspace_root()
                .join("portal/data/5374/kanazawa")
                .join(name);
            std::fs::copy(from, &path)?;
            Ok(path)
        };
        let files = [
            ("area_days", bad),
            ("center", keep("center.csv")?),
            ("description", keep("description.csv")?),
            ("target", keep("target.csv")?),
        ];
        browser.client().delete_all_cookies().await?;
        login(&browser, &portal, "gomi@demo.invalid").await?;
        browser.goto(&portal.url("/admin/gomi")).await?;
        browser.wait_for_css("#area-count", WAIT).await?;
        for (field, path) in &files {
            browser
                .find(Locator::Id(field))
                .await?
                .send_keys(&path.to_string_lossy())
                .await?;
        }
        browser.click_id("import").await?;
        browser.wait_for_css("#import-error", WAIT).await?;
        let error = browser
            .find(Locator::Id("import-error"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(
            error.contains("area_days.csv の 2 行目") && error.contains("月曜"),
            "{error}"
        );
        let count = browser
            .find(Locator::Id("area-count"))
            .await?
            .text()
            .await?;
        anyhow::ensure!(count == "71", "areas now {count}");
        browser
            .screenshot(shots.join("gomi-admin-refused.png"))
            .await?;
        Ok(())
    }
    .await;
    browser.close().await?;
    portal.explain(result)
}
