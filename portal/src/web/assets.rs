//! Static assets, embedded in the binary.

use axum::{Router, http::header, response::IntoResponse, routing::get};

use super::AppState;

const APP_CSS: &str = include_str!("../../static/app.css");

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/static/app.css", get(app_css))
}

async fn app_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_CSS,
    )
}
