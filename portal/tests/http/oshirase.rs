//! 市からのお知らせ: staff keep the 分野; a citizen picks hers as the city's guide describes
//! (choose, take one off with ×, 送信), and only 送信 saves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use axum::http::StatusCode;
use portal::domain::Role;

const OFFICE: &str = "koho@city.example.jp";
const CITIZEN: &str = "hanako@example.jp";

async fn office(app: &TestApp) {
    app.staff(OFFICE, &[Role::Announcements]).await;
}

#[tokio::test]
async fn the_office_keeps_categories_and_a_citizen_picks_hers() {
    let app = TestApp::new();
    office(&app).await;
    app.citizen(CITIZEN, "山田", "花子").await;

    let mut staff = app.browser();
    staff.login(OFFICE, PASSWORD).await;
    assert!(staff.get("/").await.body.contains("/admin/categories"));
    for (id, name) in [
        ("kosodate", "子育て・教育"),
        ("bousai", "防災・安全"),
        ("kankyo", "環境・ごみ"),
    ] {
        let done = staff
            .submit(
                "/admin/categories",
                "/admin/categories",
                &[("category_id", id), ("name", name)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    let taken = staff
        .submit(
            "/admin/categories",
            "/admin/categories",
            &[("category_id", "bousai"), ("name", "防災")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.body.contains("このIDはすでに使われています"),
        "{}",
        taken.body
    );

    let mut citizen = app.browser();
    citizen.login(CITIZEN, PASSWORD).await;
    assert_eq!(
        citizen.get("/admin/categories").await.status,
        StatusCode::FORBIDDEN
    );
    let page = citizen.get("/oshirase/settings").await;
    assert!(
        page.body.contains("選択されている分野はありません"),
        "{}",
        page.body
    );

    // 追加 twice, × once: the page changes, nothing is saved yet.
    let added = citizen
        .submit(
            "/oshirase/settings",
            "/oshirase/settings",
            &[("add", "kosodate"), ("op", "add")],
        )
        .await;
    assert!(
        added.body.contains("name=\"c\" value=\"kosodate\""),
        "{}",
        added.body
    );
    let both = citizen
        .submit(
            "/oshirase/settings",
            "/oshirase/settings",
            &[("c", "kosodate"), ("add", "bousai"), ("op", "add")],
        )
        .await;
    assert!(both.body.contains("value=\"remove:bousai\""));
    assert!(
        citizen
            .get("/oshirase/settings")
            .await
            .body
            .contains("選択されている分野はありません")
    );
    let removed = citizen
        .submit(
            "/oshirase/settings",
            "/oshirase/settings",
            &[
                ("c", "kosodate"),
                ("c", "bousai"),
                ("op", "remove:kosodate"),
            ],
        )
        .await;
    assert!(!removed.body.contains("name=\"c\" value=\"kosodate\""));
    assert!(removed.body.contains("name=\"c\" value=\"bousai\""));

    // 送信 saves.
    let saved = citizen
        .submit(
            "/oshirase/settings",
            "/oshirase/settings",
            &[("c", "bousai"), ("c", "kankyo"), ("op", "save")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = citizen.get("/oshirase/settings?saved=1").await;
    assert!(page.body.contains("保存しました"));
    assert!(
        page.body.contains("value=\"remove:bousai\"")
            && page.body.contains("value=\"remove:kankyo\"")
    );
    assert!(!page.body.contains("value=\"remove:kosodate\""));

    // A category that does not exist is refused and nothing changes.
    let bad = citizen
        .submit(
            "/oshirase/settings",
            "/oshirase/settings",
            &[("c", "nothing"), ("op", "save")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("選んだ分野が見つかりません"));
    let staff_view = staff.get("/admin/categories").await;
    assert!(staff_view.body.contains("登録者 1"), "{}", staff_view.body);

    // Deleting a category takes it off every citizen's list.
    let gone = staff
        .submit("/admin/categories", "/admin/categories/kankyo/delete", &[])
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    let page = citizen.get("/oshirase/settings").await;
    assert!(!page.body.contains("kankyo") && page.body.contains("value=\"remove:bousai\""));
}

#[tokio::test]
async fn announcements_are_published_now_or_later_and_read_by_everyone() {
    let app = TestApp::new(); // 2025-04-01 09:00 in Tokyo
    office(&app).await;
    let mut staff = app.browser();
    staff.login(OFFICE, PASSWORD).await;
    staff
        .submit(
            "/admin/categories",
            "/admin/categories",
            &[("category_id", "bousai"), ("name", "防災・安全")],
        )
        .await;

    let now = staff
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("category_id", "bousai"),
                ("title", "防災訓練 <のお知らせ>"),
                ("body", "4月5日に防災訓練を行います。\n\n雨天決行です。"),
                ("link", "https://www.city.example.jp/bousai"),
                ("publish_at", ""),
            ],
        )
        .await;
    assert_eq!(now.status, StatusCode::SEE_OTHER, "{}", now.body);
    let now_url = now.location().unwrap().to_owned();
    let later = staff
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("category_id", "bousai"),
                ("title", "避難所の開設"),
                ("body", "明日開設します。"),
                ("publish_at", "2025-04-02T10:00"),
            ],
        )
        .await;
    let later_url = later.location().unwrap().to_owned();
    let bad = staff
        .submit(
            "/admin/announcements",
            "/admin/announcements",
            &[
                ("category_id", "bousai"),
                ("title", ""),
                ("body", "x"),
                ("link", "ftp://x"),
                ("publish_at", "2025-03-01T10:00"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "入力してください",
        "https:// で始まるURL",
        "公開日時は現在より後に",
    ] {
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }

    // Anyone reads what is published; the scheduled one only the office sees.
    let list = app.get("/oshirase").await;
    assert!(
        list.body.contains("防災訓練 &#60;のお知らせ&#62;") && !list.body.contains("<のお知らせ>"),
        "{}",
        list.body
    );
    assert!(!list.body.contains("避難所の開設"));
    let item = app.get(&now_url).await;
    assert!(
        item.body.contains("雨天決行です。") && item.body.contains("2025年4月1日 09:00"),
        "{}",
        item.body
    );
    assert_eq!(app.get(&later_url).await.status, StatusCode::NOT_FOUND);
    assert!(staff.get(&later_url).await.body.contains("公開予定"));

    // The Atom feed of the 分野.
    let feed = app.get("/oshirase/feed/bousai").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.content_type().starts_with("application/atom+xml"));
    assert!(
        feed.body
            .contains("<title>防災訓練 &#60;のお知らせ&#62;</title>"),
        "{}",
        feed.body
    );
    assert!(!feed.body.contains("避難所の開設"));
    assert_eq!(
        app.get("/oshirase/feed/nothing").await.status,
        StatusCode::NOT_FOUND
    );

    // The next day at 10:00 the scheduled one is out.
    app.clock.advance(jiff::SignedDuration::from_hours(25));
    assert!(app.get("/oshirase").await.body.contains("避難所の開設"));

    // A 分野 with announcements cannot be deleted.
    let refused = staff
        .submit("/admin/categories", "/admin/categories/bousai/delete", &[])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
}
