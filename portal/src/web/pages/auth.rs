//! ログイン, ログアウト, and パスワードをお忘れの方 (password reset by mail).

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use serde::Deserialize;

use super::{
    Base, invalid, ok,
    register::{EmailForm, EmailOnlyPage, MessagePage, TokenQuery, email_request},
    render, safe_next,
};
use crate::{
    accounts::AccountError,
    domain::validation::FieldErrors,
    i18n::t,
    store::SessionKind,
    web::{
        AppState,
        ctx::{Ctx, SESSION_COOKIE, cookie},
        error::AppError,
        ratelimit::Action,
    },
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    b: Base,
    email: String,
    next: String,
    /// A message above the form (wrong password, not verified).
    problem: &'static str,
}

/// Where to go after login.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<LoginQuery>,
) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(&safe_next(query.next.as_deref())).into_response());
    }
    ok(&LoginPage {
        b: Base::new(&ctx, state.accounts.city(), "page.login.title"),
        email: String::new(),
        next: safe_next(query.next.as_deref()),
        problem: "",
    })
}

/// The login form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
    next: Option<String>,
}

/// `POST /login`: opens a session and sets the HttpOnly cookie.
pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    state
        .limits
        .check(Action::Login, &ctx.client, Some(&form.email))?;
    let problem = match state
        .accounts
        .login(&form.email, &form.password, SessionKind::Web)
        .await
    {
        Ok((_, secret)) => {
            let jar = jar.add(cookie(SESSION_COOKIE, secret, ctx.secure_cookies));
            let next = safe_next(form.next.as_deref());
            return Ok((jar, Redirect::to(&next)).into_response());
        }
        Err(AccountError::BadCredentials) => "error.bad_credentials",
        Err(AccountError::NotVerified) => "error.not_verified",
        Err(other) => return Err(other.into()),
    };
    render(
        &LoginPage {
            b: Base::new(&ctx, state.accounts.city(), "page.login.title"),
            email: form.email,
            next: safe_next(form.next.as_deref()),
            problem: t(ctx.lang, problem),
        },
        StatusCode::UNAUTHORIZED,
    )
}

/// A form with only the CSRF token.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    /// The token.
    pub csrf: String,
}

/// `POST /logout`: ends the session and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    if let Some(session) = &ctx.session {
        state.accounts.logout(session).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    // The library card page's offline copy (the service worker's cache) must not outlive the
    // session on a shared phone or PC.
    Ok((
        [(
            axum::http::HeaderName::from_static("clear-site-data"),
            "\"cache\", \"storage\"",
        )],
        jar,
        Redirect::to("/"),
    )
        .into_response())
}

/// `GET /password/forgot`.
pub async fn forgot_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    email_request_page(&state, &ctx)
}

fn email_request_page(state: &AppState, ctx: &Ctx) -> Result<Response, AppError> {
    ok(&EmailOnlyPage {
        b: Base::new(ctx, state.accounts.city(), "page.forgot.title"),
        lead: t(ctx.lang, "page.forgot.lead"),
        action: "/password/forgot",
        email: String::new(),
        errors: FieldErrors::default(),
    })
}

/// `POST /password/forgot`: mails a reset link; answers the same for any address.
pub async fn forgot(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EmailForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(form.csrf())?;
    state
        .limits
        .check(Action::MailRequest, &ctx.client, Some(form.email()))?;
    email_request(
        &state,
        &ctx,
        form,
        "page.forgot.title",
        "page.forgot.lead",
        "/password/forgot",
        |s, email, lang| Box::pin(async move { s.accounts.request_reset(&email, lang).await }),
    )
    .await
}

#[derive(Template)]
#[template(path = "new_password.html")]
pub(super) struct NewPasswordPage {
    pub b: Base,
    pub lead: &'static str,
    pub action: &'static str,
    pub token: String,
    pub errors: FieldErrors,
}

/// `GET /password/reset?token=…`: the form behind the reset link.
pub async fn reset_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    ok(&NewPasswordPage {
        b: Base::new(&ctx, state.accounts.city(), "page.reset.title"),
        lead: t(ctx.lang, "page.reset.lead"),
        action: "/password/reset",
        token: query.token().to_owned(),
        errors: FieldErrors::default(),
    })
}

/// A new password posted from a mail link.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPasswordForm {
    pub(super) csrf: String,
    pub(super) token: String,
    pub(super) password: String,
    pub(super) password_confirm: String,
}

/// `POST /password/reset`.
pub async fn reset(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let result = state
        .accounts
        .reset_password(&form.token, &form.password, &form.password_confirm)
        .await;
    new_password_outcome(
        &state,
        &ctx,
        result,
        form.token,
        "page.reset.title",
        "page.reset.lead",
        "/password/reset",
    )
}

/// What a set-password form (reset or staff invitation) shows after submitting.
pub(super) fn new_password_outcome(
    state: &AppState,
    ctx: &Ctx,
    result: Result<(), AccountError>,
    token: String,
    title_key: &str,
    lead_key: &'static str,
    action: &'static str,
) -> Result<Response, AppError> {
    let city = state.accounts.city();
    match result {
        Ok(()) => ok(&MessagePage {
            b: Base::new(ctx, city, "page.reset.done_title"),
            paragraphs: vec![t(ctx.lang, "page.reset.done")],
            tone: "ok",
            links: vec![("/login", t(ctx.lang, "nav.login"))],
        }),
        Err(AccountError::Invalid(errors)) => invalid(&NewPasswordPage {
            b: Base::new(ctx, city, title_key),
            lead: t(ctx.lang, lead_key),
            action,
            token,
            errors,
        }),
        Err(AccountError::Token(problem)) => render(
            &MessagePage {
                b: Base::new(ctx, city, title_key),
                paragraphs: vec![t(ctx.lang, problem.message_key())],
                tone: "error",
                links: vec![("/password/forgot", t(ctx.lang, "page.forgot.title"))],
            },
            StatusCode::BAD_REQUEST,
        ),
        Err(other) => Err(other.into()),
    }
}
