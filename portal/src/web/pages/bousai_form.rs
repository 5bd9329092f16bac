//! The alert form as posted, read into a draft: kind, target (市内全域, or areas × hazard
//! zones), opened shelters, 発令時刻, and the words staff add per language.

use jiff::{Timestamp, civil::DateTime};
use uuid::Uuid;

use crate::alerts::{
    AlertDraft, AlertTarget, AreaId, Language, PerLanguage, TargetArea, TargetZones, ZoneId,
    ZoneSet,
};

/// The form's values, kept as typed so the page can be shown again with them.
#[derive(Debug, Clone, Default)]
pub struct AlertForm {
    /// `preview` or `send`.
    pub action: String,
    /// The alert a 続報 follows.
    pub refers_to: Option<Uuid>,
    /// The catalog kind.
    pub kind: String,
    /// `city` or `areas`.
    pub scope: String,
    /// Chosen areas.
    pub areas: Vec<u32>,
    /// Chosen zones (none: all of each area).
    pub zones: Vec<u8>,
    /// One shelter per line.
    pub shelters: String,
    /// `YYYY-MM-DDTHH:MM` in Asia/Tokyo; empty: now.
    pub issued_at: String,
    /// Title per language code (free-form kinds).
    pub titles: Vec<(String, String)>,
    /// Added text per language code.
    pub texts: Vec<(String, String)>,
}

impl AlertForm {
    /// Reads the posted pairs (unknown names are ignored; a number that is not one, too).
    pub fn from_pairs(pairs: &[(String, String)]) -> (AlertForm, String) {
        let mut form = AlertForm::default();
        let mut csrf = String::new();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => csrf.clone_from(value),
                "action" => form.action.clone_from(value),
                "refers_to" => form.refers_to = Uuid::parse_str(value.trim()).ok(),
                "kind" => form.kind.clone_from(value),
                "scope" => form.scope.clone_from(value),
                "area" => form.areas.extend(value.trim().parse::<u32>().ok()),
                "zones" => form.zones.extend(value.trim().parse::<u8>().ok()),
                "shelters" => form.shelters.clone_from(value),
                "issued_at" => form.issued_at.clone_from(value),
                other => {
                    if let Some(code) = other.strip_prefix("title_") {
                        form.titles.push((code.to_owned(), value.clone()));
                    } else if let Some(code) = other.strip_prefix("text_") {
                        form.texts.push((code.to_owned(), value.clone()));
                    }
                }
            }
        }
        (form, csrf)
    }

    /// The form filled from a draft (a CAP import, or the alert a 続報 follows).
    pub fn from_draft(draft: &AlertDraft, refers_to: Option<Uuid>) -> AlertForm {
        let (scope, areas, zones) = match &draft.target {
            AlertTarget::CityWide => ("city", Vec::new(), Vec::new()),
            AlertTarget::Areas(targets) => {
                let mut zones: Vec<u8> = Vec::new();
                for target in targets {
                    if let TargetZones::Only(set) = target.zones {
                        zones.extend(set.iter().map(|zone| zone.0));
                    }
                }
                zones.sort_unstable();
                zones.dedup();
                ("areas", targets.iter().map(|t| t.area.0).collect(), zones)
            }
        };
        let words = |texts: &PerLanguage<String>| {
            texts
                .iter()
                .map(|(language, text)| (language.code().to_owned(), text.clone()))
                .collect()
        };
        AlertForm {
            action: String::new(),
            refers_to,
            kind: draft.kind.clone(),
            scope: scope.to_owned(),
            areas,
            zones,
            shelters: draft.shelters.join("\n"),
            issued_at: local(draft.issued_at),
            titles: words(&draft.title),
            texts: words(&draft.text),
        }
    }

    /// The title typed for a language.
    pub fn title(&self, code: &str) -> &str {
        pick(&self.titles, code)
    }

    /// The text typed for a language.
    pub fn text(&self, code: &str) -> &str {
        pick(&self.texts, code)
    }

    /// Whether an area is chosen.
    pub fn has_area(&self, area: &u32) -> bool {
        self.areas.contains(area)
    }

    /// Whether a zone is chosen.
    pub fn has_zone(&self, zone: &u8) -> bool {
        self.zones.contains(zone)
    }

    /// The draft; `None` when 発令時刻 cannot be read.
    pub fn draft(&self, now: Timestamp) -> Option<AlertDraft> {
        let issued_at = match self.issued_at.trim() {
            "" => now,
            text => text
                .parse::<DateTime>()
                .ok()?
                .to_zoned(crate::clock::tokyo())
                .ok()?
                .timestamp(),
        };
        let target = if self.scope == "areas" {
            let zones: ZoneSet = self.zones.iter().map(|zone| ZoneId(*zone)).collect();
            let zones = if zones.is_empty() {
                TargetZones::All
            } else {
                TargetZones::Only(zones)
            };
            AlertTarget::Areas(
                self.areas
                    .iter()
                    .map(|area| TargetArea {
                        area: AreaId(*area),
                        zones,
                    })
                    .collect(),
            )
        } else {
            AlertTarget::CityWide
        };
        let words = |pairs: &[(String, String)]| -> PerLanguage<String> {
            pairs
                .iter()
                .filter(|(_, text)| !text.trim().is_empty())
                .filter_map(|(code, text)| Some((Language::parse(code)?, text.clone())))
                .collect()
        };
        Some(AlertDraft {
            kind: self.kind.clone(),
            target,
            shelters: self
                .shelters
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
            issued_at,
            title: words(&self.titles),
            text: words(&self.texts),
        })
    }
}

