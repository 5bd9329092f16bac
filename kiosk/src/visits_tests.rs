use super::*;

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn child(n: u16) -> ChildNo {
    ChildNo::new(n).unwrap()
}

fn visit(at: &str, guardian: u128, children: &[u16], names: &[&str]) -> Visit {
    Visit {
        event_id: EventId::new_v7(ts(at)),
        at: ts(at),
        kind: EventKind::CheckIn,
        guardian: GuardianId(uuid::Uuid::from_u128(guardian)),
        children: children.iter().map(|n| child(*n)).collect(),
        names: names.iter().map(|n| (*n).to_owned()).collect(),
        manual: false,
    }
}

#[test]
fn names_follow_their_children_when_only_some_are_chosen() {
    let all = [child(1), child(2), child(3)];
    let names = ["はると".to_owned(), "ゆい".to_owned(), "そら".to_owned()];
    assert_eq!(
        names_of(&all, &names, &[child(3), child(1)]),
        ["そら", "はると"]
    );
    // A child the pass does not name, or a pass without names: no names at all.
    assert!(names_of(&all, &names, &[child(4)]).is_empty());
    assert!(names_of(&all, &[], &[child(1)]).is_empty());
}

#[test]
fn the_latest_names_seen_are_used_and_unknown_children_give_none() {
    let visits = [
        visit("2026-04-01T01:00:00Z", 7, &[1, 2], &["はると", "ゆい"]),
        visit("2026-04-01T02:00:00Z", 7, &[1], &["ハルト"]),
        visit("2026-04-01T02:30:00Z", 8, &[1], &[]),
    ];
    let names = Names::from_visits(&visits);
    let g7 = GuardianId(uuid::Uuid::from_u128(7));
    assert_eq!(names.of(g7, &[child(1), child(2)]), ["ハルト", "ゆい"]);
    assert!(names.of(g7, &[child(1), child(3)]).is_empty());
    assert!(
        names
            .of(GuardianId(uuid::Uuid::from_u128(8)), &[child(1)])
            .is_empty()
    );
}

#[test]
fn today_is_the_local_day_newest_first() {
    let tokyo = TimeZone::get("Asia/Tokyo").unwrap();
    let visits = [
        // 2026-04-01 08:59 JST is the day before in UTC, but today in Tokyo.
        visit("2026-03-31T23:59:00Z", 1, &[1], &[]),
        visit("2026-04-01T05:00:00Z", 2, &[1], &[]),
        // 2026-03-31 23:00 JST: yesterday.
        visit("2026-03-31T14:00:00Z", 3, &[1], &[]),
        // 2026-04-02 00:30 JST: tomorrow.
        visit("2026-04-01T15:30:00Z", 4, &[1], &[]),
    ];
    let list = today(&visits, ts("2026-04-01T06:00:00Z"), &tokyo);
    let at: Vec<Timestamp> = list.iter().map(|v| v.at).collect();
    assert_eq!(at, [ts("2026-04-01T05:00:00Z"), ts("2026-03-31T23:59:00Z")]);
}

#[test]
fn a_visit_drops_names_that_do_not_match_its_children() {
    let mut event = shimin_sync::messages::KioskEvent {
        v: shimin_sync::messages::V1,
        event_id: EventId::new_v7(ts("2026-04-01T01:00:00Z")),
        kiosk_id: "chuo-1".parse().unwrap(),
        center_id: "chuo".parse().unwrap(),
        kind: EventKind::CheckOut,
        guardian_id: GuardianId(uuid::Uuid::from_u128(1)),
        children: vec![child(1), child(2)],
        pass_nonce: None,
        occurred_at: ts("2026-04-01T01:00:00Z"),
        manual: true,
        staff_note: None,
    };
    assert!(Visit::of(&event, vec!["はると".into()]).names.is_empty());
    event.children.pop();
    let visit = Visit::of(&event, vec!["はると".into()]);
    assert_eq!(visit.names, ["はると"]);
    assert!(visit.manual);
    assert_eq!(visit.kind, EventKind::CheckOut);
}

#[test]
fn families_who_left_today_are_offered_for_a_check_in_by_hand() {
    let mut out = visit("2026-04-01T03:00:00Z", 1, &[2], &[]);
    out.kind = EventKind::CheckOut;
    let visits = [
        out,
        visit("2026-04-01T02:00:00Z", 2, &[1], &[]),
        visit("2026-04-01T01:00:00Z", 1, &[1, 2], &[]),
    ];
    let today: Vec<&Visit> = visits.iter().collect();
    // Guardian 1's child 1 is still in, child 2 left; guardian 2's child is in.
    let g1 = GuardianId(uuid::Uuid::from_u128(1));
    let is_in = |g: &GuardianId, c: ChildNo| !(*g == g1 && c == child(2));
    assert_eq!(
        left(&today, is_in),
        [(g1, vec![child(2)], ts("2026-04-01T03:00:00Z"))]
    );
    // Everyone out: both families, the latest first, each child once.
    let all_out = left(&today, |_, _| false);
    assert_eq!(all_out.len(), 2);
    assert_eq!(all_out[0].0, g1);
    assert_eq!(all_out[0].1, [child(1), child(2)]);
}
