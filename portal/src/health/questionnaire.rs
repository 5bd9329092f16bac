//! The 問診 (questionnaire) of a service, as data: the health office words its questions in
//! `portal/data/questionnaires/*.toml`, and the portal draws the form and checks the answers
//! ([`super::answers`]) from it. [`Questionnaire::embedded`] gives the shipped ones.

use crate::i18n::Lang;

use super::questionnaire_error::QuestionnaireError;
use super::questionnaire_parse;
use super::service::Service;

/// The questionnaire shipped for 母子健康手帳の交付.
pub const BOSHI_TECHO: &str = include_str!("../../data/questionnaires/boshi-techo.toml");
/// The questionnaire shipped for 赤ちゃん訪問.
pub const AKACHAN_HOUMON: &str = include_str!("../../data/questionnaires/akachan-houmon.toml");

/// Words in Japanese, and in English if the office wrote them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// Japanese, always there.
    pub ja: String,
    /// English, if written.
    pub en: Option<String>,
}

impl Words {
    /// The words in `lang`, or the Japanese ones.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) if !en.trim().is_empty() => en,
            _ => &self.ja,
        }
    }
}

/// A choice of a one-of or many-of question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Its stable id, posted and stored.
    pub id: String,
    /// Its label.
    pub label: Words,
    /// Whether it cannot be chosen with others (なし / 特になし).
    pub exclusive: bool,
}

/// Which dates a date question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRange {
    /// Any date.
    Any,
    /// Today or before (最終月経開始日, 生年月日).
    Past,
    /// Today or after (出産予定日).
    Future,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionKind {
    /// One line of text, at most `max_chars` characters.
    Text {
        /// The most characters.
        max_chars: usize,
    },
    /// Several lines of text, at most `max_chars` characters.
    LongText {
        /// The most characters.
        max_chars: usize,
    },
    /// はい / いいえ.
    YesNo,
    /// One of the choices.
    OneOf(Vec<Choice>),
    /// Any number of the choices (at least one when required).
    ManyOf(Vec<Choice>),
    /// A whole number from `min` to `max`.
    Number {
        /// The least accepted.
        min: i64,
        /// The most accepted.
        max: i64,
        /// The unit shown after the box (週, g).
        unit: Option<Words>,
    },
    /// A date (YYYY-MM-DD).
    Date(DateRange),
}

impl QuestionKind {
    /// The choices of a one-of or many-of question; empty for the others.
    pub fn choices(&self) -> &[Choice] {
        match self {
            QuestionKind::OneOf(choices) | QuestionKind::ManyOf(choices) => choices,
            _ => &[],
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Its stable id, the form field's name and the key of its answer.
    pub id: String,
    /// The question as the form shows it.
    pub label: Words,
    /// A hint under it.
    pub help: Option<Words>,
    /// Whether it must be answered.
    pub required: bool,
    /// What it takes.
    pub kind: QuestionKind,
}

/// A checked questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questionnaire {
    /// The service it belongs to.
    pub service: Service,
    /// Its title.
    pub title: Words,
    /// Words above the questions.
    pub intro: Option<Words>,
    /// The questions, in order.
    pub questions: Vec<Question>,
}

impl Questionnaire {
    /// Reads and checks a questionnaire; the first problem refuses it, with its line.
    pub fn from_toml(text: &str) -> Result<Questionnaire, QuestionnaireError> {
        questionnaire_parse::parse(text)
    }

    /// The questionnaire shipped for `service`; a test keeps both valid.
    pub fn embedded(service: Service) -> Result<Questionnaire, QuestionnaireError> {
        let text = match service {
            Service::BoshiTecho => BOSHI_TECHO,
            Service::AkachanHoumon => AKACHAN_HOUMON,
        };
        Questionnaire::from_toml(text)
    }

    /// The question with id `id`.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|question| question.id == id)
    }
}

#[cfg(test)]
#[path = "questionnaire_tests.rs"]
mod tests;
