//! The account rules end to end over a real SQLite store, with a fixed clock.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;

use super::*;
use crate::{
    clock::FixedClock,
    domain::Role,
    store::{
        MailOutbox, OutgoingMail,
        sqlite::{SqliteStore, test_support},
    },
};

struct World {
    accounts: Accounts,
    store: SqliteStore,
    clock: FixedClock,
    _dir: tempfile::TempDir,
}

fn world() -> World {
    let (store, dir) = test_support::store();
    let clock = FixedClock::new("2026-11-25T09:00:00Z".parse::<Timestamp>().unwrap());
    let accounts = Accounts::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::new(clock.clone()),
        "東広島市".into(),
        "http://portal.test".into(),
        Arc::new(Notify::new()),
    );
    World {
        accounts,
        store,
        clock,
        _dir: dir,
    }
}

fn input(email: &str) -> RegistrationInput {
    RegistrationInput {
        email: email.into(),
        family_name: "山田".into(),
        given_name: "花子".into(),
        password: "momiji-manju-42".into(),
        password_confirm: "momiji-manju-42".into(),
        accept_terms: true,
    }
}

impl World {
    async fn mails_to(&self, to: &str) -> Vec<OutgoingMail> {
        let all = self.store.mail_to(to).await.unwrap();
        all.into_iter().map(|q| q.mail).collect()
    }

    async fn link_in_last_mail(&self, to: &str, path: &str) -> String {
        let mails = self.mails_to(to).await;
        let text = &mails.last().expect("a mail").text;
        let start = text.find(&format!("{path}?token=")).expect("a link");
        let rest = &text[start + path.len() + "?token=".len()..];
        rest.split_whitespace().next().unwrap().to_owned()
    }
}

#[tokio::test]
async fn registration_needs_the_mailed_link_before_login() {
    let w = world();
    w.accounts
        .register(&input("hanako@example.jp"), Lang::Ja)
        .await
        .unwrap();
    let mails = w.mails_to("hanako@example.jp").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "東広島市市民ポータルサイトの本登録確認");

    let err = w
        .accounts
        .login("hanako@example.jp", "momiji-manju-42", SessionKind::Web)
        .await
        .unwrap_err();
    assert!(matches!(err, AccountError::NotVerified));

    let token = w.link_in_last_mail("hanako@example.jp", "/verify").await;
    w.accounts.verify(&token).await.unwrap();
    let again = w.accounts.verify(&token).await.unwrap_err();
    assert!(matches!(again, AccountError::Token(TokenProblem::Used)));

    let (account, secret) = w
        .accounts
        .login("HANAKO@example.jp", "momiji-manju-42", SessionKind::Web)
        .await
        .unwrap();
    assert_eq!(account.family_name, "山田");
    let (found, _) = w.accounts.authenticate(&secret).await.unwrap().unwrap();
    assert_eq!(found.account_id, account.account_id);
}

#[tokio::test]
async fn verification_links_expire_after_a_day() {
    let w = world();
    w.accounts
        .register(&input("late@example.jp"), Lang::Ja)
        .await
        .unwrap();
    let token = w.link_in_last_mail("late@example.jp", "/verify").await;
    w.clock.advance(SignedDuration::from_hours(25));
    let err = w.accounts.verify(&token).await.unwrap_err();
    assert!(matches!(err, AccountError::Token(TokenProblem::Expired)));
    // A resend gives a new link that works.
    w.accounts
        .resend_verification("late@example.jp", Lang::Ja)
        .await
        .unwrap();
    let fresh = w.link_in_last_mail("late@example.jp", "/verify").await;
    assert_ne!(fresh, token);
    w.accounts.verify(&fresh).await.unwrap();
}

