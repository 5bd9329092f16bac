//! SMTP connections of the portal's own pool, with `TCP_NODELAY` set.
//!
//! lettre's pooled transport opens its sockets without `TCP_NODELAY`, and it writes a
//! message's body and its closing `.` in two writes: the second waits for the server's delayed
//! ACK (40 ms on Linux), so each connection hands over at most ~25 mails a second (measured
//! 157 mails/s with eight connections; see BENCHMARKS.md). This pool opens the TCP connection
//! itself, sets `TCP_NODELAY`, and hands it to lettre's SMTP client
//! (`AsyncSmtpConnection::connect_with_transport`) for the protocol: EHLO, STARTTLS, AUTH,
//! MAIL/RCPT/DATA. Used for `smtp://` URLs (plain, or STARTTLS with `?tls=required`);
//! `smtps://` stays on lettre's own transport.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use async_trait::async_trait;
use lettre::transport::smtp::{
    authentication::{Credentials, Mechanism},
    client::{AsyncSmtpConnection, TlsParameters},
    extension::ClientId,
};

use super::{MailError, MailTransport, build_message};
use crate::store::OutgoingMail;

/// Idle connections kept for reuse.
const MAX_IDLE: usize = 64;
/// A connection idle for longer is checked with NOOP before it is used again.
const CHECK_AFTER: Duration = Duration::from_secs(5);
/// Connecting, and each SMTP exchange, gives up after this (below the outbox leases).
const TIMEOUT: Duration = Duration::from_secs(30);

/// Where and how to connect, from an `smtp://` URL.
#[derive(Clone)]
pub struct Relay {
    host: String,
    port: u16,
    starttls: bool,
    credentials: Option<Credentials>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("starttls", &self.starttls)
            .field("credentials", &self.credentials.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Relay {
    /// Reads `smtp://[USER:PASS@]HOST[:PORT][?tls=required]`; `None` for any other scheme.
    pub fn from_url(url: &str) -> Result<Option<Self>, MailError> {
        let parsed =
            url::Url::parse(url).map_err(|error| MailError::Build(format!("SMTP URL: {error}")))?;
        if parsed.scheme() != "smtp" {
            return Ok(None);
        }
        let host = parsed
            .host_str()
            .ok_or_else(|| MailError::Build("SMTP URL: no host".into()))?
            .to_owned();
        let starttls = parsed
            .query_pairs()
            .any(|(key, value)| key == "tls" && value == "required");
        let decode = |text: &str| {
            url::form_urlencoded::parse(format!("x={text}").as_bytes())
                .next()
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default()
        };
        let credentials = (!parsed.username().is_empty()).then(|| {
            Credentials::new(
                decode(parsed.username()),
                decode(parsed.password().unwrap_or_default()),
            )
        });
        Ok(Some(Self {
            port: parsed.port().unwrap_or(if starttls { 587 } else { 25 }),
            host,
            starttls,
            credentials,
        }))
    }
}

struct Idle {
    connection: AsyncSmtpConnection,
    since: Instant,
}

/// A pool of SMTP connections to one relay.
pub struct NoDelaySmtp {
    relay: Relay,
    from: String,
    hello: ClientId,
    idle: Mutex<Vec<Idle>>,
}

fn transient(error: impl std::fmt::Display) -> MailError {
    MailError::Transport(error.to_string())
}

impl NoDelaySmtp {
    /// A pool for `relay` sending as `from`. Connections open when needed.
    pub fn new(relay: Relay, from: String) -> Self {
        Self {
            relay,
            from,
            hello: ClientId::default(),
            idle: Mutex::new(Vec::new()),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, MailError> {
        let address = (self.relay.host.as_str(), self.relay.port);
        let stream = tokio::time::timeout(TIMEOUT, tokio::net::TcpStream::connect(address))
            .await
            .map_err(|_| transient("SMTP connect timed out"))?
            .map_err(transient)?;
        stream.set_nodelay(true).map_err(transient)?;
        let mut connection =
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
                .await
                .map_err(transient)?;
        if self.relay.starttls {
            let tls = TlsParameters::new(self.relay.host.clone()).map_err(transient)?;
            connection
                .starttls(tls, &self.hello)
                .await
                .map_err(transient)?;
        }
        if let Some(credentials) = &self.relay.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|error| MailError::Transport(format!("SMTP AUTH: {error}")))?;
        }
        Ok(connection)
    }

    /// An idle connection that still answers, or a new one.
    async fn take(&self) -> Result<(AsyncSmtpConnection, bool), MailError> {
        loop {
            let idle = self
                .idle
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .pop();
            let Some(mut idle) = idle else {
                return Ok((self.connect().await?, false));
            };
            if idle.since.elapsed() < CHECK_AFTER || idle.connection.test_connected().await {
                return Ok((idle.connection, true));
            }
        }
    }

    fn give_back(&self, connection: AsyncSmtpConnection) {
        if connection.has_broken() {
            return;
        }
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(Idle {
                connection,
                since: Instant::now(),
            });
        }
    }
}

#[async_trait]
impl MailTransport for NoDelaySmtp {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = build_message(&self.from, mail)?;
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        // A reused connection the relay closed meanwhile fails at once: try once more on a
        // fresh one before calling it a failure.
        for _ in 0..2 {
            let (mut connection, reused) = self.take().await?;
            match tokio::time::timeout(TIMEOUT, connection.send(&envelope, &bytes)).await {
                Ok(Ok(_)) => {
                    self.give_back(connection);
                    return Ok(());
                }
                Ok(Err(error)) if error.is_permanent() => {
                    self.give_back(connection);
                    return Err(MailError::Permanent(error.to_string()));
                }
                Ok(Err(error)) if !reused || !connection.has_broken() => {
                    return Err(transient(error));
                }
                Ok(Err(_)) => continue,
                Err(_) => return Err(transient("SMTP send timed out")),
            }
        }
        Err(transient("SMTP connection lost twice"))
    }

    fn name(&self) -> &'static str {
        "smtp"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_read_and_others_left_to_lettre() {
        let plain = Relay::from_url("smtp://127.0.0.1:2525").unwrap().unwrap();
        assert_eq!(
            (plain.host.as_str(), plain.port, plain.starttls),
            ("127.0.0.1", 2525, false)
        );
        assert!(plain.credentials.is_none());
        let tls = Relay::from_url("smtp://user%40city:p%26ss@relay.example.jp?tls=required")
            .unwrap()
            .unwrap();
        assert_eq!((tls.port, tls.starttls), (587, true));
        assert_eq!(
            tls.credentials,
            Some(Credentials::new("user@city".into(), "p&ss".into()))
        );
        assert!(format!("{tls:?}").contains('…') && !format!("{tls:?}").contains("p&ss"));
        assert!(
            Relay::from_url("smtps://relay.example.jp")
                .unwrap()
                .is_none()
        );
        assert!(Relay::from_url("not a url").is_err());
    }
}
