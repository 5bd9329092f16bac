//! The demo city's 子育て支援センター: three centers, the demo center staff assigned to the
//! first, the demo citizen's two children, and one kiosk per center whose ready-to-use
//! configuration is written to `DATA/demo-kiosks/{kiosk_id}.toml` (it holds the kiosk's broker
//! password, so the file is readable by its owner only).

use std::{io::Write, path::Path};

use anyhow::Context;

use crate::{
    domain::{Email, centers::CenterInput, family::ChildInput},
    store::{AccountStore, sqlite::SqliteStore},
    web::AppState,
};

/// (id, name, address, capacity in families, opens, closes)
const CENTERS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "saijo",
        "西条子育て支援センター",
        "西条栄町8-29",
        "12",
        "09:00",
        "16:00",
    ),
    (
        "hachihonmatsu",
        "八本松子育て支援センター",
        "八本松南一丁目2-1",
        "8",
        "09:30",
        "15:30",
    ),
    (
        "kurose",
        "黒瀬子育て支援センター",
        "黒瀬町丸山1302",
        "6",
        "10:00",
        "15:00",
    ),
];

/// The demo account with this email.
pub(crate) async fn account(
    store: &SqliteStore,
    email: &str,
) -> anyhow::Result<crate::store::Account> {
    Ok(store
        .find_by_email(&Email::parse(email)?)
        .await?
        .with_context(|| format!("demo account {email}"))?
        .account)
}

/// Writes a demo kiosk's configuration, readable by its owner only (it holds a password).
pub(crate) fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// Adds the centers, children and kiosks; `admin` and `staff` are the demo logins' emails.
pub async fn seed(
    state: &AppState,
    store: &SqliteStore,
    data_dir: &Path,
    admin: &str,
    staff: &str,
    citizen: &str,
) -> anyhow::Result<()> {
    let admin = account(store, admin).await?;
    let citizen = account(store, citizen).await?;
    let kiosk_dir = data_dir.join("demo-kiosks");
    std::fs::create_dir_all(&kiosk_dir)?;
    for (id, name, address, capacity, opens, closes) in CENTERS {
        let input = CenterInput {
            center_id: (*id).to_owned(),
            name: (*name).to_owned(),
            address: (*address).to_owned(),
            capacity: (*capacity).to_owned(),
            opens: (*opens).to_owned(),
            closes: (*closes).to_owned(),
        };
        let center_id = state
            .centers
            .create(&admin, &input)
            .await
            .map_err(|error| anyhow::anyhow!("demo center {id}: {error}"))?;
        let credentials = state
            .checkin
            .register_kiosk(&admin, &center_id, "受付")
            .await
            .map_err(|error| anyhow::anyhow!("demo kiosk at {id}: {error}"))?;
        let path = kiosk_dir.join(format!("{}.toml", credentials.kiosk.kiosk_id));
        write_private(
            &path,
            &format!(
                "# Demo kiosk at {name}: kiosk run --config {} --headless --frames FRAMES_DIR\n\
                 kiosk_id = \"{}\"\nbroker_url = \"{}\"\npassword = \"{}\"\ndata_dir = \"{}\"\n",
                path.display(),
                credentials.kiosk.kiosk_id,
                state.broker_url,
                credentials.password,
                kiosk_dir
                    .join(credentials.kiosk.kiosk_id.as_str())
                    .display(),
            ),
        )?;
    }
    if let Some((first, ..)) = CENTERS.first() {
        let center_id = shimin_sync::ids::CenterId::new(*first)?;
        state
            .centers
            .assign(&admin, &center_id, staff)
            .await
            .map_err(|error| anyhow::anyhow!("demo center staff: {error}"))?;
    }
    let today = state.clock.now().to_zoned(crate::clock::tokyo()).date();
    for (given, sex, years) in [("さくら", "sex_female", 4_i16), ("蓮", "sex_male", 1)] {
        let birth = today
            .checked_sub(jiff::Span::new().years(years).days(40))
            .context("demo birth date")?;
        let input = ChildInput {
            family_name: "山田".into(),
            given_name: given.into(),
            sex: sex.into(),
            birth_date: birth.to_string(),
            relationship: "rel_mother".into(),
        };
        state
            .family
            .add_child(&citizen, &input)
            .await
            .map_err(|error| anyhow::anyhow!("demo child: {error:?}"))?;
    }
    println!(
        "Demo kiosks (one per center): configurations in {}",
        kiosk_dir.display()
    );
    Ok(())
}
