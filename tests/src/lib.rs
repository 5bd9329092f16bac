//! Harness for the end-to-end tests of Shimin Portal.
//!
//! Every test here starts real processes on 127.0.0.1 and talks to them the way
//! the outside world does:
//!
//! - [`Portal`]: the built `portal` binary (`portal serve`), in its own temporary
//!   data directory, on free ports, with its stdout/stderr captured to files;
//! - [`SmtpServer`]: a real SMTP server (Python's `aiosmtpd`) writing every mail
//!   it receives into a Maildir, read back with `mail-parser`;
//! - [`Browser`]: Debian's headless Chromium driven through `chromedriver` with
//!   `fantoccini`.
//!
//! Every helper cleans up after itself on `Drop` (it kills the process group it
//! started and removes its temporary directory). A failing test shows the
//! portal's captured output: [`Portal`] prints it when dropped during a panic,
//! and [`Portal::explain`] when a test's body returns an error.
//!
//! The system parts (`python3 -m aiosmtpd`, `/usr/bin/chromium`,
//! `/usr/bin/chromedriver`) are installed by `scripts/test`; a missing one makes
//! the test fail with a message that says so, never skip.

use std::ffi::{OsStr, OsString};
use std::fs::{self, File};
use std::net::TcpListener;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::{Client, ClientBuilder, Locator};
use tempfile::TempDir;

/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Where Debian's `chromium-driver` package puts `chromedriver`.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long [`Portal`] waits for `GET /healthz` to answer 200.
pub const PORTAL_STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// How often the `wait_for_*` helpers poll.
const POLL: Duration = Duration::from_millis(100);

