//! The kiosk's circulation through SIP2 ([`Sip2Circulation`] over [`Sip2Link`]) against the same
//! independent server, and offline circulation: what was done while the library system was
//! down is replayed once, in order, with conflicts kept for the librarian. Then a library
//! system that answers garbage, or nothing, gets a clear error and no hang.

use std::time::Duration;

use jiff::civil::{Date, DateTime};
use kiosk::circulation::{
    Block, CircError, Circulation,
    ils::Sip2Circulation,
    queue::{Kind, Queue},
    sip2::{
        NoBlock,
        link::{LinkError, Sip2Link, Sip2Settings},
    },
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{BOOK, HANAKO, ICHIRO, free_port, start_on};

const BOOK2: &str = "3000000000027";

fn settings(port: u16) -> Sip2Settings {
    Sip2Settings {
        address: format!("127.0.0.1:{port}"),
        tls: false,
        ca_file: None,
        user: "kiosk".into(),
        password: "kiosk-pass".into(),
        institution: "SHIMINLIB".into(),
        location: "counter-1".into(),
        timeout: Duration::from_millis(1500),
    }
}

fn ils(port: u16) -> Sip2Circulation {
    Sip2Circulation::new(Sip2Link::new(settings(port)).unwrap())
}

fn lent_at() -> (DateTime, Date) {
    let at: DateTime = "2026-12-03T10:15:00".parse().unwrap();
    (at, "2026-12-17".parse().unwrap())
}

#[tokio::test]
async fn a_patron_borrows_and_returns_through_the_circulation_trait() {
    let port = free_port();
    let (_acs, _sip) = start_on(port);
    let mut ils = ils(port);
    let hanako = ils.patron(HANAKO).await.unwrap();
    assert_eq!(
        (hanako.name.as_str(), hanako.blocks.len()),
        ("山田 花子", 0)
    );
    let ichiro = ils.patron(ICHIRO).await.unwrap();
    assert_eq!(ichiro.blocks, [Block::Stopped]);
    let nobody = ils.patron("2199999999999").await.unwrap();
    assert_eq!(nobody.blocks, [Block::NotAPatron]);

    let lent = ils.lend(HANAKO, BOOK, None).await.unwrap();
    assert_eq!(
        (lent.title.as_str(), lent.due),
        ("ぐりとぐら", Some("2027-01-10".parse().unwrap()))
    );
    assert_eq!(ils.patron(HANAKO).await.unwrap().loans, [BOOK]);
    assert_eq!(
        ils.lend(HANAKO, BOOK, None).await,
        Err(CircError::Refused("Item already charged".into()))
    );
    assert_eq!(
        ils.lend(ICHIRO, BOOK2, None).await,
        Err(CircError::Refused("Patron blocked".into()))
    );
    let renewed = ils.renew(HANAKO, BOOK, None).await.unwrap();
    assert_eq!(renewed.due, Some("2027-01-24".parse().unwrap()));
    assert_eq!(ils.give_back(BOOK, None).await.unwrap().item, BOOK);
    assert!(ils.patron(HANAKO).await.unwrap().loans.is_empty());
    assert!(matches!(
        ils.give_back(BOOK, None).await,
        Err(CircError::Refused(_))
    ));
}

#[tokio::test]
async fn offline_circulation_is_replayed_once_and_conflicts_are_kept() {
    let port = free_port();
    let queue = Queue::in_memory().unwrap();
    let (at, due) = lent_at();

    // The library system is down: the lending is queued, and a replay leaves it waiting.
    let mut down = ils(port);
    assert!(matches!(
        down.lend(HANAKO, BOOK, None).await,
        Err(CircError::Unreachable(_))
    ));
    queue.push(Kind::Lend, HANAKO, BOOK, at, due).unwrap();
    let replayed = queue.replay(&mut down).await.unwrap();
    assert_eq!((replayed.done, replayed.waiting), (0, 1));

    // It comes back. Say an earlier replay had reached it and the kiosk died before marking
    // the lending done: the library system has it already.
    let (_acs, _sip) = start_on(port);
    let mut up = ils(port);
    let no_block = Some(NoBlock {
        at,
        due: due.to_datetime(jiff::civil::Time::midnight()),
    });
    up.lend(HANAKO, BOOK, no_block).await.unwrap();
    // Meanwhile the blocked patron took the other book offline (no block: it is taken), and a
    // stale lending of the first book to him was queued as well.
    queue.push(Kind::Lend, ICHIRO, BOOK2, at, due).unwrap();
    queue.push(Kind::Lend, ICHIRO, BOOK, at, due).unwrap();

    let replayed = queue.replay(&mut up).await.unwrap();
    assert_eq!(
        (replayed.done, replayed.conflicts, replayed.waiting),
        (2, 1, 0)
    );
    assert_eq!(up.patron(HANAKO).await.unwrap().loans, [BOOK], "lent once");
    assert_eq!(up.patron(ICHIRO).await.unwrap().loans, [BOOK2]);
    assert!(queue.pending().unwrap().is_empty());
    let conflicts = queue.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        (
            conflicts[0].offline.card.as_str(),
            conflicts[0].offline.item.as_str()
        ),
        (ICHIRO, BOOK)
    );
    assert_eq!(conflicts[0].message, "Item already charged");
    assert_eq!(conflicts[0].offline.at, at);
    // Replaying again sends nothing; the librarian settles the conflict.
    assert_eq!(queue.replay(&mut up).await.unwrap().done, 0);
    assert!(queue.resolve(conflicts[0].offline.seq).unwrap());
    assert!(queue.conflicts().unwrap().is_empty());
}

