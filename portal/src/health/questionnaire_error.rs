//! Why a questionnaire file was refused: the line and what is wrong there, with a stable code
//! and a message in Japanese (the [`std::fmt::Display`]) or English.

use crate::i18n::Lang;

/// What is wrong in a questionnaire file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionnaireProblem {
    /// Not TOML, or not the file's shape (an unknown key, a missing one); toml's own words.
    Toml(String),
    /// A `service` that is not `boshi_techo` or `akachan_houmon`.
    UnknownService(String),
    /// No `[[question]]` at all.
    NoQuestions,
    /// An id that is empty or not made of `a-z`, `0-9` and `_` (ids are form field names).
    BadId(String),
    /// Two questions, or two choices of a question, with one id.
    DuplicateId(String),
    /// A `kind` that is not text, long_text, yes_no, one_of, many_of, number or date.
    UnknownKind(String),
    /// A key that does not belong to the question's kind (`choices` on a number…).
    NotForKind(&'static str),
    /// A one-of or many-of question with fewer than two choices.
    TooFewChoices,
    /// A number question without `min` and `max`, or with `min` above `max`.
    BadRange,
    /// `max_chars` of 0 or above 10000.
    BadMaxChars,
    /// A `when` that is not any, past or future.
    BadWhen(String),
    /// Words without their Japanese text.
    NoJapanese,
}

/// A questionnaire that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub struct QuestionnaireError {
    /// The line (from 1) of the file; 0 when the problem has no place.
    pub line: usize,
    /// What is wrong.
    pub problem: QuestionnaireProblem,
}

impl QuestionnaireError {
    /// A stable name of the error, for programs and logs.
    pub fn code(&self) -> &'static str {
        use QuestionnaireProblem as P;
        match self.problem {
            P::Toml(_) => "questionnaire_toml",
            P::UnknownService(_) => "questionnaire_unknown_service",
            P::NoQuestions => "questionnaire_no_questions",
            P::BadId(_) => "questionnaire_bad_id",
            P::DuplicateId(_) => "questionnaire_duplicate_id",
            P::UnknownKind(_) => "questionnaire_unknown_kind",
            P::NotForKind(_) => "questionnaire_not_for_kind",
            P::TooFewChoices => "questionnaire_too_few_choices",
            P::BadRange => "questionnaire_bad_range",
            P::BadMaxChars => "questionnaire_bad_max_chars",
            P::BadWhen(_) => "questionnaire_bad_when",
            P::NoJapanese => "questionnaire_no_japanese",
        }
    }

    /// The error for a person, in Japanese or English, starting with the line.
    pub fn message(&self, lang: Lang) -> String {
        use QuestionnaireProblem as P;
        let ja = lang == Lang::Ja;
        let what = match &self.problem {
            P::Toml(detail) if ja => format!("TOMLとして読めません: {detail}"),
            P::Toml(detail) => format!("not readable TOML: {detail}"),
            P::UnknownService(s) if ja => {
                format!("service「{s}」は boshi_techo か akachan_houmon にしてください")
            }
            P::UnknownService(s) => {
                format!("service \"{s}\" must be boshi_techo or akachan_houmon")
            }
            P::NoQuestions if ja => "質問([[question]])が一つもありません".into(),
            P::NoQuestions => "no question ([[question]]) at all".into(),
            P::BadId(id) if ja => format!("id「{id}」は英小文字・数字・_ で書いてください"),
            P::BadId(id) => format!("id \"{id}\" must be lowercase letters, digits and _"),
            P::DuplicateId(id) if ja => format!("id「{id}」が二つあります"),
            P::DuplicateId(id) => format!("the id \"{id}\" is used twice"),
            P::UnknownKind(kind) if ja => format!(
                "kind「{kind}」はありません(text, long_text, yes_no, one_of, many_of, number, date)"
            ),
            P::UnknownKind(kind) => format!(
                "no kind \"{kind}\" (text, long_text, yes_no, one_of, many_of, number, date)"
            ),
            P::NotForKind(key) if ja => format!("この種類の質問に {key} は使えません"),
            P::NotForKind(key) => format!("{key} does not belong to this kind of question"),
            P::TooFewChoices if ja => "選択肢(choices)を二つ以上書いてください".into(),
            P::TooFewChoices => "write at least two choices".into(),
            P::BadRange if ja => "数値の質問には min ≦ max となる min と max が要ります".into(),
            P::BadRange => "a number question needs min and max, min not above max".into(),
            P::BadMaxChars if ja => "max_chars は1から10000にしてください".into(),
            P::BadMaxChars => "max_chars must be 1 to 10000".into(),
            P::BadWhen(when) if ja => {
                format!("when「{when}」は any, past, future のどれかにしてください")
            }
            P::BadWhen(when) => format!("when \"{when}\" must be any, past or future"),
            P::NoJapanese if ja => "日本語(ja)の文が空です".into(),
            P::NoJapanese => "the Japanese (ja) text is empty".into(),
        };
        match (self.line, ja) {
            (0, _) => what,
            (line, true) => format!("{line}行目: {what}"),
            (line, false) => format!("line {line}: {what}"),
        }
    }
}
