use super::*;
use crate::health::fixtures::{at, booked, booking, citizen, slot};
use crate::health::service::Service::{AkachanHoumon, BoshiTecho};
use crate::i18n::Lang;

fn policy() -> BookingPolicy {
    BookingPolicy::default()
}

fn tuesday(capacity: u16) -> Slot {
    slot(
        1,
        BoshiTecho,
        "2026-12-08T09:00",
        "2026-12-08T09:30",
        capacity,
    )
}

const MONDAY_MORNING: &str = "2026-12-07T08:00";

#[test]
fn a_slot_with_places_left_is_booked() {
    let slot = tuesday(2);
    let taken = [booking(1, &slot, citizen(1), "2026-12-01T10:00")];
    let now = at(MONDAY_MORNING);
    let new = decide_booking(&policy(), &slot, &taken, citizen(2), &[], now).unwrap();
    assert_eq!(
        new,
        NewBooking {
            slot_id: slot.slot_id,
            citizen_id: citizen(2),
            booked_at: now
        }
    );
    assert_eq!(places_left(&slot, &taken), 1);
}

#[test]
fn a_full_slot_is_refused_and_a_cancelled_booking_frees_its_place() {
    let slot = tuesday(1);
    let mut taken = [booking(1, &slot, citizen(1), "2026-12-01T10:00")];
    let now = at(MONDAY_MORNING);
    let refused = decide_booking(&policy(), &slot, &taken, citizen(2), &[], now).unwrap_err();
    assert_eq!(refused, BookingError::Full);
    assert_eq!(refused.code(), "booking_full");
    assert_eq!(
        refused.to_string(),
        "この枠は定員に達しました。別の日時を選んでください"
    );
    taken[0].cancelled_at = Some(at("2026-12-02T10:00"));
    assert!(decide_booking(&policy(), &slot, &taken, citizen(2), &[], now).is_ok());
}

#[test]
fn a_past_slot_and_one_closing_soon_are_refused() {
    let slot = tuesday(2);
    let started = decide_booking(
        &policy(),
        &slot,
        &[],
        citizen(1),
        &[],
        at("2026-12-08T09:00"),
    );
    assert_eq!(started.unwrap_err(), BookingError::Started);
    // Booking closes 24 hours before: Monday 09:00.
    let closed = decide_booking(
        &policy(),
        &slot,
        &[],
        citizen(1),
        &[],
        at("2026-12-07T09:00"),
    )
    .unwrap_err();
    assert_eq!(
        closed,
        BookingError::Closed {
            closes_at: at("2026-12-07T09:00")
        }
    );
    assert_eq!(
        closed.message(Lang::Ja),
        "この枠の予約受付は2026年12月7日 09:00に終了しました。別の日時を選ぶか、保健センターへお電話ください"
    );
    let same_day = BookingPolicy {
        closes_before: jiff::SignedDuration::from_hours(1),
        ..policy()
    };
    assert!(
        decide_booking(
            &same_day,
            &slot,
            &[],
            citizen(1),
            &[],
            at("2026-12-07T09:00")
        )
        .is_ok()
    );
}

#[test]
fn a_citizen_holding_a_booking_of_the_service_cannot_book_it_again() {
    let first = tuesday(5);
    let other = slot(2, BoshiTecho, "2026-12-10T10:00", "2026-12-10T10:30", 5);
    let held = booking(1, &first, citizen(1), "2026-12-01T10:00");
    let mine = [booked(&held, &first)];
    let now = at(MONDAY_MORNING);
    let twice = decide_booking(&policy(), &other, &[], citizen(1), &mine, now).unwrap_err();
    assert_eq!(twice.code(), "booking_already_booked");
    assert!(
        twice.message(Lang::Ja).contains("2026年12月8日 09:00"),
        "{twice}"
    );
    let again = decide_booking(
        &policy(),
        &first,
        std::slice::from_ref(&held),
        citizen(1),
        &mine,
        now,
    );
    assert_eq!(again.unwrap_err().code(), "booking_already_booked");
    // Another service is fine, and so is a booking that is over or cancelled.
    let visit = slot(3, AkachanHoumon, "2026-12-10T13:00", "2026-12-10T15:00", 1);
    assert!(decide_booking(&policy(), &visit, &[], citizen(1), &mine, now).is_ok());
    let later = at("2026-12-09T08:00");
    assert!(
        decide_booking(
            &policy(),
            &slot(4, BoshiTecho, "2026-12-11T09:00", "2026-12-11T09:30", 1),
            &[],
            citizen(1),
            &mine,
            later
        )
        .is_ok()
    );
    let mut cancelled = mine.clone();
    cancelled[0].booking.cancelled_at = Some(at("2026-12-02T00:00"));
    assert!(decide_booking(&policy(), &other, &[], citizen(1), &cancelled, now).is_ok());
}

