//! Citizens' one-tap answers to an alert (無事です / 避難しました / 助けが必要) and their
//! tally by area for the disaster office.
//!
//! A citizen may answer again (避難しました, then 無事です once home): only their latest
//! answer counts, so the tally says how things stand now, and who still needs help.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::areas::AreaId;
use super::languages::Language;

/// A one-tap answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// 無事です.
    Safe,
    /// 避難しました.
    Evacuated,
    /// 助けが必要.
    NeedHelp,
}

impl Answer {
    /// Every answer, in the order the buttons are shown.
    pub const ALL: [Answer; 3] = [Answer::Safe, Answer::Evacuated, Answer::NeedHelp];

    /// The stable code stored and sent in LINE postbacks (`safe`, `evacuated`, `need_help`).
    pub fn code(self) -> &'static str {
        match self {
            Answer::Safe => "safe",
            Answer::Evacuated => "evacuated",
            Answer::NeedHelp => "need_help",
        }
    }

    /// Reads a code.
    pub fn parse(code: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|answer| answer.code() == code)
    }

    /// The button's label in the citizen's language.
    pub fn label(self, language: Language) -> &'static str {
        use Answer::{Evacuated, NeedHelp, Safe};
        match (language, self) {
            (Language::Ja, Safe) => "無事です",
            (Language::Ja, Evacuated) => "避難しました",
            (Language::Ja, NeedHelp) => "助けが必要",
            (Language::JaEasy, Safe) => "ぶじです",
            (Language::JaEasy, Evacuated) => "ひなん しました",
            (Language::JaEasy, NeedHelp) => "たすけて ください",
            (Language::En, Safe) => "I am safe",
            (Language::En, Evacuated) => "I have evacuated",
            (Language::En, NeedHelp) => "I need help",
            (Language::ZhHans, Safe) => "我平安无事",
            (Language::ZhHans, Evacuated) => "我已避难",
            (Language::ZhHans, NeedHelp) => "我需要帮助",
            (Language::Ko, Safe) => "무사합니다",
            (Language::Ko, Evacuated) => "피난했습니다",
            (Language::Ko, NeedHelp) => "도움이 필요합니다",
            (Language::Vi, Safe) => "Tôi an toàn",
            (Language::Vi, Evacuated) => "Tôi đã sơ tán",
            (Language::Vi, NeedHelp) => "Tôi cần giúp đỡ",
            (Language::Pt, Safe) => "Estou bem",
            (Language::Pt, Evacuated) => "Já evacuei",
            (Language::Pt, NeedHelp) => "Preciso de ajuda",
        }
    }
}

/// One answer as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRecord<C> {
    /// Who answered.
    pub citizen: C,
    /// The area they answered for (their first registered area, or the one they picked);
    /// `None` for a citizen who registered no area.
    pub area: Option<AreaId>,
    /// The answer.
    pub answer: Answer,
    /// When.
    pub at: Timestamp,
}

/// The answers of one area, each citizen counted once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct AreaTally {
    /// 無事です.
    pub safe: u32,
    /// 避難しました.
    pub evacuated: u32,
    /// 助けが必要.
    pub need_help: u32,
}

impl AreaTally {
    /// How many citizens answered.
    pub fn total(&self) -> u32 {
        self.safe + self.evacuated + self.need_help
    }

    fn add(&mut self, answer: Answer) {
        let count = match answer {
            Answer::Safe => &mut self.safe,
            Answer::Evacuated => &mut self.evacuated,
            Answer::NeedHelp => &mut self.need_help,
        };
        *count += 1;
    }
}

/// The answers to one alert, as they stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally<C> {
    /// Per area (`None`: no area), in area order.
    pub by_area: BTreeMap<Option<AreaId>, AreaTally>,
    /// Everyone.
    pub total: AreaTally,
    /// Those whose latest answer is 助けが必要, with their area, longest waiting first.
    pub need_help: Vec<(C, Option<AreaId>)>,
}

/// Tallies `records` (in any order): each citizen's latest answer counts, in the area they gave
/// with it; of two answers at the same instant the one given later in `records` counts.
pub fn tally<C: Eq + Hash + Clone>(records: impl IntoIterator<Item = AnswerRecord<C>>) -> Tally<C> {
    let mut latest: HashMap<C, AnswerRecord<C>> = HashMap::new();
    for record in records {
        match latest.get(&record.citizen) {
            Some(kept) if kept.at > record.at => {}
            _ => {
                latest.insert(record.citizen.clone(), record);
            }
        }
    }
    let mut by_area: BTreeMap<Option<AreaId>, AreaTally> = BTreeMap::new();
    let mut total = AreaTally::default();
    let mut need_help = Vec::new();
    for record in latest.into_values() {
        by_area.entry(record.area).or_default().add(record.answer);
        total.add(record.answer);
        if record.answer == Answer::NeedHelp {
            need_help.push((record.at, record.citizen, record.area));
        }
    }
    need_help.sort_by_key(|(at, _, area)| (*at, *area));
    Tally {
        by_area,
        total,
        need_help: need_help
            .into_iter()
            .map(|(_, citizen, area)| (citizen, area))
            .collect(),
    }
}

#[cfg(test)]
#[path = "answers_tests.rs"]
mod tests;
