//! One event of the 子育てイベントカレンダー: when, where, for whom, how many places are left,
//! and how to apply — on the portal (申し込む, or キャンセル待ち when full; 申込を取り消す), or
//! the way staff wrote (by phone …), or not at all (自由参加).

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    Base,
    auth::CsrfOnly,
    kosodate_events_view::{EventRow, app_error, event_id},
    ok, render,
};
use crate::{
    events::{Application, EventId, Placement, check_open},
    i18n::t,
    kosodate_events::EventsError,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// `?done=…` after applying or cancelling.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

#[derive(Template)]
#[template(path = "kosodate_event.html")]
struct EventPage {
    b: Base,
    row: EventRow,
    description: Vec<String>,
    url: Option<String>,
    capacity: Option<u32>,
    places_left: Option<u32>,
    /// `none`, `portal` or `other`.
    kind: &'static str,
    how: String,
    window: String,
    signed_in: bool,
    /// Confirmed: 0; waiting: the position; not applied: `None`.
    standing: Option<u32>,
    /// Why applying is not possible now, if it is not.
    closed: String,
    /// What just happened, or why it did not.
    done: String,
    refused: String,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    id: &EventId,
    done: &str,
    refused: String,
) -> Result<EventPage, AppError> {
    let service = &state.kosodate_events;
    let stored = service.event(id).await.map_err(app_error)?;
    let lang = ctx.lang;
    let event = &stored.event;
    let standing = match &ctx.user {
        Some(user) => service
            .placement(id, user)
            .await
            .map_err(app_error)?
            .map(|placed| match placed {
                Placement::Confirmed => 0,
                Placement::Waitlisted { position } => position,
            }),
        None => None,
    };
    let (kind, how, window) = match &event.application {
        Application::None => ("none", String::new(), String::new()),
        Application::Other { how } => ("other", how.clone(), String::new()),
        Application::Portal { opens, closes } => {
            let at = |moment: &Option<jiff::civil::DateTime>| {
                moment
                    .map(|m| {
                        format!(
                            "{} {}",
                            crate::kosodate_events::day_ja(m.date()),
                            m.strftime("%-H:%M")
                        )
                    })
                    .unwrap_or_default()
            };
            let window = match (opens.is_some(), closes.is_some()) {
                (false, false) => String::new(),
                (_, true) => format!("{}〜{}", at(opens), at(closes)),
                (true, false) => format!("{}〜{}", at(opens), t(lang, "page.events.until_start")),
            };
            ("portal", String::new(), window)
        }
    };
    let closed = match check_open(event, service.now()) {
        Ok(()) => String::new(),
        Err(why) => why.message(lang),
    };
    Ok(EventPage {
        b: Base::new(ctx, state.accounts.city(), "page.events.event_title"),
        row: EventRow::new(&stored, lang),
        description: event
            .description
            .split("\n\n")
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect(),
        url: event.url.clone(),
        capacity: event.capacity,
        places_left: stored.places_left(),
        kind,
        how,
        window,
        signed_in: ctx.user.is_some(),
        standing,
        closed,
        done: done.to_owned(),
        refused,
    })
}

/// `GET /kosodate/events/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let id = event_id(&id)?;
    ok(&page(&state, &ctx, &id, &done.done, String::new()).await?)
}

/// `POST /kosodate/events/{id}/apply`: 申し込む.
pub async fn apply(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = event_id(&id)?;
    match state.kosodate_events.apply(user, &id).await {
        Ok(Placement::Confirmed) => after(&id, "applied"),
        Ok(Placement::Waitlisted { .. }) => after(&id, "waiting"),
        Err(EventsError::Refused(why)) => {
            let message = why.message(ctx.lang);
            refused(&state, &ctx, &id, message).await
        }
        Err(other) => Err(app_error(other)),
    }
}

/// `POST /kosodate/events/{id}/cancel`: 申込を取り消す.
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = event_id(&id)?;
    match state.kosodate_events.cancel(user, &id).await {
        Ok(()) => after(&id, "cancelled"),
        Err(EventsError::NotApplied) => {
            let message = t(ctx.lang, "page.events.not_applied").to_owned();
            refused(&state, &ctx, &id, message).await
        }
        Err(EventsError::Started) => {
            let message = t(ctx.lang, "page.events.started").to_owned();
            refused(&state, &ctx, &id, message).await
        }
        Err(other) => Err(app_error(other)),
    }
}

fn after(id: &EventId, done: &str) -> Result<Response, AppError> {
    Ok(Redirect::to(&format!("/kosodate/events/{id}?done={done}")).into_response())
}

/// The event's page again, saying why nothing changed (409).
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    id: &EventId,
    message: String,
) -> Result<Response, AppError> {
    render(
        &page(state, ctx, id, "", message).await?,
        StatusCode::CONFLICT,
    )
}
