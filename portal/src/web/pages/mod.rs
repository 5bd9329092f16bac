//! The HTML pages: server-rendered with askama, mobile-first, Japanese by default with an
//! English switch. Each form carries the CSRF token and shows its errors beside the fields.

mod account;
mod admin;
mod announcements;
mod attachments;
mod auth;
mod bousai;
mod bousai_admin;
mod bousai_compose;
mod bousai_form;
mod bousai_public;
mod bousai_staff;
mod bousai_view;
mod centers;
mod deliveries;
mod family;
mod gomi;
mod gomi_admin;
mod gomi_area;
mod home;
mod kenko;
mod kenko_admin;
mod kenko_form;
mod kiosks;
mod kosodate_event;
mod kosodate_events;
mod kosodate_events_admin;
mod kosodate_events_view;
mod kosodate_timely;
mod legal;
mod library;
mod library_admin;
mod library_kiosks;
mod notifications;
mod occupancy;
mod oshirase;
mod pass;
mod register;
mod school_admin;
mod school_notices;
mod schools;
mod tetsuzuki;
mod visit_stats;

use axum::{
    Router,
    response::{Html, IntoResponse, Response},
    routing::{get, post},
};

use super::{AppState, ctx::Ctx, error::AppError};
use crate::{
    domain::{Role, validation::FieldErrors},
    i18n::{Lang, t},
};

