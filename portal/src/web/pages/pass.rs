//! 子育て支援センターの入退室 (the guardian's pass): pick the children who are coming, and the
//! phone shows a signed QR code for the center's kiosk. The code is an image the page reloads
//! every 30 seconds (`/static/pass.js`), so a screenshot stops working within minutes.

use askama::Template;
use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use axum_extra::extract::Query;
use qrcode::{EcLevel, QrCode, render::svg};
use serde::Deserialize;

use super::{Base, ok};
use crate::{
    accounts::AccountError,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The error correction of pass QR codes: L (7 %). A pass is shown on a screen, not printed,
/// so nothing wears it; L keeps the code at version 6 (41 modules), which the camera
/// resolves from farther away than version 8 at M.
pub const PASS_EC_LEVEL: EcLevel = EcLevel::L;

/// The children chosen, as child numbers (`?c=1&c=2`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Chosen {
    c: Vec<u16>,
}

/// One child to pick.
struct ChildChoice {
    number: u16,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "pass.html")]
struct PassPage {
    b: Base,
    children: Vec<ChildChoice>,
    /// The image URL of the chosen children's pass, when some are chosen.
    qr_src: Option<String>,
    chosen_names: String,
}

/// `GET /kosodate/pass`: the 入退室 page.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(chosen): Query<Chosen>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let children = state.family.children(user).await?;
    let any_chosen = !chosen.c.is_empty();
    let choices: Vec<ChildChoice> = children
        .iter()
        .map(|child| ChildChoice {
            number: child.child_no.get(),
            name: format!("{} {}", child.details.family_name, child.details.given_name),
            checked: !any_chosen || chosen.c.contains(&child.child_no.get()),
        })
        .collect();
    let picked: Vec<&ChildChoice> = choices
        .iter()
        .filter(|choice| any_chosen && choice.checked)
        .collect();
    let qr_src = (!picked.is_empty()).then(|| {
        let query: Vec<String> = picked
            .iter()
            .map(|choice| format!("c={}", choice.number))
            .collect();
        format!("/kosodate/pass/qr.svg?{}", query.join("&"))
    });
    let chosen_names = picked
        .iter()
        .map(|choice| choice.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    ok(&PassPage {
        b: Base::new(&ctx, state.accounts.city(), "page.pass.title"),
        children: choices,
        qr_src,
        chosen_names,
    })
}

/// The SVG image of a pass's QR code.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), PASS_EC_LEVEL)
        .map_err(|error| AppError::Internal(format!("QR code: {error}")))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(328, 328)
        .quiet_zone(true)
        .build())
}

/// `GET /kosodate/pass/qr.svg?c=1&c=2`: a freshly signed pass as an image. Never cached.
pub async fn qr(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(chosen): Query<Chosen>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let pass = match state.checkin.issue_pass(user, &chosen.c).await {
        Ok(pass) => pass,
        Err(AccountError::Invalid(_)) => return Err(AppError::NotFound),
        Err(other) => return Err(other.into()),
    };
    let svg = qr_svg(&pass.text)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    )
        .into_response())
}
