//! ごみ収集日, public (no login): the areas, and an area's collection days in a date range with
//! the kinds as the city names them.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    domain::validation::FieldErrors,
    web::{AppState, error::AppError},
};

/// The longest range one calendar request may ask for, in days.
pub const MAX_DAYS: i64 = 400;

/// An area (町名・地区).
#[derive(Debug, Serialize, ToSchema)]
pub struct GarbageArea {
    /// Its id (stable across the city's data imports).
    pub id: i64,
    /// Its name.
    pub name: String,
}

/// One collection day.
#[derive(Debug, Serialize, ToSchema)]
pub struct CollectionDay {
    /// `YYYY-MM-DD` (Asia/Tokyo).
    pub date: String,
    /// The kinds collected, as the city names them (`燃やすごみ` …).
    pub kinds: Vec<String>,
}

/// The range asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct Range {
    /// First day, `YYYY-MM-DD`.
    from: Option<String>,
    /// Last day (included), `YYYY-MM-DD`; at most 400 days after `from`.
    to: Option<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/garbage/areas",
    tag = "garbage",
    responses((status = 200, description = "Every area, in the city's order", body = [GarbageArea]))
)]
/// `GET /api/v1/garbage/areas`: every area (empty before the city's data is imported).
pub async fn areas(State(state): State<AppState>) -> Result<Json<Vec<GarbageArea>>, AppError> {
    let city = state.gomi.city().await?;
    Ok(Json(
        city.iter()
            .flat_map(|city| city.areas.iter())
            .map(|area| GarbageArea {
                id: area.area_id,
                name: area.name.clone(),
            })
            .collect(),
    ))
}

fn range(range: &Range) -> Result<(Date, Date), AppError> {
    let mut errors = FieldErrors::default();
    let day = |text: &Option<String>, field: &'static str, errors: &mut FieldErrors| {
        let parsed = text.as_deref().and_then(|t| t.parse::<Date>().ok());
        if parsed.is_none() {
            errors.add(field, "error.gomi_date");
        }
        parsed
    };
    let from = day(&range.from, "from", &mut errors);
    let to = day(&range.to, "to", &mut errors);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::Invalid(errors));
    };
    let days = from.until(to).map(|span| span.get_days()).unwrap_or(-1);
    if !(0..=MAX_DAYS).contains(&i64::from(days)) {
        errors.add("to", "error.gomi_range");
        return Err(AppError::Invalid(errors));
    }
    Ok((from, to))
}

#[utoipa::path(
    get,
    path = "/api/v1/garbage/areas/{id}/calendar",
    tag = "garbage",
    params(("id" = i64, Path, description = "The area's id"), Range),
    responses(
        (status = 200, description = "Every collection day in the range, in date order", body = [CollectionDay]),
        (status = 404, description = "No such area", body = super::ErrorResponse),
        (status = 422, description = "A date is missing or not YYYY-MM-DD, or the range is backwards or longer than 400 days", body = super::ErrorResponse),
    )
)]
/// `GET /api/v1/garbage/areas/{id}/calendar?from=&to=`: the area's collection days.
pub async fn calendar(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(asked): Query<Range>,
) -> Result<Json<Vec<CollectionDay>>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let city = state.gomi.city().await?.ok_or(AppError::NotFound)?;
    if city.area(id).is_none() {
        return Err(AppError::NotFound);
    }
    let (from, to) = range(&asked)?;
    let days = city.calendar(id, from, to).unwrap_or_default();
    Ok(Json(
        days.into_iter()
            .map(|(date, kinds)| CollectionDay {
                date: date.to_string(),
                kinds: kinds.into_iter().map(str::to_owned).collect(),
            })
            .collect(),
    ))
}
