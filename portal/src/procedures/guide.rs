//! The guide: which questions to ask given the answers so far, and which procedures the
//! answers make needed.
//!
//! Answers count only while their question is asked: a citizen who answered the
//! 健康保険 question after 出生 and then changed the life event to 転入 does not get the
//! 出生 procedures' insurance steps. [`Guide::effective`] applies that rule, and every other
//! method goes through it.

use super::error::ProceduresError;
use super::model::{Answers, Procedure, Question};
use super::parse::parse;

/// The procedures file shipped with the portal.
pub const EMBEDDED_PROCEDURES: &str = include_str!("../../data/procedures.toml");

/// A checked guide: questions in the order they are asked, procedures in the order they are
/// listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    questions: Vec<Question>,
    procedures: Vec<Procedure>,
}

impl Guide {
    pub(super) fn new(questions: Vec<Question>, procedures: Vec<Procedure>) -> Guide {
        Guide {
            questions,
            procedures,
        }
    }

    /// The guide shipped with the portal ([`EMBEDDED_PROCEDURES`]); a test keeps it valid.
    pub fn embedded() -> Result<Guide, ProceduresError> {
        Guide::from_toml(EMBEDDED_PROCEDURES)
    }

    /// Reads and checks a procedures file; the first problem refuses it, with its line.
    pub fn from_toml(text: &str) -> Result<Guide, ProceduresError> {
        parse(text)
    }

    /// Every question, in order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// Every procedure, in order.
    pub fn procedures(&self) -> &[Procedure] {
        &self.procedures
    }

    /// The question with id `id`.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|question| question.id == id)
    }

    /// The answers that count: those to questions that are asked (given the answers before
    /// them) and that are one of the question's choices. Unknown questions are dropped.
    pub fn effective(&self, answers: &Answers) -> Answers {
        let mut kept = Answers::default();
        for question in &self.questions {
            if !question.shown_when.holds(&kept) {
                continue;
            }
            if let Some(value) = answers.get(&question.id)
                && question.choice(value).is_some()
            {
                kept.set(&question.id, value);
            }
        }
        kept
    }

    /// The questions asked given `answers`, answered or not, in order: a one-page form shows
    /// these.
    pub fn shown(&self, answers: &Answers) -> Vec<&Question> {
        let kept = self.effective(answers);
        self.questions
            .iter()
            .filter(|question| question.shown_when.holds(&kept))
            .collect()
    }

    /// The questions still to answer, in order; the first is the one to ask next, and when
    /// there is none the answers are complete.
    pub fn unanswered(&self, answers: &Answers) -> Vec<&Question> {
        let kept = self.effective(answers);
        self.shown(&kept)
            .into_iter()
            .filter(|question| kept.get(&question.id).is_none())
            .collect()
    }

    /// The procedures `answers` make needed, in the file's order.
    pub fn find(&self, answers: &Answers) -> Vec<&Procedure> {
        let kept = self.effective(answers);
        self.procedures
            .iter()
            .filter(|procedure| procedure.needed_when.holds(&kept))
            .collect()
    }
}
