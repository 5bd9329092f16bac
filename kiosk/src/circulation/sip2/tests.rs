//! Vectors from a session with an independent SIP2 server (PyPI's `pysip2` 0.1.0, which checks
//! every checksum it receives and signs what it sends).

use super::*;

fn noon() -> DateTime {
    "2026-01-01T12:00:00".parse().unwrap()
}

#[test]
fn the_login_is_the_bytes_an_independent_server_accepted() {
    let login = Request::Login {
        user: "sipuser".into(),
        password: "sippass".into(),
        location: "MAIN".into(),
    };
    assert_eq!(
        login.encode("TESTLIB", noon(), Some(0)).unwrap(),
        "9300CNsipuser|COsippass|CPMAIN|AY0AZF372\r"
    );
    assert_eq!(
        login.encode("TESTLIB", noon(), None).unwrap(),
        "9300CNsipuser|COsippass|CPMAIN|\r"
    );
}

#[test]
fn requests_carry_the_date_their_fixed_fields_and_a_checksum_that_verifies() {
    assert_eq!(sip_date(noon()), "20260101    120000");
    let checkout = Request::Checkout {
        patron: "2100000000016".into(),
        item: "3000000000019".into(),
    }
    .encode("TESTLIB", noon(), Some(4))
    .unwrap();
    assert!(checkout.starts_with("11NN20260101    12000020260101    120000AOTESTLIB|"));
    assert!(checkout.contains("|AA2100000000016|AB3000000000019|AC|AY4AZ"));
    assert!(verify_checksum(checkout.trim_end_matches('\r')));
    let checkin = Request::Checkin {
        item: "3000000000019".into(),
        location: "MAIN".into(),
    }
    .encode("TESTLIB", noon(), Some(7))
    .unwrap();
    // The current location (AP) is required: without it a strict server hangs up.
    assert!(checkin.starts_with("09N20260101    12000020260101    120000APMAIN|"));
    for request in [
        Request::ScStatus,
        Request::PatronStatus { patron: "1".into() },
        Request::PatronInformation { patron: "1".into() },
        Request::Renew {
            patron: "1".into(),
            item: "2".into(),
        },
    ] {
        let text = request.encode("TESTLIB", noon(), Some(9)).unwrap();
        assert!(verify_checksum(text.trim_end_matches('\r')), "{text}");
    }
}

#[test]
fn a_value_that_would_break_the_message_is_refused() {
    let bad = Request::Checkout {
        patron: "21|AA999".into(),
        item: "1".into(),
    };
    assert!(bad.encode("TESTLIB", noon(), None).is_err());
    let bad = Request::Checkin {
        item: "3\r99".into(),
        location: "MAIN".into(),
    };
    assert!(bad.encode("TESTLIB", noon(), None).is_err());
}

#[test]
fn answers_are_read_with_their_fields_and_sequence() {
    let login = Response::parse("941AY0AZFDFD\r").unwrap();
    assert!(login.ok());
    assert_eq!(login.sequence, Some(0));
    let status = Response::parse(&format!(
        "24{:14}00120260101    120000AOTESTLIB|AA2100000000016|AEYamada Taro|BLY|CQY|",
        ""
    ))
    .unwrap();
    assert!(status.patron_may_borrow());
    assert_eq!(status.field("AE"), Some("Yamada Taro"));
    let blocked = Response::parse(&format!(
        "24Y{:13}00120260101    120000AOTESTLIB|AA2100000000016|BLY|",
        ""
    ))
    .unwrap();
    assert!(!blocked.patron_may_borrow());
    let info = Response::parse(&format!(
        "64{:14}00120260101    120000{}AOTESTLIB|AA21|AEやまだ はなこ|BLY|AU3000000000019|AU3000000000027|",
        "",
        "0000000000020000".to_owned() + "00000000"
    ))
    .unwrap();
    assert_eq!(info.all("AU"), ["3000000000019", "3000000000027"]);
    assert_eq!(info.field("AE"), Some("やまだ はなこ"));
    let lent = Response::parse(
        "121NNY20260101    120000AOTESTLIB|AA21|AB3000000000019|AJTest Book|AH20260131|",
    )
    .unwrap();
    assert!(lent.ok());
    assert_eq!(lent.field("AH"), Some("20260131"));
    let refused =
        Response::parse("120NUN20260101    120000AOTESTLIB|AA21|AB30|AFItem already charged|")
            .unwrap();
    assert!(!refused.ok());
    assert_eq!(refused.field("AF"), Some("Item already charged"));
}

#[test]
fn garbage_is_named() {
    assert_eq!(
        Response::parse("941AY0AZFDFE"),
        Err(ResponseError::Checksum)
    );
    assert_eq!(Response::parse("96AZFEF6"), Err(ResponseError::Resend));
    assert!(matches!(
        Response::parse("17xyz"),
        Err(ResponseError::UnknownCommand(_))
    ));
    assert!(matches!(
        Response::parse("9"),
        Err(ResponseError::TooShort(_))
    ));
    assert!(matches!(
        Response::parse("12"),
        Err(ResponseError::TooShort(_))
    ));
    assert!(matches!(
        Response::parse("121NN"),
        Err(ResponseError::TooShort(_))
    ));
}

#[test]
fn offline_transactions_carry_no_block_and_the_time_they_happened() {
    let lent_at: DateTime = "2026-01-01T09:30:00".parse().unwrap();
    let due: DateTime = "2026-01-15T00:00:00".parse().unwrap();
    let no_block = Some(NoBlock { at: lent_at, due });
    let checkout = Request::Checkout {
        patron: "2100000000016".into(),
        item: "3000000000019".into(),
    }
    .encode_offline("TESTLIB", noon(), Some(1), no_block)
    .unwrap();
    assert!(checkout.starts_with("11NY20260101    09300020260115    000000AOTESTLIB|"));
    assert!(verify_checksum(checkout.trim_end_matches('\r')));
    let checkin = Request::Checkin {
        item: "3000000000019".into(),
        location: "MAIN".into(),
    }
    .encode_offline("TESTLIB", noon(), Some(2), no_block)
    .unwrap();
    assert!(checkin.starts_with("09Y20260101    09300020260101    093000APMAIN|"));
    // The status request has no such flag: the same bytes either way.
    assert_eq!(
        Request::ScStatus.encode_offline("TESTLIB", noon(), Some(3), no_block),
        Request::ScStatus.encode("TESTLIB", noon(), Some(3))
    );
}
