//! Staff's event form, checked: every problem is reported at once, each beside its field,
//! so the form can be shown again with all of them and nothing typed is lost.

use jiff::civil::{Date, DateTime, Time};

use super::ages::{MAX_AGE_MONTHS, MonthRange, TargetAges};
use super::draft_error::EventDraftError;
use super::model::{Application, Event, EventId, EventTime};

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// The longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// The longest place, in characters.
pub const MAX_PLACE_CHARS: usize = 100;
/// The longest "how to apply", in characters.
pub const MAX_HOW_CHARS: usize = 200;
/// The longest URL, in bytes.
pub const MAX_URL_CHARS: usize = 500;
/// The largest capacity: more than any hall in the city holds, so a bigger number is a typo.
pub const MAX_CAPACITY: u32 = 10_000;

/// The event form as typed: every field is text, empty when left blank. Dates are
/// `2026-12-05` (or `2026/12/05`), times `10:00`, moments `2026-12-01T09:00` (an HTML
/// `datetime-local`) or `2026-12-01 09:00`; all in Asia/Tokyo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventDraft {
    /// タイトル (required).
    pub title: String,
    /// 内容.
    pub description: String,
    /// 会場 (required).
    pub place: String,
    /// 終日: the times are ignored and the event lasts from the start date to the end date.
    pub all_day: bool,
    /// 開催日 (required).
    pub start_date: String,
    /// 開始時刻 (required unless all day).
    pub start_time: String,
    /// 終了日; blank: the start date. For a timed event it counts only with an end time.
    pub end_date: String,
    /// 終了時刻; blank: not announced.
    pub end_time: String,
    /// 対象年齢の下限, in months; blank with the upper one: any age.
    pub age_from_months: String,
    /// 対象年齢の上限, in months (3歳 is 47).
    pub age_to_months: String,
    /// 妊婦の方も対象.
    pub pregnant: bool,
    /// 定員; blank: no limit.
    pub capacity: String,
    /// `none` (申込不要), `portal` (申込が必要、ポータルから) or `other` (その他の方法).
    pub application: String,
    /// How to apply, for `other`.
    pub how: String,
    /// 受付開始, for `portal`; blank: at once.
    pub opens: String,
    /// 締切, for `portal`; blank: the start.
    pub closes: String,
    /// A page with more about the event.
    pub url: String,
}

/// Checks `draft` and makes it the event `event_id`, or says everything wrong with it.
pub fn check_event(event_id: EventId, draft: &EventDraft) -> Result<Event, Vec<EventDraftError>> {
    let mut errors = Vec::new();
    let title = text(
        &draft.title,
        MAX_TITLE_CHARS,
        &mut errors,
        EventDraftError::TitleMissing,
        EventDraftError::TitleTooLong,
    );
    let place = text(
        &draft.place,
        MAX_PLACE_CHARS,
        &mut errors,
        EventDraftError::PlaceMissing,
        EventDraftError::PlaceTooLong,
    );
    let description = draft.description.trim().to_owned();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.push(EventDraftError::DescriptionTooLong);
    }
    let time = event_time(draft, &mut errors);
    let ages = target_ages(draft, &mut errors);
    let capacity = match draft.capacity.trim() {
        "" => None,
        raw => match raw.parse::<u32>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
            _ => {
                errors.push(EventDraftError::BadCapacity);
                None
            }
        },
    };
    let application = application(draft, time, &mut errors);
    let url = match draft.url.trim() {
        "" => None,
        url if (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() <= MAX_URL_CHARS
            && !url.contains(char::is_whitespace) =>
        {
            Some(url.to_owned())
        }
        _ => {
            errors.push(EventDraftError::BadUrl);
            None
        }
    };
    match (time, application) {
        (Some(time), Some(application)) if errors.is_empty() => Ok(Event {
            event_id,
            title,
            description,
            place,
            time,
            ages,
            capacity,
            application,
            url,
        }),
        _ => Err(errors),
    }
}

fn text(
    raw: &str,
    max: usize,
    errors: &mut Vec<EventDraftError>,
    missing: EventDraftError,
    too_long: EventDraftError,
) -> String {
    let value = raw.trim();
    if value.is_empty() {
        errors.push(missing);
    } else if value.chars().count() > max {
        errors.push(too_long);
    }
    value.to_owned()
}

