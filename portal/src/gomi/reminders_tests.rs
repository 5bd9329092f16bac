//! When reminder slots are due: from their send time until the garbage must be out.

#![allow(clippy::unwrap_used)]

use jiff::civil::{date, time};

use super::*;

const EIGHT: Time = Time::constant(8, 0, 0, 0);

fn at(day: i8, hour: i8, minute: i8) -> DateTime {
    date(2026, 12, day).to_datetime(time(hour, minute, 0, 0))
}

fn slot(day: i8, remind: Remind, hour: u8) -> Slot {
    Slot {
        date: date(2026, 12, day),
        remind,
        hour,
    }
}

#[test]
fn the_evening_reminder_is_due_from_its_hour_until_the_garbage_must_be_out() {
    let chosen = [(Remind::Evening, 18)];
    assert!(due_slots(at(3, 17, 59), EIGHT, &chosen).is_empty());
    assert_eq!(
        due_slots(at(3, 18, 0), EIGHT, &chosen),
        [slot(4, Remind::Evening, 18)]
    );
    // The portal was down all night: caught up in the morning, while still useful.
    assert_eq!(
        due_slots(at(4, 7, 59), EIGHT, &chosen),
        [slot(4, Remind::Evening, 18)]
    );
    assert!(due_slots(at(4, 8, 0), EIGHT, &chosen).is_empty());
}

#[test]
fn the_morning_reminder_is_due_on_the_day_and_never_after_the_deadline() {
    let chosen = [(Remind::Morning, 6), (Remind::Morning, 9), (Remind::Off, 6)];
    assert!(due_slots(at(4, 5, 59), EIGHT, &chosen).is_empty());
    assert_eq!(
        due_slots(at(4, 6, 30), EIGHT, &chosen),
        [slot(4, Remind::Morning, 6)]
    );
    assert!(due_slots(at(4, 9, 0), EIGHT, &chosen).is_empty());
}

#[test]
fn at_every_minute_of_two_days_a_slot_is_due_exactly_between_send_and_deadline() {
    let chosen: Vec<(Remind, u8)> = (0..24)
        .flat_map(|h| [(Remind::Evening, h), (Remind::Morning, h)])
        .collect();
    let mut now = at(3, 0, 0);
    while now < at(5, 0, 0) {
        let due = due_slots(now, EIGHT, &chosen);
        for day in [now.date(), now.date().tomorrow().unwrap()] {
            for &(remind, hour) in &chosen {
                let send = match remind {
                    Remind::Evening => day.yesterday().unwrap(),
                    _ => day,
                }
                .to_datetime(time(hour as i8, 0, 0, 0));
                let expected = send <= now && now < day.to_datetime(EIGHT);
                let found = due.contains(&Slot {
                    date: day,
                    remind,
                    hour,
                });
                assert_eq!(found, expected, "{now} {day} {remind:?} {hour}");
            }
        }
        now = now.checked_add(jiff::Span::new().minutes(7)).unwrap();
    }
}

#[test]
fn dates_read_as_citizens_say_them() {
    assert_eq!(date_words(date(2026, 12, 4)), "12月4日(金)");
    assert_eq!(date_words(date(2027, 1, 3)), "1月3日(日)");
}
