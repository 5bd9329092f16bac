//! The `portal` command line.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

/// Shimin Portal — the citizen portal server.
#[derive(Debug, Parser)]
#[command(name = "portal", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the portal: web pages, JSON API, mail outbox, and (unless --mqtt-url) the MQTT broker.
    Serve(ServeArgs),
    /// Administration from the command line.
    Admin {
        /// The admin action.
        #[command(subcommand)]
        action: AdminCommand,
    },
    /// 避難情報: the city's areas for 防災情報の通知設定.
    Bousai {
        /// The 避難情報 action.
        #[command(subcommand)]
        action: BousaiCommand,
    },
    /// ごみ収集日: the city's garbage data.
    Garbage {
        /// The garbage action.
        #[command(subcommand)]
        action: GarbageCommand,
    },
}

/// `portal bousai …`.
#[derive(Debug, Subcommand)]
pub enum BousaiCommand {
    /// Add the city's areas (地域) from a CSV of `番号,地域名` rows with a header row. Every row
    /// is checked first; one bad row refuses all (with its line) and changes nothing. Areas
    /// already there keep their number and name (citizens' settings refer to them).
    #[command(name = "import-areas")]
    ImportAreas {
        /// Settings file.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Data directory [default: ./data].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// The CSV file.
        file: PathBuf,
    },
}

/// `portal garbage …`.
#[derive(Debug, Subcommand)]
pub enum GarbageCommand {
    /// Import the city's garbage data from a folder of 5374 (ゴミナシ) files: area_days.csv,
    /// center.csv, description.csv, target.csv and, if present, remarks.csv. Every row is
    /// checked first; one bad row refuses the whole import (with its file, line and reason)
    /// and changes nothing.
    #[command(name = "import-5374")]
    Import5374 {
        /// Settings file.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Data directory [default: ./data].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// The folder with the 5374 files.
        folder: PathBuf,
    },
    /// Export the city's garbage data as 5374 files into a folder (created if missing).
    #[command(name = "export-5374")]
    Export5374 {
        /// Settings file.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Data directory [default: ./data].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// The folder to write.
        folder: PathBuf,
    },
}

/// Settings of `portal serve` that can be given as flags (they override file and env).
#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// A TOML settings file (see config/portal.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// HTTP listen address [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Data directory [default: ./data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// An external MQTT broker (mqtt://host:1883); the embedded broker then does not start.
    #[arg(long, value_name = "URL")]
    pub mqtt_url: Option<String>,
    /// Listen address of the embedded MQTT broker [default: 127.0.0.1:1883].
    #[arg(long, value_name = "ADDR")]
    pub mqtt_listen: Option<SocketAddr>,
    /// Fill an empty data directory with a demo city and print the demo logins.
    #[arg(long)]
    pub demo: bool,
}

/// `portal admin …`.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create the first admin (or give an existing account the admin role).
    /// The password is read from the terminal, or from standard input with --password-stdin.
    Create {
        /// Settings file.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Data directory [default: ./data].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// The admin's email address (the login).
        #[arg(long)]
        email: String,
        /// 姓
        #[arg(long)]
        family_name: String,
        /// 名
        #[arg(long)]
        given_name: String,
        /// Read the password from the first line of standard input instead of the terminal.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Add synthetic citizens for a load test or benchmark (addresses under `load.invalid`,
    /// no password): each wants the 分野 CATEGORY; `--line-percent` of them are linked to LINE
    /// and take 市からのお知らせ by LINE only. Never run this on a city's real portal.
    LoadCitizens {
        /// Settings file.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Data directory [default: ./data].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// How many citizens to add.
        #[arg(long)]
        count: u64,
        /// The 分野 they want (its id, e.g. `bousai`).
        #[arg(long)]
        category: String,
        /// Percent linked to LINE (LINE only).
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u8).range(0..=100))]
        line_percent: u8,
        /// Percent reading English.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u8).range(0..=100))]
        en_percent: u8,
    },
    /// Give the synthetic citizens of `load-citizens` a ごみ収集日 setting, for a benchmark: the
    /// areas in turn, 90 % reminded the evening before at HOUR; with --extra-day, every area
    /// also collects that day. Never run this on a city's real portal.
    LoadGarbage {
        /// Settings file.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Data directory [default: ./data].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// The evening hour (0–23, Asia/Tokyo).
        #[arg(long, value_parser = clap::value_parser!(u8).range(0..=23))]
        hour: u8,
        /// A day every area also collects on (YYYY-MM-DD).
        #[arg(long)]
        extra_day: Option<jiff::civil::Date>,
    },
    /// Give the synthetic citizens of `load-citizens` a 防災情報の通知設定, for a benchmark: a
    /// realistic spread of opt-outs, languages and "only my areas" among the city's areas (see
    /// `portal/src/store/sqlite/loadtest_alerts.rs`); those linked to LINE take 避難情報 by LINE
    /// only. Never run this on a city's real portal.
    LoadAlerts {
        /// Settings file.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Data directory [default: ./data].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Print the kiosks' lines of a Mosquitto `password_file` (`kiosk_id:$7$…`), for a city
    /// that runs Mosquitto: the portal keeps kiosk passwords in Mosquitto's own hash format.
    /// Add the portal's own line with `mosquitto_passwd`.
    MosquittoPasswd {
        /// Settings file.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Data directory [default: ./data].
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
}
