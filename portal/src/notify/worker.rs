//! The delivery workers: one hands emails to the SMTP relay (several at once through lettre's
//! pool), one hands LINE batches to the Messaging API (multicast of up to 500, push for one),
//! paced below LINE's published rate limits and pausing as a 429's `Retry-After` asks.
//!
//! Exactly-once, as far as each channel allows: a recipient is marked sent in the same moment
//! the hand-over is known to have succeeded (completions are committed together as they come,
//! a group commit); a LINE request carries its batch's fixed `X-Line-Retry-Key`, so after a
//! crash the same request is made again and LINE answers 409 "already accepted" instead of
//! delivering twice. SMTP has no such key: mail in flight at a crash is sent again with the
//! same Message-ID, which mail systems use to drop the copy.

use std::{num::NonZeroU32, sync::Arc, time::Duration};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use jiff::{SignedDuration, Timestamp};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::Wake;
use crate::{
    clock::Clock,
    domain::notify::{Channel, SendFailure, after_failure},
    line::{LineApi, text_message_with_replies},
    mail::{MailError, MailTransport},
    store::{Content, DeliveryStore, EmailJob, LineBatch, OutgoingMail, StoreError},
};

/// How long a claim lasts: longer than one hand-over can take (SMTP times out after 30 s,
/// LINE after 20 s).
pub const LEASE: SignedDuration = SignedDuration::from_secs(120);
/// Emails claimed per pass.
const EMAIL_BATCH: usize = 200;
/// LINE batches claimed per pass.
const LINE_BATCHES: usize = 8;
/// The longest a worker sleeps without being woken.
const IDLE_POLL: Duration = Duration::from_secs(30);

/// How the workers run.
#[derive(Debug, Clone, Copy)]
pub struct WorkerSettings {
    /// Emails handed over at once (connections of the SMTP pool in use).
    pub email_concurrency: usize,
    /// LINE requests at once.
    pub line_concurrency: usize,
    /// Multicast requests per second at most (LINE publishes 200/s).
    pub multicast_per_second: u32,
    /// Push requests per second at most (LINE publishes 2,000/s).
    pub push_per_second: u32,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            email_concurrency: 32,
            line_concurrency: 4,
            multicast_per_second: 200,
            push_per_second: 2000,
        }
    }
}

/// The parts both workers share.
#[derive(Clone)]
pub struct Delivery {
    /// The outbox.
    pub store: Arc<dyn DeliveryStore>,
    /// Where mail goes.
    pub mail: Arc<dyn MailTransport>,
    /// Where LINE messages go.
    pub line: Arc<dyn LineApi>,
    /// Now.
    pub clock: Arc<dyn Clock>,
    /// Woken when a delivery is made.
    pub wake: Arc<Wake>,
    /// This instance's name (its claims).
    pub instance: String,
    /// Concurrency and pacing.
    pub settings: WorkerSettings,
}

/// The Message-ID-giving id of one recipient's mail: the delivery's UUIDv7 with the
/// recipient number in its last 48 bits, the same at every retry.
pub fn mail_id(delivery_id: Uuid, recipient_id: i64) -> Uuid {
    let low = u128::from(u64::try_from(recipient_id).unwrap_or(0)) & ((1 << 48) - 1);
    Uuid::from_u128((delivery_id.as_u128() & !((1 << 48) - 1)) | low)
}

fn limiter(per_second: u32) -> DefaultDirectRateLimiter {
    let rate = NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN);
    RateLimiter::direct(
        Quota::per_second(rate).allow_burst(NonZeroU32::MIN.saturating_add(rate.get() / 10)),
    )
}

/// A small cache of rendered contents by (delivery, language): a pass reads each once.
#[derive(Default)]
struct Contents(Vec<((Uuid, String), Arc<Content>)>);

impl Contents {
    async fn get(
        &mut self,
        store: &dyn DeliveryStore,
        delivery_id: Uuid,
        lang: &str,
    ) -> Result<Option<Arc<Content>>, StoreError> {
        if let Some((_, content)) = self
            .0
            .iter()
            .find(|((id, l), _)| *id == delivery_id && l == lang)
        {
            return Ok(Some(Arc::clone(content)));
        }
        let Some(content) = store.content(delivery_id, lang).await? else {
            return Ok(None);
        };
        let content = Arc::new(content);
        if self.0.len() >= 16 {
            self.0.remove(0);
        }
        self.0
            .push(((delivery_id, lang.to_owned()), Arc::clone(&content)));
        Ok(Some(content))
    }
}

fn mail_failure(error: MailError) -> SendFailure {
    match error {
        MailError::Transport(message) => SendFailure::Transient(message),
        MailError::Permanent(message) | MailError::Build(message) => {
            SendFailure::Permanent(message)
        }
    }
}

