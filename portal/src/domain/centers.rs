//! 子育て支援センター as the city keeps them: name, address, capacity and opening hours, and
//! the rules that keep them sensible. Ids are short names (`chuo`, `saijo-kita`) because they
//! travel inside MQTT topics and passes.

use jiff::civil::Time;
use shimin_sync::ids::CenterId;

use super::validation::{self, FieldErrors};

/// The largest capacity accepted (a typo guard: no center holds more).
pub const MAX_CAPACITY: u32 = 500;

/// A center as typed into the staff form.
#[derive(Debug, Clone, Default)]
pub struct CenterInput {
    /// The id (a–z, 0–9, '-'); fixed once the center exists.
    pub center_id: String,
    /// 名称
    pub name: String,
    /// 所在地
    pub address: String,
    /// 定員 in families (親子の組数): how many guardians with their children may be in at once
    pub capacity: String,
    /// 開館時刻 HH:MM
    pub opens: String,
    /// 閉館時刻 HH:MM (kiosks check everyone out then)
    pub closes: String,
}

/// A center that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCenter {
    /// Its id.
    pub center_id: CenterId,
    /// 名称
    pub name: String,
    /// 所在地
    pub address: String,
    /// 定員
    pub capacity: u32,
    /// 開館時刻
    pub opens: Time,
    /// 閉館時刻
    pub closes: Time,
}

fn time(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Option<Time> {
    match raw.trim().parse::<Time>() {
        Ok(time) => Some(time),
        Err(_) => {
            errors.add(field, "error.time_malformed");
            None
        }
    }
}

/// Checks a center's details.
pub fn center(input: &CenterInput) -> Result<ValidCenter, FieldErrors> {
    let mut errors = FieldErrors::default();
    let center_id = CenterId::new(input.center_id.trim()).ok();
    if center_id.is_none() {
        errors.add("center_id", "error.id_malformed");
    }
    let name = validation::name(&mut errors, "name", &input.name);
    let address = input.address.trim().to_owned();
    if address.chars().count() > 200 {
        errors.add("address", "error.text_too_long");
    }
    let capacity = match input.capacity.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
        _ => {
            errors.add("capacity", "error.capacity_range");
            None
        }
    };
    let opens = time(&mut errors, "opens", &input.opens);
    let closes = time(&mut errors, "closes", &input.closes);
    if let (Some(opens), Some(closes)) = (opens, closes)
        && closes <= opens
    {
        errors.add("closes", "error.closes_before_opens");
    }
    match (center_id, capacity, opens, closes) {
        (Some(center_id), Some(capacity), Some(opens), Some(closes)) if errors.is_empty() => {
            Ok(ValidCenter {
                center_id,
                name,
                address,
                capacity,
                opens,
                closes,
            })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CenterInput {
        CenterInput {
            center_id: "chuo".into(),
            name: "中央子育て支援センター".into(),
            address: "西条栄町8番29号".into(),
            capacity: "40".into(),
            opens: "09:00".into(),
            closes: "16:00".into(),
        }
    }

    #[test]
    fn a_complete_center_passes() {
        let valid = center(&input()).unwrap();
        assert_eq!(valid.capacity, 40);
        assert_eq!(valid.closes, jiff::civil::time(16, 0, 0, 0));
    }

    #[test]
    fn bad_ids_capacities_and_hours_are_refused_beside_their_fields() {
        let bad = CenterInput {
            center_id: "中央".into(),
            capacity: "0".into(),
            opens: "17:00".into(),
            closes: "09:00".into(),
            ..input()
        };
        let errors = center(&bad).unwrap_err();
        assert_eq!(errors.get("center_id"), Some("error.id_malformed"));
        assert_eq!(errors.get("capacity"), Some("error.capacity_range"));
        assert_eq!(errors.get("closes"), Some("error.closes_before_opens"));
        let typo = CenterInput {
            capacity: "5000".into(),
            opens: "9時".into(),
            ..input()
        };
        let errors = center(&typo).unwrap_err();
        assert_eq!(errors.get("capacity"), Some("error.capacity_range"));
        assert_eq!(errors.get("opens"), Some("error.time_malformed"));
    }
}
