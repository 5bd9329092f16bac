//! The 防災情報の通知設定 of the synthetic citizens (`portal admin load-alerts`): a fixed,
//! realistic spread drawn from each citizen's number, so that a benchmark can count whom an
//! alert reaches with the same rule ([`alert_setting`]) without reading the database.
//!
//! Of every 1,000 citizens (each dimension drawn independently from the number):
//!
//! - 600 never saved a setting (no row: the 初期設定, city-wide, in Japanese);
//! - 30 said 「配信を希望しない」;
//! - 120 saved a city-wide setting, 250 「特定の地域の情報だけ」;
//! - those with a row read ja 60 %, en 12 %, ja-easy 8 %, zh-Hans 7 %, vi 6 %, ko 4 %, pt 3 %;
//! - "only my areas": 1 area (55 %), 2 (30 %) or 3 (15 %), distinct, the first areas weighted as
//!   東広島市's nine towns by population (西条町 40 %, 高屋町 16 %, 八本松町 15 %, 黒瀬町 12 %,
//!   安芸津町 7 %, 河内町 4 %, 志和町 3 %, 豊栄町 2 %, 福富町 1 %; further areas 5 % each); for
//!   each area 該当なし (55 %) or one (30 %) or two (15 %) of the catalog's hazard zones 1–6
//!   (土砂災害警戒区域 30 %, 洪水浸水想定区域 25 %, 土砂災害特別警戒区域 15 %, ため池浸水想定区域
//!   15 %, 家屋倒壊等氾濫想定区域 10 %, 津波浸水想定区域 5 %).

use crate::{
    alerts::{AreaChoice, AreaId, Language, ZoneChoice, ZoneId, ZoneSet},
    store::StoredAlertSetting,
};

/// Weights of the areas by position (the demo city's towns in number order: 西条町, 八本松町,
/// 志和町, 高屋町, 黒瀬町, 福富町, 豊栄町, 河内町, 安芸津町); later areas weigh 5.
const AREA_WEIGHTS: [u64; 9] = [40, 15, 3, 16, 12, 1, 2, 4, 7];

/// Weights of hazard zones 1–6.
const ZONE_WEIGHTS: [u64; 6] = [30, 15, 25, 10, 15, 5];

/// The languages of those who saved a setting, with their weights.
const LANGUAGES: [(Language, u64); 7] = [
    (Language::Ja, 60),
    (Language::En, 12),
    (Language::JaEasy, 8),
    (Language::ZhHans, 7),
    (Language::Vi, 6),
    (Language::Ko, 4),
    (Language::Pt, 3),
];

