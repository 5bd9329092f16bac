//! 利用者登録 (登録手順2): the registration form, the verification link and the resend form.

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use super::{Base, invalid, ok, render};
use crate::{
    accounts::AccountError,
    domain::validation::{FieldErrors, RegistrationInput},
    web::{AppState, ctx::Ctx, error::AppError, ratelimit::Action},
};

/// The registration form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegisterForm {
    csrf: String,
    email: String,
    family_name: String,
    given_name: String,
    password: String,
    password_confirm: String,
    accept_terms: Option<String>,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    b: Base,
    email: String,
    family_name: String,
    given_name: String,
    accepted: bool,
    errors: FieldErrors,
}

/// A page that says one thing: a heading, paragraphs and links onward.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// Layout.
    pub b: Base,
    /// Paragraphs (already translated).
    pub paragraphs: Vec<&'static str>,
    /// `ok`, `error` or empty: the tone of the first paragraph.
    pub tone: &'static str,
    /// Links onward: (href, label).
    pub links: Vec<(&'static str, &'static str)>,
}

/// `GET /register`.
pub async fn form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ok(&RegisterPage {
        b: Base::new(&ctx, state.accounts.city(), "page.register.title"),
        email: String::new(),
        family_name: String::new(),
        given_name: String::new(),
        accepted: false,
        errors: FieldErrors::default(),
    })
}

/// `POST /register`: creates the pending account and sends 本登録確認, or shows the form again
/// with every error beside its field.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<RegisterForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    state.limits.check(Action::Register, &ctx.client, None)?;
    let input = RegistrationInput {
        email: form.email.clone(),
        family_name: form.family_name.clone(),
        given_name: form.given_name.clone(),
        password: form.password,
        password_confirm: form.password_confirm,
        accept_terms: form.accept_terms.is_some(),
    };
    let city = state.accounts.city();
    match state.accounts.register(&input, ctx.lang).await {
        Ok(()) => ok(&MessagePage {
            b: Base::new(&ctx, city, "page.register.sent_title"),
            paragraphs: vec![
                ctx_t(&ctx, "page.register.sent_1"),
                ctx_t(&ctx, "page.register.sent_2"),
                ctx_t(&ctx, "page.register.sent_3"),
            ],
            tone: "ok",
            links: vec![("/verify/resend", ctx_t(&ctx, "page.resend.title"))],
        }),
        Err(AccountError::Invalid(errors)) => invalid(&RegisterPage {
            b: Base::new(&ctx, city, "page.register.title"),
            email: form.email,
            family_name: form.family_name,
            given_name: form.given_name,
            accepted: input.accept_terms,
            errors,
        }),
        Err(other) => Err(other.into()),
    }
}

fn ctx_t(ctx: &Ctx, key: &str) -> &'static str {
    crate::i18n::t(ctx.lang, key)
}

/// The token in a mail link.
#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

impl TokenQuery {
    /// The token text.
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// `GET /verify?token=…`: the link in 本登録確認. Activates the account.
pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let city = state.accounts.city();
    match state.accounts.verify(&query.token).await {
        Ok(()) => ok(&MessagePage {
            b: Base::new(&ctx, city, "page.verify.done_title"),
            paragraphs: vec![ctx_t(&ctx, "page.verify.done")],
            tone: "ok",
            links: vec![("/login", ctx_t(&ctx, "nav.login"))],
        }),
        Err(AccountError::Token(problem)) => render(
            &MessagePage {
                b: Base::new(&ctx, city, "page.verify.failed_title"),
                paragraphs: vec![
                    ctx_t(&ctx, problem.message_key()),
                    ctx_t(&ctx, "page.verify.failed_next"),
                ],
                tone: "error",
                links: vec![
                    ("/login", ctx_t(&ctx, "nav.login")),
                    ("/verify/resend", ctx_t(&ctx, "page.resend.title")),
                ],
            },
            StatusCode::BAD_REQUEST,
        ),
        Err(other) => Err(other.into()),
    }
}

/// The resend form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    csrf: String,
    email: String,
}

impl EmailForm {
    /// The CSRF token.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// The address as typed.
    pub fn email(&self) -> &str {
        &self.email
    }
}

/// "Enter your email address" pages (resend, forgot password).
#[derive(Template)]
#[template(path = "email_only.html")]
pub struct EmailOnlyPage {
    /// Layout.
    pub b: Base,
    /// What the page is for.
    pub lead: &'static str,
    /// Where the form posts.
    pub action: &'static str,
    /// The address as typed.
    pub email: String,
    /// Field errors.
    pub errors: FieldErrors,
}

/// `GET /verify/resend`.
pub async fn resend_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ok(&EmailOnlyPage {
        b: Base::new(&ctx, state.accounts.city(), "page.resend.title"),
        lead: ctx_t(&ctx, "page.resend.lead"),
        action: "/verify/resend",
        email: String::new(),
        errors: FieldErrors::default(),
    })
}

/// `POST /verify/resend`: answers the same whether or not the address is registered.
pub async fn resend(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<EmailForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    state
        .limits
        .check(Action::MailRequest, &ctx.client, Some(&form.email))?;
    email_request(
        &state,
        &ctx,
        form,
        "page.resend.title",
        "page.resend.lead",
        "/verify/resend",
        |s, email, lang| {
            Box::pin(async move { s.accounts.resend_verification(&email, lang).await })
        },
    )
    .await
}

type MailRequest = for<'a> fn(
    &'a AppState,
    String,
    crate::i18n::Lang,
) -> std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<(), AccountError>> + Send + 'a>,
>;

/// The shared shape of "enter your email and we mail you a link" forms.
pub async fn email_request(
    state: &AppState,
    ctx: &Ctx,
    form: EmailForm,
    title_key: &str,
    lead_key: &'static str,
    action: &'static str,
    request: MailRequest,
) -> Result<Response, AppError> {
    let city = state.accounts.city();
    match request(state, form.email.clone(), ctx.lang).await {
        Ok(()) => ok(&MessagePage {
            b: Base::new(ctx, city, "page.mail_sent.title"),
            paragraphs: vec![
                ctx_t(ctx, "page.mail_sent.body"),
                ctx_t(ctx, "page.register.sent_3"),
            ],
            tone: "ok",
            links: vec![("/login", ctx_t(ctx, "nav.login"))],
        }),
        Err(AccountError::Invalid(errors)) => invalid(&EmailOnlyPage {
            b: Base::new(ctx, city, title_key),
            lead: ctx_t(ctx, lead_key),
            action,
            email: form.email,
            errors,
        }),
        Err(other) => Err(other.into()),
    }
}
