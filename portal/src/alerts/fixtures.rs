//! A small city for the tests: five areas of 東広島市 and the embedded catalog.

use super::areas::{Area, AreaId, Areas};
use super::catalog::Catalog;
use super::hazards::{ZoneId, ZoneSet};
use super::languages::Language;

/// 土砂災害警戒区域.
pub const LANDSLIDE: ZoneId = ZoneId(1);
/// 土砂災害特別警戒区域.
pub const LANDSLIDE_SPECIAL: ZoneId = ZoneId(2);
/// 洪水浸水想定区域.
pub const FLOOD: ZoneId = ZoneId(3);
/// ため池浸水想定区域.
pub const POND: ZoneId = ZoneId(5);

/// 西条町寺家.
pub const JIKE: AreaId = AreaId(101);
/// 八本松町.
pub const HACHIHONMATSU: AreaId = AreaId(102);
/// 志和町.
pub const SHIWA: AreaId = AreaId(103);
/// 黒瀬町.
pub const KUROSE: AreaId = AreaId(104);
/// 安芸津町.
pub const AKITSU: AreaId = AreaId(105);

pub fn areas() -> Areas {
    let mut jike = Area::new(JIKE, "西条町寺家");
    jike.names.insert(Language::En, "Saijo-cho Jike".into());
    Areas::new(vec![
        jike,
        Area::new(HACHIHONMATSU, "八本松町"),
        Area::new(SHIWA, "志和町"),
        Area::new(KUROSE, "黒瀬町"),
        Area::new(AKITSU, "安芸津町"),
    ])
    .unwrap()
}

pub fn catalog() -> Catalog {
    Catalog::embedded().unwrap()
}

pub fn zones(ids: &[ZoneId]) -> ZoneSet {
    ids.iter().copied().collect()
}
