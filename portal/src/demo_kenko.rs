//! The demo city's health office bookings: two weeks of times from tomorrow — 母子健康手帳の交付
//! on weekday mornings at the 保健センター (two places every 30 minutes) and 赤ちゃん訪問 at
//! home on weekday afternoons (one an hour).

use jiff::{ToSpan, civil::Weekday};

use crate::{
    health::{Place, SeriesInput, Service},
    store::sqlite::SqliteStore,
    web::AppState,
};

/// Opens the times as the demo health office staff member.
pub async fn seed(state: &AppState, store: &SqliteStore, staff: &str) -> anyhow::Result<()> {
    let staff = crate::demo_centers::account(store, staff).await?;
    let first_day = state.kenko.today().checked_add(1.day())?;
    let last_day = first_day.checked_add(13.days())?;
    let weekdays = vec![
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ];
    for (service, place, start, end, minutes, capacity) in [
        (
            Service::BoshiTecho,
            Place::Venue("東広島市保健センター".to_owned()),
            "09:00",
            "12:00",
            30,
            2,
        ),
        (Service::AkachanHoumon, Place::Home, "13:00", "16:00", 60, 1),
    ] {
        let series = SeriesInput {
            service,
            place,
            first_day,
            last_day,
            weekdays: weekdays.clone(),
            skip_days: Default::default(),
            day_start: start.parse()?,
            day_end: end.parse()?,
            slot_minutes: minutes,
            capacity,
        };
        state
            .kenko
            .add_series(&staff, &series)
            .await
            .map_err(|error| anyhow::anyhow!("demo health times: {error}"))?;
    }
    Ok(())
}
