//! The citizen's 配信方法の設定: per service, email and/or LINE; the LINE link's state with
//! 連携を解除; and the portal's step of LINE account linking (`/line/link`: log in, confirm,
//! go on to LINE's dialog with a fresh nonce).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{Base, Saved, auth::CsrfOnly, ok};
use crate::{
    domain::notify::{ChannelChoice, Service},
    line::linking::plausible_link_token,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// One service's row in the form.
struct Row {
    service: &'static str,
    label: &'static str,
    email: bool,
    line: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct SettingsPage {
    b: Base,
    rows: Vec<Row>,
    linked: bool,
    line_configured: bool,
    saved: bool,
}

/// `GET /account/notifications`.
pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let b = Base::new(&ctx, state.accounts.city(), "page.notifications.title");
    let rows = state
        .notifier
        .choices(user.account_id)
        .await?
        .into_iter()
        .map(|(service, choice)| Row {
            service: service.as_str(),
            label: b.t(service.label_key()),
            email: choice.email,
            line: choice.line,
        })
        .collect();
    let linked = state.line.linked_user(user.account_id).await?.is_some();
    ok(&SettingsPage {
        b,
        rows,
        linked,
        line_configured: state.line.configured(),
        saved: saved.is_set(),
    })
}

/// The form: `email` and `line` each list the services ticked.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChoicesForm {
    csrf: String,
    email: Vec<String>,
    line: Vec<String>,
}

/// `POST /account/notifications`.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<ChoicesForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let choices = Service::ALL
        .into_iter()
        .map(|service| {
            let ticked = |list: &[String]| list.iter().any(|s| s == service.as_str());
            let choice = ChannelChoice {
                email: ticked(&form.email),
                line: ticked(&form.line),
            };
            (service, choice)
        })
        .collect();
    state.notifier.set_choices(user.account_id, choices).await?;
    Ok(Redirect::to("/account/notifications?saved=1").into_response())
}

/// `POST /account/line/unlink`: 連携を解除.
pub async fn unlink(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    state.line.unlink(user.account_id).await?;
    Ok(Redirect::to("/account/notifications?saved=1").into_response())
}

#[derive(Template)]
#[template(path = "line_link.html")]
struct LinkPage {
    b: Base,
    link_token: String,
    email: String,
}

/// `?linkToken=` as LINE's link-token URL carries it.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkQuery {
    #[serde(rename = "linkToken")]
    link_token: String,
}

/// `GET /line/link?linkToken=…`: the page the LINE message links to. Logging in comes first
/// (the login page returns here); then the citizen confirms which account to link.
pub async fn link_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<LinkQuery>,
) -> Result<Response, AppError> {
    if !plausible_link_token(&query.link_token) || !state.line.configured() {
        return Err(AppError::NotFound);
    }
    let user = ctx.require_user()?;
    ok(&LinkPage {
        b: Base::new(&ctx, state.accounts.city(), "page.line_link.title"),
        link_token: query.link_token,
        email: user.email.as_str().to_owned(),
    })
}

/// The confirmation form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LinkForm {
    csrf: String,
    #[serde(rename = "linkToken")]
    link_token: String,
}

/// `POST /line/link`: makes the nonce and sends the browser on to LINE's 「許可する」 dialog.
/// A POST with the CSRF token, so no other site can link a signed-in citizen's account to
/// its own LINE user.
pub async fn link(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    if !plausible_link_token(&form.link_token) || !state.line.configured() {
        return Err(AppError::NotFound);
    }
    let dialog = state
        .line
        .start_link(user.account_id, &form.link_token)
        .await?;
    Ok(Redirect::to(&dialog).into_response())
}