/// A well-mixed 64-bit value of `n` and `salt` (SplitMix64's finaliser).
fn draw(n: u64, salt: u64) -> u64 {
    let mut z = n
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The index that `value` falls on in `weights` (taken modulo their sum).
fn weighted(value: u64, weights: impl Iterator<Item = u64> + Clone) -> usize {
    let total: u64 = weights.clone().sum();
    let mut left = value % total.max(1);
    for (index, weight) in weights.enumerate() {
        if left < weight {
            return index;
        }
        left -= weight;
    }
    0
}

/// The hazard zones of citizen `n`'s `k`-th area.
fn zones_of(n: u64, k: u64) -> ZoneChoice {
    let how_many = match draw(n, 10 + k) % 100 {
        0..55 => return ZoneChoice::NoneApplies,
        55..85 => 1,
        _ => 2,
    };
    let zones: ZoneSet = (0..how_many)
        .map(|i| {
            let index = weighted(draw(n, 20 + 2 * k + i), ZONE_WEIGHTS.iter().copied());
            ZoneId(u8::try_from(index + 1).unwrap_or(1))
        })
        .collect();
    ZoneChoice::Zones(zones)
}

/// The areas of citizen `n`, who takes only those, among `areas` (the city's area numbers in
/// order).
fn areas_of(n: u64, areas: &[u32]) -> Vec<AreaChoice> {
    let wanted = match draw(n, 3) % 100 {
        0..55 => 1,
        55..85 => 2,
        _ => 3,
    }
    .min(areas.len());
    let weight = |index: usize| AREA_WEIGHTS.get(index).copied().unwrap_or(5);
    let mut chosen: Vec<AreaChoice> = Vec::with_capacity(wanted);
    let mut attempt = 0;
    while chosen.len() < wanted {
        // Draw among the areas not chosen yet.
        let left: Vec<usize> = (0..areas.len())
            .filter(|index| !chosen.iter().any(|c| c.area.0 == areas[*index]))
            .collect();
        let pick = weighted(
            draw(n, 4 + attempt),
            left.iter().map(|index| weight(*index)),
        );
        let Some(&area) = left.get(pick).and_then(|index| areas.get(*index)) else {
            break;
        };
        chosen.push(AreaChoice {
            area: AreaId(area),
            zones: zones_of(n, chosen.len() as u64),
        });
        attempt += 1;
    }
    chosen
}

/// The setting of synthetic citizen `n` (`citizen{n}@load.invalid`) in a city with `areas`
/// (its area numbers in order); `None`: no row, the 初期設定.
pub fn alert_setting(n: u64, areas: &[u32]) -> Option<StoredAlertSetting> {
    let kind = draw(n, 1) % 1000;
    if kind < 600 {
        return None;
    }
    let language = LANGUAGES
        .get(weighted(
            draw(n, 2),
            LANGUAGES.iter().map(|(_, weight)| *weight),
        ))
        .map_or(Language::Ja, |(language, _)| *language);
    let only_my_areas = kind >= 750 && !areas.is_empty();
    Some(StoredAlertSetting {
        receive: !(600..630).contains(&kind),
        lang: language.code().to_owned(),
        areas: only_my_areas.then(|| areas_of(n, areas)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: [u32; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 9];

    #[test]
    fn the_spread_is_as_documented() {
        let settings: Vec<_> = (0..100_000).map(|n| alert_setting(n, &DEMO)).collect();
        let share = |f: &dyn Fn(&Option<StoredAlertSetting>) -> bool| {
            settings.iter().filter(|s| f(s)).count() as f64 / 1000.0
        };
        let near = |got: f64, want: f64| (got - want).abs() < 1.0;
        assert!(near(share(&|s| s.is_none()), 60.0));
        assert!(near(
            share(&|s| s.as_ref().is_some_and(|s| !s.receive)),
            3.0
        ));
        let only = share(&|s| s.as_ref().is_some_and(|s| s.areas.is_some()));
        assert!(near(only, 25.0), "{only}");
        let ja = share(&|s| s.as_ref().is_some_and(|s| s.lang == "ja"));
        assert!(near(ja, 24.0), "{ja}");
        let seijo = share(&|s| {
            s.as_ref()
                .and_then(|s| s.areas.as_ref())
                .is_some_and(|areas| areas.first().is_some_and(|a| a.area == AreaId(1)))
        });
        assert!(near(seijo, 10.0), "{seijo}");
    }

    #[test]
    fn areas_are_one_to_three_distinct_with_zones_or_none() {
        for n in 0..20_000 {
            let Some(areas) = alert_setting(n, &DEMO).and_then(|s| s.areas) else {
                continue;
            };
            assert!((1..=3).contains(&areas.len()));
            for (i, choice) in areas.iter().enumerate() {
                assert!(DEMO.contains(&choice.area.0));
                assert!(areas[..i].iter().all(|c| c.area != choice.area));
                if let ZoneChoice::Zones(zones) = choice.zones {
                    assert!(!zones.is_empty());
                    assert!(zones.iter().all(|z| (1..=6).contains(&z.0)));
                }
            }
        }
        // A city with one area: everyone who takes only their areas has that one.
        let one = (0..1000).filter_map(|n| alert_setting(n, &[7]).and_then(|s| s.areas));
        assert!(one.into_iter().all(|areas| areas.len() == 1));
    }
}
