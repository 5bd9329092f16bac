//! `POST /webhooks/line`: the URL set in the LINE console. The raw body is checked against
//! `X-Line-Signature` before anything in it is believed; a bad signature is refused with 401
//! and nothing is done.

use axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::json;

use super::AppState;
use crate::line::linking::WebhookError;

/// The webhook route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/webhooks/line", post(line))
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

async fn line(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers
        .get("x-line-signature")
        .and_then(|value| value.to_str().ok());
    match state.line.webhook(&body, signature).await {
        Ok(_) => (StatusCode::OK, Json(json!({}))).into_response(),
        Err(WebhookError::BadSignature) => {
            tracing::warn!("LINE webhook with a bad signature refused");
            refusal(
                StatusCode::UNAUTHORIZED,
                "bad_signature",
                "X-Line-Signature does not match the body",
            )
        }
        Err(WebhookError::NotConfigured) => refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            "line_not_configured",
            "LINE is not configured on this portal",
        ),
        Err(WebhookError::Malformed) => refusal(
            StatusCode::BAD_REQUEST,
            "malformed",
            "the body is not a LINE webhook",
        ),
        // LINE redelivers what is not answered 2xx; the error is logged here, once.
        Err(WebhookError::Store(error)) => {
            tracing::error!(%error, "LINE webhook: the store failed");
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the portal could not take the events; LINE will send them again",
            )
        }
    }
}
