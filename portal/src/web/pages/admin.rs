//! 職員の管理: the admin's staff list (roles per person), staff invitations, and the page where
//! an invited staff member sets a password.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{
    Base,
    auth::{NewPasswordForm, NewPasswordPage, new_password_outcome},
    invalid, ok,
    register::TokenQuery,
};
use crate::{
    accounts::AccountError,
    domain::{AccountId, Role, validation::FieldErrors},
    i18n::t,
    store::{Account, AccountStatus},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// One row of the staff table.
struct StaffRow {
    account_id: String,
    name: String,
    email: String,
    pending: bool,
    roles: Vec<Role>,
}

#[derive(Template)]
#[template(path = "admin_staff.html")]
struct StaffPage {
    b: Base,
    staff: Vec<StaffRow>,
    all_roles: [Role; 8],
    invite: InviteForm,
    errors: FieldErrors,
    notice: &'static str,
}

impl StaffPage {
    fn role_label(&self, role: &Role) -> &'static str {
        self.b.t(role.label_key())
    }

    fn invited_with(&self, role: &Role) -> bool {
        self.invite.roles.iter().any(|name| name == role.as_str())
    }
}

/// `?done=invited|roles` after a change.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: Option<String>,
}

fn rows(staff: Vec<Account>) -> Vec<StaffRow> {
    staff
        .into_iter()
        .map(|account| StaffRow {
            account_id: account.account_id.to_string(),
            name: format!("{} {}", account.family_name, account.given_name),
            email: account.email.to_string(),
            pending: account.status == AccountStatus::Pending,
            roles: account.roles,
        })
        .collect()
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    invite: InviteForm,
    errors: FieldErrors,
    notice: &'static str,
) -> Result<StaffPage, AppError> {
    let user = ctx.require_user()?;
    let staff = state.accounts.list_staff(user).await?;
    Ok(StaffPage {
        b: Base::new(ctx, state.accounts.city(), "page.staff.title"),
        staff: rows(staff),
        all_roles: Role::ALL,
        invite,
        errors,
        notice,
    })
}

/// `GET /admin/staff`.
pub async fn staff(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let notice = match done.done.as_deref() {
        Some("invited") => t(ctx.lang, "page.staff.invited"),
        Some("roles") => t(ctx.lang, "page.staff.roles_saved"),
        _ => "",
    };
    ok(&page(
        &state,
        &ctx,
        InviteForm::default(),
        FieldErrors::default(),
        notice,
    )
    .await?)
}

/// The invitation form as posted (`roles` repeats, one per checked box).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    csrf: String,
    email: String,
    family_name: String,
    given_name: String,
    roles: Vec<String>,
}

fn parse_roles(names: &[String]) -> Result<Vec<Role>, AppError> {
    names
        .iter()
        .map(|name| {
            name.parse::<Role>()
                .map_err(|_| AppError::BadRequest("error.malformed"))
        })
        .collect()
}

/// `POST /admin/staff`: invites a staff member by mail.
pub async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let roles = parse_roles(&form.roles)?;
    match state
        .accounts
        .invite_staff(
            user,
            &form.email,
            &form.family_name,
            &form.given_name,
            &roles,
            ctx.lang,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/admin/staff?done=invited").into_response()),
        Err(AccountError::Invalid(errors)) => invalid(&page(&state, &ctx, form, errors, "").await?),
        Err(other) => Err(other.into()),
    }
}

/// A staff member's roles as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RolesForm {
    csrf: String,
    roles: Vec<String>,
}

/// `POST /admin/staff/{account_id}/roles`: replaces the roles (none left: no longer staff).
pub async fn set_roles(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(account_id): Path<String>,
    Form(form): Form<RolesForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let target: AccountId = account_id.parse().map_err(|_| AppError::NotFound)?;
    let roles = parse_roles(&form.roles)?;
    match state.accounts.set_roles(user, target, &roles).await {
        Ok(()) => Ok(Redirect::to("/admin/staff?done=roles").into_response()),
        Err(AccountError::Invalid(errors)) => {
            invalid(&page(&state, &ctx, InviteForm::default(), errors, "").await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /staff/welcome?token=…`: an invited staff member sets a password.
pub async fn welcome_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    ok(&NewPasswordPage {
        b: Base::new(&ctx, state.accounts.city(), "page.welcome.title"),
        lead: t(ctx.lang, "page.welcome.lead"),
        action: "/staff/welcome",
        token: query.token().to_owned(),
        errors: FieldErrors::default(),
    })
}

/// `POST /staff/welcome`.
pub async fn welcome(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let result = state
        .accounts
        .accept_invite(&form.token, &form.password, &form.password_confirm)
        .await;
    new_password_outcome(
        &state,
        &ctx,
        result,
        form.token,
        "page.welcome.title",
        "page.welcome.lead",
        "/staff/welcome",
    )
}
