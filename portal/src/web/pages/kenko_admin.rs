//! 予約の管理 for the health office: its calendar of slots (two weeks from a day), opening
//! slots one by one or as a series, each slot's bookings with their 問診 answers (every read
//! logged), and the CSV export.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use jiff::civil::{Date, Time, Weekday};
use serde::Deserialize;

use super::{Base, invalid, ok};
use crate::{
    health::{Place, SeriesInput, Service},
    i18n::t,
    kenko::KenkoError,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A slot in the calendar.
pub struct SlotRow {
    id: String,
    service: &'static str,
    when: String,
    place: String,
    booked: usize,
    capacity: u16,
}

#[derive(Template)]
#[template(path = "kenko_admin.html")]
struct AdminPage {
    b: Base,
    from: String,
    days: Vec<(String, Vec<SlotRow>)>,
    services: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    saved: Option<String>,
}

/// `?from=YYYY-MM-DD`, `?saved=N`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    from: Option<String>,
    saved: Option<String>,
}

async fn admin_page(state: &AppState, ctx: &Ctx, from: Date) -> Result<AdminPage, AppError> {
    let user = ctx.require_user()?;
    let slots = state.kenko.staff_slots(user, from, 14).await?;
    let mut days: Vec<(String, Vec<SlotRow>)> = Vec::new();
    for (slot, bookings) in &slots {
        let day = slot.date().to_string();
        let row = SlotRow {
            id: slot.slot_id.to_string(),
            service: slot.service.name(ctx.lang),
            when: slot.when_ja(),
            place: slot.place.label(ctx.lang).to_owned(),
            booked: bookings.iter().filter(|b| b.is_active()).count(),
            capacity: slot.capacity,
        };
        match days.last_mut() {
            Some((last, rows)) if *last == day => rows.push(row),
            _ => days.push((day, vec![row])),
        }
    }
    Ok(AdminPage {
        b: Base::new(ctx, state.accounts.city(), "page.kenko_admin.title"),
        from: from.to_string(),
        days,
        services: Service::ALL
            .iter()
            .map(|s| (s.as_str(), s.name(ctx.lang)))
            .collect(),
        error: None,
        saved: None,
    })
}

/// `GET /admin/kenko`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(shown): Query<Shown>,
) -> Result<Response, AppError> {
    let from = shown
        .from
        .as_deref()
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| state.kenko.today());
    let mut page = admin_page(&state, &ctx, from).await?;
    page.saved = shown.saved;
    ok(&page)
}

/// The series form (a single slot is a series of one day with one slot length).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SeriesForm {
    csrf: String,
    service: String,
    place: String,
    home: Option<String>,
    first_day: String,
    last_day: String,
    weekdays: Vec<String>,
    skip_days: String,
    day_start: String,
    day_end: String,
    slot_minutes: String,
    capacity: String,
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    })
}

impl SeriesForm {
    /// The series; `None` when a date, time or number cannot be read.
    fn series(&self) -> Option<SeriesInput> {
        let date = |text: &str| text.trim().replace('/', "-").parse::<Date>().ok();
        let time = |text: &str| text.trim().parse::<Time>().ok();
        let first_day = date(&self.first_day)?;
        Some(SeriesInput {
            service: self.service.parse().ok()?,
            place: if self.home.is_some() {
                Place::Home
            } else {
                Place::Venue(self.place.trim().to_owned())
            },
            first_day,
            last_day: if self.last_day.trim().is_empty() {
                first_day
            } else {
                date(&self.last_day)?
            },
            weekdays: if self.weekdays.is_empty() {
                vec![first_day.weekday()]
            } else {
                self.weekdays.iter().filter_map(|w| weekday(w)).collect()
            },
            skip_days: self.skip_days.lines().filter_map(date).collect(),
            day_start: time(&self.day_start)?,
            day_end: time(&self.day_end)?,
            slot_minutes: self.slot_minutes.trim().parse().ok()?,
            capacity: self.capacity.trim().parse().ok()?,
        })
    }
}

/// `POST /admin/kenko/series`: opens the slots of a series (or of one day).
pub async fn add_series(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SeriesForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let today = state.kenko.today();
    let outcome = match form.series() {
        Some(series) => state.kenko.add_series(user, &series).await,
        None => {
            let mut page = admin_page(&state, &ctx, today).await?;
            page.error = Some(t(ctx.lang, "page.kenko_admin.unreadable").to_owned());
            return invalid(&page);
        }
    };
    match outcome {
        Ok(count) => Ok(Redirect::to(&format!("/admin/kenko?saved={count}")).into_response()),
        Err(KenkoError::Slot(error)) => {
            let mut page = admin_page(&state, &ctx, today).await?;
            page.error = Some(error.message(ctx.lang));
            invalid(&page)
        }
        Err(error) => Err(error.into()),
    }
}

/// One booking on the slot page.
pub struct BookingView {
    name: String,
    email: String,
    booked_at: String,
    cancelled: bool,
    answers: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "kenko_slot.html")]
struct SlotPage {
    b: Base,
    slot: SlotRow,
    bookings: Vec<BookingView>,
}

/// `GET /admin/kenko/slots/{slot_id}`: the bookings with their answers (the read is logged).
pub async fn slot(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let id = raw.parse().map_err(|_| AppError::NotFound)?;
    let (slot, records) = state.kenko.read_slot(user, id).await?;
    let questionnaire = state.kenko.questionnaire(slot.service);
    let bookings = records
        .iter()
        .map(|(record, answers)| BookingView {
            name: record.name.clone(),
            email: record.email.clone(),
            booked_at: crate::clock::tokyo_date_time(record.booked.booking.booked_at),
            cancelled: record.booked.booking.cancelled_at.is_some(),
            answers: questionnaire
                .questions
                .iter()
                .filter_map(|q| {
                    let answer = answers.get(&q.id)?;
                    Some((
                        q.label.get(ctx.lang).to_owned(),
                        answer.display(q, ctx.lang),
                    ))
                })
                .collect(),
        })
        .collect();
    let booked = records
        .iter()
        .filter(|(r, _)| r.booked.booking.is_active())
        .count();
    let mut b = Base::new(&ctx, state.accounts.city(), "page.kenko_admin.slot_title");
    b.title = format!("{} {}", slot.service.name(ctx.lang), slot.when_ja());
    ok(&SlotPage {
        b,
        slot: SlotRow {
            id: slot.slot_id.to_string(),
            service: slot.service.name(ctx.lang),
            when: slot.when_ja(),
            place: slot.place.label(ctx.lang).to_owned(),
            booked,
            capacity: slot.capacity,
        },
        bookings,
    })
}

/// `?service=…&from=YYYY-MM-DD&days=N`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    service: String,
    from: String,
    days: Option<i64>,
}

/// `GET /admin/kenko/export.csv`: bookings with answers as CSV (the read is logged).
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let service: Service = query.service.parse().map_err(|_| AppError::NotFound)?;
    let from = query.from.parse().unwrap_or_else(|_| state.kenko.today());
    let days = query.days.unwrap_or(31);
    let csv = state
        .kenko
        .export(user, service, from, days, ctx.lang)
        .await?;
    let name = format!("attachment; filename=\"{}-{from}.csv\"", service.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        csv,
    )
        .into_response())
}
