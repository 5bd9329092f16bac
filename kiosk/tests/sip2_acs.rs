//! The kiosk's SIP2 messages against an independent SIP2 server: PyPI's pysip2 (installed by
//! scripts/test) running `tests/sip2/acs.py`, a small library system on loopback. It checks
//! the checksum and sequence number of every message and hangs up on a missing required
//! field; the kiosk checks the checksum of every answer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{Read, Write},
    net::TcpStream,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use kiosk::circulation::sip2::{Request, Response};

struct Acs(Child);

impl Drop for Acs {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the library system and connects to it.
fn start() -> (Acs, Sip) {
    start_on(free_port())
}

/// Starts the library system on `port` and connects to it.
fn start_on(port: u16) -> (Acs, Sip) {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sip2/acs.py");
    let python = std::env::var("SHIMIN_PYTHON").unwrap_or_else(|_| "python3".into());
    let child = Command::new(python)
        .arg(script)
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("python3 with pysip2 (scripts/test installs it)");
    let acs = Acs(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            return (acs, Sip { stream, next: 0 });
        }
        assert!(Instant::now() < deadline, "the SIP2 server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Sip {
    stream: TcpStream,
    next: u8,
}

impl Sip {
    /// Sends `request` with the next sequence number; the answer, which must carry it back.
    fn ask(&mut self, request: Request) -> Response {
        let at = jiff::Timestamp::now()
            .to_zoned(kiosk::circulation::library_zone())
            .datetime();
        let sequence = self.next;
        self.next = (self.next + 1) % 10;
        let message = request.encode("SHIMINLIB", at, Some(sequence)).unwrap();
        self.stream.write_all(message.as_bytes()).unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while self.stream.read(&mut byte).unwrap() == 1 && byte[0] != b'\r' {
            line.push(byte[0]);
        }
        let line = String::from_utf8(line).unwrap();
        let response = Response::parse(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        assert_eq!(response.sequence, Some(sequence), "{line}");
        response
    }
}

const HANAKO: &str = "2100000000016";
const ICHIRO: &str = "2100000000024";
const BOOK: &str = "3000000000019";

fn login(password: &str) -> Request {
    Request::Login {
        user: "kiosk".into(),
        password: password.into(),
        location: "counter-1".into(),
    }
}

#[test]
fn a_wrong_login_is_refused() {
    let (_acs, mut sip) = start();
    assert!(!sip.ask(login("wrong")).ok());
}

#[test]
fn a_patron_borrows_renews_and_returns_a_book() {
    let (_acs, mut sip) = start();
    assert!(sip.ask(login("kiosk-pass")).ok());
    let status = sip.ask(Request::ScStatus);
    assert_eq!(status.command, "98");

    let hanako = sip.ask(Request::PatronStatus {
        patron: HANAKO.into(),
    });
    assert!(hanako.patron_may_borrow());
    assert_eq!(hanako.field("AE"), Some("山田 花子"));
    let ichiro = sip.ask(Request::PatronStatus {
        patron: ICHIRO.into(),
    });
    assert!(!ichiro.patron_may_borrow(), "a blocked patron");
    let nobody = sip.ask(Request::PatronStatus {
        patron: "2199999999999".into(),
    });
    assert!(!nobody.patron_may_borrow(), "not a patron");

    let lent = sip.ask(Request::Checkout {
        patron: HANAKO.into(),
        item: BOOK.into(),
    });
    assert!(lent.ok());
    assert_eq!(
        (lent.field("AJ"), lent.field("AH")),
        (Some("ぐりとぐら"), Some("20270110"))
    );
    let again = sip.ask(Request::Checkout {
        patron: ICHIRO.into(),
        item: BOOK.into(),
    });
    assert!(!again.ok());
    assert_eq!(again.field("AF"), Some("Patron blocked"));
    let twice = sip.ask(Request::Checkout {
        patron: HANAKO.into(),
        item: BOOK.into(),
    });
    assert_eq!(
        (twice.ok(), twice.field("AF")),
        (false, Some("Item already charged"))
    );

    let info = sip.ask(Request::PatronInformation {
        patron: HANAKO.into(),
    });
    assert_eq!(info.all("AU"), [BOOK]);

    let renewed = sip.ask(Request::Renew {
        patron: HANAKO.into(),
        item: BOOK.into(),
    });
    assert_eq!(
        (renewed.ok(), renewed.field("AH")),
        (true, Some("20270124"))
    );

    let back = sip.ask(Request::Checkin {
        item: BOOK.into(),
        location: "counter-1".into(),
    });
    assert!(back.ok());
    assert_eq!(back.field("AQ"), Some("中央図書館"));
    let info = sip.ask(Request::PatronInformation {
        patron: HANAKO.into(),
    });
    assert!(info.all("AU").is_empty());
    // The sequence number wraps after 9.
    for _ in 0..4 {
        assert_eq!(sip.ask(Request::ScStatus).command, "98");
    }
}

#[path = "sip2/circulation.rs"]
mod circulation;
