use super::*;
use crate::alerts::fixtures::{self, FLOOD, JIKE, LANDSLIDE, SHIWA, zones};
use crate::alerts::targeting::TargetArea;
use crate::alerts::{AreaId, ZoneId};
use crate::i18n::Lang;

/// 2026-07-03 14:05 in Tokyo.
fn issued() -> Timestamp {
    "2026-07-03T05:05:00Z".parse().unwrap()
}

fn level4() -> AlertDraft {
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
        issued_at: issued(),
        title: PerLanguage::default(),
        text: [(Language::Ja, "車での避難は控えてください。".to_owned())]
            .into_iter()
            .collect(),
    }
}

fn compose_it(draft: &AlertDraft) -> Result<ComposedAlert, DraftError> {
    compose(draft, &fixtures::catalog(), &fixtures::areas())
}

#[test]
fn a_standard_kind_is_ready_in_every_language_at_once() {
    let alert = compose_it(&level4()).unwrap();
    assert_eq!(alert.languages().iter().count(), 7);
    let ja = alert.preview(Language::Ja).unwrap();
    assert_eq!(ja.title, "【警戒レベル4 避難指示】");
    assert_eq!(
        ja.body,
        "7月3日 14時05分、西条町寺家(土砂災害警戒区域)、志和町に警戒レベル4 避難指示を発令しました。\n\
         危険な場所から全員避難してください。\n\
         開設している避難所: 西条小学校、志和公民館\n\
         車での避難は控えてください。"
    );
    let en = alert.preview(Language::En).unwrap();
    assert!(
        en.body.starts_with(
            "At 14:05 on 3 July, Alert Level 4: Evacuation Order was issued for \
             Saijo-cho Jike (Landslide warning zone), 志和町."
        ),
        "{}",
        en.body
    );
    assert!(en.body.contains("Open shelters: 西条小学校, 志和公民館"));
    // No English free text: the Japanese one is better than none.
    assert!(en.body.ends_with("車での避難は控えてください。"));
    assert!(
        alert
            .preview(Language::Vi)
            .unwrap()
            .body
            .starts_with("Lúc 14:05 ngày 3/7")
    );
}

#[test]
fn lines_about_missing_shelters_and_text_are_left_out() {
    let mut draft = level4();
    draft.shelters.clear();
    draft.text = PerLanguage::default();
    draft.target = AlertTarget::CityWide;
    let alert = compose_it(&draft).unwrap();
    let ja = &alert.preview(Language::Ja).unwrap().body;
    assert_eq!(
        ja,
        "7月3日 14時05分、市内全域に警戒レベル4 避難指示を発令しました。\n危険な場所から全員避難してください。"
    );
}

#[test]
fn a_free_form_kind_takes_the_text_staff_wrote() {
    let mut draft = level4();
    draft.kind = "info".into();
    draft.title = [
        (Language::Ja, "給水所の開設".to_owned()),
        (Language::En, "Water points open".to_owned()),
    ]
    .into_iter()
    .collect();
    draft.text.insert(Language::En, "Bring containers.".into());
    let alert = compose_it(&draft).unwrap();
    assert_eq!(
        alert.languages(),
        [Language::Ja, Language::En].into_iter().collect()
    );
    assert_eq!(alert.preview(Language::Ko).unwrap().title, "給水所の開設");
    assert_eq!(
        alert.preview(Language::En).unwrap().body,
        "Bring containers."
    );
}

#[test]
fn a_free_form_kind_needs_japanese_and_whole_languages() {
    let mut draft = level4();
    draft.kind = "info".into();
    assert_eq!(compose_it(&draft).unwrap_err(), DraftError::NoJapaneseText);
    draft.title.insert(Language::Ja, "お知らせ".into());
    draft.title.insert(Language::Pt, "Aviso".into());
    assert_eq!(
        compose_it(&draft).unwrap_err(),
        DraftError::HalfWritten(Language::Pt)
    );
}

#[test]
fn each_wrong_draft_is_refused_with_its_code() {
    let with = |change: &dyn Fn(&mut AlertDraft)| {
        let mut draft = level4();
        change(&mut draft);
        compose_it(&draft).unwrap_err().code()
    };
    assert_eq!(
        with(&|d| d.kind = "level9".into()),
        "alert_draft_unknown_kind"
    );
    assert_eq!(
        with(&|d| d.target = AlertTarget::Areas(vec![])),
        "alert_draft_empty_target"
    );
    let empty_zones = TargetArea {
        area: JIKE,
        zones: TargetZones::Only(zones(&[])),
    };
    assert_eq!(
        with(&|d| d.target = AlertTarget::Areas(vec![empty_zones])),
        "alert_draft_empty_target"
    );
    let nowhere = TargetArea {
        area: AreaId(7),
        zones: TargetZones::All,
    };
    assert_eq!(
        with(&|d| d.target = AlertTarget::Areas(vec![nowhere])),
        "alert_draft_unknown_area"
    );
    let odd_zone = TargetArea {
        area: JIKE,
        zones: TargetZones::Only(zones(&[FLOOD, ZoneId(30)])),
    };
    assert_eq!(
        with(&|d| d.target = AlertTarget::Areas(vec![odd_zone])),
        "alert_draft_unknown_zone"
    );
    assert_eq!(
        with(&|d| d.shelters = vec!["a".into(); 51]),
        "alert_draft_too_many_shelters"
    );
    assert_eq!(
        with(&|d| d.shelters.push(" ".into())),
        "alert_draft_empty_shelter_name"
    );
    assert_eq!(
        with(&|d| d.shelters.push("館".repeat(61))),
        "alert_draft_shelter_name_too_long"
    );
    assert_eq!(
        with(&|d| {
            d.text.insert(Language::En, "x".repeat(1001));
        }),
        "alert_draft_text_too_long"
    );
    assert_eq!(
        with(&|d| d.shelters = (0..50).map(|n| format!("{n}{}", "避".repeat(55))).collect()),
        "alert_draft_body_too_long"
    );
}

#[test]
fn errors_say_what_to_do_in_both_languages() {
    let error = DraftError::BodyTooLong(Language::En);
    assert_eq!(
        error.to_string(),
        "Englishのメッセージが長すぎます(最大2000文字)。地域や避難所を分けて送ってください"
    );
    assert_eq!(
        DraftError::EmptyTarget.message(Lang::En),
        "choose the areas (and hazard zones) the alert is for"
    );
}

#[test]
fn times_are_written_in_tokyo_for_each_language() {
    let late = "2026-12-31T15:30:00Z".parse().unwrap();
    assert_eq!(tokyo_time(late, Language::Ja), "1月1日 0時30分");
    assert_eq!(tokyo_time(late, Language::En), "0:30 on 1 January");
    assert_eq!(tokyo_time(late, Language::Pt), "0h30 de 1/1");
    assert_eq!(tokyo_time(late, Language::Ko), "1월 1일 0:30");
}
