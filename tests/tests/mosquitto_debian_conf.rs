//! `config/mosquitto.conf` works where its header and docs/install-raspberry-pi.md put it: as
//! `/etc/mosquitto/conf.d/shimin.conf`, included by Debian's own `/etc/mosquitto/mosquitto.conf`.
//! Debian's file already sets `pid_file`, `persistence` and `persistence_location`, and
//! mosquitto refuses a second value of a path setting ("Duplicate persistence_location value
//! in configuration"), so ours must not repeat them.
//!
//! The test lays both files out in a temporary directory with the same keys and only their
//! values moved: Debian's with its paths there, ours with loopback listeners on free ports (the
//! TLS listener without its certificate lines), and the password and ACL files there. It
//! starts mosquitto as root (`user root` appended, as the other broker tests do, so it can read
//! the temporary files) and logs in as the portal and as a kiosk.

use std::{
    fs,
    net::TcpStream,
    path::Path,
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail, ensure};
use shimin_e2e::{
    free_port,
    mosquitto::{MOSQUITTO, MOSQUITTO_PASSWD, PORTAL_USER, protocol_acl},
    workspace_root,
};

/// Debian's main configuration, from the mosquitto package.
const DEBIAN_CONF: &str = "/etc/mosquitto/mosquitto.conf";

/// `line` with the value of `key` replaced by `value` (other lines as they are).
fn set(line: &str, key: &str, value: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    (words.next() == Some(key)).then(|| format!("{key} {value}"))
}

/// Debian's and our files in `dir` (`mosquitto.conf`, `conf.d/shimin.conf` with `extra`
/// appended), and the ports of our two listeners.
fn lay_out(dir: &Path, extra: &str) -> Result<(u16, u16)> {
    let debian = fs::read_to_string(DEBIAN_CONF)
        .with_context(|| format!("{DEBIAN_CONF}: run scripts/test (it installs mosquitto)"))?;
    let d = dir.display();
    let mut main = String::new();
    for line in debian.lines() {
        let line = set(line, "pid_file", &format!("{d}/mosquitto.pid"))
            .or_else(|| set(line, "persistence_location", &format!("{d}/")))
            .or_else(|| set(line, "log_dest", &format!("file {d}/mosquitto.log")))
            .or_else(|| set(line, "include_dir", &format!("{d}/conf.d")))
            .unwrap_or_else(|| line.to_owned());
        main.push_str(&line);
        main.push('\n');
    }
    main.push_str("user root\n");
    fs::write(dir.join("mosquitto.conf"), main)?;

    let ours = fs::read_to_string(workspace_root().join("config/mosquitto.conf"))?;
    let (network_port, local_port) = (free_port()?, free_port()?);
    let mut listeners = [network_port, local_port].into_iter();
    let mut shimin = String::new();
    for line in ours.lines() {
        let key = line.split_whitespace().next().unwrap_or("");
        let line = match key {
            "listener" => match listeners.next() {
                Some(port) => format!("listener {port} 127.0.0.1"),
                None => bail!("config/mosquitto.conf has more than two listeners"),
            },
            "certfile" | "keyfile" => format!("# (test, no TLS) {line}"),
            "password_file" => format!("password_file {d}/passwd"),
            "acl_file" => format!("acl_file {d}/acl"),
            _ => line.to_owned(),
        };
        shimin.push_str(&line);
        shimin.push('\n');
    }
    shimin.push_str(extra);
    fs::create_dir_all(dir.join("conf.d"))?;
    fs::write(dir.join("conf.d/shimin.conf"), shimin)?;

    let passwd = dir.join("passwd");
    for (i, (user, password)) in [(PORTAL_USER, "portal-pw"), ("chuo-1", "kiosk-pw")]
        .into_iter()
        .enumerate()
    {
        let mut command = Command::new(MOSQUITTO_PASSWD);
        command.arg("-b");
        if i == 0 {
            command.arg("-c");
        }
        let status = command.arg(&passwd).args([user, password]).status()?;
        ensure!(status.success(), "mosquitto_passwd: {status}");
    }
    fs::write(dir.join("acl"), protocol_acl()?)?;
    Ok((network_port, local_port))
}

/// A broker started on the files of [`lay_out`], killed on drop.
struct Broker(Child);

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts mosquitto on `dir`'s files and waits until `port` answers; an error with its log
/// when it exits first.
fn start(dir: &Path, port: u16) -> Result<Broker> {
    let mut broker = Broker(
        Command::new(MOSQUITTO)
            .arg("-c")
            .arg(dir.join("mosquitto.conf"))
            .stdout(Stdio::null())
            .stderr(fs::File::create(dir.join("stderr.log"))?)
            .spawn()
            .with_context(|| format!("starting {MOSQUITTO}"))?,
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        let log = || fs::read_to_string(dir.join("stderr.log")).unwrap_or_default();
        if let Some(status) = broker.0.try_wait()? {
            bail!("mosquitto exited ({status}):\n{}", log());
        }
        ensure!(
            Instant::now() < deadline,
            "mosquitto did not listen:\n{}",
            log()
        );
        thread::sleep(Duration::from_millis(50));
    }
    Ok(broker)
}

/// Whether `user` / `password` may publish `topic` on `port` (QoS 1: the broker answers).
fn publish(port: u16, user: &str, password: &str, topic: &str) -> Result<bool> {
    let status = Command::new("mosquitto_pub")
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-q", "1"])
        .args(["-u", user, "-P", password, "-t", topic, "-m", "{}"])
        .stderr(Stdio::null())
        .status()
        .context("mosquitto_pub (mosquitto-clients; scripts/test installs it)")?;
    Ok(status.success())
}

#[test]
fn our_conf_runs_under_debians_mosquitto_conf() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (network_port, local_port) = lay_out(dir.path(), "")?;
    let _broker = start(dir.path(), local_port)?;
    for port in [network_port, local_port] {
        assert!(publish(port, PORTAL_USER, "portal-pw", "shimin/v1/keys")?);
        assert!(publish(
            port,
            "chuo-1",
            "kiosk-pw",
            "shimin/v1/kiosks/chuo-1/events"
        )?);
        assert!(!publish(
            port,
            "chuo-1",
            "wrong",
            "shimin/v1/kiosks/chuo-1/events"
        )?);
    }
    Ok(())
}

#[test]
fn a_setting_debian_already_makes_stops_the_broker() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let (_, local_port) = lay_out(dir.path(), "persistence_location /var/lib/mosquitto/\n")?;
    match start(dir.path(), local_port) {
        Ok(_) => bail!("mosquitto started with persistence_location set twice"),
        Err(error) => {
            let error = format!("{error:#}");
            ensure!(error.contains("Duplicate persistence_location"), "{error}");
            Ok(())
        }
    }
}
