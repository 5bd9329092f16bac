//! Settings: defaults in code → a TOML file (`--config`) → `PORTAL_*` environment variables →
//! command-line flags. Every setting is documented once, here, with its default and env name;
//! `config/portal.toml` is the commented example and a test parses it.

use std::{fmt, net::SocketAddr, path::PathBuf};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

/// Every environment variable the portal reads, with the setting it fills (dotted path).
/// `PORTAL_SMTP_URL` and the three `PORTAL_LINE_*` names are fixed by the design.
pub const ENV_VARS: &[(&str, &str)] = &[
    ("PORTAL_LISTEN", "listen"),
    ("PORTAL_DATA_DIR", "data_dir"),
    ("PORTAL_PUBLIC_URL", "public_url"),
    ("PORTAL_CITY_NAME", "city_name"),
    ("PORTAL_TRUST_PROXY", "trust_proxy"),
    ("PORTAL_LOG_FORMAT", "log_format"),
    ("PORTAL_INSTANCE_ID", "instance_id"),
    ("PORTAL_MQTT_URL", "mqtt.url"),
    ("PORTAL_MQTT_LISTEN", "mqtt.listen"),
    ("PORTAL_MQTT_KIOSK_URL", "mqtt.kiosk_url"),
    ("PORTAL_MQTT_USERNAME", "mqtt.username"),
    ("PORTAL_MQTT_PASSWORD", "mqtt.password"),
    (
        "PORTAL_OCCUPANCY_SOMEWHAT_CROWDED_FROM",
        "occupancy.somewhat_crowded_from",
    ),
    ("PORTAL_OCCUPANCY_CROWDED_FROM", "occupancy.crowded_from"),
    ("PORTAL_SMTP_URL", "mail.smtp_url"),
    ("PORTAL_MAIL_FROM", "mail.from"),
    ("PORTAL_MAIL_CONNECTIONS", "mail.connections"),
    ("PORTAL_LINE_API_BASE", "line.api_base"),
    ("PORTAL_LINE_CHANNEL_SECRET", "line.channel_secret"),
    ("PORTAL_LINE_CHANNEL_TOKEN", "line.channel_token"),
];

/// All settings of `portal serve`.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// HTTP listen address. Default `127.0.0.1:8080`; env `PORTAL_LISTEN`.
    pub listen: SocketAddr,
    /// Where the database, the secret key and the mail outbox live. Default `./data`;
    /// env `PORTAL_DATA_DIR`.
    pub data_dir: PathBuf,
    /// The address citizens reach the portal at, used in links in mail
    /// (e.g. `https://portal.city.example.jp`). Default: `http://` + the listen address;
    /// env `PORTAL_PUBLIC_URL`.
    pub public_url: Option<String>,
    /// The city's name as shown in pages and mail. Default `東広島市`; env `PORTAL_CITY_NAME`.
    pub city_name: String,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy you run).
    /// Default `false`; env `PORTAL_TRUST_PROXY`.
    pub trust_proxy: bool,
    /// `text` (human) or `json` (one object per line) logs. Default `text`; env `PORTAL_LOG_FORMAT`.
    pub log_format: LogFormat,
    /// The name of this portal instance, unique among instances sharing one database (it
    /// marks the work this instance has claimed). Default `portal-1`; env `PORTAL_INSTANCE_ID`.
    pub instance_id: String,
    /// MQTT: the embedded broker, or an external one.
    pub mqtt: MqttSettings,
    /// 混雑状況 thresholds in percent of capacity: やや混雑 from `somewhat_crowded_from`
    /// (default 50), 混雑 from `crowded_from` (default 80). Env
    /// `PORTAL_OCCUPANCY_SOMEWHAT_CROWDED_FROM`, `PORTAL_OCCUPANCY_CROWDED_FROM`.
    pub occupancy: shimin_sync::messages::Thresholds,
    /// Outgoing mail.
    pub mail: MailSettings,
    /// The LINE Messaging API.
    pub line: LineSettings,
    /// The library: its card numbers' rules and barcode (`[library]`).
    pub library: crate::library::LibrarySettings,
    /// ごみ収集日 (`[garbage]`): by when garbage must be out, the reminder's default hour.
    pub garbage: crate::gomi::GomiSettings,
    /// 避難情報 (`[bousai]`): whether alerts need a second staff member's approval.
    pub bousai: crate::bousai::BousaiSettings,
    /// 子育て (`[kosodate]`): the city's own procedures file.
    pub kosodate: KosodateSettings,
}

