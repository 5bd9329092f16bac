//! 子育てイベントカレンダー for everyone: the month as a calendar (or a list of what is coming),
//! for a signed-in parent only the events her children's ages (and her 出産予定日) suit if she
//! asks; and the iCalendar feed. One event's page is in [`super::kosodate_event`].

use askama::Template;
use axum::{
    extract::{Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use jiff::{ToSpan, civil::Date};
use serde::Deserialize;

use super::{Base, kosodate_events_view::EventRow, kosodate_events_view::app_error, ok};
use crate::{
    events::{Event, MonthView, for_family, upcoming},
    store::StoredEvent,
    web::{AppState, ctx::Ctx, error::AppError},
};

/// What the calendar is asked to show.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CalendarQuery {
    /// The month, `YYYY-MM`; this month when absent.
    month: String,
    /// `list` for the list of what is coming; the month grid otherwise.
    view: String,
    /// `1`: only the events that suit the signed-in parent's children.
    fit: String,
}

/// One day of the grid.
struct DayCell {
    day: i8,
    today: bool,
    events: Vec<EventRow>,
}

#[derive(Template)]
#[template(path = "kosodate_events.html")]
struct CalendarPage {
    b: Base,
    list: bool,
    fit: bool,
    signed_in: bool,
    no_family: bool,
    month: String,
    month_title: String,
    prev_month: String,
    next_month: String,
    weeks: Vec<Vec<Option<DayCell>>>,
    rows: Vec<EventRow>,
}

/// The first day of `YYYY-MM`, or of `today`'s month.
fn month_start(text: &str, today: Date) -> Date {
    text.split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i16>().ok()?, m.parse::<i8>().ok()?)))
        .and_then(|(y, m)| Date::new(y, m, 1).ok())
        .unwrap_or_else(|| today.first_of_month())
}

fn month_param(date: Option<Date>) -> String {
    date.map(|d| d.strftime("%Y-%m").to_string())
        .unwrap_or_default()
}

/// `GET /kosodate/events`.
pub async fn calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(asked): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    let service = &state.kosodate_events;
    let today = service.today();
    let first = month_start(&asked.month, today);
    let list = asked.view == "list";
    let fit = asked.fit == "1" && ctx.user.is_some();
    let stored = if list {
        service.between(today, None).await
    } else {
        service.between(first, Some(first.last_of_month())).await
    }
    .map_err(app_error)?;
    let mut no_family = false;
    let stored = match (&ctx.user, fit) {
        (Some(user), true) => {
            let births: Vec<Date> = state
                .family
                .children(user)
                .await?
                .iter()
                .map(|child| child.details.birth_date)
                .collect();
            let due = state.family.due_date(user).await?;
            no_family = births.is_empty() && due.is_none();
            suiting(stored, &births, due, today)
        }
        _ => stored,
    };
    let lang = ctx.lang;
    let events: Vec<Event> = stored.iter().map(|s| s.event.clone()).collect();
    let row_of = |event: &Event| {
        stored
            .iter()
            .find(|s| s.event.event_id == event.event_id)
            .map(|s| EventRow::new(s, lang))
    };
    let (weeks, rows) = if list {
        let rows = upcoming(&events, today)
            .into_iter()
            .filter_map(row_of)
            .collect();
        (Vec::new(), rows)
    } else {
        let view = MonthView::new(first, &events);
        let weeks = view
            .weeks
            .iter()
            .map(|week| {
                week.iter()
                    .map(|cell| {
                        cell.as_ref().map(|day| DayCell {
                            day: day.date.day(),
                            today: day.date == today,
                            events: day.events.iter().filter_map(|e| row_of(e)).collect(),
                        })
                    })
                    .collect()
            })
            .collect();
        (weeks, Vec::new())
    };
    ok(&CalendarPage {
        b: Base::new(&ctx, state.accounts.city(), "page.events.title"),
        list,
        fit,
        signed_in: ctx.user.is_some(),
        no_family,
        month: month_param(Some(first)),
        month_title: format!("{}年{}月", first.year(), first.month()),
        prev_month: month_param(first.checked_sub(1.month()).ok()),
        next_month: month_param(first.checked_add(1.month()).ok()),
        weeks,
        rows,
    })
}

/// The events of `stored` that suit a family with children born on `births` and a baby due
/// on `due` ([`for_family`]), keeping their order.
fn suiting(
    stored: Vec<StoredEvent>,
    births: &[Date],
    due: Option<Date>,
    today: Date,
) -> Vec<StoredEvent> {
    let events: Vec<Event> = stored.iter().map(|s| s.event.clone()).collect();
    let keep: Vec<String> = for_family(&events, births, due, today)
        .into_iter()
        .map(|event| event.event_id.0.clone())
        .collect();
    stored
        .into_iter()
        .filter(|s| keep.contains(&s.event.event_id.0))
        .collect()
}

/// `GET /kosodate/events.ics`: every event from today on, public, for a phone's calendar.
pub async fn ics(State(state): State<AppState>) -> Result<Response, AppError> {
    let body = state.kosodate_events.feed().await.map_err(app_error)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=900"),
        ],
        body,
    )
        .into_response())
}