impl Delivery {
    async fn record(
        &self,
        ids: Vec<i64>,
        attempts: u32,
        outcome: Result<(), SendFailure>,
        channel: Channel,
    ) -> Result<(), StoreError> {
        let count = ids.len() as u64;
        match outcome {
            Ok(()) => {
                self.store.mark_sent(ids, self.clock.now()).await?;
                metrics::counter!("portal_notify_handed_over_total", "channel" => channel.as_str())
                    .increment(count);
            }
            Err(failure) => {
                let decision = after_failure(&failure, attempts, self.clock.now());
                metrics::counter!("portal_notify_failed_total", "channel" => channel.as_str())
                    .increment(count);
                if decision.retry_at.is_none() {
                    tracing::error!(
                        channel = channel.as_str(),
                        count,
                        error = failure.message(),
                        "notification given up (dead letter)"
                    );
                } else if !matches!(failure, SendFailure::RateLimited { .. }) {
                    tracing::warn!(
                        channel = channel.as_str(),
                        count,
                        error = failure.message(),
                        "notification failed; will retry"
                    );
                }
                self.store
                    .mark_failed(ids, failure.message(), decision.retry_at, decision.counts)
                    .await?;
            }
        }
        Ok(())
    }

    /// Hands over every email due now; returns how many were handed over.
    pub async fn email_pass(&self) -> Result<usize, StoreError> {
        let mut contents = Contents::default();
        let mut handed_over = 0;
        loop {
            let now = self.clock.now();
            let lease = now.checked_add(LEASE).unwrap_or(now);
            let jobs = self
                .store
                .claim_email(&self.instance, now, lease, EMAIL_BATCH)
                .await?;
            if jobs.is_empty() {
                return Ok(handed_over);
            }
            let full = jobs.len() == EMAIL_BATCH;
            let mut running: JoinSet<(EmailJob, Result<(), SendFailure>)> = JoinSet::new();
            for job in jobs {
                while running.len() >= self.settings.email_concurrency.max(1) {
                    handed_over += self.settle_emails(&mut running).await?;
                }
                let Some(content) = contents
                    .get(self.store.as_ref(), job.delivery_id, &job.lang)
                    .await?
                else {
                    let failure = SendFailure::Permanent("the delivery has no content".into());
                    self.record(
                        vec![job.recipient_id],
                        job.attempts,
                        Err(failure),
                        Channel::Email,
                    )
                    .await?;
                    continue;
                };
                let mail = Arc::clone(&self.mail);
                running.spawn(async move {
                    let outgoing = OutgoingMail {
                        mail_id: mail_id(job.delivery_id, job.recipient_id),
                        to: job.address.clone(),
                        subject: content.subject.clone(),
                        text: content.text.clone(),
                        html: content.html.clone(),
                        created_at: job.created_at,
                    };
                    let outcome = mail.send(&outgoing).await.map_err(mail_failure);
                    (job, outcome)
                });
            }
            while !running.is_empty() {
                handed_over += self.settle_emails(&mut running).await?;
            }
            if !full {
                return Ok(handed_over);
            }
        }
    }

    /// Waits for one send to finish, then commits it with every other that has finished
    /// meanwhile (successes in one transaction).
    async fn settle_emails(
        &self,
        running: &mut JoinSet<(EmailJob, Result<(), SendFailure>)>,
    ) -> Result<usize, StoreError> {
        let mut finished = Vec::new();
        if let Some(first) = running.join_next().await {
            finished.push(first);
        }
        while let Some(more) = running.try_join_next() {
            finished.push(more);
        }
        let mut sent = Vec::new();
        for result in finished {
            match result {
                Ok((job, Ok(()))) => sent.push(job.recipient_id),
                Ok((job, Err(failure))) => {
                    self.record(
                        vec![job.recipient_id],
                        job.attempts,
                        Err(failure),
                        Channel::Email,
                    )
                    .await?;
                }
                // A panicked send leaves its row claimed; the lease brings it back.
                Err(error) => tracing::error!(%error, "an email send task failed"),
            }
        }
        let count = sent.len();
        if count > 0 {
            self.record(sent, 0, Ok(()), Channel::Email).await?;
        }
        Ok(count)
    }

