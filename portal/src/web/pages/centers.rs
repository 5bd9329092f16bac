//! 子育て支援センターの管理 (admins): the list of centers, registering one, editing its details
//! and assigning its staff.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use shimin_sync::ids::CenterId;

use super::{Base, Saved, auth::CsrfOnly, invalid, ok};
use crate::{
    accounts::AccountError,
    domain::{AccountId, centers::CenterInput, validation::FieldErrors},
    store::Center,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The center form as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CenterForm {
    csrf: String,
    center_id: String,
    name: String,
    address: String,
    capacity: String,
    opens: String,
    closes: String,
}

impl CenterForm {
    fn input(&self) -> CenterInput {
        CenterInput {
            center_id: self.center_id.clone(),
            name: self.name.clone(),
            address: self.address.clone(),
            capacity: self.capacity.clone(),
            opens: self.opens.clone(),
            closes: self.closes.clone(),
        }
    }

    fn of(center: &Center) -> Self {
        let d = &center.details;
        Self {
            csrf: String::new(),
            center_id: d.center_id.to_string(),
            name: d.name.clone(),
            address: d.address.clone(),
            capacity: d.capacity.to_string(),
            opens: d.opens.strftime("%H:%M").to_string(),
            closes: d.closes.strftime("%H:%M").to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_centers.html")]
struct CentersPage {
    b: Base,
    centers: Vec<CenterForm>,
    form: CenterForm,
    errors: FieldErrors,
}

async fn centers_page(
    state: &AppState,
    ctx: &Ctx,
    form: CenterForm,
    errors: FieldErrors,
) -> Result<CentersPage, AppError> {
    let user = ctx.require_user()?;
    let centers = state
        .centers
        .list(user)
        .await?
        .iter()
        .map(CenterForm::of)
        .collect();
    Ok(CentersPage {
        b: Base::new(ctx, state.accounts.city(), "page.centers.title"),
        centers,
        form,
        errors,
    })
}

/// `GET /admin/centers`.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let form = CenterForm {
        opens: "09:00".into(),
        closes: "16:00".into(),
        ..CenterForm::default()
    };
    ok(&centers_page(&state, &ctx, form, FieldErrors::default()).await?)
}

/// `POST /admin/centers`: registers a center.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CenterForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    match state.centers.create(user, &form.input()).await {
        Ok(center_id) => {
            Ok(Redirect::to(&format!("/admin/centers/{center_id}?saved=1")).into_response())
        }
        Err(AccountError::Invalid(errors)) => {
            invalid(&centers_page(&state, &ctx, form, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// One staff member as listed.
struct StaffRow {
    account_id: String,
    name: String,
    email: String,
}

/// One kiosk as listed.
pub(super) struct KioskRow {
    pub(super) kiosk_id: String,
    pub(super) label: String,
    pub(super) state_key: &'static str,
    pub(super) state_at: String,
    pub(super) pending: String,
    pub(super) retired: bool,
}

impl KioskRow {
    fn of(kiosk: crate::store::Kiosk) -> Self {
        let mut row = Self::shown(
            kiosk.kiosk_id.to_string(),
            kiosk.label,
            kiosk.created_at,
            kiosk.retired_at,
            kiosk.state,
        );
        row.pending = kiosk
            .pending_events
            .map(|count| count.to_string())
            .unwrap_or_default();
        row
    }

    /// A kiosk as the admin pages list it: its state in words and since when (Asia/Tokyo).
    pub(super) fn shown(
        kiosk_id: String,
        label: String,
        created_at: jiff::Timestamp,
        retired_at: Option<jiff::Timestamp>,
        state: Option<(shimin_sync::messages::KioskState, jiff::Timestamp)>,
    ) -> Self {
        use shimin_sync::messages::KioskState;
        let (state_key, state_at) = match (&retired_at, state) {
            (Some(at), _) => ("page.kiosk.retired", *at),
            (None, Some((KioskState::Online, at))) => ("page.kiosk.online", at),
            (None, Some((KioskState::Offline, at))) => ("page.kiosk.offline", at),
            (None, None) => ("page.kiosk.never", created_at),
        };
        let never = state.is_none() && retired_at.is_none();
        Self {
            kiosk_id,
            label,
            state_key,
            state_at: if never {
                String::new()
            } else {
                state_at
                    .to_zoned(crate::clock::tokyo())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            },
            pending: String::new(),
            retired: retired_at.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_center.html")]
struct CenterPage {
    b: Base,
    form: CenterForm,
    staff: Vec<StaffRow>,
    kiosks: Vec<KioskRow>,
    staff_email: String,
    errors: FieldErrors,
    saved: bool,
}

fn center_id(raw: &str) -> Result<CenterId, AppError> {
    CenterId::new(raw).map_err(|_| AppError::NotFound)
}

async fn center_page(
    state: &AppState,
    ctx: &Ctx,
    center_id: &CenterId,
    form: Option<CenterForm>,
    staff_email: String,
    errors: FieldErrors,
) -> Result<CenterPage, AppError> {
    let user = ctx.require_user()?;
    let center = state
        .centers
        .get(user, center_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let staff = state
        .centers
        .staff(user, center_id)
        .await?
        .into_iter()
        .map(|account| StaffRow {
            account_id: account.account_id.to_string(),
            name: format!("{} {}", account.family_name, account.given_name),
            email: account.email.to_string(),
        })
        .collect();
    let kiosks = state
        .checkin
        .kiosks(user)
        .await?
        .into_iter()
        .filter(|kiosk| &kiosk.center_id == center_id)
        .map(KioskRow::of)
        .collect();
    Ok(CenterPage {
        b: Base::new(ctx, state.accounts.city(), "page.center.title"),
        form: form.unwrap_or_else(|| CenterForm::of(&center)),
        staff,
        kiosks,
        staff_email,
        errors,
        saved: false,
    })
}

/// `GET /admin/centers/{center_id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let id = center_id(&id)?;
    let mut page = center_page(
        &state,
        &ctx,
        &id,
        None,
        String::new(),
        FieldErrors::default(),
    )
    .await?;
    page.saved = saved.is_set();
    ok(&page)
}

/// `POST /admin/centers/{center_id}`: changes the details.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<CenterForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = center_id(&id)?;
    match state.centers.update(user, &id, &form.input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/centers/{id}?saved=1")).into_response()),
        Err(AccountError::Invalid(errors)) => {
            let form = CenterForm {
                center_id: id.to_string(),
                ..form
            };
            invalid(&center_page(&state, &ctx, &id, Some(form), String::new(), errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// A staff assignment as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    csrf: String,
    email: String,
}

/// `POST /admin/centers/{center_id}/staff`: assigns a center staff member by email.
pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = center_id(&id)?;
    match state.centers.assign(user, &id, &form.email).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/centers/{id}?saved=1")).into_response()),
        Err(AccountError::Invalid(errors)) => {
            invalid(&center_page(&state, &ctx, &id, None, form.email, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/centers/{center_id}/staff/{account_id}/remove`.
pub async fn unassign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, account_id)): Path<(String, String)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let id = center_id(&id)?;
    let account_id: AccountId = account_id.parse().map_err(|_| AppError::NotFound)?;
    state.centers.unassign(user, &id, account_id).await?;
    Ok(Redirect::to(&format!("/admin/centers/{id}?saved=1")).into_response())
}
