//! `POST /api/v1/session` (log in, get a bearer token) and `DELETE` (log out).

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    store::SessionKind,
    web::{AppState, ctx::Ctx, error::AppError, ratelimit::Action},
};

/// Login credentials.
#[derive(Deserialize, ToSchema)]
pub struct SessionRequest {
    /// The registered email address.
    email: String,
    /// The password.
    password: String,
}

/// A bearer token.
#[derive(Serialize, ToSchema)]
pub struct SessionResponse {
    /// Send as `Authorization: Bearer TOKEN`. Valid until unused for 14 days.
    token: String,
}

/// Logs in and returns a bearer token.
#[utoipa::path(
    post,
    path = "/api/v1/session",
    tag = "accounts",
    request_body = SessionRequest,
    responses(
        (status = 200, description = "Logged in", body = SessionResponse),
        (status = 401, description = "Wrong email or password", body = super::ErrorResponse),
        (status = 403, description = "Registration not verified yet", body = super::ErrorResponse),
        (status = 429, description = "Too many attempts", body = super::ErrorResponse),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(request): Json<SessionRequest>,
) -> Result<Json<SessionResponse>, AppError> {
    state
        .limits
        .check(Action::Login, &ctx.client, Some(&request.email))?;
    let (_, token) = state
        .accounts
        .login(&request.email, &request.password, SessionKind::Api)
        .await?;
    Ok(Json(SessionResponse { token }))
}

/// Logs out: the bearer token stops working.
#[utoipa::path(
    delete,
    path = "/api/v1/session",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "No valid token", body = super::ErrorResponse),
    )
)]
pub async fn delete(State(state): State<AppState>, ctx: Ctx) -> Result<StatusCode, AppError> {
    let session = ctx.session.as_ref().ok_or(AppError::LoginRequired)?;
    state.accounts.logout(session).await?;
    Ok(StatusCode::NO_CONTENT)
}
