//! 母子健康手帳の交付・赤ちゃん訪問の予約 for citizens: the two services, her bookings (変更,
//! 取消), a service's open slots by day, and booking a slot with the online 問診 — a refused
//! form shows each question's error and keeps every answer.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::kenko_form::{Field, fields, raw_answers};
use super::{Base, auth::CsrfOnly, invalid, ok};
use crate::{
    health::{BookedSlot, BookingId, RawAnswers, Service, SlotId},
    i18n::Lang,
    kenko::{KenkoError, OpenSlot},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// A slot as a row.
pub struct SlotRow {
    id: String,
    when: String,
    place: String,
    left: u16,
    open: bool,
}

fn slot_row(open: &OpenSlot, lang: Lang) -> SlotRow {
    SlotRow {
        id: open.slot.slot_id.to_string(),
        when: open.slot.when_ja(),
        place: open.slot.place.label(lang).to_owned(),
        left: open.left,
        open: open.open && open.left > 0,
    }
}

/// A booking as a row.
pub struct BookingRow {
    id: String,
    service: &'static str,
    when: String,
    place: String,
    cancelled: bool,
    upcoming: bool,
}

fn booking_row(booked: &BookedSlot, now: jiff::Timestamp, lang: Lang) -> BookingRow {
    BookingRow {
        id: booked.booking.booking_id.to_string(),
        service: booked.slot.service.name(lang),
        when: booked.slot.when_ja(),
        place: booked.slot.place.label(lang).to_owned(),
        cancelled: booked.booking.cancelled_at.is_some(),
        upcoming: booked.holds(now) && now < booked.slot.starts_at,
    }
}

#[derive(Template)]
#[template(path = "kenko.html")]
struct MenuPage {
    b: Base,
    services: Vec<(&'static str, &'static str)>,
    bookings: Vec<BookingRow>,
    notice: Option<&'static str>,
    error: Option<String>,
}

/// After an action: `?done=booked|changed|cancelled`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: Option<String>,
}

/// `GET /kosodate/yoyaku`.
pub async fn menu(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    ok(&menu_page(&state, &ctx, done).await?)
}

/// A change or cancel refused: the menu again, with the reason.
async fn refused(state: &AppState, ctx: &Ctx, error: KenkoError) -> Result<Response, AppError> {
    let KenkoError::Booking(refusal) = error else {
        return Err(error.into());
    };
    let mut page = menu_page(state, ctx, Done::default()).await?;
    page.error = Some(refusal.message(ctx.lang));
    invalid(&page)
}

async fn menu_page(state: &AppState, ctx: &Ctx, done: Done) -> Result<MenuPage, AppError> {
    let user = ctx.require_user()?;
    let now = state.kenko.now();
    let bookings = state.kenko.my_bookings(user.account_id).await?;
    Ok(MenuPage {
        b: Base::new(ctx, state.accounts.city(), "page.kenko.title"),
        services: Service::ALL
            .iter()
            .map(|s| (s.as_str(), s.name(ctx.lang)))
            .collect(),
        bookings: bookings
            .iter()
            .map(|b| booking_row(b, now, ctx.lang))
            .collect(),
        notice: match done.done.as_deref() {
            Some("booked") => Some("page.kenko.booked"),
            Some("changed") => Some("page.kenko.changed"),
            Some("cancelled") => Some("page.kenko.cancelled"),
            _ => None,
        },
        error: None,
    })
}

#[derive(Template)]
#[template(path = "kenko_slots.html")]
struct SlotsPage {
    b: Base,
    slots: Vec<SlotRow>,
    action: String,
    csrf_form: bool,
}

fn service(raw: &str) -> Result<Service, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// `GET /kosodate/yoyaku/{service}`: the service's slots by day.
pub async fn slots(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    ctx.require_user()?;
    let service = service(&raw)?;
    let slots = state.kenko.open_slots(service).await?;
    let mut b = Base::new(&ctx, state.accounts.city(), "page.kenko.title");
    b.title = service.name(ctx.lang).to_owned();
    ok(&SlotsPage {
        b,
        slots: slots.iter().map(|s| slot_row(s, ctx.lang)).collect(),
        action: String::new(),
        csrf_form: false,
    })
}

#[derive(Template)]
#[template(path = "kenko_book.html")]
struct BookPage {
    b: Base,
    slot: SlotRow,
    title: String,
    intro: String,
    fields: Vec<Field>,
    error: Option<String>,
}

