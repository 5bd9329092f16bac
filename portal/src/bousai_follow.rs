//! After an alert is sent: its delivery's progress for the disaster office, cancelling it (a
//! 取消 notice in every language to everyone it targets), citizens' one-tap answers and their
//! tally by area, and the alerts the public pages show.

use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::{
    alerts::{Answer, AnswerRecord, AreaId, Language, Tally, cancel::cancel_text, tally},
    bousai::Bousai,
    bousai_send::{SendError, draft_of, draft_text_json, require_staff},
    domain::AccountId,
    notify::Notifier,
    store::{
        Account, AlertMsgType, AlertStatus, DeliverySummary, StoreError, StoredAlert, StoredAnswer,
    },
};

/// How long an alert stays on the top page's banner after it is sent.
pub const BANNER_HOURS: i64 = 24;

/// The answers to an alert as the office sees them.
#[derive(Debug, Clone)]
pub struct Answers {
    /// By area, with the total.
    pub tally: Tally<AccountId>,
    /// Those whose latest answer is 助けが必要, longest waiting first.
    pub need_help: Vec<StoredAnswer>,
}

impl Bousai {
    /// One alert, for staff (pending ones included).
    pub async fn staff_alert(&self, by: &Account, id: Uuid) -> Result<StoredAlert, SendError> {
        require_staff(by)?;
        self.log().alert(id).await?.ok_or(SendError::NotFound)
    }

    /// The newest alerts, for staff.
    pub async fn staff_alerts(&self, by: &Account) -> Result<Vec<StoredAlert>, SendError> {
        require_staff(by)?;
        Ok(self.log().alerts(100).await?)
    }

    /// An alert's delivery counts per channel, once its delivery is made.
    pub async fn progress(
        &self,
        by: &Account,
        id: Uuid,
        notifier: &Notifier,
    ) -> Result<Option<DeliverySummary>, SendError> {
        require_staff(by)?;
        let Some(delivery) = self.log().alert_delivery(id).await? else {
            return Ok(None);
        };
        Ok(notifier.summary(delivery).await?)
    }

    /// Cancels a sent alert: it leaves the banner, and everyone it targets gets a 取消
    /// notice in their language. Returns the notice's id.
    pub async fn cancel(
        &self,
        by: &Account,
        id: Uuid,
        notifier: &Notifier,
    ) -> Result<Uuid, SendError> {
        require_staff(by)?;
        let alert = self.log().alert(id).await?.ok_or(SendError::NotFound)?;
        if alert.status != AlertStatus::Sent || alert.msg_type == AlertMsgType::Cancel {
            return Err(SendError::WrongStatus(alert.status));
        }
        let now = self.now();
        let draft = draft_of(&alert)?;
        let notice = StoredAlert {
            alert_id: Uuid::now_v7(),
            msg_type: AlertMsgType::Cancel,
            refers_to: Some(id),
            status: AlertStatus::Approved,
            texts: alert
                .texts
                .iter()
                .map(|(code, title, _)| {
                    let text = cancel_text(Language::parse_or_japanese(code), title);
                    (code.clone(), text.title, text.body)
                })
                .collect(),
            draft_text: draft_text_json(&draft),
            issued_at: now,
            created_by: by.account_id,
            created_at: now,
            approved_by: None,
            sent_at: None,
            recipients: 0,
            cancelled_at: None,
            withdrawn: 0,
            ..alert
        };
        let notice_id = notice.alert_id;
        if !self
            .log()
            .cancel_alert(id, by.account_id, now, notice)
            .await?
        {
            return Err(SendError::WrongStatus(AlertStatus::Cancelled));
        }
        tracing::info!(alert_id = %id, notice = %notice_id, by = %by.account_id, "alert cancelled");
        self.deliver(notice_id, notifier).await?;
        Ok(notice_id)
    }

    /// An alert as the public sees it: sent or cancelled (never one still pending).
    pub async fn public_alert(&self, id: Uuid) -> Result<Option<StoredAlert>, StoreError> {
        Ok(self
            .log()
            .alert(id)
            .await?
            .filter(|alert| matches!(alert.status, AlertStatus::Sent | AlertStatus::Cancelled)))
    }

