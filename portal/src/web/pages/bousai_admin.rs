//! 地域 for 避難情報, for the disaster office: the city's areas citizens choose from, added from
//! a CSV of `番号,地域名` (a bad row refuses the whole file, with its line).

use askama::Template;
use axum::{
    extract::{FromRequest, Multipart, Query, Request, State},
    response::{IntoResponse, Redirect, Response},
};

use super::{Base, Saved, invalid, ok};
use crate::{
    bousai::BousaiError,
    domain::Role,
    web::{AppState, ctx::Ctx, error::AppError},
};

#[derive(Template)]
#[template(path = "bousai_areas.html")]
struct AreasPage {
    b: Base,
    areas: Vec<(u32, String)>,
    error: Option<String>,
    saved: bool,
}

async fn page(state: &AppState, ctx: &Ctx, error: Option<String>) -> Result<AreasPage, AppError> {
    let user = ctx.require_user()?;
    if !(user.has_role(Role::Disaster) || user.has_role(Role::Admin)) {
        return Err(AppError::Forbidden);
    }
    let areas = state
        .bousai
        .areas()
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(AreasPage {
        b: Base::new(ctx, state.accounts.city(), "page.bousai_areas.title"),
        areas: areas
            .all()
            .iter()
            .map(|area| (area.id.0, area.name(crate::alerts::Language::Ja).to_owned()))
            .collect(),
        error,
        saved: false,
    })
}

/// `GET /admin/bousai/areas`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let mut page = page(&state, &ctx, None).await?;
    page.saved = saved.is_set();
    ok(&page)
}

/// `POST /admin/bousai/areas` (multipart: `csrf`, `file`).
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, AppError> {
    let (csrf, file) = csrf_and_file(request).await?;
    ctx.check_csrf(&csrf)?;
    let user = ctx.require_user()?;
    let Ok(text) = String::from_utf8(file) else {
        let message = crate::i18n::t(ctx.lang, "error.gomi_not_utf8").to_owned();
        return invalid(&page(&state, &ctx, Some(message)).await?);
    };
    match state.bousai.import_areas(user, &text).await {
        Ok(_) => Ok(Redirect::to("/admin/bousai/areas?saved=1").into_response()),
        Err(BousaiError::Areas(message)) => invalid(&page(&state, &ctx, Some(message)).await?),
        Err(BousaiError::Forbidden) => Err(AppError::Forbidden),
        Err(other) => Err(AppError::Internal(other.to_string())),
    }
}

/// A one-file upload form (multipart: `csrf`, `file`): the token and the file's bytes.
pub(super) async fn csrf_and_file(request: Request) -> Result<(String, Vec<u8>), AppError> {
    let malformed = |_| AppError::BadRequest("error.malformed");
    let mut parts = Multipart::from_request(request, &())
        .await
        .map_err(|_| AppError::BadRequest("error.malformed"))?;
    let (mut csrf, mut file) = (String::new(), Vec::new());
    while let Some(field) = parts.next_field().await.map_err(malformed)? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(malformed)?,
            "file" => file = field.bytes().await.map_err(malformed)?.to_vec(),
            _ => {}
        }
    }
    Ok((csrf, file))
}
