//! 子育て: こども情報の登録・編集 and 出産予定日の登録, as the city's guide describes them
//! (トップ →「子育て」→「こどもの登録/出産予定日の登録」).

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{Base, Saved, auth::CsrfOnly, invalid, ok};
use crate::{
    domain::{
        ChildId,
        family::{self, ChildInput, Relationship, Sex},
        validation::FieldErrors,
    },
    family::FamilyError,
    store::Child,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// One child as listed.
struct ChildRow {
    child_id: String,
    name: String,
    birth_date: String,
    age_years: i32,
    age_months: i32,
}

#[derive(Template)]
#[template(path = "family.html")]
struct FamilyPage {
    b: Base,
    children: Vec<ChildRow>,
    due_date: Option<String>,
    saved: bool,
}

/// `GET /kosodate`: 保護者のこども and the 出産予定日.
pub async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let today = state.family.today();
    let children = state
        .family
        .children(user)
        .await?
        .into_iter()
        .map(|child| {
            let (age_years, age_months) = family::age(child.details.birth_date, today);
            ChildRow {
                child_id: child.child_id.to_string(),
                name: format!("{} {}", child.details.family_name, child.details.given_name),
                birth_date: child.details.birth_date.to_string(),
                age_years,
                age_months,
            }
        })
        .collect();
    let due_date = state
        .family
        .due_date(user)
        .await?
        .map(|date| date.to_string());
    ok(&FamilyPage {
        b: Base::new(&ctx, state.accounts.city(), "page.family.title"),
        children,
        due_date,
        saved: saved.is_set(),
    })
}

/// The child form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChildForm {
    csrf: String,
    family_name: String,
    given_name: String,
    sex: String,
    birth_date: String,
    relationship: String,
}

impl ChildForm {
    fn input(&self) -> ChildInput {
        ChildInput {
            family_name: self.family_name.clone(),
            given_name: self.given_name.clone(),
            sex: self.sex.clone(),
            birth_date: self.birth_date.clone(),
            relationship: self.relationship.clone(),
        }
    }

    fn from_child(child: &Child) -> Self {
        Self {
            csrf: String::new(),
            family_name: child.details.family_name.clone(),
            given_name: child.details.given_name.clone(),
            sex: child.details.sex.as_str().to_owned(),
            birth_date: child.details.birth_date.to_string(),
            relationship: child.details.relationship.as_str().to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "child_form.html")]
struct ChildPage {
    b: Base,
    /// Where the form posts: `/kosodate/children/new` or the child's own address.
    action: String,
    /// Set when editing (shows the delete button).
    child_id: Option<String>,
    form: ChildForm,
    sexes: &'static [Sex],
    relationships: &'static [Relationship],
    today: String,
    errors: FieldErrors,
}

impl ChildPage {
    fn new(
        ctx: &Ctx,
        state: &AppState,
        child_id: Option<ChildId>,
        form: ChildForm,
        errors: FieldErrors,
    ) -> Self {
        let title = if child_id.is_some() {
            "page.child.edit_title"
        } else {
            "page.child.new_title"
        };
        Self {
            b: Base::new(ctx, state.accounts.city(), title),
            action: match child_id {
                Some(id) => format!("/kosodate/children/{id}"),
                None => "/kosodate/children/new".to_owned(),
            },
            child_id: child_id.map(|id| id.to_string()),
            form,
            sexes: Sex::ALL,
            relationships: Relationship::ALL,
            today: state.family.today().to_string(),
            errors,
        }
    }
}

/// `GET /kosodate/children/new`: こども情報の登録. The family name starts as the guardian's.
pub async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let form = ChildForm {
        family_name: user.family_name.clone(),
        ..ChildForm::default()
    };
    ok(&ChildPage::new(
        &ctx,
        &state,
        None,
        form,
        FieldErrors::default(),
    ))
}

/// `POST /kosodate/children/new`.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ChildForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    match state.family.add_child(user, &form.input()).await {
        Ok(_) => Ok(Redirect::to("/kosodate?saved=1").into_response()),
        Err(FamilyError::Invalid(errors)) => {
            invalid(&ChildPage::new(&ctx, &state, None, form, errors))
        }
        Err(other) => Err(other.into()),
    }
}

fn child_id(raw: &str) -> Result<ChildId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// `GET /kosodate/children/{id}`: こども情報の編集.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let child_id = child_id(&id)?;
    let child = state.family.child(user, child_id).await?;
    ok(&ChildPage::new(
        &ctx,
        &state,
        Some(child_id),
        ChildForm::from_child(&child),
        FieldErrors::default(),
    ))
}

/// `POST /kosodate/children/{id}`.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<ChildForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let child_id = child_id(&id)?;
    match state
        .family
        .update_child(user, child_id, &form.input())
        .await
    {
        Ok(()) => Ok(Redirect::to("/kosodate?saved=1").into_response()),
        Err(FamilyError::Invalid(errors)) => {
            invalid(&ChildPage::new(&ctx, &state, Some(child_id), form, errors))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /kosodate/children/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    state.family.delete_child(user, child_id(&id)?).await?;
    Ok(Redirect::to("/kosodate?saved=1").into_response())
}

#[derive(Template)]
#[template(path = "due_date.html")]
struct DueDatePage {
    b: Base,
    due_date: String,
    earliest: String,
    latest: String,
    errors: FieldErrors,
}

impl DueDatePage {
    fn new(ctx: &Ctx, state: &AppState, due_date: String, errors: FieldErrors) -> Self {
        let (earliest, latest) = family::due_date_window(state.family.today());
        Self {
            b: Base::new(ctx, state.accounts.city(), "page.due_date.title"),
            due_date,
            earliest: earliest.to_string(),
            latest: latest.to_string(),
            errors,
        }
    }
}

/// `GET /kosodate/due-date`: 出産予定日の登録.
pub async fn due_date_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let current = state
        .family
        .due_date(user)
        .await?
        .map(|d| d.to_string())
        .unwrap_or_default();
    ok(&DueDatePage::new(
        &ctx,
        &state,
        current,
        FieldErrors::default(),
    ))
}

/// The due-date form as posted (empty removes it).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DueDateForm {
    csrf: String,
    due_date: String,
}

/// `POST /kosodate/due-date`.
pub async fn set_due_date(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<DueDateForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    match state.family.set_due_date(user, &form.due_date).await {
        Ok(()) => Ok(Redirect::to("/kosodate?saved=1").into_response()),
        Err(FamilyError::Invalid(errors)) => {
            invalid(&DueDatePage::new(&ctx, &state, form.due_date, errors))
        }
        Err(other) => Err(other.into()),
    }
}
