//! A real Mosquitto broker on a free loopback port, configured from `config/mosquitto.conf`
//! (the production example), with a password file made by `mosquitto_passwd` and the ACL of
//! `sync/PROTOCOL.md` §5, so the tests prove that the shipped configuration and the documented
//! ACL let kiosks and the portal do what the protocol needs, and no more.
//!
//! The test copy changes only what a test must: the listener (one, on 127.0.0.1 and a free
//! port, no TLS), the paths of the password, ACL and persistence files (in a temporary
//! directory), logging to a file, and `user root` so a broker started as root does not drop to
//! a `mosquitto` user that cannot read them. [`Mosquitto::kill9`] and [`Mosquitto::restart`]
//! simulate a broker crash and its return on the same port with the same persistence file.

use super::*;

/// Where Debian's `mosquitto` package puts the broker.
pub const MOSQUITTO: &str = "/usr/sbin/mosquitto";
/// Where Debian's `mosquitto` package puts `mosquitto_passwd`.
pub const MOSQUITTO_PASSWD: &str = "/usr/bin/mosquitto_passwd";

/// The broker user name of the portal in the ACL of PROTOCOL.md §5.
pub const PORTAL_USER: &str = "portal";

/// A running `mosquitto`; killed (and its temporary directory removed) on drop.
pub struct Mosquitto {
    child: Option<Child>,
    port: u16,
    conf: PathBuf,
    log: PathBuf,
    dir: TempDir,
}

/// Settings lines replaced in the test copy of `config/mosquitto.conf`.
const REPLACED: &[&str] = &[
    "listener",
    "certfile",
    "keyfile",
    "cafile",
    "password_file",
    "acl_file",
    "persistence_location",
    "log_dest",
    "user",
];

