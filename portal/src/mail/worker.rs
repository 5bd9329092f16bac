//! The outbox worker: hands queued mail to the transport, retries with backoff, gives up after
//! a day of failures (the row stays, with its last error, as a dead letter), and forgets mail
//! bodies a week after hand-over.

use std::{sync::Arc, time::Duration};

use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::{MailError, MailTransport};
use crate::{clock::Clock, store::MailOutbox};

/// Attempts before a mail becomes a dead letter.
pub const MAX_ATTEMPTS: u32 = 12;
/// How long handed-over mail is kept.
pub const KEEP_SENT: SignedDuration = SignedDuration::from_hours(24 * 7);
/// How long a claimed mail is reserved for the worker that claimed it. Longer than an SMTP
/// hand-over can take (the transport times out after 30 s).
pub const LEASE: SignedDuration = SignedDuration::from_secs(120);
/// Mail handed over per pass.
const BATCH: usize = 50;
/// The longest the worker sleeps without being woken.
const IDLE_POLL: Duration = Duration::from_secs(30);

/// When to try again after `attempts` failed attempts, or `None` to give up.
/// 30 s, 1 min, 2 min, … capped at 2 h: about a day in all before giving up.
pub fn retry_delay(attempts: u32) -> Option<SignedDuration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let doubled = 30_i64.saturating_mul(1_i64 << attempts.min(20).saturating_sub(1));
    Some(SignedDuration::from_secs(doubled.min(2 * 3600)))
}

/// The running worker's parts.
pub struct MailWorker {
    /// Where mail is queued.
    pub outbox: Arc<dyn MailOutbox>,
    /// Where mail goes.
    pub transport: Arc<dyn MailTransport>,
    /// Now.
    pub clock: Arc<dyn Clock>,
    /// Woken when mail is queued, so it leaves at once.
    pub wake: Arc<Notify>,
    /// This portal instance's name (`instance_id` setting): its claims on mail.
    pub instance: String,
}

impl MailWorker {
    /// Hands over everything that is due now; returns how many were handed over.
    pub async fn run_once(&self) -> Result<usize, crate::store::StoreError> {
        let mut handed_over = 0;
        loop {
            let now = self.clock.now();
            let lease_until = now.checked_add(LEASE).unwrap_or(now);
            let due = self
                .outbox
                .claim_due_mail(&self.instance, now, lease_until, BATCH)
                .await?;
            if due.is_empty() {
                return Ok(handed_over);
            }
            let batch_len = due.len();
            for queued in due {
                let mail_id = queued.mail.mail_id;
                match self.transport.send(&queued.mail).await {
                    Ok(()) => {
                        self.outbox.mark_sent(mail_id, self.clock.now()).await?;
                        metrics::counter!("portal_mail_sent_total", "transport" => self.transport.name()).increment(1);
                        handed_over += 1;
                    }
                    Err(error) => {
                        let attempts = queued.attempts + 1;
                        let retry_at = match &error {
                            MailError::Permanent(_) | MailError::Build(_) => None,
                            MailError::Transport(_) => retry_delay(attempts)
                                .and_then(|delay| self.clock.now().checked_add(delay).ok()),
                        };
                        metrics::counter!("portal_mail_failed_total", "transport" => self.transport.name()).increment(1);
                        if retry_at.is_none() {
                            tracing::error!(%mail_id, attempts, %error, "mail given up (dead letter)");
                        } else {
                            tracing::warn!(%mail_id, attempts, %error, "mail failed; will retry");
                        }
                        self.outbox
                            .mark_failed(mail_id, &error.to_string(), retry_at)
                            .await?;
                    }
                }
            }
            if batch_len < BATCH {
                return Ok(handed_over);
            }
        }
    }

