//! A school's notices for its staff: the form that posts one to groups (the school's own
//! staff only), and who has read each.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{
    Base, invalid, ok,
    school_admin::{GroupRow, group_rows},
    schools::NoticeRow,
};
use crate::{
    accounts::AccountError,
    clock::tokyo_date_time,
    domain::{
        school_notices::{NoticeInput, NoticeKind},
        validation::FieldErrors,
    },
    store::{NoticeSummary, Receipt, School},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The notice form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NoticeForm {
    csrf: String,
    kind: String,
    urgent: Option<String>,
    title: String,
    body: String,
    groups: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_school_notice_new.html")]
struct NewNoticePage {
    b: Base,
    school: School,
    kinds: [NoticeKind; 6],
    groups: Vec<GroupRow>,
    form: NoticeForm,
    errors: FieldErrors,
}

async fn new_notice_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: NoticeForm,
    errors: FieldErrors,
) -> Result<NewNoticePage, AppError> {
    let user = ctx.require_user()?;
    let school = state.schools.staffed(user, code).await?;
    let groups = group_rows(state, user, &school).await?;
    Ok(NewNoticePage {
        b: Base::new(ctx, state.accounts.city(), "page.school_notice_new.title"),
        school,
        kinds: NoticeKind::ALL,
        groups,
        form,
        errors,
    })
}

/// `GET /admin/schools/{code}/notices/new`.
pub async fn new_notice(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let form = NoticeForm {
        kind: NoticeKind::Other.as_str().to_owned(),
        ..NoticeForm::default()
    };
    ok(&new_notice_page(&state, &ctx, &code, form, FieldErrors::default()).await?)
}

/// `POST /admin/schools/{code}/notices/new`: posts and delivers the notice.
pub async fn post_notice(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<NoticeForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let input = NoticeInput {
        kind: form.kind.clone(),
        urgent: form.urgent.is_some(),
        title: form.title.clone(),
        body: form.body.clone(),
        groups: form.groups.clone(),
    };
    match state.schools.post(user, &code, &input).await {
        Ok((id, _)) => {
            Ok(Redirect::to(&format!("/admin/schools/{code}/notices/{id}")).into_response())
        }
        Err(AccountError::Invalid(errors)) => {
            invalid(&new_notice_page(&state, &ctx, &code, form, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "admin_school_notice.html")]
struct ReceiptsPage {
    b: Base,
    code: String,
    notice: NoticeRow,
    summary: NoticeSummary,
    receipts: Vec<(Receipt, Option<String>)>,
}

/// `GET /admin/schools/{code}/notices/{id}`: the notice with who has read it.
pub async fn receipts(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let id: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let (summary, receipts) = state
        .schools
        .receipts(user, id)
        .await?
        .filter(|(summary, _)| summary.notice.school.code == code)
        .ok_or(AppError::NotFound)?;
    let mut b = Base::new(&ctx, state.accounts.city(), "page.school_receipts.title");
    b.title = summary.notice.title.clone();
    ok(&ReceiptsPage {
        b,
        code,
        notice: NoticeRow::of(&summary.notice, true),
        receipts: receipts
            .into_iter()
            .map(|r| {
                let at = r.read_at.map(tokyo_date_time);
                (r, at)
            })
            .collect(),
        summary,
    })
}
