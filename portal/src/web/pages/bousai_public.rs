//! 避難情報 as the public reads it: the alert list, each alert's page in any of its languages
//! (with the one-tap answers for signed-in citizens), an Atom feed, and each alert as OASIS
//! CAP 1.2 XML for other systems.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::bousai_view::{AlertRow, row, target_words};
use super::{Base, ok};
use crate::{
    alerts::{Answer, CapAlert, CapEnvelope, ComposedAlert, Language, cap::MsgType},
    bousai_follow::shown_at,
    bousai_send::draft_of,
    store::{AlertMsgType, AlertStatus},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The reader's alert language: `?lang=`, else their 防災情報 setting, else the page's.
async fn reader_language(state: &AppState, ctx: &Ctx, asked: Option<&str>) -> Language {
    if let Some(language) = asked.and_then(Language::parse) {
        return language;
    }
    if let Some(user) = &ctx.user
        && let Ok(setting) = state.bousai.setting(user.account_id).await
    {
        return setting.language();
    }
    Language::parse_or_japanese(ctx.lang.code())
}

#[derive(Template)]
#[template(path = "bousai_alerts.html")]
struct ListPage {
    b: Base,
    rows: Vec<AlertRow>,
}

/// `GET /bousai/alerts`.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let language = reader_language(&state, &ctx, None).await;
    let alerts = state.bousai.public_alerts(50).await?;
    ok(&ListPage {
        b: Base::new(&ctx, state.accounts.city(), "page.bousai_alerts.title"),
        rows: alerts.iter().map(|a| row(a, language)).collect(),
    })
}

/// `?lang=`, and `?saved=1` after an answer.
#[derive(Deserialize)]
pub struct Shown {
    lang: Option<String>,
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "bousai_alert.html")]
struct AlertPage {
    b: Base,
    r: AlertRow,
    target: String,
    languages: Vec<(String, &'static str)>,
    can_answer: bool,
    signed_in: bool,
    answers: Vec<(&'static str, &'static str)>,
    words: crate::alerts::answer_words::AnswerWords,
    mine: Option<&'static str>,
    areas: Vec<(u32, String)>,
    my_area: Option<u32>,
    followed_by: Option<String>,
    saved: bool,
}

/// `GET /bousai/alerts/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Query(shown): Query<Shown>,
) -> Result<Response, AppError> {
    let alert = state
        .bousai
        .public_alert(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let language = reader_language(&state, &ctx, shown.lang.as_deref()).await;
    let areas = state
        .bousai
        .areas()
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    let r = row(&alert, language);
    let shown_language = Language::parse_or_japanese(&r.lang);
    let mine = match &ctx.user {
        Some(user) => state.bousai.answer_of(user.account_id, id).await?,
        None => None,
    };
    let followed_by = state
        .bousai
        .public_alerts(200)
        .await?
        .into_iter()
        .find(|a| a.refers_to == Some(id))
        .map(|a| a.alert_id.to_string());
    let mut b = Base::new(&ctx, state.accounts.city(), "page.bousai_alerts.title");
    b.title.clone_from(&r.title);
    ok(&AlertPage {
        b,
        target: target_words(&state.bousai, &alert, shown_language, &areas),
        languages: alert
            .texts
            .iter()
            .map(|(code, _, _)| {
                (
                    code.clone(),
                    Language::parse_or_japanese(code).native_name(),
                )
            })
            .collect(),
        can_answer: alert.status == AlertStatus::Sent && alert.msg_type != AlertMsgType::Cancel,
        signed_in: ctx.user.is_some(),
        answers: Answer::ALL
            .iter()
            .map(|a| (a.code(), a.label(shown_language)))
            .collect(),
        mine: mine.map(|(answer, _)| answer.code()),
        words: crate::alerts::answer_words::answer_words(shown_language),
        areas: areas
            .all()
            .iter()
            .map(|a| (a.id.0, a.name(shown_language).to_owned()))
            .collect(),
        my_area: mine.and_then(|(_, area)| area),
        followed_by,
        saved: shown.saved.is_some(),
        r,
    })
}

/// The answer as posted.
#[derive(Deserialize)]
pub struct AnswerForm {
    csrf: String,
    answer: String,
    #[serde(default)]
    area: String,
}

/// `POST /bousai/alerts/{id}/answer`: 無事です / 避難しました / 助けが必要 (one tap).
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<Uuid>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    let answer = Answer::parse(&form.answer).ok_or(AppError::BadRequest("error.malformed"))?;
    let area = match form.area.trim() {
        "" => None,
        text => Some(
            text.parse::<u32>()
                .map_err(|_| AppError::BadRequest("error.malformed"))?,
        ),
    };
    state
        .bousai
        .answer(user.account_id, id, answer, area)
        .await?;
    Ok(Redirect::to(&format!("/bousai/alerts/{id}?saved=1#answer")).into_response())
}

