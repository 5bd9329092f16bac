//! systemd's service notifications (`sd_notify`), with no library: one datagram per notice
//! to the socket systemd names in `$NOTIFY_SOCKET`.
//!
//! `systemd/kiosk.service` runs the kiosk as a child of the compositor `cage` with
//! `Type=notify`, `NotifyAccess=all` and `WatchdogSec=30`: the kiosk says `READY=1` once it
//! is up, `WATCHDOG=1` at least every [`ping_period`] of the [`watchdog_interval`], and
//! `STOPPING=1` when it shuts down; a kiosk that stops pinging is killed and restarted.
//!
//! `$WATCHDOG_PID` is deliberately ignored: systemd sets it to its main process, which is
//! `cage`, not the kiosk, and `NotifyAccess=all` is what lets the child's pings count.
//! Without `$NOTIFY_SOCKET` (a kiosk started by hand, the tests) every notice is a no-op.
//!
//! The functions that do the work take the socket name and the `$WATCHDOG_USEC` value as
//! parameters ([`Notifier::for_socket`], [`watchdog_interval`]); only the thin
//! [`Notifier::from_env`] and [`watchdog_interval_from_env`] read the process environment.

use std::{
    ffi::OsStr,
    io,
    os::unix::{
        ffi::OsStrExt,
        net::{SocketAddr, UnixDatagram},
    },
    path::Path,
    time::Duration,
};

/// The environment variable naming systemd's notification socket.
pub const NOTIFY_SOCKET: &str = "NOTIFY_SOCKET";
/// The environment variable holding the watchdog interval in microseconds.
pub const WATCHDOG_USEC: &str = "WATCHDOG_USEC";

/// Sends notices to systemd; a no-op when the service manager asked for none.
///
/// It is `Sync`: share one (in an `Arc`) between the thread that says `READY=1` and the one
/// that pings, so that the pings come from the loop whose health they vouch for.
#[derive(Debug)]
pub struct Notifier {
    /// The unbound socket notices are sent from, and where to; `None`: notices are dropped.
    target: Option<(UnixDatagram, SocketAddr)>,
}

impl Notifier {
    /// A notifier that sends nothing.
    pub fn disabled() -> Self {
        Self { target: None }
    }

    /// The notifier `$NOTIFY_SOCKET` asks for (disabled when it is unset or empty).
    pub fn from_env() -> io::Result<Self> {
        Self::for_socket(std::env::var_os(NOTIFY_SOCKET).as_deref())
    }

    /// A notifier for the socket `name`, as `$NOTIFY_SOCKET` spells it: an absolute path, or
    /// `@name` for a socket in Linux's abstract namespace. `None` or empty: disabled.
    pub fn for_socket(name: Option<&OsStr>) -> io::Result<Self> {
        let Some(name) = name.filter(|name| !name.is_empty()) else {
            return Ok(Self::disabled());
        };
        let address = socket_address(name)?;
        Ok(Self {
            target: Some((UnixDatagram::unbound()?, address)),
        })
    }

    /// Whether notices go anywhere.
    pub fn is_enabled(&self) -> bool {
        self.target.is_some()
    }

    /// `READY=1`: the kiosk has started (systemd's start job finishes here).
    pub fn ready(&self) -> io::Result<()> {
        self.notify("READY=1")
    }

    /// `WATCHDOG=1`: the kiosk is alive; due at least every [`ping_period`].
    pub fn watchdog(&self) -> io::Result<()> {
        self.notify("WATCHDOG=1")
    }

    /// `STOPPING=1`: the kiosk is shutting down on purpose.
    pub fn stopping(&self) -> io::Result<()> {
        self.notify("STOPPING=1")
    }

    /// Sends `state`, newline-separated `KEY=VALUE` assignments (e.g. `STATUS=offline`).
    pub fn notify(&self, state: &str) -> io::Result<()> {
        let Some((socket, address)) = &self.target else {
            return Ok(());
        };
        let sent = socket.send_to_addr(state.as_bytes(), address)?;
        if sent == state.len() {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!(
                    "the notification socket took {sent} of {} bytes",
                    state.len()
                ),
            ))
        }
    }
}

/// The address `$NOTIFY_SOCKET` names.
fn socket_address(name: &OsStr) -> io::Result<SocketAddr> {
    let bytes = name.as_bytes();
    if let Some(abstract_name) = bytes.strip_prefix(b"@") {
        return abstract_address(abstract_name);
    }
    if bytes.starts_with(b"/") {
        return SocketAddr::from_pathname(Path::new(name));
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{NOTIFY_SOCKET}={} is neither an absolute path nor @abstract",
            name.to_string_lossy()
        ),
    ))
}