/// 子育て settings (`[kosodate]`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct KosodateSettings {
    /// The city's file of ライフイベントの手続き (questions and procedures, TOML); unset: the
    /// one the portal ships (`portal/data/procedures.toml`). Check it first with
    /// `portal check-procedures FILE`; the portal does not start with a malformed one.
    pub procedures_file: Option<PathBuf>,
}

/// Log output format.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// MQTT settings.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MqttSettings {
    /// An external broker (`mqtt://host:1883`, `mqtts://host:8883`). When unset the portal starts
    /// its embedded broker. Env `PORTAL_MQTT_URL`.
    pub url: Option<String>,
    /// Listen address of the embedded broker. Default `127.0.0.1:1883`; env `PORTAL_MQTT_LISTEN`.
    pub listen: SocketAddr,
    /// The broker URL as kiosks reach it, shown with new kiosk credentials. Default: `url`, or
    /// the embedded broker's `mqtt://listen`; env `PORTAL_MQTT_KIOSK_URL`.
    pub kiosk_url: Option<String>,
    /// The portal's user name on an external broker. Default `portal`; env
    /// `PORTAL_MQTT_USERNAME`.
    pub username: String,
    /// The portal's password on an external broker; env `PORTAL_MQTT_PASSWORD`. (The embedded
    /// broker gets a fresh random one at every start.)
    pub password: Option<String>,
}

impl std::fmt::Debug for MqttSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttSettings")
            .field("url", &self.url.as_ref().map(|url| redact_url(url)))
            .field("listen", &self.listen)
            .field("kiosk_url", &self.kiosk_url)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

/// Mail settings.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// `smtp://HOST:PORT` (plain), `smtp://HOST:PORT?tls=required` (STARTTLS) or
    /// `smtps://USER:PASS@HOST:465`. When unset, mail is written as `.eml` files to
    /// `DATA/outbox/`. Env `PORTAL_SMTP_URL`.
    pub smtp_url: Option<String>,
    /// The From address. Default `市民ポータルサイト <noreply@portal.invalid>`; env `PORTAL_MAIL_FROM`.
    pub from: String,
    /// Mails handed to the relay at once by the delivery engine (SMTP connections in use).
    /// Default 32 (Postfix takes 50 from one client by default); env `PORTAL_MAIL_CONNECTIONS`.
    pub connections: usize,
}

/// LINE Messaging API settings.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LineSettings {
    /// Base URL of the LINE platform. Default `https://api.line.me`; env `PORTAL_LINE_API_BASE`.
    pub api_base: String,
    /// The channel secret (verifies webhook signatures). Env `PORTAL_LINE_CHANNEL_SECRET`.
    pub channel_secret: Option<String>,
    /// The channel access token. Env `PORTAL_LINE_CHANNEL_TOKEN`.
    pub channel_token: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            public_url: None,
            city_name: "東広島市".to_owned(),
            trust_proxy: false,
            log_format: LogFormat::Text,
            instance_id: "portal-1".to_owned(),
            mqtt: MqttSettings {
                url: None,
                listen: SocketAddr::from(([127, 0, 0, 1], 1883)),
                kiosk_url: None,
                username: "portal".to_owned(),
                password: None,
            },
            occupancy: shimin_sync::messages::Thresholds::default(),
            mail: MailSettings {
                smtp_url: None,
                from: "市民ポータルサイト <noreply@portal.invalid>".to_owned(),
                connections: 32,
            },
            line: LineSettings {
                api_base: "https://api.line.me".to_owned(),
                channel_secret: None,
                channel_token: None,
            },
            library: crate::library::LibrarySettings::default(),
            garbage: crate::gomi::GomiSettings::default(),
            bousai: crate::bousai::BousaiSettings::default(),
            kosodate: KosodateSettings::default(),
        }
    }
}