/// A server on loopback that reads a request and answers `reply` (or nothing when `None`).
async fn liar(reply: Option<&'static [u8]>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                while socket.read(&mut buf).await.is_ok_and(|n| n > 0) {
                    if let Some(reply) = reply {
                        let _ = socket.write_all(reply).await;
                    }
                }
            });
        }
    });
    port
}

#[tokio::test]
async fn garbage_or_silence_from_the_library_system_is_a_clear_error() {
    let mut link = Sip2Link::new(settings(liar(Some(b"hello there\r")).await)).unwrap();
    let garbage = link
        .ask(&kiosk::circulation::sip2::Request::ScStatus, None)
        .await;
    assert!(matches!(garbage, Err(LinkError::Garbage(_))), "{garbage:?}");

    // A checksum that never verifies is asked for again, then given up.
    let mut link = Sip2Link::new(settings(liar(Some(b"941AY0AZ0000\r")).await)).unwrap();
    let bad = link
        .ask(&kiosk::circulation::sip2::Request::ScStatus, None)
        .await;
    assert!(
        matches!(&bad, Err(LinkError::Garbage(why)) if why.contains("checksum")),
        "{bad:?}"
    );

    let mut link = Sip2Link::new(settings(liar(None).await)).unwrap();
    let started = std::time::Instant::now();
    let silent = link
        .ask(&kiosk::circulation::sip2::Request::ScStatus, None)
        .await;
    assert!(
        matches!(silent, Err(LinkError::Unreachable(_))),
        "{silent:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the timeout holds"
    );

    // Through the trait, garbage is not mistaken for "unreachable" (which would queue it).
    let mut ils = Sip2Circulation::new(Sip2Link::new(settings(liar(Some(b"xx\r")).await)).unwrap());
    assert!(matches!(
        ils.lend(HANAKO, BOOK, None).await,
        Err(CircError::Garbage(_))
    ));
}

#[tokio::test]
async fn scans_faster_than_the_library_system_are_all_answered_in_order() {
    use kiosk::circulation::{
        counter::{Answer, Job},
        worker::{WorkerSettings, spawn},
    };
    let port = free_port();
    let queue = std::sync::Arc::new(Queue::in_memory().unwrap());
    let settings = WorkerSettings {
        loan_days: 14,
        replay_every: Duration::from_millis(200),
    };

    // Down: the patron is taken on trust, both books are queued, none is lost.
    let (jobs, mut answers) = spawn(Box::new(ils(port)), queue.clone(), settings);
    jobs.send(Job::Patron(HANAKO.into())).unwrap();
    for item in [BOOK, BOOK2] {
        jobs.send(Job::Lend {
            card: HANAKO.into(),
            item: item.into(),
        })
        .unwrap();
    }
    assert_eq!(
        answers.recv().await,
        Some(Answer::PatronOffline(HANAKO.into()))
    );
    assert_eq!(answers.recv().await, Some(Answer::Queued(BOOK.into())));
    assert_eq!(answers.recv().await, Some(Answer::Queued(BOOK2.into())));
    assert_eq!(queue.pending().unwrap().len(), 2);
    let due = queue.pending().unwrap()[0].due;
    assert_eq!(
        due,
        jiff::Timestamp::now()
            .to_zoned(kiosk::circulation::library_zone())
            .date()
            .checked_add(jiff::ToSpan::days(14))
            .unwrap()
    );

    // Up again: the worker replays the queue by itself, and the books are lent once.
    let (_acs, _sip) = start_on(port);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !queue.pending().unwrap().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the queue was not replayed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut check = ils(port);
    assert_eq!(check.patron(HANAKO).await.unwrap().loans, [BOOK, BOOK2]);

    // Online: three jobs sent at once are answered in order.
    jobs.send(Job::Return(BOOK.into())).unwrap();
    jobs.send(Job::Patron(ICHIRO.into())).unwrap();
    jobs.send(Job::Lend {
        card: ICHIRO.into(),
        item: BOOK.into(),
    })
    .unwrap();
    assert!(matches!(answers.recv().await, Some(Answer::Returned(r)) if r.item == BOOK));
    assert!(
        matches!(answers.recv().await, Some(Answer::Patron(p)) if p.blocks == [Block::Stopped])
    );
    assert_eq!(
        answers.recv().await,
        Some(Answer::Refused {
            item: BOOK.into(),
            message: "Patron blocked".into()
        })
    );
    // Renewals go through the same worker.
    jobs.send(Job::Renew {
        card: HANAKO.into(),
        item: BOOK2.into(),
    })
    .unwrap();
    assert!(matches!(
        answers.recv().await,
        Some(Answer::Renewed(r)) if r.item == BOOK2 && r.due == Some("2027-01-24".parse().unwrap())
    ));
}
