//! 子育てイベントカレンダー on the portal: staff publish (a refused form keeps what was typed,
//! each error beside its field), a parent sees only the events her children's ages suit,
//! applying fills the places and then the waiting list, a cancellation moves the first waiting
//! family up and tells them, a second application is refused, and the iCalendar feed.
//! The test clock stands at 2025-04-01 09:00 in Tokyo.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod applying;

use crate::common::{PASSWORD, TestApp};
use axum::http::StatusCode;
use portal::{
    domain::{Email, Role},
    events::{EventDraft, EventId},
    store::{Account, AccountStore},
};

pub(super) const STAFF: &str = "center@example.jp";

pub(super) async fn account(app: &TestApp, email: &str) -> Account {
    app.parts
        .store
        .find_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account
}

/// An event on 2025-04-`day` at 10:00, published by center staff.
pub(super) async fn publish(
    app: &TestApp,
    title: &str,
    day: u8,
    adjust: impl FnOnce(&mut EventDraft),
) -> EventId {
    if app
        .parts
        .store
        .find_by_email(&Email::parse(STAFF).unwrap())
        .await
        .unwrap()
        .is_none()
    {
        app.staff(STAFF, &[Role::Center]).await;
    }
    let mut draft = EventDraft {
        title: title.into(),
        place: "西条子育て支援センター".into(),
        start_date: format!("2025-04-{day:02}"),
        start_time: "10:00".into(),
        end_time: "11:30".into(),
        application: "none".into(),
        ..EventDraft::default()
    };
    adjust(&mut draft);
    let staff = account(app, STAFF).await;
    app.parts
        .state
        .kosodate_events
        .publish(&staff, &draft)
        .await
        .unwrap()
}

