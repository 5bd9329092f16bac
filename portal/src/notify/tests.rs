//! The delivery engine against the real SQLite store, with a recording mail transport and a
//! fake LINE API that keeps LINE's retry-key rule (a key accepted once answers "accepted"
//! again and delivers nothing).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_trait::async_trait;
use jiff::SignedDuration;
use serde_json::Value;
use uuid::Uuid;

use super::{worker::*, *};
use crate::{
    clock::FixedClock,
    domain::{AccountId, Email, categories::ValidCategory, notify::SendFailure},
    line::{LineApi, LineError},
    mail::{MailError, MailTransport},
    store::{
        AccountStatus, AccountStore, LineLinkStore, NewAccount, OutgoingMail,
        sqlite::{SqliteStore, test_support},
    },
};

#[derive(Default)]
struct Mailbox {
    sent: Mutex<Vec<OutgoingMail>>,
    refuse: Mutex<Vec<String>>,
}

#[async_trait]
impl MailTransport for Mailbox {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        if self.refuse.lock().unwrap().contains(&mail.to) {
            return Err(MailError::Permanent("550 mailbox unavailable".into()));
        }
        self.sent.lock().unwrap().push(mail.clone());
        Ok(())
    }

    fn name(&self) -> &'static str {
        "test"
    }
}

#[derive(Default)]
struct Line {
    /// (user, text) delivered.
    delivered: Mutex<Vec<(String, String)>>,
    accepted_keys: Mutex<HashMap<Uuid, usize>>,
    requests: Mutex<Vec<(Uuid, usize)>>,
    /// Answers to give before behaving normally.
    failures: Mutex<Vec<SendFailure>>,
}

impl Line {
    fn accept(&self, to: &[String], messages: &[Value], key: Uuid) -> Result<(), LineError> {
        self.requests.lock().unwrap().push((key, to.len()));
        let mut failures = self.failures.lock().unwrap();
        if !failures.is_empty() {
            return Err(LineError::Failure(failures.remove(0)));
        }
        let mut keys = self.accepted_keys.lock().unwrap();
        if keys.contains_key(&key) {
            return Ok(()); // 409: accepted before
        }
        keys.insert(key, to.len());
        let text = messages[0]["text"].as_str().unwrap().to_owned();
        let mut delivered = self.delivered.lock().unwrap();
        delivered.extend(to.iter().map(|user| (user.clone(), text.clone())));
        Ok(())
    }
}

#[async_trait]
impl LineApi for Line {
    async fn push(&self, to: &str, messages: &[Value], key: Uuid) -> Result<(), LineError> {
        self.accept(&[to.to_owned()], messages, key)
    }
    async fn multicast(
        &self,
        to: &[String],
        messages: &[Value],
        key: Uuid,
    ) -> Result<(), LineError> {
        assert!(to.len() <= 500, "a multicast of {}", to.len());
        self.accept(to, messages, key)
    }
    async fn reply(&self, _: &str, _: &[Value]) -> Result<(), LineError> {
        Ok(())
    }
    async fn issue_link_token(&self, _: &str) -> Result<String, LineError> {
        Ok("token".into())
    }
    fn configured(&self) -> bool {
        true
    }
}

struct World {
    store: SqliteStore,
    _dir: tempfile::TempDir,
    clock: FixedClock,
    mail: Arc<Mailbox>,
    line: Arc<Line>,
    notifier: Notifier,
    delivery: Delivery,
}

fn world() -> World {
    let (store, dir) = test_support::store();
    let clock = FixedClock::new("2026-12-02T09:00:00Z".parse().unwrap());
    let mail = Arc::new(Mailbox::default());
    let line = Arc::new(Line::default());
    let wake = Arc::new(Wake::default());
    let notifier = Notifier::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::new(clock.clone()),
        Arc::clone(&wake),
        "東広島市".into(),
        "https://portal.example.jp".into(),
    );
    let delivery = Delivery {
        store: Arc::new(store.clone()),
        mail: mail.clone(),
        line: line.clone(),
        clock: Arc::new(clock.clone()),
        wake,
        instance: "test".into(),
        settings: WorkerSettings::default(),
    };
    World {
        store,
        _dir: dir,
        clock,
        mail,
        line,
        notifier,
        delivery,
    }
}