/// The test broker's configuration: `config/mosquitto.conf` with the test's listener and
/// paths. Public so a test can check what was changed.
pub fn test_config(production: &str, port: u16, dir: &Path) -> String {
    let mut out = String::from("# Derived from config/mosquitto.conf by tests/src/mosquitto.rs\n");
    for line in production.lines() {
        let key = line.split_whitespace().next().unwrap_or("");
        if REPLACED.contains(&key) {
            out.push_str("# (test) ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!(
        "listener {port} 127.0.0.1\n\
         password_file {dir}/passwd\n\
         acl_file {dir}/acl\n\
         persistence_location {dir}/\n\
         log_dest file {dir}/mosquitto.log\n\
         log_type all\n\
         user root\n",
        dir = dir.display()
    ));
    out
}

/// The Mosquitto ACL as PROTOCOL.md §5 gives it (the code block that starts `# kiosks`).
pub fn protocol_acl() -> Result<String> {
    let path = workspace_root().join("sync/PROTOCOL.md");
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let start = text
        .find("```\n# kiosks")
        .ok_or_else(|| anyhow!("PROTOCOL.md has no ACL block starting with \"# kiosks\""))?;
    let block = &text[start + 4..];
    let end = block
        .find("```")
        .ok_or_else(|| anyhow!("the ACL block in PROTOCOL.md is not closed"))?;
    Ok(block[..end].to_owned())
}

impl Mosquitto {
    /// Starts a broker that knows the portal (`portal` / `portal_password`) and the given
    /// kiosks (`(kiosk_id, password)`), and waits until it accepts connections.
    pub async fn start(portal_password: &str, kiosks: &[(&str, &str)]) -> Result<Self> {
        for tool in [MOSQUITTO, MOSQUITTO_PASSWD] {
            ensure!(
                Path::new(tool).is_file(),
                "{tool} is missing: run scripts/test (it installs mosquitto)"
            );
        }
        let dir = tempfile::Builder::new()
            .prefix("shimin-mosquitto-")
            .tempdir()?;
        let passwd = dir.path().join("passwd");
        let mut users = vec![(PORTAL_USER, portal_password)];
        users.extend_from_slice(kiosks);
        for (i, (user, password)) in users.iter().enumerate() {
            let mut command = Command::new(MOSQUITTO_PASSWD);
            command.arg("-b");
            if i == 0 {
                command.arg("-c");
            }
            let output = command.arg(&passwd).arg(user).arg(password).output()?;
            ensure!(
                output.status.success(),
                "mosquitto_passwd failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        fs::write(dir.path().join("acl"), protocol_acl()?)?;
        let production = fs::read_to_string(workspace_root().join("config/mosquitto.conf"))?;
        let port = free_port()?;
        let conf = dir.path().join("mosquitto.conf");
        fs::write(&conf, test_config(&production, port, dir.path()))?;
        let log = dir.path().join("mosquitto.stdout.log");
        let mut broker = Self {
            child: None,
            port,
            conf,
            log,
            dir,
        };
        broker.spawn().await?;
        Ok(broker)
    }

    async fn spawn(&mut self) -> Result<()> {
        let mut command = Command::new(MOSQUITTO);
        command.arg("-c").arg(&self.conf);
        let mut child = spawn_logged(command, &self.log)?;
        let waited = wait_for_port(&mut child, self.port, Duration::from_secs(15), &self.log).await;
        self.child = Some(child);
        waited.with_context(|| format!("mosquitto's log:\n{}", self.log_tail(40)))
    }

    /// The broker's URL for clients: `mqtt://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills the broker with SIGKILL (no chance to save its state).
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            kill_group(&mut child);
        }
    }

    /// Stops the broker with SIGTERM (it saves its persistence file) and waits for it.
    pub fn stop(&mut self) -> Result<()> {
        if let Some(mut child) = self.child.take() {
            let pid = rustix::process::Pid::from_child(&child);
            rustix::process::kill_process(pid, rustix::process::Signal::TERM)?;
            child.wait()?;
        }
        Ok(())
    }

    /// Starts the broker again on the same port with the same files (after
    /// [`Self::kill9`] or [`Self::stop`]).
    pub async fn restart(&mut self) -> Result<()> {
        ensure!(self.child.is_none(), "the broker is still running");
        self.spawn().await
    }

    /// Adds password-file lines (`user:$7$…`, as `portal admin mosquitto-passwd` prints them)
    /// and makes the running broker reload its password file (SIGHUP), as an operator does
    /// after registering a kiosk.
    pub fn add_password_lines(&mut self, lines: &str) -> Result<()> {
        let passwd = self.dir.path().join("passwd");
        let mut text = fs::read_to_string(&passwd)?;
        for line in lines.lines().filter(|line| !line.trim().is_empty()) {
            text.push_str(line.trim());
            text.push('\n');
        }
        fs::write(&passwd, text)?;
        if let Some(child) = &self.child {
            let pid = rustix::process::Pid::from_child(child);
            rustix::process::kill_process(pid, rustix::process::Signal::HUP)?;
        }
        Ok(())
    }

    /// The last `lines` lines of the broker's own log.
    pub fn log_tail(&self, lines: usize) -> String {
        log_tail(&self.dir.path().join("mosquitto.log"), lines)
    }
}

/// A `portal serve --demo` on a fresh Mosquitto (the portal logs in as `portal` with
/// `portal_password`): the production shape, with the demo city.
pub async fn demo_portal_on_mosquitto(portal_password: &str) -> Result<(Mosquitto, Portal)> {
    let broker = Mosquitto::start(portal_password, &[]).await?;
    let portal = Portal::builder()
        .arg("--demo")
        .arg("--mqtt-url")
        .arg(broker.url())
        .env("PORTAL_MQTT_PASSWORD", portal_password)
        .start()
        .await?;
    Ok((broker, portal))
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- mosquitto log ---\n{}", self.log_tail(80));
        }
        self.kill9();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_test_copy_keeps_the_production_settings_and_replaces_only_paths() {
        let production =
            fs::read_to_string(workspace_root().join("config/mosquitto.conf")).unwrap();
        let conf = test_config(&production, 18830, Path::new("/tmp/x"));
        assert!(conf.contains("\nmessage_size_limit 65536\n"));
        assert!(conf.contains("\nallow_anonymous false\n"));
        assert!(conf.contains("\npersistence true\n"));
        assert!(conf.contains("\nlistener 18830 127.0.0.1\n"));
        let live_listeners = conf.lines().filter(|l| l.starts_with("listener ")).count();
        assert_eq!(live_listeners, 1);
        assert!(!conf.lines().any(|l| l.starts_with("certfile")));
    }

    #[test]
    fn the_acl_is_the_protocols() {
        let acl = protocol_acl().unwrap();
        assert!(acl.contains("pattern write shimin/v1/kiosks/%u/events"));
        assert!(acl.contains("user portal"));
        assert!(!acl.contains("```"));
    }
}
