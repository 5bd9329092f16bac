//! Check-in/out end to end, every part real: the portal (`--demo`, against a Mosquitto on a
//! free port configured from `config/mosquitto.conf`), the headless kiosk, and Chromium as the
//! guardian's phone and as the 混雑状況 page.
//!
//! The admin registers a center and its kiosk in the portal's pages; the operator gives the
//! kiosk's credentials to Mosquitto (`portal admin mosquitto-passwd`); the guardian's phone
//! shows the pass page; the QR code on that page, as Chromium draws it, becomes a camera-like
//! frame (tilt, blur, noise, clutter) that the kiosk reads; the occupancy changes in the API
//! and, live, on the center's public page.

use std::{path::Path, time::Duration};

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use shimin_e2e::{
    Browser, Portal,
    camera::{CameraParams, camera_frame},
    demo::{DEMO_PASSWORD, citizen_token, fresh_pass, kiosk_password, wait_until_synced},
    kiosk::KioskProcess,
    mosquitto::{Mosquitto, demo_portal_on_mosquitto},
    portal_bin, screenshot_dir,
};

const WAIT: Duration = Duration::from_secs(30);
const PORTAL_PASSWORD: &str = "e2e-portal-broker-password";

async fn portal_on_mosquitto() -> Result<(Mosquitto, Portal)> {
    demo_portal_on_mosquitto(PORTAL_PASSWORD).await
}