/// The routes of all pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::top))
        .route("/lang/{code}", get(home::switch_lang))
        .route("/register", get(register::form).post(register::submit))
        .route("/verify", get(register::verify))
        .route(
            "/verify/resend",
            get(register::resend_form).post(register::resend),
        )
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route(
            "/password/forgot",
            get(auth::forgot_form).post(auth::forgot),
        )
        .route("/password/reset", get(auth::reset_form).post(auth::reset))
        .route(
            "/account",
            get(account::overview).post(account::change_name),
        )
        .route(
            "/account/email",
            get(account::email_form).post(account::email),
        )
        .route("/account/email/confirm", get(account::email_confirm))
        .route(
            "/account/password",
            get(account::password_form).post(account::password),
        )
        .route(
            "/account/withdraw",
            get(account::withdraw_form).post(account::withdraw),
        )
        .route("/admin/staff", get(admin::staff).post(admin::invite))
        .route("/admin/staff/{account_id}/roles", post(admin::set_roles))
        .route("/admin/centers", get(centers::list).post(centers::create))
        .route(
            "/admin/centers/{center_id}",
            get(centers::show).post(centers::update),
        )
        .route("/admin/centers/{center_id}/staff", post(centers::assign))
        .route(
            "/admin/centers/{center_id}/staff/{account_id}/remove",
            post(centers::unassign),
        )
        .route(
            "/staff/welcome",
            get(admin::welcome_form).post(admin::welcome),
        )
        .route("/kosodate", get(family::overview))
        .route(
            "/kosodate/children/new",
            get(family::new_form).post(family::create),
        )
        .route(
            "/kosodate/children/{child_id}",
            get(family::edit_form).post(family::update),
        )
        .route("/kosodate/children/{child_id}/delete", post(family::delete))
        .route(
            "/kosodate/oshirase",
            get(kosodate_timely::settings).post(kosodate_timely::save),
        )
        .route(
            "/kosodate/due-date",
            get(family::due_date_form).post(family::set_due_date),
        )
        .route("/admin/centers/{center_id}/kiosks", post(kiosks::register))
        .route(
            "/admin/centers/{center_id}/kiosks/{kiosk_id}/password",
            post(kiosks::renew),
        )
        .route(
            "/admin/centers/{center_id}/kiosks/{kiosk_id}/retire",
            post(kiosks::retire),
        )
        .route("/admin/centers/{center_id}/visits", get(kiosks::visits))
        .route("/admin/centers/{center_id}/stats", get(visit_stats::show))
        .route("/oshirase", get(announcements::list))
        .route("/oshirase/{announcement_id}", get(announcements::show))
        .route("/oshirase/feed/{category_id}", get(announcements::feed))
        .route(
            "/admin/announcements",
            get(announcements::admin)
                .post(announcements::publish)
                .layer(axum::extract::DefaultBodyLimit::max(
                    attachments::PUBLISH_BODY_LIMIT,
                )),
        )
        .route(
            "/oshirase/{announcement_id}/attachment",
            get(attachments::attachment),
        )
        .route(
            "/oshirase/settings",
            get(oshirase::settings).post(oshirase::save_settings),
        )
        .route(
            "/admin/categories",
            get(oshirase::categories).post(oshirase::create_category),
        )
        .route(
            "/admin/categories/{category_id}/delete",
            post(oshirase::delete_category),
        )
        .route(
            "/account/notifications",
            get(notifications::settings).post(notifications::save),
        )
        .route("/account/line/unlink", post(notifications::unlink))
        .route(
            "/line/link",
            get(notifications::link_form).post(notifications::link),
        )
        .route("/admin/deliveries", get(deliveries::list))
        .route("/admin/deliveries/{delivery_id}", get(deliveries::show))
        .route(
            "/admin/deliveries/{delivery_id}/resend",
            post(deliveries::resend),
        )
        .route("/bousai/settings", get(bousai::settings).post(bousai::save))
        .route("/bousai/alerts", get(bousai_public::list))
        .route("/bousai/alerts.atom", get(bousai_public::feed))
        .route("/bousai/alerts/{id}", get(bousai_public::show))
        .route("/bousai/alerts/{id}/answer", post(bousai_public::answer))
        .route("/bousai/alerts/{id}/cap.xml", get(bousai_public::cap))
        .route("/admin/bousai", get(bousai_staff::list))
        .route(
            "/admin/bousai/new",
            get(bousai_compose::show).post(bousai_compose::submit),
        )
        .route("/admin/bousai/import-cap", post(bousai_compose::import_cap))
        .route("/admin/bousai/alerts/{id}", get(bousai_staff::show))
        .route(
            "/admin/bousai/alerts/{id}/progress",
            get(bousai_staff::progress),
        )
        .route(
            "/admin/bousai/alerts/{id}/approve",
            post(bousai_staff::approve),
        )
        .route(
            "/admin/bousai/alerts/{id}/cancel",
            post(bousai_staff::cancel),
        )
        .route(
            "/admin/bousai/areas",
            get(bousai_admin::show).post(bousai_admin::import),
        )
        .route("/gomi", get(gomi::show))
        .route("/gomi/area", post(gomi::set_area))
        .route("/gomi/remind", post(gomi::set_remind))
        .route("/gomi/areas/{id}/calendar.ics", get(gomi::ics))
        .route("/admin/gomi", get(gomi_admin::show))
        .route(
            "/admin/gomi/import",
            post(gomi_admin::import).layer(axum::extract::DefaultBodyLimit::max(
                gomi_admin::UPLOAD_LIMIT,
            )),
        )
        .route("/admin/gomi/exceptions", post(gomi_admin::add_exception))
        .route("/admin/gomi/kinds", post(gomi_admin::save_kinds))
        .route(
            "/admin/gomi/areas/{id}",
            get(gomi_area::show).post(gomi_area::save),
        )
        .route(
            "/admin/gomi/exceptions/{id}/delete",
            post(gomi_admin::delete_exception),
        )
        .route("/admin/gomi/export/{file}", get(gomi_admin::export))
        .route("/library", get(library::card))
        .route(
            "/library/settings",
            get(library::settings_form).post(library::save).layer(
                axum::extract::DefaultBodyLimit::max(library::CARD_BODY_LIMIT),
            ),
        )
        .route("/library/delete", post(library::delete))
        .route("/library/photo.jpg", get(library::photo))
        .route("/admin/library", get(library_admin::lookup))
        .route(
            "/admin/library/kiosks",
            get(library_kiosks::list).post(library_kiosks::register),
        )
        .route(
            "/admin/library/kiosks/{kiosk_id}/retire",
            post(library_kiosks::retire),
        )
        .route(
            "/admin/library/photo/{account_id}",
            get(library_admin::photo),
        )
        .route("/kosodate/tetsuzuki", get(tetsuzuki::show))
        .route("/kosodate/tetsuzuki.txt", get(tetsuzuki::text))
        .route("/kosodate/yoyaku", get(kenko::menu))
        .route("/kosodate/yoyaku/{service}", get(kenko::slots))
        .route(
            "/kosodate/yoyaku/slots/{slot_id}",
            get(kenko::book_form).post(kenko::book),
        )
        .route(
            "/kosodate/yoyaku/bookings/{id}/change",
            get(kenko::change_form).post(kenko::change),
        )
        .route("/kosodate/yoyaku/bookings/{id}/cancel", post(kenko::cancel))
        .route("/admin/kenko", get(kenko_admin::show))
        .route("/admin/kenko/series", post(kenko_admin::add_series))
        .route("/admin/kenko/slots/{slot_id}", get(kenko_admin::slot))
        .route("/admin/kenko/export.csv", get(kenko_admin::export))
        .route("/kosodate/pass", get(pass::page))
        .route("/kosodate/pass/qr.svg", get(pass::qr))
        .route("/kosodate/centers", get(occupancy::list))
        .route("/kosodate/centers/events", get(occupancy::events))
        .route("/kosodate/centers/{center_id}", get(occupancy::show))
        .route("/school", get(schools::overview))
        .route("/school/join", get(schools::join_form).post(schools::join))
        .route("/school/notices/{notice_id}", get(schools::show))
        .route(
            "/school/enrollments/{enrollment_id}/delete",
            post(schools::remove),
        )
        .route(
            "/admin/schools",
            get(school_admin::list).post(school_admin::create),
        )
        .route("/admin/schools/{code}", get(school_admin::show))
        .route(
            "/admin/schools/{code}/groups",
            post(school_admin::add_group),
        )
        .route(
            "/admin/schools/{code}/groups/{group_id}/delete",
            post(school_admin::delete_group),
        )
        .route("/admin/schools/{code}/staff", post(school_admin::assign))
        .route(
            "/admin/schools/{code}/staff/{account_id}/remove",
            post(school_admin::unassign),
        )
        .route(
            "/admin/schools/{code}/notices/new",
            get(school_notices::new_notice).post(school_notices::post_notice),
        )
        .route(
            "/admin/schools/{code}/notices/{notice_id}",
            get(school_notices::receipts),
        )
        .route("/kosodate/events", get(kosodate_events::calendar))
        .route("/kosodate/events.ics", get(kosodate_events::ics))
        .route("/kosodate/events/{id}", get(kosodate_event::show))
        .route("/kosodate/events/{id}/apply", post(kosodate_event::apply))
        .route("/kosodate/events/{id}/cancel", post(kosodate_event::cancel))
        .route(
            "/admin/kosodate/events",
            get(kosodate_events_admin::list).post(kosodate_events_admin::create),
        )
        .route(
            "/admin/kosodate/events/{id}",
            get(kosodate_events_admin::edit).post(kosodate_events_admin::update),
        )
        .route(
            "/admin/kosodate/events/{id}/call-off",
            post(kosodate_events_admin::call_off),
        )
        .route("/terms", get(legal::terms))
        .route("/privacy", get(legal::privacy))
}

