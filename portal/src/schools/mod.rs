//! 小中学校・幼稚園からの情報: admins register schools (with their 4-digit 学校コード) and
//! say who works at each; a school's staff keep its classes and other groups and post notices
//! ([`notices`]); guardians add their registered children to a school with its code.

pub mod notices;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use uuid::Uuid;

use crate::{
    accounts::AccountError,
    clock::Clock,
    domain::{
        ChildId, Role,
        schools::{self, CODE_WINDOW, GroupKind, SchoolInput},
        validation::FieldErrors,
    },
    notify::Notifier,
    store::{
        Account, AccountStore, EnrollOutcome, Enrollment, Group, NewEnrollment, School,
        SchoolNoticeStore, SchoolStore,
    },
};

/// The school service.
#[derive(Clone)]
pub struct Schools {
    store: Arc<dyn SchoolStore>,
    notices: Arc<dyn SchoolNoticeStore>,
    accounts: Arc<dyn AccountStore>,
    notifier: Notifier,
    clock: Arc<dyn Clock>,
    base_url: String,
}

fn invalid(field: &'static str, key: &'static str) -> AccountError {
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    AccountError::Invalid(errors)
}

fn require_admin(by: &Account) -> Result<(), AccountError> {
    if by.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AccountError::Forbidden("only admins register schools"))
    }
}

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
    /// A service over these stores; `base_url` is the portal's public address.
    pub fn new(
        store: Arc<dyn SchoolStore>,
        notices: Arc<dyn SchoolNoticeStore>,
        accounts: Arc<dyn AccountStore>,
        notifier: Notifier,
        clock: Arc<dyn Clock>,
        base_url: String,
    ) -> Self {
        Self {
            store,
            notices,
            accounts,
            notifier,
            clock,
            base_url,
        }
    }

    /// The schools `by` may manage: every school for an admin, their own for school staff.
    pub async fn manageable(&self, by: &Account) -> Result<Vec<School>, AccountError> {
        if by.has_role(Role::Admin) {
            Ok(self.store.schools().await?)
        } else if by.has_role(Role::School) {
            Ok(self.store.schools_of(by.account_id).await?)
        } else {
            Err(AccountError::Forbidden("only school staff see schools"))
        }
    }

    /// One school `by` may manage.
    pub async fn managed(&self, by: &Account, code: &str) -> Result<School, AccountError> {
        self.manageable(by)
            .await?
            .into_iter()
            .find(|school| school.code == code)
            .ok_or(AccountError::Forbidden("not a school of this staff member"))
    }

    /// One school whose staff `by` is (posting notices is theirs alone, not the admins').
    pub async fn staffed(&self, by: &Account, code: &str) -> Result<School, AccountError> {
        if !by.has_role(Role::School) {
            return Err(AccountError::Forbidden("only school staff post notices"));
        }
        self.store
            .schools_of(by.account_id)
            .await?
            .into_iter()
            .find(|school| school.code == code)
            .ok_or(AccountError::Forbidden("not a school of this staff member"))
    }

    /// Registers a school with its 全校 and grade groups; a code left empty is chosen at
    /// random among the free ones. Returns the code.
    pub async fn create(&self, by: &Account, input: &SchoolInput) -> Result<String, AccountError> {
        require_admin(by)?;
        let valid = schools::school(input).map_err(AccountError::Invalid)?;
        let now = self.clock.now();
        let given = valid.code.is_some();
        for _ in 0..20 {
            let code = valid
                .code
                .clone()
                .unwrap_or_else(|| schools::random_code(rand::random()));
            let school = School {
                code: code.clone(),
                name: valid.name.clone(),
                kind: valid.kind,
            };
            if self.store.create_school(school, now).await? {
                tracing::info!(school = %code, by = %by.account_id, "school registered");
                return Ok(code);
            }
            if given {
                break;
            }
        }
        Err(invalid("code", "error.school_code_taken"))
    }

    /// A school's groups with their sizes.
    pub async fn groups(&self, by: &Account, code: &str) -> Result<Vec<Group>, AccountError> {
        self.managed(by, code).await?;
        Ok(self.store.groups(code).await?)
    }

    /// The staff of a school.
    pub async fn staff(&self, by: &Account, code: &str) -> Result<Vec<Account>, AccountError> {
        self.managed(by, code).await?;
        Ok(self.store.school_staff(code).await?)
    }

    /// Makes a staff member (who must hold the school role) staff of a school, by email.
    pub async fn assign(
        &self,
        by: &Account,
        code: &str,
        raw_email: &str,
    ) -> Result<(), AccountError> {
        require_admin(by)?;
        self.managed(by, code).await?;
        let staff = crate::accounts::staff::staff_with_role(
            self.accounts.as_ref(),
            raw_email,
            Role::School,
            "error.not_school_staff",
        )
        .await?;
        Ok(self
            .store
            .set_school_staff(code, staff.account_id, true)
            .await?)
    }

    /// Removes a staff member from a school.
    pub async fn unassign(
        &self,
        by: &Account,
        code: &str,
        staff: crate::domain::AccountId,
    ) -> Result<(), AccountError> {
        require_admin(by)?;
        Ok(self.store.set_school_staff(code, staff, false).await?)
    }

    /// Adds a 学級 (`grade` given) or another group (`grade` empty) to a school.
    pub async fn add_group(
        &self,
        by: &Account,
        code: &str,
        grade: &str,
        name: &str,
    ) -> Result<(), AccountError> {
        let school = self.managed(by, code).await?;
        let mut errors = FieldErrors::default();
        let name = schools::short_name(&mut errors, "group_name", name);
        let kind = match grade.trim() {
            "" => GroupKind::Other(name),
            raw => match raw.parse::<u8>() {
                Ok(grade) if school.kind.grades().contains(&grade) => GroupKind::Class(grade, name),
                _ => {
                    errors.add("grade", "error.grade_unknown");
                    GroupKind::Other(name)
                }
            },
        };
        if !errors.is_empty() {
            return Err(AccountError::Invalid(errors));
        }
        if !self
            .store
            .add_group(code, Uuid::now_v7(), kind, self.clock.now())
            .await?
        {
            return Err(invalid("group_name", "error.group_exists"));
        }
        Ok(())
    }

    /// Removes a class or another group (the children stay enrolled).
    pub async fn delete_group(
        &self,
        by: &Account,
        code: &str,
        group_id: Uuid,
    ) -> Result<bool, AccountError> {
        self.managed(by, code).await?;
        Ok(self.store.delete_group(code, group_id).await?)
    }

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
            EnrollOutcome::Enrolled => Ok(school),
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

/// Full-width digits (as a Japanese IME types them) read as ASCII ones.
fn halfwidth_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        other => other,
    }
}
