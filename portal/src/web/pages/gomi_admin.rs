//! ごみ収集日の管理 for the waste office: import the city's 5374 files (a bad row refuses the
//! whole import, with the file, line and reason, and changes nothing), see what to look at
//! (areas with no collection day), keep exceptions for particular days (年末年始, 祝日, changed
//! days), and download the data as 5374 files.

use askama::Template;
use axum::{
    Form,
    extract::{FromRequest, Multipart, Path, Query, Request, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form as MultiForm;
use serde::Deserialize;

use super::{Base, Saved, auth::CsrfOnly, invalid, ok};
use crate::{
    domain::validation::FieldErrors,
    garbage::Five374Files,
    gomi::{ExceptionInput, GomiError},
    i18n::Lang,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The largest upload of the five files together.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

struct ExceptionRow {
    id: i64,
    area: String,
    what: String,
    note: String,
    stale: bool,
}

#[derive(Template)]
#[template(path = "gomi_admin.html")]
struct AdminPage {
    b: Base,
    summary: Option<(usize, usize, usize, String)>,
    notes: Vec<String>,
    import_error: Option<String>,
    areas: Vec<(i64, String)>,
    kinds: Vec<String>,
    descriptions: Vec<(String, String, String)>,
    exceptions: Vec<ExceptionRow>,
    errors: FieldErrors,
    saved: bool,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    import_error: Option<String>,
    errors: FieldErrors,
) -> Result<AdminPage, AppError> {
    let user = ctx.require_user()?;
    state.gomi.require_staff(user)?;
    let mut page = AdminPage {
        b: Base::new(ctx, state.accounts.city(), "page.gomi_admin.title"),
        summary: None,
        notes: Vec::new(),
        import_error,
        areas: Vec::new(),
        kinds: Vec::new(),
        descriptions: Vec::new(),
        exceptions: Vec::new(),
        errors,
        saved: false,
    };
    let Some(city) = state.gomi.city().await? else {
        return Ok(page);
    };
    let lang = ctx.lang;
    page.summary = Some((
        city.areas.len(),
        city.data.kinds.len(),
        city.data.targets.len(),
        city.data.kinds.join("・"),
    ));
    page.notes = city.warnings.iter().map(|w| w.message(lang)).collect();
    page.areas = city
        .areas
        .iter()
        .map(|area| (area.area_id, area.name.clone()))
        .collect();
    page.kinds = city.data.kinds.clone();
    page.descriptions = city
        .data
        .kinds
        .iter()
        .map(|kind| {
            let described = city.data.description(kind);
            (
                kind.clone(),
                described.map(|d| d.sublabel.clone()).unwrap_or_default(),
                described.map(|d| d.description.clone()).unwrap_or_default(),
            )
        })
        .collect();
    page.exceptions = city
        .exceptions
        .iter()
        .map(|e| {
            let area = e
                .area_id
                .and_then(|id| city.area(id))
                .map_or_else(|| all_areas(lang).to_owned(), |area| area.name.clone());
            let kinds = if e.kinds.is_empty() {
                all_kinds(lang).to_owned()
            } else {
                e.kinds.join("・")
            };
            let to = e.to.map(|d| format!(" → {d}")).unwrap_or_default();
            ExceptionRow {
                id: e.exception_id,
                area,
                what: format!("{} {}{to} {kinds}", e.kind.as_str(), e.from),
                note: e.note.clone(),
                stale: city.stale_exceptions.contains(&e.exception_id),
            }
        })
        .collect();
    Ok(page)
}

fn all_areas(lang: Lang) -> &'static str {
    crate::i18n::t(lang, "page.gomi_admin.all_areas")
}

fn all_kinds(lang: Lang) -> &'static str {
    crate::i18n::t(lang, "page.gomi_admin.all_kinds")
}

/// `GET /admin/gomi`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let mut page = page(&state, &ctx, None, FieldErrors::default()).await?;
    page.saved = saved.is_set();
    ok(&page)
}

