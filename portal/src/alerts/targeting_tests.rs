use super::*;
use crate::alerts::fixtures::{
    AKITSU, FLOOD, JIKE, KUROSE, LANDSLIDE, LANDSLIDE_SPECIAL, POND, SHIWA, zones,
};
use crate::alerts::hazards::ZoneId;

fn only(choices: &[(AreaId, Option<&[ZoneId]>)], language: Language) -> Setting {
    let choices: Vec<AreaChoice> = choices
        .iter()
        .map(|(area, ids)| AreaChoice {
            area: *area,
            zones: ids.map_or(ZoneChoice::NoneApplies, |ids| ZoneChoice::Zones(zones(ids))),
        })
        .collect();
    Setting::from_stored(true, language, Some(&choices))
}

fn everything(language: Language) -> Setting {
    Setting::from_stored(true, language, None)
}

fn opted_out() -> Setting {
    Setting::from_stored(false, Language::Ja, None)
}

fn area(area: AreaId, ids: Option<&[ZoneId]>) -> TargetArea {
    TargetArea {
        area,
        zones: ids.map_or(TargetZones::All, |ids| TargetZones::Only(zones(ids))),
    }
}

fn ja_en() -> LanguageSet {
    [Language::Ja, Language::En].into_iter().collect()
}

/// The citizens of a small town, by number.
fn town() -> Vec<(u32, Setting)> {
    vec![
        (1, everything(Language::En)),
        (2, opted_out()),
        (3, only(&[(JIKE, Some(&[LANDSLIDE]))], Language::En)),
        (4, only(&[(JIKE, None)], Language::Ja)),
        (5, only(&[(JIKE, Some(&[FLOOD]))], Language::Vi)),
        (
            6,
            only(
                &[
                    (SHIWA, Some(&[LANDSLIDE])),
                    (JIKE, Some(&[LANDSLIDE, FLOOD])),
                ],
                Language::Ko,
            ),
        ),
        (7, only(&[(KUROSE, None)], Language::En)),
        (
            8,
            Setting::from_stored(
                false,
                Language::En,
                Some(&[AreaChoice {
                    area: JIKE,
                    zones: ZoneChoice::NoneApplies,
                }]),
            ),
        ),
    ]
}

fn chosen(target: &AlertTarget) -> Vec<(u32, Language)> {
    let town = town();
    choose_recipients(target, ja_en(), town.iter().map(|(id, s)| (*id, s)))
}

#[test]
fn a_city_wide_alert_reaches_everyone_who_did_not_opt_out() {
    let ids: Vec<u32> = chosen(&AlertTarget::CityWide)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, [1, 3, 4, 5, 6, 7]);
}

#[test]
fn an_alert_for_a_whole_area_reaches_all_its_registrants_even_none_applies() {
    let ids: Vec<u32> = chosen(&AlertTarget::Areas(vec![area(JIKE, None)]))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, [1, 3, 4, 5, 6]);
}

#[test]
fn an_alert_for_zones_skips_none_applies_and_other_zones() {
    let landslide = AlertTarget::Areas(vec![area(JIKE, Some(&[LANDSLIDE, LANDSLIDE_SPECIAL]))]);
    let ids: Vec<u32> = chosen(&landslide).into_iter().map(|(id, _)| id).collect();
    // 1 takes everything; 3 and 6 registered 土砂災害警戒区域 in 寺家; 4 said 該当なし, 5 only 洪水.
    assert_eq!(ids, [1, 3, 6]);
}

#[test]
fn an_area_nobody_chose_reaches_only_those_who_take_everything() {
    let ids: Vec<u32> = chosen(&AlertTarget::Areas(vec![area(AKITSU, None)]))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, [1]);
}

#[test]
fn several_matching_areas_choose_a_citizen_once() {
    let both = AlertTarget::Areas(vec![
        area(SHIWA, Some(&[LANDSLIDE])),
        area(JIKE, None),
        area(JIKE, Some(&[POND])),
    ]);
    let ids: Vec<u32> = chosen(&both).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, [1, 3, 4, 5, 6]);
}

#[test]
fn an_area_named_twice_in_a_target_takes_the_union() {
    let audience = Audience::new(
        &AlertTarget::Areas(vec![area(JIKE, Some(&[POND])), area(JIKE, Some(&[FLOOD]))]),
        ja_en(),
    );
    assert!(audience.matches(&AreaChoice {
        area: JIKE,
        zones: ZoneChoice::Zones(zones(&[FLOOD]))
    }));
    assert!(audience.matches(&AreaChoice {
        area: JIKE,
        zones: ZoneChoice::Zones(zones(&[POND]))
    }));
    assert!(!audience.matches(&AreaChoice {
        area: JIKE,
        zones: ZoneChoice::NoneApplies
    }));
}

#[test]
fn each_gets_their_language_or_japanese() {
    let languages: Vec<(u32, Language)> = chosen(&AlertTarget::CityWide);
    assert_eq!(
        languages,
        [
            (1, Language::En),
            (3, Language::En),
            (4, Language::Ja),
            (5, Language::Ja),
            (6, Language::Ja),
            (7, Language::En),
        ]
    );
}

#[test]
fn recipients_come_lazily_in_the_order_given() {
    let town = town();
    let audience = Audience::new(&AlertTarget::CityWide, LanguageSet::EMPTY);
    let mut lazily = audience.recipients(town.iter().map(|(id, s)| (*id, s)));
    assert_eq!(lazily.next(), Some((1, Language::Ja)));
    assert_eq!(lazily.next(), Some((3, Language::Ja)));
    assert!(audience.is_city_wide());
}
