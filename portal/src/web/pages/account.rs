//! 登録情報の変更: name, email (re-verified), password, and 退会 (withdrawal).

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
    Base, Saved, invalid, ok,
    register::{MessagePage, TokenQuery},
    render,
};
use crate::{
    accounts::AccountError,
    domain::validation::FieldErrors,
    i18n::t,
    web::{
        AppState,
        ctx::{Ctx, SESSION_COOKIE},
        error::AppError,
    },
};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    b: Base,
    email: String,
    family_name: String,
    given_name: String,
    saved: bool,
    errors: FieldErrors,
}

/// `GET /account`: the account's details and the name form.
pub async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    ok(&AccountPage {
        email: user.email.to_string(),
        family_name: user.family_name.clone(),
        given_name: user.given_name.clone(),
        saved: saved.is_set(),
        errors: FieldErrors::default(),
        b: Base::new(&ctx, state.accounts.city(), "page.account.title"),
    })
}

/// The name form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NameForm {
    csrf: String,
    family_name: String,
    given_name: String,
}

/// `POST /account`: changes 姓 and 名.
pub async fn change_name(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<NameForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    match state
        .accounts
        .change_name(user, &form.family_name, &form.given_name)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account?saved=1").into_response()),
        Err(AccountError::Invalid(errors)) => invalid(&AccountPage {
            email: user.email.to_string(),
            family_name: form.family_name,
            given_name: form.given_name,
            saved: false,
            errors,
            b: Base::new(&ctx, state.accounts.city(), "page.account.title"),
        }),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "account_email.html")]
struct EmailPage {
    b: Base,
    current: String,
    email: String,
    errors: FieldErrors,
}

/// `GET /account/email`.
pub async fn email_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    ok(&EmailPage {
        current: user.email.to_string(),
        email: String::new(),
        errors: FieldErrors::default(),
        b: Base::new(&ctx, state.accounts.city(), "page.email.title"),
    })
}

/// The email-change form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailChangeForm {
    csrf: String,
    email: String,
    current_password: String,
}

/// `POST /account/email`: mails a confirmation link to the new address.
pub async fn email(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EmailChangeForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let city = state.accounts.city();
    match state
        .accounts
        .request_email_change(user, &form.email, &form.current_password, ctx.lang)
        .await
    {
        Ok(()) => ok(&MessagePage {
            b: Base::new(&ctx, city, "page.mail_sent.title"),
            paragraphs: vec![
                t(ctx.lang, "page.email.sent"),
                t(ctx.lang, "page.register.sent_3"),
            ],
            tone: "ok",
            links: vec![("/account", t(ctx.lang, "page.account.title"))],
        }),
        Err(AccountError::Invalid(errors)) => invalid(&EmailPage {
            current: user.email.to_string(),
            email: form.email,
            errors,
            b: Base::new(&ctx, city, "page.email.title"),
        }),
        Err(other) => Err(other.into()),
    }
}

/// `GET /account/email/confirm?token=…`: the link in the mail to the new address.
pub async fn email_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let city = state.accounts.city();
    match state.accounts.confirm_email_change(query.token()).await {
        Ok(()) => ok(&MessagePage {
            b: Base::new(&ctx, city, "page.email.done_title"),
            paragraphs: vec![t(ctx.lang, "page.email.done")],
            tone: "ok",
            links: vec![("/account", t(ctx.lang, "page.account.title"))],
        }),
        Err(AccountError::Token(problem)) => render(
            &MessagePage {
                b: Base::new(&ctx, city, "page.email.title"),
                paragraphs: vec![t(ctx.lang, problem.message_key())],
                tone: "error",
                links: vec![("/account/email", t(ctx.lang, "page.email.title"))],
            },
            StatusCode::BAD_REQUEST,
        ),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    b: Base,
    errors: FieldErrors,
}

/// `GET /account/password`.
pub async fn password_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require_user()?;
    ok(&PasswordPage {
        errors: FieldErrors::default(),
        b: Base::new(&ctx, state.accounts.city(), "page.password.title"),
    })
}

/// The password-change form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    password: String,
    password_confirm: String,
}

/// `POST /account/password`: ends every other session of the account.
pub async fn password(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let result = state
        .accounts
        .change_password(
            user,
            ctx.session.as_ref(),
            &form.current_password,
            &form.password,
            &form.password_confirm,
            ctx.lang,
        )
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/account?saved=1").into_response()),
        Err(AccountError::Invalid(errors)) => invalid(&PasswordPage {
            errors,
            b: Base::new(&ctx, state.accounts.city(), "page.password.title"),
        }),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "account_withdraw.html")]
struct WithdrawPage {
    b: Base,
    errors: FieldErrors,
}

/// `GET /account/withdraw`: what withdrawal deletes, and the confirmation form.
pub async fn withdraw_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require_user()?;
    ok(&WithdrawPage {
        errors: FieldErrors::default(),
        b: Base::new(&ctx, state.accounts.city(), "page.withdraw.title"),
    })
}

/// The withdrawal form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WithdrawForm {
    csrf: String,
    password: String,
}

/// `POST /account/withdraw`: deletes the account and its personal data.
pub async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let city = state.accounts.city();
    match state
        .accounts
        .withdraw(user, &form.password, ctx.lang)
        .await
    {
        Ok(()) => {
            let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
            let mut ctx = ctx.clone();
            ctx.user = None;
            ctx.session = None;
            let page = MessagePage {
                b: Base::new(&ctx, city, "page.withdraw.done_title"),
                paragraphs: vec![t(ctx.lang, "page.withdraw.done")],
                tone: "ok",
                links: vec![("/", t(ctx.lang, "nav.top"))],
            };
            Ok((jar, ok(&page)?).into_response())
        }
        Err(AccountError::Invalid(errors)) => invalid(&WithdrawPage {
            errors,
            b: Base::new(&ctx, city, "page.withdraw.title"),
        }),
        Err(other) => Err(other.into()),
    }
}