/// `POST /admin/gomi/import` (multipart: `csrf` and the files `area_days`, `center`,
/// `description`, `target`, optional `remarks`).
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, AppError> {
    let mut parts = Multipart::from_request(request, &())
        .await
        .map_err(|_| AppError::BadRequest("error.malformed"))?;
    let mut csrf = String::new();
    let mut files = Five374Files::default();
    let mut missing = FieldErrors::default();
    while let Some(field) = parts
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("error.malformed"))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| AppError::BadRequest("error.malformed"))?;
        // Cities publish these files in UTF-8; a Shift_JIS file is named, not guessed at.
        let text = || String::from_utf8(bytes.to_vec());
        let slot = match name.as_str() {
            "csrf" => &mut csrf,
            "area_days" => &mut files.area_days,
            "center" => &mut files.center,
            "description" => &mut files.description,
            "target" => &mut files.target,
            "remarks" if !bytes.is_empty() => files.remarks.get_or_insert_with(String::new),
            _ => continue,
        };
        match text() {
            Ok(text) => *slot = text,
            Err(_) => missing.add(name_key(&name), "error.gomi_not_utf8"),
        }
    }
    ctx.check_csrf(&csrf)?;
    let user = ctx.require_user()?;
    state.gomi.require_staff(user)?;
    for (field, text) in [
        ("area_days", &files.area_days),
        ("center", &files.center),
        ("description", &files.description),
        ("target", &files.target),
    ] {
        if text.trim().is_empty() && !missing.0.iter().any(|(f, _)| *f == field) {
            missing.add(name_key(field), "error.gomi_file_missing");
        }
    }
    if !missing.is_empty() {
        return invalid(&page(&state, &ctx, None, missing).await?);
    }
    match state.gomi.import_5374(&files).await {
        Ok(_) => Ok(Redirect::to("/admin/gomi?saved=1").into_response()),
        Err(GomiError::Import(error)) => {
            let message = error.message(ctx.lang);
            invalid(&page(&state, &ctx, Some(message), FieldErrors::default()).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// The form field of a file (a static name for [`FieldErrors`]).
fn name_key(name: &str) -> &'static str {
    match name {
        "area_days" => "area_days",
        "center" => "center",
        "description" => "description",
        "target" => "target",
        _ => "remarks",
    }
}

/// An exception as posted (`kinds` repeated).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExceptionForm {
    csrf: String,
    area: String,
    kind: String,
    from: String,
    to: String,
    kinds: Vec<String>,
    note: String,
}

/// `POST /admin/gomi/exceptions`.
pub async fn add_exception(
    State(state): State<AppState>,
    ctx: Ctx,
    MultiForm(form): MultiForm<ExceptionForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let input = ExceptionInput {
        area: form.area,
        kind: form.kind,
        from: form.from,
        to: form.to,
        kinds: form.kinds,
        note: form.note,
    };
    match state.gomi.add_exception(user, &input).await {
        Ok(_) => Ok(Redirect::to("/admin/gomi?saved=1").into_response()),
        Err(GomiError::Invalid(errors)) => invalid(&page(&state, &ctx, None, errors).await?),
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/gomi/exceptions/{id}/delete`.
pub async fn delete_exception(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    state.gomi.delete_exception(user, id).await?;
    Ok(Redirect::to("/admin/gomi?saved=1").into_response())
}

/// `GET /admin/gomi/export/{file}`: one of the 5374 files as the portal keeps them.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    state.gomi.require_staff(user)?;
    let files = state.gomi.export_5374().await?;
    let text = match file.as_str() {
        "area_days.csv" => files.area_days,
        "center.csv" => files.center,
        "description.csv" => files.description,
        "target.csv" => files.target,
        "remarks.csv" => files.remarks.ok_or(AppError::NotFound)?,
        _ => return Err(AppError::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        text,
    )
        .into_response())
}

/// The kinds' descriptions as posted (the three lists in the kinds' order).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KindsForm {
    csrf: String,
    label: Vec<String>,
    sublabel: Vec<String>,
    description: Vec<String>,
}

/// `POST /admin/gomi/kinds`.
pub async fn save_kinds(
    State(state): State<AppState>,
    ctx: Ctx,
    MultiForm(form): MultiForm<KindsForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let rows: Vec<(String, String, String)> = form
        .label
        .into_iter()
        .zip(form.sublabel)
        .zip(form.description)
        .map(|((label, sublabel), description)| (label, sublabel, description))
        .collect();
    match state.gomi.save_kind_descriptions(user, &rows).await {
        Ok(()) => Ok(Redirect::to("/admin/gomi?saved=1").into_response()),
        Err(GomiError::Invalid(errors)) => invalid(&page(&state, &ctx, None, errors).await?),
        Err(other) => Err(other.into()),
    }
}
