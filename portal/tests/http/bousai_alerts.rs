//! 避難情報 from the office's form to citizens: preview in every language, send, the banner,
//! the alert page in the reader's language, one-tap answers by area, 続報 and 取消 (with its
//! notice in each language), the Atom feed and CAP, approval by a second staff member, a CAP
//! file starting a draft, and a send a crash interrupted resumed once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{BOUNDARY, Browser, PASSWORD, Resp, TestApp, multipart, unescape};
use axum::http::StatusCode;
use portal::{
    alerts::{AlertTarget, cap},
    domain::Role,
    notify::Dispatch,
    store::{AlertLog, AlertStatus, AlertStore},
};
use uuid::Uuid;

const OFFICE: &str = "bousai@city.example.jp";
const HANAKO: &str = "hanako@example.jp";

async fn city(app: &TestApp) {
    app.parts
        .store
        .add_alert_areas(vec![(1, "西条町".into()), (2, "八本松町".into())])
        .await
        .unwrap();
    app.staff(OFFICE, &[Role::Disaster]).await;
}

fn level4(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut fields = vec![
        ("kind", "level4"),
        ("scope", "areas"),
        ("area", "1"),
        ("zones", "1"),
        ("shelters", "西条小学校\n寺西公民館"),
        ("issued_at", "2025-04-01T09:30"),
        ("text_ja", "川や崖に近づかないでください。"),
    ];
    fields.extend_from_slice(extra);
    fields
}

fn alert_id(sent: &Resp) -> Uuid {
    let location = sent.location().expect("a redirect");
    location
        .strip_prefix("/admin/bousai/alerts/")
        .and_then(|id| Uuid::parse_str(id).ok())
        .unwrap_or_else(|| panic!("{location}"))
}

async fn send(office: &mut Browser<'_>, fields: &[(&str, &str)]) -> Resp {
    let mut fields = fields.to_vec();
    fields.push(("action", "send"));
    office
        .submit("/admin/bousai/new", "/admin/bousai/new", &fields)
        .await
}

