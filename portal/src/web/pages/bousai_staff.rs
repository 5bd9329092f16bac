//! 避難情報 for the disaster office: the alerts written and sent, a CAP file to start one, and
//! each alert's page — its message in every language, its delivery's progress (updated live),
//! the citizens' answers by area, and 承認 / 続報 / 取消.

use askama::Template;
use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Serialize;
use uuid::Uuid;

use super::bousai_view::{AlertRow, row, target_words};
use super::{Base, auth::CsrfOnly, ok};
use crate::{
    alerts::{Answer, Language},
    bousai_follow::Answers,
    bousai_send::require_staff,
    clock::tokyo_date_time,
    store::{AlertStatus, StateCounts, StoredAlert},
    web::{AppState, ctx::Ctx, error::AppError},
};

#[derive(Template)]
#[template(path = "bousai_staff.html")]
pub(super) struct ListPage {
    b: Base,
    rows: Vec<AlertRow>,
    pub(super) error: Option<String>,
}

/// The list page (also shown again with a refused CAP file's reason).
pub(super) async fn list_page(state: &AppState, ctx: &Ctx) -> Result<ListPage, AppError> {
    let user = ctx.require_user()?;
    let alerts = state.bousai.staff_alerts(user).await?;
    let language = Language::parse_or_japanese(ctx.lang.code());
    Ok(ListPage {
        b: Base::new(ctx, state.accounts.city(), "page.bousai_staff.title"),
        rows: alerts.iter().map(|a| row(a, language)).collect(),
        error: None,
    })
}

/// `GET /admin/bousai`.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ok(&list_page(&state, &ctx).await?)
}

/// A language's message.
pub struct Text {
    code: String,
    name: &'static str,
    title: String,
    body: String,
}

/// One area's answers.
pub struct AnswerRow {
    area: String,
    safe: u32,
    evacuated: u32,
    need_help: u32,
    total: u32,
}

#[derive(Template)]
#[template(path = "bousai_alert_staff.html")]
struct AlertPage {
    b: Base,
    r: AlertRow,
    target: String,
    shelters: String,
    texts: Vec<Text>,
    can_approve: bool,
    answers: Vec<AnswerRow>,
    total: AnswerRow,
    need_help: Vec<(String, String, String, String)>,
    answer_labels: Vec<&'static str>,
}

fn texts(alert: &StoredAlert) -> Vec<Text> {
    alert
        .texts
        .iter()
        .map(|(code, title, body)| Text {
            code: code.clone(),
            name: Language::parse_or_japanese(code).native_name(),
            title: title.clone(),
            body: body.clone(),
        })
        .collect()
}

fn answer_rows(answers: &Answers, areas: &crate::alerts::Areas) -> Vec<AnswerRow> {
    answers
        .tally
        .by_area
        .iter()
        .map(|(area, t)| AnswerRow {
            area: area
                .and_then(|id| areas.get(id))
                .map_or_else(|| "—".to_owned(), |a| a.name(Language::Ja).to_owned()),
            safe: t.safe,
            evacuated: t.evacuated,
            need_help: t.need_help,
            total: t.total(),
        })
        .collect()
}

/// `GET /admin/bousai/alerts/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let alert = state.bousai.staff_alert(user, id).await?;
    let areas = state
        .bousai
        .areas()
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    let answers = state.bousai.answers(user, id).await?;
    let area_name = |area: Option<u32>| {
        area.and_then(|a| areas.get(crate::alerts::AreaId(a)))
            .map_or_else(|| "—".to_owned(), |a| a.name(Language::Ja).to_owned())
    };
    let language = Language::parse_or_japanese(ctx.lang.code());
    let total = answers.tally.total;
    ok(&AlertPage {
        b: Base::new(&ctx, state.accounts.city(), "page.bousai_alert.title"),
        target: target_words(&state.bousai, &alert, language, &areas),
        shelters: alert.shelters.join("、"),
        texts: texts(&alert),
        can_approve: alert.status == AlertStatus::Pending && alert.created_by != user.account_id,
        answers: answer_rows(&answers, &areas),
        total: AnswerRow {
            area: String::new(),
            safe: total.safe,
            evacuated: total.evacuated,
            need_help: total.need_help,
            total: total.total(),
        },
        need_help: answers
            .need_help
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.email.clone(),
                    area_name(a.area),
                    tokyo_date_time(a.at),
                )
            })
            .collect(),
        answer_labels: Answer::ALL.iter().map(|a| a.label(language)).collect(),
        r: row(&alert, language),
    })
}

/// The progress as the page's script reads it.
#[derive(Serialize)]
pub struct Progress {
    status: &'static str,
    recipients: u64,
    email: StateCounts,
    line: StateCounts,
    done: bool,
}

/// `GET /admin/bousai/alerts/{id}/progress`: the delivery's counts per channel, as JSON.
pub async fn progress(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let alert = state.bousai.staff_alert(user, id).await?;
    let summary = state.bousai.progress(user, id, &state.notifier).await?;
    let (email, line) = summary.map_or((StateCounts::default(), StateCounts::default()), |s| {
        (s.email, s.line)
    });
    let done = alert.status != AlertStatus::Approved
        && alert.status != AlertStatus::Pending
        && email.queued == 0
        && line.queued == 0;
    Ok(Json(Progress {
        status: alert.status.code(),
        recipients: alert.recipients,
        email,
        line,
        done,
    })
    .into_response())
}

/// `POST /admin/bousai/alerts/{id}/approve`: a second staff member sends a pending alert.
pub async fn approve(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    state.bousai.approve(user, id, &state.notifier).await?;
    Ok(Redirect::to(&format!("/admin/bousai/alerts/{id}")).into_response())
}

/// `POST /admin/bousai/alerts/{id}/cancel`: 取消, with a notice to everyone it targets.
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    require_staff(user)?;
    let notice = state.bousai.cancel(user, id, &state.notifier).await?;
    Ok(Redirect::to(&format!("/admin/bousai/alerts/{notice}")).into_response())
}