#[test]
fn a_booking_moves_to_another_slot_of_its_service_with_the_same_checks() {
    let from = tuesday(1);
    let to = slot(2, BoshiTecho, "2026-12-10T10:00", "2026-12-10T10:30", 1);
    let mine = booking(1, &from, citizen(1), "2026-12-01T10:00");
    let current = booked(&mine, &from);
    let held = [current.clone()];
    let now = at(MONDAY_MORNING);
    let change = |to: &Slot, to_bookings: &[Booking], who, now| {
        decide_change(&policy(), &current, to, to_bookings, who, &held, now)
    };
    assert_eq!(change(&to, &[], citizen(1), now), Ok(()));
    let full = [booking(2, &to, citizen(2), "2026-12-01T11:00")];
    assert_eq!(change(&to, &full, citizen(1), now), Err(BookingError::Full));
    assert_eq!(
        change(&from, &[], citizen(1), now),
        Err(BookingError::SameSlot)
    );
    let visit = slot(3, AkachanHoumon, "2026-12-10T13:00", "2026-12-10T15:00", 1);
    assert_eq!(
        change(&visit, &[], citizen(1), now),
        Err(BookingError::OtherService)
    );
    assert_eq!(
        change(&to, &[], citizen(2), now),
        Err(BookingError::NotYours)
    );
    let soon = slot(4, BoshiTecho, "2026-12-07T15:00", "2026-12-07T15:30", 1);
    assert_eq!(
        change(&soon, &[], citizen(1), now).unwrap_err().code(),
        "booking_closed"
    );
    let started = at("2026-12-08T09:10");
    assert_eq!(
        change(&to, &[], citizen(1), started),
        Err(BookingError::TooLateToChange)
    );
}

#[test]
fn a_booking_can_be_cancelled_until_its_slot_starts() {
    let slot = tuesday(1);
    let mut mine = booked(&booking(1, &slot, citizen(1), "2026-12-01T10:00"), &slot);
    // After booking has closed, cancelling is still allowed.
    assert_eq!(
        decide_cancel(&mine, citizen(1), at("2026-12-08T08:59")),
        Ok(())
    );
    let late = decide_cancel(&mine, citizen(1), at("2026-12-08T09:00")).unwrap_err();
    assert_eq!(late, BookingError::TooLateToCancel);
    assert_eq!(
        late.message(Lang::En),
        "a booking cannot be cancelled once it has started; please call the health center"
    );
    assert_eq!(
        decide_cancel(&mine, citizen(2), at(MONDAY_MORNING)),
        Err(BookingError::NotYours)
    );
    mine.booking.cancelled_at = Some(at("2026-12-02T00:00"));
    assert_eq!(
        decide_cancel(&mine, citizen(1), at(MONDAY_MORNING)),
        Err(BookingError::Cancelled)
    );
}

#[test]
fn a_reminder_is_due_from_its_lead_until_the_start_and_keyed_by_slot() {
    let slot = tuesday(1);
    let mine = booked(&booking(1, &slot, citizen(1), "2026-12-01T10:00"), &slot);
    // 48 hours before: Sunday 09:00.
    assert_eq!(reminder_due(&policy(), &mine, at("2026-12-06T08:59")), None);
    let reminder = reminder_due(&policy(), &mine, at("2026-12-06T09:00")).unwrap();
    assert_eq!(reminder.citizen_id, citizen(1));
    assert_eq!(
        reminder.key,
        format!(
            "health-reminder:{}:{}",
            mine.booking.booking_id, slot.slot_id
        )
    );
    assert!(reminder_due(&policy(), &mine, at("2026-12-08T08:59")).is_some());
    assert_eq!(reminder_due(&policy(), &mine, at("2026-12-08T09:00")), None);
    // Booked after the reminder time: the confirmation was enough.
    let late = booked(&booking(2, &slot, citizen(2), "2026-12-06T12:00"), &slot);
    assert_eq!(reminder_due(&policy(), &late, at("2026-12-07T08:00")), None);
    let mut cancelled = mine.clone();
    cancelled.booking.cancelled_at = Some(at("2026-12-02T00:00"));
    assert_eq!(
        reminder_due(&policy(), &cancelled, at("2026-12-07T08:00")),
        None
    );
}

#[test]
fn every_refusal_has_a_distinct_code_and_both_languages() {
    let errors = [
        BookingError::Full,
        BookingError::Started,
        BookingError::Closed {
            closes_at: at(MONDAY_MORNING),
        },
        BookingError::AlreadyBooked {
            service: BoshiTecho,
            starts_at: at(MONDAY_MORNING),
        },
        BookingError::NotYours,
        BookingError::Cancelled,
        BookingError::OtherService,
        BookingError::SameSlot,
        BookingError::TooLateToChange,
        BookingError::TooLateToCancel,
    ];
    let codes: std::collections::HashSet<_> = errors.iter().map(BookingError::code).collect();
    assert_eq!(codes.len(), errors.len());
    for error in &errors {
        assert_ne!(error.message(Lang::Ja), error.message(Lang::En));
        assert_eq!(error.to_string(), error.message(Lang::Ja));
    }
}
