//! SMTP through lettre, with a pool of connections to the city's relay.

use async_trait::async_trait;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::{MailError, MailTransport, build_message};
use crate::store::OutgoingMail;

/// Sends through an SMTP relay named by a URL (`smtp://HOST:PORT`, `smtps://…`,
/// `smtp://HOST:587?tls=required`).
#[derive(Clone)]
pub struct SmtpTransport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
    from: String,
}

impl SmtpTransport {
    /// A transport for `url` with `from` as the From address. Connections are opened lazily.
    pub fn new(url: &str, from: String) -> Result<Self, MailError> {
        let inner = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| MailError::Build(format!("SMTP URL: {error}")))?
            // Below the outbox lease (worker::LEASE), so a slow relay cannot make a second
            // instance send the same mail.
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        Ok(Self { inner, from })
    }
}

#[async_trait]
impl MailTransport for SmtpTransport {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build_message(&self.from, mail)?;
        match self.inner.send(message).await {
            Ok(_) => Ok(()),
            Err(error) if error.is_permanent() => Err(MailError::Permanent(error.to_string())),
            Err(error) => Err(MailError::Transport(error.to_string())),
        }
    }

    fn name(&self) -> &'static str {
        "smtp"
    }
}
