//! A real SMTP server (Python's `aiosmtpd`) on loopback, and the mail it received.

use super::*;

/// A real SMTP server on 127.0.0.1: `python3 -m aiosmtpd` with the `Mailbox`
/// handler, which stores every accepted mail in a Maildir.
///
/// Killed (with its temporary directory removed) on drop.
pub struct SmtpServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
    log: PathBuf,
    _dir: TempDir,
}

/// One mail received by [`SmtpServer`], parsed.
#[derive(Debug, Clone)]
pub struct ParsedMail {
    /// The addresses of the `To:` header.
    pub to: Vec<String>,
    /// The envelope recipients (`RCPT TO`), as recorded by the server.
    pub rcpt_to: Vec<String>,
    /// The address of the `From:` header (empty if none).
    pub from: String,
    /// The decoded `Subject:` header (empty if none).
    pub subject: String,
    /// The first `text/plain` body, decoded (converted from HTML if the mail
    /// has only HTML; empty if it has neither).
    pub text: String,
    /// The first `text/html` body, decoded, if the mail has one.
    pub html: Option<String>,
    /// The `Message-ID:` header, without angle brackets (empty if none).
    pub message_id: String,
    /// The Maildir file the mail was read from.
    pub path: PathBuf,
}

impl ParsedMail {
    fn parse(path: &Path, raw: &[u8]) -> Result<Self> {
        use mail_parser::{MessageParser, PartType};
        let message = MessageParser::default()
            .parse(raw)
            .ok_or_else(|| anyhow!("{} is not a parsable mail", path.display()))?;
        let addresses = |address: Option<&mail_parser::Address<'_>>| -> Vec<String> {
            address
                .map(|a| {
                    a.iter()
                        .filter_map(|addr| addr.address().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default()
        };
        let rcpt_to = message
            .header_values("X-RcptTo")
            .filter_map(|v| v.as_text())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        let html = match message.html_part(0).map(|part| &part.body) {
            Some(PartType::Html(html)) => Some(html.to_string()),
            _ => None,
        };
        Ok(Self {
            to: addresses(message.to()),
            rcpt_to,
            from: addresses(message.from())
                .into_iter()
                .next()
                .unwrap_or_default(),
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message
                .body_text(0)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            html,
            message_id: message.message_id().unwrap_or_default().to_owned(),
            path: path.to_path_buf(),
        })
    }

    /// Whether `address` is a recipient (header `To:` or envelope), ignoring case.
    pub fn is_to(&self, address: &str) -> bool {
        self.to
            .iter()
            .chain(&self.rcpt_to)
            .any(|a| a.eq_ignore_ascii_case(address))
    }

    /// The first link in the text body (then the HTML body) whose URL contains
    /// `needle`, e.g. `"/verify?token="`.
    pub fn link_containing(&self, needle: &str) -> Result<String> {
        find_link(&self.text, needle)
            .or_else(|| self.html.as_deref().and_then(|h| find_link(h, needle)))
            .ok_or_else(|| {
                anyhow!(
                    "no link containing {needle:?} in the mail {:?}; its text body:\n{}",
                    self.subject,
                    self.text
                )
            })
    }
}

/// The first `http://` or `https://` URL in `text` that contains `needle`.
///
/// A URL ends at whitespace, at any non-ASCII character, or at one of
/// `<>"'` and backtick; trailing `.,;:!?)]` are not part of it. `&amp;` (as in
/// HTML) is decoded to `&`.
pub fn find_link(text: &str, needle: &str) -> Option<String> {
    let mut rest = text;
    while let Some(start) = rest
        .find("http://")
        .into_iter()
        .chain(rest.find("https://"))
        .min()
    {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| {
                !c.is_ascii()
                    || c.is_ascii_whitespace()
                    || matches!(c, '<' | '>' | '"' | '\'' | '`')
            })
            .unwrap_or(candidate.len());
        let url = candidate[..end]
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']'])
            .replace("&amp;", "&");
        if url.contains(needle) {
            return Some(url);
        }
        rest = &candidate[end.max(1)..];
    }
    None
}

impl SmtpServer {
    /// Starts the server on a free port and waits until it accepts connections.
    pub async fn start() -> Result<Self> {
        Self::start_on(free_port()?).await
    }

    /// Starts the server on `127.0.0.1:port` (e.g. where a portal already sends
    /// its mail) and waits until it accepts connections.
    pub async fn start_on(port: u16) -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("shimin-smtp-").tempdir()?;
        let maildir = dir.path().join("maildir");
        let log = dir.path().join("aiosmtpd.log");
        let mut command = Command::new("python3");
        command
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .current_dir(dir.path());
        let mut child = spawn_logged(command, &log)
            .context("python3 is needed for the SMTP server (aiosmtpd); run scripts/test")?;
        if let Err(e) = wait_for_port(&mut child, port, Duration::from_secs(20), &log).await {
            kill_group(&mut child);
            return Err(e.context(
                "the SMTP server (python3 -m aiosmtpd) did not start; \
                 run scripts/test, which installs aiosmtpd",
            ));
        }
        Ok(Self {
            child,
            port,
            maildir,
            log,
            _dir: dir,
        })
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`, the value for `PORTAL_SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The Maildir the server writes into.
    pub fn maildir(&self) -> &Path {
        &self.maildir
    }

    /// The server's own output so far.
    pub fn log(&self) -> String {
        log_tail(&self.log, 200)
    }

    /// Every mail received so far, oldest first.
    pub fn messages(&self) -> Result<Vec<ParsedMail>> {
        let mut files = Vec::new();
        for sub in ["new", "cur"] {
            let dir = self.maildir.join(sub);
            let entries = match fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
            };
            for entry in entries {
                let entry = entry?;
                let modified = entry.metadata()?.modified()?;
                files.push((modified, entry.path()));
            }
        }
        files.sort();
        files
            .into_iter()
            .map(|(_, path)| {
                let raw = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                ParsedMail::parse(&path, &raw)
            })
            .collect()
    }

    /// Polls until a mail to `to` whose subject contains `subject_contains`
    /// arrives, and returns the first such mail.
    pub async fn wait_for_mail(
        &self,
        to: &str,
        subject_contains: &str,
        timeout: Duration,
    ) -> Result<ParsedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages()?;
            if let Some(mail) = messages
                .iter()
                .find(|m| m.is_to(to) && m.subject.contains(subject_contains))
            {
                return Ok(mail.clone());
            }
            if Instant::now() > deadline {
                let seen: Vec<String> = messages
                    .iter()
                    .map(|m| format!("  to {:?} subject {:?}", m.to, m.subject))
                    .collect();
                bail!(
                    "no mail to {to} with a subject containing {subject_contains:?} within \
                     {timeout:?}; received {} mail(s):\n{}\nSMTP server output:\n{}",
                    messages.len(),
                    seen.join("\n"),
                    self.log()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        kill_group(&mut self.child);
    }
}