/// The workspace root (the directory holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or_else(|| manifest.to_path_buf(), Path::to_path_buf)
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` if set (relative to the
/// workspace root when relative), else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(dir),
        _ => workspace_root().join("target"),
    }
}

/// Serialises the "build the portal if it is missing" step between tests.
static BUILD_LOCK: Mutex<bool> = Mutex::new(false);

/// The built `portal` binary, `<target>/e2e/debug/portal`.
///
/// Runs `cargo build -p portal --bin portal` once per test process, into a target directory
/// of its own: `cargo test` builds the same binary with the test-only features of the portal's
/// dev-dependencies into `<target>/debug`, and sharing that path would make each side rebuild
/// the other's binary. When nothing changed the build takes a fraction of a second, so the
/// tests never run against a stale binary. `SHIMIN_PORTAL_BIN=/path/to/portal` runs the tests
/// against another binary (e.g. a release build) instead.
pub fn portal_bin() -> Result<PathBuf> {
    if let Some(bin) = std::env::var_os("SHIMIN_PORTAL_BIN").filter(|b| !b.is_empty()) {
        let bin = PathBuf::from(bin);
        if !bin.is_file() {
            bail!("SHIMIN_PORTAL_BIN={} is not a file", bin.display());
        }
        return Ok(bin);
    }
    let target = target_dir().join("e2e");
    let bin = target.join("debug").join("portal");
    let mut built = BUILD_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if *built && bin.is_file() {
        return Ok(bin);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(&cargo)
        .args(["build", "-p", "portal", "--bin", "portal"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(workspace_root())
        .status()
        .with_context(|| format!("running {} build -p portal", cargo.to_string_lossy()))?;
    if !status.success() {
        bail!("`cargo build -p portal --bin portal` failed: {status}");
    }
    if !bin.is_file() {
        bail!(
            "`cargo build -p portal` succeeded but {} is missing",
            bin.display()
        );
    }
    *built = true;
    Ok(bin)
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bind port 0, read the
/// port the kernel chose, close the socket).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Where tests save screenshots: `<target>/screenshots/` (created).
pub fn screenshot_dir() -> Result<PathBuf> {
    let dir = target_dir().join("screenshots");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Starts `program` in its own process group with stdout and stderr appended to
/// `log`, so that [`kill_group`] also ends everything it spawned.
fn spawn_logged(mut command: Command, log: &Path) -> Result<Child> {
    use std::os::unix::process::CommandExt;
    let out = File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let err = out.try_clone()?;
    let program = command.get_program().to_string_lossy().into_owned();
    command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0);
    command
        .spawn()
        .with_context(|| format!("starting {program}"))
}

/// Kills the whole process group led by `child` and reaps `child`.
fn kill_group(child: &mut Child) {
    if let Ok(None) = child.try_wait() {
        let pid = rustix::process::Pid::from_child(child);
        if rustix::process::kill_process_group(pid, rustix::process::Signal::KILL).is_err() {
            let _ = child.kill();
        }
    }
    let _ = child.wait();
}

/// The last `max_lines` lines of a log file (or a note that it is unreadable).
fn log_tail(path: &Path, max_lines: usize) -> String {
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = text.lines().collect();
            let start = lines.len().saturating_sub(max_lines);
            lines[start..].join("\n")
        }
        Err(e) => format!("({}: {e})", path.display()),
    }
}

/// Waits until something accepts TCP connections on `127.0.0.1:port`, failing
/// early if `child` exits.
async fn wait_for_port(child: &mut Child, port: u16, timeout: Duration, log: &Path) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            bail!(
                "process exited ({status}) before listening on port {port}; its output:\n{}",
                log_tail(log, 60)
            );
        }
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "nothing listens on 127.0.0.1:{port} after {timeout:?}; output:\n{}",
                log_tail(log, 60)
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

// ---------------------------------------------------------------------------
// SMTP
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Portal
// ---------------------------------------------------------------------------

/// Options for starting a [`Portal`]; made by [`Portal::builder`].
#[derive(Debug, Default, Clone)]
pub struct PortalBuilder {
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    data_dir: Option<PathBuf>,
}

impl PortalBuilder {
    /// Adds an argument after the ones the harness passes (e.g. `--demo`).
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Sets an environment variable for the portal process.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Uses an existing data directory (e.g. one `portal admin create` prepared)
    /// instead of a fresh one.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.data_dir = Some(dir.into());
        self
    }

    /// Sends the portal's mail through `smtp` (sets `PORTAL_SMTP_URL`).
    pub fn smtp(self, smtp: &SmtpServer) -> Self {
        self.env("PORTAL_SMTP_URL", smtp.url())
    }

    /// Starts `portal serve` and waits until `GET /healthz` answers 200.
    ///
    /// The command is `portal serve --data-dir TMP/data --listen 127.0.0.1:P
    /// --mqtt-listen 127.0.0.1:Q [extra args]`, run in `TMP` with the extra
    /// environment; `PORTAL_*` variables of the test's own environment are not
    /// passed on, so only what the test sets reaches the portal.
    pub async fn start(self) -> Result<Portal> {
        let bin = portal_bin()?;
        let dir = tempfile::Builder::new()
            .prefix("shimin-portal-")
            .tempdir()?;
        let data_dir = self
            .data_dir
            .clone()
            .unwrap_or_else(|| dir.path().join("data"));
        let stdout = dir.path().join("portal.stdout.log");
        let stderr = dir.path().join("portal.stderr.log");
        let port = free_port()?;
        let mut mqtt_port = free_port()?;
        while mqtt_port == port {
            mqtt_port = free_port()?;
        }

        let mut args: Vec<OsString> = vec![
            "serve".into(),
            "--data-dir".into(),
            data_dir.clone().into(),
            "--listen".into(),
            format!("127.0.0.1:{port}").into(),
            "--mqtt-listen".into(),
            format!("127.0.0.1:{mqtt_port}").into(),
        ];
        args.extend(self.args);
        let spec = Spawn {
            bin,
            args,
            env: self.env,
            cwd: dir.path().to_owned(),
        };
        let command_line = spec.command_line();
        let child = spec.spawn(&stdout, &stderr)?;
        let mut portal = Portal {
            child,
            spec,
            command_line,
            base_url: format!("http://127.0.0.1:{port}"),
            port,
            mqtt_port,
            data_dir,
            stdout,
            stderr,
            _dir: dir,
        };
        portal.wait_healthy(PORTAL_STARTUP_TIMEOUT).await?;
        Ok(portal)
    }
}

/// A running `portal serve` in a temporary data directory on free loopback
/// ports. Killed (with its directory removed) on drop; if the test is
/// panicking, its output is printed first.
pub struct Portal {
    child: Child,
    spec: Spawn,
    command_line: String,
    base_url: String,
    port: u16,
    mqtt_port: u16,
    data_dir: PathBuf,
    stdout: PathBuf,
    stderr: PathBuf,
    _dir: TempDir,
}

/// How to start the portal process again (same arguments, environment, directory).
#[derive(Debug)]
struct Spawn {
    bin: PathBuf,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    cwd: PathBuf,
}

