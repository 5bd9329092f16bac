//! 防災情報の通知設定 for citizens, as the city's guide describes it: 「配信を希望するか」,
//! 「配信を希望する言語」, and 「特定の地域の情報だけを希望するか」 with up to three 地域, each with
//! the 危険区域 that apply (or 該当なし).

use askama::Template;
use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{Base, Saved, invalid, ok};
use crate::{
    alerts::{AreaChoiceInput, AreaId, Language, Setting, SettingInput, ZoneChoice, ZoneId},
    bousai::BousaiError,
    i18n::Lang,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// One of the three area rows as shown.
struct AreaRow {
    n: usize,
    area: u32,
    zones: Vec<u8>,
    none: bool,
}

#[derive(Template)]
#[template(path = "bousai_settings.html")]
struct SettingsPage {
    b: Base,
    receive: bool,
    language: &'static str,
    only_my_areas: bool,
    languages: Vec<(&'static str, &'static str)>,
    areas: Vec<(u32, String)>,
    zones: Vec<(u8, String)>,
    rows: Vec<AreaRow>,
    error: Option<String>,
    saved: bool,
}

fn zone_language(lang: Lang) -> Language {
    match lang {
        Lang::Ja => Language::Ja,
        Lang::En => Language::En,
    }
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    setting: &Setting,
    error: Option<String>,
) -> Result<SettingsPage, AppError> {
    let areas = state.bousai.areas().await.map_err(internal)?;
    let language = zone_language(ctx.lang);
    let chosen = setting.only_my_areas().unwrap_or_default();
    let rows = (0..crate::alerts::settings::MAX_AREAS)
        .map(|index| {
            let choice = chosen.get(index);
            let (zones, none) = match choice.map(|c| c.zones) {
                Some(ZoneChoice::Zones(set)) => (set.iter().map(|z| z.0).collect(), false),
                Some(ZoneChoice::NoneApplies) => (Vec::new(), true),
                None => (Vec::new(), false),
            };
            AreaRow {
                n: index + 1,
                area: choice.map_or(0, |c| c.area.0),
                zones,
                none,
            }
        })
        .collect();
    Ok(SettingsPage {
        b: Base::new(ctx, state.accounts.city(), "page.bousai.title"),
        receive: setting.receive(),
        language: setting.language().code(),
        only_my_areas: setting.only_my_areas().is_some(),
        languages: Language::ALL
            .iter()
            .map(|l| (l.code(), l.native_name()))
            .collect(),
        areas: areas
            .all()
            .iter()
            .map(|area| (area.id.0, area.name(language).to_owned()))
            .collect(),
        zones: state
            .bousai
            .catalog()
            .zones()
            .all()
            .iter()
            .map(|zone| (zone.id.0, zone.name(language).to_owned()))
            .collect(),
        rows,
        error,
        saved: false,
    })
}

fn internal(error: BousaiError) -> AppError {
    AppError::Internal(error.to_string())
}

/// `GET /bousai/settings`.
pub async fn settings(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let setting = state
        .bousai
        .setting(user.account_id)
        .await
        .map_err(internal)?;
    let mut page = page(&state, &ctx, &setting, None).await?;
    page.saved = saved.is_set();
    ok(&page)
}

/// The form as posted (the zone boxes repeat).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    receive: Option<String>,
    language: String,
    scope: String,
    area1: String,
    area2: String,
    area3: String,
    zones1: Vec<u8>,
    zones2: Vec<u8>,
    zones3: Vec<u8>,
    none1: Option<String>,
    none2: Option<String>,
    none3: Option<String>,
}

impl SettingsForm {
    fn input(&self) -> SettingInput {
        let rows = [
            (&self.area1, &self.zones1, &self.none1),
            (&self.area2, &self.zones2, &self.none2),
            (&self.area3, &self.zones3, &self.none3),
        ];
        SettingInput {
            receive: self.receive.is_some(),
            language: self.language.clone(),
            only_my_areas: self.scope == "areas",
            areas: rows
                .into_iter()
                .filter_map(|(area, zones, none)| {
                    let area = area.trim().parse::<u32>().ok()?;
                    Some(AreaChoiceInput {
                        area: AreaId(area),
                        zones: zones.iter().map(|z| ZoneId(*z)).collect(),
                        none_applies: none.is_some(),
                    })
                })
                .collect(),
        }
    }
}

/// `POST /bousai/settings`.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let input = form.input();
    match state.bousai.save_setting(user.account_id, &input).await {
        Ok(_) => Ok(Redirect::to("/bousai/settings?saved=1").into_response()),
        Err(BousaiError::Invalid(error)) => {
            // The page again as the citizen filled it in, with the reason.
            let shown = Setting::from_stored(
                input.receive,
                Language::parse_or_japanese(&input.language),
                None,
            );
            let mut page = page(&state, &ctx, &shown, Some(error.message(ctx.lang))).await?;
            page.only_my_areas = input.only_my_areas;
            for (row, typed) in page.rows.iter_mut().zip(&input.areas) {
                row.area = typed.area.0;
                row.zones = typed.zones.iter().map(|z| z.0).collect();
                row.none = typed.none_applies;
            }
            invalid(&page)
        }
        Err(other) => Err(internal(other)),
    }
}
