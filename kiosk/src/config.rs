//! The kiosk's settings: defaults in code, then the TOML file (`--config FILE`, see
//! `config/kiosk.toml`), then environment variables `KIOSK_*` (nested keys with `__`, e.g.
//! `KIOSK_FEEDBACK__KIND=gpio`, `KIOSK_CAMERA__DEVICE=/dev/video2`). `Debug` never shows the
//! broker password. The `[camera]` section is [`crate::camera::CameraSettings`].

use std::{
    collections::HashMap,
    fmt,
    path::{Path, PathBuf},
};

use serde::Deserialize;
use shimin_sync::ids::KioskId;

use crate::camera::CameraSettings;

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file or an environment variable is not valid.
    #[error("invalid kiosk settings: {0}")]
    Invalid(String),
}

/// How the kiosk signals an answer besides the screen.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct FeedbackSettings {
    /// `log` (write to the log only; the default) or `gpio` (lamps and buzzer on GPIO lines).
    #[serde(default = "default_feedback_kind")]
    pub kind: String,
    /// The GPIO character device (`/dev/gpiochip0` on a Raspberry Pi 4; `gpiochip4` on a Pi 5).
    #[serde(default = "default_chip")]
    pub chip: PathBuf,
    /// The line (BCM number) of the green "accepted" lamp, if fitted.
    #[serde(default)]
    pub accepted_line: Option<u32>,
    /// The line of the red "refused" lamp, if fitted.
    #[serde(default)]
    pub refused_line: Option<u32>,
    /// The line of the buzzer, if fitted.
    #[serde(default)]
    pub buzzer_line: Option<u32>,
    /// How long a lamp stays lit, in milliseconds (the buzzer beeps a fifth of it).
    #[serde(default = "default_pulse_ms")]
    pub pulse_ms: u64,
    /// The line of a door-release relay, if fitted: energized on each accepted scan.
    #[serde(default)]
    pub door_line: Option<u32>,
    /// How long the door stays released, in milliseconds.
    #[serde(default = "default_door_ms")]
    pub door_ms: u64,
}

fn default_feedback_kind() -> String {
    "log".to_owned()
}
fn default_chip() -> PathBuf {
    PathBuf::from("/dev/gpiochip0")
}
fn default_pulse_ms() -> u64 {
    1500
}
fn default_door_ms() -> u64 {
    5000
}

impl Default for FeedbackSettings {
    fn default() -> Self {
        Self {
            kind: default_feedback_kind(),
            chip: default_chip(),
            accepted_line: None,
            refused_line: None,
            buzzer_line: None,
            pulse_ms: default_pulse_ms(),
            door_line: None,
            door_ms: default_door_ms(),
        }
    }
}

/// Everything `kiosk run` is configured with.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// This kiosk's id, as registered at the portal; also its broker user name.
    pub kiosk_id: KioskId,
    /// The broker: `mqtt://HOST:PORT` or `mqtts://HOST:PORT`.
    #[serde(default = "default_broker_url")]
    pub broker_url: String,
    /// The broker password (prefer `password_file`).
    #[serde(default)]
    pub password: Option<String>,
    /// A file holding the broker password (trailing newline ignored).
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    /// CA certificates (PEM) for `mqtts://`; Debian's bundle when unset.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Where the local store lives.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// Lamps and buzzer.
    #[serde(default)]
    pub feedback: FeedbackSettings,
    /// The camera read when `kiosk run` has no `--frames DIR`.
    #[serde(default)]
    pub camera: CameraSettings,
    /// The touchscreen app.
    #[serde(default)]
    pub ui: crate::ui::settings::UiSettings,
}

fn default_broker_url() -> String {
    "mqtt://127.0.0.1:1883".to_owned()
}
fn default_data_dir() -> PathBuf {
    PathBuf::from("./kiosk-data")
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("kiosk_id", &self.kiosk_id)
            .field("broker_url", &self.broker_url)
            .field("password", &self.password.as_ref().map(|_| "(hidden)"))
            .field("password_file", &self.password_file)
            .field("ca_file", &self.ca_file)
            .field("data_dir", &self.data_dir)
            .field("feedback", &self.feedback)
            .field("camera", &self.camera)
            .field("ui", &self.ui)
            .finish()
    }
}

