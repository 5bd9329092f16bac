//! The kiosk's real window under Xvfb: a `--demo` portal (its embedded broker), the demo kiosk
//! of 西条子育て支援センター with its window on the X server and frames from a folder, a phone
//! pass shown to the "camera"; the kiosk checks the children in, the portal sees it, and a
//! screenshot of the screen — the answer in Japanese over the occupancy — is saved and checked
//! for the answer's green panel.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use shimin_e2e::{
    Portal,
    demo::{citizen_token, fresh_pass, kiosk_password, wait_until_synced},
    kiosk::KioskProcess,
    screenshot_dir,
    xvfb::Xvfb,
};

const WAIT: Duration = Duration::from_secs(30);
/// The answer panel of an accepted scan (kiosk/src/ui/draw.rs).
const ACCEPTED_GREEN: [u8; 3] = [27, 110, 58];

async fn children_in(portal: &Portal) -> Result<u64> {
    let center: serde_json::Value = reqwest::get(portal.url("/api/v1/centers/saijo"))
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(center["children_in"].as_u64().unwrap_or(0))
}

#[tokio::test]
async fn the_kiosk_window_shows_a_check_in_in_japanese() -> Result<()> {
    let portal = Portal::builder().arg("--demo").start().await?;
    let password = kiosk_password(&portal, "saijo-1")?;
    let screen = Xvfb::start(1024, 600)?;
    let broker = format!("mqtt://127.0.0.1:{}", portal.mqtt_port());
    let mut kiosk =
        KioskProcess::start_windowed(&broker, "saijo-1", &password, screen.display()).await?;
    let result = async {
        wait_until_synced(&kiosk, WAIT).await?;
        let deadline = Instant::now() + WAIT;
        let token = citizen_token(&portal).await?;
        kiosk.show(&fresh_pass(&portal, &token).await?)?;
        while children_in(&portal).await? < 2 {
            ensure!(
                Instant::now() < deadline,
                "not checked in:\n{}",
                kiosk.log_tail(80)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The answer stays four seconds; the window repaints at once on it.
        tokio::time::sleep(Duration::from_millis(700)).await;
        let shot = screen.screenshot(&screenshot_dir()?.join("kiosk-window.png"))?;
        let green = shot.pixels().filter(|p| p.0 == ACCEPTED_GREEN).count();
        ensure!(
            green > 50_000,
            "the screenshot has no answer panel ({green} green pixels):\n{}",
            kiosk.log_tail(80)
        );
        ensure!(
            !kiosk.log_tail(300).contains("panicked"),
            "{}",
            kiosk.log_tail(80)
        );
        Ok(())
    }
    .await;
    portal.explain(result)
}
