//! Pure functions from what the store knows to what the portal publishes: a center's
//! `Occupancy` and `Presence`, a kiosk's `KioskConfig`, and when a center closes.

use jiff::Timestamp;
use shimin_sync::messages::{
    KioskConfig, Occupancy, Presence, Thresholds, V1, Weekday, WeeklyHours,
};

use crate::{
    clock::tokyo,
    domain::centers::ValidCenter,
    store::{CenterSnapshot, Kiosk},
};

/// Whether the center is open at `now` (its daily hours, Asia/Tokyo).
pub fn is_open(center: &ValidCenter, now: Timestamp) -> bool {
    let time = now.to_zoned(tokyo()).time();
    center.opens <= time && time < center.closes
}

/// Today's closing time (Asia/Tokyo) if it has passed at `now`.
pub fn closed_since(center: &ValidCenter, now: Timestamp) -> Option<Timestamp> {
    let zoned = now.to_zoned(tokyo());
    let closes = zoned
        .date()
        .to_datetime(center.closes)
        .to_zoned(tokyo())
        .ok()?
        .timestamp();
    (closes <= now).then_some(closes)
}

/// The center's `Occupancy` message.
pub fn occupancy(
    center: &ValidCenter,
    snapshot: &CenterSnapshot,
    thresholds: &Thresholds,
    now: Timestamp,
) -> Occupancy {
    let families_in = snapshot.counts.families_in;
    Occupancy {
        v: V1,
        center_id: center.center_id.clone(),
        children_in: snapshot.counts.children_in,
        families_in,
        capacity: center.capacity,
        level: thresholds.level(families_in, center.capacity, is_open(center, now)),
        updated_at: snapshot.updated_at.unwrap_or(now),
        seq: snapshot.seq,
    }
}

/// The center's `Presence` message.
pub fn presence(snapshot: &CenterSnapshot, now: Timestamp) -> Presence {
    Presence {
        v: V1,
        center_id: snapshot.center_id.clone(),
        families: snapshot.families.clone(),
        updated_at: snapshot.updated_at.unwrap_or(now),
        seq: snapshot.seq,
    }
}

/// A kiosk's `KioskConfig`: its center, with the same daily hours every day.
pub fn kiosk_config(
    kiosk: &Kiosk,
    center: &ValidCenter,
    thresholds: &Thresholds,
    now: Timestamp,
) -> KioskConfig {
    KioskConfig {
        v: V1,
        kiosk_id: kiosk.kiosk_id.clone(),
        center_id: center.center_id.clone(),
        center_name: center.name.clone(),
        capacity: center.capacity,
        time_zone: "Asia/Tokyo".to_owned(),
        opening_hours: vec![WeeklyHours {
            days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ],
            opens: center.opens,
            closes: center.closes,
        }],
        closed_dates: Vec::new(),
        thresholds: *thresholds,
        updated_at: now,
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::time;
    use shimin_sync::{ids::CenterId, messages::CongestionLevel};

    use super::*;
    use crate::domain::presence::Counts;

    fn center() -> ValidCenter {
        ValidCenter {
            center_id: CenterId::new("chuo").unwrap(),
            name: "中央子育て支援センター".into(),
            address: "西条栄町8-29".into(),
            capacity: 10,
            opens: time(9, 30, 0, 0),
            closes: time(16, 0, 0, 0),
        }
    }

    fn snapshot(families_in: u32) -> CenterSnapshot {
        CenterSnapshot {
            center_id: CenterId::new("chuo").unwrap(),
            seq: 7,
            updated_at: Some("2026-04-01T01:00:00Z".parse().unwrap()),
            counts: Counts {
                children_in: families_in * 2,
                families_in,
            },
            families: Vec::new(),
        }
    }

    #[test]
    fn the_level_follows_the_share_of_capacity_and_the_hours_in_tokyo() {
        let thresholds = Thresholds::default();
        // 10:00 in Tokyo is 01:00 UTC: open.
        let open = "2026-04-01T01:00:00Z".parse().unwrap();
        let level = |n| occupancy(&center(), &snapshot(n), &thresholds, open).level;
        assert_eq!(level(0), CongestionLevel::Vacant);
        assert_eq!(level(5), CongestionLevel::SomewhatCrowded);
        assert_eq!(level(8), CongestionLevel::Crowded);
        assert_eq!(level(10), CongestionLevel::Full);
        // 16:00 in Tokyo (07:00 UTC) is closing time: 利用停止中.
        let closed = "2026-04-01T07:00:00Z".parse().unwrap();
        assert_eq!(
            occupancy(&center(), &snapshot(1), &thresholds, closed).level,
            CongestionLevel::Closed
        );
        let message = occupancy(&center(), &snapshot(3), &thresholds, open);
        assert_eq!(
            (message.children_in, message.capacity, message.seq),
            (6, 10, 7)
        );
    }

    #[test]
    fn closing_time_is_today_in_tokyo_once_passed() {
        let before = "2026-04-01T06:59:59Z".parse().unwrap();
        assert_eq!(closed_since(&center(), before), None);
        let after: Timestamp = "2026-04-01T09:00:00Z".parse().unwrap();
        assert_eq!(
            closed_since(&center(), after),
            Some("2026-04-01T07:00:00Z".parse().unwrap())
        );
        // Just after midnight in Tokyo (15:30 UTC the day before) today's closing is ahead.
        let night = "2026-04-01T15:30:00Z".parse().unwrap();
        assert_eq!(closed_since(&center(), night), None);
    }
}
