//! 図書館利用カードの登録/表示 in headless Chromium on a `--demo` portal, as the city's guide
//! describes it: the demo citizen opens「図書館利用カードの登録/表示」, then「図書館利用カード設定」,
//! types the number twice, chooses a photo of the card, and sends; the page shows the card's
//! barcode, which an independent decoder (zbar) reads from the screenshot, and the kiosk's
//! decoder from a camera-like frame of it. Then the portal is stopped and the card still
//! opens: the service worker kept it.

use std::{path::Path, process::Command, time::Duration};

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use shimin_e2e::{
    Browser, Portal,
    camera::{CameraParams, camera_frame},
    kiosk::kiosk_bin,
    screenshot_dir,
};

const WAIT: Duration = Duration::from_secs(30);
/// A card number valid under the default rules (10 digits, モジュラス10 ウェイト2-1).
const NUMBER: &str = "2100000005";

/// What zbar reads in a PNG (NW-7 and Code 128 only).
fn zbar(path: &Path) -> Result<String> {
    let out = Command::new("zbarimg")
        .args([
            "--quiet",
            "--raw",
            "-Sdisable",
            "-Scodabar.enable",
            "-Scode128.enable",
        ])
        .arg(path)
        .output()
        .context("zbarimg (zbar-tools; scripts/test installs it)")?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A photo of a card, as a phone camera gives it (a JPEG).
fn card_photo(path: &Path) -> Result<()> {
    let image = image::RgbImage::from_fn(640, 400, |x, y| {
        let bar = (200..440).contains(&x) && (150..300).contains(&y) && (x / 6) % 2 == 0;
        if bar {
            image::Rgb([10, 10, 10])
        } else {
            image::Rgb([235, 240, 250])
        }
    });
    image.save(path)?;
    Ok(())
}

#[tokio::test]
async fn the_demo_citizen_registers_her_card_and_shows_it_offline() -> Result<()> {
    let mut portal = Portal::builder().arg("--demo").start().await?;
    let browser = Browser::start().await?;
    let dir = tempfile::tempdir()?;
    let photo = dir.path().join("IMG_0001.jpg");
    card_photo(&photo)?;
    let shots = screenshot_dir()?;
    let result = async {
        browser.goto(&portal.url("/login")).await?;
        browser.fill("email", "citizen@demo.invalid").await?;
        browser.fill("password", "shimin-demo-2026").await?;
        browser.click_id("submit").await?;
        browser.wait_for_css("#logout", WAIT).await?;
        browser
            .find(Locator::Css("a[href='/library']"))
            .await?
            .click()
            .await?;
        browser.wait_for_text("図書館利用カード設定", WAIT).await?;
        browser.click_id("card-settings").await?;
        browser.wait_for_css("#number", WAIT).await?;

        // First a slip: the second number differs, and the form says so beside it.
        browser.fill("number", NUMBER).await?;
        browser.fill("number_again", "2100000013").await?;
        browser
            .find(Locator::Id("photo"))
            .await?
            .send_keys(&photo.to_string_lossy())
            .await?;
        browser.click_id("submit").await?;
        browser
            .wait_for_text("図書館利用カード番号が一致しません", WAIT)
            .await?;
        browser
            .screenshot(shots.join("library-settings-error.png"))
            .await?;

        browser.fill("number_again", NUMBER).await?;
        browser
            .find(Locator::Id("photo"))
            .await?
            .send_keys(&photo.to_string_lossy())
            .await?;
        browser.click_id("submit").await?;
        browser.wait_for_text("設定を保存しました", WAIT).await?;
        browser.wait_for_css("#card-barcode svg", WAIT).await?;
        let shot = shots.join("library-card.png");
        browser.screenshot(&shot).await?;
        let read = zbar(&shot)?;
        ensure!(
            read == format!("A{NUMBER}A"),
            "zbar read {read:?} from the card page"
        );

        // The kiosk's decoder reads the same barcode from a camera-like frame: the card as the
        // page drew it, on a phone turned 35° and tilted, with blur, noise and clutter.
        let rect = browser
            .find(Locator::Id("card-barcode"))
            .await?
            .rectangle()
            .await?;
        let page = image::open(&shot)?.into_luma8();
        let scale = f64::from(page.width()) / 390.0;
        let px = |v: f64| (v * scale).round().max(0.0) as u32;
        let card = image::imageops::crop_imm(&page, px(rect.0), px(rect.1), px(rect.2), px(rect.3))
            .to_image();
        let params = CameraParams {
            rotation_deg: 35.0,
            code_px: 520.0,
            ..CameraParams::default()
        };
        let frame = shots.join("library-card-camera.png");
        camera_frame(&card, &params, 7).save(&frame)?;
        let decoded = Command::new(kiosk_bin()?)
            .args(["decode", "--json", "--symbology", "codabar"])
            .arg(&frame)
            .output()?;
        let decoded = String::from_utf8_lossy(&decoded.stdout).into_owned();
        ensure!(
            decoded.contains(&format!("\"text\":\"A{NUMBER}A\"")),
            "the kiosk decoder read {decoded:?} from the camera frame of the card page"
        );

        // The service worker has the card (it keeps it when it installs).
        let kept = browser
            .client()
            .execute_async(
                "const done = arguments[0];
                 navigator.serviceWorker.ready
                   .then(() => caches.open('library-card-v1'))
                   .then(async (cache) => {
                     for (let i = 0; i < 100; i++) {
                       if (await cache.match('/library')) { return true; }
                       await new Promise((r) => setTimeout(r, 100));
                     }
                     return false;
                   })
                   .then(done, () => done(false));",
                vec![],
            )
            .await?;
        ensure!(
            kept == serde_json::Value::Bool(true),
            "the card page was not kept offline"
        );

        // No portal at all: the card still opens, with the same barcode.
        portal.terminate(Duration::from_secs(10)).await?;
        browser.goto(&portal.url("/library")).await?;
        browser.wait_for_css("#card-barcode svg", WAIT).await?;
        let offline = shots.join("library-card-offline.png");
        browser.screenshot(&offline).await?;
        let read = zbar(&offline)?;
        ensure!(read == format!("A{NUMBER}A"), "offline, zbar read {read:?}");
        Ok(())
    }
    .await;
    browser.close().await?;
    portal.explain(result)
}
