//! ごみ収集日 on the portal: Kanazawa's real 5374 data imported, the public JSON API, and the
//! evening reminder made once per citizen and day — at its hour, caught up after a late start
//! only while still useful, never twice (a second run, a change of area the same evening).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use portal::{
    domain::Email,
    garbage::Five374Files,
    i18n::Lang,
    store::{AccountStore, DeliveryStore, Remind},
};

const HANAKO: &str = "hanako@example.jp";
const TARO: &str = "taro@example.jp";

fn kanazawa() -> Five374Files {
    portal::gomi::files::read_folder(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/5374/kanazawa"
    )))
    .unwrap()
}

async fn imported(app: &TestApp) -> i64 {
    app.parts.state.gomi.import_5374(&kanazawa()).await.unwrap();
    let city = app.parts.state.gomi.city().await.unwrap().unwrap();
    city.search_areas("浅野", 1).first().unwrap().area_id
}

async fn account(app: &TestApp, email: &str) -> portal::domain::AccountId {
    app.parts
        .store
        .find_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account
        .account_id
}

/// Moves the test clock to `at` (it only goes forward here).
fn set_clock(app: &TestApp, at: &str) {
    let at: Timestamp = at.parse().unwrap();
    let now = portal::clock::Clock::now(&app.clock);
    app.clock.advance(now.duration_until(at));
}

#[tokio::test]
async fn the_public_api_lists_areas_and_their_collection_days() {
    let app = TestApp::new();
    let empty = app.get("/api/v1/garbage/areas").await;
    assert_eq!(empty.json(), serde_json::json!([]));
    let asano = imported(&app).await;

    let areas = app.get("/api/v1/garbage/areas").await.json();
    assert_eq!(areas.as_array().unwrap().len(), 71);
    assert_eq!(areas[0]["name"], "浅野");
    assert_eq!(areas[0]["id"], asano);

    // 浅野: 燃やすごみ 月 木, 燃やさないごみ 水2, 資源 火1 火3, びん 水4.
    let days = app
        .get(&format!(
            "/api/v1/garbage/areas/{asano}/calendar?from=2014-01-06&to=2014-01-12"
        ))
        .await;
    assert_eq!(days.status, StatusCode::OK, "{}", days.body);
    assert_eq!(
        days.json(),
        serde_json::json!([
            {"date": "2014-01-06", "kinds": ["燃やすごみ"]},
            {"date": "2014-01-07", "kinds": ["資源"]},
            {"date": "2014-01-08", "kinds": ["燃やさないごみ"]},
            {"date": "2014-01-09", "kinds": ["燃やすごみ"]},
        ])
    );
    // The year-end pause of its center: nothing from 2013-12-29 to 2014-01-03.
    let pause = app
        .get(&format!(
            "/api/v1/garbage/areas/{asano}/calendar?from=2013-12-29&to=2014-01-03"
        ))
        .await;
    assert_eq!(pause.json(), serde_json::json!([]));

    let backwards = app
        .get(&format!(
            "/api/v1/garbage/areas/{asano}/calendar?from=2014-02-01&to=2014-01-01"
        ))
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = backwards.json();
    assert_eq!(error["error"]["code"], "invalid");
    assert_eq!(error["error"]["fields"][0]["field"], "to");
    assert_eq!(
        error["error"]["fields"][0]["message"],
        crate::common::msg(Lang::Ja, "error.gomi_range")
    );
    let missing = app
        .get(&format!(
            "/api/v1/garbage/areas/{asano}/calendar?from=2014-02-01"
        ))
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let nowhere = app
        .get("/api/v1/garbage/areas/99999/calendar?from=2014-01-01&to=2014-01-02")
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let doc = app.get("/api/v1/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/garbage/areas/{id}/calendar"].is_object());
}

#[tokio::test]
async fn the_reminder_comes_once_at_its_hour_and_a_late_start_catches_up_only_while_useful() {
    let app = TestApp::new();
    let asano = imported(&app).await;
    app.citizen(HANAKO, "山田", "花子").await;
    app.citizen(TARO, "山田", "太郎").await;
    let gomi = &app.parts.state.gomi;
    let hanako = account(&app, HANAKO).await;
    let taro = account(&app, TARO).await;
    gomi.save_setting(hanako, asano, Remind::Evening, 18)
        .await
        .unwrap();
    gomi.save_setting(taro, asano, Remind::Evening, 20)
        .await
        .unwrap();

    // 2014-01-08 (水) is 燃やさないごみ day in 浅野. 17:59 on the 7th: not yet.
    set_clock(&app, "2014-01-07T08:59:00Z");
    assert_eq!(gomi.send_reminders().await.unwrap(), 0);
    // 18:00: Hanako's reminder; again a second later: nothing more.
    app.clock.advance(SignedDuration::from_secs(60));
    assert_eq!(gomi.send_reminders().await.unwrap(), 1);
    assert_eq!(gomi.send_reminders().await.unwrap(), 0);
    let deliveries = app.parts.store.deliveries(10).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert!(
        deliveries[0].title.contains("1月8日(水)"),
        "{}",
        deliveries[0].title
    );
    assert!(deliveries[0].title.contains("燃やさないごみ"));
    assert_eq!((deliveries[0].email.queued + deliveries[0].email.sent), 1);

    // Hanako moves her reminder to 20:00 the same evening: still one reminder for the 8th.
    gomi.save_setting(hanako, asano, Remind::Evening, 20)
        .await
        .unwrap();
    // The portal was down from 19:00 to 07:30 the next morning: Taro's 20:00 reminder is
    // caught up, still before 08:00.
    set_clock(&app, "2014-01-07T22:30:00Z");
    assert_eq!(gomi.send_reminders().await.unwrap(), 1);
    let deliveries = app.parts.store.deliveries(10).await.unwrap();
    assert_eq!(deliveries.len(), 2);
    assert_eq!(
        (deliveries[0].email.queued + deliveries[0].email.sent),
        1,
        "Taro only"
    );

    // 2014-01-09 (木) is 燃やすごみ; the portal comes back only at 08:30 on the 9th: too late,
    // nothing is sent for the 9th.
    set_clock(&app, "2014-01-08T23:30:00Z");
    assert_eq!(gomi.send_reminders().await.unwrap(), 0);
    assert_eq!(app.parts.store.deliveries(10).await.unwrap().len(), 2);

    // The citizen's page shows the area and the reminder setting.
    let mut browser = app.browser();
    browser.login(HANAKO, PASSWORD).await;
    let page = browser.get("/gomi").await;
    assert!(page.body.contains("浅野"), "{}", page.body);
}

