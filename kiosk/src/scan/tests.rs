//! Scan decisions at fixed instants: every refusal, the replay rule and the toggle.

use jiff::{SignedDuration, Timestamp};
use shimin_sync::{
    ids::{CenterId, GuardianId, KeyId},
    messages::{KeySet, decode},
    pass::{PassClaims, PassNonce, PassSigner, issue},
};

use super::*;

pub(crate) fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

pub(crate) fn guardian() -> GuardianId {
    "0190f3a2-7b1c-7d4e-8f00-1234567890ab".parse().unwrap()
}

pub(crate) fn kids(numbers: &[u16]) -> Vec<ChildNo> {
    numbers.iter().map(|n| ChildNo::new(*n).unwrap()).collect()
}

/// Center `chuo`, open Mon–Fri 09:30–16:00 JST, capacity 20.
pub(crate) fn config() -> KioskConfig {
    let json = r#"{"v":1,"kiosk_id":"chuo-1","center_id":"chuo",
        "center_name":"中央子育て支援センター","capacity":20,
        "opening_hours":[{"days":["mon","tue","wed","thu","fri"],"opens":"09:30","closes":"16:00"}],
        "updated_at":"2026-04-01T00:00:00Z"}"#;
    decode(json.as_bytes()).unwrap()
}

pub(crate) fn event(kind: EventKind, children: &[u16], at: &str) -> KioskEvent {
    KioskEvent {
        v: V1,
        event_id: EventId::new_v7(ts(at)),
        kiosk_id: KioskId::new("chuo-1").unwrap(),
        center_id: CenterId::new("chuo").unwrap(),
        kind,
        guardian_id: guardian(),
        children: kids(children),
        pass_nonce: Some(PassNonce([9; 8])),
        occurred_at: ts(at),
        manual: false,
        staff_note: None,
    }
}

fn signer(seed: u8) -> PassSigner {
    PassSigner::from_seed(KeyId::new("k1").unwrap(), &[seed; 32])
}

fn keys() -> KeySet {
    let entry = signer(1).key_entry(ts("2026-01-01T00:00:00Z"), ts("2027-01-01T00:00:00Z"));
    KeySet::new(ts("2026-03-01T00:00:00Z"), vec![entry])
}

fn pass_with(seed: u8, nonce: u8, children: &[u16], at: &str, center: Option<&str>) -> String {
    let mut claims = PassClaims::new(
        guardian(),
        kids(children),
        ts(at),
        SignedDuration::from_mins(5),
        PassNonce([nonce; 8]),
    )
    .unwrap();
    claims.center_id = center.map(|c| CenterId::new(c).unwrap());
    issue(&signer(seed), &claims).unwrap()
}

fn pass(nonce: u8, children: &[u16], at: &str) -> String {
    pass_with(1, nonce, children, at, None)
}

struct Fixture {
    kiosk: KioskId,
    keys: Option<KeySet>,
    config: Option<KioskConfig>,
    replay: ReplayGuard,
    used: HashMap<EventId, UsedAnswer>,
    view: View,
    policy: VerifyPolicy,
}

impl Fixture {
    fn new() -> Self {
        Self {
            kiosk: KioskId::new("chuo-1").unwrap(),
            keys: Some(keys()),
            config: Some(config()),
            replay: ReplayGuard::new(),
            used: HashMap::new(),
            view: View::default(),
            policy: VerifyPolicy::default(),
        }
    }

    fn decide(&self, text: &str, now: &str) -> Decision {
        let inputs = ScanInputs {
            kiosk_id: &self.kiosk,
            keys: self.keys.as_ref(),
            config: self.config.as_ref(),
            replay: &self.replay,
            used: &self.used,
            view: &self.view,
            policy: &self.policy,
        };
        decide(inputs, text, ts(now))
    }

    /// Decides and, for a new event, remembers it as the kiosk would after storing it.
    fn scan(&mut self, text: &str, now: &str) -> Decision {
        let decision = self.decide(text, now);
        if let Decision::Record { event, pass } = &decision {
            self.replay
                .record(pass, event.event_id, ts(now), self.policy.clock_skew);
            self.used.insert(
                event.event_id,
                UsedAnswer {
                    kind: event.kind,
                    children: event.children.clone(),
                },
            );
            self.view.apply(event);
        }
        decision
    }
}

