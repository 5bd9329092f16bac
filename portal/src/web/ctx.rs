//! The per-request context of pages and API calls: language, signed-in account, CSRF token,
//! client address. Computed once by [`load_context`] and read by handlers through [`Ctx`].

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    http::{HeaderMap, HeaderValue, header, request::Parts},
    middleware::Next,
    response::Response,
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{AppState, error::AppError};
use crate::{
    domain::tokens,
    i18n::Lang,
    store::{Account, SessionInfo},
};

/// The browser session cookie.
pub const SESSION_COOKIE: &str = "sp_session";
/// The CSRF cookie (double-submit, signed: the form token is an HMAC of it).
pub const CSRF_COOKIE: &str = "sp_csrf";
/// The language choice cookie.
pub const LANG_COOKIE: &str = "lang";

/// What a handler knows about the request.
#[derive(Clone)]
pub struct Ctx {
    /// The language to answer in.
    pub lang: Lang,
    /// The signed-in account, if any.
    pub user: Option<Account>,
    /// Its session.
    pub session: Option<SessionInfo>,
    /// The token forms must carry in their `csrf` field.
    pub csrf: String,
    /// The client's address (rate limits).
    pub client: String,
    /// Path and query of this page (for the language switch's way back).
    pub path: String,
    /// Whether cookies carry `Secure`.
    pub secure_cookies: bool,
}

impl Ctx {
    /// Refuses a form whose CSRF token is not the one for this browser.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if !submitted.is_empty() && constant_time_eq(submitted.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }

    /// The signed-in account, or a redirect to the login page.
    pub fn require_user(&self) -> Result<&Account, AppError> {
        self.user.as_ref().ok_or(AppError::LoginRequired)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The language of a request: the `lang` cookie, else `Accept-Language`, else Japanese.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let jar = CookieJar::from_headers(headers);
    jar.get(LANG_COOKIE)
        .and_then(|cookie| Lang::from_tag(cookie.value()))
        .unwrap_or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .map(Lang::from_accept_language)
                .unwrap_or_default()
        })
}

fn csrf_token(key: &[u8; 32], cookie_value: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(cookie_value.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn client_address(request: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
    {
        return forwarded.trim().to_owned();
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A cookie set by the portal: HttpOnly, SameSite=Lax, whole site, `Secure` over HTTPS.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// Computes the [`Ctx`] of the request, and gives a new browser its CSRF cookie.
pub async fn load_context(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let headers = request.headers();
    let jar = CookieJar::from_headers(headers);
    let lang = lang_of(headers);
    let is_api = request.uri().path().starts_with("/api/");

    let existing_csrf = jar
        .get(CSRF_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| value.len() == 43);
    let (csrf_cookie, new_csrf) = match existing_csrf {
        Some(value) => (value, false),
        None => (tokens::new_token().secret, true),
    };

    // The API takes bearer tokens only, pages take the cookie only: a cookie must never
    // authorise an API call (no CSRF protection there).
    let secret = if is_api {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|token| token.trim().to_owned())
    } else {
        jar.get(SESSION_COOKIE)
            .map(|cookie| cookie.value().to_owned())
    };
    let found = match secret {
        Some(secret) if !secret.is_empty() => state.accounts.authenticate(&secret).await?,
        _ => None,
    };
    let (user, session) = match found {
        Some((account, session)) => (Some(account), Some(session)),
        None => (None, None),
    };

    let ctx = Ctx {
        lang,
        user,
        session,
        csrf: csrf_token(&state.csrf_key, &csrf_cookie),
        client: client_address(&request, state.trust_proxy),
        path: request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned()),
        secure_cookies: state.secure_cookies,
    };
    request.extensions_mut().insert(ctx);
    let mut response = next.run(request).await;
    if new_csrf && !is_api {
        let cookie = cookie(CSRF_COOKIE, csrf_cookie, state.secure_cookies);
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("request context missing".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_tokens_are_bound_to_the_cookie_and_the_key() {
        let key = [7u8; 32];
        let a = csrf_token(&key, "cookie-a");
        assert_eq!(a, csrf_token(&key, "cookie-a"));
        assert_ne!(a, csrf_token(&key, "cookie-b"));
        assert_ne!(a, csrf_token(&[8u8; 32], "cookie-a"));
    }
}