impl Spawn {
    fn command_line(&self) -> String {
        std::iter::once(self.bin.as_os_str())
            .chain(self.args.iter().map(OsString::as_os_str))
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Starts the process in its own process group, appending to the logs.
    fn spawn(&self, stdout: &Path, stderr: &Path) -> Result<Child> {
        let append = |path: &Path| fs::OpenOptions::new().create(true).append(true).open(path);
        let mut command = Command::new(&self.bin);
        command
            .args(&self.args)
            .current_dir(&self.cwd)
            .stdin(Stdio::null())
            .stdout(append(stdout)?)
            .stderr(append(stderr)?);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("PORTAL_") {
                command.env_remove(key);
            }
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        command
            .spawn()
            .with_context(|| format!("starting {}", self.command_line()))
    }
}

impl Portal {
    /// Kills the portal with SIGKILL (kill -9: no shutdown code runs), starts it
    /// again on the same data directory, ports and settings, and waits until it
    /// is healthy.
    pub async fn kill9_and_restart(&mut self) -> Result<()> {
        kill_group(&mut self.child);
        self.child = self.spec.spawn(&self.stdout, &self.stderr)?;
        self.wait_healthy(PORTAL_STARTUP_TIMEOUT).await
    }

    /// Sends SIGTERM (what systemd sends on stop) and waits up to `timeout` for the
    /// process to exit; returns its exit status.
    pub async fn terminate(&mut self, timeout: Duration) -> Result<std::process::ExitStatus> {
        let pid = rustix::process::Pid::from_child(&self.child);
        rustix::process::kill_process(pid, rustix::process::Signal::TERM)
            .context("sending SIGTERM to the portal")?;
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            ensure!(
                Instant::now() < deadline,
                "the portal did not exit within {timeout:?} of SIGTERM"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Options for a portal with extra arguments or environment.
    pub fn builder() -> PortalBuilder {
        PortalBuilder::default()
    }

    /// Starts a portal with nothing extra (mail goes to `DATA/outbox/`).
    pub async fn start() -> Result<Self> {
        Self::builder().start().await
    }

    async fn wait_healthy(&mut self, timeout: Duration) -> Result<()> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let url = self.url("/healthz");
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "portal exited ({status}) before GET /healthz answered 200\n{}",
                    self.output()
                );
            }
            let last = match client.get(&url).send().await {
                Ok(response) if response.status() == reqwest::StatusCode::OK => return Ok(()),
                Ok(response) => format!("status {}", response.status()),
                Err(e) => e.to_string(),
            };
            if Instant::now() > deadline {
                bail!(
                    "GET {url} did not answer 200 within {timeout:?} (last: {last})\n{}",
                    self.output()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `base_url()` followed by `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The HTTP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the embedded MQTT broker (`--mqtt-listen`).
    pub fn mqtt_port(&self) -> u16 {
        self.mqtt_port
    }

    /// The portal's data directory (`--data-dir`).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// What the portal has written to stdout so far.
    pub fn stdout(&self) -> String {
        fs::read(&self.stdout)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// What the portal has written to stderr so far.
    pub fn stderr(&self) -> String {
        fs::read(&self.stderr)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// The tail of stdout and stderr, labelled, for error messages.
    pub fn output(&self) -> String {
        format!(
            "--- command ---\n{}\n--- portal stdout (tail) ---\n{}\n\
             --- portal stderr (tail) ---\n{}\n---",
            self.command_line,
            log_tail(&self.stdout, 100),
            log_tail(&self.stderr, 200)
        )
    }
}

impl Portal {
    /// Passes `result` through; on an error, first prints the portal's output
    /// (see [`Portal::output`]) to stderr, so the failing test shows it.
    pub fn explain<T>(&self, result: Result<T>) -> Result<T> {
        if result.is_err() {
            eprintln!(
                "portal at {} (test failed):\n{}",
                self.base_url,
                self.output()
            );
        }
        result
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        kill_group(&mut self.child);
        if std::thread::panicking() {
            eprintln!(
                "portal at {} (test failed):\n{}",
                self.base_url,
                self.output()
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Browser
// ---------------------------------------------------------------------------

/// Headless Chromium driven through `chromedriver` (both from Debian), with a
/// phone-sized window (390×844) and a fresh profile.
///
/// Derefs to [`fantoccini::Client`] for everything not wrapped here.
/// `chromedriver` and every browser process are killed on drop; call
/// [`Browser::close`] to end the session politely first.
pub struct Browser {
    client: Client,
    driver: Child,
    log: PathBuf,
    _dir: TempDir,
}

impl Browser {
    /// Starts `chromedriver` on a free port and opens a browser session.
    ///
    /// Fails (it never skips) when Chromium or chromedriver is missing.
    pub async fn start() -> Result<Self> {
        for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            if !Path::new(path).is_file() {
                bail!(
                    "{path} is missing: the browser tests need Debian's `{package}` package. \
                     Run scripts/test, which installs it."
                );
            }
        }
        let dir = tempfile::Builder::new()
            .prefix("shimin-browser-")
            .tempdir()?;
        let profile = dir.path().join("profile");
        fs::create_dir_all(&profile)?;
        let log = dir.path().join("chromedriver.log");
        let port = free_port()?;
        let mut command = Command::new(CHROMEDRIVER);
        command
            .arg(format!("--port={port}"))
            .current_dir(dir.path());
        let mut driver = spawn_logged(command, &log)?;
        let client = match Self::connect(&mut driver, port, &profile, &log).await {
            Ok(client) => client,
            Err(e) => {
                kill_group(&mut driver);
                return Err(e);
            }
        };
        Ok(Self {
            client,
            driver,
            log,
            _dir: dir,
        })
    }

    async fn connect(driver: &mut Child, port: u16, profile: &Path, log: &Path) -> Result<Client> {
        wait_for_port(driver, port, Duration::from_secs(20), log)
            .await
            .context("chromedriver did not start")?;
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--window-size=390,844".to_owned(),
            // A Japanese citizen's phone: the portal answers in Japanese by default
            // anyway, but a browser that asks for English gets English.
            "--lang=ja-JP".to_owned(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "chrome".into());
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": args,
                "prefs": { "intl.accept_languages": "ja,en" },
                // Headless Chromium will not make a window narrower than 500
                // px, so emulate the phone's viewport too.
                "mobileEmulation": {
                    "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 2.0 },
                },
            }),
        );
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| {
                anyhow!(
                    "opening a Chromium session through chromedriver failed: {e}\n\
                     chromedriver output:\n{}",
                    log_tail(log, 60)
                )
            })
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the WebDriver session (closing Chromium), then stops chromedriver.
    pub async fn close(self) -> Result<()> {
        self.client
            .clone()
            .close()
            .await
            .context("closing the browser session")?;
        Ok(())
    }

    /// Saves a PNG screenshot of the viewport to `path` (parent dirs created).
    pub async fn screenshot(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let png = self
            .client
            .screenshot()
            .await
            .context("taking a screenshot")?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(path, png).with_context(|| format!("writing {}", path.display()))
    }

    /// The visible text of the current page (`document.body.innerText`).
    pub async fn body_text(&self) -> Result<String> {
        let body = self.client.find(Locator::Css("body")).await?;
        Ok(body.text().await?)
    }

    /// Polls until the page's text contains `needle`, and returns that text.
    pub async fn wait_for_text(&self, needle: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            // The page may be between two documents: retry on errors too.
            let text = self.body_text().await.unwrap_or_default();
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                bail!(
                    "the page {url} does not contain {needle:?} after {timeout:?}; its text:\n{text}"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Polls until the browser's URL is no longer `from` (e.g. after a form
    /// posted and redirected), and returns the new URL.
    pub async fn wait_for_url_change(&self, from: &str, timeout: Duration) -> Result<url::Url> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(url) = self.client.current_url().await
                && url.as_str() != from
            {
                return Ok(url);
            }
            if Instant::now() > deadline {
                let text = self.body_text().await.unwrap_or_default();
                bail!("the browser is still at {from} after {timeout:?}; the page's text:\n{text}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Polls until an element matches the CSS `selector`, and returns it.
    pub async fn wait_for_css(
        &self,
        selector: &str,
        timeout: Duration,
    ) -> Result<fantoccini::elements::Element> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(selector)).await {
                return Ok(element);
            }
            if Instant::now() > deadline {
                let text = self.body_text().await.unwrap_or_default();
                bail!(
                    "no element matches {selector:?} after {timeout:?}; the page's text:\n{text}"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clears the form field whose `name` attribute is `name` and types `value`.
    pub async fn fill(&self, name: &str, value: &str) -> Result<()> {
        let field = self
            .client
            .find(Locator::Css(&format!("[name=\"{name}\"]")))
            .await
            .with_context(|| format!("no form field named {name:?}"))?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    /// Ticks the checkbox whose `name` attribute is `name` (if not ticked yet).
    pub async fn check(&self, name: &str) -> Result<()> {
        let checkbox = self
            .client
            .find(Locator::Css(&format!("input[name=\"{name}\"]")))
            .await
            .with_context(|| format!("no checkbox named {name:?}"))?;
        if !checkbox.is_selected().await? {
            checkbox.click().await?;
        }
        Ok(())
    }

    /// Clicks the element whose `id` is `id`.
    pub async fn click_id(&self, id: &str) -> Result<()> {
        self.client
            .find(Locator::Id(id))
            .await
            .with_context(|| format!("no element with id {id:?}"))?
            .click()
            .await?;
        Ok(())
    }

    /// chromedriver's own output so far.
    pub fn driver_log(&self) -> String {
        log_tail(&self.log, 200)
    }
}

impl Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    #[test]
    fn find_link_takes_the_first_matching_url() {
        let text = "登録ありがとうございます。\n\
                    規約: https://example.invalid/terms.\n\
                    次のリンクを開いてください:\nhttp://127.0.0.1:8080/verify?token=abc-DEF_123&x=1。\n";
        assert_eq!(
            find_link(text, "/verify?token="),
            Some("http://127.0.0.1:8080/verify?token=abc-DEF_123&x=1".to_owned())
        );
        assert_eq!(
            find_link(text, "/terms"),
            Some("https://example.invalid/terms".to_owned())
        );
        assert_eq!(find_link(text, "/nothing"), None);
        assert_eq!(
            find_link(
                "<a href=\"http://h/verify?token=t&amp;a=b\">x</a>",
                "token="
            ),
            Some("http://h/verify?token=t&a=b".to_owned())
        );
    }

    #[test]
    fn free_port_is_bindable() -> Result<()> {
        let port = free_port()?;
        assert_ne!(port, 0);
        TcpListener::bind(("127.0.0.1", port))?;
        Ok(())
    }

    /// Sends one mail with a raw SMTP conversation, as a client library would.
    async fn send_raw(port: u16, from: &str, to: &str, data: &str) -> Result<()> {
        let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        // Reads one (possibly multi-line) reply and checks its code.
        async fn reply(
            read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
            code: &str,
        ) -> Result<()> {
            loop {
                let mut line = String::new();
                read.read_line(&mut line).await?;
                if !line.starts_with(code) {
                    bail!("expected {code}, got {line:?}");
                }
                if line.as_bytes().get(3) != Some(&b'-') {
                    return Ok(());
                }
            }
        }
        reply(&mut read, "220").await?;
        for (command, code) in [
            ("EHLO test.invalid".to_owned(), "250"),
            (format!("MAIL FROM:<{from}>"), "250"),
            (format!("RCPT TO:<{to}>"), "250"),
            ("DATA".to_owned(), "354"),
        ] {
            write.write_all(format!("{command}\r\n").as_bytes()).await?;
            reply(&mut read, code).await?;
        }
        write
            .write_all(data.replace('\n', "\r\n").as_bytes())
            .await?;
        write.write_all(b"\r\n.\r\n").await?;
        reply(&mut read, "250").await?;
        write.write_all(b"QUIT\r\n").await?;
        reply(&mut read, "221").await?;
        Ok(())
    }

    #[tokio::test]
    async fn smtp_server_receives_a_raw_smtp_mail() -> Result<()> {
        let smtp = SmtpServer::start().await?;
        assert!(smtp.messages()?.is_empty());
        // A Japanese subject (RFC 2047) and a quoted-printable UTF-8 body, as
        // a mail library sends them.
        let data = "From: =?UTF-8?B?5biC5b255omA?= <noreply@city.invalid>\n\
                    To: taro@example.invalid\n\
                    Subject: =?UTF-8?B?44CQ5biC5rCR44Od44O844K/44Or44CR5pys55m76Yyy56K66KqN?=\n\
                    MIME-Version: 1.0\n\
                    Content-Type: multipart/alternative; boundary=\"b\"\n\
                    \n\
                    --b\n\
                    Content-Type: text/plain; charset=utf-8\n\
                    Content-Transfer-Encoding: quoted-printable\n\
                    \n\
                    =E6=AC=A1=E3=81=AE=E3=83=AA=E3=83=B3=E3=82=AF:\n\
                    http://127.0.0.1:1/verify?token=3D0123456789abcdef0123456789abcdef0123456=\n\
                    789abcdef\n\
                    --b\n\
                    Content-Type: text/html; charset=utf-8\n\
                    \n\
                    <p><a href=\"http://127.0.0.1:1/verify?token=x\">open</a></p>\n\
                    --b--";
        send_raw(
            smtp.port(),
            "noreply@city.invalid",
            "taro@example.invalid",
            data,
        )
        .await?;
        let mail = smtp
            .wait_for_mail(
                "Taro@Example.invalid",
                "本登録確認",
                Duration::from_secs(10),
            )
            .await?;
        assert_eq!(mail.subject, "【市民ポータル】本登録確認");
        assert_eq!(mail.to, vec!["taro@example.invalid".to_owned()]);
        assert_eq!(mail.rcpt_to, vec!["taro@example.invalid".to_owned()]);
        assert_eq!(mail.from, "noreply@city.invalid");
        assert!(
            mail.text.starts_with("次のリンク:"),
            "{:?} {:?}",
            mail.text,
            mail.html
        );
        assert_eq!(
            mail.link_containing("/verify?token=")?,
            "http://127.0.0.1:1/verify?token=0123456789abcdef0123456789abcdef0123456789abcdef",
            "{:?}",
            mail.text
        );
        assert!(mail.html.as_deref().is_some_and(|h| h.contains("<a href")));
        assert_eq!(smtp.messages()?.len(), 1);
        Ok(())
    }

    #[tokio::test]
    async fn smtp_server_receives_a_mail_from_python_smtplib() -> Result<()> {
        let smtp = SmtpServer::start().await?;
        let script = "import smtplib, sys\n\
                      from email.message import EmailMessage\n\
                      m = EmailMessage()\n\
                      m['From'] = 'a@city.invalid'\n\
                      m['To'] = 'hanako@example.invalid'\n\
                      m['Subject'] = 'ごみ収集のお知らせ'\n\
                      m.set_content('明日は燃えるごみの日です。')\n\
                      with smtplib.SMTP('127.0.0.1', int(sys.argv[1])) as s:\n    s.send_message(m)\n";
        let status = tokio::process::Command::new("python3")
            .args(["-c", script, &smtp.port().to_string()])
            .status()
            .await?;
        assert!(status.success());
        let mail = smtp
            .wait_for_mail("hanako@example.invalid", "ごみ", Duration::from_secs(10))
            .await?;
        assert_eq!(mail.subject, "ごみ収集のお知らせ");
        assert_eq!(mail.text.trim(), "明日は燃えるごみの日です。");
        assert_eq!(mail.html, None);
        // A mail to someone else does not match.
        assert!(
            smtp.wait_for_mail("other@example.invalid", "ごみ", Duration::from_millis(200))
                .await
                .is_err()
        );
        Ok(())
    }

    #[tokio::test]
    async fn browser_reads_a_page_fills_a_form_and_takes_a_screenshot() -> Result<()> {
        let browser = Browser::start().await?;
        let html = "<!doctype html><meta charset=utf-8>\
                    <meta name=viewport content=\"width=device-width,initial-scale=1\"><title>t</title>\
                    <h1>市民ポータル</h1>\
                    <form onsubmit=\"document.getElementById('out').textContent = \
                    this.family_name.value + (this.accept_terms.checked ? ' 同意' : ''); return false\">\
                    <input name=family_name><input type=checkbox name=accept_terms>\
                    <button id=submit>送信</button></form><p id=out></p>";
        let url: String = format!(
            "data:text/html;charset=utf-8,{}",
            html.bytes()
                .map(|b| if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                })
                .collect::<String>()
        );
        browser.goto(&url).await?;
        assert!(browser.body_text().await?.contains("市民ポータル"));
        browser.fill("family_name", "山田").await?;
        browser.check("accept_terms").await?;
        browser.click_id("submit").await?;
        browser
            .wait_for_text("山田 同意", Duration::from_secs(10))
            .await?;
        // A phone's viewport: 390 CSS pixels wide.
        let width = browser.execute("return window.innerWidth", vec![]).await?;
        assert_eq!(width, 390);
        let dir = tempfile::tempdir()?;
        let png = dir.path().join("shot/page.png");
        browser.screenshot(&png).await?;
        let bytes = fs::read(&png)?;
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        browser.close().await?;
        Ok(())
    }
}
