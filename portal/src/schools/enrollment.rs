//! A guardian adds a registered child to a school: the 学校コード first (wrong codes are
//! limited per account), then the grade, the class where the grade has classes, and any other
//! groups of the school.

use shimin_sync::text::halfwidth_digit;
use uuid::Uuid;

use super::{Schools, invalid};
use crate::{
    accounts::AccountError,
    domain::{
        ChildId,
        schools::{self, CODE_WINDOW, GroupKind},
        validation::FieldErrors,
    },
    store::{Account, EnrollOutcome, Enrollment, Group, NewEnrollment, School},
};

/// What a guardian chose when adding a child to a school.
#[derive(Debug, Clone, Default)]
pub struct EnrollInput {
    /// The child (one of the guardian's).
    pub child_id: String,
    /// 学校コード
    pub code: String,
    /// 学年 (1 = the first)
    pub grade: String,
    /// 学級: a class group's id, required where the grade has classes.
    pub class: String,
    /// Other groups' ids.
    pub others: Vec<String>,
}

impl Schools {
    /// The school with this code, for a guardian adding a child; wrong codes are limited to
    /// [`schools::MAX_CODE_FAILURES`] an hour per account.
    pub async fn find_by_code(
        &self,
        guardian: &Account,
        raw: &str,
    ) -> Result<School, AccountError> {
        let code: String = raw.trim().chars().map(halfwidth_digit).collect();
        if !schools::is_code(&code) {
            return Err(invalid("code", "error.school_code_malformed"));
        }
        let now = self.clock.now();
        let failures = self
            .store
            .code_failures(guardian.account_id, now - CODE_WINDOW)
            .await?;
        if schools::code_try_allowed(&failures, now).is_err() {
            return Err(invalid("code", "error.school_code_locked"));
        }
        match self.store.school(&code).await? {
            Some(school) => Ok(school),
            None => {
                self.store
                    .record_code_failure(guardian.account_id, now, now - CODE_WINDOW)
                    .await?;
                tracing::info!(account = %guardian.account_id, "wrong school code");
                Err(invalid("code", "error.school_code_wrong"))
            }
        }
    }

    /// The groups a guardian picks from once the code is right: the school's classes and
    /// other groups.
    pub async fn groups_for_guardian(&self, school: &School) -> Result<Vec<Group>, AccountError> {
        Ok(self.store.groups(&school.code).await?)
    }

    /// Adds a child to a school (or changes its grade, class and groups there).
    pub async fn enroll(
        &self,
        guardian: &Account,
        input: &EnrollInput,
    ) -> Result<School, AccountError> {
        let school = self.find_by_code(guardian, &input.code).await?;
        self.enroll_at(guardian, &school, input).await?;
        Ok(school)
    }

    /// [`Self::enroll`] at a school whose code was already found with [`Self::find_by_code`]
    /// (`input.code` is not looked at again).
    pub async fn enroll_at(
        &self,
        guardian: &Account,
        school: &School,
        input: &EnrollInput,
    ) -> Result<(), AccountError> {
        let groups = self.store.groups(&school.code).await?;
        let mut errors = FieldErrors::default();
        let child_id = input.child_id.parse::<ChildId>().ok();
        if child_id.is_none() {
            errors.add("child_id", "error.required");
        }
        let grade = input
            .grade
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|grade| school.kind.grades().contains(grade));
        if grade.is_none() {
            errors.add("grade", "error.grade_unknown");
        }
        let classes: Vec<&Group> = groups
            .iter()
            .filter(|g| matches!(&g.kind, GroupKind::Class(of, _) if Some(*of) == grade))
            .collect();
        let class = input.class.trim().parse::<Uuid>().ok();
        let class = match class {
            Some(id) if classes.iter().any(|g| g.group_id == id) => Some(id),
            None if classes.is_empty() => None,
            _ => {
                errors.add("class", "error.class_required");
                None
            }
        };
        let mut others = Vec::new();
        for raw in &input.others {
            match raw.parse::<Uuid>() {
                Ok(id)
                    if groups
                        .iter()
                        .any(|g| g.group_id == id && matches!(g.kind, GroupKind::Other(_))) =>
                {
                    others.push(id);
                }
                _ => errors.add("others", "error.group_unknown"),
            }
        }
        let (Some(child_id), Some(grade), true) = (child_id, grade, errors.is_empty()) else {
            return Err(AccountError::Invalid(errors));
        };
        let outcome = self
            .store
            .enroll(
                NewEnrollment {
                    account_id: guardian.account_id,
                    child_id,
                    school_code: school.code.clone(),
                    grade,
                    class_group_id: class,
                    others,
                },
                self.clock.now(),
            )
            .await?;
        match outcome {
            EnrollOutcome::Enrolled => Ok(()),
            EnrollOutcome::NotYourChild => Err(invalid("child_id", "error.required")),
            EnrollOutcome::UnknownGroup => Err(invalid("class", "error.class_required")),
        }
    }

    /// A guardian's children at schools.
    pub async fn enrollments(&self, guardian: &Account) -> Result<Vec<Enrollment>, AccountError> {
        Ok(self.store.enrollments(guardian.account_id).await?)
    }

    /// Takes a child off a school's list.
    pub async fn remove_enrollment(
        &self,
        guardian: &Account,
        enrollment_id: Uuid,
    ) -> Result<bool, AccountError> {
        Ok(self
            .store
            .remove_enrollment(guardian.account_id, enrollment_id)
            .await?)
    }
}
