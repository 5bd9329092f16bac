//! The center service: admins keep the city's 子育て支援センター (name, address, capacity,
//! opening hours) and say which staff work at each.

use std::sync::Arc;

use shimin_sync::ids::CenterId;

use crate::{
    accounts::AccountError,
    clock::Clock,
    domain::{
        Role,
        centers::{self, CenterInput},
        validation::FieldErrors,
    },
    store::{Account, AccountStore, Center, CenterStore},
};

/// The center service.
#[derive(Clone)]
pub struct Centers {
    store: Arc<dyn CenterStore>,
    accounts: Arc<dyn AccountStore>,
    clock: Arc<dyn Clock>,
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
        Err(AccountError::Forbidden("only admins manage centers"))
    }
}

impl Centers {
    /// A service over these stores.
    pub fn new(
        store: Arc<dyn CenterStore>,
        accounts: Arc<dyn AccountStore>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            accounts,
            clock,
        }
    }

    /// Every center (admins and center staff may look).
    pub async fn list(&self, by: &Account) -> Result<Vec<Center>, AccountError> {
        if !(by.has_role(Role::Admin) || by.has_role(Role::Center)) {
            return Err(AccountError::Forbidden(
                "only admins and center staff see centers",
            ));
        }
        Ok(self.store.centers().await?)
    }

    /// One center.
    pub async fn get(
        &self,
        by: &Account,
        center_id: &CenterId,
    ) -> Result<Option<Center>, AccountError> {
        Ok(self
            .list(by)
            .await?
            .into_iter()
            .find(|c| &c.details.center_id == center_id))
    }

    /// Registers a center.
    pub async fn create(
        &self,
        by: &Account,
        input: &CenterInput,
    ) -> Result<CenterId, AccountError> {
        require_admin(by)?;
        let valid = centers::center(input).map_err(AccountError::Invalid)?;
        let center_id = valid.center_id.clone();
        if self.store.create_center(valid, self.clock.now()).await? {
            tracing::info!(by = %by.account_id, center = %center_id, "center created");
            Ok(center_id)
        } else {
            Err(invalid("center_id", "error.id_taken"))
        }
    }

    /// Changes a center's details; its id stays.
    pub async fn update(
        &self,
        by: &Account,
        center_id: &CenterId,
        input: &CenterInput,
    ) -> Result<(), AccountError> {
        require_admin(by)?;
        let mut input = input.clone();
        input.center_id = center_id.as_str().to_owned();
        let valid = centers::center(&input).map_err(AccountError::Invalid)?;
        if self.store.update_center(valid, self.clock.now()).await? {
            Ok(())
        } else {
            Err(AccountError::Forbidden("no such center"))
        }
    }

    /// The staff of a center.
    pub async fn staff(
        &self,
        by: &Account,
        center_id: &CenterId,
    ) -> Result<Vec<Account>, AccountError> {
        self.list(by).await?;
        Ok(self.store.center_staff(center_id).await?)
    }

    /// Assigns a staff member (who must hold the center role) to a center, by email.
    pub async fn assign(
        &self,
        by: &Account,
        center_id: &CenterId,
        raw_email: &str,
    ) -> Result<(), AccountError> {
        require_admin(by)?;
        let staff = crate::accounts::staff::staff_with_role(
            self.accounts.as_ref(),
            raw_email,
            Role::Center,
            "error.not_center_staff",
        )
        .await?;
        Ok(self
            .store
            .set_center_staff(center_id, staff.account_id, true)
            .await?)
    }

    /// Removes a staff member from a center.
    pub async fn unassign(
        &self,
        by: &Account,
        center_id: &CenterId,
        staff: crate::domain::AccountId,
    ) -> Result<(), AccountError> {
        require_admin(by)?;
        Ok(self.store.set_center_staff(center_id, staff, false).await?)
    }
}
