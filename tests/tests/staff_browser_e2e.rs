//! The admin's staff page in headless Chromium on a `--demo` portal: the demo admin logs in,
//! sees the demo staff with their roles, and invites a teacher, whose invitation mail (an
//! `.eml` file in DATA/outbox, the embedded default) carries the set-password link.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use shimin_e2e::{Browser, Portal, find_link, screenshot_dir};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn the_demo_admin_invites_a_teacher() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let browser = Browser::start().await?;
    let result = async {
        ensure!(
            portal.stdout().contains("admin@demo.invalid"),
            "demo logins not printed"
        );
        browser.goto(&portal.url("/login")).await?;
        browser.fill("email", "admin@demo.invalid").await?;
        browser.fill("password", "shimin-demo-2026").await?;
        browser.click_id("submit").await?;
        browser.wait_for_text("職員の管理", WAIT).await?;

        browser.goto(&portal.url("/admin/staff")).await?;
        let page = browser.wait_for_text("職員と役割", WAIT).await?;
        ensure!(
            page.contains("図書 文子") && page.contains("学校 花子"),
            "demo staff missing:\n{page}"
        );
        browser
            .screenshot(screenshot_dir()?.join("admin-staff.png"))
            .await?;

        browser.fill("email", "sensei@school.example.jp").await?;
        browser.fill("family_name", "佐藤").await?;
        browser.fill("given_name", "一郎").await?;
        browser
            .find(Locator::Css(
                r#"form[action="/admin/staff"] input[value="school"]"#,
            ))
            .await
            .context("no school role box in the invitation form")?
            .click()
            .await?;
        browser.click_id("submit").await?;
        let after = browser
            .wait_for_text("招待メールを送信しました", WAIT)
            .await?;
        ensure!(
            after.contains("佐藤 一郎"),
            "the invitee is not listed:\n{after}"
        );

        let outbox = portal.data_dir().join("outbox");
        let deadline = std::time::Instant::now() + WAIT;
        let link = loop {
            let mut found = None;
            for entry in std::fs::read_dir(&outbox).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if text.contains("sensei@school.example.jp") {
                    found = find_link(
                        &text.replace("=\r\n", "").replace("=3D", "="),
                        "/staff/welcome?token=",
                    );
                }
            }
            if let Some(link) = found {
                break link;
            }
            ensure!(
                std::time::Instant::now() < deadline,
                "no invitation mail in {}",
                outbox.display()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        ensure!(
            link.starts_with(portal.base_url()),
            "link {link} does not point at the portal"
        );
        Ok(())
    }
    .await;
    let result = portal.explain(result);
    browser.close().await?;
    result
}
