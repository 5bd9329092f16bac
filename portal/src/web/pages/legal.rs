//! 利用規約 and 個人情報保護方針.

use askama::Template;
use axum::{extract::State, response::Response};

use super::{Base, ok};
use crate::{
    i18n::Lang,
    web::{AppState, ctx::Ctx, error::AppError},
};

#[derive(Template)]
#[template(path = "legal/terms.ja.html")]
struct TermsJa<'a> {
    city: &'a str,
}

#[derive(Template)]
#[template(path = "legal/terms.en.html")]
struct TermsEn<'a> {
    city: &'a str,
}

#[derive(Template)]
#[template(path = "legal/privacy.ja.html")]
struct PrivacyJa<'a> {
    city: &'a str,
}

#[derive(Template)]
#[template(path = "legal/privacy.en.html")]
struct PrivacyEn<'a> {
    city: &'a str,
}

#[derive(Template)]
#[template(path = "legal.html")]
struct Legal {
    b: Base,
    body: String,
}

/// `GET /terms`: 利用規約.
pub async fn terms(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let city = state.accounts.city();
    let body = match ctx.lang {
        Lang::Ja => TermsJa { city }.render()?,
        Lang::En => TermsEn { city }.render()?,
    };
    ok(&Legal {
        b: Base::new(&ctx, city, "page.terms.title"),
        body,
    })
}

/// `GET /privacy`: 個人情報保護方針.
pub async fn privacy(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let city = state.accounts.city();
    let body = match ctx.lang {
        Lang::Ja => PrivacyJa { city }.render()?,
        Lang::En => PrivacyEn { city }.render()?,
    };
    ok(&Legal {
        b: Base::new(&ctx, city, "page.privacy.title"),
        body,
    })
}
