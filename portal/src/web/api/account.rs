//! Registration and the profile over the API.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    domain::validation::RegistrationInput,
    i18n::t,
    web::{AppState, ctx::Ctx, error::AppError, ratelimit::Action},
};

/// A registration (登録手順2).
#[derive(Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// メールアドレス
    email: String,
    /// 姓
    family_name: String,
    /// 名
    given_name: String,
    /// パスワード (8–128 characters, not a common one)
    password: String,
    /// パスワード (again)
    password_confirm: String,
    /// 個人情報保護方針・利用規約に同意 — must be true
    accept_terms: bool,
}

/// The request was taken; a mail is on its way if it applies. The same answer for every
/// address, so it does not reveal whether an address is registered.
#[derive(Serialize, ToSchema)]
pub struct Accepted {
    /// Always `accepted`.
    status: &'static str,
    /// What happens next, in the user's language.
    message: &'static str,
}

/// Starts a registration: the verification link in the mail activates it.
#[utoipa::path(
    post,
    path = "/api/v1/account/register",
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 202, description = "Verification mail queued (same answer if the address is taken)", body = Accepted),
        (status = 422, description = "Input errors, per field", body = super::ErrorResponse),
        (status = 400, description = "Malformed JSON", body = super::ErrorResponse),
        (status = 429, description = "Too many registrations", body = super::ErrorResponse),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(request): Json<RegisterRequest>,
) -> Result<(StatusCode, Json<Accepted>), AppError> {
    state.limits.check(Action::Register, &ctx.client, None)?;
    let input = RegistrationInput {
        email: request.email,
        family_name: request.family_name,
        given_name: request.given_name,
        password: request.password,
        password_confirm: request.password_confirm,
        accept_terms: request.accept_terms,
    };
    state.accounts.register(&input, ctx.lang).await?;
    Ok(accepted(&ctx, "page.register.sent_1"))
}

fn accepted(ctx: &Ctx, key: &str) -> (StatusCode, Json<Accepted>) {
    (
        StatusCode::ACCEPTED,
        Json(Accepted {
            status: "accepted",
            message: t(ctx.lang, key),
        }),
    )
}

/// An email address.
#[derive(Deserialize, ToSchema)]
pub struct EmailRequest {
    /// The registered address.
    email: String,
}

/// Sends a new verification link if the address has an unverified registration.
#[utoipa::path(
    post,
    path = "/api/v1/account/resend-verification",
    tag = "accounts",
    request_body = EmailRequest,
    responses(
        (status = 202, description = "Mail queued if it applies", body = Accepted),
        (status = 422, description = "Malformed address", body = super::ErrorResponse),
        (status = 429, description = "Too many requests", body = super::ErrorResponse),
    )
)]
pub async fn resend_verification(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(request): Json<EmailRequest>,
) -> Result<(StatusCode, Json<Accepted>), AppError> {
    state
        .limits
        .check(Action::MailRequest, &ctx.client, Some(&request.email))?;
    state
        .accounts
        .resend_verification(&request.email, ctx.lang)
        .await?;
    Ok(accepted(&ctx, "page.mail_sent.body"))
}

/// Mails a password-reset link if the address has an account.
#[utoipa::path(
    post,
    path = "/api/v1/account/password-reset",
    tag = "accounts",
    request_body = EmailRequest,
    responses(
        (status = 202, description = "Mail queued if it applies", body = Accepted),
        (status = 422, description = "Malformed address", body = super::ErrorResponse),
        (status = 429, description = "Too many requests", body = super::ErrorResponse),
    )
)]
pub async fn request_password_reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(request): Json<EmailRequest>,
) -> Result<(StatusCode, Json<Accepted>), AppError> {
    state
        .limits
        .check(Action::MailRequest, &ctx.client, Some(&request.email))?;
    state
        .accounts
        .request_reset(&request.email, ctx.lang)
        .await?;
    Ok(accepted(&ctx, "page.mail_sent.body"))
}

/// The signed-in citizen's profile.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// Account id (UUIDv7).
    account_id: String,
    /// メールアドレス
    email: String,
    /// 姓
    family_name: String,
    /// 名
    given_name: String,
    /// Language of mail (`ja`, `en`).
    lang: String,
    /// Staff roles; empty for citizens.
    roles: Vec<String>,
    /// Registration time (RFC 3339).
    created_at: String,
}

fn me_of(account: &crate::store::Account) -> Me {
    Me {
        account_id: account.account_id.to_string(),
        email: account.email.to_string(),
        family_name: account.family_name.clone(),
        given_name: account.given_name.clone(),
        lang: account.lang.clone(),
        roles: account
            .roles
            .iter()
            .map(|role| role.as_str().to_owned())
            .collect(),
        created_at: account.created_at.to_string(),
    }
}

/// Returns the profile.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = Me),
        (status = 401, description = "No valid token", body = super::ErrorResponse),
    )
)]
pub async fn me(ctx: Ctx) -> Result<Json<Me>, AppError> {
    let user = ctx.user.as_ref().ok_or(AppError::LoginRequired)?;
    Ok(Json(me_of(user)))
}

/// A change of name.
#[derive(Deserialize, ToSchema)]
pub struct UpdateMe {
    /// 姓
    family_name: String,
    /// 名
    given_name: String,
}

/// Changes 姓 and 名.
#[utoipa::path(
    patch,
    path = "/api/v1/me",
    tag = "accounts",
    security(("bearer" = [])),
    request_body = UpdateMe,
    responses(
        (status = 200, description = "The updated profile", body = Me),
        (status = 401, description = "No valid token", body = super::ErrorResponse),
        (status = 422, description = "Input errors", body = super::ErrorResponse),
    )
)]
pub async fn update_me(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(request): Json<UpdateMe>,
) -> Result<Json<Me>, AppError> {
    let user = ctx.user.as_ref().ok_or(AppError::LoginRequired)?;
    state
        .accounts
        .change_name(user, &request.family_name, &request.given_name)
        .await?;
    let mut updated = me_of(user);
    updated.family_name = request.family_name.trim().to_owned();
    updated.given_name = request.given_name.trim().to_owned();
    Ok(Json(updated))
}