/// `?saved=1` after a change: the page then says that the change was saved.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

impl Saved {
    /// Whether the page follows a saved change.
    pub fn is_set(&self) -> bool {
        self.saved.is_some()
    }
}

/// What the layout of every page needs.
pub struct Base {
    /// Language of the page.
    pub lang: Lang,
    /// The city's name.
    pub city: String,
    /// The page title (without the site name).
    pub title: String,
    /// "山田 花子" when signed in.
    pub user_name: Option<String>,
    /// Whether to show the staff administration link.
    pub is_admin: bool,
    /// Whether the user keeps 市からのお知らせ (the announcements office, or an admin).
    pub is_announcer: bool,
    /// Whether the user keeps schools (school staff, or an admin).
    pub is_school_staff: bool,
    /// Whether the user is library staff.
    pub is_librarian: bool,
    /// Whether the user keeps the garbage calendar (the waste office, or an admin).
    pub is_waste_staff: bool,
    /// Whether the user keeps 避難情報 (the disaster office, or an admin).
    pub is_disaster_staff: bool,
    /// Whether the user keeps the health office's bookings (the health office, or an admin).
    pub is_health_staff: bool,
    /// CSRF token for forms.
    pub csrf: String,
    /// This page's path and query, for the language switch.
    pub path: String,
}