#[tokio::test]
async fn registering_a_taken_address_answers_the_same_and_tells_only_the_owner() {
    let w = world();
    w.accounts
        .register(&input("taken@example.jp"), Lang::Ja)
        .await
        .unwrap();
    let token = w.link_in_last_mail("taken@example.jp", "/verify").await;
    w.accounts.verify(&token).await.unwrap();
    // Same Ok(()) as a fresh registration; the owner gets a different mail.
    w.accounts
        .register(&input("Taken@Example.jp"), Lang::Ja)
        .await
        .unwrap();
    let mails = w.mails_to("taken@example.jp").await;
    assert_eq!(mails.len(), 2);
    assert!(
        mails[1].subject.contains("登録について"),
        "{}",
        mails[1].subject
    );
    // The original password still works: nothing was overwritten.
    w.accounts
        .login("taken@example.jp", "momiji-manju-42", SessionKind::Web)
        .await
        .unwrap();
}

#[tokio::test]
async fn wrong_passwords_and_unknown_addresses_look_the_same() {
    let w = world();
    w.accounts
        .register(&input("a@example.jp"), Lang::Ja)
        .await
        .unwrap();
    let wrong = w
        .accounts
        .login("a@example.jp", "not-the-password", SessionKind::Api)
        .await
        .unwrap_err();
    let unknown = w
        .accounts
        .login("nobody@example.jp", "whatever-it-is", SessionKind::Api)
        .await
        .unwrap_err();
    assert!(matches!(wrong, AccountError::BadCredentials));
    assert!(matches!(unknown, AccountError::BadCredentials));
}

#[tokio::test]
async fn a_password_reset_ends_every_session() {
    let w = world();
    w.accounts
        .register(&input("r@example.jp"), Lang::Ja)
        .await
        .unwrap();
    let token = w.link_in_last_mail("r@example.jp", "/verify").await;
    w.accounts.verify(&token).await.unwrap();
    let (_, old_session) = w
        .accounts
        .login("r@example.jp", "momiji-manju-42", SessionKind::Web)
        .await
        .unwrap();

    w.accounts
        .request_reset("r@example.jp", Lang::Ja)
        .await
        .unwrap();
    let reset = w.link_in_last_mail("r@example.jp", "/password/reset").await;
    let weak = w
        .accounts
        .reset_password(&reset, "password", "password")
        .await
        .unwrap_err();
    assert!(matches!(weak, AccountError::Invalid(_)));
    w.accounts
        .reset_password(&reset, "hassaku-orange-9", "hassaku-orange-9")
        .await
        .unwrap();

    assert!(
        w.accounts
            .authenticate(&old_session)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        w.accounts
            .login("r@example.jp", "momiji-manju-42", SessionKind::Web)
            .await
            .is_err()
    );
    w.accounts
        .login("r@example.jp", "hassaku-orange-9", SessionKind::Web)
        .await
        .unwrap();
    // Reset links are single-use.
    let reused = w
        .accounts
        .reset_password(&reset, "another-one-77", "another-one-77")
        .await
        .unwrap_err();
    assert!(matches!(reused, AccountError::Token(TokenProblem::Used)));
}

