//! 図書館の貸出端末 for admins: register a library counter kiosk and see its credentials once,
//! see each kiosk's state, retire one.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use shimin_sync::ids::KioskId;

use super::{Base, auth::CsrfOnly, centers::KioskRow, ok};
use crate::{
    domain::validation::FieldErrors,
    library::LibraryError,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A new kiosk as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct KioskForm {
    csrf: String,
    label: String,
}

#[derive(Template)]
#[template(path = "library_kiosks.html")]
struct KiosksPage {
    b: Base,
    kiosks: Vec<KioskRow>,
    /// The label as typed (named so it is not the form macro's own `label`).
    typed_label: String,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "library_kiosk_credentials.html")]
struct CredentialsPage {
    b: Base,
    kiosk_id: String,
    password: String,
    broker_url: String,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    label: String,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let kiosks = state
        .library
        .kiosks(user)
        .await?
        .into_iter()
        .map(|kiosk| {
            KioskRow::shown(
                kiosk.kiosk_id.to_string(),
                kiosk.label,
                kiosk.created_at,
                kiosk.retired_at,
                kiosk.state,
            )
        })
        .collect();
    ok(&KiosksPage {
        b: Base::new(ctx, state.accounts.city(), "page.library_kiosks.title"),
        kiosks,
        typed_label: label,
        errors,
    })
}

/// `GET /admin/library/kiosks`.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    page(&state, &ctx, String::new(), FieldErrors::default()).await
}

/// `POST /admin/library/kiosks`: registers a kiosk; the answer shows its credentials, once.
pub async fn register(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<KioskForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    match state.library.register_kiosk(user, &form.label).await {
        Ok(credentials) => ok(&CredentialsPage {
            b: Base::new(&ctx, state.accounts.city(), "page.kiosk.credentials_title"),
            kiosk_id: credentials.kiosk.kiosk_id.to_string(),
            password: credentials.password,
            broker_url: state.broker_url.clone(),
        }),
        Err(LibraryError::Invalid(errors)) => page(&state, &ctx, form.label, errors).await,
        Err(error) => Err(error.into()),
    }
}

/// `POST /admin/library/kiosks/{kiosk_id}/retire`.
pub async fn retire(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(kiosk_id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let kiosk_id = KioskId::new(kiosk_id).map_err(|_| AppError::NotFound)?;
    state.library.retire_kiosk(user, &kiosk_id).await?;
    Ok(Redirect::to("/admin/library/kiosks").into_response())
}
