//! The family service: こども情報 (children) and 出産予定日 (due date) of a guardian, checked
//! against today in Asia/Tokyo. Other services (the center pass, timely information) read them.

use std::sync::Arc;

use jiff::civil::Date;

use crate::{
    clock::Clock,
    domain::{
        ChildId,
        family::{self, ChildInput},
        validation::FieldErrors,
    },
    store::{Account, Child, FamilyStore, StoreError},
};

/// Why a family change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum FamilyError {
    /// The input has errors; nothing changed.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// No such child of this guardian.
    #[error("no such child")]
    NotFound,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The family service.
#[derive(Clone)]
pub struct Family {
    store: Arc<dyn FamilyStore>,
    clock: Arc<dyn Clock>,
}

impl Family {
    /// A service over `store`.
    pub fn new(store: Arc<dyn FamilyStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Today in Asia/Tokyo.
    pub fn today(&self) -> Date {
        self.clock.today()
    }

    /// The guardian's children, oldest first.
    pub async fn children(&self, guardian: &Account) -> Result<Vec<Child>, FamilyError> {
        Ok(self.store.children(guardian.account_id).await?)
    }

    /// One of the guardian's children.
    pub async fn child(&self, guardian: &Account, child_id: ChildId) -> Result<Child, FamilyError> {
        self.children(guardian)
            .await?
            .into_iter()
            .find(|child| child.child_id == child_id)
            .ok_or(FamilyError::NotFound)
    }

    /// こども情報の登録.
    pub async fn add_child(
        &self,
        guardian: &Account,
        input: &ChildInput,
    ) -> Result<ChildId, FamilyError> {
        let valid = family::child(input, self.today()).map_err(FamilyError::Invalid)?;
        Ok(self
            .store
            .add_child(guardian.account_id, valid, self.clock.now())
            .await?)
    }

    /// こども情報の編集.
    pub async fn update_child(
        &self,
        guardian: &Account,
        child_id: ChildId,
        input: &ChildInput,
    ) -> Result<(), FamilyError> {
        let valid = family::child(input, self.today()).map_err(FamilyError::Invalid)?;
        if self
            .store
            .update_child(guardian.account_id, child_id, valid, self.clock.now())
            .await?
        {
            Ok(())
        } else {
            Err(FamilyError::NotFound)
        }
    }

    /// Removes a child from the guardian's list.
    pub async fn delete_child(
        &self,
        guardian: &Account,
        child_id: ChildId,
    ) -> Result<(), FamilyError> {
        if self
            .store
            .delete_child(guardian.account_id, child_id)
            .await?
        {
            Ok(())
        } else {
            Err(FamilyError::NotFound)
        }
    }

    /// The 出産予定日, if registered.
    pub async fn due_date(&self, guardian: &Account) -> Result<Option<Date>, FamilyError> {
        Ok(self.store.due_date(guardian.account_id).await?)
    }

    /// 出産予定日の登録: sets it, or removes it when `raw` is empty.
    pub async fn set_due_date(&self, guardian: &Account, raw: &str) -> Result<(), FamilyError> {
        let due = if raw.trim().is_empty() {
            None
        } else {
            Some(family::due_date(raw, self.today()).map_err(FamilyError::Invalid)?)
        };
        Ok(self
            .store
            .set_due_date(guardian.account_id, due, self.clock.now())
            .await?)
    }
}
