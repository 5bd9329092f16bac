//! A city's garbage data as the 5374 files hold it: the kinds, the 管理センター with their
//! pauses, the areas with one rule cell per kind, the 分別 dictionary and free-text remarks.
//!
//! This is the shape [`five374::import`](super::five374::import) returns after checking every
//! row, and [`five374::export`](super::five374::export) writes back, so a city's files survive a
//! round trip through the portal. The rules of an area become a [`Schedule`] through
//! [`GarbageData::schedule`], with its center's pause as an exception.

use jiff::civil::Date;

use super::calendar::Schedule;
use super::exceptions::{Exception, ScheduleError};
use super::kinds::KindRules;
use super::rules::Rule;

/// Everything a city's 5374 files say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GarbageData {
    /// The kinds' labels in the column order of `area_days.csv` (`燃やすごみ`, `資源` …).
    pub kinds: Vec<String>,
    /// How each kind is shown, in the order of `description.csv`.
    pub descriptions: Vec<KindDescription>,
    /// The collection centers (`center.csv`).
    pub centers: Vec<Center>,
    /// The areas (`area_days.csv`), in file order.
    pub areas: Vec<Area>,
    /// The 分別 dictionary (`target.csv`), in file order.
    pub targets: Vec<Target>,
    /// Free-text notes (`remarks.csv`); `None` when the city publishes no such file.
    pub remarks: Option<Vec<Remark>>,
}

/// How a kind is shown (one row of `description.csv`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindDescription {
    /// The kind's label, one of [`GarbageData::kinds`].
    pub label: String,
    /// A second line under the label (`かん・びん・ペットボトル`); may be empty.
    pub sublabel: String,
    /// What belongs to the kind; may be empty.
    pub description: String,
    /// The 5374 app's style or icon (`img/moyasu02.svg`); may be empty.
    pub styles: String,
    /// The background colour (`#FF0000`); empty when the file has no such column.
    pub bgcolor: String,
}

/// A collection center (管理センター), whose pause applies to all its areas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Center {
    /// Its name (`東部管理センター`), as areas refer to it.
    pub name: String,
    /// 休止開始日 and 休止終了日, both included: no collection in between (年末年始).
    pub pause: Option<(Date, Date)>,
}

/// An area (地名) and its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// The area's name (`浅野`), unique in the city.
    pub name: String,
    /// The name of its center, if it has one.
    pub center: Option<String>,
    /// One list of rules per kind, in the order of [`GarbageData::kinds`]; empty when the kind
    /// is not collected in the area.
    pub rules: Vec<Vec<Rule>>,
}

/// One item of the 分別 dictionary (a row of `target.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The kind it goes out as, one of [`GarbageData::kinds`].
    pub kind: String,
    /// The item (`アイロン`).
    pub name: String,
    /// How to put it out (`先端部を紙で包み「危険」と表示`); may be empty.
    pub notice: String,
    /// Its reading, or as in Kanazawa's file only the kana it is listed under (`あ`).
    pub furigana: String,
}

/// A free-text note (a row of `remarks.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remark {
    /// The note's id as the city wrote it.
    pub id: String,
    /// The note (注意事項).
    pub text: String,
}

impl Area {
    /// Whether no kind is collected in the area at all.
    pub fn has_no_rules(&self) -> bool {
        self.rules.iter().all(Vec::is_empty)
    }
}

impl GarbageData {
    /// The area of that name.
    pub fn area(&self, name: &str) -> Option<&Area> {
        self.areas.iter().find(|area| area.name == name)
    }

    /// The center of that name.
    pub fn center(&self, name: &str) -> Option<&Center> {
        self.centers.iter().find(|center| center.name == name)
    }

    /// The description of a kind, if the city gave one.
    pub fn description(&self, label: &str) -> Option<&KindDescription> {
        self.descriptions.iter().find(|d| d.label == label)
    }

    /// An area's schedule: its rules under the city's kinds, its center's pause, then the
    /// `extra` exceptions staff keep in the portal.
    pub fn schedule(&self, area: &Area, extra: &[Exception]) -> Result<Schedule, ScheduleError> {
        let kinds = self
            .kinds
            .iter()
            .zip(area.rules.iter().chain(std::iter::repeat(&Vec::new())))
            .map(|(label, rules)| KindRules {
                label: label.clone(),
                rules: rules.clone(),
            })
            .collect();
        let pause = area
            .center
            .as_deref()
            .and_then(|name| self.center(name))
            .and_then(|center| center.pause)
            .map(|(from, to)| Exception::Pause { from, to });
        let exceptions = pause.into_iter().chain(extra.iter().copied()).collect();
        Schedule::new(kinds, exceptions)
    }
}
