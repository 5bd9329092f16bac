//! The demo city (`portal serve --demo`) from a test's side: the demo citizen's API token, a
//! fresh pass for her two children, a demo kiosk's broker password, and waiting until a kiosk
//! has the portal's keys and its configuration.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};

use crate::{Portal, kiosk::KioskProcess};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "shimin-demo-2026";

/// A bearer token of the demo citizen (`citizen@demo.invalid`).
pub async fn citizen_token(portal: &Portal) -> Result<String> {
    let session: serde_json::Value = reqwest::Client::new()
        .post(portal.url("/api/v1/session"))
        .json(&serde_json::json!({"email": "citizen@demo.invalid", "password": DEMO_PASSWORD}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(session["token"].as_str().context("no token")?.to_owned())
}

/// A signed pass for both demo children, from the portal's API.
pub async fn fresh_pass(portal: &Portal, token: &str) -> Result<String> {
    let pass: serde_json::Value = reqwest::Client::new()
        .post(portal.url("/api/v1/passes"))
        .bearer_auth(token)
        .json(&serde_json::json!({"children": [1, 2]}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(pass["text"].as_str().context("no pass text")?.to_owned())
}

/// The broker password of demo kiosk `kiosk_id`, from its ready configuration.
pub fn kiosk_password(portal: &Portal, kiosk_id: &str) -> Result<String> {
    let path = portal
        .data_dir()
        .join(format!("demo-kiosks/{kiosk_id}.toml"));
    let config =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(config
        .lines()
        .find_map(|line| line.strip_prefix("password = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .context("no password in the demo kiosk's configuration")?
        .to_owned())
}

/// Waits until the kiosk has taken the portal's key set and its configuration (it logs each).
pub async fn wait_until_synced(kiosk: &KioskProcess, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        let log = kiosk.log_tail(300);
        if log.contains("shimin/v1/keys") && log.contains("/config") {
            return Ok(());
        }
        ensure!(
            Instant::now() < deadline,
            "the kiosk did not receive keys and configuration:\n{log}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
