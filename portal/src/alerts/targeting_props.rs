//! Property tests of targeting: random towns and targets, checked against the rule written out
//! plainly and against what a citizen would notice (twice, or while opted out, or in a language
//! the alert has no text in).

use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::alerts::hazards::ZoneId;

fn any_language() -> impl Strategy<Value = Language> {
    prop::sample::select(Language::ALL.to_vec())
}

fn any_zones() -> impl Strategy<Value = ZoneSet> {
    (1u64..1 << 7).prop_map(|bits| ZoneSet::from_bits(bits << 1))
}

fn any_choice() -> impl Strategy<Value = AreaChoice> {
    let zones = prop_oneof![
        Just(ZoneChoice::NoneApplies),
        any_zones().prop_map(ZoneChoice::Zones)
    ];
    (1u32..8, zones).prop_map(|(area, zones)| AreaChoice {
        area: AreaId(area),
        zones,
    })
}

fn any_setting() -> impl Strategy<Value = Setting> {
    let areas = prop::option::of(prop::collection::vec(any_choice(), 1..=3));
    (prop::bool::weighted(0.9), any_language(), areas).prop_map(|(receive, language, areas)| {
        let areas = areas.map(|mut areas| {
            let mut seen = HashSet::new();
            areas.retain(|choice| seen.insert(choice.area));
            areas
        });
        Setting::from_stored(receive, language, areas.as_deref())
    })
}

fn any_target() -> impl Strategy<Value = AlertTarget> {
    let zones = prop_oneof![
        Just(TargetZones::All),
        any_zones().prop_map(TargetZones::Only)
    ];
    let area = (1u32..8, zones).prop_map(|(area, zones)| TargetArea {
        area: AreaId(area),
        zones,
    });
    prop_oneof![
        1 => Just(AlertTarget::CityWide),
        4 => prop::collection::vec(area, 1..4).prop_map(AlertTarget::Areas),
    ]
}

fn any_languages() -> impl Strategy<Value = LanguageSet> {
    prop::collection::vec(any_language(), 0..4).prop_map(|ls| ls.into_iter().collect())
}

fn any_town() -> impl Strategy<Value = Vec<Setting>> {
    prop::collection::vec(any_setting(), 0..60)
}

/// The rule as the module's documentation says it, one target area at a time.
fn concerned(target: &AlertTarget, setting: &Setting) -> bool {
    let AlertTarget::Areas(targets) = target else {
        return setting.receive();
    };
    let Some(choices) = setting.only_my_areas() else {
        return setting.receive();
    };
    setting.receive()
        && targets.iter().any(|t| {
            choices.iter().any(|c| {
                c.area == t.area
                    && match (t.zones, c.zones) {
                        (TargetZones::All, _) => true,
                        (TargetZones::Only(_), ZoneChoice::NoneApplies) => false,
                        (TargetZones::Only(wanted), ZoneChoice::Zones(has)) => {
                            has.iter().any(|zone: ZoneId| wanted.contains(zone))
                        }
                    }
            })
        })
}

fn run(target: &AlertTarget, languages: LanguageSet, town: &[Setting]) -> Vec<(usize, Language)> {
    choose_recipients(target, languages, town.iter().enumerate())
}

proptest! {
    #[test]
    fn recipients_are_exactly_those_the_rule_names(target in any_target(), town in any_town()) {
        let chosen: Vec<usize> = run(&target, LanguageSet::EMPTY, &town).into_iter().map(|(i, _)| i).collect();
        let expected: Vec<usize> = (0..town.len()).filter(|&i| concerned(&target, &town[i])).collect();
        prop_assert_eq!(chosen, expected);
    }

    #[test]
    fn nobody_is_chosen_twice_and_the_opted_out_never(target in any_target(), town in any_town()) {
        let chosen = run(&target, LanguageSet::EMPTY, &town);
        let unique: HashSet<usize> = chosen.iter().map(|(i, _)| *i).collect();
        prop_assert_eq!(unique.len(), chosen.len());
        prop_assert!(chosen.iter().all(|(i, _)| town[*i].receive()));
    }

    #[test]
    fn a_city_wide_alert_chooses_exactly_the_opted_in(town in any_town(), languages in any_languages()) {
        let chosen: Vec<usize> = run(&AlertTarget::CityWide, languages, &town).into_iter().map(|(i, _)| i).collect();
        let opted_in: Vec<usize> = (0..town.len()).filter(|&i| town[i].receive()).collect();
        prop_assert_eq!(chosen, opted_in);
    }

    #[test]
    fn adding_a_target_area_never_removes_a_recipient(
        target in any_target(),
        extra in any_target(),
        town in any_town(),
    ) {
        let wider = match (&target, &extra) {
            (AlertTarget::Areas(a), AlertTarget::Areas(b)) => AlertTarget::Areas([a.clone(), b.clone()].concat()),
            _ => AlertTarget::CityWide,
        };
        let before: HashSet<usize> = run(&target, LanguageSet::EMPTY, &town).into_iter().map(|(i, _)| i).collect();
        let after: HashSet<usize> = run(&wider, LanguageSet::EMPTY, &town).into_iter().map(|(i, _)| i).collect();
        prop_assert!(before.is_subset(&after));
    }

    #[test]
    fn adding_a_matching_area_to_a_setting_never_removes_it(
        target in any_target(),
        setting in any_setting(),
        choice in any_choice(),
    ) {
        let audience = Audience::new(&target, LanguageSet::EMPTY);
        if let Some(areas) = setting.only_my_areas().filter(|a| a.len() < 3 && a.iter().all(|c| c.area != choice.area)) {
            let more = Setting::from_stored(setting.receive(), setting.language(), Some(&[areas, &[choice]].concat()));
            if audience.language_for(&setting).is_some() {
                prop_assert!(audience.language_for(&more).is_some());
            }
            if setting.receive() && audience.matches(&choice) {
                prop_assert!(audience.language_for(&more).is_some());
            }
        }
    }

    #[test]
    fn the_language_is_the_wanted_one_if_written_else_japanese(
        target in any_target(),
        languages in any_languages(),
        town in any_town(),
    ) {
        for (i, language) in run(&target, languages, &town) {
            let wanted = town[i].language();
            prop_assert!(language == Language::Ja || languages.contains(language));
            prop_assert_eq!(language == wanted, languages.contains(wanted) || wanted == Language::Ja);
        }
    }
}
