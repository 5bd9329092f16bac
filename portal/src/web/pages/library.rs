//! (5) 図書館利用カードの登録/表示, as the city's guide describes it: トップ →「図書館利用カードの
//! 登録/表示」shows the card's barcode to present at the counter (also the LINE menu's
//! 「デジタル図書館利用カード」link), and「図書館利用カード設定」registers the number (twice) and a
//! photo of the card.

use askama::Template;
use axum::{
    extract::{FromRequest, Multipart, Query, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::Form;

use super::{Base, Saved, auth::CsrfOnly, invalid, ok};
use crate::{
    domain::{card_photo, validation::FieldErrors},
    library::{CardInput, LibraryError},
    web::{AppState, ctx::Ctx, error::AppError},
};

/// The largest request the card form accepts: the largest photo and room for the fields.
pub const CARD_BODY_LIMIT: usize = card_photo::MAX_BYTES + 64 * 1024;

/// One loan as listed.
struct LoanRow {
    title: String,
    item_id: String,
    due_date: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "library_card.html")]
struct CardPage {
    b: Base,
    library: String,
    /// The barcode (SVG) and the number as printed under it, when a card is registered.
    card: Option<(String, String)>,
    /// The card as a signed QR code (SVG), for kiosks that read QR codes.
    qr: String,
    loans: Vec<LoanRow>,
    saved: bool,
}

/// The number in groups of four, as a card prints it (`2100 0000 0001 6`).
fn grouped(number: &str) -> String {
    let digits: Vec<char> = number.chars().collect();
    digits
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `GET /library`: 図書館利用カードの表示 (or the way to register one).
pub async fn card(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let settings = state.library.settings();
    let card = state.library.card(user).await?;
    let loans = match &card {
        Some(card) => state.library.loans(card).await?,
        None => Vec::new(),
    };
    let (card, qr) = match &card {
        Some(card) => {
            let svg = settings
                .barcode
                .svg(&card.number, &settings.card, 48)
                .map_err(|error| AppError::Internal(format!("barcode: {error}")))?;
            // The QR version is signed, so a counter kiosk knows the portal issued it.
            let text = state.checkin.issue_card_pass(&card.number).await?;
            (
                Some((svg, grouped(&card.number))),
                super::pass::qr_svg(&text)?,
            )
        }
        None => (None, String::new()),
    };
    let today = state.family.today();
    let loans = loans
        .into_iter()
        .map(|loan| LoanRow {
            title: loan.title,
            item_id: loan.item_id,
            due_date: loan.due_date.to_string(),
            overdue: loan.due_date < today,
        })
        .collect();
    let page = CardPage {
        b: Base::new(&ctx, state.accounts.city(), "page.library.title"),
        library: settings.name.clone(),
        card,
        qr,
        loans,
        saved: saved.is_set(),
    };
    let mut response = ok(&page)?;
    // The service worker keeps its own copy for offline use; the browser's HTTP cache must
    // not keep one that outlives a logout.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "library_settings.html")]
struct SettingsPage {
    b: Base,
    number: String,
    number_again: String,
    rule_hint: String,
    has_card: bool,
    has_photo: bool,
    photo_hint: String,
    errors: FieldErrors,
}

impl SettingsPage {
    async fn new(
        ctx: &Ctx,
        state: &AppState,
        input: (String, String),
        errors: FieldErrors,
    ) -> Result<Self, AppError> {
        let user = ctx.require_user()?;
        let card = state.library.card(user).await?;
        let rules = &state.library.settings().card;
        let digits = if rules.min_len == rules.max_len {
            rules.min_len.to_string()
        } else {
            format!("{}〜{}", rules.min_len, rules.max_len)
        };
        let b = Base::new(ctx, state.accounts.city(), "page.library.settings_title");
        let rule_hint = b.t("page.library.number_hint").replace("{digits}", &digits);
        Ok(Self {
            number: input.0,
            number_again: input.1,
            rule_hint,
            has_card: card.is_some(),
            has_photo: card.as_ref().is_some_and(|card| card.photo.is_some()),
            photo_hint: b
                .t("form.card_photo_hint")
                .replace("{mb}", &(card_photo::MAX_BYTES / 1024 / 1024).to_string()),
            errors,
            b,
        })
    }
}

/// `GET /library/settings`: 図書館利用カード設定.
pub async fn settings_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    let number = state
        .library
        .card(user)
        .await?
        .map(|card| card.number)
        .unwrap_or_default();
    let page = SettingsPage::new(
        &ctx,
        &state,
        (number.clone(), number),
        FieldErrors::default(),
    );
    ok(&page.await?)
}

/// `POST /library/settings` (multipart: `csrf`, `number`, `number_again`, `photo`).
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    request: Request,
) -> Result<Response, AppError> {
    let (csrf, input) = read_card_form(request).await?;
    ctx.check_csrf(&csrf)?;
    let user = ctx.require_user()?;
    let typed = (input.number.clone(), input.number_again.clone());
    match state.library.save_card(user, input).await {
        Ok(()) => Ok(Redirect::to("/library?saved=1").into_response()),
        Err(LibraryError::Invalid(errors)) => {
            invalid(&SettingsPage::new(&ctx, &state, typed, errors).await?)
        }
        Err(other) => Err(other.into()),
    }
}

/// The card form's fields and its file (an empty file input is no file).
async fn read_card_form(request: Request) -> Result<(String, CardInput), AppError> {
    let malformed = |error: axum::extract::multipart::MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::BadRequest("error.photo_too_large")
        } else {
            AppError::BadRequest("error.malformed")
        }
    };
    let mut parts = Multipart::from_request(request, &())
        .await
        .map_err(|_| AppError::BadRequest("error.malformed"))?;
    let (mut csrf, mut input) = (String::new(), CardInput::default());
    while let Some(field) = parts.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photo" {
            let bytes = field.bytes().await.map_err(malformed)?;
            if !bytes.is_empty() {
                input.photo = Some(bytes.to_vec());
            }
            continue;
        }
        let text = field.text().await.map_err(malformed)?;
        match name.as_str() {
            "csrf" => csrf = text,
            "number" => input.number = text,
            "number_again" => input.number_again = text,
            _ => {}
        }
    }
    Ok((csrf, input))
}

/// `POST /library/delete`: removes the card and its photo.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form.csrf)?;
    let user = ctx.require_user()?;
    state.library.delete_card(user).await?;
    Ok(Redirect::to("/library?saved=1").into_response())
}

/// `GET /library/photo.jpg`: the citizen's own card photo.
pub async fn photo(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require_user()?;
    Ok(jpeg(state.library.own_photo(user).await?))
}

/// A private JPEG response.
pub(super) fn jpeg(bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        bytes,
    )
        .into_response()
}
