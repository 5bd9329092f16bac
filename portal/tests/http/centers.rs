//! HTTP-level tests of 子育て支援センターの管理: admins register and edit centers and assign
//! center staff; everyone else is kept out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use axum::http::StatusCode;
use portal::{domain::Role, i18n::Lang, store::AccountStore};

const ADMIN: &str = "admin@city.example.jp";

fn center<'a>(
    id: &'a str,
    capacity: &'a str,
    opens: &'a str,
    closes: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("center_id", id),
        ("name", "中央子育て支援センター"),
        ("address", "西条栄町8番29号"),
        ("capacity", capacity),
        ("opens", opens),
        ("closes", closes),
    ]
}

#[tokio::test]
async fn an_admin_registers_and_edits_a_center() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    let created = admin
        .submit(
            "/admin/centers",
            "/admin/centers",
            &center("chuo", "40", "09:00", "16:00"),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert_eq!(created.location(), Some("/admin/centers/chuo?saved=1"));
    let page = admin.get("/admin/centers/chuo?saved=1").await;
    page.assert_says(Lang::Ja, "page.account.saved");
    assert!(page.body.contains("value=\"40\"") && page.body.contains("value=\"16:00\""));

    let edited = admin
        .submit(
            "/admin/centers/chuo",
            "/admin/centers/chuo",
            &center("ignored", "35", "09:30", "15:30"),
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let list = admin.get("/admin/centers").await;
    assert!(list.body.contains("09:30〜15:30"), "{}", list.body);
    assert!(!list.body.contains("ignored"), "the id cannot be changed");
}

#[tokio::test]
async fn bad_centers_are_refused_beside_their_fields_and_ids_are_unique() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    let bad = admin
        .submit(
            "/admin/centers",
            "/admin/centers",
            &center("中央", "0", "16:00", "09:00"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_says(Lang::Ja, "error.id_malformed");
    bad.assert_says(Lang::Ja, "error.capacity_range");
    bad.assert_says(Lang::Ja, "error.closes_before_opens");
    admin
        .submit(
            "/admin/centers",
            "/admin/centers",
            &center("chuo", "40", "09:00", "16:00"),
        )
        .await;
    let again = admin
        .submit(
            "/admin/centers",
            "/admin/centers",
            &center("chuo", "10", "09:00", "16:00"),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    again.assert_says(Lang::Ja, "error.id_taken");
    assert!(
        admin
            .get("/admin/centers/chuo")
            .await
            .body
            .contains("value=\"40\""),
        "the first stays"
    );
}

#[tokio::test]
async fn only_center_staff_can_be_assigned_and_citizens_are_kept_out() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    app.citizen("hanako@example.jp", "山田", "花子").await;
    app.citizen("sakura@example.jp", "支援", "さくら").await;
    let staff = app
        .parts
        .store
        .find_by_email(&portal::domain::Email::parse("sakura@example.jp").unwrap())
        .await
        .unwrap()
        .unwrap();
    app.parts
        .store
        .set_roles(
            staff.account.account_id,
            &[Role::Center],
            None,
            portal::clock::Clock::now(&app.clock),
        )
        .await
        .unwrap();

    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    admin
        .submit(
            "/admin/centers",
            "/admin/centers",
            &center("chuo", "40", "09:00", "16:00"),
        )
        .await;
    let refused = admin
        .submit(
            "/admin/centers/chuo",
            "/admin/centers/chuo/staff",
            &[("email", "hanako@example.jp")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_says(Lang::Ja, "error.not_center_staff");
    let assigned = admin
        .submit(
            "/admin/centers/chuo",
            "/admin/centers/chuo/staff",
            &[("email", "sakura@example.jp")],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER);
    assert!(
        admin
            .get("/admin/centers/chuo")
            .await
            .body
            .contains("支援 さくら")
    );

    let mut citizen = app.browser();
    citizen.login("hanako@example.jp", PASSWORD).await;
    assert_eq!(
        citizen.get("/admin/centers").await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = citizen.get("/").await.csrf();
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(center("evil", "10", "09:00", "16:00"));
    assert_eq!(
        citizen.post_form("/admin/centers", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        admin.get("/admin/centers/evil").await.status,
        StatusCode::NOT_FOUND
    );
}
