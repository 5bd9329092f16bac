//! The library counter on the portal, below MQTT (PROTOCOL.md §13): an admin registers a
//! library kiosk; its requests are decided by the loan ledger or recorded as the ILS's
//! reports, each applied once; the citizen sees the loans on the card page; a returned book
//! leaves no trace of who had it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp};
use jiff::{Timestamp, civil::date};
use portal::{
    domain::Email,
    i18n::Lang,
    store::{AccountStore, LibraryStore},
};
use shimin_sync::{
    ids::{EventId, KioskId},
    library::card::{CheckScheme, check_digit},
    messages::{self, Authority, CircAnswer, CircOp, CircRefusal, CircRequest, PatronBlock, V1},
    topics::Topic,
};

const ADMIN: &str = "admin@city.example.jp";
const HANAKO: &str = "hanako@example.jp";
const BOOK: &str = "3000000000013";
const OTHER_BOOK: &str = "3000000000020";

fn card(body: &str) -> String {
    format!(
        "{body}{}",
        check_digit(CheckScheme::Mod10W21, body).unwrap()
    )
}

struct Counter {
    kiosk: KioskId,
}

impl Counter {
    fn request(&self, op: CircOp, card: Option<&str>, item: Option<&str>, at: &str) -> CircRequest {
        let at: Timestamp = at.parse().unwrap();
        CircRequest {
            v: V1,
            request_id: EventId::new_v7(at),
            kiosk_id: self.kiosk.clone(),
            op,
            authority: Authority::Ledger,
            card: card.map(str::to_owned),
            item: item.map(str::to_owned),
            occurred_at: at,
            no_block: false,
            title: None,
            due: None,
        }
    }

    async fn send(&self, app: &TestApp, request: &CircRequest) -> CircAnswer {
        self.send_raw(app, messages::encode(request).as_bytes())
            .await
    }

    async fn send_raw(&self, app: &TestApp, payload: &[u8]) -> CircAnswer {
        let answers = app
            .parts
            .state
            .library
            .handle_message(&Topic::KioskCirculation(self.kiosk.clone()), payload)
            .await
            .unwrap();
        assert_eq!(answers.len(), 1);
        assert_eq!(
            answers[0].topic,
            format!("shimin/v1/kiosks/{}/circulation-answers", self.kiosk)
        );
        messages::decode(answers[0].payload.as_bytes()).unwrap()
    }
}

