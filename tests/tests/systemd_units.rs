//! The systemd units in `systemd/` pass `systemd-analyze verify`, the checks systemd itself
//! makes when it loads a unit, against Debian 12's systemd (252).
//!
//! `verify` resolves everything a unit names — the targets and services it is ordered
//! against, the programs it starts — so each test builds a throw-away root for `--root`:
//!
//! - a copy of this machine's own units (`/usr/lib/systemd/system`: `sysinit.target`,
//!   `getty@.service`, and Debian's `mosquitto.service`, which our drop-in amends);
//! - ours, installed under `etc/systemd/system/` as the install guides put them;
//! - empty stand-ins for the programs the units start, where the guides and Debian's
//!   packages put them: verify refuses an `ExecStart=` whose program is missing, and this
//!   machine has no cage (nor, installed, our binaries);
//! - `bin` and `sbin` as links into `usr/`, as on Debian 12 and Raspberry Pi OS.
//!
//! A unit passes when verify exits 0 *and* prints nothing: a misspelt key or a bad value is
//! only a warning ("…, ignoring") with exit code 0. `--man=no`: the man page the kiosk's
//! `Documentation=` names (cage's) is not installed here. `verify_catches_broken_units`
//! proves each kind of mistake fails.

use std::{
    fs,
    os::unix::fs::{PermissionsExt, symlink},
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result, bail, ensure};
use tempfile::TempDir;

/// Debian's `systemd` package (scripts/test installs it when missing).
const SYSTEMD_ANALYZE: &str = "/usr/bin/systemd-analyze";
/// This machine's units, copied into every root.
const SYSTEM_UNITS: &str = "/usr/lib/systemd/system";

/// The programs our units (and Debian's mosquitto.service) start, as the root has them.
const PROGRAMS: &[&str] = &[
    // Ours, where systemd/portal.service and docs/install-raspberry-pi.md install them.
    "/usr/local/bin/portal",
    "/usr/local/bin/kiosk",
    // Debian's packages: cage, mosquitto, and the coreutils/procps programs of
    // mosquitto.service's ExecStartPre= and ExecReload= (written as /bin/…).
    "/usr/bin/cage",
    "/usr/sbin/mosquitto",
    "/usr/bin/mkdir",
    "/usr/bin/chown",
    "/usr/bin/kill",
];

/// A throw-away root for `systemd-analyze verify --root`.
struct Root {
    dir: TempDir,
}

impl Root {
    /// A root with this machine's units, stand-ins for [`PROGRAMS`], and every file of the
    /// workspace's `systemd/` folder installed.
    fn with_our_units() -> Result<Self> {
        ensure!(
            Path::new(SYSTEMD_ANALYZE).exists(),
            "{SYSTEMD_ANALYZE} is missing: install Debian's systemd package (scripts/test does)"
        );
        ensure!(
            Path::new(SYSTEM_UNITS).join("mosquitto.service").exists(),
            "Debian's mosquitto.service is missing: install mosquitto (scripts/test does)"
        );
        let root = Self {
            dir: tempfile::tempdir()?,
        };
        let lib = root.path("/usr/lib/systemd");
        fs::create_dir_all(&lib)?;
        // cp -a keeps the aliases and .wants/ links as the links they are.
        let copied = Command::new("cp")
            .arg("-a")
            .arg(SYSTEM_UNITS)
            .arg(&lib)
            .status()?;
        ensure!(copied.success(), "copying {SYSTEM_UNITS}: {copied}");
        for dir in ["/usr/bin", "/usr/sbin", "/usr/local/bin"] {
            fs::create_dir_all(root.path(dir))?;
        }
        symlink("usr/bin", root.path("/bin"))?;
        symlink("usr/sbin", root.path("/sbin"))?;
        for program in PROGRAMS {
            root.stub(program)?;
        }
        for (name, text) in our_units()? {
            root.install(&name, &text)?;
        }
        Ok(root)
    }

    /// `absolute` inside the root.
    fn path(&self, absolute: &str) -> PathBuf {
        self.dir.path().join(absolute.trim_start_matches('/'))
    }

