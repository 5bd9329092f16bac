//! The HTTP application: HTML pages (cookie sessions, CSRF tokens), the JSON API under
//! `/api/v1` (bearer tokens), and the operator endpoints `/healthz` and `/metrics`.
//!
//! [`app`] builds the whole router from an [`AppState`], so tests drive it with `oneshot`
//! exactly as the server does. Errors are rendered once, in [`error`]'s middleware, in the
//! user's language and as HTML or JSON depending on where they happened.

pub mod api;
mod assets;
pub mod ctx;
pub mod error;
mod ops;
pub mod pages;
pub mod ratelimit;
mod security;
mod webhooks;

use std::sync::Arc;

use axum::{Router, extract::DefaultBodyLimit, middleware};
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::{catch_panic::CatchPanicLayer, trace::TraceLayer};

use crate::{accounts::Accounts, store::sqlite::Db};

/// Largest request body accepted (forms and JSON). Uploads get their own limit later.
pub const BODY_LIMIT: usize = 64 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The account service.
    pub accounts: Accounts,
    /// The center service.
    pub centers: crate::centers::Centers,
    /// 市からのお知らせ (categories and what citizens want).
    pub announcements: crate::announcements::Announcements,
    /// LINE: webhooks and account linking.
    pub line: crate::line::linking::LineLinking,
    /// The delivery engine (deliveries, channel choices).
    pub notifier: crate::notify::Notifier,
    /// 小中学校・幼稚園からの情報 (schools, enrollments, notices).
    pub schools: crate::schools::Schools,
    /// The check-in service (passes, kiosks, occupancy).
    pub checkin: crate::checkin::Checkin,
    /// The clock.
    pub clock: Arc<dyn crate::clock::Clock>,
    /// The broker URL as kiosks reach it (shown with new kiosk credentials).
    pub broker_url: String,
    /// The family service (children, due date).
    pub family: crate::family::Family,
    /// The library service (card, loans).
    pub library: crate::library::Library,
    /// ごみ収集日 (areas, calendars, 分別, reminders).
    pub gomi: crate::gomi::Gomi,
    /// 避難情報 (citizens' settings).
    pub bousai: crate::bousai::Bousai,
    /// 母子健康手帳の交付・赤ちゃん訪問の予約.
    pub kenko: crate::kenko::Kenko,
    /// ライフイベントの手続き: the city's questions and procedures.
    pub procedures: Arc<crate::procedures::Guide>,
    /// 子育て情報のお知らせ (turned-off categories, upcoming messages, the daily sender).
    pub timely: crate::kosodate_timely::KosodateTimely,
    /// 子育てイベントカレンダー (events, applications).
    pub kosodate_events: crate::kosodate_events::KosodateEvents,
    /// The database, for the health check.
    pub db: Db,
    /// Key for CSRF tokens (from `DATA/secret.key`).
    pub csrf_key: Arc<[u8; 32]>,
    /// Whether cookies carry `Secure`.
    pub secure_cookies: bool,
    /// Whether to take the client address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Rate limits of login, registration and reset.
    pub limits: Arc<ratelimit::Limits>,
    /// The Prometheus registry, rendered by `/metrics`.
    pub metrics: PrometheusHandle,
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(ops::routes())
        .merge(webhooks::routes())
        .merge(assets::routes())
        .fallback(error::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            ctx::load_context,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_errors,
        ))
        .layer(middleware::from_fn(security::headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(ops::record_metrics))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::new())
        .with_state(state)
}
