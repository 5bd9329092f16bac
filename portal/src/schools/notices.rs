//! A school's notices: posted by its staff to its groups, delivered by email and LINE through
//! the delivery engine, read by guardians on the portal, with who has read each for the staff.

use uuid::Uuid;

use super::{Schools, invalid};
use crate::{
    accounts::AccountError,
    clock::tokyo_date_time,
    domain::{
        notify::Service,
        school_notices::{self, NoticeInput},
    },
    notify::Notice,
    store::{
        Account, Audience, NewNotice, NoticeSummary, Receipt, SchoolNotice, Source, StoreError,
    },
};

/// What a guardian sees when opening a notice.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The notice.
    pub notice: SchoolNotice,
    /// When the viewer first read it (`None` for staff looking at their own school's).
    pub read_at: Option<jiff::Timestamp>,
}

impl Schools {
    /// Posts a notice to some of the school's groups and delivers it; returns its id and how
    /// many guardians it is for. A notice to groups with nobody in them is refused.
    pub async fn post(
        &self,
        by: &Account,
        code: &str,
        input: &NoticeInput,
    ) -> Result<(Uuid, u64), AccountError> {
        let school = self.staffed(by, code).await?;
        let valid = school_notices::notice(input).map_err(AccountError::Invalid)?;
        let groups = self.store.groups(code).await?;
        let mut names = Vec::new();
        for id in &valid.groups {
            let Some(group) = groups.iter().find(|g| g.group_id == *id) else {
                return Err(invalid("groups", "error.group_unknown"));
            };
            names.push(group.kind.name(school.kind));
        }
        let notice_id = Uuid::now_v7();
        let urgent = valid.urgent;
        let posted = self
            .notices
            .post_notice(
                NewNotice {
                    notice_id,
                    school_code: school.code.clone(),
                    notice: valid,
                    group_names: names.join("、"),
                    posted_by: by.account_id,
                },
                self.clock.now(),
            )
            .await?;
        let Some(recipients) = posted else {
            return Err(invalid("groups", "error.group_empty"));
        };
        tracing::info!(notice = %notice_id, school = %school.code, by = %by.account_id, recipients, urgent, "school notice posted");
        // Delivered at once; if that fails, the dispatcher's next look delivers it.
        if let Err(error) = self.dispatch().await {
            tracing::error!(%error, "delivering a school notice failed; will retry");
        }
        Ok((notice_id, recipients))
    }

    /// The notice as the delivery engine sends it.
    fn delivery_notice(&self, notice: &SchoolNotice) -> Notice {
        Notice {
            service: Service::School,
            sender: format!("{}（{}）", notice.school.name, notice.groups),
            title: notice.title.clone(),
            body: notice.body.clone(),
            link: None,
            attachment: None,
            read_url: format!(
                "{}/school/notices/{}",
                self.base_url.trim_end_matches('/'),
                notice.notice_id
            ),
            urgent: notice.urgent,
            date: tokyo_date_time(notice.posted_at),
        }
    }

    /// Delivers every posted notice not yet delivered; returns how many. Each is delivered
    /// once, also across restarts and instances (its delivery's source is unique).
    pub async fn dispatch(&self) -> Result<usize, StoreError> {
        let mut delivered = 0;
        for notice in self.notices.undelivered_notices(50).await? {
            let made = self
                .notifier
                .deliver(
                    "school_notice",
                    Source::SchoolNotice(notice.notice_id),
                    &self.delivery_notice(&notice),
                    Audience::SchoolNotice(notice.notice_id),
                )
                .await?;
            if made.is_some() {
                delivered += 1;
            }
        }
        Ok(delivered)
    }

    /// A school's notices with how many have read each.
    pub async fn school_notices(
        &self,
        by: &Account,
        code: &str,
    ) -> Result<Vec<NoticeSummary>, AccountError> {
        self.managed(by, code).await?;
        Ok(self.notices.school_notices(code, 100).await?)
    }

    /// One notice of a school `by` manages, with who it was for and who has read it.
    pub async fn receipts(
        &self,
        by: &Account,
        notice_id: Uuid,
    ) -> Result<Option<(NoticeSummary, Vec<Receipt>)>, AccountError> {
        let Some(summary) = self.notices.notice(notice_id).await? else {
            return Ok(None);
        };
        self.managed(by, &summary.notice.school.code).await?;
        let receipts = self.notices.receipts(notice_id).await?;
        Ok(Some((summary, receipts)))
    }

    /// The notices a guardian received, newest first, with when each was read.
    pub async fn notices_for(
        &self,
        guardian: &Account,
    ) -> Result<Vec<(SchoolNotice, Option<jiff::Timestamp>)>, AccountError> {
        Ok(self.notices.notices_for(guardian.account_id, 100).await?)
    }

    /// Opens a notice: a guardian it was for (which records the reading), or the school's
    /// staff; `None` for anyone else.
    pub async fn open(
        &self,
        viewer: &Account,
        notice_id: Uuid,
    ) -> Result<Option<Opened>, AccountError> {
        let Some(summary) = self.notices.notice(notice_id).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        if let Some(read_at) = self
            .notices
            .mark_read(notice_id, viewer.account_id, now)
            .await?
        {
            return Ok(Some(Opened {
                notice: summary.notice,
                read_at: Some(read_at),
            }));
        }
        if self
            .managed(viewer, &summary.notice.school.code)
            .await
            .is_ok()
        {
            return Ok(Some(Opened {
                notice: summary.notice,
                read_at: None,
            }));
        }
        Ok(None)
    }
}

#[async_trait::async_trait]
impl crate::notify::Dispatch for Schools {
    fn name(&self) -> &'static str {
        "school notices"
    }

    async fn dispatch(&self) -> Result<usize, StoreError> {
        Schools::dispatch(self).await
    }
}