#[cfg(target_os = "linux")]
fn abstract_address(name: &[u8]) -> io::Result<SocketAddr> {
    use std::os::linux::net::SocketAddrExt;
    SocketAddr::from_abstract_name(name)
}

#[cfg(not(target_os = "linux"))]
fn abstract_address(_name: &[u8]) -> io::Result<SocketAddr> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "abstract socket names need Linux",
    ))
}

/// The watchdog interval systemd set (`WatchdogSec=`), from the text of `$WATCHDOG_USEC`;
/// `None` when there is no watchdog (unset, zero, or not a number).
pub fn watchdog_interval(watchdog_usec: Option<&OsStr>) -> Option<Duration> {
    let usec: u64 = watchdog_usec?.to_str()?.trim().parse().ok()?;
    (usec > 0).then(|| Duration::from_micros(usec))
}

/// [`watchdog_interval`] of this process's `$WATCHDOG_USEC`.
pub fn watchdog_interval_from_env() -> Option<Duration> {
    watchdog_interval(std::env::var_os(WATCHDOG_USEC).as_deref())
}

/// How often to ping a watchdog of `interval`: half of it, as systemd advises, so that one
/// late ping is not yet a missed one.
pub fn ping_period(interval: Duration) -> Duration {
    interval / 2
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bound socket standing in for systemd's, and what arrives on it.
    fn receive(socket: &UnixDatagram) -> String {
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buffer = [0u8; 256];
        let length = socket.recv(&mut buffer).unwrap();
        String::from_utf8(buffer[..length].to_vec()).unwrap()
    }

    #[test]
    fn ready_watchdog_and_stopping_reach_a_socket_named_by_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let systemd = UnixDatagram::bind(&path).unwrap();
        let notifier = Notifier::for_socket(Some(path.as_os_str())).unwrap();
        assert!(notifier.is_enabled());
        notifier.ready().unwrap();
        notifier.watchdog().unwrap();
        notifier.stopping().unwrap();
        notifier.notify("STATUS=offline").unwrap();
        assert_eq!(receive(&systemd), "READY=1");
        assert_eq!(receive(&systemd), "WATCHDOG=1");
        assert_eq!(receive(&systemd), "STOPPING=1");
        assert_eq!(receive(&systemd), "STATUS=offline");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_at_sign_names_a_socket_in_the_abstract_namespace() {
        use std::os::linux::net::SocketAddrExt;
        let name = format!("shimin-kiosk-watchdog-test-{}", std::process::id());
        let address = SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
        let systemd = UnixDatagram::bind_addr(&address).unwrap();
        let notifier = Notifier::for_socket(Some(OsStr::new(&format!("@{name}")))).unwrap();
        notifier.watchdog().unwrap();
        assert_eq!(receive(&systemd), "WATCHDOG=1");
    }

    #[test]
    fn without_a_socket_every_notice_is_a_no_op() {
        for name in [None, Some(OsStr::new(""))] {
            let notifier = Notifier::for_socket(name).unwrap();
            assert!(!notifier.is_enabled());
            notifier.ready().unwrap();
            notifier.watchdog().unwrap();
            notifier.stopping().unwrap();
        }
    }

    #[test]
    fn a_relative_socket_name_is_refused() {
        let error = Notifier::for_socket(Some(OsStr::new("run/notify"))).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("run/notify"), "{error}");
    }

    #[test]
    fn a_vanished_socket_is_an_error_the_caller_sees() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let systemd = UnixDatagram::bind(&path).unwrap();
        let notifier = Notifier::for_socket(Some(path.as_os_str())).unwrap();
        drop(systemd);
        std::fs::remove_file(&path).unwrap();
        assert!(notifier.watchdog().is_err());
    }

    #[test]
    fn the_interval_comes_from_watchdog_usec_and_pings_are_due_at_half_of_it() {
        let interval = watchdog_interval(Some(OsStr::new("30000000"))).unwrap();
        assert_eq!(interval, Duration::from_secs(30));
        assert_eq!(ping_period(interval), Duration::from_secs(15));
        assert_eq!(
            watchdog_interval(Some(OsStr::new("1500"))),
            Some(Duration::from_micros(1500))
        );
    }

    #[test]
    fn no_watchdog_when_watchdog_usec_is_unset_zero_or_not_a_number() {
        assert_eq!(watchdog_interval(None), None);
        for text in ["0", "", "thirty", "-5", "30s"] {
            assert_eq!(watchdog_interval(Some(OsStr::new(text))), None, "{text:?}");
        }
    }
}