fn refusal(decision: &Decision) -> Option<Refusal> {
    match decision {
        Decision::Refuse(r) => Some(*r),
        _ => None,
    }
}

#[test]
fn a_fresh_pass_checks_in_then_a_new_one_checks_out() {
    let mut f = Fixture::new();
    let first = f.scan(
        &pass(1, &[1, 2], "2026-04-01T01:00:00Z"),
        "2026-04-01T01:00:05Z",
    );
    let Decision::Record { event, .. } = &first else {
        panic!("{first:?}")
    };
    assert_eq!(event.kind, EventKind::CheckIn);
    assert_eq!(event.children, kids(&[1, 2]));
    assert_eq!(event.center_id.as_str(), "chuo");
    assert_eq!(event.event_id.0.get_version_num(), 7);
    let second = f.scan(
        &pass(2, &[1, 2], "2026-04-01T02:00:00Z"),
        "2026-04-01T02:00:05Z",
    );
    assert!(matches!(&second, Decision::Record { event, .. } if event.kind == EventKind::CheckOut));
}

#[test]
fn the_same_pass_repeats_its_answer_for_ten_seconds_then_is_a_reused_code() {
    let mut f = Fixture::new();
    let text = pass(1, &[1], "2026-04-01T01:00:00Z");
    let Decision::Record { event, .. } = f.scan(&text, "2026-04-01T01:00:05Z") else {
        panic!()
    };
    let again = f.scan(&text, "2026-04-01T01:00:14Z");
    assert_eq!(
        again,
        Decision::Repeat {
            event_id: event.event_id,
            answer: UsedAnswer {
                kind: EventKind::CheckIn,
                children: kids(&[1])
            },
            names: Vec::new(),
        }
    );
    assert_eq!(
        refusal(&f.scan(&text, "2026-04-01T01:00:30Z")),
        Some(Refusal::Reused)
    );
}

#[test]
fn each_bad_pass_is_refused_with_its_reason() {
    let f = Fixture::new();
    let at = "2026-04-01T01:00:00Z";
    let cases = [
        (pass(1, &[1], at), "2026-04-01T01:07:00Z", Refusal::Expired),
        (pass_with(2, 1, &[1], at, None), at, Refusal::BadSignature),
        (
            pass_with(1, 1, &[1], at, Some("kita")),
            at,
            Refusal::WrongCenter,
        ),
        ("https://example.jp/".to_owned(), at, Refusal::NotAPass),
        ("SP2:XYZ".to_owned(), at, Refusal::UnsupportedVersion),
        ("SP1:!!".to_owned(), at, Refusal::Malformed),
        (
            pass(1, &[1], "2026-04-01T01:05:00Z"),
            at,
            Refusal::NotYetValid,
        ),
    ];
    for (text, now, want) in cases {
        assert_eq!(refusal(&f.decide(&text, now)), Some(want), "{text}");
    }
    assert_eq!(
        refusal(&f.decide(&pass_with(1, 1, &[1], at, Some("chuo")), at)),
        None
    );
}

#[test]
fn without_keys_or_config_the_kiosk_is_not_ready() {
    let mut f = Fixture::new();
    f.keys = None;
    let text = pass(1, &[1], "2026-04-01T01:00:00Z");
    assert_eq!(
        refusal(&f.decide(&text, "2026-04-01T01:00:01Z")),
        Some(Refusal::NotReady)
    );
    assert_eq!(
        refusal(&f.decide("hello", "2026-04-01T01:00:01Z")),
        Some(Refusal::NotAPass)
    );
    let mut f = Fixture::new();
    f.config = None;
    assert_eq!(
        refusal(&f.decide(&text, "2026-04-01T01:00:01Z")),
        Some(Refusal::NotReady)
    );
    // A key set that lacks the pass's key (revoked): unknown key.
    let mut f = Fixture::new();
    f.keys = Some(KeySet::new(ts("2026-03-02T00:00:00Z"), Vec::new()));
    assert_eq!(
        refusal(&f.decide(&text, "2026-04-01T01:00:01Z")),
        Some(Refusal::UnknownKey)
    );
}
