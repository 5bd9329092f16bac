//! 市からのお知らせ pages: the citizen's 市からの欲しい情報の設定 (pick 分野, take one off with
//! ×, 送信 — as the city's guide describes) and the staff's list of 分野.

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{Base, Saved, auth::CsrfOnly, invalid, ok};
use crate::{
    accounts::AccountError,
    domain::{categories::CategoryInput, validation::FieldErrors},
    store::Category,
    web::{AppState, ctx::Ctx, error::AppError},
};

#[derive(Template)]
#[template(path = "oshirase_settings.html")]
struct SettingsPage {
    b: Base,
    chosen: Vec<Category>,
    others: Vec<Category>,
    errors: FieldErrors,
    saved: bool,
}

fn settings_page(
    state: &AppState,
    ctx: &Ctx,
    all: Vec<Category>,
    chosen_ids: &[String],
    errors: FieldErrors,
) -> SettingsPage {
    let (chosen, others): (Vec<Category>, Vec<Category>) = all
        .into_iter()
        .partition(|category| chosen_ids.contains(&category.category_id));
    SettingsPage {
        b: Base::new(ctx, state.accounts.city(), "page.oshirase_settings.title"),
        chosen,
        others,
        errors,
        saved: false,
    }
}

/// `GET /oshirase/settings`.
pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(saved): axum::extract::Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let wanted = state.announcements.wanted(user).await?;
    let all = state.announcements.categories().await?;
    let mut page = settings_page(&state, &ctx, all, &wanted, FieldErrors::default());
    page.saved = saved.is_set();
    ok(&page)
}

/// The settings form: the 分野 chosen so far (`c`, repeated), one to add, and the button.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    c: Vec<String>,
    add: String,
    op: String,
}

/// `POST /oshirase/settings`: 追加 and × change the choice on the page; 送信 saves it.
pub async fn save_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let mut chosen = form.c.clone();
    match form.op.as_str() {
        "add" if !form.add.is_empty() && !chosen.contains(&form.add) => chosen.push(form.add),
        op if op.starts_with("remove:") => {
            let gone = &op["remove:".len()..];
            chosen.retain(|id| id != gone);
        }
        "save" => {
            return match state.announcements.set_wanted(user, &chosen).await {
                Ok(()) => Ok(Redirect::to("/oshirase/settings?saved=1").into_response()),
                Err(AccountError::Invalid(errors)) => {
                    let all = state.announcements.categories().await?;
                    invalid(&settings_page(&state, &ctx, all, &chosen, errors))
                }
                Err(other) => Err(other.into()),
            };
        }
        _ => {}
    }
    let all = state.announcements.categories().await?;
    ok(&settings_page(
        &state,
        &ctx,
        all,
        &chosen,
        FieldErrors::default(),
    ))
}

#[derive(Template)]
#[template(path = "admin_categories.html")]
struct CategoriesPage {
    b: Base,
    categories: Vec<Category>,
    form_id: String,
    form_name: String,
    errors: FieldErrors,
}

/// The new-category form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CategoryForm {
    csrf: String,
    category_id: String,
    name: String,
}

async fn categories_page(
    state: &AppState,
    ctx: &Ctx,
    form: CategoryForm,
    errors: FieldErrors,
) -> Result<CategoriesPage, AppError> {
    Ok(CategoriesPage {
        b: Base::new(ctx, state.accounts.city(), "page.categories.title"),
        categories: state.announcements.categories().await?,
        form_id: form.category_id,
        form_name: form.name,
        errors,
    })
}

/// `GET /admin/categories` (the announcements office and admins).
pub async fn categories(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    if !(user.has_role(crate::domain::Role::Announcements)
        || user.has_role(crate::domain::Role::Admin))
    {
        return Err(
            AccountError::Forbidden("only the announcements office keeps categories").into(),
        );
    }
    ok(&categories_page(
        &state,
        &ctx,
        CategoryForm::default(),
        FieldErrors::default(),
    )
    .await?)
}

/// `POST /admin/categories`: adds a category.
pub async fn create_category(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CategoryForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let input = CategoryInput {
        category_id: form.category_id.clone(),
        name: form.name.clone(),
    };
    match state.announcements.create_category(user, &input).await {
        Ok(()) => Ok(Redirect::to("/admin/categories").into_response()),
        Err(AccountError::Invalid(errors)) => {
            invalid(&categories_page(&state, &ctx, form, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/categories/{category_id}/delete`.
pub async fn delete_category(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(category_id): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    state
        .announcements
        .delete_category(user, &category_id)
        .await?;
    Ok(Redirect::to("/admin/categories").into_response())
}
