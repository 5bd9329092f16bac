//! 避難情報の作成, for the disaster office: the kind and level, whom it is for (市内全域, or
//! areas × 危険区域), the opened shelters, 発令時刻 and added words; 「プレビュー」 shows the
//! message in every language exactly as citizens will get it, and 「送信」 sends it now (or
//! puts it before a second staff member when approval is required). A CAP 1.2 file (L-Alert,
//! JMA) can start the form.

use askama::Template;
use axum::{
    extract::{Query, Request, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::bousai_form::{AlertForm, local};
use super::{Base, invalid, ok};
use crate::{
    alerts::{ComposedAlert, Language, cap, draft_from_cap},
    bousai_send::{SendError, draft_of, require_staff},
    i18n::{Lang, t},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A language's preview.
pub struct Preview {
    code: &'static str,
    name: &'static str,
    title: String,
    body: String,
}

#[derive(Template)]
#[template(path = "bousai_compose.html")]
struct ComposePage {
    b: Base,
    f: AlertForm,
    kinds: Vec<(String, String, bool)>,
    areas: Vec<(u32, String)>,
    zones: Vec<(u8, String)>,
    languages: Vec<(&'static str, &'static str)>,
    previews: Vec<Preview>,
    notes: Vec<String>,
    error: Option<String>,
    approval: bool,
}

fn language_of(lang: Lang) -> Language {
    match lang {
        Lang::Ja => Language::Ja,
        Lang::En => Language::En,
    }
}

async fn page(state: &AppState, ctx: &Ctx, f: AlertForm) -> Result<ComposePage, AppError> {
    require_staff(ctx.require_user()?)?;
    let bousai = &state.bousai;
    let language = language_of(ctx.lang);
    let areas = bousai
        .areas()
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    Ok(ComposePage {
        b: Base::new(ctx, state.accounts.city(), "page.bousai_new.title"),
        f,
        kinds: bousai
            .catalog()
            .kinds()
            .iter()
            .map(|k| (k.id.clone(), k.name(language).to_owned(), k.free_form))
            .collect(),
        areas: areas
            .all()
            .iter()
            .map(|a| (a.id.0, a.name(language).to_owned()))
            .collect(),
        zones: bousai
            .catalog()
            .zones()
            .all()
            .iter()
            .map(|z| (z.id.0, z.name(language).to_owned()))
            .collect(),
        languages: Language::ALL
            .iter()
            .map(|l| (l.code(), l.native_name()))
            .collect(),
        previews: Vec::new(),
        notes: Vec::new(),
        error: None,
        approval: bousai.settings().require_approval,
    })
}

/// `?refers_to=`: the alert a 続報 follows.
#[derive(Deserialize)]
pub struct FollowUp {
    refers_to: Option<Uuid>,
}

/// `GET /admin/bousai/new` (`?refers_to=ID` starts a 続報 from that alert).
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(follow): Query<FollowUp>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let form = match follow.refers_to {
        Some(id) => {
            let earlier = state.bousai.staff_alert(user, id).await?;
            AlertForm::from_draft(&draft_of(&earlier)?, Some(id))
        }
        None => AlertForm {
            scope: "city".to_owned(),
            kind: "level3".to_owned(),
            issued_at: local(state.clock.now()),
            ..AlertForm::default()
        },
    };
    ok(&page(&state, &ctx, form).await?)
}

fn previews(composed: &ComposedAlert) -> Vec<Preview> {
    composed
        .texts
        .iter()
        .map(|(language, text)| Preview {
            code: language.code(),
            name: language.native_name(),
            title: text.title.clone(),
            body: text.body.clone(),
        })
        .collect()
}

/// `POST /admin/bousai/new`: 「プレビュー」 or 「送信」.
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (form, csrf) = AlertForm::from_pairs(&pairs);
    ctx.check_csrf(&csrf)?;
    let user = ctx.require_user()?;
    let mut shown = page(&state, &ctx, form.clone()).await?;
    let Some(draft) = form.draft(state.clock.now()) else {
        shown.error = Some(t(ctx.lang, "error.alert_time").to_owned());
        return invalid(&shown);
    };
    let outcome = if form.action == "send" {
        state
            .bousai
            .create(user, &draft, form.refers_to, &state.notifier)
            .await
            .map(Some)
    } else {
        state.bousai.preview(&draft).await.map(|composed| {
            shown.previews = previews(&composed);
            None
        })
    };
    match outcome {
        Ok(Some(alert_id)) => {
            Ok(Redirect::to(&format!("/admin/bousai/alerts/{alert_id}")).into_response())
        }
        Ok(None) => ok(&shown),
        Err(SendError::Draft(error)) => {
            shown.error = Some(error.message(ctx.lang));
            invalid(&shown)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /admin/bousai/import-cap` (multipart: `csrf`, `file`): a CAP 1.2 file starts the
/// form; what could not be matched is listed for staff to fix.
pub async fn import_cap(
    State(state): State<AppState>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, AppError> {
    let (csrf, file) = super::bousai_admin::csrf_and_file(request).await?;
    ctx.check_csrf(&csrf)?;
    require_staff(ctx.require_user()?)?;
    let read = String::from_utf8(file)
        .map_err(|_| t(ctx.lang, "error.cap_not_utf8").to_owned())
        .and_then(|xml| cap::parse(&xml).map_err(|error| error.message(ctx.lang)));
    let imported = match read {
        Ok(alert) => {
            let areas = state
                .bousai
                .areas()
                .await
                .map_err(|error| AppError::Internal(error.to_string()))?;
            draft_from_cap(&alert, state.bousai.catalog(), &areas)
                .map_err(|error| error.message(ctx.lang))
        }
        Err(message) => Err(message),
    };
    match imported {
        Ok(imported) => {
            let mut shown =
                page(&state, &ctx, AlertForm::from_draft(&imported.draft, None)).await?;
            shown.notes = imported
                .unmatched_areas
                .iter()
                .map(|area| format!("{}{area}", t(ctx.lang, "page.bousai_new.unmatched_area")))
                .chain(imported.skipped_languages.iter().map(|language| {
                    format!(
                        "{}{language}",
                        t(ctx.lang, "page.bousai_new.skipped_language")
                    )
                }))
                .collect();
            ok(&shown)
        }
        Err(message) => {
            let mut shown = super::bousai_staff::list_page(&state, &ctx).await?;
            shown.error = Some(message);
            invalid(&shown)
        }
    }
}