/// An alert in the Atom feed.
struct Entry {
    r: AlertRow,
    updated: String,
}

#[derive(Template)]
#[template(path = "bousai_feed.xml")]
struct Feed {
    base: String,
    city: String,
    updated: String,
    entries: Vec<Entry>,
}

/// `GET /bousai/alerts.atom`: the alerts as an Atom feed (in Japanese).
pub async fn feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let alerts = state.bousai.public_alerts(50).await?;
    let entries: Vec<Entry> = alerts
        .iter()
        .map(|a| Entry {
            r: row(a, Language::Ja),
            updated: a.cancelled_at.unwrap_or_else(|| shown_at(a)).to_string(),
        })
        .collect();
    let feed = Feed {
        base: state.accounts.base_url().to_owned(),
        city: state.accounts.city().to_owned(),
        updated: entries
            .iter()
            .map(|e| e.updated.clone())
            .max()
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned()),
        entries,
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.render()?,
    )
        .into_response())
}

/// `GET /bousai/alerts/{id}/cap.xml`: the alert as OASIS CAP 1.2.
pub async fn cap(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let bousai = &state.bousai;
    let alert = bousai.public_alert(id).await?.ok_or(AppError::NotFound)?;
    let areas = bousai
        .areas()
        .await
        .map_err(|error| AppError::Internal(error.to_string()))?;
    let draft = draft_of(&alert)?;
    let composed = ComposedAlert {
        kind: alert.kind.clone(),
        texts: alert
            .texts
            .iter()
            .filter_map(|(code, title, body)| {
                Some((
                    Language::parse(code)?,
                    crate::alerts::AlertText {
                        title: title.clone(),
                        body: body.clone(),
                    },
                ))
            })
            .collect(),
    };
    let sender = format!("bousai@{}", host(state.accounts.base_url()));
    let references = match alert.refers_to {
        Some(earlier) => bousai.public_alert(earlier).await?.map(|e| {
            format!(
                "{sender},{},{}",
                e.alert_id,
                crate::alerts::cap::date_time(shown_at(&e))
            )
        }),
        None => None,
    };
    let envelope = CapEnvelope {
        identifier: alert.alert_id.to_string(),
        sender,
        sender_name: state.accounts.city().to_owned(),
        sent: shown_at(&alert),
        status: crate::alerts::cap::Status::Actual,
        msg_type: match alert.msg_type {
            AlertMsgType::Alert => MsgType::Alert,
            AlertMsgType::Update => MsgType::Update,
            AlertMsgType::Cancel => MsgType::Cancel,
        },
        references,
    };
    let xml = CapAlert::from_alert(&envelope, &draft, &composed, bousai.catalog(), &areas).to_xml();
    Ok((
        [(header::CONTENT_TYPE, "application/cap+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// The host of a base URL (`https://portal.city.jp` → `portal.city.jp`).
fn host(base: &str) -> &str {
    let rest = base.split_once("://").map_or(base, |(_, rest)| rest);
    rest.split(['/', ':']).next().unwrap_or(rest)
}