impl Settings {
    /// Reads the settings: `file` (if any) over the defaults, then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let text = match file {
            Some(path) => std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.display().to_string(),
                source,
            })?,
            None => String::new(),
        };
        Self::from_sources(&text, std::env::vars())
    }

    /// The settings from a TOML `text` and `env` variables (only `KIOSK_*` are looked at).
    pub fn from_sources(
        text: &str,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        let env: HashMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with("KIOSK_"))
            .collect();
        for (key, value) in env {
            let path: Vec<String> = key["KIOSK_".len()..]
                .split("__")
                .map(str::to_ascii_lowercase)
                .collect();
            let last = path.last().map(String::as_str).unwrap_or_default();
            let kind = if last.ends_with("_line")
                || last.ends_with("_ms")
                || ["width", "height", "fps"].contains(&last)
            {
                EnvKind::Number
            } else if last == "fullscreen" {
                EnvKind::Bool
            } else {
                EnvKind::Text
            };
            set_path(&mut table, &path, env_value(&value, kind));
        }
        let settings: Self = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
        if !matches!(settings.feedback.kind.as_str(), "log" | "gpio") {
            return Err(ConfigError::Invalid(format!(
                "feedback.kind must be \"log\" or \"gpio\", not {:?}",
                settings.feedback.kind
            )));
        }
        settings.camera.check().map_err(ConfigError::Invalid)?;
        Ok(settings)
    }

    /// The broker password: `password`, else the contents of `password_file`, else none.
    pub fn broker_password(&self) -> Result<Option<String>, ConfigError> {
        if let Some(password) = &self.password {
            return Ok(Some(password.clone()));
        }
        match &self.password_file {
            Some(path) => std::fs::read_to_string(path)
                .map(|p| Some(p.trim_end_matches(['\r', '\n']).to_owned()))
                .map_err(|source| ConfigError::Read {
                    path: path.display().to_string(),
                    source,
                }),
            None => Ok(None),
        }
    }
}

/// An environment value as TOML: a number for the numeric settings (GPIO lines, times, camera
/// size and rate), a string otherwise (so a password of digits stays a string).
/// What an environment variable's text stands for (the keys say; a PIN of digits stays text).
#[derive(Clone, Copy, PartialEq, Eq)]
enum EnvKind {
    Number,
    Bool,
    Text,
}

/// The TOML value of an environment variable's text; text that is not of its kind stays text,
/// so the settings' error names the key.
fn env_value(text: &str, kind: EnvKind) -> toml::Value {
    match kind {
        EnvKind::Number => text.parse::<i64>().map_or_else(
            |_| toml::Value::String(text.to_owned()),
            toml::Value::Integer,
        ),
        EnvKind::Bool => text.parse::<bool>().map_or_else(
            |_| toml::Value::String(text.to_owned()),
            toml::Value::Boolean,
        ),
        EnvKind::Text => toml::Value::String(text.to_owned()),
    }
}

fn set_path(table: &mut toml::Table, path: &[String], value: toml::Value) {
    match path {
        [] => {}
        [last] => {
            table.insert(last.clone(), value);
        }
        [first, rest @ ..] => {
            let entry = table
                .entry(first.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if !entry.is_table() {
                *entry = toml::Value::Table(toml::Table::new());
            }
            if let toml::Value::Table(inner) = entry {
                set_path(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_example_file_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/kiosk.toml");
        let text = std::fs::read_to_string(path).unwrap();
        let settings = Settings::from_sources(&text, env(&[])).unwrap();
        assert_eq!(settings.kiosk_id.as_str(), "chuo-1");
        assert_eq!(settings.feedback.kind, "log");
        assert_eq!(settings.camera, CameraSettings::default());
        assert_eq!(settings.ui, crate::ui::settings::UiSettings::default());
        // The PIN comes from the environment too, and never shows in the log.
        let with_pin = Settings::from_sources(
            &text,
            env(&[
                ("KIOSK_UI__STAFF_PIN", "2468"),
                ("KIOSK_UI__FULLSCREEN", "false"),
            ]),
        )
        .unwrap();
        assert_eq!(with_pin.ui.staff_pin.as_deref(), Some("2468"));
        assert!(!with_pin.ui.fullscreen, "a bool from the environment");
        assert!(Settings::from_sources(&text, env(&[("KIOSK_UI__FULLSCREEN", "no")])).is_err());
        assert!(!format!("{with_pin:?}").contains("2468"));
    }

    #[test]
    fn defaults_then_file_then_environment() {
        let settings = Settings::from_sources(
            "kiosk_id = \"chuo-1\"\npassword = \"from-file\"\n[feedback]\npulse_ms = 900\n",
            env(&[
                ("KIOSK_BROKER_URL", "mqtt://10.0.0.5:1883"),
                ("KIOSK_FEEDBACK__ACCEPTED_LINE", "17"),
                ("KIOSK_PASSWORD", "12345"),
                ("OTHER", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(settings.broker_url, "mqtt://10.0.0.5:1883");
        assert_eq!(settings.data_dir, PathBuf::from("./kiosk-data"));
        assert_eq!(settings.feedback.pulse_ms, 900);
        assert_eq!(settings.feedback.accepted_line, Some(17));
        assert_eq!(
            settings.broker_password().unwrap().as_deref(),
            Some("12345")
        );
        let shown = format!("{settings:?}");
        assert!(!shown.contains("12345"), "{shown}");
    }

    #[test]
    fn mistakes_are_named() {
        let err = Settings::from_sources("kiosk_id = \"Chuo 1\"", env(&[])).unwrap_err();
        assert!(err.to_string().contains("kiosk id"), "{err}");
        assert!(Settings::from_sources("", env(&[])).is_err());
        assert!(Settings::from_sources("kiosk_id = \"a\"\nkiosk = 1", env(&[])).is_err());
        let err =
            Settings::from_sources("kiosk_id = \"a\"", env(&[("KIOSK_FEEDBACK__KIND", "led")]))
                .unwrap_err();
        assert!(err.to_string().contains("feedback.kind"), "{err}");
    }
}
