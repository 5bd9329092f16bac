use super::*;
use crate::alerts::fixtures::{self, FLOOD, HACHIHONMATSU, JIKE, KUROSE, LANDSLIDE, SHIWA};
use crate::i18n::Lang;

fn choice(area: AreaId, zones: &[ZoneId], none_applies: bool) -> AreaChoiceInput {
    AreaChoiceInput {
        area,
        zones: zones.to_vec(),
        none_applies,
    }
}

fn input(areas: Vec<AreaChoiceInput>) -> SettingInput {
    SettingInput {
        receive: true,
        language: "vi".into(),
        only_my_areas: true,
        areas,
    }
}

fn check(input: &SettingInput) -> Result<Setting, SettingError> {
    check_setting(input, &fixtures::areas(), fixtures::catalog().zones())
}

#[test]
fn the_default_is_everyone_everything_in_japanese() {
    let setting = Setting::default();
    assert!(setting.receive());
    assert_eq!(setting.language(), Language::Ja);
    assert_eq!(setting.only_my_areas(), None);
}

#[test]
fn up_to_three_areas_each_with_zones_or_none_applies() {
    let setting = check(&input(vec![
        choice(JIKE, &[LANDSLIDE, FLOOD], false),
        choice(SHIWA, &[], true),
        choice(KUROSE, &[FLOOD], false),
    ]))
    .unwrap();
    assert_eq!(setting.language(), Language::Vi);
    let areas = setting.only_my_areas().unwrap();
    assert_eq!(areas.len(), 3);
    assert_eq!(
        areas[0].zones,
        ZoneChoice::Zones(fixtures::zones(&[LANDSLIDE, FLOOD]))
    );
    assert_eq!(areas[1].zones, ZoneChoice::NoneApplies);
}

#[test]
fn city_wide_ignores_the_areas_left_on_the_form() {
    let mut city_wide = input(vec![choice(AreaId(9999), &[], false)]);
    city_wide.only_my_areas = false;
    city_wide.receive = false;
    let setting = check(&city_wide).unwrap();
    assert_eq!(setting.only_my_areas(), None);
    assert!(!setting.receive());
}

#[test]
fn each_wrong_setting_is_refused_with_its_code() {
    let cases = [
        (input(vec![]), "alert_setting_no_area"),
        (
            input(vec![
                choice(JIKE, &[], true),
                choice(SHIWA, &[], true),
                choice(KUROSE, &[], true),
                choice(HACHIHONMATSU, &[], true),
            ]),
            "alert_setting_too_many_areas",
        ),
        (
            input(vec![choice(JIKE, &[FLOOD], false), choice(JIKE, &[], true)]),
            "alert_setting_duplicate_area",
        ),
        (
            input(vec![choice(AreaId(1), &[], true)]),
            "alert_setting_unknown_area",
        ),
        (
            input(vec![choice(JIKE, &[ZoneId(40)], false)]),
            "alert_setting_unknown_zone",
        ),
        (
            input(vec![choice(JIKE, &[], false)]),
            "alert_setting_no_zone_chosen",
        ),
        (
            input(vec![choice(JIKE, &[FLOOD], true)]),
            "alert_setting_none_with_zones",
        ),
    ];
    for (input, code) in cases {
        assert_eq!(check(&input).unwrap_err().code(), code, "{input:?}");
    }
    let mut klingon = input(vec![choice(JIKE, &[], true)]);
    klingon.language = "tlh".into();
    assert_eq!(
        check(&klingon).unwrap_err().code(),
        "alert_setting_unknown_language"
    );
}

#[test]
fn messages_use_the_pages_wording() {
    let too_many = SettingError::TooManyAreas(4);
    assert_eq!(too_many.to_string(), "地域は最大3件まで選択可能です");
    assert_eq!(
        too_many.message(Lang::En),
        "4 areas chosen; at most 3 can be"
    );
    let none = SettingError::NoZoneChosen(JIKE);
    assert!(none.to_string().contains("「該当なし」を選択してください"));
    assert_eq!(none.area(), Some(JIKE));
}

#[test]
fn stored_settings_are_trusted_but_kept_within_bounds() {
    let four = [AreaChoice {
        area: JIKE,
        zones: ZoneChoice::NoneApplies,
    }; 4];
    let setting = Setting::from_stored(true, Language::En, Some(&four));
    assert_eq!(setting.only_my_areas().map(<[_]>::len), Some(MAX_AREAS));
    assert_eq!(
        Setting::from_stored(true, Language::En, Some(&[])).only_my_areas(),
        None
    );
}