#[tokio::test]
async fn the_waste_office_changes_an_areas_days_and_adds_exceptions_and_areas() {
    let app = TestApp::new();
    let asano = imported(&app).await;
    app.staff("gomi@city.example.jp", &[portal::domain::Role::Waste])
        .await;
    app.citizen(HANAKO, "山田", "花子").await;
    let mut citizen = app.browser();
    citizen.login(HANAKO, PASSWORD).await;
    assert_eq!(
        citizen.get("/admin/gomi").await.status,
        StatusCode::FORBIDDEN
    );

    let mut office = app.browser();
    office.login("gomi@city.example.jp", PASSWORD).await;
    let page = office.get(&format!("/admin/gomi/areas/{asano}")).await;
    assert!(page.body.contains("value=\"月 木\""), "{}", page.body);

    // A slip in a cell: refused with the kind and the token, nothing changed.
    let area_form = format!("/admin/gomi/areas/{asano}");
    let slip = office
        .submit(
            &area_form,
            &area_form,
            &[
                ("cell", "月曜"),
                ("cell", "水2"),
                ("cell", "火1 火3"),
                ("cell", "水4"),
            ],
        )
        .await;
    assert_eq!(slip.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(slip.body.contains("燃やすごみ") && slip.body.contains("月曜"));
    assert_eq!(first_week(&app, asano).await[0]["date"], "2014-01-06");

    // 燃やすごみ moves to Mondays and Fridays.
    let saved = office
        .submit(
            &area_form,
            &area_form,
            &[
                ("cell", "月 金"),
                ("cell", "水2"),
                ("cell", "火1 火3"),
                ("cell", "水4"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let days: Vec<String> = first_week(&app, asano)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|day| day["date"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        days,
        ["2014-01-06", "2014-01-07", "2014-01-08", "2014-01-10"]
    );

    // No collection on Monday the 6th (a holiday), for every area.
    let skipped = office
        .submit(
            "/admin/gomi",
            "/admin/gomi/exceptions",
            &[
                ("area", ""),
                ("kind", "skip"),
                ("from", "2014-01-06"),
                ("note", "祝日"),
            ],
        )
        .await;
    assert_eq!(skipped.status, StatusCode::SEE_OTHER, "{}", skipped.body);
    assert_eq!(first_week(&app, asano).await[0]["date"], "2014-01-07");
    let bad = office
        .submit(
            "/admin/gomi",
            "/admin/gomi/exceptions",
            &[
                ("kind", "pause"),
                ("from", "2014-01-09"),
                ("to", "2014-01-08"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_says(Lang::Ja, "error.gomi_pause_order");

    // The kinds' descriptions, as citizens will read them.
    let described = office
        .submit(
            "/admin/gomi",
            "/admin/gomi/kinds",
            &[
                ("label", "燃やすごみ"),
                ("sublabel", "生ごみ・紙くず"),
                ("description", "指定袋に入れて朝8時までに"),
            ],
        )
        .await;
    assert_eq!(
        described.status,
        StatusCode::SEE_OTHER,
        "{}",
        described.body
    );
    let city = app.parts.state.gomi.city().await.unwrap().unwrap();
    let kind = city.data.description("燃やすごみ").unwrap();
    assert_eq!(kind.description, "指定袋に入れて朝8時までに");
    assert_eq!(kind.sublabel, "生ごみ・紙くず");

    // A new area gets a new id; the others keep theirs.
    let added = office
        .submit(
            "/admin/gomi/areas/new",
            "/admin/gomi/areas/new",
            &[("name", "新町"), ("cell", "火 金")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let areas = app.get("/api/v1/garbage/areas").await.json();
    let list = areas.as_array().unwrap();
    assert_eq!(list.len(), 72);
    assert_eq!(list[0]["id"], asano);
    assert_eq!(list[71]["name"], "新町");
}

/// 浅野's collection days from Monday 2014-01-06 to Friday the 10th, from the public API.
async fn first_week(app: &TestApp, area: i64) -> serde_json::Value {
    app.get(&format!(
        "/api/v1/garbage/areas/{area}/calendar?from=2014-01-06&to=2014-01-10"
    ))
    .await
    .json()
}
