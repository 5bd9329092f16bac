//! ライフイベントの手続き: a few simple questions (what happened, household facts) and the
//! procedures they make needed — what, where, what to bring, by when. The answers live in the
//! page's address, so the result can be shared as a link, printed, or taken as plain text.

use askama::Template;
use axum::{
    extract::{Query, RawQuery, State},
    http::header,
    response::{IntoResponse, Response},
};
use jiff::civil::Date;

use super::{Base, ok};
use crate::{
    procedures::{Answers, Guide, QuestionKind, japanese_date, render_text},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A question as shown.
pub struct QuestionView {
    id: String,
    text: String,
    choices: Vec<(String, String, bool)>,
}

/// A procedure as shown.
pub struct ProcedureView {
    title: String,
    counter: String,
    bring: Vec<String>,
    deadline: String,
    note: String,
    url: String,
}

#[derive(Template)]
#[template(path = "tetsuzuki.html")]
struct FinderPage {
    b: Base,
    questions: Vec<QuestionView>,
    day: String,
    complete: bool,
    procedures: Vec<ProcedureView>,
    query: String,
    base: String,
}

fn answers_of(pairs: &[(String, String)]) -> Answers {
    Answers::from_pairs(
        pairs
            .iter()
            .filter(|(name, _)| name != "day")
            .map(|(name, value)| (name, value)),
    )
}

fn day_of(pairs: &[(String, String)]) -> Option<Date> {
    pairs
        .iter()
        .find(|(name, _)| name == "day")
        .and_then(|(_, value)| value.trim().replace('/', "-").parse().ok())
}

fn guide(state: &AppState) -> &Guide {
    state.procedures.as_ref()
}

/// `GET /kosodate/tetsuzuki?event=…&…&day=YYYY-MM-DD`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let guide = guide(&state);
    let answers = guide.effective(&answers_of(&pairs));
    let day = day_of(&pairs);
    let complete = !answers.is_empty() && guide.unanswered(&answers).is_empty();
    let questions = guide
        .shown(&answers)
        .into_iter()
        .map(|question| {
            let chosen = answers.get(&question.id);
            let choices = match question.kind {
                QuestionKind::YesNo => vec![("yes", "はい"), ("no", "いいえ")]
                    .into_iter()
                    .map(|(v, l)| (v.to_owned(), l.to_owned(), chosen == Some(v)))
                    .collect(),
                _ => question
                    .choices
                    .iter()
                    .map(|c| {
                        let on = chosen == Some(c.value.as_str());
                        (c.value.clone(), c.label.clone(), on)
                    })
                    .collect(),
            };
            QuestionView {
                id: question.id.clone(),
                text: question.text.clone(),
                choices,
            }
        })
        .collect();
    let procedures = if complete {
        guide
            .find(&answers)
            .into_iter()
            .map(|p| ProcedureView {
                title: p.title.clone(),
                counter: p.counter.clone(),
                bring: p.bring.clone(),
                deadline: match (p.deadline.as_deref(), day.and_then(|d| p.due_date(d))) {
                    (Some(text), Some(due)) => format!("{text}（{}まで）", japanese_date(due)),
                    (Some(text), None) => text.to_owned(),
                    (None, Some(due)) => format!("{}まで", japanese_date(due)),
                    (None, None) => String::new(),
                },
                note: p.note.clone().unwrap_or_default(),
                url: p.url.clone().unwrap_or_default(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut query: Vec<(String, String)> = answers
        .pairs()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    if let Some(day) = day {
        query.push(("day".to_owned(), day.to_string()));
    }
    ok(&FinderPage {
        b: Base::new(&ctx, state.accounts.city(), "page.tetsuzuki.title"),
        questions,
        day: day.map(|d| d.to_string()).unwrap_or_default(),
        complete,
        procedures,
        base: state.accounts.base_url().trim_end_matches('/').to_owned(),
        query: url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish(),
    })
}

/// `GET /kosodate/tetsuzuki.txt?…`: the result as plain text, to print or send.
pub async fn text(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let guide = guide(&state);
    let answers = guide.effective(&answers_of(&pairs));
    if answers.is_empty() || !guide.unanswered(&answers).is_empty() {
        return Err(AppError::NotFound);
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        render_text(guide, &answers, day_of(&pairs)),
    )
        .into_response())
}
