//! 子育て支援センターの混雑状況 in JSON: every center with its live occupancy (public: no
//! login, no personal data), and a guardian's pass.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::{Deserialize, Serialize};
use shimin_sync::{ids::CenterId, messages::Occupancy};
use utoipa::ToSchema;

use crate::{
    clock::tokyo,
    i18n::{Lang, t},
    store::Center,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A center and its occupancy now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CenterOccupancy {
    /// The center's id.
    pub center_id: String,
    /// 名称
    pub name: String,
    /// 所在地
    pub address: String,
    /// 開館時刻 (HH:MM, Asia/Tokyo)
    pub opens: String,
    /// 閉館時刻 (HH:MM, Asia/Tokyo)
    pub closes: String,
    /// 定員, in families (親子の組数).
    pub capacity: u32,
    /// Families in now.
    pub families_in: u32,
    /// Children in now.
    pub children_in: u32,
    /// `vacant`, `somewhat_crowded`, `crowded`, `full` or `closed`.
    pub level: String,
    /// The level as displays show it (空いています, やや混雑, 混雑, 満, 利用停止中), in the
    /// language of the request.
    pub level_label: String,
    /// When the occupancy last changed (RFC 3339).
    pub updated_at: String,
    /// The same, as HH:MM in Asia/Tokyo.
    pub updated_hm: String,
    /// Grows with every change.
    pub seq: u64,
}

impl CenterOccupancy {
    /// The view of a center's occupancy in `lang`.
    pub fn of(center: &Center, occupancy: &Occupancy, lang: Lang) -> Self {
        let details = &center.details;
        Self {
            center_id: details.center_id.to_string(),
            name: details.name.clone(),
            address: details.address.clone(),
            opens: details.opens.strftime("%H:%M").to_string(),
            closes: details.closes.strftime("%H:%M").to_string(),
            capacity: occupancy.capacity,
            families_in: occupancy.families_in,
            children_in: occupancy.children_in,
            level: occupancy.level.code().to_owned(),
            level_label: t(lang, &format!("level.{}", occupancy.level.code())).to_owned(),
            updated_at: occupancy.updated_at.to_string(),
            updated_hm: occupancy
                .updated_at
                .to_zoned(tokyo())
                .strftime("%H:%M")
                .to_string(),
            seq: occupancy.seq,
        }
    }
}

/// Every center with its occupancy.
#[utoipa::path(
    get,
    path = "/api/v1/centers",
    tag = "centers",
    responses((status = 200, description = "Every center, by id", body = [CenterOccupancy]))
)]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<CenterOccupancy>>, AppError> {
    let all = state.checkin.occupancies().await?;
    Ok(Json(
        all.iter()
            .map(|(center, occupancy)| CenterOccupancy::of(center, occupancy, ctx.lang))
            .collect(),
    ))
}

/// One center's occupancy.
#[utoipa::path(
    get,
    path = "/api/v1/centers/{center_id}",
    tag = "centers",
    params(("center_id" = String, Path, description = "The center's id")),
    responses(
        (status = 200, description = "The center and its occupancy", body = CenterOccupancy),
        (status = 404, description = "No such center", body = super::ErrorResponse),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(center_id): Path<String>,
) -> Result<Json<CenterOccupancy>, AppError> {
    let center_id = CenterId::new(center_id).map_err(|_| AppError::NotFound)?;
    let (center, occupancy) = state
        .checkin
        .occupancy(&center_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(CenterOccupancy::of(&center, &occupancy, ctx.lang)))
}

/// The children a pass is for, by child number.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PassRequest {
    /// Child numbers (1, 2, 3… in the order the guardian registered them; as on the 入退室
    /// page), 1–16 of them.
    pub children: Vec<u16>,
}

/// A signed pass to show as a QR code (alphanumeric mode).
#[derive(Debug, Serialize, ToSchema)]
pub struct PassResponse {
    /// The pass text, `SP1:…`.
    pub text: String,
    /// When it was signed (RFC 3339).
    pub issued_at: String,
    /// When kiosks stop accepting it (RFC 3339); ask for a new one every 30 s or so.
    pub expires_at: String,
    /// The children it names.
    pub children: Vec<u16>,
}

/// Signs a pass for the guardian's chosen children (入退室).
#[utoipa::path(
    post,
    path = "/api/v1/passes",
    tag = "centers",
    security(("bearer" = [])),
    request_body = PassRequest,
    responses(
        (status = 200, description = "A fresh pass", body = PassResponse),
        (status = 401, description = "No valid token", body = super::ErrorResponse),
        (status = 422, description = "No children chosen, or not the guardian's", body = super::ErrorResponse),
    )
)]
pub async fn create_pass(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(request): Json<PassRequest>,
) -> Result<Json<PassResponse>, AppError> {
    let user = ctx.user.as_ref().ok_or(AppError::LoginRequired)?;
    let pass = state.checkin.issue_pass(user, &request.children).await?;
    Ok(Json(PassResponse {
        text: pass.text,
        issued_at: pass.issued_at.to_string(),
        expires_at: pass.expires_at.to_string(),
        children: pass.children.iter().map(|child| child.get()).collect(),
    }))
}
