//! The connection to the library system: SIP2 over TCP, or over TLS where the ILS offers it,
//! logged in once per connection, each request with the next sequence number and its checksum,
//! each answer awaited at most [`Sip2Settings::timeout`].
//!
//! An answer whose checksum fails is asked again ("97", request ACS resend), up to
//! [`RESENDS`] times. An answer that cannot be parsed or carries the wrong sequence number,
//! and any timeout or broken connection, drop the connection (the next request makes a new
//! one): the caller learns whether the library system said something it could not use
//! ([`LinkError::Garbage`]) or could not be reached ([`LinkError::Unreachable`]), which is
//! when a kiosk queues the transaction for later.

use std::{sync::Arc, time::Duration};

use serde::{Deserialize, Serialize};
use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader},
    net::TcpStream,
    time::timeout,
};

use super::{NoBlock, Request, Response, ResponseError};

/// How often an answer with a bad checksum is asked for again.
pub const RESENDS: usize = 2;

/// The longest answer line read; past this the answer is garbage (no SIP2 message comes near).
const MAX_LINE: u64 = 64 * 1024;

/// Where and how to reach the library system (`[library.sip2]` in the kiosk's configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sip2Settings {
    /// `host:port` of the ILS's SIP2 service.
    pub address: String,
    /// Use TLS (the ILS's certificate is checked against `ca_file` or the system's roots).
    #[serde(default)]
    pub tls: bool,
    /// A PEM file of the CA that signed the ILS's certificate, when it is not a public one.
    #[serde(default)]
    pub ca_file: Option<std::path::PathBuf>,
    /// The kiosk's SIP2 login (`CN`).
    pub user: String,
    /// Its password (`CO`).
    pub password: String,
    /// The institution id (`AO`).
    pub institution: String,
    /// Where the kiosk stands (`CP`, and `AP` of returns).
    pub location: String,
    /// How long to wait for the connection and for each answer. Default 5 s.
    #[serde(default = "default_timeout", with = "crate::circulation::secs")]
    pub timeout: Duration,
}

fn default_timeout() -> Duration {
    Duration::from_secs(5)
}

