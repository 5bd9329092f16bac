//! The `portal` binary: parses the command line, sets up logging, and runs the command.

use std::io::BufRead;

use clap::Parser;
use portal::{
    cli::{AdminCommand, BousaiCommand, Cli, Command, GarbageCommand},
    config::LogFormat,
    server,
};
use tracing_subscriber::EnvFilter;

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            let format = server::settings_from(&args)
                .map(|s| s.log_format)
                .unwrap_or(LogFormat::Text);
            init_logging(format);
            server::serve(args).await
        }
        Command::Admin {
            action:
                AdminCommand::Create {
                    config,
                    data_dir,
                    email,
                    family_name,
                    given_name,
                    password_stdin,
                },
        } => {
            init_logging(LogFormat::Text);
            let settings = server::data_dir_of(config.as_deref(), data_dir)?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                let first = rpassword::prompt_password("パスワード / Password: ")?;
                let again = rpassword::prompt_password("もう一度 / Again: ")?;
                anyhow::ensure!(first == again, "the passwords differ");
                first
            };
            let parts = offline_parts(&settings)?;
            match parts
                .state
                .accounts
                .create_admin(&email, &family_name, &given_name, &password)
                .await
            {
                Ok(account_id) => {
                    println!(
                        "admin {email} ready (account {account_id}); log in at {}/login",
                        settings.base_url()
                    );
                    Ok(())
                }
                Err(portal::accounts::AccountError::Invalid(errors)) => {
                    for (field, key) in errors.0 {
                        eprintln!("{field}: {}", portal::i18n::t(portal::i18n::Lang::Ja, key));
                    }
                    anyhow::bail!("admin not created")
                }
                Err(other) => Err(other.into()),
            }
        }
        Command::Admin {
            action:
                AdminCommand::LoadCitizens {
                    config,
                    data_dir,
                    count,
                    category,
                    line_percent,
                    en_percent,
                },
        } => {
            let parts = command_parts(config.as_deref(), data_dir)?;
            let spec = portal::store::sqlite::loadtest::LoadCitizens {
                count,
                category_id: category,
                line_percent,
                en_percent,
            };
            let added = parts.store.add_load_citizens(spec).await?;
            println!("added {added} citizens");
            Ok(())
        }
        Command::Bousai {
            action:
                BousaiCommand::ImportAreas {
                    config,
                    data_dir,
                    file,
                },
        } => {
            let parts = command_parts(config.as_deref(), data_dir)?;
            let text = std::fs::read_to_string(&file)
                .map_err(|error| anyhow::anyhow!("reading {}: {error}", file.display()))?;
            let areas = match portal::bousai::read_areas_csv(&text) {
                Ok(areas) => areas,
                Err(message) => {
                    eprintln!("{}: {message}", file.display());
                    anyhow::bail!("nothing was imported")
                }
            };
            let added = portal::store::AlertStore::add_alert_areas(&parts.store, areas).await?;
            println!("added {added} areas from {}", file.display());
            Ok(())
        }
        Command::Admin {
            action:
                AdminCommand::LoadGarbage {
                    config,
                    data_dir,
                    hour,
                    extra_day,
                },
        } => {
            let parts = command_parts(config.as_deref(), data_dir)?;
            let set = parts.store.add_load_garbage(hour, extra_day).await?;
            println!("{set} citizens have a garbage setting");
            Ok(())
        }
        Command::Admin {
            action: AdminCommand::LoadAlerts { config, data_dir },
        } => {
            let parts = command_parts(config.as_deref(), data_dir)?;
            let loaded = parts.store.add_load_alerts().await?;
            println!(
                "{} of {} citizens have an alert setting ({} opted out, {} only their areas)",
                loaded.settings, loaded.citizens, loaded.opted_out, loaded.only_my_areas
            );
            Ok(())
        }
        Command::Garbage {
            action:
                GarbageCommand::Import5374 {
                    config,
                    data_dir,
                    folder,
                },
        } => {
            let parts = command_parts(config.as_deref(), data_dir)?;
            let files = portal::gomi::files::read_folder(&folder)?;
            match parts.state.gomi.import_5374(&files).await {
                Ok(warnings) => {
                    let city = parts.state.gomi.city().await?;
                    let areas = city.map_or(0, |city| city.areas.len());
                    println!("imported {areas} areas from {}", folder.display());
                    for warning in warnings {
                        println!("  注意: {}", warning.message(portal::i18n::Lang::Ja));
                    }
                    Ok(())
                }
                Err(portal::gomi::GomiError::Import(error)) => {
                    eprintln!("{}", error.message(portal::i18n::Lang::Ja));
                    anyhow::bail!("nothing was imported")
                }
                Err(other) => Err(other.into()),
            }
        }
        Command::Garbage {
            action:
                GarbageCommand::Export5374 {
                    config,
                    data_dir,
                    folder,
                },
        } => {
            let parts = command_parts(config.as_deref(), data_dir)?;
            let files = parts.state.gomi.export_5374().await?;
            portal::gomi::files::write_folder(&folder, &files)?;
            println!("exported to {}", folder.display());
            Ok(())
        }
        Command::Admin {
            action: AdminCommand::MosquittoPasswd { config, data_dir },
        } => {
            let parts = command_parts(config.as_deref(), data_dir)?;
            for line in parts.state.checkin.mosquitto_password_lines().await? {
                println!("{line}");
            }
            for line in parts.state.library.mosquitto_password_lines().await? {
                println!("{line}");
            }
            Ok(())
        }
    }
}

/// Logging, the settings of `--config`/`--data-dir`, and the portal's parts: what every command
/// but `serve` starts with.
fn command_parts(
    config: Option<&std::path::Path>,
    data_dir: Option<std::path::PathBuf>,
) -> anyhow::Result<server::Parts> {
    init_logging(LogFormat::Text);
    let settings = server::data_dir_of(config, data_dir)?;
    offline_parts(&settings)
}

/// The portal's parts for a command that does not serve (no global metrics recorder).
fn offline_parts(settings: &portal::config::Settings) -> anyhow::Result<server::Parts> {
    server::build(
        settings,
        std::sync::Arc::new(portal::clock::SystemClock),
        metrics_exporter_prometheus::PrometheusBuilder::new()
            .build_recorder()
            .handle(),
    )
}
