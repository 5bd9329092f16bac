//! 市からのお知らせ: staff keep the 分野; a citizen picks hers as the city's guide describes
//! (choose, take one off with ×, 送信), and only 送信 saves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp};
use portal::{
    domain::{Email, Role},
    store::AccountStore,
};

const OFFICE: &str = "koho@city.example.jp";
const CITIZEN: &str = "hanako@example.jp";

async fn office(app: &TestApp) {
    app.admin(OFFICE).await;
    let account = app
        .parts
        .store
        .find_by_email(&Email::parse(OFFICE).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account;
    app.parts
        .store
        .set_roles(
            account.account_id,
            &[Role::Announcements],
            None,
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
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
