//! 避難情報 from the office's form to citizens: preview in every language, send, the banner,
//! the alert page in the reader's language, one-tap answers by area, 続報 and 取消 (with its
//! notice in each language), the Atom feed and CAP. (Approval, CAP import and a resumed send
//! are in `bousai_office.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Browser, PASSWORD, Resp, TestApp, unescape};
use axum::http::StatusCode;
use portal::{
    alerts::{AlertTarget, cap},
    domain::Role,
    store::{AlertLog, AlertStatus, AlertStore},
};
use uuid::Uuid;

pub(crate) const OFFICE: &str = "bousai@city.example.jp";
pub(crate) const HANAKO: &str = "hanako@example.jp";

pub(crate) async fn city(app: &TestApp) {
    app.parts
        .store
        .add_alert_areas(vec![(1, "西条町".into()), (2, "八本松町".into())])
        .await
        .unwrap();
    app.staff(OFFICE, &[Role::Disaster]).await;
}

pub(crate) fn level4(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
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

pub(crate) fn alert_id(sent: &Resp) -> Uuid {
    let location = sent.location().expect("a redirect");
    location
        .strip_prefix("/admin/bousai/alerts/")
        .and_then(|id| Uuid::parse_str(id).ok())
        .unwrap_or_else(|| panic!("{location}"))
}

pub(crate) async fn send(office: &mut Browser<'_>, fields: &[(&str, &str)]) -> Resp {
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
