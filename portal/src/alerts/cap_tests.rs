use super::*;
use crate::alerts::cap_error::CapError;
use crate::alerts::cap_import::draft_from_cap;
use crate::alerts::compose::compose;
use crate::alerts::fixtures::{self, JIKE, LANDSLIDE, SHIWA, zones};
use crate::alerts::languages::{Language, PerLanguage};
use crate::alerts::targeting::TargetArea;
use crate::i18n::Lang;

const L_ALERT: &str = include_str!("../../tests/data/cap/l-alert-evacuation-order.ja.xml");
const CAP_11: &str = include_str!("../../tests/data/cap/bad-cap-1.1-namespace.xml");
const UPDATE_WITHOUT_REFERENCES: &str =
    include_str!("../../tests/data/cap/bad-update-without-references.xml");
const NOT_XML: &str = include_str!("../../tests/data/cap/bad-not-xml.xml");

fn draft() -> AlertDraft {
    AlertDraft {
        kind: "level4".into(),
        target: AlertTarget::Areas(vec![
            TargetArea {
                area: JIKE,
                zones: TargetZones::Only(zones(&[LANDSLIDE])),
            },
            TargetArea {
                area: SHIWA,
                zones: TargetZones::All,
            },
        ]),
        shelters: vec!["西条小学校".into(), "志和公民館".into()],
        issued_at: "2026-07-03T05:00:00Z".parse().unwrap(),
        title: PerLanguage::default(),
        text: [(
            Language::Ja,
            "車での避難は控えてください。<注意> & 徒歩で".to_owned(),
        )]
        .into_iter()
        .collect(),
    }
}

fn envelope(msg_type: MsgType, references: Option<&str>) -> CapEnvelope {
    CapEnvelope {
        identifier: "JP-342122-20260703-0001".into(),
        sender: "bousai@city.higashihiroshima.example.jp".into(),
        sender_name: "東広島市".into(),
        sent: "2026-07-03T05:05:00Z".parse().unwrap(),
        status: Status::Actual,
        msg_type,
        references: references.map(str::to_owned),
    }
}

fn cap_of(draft: &AlertDraft, envelope: &CapEnvelope) -> CapAlert {
    let (catalog, areas) = (fixtures::catalog(), fixtures::areas());
    let composed = compose(draft, &catalog, &areas).unwrap();
    CapAlert::from_alert(envelope, draft, &composed, &catalog, &areas)
}

