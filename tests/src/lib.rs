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

mod browser;
pub mod camera;
pub mod fake_portal;
pub mod kiosk;
pub mod mosquitto;
mod portal;
mod smtp;
#[cfg(test)]
mod tests;

pub use browser::*;
pub use portal::*;
pub use smtp::*;
