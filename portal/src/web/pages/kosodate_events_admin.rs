//! イベントの管理 for the staff who publish 子育てイベント (子育て支援センター, the health
//! office, admins): the events from two months back on, a form for a new one, and each event's
//! page to edit it, call it off and see who applied (confirmed and waiting, with names). A
//! refused form comes back with every error beside its field and everything typed kept.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use jiff::ToSpan;
use serde::Deserialize;

use super::{
    Base, Saved,
    auth::CsrfOnly,
    invalid,
    kosodate_events_view::{DraftErrors, EventRow, app_error, event_id},
    ok,
};
use crate::{
    events::{EventDraft, EventId, Placement},
    kosodate_events::{EventsError, draft_of},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The event form as posted (checkboxes are present only when ticked).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EventForm {
    csrf: String,
    title: String,
    description: String,
    place: String,
    all_day: Option<String>,
    start_date: String,
    start_time: String,
    end_date: String,
    end_time: String,
    age_from_months: String,
    age_to_months: String,
    pregnant: Option<String>,
    capacity: String,
    application: String,
    how: String,
    opens: String,
    closes: String,
    url: String,
}

impl EventForm {
    fn draft(self) -> EventDraft {
        EventDraft {
            title: self.title,
            description: self.description,
            place: self.place,
            all_day: self.all_day.is_some(),
            start_date: self.start_date,
            start_time: self.start_time,
            end_date: self.end_date,
            end_time: self.end_time,
            age_from_months: self.age_from_months,
            age_to_months: self.age_to_months,
            pregnant: self.pregnant.is_some(),
            capacity: self.capacity,
            application: self.application,
            how: self.how,
            opens: self.opens,
            closes: self.closes,
            url: self.url,
        }
    }
}

/// One applicant as staff see them.
struct ApplicantRow {
    name: String,
    email: String,
    applied_at: String,
}

#[derive(Template)]
#[template(path = "kosodate_events_admin.html")]
struct AdminPage {
    b: Base,
    rows: Vec<EventRow>,
    form: EventDraft,
    errors: DraftErrors,
    saved: bool,
}

#[derive(Template)]
#[template(path = "kosodate_event_admin.html")]
struct EditPage {
    b: Base,
    row: EventRow,
    form: EventDraft,
    errors: DraftErrors,
    confirmed: Vec<ApplicantRow>,
    waiting: Vec<ApplicantRow>,
    saved: bool,
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    form: EventDraft,
    errors: DraftErrors,
    saved: bool,
) -> Result<AdminPage, AppError> {
    let user = ctx.require_user()?;
    let service = &state.kosodate_events;
    service.require_staff(user).map_err(app_error)?;
    let today = service.today();
    let from = today.checked_sub(2.months()).unwrap_or(today);
    let mut stored = service.all_between(from, None).await.map_err(app_error)?;
    stored.sort_by(|a, b| crate::events::calendar::list_order(&a.event, &b.event));
    Ok(AdminPage {
        b: Base::new(ctx, state.accounts.city(), "page.events_admin.title"),
        rows: stored.iter().map(|s| EventRow::new(s, ctx.lang)).collect(),
        form,
        errors,
        saved,
    })
}

/// `GET /admin/kosodate/events`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let form = EventDraft {
        application: "none".to_owned(),
        ..EventDraft::default()
    };
    let page = list_page(&state, &ctx, form, DraftErrors::default(), saved.is_set()).await?;
    ok(&page)
}

/// `POST /admin/kosodate/events`: publishes a new event.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let draft = form.draft();
    match state.kosodate_events.publish(user, &draft).await {
        Ok(id) => Ok(Redirect::to(&format!("/admin/kosodate/events/{id}?saved=1")).into_response()),
        Err(EventsError::Invalid(errors)) => {
            let errors = DraftErrors::new(&errors, ctx.lang);
            invalid(&list_page(&state, &ctx, draft, errors, false).await?)
        }
        Err(other) => Err(app_error(other)),
    }
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    id: &EventId,
    form: Option<EventDraft>,
    errors: DraftErrors,
    saved: bool,
) -> Result<EditPage, AppError> {
    let user = ctx.require_user()?;
    let service = &state.kosodate_events;
    service.require_staff(user).map_err(app_error)?;
    let stored = service.event(id).await.map_err(app_error)?;
    let applicants = service.applicants(user, id).await.map_err(app_error)?;
    let (mut confirmed, mut waiting) = (Vec::new(), Vec::new());
    for applicant in applicants {
        let row = ApplicantRow {
            name: applicant.name,
            email: applicant.email,
            applied_at: crate::clock::tokyo_date_time(applicant.applied_at),
        };
        // The store lists each in order: confirmed first, then the waiting list from the next.
        match applicant.placement {
            Placement::Confirmed => confirmed.push(row),
            Placement::Waitlisted { .. } => waiting.push(row),
        }
    }
    Ok(EditPage {
        b: Base::new(ctx, state.accounts.city(), "page.events_admin.edit_title"),
        row: EventRow::new(&stored, ctx.lang),
        form: form.unwrap_or_else(|| draft_of(&stored.event)),
        errors,
        confirmed,
        waiting,
        saved,
    })
}

/// `GET /admin/kosodate/events/{id}`.
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let id = event_id(&id)?;
    let page = edit_page(
        &state,
        &ctx,
        &id,
        None,
        DraftErrors::default(),
        saved.is_set(),
    )
    .await?;
    ok(&page)
}

/// `POST /admin/kosodate/events/{id}`: saves the changes.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = event_id(&id)?;
    let draft = form.draft();
    match state.kosodate_events.update(user, &id, &draft).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/kosodate/events/{id}?saved=1")).into_response()),
        Err(EventsError::Invalid(errors)) => {
            let errors = DraftErrors::new(&errors, ctx.lang);
            invalid(&edit_page(&state, &ctx, &id, Some(draft), errors, false).await?)
        }
        Err(other) => Err(app_error(other)),
    }
}

/// `POST /admin/kosodate/events/{id}/call-off`: 中止.
pub async fn call_off(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = event_id(&id)?;
    state
        .kosodate_events
        .call_off(user, &id)
        .await
        .map_err(app_error)?;
    Ok(Redirect::to(&format!("/admin/kosodate/events/{id}?saved=1")).into_response())
}