#[test]
fn an_alert_is_written_as_cap_1_2_with_one_info_per_language() {
    let xml = cap_of(&draft(), &envelope(MsgType::Alert, None)).to_xml();
    assert!(xml.contains("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">"));
    assert!(xml.contains("<sent>2026-07-03T14:05:00+09:00</sent>"));
    assert!(
        xml.contains(
            "<status>Actual</status>\n  <msgType>Alert</msgType>\n  <scope>Public</scope>"
        )
    );
    assert_eq!(xml.matches("<info>").count(), 7);
    assert!(xml.contains("<language>ja-x-easy</language>"));
    assert!(xml.contains("<event>警戒レベル4 避難指示</event>"));
    assert!(xml.contains("<urgency>Immediate</urgency>\n    <severity>Severe</severity>\n    <certainty>Likely</certainty>"));
    assert!(xml.contains("<areaDesc>西条町寺家(土砂災害警戒区域)</areaDesc>"));
    assert!(xml.contains("&lt;注意&gt; &amp; 徒歩で"));
}

#[test]
fn generated_cap_parses_back_to_the_same_alert_and_draft() {
    let original = draft();
    for (msg_type, references) in [
        (MsgType::Alert, None),
        (
            MsgType::Update,
            Some(
                "bousai@city.higashihiroshima.example.jp,JP-342122-20260703-0001,2026-07-03T14:05:00+09:00",
            ),
        ),
    ] {
        let cap = cap_of(&original, &envelope(msg_type, references));
        let parsed = parse(&cap.to_xml()).unwrap();
        assert_eq!(parsed, cap);
        let imported = draft_from_cap(&parsed, &fixtures::catalog(), &fixtures::areas()).unwrap();
        assert_eq!(imported.draft, original);
        assert!(imported.unmatched_areas.is_empty() && imported.skipped_languages.is_empty());
    }
    let mut city_wide = original;
    city_wide.target = AlertTarget::CityWide;
    let parsed = parse(&cap_of(&city_wide, &envelope(MsgType::Alert, None)).to_xml()).unwrap();
    let imported = draft_from_cap(&parsed, &fixtures::catalog(), &fixtures::areas()).unwrap();
    assert_eq!(imported.draft.target, AlertTarget::CityWide);
}

#[test]
fn an_l_alert_evacuation_order_starts_a_draft() {
    let cap = parse(L_ALERT).unwrap();
    assert_eq!(cap.identifier, "JP-342122-20260703-0001");
    assert_eq!(cap.sent, "2026-07-03T05:05:00Z".parse().unwrap());
    assert_eq!(cap.infos.len(), 3);
    let ja = &cap.infos[0];
    assert_eq!(
        (ja.event.as_str(), ja.urgency, ja.categories.as_slice()),
        ("避難指示", Urgency::Immediate, &[Category::Safety][..])
    );
    assert_eq!(ja.areas[2].area_desc, "八本松町原 & 宗吉");
    assert!(ja.description.as_deref().unwrap().contains("\n14時00分"));

    let imported = draft_from_cap(&cap, &fixtures::catalog(), &fixtures::areas()).unwrap();
    let draft = &imported.draft;
    assert_eq!(draft.kind, "level4");
    assert_eq!(
        draft.target,
        AlertTarget::Areas(vec![
            TargetArea {
                area: JIKE,
                zones: TargetZones::All
            },
            TargetArea {
                area: SHIWA,
                zones: TargetZones::All
            },
        ])
    );
    assert_eq!(imported.unmatched_areas, ["八本松町原 & 宗吉"]);
    assert_eq!(imported.skipped_languages, ["fr-FR"]);
    assert_eq!(draft.issued_at, "2026-07-03T05:00:00Z".parse().unwrap());
    assert_eq!(
        draft.text.get(Language::En).map(String::as_str),
        Some("Everyone must leave dangerous places now.")
    );
    let composed = compose(draft, &fixtures::catalog(), &fixtures::areas()).unwrap();
    assert!(
        composed
            .preview(Language::Ja)
            .unwrap()
            .body
            .starts_with("7月3日 14時00分、西条町寺家、志和町に")
    );
}

#[test]
fn unknown_events_start_a_free_form_draft_and_cap_without_japanese_none() {
    let other = L_ALERT.replace(
        "<cap:event>避難指示</cap:event>",
        "<cap:event>給水情報</cap:event>",
    );
    let imported = draft_from_cap(
        &parse(&other).unwrap(),
        &fixtures::catalog(),
        &fixtures::areas(),
    )
    .unwrap();
    assert_eq!(imported.draft.kind, "info");
    assert_eq!(
        imported.draft.title.get(Language::Ja).map(String::as_str),
        Some("【警戒レベル4】避難指示 発令(西条町寺家、志和町)")
    );
    assert!(
        imported
            .draft
            .text
            .get(Language::Ja)
            .unwrap()
            .ends_with("開設している避難所: 西条小学校、志和公民館")
    );
    let english_only = L_ALERT.replace(
        "<cap:language>ja-JP</cap:language>",
        "<cap:language>es</cap:language>",
    );
    let error = draft_from_cap(
        &parse(&english_only).unwrap(),
        &fixtures::catalog(),
        &fixtures::areas(),
    )
    .unwrap_err();
    assert_eq!(error, CapError::NoJapaneseInfo);
}

#[test]
fn bad_files_are_refused_with_the_element_at_fault() {
    assert_eq!(parse(NOT_XML).unwrap_err().code(), "cap_not_xml");
    assert_eq!(parse("").unwrap_err().code(), "cap_not_xml");
    assert_eq!(parse("just words").unwrap_err().code(), "cap_not_xml");
    assert_eq!(
        parse(CAP_11).unwrap_err(),
        CapError::WrongNamespace("urn:oasis:names:tc:emergency:cap:1.1".into())
    );
    assert_eq!(
        parse(&L_ALERT.replace("cap:alert", "cap:warning")).unwrap_err(),
        CapError::WrongRoot("warning".into())
    );
    assert_eq!(
        parse(UPDATE_WITHOUT_REFERENCES).unwrap_err(),
        CapError::MissingReferences
    );
    let cases: [(&str, &str, CapError); 10] = [
        (
            "<cap:sent>2026-07-03T14:05:00+09:00</cap:sent>",
            "",
            CapError::Missing("sent"),
        ),
        (
            "<cap:identifier>JP-342122-20260703-0001</cap:identifier>",
            "",
            CapError::Missing("identifier"),
        ),
        (
            "<cap:scope>Public</cap:scope>",
            "",
            CapError::Missing("scope"),
        ),
        (
            "<cap:event>避難指示</cap:event>",
            "",
            CapError::Missing("info/event"),
        ),
        (
            "<cap:category>Safety</cap:category>\n    <cap:event>避難指示",
            "<cap:event>避難指示",
            CapError::Missing("info/category"),
        ),
        (
            "<cap:status>Actual",
            "<cap:status>Real",
            CapError::BadValue {
                element: "status",
                value: "Real".into(),
            },
        ),
        (
            "<cap:urgency>Immediate</cap:urgency>\n    <cap:severity>Severe</cap:severity>\n    <cap:certainty>Likely</cap:certainty>\n    <cap:eventCode>",
            "<cap:urgency>Now</cap:urgency>\n    <cap:severity>Severe</cap:severity>\n    <cap:certainty>Likely</cap:certainty>\n    <cap:eventCode>",
            CapError::BadValue {
                element: "info/urgency",
                value: "Now".into(),
            },
        ),
        (
            "14:05:00+09:00</cap:sent>",
            "05:05:00Z</cap:sent>",
            CapError::BadDateTime {
                element: "sent",
                value: "2026-07-03T05:05:00Z".into(),
            },
        ),
        (
            "2026-07-03T14:00:00+09:00",
            "2026-07-03 14:00",
            CapError::BadDateTime {
                element: "info/effective",
                value: "2026-07-03 14:00".into(),
            },
        ),
        (
            "JP-342122-20260703-0001",
            "JP 342122",
            CapError::BadValue {
                element: "identifier",
                value: "JP 342122".into(),
            },
        ),
    ];
    for (from, to, expected) in cases {
        let bad = L_ALERT.replacen(from, to, 1);
        assert_ne!(bad, L_ALERT, "{from}");
        assert_eq!(parse(&bad).unwrap_err(), expected, "{from} → {to}");
    }
    assert_eq!(
        parse(&L_ALERT.replace("2026-07-03T14:05:00+09:00", "2026-02-30T14:05:00+09:00"))
            .unwrap_err()
            .code(),
        "cap_bad_date_time"
    );
}

#[test]
fn errors_read_well_in_both_languages() {
    let missing = CapError::Missing("info/event");
    assert_eq!(missing.to_string(), "必須の要素 <info/event> がありません");
    assert_eq!(
        missing.message(Lang::En),
        "the required element <info/event> is missing"
    );
    assert_eq!(CapError::MissingReferences.code(), "cap_missing_references");
}
