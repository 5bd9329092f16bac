//! Kiosks: admins register one at a center and get its broker credentials once (the portal
//! keeps only a hash); they can issue new credentials or retire a kiosk. The embedded broker
//! asks [`Checkin::authenticate`] whether a client may connect.

use rand::rngs::OsRng;
use shimin_sync::{
    ids::{CenterId, KioskId},
    topics::{Topic, kiosk_client_id},
};

use super::{Checkin, Outbound, state};
use crate::{
    accounts::AccountError,
    domain::{Role, kiosks, validation::FieldErrors},
    store::{Account, Kiosk},
};

/// Credentials handed out once, at registration or renewal.
#[derive(Debug, Clone)]
pub struct KioskCredentials {
    /// The kiosk (its id is its MQTT user name).
    pub kiosk: Kiosk,
    /// The MQTT password, shown once.
    pub password: String,
}

fn require_admin(by: &Account) -> Result<(), AccountError> {
    if by.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(AccountError::Forbidden("only admins manage kiosks"))
    }
}

impl Checkin {
    /// Every kiosk (admins and center staff).
    pub async fn kiosks(&self, by: &Account) -> Result<Vec<Kiosk>, AccountError> {
        if !(by.has_role(Role::Admin) || by.has_role(Role::Center)) {
            return Err(AccountError::Forbidden(
                "only admins and center staff see kiosks",
            ));
        }
        Ok(self.inner.store.kiosks().await?)
    }

    /// Registers a new kiosk at a center and returns its credentials.
    pub async fn register_kiosk(
        &self,
        by: &Account,
        center_id: &CenterId,
        label: &str,
    ) -> Result<KioskCredentials, AccountError> {
        require_admin(by)?;
        let label = label.trim();
        if label.chars().count() > 60 {
            let mut errors = FieldErrors::default();
            errors.add("label", "error.text_too_long");
            return Err(AccountError::Invalid(errors));
        }
        let Some(center) = self.center(center_id).await? else {
            return Err(AccountError::Forbidden("no such center"));
        };
        let existing = self.inner.store.kiosks().await?;
        let password = kiosks::new_password(&mut OsRng);
        let hash = kiosks::hash_password(&password, &mut OsRng);
        let now = self.inner.clock.now();
        // Numbers count retired kiosks too: an id is never given to a second kiosk.
        let mut number = existing
            .iter()
            .filter(|kiosk| &kiosk.center_id == center_id)
            .count() as u32;
        loop {
            number += 1;
            let kiosk_id = kiosks::kiosk_id(center_id, number)
                .ok_or_else(|| AccountError::Internal("kiosk id".into()))?;
            let kiosk = Kiosk {
                kiosk_id,
                center_id: center_id.clone(),
                label: label.to_owned(),
                created_at: now,
                retired_at: None,
                state: None,
                software: None,
                pending_events: None,
            };
            if self
                .inner
                .store
                .create_kiosk(kiosk.clone(), hash.clone())
                .await?
            {
                tracing::info!(kiosk = %kiosk.kiosk_id, center = %center_id, by = %by.account_id, "registered a kiosk");
                let config =
                    state::kiosk_config(&kiosk, &center.details, &self.inner.thresholds, now);
                self.send(Outbound::new(
                    &Topic::KioskConfig(kiosk.kiosk_id.clone()),
                    &config,
                ));
                let snapshot = self.inner.store.snapshot(center_id).await?;
                self.send(Outbound::new(
                    &Topic::KioskPresence(kiosk.kiosk_id.clone()),
                    &state::presence(&snapshot, now),
                ));
                return Ok(KioskCredentials { kiosk, password });
            }
        }
    }

    /// Issues new credentials for a kiosk (the old password stops working).
    pub async fn renew_kiosk_password(
        &self,
        by: &Account,
        kiosk_id: &KioskId,
    ) -> Result<Option<KioskCredentials>, AccountError> {
        require_admin(by)?;
        let password = kiosks::new_password(&mut OsRng);
        let hash = kiosks::hash_password(&password, &mut OsRng);
        if !self.inner.store.set_kiosk_password(kiosk_id, hash).await? {
            return Ok(None);
        }
        tracing::info!(kiosk = %kiosk_id, by = %by.account_id, "issued new kiosk credentials");
        Ok(self
            .inner
            .store
            .kiosk(kiosk_id)
            .await?
            .map(|(kiosk, _)| KioskCredentials { kiosk, password }))
    }

    /// Retires a kiosk: its credentials stop working and its events are refused.
    pub async fn retire_kiosk(
        &self,
        by: &Account,
        kiosk_id: &KioskId,
    ) -> Result<bool, AccountError> {
        require_admin(by)?;
        let retired = self
            .inner
            .store
            .retire_kiosk(kiosk_id, self.inner.clock.now())
            .await?;
        if retired {
            tracing::info!(kiosk = %kiosk_id, by = %by.account_id, "retired a kiosk");
        }
        Ok(retired)
    }

