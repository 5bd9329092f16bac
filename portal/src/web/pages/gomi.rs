//! ごみ収集日の通知設定 for citizens: find their area by town name and set it, choose when to be
//! reminded (the evening before, the morning of, or not), see this month's calendar and the
//! next day of each kind, subscribe to the area's iCalendar feed, and look an item up in the
//! 分別 dictionary.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use jiff::{ToSpan, civil::Date};
use serde::Deserialize;

use super::{Base, invalid, ok};
use crate::{
    domain::validation::FieldErrors,
    gomi::{GomiError, city::City, reminders::date_words},
    store::{GarbageSetting, Remind},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// What the page is asked to show.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GomiQuery {
    /// Town name to search.
    q: String,
    /// The month shown, `YYYY-MM`.
    month: String,
    /// An item to look up in the 分別 dictionary.
    item: String,
    /// Set after a save.
    saved: Option<String>,
}

/// One day of the month grid.
struct DayCell {
    day: i8,
    kinds: Vec<String>,
    today: bool,
}

#[derive(Template)]
#[template(path = "gomi.html")]
struct GomiPage {
    b: Base,
    has_data: bool,
    area: Option<(i64, String)>,
    remind: &'static str,
    hour: u8,
    query: String,
    matches: Vec<(i64, String)>,
    searched: bool,
    next: Vec<(String, String, String)>,
    month_title: String,
    prev_month: String,
    next_month: String,
    weeks: Vec<Vec<Option<DayCell>>>,
    item: String,
    hits: Vec<(String, String, String)>,
    errors: FieldErrors,
    saved: bool,
}

/// The first day of `YYYY-MM`, or of `today`'s month.
fn month_start(text: &str, today: Date) -> Date {
    let parsed = text
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i16>().ok()?, m.parse::<i8>().ok()?)))
        .and_then(|(y, m)| Date::new(y, m, 1).ok());
    parsed.unwrap_or_else(|| today.first_of_month())
}

/// The month as weeks of seven days, Monday first.
fn weeks(city: &City, area_id: i64, first: Date, today: Date) -> Vec<Vec<Option<DayCell>>> {
    let last = first.last_of_month();
    let days = city.calendar(area_id, first, last).unwrap_or_default();
    let lead = usize::try_from(first.weekday().to_monday_zero_offset()).unwrap_or(0);
    let mut cells: Vec<Option<DayCell>> = (0..lead).map(|_| None).collect();
    let mut date = first;
    while date <= last {
        let kinds = days
            .iter()
            .find(|(day, _)| *day == date)
            .map(|(_, kinds)| kinds.iter().map(|k| (*k).to_owned()).collect())
            .unwrap_or_default();
        cells.push(Some(DayCell {
            day: date.day(),
            kinds,
            today: date == today,
        }));
        date = match date.tomorrow() {
            Ok(next) => next,
            Err(_) => break,
        };
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let mut weeks = Vec::new();
    let mut cells = cells.into_iter();
    loop {
        let week: Vec<Option<DayCell>> = cells.by_ref().take(7).collect();
        if week.is_empty() {
            break;
        }
        weeks.push(week);
    }
    weeks
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    asked: &GomiQuery,
    errors: FieldErrors,
) -> Result<GomiPage, AppError> {
    let user = ctx.require_user()?;
    let today = state.gomi.today();
    let first = month_start(&asked.month, today);
    let mut page = GomiPage {
        b: Base::new(ctx, state.accounts.city(), "page.gomi.title"),
        has_data: false,
        area: None,
        remind: "evening",
        hour: state.gomi.settings().default_hour,
        query: asked.q.clone(),
        matches: Vec::new(),
        searched: !asked.q.trim().is_empty(),
        next: Vec::new(),
        month_title: format!("{}年{}月", first.year(), first.month()),
        prev_month: first
            .checked_sub(1.month())
            .map(|d| d.strftime("%Y-%m").to_string())
            .unwrap_or_default(),
        next_month: first
            .checked_add(1.month())
            .map(|d| d.strftime("%Y-%m").to_string())
            .unwrap_or_default(),
        weeks: Vec::new(),
        item: asked.item.clone(),
        hits: Vec::new(),
        errors,
        saved: asked.saved.is_some(),
    };
    let Some(city) = state.gomi.city().await? else {
        return Ok(page);
    };
    page.has_data = true;
    page.matches = city
        .search_areas(&asked.q, 30)
        .into_iter()
        .map(|area| (area.area_id, area.name.clone()))
        .collect();
    page.hits = city
        .dictionary
        .search(&asked.item, 20)
        .into_iter()
        .map(|hit| {
            (
                hit.target.name.clone(),
                hit.target.kind.clone(),
                hit.target.notice.clone(),
            )
        })
        .collect();
    let setting = state.gomi.setting(user.account_id).await?;
    if let Some(GarbageSetting {
        area_id,
        remind,
        hour,
    }) = setting
        && let Some(area) = city.area(area_id)
    {
        page.area = Some((area_id, area.name.clone()));
        page.remind = remind.as_str();
        page.hour = hour;
        if let Some(schedule) = city.schedule(area_id) {
            let yesterday = today.yesterday().unwrap_or(today);
            page.next = schedule
                .next_collections(yesterday)
                .into_iter()
                .map(|(kind, date)| {
                    let about = city
                        .data
                        .description(kind)
                        .map(|d| d.description.clone())
                        .unwrap_or_default();
                    (
                        kind.to_owned(),
                        date.map(date_words).unwrap_or_default(),
                        about,
                    )
                })
                .collect();
        }
        page.weeks = weeks(&city, area_id, first, today);
    }
    Ok(page)
}

/// `GET /gomi`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(asked): Query<GomiQuery>,
) -> Result<Response, AppError> {
    ok(&page(&state, &ctx, &asked, FieldErrors::default()).await?)
}

