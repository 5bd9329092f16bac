//! An area's collection rules, for the waste office: its center and one rule cell per kind
//! (`月 木`, `水2`, `20270105`), as the 5374 files write them; or a new area.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{Base, invalid, ok};
use crate::{
    domain::validation::FieldErrors,
    garbage::format_rules,
    gomi::{AreaInput, GomiError},
    web::{AppState, ctx::Ctx, error::AppError},
};

#[derive(Template)]
#[template(path = "gomi_area.html")]
struct AreaPage {
    b: Base,
    area_id: Option<i64>,
    name: String,
    center: String,
    centers: Vec<String>,
    cells: Vec<(String, String)>,
    rule_error: Option<String>,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    area_id: Option<i64>,
    typed: Option<&AreaInput>,
) -> Result<AreaPage, AppError> {
    let user = ctx.require_user()?;
    state.gomi.require_staff(user)?;
    let city = state.gomi.city().await?.ok_or(AppError::NotFound)?;
    let stored = match area_id {
        Some(id) => {
            let name = &city.area(id).ok_or(AppError::NotFound)?.name;
            city.data.area(name)
        }
        None => None,
    };
    let cells = city
        .data
        .kinds
        .iter()
        .enumerate()
        .map(|(index, kind)| {
            let cell = match (typed, stored) {
                (Some(typed), _) => typed.cells.get(index).cloned().unwrap_or_default(),
                (None, Some(area)) => area
                    .rules
                    .get(index)
                    .map(|r| format_rules(r))
                    .unwrap_or_default(),
                (None, None) => String::new(),
            };
            (kind.clone(), cell)
        })
        .collect();
    Ok(AreaPage {
        b: Base::new(ctx, state.accounts.city(), "page.gomi_area.title"),
        area_id,
        name: typed
            .map(|t| t.name.clone())
            .or_else(|| stored.map(|a| a.name.clone()))
            .unwrap_or_default(),
        center: typed
            .map(|t| t.center.clone())
            .or_else(|| stored.and_then(|a| a.center.clone()))
            .unwrap_or_default(),
        centers: city.data.centers.iter().map(|c| c.name.clone()).collect(),
        cells,
        rule_error: None,
        errors: FieldErrors::default(),
    })
}

/// `GET /admin/gomi/areas/{id}` (`new` for a new area).
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let area_id = area_id(&id)?;
    ok(&page(&state, &ctx, area_id, None).await?)
}

fn area_id(text: &str) -> Result<Option<i64>, AppError> {
    match text {
        "new" => Ok(None),
        id => id.parse().map(Some).map_err(|_| AppError::NotFound),
    }
}

/// The form (`cell` repeated, one per kind in order).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AreaForm {
    csrf: String,
    name: String,
    center: String,
    cell: Vec<String>,
}

/// `POST /admin/gomi/areas/{id}`.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<AreaForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let area = area_id(&id)?;
    let input = AreaInput {
        name: form.name,
        center: form.center,
        cells: form.cell,
    };
    match state.gomi.save_area(user, area, &input, ctx.lang).await {
        Ok(()) => Ok(Redirect::to("/admin/gomi?saved=1").into_response()),
        Err(GomiError::Invalid(errors)) => {
            let mut page = page(&state, &ctx, area, Some(&input)).await?;
            page.errors = errors;
            invalid(&page)
        }
        Err(GomiError::Rule(message)) => {
            let mut page = page(&state, &ctx, area, Some(&input)).await?;
            page.rule_error = Some(message);
            invalid(&page)
        }
        Err(other) => Err(other.into()),
    }
}
