#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::date;

use super::*;

fn account() -> AccountId {
    "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".parse().unwrap()
}

#[test]
fn a_corrected_due_date_keeps_its_pregnancy_and_a_later_one_is_new() {
    let first = pregnancy_key(account(), date(2025, 8, 23), None);
    assert_eq!(first, format!("{}:2025-08-23", account()));
    // Corrected by two weeks, either way: the same pregnancy.
    let known = Some((first.as_str(), date(2025, 8, 23)));
    assert_eq!(pregnancy_key(account(), date(2025, 9, 6), known), first);
    assert_eq!(pregnancy_key(account(), date(2025, 8, 9), known), first);
    // Eight weeks is still a correction; the next pregnancy a year later is not.
    assert_eq!(pregnancy_key(account(), date(2025, 10, 18), known), first);
    assert_eq!(
        pregnancy_key(account(), date(2026, 9, 1), known),
        format!("{}:2026-09-01", account())
    );
}

#[test]
fn the_source_of_a_message_is_the_same_for_its_key_and_differs_for_another() {
    let key = "child:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:kenshin-4m";
    assert_eq!(source_id(key), source_id(key));
    assert_ne!(source_id(key), source_id("child:x:kenshin-4m"));
    assert_eq!(source_id(key).get_version_num(), 8);
}
