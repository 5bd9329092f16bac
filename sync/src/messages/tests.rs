//! Message tests: round trips, versions, tolerance of unknown fields, the rules of each
//! message, and every JSON example of `PROTOCOL.md` read back as the message it names.

use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use super::*;
use crate::{
    ids::{CenterId, ChildNo, EventId, GuardianId, KioskId},
    pass::{PassNonce, PassSigner},
};

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn event() -> KioskEvent {
    KioskEvent {
        v: V1,
        event_id: "019d4a3c-7e80-7a5b-9c3d-2f1e0a9b8c7d".parse().unwrap(),
        kiosk_id: KioskId::new("chuo-1").unwrap(),
        center_id: CenterId::new("chuo").unwrap(),
        kind: EventKind::CheckIn,
        guardian_id: GuardianId(Uuid::from_u128(42)),
        children: vec![ChildNo::new(1).unwrap(), ChildNo::new(2).unwrap()],
        pass_nonce: Some(PassNonce([0xab; 8])),
        occurred_at: ts("2026-04-01T01:00:12.5Z"),
        manual: false,
        staff_note: None,
    }
}

fn round_trip<M: Message + PartialEq + std::fmt::Debug>(message: &M) {
    let text = encode(message);
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["v"], 1, "{text}");
    assert_eq!(&decode::<M>(text.as_bytes()).unwrap(), message);
}

#[test]
fn every_message_round_trips() {
    round_trip(&event());
    round_trip(&Ack {
        v: V1,
        accepted: vec![event().event_id],
        rejected: vec![Rejection {
            event_id: EventId(Uuid::from_u128(7)),
            reason: RejectReason::PassReused,
            detail: Some("used at chuo".into()),
        }],
    });
    round_trip(&Occupancy {
        v: V1,
        center_id: CenterId::new("chuo").unwrap(),
        children_in: 3,
        families_in: 2,
        capacity: 20,
        level: CongestionLevel::Vacant,
        updated_at: ts("2026-04-01T01:00:13Z"),
        seq: 9,
    });
    round_trip(&Presence {
        v: V1,
        center_id: CenterId::new("chuo").unwrap(),
        families: vec![PresentFamily {
            guardian_id: GuardianId(Uuid::from_u128(42)),
            children: vec![ChildNo::new(1).unwrap()],
            since: ts("2026-04-01T01:00:12Z"),
        }],
        updated_at: ts("2026-04-01T01:00:13Z"),
        seq: 9,
    });
    round_trip(&KioskStatus {
        v: V1,
        kiosk_id: KioskId::new("chuo-1").unwrap(),
        state: KioskState::Offline,
        connected_at: ts("2026-04-01T00:00:00Z"),
        software: None,
        pending_events: None,
    });
    let signer = PassSigner::from_seed(crate::ids::KeyId::new("k1").unwrap(), &[5; 32]);
    round_trip(&KeySet::new(
        ts("2026-03-25T00:00:00Z"),
        vec![signer.key_entry(ts("2026-01-01T00:00:00Z"), ts("2027-01-01T00:00:00Z"))],
    ));
}

#[test]
fn unknown_fields_are_tolerated() {
    let mut json = serde_json::to_value(event()).unwrap();
    json["from_the_future"] = json!({"nested": [1, 2]});
    let text = json.to_string();
    assert_eq!(decode::<KioskEvent>(text.as_bytes()).unwrap(), event());
}

#[test]
fn versions_other_than_1_are_refused_clearly() {
    let with_v = |v: Value| {
        let mut json = serde_json::to_value(event()).unwrap();
        json["v"] = v;
        decode::<KioskEvent>(json.to_string().as_bytes())
    };
    let err = with_v(json!(2)).unwrap_err();
    assert_eq!(err, DecodeError::UnsupportedVersion { found: "2".into() });
    assert!(err.to_string().contains("understands v1"), "{err}");
    assert!(matches!(
        with_v(json!("1")),
        Err(DecodeError::UnsupportedVersion { .. })
    ));
    let mut json = serde_json::to_value(event()).unwrap();
    json.as_object_mut().unwrap().remove("v");
    let missing = decode::<KioskEvent>(json.to_string().as_bytes());
    assert_eq!(missing, Err(DecodeError::MissingVersion));
}

