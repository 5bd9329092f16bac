//! Why a procedures file was refused, said so that whoever edited it can fix it: the line,
//! a stable code, and the reason in Japanese (the [`std::fmt::Display`]) or English.

use crate::i18n::Lang;

/// A procedures file that cannot be used; the file in use stays as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub struct ProceduresError {
    /// The 1-based line the problem is on (or starts on), 0 when the file as a whole is wrong.
    pub line: usize,
    /// What is wrong.
    pub problem: Problem,
}

/// What is wrong with a procedures file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not TOML, or not the file's shape (a missing field, an unknown one); toml's own words.
    Toml(String),
    /// No `[[question]]` or no `[[procedure]]` at all.
    Empty,
    /// A required text left blank; the field is named.
    Blank(&'static str),
    /// Two questions with one id.
    DuplicateQuestion(String),
    /// Two procedures with one id.
    DuplicateProcedure(String),
    /// A `one_of` question without choices, or a `yes_no` one with them.
    Choices(String),
    /// Two choices of a question with one value.
    DuplicateChoice(String),
    /// A condition that is not `question = value` (or `question = a | b`).
    BadCondition(String),
    /// A condition naming a question the file does not have.
    UnknownQuestion(String),
    /// A condition naming a question that is not asked before this one.
    LaterQuestion(String),
    /// A condition with a value the question does not offer.
    UnknownValue {
        /// The question.
        question: String,
        /// The value.
        value: String,
    },
    /// A procedure with an empty `needed_when`, which would be needed by everyone.
    NoCondition(String),
    /// A URL that is not http(s).
    BadUrl(String),
}

impl ProceduresError {
    /// A stable name of the error, for programs and logs.
    pub fn code(&self) -> &'static str {
        match self.problem {
            Problem::Toml(_) => "procedures_toml",
            Problem::Empty => "procedures_empty",
            Problem::Blank(_) => "procedures_blank",
            Problem::DuplicateQuestion(_) => "procedures_duplicate_question",
            Problem::DuplicateProcedure(_) => "procedures_duplicate_procedure",
            Problem::Choices(_) => "procedures_choices",
            Problem::DuplicateChoice(_) => "procedures_duplicate_choice",
            Problem::BadCondition(_) => "procedures_bad_condition",
            Problem::UnknownQuestion(_) => "procedures_unknown_question",
            Problem::LaterQuestion(_) => "procedures_later_question",
            Problem::UnknownValue { .. } => "procedures_unknown_value",
            Problem::NoCondition(_) => "procedures_no_condition",
            Problem::BadUrl(_) => "procedures_bad_url",
        }
    }

    /// The error for a person, in Japanese or English: the line, then the reason.
    pub fn message(&self, lang: Lang) -> String {
        let reason = self.reason(lang);
        match (self.line, lang) {
            (0, _) => reason,
            (line, Lang::Ja) => format!("{line}行目: {reason}"),
            (line, Lang::En) => format!("line {line}: {reason}"),
        }
    }

    fn reason(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match &self.problem {
            Problem::Toml(detail) if ja => format!("TOMLとして読めません({detail})"),
            Problem::Toml(detail) => format!("not readable TOML ({detail})"),
            Problem::Empty if ja => "質問([[question]])と手続き([[procedure]])が必要です".into(),
            Problem::Empty => {
                "the file needs questions ([[question]]) and procedures ([[procedure]])".into()
            }
            Problem::Blank(field) if ja => format!("{field} が空です"),
            Problem::Blank(field) => format!("{field} is blank"),
            Problem::DuplicateQuestion(id) if ja => format!("質問「{id}」が二つあります"),
            Problem::DuplicateQuestion(id) => format!("two questions have the id \"{id}\""),
            Problem::DuplicateProcedure(id) if ja => format!("手続き「{id}」が二つあります"),
            Problem::DuplicateProcedure(id) => format!("two procedures have the id \"{id}\""),
            Problem::Choices(id) if ja => {
                format!("質問「{id}」: one_of には choices が必要で、yes_no には書けません")
            }
            Problem::Choices(id) => {
                format!("question \"{id}\": one_of needs choices, and yes_no cannot have them")
            }
            Problem::DuplicateChoice(value) if ja => format!("選択肢「{value}」が二つあります"),
            Problem::DuplicateChoice(value) => format!("two choices have the value \"{value}\""),
            Problem::BadCondition(text) if ja => format!(
                "条件「{text}」は「質問 = 値」(または「質問 = 値1 | 値2」)の形で書いてください"
            ),
            Problem::BadCondition(text) => format!(
                "the condition \"{text}\" must read \"question = value\" (or \"question = a | b\")"
            ),
            Problem::UnknownQuestion(id) if ja => format!("条件の質問「{id}」はありません"),
            Problem::UnknownQuestion(id) => {
                format!("the condition's question \"{id}\" does not exist")
            }
            Problem::LaterQuestion(id) if ja => {
                format!("質問「{id}」はこの質問より前にないため、条件に使えません")
            }
            Problem::LaterQuestion(id) => {
                format!(
                    "the question \"{id}\" is not asked before this one, so it cannot be a condition"
                )
            }
            Problem::UnknownValue { question, value } if ja => {
                format!("質問「{question}」に「{value}」という選択肢はありません")
            }
            Problem::UnknownValue { question, value } => {
                format!("the question \"{question}\" has no choice \"{value}\"")
            }
            Problem::NoCondition(id) if ja => {
                format!("手続き「{id}」の needed_when が空です(誰にでも必要になってしまいます)")
            }
            Problem::NoCondition(id) => {
                format!(
                    "procedure \"{id}\" has an empty needed_when (it would be needed by everyone)"
                )
            }
            Problem::BadUrl(url) if ja => {
                format!("URL「{url}」は http:// か https:// で始めてください")
            }
            Problem::BadUrl(url) => {
                format!("the URL \"{url}\" must start with http:// or https://")
            }
        }
    }
}