impl World {
    async fn citizen(&self, n: usize, lang: &str) -> AccountId {
        let account_id = AccountId::new();
        let account = NewAccount {
            account_id,
            email: Email::parse(&format!("citizen{n}@example.jp")).unwrap(),
            family_name: "市民".into(),
            given_name: format!("{n}"),
            password_hash: None,
            status: AccountStatus::Active,
            lang: lang.into(),
            roles: vec![],
            created_at: self.clock.now(),
            terms_accepted_at: None,
        };
        assert!(
            self.store
                .create_account(account, None, None)
                .await
                .unwrap()
        );
        account_id
    }

    async fn link(&self, account_id: AccountId, user: &str) {
        let nonce = [7u8; 32];
        let until = self.clock.now() + SignedDuration::from_mins(5);
        self.store
            .create_link_nonce(nonce, account_id, until)
            .await
            .unwrap();
        self.store
            .link_with_nonce(nonce, user, self.clock.now())
            .await
            .unwrap();
    }

    async fn deliver_to(&self, accounts: Vec<AccountId>, title: &str) -> Option<u64> {
        let notice = Notice {
            service: Service::School,
            sender: "西条小学校".into(),
            title: title.into(),
            body: "本日は臨時休校とします。".into(),
            link: None,
            attachment: None,
            read_url: "https://portal.example.jp/school/1".into(),
            urgent: true,
            date: "2026年12月2日 9:00".into(),
        };
        self.notifier
            .deliver(
                "school_notice",
                Source::Other("test", Uuid::now_v7()),
                &notice,
                Audience::Accounts(accounts),
            )
            .await
            .unwrap()
    }

    async fn pass(&self) -> (usize, usize) {
        let multicast = governor::RateLimiter::direct(governor::Quota::per_second(
            std::num::NonZeroU32::new(10_000).unwrap(),
        ));
        let emails = self.delivery.email_pass().await.unwrap();
        let line = self
            .delivery
            .line_pass(&multicast, &multicast)
            .await
            .unwrap();
        (emails, line)
    }

    fn line_users(&self) -> Vec<String> {
        let mut users: Vec<String> = self
            .line
            .delivered
            .lock()
            .unwrap()
            .iter()
            .map(|(user, _)| user.clone())
            .collect();
        users.sort();
        users
    }
}

#[tokio::test]
async fn each_citizen_gets_a_notice_once_on_each_channel_they_chose() {
    let w = world();
    let both = w.citizen(1, "ja").await;
    let email_only = w.citizen(2, "en").await;
    let line_unlinked = w.citizen(3, "ja").await;
    let nothing = w.citizen(4, "ja").await;
    w.link(both, "U1").await;
    w.link(email_only, "U2").await;
    let off = |email, line| vec![(Service::School, ChannelChoice { email, line })];
    w.notifier
        .set_choices(email_only, off(true, false))
        .await
        .unwrap();
    w.notifier
        .set_choices(line_unlinked, off(false, true))
        .await
        .unwrap();
    w.notifier
        .set_choices(nothing, off(false, false))
        .await
        .unwrap();

    // The same account twice in the audience is one recipient.
    let audience = vec![both, email_only, line_unlinked, nothing, both];
    assert_eq!(w.deliver_to(audience, "臨時休校").await, Some(3));
    assert_eq!(w.pass().await, (2, 1));
    let sent = w.mail.sent.lock().unwrap().clone();
    let mut to: Vec<&str> = sent.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["citizen1@example.jp", "citizen2@example.jp"]);
    let english = sent.iter().find(|m| m.to == "citizen2@example.jp").unwrap();
    assert!(
        english.subject.starts_with("[Urgent]"),
        "{}",
        english.subject
    );
    assert_eq!(w.line_users(), ["U1"]);
    // Nothing is left to send, and another pass sends nothing again.
    assert_eq!(w.pass().await, (0, 0));
    assert_eq!(w.delivery.next_due().await.unwrap(), None);
}