    /// The newest alerts the public sees (the alert list and the Atom feed).
    pub async fn public_alerts(&self, limit: usize) -> Result<Vec<StoredAlert>, StoreError> {
        let mut alerts = self.log().alerts(500).await?;
        alerts.retain(|a| matches!(a.status, AlertStatus::Sent | AlertStatus::Cancelled));
        alerts.truncate(limit);
        Ok(alerts)
    }

    /// What the top page's banner shows: alerts sent in the last [`BANNER_HOURS`] that are
    /// still in force — not cancelled, not a 取消, and not followed by a 続報 (the 続報 shows).
    pub async fn banner(&self) -> Result<Vec<StoredAlert>, StoreError> {
        let since = self.now() - SignedDuration::from_hours(BANNER_HOURS);
        let alerts = self.log().alerts(200).await?;
        let followed: Vec<Uuid> = alerts
            .iter()
            .filter(|a| matches!(a.status, AlertStatus::Sent | AlertStatus::Cancelled))
            .filter_map(|a| a.refers_to)
            .collect();
        Ok(alerts
            .into_iter()
            .filter(|a| a.status == AlertStatus::Sent && a.msg_type != AlertMsgType::Cancel)
            .filter(|a| a.sent_at.is_some_and(|at| at >= since))
            .filter(|a| !followed.contains(&a.alert_id))
            .collect())
    }

    /// A citizen's answer to a sent alert, for `area` (or else their first registered area).
    pub async fn answer(
        &self,
        citizen: AccountId,
        id: Uuid,
        answer: Answer,
        area: Option<u32>,
    ) -> Result<(), SendError> {
        let alert = self.log().alert(id).await?.ok_or(SendError::NotFound)?;
        if alert.status != AlertStatus::Sent || alert.msg_type == AlertMsgType::Cancel {
            return Err(SendError::WrongStatus(alert.status));
        }
        let areas = self.areas().await?;
        let area = match area {
            Some(area) if areas.contains(AreaId(area)) => Some(area),
            Some(_) => return Err(SendError::NotFound),
            None => self
                .setting(citizen)
                .await?
                .only_my_areas()
                .and_then(|choices| choices.first())
                .map(|choice| choice.area.0),
        };
        self.log()
            .save_answer(id, citizen, answer.code(), area, self.now())
            .await?;
        Ok(())
    }

    /// A citizen's answer to an alert, if they gave one: (answer, area).
    pub async fn answer_of(
        &self,
        citizen: AccountId,
        id: Uuid,
    ) -> Result<Option<(Answer, Option<u32>)>, StoreError> {
        Ok(self
            .log()
            .answer_of(id, citizen)
            .await?
            .and_then(|(code, area)| Some((Answer::parse(&code)?, area))))
    }

    /// The answers to an alert, tallied by area, and who needs help.
    pub async fn answers(&self, by: &Account, id: Uuid) -> Result<Answers, SendError> {
        require_staff(by)?;
        let rows = self.log().answers(id).await?;
        let tally = tally(rows.iter().filter_map(|row| {
            Some(AnswerRecord {
                citizen: row.account_id,
                area: row.area.map(AreaId),
                answer: Answer::parse(&row.answer)?,
                at: row.at,
            })
        }));
        let mut need_help: Vec<StoredAnswer> = rows
            .into_iter()
            .filter(|row| row.answer == Answer::NeedHelp.code())
            .collect();
        need_help.sort_by_key(|row| row.at);
        Ok(Answers { tally, need_help })
    }
}

/// When an alert was sent or cancelled, for lists: its sending time, else its writing time.
pub fn shown_at(alert: &StoredAlert) -> Timestamp {
    alert.sent_at.unwrap_or(alert.created_at)
}

#[async_trait::async_trait]
impl crate::line::linking::AnswerSink for Bousai {
    async fn answer(
        &self,
        account: AccountId,
        alert: Uuid,
        answer: &str,
    ) -> Result<String, StoreError> {
        let language = self
            .setting(account)
            .await
            .map_or(Language::Ja, |setting| setting.language());
        let words = crate::alerts::answer_words::answer_words(language);
        let Some(answer) = Answer::parse(answer) else {
            return Ok(words.closed.to_owned());
        };
        match Bousai::answer(self, account, alert, answer, None).await {
            Ok(()) => Ok(format!(
                "{}{}\n{}",
                words.yours,
                answer.label(language),
                words.saved
            )),
            Err(SendError::Store(error)) => Err(error),
            Err(_) => Ok(words.closed.to_owned()),
        }
    }
}
