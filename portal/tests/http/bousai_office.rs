//! 避難情報 in the disaster office: approval by a second staff member when the city requires
//! it, a CAP file starting a draft (bad XML refused with the reason), and a send a crash
//! interrupted finished once by the dispatcher.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::bousai_alerts::{HANAKO, OFFICE, alert_id, city, level4, send};
use crate::common::{BOUNDARY, Browser, PASSWORD, Resp, TestApp, multipart};
use axum::http::StatusCode;
use portal::{
    domain::Role,
    notify::Dispatch,
    store::{AlertLog, AlertStatus, AlertStore},
};

#[tokio::test]
async fn a_second_staff_member_must_approve_when_the_city_says_so() {
    let app = TestApp::with_settings(|mut settings| {
        settings.bousai.require_approval = true;
        settings
    });
    city(&app).await;
    app.staff("kacho@city.example.jp", &[Role::Disaster]).await;
    app.citizen(HANAKO, "山田", "花子").await;
    let mut office = app.browser();
    office.login(OFFICE, PASSWORD).await;
    let written = alert_id(&send(&mut office, &level4(&[])).await);
    let alert = app.parts.store.alert(written).await.unwrap().unwrap();
    assert_eq!(alert.status, AlertStatus::Pending);
    assert_eq!(app.parts.store.alert_delivery(written).await.unwrap(), None);
    // Not public, not on the banner; its writer cannot approve it.
    assert_eq!(
        app.get(&format!("/bousai/alerts/{written}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!app.get("/").await.body.contains("id=\"alert-banner\""));
    let page = office.get(&format!("/admin/bousai/alerts/{written}")).await;
    assert!(page.body.contains("id=\"awaiting\""));
    let csrf = page.csrf();
    let own = office
        .post_form(
            &format!("/admin/bousai/alerts/{written}/approve"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    // A citizen cannot even see the office's pages.
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    assert_eq!(
        hanako.get("/admin/bousai").await.status,
        StatusCode::FORBIDDEN
    );

    let mut kacho = app.browser();
    kacho.login("kacho@city.example.jp", PASSWORD).await;
    let page = kacho.get(&format!("/admin/bousai/alerts/{written}")).await;
    assert!(page.body.contains("id=\"approve\""));
    let approved = kacho
        .post_form(
            &format!("/admin/bousai/alerts/{written}/approve"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let alert = app.parts.store.alert(written).await.unwrap().unwrap();
    assert_eq!(alert.status, AlertStatus::Sent);
    assert_eq!(alert.recipients, 3);
    assert!(
        app.parts
            .store
            .alert_delivery(written)
            .await
            .unwrap()
            .is_some()
    );
    let twice = kacho
        .post_form(
            &format!("/admin/bousai/alerts/{written}/approve"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
}

async fn upload_cap(app: &TestApp, office: &mut Browser<'_>, xml: &[u8]) -> Resp {
    let csrf = office.get("/admin/bousai").await.csrf();
    app.raw(
        axum::http::Method::POST,
        "/admin/bousai/import-cap",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        multipart(
            &[("csrf", csrf.as_str())],
            Some(("file", "alert.xml", "application/xml", xml)),
        ),
        &[("cookie", &office.cookie_header())],
    )
    .await
}

#[tokio::test]
async fn a_cap_file_starts_a_draft_and_bad_xml_is_refused_with_the_reason() {
    let app = TestApp::new();
    city(&app).await;
    app.parts
        .store
        .add_alert_areas(vec![(3, "志和町".into())])
        .await
        .unwrap();
    let mut office = app.browser();
    office.login(OFFICE, PASSWORD).await;
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cap");
    let good = std::fs::read(data.join("l-alert-evacuation-order.ja.xml")).unwrap();
    let page = upload_cap(&app, &mut office, &good).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("value=\"level4\" selected"),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"area\" value=\"3\" checked"));
    assert!(page.body.contains("西条小学校"));
    // Nothing is sent by reading it.
    assert!(app.parts.store.alerts(10).await.unwrap().is_empty());

    for bad in ["bad-not-xml.xml", "bad-cap-1.1-namespace.xml"] {
        let xml = std::fs::read(data.join(bad)).unwrap();
        let refused = upload_cap(&app, &mut office, &xml).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(refused.body.contains("id=\"cap-error\""), "{bad}");
    }
}

#[tokio::test]
async fn an_alert_a_crash_left_unsent_is_sent_once_by_the_dispatcher() {
    let app = TestApp::new();
    city(&app).await;
    let mut office = app.browser();
    office.login(OFFICE, PASSWORD).await;
    let id = alert_id(&send(&mut office, &level4(&[])).await);
    // As if the process died after keeping the alert and making its delivery, before marking
    // it sent: the dispatcher finishes it, and the delivery is not made again.
    app.parts
        .store
        .db()
        .write(move |tx| {
            tx.execute(
                "UPDATE alerts SET status = 'approved', recipients = 0 WHERE alert_id = ?1",
                [id.to_string()],
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let resume = portal::bousai_send::Resume {
        bousai: app.parts.state.bousai.clone(),
        notifier: app.parts.state.notifier.clone(),
    };
    assert_eq!(resume.dispatch().await.unwrap(), 1);
    assert_eq!(resume.dispatch().await.unwrap(), 0);
    let alert = app.parts.store.alert(id).await.unwrap().unwrap();
    assert_eq!(alert.status, AlertStatus::Sent);
    let rows: i64 = app
        .parts
        .store
        .db()
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT count(*) FROM deliveries WHERE source LIKE 'alert:%'",
                [],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(rows, 1);
}