#[tokio::test]
async fn an_announcement_is_delivered_once_to_the_citizens_of_its_category() {
    let w = world();
    let subscriber = w.citizen(1, "ja").await;
    let _other = w.citizen(2, "ja").await;
    use crate::store::CategoryStore;
    let category = ValidCategory {
        category_id: "bousai".into(),
        name: "防災・安全".into(),
    };
    w.store
        .create_category(category, w.clock.now())
        .await
        .unwrap();
    w.store
        .set_subscriptions(subscriber, vec!["bousai".into()])
        .await
        .unwrap();
    let input = crate::domain::announcements::AnnouncementInput {
        category_id: "bousai".into(),
        title: "防災訓練".into(),
        body: "11月29日に防災訓練を行います。".into(),
        link: String::new(),
        publish_at: "2026-12-02T19:00".into(), // 10:00 UTC, an hour from now
        attachment: Some(("訓練の案内.pdf".into(), b"%PDF-1.4 leaflet".to_vec())),
    };
    let valid = crate::domain::announcements::announcement(&input, w.clock.now()).unwrap();
    let id = Uuid::now_v7();
    w.store
        .create_announcement(id, valid, subscriber, w.clock.now())
        .await
        .unwrap();
    assert_eq!(w.notifier.dispatch_announcements().await.unwrap(), 0);
    w.clock.advance(SignedDuration::from_hours(1));
    assert_eq!(w.notifier.dispatch_announcements().await.unwrap(), 1);
    assert_eq!(w.notifier.dispatch_announcements().await.unwrap(), 0);
    assert_eq!(w.pass().await, (1, 0));
    let sent = w.mail.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "citizen1@example.jp");
    assert!(
        sent[0]
            .text
            .contains(&format!("https://portal.example.jp/oshirase/{id}"))
    );
    // Its attachment is kept with it and linked from the mail.
    assert!(sent[0].text.contains(&format!(
        "訓練の案内.pdf\nhttps://portal.example.jp/oshirase/{id}/attachment"
    )));
    assert_eq!(
        w.store.attachment_bytes(id).await.unwrap().unwrap(),
        b"%PDF-1.4 leaflet"
    );
}

#[tokio::test]
async fn line_recipients_go_in_multicasts_of_at_most_500_per_language() {
    let w = world();
    let mut audience = Vec::new();
    for n in 0..1_205 {
        let lang = if n % 5 == 0 { "en" } else { "ja" };
        let id = w.citizen(n, lang).await;
        w.link(id, &format!("U{n:05}")).await;
        audience.push(id);
    }
    w.notifier
        .set_choices(
            audience[0],
            vec![(
                Service::School,
                ChannelChoice {
                    email: false,
                    line: true,
                },
            )],
        )
        .await
        .unwrap();
    assert_eq!(
        w.deliver_to(audience, "臨時休校").await,
        Some(1_205 + 1_204)
    );
    assert_eq!(w.pass().await, (1_204, 1_205));
    let mut sizes: Vec<usize> = w
        .line
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.1)
        .collect();
    sizes.sort();
    // 964 in Japanese (500 + 464), 241 in English.
    assert_eq!(sizes, [241, 464, 500]);
    let delivered = w.line.delivered.lock().unwrap().clone();
    let english = delivered.iter().find(|(user, _)| user == "U00005").unwrap();
    assert!(english.1.starts_with("[Urgent]"), "{}", english.1);
    assert_eq!(w.line_users().len(), 1_205);
}

