//! 市からのお知らせ to read (everyone: the list, one announcement, an Atom feed per 分野) and
//! to write (the announcements office: publish now or at a set time).

use askama::Template;
use axum::{
    extract::{Path, Query, Request, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{Base, invalid, ok};
use crate::{
    accounts::AccountError,
    domain::{announcements::AnnouncementInput, attachments::size_label, validation::FieldErrors},
    store::{Announcement, Category},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// An announcement as pages show it.
struct Item {
    id: String,
    category_id: String,
    category: String,
    title: String,
    body: String,
    link: Option<String>,
    date: String,
    scheduled: bool,
    updated_rfc3339: String,
    /// 添付ファイル: (name, "PDF, 120 KB", media type, size in bytes).
    attachment: Option<(String, String, &'static str, u64)>,
}

impl Item {
    fn of(announcement: Announcement, now: jiff::Timestamp) -> Self {
        Self {
            id: announcement.announcement_id.to_string(),
            category_id: announcement.category.0,
            category: announcement.category.1,
            title: announcement.title,
            body: announcement.body,
            link: announcement.link,
            date: crate::clock::tokyo_date_time(announcement.publish_at),
            scheduled: announcement.publish_at > now,
            updated_rfc3339: announcement.publish_at.to_string(),
            attachment: announcement.attachment.map(|(name, kind, size)| {
                let about = format!("{}, {}", kind.label(), size_label(size));
                (name, about, kind.media_type(), size)
            }),
        }
    }

    /// The body's paragraphs (blank-line separated), for the page.
    fn paragraphs(&self) -> Vec<&str> {
        self.body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

/// `?category=` on the list.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    category: Option<String>,
}

#[derive(Template)]
#[template(path = "oshirase_list.html")]
struct ListPage {
    b: Base,
    items: Vec<Item>,
    categories: Vec<Category>,
    current: String,
}

/// `GET /oshirase`: the published announcements, newest first.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let category = query.category.filter(|c| !c.is_empty());
    let items = state
        .announcements
        .published(category.as_deref(), 100)
        .await?
        .into_iter()
        .map(|a| Item::of(a, now))
        .collect();
    ok(&ListPage {
        b: Base::new(&ctx, state.accounts.city(), "page.oshirase.title"),
        items,
        categories: state.announcements.categories().await?,
        current: category.unwrap_or_default(),
    })
}

#[derive(Template)]
#[template(path = "oshirase_item.html")]
struct ItemPage {
    b: Base,
    item: Item,
}

/// `GET /oshirase/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: uuid::Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let found = state
        .announcements
        .get(ctx.user.as_ref(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let item = Item::of(found, state.clock.now());
    let mut b = Base::new(&ctx, state.accounts.city(), "page.oshirase.title");
    b.title = item.title.clone();
    ok(&ItemPage { b, item })
}

#[derive(Template)]
#[template(path = "oshirase_feed.xml")]
struct Feed {
    base: String,
    city: String,
    category: Category,
    updated: String,
    items: Vec<Item>,
}

/// `GET /oshirase/feed/{category_id}`: an Atom feed of one 分野.
pub async fn feed(
    State(state): State<AppState>,
    Path(category_id): Path<String>,
) -> Result<Response, AppError> {
    let category = state
        .announcements
        .categories()
        .await?
        .into_iter()
        .find(|c| c.category_id == category_id)
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let items: Vec<Item> = state
        .announcements
        .published(Some(&category_id), 50)
        .await?
        .into_iter()
        .map(|a| Item::of(a, now))
        .collect();
    let updated = items.first().map_or_else(
        || "1970-01-01T00:00:00Z".to_owned(),
        |i| i.updated_rfc3339.clone(),
    );
    let feed = Feed {
        base: state.accounts.base_url().to_owned(),
        city: state.accounts.city().to_owned(),
        category,
        updated,
        items,
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.render()?,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "admin_announcements.html")]
struct AdminPage {
    b: Base,
    items: Vec<Item>,
    categories: Vec<Category>,
    form: AnnouncementForm,
    errors: FieldErrors,
}

/// The announcement form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AnnouncementForm {
    pub(super) csrf: String,
    pub(super) category_id: String,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) link: String,
    pub(super) publish_at: String,
}

async fn admin_page(
    state: &AppState,
    ctx: &Ctx,
    form: AnnouncementForm,
    errors: FieldErrors,
) -> Result<AdminPage, AppError> {
    let user = ctx.require_user()?;
    let now = state.clock.now();
    Ok(AdminPage {
        b: Base::new(ctx, state.accounts.city(), "page.admin_oshirase.title"),
        items: state
            .announcements
            .all(user)
            .await?
            .into_iter()
            .map(|a| Item::of(a, now))
            .collect(),
        categories: state.announcements.categories().await?,
        form,
        errors,
    })
}

/// `GET /admin/announcements`.
pub async fn admin(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ok(&admin_page(
        &state,
        &ctx,
        AnnouncementForm::default(),
        FieldErrors::default(),
    )
    .await?)
}

/// `POST /admin/announcements`: publishes (now or at the time given). The form is multipart
/// (it may carry 添付ファイル); a plain form without a file is taken as well.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, AppError> {
    let (form, attachment) = super::attachments::read_form(request).await?;
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let input = AnnouncementInput {
        category_id: form.category_id.clone(),
        title: form.title.clone(),
        body: form.body.clone(),
        link: form.link.clone(),
        publish_at: form.publish_at.clone(),
        attachment,
    };
    match state.announcements.publish(user, &input).await {
        Ok(id) => {
            // One published now goes out at once; a scheduled one when the dispatcher's
            // next look finds its time has come. A failure here is retried by that look.
            if let Err(error) = state.notifier.dispatch_announcements().await {
                tracing::error!(%error, "delivering a new announcement failed; will retry");
            }
            Ok(Redirect::to(&format!("/oshirase/{id}")).into_response())
        }
        Err(AccountError::Invalid(errors)) => {
            invalid(&admin_page(&state, &ctx, form, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}
