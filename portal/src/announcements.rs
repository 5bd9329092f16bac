//! 市からのお知らせ: the 分野 (categories) staff of the announcements office keep, and each
//! citizen's 欲しい情報の分野 (what they want to hear about). Announcements and their delivery
//! by email and LINE build on this.

use std::sync::Arc;

use crate::{
    accounts::AccountError,
    clock::Clock,
    domain::{
        Role,
        categories::{self, CategoryInput, MAX_CATEGORIES},
        validation::FieldErrors,
    },
    store::{Account, Category, CategoryStore},
};

/// The announcements service.
#[derive(Clone)]
pub struct Announcements {
    store: Arc<dyn CategoryStore>,
    clock: Arc<dyn Clock>,
}

fn require_editor(by: &Account) -> Result<(), AccountError> {
    if by.has_role(Role::Announcements) || by.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AccountError::Forbidden(
            "only the announcements office keeps categories",
        ))
    }
}

fn invalid(field: &'static str, key: &'static str) -> AccountError {
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    AccountError::Invalid(errors)
}

impl Announcements {
    /// A service over `store`.
    pub fn new(store: Arc<dyn CategoryStore>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Every category (anyone may see the list).
    pub async fn categories(&self) -> Result<Vec<Category>, AccountError> {
        Ok(self.store.categories().await?)
    }

    /// Adds a category.
    pub async fn create_category(
        &self,
        by: &Account,
        input: &CategoryInput,
    ) -> Result<(), AccountError> {
        require_editor(by)?;
        let category = categories::category(input).map_err(AccountError::Invalid)?;
        if self.store.categories().await?.len() >= MAX_CATEGORIES {
            return Err(invalid("category_id", "error.too_many_categories"));
        }
        let id = category.category_id.clone();
        if !self
            .store
            .create_category(category, self.clock.now())
            .await?
        {
            return Err(invalid("category_id", "error.id_taken"));
        }
        tracing::info!(category = %id, by = %by.account_id, "category created");
        Ok(())
    }

    /// Removes a category (and every citizen's choice of it).
    pub async fn delete_category(
        &self,
        by: &Account,
        category_id: &str,
    ) -> Result<bool, AccountError> {
        require_editor(by)?;
        let deleted = self.store.delete_category(category_id).await?;
        if deleted {
            tracing::info!(category = category_id, by = %by.account_id, "category removed");
        }
        Ok(deleted)
    }

    /// The categories a citizen wants.
    pub async fn wanted(&self, citizen: &Account) -> Result<Vec<String>, AccountError> {
        Ok(self.store.subscriptions(citizen.account_id).await?)
    }

    /// Replaces the categories a citizen wants; ids that are not categories are refused.
    pub async fn set_wanted(
        &self,
        citizen: &Account,
        category_ids: &[String],
    ) -> Result<(), AccountError> {
        let known = self.store.categories().await?;
        if category_ids
            .iter()
            .any(|id| !known.iter().any(|category| &category.category_id == id))
        {
            return Err(invalid("categories", "error.category_unknown"));
        }
        let mut ids = category_ids.to_vec();
        ids.dedup();
        Ok(self
            .store
            .set_subscriptions(citizen.account_id, ids)
            .await?)
    }
}
