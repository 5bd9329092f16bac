//! Static assets, embedded in the binary. Scripts are small, optional enhancements (the
//! pages work without them) and are served from here because the Content-Security-Policy
//! allows scripts from the portal's own origin only.

use axum::{Router, http::header, response::IntoResponse, routing::get};

use super::AppState;

const APP_CSS: &str = include_str!("../../static/app.css");
const PASS_JS: &str = include_str!("../../static/pass.js");
const OCCUPANCY_JS: &str = include_str!("../../static/occupancy.js");

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/app.css",
            get(|| asset("text/css; charset=utf-8", APP_CSS)),
        )
        .route("/static/pass.js", get(|| asset(JS, PASS_JS)))
        .route("/static/occupancy.js", get(|| asset(JS, OCCUPANCY_JS)))
}

const JS: &str = "text/javascript; charset=utf-8";

async fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}