    /// An executable that does nothing, at `program`.
    fn stub(&self, program: &str) -> Result<()> {
        let path = self.path(program);
        fs::write(&path, "#!/bin/sh\nexit 0\n")?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755))?;
        Ok(())
    }

    /// Installs `text` as `etc/systemd/system/NAME` (`NAME` may be `unit.d/drop-in.conf`).
    fn install(&self, name: &str, text: &str) -> Result<()> {
        let path = self.path("/etc/systemd/system").join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    }

    /// `systemd-analyze verify` of `unit` in this root: an error with verify's output when
    /// it fails or warns.
    fn verify(&self, unit: &str) -> Result<()> {
        let output = Command::new(SYSTEMD_ANALYZE)
            .arg("verify")
            .arg(format!("--root={}", self.dir.path().display()))
            .args(["--man=no", "--generators=no", unit])
            .env("SYSTEMD_LOG_COLOR", "0")
            .output()
            .with_context(|| format!("running {SYSTEMD_ANALYZE}"))?;
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if !output.status.success() || !said.trim().is_empty() {
            bail!(
                "systemd-analyze verify {unit}: {}\n{}",
                output.status,
                said.trim()
            );
        }
        Ok(())
    }
}

/// Every file of `systemd/`, as (name under `/etc/systemd/system/`, text): units, and the
/// drop-ins in `*.d/` folders.
fn our_units() -> Result<Vec<(String, String)>> {
    let folder = shimin_e2e::workspace_root().join("systemd");
    let mut units = Vec::new();
    for entry in fs::read_dir(&folder).with_context(|| format!("{}", folder.display()))? {
        let path = entry?.path();
        let name = file_name(&path)?;
        if path.is_dir() {
            for drop_in in fs::read_dir(&path)? {
                let drop_in = drop_in?.path();
                let text = fs::read_to_string(&drop_in)?;
                units.push((format!("{name}/{}", file_name(&drop_in)?), text));
            }
        } else {
            units.push((name, fs::read_to_string(&path)?));
        }
    }
    units.sort();
    Ok(units)
}

fn file_name(path: &Path) -> Result<String> {
    path.file_name()
        .and_then(|name| name.to_str())
        .map(str::to_owned)
        .with_context(|| format!("a file name in {}", path.display()))
}

#[test]
fn every_file_in_systemd_is_verified_by_a_test_here() -> Result<()> {
    let names: Vec<String> = our_units()?.into_iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        [
            "kiosk.service",
            "mosquitto.service.d/shimin.conf",
            "portal.service"
        ],
        "a new file in systemd/ needs a test in this file"
    );
    Ok(())
}

#[test]
fn the_kiosk_unit_verifies() -> Result<()> {
    Root::with_our_units()?.verify("kiosk.service")
}

#[test]
fn the_portal_unit_verifies() -> Result<()> {
    Root::with_our_units()?.verify("portal.service")
}

#[test]
fn debians_mosquitto_unit_verifies_with_our_drop_in() -> Result<()> {
    Root::with_our_units()?.verify("mosquitto.service")
}

#[test]
fn verify_catches_broken_units() -> Result<()> {
    let root = Root::with_our_units()?;
    let refused = |unit: &str, expected: &str| -> Result<()> {
        match root.verify(unit) {
            Ok(()) => bail!("{unit} passed verify"),
            Err(error) => {
                let error = format!("{error:#}");
                ensure!(error.contains(expected), "{unit}: {error}");
                Ok(())
            }
        }
    };

    // A misspelt key and a bad value: warnings with exit code 0, caught all the same.
    root.install(
        "misspelt.service",
        "[Service]\nExecStart=/usr/local/bin/kiosk run\nRestart=sometimes\nProtectSystm=strict\n",
    )?;
    refused("misspelt.service", "Unknown key 'ProtectSystm'")?;
    refused("misspelt.service", "sometimes")?;

    // A program that is not there.
    root.install(
        "missing.service",
        "[Service]\nExecStart=/usr/local/bin/no-such-kiosk run\n",
    )?;
    refused("missing.service", "is not executable")?;

    // A mistake in a drop-in: drop-ins are read too, so ours is checked for real.
    root.install(
        "mosquitto.service.d/zz-broken.conf",
        "[Service]\nRestartSec=soon\n",
    )?;
    refused("mosquitto.service", "zz-broken.conf")?;

    // Without its stand-in, the kiosk unit fails: the stand-ins are what lets it pass.
    fs::remove_file(root.path("/usr/bin/cage"))?;
    refused("kiosk.service", "/usr/bin/cage")?;
    Ok(())
}
