//! 防災情報の通知設定: everyone receives in Japanese until they choose; "only my areas" keeps up
//! to three areas with their 危険区域; what the page would refuse is refused with the reason
//! and nothing changes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use axum::http::StatusCode;
use portal::{
    alerts::{AreaId, Language, ZoneChoice, ZoneId},
    domain::Email,
    store::{AccountStore, AlertLog, AlertStore},
};

const HANAKO: &str = "hanako@example.jp";

#[tokio::test]
async fn a_citizen_chooses_her_areas_zones_and_language() {
    let app = TestApp::new();
    app.parts
        .store
        .add_alert_areas(vec![(1, "西条町".into()), (2, "八本松町".into())])
        .await
        .unwrap();
    app.citizen(HANAKO, "山田", "花子").await;
    let hanako = app
        .parts
        .store
        .find_by_email(&Email::parse(HANAKO).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account
        .account_id;
    let mut browser = app.browser();
    browser.login(HANAKO, PASSWORD).await;

    // The 初期設定: receive, Japanese, the whole city.
    let page = browser.get("/bousai/settings").await;
    assert!(
        page.body.contains("id=\"receive\" checked"),
        "{}",
        page.body
    );
    assert!(page.body.contains("土砂災害警戒区域"));
    assert!(page.body.contains("Tiếng Việt"));

    // "Only my areas" with no area: refused with the guide's words, nothing kept.
    let refused = browser
        .submit(
            "/bousai/settings",
            "/bousai/settings",
            &[("receive", "1"), ("language", "vi"), ("scope", "areas")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("地域を選択してください"),
        "{}",
        refused.body
    );
    // 該当なし together with a zone: refused too.
    let both = browser
        .submit(
            "/bousai/settings",
            "/bousai/settings",
            &[
                ("receive", "1"),
                ("language", "vi"),
                ("scope", "areas"),
                ("area1", "1"),
                ("zones1", "1"),
                ("none1", "1"),
            ],
        )
        .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.parts
            .store
            .alert_setting(hanako)
            .await
            .unwrap()
            .is_none()
    );

    let saved = browser
        .submit(
            "/bousai/settings",
            "/bousai/settings",
            &[
                ("receive", "1"),
                ("language", "vi"),
                ("scope", "areas"),
                ("area1", "1"),
                ("zones1", "1"),
                ("zones1", "3"),
                ("area2", "2"),
                ("none2", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let setting = app.parts.state.bousai.setting(hanako).await.unwrap();
    assert!(setting.receive());
    assert_eq!(setting.language(), Language::Vi);
    let areas = setting.only_my_areas().unwrap();
    assert_eq!(areas.len(), 2);
    assert_eq!(areas[0].area, AreaId(1));
    match areas[0].zones {
        ZoneChoice::Zones(set) => {
            assert!(set.contains(ZoneId(1)) && set.contains(ZoneId(3)) && !set.contains(ZoneId(2)));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(areas[1].zones, ZoneChoice::NoneApplies);
    let shown = browser.get("/bousai/settings?saved=1").await;
    assert!(shown.body.contains("id=\"scope-areas\" checked"));

    // Opting out: no information at all.
    browser
        .submit(
            "/bousai/settings",
            "/bousai/settings",
            &[("language", "ja"), ("scope", "city")],
        )
        .await;
    assert!(
        !app.parts
            .state
            .bousai
            .setting(hanako)
            .await
            .unwrap()
            .receive()
    );
}

#[tokio::test]
async fn the_disaster_office_adds_areas_from_a_csv_and_a_bad_row_changes_nothing() {
    let app = TestApp::new();
    app.staff("bousai@city.example.jp", &[portal::domain::Role::Disaster])
        .await;
    app.citizen(HANAKO, "山田", "花子").await;
    let mut office = app.browser();
    office.login("bousai@city.example.jp", PASSWORD).await;
    let refused = upload(&app, &mut office, "番号,地域名\n1,西条町\n1,志和町\n").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("3 行目"), "{}", refused.body);
    assert!(app.parts.store.alert_areas().await.unwrap().is_empty());

    let added = upload(&app, &mut office, "番号,地域名\n1,西条町\n2,八本松町\n").await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = office.get("/admin/bousai/areas").await;
    assert!(page.body.contains("八本松町"));

    let mut citizen = app.browser();
    citizen.login(HANAKO, PASSWORD).await;
    assert_eq!(
        citizen.get("/admin/bousai/areas").await.status,
        StatusCode::FORBIDDEN
    );
}

/// Posts `csv` to the areas page as the office would, with its file input.
async fn upload(
    app: &TestApp,
    office: &mut crate::common::Browser<'_>,
    csv: &str,
) -> crate::common::Resp {
    use crate::common::{BOUNDARY, multipart};
    let csrf = office.get("/admin/bousai/areas").await.csrf();
    app.raw(
        axum::http::Method::POST,
        "/admin/bousai/areas",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        multipart(
            &[("csrf", csrf.as_str())],
            Some(("file", "areas.csv", "text/csv", csv.as_bytes())),
        ),
        &[("cookie", &office.cookie_header())],
    )
    .await
}

#[tokio::test]
async fn an_alert_reaches_whom_it_targets_once_each_in_their_language() {
    use portal::alerts::{AlertDraft, AlertTarget, PerLanguage, TargetArea, TargetZones};
    let app = TestApp::new();
    app.parts
        .store
        .add_alert_areas(vec![(1, "西条町".into()), (2, "八本松町".into())])
        .await
        .unwrap();
    app.staff("bousai@city.example.jp", &[portal::domain::Role::Disaster])
        .await;
    let mut ids = Vec::new();
    for (email, input) in [
        // The 初期設定: everything, in Japanese.
        ("a@example.jp", None),
        // Opted out.
        ("b@example.jp", Some(("0", "ja", vec![]))),
        // Only 八本松町, in Vietnamese.
        (
            "c@example.jp",
            Some(("1", "vi", vec![("area1", "2"), ("none1", "1")])),
        ),
        // Only 西条町, 該当なし, in English.
        (
            "d@example.jp",
            Some(("1", "en", vec![("area1", "1"), ("none1", "1")])),
        ),
    ] {
        app.citizen(email, "市民", email).await;
        let account = app
            .parts
            .store
            .find_by_email(&Email::parse(email).unwrap())
            .await
            .unwrap()
            .unwrap()
            .account;
        if let Some((receive, language, areas)) = input {
            let mut browser = app.browser();
            browser.login(email, PASSWORD).await;
            let mut fields = vec![("language", language)];
            if receive == "1" {
                fields.push(("receive", "1"));
            }
            if !areas.is_empty() {
                fields.push(("scope", "areas"));
            }
            fields.extend(areas);
            let saved = browser
                .submit("/bousai/settings", "/bousai/settings", &fields)
                .await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        }
        ids.push(account.account_id);
    }
    let office = app
        .parts
        .store
        .find_by_email(&Email::parse("bousai@city.example.jp").unwrap())
        .await
        .unwrap()
        .unwrap()
        .account;
    let draft = AlertDraft {
        kind: "level4".into(),
        target: AlertTarget::Areas(vec![TargetArea {
            area: AreaId(1),
            zones: TargetZones::All,
        }]),
        shelters: vec!["西条小学校".into()],
        issued_at: "2026-12-03T06:00:00Z".parse().unwrap(),
        title: PerLanguage::default(),
        text: PerLanguage::default(),
    };
    let notifier = app.parts.state.notifier.clone();
    let alert_id = app
        .parts
        .state
        .bousai
        .create(&office, &draft, None, &notifier)
        .await
        .unwrap();
    let sent = app.parts.store.alert(alert_id).await.unwrap().unwrap();
    // A (city-wide), D (西条町, all of it) and the office's own account; not B, not C.
    assert_eq!(sent.recipients, 3);
    assert_eq!(sent.status, portal::store::AlertStatus::Sent);
    let rows: Vec<(String, String)> = app
        .parts
        .store
        .db()
        .read(|conn| {
            let mut statement = conn.prepare(
                "SELECT account_id, lang FROM delivery_recipients WHERE channel = 'email' \
                 ORDER BY account_id",
            )?;
            let rows = statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
        .unwrap();
    let lang_of = |id: &portal::domain::AccountId| {
        rows.iter()
            .find(|(account, _)| *account == id.to_string())
            .map(|(_, lang)| lang.as_str())
    };
    assert_eq!(lang_of(&ids[0]), Some("ja"));
    assert_eq!(lang_of(&ids[1]), None);
    assert_eq!(lang_of(&ids[2]), None);
    assert_eq!(lang_of(&ids[3]), Some("en"));
    assert!(sent.texts.iter().any(|(lang, title, body)| lang == "ja"
        && title.contains("避難指示")
        && body.contains("西条小学校")));
}