#[tokio::test]
async fn staff_publish_and_a_refused_form_keeps_what_was_typed_with_each_error() {
    let app = TestApp::new();
    app.staff(STAFF, &[Role::Center]).await;
    let mut staff = app.browser();
    staff.login(STAFF, PASSWORD).await;
    let home = staff.get("/").await;
    assert!(
        home.body.contains("/admin/kosodate/events"),
        "the top page's card"
    );

    let page = "/admin/kosodate/events";
    let refused = staff
        .submit(
            page,
            page,
            &[
                ("title", "ベビーマッサージ"),
                ("description", "バスタオルを持ってきてください"),
                ("place", ""),
                ("start_date", "2025-04-12"),
                ("start_time", "10:00"),
                ("end_time", "09:00"),
                ("capacity", "十組"),
                ("application", "other"),
                ("how", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text();
    for kept in [
        "ベビーマッサージ",
        "バスタオルを持ってきてください",
        "2025-04-12",
        "十組",
    ] {
        assert!(text.contains(kept), "{kept} kept: {text}");
    }
    for (field, message) in [
        ("place", "会場を入力してください"),
        ("end_time", "終了は開始より後にしてください"),
        ("capacity", "定員は1から"),
        ("how", "申込方法(電話など)を入力してください"),
    ] {
        let beside = format!("id=\"{field}-error\">{message}");
        assert!(text.contains(&beside), "{field}: {text}");
    }
    assert!(
        app.parts
            .state
            .kosodate_events
            .between(app.parts.state.kosodate_events.today(), None)
            .await
            .unwrap()
            .is_empty()
    );

    let published = staff
        .submit(
            page,
            page,
            &[
                ("title", "ベビーマッサージ"),
                ("place", "西条子育て支援センター"),
                ("start_date", "2025-04-12"),
                ("start_time", "10:00"),
                ("end_time", "11:00"),
                ("age_from_months", "2"),
                ("age_to_months", "11"),
                ("capacity", "10"),
                ("application", "portal"),
            ],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    let edit = published.location().unwrap().to_owned();
    assert!(edit.starts_with("/admin/kosodate/events/"), "{edit}");
    let edit_page = staff.get(&edit).await;
    assert!(
        edit_page.text().contains("value=\"10\""),
        "{}",
        edit_page.body
    );

    // Everyone sees it on the month, the list and its page; citizens cannot publish.
    let month = app.get("/kosodate/events?month=2025-04").await;
    assert_eq!(month.status, StatusCode::OK);
    assert!(month.text().contains("ベビーマッサージ"));
    let list = app.get("/kosodate/events?view=list").await;
    assert!(
        list.text().contains("2025年4月12日(土) 10:00〜11:00"),
        "{}",
        list.body
    );
    app.citizen("hanako@example.jp", "山田", "花子").await;
    let mut citizen = app.browser();
    citizen.login("hanako@example.jp", PASSWORD).await;
    assert_eq!(citizen.get(page).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_parent_sees_only_the_events_her_childrens_ages_suit() {
    let app = TestApp::new();
    publish(&app, "ねんねの赤ちゃん広場", 10, |d| {
        d.age_from_months = "0".into();
        d.age_to_months = "11".into();
    })
    .await;
    publish(&app, "3歳児の運動あそび", 11, |d| {
        d.age_from_months = "36".into();
        d.age_to_months = "47".into();
    })
    .await;
    publish(&app, "両親学級", 12, |d| d.pregnant = true).await;
    publish(&app, "絵本の読み聞かせ", 13, |_| {}).await;

    app.citizen("hanako@example.jp", "山田", "花子").await;
    let mut parent = app.browser();
    parent.login("hanako@example.jp", PASSWORD).await;
    let child = parent
        .submit(
            "/kosodate/children/new",
            "/kosodate/children/new",
            &[
                ("family_name", "山田"),
                ("given_name", "蓮"),
                ("sex", "sex_male"),
                ("birth_date", "2024-10-01"),
                ("relationship", "rel_mother"),
            ],
        )
        .await;
    assert_eq!(child.status, StatusCode::SEE_OTHER, "{}", child.body);
    assert!(
        parent
            .get("/kosodate")
            .await
            .text()
            .contains("子育てイベントカレンダー")
    );

    let all = parent.get("/kosodate/events?month=2025-04").await.text();
    for title in [
        "ねんねの赤ちゃん広場",
        "3歳児の運動あそび",
        "両親学級",
        "絵本の読み聞かせ",
    ] {
        assert!(all.contains(title), "{title} in all");
    }
    for path in [
        "/kosodate/events?month=2025-04&fit=1",
        "/kosodate/events?view=list&fit=1",
    ] {
        let fit = parent.get(path).await.text();
        assert!(fit.contains("ねんねの赤ちゃん広場"), "6 months old: {fit}");
        assert!(fit.contains("絵本の読み聞かせ"), "for everyone");
        assert!(!fit.contains("3歳児の運動あそび"), "too young");
        assert!(!fit.contains("両親学級"), "not pregnant");
    }
    // With a baby due in summer, 両親学級 suits her too.
    parent
        .submit(
            "/kosodate/due-date",
            "/kosodate/due-date",
            &[("due_date", "2025-08-01")],
        )
        .await;
    let fit = parent
        .get("/kosodate/events?month=2025-04&fit=1")
        .await
        .text();
    assert!(fit.contains("両親学級"), "{fit}");
}

#[tokio::test]
async fn the_ics_feed_has_every_coming_event() {
    let app = TestApp::new();
    let event = publish(&app, "絵本の読み聞かせ", 5, |_| {}).await;
    let feed = app.get("/kosodate/events.ics").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.content_type().starts_with("text/calendar"));
    assert!(
        feed.body.starts_with("BEGIN:VCALENDAR\r\n"),
        "{}",
        feed.body
    );
    assert!(
        feed.body.contains(&format!("UID:event-{event}@")),
        "{}",
        feed.body
    );
    assert!(feed.body.contains("SUMMARY:絵本の読み聞かせ"));
    assert!(
        feed.body.contains("DTSTART:20250405T010000Z"),
        "10:00 in Tokyo"
    );
    assert!(feed.body.trim_end().ends_with("END:VCALENDAR"));
}
