//! Static assets, embedded in the binary. Scripts are small, optional enhancements (the
//! pages work without them) and are served from here because the Content-Security-Policy
//! allows scripts from the portal's own origin only.

use axum::{Router, http::header, response::IntoResponse, routing::get};

use super::AppState;

const APP_CSS: &str = include_str!("../../static/app.css");
const PASS_JS: &str = include_str!("../../static/pass.js");
const OCCUPANCY_JS: &str = include_str!("../../static/occupancy.js");
const BOUSAI_PROGRESS_JS: &str = include_str!("../../static/bousai-progress.js");
const LIBRARY_JS: &str = include_str!("../../static/library.js");
const LIBRARY_SW_JS: &str = include_str!("../../static/library-sw.js");
const LIBRARY_MANIFEST: &str = include_str!("../../static/library.webmanifest");
const LIBRARY_ICON: &str = include_str!("../../static/library-icon.svg");

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/static/app.css",
            get(|| asset("text/css; charset=utf-8", APP_CSS)),
        )
        .route("/static/pass.js", get(|| asset(JS, PASS_JS)))
        .route("/static/occupancy.js", get(|| asset(JS, OCCUPANCY_JS)))
        .route(
            "/static/bousai-progress.js",
            get(|| asset(JS, BOUSAI_PROGRESS_JS)),
        )
        .route("/static/library.js", get(|| asset(JS, LIBRARY_JS)))
        // At the root, so that its scope may be `/library` (the card page and below).
        .route("/library-sw.js", get(service_worker))
        .route(
            "/library/manifest.webmanifest",
            get(|| asset("application/manifest+json", LIBRARY_MANIFEST)),
        )
        .route(
            "/library/icon.svg",
            get(|| asset("image/svg+xml", LIBRARY_ICON)),
        )
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

/// The service worker: never cached by the browser, so an update reaches phones at once.
async fn service_worker() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, JS),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        LIBRARY_SW_JS,
    )
}