    /// Hands over every LINE batch due now; returns how many recipients were handed over.
    pub async fn line_pass(
        &self,
        multicast: &DefaultDirectRateLimiter,
        push: &DefaultDirectRateLimiter,
    ) -> Result<usize, StoreError> {
        let mut contents = Contents::default();
        let mut handed_over = 0;
        loop {
            let now = self.clock.now();
            let lease = now.checked_add(LEASE).unwrap_or(now);
            let batches = self
                .store
                .claim_line(&self.instance, now, lease, LINE_BATCHES)
                .await?;
            if batches.is_empty() {
                return Ok(handed_over);
            }
            let mut running: JoinSet<(LineBatch, Result<(), SendFailure>)> = JoinSet::new();
            let mut rate_limited = false;
            for batch in batches {
                if rate_limited {
                    // Put back what was claimed behind a 429: due again after the pause.
                    let failure = SendFailure::RateLimited {
                        message: "paused after a rate-limit answer".into(),
                        retry_after: None,
                    };
                    let ids = batch.recipients.iter().map(|(id, _)| *id).collect();
                    self.record(ids, batch.attempts, Err(failure), Channel::Line)
                        .await?;
                    continue;
                }
                while running.len() >= self.settings.line_concurrency.max(1) {
                    let (count, limited) = self.settle_line(&mut running).await?;
                    handed_over += count;
                    rate_limited |= limited;
                }
                let Some(content) = contents
                    .get(self.store.as_ref(), batch.delivery_id, &batch.lang)
                    .await?
                else {
                    let ids = batch.recipients.iter().map(|(id, _)| *id).collect();
                    let failure = SendFailure::Permanent("the delivery has no content".into());
                    self.record(ids, batch.attempts, Err(failure), Channel::Line)
                        .await?;
                    continue;
                };
                if batch.recipients.len() == 1 {
                    push.until_ready().await;
                } else {
                    multicast.until_ready().await;
                }
                let line = Arc::clone(&self.line);
                running.spawn(async move {
                    let messages = [text_message_with_replies(
                        &content.line_text,
                        &content.line_actions,
                    )];
                    let to: Vec<String> = batch
                        .recipients
                        .iter()
                        .map(|(_, user)| user.clone())
                        .collect();
                    let outcome = match to.as_slice() {
                        [one] => line.push(one, &messages, batch.batch_id).await,
                        many => line.multicast(many, &messages, batch.batch_id).await,
                    };
                    (batch, outcome.map_err(|error| error.failure()))
                });
            }
            while !running.is_empty() {
                let (count, limited) = self.settle_line(&mut running).await?;
                handed_over += count;
                rate_limited |= limited;
            }
            if rate_limited {
                return Ok(handed_over);
            }
        }
    }

    /// Commits one finished LINE request; says whether it was rate limited.
    async fn settle_line(
        &self,
        running: &mut JoinSet<(LineBatch, Result<(), SendFailure>)>,
    ) -> Result<(usize, bool), StoreError> {
        let Some(result) = running.join_next().await else {
            return Ok((0, false));
        };
        let (batch, outcome) = match result {
            Ok(done) => done,
            Err(error) => {
                tracing::error!(%error, "a LINE send task failed");
                return Ok((0, false));
            }
        };
        let limited = matches!(outcome, Err(SendFailure::RateLimited { .. }));
        let count = if outcome.is_ok() {
            batch.recipients.len()
        } else {
            0
        };
        let ids = batch.recipients.iter().map(|(id, _)| *id).collect();
        self.record(ids, batch.attempts, outcome, Channel::Line)
            .await?;
        Ok((count, limited))
    }

    async fn sleep_until_due(&self, channel: Channel, stop: &CancellationToken) -> bool {
        let sleep = match self.store.next_due(channel).await {
            Ok(Some(due)) => Duration::try_from(due.duration_since(self.clock.now()))
                .unwrap_or(Duration::ZERO)
                .min(IDLE_POLL),
            _ => IDLE_POLL,
        };
        tokio::select! {
            () = stop.cancelled() => false,
            () = self.wake.of(channel).notified() => true,
            () = tokio::time::sleep(sleep.max(Duration::from_millis(20))) => true,
        }
    }

    /// Runs both workers until `stop` is cancelled.
    pub async fn run(self, stop: CancellationToken) {
        match self
            .store
            .release_claims(&self.instance, self.clock.now())
            .await
        {
            Ok(count) if count > 0 => {
                tracing::info!(count, "took back notifications claimed before a restart")
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "releasing notification claims failed"),
        }
        let email = {
            let this = self.clone();
            let stop = stop.clone();
            async move {
                loop {
                    if let Err(error) = this.email_pass().await {
                        tracing::error!(%error, "email delivery pass failed");
                    }
                    if !this.sleep_until_due(Channel::Email, &stop).await {
                        return;
                    }
                }
            }
        };
        let line = async {
            let multicast = limiter(self.settings.multicast_per_second);
            let push = limiter(self.settings.push_per_second);
            loop {
                if let Err(error) = self.line_pass(&multicast, &push).await {
                    tracing::error!(%error, "LINE delivery pass failed");
                }
                if !self.sleep_until_due(Channel::Line, &stop).await {
                    return;
                }
            }
        };
        tokio::join!(email, line);
    }

    /// The time of the next due row on either channel (for tests).
    pub async fn next_due(&self) -> Result<Option<Timestamp>, StoreError> {
        let email = self.store.next_due(Channel::Email).await?;
        let line = self.store.next_due(Channel::Line).await?;
        Ok(email.into_iter().chain(line).min())
    }
}
