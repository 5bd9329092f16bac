//! The school service against the real SQLite store: schools and their groups, enrolling with
//! the code (and the limit on wrong codes), and scoping of staff. Notices are tested in
//! [`super::notice_tests`] on the same world.

use std::sync::Arc;

use jiff::SignedDuration;

use super::*;
use crate::{
    clock::FixedClock,
    domain::{
        AccountId, ChildId, Email,
        family::{Relationship, Sex, ValidChild},
        school_notices::NoticeInput,
        schools::MAX_CODE_FAILURES,
    },
    notify::Wake,
    store::{
        AccountStatus, FamilyStore, NewAccount,
        sqlite::{SqliteStore, test_support},
    },
};

pub(super) struct World {
    pub(super) store: SqliteStore,
    _dir: tempfile::TempDir,
    pub(super) clock: FixedClock,
    pub(super) schools: Schools,
}

pub(super) fn world() -> World {
    let (store, dir) = test_support::store();
    let clock = FixedClock::new("2026-12-02T00:00:00Z".parse().unwrap());
    let notifier = Notifier::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::new(clock.clone()),
        Arc::new(Wake::default()),
        "東広島市".into(),
        "https://portal.example.jp".into(),
    );
    let schools = Schools::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        notifier,
        Arc::new(clock.clone()),
        "https://portal.example.jp".into(),
    );
    World {
        store,
        _dir: dir,
        clock,
        schools,
    }
}

impl World {
    pub(super) async fn account(&self, email: &str, roles: Vec<Role>) -> Account {
        let account_id = AccountId::new();
        let new = NewAccount {
            account_id,
            email: Email::parse(email).unwrap(),
            family_name: "山田".into(),
            given_name: email.split('@').next().unwrap().into(),
            password_hash: None,
            status: AccountStatus::Active,
            lang: "ja".into(),
            roles,
            created_at: self.clock.now(),
            terms_accepted_at: None,
        };
        assert!(self.store.create_account(new, None, None).await.unwrap());
        self.store.get(account_id).await.unwrap().unwrap().account
    }

    pub(super) async fn child(&self, guardian: &Account, name: &str) -> ChildId {
        let child = ValidChild {
            family_name: "山田".into(),
            given_name: name.into(),
            sex: Sex::Unspecified,
            birth_date: "2018-05-05".parse().unwrap(),
            relationship: Relationship::Mother,
        };
        self.store
            .add_child(guardian.account_id, child, self.clock.now())
            .await
            .unwrap()
    }

    /// An admin, a school with class 3年1組 and a club, and one teacher of it.
    pub(super) async fn school(&self) -> (Account, Account, String, Vec<Group>) {
        let admin = self.account("admin@example.jp", vec![Role::Admin]).await;
        let teacher = self.account("sensei@example.jp", vec![Role::School]).await;
        let input = SchoolInput {
            code: "4821".into(),
            name: "西条小学校".into(),
            kind: "elementary".into(),
        };
        let code = self.schools.create(&admin, &input).await.unwrap();
        self.schools
            .assign(&admin, &code, "sensei@example.jp")
            .await
            .unwrap();
        self.schools
            .add_group(&teacher, &code, "3", "1組")
            .await
            .unwrap();
        self.schools
            .add_group(&teacher, &code, "", "吹奏楽部")
            .await
            .unwrap();
        let groups = self.schools.groups(&teacher, &code).await.unwrap();
        (admin, teacher, code, groups)
    }
}

pub(super) fn group(groups: &[Group], name: &str) -> String {
    groups
        .iter()
        .find(|g| g.kind.name(crate::domain::schools::SchoolKind::Elementary) == name)
        .unwrap_or_else(|| panic!("no group {name}"))
        .group_id
        .to_string()
}

pub(super) fn notice_to(groups: Vec<String>) -> NoticeInput {
    NoticeInput {
        kind: "closure".into(),
        urgent: true,
        title: "臨時休校のお知らせ".into(),
        body: "大雪のため、12月3日は臨時休校とします。".into(),
        groups,
    }
}

