//! Kiosks of a center (admins) and its visit history (admins and the center's staff): register
//! a kiosk and see its credentials once, issue new ones, retire it; the day's check-ins and
//! check-outs, the portal's closing-time check-outs among them.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use jiff::civil::Date;
use serde::Deserialize;
use shimin_sync::{ids::KioskId, messages::EventKind};

use super::{Base, auth::CsrfOnly, ok};
use crate::{
    checkin::kiosks::KioskCredentials,
    clock::tokyo,
    store::EventSource,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A new kiosk as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KioskForm {
    csrf: String,
    label: String,
}

#[derive(Template)]
#[template(path = "kiosk_credentials.html")]
struct CredentialsPage {
    b: Base,
    center_id: String,
    kiosk_id: String,
    password: String,
    broker_url: String,
}

fn credentials_page(
    state: &AppState,
    ctx: &Ctx,
    credentials: KioskCredentials,
) -> Result<Response, AppError> {
    ok(&CredentialsPage {
        b: Base::new(ctx, state.accounts.city(), "page.kiosk.credentials_title"),
        center_id: credentials.kiosk.center_id.to_string(),
        kiosk_id: credentials.kiosk.kiosk_id.to_string(),
        password: credentials.password,
        broker_url: state.broker_url.clone(),
    })
}

pub(super) fn center_id(raw: &str) -> Result<shimin_sync::ids::CenterId, AppError> {
    shimin_sync::ids::CenterId::new(raw).map_err(|_| AppError::NotFound)
}

/// `POST /admin/centers/{center_id}/kiosks`: registers a kiosk; the answer shows its
/// credentials, once.
pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<KioskForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = center_id(&id)?;
    let credentials = state.checkin.register_kiosk(user, &id, &form.label).await?;
    credentials_page(&state, &ctx, credentials)
}

/// `POST /admin/centers/{center_id}/kiosks/{kiosk_id}/password`: new credentials.
pub async fn renew(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((_, kiosk_id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let kiosk_id = KioskId::new(kiosk_id).map_err(|_| AppError::NotFound)?;
    let credentials = state
        .checkin
        .renew_kiosk_password(user, &kiosk_id)
        .await?
        .ok_or(AppError::NotFound)?;
    credentials_page(&state, &ctx, credentials)
}

/// `POST /admin/centers/{center_id}/kiosks/{kiosk_id}/retire`.
pub async fn retire(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, kiosk_id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = center_id(&id)?;
    let kiosk_id = KioskId::new(kiosk_id).map_err(|_| AppError::NotFound)?;
    state.checkin.retire_kiosk(user, &kiosk_id).await?;
    Ok(Redirect::to(&format!("/admin/centers/{id}?saved=1")).into_response())
}

/// The day to show.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DayQuery {
    date: Option<String>,
}

/// One row of the visit history.
struct VisitRow {
    time: String,
    kind_key: &'static str,
    source_key: &'static str,
    automatic: bool,
    guardian: String,
    children: String,
    where_: String,
    note: String,
}

#[derive(Template)]
#[template(path = "visits.html")]
struct VisitsPage {
    b: Base,
    center_id: String,
    date: String,
    visits: Vec<VisitRow>,
    automatic_count: usize,
}

/// `GET /admin/centers/{center_id}/visits?date=YYYY-MM-DD`: 利用履歴 of one day.
pub async fn visits(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let id = center_id(&id)?;
    let today = state.clock.now().to_zoned(tokyo()).date();
    let date = query
        .date
        .as_deref()
        .and_then(|text| text.parse::<Date>().ok())
        .unwrap_or(today);
    let visits: Vec<VisitRow> = state
        .checkin
        .visits(user, &id, date)
        .await?
        .into_iter()
        .map(|visit| VisitRow {
            time: visit
                .occurred_at
                .to_zoned(tokyo())
                .strftime("%H:%M:%S")
                .to_string(),
            kind_key: match visit.kind {
                EventKind::CheckIn => "page.visits.check_in",
                EventKind::CheckOut => "page.visits.check_out",
            },
            source_key: match visit.source {
                EventSource::Pass => "page.visits.by_pass",
                EventSource::Manual => "page.visits.by_staff",
                EventSource::Closing => "page.visits.by_closing",
            },
            automatic: visit.source == EventSource::Closing,
            guardian: visit.guardian_name,
            children: visit.children.join("、"),
            where_: visit
                .kiosk_id
                .map(|kiosk| kiosk.to_string())
                .unwrap_or_default(),
            note: visit.staff_note.unwrap_or_default(),
        })
        .collect();
    let automatic_count = visits.iter().filter(|visit| visit.automatic).count();
    let mut b = Base::new(&ctx, state.accounts.city(), "page.visits.title");
    b.title = format!("{} {}", b.title, date);
    ok(&VisitsPage {
        b,
        center_id: id.to_string(),
        date: date.to_string(),
        visits,
        automatic_count,
    })
}