#[tokio::test]
async fn an_email_change_takes_effect_only_through_the_new_address() {
    let w = world();
    w.accounts
        .register(&input("old@example.jp"), Lang::Ja)
        .await
        .unwrap();
    let token = w.link_in_last_mail("old@example.jp", "/verify").await;
    w.accounts.verify(&token).await.unwrap();
    let (account, _) = w
        .accounts
        .login("old@example.jp", "momiji-manju-42", SessionKind::Web)
        .await
        .unwrap();

    let wrong = w
        .accounts
        .request_email_change(&account, "new@example.jp", "bad-password", Lang::Ja)
        .await
        .unwrap_err();
    assert!(matches!(wrong, AccountError::Invalid(ref e) if e.get("current_password").is_some()));
    w.accounts
        .request_email_change(&account, "new@example.jp", "momiji-manju-42", Lang::Ja)
        .await
        .unwrap();
    assert!(
        w.accounts
            .login("new@example.jp", "momiji-manju-42", SessionKind::Web)
            .await
            .is_err()
    );
    let link = w
        .link_in_last_mail("new@example.jp", "/account/email/confirm")
        .await;
    w.accounts.confirm_email_change(&link).await.unwrap();
    w.accounts
        .login("new@example.jp", "momiji-manju-42", SessionKind::Web)
        .await
        .unwrap();
    assert!(
        w.accounts
            .login("old@example.jp", "momiji-manju-42", SessionKind::Web)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn withdrawal_deletes_the_account_and_its_mail() {
    let w = world();
    w.accounts
        .register(&input("bye@example.jp"), Lang::Ja)
        .await
        .unwrap();
    let token = w.link_in_last_mail("bye@example.jp", "/verify").await;
    w.accounts.verify(&token).await.unwrap();
    let (account, session) = w
        .accounts
        .login("bye@example.jp", "momiji-manju-42", SessionKind::Web)
        .await
        .unwrap();
    assert!(
        w.accounts
            .withdraw(&account, "wrong-password", Lang::Ja)
            .await
            .is_err()
    );
    w.accounts
        .withdraw(&account, "momiji-manju-42", Lang::Ja)
        .await
        .unwrap();
    assert!(w.accounts.authenticate(&session).await.unwrap().is_none());
    let email = crate::domain::Email::parse("bye@example.jp").unwrap();
    assert!(
        AccountStore::find_by_email(&w.store, &email)
            .await
            .unwrap()
            .is_none()
    );
    // Only the farewell mail is left for that address.
    let mails = w.mails_to("bye@example.jp").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("退会"));
    // The address can register again.
    w.accounts
        .register(&input("bye@example.jp"), Lang::Ja)
        .await
        .unwrap();
}

#[tokio::test]
async fn staff_invitation_and_the_last_admin_rule() {
    let w = world();
    let admin_id = w
        .accounts
        .create_admin(
            "admin@city.example.jp",
            "市役所",
            "管理者",
            "admin-pass-2026",
        )
        .await
        .unwrap();
    let (admin, _) = w
        .accounts
        .login("admin@city.example.jp", "admin-pass-2026", SessionKind::Web)
        .await
        .unwrap();
    assert!(admin.has_role(Role::Admin));

    w.accounts
        .invite_staff(
            &admin,
            "teacher@school.example.jp",
            "佐藤",
            "一郎",
            &[Role::School],
            Lang::Ja,
        )
        .await
        .unwrap();
    let link = w
        .link_in_last_mail("teacher@school.example.jp", "/staff/welcome")
        .await;
    w.accounts
        .accept_invite(&link, "kokuban-chalk-3", "kokuban-chalk-3")
        .await
        .unwrap();
    let (teacher, _) = w
        .accounts
        .login(
            "teacher@school.example.jp",
            "kokuban-chalk-3",
            SessionKind::Web,
        )
        .await
        .unwrap();
    assert_eq!(teacher.roles, vec![Role::School]);

    // A teacher cannot invite or change roles.
    assert!(matches!(
        w.accounts
            .set_roles(&teacher, teacher.account_id, &[Role::Admin])
            .await,
        Err(AccountError::Forbidden(_))
    ));
    // The only admin cannot drop the admin role.
    let err = w
        .accounts
        .set_roles(&admin, admin_id, &[Role::Waste])
        .await
        .unwrap_err();
    assert!(
        matches!(err, AccountError::Invalid(ref e) if e.get("roles") == Some("error.last_admin"))
    );
    // With a second admin, it can.
    w.accounts
        .set_roles(&admin, teacher.account_id, &[Role::School, Role::Admin])
        .await
        .unwrap();
    w.accounts
        .set_roles(&admin, admin_id, &[Role::Waste])
        .await
        .unwrap();
    let staff = w
        .accounts
        .list_staff(&teacher_with_admin(&w, &teacher).await)
        .await
        .unwrap();
    assert_eq!(staff.len(), 2);
}

async fn teacher_with_admin(w: &World, teacher: &Account) -> Account {
    AccountStore::get(&w.store, teacher.account_id)
        .await
        .unwrap()
        .unwrap()
        .account
}
