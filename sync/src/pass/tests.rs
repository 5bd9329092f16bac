//! Pass tests: a fixed test vector, size, round trip, and every way a pass is refused.

use coset::{
    CborSerializable as _, CoseSign1, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable as _,
    cbor::value::{Integer, Value},
    iana,
};
use ed25519_dalek::{Signer as _, SigningKey};
use jiff::{SignedDuration, Timestamp};
use rand::{SeedableRng, rngs::StdRng};

use super::*;
use crate::{ids::GuardianId, messages::KeySet};

fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn kid(text: &str) -> KeyId {
    KeyId::new(text).unwrap()
}

/// The test vector's key: seed bytes 0, 1, …, 31.
fn signer() -> PassSigner {
    let seed: [u8; 32] = std::array::from_fn(|i| i as u8);
    PassSigner::from_seed(kid("k1"), &seed)
}

fn keys_of(signers: &[&PassSigner]) -> KeySet {
    let entries = signers
        .iter()
        .map(|s| s.key_entry(ts("2026-01-01T00:00:00Z"), ts("2027-01-01T00:00:00Z")))
        .collect();
    KeySet::new(ts("2025-12-01T00:00:00Z"), entries)
}

fn children(numbers: &[u16]) -> Vec<ChildNo> {
    numbers.iter().map(|n| ChildNo::new(*n).unwrap()).collect()
}

/// The test vector's claims: guardian 0190f3a2-…, children 1 and 2, issued 2026-04-01 10:00 JST,
/// five minutes, nonce 01…08.
fn claims() -> PassClaims {
    PassClaims::new(
        GuardianId("0190f3a2-7b1c-7d4e-8f00-1234567890ab".parse().unwrap()),
        children(&[1, 2]),
        ts("2026-04-01T01:00:00Z"),
        DEFAULT_LIFETIME,
        PassNonce([1, 2, 3, 4, 5, 6, 7, 8]),
    )
    .unwrap()
}

fn now() -> Timestamp {
    ts("2026-04-01T01:00:30Z")
}