/// A blank field is `Ok(None)`; a malformed one is reported and `Err`.
fn parse<T>(
    raw: &str,
    field: &'static str,
    read: fn(&str) -> Option<T>,
    errors: &mut Vec<EventDraftError>,
) -> Result<Option<T>, ()> {
    match raw.trim() {
        "" => Ok(None),
        value => match read(value) {
            Some(parsed) => Ok(Some(parsed)),
            None => {
                errors.push(EventDraftError::Malformed(field));
                Err(())
            }
        },
    }
}

fn read_date(raw: &str) -> Option<Date> {
    raw.replace('/', "-").parse().ok()
}

fn read_time(raw: &str) -> Option<Time> {
    raw.parse().ok()
}

fn read_moment(raw: &str) -> Option<DateTime> {
    raw.replace('/', "-").replacen(' ', "T", 1).parse().ok()
}

fn event_time(draft: &EventDraft, errors: &mut Vec<EventDraftError>) -> Option<EventTime> {
    let start_date = parse(&draft.start_date, "start_date", read_date, errors).ok()?;
    let end_date = parse(&draft.end_date, "end_date", read_date, errors).ok()?;
    let Some(start_date) = start_date else {
        errors.push(EventDraftError::StartMissing);
        return None;
    };
    if draft.all_day {
        let last = end_date.unwrap_or(start_date);
        if last < start_date {
            errors.push(EventDraftError::EndBeforeStart);
            return None;
        }
        return Some(EventTime::AllDay {
            first: start_date,
            last,
        });
    }
    let start_time = parse(&draft.start_time, "start_time", read_time, errors).ok()?;
    let end_time = parse(&draft.end_time, "end_time", read_time, errors).ok()?;
    let Some(start_time) = start_time else {
        errors.push(EventDraftError::StartTimeMissing);
        return None;
    };
    let start = start_date.to_datetime(start_time);
    let end = end_time.map(|time| end_date.unwrap_or(start_date).to_datetime(time));
    if end.is_some_and(|end| end <= start) || end_date.is_some_and(|date| date < start_date) {
        errors.push(EventDraftError::EndBeforeStart);
        return None;
    }
    Some(EventTime::Timed { start, end })
}

fn target_ages(draft: &EventDraft, errors: &mut Vec<EventDraftError>) -> TargetAges {
    let months =
        |raw: &str, field: &'static str, errors: &mut Vec<EventDraftError>| match raw.trim() {
            "" => Ok(None),
            raw => match raw.parse::<u32>() {
                Ok(n) if n <= MAX_AGE_MONTHS => Ok(Some(n)),
                _ => {
                    errors.push(EventDraftError::BadAge(field));
                    Err(())
                }
            },
        };
    let from = months(&draft.age_from_months, "age_from_months", errors);
    let to = months(&draft.age_to_months, "age_to_months", errors);
    let months = match (from, to) {
        (Ok(Some(from)), Ok(Some(to))) if from > to => {
            errors.push(EventDraftError::AgesReversed);
            None
        }
        (Ok(Some(from)), Ok(Some(to))) => Some(MonthRange { from, to }),
        (Ok(Some(_)), Ok(None)) | (Ok(None), Ok(Some(_))) => {
            errors.push(EventDraftError::HalfAgeRange);
            None
        }
        _ => None,
    };
    TargetAges {
        months,
        pregnant: draft.pregnant,
    }
}

fn application(
    draft: &EventDraft,
    time: Option<EventTime>,
    errors: &mut Vec<EventDraftError>,
) -> Option<Application> {
    match draft.application.trim() {
        "" | "none" => Some(Application::None),
        "other" => {
            let how = draft.how.trim();
            if how.is_empty() {
                errors.push(EventDraftError::HowMissing);
            } else if how.chars().count() > MAX_HOW_CHARS {
                errors.push(EventDraftError::HowTooLong);
            }
            Some(Application::Other {
                how: how.to_owned(),
            })
        }
        "portal" => {
            let opens = parse(&draft.opens, "opens", read_moment, errors).ok()?;
            let closes = parse(&draft.closes, "closes", read_moment, errors).ok()?;
            if let (Some(opens), Some(closes)) = (opens, closes)
                && closes <= opens
            {
                errors.push(EventDraftError::WindowReversed);
            }
            let start = time.map(|time| time.start());
            if let (Some(closes), Some(start)) = (closes, start)
                && closes > start
            {
                errors.push(EventDraftError::ClosesAfterStart);
            }
            Some(Application::Portal { opens, closes })
        }
        _ => {
            errors.push(EventDraftError::BadApplication);
            None
        }
    }
}