/// What the operator does after registering kiosks: the portal's lines into Mosquitto.
fn give_kiosks_to_mosquitto(broker: &mut Mosquitto, data_dir: &Path) -> Result<()> {
    let output = std::process::Command::new(portal_bin()?)
        .args(["admin", "mosquitto-passwd", "--data-dir"])
        .arg(data_dir)
        .output()?;
    ensure!(
        output.status.success(),
        "mosquitto-passwd failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    broker.add_password_lines(&String::from_utf8(output.stdout)?)
}

async fn login(browser: &Browser, portal: &Portal, email: &str) -> Result<()> {
    browser.goto(&portal.url("/login")).await?;
    browser.fill("email", email).await?;
    browser.fill("password", DEMO_PASSWORD).await?;
    browser.click_id("submit").await?;
    browser.wait_for_css("#logout", WAIT).await?;
    Ok(())
}

/// The admin registers center `e2e` (open all day, so the test runs at any hour) and its
/// kiosk through the portal's pages; returns the kiosk's id and password as shown once.
async fn register_center_and_kiosk(browser: &Browser, portal: &Portal) -> Result<(String, String)> {
    login(browser, portal, "admin@demo.invalid").await?;
    browser.goto(&portal.url("/admin/centers")).await?;
    for (name, value) in [
        ("center_id", "e2e"),
        ("name", "テスト子育て支援センター"),
        ("address", "西条栄町8-29"),
        ("capacity", "4"),
    ] {
        browser.fill(name, value).await?;
    }
    // Time inputs take keystrokes in the browser's own format; set their values directly.
    for (name, value) in [("opens", "00:00"), ("closes", "23:59")] {
        browser
            .execute(
                "document.querySelector(`[name=${arguments[0]}]`).value = arguments[1];",
                vec![name.into(), value.into()],
            )
            .await?;
    }
    browser.click_id("submit").await?;
    browser.wait_for_css("#register-kiosk", WAIT).await?;
    browser.fill("label", "受付").await?;
    browser.click_id("register-kiosk").await?;
    browser.wait_for_css("#kiosk-password", WAIT).await?;
    let kiosk_id = browser.find(Locator::Id("kiosk-id")).await?.text().await?;
    let password = browser
        .find(Locator::Id("kiosk-password"))
        .await?
        .text()
        .await?;
    browser.find(Locator::Id("logout")).await?.click().await?;
    Ok((kiosk_id, password))
}

/// Chromium draws the pass page; the QR code as drawn becomes a camera frame for the kiosk.
async fn show_pass_to_camera(browser: &Browser, kiosk: &KioskProcess, seed: u64) -> Result<()> {
    let img = browser.wait_for_css("#pass-qr", WAIT).await?;
    // Let the image load (the page's own script stamps the time when it has).
    for _ in 0..100 {
        if browser
            .find(Locator::Id("pass-updated"))
            .await?
            .text()
            .await?
            != "—"
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let png = img
        .screenshot()
        .await
        .context("screenshot of the QR code")?;
    let code = image::load_from_memory(&png)?.to_luma8();
    let frame = camera_frame(&code, &CameraParams::for_difficulty(0.3, seed), seed);
    let dir = kiosk.frames_dir();
    let tmp = dir.join(format!(".phone-{seed}.png"));
    frame.save_with_format(&tmp, image::ImageFormat::Png)?;
    std::fs::rename(&tmp, dir.join(format!("phone-{seed:04}.png")))?;
    Ok(())
}

async fn occupancy(portal: &Portal) -> Result<serde_json::Value> {
    Ok(reqwest::get(portal.url("/api/v1/centers/e2e"))
        .await?
        .error_for_status()?
        .json()
        .await?)
}

async fn wait_for_occupancy(portal: &Portal, children_in: u64) -> Result<serde_json::Value> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let now = occupancy(portal).await?;
        if now["children_in"] == children_in {
            return Ok(now);
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "occupancy stayed {now}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_phone_pass_checks_children_in_and_out_and_the_portal_shows_it_live() -> Result<()> {
    let (mut broker, portal) = portal_on_mosquitto().await?;
    let phone = Browser::start().await?;
    let display = Browser::start().await?;
    let result = async {
        let (kiosk_id, password) = register_center_and_kiosk(&phone, &portal).await?;
        ensure!(kiosk_id == "e2e-1", "kiosk id {kiosk_id}");
        give_kiosks_to_mosquitto(&mut broker, portal.data_dir())?;
        let mut kiosk = KioskProcess::start(&broker.url(), &kiosk_id, &password).await?;
        wait_until_synced(&kiosk, WAIT).await?;

        // The public 混雑状況 page, open before anything happens.
        display.goto(&portal.url("/kosodate/centers/e2e")).await?;
        display
            .wait_for_text("テスト子育て支援センター", WAIT)
            .await?;

        login(&phone, &portal, "citizen@demo.invalid").await?;
        phone.goto(&portal.url("/kosodate/pass")).await?;
        phone.click_id("show-pass").await?;
        show_pass_to_camera(&phone, &kiosk, 1).await?;
        phone
            .screenshot(screenshot_dir()?.join("pass-page.png"))
            .await?;
        let answer = kiosk.next_answer(WAIT).await?;
        ensure!(
            answer["screen"] == "accepted" && answer["kind"] == "check_in",
            "kiosk said {answer}"
        );
        // The pass carries the children's given names: the kiosk greets them by name.
        ensure!(
            answer["names"]
                .as_array()
                .is_some_and(|names| names.len() == 2
                    && names
                        .iter()
                        .all(|n| n.as_str().is_some_and(|n| !n.is_empty()))),
            "no names in {answer}"
        );

        let now = wait_for_occupancy(&portal, 2).await?;
        ensure!(now["families_in"] == 1, "{now}");
        // The display page changed without a reload.
        let live = display.wait_for_text("こども 2人", WAIT).await;
        display
            .screenshot(screenshot_dir()?.join("occupancy-live.png"))
            .await?;
        live.context("the 混雑状況 page did not update live")?;

        // The same screen a minute later is a new pass (the page renews it): check-out.
        phone.refresh().await?;
        show_pass_to_camera(&phone, &kiosk, 2).await?;
        let answer = kiosk.next_answer(WAIT).await?;
        ensure!(
            answer["screen"] == "accepted" && answer["kind"] == "check_out",
            "kiosk said {answer}"
        );
        wait_for_occupancy(&portal, 0).await?;
        display.wait_for_text("こども 0人", WAIT).await?;

        // The center's 利用状況: the kiosk's check-in, counted per day and per hour.
        login(&display, &portal, "admin@demo.invalid").await?;
        display
            .goto(&portal.url("/admin/centers/e2e/stats"))
            .await?;
        let total = display.wait_for_css("#total", WAIT).await?.text().await?;
        ensure!(total.ends_with("1組 / 2人（こども）"), "{total}");
        display.wait_for_css("#per-hour svg", WAIT).await?;
        display
            .screenshot(screenshot_dir()?.join("visit-stats.png"))
            .await?;
        Ok(())
    }
    .await;
    phone.close().await?;
    display.close().await?;
    result
}

/// How many events the portal has applied at `center` (read from its database).
fn events_applied(portal: &Portal, center: &str) -> Result<u64> {
    let output = std::process::Command::new("sqlite3")
        .arg("-readonly")
        .arg(portal.data_dir().join("portal.db"))
        .arg(format!(
            "SELECT count(*) FROM center_events WHERE center_id = '{center}'"
        ))
        .output()
        .context("sqlite3 (scripts/test installs it)")?;
    ensure!(
        output.status.success(),
        "sqlite3: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?.trim().parse()?)
}

#[tokio::test]
async fn no_event_is_lost_or_doubled_through_broker_and_portal_crashes() -> Result<()> {
    let (mut broker, mut portal) = portal_on_mosquitto().await?;
    give_kiosks_to_mosquitto(&mut broker, portal.data_dir())?;
    let password = kiosk_password(&portal, "saijo-1")?;
    let mut kiosk = KioskProcess::start(&broker.url(), "saijo-1", &password).await?;
    wait_until_synced(&kiosk, WAIT).await?;
    let token = citizen_token(&portal).await?;

    let mut accepted = 0_u64;
    let mut last_kind = String::new();
    let mut scan = async |kiosk: &mut KioskProcess, portal: &Portal| -> Result<()> {
        let answer = kiosk.scan(&fresh_pass(portal, &token).await?).await?;
        ensure!(answer["screen"] == "accepted", "kiosk said {answer}");
        accepted += 1;
        last_kind = answer["kind"].as_str().unwrap_or_default().to_owned();
        Ok(())
    };
    for _ in 0..4 {
        scan(&mut kiosk, &portal).await?;
    }
    // The broker dies; the kiosk goes on answering from its own store: a long queue.
    broker.kill9();
    for _ in 0..60 {
        scan(&mut kiosk, &portal).await?;
    }
    broker.restart().await?;
    // The portal dies with kill -9 in the middle of a stream of scans, and comes back.
    for i in 0..8 {
        scan(&mut kiosk, &portal).await?;
        if i == 3 {
            portal.kill9_and_restart().await?;
        }
    }

    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let applied = events_applied(&portal, "saijo")?;
        ensure!(
            applied <= accepted,
            "{applied} events applied for {accepted} scans: doubled"
        );
        if applied == accepted {
            break;
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "{applied} of {accepted} events reached the portal; kiosk log:\n{}",
            kiosk.log_tail(30)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let now: serde_json::Value = reqwest::get(portal.url("/api/v1/centers/saijo"))
        .await?
        .json()
        .await?;
    let expected = if last_kind == "check_in" { 2 } else { 0 };
    ensure!(now["children_in"] == expected, "after {last_kind}: {now}");
    // Everything settled: a restarted kiosk has nothing left to send.
    tokio::time::sleep(Duration::from_secs(2)).await;
    ensure!(
        events_applied(&portal, "saijo")? == accepted,
        "late duplicates were applied"
    );
    Ok(())
}
