//! Errors, handled once: handlers return [`AppError`], which marks the response with what went
//! wrong; [`render_errors`] then writes the body in the user's language — an HTML page for the
//! pages, `{"error":{"code","message"}}` for the API. Framework rejections (malformed JSON or
//! form bodies, oversized bodies, unknown routes) pass through the same middleware, so every bad
//! input gets a clear message and no internal detail leaks.

use askama::Template;
use axum::{
    Json,
    body::Body,
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Serialize;

use super::{AppState, ctx::lang_of};
use crate::{
    accounts::AccountError,
    domain::validation::FieldErrors,
    i18n::{Lang, t},
    web::pages::Base,
};

/// Something that stops a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or resource.
    #[error("not found")]
    NotFound,
    /// The page needs a signed-in user.
    #[error("login required")]
    LoginRequired,
    /// Signed in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// The form's CSRF token is missing or wrong (or the page is old).
    #[error("csrf token mismatch")]
    Csrf,
    /// Too many attempts.
    #[error("rate limited")]
    RateLimited,
    /// API: wrong email or password.
    #[error("bad credentials")]
    BadCredentials,
    /// API: right password, but not verified yet.
    #[error("not verified")]
    NotVerified,
    /// A request the caller can fix, with a message key.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// API: input with field errors.
    #[error("invalid: {0:?}")]
    Invalid(FieldErrors),
    /// Our fault; logged once here, shown as a generic message.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Invalid(errors) => AppError::Invalid(errors),
            AccountError::BadCredentials => AppError::BadCredentials,
            AccountError::NotVerified => AppError::NotVerified,
            AccountError::Token(problem) => AppError::BadRequest(problem.message_key()),
            AccountError::Forbidden(_) => AppError::Forbidden,
            AccountError::Store(error) => AppError::Internal(error.to_string()),
            AccountError::Internal(message) => AppError::Internal(message),
        }
    }
}

impl From<crate::family::FamilyError> for AppError {
    fn from(error: crate::family::FamilyError) -> Self {
        match error {
            crate::family::FamilyError::Invalid(errors) => AppError::Invalid(errors),
            crate::family::FamilyError::NotFound => AppError::NotFound,
            crate::family::FamilyError::Store(error) => AppError::Internal(error.to_string()),
        }
    }
}

impl From<crate::library::LibraryError> for AppError {
    fn from(error: crate::library::LibraryError) -> Self {
        use crate::library::LibraryError;
        match error {
            LibraryError::Invalid(errors) => AppError::Invalid(errors),
            LibraryError::NotFound => AppError::NotFound,
            LibraryError::Forbidden => AppError::Forbidden,
            LibraryError::Store(error) => AppError::Internal(error.to_string()),
        }
    }
}

impl From<crate::gomi::GomiError> for AppError {
    fn from(error: crate::gomi::GomiError) -> Self {
        use crate::gomi::GomiError;
        match error {
            GomiError::Invalid(errors) => AppError::Invalid(errors),
            GomiError::NoData => AppError::NotFound,
            GomiError::Forbidden => AppError::Forbidden,
            GomiError::Import(error) => AppError::Internal(error.to_string()),
            GomiError::Rule(why) => AppError::Internal(why),
            GomiError::Corrupt(why) => AppError::Internal(why),
            GomiError::Store(error) => AppError::Internal(error.to_string()),
        }
    }
}

impl From<crate::bousai_send::SendError> for AppError {
    fn from(error: crate::bousai_send::SendError) -> Self {
        use crate::bousai_send::SendError;
        match error {
            SendError::Forbidden => AppError::Forbidden,
            SendError::NotFound => AppError::NotFound,
            SendError::WrongStatus(_) => AppError::BadRequest("error.alert_state"),
            SendError::OwnAlert => AppError::BadRequest("error.alert_own"),
            SendError::Draft(error) => AppError::Internal(error.to_string()),
            SendError::Bousai(error) => AppError::Internal(error.to_string()),
            SendError::Store(error) => AppError::Internal(error.to_string()),
        }
    }
}

impl From<crate::kenko::KenkoError> for AppError {
    fn from(error: crate::kenko::KenkoError) -> Self {
        use crate::kenko::KenkoError;
        match error {
            KenkoError::Forbidden => AppError::Forbidden,
            KenkoError::NotFound => AppError::NotFound,
            KenkoError::Answers(_) | KenkoError::Booking(_) | KenkoError::Slot(_) => {
                AppError::BadRequest("error.malformed")
            }
            KenkoError::Store(error) => AppError::Internal(error.to_string()),
        }
    }
}

