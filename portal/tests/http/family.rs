//! HTTP-level tests of 子育て: こども情報の登録・編集 and 出産予定日の登録, scoped to the guardian.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use axum::http::StatusCode;
use portal::i18n::Lang;

const MOTHER: &str = "hanako@example.jp";
const OTHER: &str = "jiro@example.jp";

fn child<'a>(given: &'a str, birth: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("family_name", "山田"),
        ("given_name", given),
        ("sex", "sex_female"),
        ("birth_date", birth),
        ("relationship", "rel_mother"),
    ]
}

#[tokio::test]
async fn a_guardian_registers_edits_and_removes_a_child() {
    let app = TestApp::new(); // today is 2025-04-01 in Tokyo
    app.citizen(MOTHER, "山田", "花子").await;
    let mut browser = app.browser();
    browser.login(MOTHER, PASSWORD).await;

    let page = browser.get("/kosodate/children/new").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("value=\"山田\""),
        "the family name starts as the guardian's"
    );

    let done = browser
        .submit(
            "/kosodate/children/new",
            "/kosodate/children/new",
            &child("さくら", "2023-09-15"),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let list = browser.get("/kosodate").await;
    assert!(list.body.contains("山田 さくら"), "{}", list.body);
    assert!(list.body.contains("1歳6か月"), "age shown: {}", list.body);

    let href_start = list.body.find("/kosodate/children/").unwrap();
    let href: String = list.body[href_start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    assert!(!href.ends_with("/new"));
    let edited = browser
        .submit(&href, &href, &child("桜", "2023-09-15"))
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    assert!(browser.get("/kosodate").await.body.contains("山田 桜"));

    let removed = browser.submit(&href, &format!("{href}/delete"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let after = browser.get("/kosodate").await;
    assert!(!after.body.contains("山田 桜"));
    after.assert_says(Lang::Ja, "page.family.no_children");
}

#[tokio::test]
async fn a_future_birth_date_and_missing_choices_are_refused_beside_their_fields() {
    let app = TestApp::new();
    app.citizen(MOTHER, "山田", "花子").await;
    let mut browser = app.browser();
    browser.login(MOTHER, PASSWORD).await;
    let resp = browser
        .submit(
            "/kosodate/children/new",
            "/kosodate/children/new",
            &[
                ("family_name", "山田"),
                ("given_name", "未来"),
                ("birth_date", "2025-04-02"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    resp.assert_says(Lang::Ja, "error.birth_date_future");
    resp.assert_says(Lang::Ja, "error.choose_one");
    assert!(resp.body.contains("value=\"未来\""), "typed input kept");
    assert!(
        !browser.get("/kosodate").await.body.contains("山田 未来"),
        "nothing stored"
    );
}

#[tokio::test]
async fn another_guardian_can_neither_see_nor_change_the_child() {
    let app = TestApp::new();
    app.citizen(MOTHER, "山田", "花子").await;
    app.citizen(OTHER, "鈴木", "次郎").await;
    let mut mother = app.browser();
    mother.login(MOTHER, PASSWORD).await;
    mother
        .submit(
            "/kosodate/children/new",
            "/kosodate/children/new",
            &child("さくら", "2023-09-15"),
        )
        .await;
    let list = mother.get("/kosodate").await;
    let start = list.body.find("/kosodate/children/").unwrap();
    let href: String = list.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();

    let mut other = app.browser();
    other.login(OTHER, PASSWORD).await;
    assert!(!other.get("/kosodate").await.body.contains("さくら"));
    let peek = other.get(&href).await;
    assert_eq!(peek.status, StatusCode::NOT_FOUND);
    let form = other.get("/kosodate").await;
    let csrf = form.csrf();
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(child("乗っ取り", "2020-01-01"));
    assert_eq!(
        other.post_form(&href, &fields).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other
            .post_form(&format!("{href}/delete"), &[("csrf", csrf.as_str())])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        mother.get("/kosodate").await.body.contains("山田 さくら"),
        "the child is untouched"
    );
}

#[tokio::test]
async fn the_due_date_is_set_checked_and_cleared() {
    let app = TestApp::new(); // 2025-04-01
    app.citizen(MOTHER, "山田", "花子").await;
    let mut browser = app.browser();
    browser.login(MOTHER, PASSWORD).await;
    let far = browser
        .submit(
            "/kosodate/due-date",
            "/kosodate/due-date",
            &[("due_date", "2026-02-01")],
        )
        .await;
    assert_eq!(far.status, StatusCode::UNPROCESSABLE_ENTITY);
    far.assert_says(Lang::Ja, "error.due_date_far");

    let set = browser
        .submit(
            "/kosodate/due-date",
            "/kosodate/due-date",
            &[("due_date", "2025-10-20")],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert!(browser.get("/kosodate").await.body.contains("2025-10-20"));
    assert!(
        browser
            .get("/kosodate/due-date")
            .await
            .body
            .contains("value=\"2025-10-20\"")
    );

    let cleared = browser
        .submit(
            "/kosodate/due-date",
            "/kosodate/due-date",
            &[("due_date", "")],
        )
        .await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER);
    browser
        .get("/kosodate")
        .await
        .assert_says(Lang::Ja, "page.family.no_due_date");
}

#[tokio::test]
async fn withdrawal_deletes_the_children_and_the_due_date() {
    let app = TestApp::new();
    app.citizen(MOTHER, "山田", "花子").await;
    let mut browser = app.browser();
    browser.login(MOTHER, PASSWORD).await;
    browser
        .submit(
            "/kosodate/children/new",
            "/kosodate/children/new",
            &child("さくら", "2023-09-15"),
        )
        .await;
    browser
        .submit(
            "/kosodate/due-date",
            "/kosodate/due-date",
            &[("due_date", "2025-10-20")],
        )
        .await;
    let count = |table: &'static str| {
        let db = app.parts.state.db.clone();
        async move {
            db.read(move |conn| {
                Ok(
                    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                        r.get::<_, i64>(0)
                    })?,
                )
            })
            .await
            .unwrap()
        }
    };
    assert_eq!(count("children").await, 1);
    let gone = browser
        .submit(
            "/account/withdraw",
            "/account/withdraw",
            &[("password", PASSWORD)],
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK);
    assert_eq!(count("children").await, 0);
    assert_eq!(count("due_dates").await, 0);
}

#[tokio::test]
async fn the_pages_need_a_login() {
    let app = TestApp::new();
    let resp = app.get("/kosodate").await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), Some("/login?next=%2Fkosodate"));
}