fn cose_bytes(text: &str) -> Vec<u8> {
    base45::decode(text.strip_prefix(PREFIX).unwrap()).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Signs arbitrary claim bytes with the test key, under any protected header.
fn sign_raw(payload: Vec<u8>, protected: coset::Header) -> String {
    let key = SigningKey::from_bytes(&signer().seed());
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(b"", |tbs| key.sign(tbs).to_bytes().to_vec())
        .build();
    format!("{PREFIX}{}", base45::encode(sign1.to_tagged_vec().unwrap()))
}

fn eddsa_header() -> coset::Header {
    HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .key_id(b"k1".to_vec())
        .build()
}

const VECTOR_TEXT: &str = "SP1:RRQN29P60AO0 OD8CKUY5L70+800 UGPF%$FN3IPD2--A0DICE0X50TH0*GD6-DFN0*GD 2E2U0X507H0QS00+027B/ZBI27IYG8-LL/0WUNPLK*2P2%S6NPU.PQ%5B/F85P 6QF5JNICG75SPIUIQPHB6%D%LCFPA$.8 05/MGWNF+36$DAJJQ0*9";
const VECTOR_COSE_HEX: &str = concat!(
    "d28447a2012704426b31a0582da501500190f3a27b1c7d4e8f001234567890ab",
    "02820102031a69cc6e10041a69cc6f3c0548010203040506070858405d5537cb",
    "849cad5a07a4bb55a1fec642e42cc9d2cd412e557e41c6aacedc973b622d28d8",
    "92e3d0f25a196d8962c3538e46cf27b182997ad230255188d1144e0c",
);

#[test]
fn the_test_vector_is_stable() {
    let text = issue(&signer(), &claims()).unwrap();
    assert_eq!(text, VECTOR_TEXT);
    assert_eq!(hex(&cose_bytes(&text)), VECTOR_COSE_HEX);
}

#[test]
fn the_test_vector_public_key_is_the_documented_one() {
    let json = serde_json::to_string(&signer().public_key()).unwrap();
    assert_eq!(json, "\"A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg\"");
}

#[test]
fn a_pass_round_trips() {
    let pass = verify(VECTOR_TEXT, &keys_of(&[&signer()]), now()).unwrap();
    let c = claims();
    assert_eq!(pass.kid, kid("k1"));
    assert_eq!(
        (pass.guardian_id, &pass.children, pass.nonce, pass.center_id),
        (c.guardian_id, &c.children, c.nonce, None)
    );
    assert_eq!(
        (pass.issued_at, pass.expires_at),
        (ts("2026-04-01T01:00:00Z"), ts("2026-04-01T01:05:00Z"))
    );
}

#[test]
fn passes_stay_small_and_qr_alphanumeric() {
    let mut rng = StdRng::seed_from_u64(7);
    let qr_alphanumeric =
        |c: char| c.is_ascii_digit() || c.is_ascii_uppercase() || " $%*+-./:".contains(c);
    let mut lengths = Vec::new();
    for (n, center) in [(1, None), (3, None), (3, Some("chuo"))] {
        let mut c = PassClaims::new(
            GuardianId(uuid::Uuid::from_u128(u128::MAX - 12_345)),
            children(&[1, 2, 3][..n]),
            ts("2026-04-01T01:00:00Z"),
            DEFAULT_LIFETIME,
            PassNonce::random(&mut rng),
        )
        .unwrap();
        c.center_id = center.map(|id| CenterId::new(id).unwrap());
        let text = issue(&signer(), &c).unwrap();
        assert!(text.chars().all(qr_alphanumeric), "{text}");
        lengths.push(text.len());
    }
    println!("pass lengths (1 child, 3 children, 3 children + center): {lengths:?}");
    // 195 characters is a version 6 QR code at level L, version 8 at level M.
    assert!(lengths[0] <= 195 && lengths[1] <= 195, "{lengths:?}");
    assert!(lengths[2] <= 205, "{lengths:?}");
}

#[test]
fn other_codes_and_versions_are_told_apart() {
    let keys = keys_of(&[&signer()]);
    for other in [
        "https://example.com/",
        "",
        "SP:ABC",
        "SPX1:ABC",
        "1234567890",
    ] {
        assert_eq!(
            verify(other, &keys, now()),
            Err(PassError::NotAPass),
            "{other:?}"
        );
    }
    assert_eq!(
        verify("SP2:ABCDEF", &keys, now()),
        Err(PassError::UnsupportedVersion("SP2:".into()))
    );
}

#[test]
fn unreadable_passes_are_malformed() {
    let keys = keys_of(&[&signer()]);
    let too_long = format!("{PREFIX}{}", "A".repeat(MAX_TEXT_LEN));
    let not_cose = format!("{PREFIX}{}", base45::encode(b"hello"));
    let truncated = &VECTOR_TEXT[..VECTOR_TEXT.len() - 3];
    for bad in [
        too_long.as_str(),
        "SP1:abc",
        "SP1:",
        not_cose.as_str(),
        truncated,
    ] {
        let err = verify(bad, &keys, now()).unwrap_err();
        assert_eq!(err.code(), "malformed", "{bad:?}: {err}");
    }
}

#[test]
fn an_unknown_key_is_named() {
    let other = PassSigner::generate(kid("k2"), &mut StdRng::seed_from_u64(1));
    assert_eq!(
        verify(VECTOR_TEXT, &keys_of(&[&other]), now()),
        Err(PassError::UnknownKey(kid("k1")))
    );
}

#[test]
fn forged_and_altered_passes_fail_the_signature() {
    // Another key under the same kid: a forger's key.
    let forger = PassSigner::generate(kid("k1"), &mut StdRng::seed_from_u64(2));
    let forged = issue(&forger, &claims()).unwrap();
    assert_eq!(
        verify(&forged, &keys_of(&[&signer()]), now()),
        Err(PassError::BadSignature)
    );

    // The real pass with a third child added to its claims, signature kept.
    let mut sign1 = CoseSign1::from_tagged_slice(&cose_bytes(VECTOR_TEXT)).unwrap();
    let mut more = claims();
    more.children.push(ChildNo::new(3).unwrap());
    sign1.payload = Some(more.to_cbor().unwrap());
    let altered = format!("{PREFIX}{}", base45::encode(sign1.to_tagged_vec().unwrap()));
    assert_eq!(
        verify(&altered, &keys_of(&[&signer()]), now()),
        Err(PassError::BadSignature)
    );
}

#[test]
fn the_header_must_say_eddsa_and_carry_the_kid_signed() {
    let keys = keys_of(&[&signer()]);
    let payload = claims().to_cbor().unwrap();
    let es256 = HeaderBuilder::new()
        .algorithm(iana::Algorithm::ES256)
        .key_id(b"k1".to_vec())
        .build();
    let no_kid = HeaderBuilder::new()
        .algorithm(iana::Algorithm::EdDSA)
        .build();
    for header in [es256, no_kid] {
        let text = sign_raw(payload.clone(), header);
        assert_eq!(verify(&text, &keys, now()).unwrap_err().code(), "malformed");
    }
    assert!(verify(&sign_raw(payload, eddsa_header()), &keys, now()).is_ok());
}

#[test]
fn claims_are_read_strictly_but_unknown_keys_are_ignored() {
    let keys = keys_of(&[&signer()]);
    let with_extra = |key: i64, value: Value| {
        let Ok(Value::Map(mut map)) = Value::from_slice(&claims().to_cbor().unwrap()) else {
            panic!("claims are a map");
        };
        map.push((Value::Integer(Integer::from(key)), value));
        let mut bytes = Vec::new();
        coset::cbor::ser::into_writer(&Value::Map(map), &mut bytes).unwrap();
        sign_raw(bytes, eddsa_header())
    };
    assert!(verify(&with_extra(99, Value::Bool(true)), &keys, now()).is_ok());
    let twice = with_extra(2, Value::Array(vec![]));
    assert_eq!(
        verify(&twice, &keys, now()).unwrap_err().code(),
        "malformed"
    );
    let bad_center = with_extra(6, Value::Text("Not/A/Center".into()));
    assert_eq!(
        verify(&bad_center, &keys, now()).unwrap_err().code(),
        "malformed"
    );
    let no_children = {
        let mut c = claims();
        c.children.clear();
        sign_raw(c.to_cbor().unwrap(), eddsa_header())
    };
    assert_eq!(
        verify(&no_children, &keys, now()).unwrap_err().code(),
        "malformed"
    );
}

#[test]
fn names_travel_with_the_pass_one_per_child() {
    let keys = keys_of(&[&signer()]);
    let named = claims().with_names(&[" はると ", "ゆい"]).unwrap();
    let text = issue(&signer(), &named).unwrap();
    let verified = verify(&text, &keys, now()).unwrap();
    assert_eq!(verified.names, ["はると", "ゆい"]);
    // Long names are shortened to what fits a kiosk's answer.
    let long = claims()
        .with_names(&["じゅげむじゅげむごこうのすりきれ", "ゆい"])
        .unwrap();
    assert_eq!(long.names[0].chars().count(), MAX_NAME_CHARS);
    // A name for only one of two children, or an empty one, is refused.
    assert_eq!(
        claims().with_names(&["はると"]).unwrap_err().code(),
        "malformed"
    );
    assert_eq!(
        claims().with_names(&["はると", " "]).unwrap_err().code(),
        "malformed"
    );
    // Names that are not texts are refused when read.
    let Ok(Value::Map(mut map)) = Value::from_slice(&claims().to_cbor().unwrap()) else {
        panic!("claims are a map");
    };
    map.push((
        Value::Integer(Integer::from(7)),
        Value::Array(vec![Value::Bool(true)]),
    ));
    let mut bytes = Vec::new();
    coset::cbor::ser::into_writer(&Value::Map(map), &mut bytes).unwrap();
    let bad = sign_raw(bytes, eddsa_header());
    assert_eq!(verify(&bad, &keys, now()).unwrap_err().code(), "malformed");
}

#[test]
fn time_is_checked_with_a_small_skew() {
    let keys = keys_of(&[&signer()]);
    let at = |t: &str| verify(VECTOR_TEXT, &keys, ts(t));
    // Issued 01:00:00, expires 01:05:00, skew 60 s.
    assert!(at("2026-04-01T00:59:00Z").is_ok());
    assert_eq!(
        at("2026-04-01T00:58:59Z"),
        Err(PassError::NotYetValid(ts("2026-04-01T01:00:00Z")))
    );
    assert!(at("2026-04-01T01:05:59Z").is_ok());
    assert_eq!(
        at("2026-04-01T01:06:00Z"),
        Err(PassError::Expired(ts("2026-04-01T01:05:00Z")))
    );
    let strict = VerifyPolicy {
        clock_skew: SignedDuration::ZERO,
        ..VerifyPolicy::default()
    };
    assert!(verify_with(VECTOR_TEXT, &keys, ts("2026-04-01T01:05:00Z"), &strict).is_err());
}

#[test]
fn a_long_lived_pass_is_refused() {
    let long = PassClaims::new(
        claims().guardian_id,
        children(&[1]),
        ts("2026-04-01T01:00:00Z"),
        SignedDuration::from_hours(2),
        PassNonce([9; 8]),
    )
    .unwrap();
    let text = issue(&signer(), &long).unwrap();
    assert_eq!(
        verify(&text, &keys_of(&[&signer()]), now()),
        Err(PassError::LifetimeTooLong(SignedDuration::from_hours(2)))
    );
}

#[test]
fn a_bound_pass_is_refused_at_another_center() {
    let mut c = claims();
    c.center_id = Some(CenterId::new("chuo").unwrap());
    let text = issue(&signer(), &c).unwrap();
    let pass = verify(&text, &keys_of(&[&signer()]), now()).unwrap();
    assert!(pass.check_center(&CenterId::new("chuo").unwrap()).is_ok());
    assert_eq!(
        pass.check_center(&CenterId::new("kita").unwrap()),
        Err(PassError::WrongCenter(CenterId::new("chuo").unwrap()))
    );
    let unbound = verify(VECTOR_TEXT, &keys_of(&[&signer()]), now()).unwrap();
    assert!(
        unbound
            .check_center(&CenterId::new("kita").unwrap())
            .is_ok()
    );
}

#[test]
fn rotation_keeps_offline_kiosks_verifying() {
    // k1 signs until 2026-04-01 01:00; k2 from then on. The kiosk received both a week before.
    let switch = ts("2026-04-01T01:00:00Z");
    let old = signer();
    let new = PassSigner::generate(kid("k2"), &mut StdRng::seed_from_u64(3));
    let keys = KeySet::new(
        ts("2026-03-25T00:00:00Z"),
        vec![
            old.key_entry(ts("2026-01-01T00:00:00Z"), switch),
            new.key_entry(switch, ts("2027-01-01T00:00:00Z")),
        ],
    );
    let at = |issued: &str| {
        PassClaims::new(
            claims().guardian_id,
            children(&[1]),
            ts(issued),
            DEFAULT_LIFETIME,
            PassNonce([4; 8]),
        )
        .unwrap()
    };
    // A pass from the old key just before the switch still works just after it.
    let before = issue(&old, &at("2026-04-01T00:59:00Z")).unwrap();
    assert!(verify(&before, &keys, ts("2026-04-01T01:02:00Z")).is_ok());
    // The new key works from the switch on.
    let after = issue(&new, &at("2026-04-01T01:00:00Z")).unwrap();
    assert!(verify(&after, &keys, ts("2026-04-01T01:01:00Z")).is_ok());
    // The old key is refused for passes issued after its window.
    let late = issue(&old, &at("2026-04-01T01:00:00Z")).unwrap();
    assert_eq!(
        verify(&late, &keys, ts("2026-04-01T01:01:00Z")),
        Err(PassError::KeyNotValidAtIssue {
            kid: kid("k1"),
            issued_at: switch
        })
    );
}

#[test]
fn claims_refuse_nonsense_at_issue_time() {
    let g = claims().guardian_id;
    let t = ts("2026-04-01T01:00:00Z");
    let n = PassNonce([0; 8]);
    assert!(PassClaims::new(g, vec![], t, DEFAULT_LIFETIME, n).is_err());
    assert!(PassClaims::new(g, children(&[1, 1]), t, DEFAULT_LIFETIME, n).is_err());
    assert!(PassClaims::new(g, children(&[1]), t, SignedDuration::ZERO, n).is_err());
    let seventeen: Vec<u16> = (1..=17).collect();
    assert!(PassClaims::new(g, children(&seventeen), t, DEFAULT_LIFETIME, n).is_err());
}

#[test]
fn the_signer_hides_its_secret() {
    let shown = format!("{:?}", signer());
    assert!(shown.contains("k1") && !shown.contains(&format!("{:?}", signer().seed())));
}