#[test]
fn bad_payloads_are_named() {
    assert_eq!(decode::<Ack>(b""), Err(DecodeError::Empty));
    assert!(matches!(
        decode::<Ack>(b"{\"v\":1"),
        Err(DecodeError::NotJson(_))
    ));
    assert!(matches!(
        decode::<Ack>(b"[1]"),
        Err(DecodeError::MissingVersion)
    ));
    let big = format!("{{\"v\":1,\"pad\":\"{}\"}}", "x".repeat(MAX_PAYLOAD));
    assert!(matches!(
        decode::<Ack>(big.as_bytes()),
        Err(DecodeError::TooLarge { .. })
    ));
    let err = decode::<KioskEvent>(br#"{"v":1,"event_id":"nope"}"#).unwrap_err();
    assert!(
        matches!(
            err,
            DecodeError::Invalid {
                message: "KioskEvent",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn event_rules_are_enforced_on_decode() {
    let refused = |change: &dyn Fn(&mut KioskEvent)| {
        let mut e = event();
        change(&mut e);
        let text = serde_json::to_string(&e).unwrap();
        decode::<KioskEvent>(text.as_bytes()).unwrap_err()
    };
    refused(&|e| e.children.clear());
    refused(&|e| e.children.push(e.children[0]));
    refused(&|e| e.pass_nonce = None);
    refused(&|e| e.manual = true);
    refused(&|e| {
        e.manual = true;
        e.pass_nonce = None;
        e.staff_note = Some("長".repeat(MAX_STAFF_NOTE + 1));
    });
    let mut manual = event();
    manual.manual = true;
    manual.pass_nonce = None;
    manual.staff_note = Some("電池切れ".into());
    round_trip(&manual);
}

#[test]
fn the_portal_checks_where_an_event_came_from() {
    let e = event();
    let chuo = CenterId::new("chuo").unwrap();
    assert_eq!(e.check_origin(&e.kiosk_id, &chuo), Ok(()));
    let other_kiosk = KioskId::new("kita-1").unwrap();
    assert_eq!(
        e.check_origin(&other_kiosk, &chuo),
        Err(RejectReason::TopicMismatch)
    );
    let other_center = CenterId::new("kita").unwrap();
    assert_eq!(
        e.check_origin(&e.kiosk_id, &other_center),
        Err(RejectReason::WrongCenter)
    );
}

#[test]
fn an_invalid_event_can_still_be_rejected_by_id() {
    let e = event();
    let broken = format!(r#"{{"v":1,"event_id":"{}","children":"oops"}}"#, e.event_id);
    assert_eq!(peek_event_id(broken.as_bytes()), Some(e.event_id));
    assert_eq!(peek_event_id(b"not json"), None);
}

#[test]
fn acks_settle_both_lists_and_read_unknown_reasons() {
    let text = r#"{"v":1,"accepted":["00000000-0000-0000-0000-000000000001"],
        "rejected":[{"event_id":"00000000-0000-0000-0000-000000000002","reason":"new_reason"}]}"#;
    let ack: Ack = decode(text.as_bytes()).unwrap();
    assert_eq!(ack.rejected[0].reason, RejectReason::Other);
    let settled: Vec<u128> = ack.settled().map(|id| id.0.as_u128()).collect();
    assert_eq!(settled, [1, 2]);
    let empty: Ack = decode(br#"{"v":1}"#).unwrap();
    assert_eq!(empty.settled().count(), 0);
}

#[test]
fn key_sets_refuse_bad_keys_and_repeated_ids() {
    let good = r#"{"kid":"k1","public_key":"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg",
        "valid_from":"2026-01-01T00:00:00Z","valid_until":"2027-01-01T00:00:00Z"}"#;
    let set =
        |keys: &str| format!(r#"{{"v":1,"issued_at":"2026-01-01T00:00:00Z","keys":[{keys}]}}"#);
    assert!(decode::<KeySet>(set(good).as_bytes()).is_ok());
    let twice = set(&format!("{good},{good}"));
    assert!(decode::<KeySet>(twice.as_bytes()).is_err());
    let short = set(&good.replace("A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg", "A6EHv"));
    assert!(decode::<KeySet>(short.as_bytes()).is_err());
    let backwards = set(&good.replace("2027-01-01", "2025-01-01"));
    assert!(decode::<KeySet>(backwards.as_bytes()).is_err());
}

#[test]
fn a_newer_key_set_supersedes_an_older_one() {
    let older = KeySet::new(ts("2026-01-01T00:00:00Z"), vec![]);
    let newer = KeySet::new(ts("2026-02-01T00:00:00Z"), vec![]);
    assert!(newer.supersedes(&older));
    assert!(!older.supersedes(&newer));
    assert!(!older.supersedes(&older));
}

/// Every ```` ```json Name ```` block of PROTOCOL.md, as (name, JSON text).
fn documented_examples() -> Vec<(String, String)> {
    let doc = include_str!("../../PROTOCOL.md");
    let mut examples = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        match (&mut current, line.strip_prefix("```json ")) {
            (None, Some(name)) => current = Some((name.trim().to_owned(), String::new())),
            (Some(_), _) if line.trim() == "```" => examples.extend(current.take()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    examples
}

fn check_example<M: Message>(text: &str) {
    let message: M = decode(text.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}\n{text}", M::NAME));
    // Writing it back gives the same JSON (the examples show every field a writer writes).
    let written: Value = serde_json::from_str(&encode(&message)).unwrap();
    let shown: Value = serde_json::from_str(text).unwrap();
    assert_eq!(written, shown, "{}", M::NAME);
}

#[test]
fn the_protocol_document_examples_are_valid_messages() {
    let examples = documented_examples();
    let names: Vec<&str> = examples.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "KioskEvent",
        "Ack",
        "KioskStatus",
        "KioskConfig",
        "Presence",
        "Occupancy",
        "KeySet",
        "CircRequest",
        "CircAnswer",
    ] {
        assert!(
            names.contains(&expected),
            "PROTOCOL.md has no {expected} example"
        );
    }
    for (name, text) in &examples {
        match name.as_str() {
            "KioskEvent" => check_example::<KioskEvent>(text),
            "Ack" => check_example::<Ack>(text),
            "KioskStatus" => check_example::<KioskStatus>(text),
            "KioskConfig" => check_example::<KioskConfig>(text),
            "Presence" => check_example::<Presence>(text),
            "Occupancy" => check_example::<Occupancy>(text),
            "KeySet" => check_example::<KeySet>(text),
            "CircRequest" => check_example::<CircRequest>(text),
            "CircAnswer" => check_example::<CircAnswer>(text),
            other => panic!("PROTOCOL.md example of unknown message {other}"),
        }
    }
}

fn circ_request(op: CircOp, card: Option<&str>, item: Option<&str>) -> CircRequest {
    CircRequest {
        v: V1,
        request_id: EventId::new_v7(ts("2026-04-01T01:00:00Z")),
        kiosk_id: KioskId::new("library1").unwrap(),
        op,
        authority: Authority::Ledger,
        card: card.map(str::to_owned),
        item: item.map(str::to_owned),
        occurred_at: ts("2026-04-01T01:00:00Z"),
        no_block: false,
        title: None,
        due: None,
    }
}

#[test]
fn circulation_requests_name_what_their_op_needs() {
    let ok = [
        circ_request(CircOp::Patron, Some("2000000005"), None),
        circ_request(CircOp::Checkout, Some("2000000005"), Some("3000000000013")),
        circ_request(CircOp::Checkin, None, Some("3000000000013")),
        circ_request(CircOp::Renew, Some("2000000005"), Some("T-0001/a")),
    ];
    for request in &ok {
        assert_eq!(request.check(), Ok(()), "{request:?}");
        round_trip(request);
    }
    let bad = [
        (
            circ_request(CircOp::Checkout, None, Some("1")),
            "names a card",
        ),
        (
            circ_request(CircOp::Renew, Some("2"), None),
            "names an item",
        ),
        (
            circ_request(CircOp::Patron, Some("2"), Some("1")),
            "no item",
        ),
        (
            circ_request(CircOp::Checkout, Some("20-00"), Some("1")),
            "ASCII digits",
        ),
        (
            circ_request(CircOp::Checkin, None, Some("本")),
            "printable ASCII",
        ),
        (
            circ_request(CircOp::Checkin, None, Some(&"9".repeat(65))),
            "printable ASCII",
        ),
    ];
    for (request, expected) in bad {
        let error = request.check().unwrap_err();
        assert!(error.contains(expected), "{error} ({request:?})");
    }
    let mut ils_lookup = circ_request(CircOp::Patron, Some("2"), None);
    ils_lookup.authority = Authority::Ils;
    assert!(ils_lookup.check().is_err());
    let mut ledger_with_due = circ_request(CircOp::Checkout, Some("2"), Some("1"));
    ledger_with_due.due = Some(jiff::civil::date(2026, 4, 15));
    assert!(ledger_with_due.check().unwrap_err().contains("ILS's"));
}

#[test]
fn circulation_answers_read_unknown_refusals_and_requests_are_refusable_by_id() {
    let answer: CircAnswer = decode(
        br#"{"v":1,"request_id":"019d4a3c-7e80-7a5b-9c3d-2f1e0a9b8c7e","refused":"new_reason"}"#,
    )
    .unwrap();
    assert_eq!(answer.refused, Some(CircRefusal::Other));
    let garbage = br#"{"v":1,"request_id":"019d4a3c-7e80-7a5b-9c3d-2f1e0a9b8c7e","op":"steal"}"#;
    assert!(decode::<CircRequest>(garbage).is_err());
    assert_eq!(
        peek_request_id(garbage).map(|id| id.to_string()).as_deref(),
        Some("019d4a3c-7e80-7a5b-9c3d-2f1e0a9b8c7e")
    );
}