#[tokio::test]
async fn the_office_previews_sends_and_citizens_read_answer_and_get_the_cancel_notice() {
    let app = TestApp::new();
    city(&app).await;
    app.citizen(HANAKO, "山田", "花子").await;
    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    let saved = hanako
        .submit(
            "/bousai/settings",
            "/bousai/settings",
            &[
                ("receive", "1"),
                ("language", "vi"),
                ("scope", "areas"),
                ("area1", "1"),
                ("zones1", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let mut office = app.browser();
    office.login(OFFICE, PASSWORD).await;

    // A draft with no area, and one with a time that is not one: refused, nothing kept.
    let refused = office
        .submit(
            "/admin/bousai/new",
            "/admin/bousai/new",
            &[("kind", "level4"), ("scope", "areas"), ("action", "send")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"alert-error\""),
        "{}",
        refused.body
    );
    let refused = send(&mut office, &level4(&[("issued_at", "昨日の夜")])).await;
    assert!(refused.says(portal::i18n::Lang::Ja, "error.alert_time"));
    assert!(app.parts.store.alerts(10).await.unwrap().is_empty());

    // The preview: every language, filled in; nothing is sent by it.
    let preview = office
        .submit(
            "/admin/bousai/new",
            "/admin/bousai/new",
            &level4(&[("action", "preview")]),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    let body = unescape(&preview.body);
    for lang in ["ja", "ja-easy", "en", "zh-Hans", "ko", "vi", "pt"] {
        assert!(body.contains(&format!("data-lang=\"{lang}\"")), "{lang}");
    }
    assert!(
        body.contains("9時30分、西条町(土砂災害警戒区域)に警戒レベル4 避難指示を発令しました。")
    );
    assert!(body.contains("西条小学校、寺西公民館"));
    assert!(body.contains("id=\"send-button\""));
    assert!(app.parts.store.alerts(10).await.unwrap().is_empty());

    // Sent: Hanako (西条町 × 土砂災害警戒区域, in Vietnamese) and the office (city-wide).
    let sent = send(&mut office, &level4(&[])).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let id = alert_id(&sent);
    let alert = app.parts.store.alert(id).await.unwrap().unwrap();
    assert_eq!(alert.status, AlertStatus::Sent);
    assert_eq!(alert.recipients, 2);
    let progress = office
        .get(&format!("/admin/bousai/alerts/{id}/progress"))
        .await
        .json();
    assert_eq!(progress["recipients"], 2);
    assert_eq!(progress["email"]["queued"], 2, "{progress}");
    let page = office.get(&format!("/admin/bousai/alerts/{id}")).await;
    assert!(page.body.contains("送信済み"));

    // The banner, in each reader's language; the page in any of the alert's languages.
    let top = hanako.get("/").await;
    assert!(top.body.contains("id=\"alert-banner\""));
    assert!(top.body.contains("Cấp độ cảnh báo 4"), "{}", top.body);
    let visitor = app.get("/").await;
    assert!(visitor.body.contains("【警戒レベル4 避難指示】"));
    let english = app.get(&format!("/bousai/alerts/{id}?lang=en")).await;
    assert!(english.body.contains("Alert Level 4"), "{}", english.body);
    assert!(
        english
            .body
            .contains(&format!("/login?next=/bousai/alerts/{id}"))
    );

    // Hanako answers with one tap; the office sees it by area, and who needs help.
    let csrf = hanako.get(&format!("/bousai/alerts/{id}")).await.csrf();
    let answered = hanako
        .post_form(
            &format!("/bousai/alerts/{id}/answer"),
            &[("csrf", &csrf), ("answer", "need_help"), ("area", "")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let mine = hanako.get(&format!("/bousai/alerts/{id}?saved=1")).await;
    assert!(mine.body.contains("id=\"my-answer\""));
    assert!(mine.body.contains("Tôi cần giúp đỡ"));
    let page = office.get(&format!("/admin/bousai/alerts/{id}")).await;
    let need_help = page.body.split("id=\"need-help\"").nth(1).unwrap_or("");
    assert!(need_help.contains("山田 花子") && need_help.contains("西条町"));

    // Feed and CAP: the CAP reads back to the same kind and target.
    let feed = app.get("/bousai/alerts.atom").await;
    assert!(feed.content_type().starts_with("application/atom+xml"));
    assert!(feed.body.contains(&format!("/bousai/alerts/{id}")));
    let xml = app.get(&format!("/bousai/alerts/{id}/cap.xml")).await;
    let read = cap::parse(&xml.body).expect("the portal's own CAP reads");
    let areas = app.parts.state.bousai.areas().await.unwrap();
    let draft = portal::alerts::draft_from_cap(&read, app.parts.state.bousai.catalog(), &areas)
        .unwrap()
        .draft;
    assert_eq!(draft.kind, "level4");
    assert!(matches!(draft.target, AlertTarget::Areas(ref t) if t.len() == 1));
    assert_eq!(draft.shelters, vec!["西条小学校", "寺西公民館"]);

    // 取消: off the banner; a notice to the same people, in their languages.
    let csrf = office
        .get(&format!("/admin/bousai/alerts/{id}"))
        .await
        .csrf();
    let cancelled = office
        .post_form(
            &format!("/admin/bousai/alerts/{id}/cancel"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let notice = alert_id(&cancelled);
    let original = app.parts.store.alert(id).await.unwrap().unwrap();
    assert_eq!(original.status, AlertStatus::Cancelled);
    // No sender had taken its two mails yet (no delivery worker runs here): withdrawn.
    assert_eq!(original.withdrawn, 2);
    let progress = office
        .get(&format!("/admin/bousai/alerts/{id}/progress"))
        .await
        .json();
    assert_eq!(progress["email"]["queued"], 0, "{progress}");
    let notice = app.parts.store.alert(notice).await.unwrap().unwrap();
    assert_eq!(notice.recipients, 2);
    let text = |code: &str| {
        notice
            .texts
            .iter()
            .find(|(c, _, _)| c == code)
            .map(|(_, title, _)| title.clone())
            .unwrap()
    };
    assert_eq!(text("ja"), "【取消】【警戒レベル4 避難指示】");
    assert!(text("vi").starts_with("[Hủy]"));
    assert!(!hanako.get("/").await.body.contains("id=\"alert-banner\""));
    assert!(
        app.get(&format!("/bousai/alerts/{id}"))
            .await
            .body
            .contains("id=\"cancelled\"")
    );
    // A cancelled alert takes no answers, and cannot be cancelled twice.
    let hanako_csrf = hanako.get(&format!("/bousai/alerts/{id}")).await.csrf();
    let late = hanako
        .post_form(
            &format!("/bousai/alerts/{id}/answer"),
            &[("csrf", &hanako_csrf), ("answer", "safe")],
        )
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    let again = office
        .post_form(
            &format!("/admin/bousai/alerts/{id}/cancel"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_update_replaces_its_alert_on_the_banner() {
    let app = TestApp::new();
    city(&app).await;
    let mut office = app.browser();
    office.login(OFFICE, PASSWORD).await;
    let first = alert_id(&send(&mut office, &level4(&[])).await);
    // The 続報 form starts from the alert it follows.
    let form = office
        .get(&format!("/admin/bousai/new?refers_to={first}"))
        .await;
    assert!(
        form.body
            .contains(&format!("name=\"refers_to\" value=\"{first}\""))
    );
    assert!(form.body.contains("name=\"area\" value=\"1\" checked"));
    let refers_to = first.to_string();
    let update = send(
        &mut office,
        &[
            ("refers_to", refers_to.as_str()),
            ("kind", "lifted"),
            ("scope", "areas"),
            ("area", "1"),
        ],
    )
    .await;
    assert_eq!(update.status, StatusCode::SEE_OTHER, "{}", update.body);
    let update = alert_id(&update);
    let top = app.get("/").await;
    assert!(top.body.contains(&format!("/bousai/alerts/{update}")));
    assert!(!top.body.contains(&format!("/bousai/alerts/{first}")));
    assert!(
        app.get(&format!("/bousai/alerts/{first}"))
            .await
            .body
            .contains(&format!("href=\"/bousai/alerts/{update}\""))
    );
}

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
