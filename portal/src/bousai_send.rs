//! Writing and sending an alert. A draft is composed in every language at once and kept
//! (承認待ち when a second staff member must approve it); once approved it is sent: its
//! recipients chosen by the targeting rules from every citizen's 防災情報の通知設定, and one
//! delivery through the engine with a content per language. The alert is kept before its
//! delivery is made and marked sent after, and its delivery's source is the alert, so a crash
//! anywhere between is resumed ([`Bousai::resume`]) without sending anything twice.

use std::time::Instant;

use uuid::Uuid;

pub use crate::bousai_draft::{draft_of, draft_text_json};

use crate::{
    alerts::{
        AlertDraft, AlertTarget, ComposedAlert, DraftError, Language, Setting, choose_recipients,
        compose,
    },
    bousai::{Bousai, BousaiError},
    domain::{AccountId, Role, notify::Service},
    i18n::Lang,
    notify::{Notice, Notifier},
    store::{Account, AlertMsgType, AlertStatus, Audience, Source, StoreError, StoredAlert},
};

/// Why an alert was not written, approved, sent or cancelled.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The draft was refused (the message is in the error, in both languages).
    #[error("{0}")]
    Draft(DraftError),
    /// Not disaster office staff.
    #[error("not disaster office staff")]
    Forbidden,
    /// No such alert.
    #[error("no such alert")]
    NotFound,
    /// The alert is not where the action needs it (approve a sent one, cancel a pending one).
    #[error("the alert is {0:?}")]
    WrongStatus(AlertStatus),
    /// The one who wrote an alert cannot approve it.
    #[error("approval must come from another staff member")]
    OwnAlert,
    /// The areas or the store failed.
    #[error(transparent)]
    Bousai(#[from] BousaiError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The page language whose mail layout a message in `language` is framed in.
fn layout(language: Language) -> Lang {
    match language {
        Language::Ja | Language::JaEasy => Lang::Ja,
        _ => Lang::En,
    }
}

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

/// The disaster office or an admin.
pub(crate) fn require_staff(by: &Account) -> Result<(), SendError> {
    if by.has_role(Role::Disaster) || by.has_role(Role::Admin) {
        Ok(())
    } else {
        Err(SendError::Forbidden)
    }
}

impl Bousai {
    /// The draft in every language, as citizens would read it (the preview).
    pub async fn preview(&self, draft: &AlertDraft) -> Result<ComposedAlert, SendError> {
        compose(draft, self.catalog(), &self.areas().await?).map_err(SendError::Draft)
    }

    /// Writes an alert (a first one, or a 続報 of `refers_to`): composed and checked, kept,
    /// and sent now unless a second staff member must approve it. Returns its id.
    pub async fn create(
        &self,
        by: &Account,
        draft: &AlertDraft,
        refers_to: Option<Uuid>,
        notifier: &Notifier,
    ) -> Result<Uuid, SendError> {
        require_staff(by)?;
        if let Some(earlier) = refers_to {
            let earlier = self
                .log()
                .alert(earlier)
                .await?
                .ok_or(SendError::NotFound)?;
            if earlier.status != AlertStatus::Sent {
                return Err(SendError::WrongStatus(earlier.status));
            }
        }
        let composed =
            compose(draft, self.catalog(), &self.areas().await?).map_err(SendError::Draft)?;
        let alert_id = Uuid::now_v7();
        let status = if self.settings().require_approval {
            AlertStatus::Pending
        } else {
            AlertStatus::Approved
        };
        self.log()
            .insert_alert(StoredAlert {
                alert_id,
                msg_type: refers_to.map_or(AlertMsgType::Alert, |_| AlertMsgType::Update),
                refers_to,
                status,
                kind: draft.kind.clone(),
                target: serde_json::to_string(&draft.target).map_err(corrupt)?,
                shelters: draft.shelters.clone(),
                draft_text: draft_text_json(draft),
                texts: composed
                    .texts
                    .iter()
                    .map(|(l, t)| (l.code().to_owned(), t.title.clone(), t.body.clone()))
                    .collect(),
                issued_at: draft.issued_at,
                created_by: by.account_id,
                created_at: self.now(),
                approved_by: None,
                sent_at: None,
                recipients: 0,
                cancelled_at: None,
                withdrawn: 0,
            })
            .await?;
        tracing::info!(%alert_id, kind = %draft.kind, status = status.code(), by = %by.account_id, "alert written");
        if status == AlertStatus::Approved {
            self.deliver(alert_id, notifier).await?;
        }
        Ok(alert_id)
    }

    /// A second staff member approves a pending alert, which is then sent.
    pub async fn approve(
        &self,
        by: &Account,
        alert_id: Uuid,
        notifier: &Notifier,
    ) -> Result<(), SendError> {
        require_staff(by)?;
        let alert = self
            .log()
            .alert(alert_id)
            .await?
            .ok_or(SendError::NotFound)?;
        if alert.created_by == by.account_id {
            return Err(SendError::OwnAlert);
        }
        if !self.log().approve_alert(alert_id, by.account_id).await? {
            return Err(SendError::WrongStatus(alert.status));
        }
        tracing::info!(%alert_id, by = %by.account_id, "alert approved");
        self.deliver(alert_id, notifier).await
    }

    /// Sends every approved alert a crash left unsent (each once: the delivery's source is
    /// the alert). Run at start and by the dispatcher.
    pub async fn resume(&self, notifier: &Notifier) -> Result<usize, SendError> {
        let unsent = self.log().unsent_alerts().await?;
        for alert_id in &unsent {
            self.deliver(*alert_id, notifier).await?;
        }
        Ok(unsent.len())
    }

    /// Sends an approved alert to everyone its target reaches, each in their language.
    pub(crate) async fn deliver(
        &self,
        alert_id: Uuid,
        notifier: &Notifier,
    ) -> Result<(), SendError> {
        let started = Instant::now();
        let alert = self
            .log()
            .alert(alert_id)
            .await?
            .ok_or(SendError::NotFound)?;
        if alert.status != AlertStatus::Approved {
            return Ok(());
        }
        let target: AlertTarget = serde_json::from_str(&alert.target).map_err(corrupt)?;
        let languages = alert
            .texts
            .iter()
            .filter_map(|(code, _, _)| Language::parse(code))
            .collect();
        let audience = self.store().alert_audience().await?;
        let settings: Vec<(AccountId, Setting)> = audience
            .into_iter()
            .map(|(account, stored)| (account, self.setting_of(stored)))
            .collect();
        let chosen = choose_recipients(
            &target,
            languages,
            settings
                .iter()
                .map(|(account, setting)| (*account, setting)),
        );
        let choose_ms = started.elapsed().as_secs_f64() * 1000.0;
        let recipients = chosen.len() as u64;
        let audience = Audience::AccountsIn(
            chosen
                .into_iter()
                .map(|(account, language)| (account, language.code().to_owned()))
                .collect(),
        );
        let contents = self.contents(&alert, notifier)?;
        let title = alert
            .texts
            .first()
            .map(|(_, title, _)| title.clone())
            .unwrap_or_default();
        notifier
            .deliver_contents(
                "alert",
                Service::Bousai,
                Source::Other("alert", alert_id),
                &title,
                contents,
                audience,
            )
            .await?;
        self.log()
            .mark_alert_sent(alert_id, recipients, self.now())
            .await?;
        let total_ms = started.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(%alert_id, kind = %alert.kind, recipients, choose_ms, total_ms, "alert sent");
        Ok(())
    }

    /// The alert's message rendered for mail and LINE, one per language.
    fn contents(
        &self,
        alert: &StoredAlert,
        notifier: &Notifier,
    ) -> Result<Vec<crate::store::Content>, SendError> {
        let read_url = format!("{}/bousai/alerts/{}", notifier.base_url(), alert.alert_id);
        let date = crate::clock::tokyo_date_time(alert.issued_at);
        let mut contents = Vec::new();
        for (code, title, body) in &alert.texts {
            let language = Language::parse_or_japanese(code);
            let notice = Notice {
                service: Service::Bousai,
                sender: self
                    .catalog()
                    .kind(&alert.kind)
                    .map_or_else(|| alert.kind.clone(), |kind| kind.name(language).to_owned()),
                title: title.clone(),
                body: body.clone(),
                link: None,
                attachment: None,
                read_url: read_url.clone(),
                urgent: true,
                date: date.clone(),
            };
            let mut content = notifier.render(&notice, layout(language))?;
            content.lang = language.code().to_owned();
            if alert.msg_type != AlertMsgType::Cancel {
                // One tap under the LINE message answers, as on the alert's page.
                content.line_actions = crate::alerts::Answer::ALL
                    .iter()
                    .map(|answer| crate::store::LineAction {
                        label: answer.label(language).to_owned(),
                        data: crate::line::webhook::answer_postback(alert.alert_id, answer.code()),
                    })
                    .collect();
            }
            contents.push(content);
        }
        Ok(contents)
    }
}

/// Sends what a crash left approved and unsent, with the other dispatchers.
pub struct Resume {
    /// The service.
    pub bousai: Bousai,
    /// The delivery engine.
    pub notifier: Notifier,
}

#[async_trait::async_trait]
impl crate::notify::Dispatch for Resume {
    fn name(&self) -> &'static str {
        "alerts"
    }

    async fn dispatch(&self) -> Result<usize, StoreError> {
        match self.bousai.resume(&self.notifier).await {
            Ok(count) => Ok(count),
            Err(SendError::Store(error)) => Err(error),
            Err(error) => Err(StoreError::Corrupt(error.to_string())),
        }
    }
}
