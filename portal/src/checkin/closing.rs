//! The minute's work of the check-in service: the closing-time check-out (PROTOCOL.md §9)
//! and the level changes that come with the hour (opening, closing).

use shimin_sync::messages::CongestionLevel;

use super::{Checkin, state};
use crate::accounts::AccountError;

impl Checkin {
    /// The minute's work: check out everyone still in at a center past its closing time, and
    /// republish a center whose level changed with the hour (opening, closing).
    pub async fn tick(&self) -> Result<(), AccountError> {
        let now = self.inner.clock.now();
        for center in self.inner.centers.centers().await? {
            let center = center.details;
            if let Some(closes) = state::closed_since(&center, now)
                && let Some(snapshot) = self
                    .inner
                    .store
                    .close_center(&center.center_id, closes, now)
                    .await?
            {
                tracing::info!(center = %center.center_id, "checked out everyone still in at closing time");
                self.publish_center(&snapshot).await?;
                continue;
            }
            let open = state::is_open(&center, now);
            let last = self
                .inner
                .levels
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .get(&center.center_id)
                .copied();
            let closed_now = !open;
            let was_closed = last == Some(CongestionLevel::Closed);
            if last.is_none() || closed_now != was_closed {
                let snapshot = self.inner.store.snapshot(&center.center_id).await?;
                self.publish_center(&snapshot).await?;
            }
        }
        Ok(())
    }
}
