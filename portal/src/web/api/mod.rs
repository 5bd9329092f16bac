//! The JSON API under `/api/v1`. Clients authenticate with `Authorization: Bearer TOKEN`,
//! where `POST /api/v1/session` gives the token. The OpenAPI 3.1 description at
//! `/api/v1/openapi.json` is generated from these handlers and types.

mod account;
pub mod centers;
pub mod garbage;
mod session;

use axum::{
    Json, Router,
    routing::{get, post},
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use super::AppState;

/// The API's OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shimin Portal API",
        description = "The citizen portal's JSON API. Errors are `{\"error\":{\"code\",\"message\",\"fields\"}}` \
                       with the message in the language of `Accept-Language` (Japanese by default)."
    ),
    paths(
        session::create,
        session::delete,
        account::register,
        account::resend_verification,
        account::request_password_reset,
        account::me,
        account::update_me,
        centers::list,
        centers::show,
        centers::create_pass,
        garbage::areas,
        garbage::calendar,
    ),
    components(schemas(
        session::SessionRequest,
        session::SessionResponse,
        account::RegisterRequest,
        account::EmailRequest,
        account::Accepted,
        account::Me,
        account::UpdateMe,
        centers::CenterOccupancy,
        centers::PassRequest,
        centers::PassResponse,
        garbage::GarbageArea,
        garbage::CollectionDay,
        ErrorResponse,
        ErrorDetail,
        FieldError,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Registration, login and the profile"),
        (name = "centers", description = "子育て支援センター: live occupancy (混雑状況) and passes (入退室)"),
        (name = "garbage", description = "ごみ収集日: areas and their collection calendars (public)")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every error answer of the API.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorResponse {
    error: ErrorDetail,
}

/// What went wrong.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorDetail {
    /// Stable machine-readable code (`invalid`, `bad_credentials`, `not_verified`,
    /// `rate_limited`, `unauthorized`, `bad_request`, `not_found`, `too_large`, …).
    code: String,
    /// A sentence for the user, in their language.
    message: String,
    /// For `invalid`: the problem of each field.
    fields: Option<Vec<FieldError>>,
}

/// One field's problem.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FieldError {
    /// The request field.
    field: String,
    /// What is wrong, in the user's language.
    message: String,
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// The API routes (nested under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/session", post(session::create).delete(session::delete))
        .route("/account/register", post(account::register))
        .route(
            "/account/resend-verification",
            post(account::resend_verification),
        )
        .route(
            "/account/password-reset",
            post(account::request_password_reset),
        )
        .route("/me", get(account::me).patch(account::update_me))
        .route("/centers", get(centers::list))
        .route("/centers/{center_id}", get(centers::show))
        .route("/passes", post(centers::create_pass))
        .route("/garbage/areas", get(garbage::areas))
        .route("/garbage/areas/{id}/calendar", get(garbage::calendar))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_is_openapi_3_1_with_the_fixed_routes() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        for path in ["/api/v1/session", "/api/v1/account/register", "/api/v1/me"] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    }
}