async fn book_page(
    state: &AppState,
    ctx: &Ctx,
    slot_id: SlotId,
    raw: &RawAnswers,
    errors: Option<&crate::health::AnswerErrors>,
) -> Result<BookPage, AppError> {
    let open = state.kenko.slot(slot_id).await?;
    let questionnaire = state.kenko.questionnaire(open.slot.service);
    let mut b = Base::new(ctx, state.accounts.city(), "page.kenko.title");
    b.title = format!(
        "{}{}",
        open.slot.service.name(ctx.lang),
        b.t("page.kenko.book_suffix")
    );
    Ok(BookPage {
        b,
        slot: slot_row(&open, ctx.lang),
        title: questionnaire.title.get(ctx.lang).to_owned(),
        intro: questionnaire
            .intro
            .as_ref()
            .map(|i| i.get(ctx.lang).to_owned())
            .unwrap_or_default(),
        fields: fields(questionnaire, raw, errors, ctx.lang),
        error: None,
    })
}

fn slot_id(raw: &str) -> Result<SlotId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// `GET /kosodate/yoyaku/slots/{slot_id}`: the slot and its 問診.
pub async fn book_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    ctx.require_user()?;
    ok(&book_page(&state, &ctx, slot_id(&raw)?, &RawAnswers::new(), None).await?)
}

/// `POST /kosodate/yoyaku/slots/{slot_id}`: books it with the answers.
pub async fn book(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let csrf = pairs
        .iter()
        .find(|(name, _)| name == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    ctx.check_csrf(csrf)?;
    let user = ctx.require_user()?;
    let slot = slot_id(&raw)?;
    let answers = raw_answers(&pairs);
    match state.kenko.book(user.account_id, slot, &answers).await {
        Ok(_) => Ok(Redirect::to("/kosodate/yoyaku?done=booked").into_response()),
        Err(KenkoError::Answers(errors)) => {
            let mut page = book_page(&state, &ctx, slot, &answers, Some(&errors)).await?;
            page.error = Some(page.b.t("page.kenko.fix_answers").to_owned());
            invalid(&page)
        }
        Err(KenkoError::Booking(refused)) => {
            let mut page = book_page(&state, &ctx, slot, &answers, None).await?;
            page.error = Some(refused.message(ctx.lang));
            invalid(&page)
        }
        Err(error) => Err(error.into()),
    }
}

fn booking_id(raw: &str) -> Result<BookingId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// `GET /kosodate/yoyaku/bookings/{id}/change`: the other slots of the same service.
pub async fn change_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let id = booking_id(&raw)?;
    let mine = state.kenko.my_bookings(user.account_id).await?;
    let current = mine
        .iter()
        .find(|b| b.booking.booking_id == id)
        .ok_or(AppError::NotFound)?;
    let slots = state.kenko.open_slots(current.slot.service).await?;
    let mut b = Base::new(&ctx, state.accounts.city(), "page.kenko.change_title");
    b.title = format!("{}（{}）", b.title, current.slot.when_ja());
    ok(&SlotsPage {
        b,
        slots: slots
            .iter()
            .filter(|s| s.slot.slot_id != current.slot.slot_id)
            .map(|s| slot_row(s, ctx.lang))
            .collect(),
        action: format!("/kosodate/yoyaku/bookings/{id}/change"),
        csrf_form: true,
    })
}

/// The slot to move to.
#[derive(Deserialize)]
pub struct ChangeForm {
    csrf: String,
    slot: String,
}

/// `POST /kosodate/yoyaku/bookings/{id}/change`.
pub async fn change(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    match state
        .kenko
        .change(user.account_id, booking_id(&raw)?, slot_id(&form.slot)?)
        .await
    {
        Ok(()) => Ok(Redirect::to("/kosodate/yoyaku?done=changed").into_response()),
        Err(error) => refused(&state, &ctx, error).await,
    }
}

/// `POST /kosodate/yoyaku/bookings/{id}/cancel`.
pub async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    match state.kenko.cancel(user.account_id, booking_id(&raw)?).await {
        Ok(()) => Ok(Redirect::to("/kosodate/yoyaku?done=cancelled").into_response()),
        Err(error) => refused(&state, &ctx, error).await,
    }
}