    /// The lines of a Mosquitto `password_file` for every active kiosk.
    pub async fn mosquitto_password_lines(&self) -> Result<Vec<String>, AccountError> {
        let mut lines = Vec::new();
        for kiosk in self.inner.store.kiosks().await? {
            if kiosk.retired_at.is_some() {
                continue;
            }
            if let Some((kiosk, hash)) = self.inner.store.kiosk(&kiosk.kiosk_id).await? {
                lines.push(format!("{}:{hash}", kiosk.kiosk_id));
            }
        }
        Ok(lines)
    }

    /// Whether an MQTT client may connect to the embedded broker: the portal itself with its
    /// own password, or an active kiosk with its fixed client id and its password.
    pub async fn authenticate(
        &self,
        client_id: &str,
        username: &str,
        password: &str,
        portal_password: &str,
    ) -> bool {
        if username == kiosks::PORTAL_MQTT_USER {
            return !portal_password.is_empty()
                && constant_time_eq(password.as_bytes(), portal_password.as_bytes());
        }
        let Ok(kiosk_id) = KioskId::new(username) else {
            return false;
        };
        if client_id != kiosk_client_id(&kiosk_id) {
            return false;
        }
        match self.inner.store.kiosk(&kiosk_id).await {
            Ok(Some((kiosk, hash))) => {
                kiosk.retired_at.is_none() && kiosks::verify_password(password, &hash)
            }
            Ok(None) => false,
            Err(error) => {
                tracing::error!(%error, "checking kiosk credentials");
                false
            }
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Checkin {
    /// The visit history of a center on one day (Asia/Tokyo), newest first: for admins and the
    /// center's own staff. Every read is logged (it is personal data).
    pub async fn visits(
        &self,
        by: &Account,
        center_id: &CenterId,
        day: jiff::civil::Date,
    ) -> Result<Vec<crate::store::Visit>, AccountError> {
        self.require_center_staff(by, center_id).await?;
        let zone = crate::clock::tokyo();
        let start = |date: jiff::civil::Date| {
            date.to_zoned(zone.clone())
                .map(|zoned| zoned.timestamp())
                .map_err(|error| AccountError::Internal(error.to_string()))
        };
        let from = start(day)?;
        let until = start(
            day.tomorrow()
                .map_err(|error| AccountError::Internal(error.to_string()))?,
        )?;
        tracing::info!(target: "audit", staff = %by.account_id, center = %center_id, %day, "staff read the visit history");
        Ok(self.inner.store.visits(center_id, from, until).await?)
    }

    /// Only the center's own staff (or an admin) see its visits.
    async fn require_center_staff(
        &self,
        by: &Account,
        center_id: &CenterId,
    ) -> Result<(), AccountError> {
        let allowed = by.has_role(Role::Admin)
            || (by.has_role(Role::Center)
                && self
                    .inner
                    .centers
                    .center_staff(center_id)
                    .await?
                    .iter()
                    .any(|staff| staff.account_id == by.account_id));
        if allowed {
            Ok(())
        } else {
            Err(AccountError::Forbidden(
                "only the center's staff see its visits",
            ))
        }
    }

    /// A center's check-ins per day from `from` to `to` (Asia/Tokyo, at most a year) and per
    /// hour of the day over the same days, for its staff's charts.
    pub async fn visit_stats(
        &self,
        by: &Account,
        center_id: &CenterId,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<VisitStats, AccountError> {
        use crate::domain::visit_stats::{per_day, per_hour};
        self.require_center_staff(by, center_id).await?;
        let zone = crate::clock::tokyo();
        let internal = |error: jiff::Error| AccountError::Internal(error.to_string());
        let start = from.to_zoned(zone.clone()).map_err(internal)?.timestamp();
        let until = to
            .tomorrow()
            .and_then(|day| day.to_zoned(zone.clone()))
            .map_err(internal)?
            .timestamp();
        let checkins = self.inner.store.checkins(center_id, start, until).await?;
        Ok(VisitStats {
            per_day: per_day(&checkins, from, to),
            per_hour: per_hour(&checkins),
        })
    }
}

/// A center's visits counted, for its staff.
#[derive(Debug, Clone)]
pub struct VisitStats {
    /// Each day of the period.
    pub per_day: Vec<(jiff::civil::Date, crate::domain::visit_stats::Count)>,
    /// Each hour of the day with visits, over the period.
    pub per_hour: Vec<(i8, crate::domain::visit_stats::Count)>,
}
