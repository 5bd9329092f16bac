//! Outgoing mail: composing it ([`compose`]), the transports that hand it over ([`MailTransport`]:
//! SMTP through lettre, or `.eml` files), and the worker that drains the durable outbox
//! ([`worker`]).

pub mod compose;
pub mod file;
pub mod smtp;
pub mod smtp_pool;
pub mod worker;

use async_trait::async_trait;
use lettre::{Message, message::MultiPart};

use crate::store::OutgoingMail;

/// Why a mail could not be handed over.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The mail could not be built (a bad address in the outbox).
    #[error("cannot build mail: {0}")]
    Build(String),
    /// The transport refused or failed; worth retrying.
    #[error("transport: {0}")]
    Transport(String),
    /// The recipient was refused permanently (SMTP 5xx); retrying will not help.
    #[error("refused: {0}")]
    Permanent(String),
}

/// Hands a finished mail to the next hop.
#[async_trait]
pub trait MailTransport: Send + Sync + 'static {
    /// Delivers one mail. Must be safe to call again for the same mail after a crash: the file
    /// transport overwrites the same file, SMTP resends with the same Message-ID.
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;

    /// A short name for logs and metrics.
    fn name(&self) -> &'static str;
}

/// Builds the RFC 5322 message: multipart/alternative with a text and an HTML part, UTF-8,
/// with a Message-ID and Date derived from the outbox row so a resend is the same message.
pub fn build_message(from: &str, mail: &OutgoingMail) -> Result<Message, MailError> {
    let from: lettre::message::Mailbox = from
        .parse()
        .map_err(|error| MailError::Build(format!("from address: {error}")))?;
    let to = mail
        .to
        .parse()
        .map_err(|error| MailError::Build(format!("to address: {error}")))?;
    let domain = from.email.domain().to_owned();
    let date = std::time::SystemTime::UNIX_EPOCH
        + std::time::Duration::from_secs(u64::try_from(mail.created_at.as_second()).unwrap_or(0));
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", mail.mail_id)))
        .date(date)
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|error| MailError::Build(error.to_string()))
}
