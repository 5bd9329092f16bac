//! 子育て情報のお知らせ設定 (`/kosodate/oshirase`): the kinds of timely information a citizen
//! receives (妊娠期の情報, 乳幼児健診, 予防接種, 子育て教室), each can be turned off, and what
//! will come for her family in the next 60 days.

use std::collections::BTreeSet;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{Base, Saved, ok};
use crate::{
    kosodate_timely::TimelyError,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// One category as a checkbox.
struct CategoryRow {
    id: String,
    name: String,
    on: bool,
}

/// One message that will come.
struct UpcomingRow {
    send_on: String,
    category: String,
    title: String,
}

#[derive(Template)]
#[template(path = "kosodate_timely.html")]
struct SettingsPage {
    b: Base,
    categories: Vec<CategoryRow>,
    upcoming: Vec<UpcomingRow>,
    saved: bool,
}

fn internal(error: TimelyError) -> AppError {
    AppError::Internal(error.to_string())
}

/// `GET /kosodate/oshirase`.
pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let timely = &state.timely;
    let off = timely.turned_off(user.account_id).await.map_err(internal)?;
    let categories = timely
        .categories()
        .iter()
        .map(|category| CategoryRow {
            id: category.id.clone(),
            name: category.name.get(ctx.lang).to_owned(),
            on: !off.contains(&category.id),
        })
        .collect();
    let upcoming = timely
        .upcoming(user.account_id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|message| UpcomingRow {
            send_on: message.send_on.to_string(),
            category: timely.category_name(&message.category, ctx.lang),
            title: message.title(ctx.lang).to_owned(),
        })
        .collect();
    ok(&SettingsPage {
        b: Base::new(&ctx, state.accounts.city(), "page.timely.title"),
        categories,
        upcoming,
        saved: saved.is_set(),
    })
}

/// The form as posted: the ids of the categories left checked.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    category: Vec<String>,
}

/// `POST /kosodate/oshirase`.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let wanted: BTreeSet<String> = form.category.into_iter().collect();
    state
        .timely
        .save(user.account_id, &wanted)
        .await
        .map_err(internal)?;
    Ok(Redirect::to("/kosodate/oshirase?saved=1").into_response())
}