fn pick<'a>(pairs: &'a [(String, String)], code: &str) -> &'a str {
    pairs
        .iter()
        .find(|(c, _)| c == code)
        .map_or("", |(_, text)| text.as_str())
}

/// A time as the form's `datetime-local` field shows it, in Asia/Tokyo.
pub fn local(at: Timestamp) -> String {
    at.to_zoned(crate::clock::tokyo())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn a_form_reads_into_a_draft_and_back() {
        let (form, csrf) = AlertForm::from_pairs(&pairs(&[
            ("csrf", "t"),
            ("kind", "level4"),
            ("scope", "areas"),
            ("area", "1"),
            ("area", "3"),
            ("zones", "1"),
            ("zones", "x"),
            ("shelters", "西条小学校\r\n\r\n 八本松公民館 "),
            ("issued_at", "2026-12-03T18:05"),
            ("text_ja", "川に近づかないでください。"),
            ("text_en", " "),
        ]));
        assert_eq!(csrf, "t");
        let now: Timestamp = "2026-12-03T00:00:00Z".parse().unwrap();
        let draft = form.draft(now).unwrap();
        assert_eq!(draft.issued_at, "2026-12-03T09:05:00Z".parse().unwrap());
        assert_eq!(draft.shelters, vec!["西条小学校", "八本松公民館"]);
        let AlertTarget::Areas(targets) = &draft.target else {
            panic!("areas")
        };
        assert_eq!(targets.len(), 2);
        assert_eq!(
            targets[0].zones,
            TargetZones::Only([ZoneId(1)].into_iter().collect())
        );
        assert!(draft.text.get(Language::En).is_none());
        let again = AlertForm::from_draft(&draft, None);
        assert_eq!(again.areas, vec![1, 3]);
        assert_eq!(again.zones, vec![1]);
        assert_eq!(again.issued_at, "2026-12-03T18:05");
        assert_eq!(again.text("ja"), "川に近づかないでください。");
    }

    #[test]
    fn an_unreadable_time_gives_no_draft_and_an_empty_one_is_now() {
        let now: Timestamp = "2026-12-03T00:00:00Z".parse().unwrap();
        let (form, _) = AlertForm::from_pairs(&pairs(&[("issued_at", "昨日")]));
        assert!(form.draft(now).is_none());
        let (form, _) = AlertForm::from_pairs(&pairs(&[("kind", "info")]));
        let draft = form.draft(now).unwrap();
        assert_eq!(draft.issued_at, now);
        assert_eq!(draft.target, AlertTarget::CityWide);
    }
}
