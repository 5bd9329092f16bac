//! The demo city's library counter: one library kiosk registered, and its ready configuration
//! (`DATA/demo-kiosks/library1.toml`), so a new user can run `kiosk library` against the
//! portal's loan ledger without a library system of their own.

use std::path::Path;

use anyhow::Context as _;

use crate::{demo_centers::write_private, store::sqlite::SqliteStore, web::AppState};

/// Registers the demo library kiosk as `admin` and writes its configuration.
pub async fn seed(
    state: &AppState,
    store: &SqliteStore,
    data_dir: &Path,
    admin: &str,
) -> anyhow::Result<()> {
    let admin = crate::demo_centers::account(store, admin).await?;
    let credentials = state
        .library
        .register_kiosk(&admin, "中央図書館 貸出カウンター")
        .await
        .map_err(|error| anyhow::anyhow!("demo library kiosk: {error}"))?;
    let kiosk_dir = data_dir.join("demo-kiosks");
    std::fs::create_dir_all(&kiosk_dir).context("creating the demo kiosks folder")?;
    let kiosk_id = credentials.kiosk.kiosk_id;
    let path = kiosk_dir.join(format!("{kiosk_id}.toml"));
    let card = &state.library.settings().card;
    write_private(
        &path,
        &format!(
            "# Demo library counter (the portal's loan ledger, no ILS):\n\
             #   kiosk library --config {path} --frames FRAMES_DIR\n\
             data_dir = \"{data}\"\n\
             loan_days = {loan_days}\n\n\
             [card]\nmin_len = {min}\nmax_len = {max}\ncheck = \"{check}\"\n\n\
             [portal]\nkiosk_id = \"{kiosk_id}\"\nbroker_url = \"{broker}\"\npassword = \"{password}\"\n\n\
             [ui]\nfullscreen = false\n",
            path = path.display(),
            data = kiosk_dir.join(kiosk_id.as_str()).display(),
            loan_days = state.library.settings().ledger.loan_days,
            min = card.min_len,
            max = card.max_len,
            check = serde_json::to_value(card.check)?
                .as_str()
                .context("check digit scheme name")?,
            broker = state.broker_url,
            password = credentials.password,
        ),
    )?;
    println!(
        "Demo library counter: kiosk library --config {}",
        path.display()
    );
    Ok(())
}
