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

/// Serialises the "build a binary if it is missing" step between tests.
static BUILD_LOCK: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The newest modification time of the files under `paths` (recursively).
fn newest_mtime(paths: &[PathBuf]) -> Option<std::time::SystemTime> {
    let mut newest = None;
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = stack.pop() {
        let Ok(meta) = fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = fs::read_dir(&path) {
                stack.extend(entries.filter_map(|entry| entry.ok().map(|e| e.path())));
            }
        } else if let Ok(modified) = meta.modified() {
            newest = newest.max(Some(modified));
        }
    }
    newest
}

/// A binary of the workspace for the end-to-end tests: `$ENV_OVERRIDE` if set, else
/// `<target>/debug/<bin>` when it is newer than every source it is built from (`cargo test
/// --workspace` has just built it for the package's own tests, with the same features), else
/// a build of it into `<target>/e2e` — a directory of its own, because the running `cargo
/// test` holds the lock of `<target>/debug` (e.g. `cargo test -p shimin-e2e` after an edit).
pub fn workspace_bin(package: &str, env_override: &str, source_dirs: &[&str]) -> Result<PathBuf> {
    if let Some(bin) = std::env::var_os(env_override).filter(|b| !b.is_empty()) {
        let bin = PathBuf::from(bin);
        ensure!(
            bin.is_file(),
            "{env_override}={} is not a file",
            bin.display()
        );
        return Ok(bin);
    }
    let root = workspace_root();
    let mut sources: Vec<PathBuf> = source_dirs.iter().map(|dir| root.join(dir)).collect();
    sources.extend([root.join("Cargo.lock"), root.join("Cargo.toml")]);
    let sibling = target_dir().join("debug").join(package);
    let fresh = |bin: &Path| {
        let built = fs::metadata(bin).and_then(|meta| meta.modified()).ok();
        built.is_some() && built >= newest_mtime(&sources)
    };
    if fresh(&sibling) {
        return Ok(sibling);
    }
    let target = target_dir().join("e2e");
    let bin = target.join("debug").join(package);
    let mut built = BUILD_LOCK
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if built.iter().any(|done| done == package) && bin.is_file() {
        return Ok(bin);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(&cargo)
        .args(["build", "-p", package, "--bin", package])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&root)
        .status()
        .with_context(|| format!("running {} build -p {package}", cargo.to_string_lossy()))?;
    ensure!(
        status.success(),
        "`cargo build -p {package}` failed: {status}"
    );
    ensure!(
        bin.is_file(),
        "`cargo build -p {package}` succeeded but {} is missing",
        bin.display()
    );
    built.push(package.to_owned());
    Ok(bin)
}

/// The `portal` binary ([`workspace_bin`]; `SHIMIN_PORTAL_BIN=/path/to/portal` runs the tests
/// against another binary, e.g. a release build).
pub fn portal_bin() -> Result<PathBuf> {
    workspace_bin(
        "portal",
        "SHIMIN_PORTAL_BIN",
        &[
            "portal/src",
            "portal/templates",
            "portal/static",
            "portal/locales",
            "portal/data",
            "portal/Cargo.toml",
            "sync/src",
            "sync/Cargo.toml",
        ],
    )
}

/// The sample at quantile `p` (0–1) of `sorted`, nearest rank, for the benchmarks' reports.
/// Panics on an empty slice.
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> T {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
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

pub mod barcodes;
mod browser;
pub mod camera;
pub mod demo;
pub mod fake_portal;
mod forms;
pub mod kiosk;
pub mod line_fake;
pub mod mosquitto;
mod portal;
mod smtp;
#[cfg(test)]
mod tests;
pub mod xvfb;

pub use browser::*;
pub use forms::*;
pub use portal::*;
pub use smtp::*;
