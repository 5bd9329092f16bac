//! 学校の管理 for admins and school staff: registering schools (admins), a school's groups
//! and staff, posting a notice to groups (the school's own staff), and who has read each.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{Base, Saved, auth::CsrfOnly, invalid, ok, schools::NoticeRow};
use crate::{
    accounts::AccountError,
    domain::{
        AccountId, Role,
        schools::{GroupKind, SchoolInput, SchoolKind},
        validation::FieldErrors,
    },
    store::{Account, School},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The school form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SchoolForm {
    csrf: String,
    code: String,
    name: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "admin_schools.html")]
struct SchoolsPage {
    b: Base,
    schools: Vec<School>,
    kinds: [SchoolKind; 3],
    can_create: bool,
    form: SchoolForm,
    errors: FieldErrors,
}

async fn schools_page(
    state: &AppState,
    ctx: &Ctx,
    form: SchoolForm,
    errors: FieldErrors,
) -> Result<SchoolsPage, AppError> {
    let user = ctx.require_user()?;
    Ok(SchoolsPage {
        b: Base::new(ctx, state.accounts.city(), "page.admin_schools.title"),
        schools: state.schools.manageable(user).await?,
        kinds: SchoolKind::ALL,
        can_create: user.has_role(Role::Admin),
        form,
        errors,
    })
}

/// `GET /admin/schools`.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ok(&schools_page(&state, &ctx, SchoolForm::default(), FieldErrors::default()).await?)
}

/// `POST /admin/schools`: registers a school.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SchoolForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let input = SchoolInput {
        code: form.code.clone(),
        name: form.name.clone(),
        kind: form.kind.clone(),
    };
    match state.schools.create(user, &input).await {
        Ok(code) => Ok(Redirect::to(&format!("/admin/schools/{code}")).into_response()),
        Err(AccountError::Invalid(errors)) => {
            invalid(&schools_page(&state, &ctx, form, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// A group as the school page lists it.
pub(super) struct GroupRow {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) children: u64,
    pub(super) removable: bool,
}

/// A school's groups as rows; classes and other groups may be removed.
pub(super) async fn group_rows(
    state: &AppState,
    user: &Account,
    school: &School,
) -> Result<Vec<GroupRow>, AppError> {
    Ok(state
        .schools
        .groups(user, &school.code)
        .await?
        .into_iter()
        .map(|g| GroupRow {
            id: g.group_id.to_string(),
            name: g.kind.name(school.kind),
            children: g.children,
            removable: matches!(g.kind, GroupKind::Class(..) | GroupKind::Other(_)),
        })
        .collect())
}

/// The forms on the school page (groups, staff), as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SchoolPageForm {
    csrf: String,
    grade: String,
    group_name: String,
    email: String,
}

#[derive(Template)]
#[template(path = "admin_school.html")]
struct SchoolPage {
    b: Base,
    saved: bool,
    school: School,
    grades: Vec<(u8, String)>,
    groups: Vec<GroupRow>,
    staff: Vec<Account>,
    notices: Vec<(NoticeRow, u64, u64)>,
    can_post: bool,
    is_admin: bool,
    form: SchoolPageForm,
    errors: FieldErrors,
}

async fn school_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: SchoolPageForm,
    errors: FieldErrors,
    saved: bool,
) -> Result<SchoolPage, AppError> {
    let user = ctx.require_user()?;
    let school = state.schools.managed(user, code).await?;
    let groups = group_rows(state, user, &school).await?;
    let notices = state
        .schools
        .school_notices(user, code)
        .await?
        .iter()
        .map(|s| (NoticeRow::of(&s.notice, true), s.read, s.recipients))
        .collect();
    let mut b = Base::new(ctx, state.accounts.city(), "page.admin_schools.title");
    b.title = school.name.clone();
    Ok(SchoolPage {
        b,
        saved,
        grades: school
            .kind
            .grades()
            .map(|g| (g, school.kind.grade_name(g)))
            .collect(),
        groups,
        staff: state.schools.staff(user, code).await?,
        notices,
        can_post: state.schools.staffed(user, code).await.is_ok(),
        is_admin: user.has_role(Role::Admin),
        school,
        form,
        errors,
    })
}

/// `GET /admin/schools/{code}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let page = school_page(
        &state,
        &ctx,
        &code,
        SchoolPageForm::default(),
        FieldErrors::default(),
        saved.is_set(),
    )
    .await?;
    ok(&page)
}

fn back_to(code: &str) -> Response {
    Redirect::to(&format!("/admin/schools/{code}?saved=1")).into_response()
}

/// `POST /admin/schools/{code}/groups`: adds a 学級 (with a grade) or another group.
pub async fn add_group(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<SchoolPageForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let result = state
        .schools
        .add_group(user, &code, &form.grade, &form.group_name)
        .await;
    after_change(&state, &ctx, &code, form, result).await
}

/// Back to the school page after a change, or the page again with the form's errors.
async fn after_change(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: SchoolPageForm,
    result: Result<(), AccountError>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(back_to(code)),
        Err(AccountError::Invalid(errors)) => {
            invalid(&school_page(state, ctx, code, form, errors, false).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/schools/{code}/groups/{id}/delete`.
pub async fn delete_group(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    if !state.schools.delete_group(user, &code, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(back_to(&code))
}

/// `POST /admin/schools/{code}/staff`: makes a school-role account staff of the school.
pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(form): Form<SchoolPageForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let result = state.schools.assign(user, &code, &form.email).await;
    after_change(&state, &ctx, &code, form, result).await
}

/// `POST /admin/schools/{code}/staff/{account_id}/remove`.
pub async fn unassign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, account_id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let account_id: AccountId = account_id.parse().map_err(|_| AppError::NotFound)?;
    state.schools.unassign(user, &code, account_id).await?;
    Ok(back_to(&code))
}
