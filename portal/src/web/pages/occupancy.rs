//! 子育て支援センターの混雑状況 (public): a list of every center and a page per center, both
//! updated live in the browser from a Server-Sent Events stream (`/static/occupancy.js`).

use std::{convert::Infallible, time::Duration};

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{
        Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use futures_util::{Stream, StreamExt, stream};
use shimin_sync::ids::CenterId;
use tokio_stream::wrappers::{BroadcastStream, errors::BroadcastStreamRecvError};

use super::{Base, ok};
use crate::web::{AppState, api::centers::CenterOccupancy, ctx::Ctx, error::AppError};

#[derive(Template)]
#[template(path = "occupancy_list.html")]
struct ListPage {
    b: Base,
    centers: Vec<CenterOccupancy>,
}

/// `GET /kosodate/centers`.
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let centers = state
        .checkin
        .occupancies()
        .await?
        .iter()
        .map(|(center, occupancy)| CenterOccupancy::of(center, occupancy, ctx.lang))
        .collect();
    ok(&ListPage {
        b: Base::new(&ctx, state.accounts.city(), "page.occupancy.title"),
        centers,
    })
}

#[derive(Template)]
#[template(path = "occupancy_center.html")]
struct CenterPage {
    b: Base,
    center: CenterOccupancy,
}

/// `GET /kosodate/centers/{center_id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(center_id): Path<String>,
) -> Result<Response, AppError> {
    let center_id = CenterId::new(center_id).map_err(|_| AppError::NotFound)?;
    let (center, occupancy) = state
        .checkin
        .occupancy(&center_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let center = CenterOccupancy::of(&center, &occupancy, ctx.lang);
    let mut b = Base::new(&ctx, state.accounts.city(), "page.occupancy.title");
    b.title = center.name.clone();
    ok(&CenterPage { b, center })
}

fn event(view: &CenterOccupancy) -> Option<Event> {
    Event::default().event("occupancy").json_data(view).ok()
}

/// `GET /kosodate/centers/events`: every center's occupancy now, then each change as it
/// happens (`event: occupancy`, data: a [`CenterOccupancy`]). A client that falls behind gets
/// everything again rather than a gap.
pub async fn events(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    // Subscribe before reading the current state, so no change falls between the two.
    let changes = BroadcastStream::new(state.checkin.subscribe());
    let now = state.checkin.occupancies().await?;
    let lang = ctx.lang;
    let first: Vec<Result<Event, Infallible>> = now
        .iter()
        .filter_map(|(center, occupancy)| event(&CenterOccupancy::of(center, occupancy, lang)))
        .map(Ok)
        .collect();
    let checkin = state.checkin.clone();
    let live = changes.then(move |change| {
        let checkin = checkin.clone();
        async move {
            let events: Vec<Result<Event, Infallible>> = match change {
                Ok(change) => event(&CenterOccupancy::of(&change.0, &change.1, lang))
                    .into_iter()
                    .map(Ok)
                    .collect(),
                // Missed some: send every center again.
                Err(BroadcastStreamRecvError::Lagged(_)) => checkin
                    .occupancies()
                    .await
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|(center, occupancy)| {
                        event(&CenterOccupancy::of(center, occupancy, lang))
                    })
                    .map(Ok)
                    .collect(),
            };
            stream::iter(events)
        }
    });
    let stream = stream::iter(first).chain(live.flatten());
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
