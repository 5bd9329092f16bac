//! The worker between the counter and the library system: it takes the counter's [`Job`]s in
//! order from an unbounded channel (a scan is never dropped, however fast the books come) and
//! answers each with an [`Answer`].
//!
//! When the library system cannot be reached, or answers garbage, a lending or return is
//! recorded in the offline [`Queue`] (due in [`WorkerSettings::loan_days`]) and answered as
//! queued; the patron is taken on trust. While anything waits in the queue, new transactions
//! join it behind, so the library system learns them in the order they happened; the queue is
//! replayed every [`WorkerSettings::replay_every`] and before each transaction.

use std::{sync::Arc, time::Duration};

use jiff::{Timestamp, ToSpan};
use tokio::sync::mpsc;

use super::{
    CircError, Circulation,
    counter::{Answer, Job},
    queue::{Kind, Queue},
};

/// The worker's settings.
#[derive(Debug, Clone, Copy)]
pub struct WorkerSettings {
    /// Days a book lent offline is due after (the library's loan period).
    pub loan_days: i32,
    /// How often waiting offline transactions are tried again.
    pub replay_every: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            loan_days: 14,
            replay_every: Duration::from_secs(10),
        }
    }
}

/// Starts the worker on the runtime: send it jobs, receive its answers in the same order.
pub fn spawn(
    ils: Box<dyn Circulation>,
    queue: Arc<Queue>,
    settings: WorkerSettings,
) -> (mpsc::UnboundedSender<Job>, mpsc::UnboundedReceiver<Answer>) {
    let (jobs, job_rx) = mpsc::unbounded_channel();
    let (answer_tx, answers) = mpsc::unbounded_channel();
    tokio::spawn(run(ils, queue, settings, job_rx, answer_tx));
    (jobs, answers)
}

async fn run(
    mut ils: Box<dyn Circulation>,
    queue: Arc<Queue>,
    settings: WorkerSettings,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    answers: mpsc::UnboundedSender<Answer>,
) {
    let mut tick = tokio::time::interval(settings.replay_every);
    loop {
        tokio::select! {
            job = jobs.recv() => {
                let Some(job) = job else { return };
                tracing::debug!(?job, "circulation job");
                let answer = match handle(ils.as_mut(), &queue, settings, job).await {
                    Ok(answer) => answer,
                    Err(error) => {
                        // The kiosk's own disk failed: nothing can be promised to the patron.
                        tracing::error!(%error, "offline circulation store failed");
                        continue;
                    }
                };
                if answers.send(answer).is_err() {
                    return;
                }
            }
            _ = tick.tick() => {
                if let Err(error) = replay(ils.as_mut(), &queue).await {
                    tracing::error!(%error, "replaying offline circulation failed");
                }
            }
        }
    }
}

/// Replays what waits; whether the queue is empty afterwards.
async fn replay(ils: &mut dyn Circulation, queue: &Queue) -> rusqlite::Result<bool> {
    let replayed = queue.replay(ils).await?;
    if replayed.done + replayed.conflicts > 0 {
        tracing::info!(
            done = replayed.done,
            conflicts = replayed.conflicts,
            waiting = replayed.waiting,
            "offline circulation replayed"
        );
    }
    Ok(replayed.waiting == 0)
}

async fn handle(
    ils: &mut dyn Circulation,
    queue: &Queue,
    settings: WorkerSettings,
    job: Job,
) -> rusqlite::Result<Answer> {
    let now = Timestamp::now().to_zoned(super::library_zone());
    let due = now
        .date()
        .checked_add(settings.loan_days.days())
        .unwrap_or_else(|_| now.date());
    let in_order = replay(ils, queue).await?;
    let offline = |kind: Kind, card: &str, item: &str, why: &str| -> rusqlite::Result<Answer> {
        let due = if kind == Kind::Return {
            now.date()
        } else {
            due
        };
        queue.push(kind, card, item, now.datetime(), due)?;
        tracing::warn!(item, why, "recorded offline");
        Ok(Answer::Queued(item.to_owned()))
    };
    match job {
        Job::Patron(card) => Ok(match ils.patron(&card).await {
            Ok(patron) => Answer::Patron(patron),
            Err(error) => {
                tracing::warn!(%error, "patron taken on trust");
                Answer::PatronOffline(card)
            }
        }),
        Job::Lend { card, item } if !in_order => offline(Kind::Lend, &card, &item, "queue waits"),
        Job::Return(item) if !in_order => offline(Kind::Return, "", &item, "queue waits"),
        Job::Renew { card, item } if !in_order => offline(Kind::Renew, &card, &item, "queue waits"),
        Job::Lend { card, item } => match ils.lend(&card, &item, None).await {
            Ok(lent) => Ok(Answer::Lent(lent)),
            Err(CircError::Refused(message)) => Ok(Answer::Refused { item, message }),
            Err(error) => offline(Kind::Lend, &card, &item, &error.to_string()),
        },
        Job::Renew { card, item } => match ils.renew(&card, &item, None).await {
            Ok(renewed) => Ok(Answer::Renewed(renewed)),
            Err(CircError::Refused(message)) => Ok(Answer::Refused { item, message }),
            Err(error) => offline(Kind::Renew, &card, &item, &error.to_string()),
        },
        Job::Return(item) => match ils.give_back(&item, None).await {
            Ok(returned) => Ok(Answer::Returned(returned)),
            Err(CircError::Refused(message)) => Ok(Answer::Refused { item, message }),
            Err(error) => offline(Kind::Return, "", &item, &error.to_string()),
        },
    }
}