/// Why a request got no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// No connection, a timeout, or the connection broke: try again later.
    #[error("the library system cannot be reached: {0}")]
    Unreachable(String),
    /// The library system answered something that is not a usable SIP2 answer.
    #[error("the library system answered garbage: {0}")]
    Garbage(String),
    /// The library system refused the kiosk's login.
    #[error("the library system refused the kiosk's SIP2 login")]
    LoginRefused,
    /// A value cannot be sent in SIP2 (a `|` or a control character in it).
    #[error(transparent)]
    BadField(#[from] super::BadField),
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Stream for T {}

/// A SIP2 connection that (re)connects and logs in when needed.
pub struct Sip2Link {
    settings: Sip2Settings,
    tls: Option<tokio_rustls::TlsConnector>,
    connection: Option<BufReader<Box<dyn Stream>>>,
    next: u8,
}

impl Sip2Link {
    /// A link that connects on its first request.
    pub fn new(settings: Sip2Settings) -> Result<Self, LinkError> {
        let tls = if settings.tls {
            Some(tls_connector(settings.ca_file.as_deref())?)
        } else {
            None
        };
        Ok(Self {
            settings,
            tls,
            connection: None,
            next: 0,
        })
    }

    /// The settings.
    pub fn settings(&self) -> &Sip2Settings {
        &self.settings
    }

    /// Sends `request` (with `no_block` for a transaction done offline) and returns the answer.
    pub async fn ask(
        &mut self,
        request: &Request,
        no_block: Option<NoBlock>,
    ) -> Result<Response, LinkError> {
        if self.connection.is_none() {
            self.connect().await?;
        }
        let result = self.exchange(request, no_block).await;
        if result.is_err() {
            self.connection = None;
        }
        result
    }

    async fn connect(&mut self) -> Result<(), LinkError> {
        let wait = self.settings.timeout;
        let address = self.settings.address.clone();
        let tcp = timeout(wait, TcpStream::connect(&address))
            .await
            .map_err(|_| LinkError::Unreachable(format!("connecting to {address} timed out")))?
            .map_err(|error| LinkError::Unreachable(format!("{address}: {error}")))?;
        tcp.set_nodelay(true)
            .map_err(|error| LinkError::Unreachable(error.to_string()))?;
        let stream: Box<dyn Stream> = match &self.tls {
            Some(connector) => {
                let host = address
                    .rsplit_once(':')
                    .map_or(address.as_str(), |(h, _)| h);
                let name = rustls::pki_types::ServerName::try_from(host.to_owned())
                    .map_err(|error| LinkError::Unreachable(format!("{host}: {error}")))?;
                let tls = timeout(wait, connector.connect(name, tcp))
                    .await
                    .map_err(|_| LinkError::Unreachable("the TLS handshake timed out".into()))?
                    .map_err(|error| LinkError::Unreachable(format!("TLS: {error}")))?;
                Box::new(tls)
            }
            None => Box::new(tcp),
        };
        self.connection = Some(BufReader::new(stream));
        self.next = 0;
        let login = Request::Login {
            user: self.settings.user.clone(),
            password: self.settings.password.clone(),
            location: self.settings.location.clone(),
        };
        let answer = self.exchange(&login, None).await;
        match answer {
            Ok(answer) if answer.ok() => Ok(()),
            Ok(_) => {
                self.connection = None;
                Err(LinkError::LoginRefused)
            }
            Err(error) => {
                self.connection = None;
                Err(error)
            }
        }
    }

    async fn exchange(
        &mut self,
        request: &Request,
        no_block: Option<NoBlock>,
    ) -> Result<Response, LinkError> {
        let sequence = self.next;
        self.next = (self.next + 1) % 10;
        let now = jiff::Timestamp::now()
            .to_zoned(crate::circulation::library_zone())
            .datetime();
        let message =
            request.encode_offline(&self.settings.institution, now, Some(sequence), no_block)?;
        self.send(&message).await?;
        for _ in 0..=RESENDS {
            let line = self.read_line().await?;
            match Response::parse(&line) {
                Ok(answer) if answer.sequence == Some(sequence) => return Ok(answer),
                Ok(answer) => {
                    return Err(LinkError::Garbage(format!(
                        "answer to sequence {sequence} carries {:?}",
                        answer.sequence
                    )));
                }
                Err(ResponseError::Checksum) => self.send("97\r").await?,
                Err(error) => return Err(LinkError::Garbage(format!("{error}: {line:?}"))),
            }
        }
        Err(LinkError::Garbage(format!(
            "{} answers in a row failed their checksum",
            RESENDS + 1
        )))
    }

    async fn send(&mut self, message: &str) -> Result<(), LinkError> {
        let wait = self.settings.timeout;
        let stream = self
            .connection
            .as_mut()
            .ok_or_else(|| LinkError::Unreachable("not connected".into()))?;
        let write = async {
            stream.get_mut().write_all(message.as_bytes()).await?;
            stream.get_mut().flush().await
        };
        timeout(wait, write)
            .await
            .map_err(|_| LinkError::Unreachable("sending timed out".into()))?
            .map_err(|error| LinkError::Unreachable(error.to_string()))
    }

    /// One answer, up to its `\r` (a `\n` after it, which some servers send, is skipped).
    async fn read_line(&mut self) -> Result<String, LinkError> {
        let wait = self.settings.timeout;
        let stream = self
            .connection
            .as_mut()
            .ok_or_else(|| LinkError::Unreachable("not connected".into()))?;
        let mut bytes = Vec::new();
        let read = async {
            loop {
                bytes.clear();
                let mut limited = (&mut *stream).take(MAX_LINE);
                let n = limited.read_until(b'\r', &mut bytes).await?;
                let line: &[u8] = bytes.strip_prefix(b"\n").unwrap_or(&bytes);
                if n == 0 || !line.is_empty() {
                    return Ok::<usize, std::io::Error>(n);
                }
            }
        };
        let n = timeout(wait, read)
            .await
            .map_err(|_| LinkError::Unreachable("no answer in time".into()))?
            .map_err(|error| LinkError::Unreachable(error.to_string()))?;
        if n == 0 {
            return Err(LinkError::Unreachable("the library system hung up".into()));
        }
        if bytes.last() != Some(&b'\r') {
            return Err(LinkError::Garbage(format!(
                "an answer longer than {MAX_LINE} bytes"
            )));
        }
        let line = bytes.strip_prefix(b"\n").unwrap_or(&bytes);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        String::from_utf8(line.to_vec())
            .map_err(|_| LinkError::Garbage("an answer that is not UTF-8".into()))
    }
}

/// A TLS client that trusts `ca_file`, or the system's roots without one.
fn tls_connector(
    ca_file: Option<&std::path::Path>,
) -> Result<tokio_rustls::TlsConnector, LinkError> {
    let bad = |why: String| LinkError::Unreachable(format!("TLS setup: {why}"));
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| bad(format!("{}: {e}", path.display())))?;
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                roots
                    .add(cert.map_err(|e| bad(e.to_string()))?)
                    .map_err(|e| bad(e.to_string()))?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // A system root this TLS library cannot use is skipped, as browsers do.
                let _ = roots.add(cert);
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}
