//! The top page and the language switch.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::{Base, ok, safe_next};
use crate::{
    i18n::Lang,
    web::{
        AppState,
        ctx::{Ctx, LANG_COOKIE, cookie},
        error::AppError,
    },
};

#[derive(Template)]
#[template(path = "home.html")]
struct Top {
    b: Base,
    banner: Vec<super::bousai_view::AlertRow>,
    /// Whether the user publishes 子育てイベント (center or health staff, or an admin).
    event_staff: bool,
}

/// `GET /`: for visitors, what the portal is and how to join; for citizens, their services.
pub async fn top(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let key = if ctx.user.is_some() {
        "page.home.title_user"
    } else {
        "page.home.title"
    };
    let language = match &ctx.user {
        Some(user) => state
            .bousai
            .setting(user.account_id)
            .await
            .map_err(|error| AppError::Internal(error.to_string()))?
            .language(),
        None => crate::alerts::Language::parse_or_japanese(ctx.lang.code()),
    };
    let banner = state
        .bousai
        .banner()
        .await?
        .iter()
        .map(|alert| super::bousai_view::row(alert, language))
        .collect();
    ok(&Top {
        b: Base::new(&ctx, state.accounts.city(), key),
        banner,
        event_staff: ctx
            .user
            .as_ref()
            .is_some_and(crate::kosodate_events::is_event_staff),
    })
}

/// Where to go after switching.
#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// `GET /lang/{ja|en}?next=…`: remembers the language in a cookie (and, when signed in, for
/// the account's mail) and goes back.
pub async fn switch_lang(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(next): Query<Next>,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let lang = Lang::from_tag(&code).ok_or(AppError::NotFound)?;
    if let Some(user) = &ctx.user {
        state.accounts.set_lang(user, lang).await?;
    }
    let jar = jar.add(cookie(
        LANG_COOKIE,
        lang.code().to_owned(),
        ctx.secure_cookies,
    ));
    Ok((jar, Redirect::to(&safe_next(next.next.as_deref()))).into_response())
}
