//! The demo city's garbage calendar: Kanazawa's real 5374 open data (MPL-2.0, in
//! `portal/data/5374/kanazawa/`), with the demo citizen living in 浅野 and reminded at 18:00
//! the evening before.

use crate::{
    garbage::Five374Files,
    store::{Remind, sqlite::SqliteStore},
    web::AppState,
};

/// Imports the data and sets the citizen's area.
pub async fn seed(state: &AppState, store: &SqliteStore, citizen: &str) -> anyhow::Result<()> {
    let files = Five374Files {
        area_days: include_str!("../data/5374/kanazawa/area_days.csv").to_owned(),
        center: include_str!("../data/5374/kanazawa/center.csv").to_owned(),
        description: include_str!("../data/5374/kanazawa/description.csv").to_owned(),
        target: include_str!("../data/5374/kanazawa/target.csv").to_owned(),
        remarks: None,
    };
    state
        .gomi
        .import_5374(&files)
        .await
        .map_err(|error| anyhow::anyhow!("demo garbage data: {error}"))?;
    let city = state
        .gomi
        .city()
        .await
        .map_err(|error| anyhow::anyhow!("demo garbage data: {error}"))?
        .ok_or_else(|| anyhow::anyhow!("demo garbage data missing"))?;
    let area = city
        .search_areas("浅野", 1)
        .first()
        .map(|area| area.area_id)
        .ok_or_else(|| anyhow::anyhow!("demo area 浅野 missing"))?;
    let citizen = crate::demo_centers::account(store, citizen).await?;
    state
        .gomi
        .save_setting(citizen.account_id, area, Remind::Evening, 18)
        .await
        .map_err(|error| anyhow::anyhow!("demo garbage setting: {error}"))?;
    Ok(())
}