impl From<crate::store::StoreError> for AppError {
    fn from(error: crate::store::StoreError) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(format!("template: {error}"))
    }
}

/// Marks a response whose body [`render_errors`] must write.
#[derive(Debug, Clone)]
struct ErrorMark {
    code: &'static str,
    key: &'static str,
    fields: Option<FieldErrors>,
}

impl AppError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "error.not_found"),
            AppError::LoginRequired => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "error.login_required",
            ),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "error.forbidden"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf", "error.csrf"),
            AppError::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "error.rate_limited",
            ),
            AppError::BadCredentials => (
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "error.bad_credentials",
            ),
            AppError::NotVerified => (StatusCode::FORBIDDEN, "not_verified", "error.not_verified"),
            AppError::BadRequest(key) => (StatusCode::BAD_REQUEST, "bad_request", key),
            AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", "error.invalid"),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "error.internal",
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let (status, code, key) = self.parts();
        let fields = match self {
            AppError::Invalid(fields) => Some(fields),
            _ => None,
        };
        let mut response = status.into_response();
        response
            .extensions_mut()
            .insert(ErrorMark { code, key, fields });
        response
    }
}

/// The fallback for unknown routes.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[derive(Serialize)]
struct ApiErrorBody {
    error: ApiError,
}

#[derive(Serialize)]
struct ApiError {
    code: &'static str,
    message: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fields: Vec<ApiFieldError>,
}

#[derive(Serialize)]
struct ApiFieldError {
    field: &'static str,
    message: &'static str,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    b: Base,
    message: &'static str,
}

/// What a framework rejection (no [`ErrorMark`]) means to a person.
fn mark_for_status(status: StatusCode) -> ErrorMark {
    let (code, key) = match status {
        StatusCode::NOT_FOUND => ("not_found", "error.not_found"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "error.method_not_allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "error.too_large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "error.unsupported_media"),
        status if status.is_server_error() => ("internal", "error.internal"),
        _ => ("bad_request", "error.malformed"),
    };
    ErrorMark {
        code,
        key,
        fields: None,
    }
}

/// Writes the body of every error response (see the module docs).
pub async fn render_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let lang = lang_of(request.headers());
    let is_api = request.uri().path().starts_with("/api/");
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    // Webhooks answer machines with JSON of their own (`web::webhooks`); a 401 there must not
    // become a redirect to the login page.
    if !(status.is_client_error() || status.is_server_error()) || path.starts_with("/webhooks/") {
        return response;
    }
    let mark = match response.extensions().get::<ErrorMark>() {
        Some(mark) => mark.clone(),
        // A page that rendered its own error (a form with messages beside the fields).
        None if is_html(&response) => return response,
        None => mark_for_status(status),
    };
    if !is_api && mark.code == "unauthorized" {
        let next = url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>();
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let mut rendered = if is_api {
        api_body(status, &mark, lang)
    } else {
        html_body(status, &mark, lang, state.accounts.city())
    };
    if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
        rendered
            .headers_mut()
            .insert(header::RETRY_AFTER, retry.clone());
    }
    if status == StatusCode::TOO_MANY_REQUESTS
        && !rendered.headers().contains_key(header::RETRY_AFTER)
    {
        rendered
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from_static("60"));
    }
    rendered
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

fn api_body(status: StatusCode, mark: &ErrorMark, lang: Lang) -> Response {
    let fields = mark
        .fields
        .as_ref()
        .map(|fields| {
            fields
                .0
                .iter()
                .map(|(field, key)| ApiFieldError {
                    field,
                    message: t(lang, key),
                })
                .collect()
        })
        .unwrap_or_default();
    let body = ApiErrorBody {
        error: ApiError {
            code: mark.code,
            message: t(lang, mark.key),
            fields,
        },
    };
    (status, Json(body)).into_response()
}

fn html_body(status: StatusCode, mark: &ErrorMark, lang: Lang, city: &str) -> Response {
    let page = ErrorPage {
        b: Base::bare(lang, city, t(lang, "page.error.title")),
        message: t(lang, mark.key),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "error page template failed");
            (status, Body::from(t(lang, mark.key))).into_response()
        }
    }
}