#[tokio::test]
async fn a_school_has_whole_grade_class_and_other_groups() {
    let w = world();
    let (_, _, code, groups) = w.school().await;
    let names: Vec<String> = groups
        .iter()
        .map(|g| g.kind.name(crate::domain::schools::SchoolKind::Elementary))
        .collect();
    assert_eq!(
        names,
        [
            "全校",
            "1年",
            "2年",
            "3年",
            "3年1組",
            "4年",
            "5年",
            "6年",
            "吹奏楽部"
        ]
    );
    let admin = w
        .store
        .get(groups_admin(&w).await)
        .await
        .unwrap()
        .unwrap()
        .account;
    let again = w
        .schools
        .create(
            &admin,
            &SchoolInput {
                code: code.clone(),
                name: "別の学校".into(),
                kind: "junior_high".into(),
            },
        )
        .await;
    assert!(
        matches!(again, Err(AccountError::Invalid(e)) if e.get("code") == Some("error.school_code_taken"))
    );
    let chosen = w
        .schools
        .create(
            &admin,
            &SchoolInput {
                code: String::new(),
                name: "みなみ幼稚園".into(),
                kind: "kindergarten".into(),
            },
        )
        .await
        .unwrap();
    assert!(schools::is_code(&chosen) && chosen != code);
}

async fn groups_admin(w: &World) -> AccountId {
    w.store
        .find_by_email(&Email::parse("admin@example.jp").unwrap())
        .await
        .unwrap()
        .unwrap()
        .account
        .account_id
}

#[tokio::test]
async fn staff_are_scoped_to_their_own_school() {
    let w = world();
    let (admin, teacher, code, groups) = w.school().await;
    let other = w.account("other@example.jp", vec![Role::School]).await;
    let citizen = w.account("citizen@example.jp", vec![]).await;
    assert!(w.schools.manageable(&other).await.unwrap().is_empty());
    assert!(w.schools.groups(&other, &code).await.is_err());
    assert!(w.schools.manageable(&citizen).await.is_err());
    assert!(
        w.schools
            .post(&other, &code, &notice_to(vec![group(&groups, "全校")]))
            .await
            .is_err()
    );
    // Admins set schools up but do not post as the school.
    assert!(
        w.schools
            .post(&admin, &code, &notice_to(vec![group(&groups, "全校")]))
            .await
            .is_err()
    );
    assert_eq!(w.schools.manageable(&teacher).await.unwrap().len(), 1);
    // Only holders of the school role become a school's staff.
    let refused = w.schools.assign(&admin, &code, "citizen@example.jp").await;
    assert!(
        matches!(refused, Err(AccountError::Invalid(e)) if e.get("email") == Some("error.not_school_staff"))
    );
}

#[tokio::test]
async fn wrong_codes_are_limited_and_the_right_one_enrolls() {
    let w = world();
    let (_, _, code, groups) = w.school().await;
    let parent = w.account("parent@example.jp", vec![]).await;
    let taro = w.child(&parent, "太郎").await;
    let short = w.schools.find_by_code(&parent, "12").await;
    assert!(
        matches!(short, Err(AccountError::Invalid(e)) if e.get("code") == Some("error.school_code_malformed"))
    );
    for _ in 0..MAX_CODE_FAILURES {
        let wrong = w.schools.find_by_code(&parent, "0000").await;
        assert!(
            matches!(wrong, Err(AccountError::Invalid(e)) if e.get("code") == Some("error.school_code_wrong"))
        );
    }
    // Locked now, even with the right code …
    let locked = w.schools.find_by_code(&parent, &code).await;
    assert!(
        matches!(locked, Err(AccountError::Invalid(e)) if e.get("code") == Some("error.school_code_locked"))
    );
    // … another account is not …
    let other = w.account("other-parent@example.jp", vec![]).await;
    assert!(w.schools.find_by_code(&other, &code).await.is_ok());
    // … and an hour later it may try again (full-width digits as an IME types them).
    w.clock.advance(SignedDuration::from_mins(61));
    let fullwidth: String = code
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
        .collect();
    assert_eq!(
        w.schools
            .find_by_code(&parent, &fullwidth)
            .await
            .unwrap()
            .code,
        code
    );
    // A grade with classes needs one of them.
    let mut input = EnrollInput {
        child_id: taro.to_string(),
        code: code.clone(),
        grade: "3".into(),
        class: String::new(),
        others: vec![],
    };
    let no_class = w.schools.enroll(&parent, &input).await;
    assert!(matches!(no_class, Err(AccountError::Invalid(e)) if e.get("class").is_some()));
    input.class = group(&groups, "3年1組");
    input.others = vec![group(&groups, "吹奏楽部")];
    w.schools.enroll(&parent, &input).await.unwrap();
    let enrolled = w.schools.enrollments(&parent).await.unwrap();
    assert_eq!(enrolled.len(), 1);
    assert_eq!(enrolled[0].class.as_deref(), Some("1組"));
    assert_eq!(enrolled[0].others, ["吹奏楽部"]);
    // Someone else's child cannot be enrolled.
    let stranger = w.schools.enroll(&other, &input).await;
    assert!(matches!(stranger, Err(AccountError::Invalid(e)) if e.get("child_id").is_some()));
}
