//! HTTP-level tests of the staff administration: the admin's staff page, invitations by mail,
//! the invited staff member's welcome page, roles, and who may see any of it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{OTHER_PASSWORD, PASSWORD, TestApp, token_in};
use axum::http::{Method, StatusCode};
use portal::i18n::Lang;

const ADMIN: &str = "admin@city.example.jp";
const STAFF: &str = "sensei@school.example.jp";
const CITIZEN: &str = "taro.yamada@example.jp";

fn invitation<'a>(email: &'a str, roles: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("email", email),
        ("family_name", "鈴木"),
        ("given_name", "先生"),
    ];
    fields.extend(roles.iter().map(|role| ("roles", *role)));
    fields
}

#[tokio::test]
async fn an_admin_invites_staff_who_sets_a_password_and_logs_in() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    let mut admin = app.browser();
    assert_eq!(
        admin.login(ADMIN, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    let home = admin.get("/").await;
    assert!(
        home.body.contains("href=\"/admin/staff\""),
        "admins get the staff link"
    );

    let page = admin.get("/admin/staff").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_says(Lang::Ja, "page.staff.invite");
    assert!(page.body.contains(ADMIN), "the admin is listed");

    let resp = admin
        .submit(
            "/admin/staff",
            "/admin/staff",
            &invitation(STAFF, &["school", "disaster"]),
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(resp.location(), Some("/admin/staff?done=invited"));

    let after = admin.get("/admin/staff?done=invited").await;
    after.assert_says(Lang::Ja, "page.staff.invited");
    assert!(
        after.body.contains(STAFF),
        "the invited staff member is listed"
    );
    after.assert_says(Lang::Ja, "page.staff.pending");

    let mail = app.mail_to(STAFF).await;
    assert_eq!(mail.len(), 1, "one invitation mail");
    assert_eq!(
        mail[0].subject,
        "東広島市市民ポータルサイト 職員アカウントのご案内"
    );
    assert!(
        mail[0].text.contains("/staff/welcome?token="),
        "{}",
        mail[0].text
    );
    let token = token_in(&mail[0].text, "/staff/welcome").unwrap();

    // Before setting a password the invited account cannot log in.
    let mut staff = app.browser();
    assert!(staff.login(STAFF, PASSWORD).await.status.is_client_error());

    let welcome = format!("/staff/welcome?token={token}");
    let form = staff.get(&welcome).await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_says(Lang::Ja, "page.welcome.lead");
    assert!(
        form.body
            .contains(&format!("name=\"token\" value=\"{token}\""))
    );
    let set = staff
        .submit(
            &welcome,
            "/staff/welcome",
            &[
                ("token", &token),
                ("password", OTHER_PASSWORD),
                ("password_confirm", OTHER_PASSWORD),
            ],
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    set.assert_says(Lang::Ja, "page.reset.done");

    let login = staff.login(STAFF, OTHER_PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    assert!(staff.get("/").await.body.contains("鈴木 先生"));
    // Staff without the admin role do not manage staff.
    assert_eq!(
        staff.get("/admin/staff").await.status,
        StatusCode::FORBIDDEN
    );

    let bearer = app.api_token(STAFF, OTHER_PASSWORD).await;
    let me = app
        .api(Method::GET, "/api/v1/me", None, Some(&bearer))
        .await
        .json();
    let mut roles: Vec<String> = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|role| role.as_str().unwrap().to_owned())
        .collect();
    roles.sort();
    assert_eq!(roles, ["disaster", "school"]);

    // The link works once.
    let again = staff
        .submit(
            &welcome,
            "/staff/welcome",
            &[
                ("token", &token),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    again.assert_says(Lang::Ja, "error.link_used");
    let mut fresh = app.browser();
    assert_eq!(
        fresh.login(STAFF, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED,
        "the reused link changed the password"
    );
}

#[tokio::test]
async fn a_citizen_gets_403_on_the_staff_page_and_cannot_invite() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    app.citizen(CITIZEN, "山田", "太郎").await;
    let mut citizen = app.browser();
    citizen.login(CITIZEN, PASSWORD).await;

    let resp = citizen.get("/admin/staff").await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    assert!(resp.content_type().starts_with("text/html"));
    resp.assert_says(Lang::Ja, "error.forbidden");
    assert!(!resp.body.contains(ADMIN), "the staff list leaks");

    let accounts = app.account_count().await;
    let csrf = citizen.get("/").await.csrf();
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(invitation(STAFF, &["admin"]));
    let invite = citizen.post_form("/admin/staff", &fields).await;
    assert_eq!(invite.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.account_count().await,
        accounts,
        "a citizen created an account"
    );
    assert!(app.mail_to(STAFF).await.is_empty());
}

#[tokio::test]
async fn a_visitor_is_sent_to_login_from_the_staff_page() {
    let app = TestApp::new();
    let resp = app.get("/admin/staff").await;
    assert!(resp.status.is_redirection(), "{}", resp.status);
    assert_eq!(resp.location(), Some("/login?next=%2Fadmin%2Fstaff"));
}

#[tokio::test]
async fn an_invitation_needs_a_role_and_keeps_the_input() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    let resp = admin
        .submit("/admin/staff", "/admin/staff", &invitation(STAFF, &[]))
        .await;
    assert_eq!(
        resp.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        resp.body
    );
    resp.assert_says(Lang::Ja, "error.roles_required");
    assert!(resp.body.contains(&format!("value=\"{STAFF}\"")));
    assert!(resp.body.contains("value=\"鈴木\""));
    assert!(app.mail_to(STAFF).await.is_empty());
}

#[tokio::test]
async fn an_unknown_role_is_refused() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    let accounts = app.account_count().await;
    let resp = admin
        .submit(
            "/admin/staff",
            "/admin/staff",
            &invitation(STAFF, &["school", "superuser"]),
        )
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.account_count().await, accounts);
}

#[tokio::test]
async fn an_invitation_without_the_csrf_token_is_refused() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    let resp = admin
        .post_form("/admin/staff", &invitation(STAFF, &["school"]))
        .await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    resp.assert_says(Lang::Ja, "error.csrf");
    assert!(app.mail_to(STAFF).await.is_empty());
}

#[tokio::test]
async fn the_last_admin_cannot_remove_their_own_admin_role() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    let bearer = app.api_token(ADMIN, PASSWORD).await;
    let id = app
        .api(Method::GET, "/api/v1/me", None, Some(&bearer))
        .await
        .json()["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let action = format!("/admin/staff/{id}/roles");
    let resp = admin
        .submit("/admin/staff", &action, &[("roles", "school")])
        .await;
    assert_eq!(
        resp.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        resp.body
    );
    resp.assert_says(Lang::Ja, "error.last_admin");
    assert_eq!(
        admin.get("/admin/staff").await.status,
        StatusCode::OK,
        "still an admin"
    );

    // Adding a role while keeping admin works.
    let ok = admin
        .submit(
            "/admin/staff",
            &action,
            &[("roles", "admin"), ("roles", "school")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), Some("/admin/staff?done=roles"));
    admin
        .get("/admin/staff?done=roles")
        .await
        .assert_says(Lang::Ja, "page.staff.roles_saved");
}

#[tokio::test]
async fn an_admin_can_take_staff_roles_away() {
    let app = TestApp::new();
    app.admin(ADMIN).await;
    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    admin
        .submit(
            "/admin/staff",
            "/admin/staff",
            &invitation(STAFF, &["school"]),
        )
        .await;
    let token = app.token_for(STAFF, "/staff/welcome").await;
    app.parts
        .state
        .accounts
        .accept_invite(&token, OTHER_PASSWORD, OTHER_PASSWORD)
        .await
        .unwrap();
    let bearer = app.api_token(STAFF, OTHER_PASSWORD).await;
    let id = app
        .api(Method::GET, "/api/v1/me", None, Some(&bearer))
        .await
        .json()["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let resp = admin
        .submit(
            "/admin/staff",
            &format!("/admin/staff/{id}/roles"),
            &[("roles", "librarian")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let me = app
        .api(Method::GET, "/api/v1/me", None, Some(&bearer))
        .await
        .json();
    assert_eq!(me["roles"], serde_json::json!(["librarian"]));
}