/// The area chosen.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AreaForm {
    csrf: String,
    area: String,
}

/// `POST /gomi/area`: sets the citizen's area (keeping their reminder, or the evening default).
pub async fn set_area(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<AreaForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let (remind, hour) = match state.gomi.setting(user.account_id).await? {
        Some(setting) => (setting.remind, setting.hour),
        None => (Remind::Evening, state.gomi.settings().default_hour),
    };
    let area_id = form.area.trim().parse::<i64>().unwrap_or(-1);
    respond(
        &state,
        &ctx,
        state
            .gomi
            .save_setting(user.account_id, area_id, remind, hour)
            .await,
    )
    .await
}

/// The reminder chosen.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemindForm {
    csrf: String,
    remind: String,
    hour: String,
}

/// `POST /gomi/remind`: when to be reminded.
pub async fn set_remind(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<RemindForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let Some(current) = state.gomi.setting(user.account_id).await? else {
        return respond(&state, &ctx, Err(no_area())).await;
    };
    let remind = Remind::parse(form.remind.trim()).unwrap_or(Remind::Evening);
    let hour = form.hour.trim().parse::<u8>().unwrap_or(u8::MAX);
    let saved = state
        .gomi
        .save_setting(user.account_id, current.area_id, remind, hour)
        .await;
    respond(&state, &ctx, saved).await
}

fn no_area() -> GomiError {
    let mut errors = FieldErrors::default();
    errors.add("area", "error.gomi_area");
    GomiError::Invalid(errors)
}

async fn respond(
    state: &AppState,
    ctx: &Ctx,
    saved: Result<(), GomiError>,
) -> Result<Response, AppError> {
    match saved {
        Ok(()) => Ok(Redirect::to("/gomi?saved=1").into_response()),
        Err(GomiError::Invalid(errors)) => {
            invalid(&page(state, ctx, &GomiQuery::default(), errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /gomi/areas/{id}/calendar.ics`: the area's collection days for a year, public (the
/// calendar is the city's open data), for a phone's calendar to subscribe to.
pub async fn ics(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let city = state.gomi.city().await?.ok_or(AppError::NotFound)?;
    let area = city.area(id).ok_or(AppError::NotFound)?;
    let today = state.gomi.today();
    let from = today.checked_sub(30.days()).unwrap_or(today);
    let to = today.checked_add(365.days()).unwrap_or(today);
    let days = city.calendar(id, from, to).unwrap_or_default();
    let host = state
        .notifier
        .base_url()
        .split("://")
        .nth(1)
        .unwrap_or("portal")
        .to_owned();
    let body = crate::gomi::ics::calendar(id, &area.name, &days, &host, state.clock.now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}