    /// Runs until `stop` is cancelled.
    pub async fn run(self, stop: CancellationToken) {
        // Mail this instance claimed before a crash was never handed over (or was, and will be
        // again with the same Message-ID): make it due now rather than when the lease ends.
        match self
            .outbox
            .release_claims(&self.instance, self.clock.now())
            .await
        {
            Ok(count) if count > 0 => {
                tracing::info!(count, "took back mail claimed before a restart")
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "releasing mail claims failed"),
        }
        let mut last_purge = Timestamp::UNIX_EPOCH;
        loop {
            if let Err(error) = self.run_once().await {
                tracing::error!(%error, "mail outbox pass failed");
            }
            let now = self.clock.now();
            if now.duration_since(last_purge) > SignedDuration::from_hours(1) {
                if let Ok(before) = now.checked_sub(KEEP_SENT) {
                    match self.outbox.purge_sent(before).await {
                        Ok(count) if count > 0 => tracing::info!(count, "purged old sent mail"),
                        Ok(_) => {}
                        Err(error) => tracing::error!(%error, "purging sent mail failed"),
                    }
                }
                last_purge = now;
            }
            let sleep = match self.outbox.next_due().await {
                Ok(Some(due)) => Duration::try_from(due.duration_since(self.clock.now()))
                    .unwrap_or(Duration::ZERO)
                    .min(IDLE_POLL),
                _ => IDLE_POLL,
            };
            tokio::select! {
                () = stop.cancelled() => return,
                () = self.wake.notified() => {}
                () = tokio::time::sleep(sleep.max(Duration::from_millis(50))) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use async_trait::async_trait;

    use super::*;
    use crate::{
        clock::FixedClock,
        store::{AccountStore, OutgoingMail, sqlite::test_support},
    };

    /// A transport that fails the first `failures` sends, then records what it delivers.
    struct Flaky {
        failures: Mutex<u32>,
        permanent: bool,
        delivered: Mutex<Vec<uuid::Uuid>>,
    }

    #[async_trait]
    impl MailTransport for Flaky {
        async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
            let mut failures = self.failures.lock().unwrap();
            if *failures > 0 {
                *failures -= 1;
                return Err(if self.permanent {
                    MailError::Permanent("550 no such user".into())
                } else {
                    MailError::Transport("connection refused".into())
                });
            }
            self.delivered.lock().unwrap().push(mail.mail_id);
            Ok(())
        }

        fn name(&self) -> &'static str {
            "flaky"
        }
    }

    fn mail(now: Timestamp) -> OutgoingMail {
        OutgoingMail {
            mail_id: uuid::Uuid::now_v7(),
            to: "hanako@example.jp".into(),
            subject: "件名".into(),
            text: "本文".into(),
            html: "<p>本文</p>".into(),
            created_at: now,
        }
    }

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_two_hours_then_gives_up() {
        assert_eq!(retry_delay(1), Some(SignedDuration::from_secs(30)));
        assert_eq!(retry_delay(2), Some(SignedDuration::from_secs(60)));
        assert_eq!(retry_delay(5), Some(SignedDuration::from_secs(480)));
        assert_eq!(retry_delay(11), Some(SignedDuration::from_secs(7200)));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
    }

    #[tokio::test]
    async fn a_failed_mail_is_retried_after_its_delay_and_delivered_once() {
        let (store, _dir) = test_support::store();
        let clock = FixedClock::new("2026-11-25T09:00:00Z".parse().unwrap());
        let transport = Arc::new(Flaky {
            failures: Mutex::new(2),
            permanent: false,
            delivered: Mutex::new(Vec::new()),
        });
        let worker = MailWorker {
            outbox: Arc::new(store.clone()),
            transport: transport.clone(),
            clock: Arc::new(clock.clone()),
            wake: Arc::new(Notify::new()),
            instance: "test".into(),
        };
        let queued = mail(clock.now());
        store.queue_mail(queued.clone()).await.unwrap();

        assert_eq!(worker.run_once().await.unwrap(), 0); // first failure
        assert_eq!(worker.run_once().await.unwrap(), 0); // not due yet: nothing tried
        clock.advance(SignedDuration::from_secs(30));
        assert_eq!(worker.run_once().await.unwrap(), 0); // second failure
        clock.advance(SignedDuration::from_secs(59));
        assert_eq!(worker.run_once().await.unwrap(), 0); // 1 s early
        clock.advance(SignedDuration::from_secs(1));
        assert_eq!(worker.run_once().await.unwrap(), 1);
        clock.advance(SignedDuration::from_hours(10));
        assert_eq!(worker.run_once().await.unwrap(), 0); // never again
        assert_eq!(*transport.delivered.lock().unwrap(), vec![queued.mail_id]);
        assert_eq!(store.next_due().await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_claimed_mail_is_not_claimed_again_until_its_lease_ends() {
        let (store, _dir) = test_support::store();
        let now: Timestamp = "2026-11-25T09:00:00Z".parse().unwrap();
        store.queue_mail(mail(now)).await.unwrap();
        let lease_until = now + LEASE;
        let claim = |instance: &'static str, at: Timestamp| {
            let store = store.clone();
            async move {
                store
                    .claim_due_mail(instance, at, at + LEASE, 10)
                    .await
                    .unwrap()
                    .len()
            }
        };
        assert_eq!(claim("a", now).await, 1);
        // A second instance looking at the same moment finds nothing to send.
        assert_eq!(claim("b", now).await, 0);
        // Another instance starting does not take a's claim back; a restarted a does.
        assert_eq!(store.release_claims("b", now).await.unwrap(), 0);
        assert_eq!(claim("b", now).await, 0);
        assert_eq!(store.release_claims("a", now).await.unwrap(), 1);
        assert_eq!(claim("a", now).await, 1);
        // If a died mid-send and never came back, the mail is due again when the lease ends.
        assert_eq!(claim("b", lease_until).await, 1);
    }

    #[tokio::test]
    async fn a_permanent_refusal_becomes_a_dead_letter_at_once() {
        let (store, _dir) = test_support::store();
        let clock = FixedClock::new("2026-11-25T09:00:00Z".parse().unwrap());
        let transport = Arc::new(Flaky {
            failures: Mutex::new(1),
            permanent: true,
            delivered: Mutex::new(Vec::new()),
        });
        let worker = MailWorker {
            outbox: Arc::new(store.clone()),
            transport: transport.clone(),
            clock: Arc::new(clock.clone()),
            wake: Arc::new(Notify::new()),
            instance: "test".into(),
        };
        store.queue_mail(mail(clock.now())).await.unwrap();
        assert_eq!(worker.run_once().await.unwrap(), 0);
        assert_eq!(store.next_due().await.unwrap(), None);
        clock.advance(SignedDuration::from_hours(48));
        assert_eq!(worker.run_once().await.unwrap(), 0);
        assert!(transport.delivered.lock().unwrap().is_empty());
    }
}
