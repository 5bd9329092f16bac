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

/// Links `email`'s account to the LINE user `user_id` the way a citizen does: the words of the
/// rich menu typed to the official account, the link in its reply, the portal's login, 連携する,
/// and LINE's `accountLink` event with the nonce. Returns the citizen's signed-in client.
pub async fn link_line(
    portal: &Portal,
    line: &crate::line_fake::LineFake,
    email: &str,
    user_id: &str,
) -> Result<crate::FormClient> {
    let webhook = portal.url("/webhooks/line");
    let before = line.received(user_id).len();
    let asked = line.text_message_event(user_id, "市民ポータルサイト LINE連携");
    line.post_webhook(&webhook, vec![asked]).await?;
    let replies = line
        .wait_for_received(user_id, before + 1, Duration::from_secs(30))
        .await?;
    let link_url = replies
        .last()
        .and_then(|reply| reply["text"].as_str())
        .unwrap_or_default()
        .split_whitespace()
        .find(|word| word.contains("/line/link?linkToken="))
        .context("no link in the reply")?
        .to_owned();
    let path = link_url.trim_start_matches(portal.base_url()).to_owned();
    let citizen = crate::FormClient::new(portal.base_url())?;
    citizen.login(email, DEMO_PASSWORD, Some(&path)).await?;
    let confirmed = citizen.submit(&path, "/line/link", &[]).await?;
    let dialog = url::Url::parse(&confirmed.location.unwrap_or_default())?;
    let nonce = dialog
        .query_pairs()
        .find(|(key, _)| key == "nonce")
        .map(|(_, value)| value.into_owned())
        .context("no nonce")?;
    line.post_webhook(
        &webhook,
        vec![line.account_link_event(user_id, &nonce, true)],
    )
    .await?;
    line.wait_for_received(user_id, before + 2, Duration::from_secs(30))
        .await?;
    Ok(citizen)
}
