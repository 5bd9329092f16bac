//! The `portal` binary started as a child process on free loopback ports.

use super::*;

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

    /// The process id of the running portal.
    pub fn pid(&self) -> u32 {
        self.child.id()
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
