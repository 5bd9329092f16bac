//! 市からのお知らせ: the 分野 (categories) staff of the announcements office keep, and each
//! citizen's 欲しい情報の分野 (what they want to hear about), and the announcements themselves:
//! published now or at a set time, readable by everyone on the portal and as an Atom feed per
//! 分野. Their delivery by email and LINE to the citizens who want them comes with the delivery
//! engine.

use std::sync::Arc;

use crate::{
    accounts::AccountError,
    clock::Clock,
    domain::{
        Role,
        announcements::{self, AnnouncementInput},
        categories::{self, CategoryInput, MAX_CATEGORIES},
        validation::FieldErrors,
    },
    store::{Account, Announcement, Category, CategoryStore},
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
        let exists = self
            .store
            .categories()
            .await?
            .iter()
            .any(|category| category.category_id == category_id);
        let deleted = self.store.delete_category(category_id).await?;
        if deleted {
            tracing::info!(category = category_id, by = %by.account_id, "category removed");
        } else if exists {
            return Err(invalid("category_id", "error.category_in_use"));
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

    /// Publishes an announcement (now, or at its time); returns its id.
    pub async fn publish(
        &self,
        by: &Account,
        input: &AnnouncementInput,
    ) -> Result<uuid::Uuid, AccountError> {
        require_editor(by)?;
        let now = self.clock.now();
        let valid = announcements::announcement(input, now).map_err(AccountError::Invalid)?;
        let seconds = u64::try_from(now.as_second()).unwrap_or(0);
        let nanos = u32::try_from(now.subsec_nanosecond()).unwrap_or(0);
        let id = uuid::Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, seconds, nanos));
        let at = valid.publish_at;
        if !self
            .store
            .create_announcement(id, valid, by.account_id, now)
            .await?
        {
            return Err(invalid("category_id", "error.category_unknown"));
        }
        tracing::info!(announcement = %id, by = %by.account_id, publish_at = %at, "announcement saved");
        Ok(id)
    }

    /// Published announcements, newest first (of one category if given): for everyone.
    pub async fn published(
        &self,
        category_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Announcement>, AccountError> {
        Ok(self
            .store
            .announcements(
                self.clock.now(),
                category_id.map(str::to_owned),
                false,
                limit,
            )
            .await?)
    }

    /// Every announcement, the scheduled ones too: for the office.
    pub async fn all(&self, by: &Account) -> Result<Vec<Announcement>, AccountError> {
        require_editor(by)?;
        Ok(self
            .store
            .announcements(self.clock.now(), None, true, 200)
            .await?)
    }

    /// One announcement: published ones for everyone, scheduled ones for the office only.
    pub async fn get(
        &self,
        viewer: Option<&Account>,
        announcement_id: uuid::Uuid,
    ) -> Result<Option<Announcement>, AccountError> {
        let found = self.store.announcement(announcement_id).await?;
        Ok(found.filter(|announcement| {
            announcement.publish_at <= self.clock.now()
                || viewer.is_some_and(|viewer| require_editor(viewer).is_ok())
        }))
    }

    /// An announcement's attachment with the announcement, for whoever may read it.
    pub async fn attachment(
        &self,
        viewer: Option<&Account>,
        announcement_id: uuid::Uuid,
    ) -> Result<Option<(Announcement, Vec<u8>)>, AccountError> {
        let Some(announcement) = self.get(viewer, announcement_id).await? else {
            return Ok(None);
        };
        Ok(self
            .store
            .attachment_bytes(announcement_id)
            .await?
            .map(|bytes| (announcement, bytes)))
    }
}
