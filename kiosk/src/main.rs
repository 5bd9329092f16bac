//! The `kiosk` binary: a thin shell over the `kiosk` library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// The Shimin kiosk.
#[derive(Debug, Parser)]
#[command(name = "kiosk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the kiosk.
    Run {
        /// Configuration file (TOML).
        #[arg(long)]
        config: Option<PathBuf>,
        /// No window: log what the screen would say.
        #[arg(long)]
        headless: bool,
        /// Read camera frames from image files in this folder (new files are picked up).
        #[arg(long)]
        frames: Option<PathBuf>,
    },
    /// Run the kiosk at a library counter: lending and returns through the library's ILS.
    Library {
        /// Configuration file (TOML; see config/library-kiosk.toml).
        #[arg(long)]
        config: PathBuf,
        /// Read camera frames from image files in this folder (new files are picked up).
        #[arg(long)]
        frames: Option<PathBuf>,
    },
    /// Decode every code in each image; one line per code found.
    Decode {
        /// Print JSON lines: {"file", "symbology", "text"}.
        #[arg(long)]
        json: bool,
        /// What to look for, comma-separated, tried in this order: qr, codabar (NW-7, the
        /// library card; its text keeps the start/stop characters A-D), code128, ean13.
        /// Default: all four, QR first.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "qr,codabar,code128,ean13",
            value_name = "LIST"
        )]
        symbology: Vec<kiosk::decode::Symbology>,
        /// Image files.
        #[arg(required = true)]
        images: Vec<PathBuf>,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Run {
            config,
            headless,
            frames,
        } => kiosk::run::main(kiosk::run::RunArgs {
            config,
            headless,
            frames,
        }),
        Command::Library { config, frames } => kiosk::library_run::main(&config, frames),
        Command::Decode {
            json,
            symbology,
            images,
        } => kiosk::decode::cli::run(json, &symbology, &images),
    }
}
