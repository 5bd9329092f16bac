//! 添付ファイル of 市からのお知らせ: the office attaches a PDF to an announcement (a multipart
//! form); everyone can open it from the announcement and the Atom feed; a file that is not a
//! PDF or image is refused beside its field, and a scheduled announcement's file stays hidden.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{BOUNDARY, Browser, PASSWORD, Resp, TestApp};
use axum::http::{Method, StatusCode};
use portal::domain::Role;

const OFFICE: &str = "koho@city.example.jp";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

async fn publish(
    app: &TestApp,
    staff: &mut Browser<'_>,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> Resp {
    let csrf = staff.get("/admin/announcements").await.csrf();
    let mut all = vec![("csrf", csrf.as_str()), ("category_id", "bousai")];
    all.extend_from_slice(fields);
    app.raw(
        Method::POST,
        "/admin/announcements",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        crate::common::multipart(&all, file.map(|(n, m, b)| ("attachment", n, m, b))),
        &[("cookie", &staff.cookie_header())],
    )
    .await
}

#[tokio::test]
async fn an_announcement_carries_a_pdf_that_everyone_can_open() {
    let app = TestApp::new();
    app.staff(OFFICE, &[Role::Announcements]).await;
    let mut staff = app.browser();
    staff.login(OFFICE, PASSWORD).await;
    let made = staff
        .submit(
            "/admin/categories",
            "/admin/categories",
            &[("category_id", "bousai"), ("name", "防災・安全")],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);

    // A file that only calls itself a PDF is refused, and nothing is published.
    let fake = publish(
        &app,
        &mut staff,
        &[("title", "防災マップ"), ("body", "改訂しました。")],
        Some((
            "map.pdf",
            "application/pdf",
            b"<html><script>alert(1)</script>",
        )),
    )
    .await;
    assert_eq!(
        fake.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        fake.body
    );
    assert!(
        fake.body
            .contains("添付できるのはPDF、PNG、JPEGのファイルだけです")
    );
    assert!(
        fake.body.contains("防災マップ"),
        "the form keeps what was typed"
    );
    assert!(!app.get("/oshirase").await.body.contains("防災マップ"));

    let done = publish(
        &app,
        &mut staff,
        &[("title", "防災マップ"), ("body", "改訂しました。")],
        Some((
            "C:\\地図\\防災マップ 2026.pdf",
            "application/octet-stream",
            PDF,
        )),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page_path = done.location().unwrap().to_owned();
    let page = app.get(&page_path).await;
    assert!(page.body.contains("防災マップ 2026.pdf"), "{}", page.body);
    assert!(page.body.contains("PDF, 1 KB"), "{}", page.body);
    let file = app.get(&format!("{page_path}/attachment")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.content_type(), "application/pdf");
    assert_eq!(file.body.as_bytes(), PDF);
    let disposition = file.header("content-disposition").unwrap();
    assert!(
        disposition.starts_with("inline; filename*=UTF-8''") && disposition.contains("%20"),
        "{disposition}"
    );
    assert_eq!(file.header("content-security-policy"), Some("sandbox"));
    let feed = app.get("/oshirase/feed/bousai").await;
    assert!(
        feed.body
            .contains("rel=\"enclosure\" type=\"application/pdf\""),
        "{}",
        feed.body
    );

    // A plain form (no file input at all) still publishes, without an attachment.
    let plain = staff
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("category_id", "bousai"),
                ("title", "訓練"),
                ("body", "本文"),
            ],
        )
        .await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER, "{}", plain.body);
    let plain_path = plain.location().unwrap().to_owned();
    assert_eq!(
        app.get(&format!("{plain_path}/attachment")).await.status,
        StatusCode::NOT_FOUND
    );

    // A scheduled announcement's file is not out before the announcement is.
    let later = publish(
        &app,
        &mut staff,
        &[
            ("title", "来年の訓練"),
            ("body", "日程です。"),
            ("publish_at", "2099-01-01T09:00"),
        ],
        Some(("plan.pdf", "application/pdf", PDF)),
    )
    .await;
    assert_eq!(later.status, StatusCode::SEE_OTHER, "{}", later.body);
    let later_path = later.location().unwrap().to_owned();
    assert_eq!(
        app.get(&format!("{later_path}/attachment")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        staff.get(&format!("{later_path}/attachment")).await.status,
        StatusCode::OK
    );
}