/// A city with a library kiosk registered on the admin page, and Hanako's card.
async fn library(app: &TestApp) -> (Counter, String) {
    app.admin(ADMIN).await;
    app.citizen(HANAKO, "山田", "花子").await;
    let mut admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    let page = admin
        .submit(
            "/admin/library/kiosks",
            "/admin/library/kiosks",
            &[("label", "中央図書館 貸出カウンター")],
        )
        .await;
    assert!(
        page.body.contains("id=\"kiosk-id\">library1<"),
        "{}",
        page.body
    );
    assert!(page.body.contains("[portal]"));
    let listed = admin.get("/admin/library/kiosks").await;
    assert!(listed.body.contains("中央図書館 貸出カウンター"));
    let number = card("210000000");
    let hanako = app
        .parts
        .store
        .find_by_email(&Email::parse(HANAKO).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account;
    app.parts
        .store
        .save_library_card(hanako.account_id, number.clone(), None, Timestamp::now())
        .await
        .unwrap();
    (
        Counter {
            kiosk: KioskId::new("library1").unwrap(),
        },
        number,
    )
}

#[tokio::test]
async fn the_ledger_lends_renews_and_takes_back_and_the_citizen_sees_it() {
    let app = TestApp::new();
    let (counter, number) = library(&app).await;

    let patron = counter
        .send(
            &app,
            &counter.request(CircOp::Patron, Some(&number), None, "2026-12-03T01:00:00Z"),
        )
        .await;
    assert_eq!(patron.refused, None);
    assert_eq!(patron.patron.as_ref().unwrap().name, "山田");

    let lend = counter.request(
        CircOp::Checkout,
        Some(&number),
        Some(BOOK),
        "2026-12-03T01:00:05Z",
    );
    let lent = counter.send(&app, &lend).await;
    assert_eq!(lent.refused, None);
    assert_eq!(lent.item.unwrap().due, Some(date(2026, 12, 17)));
    // The answer was lost and the kiosk asks again: the same answer, still one loan.
    let again = counter.send(&app, &lend).await;
    assert_eq!(again.item.unwrap().due, Some(date(2026, 12, 17)));
    assert_eq!(
        app.parts.store.loans(number.clone()).await.unwrap().len(),
        1
    );

    let mut hanako = app.browser();
    hanako.login(HANAKO, PASSWORD).await;
    let page = hanako.get("/library").await;
    assert!(page.body.contains(BOOK), "{}", page.body);
    assert!(page.body.contains("2026-12-17"));

    let renewed = counter
        .send(
            &app,
            &counter.request(
                CircOp::Renew,
                Some(&number),
                Some(BOOK),
                "2026-12-10T01:00:00Z",
            ),
        )
        .await;
    assert_eq!(renewed.item.unwrap().due, Some(date(2026, 12, 24)));
    let twice = counter
        .send(
            &app,
            &counter.request(
                CircOp::Renew,
                Some(&number),
                Some(BOOK),
                "2026-12-11T01:00:00Z",
            ),
        )
        .await;
    assert_eq!(twice.refused, Some(CircRefusal::RenewalLimit));

    let returned = counter
        .send(
            &app,
            &counter.request(CircOp::Checkin, None, Some(BOOK), "2026-12-12T01:00:00Z"),
        )
        .await;
    assert_eq!(returned.refused, None);
    assert!(
        app.parts
            .store
            .loans(number.clone())
            .await
            .unwrap()
            .is_empty()
    );
    hanako
        .get("/library")
        .await
        .assert_says(Lang::Ja, "page.library.no_loans");
    // A library keeps no reading history: no request of the returned book names the card.
    let named: i64 = app
        .parts
        .store
        .db()
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT COUNT(*) FROM library_requests WHERE card_number IS NOT NULL",
                [],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(named, 0);
}

#[tokio::test]
async fn refusals_say_why_and_offline_circulation_is_applied_anyway() {
    let app = TestApp::new();
    let (counter, number) = library(&app).await;
    let stranger = card("990000000");
    let unknown = counter
        .send(
            &app,
            &counter.request(
                CircOp::Checkout,
                Some(&stranger),
                Some(BOOK),
                "2026-12-01T01:00:00Z",
            ),
        )
        .await;
    assert_eq!(unknown.refused, Some(CircRefusal::UnknownCard));
    counter
        .send(
            &app,
            &counter.request(
                CircOp::Checkout,
                Some(&number),
                Some(BOOK),
                "2026-12-01T01:00:00Z",
            ),
        )
        .await;
    // Two weeks later the book is overdue: Hanako may not borrow another.
    let blocked = counter
        .send(
            &app,
            &counter.request(
                CircOp::Checkout,
                Some(&number),
                Some(OTHER_BOOK),
                "2026-12-20T01:00:00Z",
            ),
        )
        .await;
    assert_eq!(blocked.refused, Some(CircRefusal::Blocked));
    assert_eq!(blocked.patron.unwrap().blocks, [PatronBlock::Overdue]);
    let not_lent = counter
        .send(
            &app,
            &counter.request(
                CircOp::Checkin,
                None,
                Some(OTHER_BOOK),
                "2026-12-20T01:00:01Z",
            ),
        )
        .await;
    assert_eq!(not_lent.refused, Some(CircRefusal::NotLent));
    // Lent at the counter while the portal was away: recorded whatever the blocks.
    let mut offline = counter.request(
        CircOp::Checkout,
        Some(&number),
        Some(OTHER_BOOK),
        "2026-12-20T01:00:02Z",
    );
    offline.no_block = true;
    assert_eq!(counter.send(&app, &offline).await.refused, None);
    assert_eq!(app.parts.store.loans(number).await.unwrap().len(), 2);

    // Garbage with a readable id is refused by id; a retired kiosk is refused.
    let garbage = br#"{"v":1,"request_id":"019d4a3c-7e80-7a5b-9c3d-2f1e0a9b8c7e","op":"steal"}"#;
    assert_eq!(
        counter.send_raw(&app, garbage).await.refused,
        Some(CircRefusal::Malformed)
    );
    let admin = app
        .parts
        .store
        .find_by_email(&Email::parse(ADMIN).unwrap())
        .await
        .unwrap()
        .unwrap()
        .account;
    assert!(
        app.parts
            .state
            .library
            .retire_kiosk(&admin, &counter.kiosk)
            .await
            .unwrap()
    );
    let retired = counter
        .send(
            &app,
            &counter.request(CircOp::Checkin, None, Some(BOOK), "2026-12-21T01:00:00Z"),
        )
        .await;
    assert_eq!(retired.refused, Some(CircRefusal::UnknownKiosk));
}

#[tokio::test]
async fn the_ils_reports_are_recorded_and_a_late_one_cannot_undo_a_return() {
    let app = TestApp::new();
    let (counter, number) = library(&app).await;
    let mut lent = counter.request(
        CircOp::Checkout,
        Some(&number),
        Some(BOOK),
        "2026-12-03T01:00:00Z",
    );
    lent.authority = Authority::Ils;
    lent.title = Some("としょかんライオン".into());
    lent.due = Some(date(2026, 12, 24));
    let mut returned = counter.request(CircOp::Checkin, None, Some(BOOK), "2026-12-05T01:00:00Z");
    returned.authority = Authority::Ils;
    // The return arrives first (the lending kiosk was offline), then the loan.
    assert_eq!(counter.send(&app, &returned).await.refused, None);
    assert_eq!(counter.send(&app, &lent).await.refused, None);
    assert!(
        app.parts
            .store
            .loans(number.clone())
            .await
            .unwrap()
            .is_empty()
    );

    let mut later = counter.request(
        CircOp::Checkout,
        Some(&number),
        Some(OTHER_BOOK),
        "2026-12-06T01:00:00Z",
    );
    later.authority = Authority::Ils;
    later.title = Some("ぐりとぐら".into());
    later.due = Some(date(2026, 12, 27));
    counter.send(&app, &later).await;
    let loans = app.parts.store.loans(number).await.unwrap();
    assert_eq!(loans.len(), 1);
    assert_eq!(loans[0].title, "ぐりとぐら");
    assert_eq!(loans[0].due_date, date(2026, 12, 27));
}
