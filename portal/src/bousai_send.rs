//! Sending an alert: the draft composed in every language at once, its recipients chosen by
//! the targeting rules from every citizen's 防災情報の通知設定 (the 初期設定 for those who never
//! saved one), each in their language, and one delivery through the engine with a content per
//! language — made once, however often the send is retried (its source is the alert).

use uuid::Uuid;

use crate::{
    alerts::{AlertDraft, DraftError, Language, Setting, choose_recipients, compose},
    bousai::{Bousai, BousaiError},
    domain::{Role, notify::Service},
    i18n::Lang,
    notify::{Notice, Notifier},
    store::{Account, Audience, SentAlert, Source, StoreError},
};

/// Why an alert was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The draft was refused (the message is in the error, in both languages).
    #[error("{0}")]
    Draft(DraftError),
    /// Not disaster office staff.
    #[error("not disaster office staff")]
    Forbidden,
    /// The areas or the store failed.
    #[error(transparent)]
    Bousai(#[from] BousaiError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An alert sent: its id and how many citizens it was chosen for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// The alert's id.
    pub alert_id: Uuid,
    /// Citizens chosen.
    pub recipients: u64,
}

/// The page language whose mail layout a message in `language` is framed in.
fn layout(language: Language) -> Lang {
    match language {
        Language::Ja | Language::JaEasy => Lang::Ja,
        _ => Lang::En,
    }
}

impl Bousai {
    /// Composes `draft` and sends it now to everyone it targets (the disaster office or
    /// admins).
    pub async fn send(
        &self,
        by: &Account,
        draft: &AlertDraft,
        notifier: &Notifier,
    ) -> Result<Sent, SendError> {
        if !(by.has_role(Role::Disaster) || by.has_role(Role::Admin)) {
            return Err(SendError::Forbidden);
        }
        let areas = self.areas().await?;
        let composed = compose(draft, self.catalog(), &areas).map_err(SendError::Draft)?;
        let audience = self.store().alert_audience().await?;
        let settings: Vec<(crate::domain::AccountId, Setting)> = audience
            .into_iter()
            .map(|(account, stored)| (account, self.setting_of(stored)))
            .collect();
        let chosen = choose_recipients(
            &draft.target,
            composed.languages(),
            settings
                .iter()
                .map(|(account, setting)| (*account, setting)),
        );
        let alert_id = Uuid::now_v7();
        let read_url = format!("{}/bousai/alerts/{alert_id}", notifier.base_url());
        let date = crate::clock::tokyo_date_time(draft.issued_at);
        let mut contents = Vec::new();
        let mut texts = Vec::new();
        for (language, text) in composed.texts.iter() {
            let notice = Notice {
                service: Service::Bousai,
                sender: self
                    .catalog()
                    .kind(&draft.kind)
                    .map_or_else(|| draft.kind.clone(), |kind| kind.name(language).to_owned()),
                title: text.title.clone(),
                body: text.body.clone(),
                link: None,
                attachment: None,
                read_url: read_url.clone(),
                urgent: true,
                date: date.clone(),
            };
            let mut content = notifier.render(&notice, layout(language))?;
            content.lang = language.code().to_owned();
            contents.push(content);
            texts.push((
                language.code().to_owned(),
                text.title.clone(),
                text.body.clone(),
            ));
        }
        let recipients = chosen.len() as u64;
        let title = texts
            .first()
            .map(|(_, title, _)| title.clone())
            .unwrap_or_default();
        let audience = Audience::AccountsIn(
            chosen
                .into_iter()
                .map(|(account, language)| (account, language.code().to_owned()))
                .collect(),
        );
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
        self.store()
            .save_sent_alert(SentAlert {
                alert_id,
                kind: draft.kind.clone(),
                target: serde_json::to_string(&draft.target)
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?,
                shelters: draft.shelters.clone(),
                texts,
                issued_at: draft.issued_at,
                sent_by: by.account_id,
                sent_at: self.now(),
                recipients,
            })
            .await?;
        tracing::info!(%alert_id, kind = %draft.kind, recipients, by = %by.account_id, "alert sent");
        Ok(Sent {
            alert_id,
            recipients,
        })
    }
}
