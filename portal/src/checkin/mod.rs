//! Check-in/out at 子育て支援センター, the portal's side: pass-signing keys and passes,
//! kiosks and their credentials, applying kiosk events exactly once, and publishing each
//! center's occupancy — over MQTT to kiosks (retained) and live to browsers.
//!
//! - [`state`] — pure: what is published, from what the store knows.
//! - [`passes`] — key rotation and issuing passes to guardians.
//! - [`kiosks`] — registering kiosks, their broker credentials.
//! - [`ingest`] — what the portal does with each MQTT message from a kiosk.
//! - `closing` — every minute: the closing-time check-out, level changes with the hour.
//! - [`link`] — the MQTT connection: a thin shell over [`ingest`].
//!
//! Everything the service publishes goes into one queue of [`Outbound`] messages that the MQTT
//! link drains; retained state is also rebuilt from the store on every (re)connection, so a
//! message lost in a broker restart is replaced by the current one.

mod closing;
pub mod ingest;
pub mod kiosks;
pub mod link;
pub mod passes;
pub mod state;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use shimin_sync::{
    ids::CenterId,
    messages::{self, CongestionLevel, Occupancy, Thresholds},
    topics::Topic,
};
use tokio::sync::{broadcast, mpsc};

use crate::{
    accounts::AccountError,
    clock::Clock,
    store::{CenterSnapshot, CenterStore, CheckinStore, FamilyStore},
};

/// A message for the broker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbound {
    /// Its topic.
    pub topic: String,
    /// Its JSON payload.
    pub payload: String,
    /// Whether the broker keeps it for later subscribers.
    pub retain: bool,
}

impl Outbound {
    /// The message `message` on `topic`, retained as the topic says.
    pub fn new<M: messages::Message>(topic: &Topic, message: &M) -> Self {
        Self {
            topic: topic.to_string(),
            payload: messages::encode(message),
            retain: topic.retained(),
        }
    }
}

/// The check-in service. Cheap to clone.
#[derive(Clone)]
pub struct Checkin {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn CheckinStore>,
    centers: Arc<dyn CenterStore>,
    family: Arc<dyn FamilyStore>,
    clock: Arc<dyn Clock>,
    thresholds: Thresholds,
    outbound: mpsc::UnboundedSender<Outbound>,
    live: broadcast::Sender<Arc<(crate::store::Center, Occupancy)>>,
    /// The level last published per center, to republish when only the hour changed it.
    levels: Mutex<HashMap<CenterId, CongestionLevel>>,
}

impl Checkin {
    /// A service over these stores; the receiver gets every message to publish.
    pub fn new(
        store: Arc<dyn CheckinStore>,
        centers: Arc<dyn CenterStore>,
        family: Arc<dyn FamilyStore>,
        clock: Arc<dyn Clock>,
        thresholds: Thresholds,
    ) -> (Self, mpsc::UnboundedReceiver<Outbound>) {
        let (outbound, receiver) = mpsc::unbounded_channel();
        let (live, _) = broadcast::channel(256);
        let inner = Inner {
            store,
            centers,
            family,
            clock,
            thresholds,
            outbound,
            live,
            levels: Mutex::new(HashMap::new()),
        };
        (
            Self {
                inner: Arc::new(inner),
            },
            receiver,
        )
    }

    /// Live occupancy changes with their center, for the browsers' event stream.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<(crate::store::Center, Occupancy)>> {
        self.inner.live.subscribe()
    }

    fn send(&self, message: Outbound) {
        // The receiver lives as long as the link task; after shutdown there is nobody to tell.
        if self.inner.outbound.send(message).is_err() {
            tracing::debug!("MQTT link gone; message not queued");
        }
    }

    /// Every center's current occupancy, by center id.
    pub async fn occupancies(
        &self,
    ) -> Result<Vec<(crate::store::Center, Occupancy)>, AccountError> {
        let now = self.inner.clock.now();
        let mut all = Vec::new();
        for center in self.inner.centers.centers().await? {
            let snapshot = self.inner.store.snapshot(&center.details.center_id).await?;
            let occupancy =
                state::occupancy(&center.details, &snapshot, &self.inner.thresholds, now);
            all.push((center, occupancy));
        }
        Ok(all)
    }

    /// One center's current occupancy; `None` when there is no such center.
    pub async fn occupancy(
        &self,
        center_id: &CenterId,
    ) -> Result<Option<(crate::store::Center, Occupancy)>, AccountError> {
        let Some(center) = self.center(center_id).await? else {
            return Ok(None);
        };
        let snapshot = self.inner.store.snapshot(center_id).await?;
        let now = self.inner.clock.now();
        let occupancy = state::occupancy(&center.details, &snapshot, &self.inner.thresholds, now);
        Ok(Some((center, occupancy)))
    }

    async fn center(
        &self,
        center_id: &CenterId,
    ) -> Result<Option<crate::store::Center>, AccountError> {
        Ok(self
            .inner
            .centers
            .centers()
            .await?
            .into_iter()
            .find(|center| &center.details.center_id == center_id))
    }

    /// Publishes a center's state: its occupancy (to kiosks and browsers) and the presence
    /// for each of its kiosks.
    async fn publish_center(&self, snapshot: &CenterSnapshot) -> Result<(), AccountError> {
        let Some(center) = self.center(&snapshot.center_id).await? else {
            return Ok(());
        };
        let now = self.inner.clock.now();
        let occupancy = state::occupancy(&center.details, snapshot, &self.inner.thresholds, now);
        self.inner
            .levels
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(snapshot.center_id.clone(), occupancy.level);
        self.send(Outbound::new(
            &Topic::CenterOccupancy(snapshot.center_id.clone()),
            &occupancy,
        ));
        let change = Arc::new((center, occupancy));
        let presence = state::presence(snapshot, now);
        for kiosk in self.inner.store.kiosks().await? {
            if kiosk.center_id == snapshot.center_id && kiosk.retired_at.is_none() {
                self.send(Outbound::new(
                    &Topic::KioskPresence(kiosk.kiosk_id),
                    &presence,
                ));
            }
        }
        // Nobody listening is fine: no browser has the page open.
        let _ = self.inner.live.send(change);
        Ok(())
    }

    /// Every retained message the portal owns, from the store: the key set, each kiosk's
    /// configuration and presence, each center's occupancy. Sent on every (re)connection.
    pub async fn retained_state(&self) -> Result<Vec<Outbound>, AccountError> {
        let now = self.inner.clock.now();
        let mut out = vec![Outbound::new(&Topic::Keys, &self.key_set().await?)];
        let kiosks = self.inner.store.kiosks().await?;
        for center in self.inner.centers.centers().await? {
            let center = center.details;
            let snapshot = self.inner.store.snapshot(&center.center_id).await?;
            let occupancy = state::occupancy(&center, &snapshot, &self.inner.thresholds, now);
            out.push(Outbound::new(
                &Topic::CenterOccupancy(center.center_id.clone()),
                &occupancy,
            ));
            let presence = state::presence(&snapshot, now);
            for kiosk in kiosks
                .iter()
                .filter(|kiosk| kiosk.center_id == center.center_id && kiosk.retired_at.is_none())
            {
                let config = state::kiosk_config(kiosk, &center, &self.inner.thresholds, now);
                out.push(Outbound::new(
                    &Topic::KioskConfig(kiosk.kiosk_id.clone()),
                    &config,
                ));
                out.push(Outbound::new(
                    &Topic::KioskPresence(kiosk.kiosk_id.clone()),
                    &presence,
                ));
            }
        }
        Ok(out)
    }
}