impl Settings {
    /// Loads settings: defaults, then `file` if given, then the environment variables in
    /// [`ENV_VARS`]. Command-line flags are applied by the caller afterwards.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(Box::new(figment::Error::from(format!(
                    "config file {} does not exist",
                    path.display()
                ))));
            }
            figment = figment.merge(Toml::file_exact(path));
        }
        figment = figment.merge(Env::raw().filter_map(|key| {
            ENV_VARS
                .iter()
                .find(|(name, _)| key.as_str().eq_ignore_ascii_case(name))
                .map(|(_, path)| (*path).into())
        }));
        let settings: Self = figment.extract().map_err(Box::new)?;
        settings.occupancy.check().map_err(|why| {
            Box::new(figment::Error::from(format!("occupancy thresholds: {why}")))
        })?;
        Ok(settings)
    }

    /// The broker URL kiosks connect to.
    pub fn kiosk_broker_url(&self) -> String {
        self.mqtt
            .kiosk_url
            .clone()
            .or_else(|| self.mqtt.url.clone())
            .unwrap_or_else(|| format!("mqtt://{}", self.mqtt.listen))
    }

    /// The base URL for links in mail, without a trailing slash.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// Whether cookies must carry the `Secure` attribute (the portal is reached over HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.base_url().starts_with("https://")
    }
}

/// Hides a secret in `Debug` output, showing only whether it is set.
fn secret(value: &Option<String>) -> &'static str {
    if value.is_some() { "<set>" } else { "<unset>" }
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The SMTP URL may carry a password.
        f.debug_struct("MailSettings")
            .field(
                "smtp_url",
                &self.smtp_url.as_ref().map(|url| redact_url(url)),
            )
            .field("from", &self.from)
            .finish()
    }
}

impl fmt::Debug for LineSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LineSettings")
            .field("api_base", &self.api_base)
            .field("channel_secret", &secret(&self.channel_secret))
            .field("channel_token", &secret(&self.channel_token))
            .finish()
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field("public_url", &self.public_url)
            .field("city_name", &self.city_name)
            .field("trust_proxy", &self.trust_proxy)
            .field("log_format", &self.log_format)
            .field("instance_id", &self.instance_id)
            .field("mqtt", &self.mqtt.url.as_ref().map(|url| redact_url(url)))
            .field("mqtt_listen", &self.mqtt.listen)
            .field("mail", &self.mail)
            .field("line", &self.line)
            .finish()
    }
}

/// Replaces the password of a URL with `***`, for logs.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "<unparsable url>".to_owned(),
    }
}

#[cfg(test)]
// figment's Jail closures return its own (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_parses_and_matches_the_defaults_it_documents() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/portal.toml");
        let settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file_exact(&path))
            .extract::<Settings>()
            .unwrap();
        assert_eq!(settings.listen, Settings::default().listen);
        assert_eq!(settings.mail.from, Settings::default().mail.from);
        assert_eq!(settings.garbage, Settings::default().garbage);
        assert_eq!(settings.bousai, Settings::default().bousai);
    }

    #[test]
    fn fixed_env_names_fill_nested_settings() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("PORTAL_SMTP_URL", "smtp://127.0.0.1:2525");
            jail.set_env("PORTAL_LINE_API_BASE", "http://127.0.0.1:9000");
            jail.set_env("PORTAL_LISTEN", "127.0.0.1:9999");
            let settings = Settings::load(None).unwrap();
            assert_eq!(
                settings.mail.smtp_url.as_deref(),
                Some("smtp://127.0.0.1:2525")
            );
            assert_eq!(settings.line.api_base, "http://127.0.0.1:9000");
            assert_eq!(settings.listen.port(), 9999);
            Ok(())
        });
    }

    #[test]
    fn an_unknown_key_in_the_file_is_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("p.toml", "listn = \"127.0.0.1:1\"\n")?;
            let error = Settings::load(Some(std::path::Path::new("p.toml"))).unwrap_err();
            assert!(error.to_string().contains("listn"), "{error}");
            Ok(())
        });
    }

    #[test]
    fn debug_output_hides_secrets() {
        let mut settings = Settings::default();
        settings.mail.smtp_url = Some("smtps://user:hunter2@mail.example:465".to_owned());
        settings.line.channel_token = Some("tok-secret".to_owned());
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("tok-secret"),
            "{shown}"
        );
    }
}