#[tokio::test]
async fn a_line_request_accepted_before_a_crash_is_not_delivered_twice() {
    let w = world();
    let a = w.citizen(1, "ja").await;
    let b = w.citizen(2, "ja").await;
    w.link(a, "U1").await;
    w.link(b, "U2").await;
    w.deliver_to(vec![a, b], "臨時休校").await;
    // The worker claims the batch and LINE accepts it; then the process dies before the
    // success is written.
    let now = w.clock.now();
    let claimed = w
        .store
        .claim_line("test", now, now + LEASE, 8)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let batch = &claimed[0];
    let to: Vec<String> = batch.recipients.iter().map(|(_, u)| u.clone()).collect();
    let message = [crate::line::text_message("臨時休校")];
    w.line
        .multicast(&to, &message, batch.batch_id)
        .await
        .unwrap();
    // The restarted instance takes its claims back and sends the same request again.
    assert_eq!(w.store.release_claims("test", now).await.unwrap(), 2);
    assert_eq!(w.pass().await.1, 2);
    let requests = w.line.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].0, requests[1].0,
        "the retry carries the same key"
    );
    assert_eq!(w.line_users(), ["U1", "U2"]);
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_and_outages_are_retried_with_the_same_key() {
    let w = world();
    let a = w.citizen(1, "ja").await;
    w.link(a, "U1").await;
    w.notifier
        .set_choices(
            a,
            vec![(
                Service::School,
                ChannelChoice {
                    email: false,
                    line: true,
                },
            )],
        )
        .await
        .unwrap();
    w.deliver_to(vec![a], "臨時休校").await;
    w.line.failures.lock().unwrap().extend([
        SendFailure::RateLimited {
            message: "429".into(),
            retry_after: Some(SignedDuration::from_secs(5)),
        },
        SendFailure::Transient("LINE 503".into()),
    ]);
    assert_eq!(w.pass().await, (0, 0)); // 429
    w.clock.advance(SignedDuration::from_secs(4));
    assert_eq!(w.pass().await, (0, 0)); // not due yet
    w.clock.advance(SignedDuration::from_secs(1));
    assert_eq!(w.pass().await, (0, 0)); // 503
    w.clock.advance(SignedDuration::from_secs(30));
    assert_eq!(w.pass().await, (0, 1));
    let requests = w.line.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|(key, _)| *key == requests[0].0));
    assert_eq!(w.line_users(), ["U1"]);
}

#[tokio::test]
async fn a_refused_address_becomes_a_dead_letter_that_staff_can_resend() {
    let w = world();
    let a = w.citizen(1, "ja").await;
    let b = w.citizen(2, "ja").await;
    w.mail
        .refuse
        .lock()
        .unwrap()
        .push("citizen2@example.jp".into());
    w.deliver_to(vec![a, b], "臨時休校").await;
    assert_eq!(w.pass().await, (1, 0));
    let staff = crate::store::Account {
        account_id: AccountId::new(),
        email: Email::parse("admin@example.jp").unwrap(),
        family_name: "管理".into(),
        given_name: "者".into(),
        status: AccountStatus::Active,
        lang: "ja".into(),
        roles: vec![Role::Admin],
        created_at: w.clock.now(),
    };
    let list = w.notifier.deliveries(&staff).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].email.sent, list[0].email.dead), (1, 1));
    let (_, dead) = w
        .notifier
        .delivery(&staff, list[0].delivery_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].address, "citizen2@example.jp");
    assert!(dead[0].last_error.as_deref().unwrap().contains("550"));
    // A citizen may not see or resend deliveries.
    let citizen = crate::store::Account {
        roles: vec![],
        ..staff.clone()
    };
    assert!(
        w.notifier
            .resend(&citizen, list[0].delivery_id)
            .await
            .is_err()
    );
    // The mailbox is fixed; staff resend.
    w.mail.refuse.lock().unwrap().clear();
    assert_eq!(
        w.notifier
            .resend(&staff, list[0].delivery_id)
            .await
            .unwrap(),
        1
    );
    assert_eq!(w.pass().await, (1, 0));
    let sent = w.mail.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].to, "citizen2@example.jp");
}

#[tokio::test]
async fn withdrawal_removes_the_citizens_place_in_every_delivery() {
    let w = world();
    let a = w.citizen(1, "ja").await;
    let b = w.citizen(2, "ja").await;
    w.deliver_to(vec![a, b], "臨時休校").await;
    w.store.delete_account(b, None).await.unwrap();
    assert_eq!(w.pass().await, (1, 0));
    assert_eq!(w.mail.sent.lock().unwrap().len(), 1);
}

#[test]
fn a_recipients_mail_id_is_stable_and_unique_within_its_delivery() {
    let delivery = Uuid::now_v7();
    assert_eq!(mail_id(delivery, 7), mail_id(delivery, 7));
    assert_ne!(mail_id(delivery, 7), mail_id(delivery, 8));
}
