//! 利用状況 for a center's staff: check-ins per day over a period (the last four weeks unless
//! they choose) and per hour of the day, as bar charts with the numbers in tables beside them.
//! The data is what the center's kiosks reported.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use jiff::{ToSpan, civil::Date};
use serde::Deserialize;

use super::{Base, kiosks::center_id, ok};
use crate::{
    clock::tokyo,
    domain::visit_stats::{Count, bar_chart_svg},
    i18n::t,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The period asked for.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Template)]
#[template(path = "visit_stats.html")]
struct StatsPage {
    b: Base,
    center_id: String,
    from: String,
    to: String,
    day_chart: String,
    hour_chart: String,
    days: Vec<(String, Count)>,
    hours: Vec<(String, Count)>,
    total: Count,
}

/// `GET /admin/centers/{center_id}/stats?from=YYYY-MM-DD&to=YYYY-MM-DD`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(period): Query<Period>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let id = center_id(&id)?;
    let today = state.clock.now().to_zoned(tokyo()).date();
    let read = |text: &Option<String>| text.as_deref().and_then(|t| t.parse::<Date>().ok());
    let to = read(&period.to).unwrap_or(today);
    let from = read(&period.from)
        .filter(|from| *from <= to)
        .unwrap_or_else(|| to.checked_sub(27.days()).unwrap_or(to));
    // At most a year.
    let from = from.max(to.checked_sub(365.days()).unwrap_or(from));
    let stats = state.checkin.visit_stats(user, &id, from, to).await?;
    let day_bars: Vec<(String, u32)> = stats
        .per_day
        .iter()
        .map(|(day, count)| (format!("{}/{}", day.month(), day.day()), count.families))
        .collect();
    let hour_bars: Vec<(String, u32)> = stats
        .per_hour
        .iter()
        .map(|(hour, count)| (format!("{hour}"), count.families))
        .collect();
    let every = (day_bars.len() / 8).max(1);
    let mut total = Count::default();
    for (_, count) in &stats.per_day {
        total.families += count.families;
        total.children += count.children;
    }
    let mut b = Base::new(&ctx, state.accounts.city(), "page.visit_stats.title");
    b.title = format!("{} {from} – {to}", b.title);
    ok(&StatsPage {
        day_chart: bar_chart_svg(t(ctx.lang, "page.visit_stats.per_day"), &day_bars, every),
        hour_chart: bar_chart_svg(t(ctx.lang, "page.visit_stats.per_hour"), &hour_bars, 1),
        days: stats
            .per_day
            .iter()
            .rev()
            .map(|(day, count)| (day.to_string(), *count))
            .collect(),
        hours: stats
            .per_hour
            .iter()
            .map(|(hour, count)| (format!("{hour}:00–{hour}:59"), *count))
            .collect(),
        total,
        b,
        center_id: id.to_string(),
        from: from.to_string(),
        to: to.to_string(),
    })
}
