//! 小中学校・幼稚園からの情報: admins register schools (with their 4-digit 学校コード) and
//! say who works at each; a school's staff keep its classes and other groups and post notices
//! ([`notices`]); guardians add their registered children to a school with its code.

mod enrollment;
#[cfg(test)]
mod notice_tests;
pub mod notices;
#[cfg(test)]
mod tests;

pub use enrollment::EnrollInput;

use std::sync::Arc;

use uuid::Uuid;

use crate::{
    accounts::AccountError,
    clock::Clock,
    domain::{
        Role,
        schools::{self, GroupKind, SchoolInput},
        validation::FieldErrors,
    },
    notify::Notifier,
    store::{Account, AccountStore, Group, School, SchoolNoticeStore, SchoolStore},
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
}
