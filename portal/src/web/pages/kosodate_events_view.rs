//! What the event pages share: an event as a row of a list, the form's errors beside their
//! fields, and the service's errors as the web's.

use crate::{
    events::{Application, EventDraftError, EventId, EventTime},
    i18n::{Lang, t},
    kosodate_events::{EventsError, when_ja},
    store::StoredEvent,
    web::error::AppError,
};

/// An event as the lists and the calendar show it.
pub struct EventRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// "2026年12月5日(土) 10:00〜11:30".
    pub when: String,
    /// "10:00", or empty for an all-day event (the calendar's cells).
    pub start: String,
    /// Where.
    pub place: String,
    /// For whom: "0か月〜11か月", "妊婦の方", "どなたでも".
    pub ages: String,
    /// "申込不要", "要申込", "満員（キャンセル待ち）" …
    pub apply: String,
    /// Whether applying is through the portal and every place is taken.
    pub full: bool,
    /// Whether staff called it off.
    pub called_off: bool,
    /// "3 / 12" (confirmed / capacity) and the waiting count, for staff.
    pub counts: String,
}

impl EventRow {
    /// The row of `stored` in `lang`.
    pub fn new(stored: &StoredEvent, lang: Lang) -> Self {
        let event = &stored.event;
        let full = matches!(event.application, Application::Portal { .. })
            && stored.places_left() == Some(0);
        let apply = match &event.application {
            Application::None => t(lang, "page.events.apply_none"),
            Application::Other { .. } => t(lang, "page.events.apply_other"),
            Application::Portal { .. } if full => t(lang, "page.events.full"),
            Application::Portal { .. } => t(lang, "page.events.apply_portal"),
        };
        let counts = match event.capacity {
            Some(capacity) => format!("{} / {capacity}", stored.confirmed),
            None => stored.confirmed.to_string(),
        };
        let counts = if stored.waiting > 0 {
            format!("{counts} (+{})", stored.waiting)
        } else {
            counts
        };
        Self {
            id: event.event_id.to_string(),
            title: event.title.clone(),
            when: when_ja(&event.time),
            start: match event.time {
                EventTime::Timed { start, .. } => start.strftime("%-H:%M").to_string(),
                EventTime::AllDay { .. } => String::new(),
            },
            place: event.place.clone(),
            ages: event.ages.label_ja(),
            apply: apply.to_owned(),
            full,
            called_off: stored.cancelled_at.is_some(),
            counts,
        }
    }
}

/// The errors of a refused event form, by field, in the page's language.
#[derive(Default)]
pub struct DraftErrors(Vec<(&'static str, String)>);

impl DraftErrors {
    /// The errors of `errors` in `lang`.
    pub fn new(errors: &[EventDraftError], lang: Lang) -> Self {
        Self(
            errors
                .iter()
                .map(|error| (error.field(), error.message(lang)))
                .collect(),
        )
    }

    /// The messages beside `field` (empty when it has none).
    pub fn of(&self, field: &str) -> String {
        self.0
            .iter()
            .filter(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Whether the form had errors.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// An event id from the path.
pub fn event_id(raw: &str) -> Result<EventId, AppError> {
    if raw.is_empty()
        || raw.len() > 64
        || !raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::NotFound);
    }
    Ok(EventId(raw.to_owned()))
}

/// The web's error for a service error that is not shown on the page itself.
pub fn app_error(error: EventsError) -> AppError {
    match error {
        EventsError::NotFound => AppError::NotFound,
        EventsError::Forbidden => AppError::Forbidden,
        EventsError::Store(error) => AppError::Internal(error.to_string()),
        other => AppError::Internal(other.to_string()),
    }
}