impl Base {
    /// The layout for a request.
    pub fn new(ctx: &Ctx, city: &str, title_key: &str) -> Self {
        Self {
            lang: ctx.lang,
            city: city.to_owned(),
            title: t(ctx.lang, title_key).to_owned(),
            user_name: ctx
                .user
                .as_ref()
                .map(|user| format!("{} {}", user.family_name, user.given_name)),
            is_admin: ctx
                .user
                .as_ref()
                .is_some_and(|user| user.has_role(Role::Admin)),
            is_announcer: ctx.user.as_ref().is_some_and(|user| {
                user.has_role(Role::Announcements) || user.has_role(Role::Admin)
            }),
            is_school_staff: ctx
                .user
                .as_ref()
                .is_some_and(|user| user.has_role(Role::School) || user.has_role(Role::Admin)),
            is_librarian: ctx
                .user
                .as_ref()
                .is_some_and(|user| user.has_role(Role::Librarian)),
            is_waste_staff: ctx
                .user
                .as_ref()
                .is_some_and(|user| user.has_role(Role::Waste) || user.has_role(Role::Admin)),
            is_disaster_staff: ctx
                .user
                .as_ref()
                .is_some_and(|user| user.has_role(Role::Disaster) || user.has_role(Role::Admin)),
            is_health_staff: ctx
                .user
                .as_ref()
                .is_some_and(|user| user.has_role(Role::Health) || user.has_role(Role::Admin)),
            csrf: ctx.csrf.clone(),
            path: ctx.path.clone(),
        }
    }

    /// The layout without a request context (error pages).
    pub fn bare(lang: Lang, city: &str, title: &str) -> Self {
        Self {
            lang,
            city: city.to_owned(),
            title: title.to_owned(),
            user_name: None,
            is_admin: false,
            is_announcer: false,
            is_school_staff: false,
            is_librarian: false,
            is_waste_staff: false,
            is_disaster_staff: false,
            is_health_staff: false,
            csrf: String::new(),
            path: "/".to_owned(),
        }
    }

    /// A message in the page's language.
    pub fn t(&self, key: &str) -> &'static str {
        t(self.lang, key)
    }

    /// The message of a field's error, or "" when it has none.
    pub fn err(&self, errors: &FieldErrors, field: &str) -> &'static str {
        errors.get(field).map(|key| t(self.lang, key)).unwrap_or("")
    }

    /// The language switch's target language.
    pub fn other_lang(&self) -> Lang {
        self.lang.other()
    }

    /// The language switch link, coming back to this page.
    pub fn switch_href(&self) -> String {
        let back: String = url::form_urlencoded::byte_serialize(self.path.as_bytes()).collect();
        format!("/lang/{}?next={back}", self.lang.other().code())
    }
}

/// Renders a template into a response with the given status.
pub fn render(
    template: &impl askama::Template,
    status: axum::http::StatusCode,
) -> Result<Response, AppError> {
    Ok((status, Html(template.render()?)).into_response())
}

/// Renders a template as `200 OK`.
pub fn ok(template: &impl askama::Template) -> Result<Response, AppError> {
    render(template, axum::http::StatusCode::OK)
}

/// A form re-shown with errors answers 422 (the errors are in the page).
pub fn invalid(template: &impl askama::Template) -> Result<Response, AppError> {
    render(template, axum::http::StatusCode::UNPROCESSABLE_ENTITY)
}

/// Only local paths are followed after login or a language switch (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/account")), "/account");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
