//! The staff's 配信状況: each delivery's recipients per channel (waiting, handed over, given
//! up), the dead letters with their last error, and 再送 for them.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;

use super::{Base, Saved, auth::CsrfOnly, ok};
use crate::{
    clock::tokyo_date_time,
    store::{DeliverySummary, RecipientStatus},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A delivery as a row.
struct Row {
    id: String,
    title: String,
    kind: &'static str,
    date: String,
    total: u64,
    summary: DeliverySummary,
}

fn kind_key(kind: &str) -> &'static str {
    match kind {
        "announcement" => "page.deliveries.kind_announcement",
        "school_notice" => "page.deliveries.kind_school_notice",
        _ => "page.deliveries.kind_other",
    }
}

fn row(summary: DeliverySummary) -> Row {
    let total = [summary.email, summary.line]
        .iter()
        .map(|c| c.queued + c.sent + c.dead)
        .sum();
    Row {
        id: summary.delivery_id.to_string(),
        title: summary.title.clone(),
        kind: kind_key(&summary.kind),
        date: tokyo_date_time(summary.created_at),
        total,
        summary,
    }
}

#[derive(Template)]
#[template(path = "admin_deliveries.html")]
struct ListPage {
    b: Base,
    rows: Vec<Row>,
}

/// `GET /admin/deliveries`.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let rows = state
        .notifier
        .deliveries(user)
        .await?
        .into_iter()
        .map(row)
        .collect();
    ok(&ListPage {
        b: Base::new(&ctx, state.accounts.city(), "page.deliveries.title"),
        rows,
    })
}

#[derive(Template)]
#[template(path = "admin_delivery.html")]
struct DetailPage {
    b: Base,
    r: Row,
    dead: Vec<RecipientStatus>,
    saved: bool,
}

/// `GET /admin/deliveries/{delivery_id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(delivery_id): Path<String>,
    axum::extract::Query(saved): axum::extract::Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let id = uuid::Uuid::parse_str(&delivery_id).map_err(|_| AppError::NotFound)?;
    let (summary, dead) = state
        .notifier
        .delivery(user, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ok(&DetailPage {
        b: Base::new(&ctx, state.accounts.city(), "page.deliveries.detail"),
        r: row(summary),
        dead,
        saved: saved.is_set(),
    })
}

/// `POST /admin/deliveries/{delivery_id}/resend`: 失敗した宛先に再送.
pub async fn resend(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(delivery_id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = uuid::Uuid::parse_str(&delivery_id).map_err(|_| AppError::NotFound)?;
    state.notifier.resend(user, id).await?;
    Ok(Redirect::to(&format!("/admin/deliveries/{id}?saved=1")).into_response())
}
