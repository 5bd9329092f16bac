//! `portal serve`: opens the store, starts the mail worker, the embedded MQTT broker (unless an
//! external one is configured) and the HTTP server, and shuts all of it down gracefully on
//! SIGTERM or Ctrl-C.

use std::{
    io::Write,
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::{
    accounts::Accounts,
    cli::ServeArgs,
    clock::{Clock, SystemClock},
    config::Settings,
    demo,
    mail::{MailTransport, file::FileTransport, smtp::SmtpTransport, worker::MailWorker},
    store::{SessionStore, sqlite::SqliteStore},
    web::{self, AppState, ratelimit::Limits},
};

/// Applies the command-line flags over the loaded settings.
pub fn settings_from(args: &ServeArgs) -> anyhow::Result<Settings> {
    let mut settings = Settings::load(args.config.as_deref())
        .map_err(|error| anyhow::anyhow!("settings: {error}"))?;
    if let Some(listen) = args.listen {
        settings.listen = listen;
    }
    if let Some(dir) = &args.data_dir {
        settings.data_dir = dir.clone();
    }
    if let Some(url) = &args.mqtt_url {
        settings.mqtt.url = Some(url.clone());
    }
    if let Some(listen) = args.mqtt_listen {
        settings.mqtt.listen = listen;
    }
    Ok(settings)
}

/// Reads the 32-byte secret key of this installation (CSRF tokens), creating it on first start
/// with permissions for the portal's user only.
pub fn secret_key(data_dir: &Path) -> anyhow::Result<[u8; 32]> {
    let path = data_dir.join("secret.key");
    match std::fs::read(&path) {
        Ok(bytes) => bytes.try_into().map_err(|_| {
            anyhow::anyhow!(
                "{} is not 32 bytes; delete it to make a new one",
                path.display()
            )
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options
                .open(&path)
                .with_context(|| format!("creating {}", path.display()))?;
            file.write_all(&key)?;
            file.sync_all()?;
            Ok(key)
        }
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

/// Everything `serve` runs, built from settings (tests build it too).
pub struct Parts {
    /// The web application's state.
    pub state: AppState,
    /// The mail worker, ready to run.
    pub worker: MailWorker,
    /// The notification workers (email and LINE), ready to run.
    pub delivery: crate::notify::worker::Delivery,
    /// The store.
    pub store: SqliteStore,
    /// What the check-in service publishes, for the MQTT link to drain.
    pub outbound: tokio::sync::mpsc::UnboundedReceiver<crate::checkin::Outbound>,
}

/// Opens the data directory and builds the application's parts.
pub fn build(
    settings: &Settings,
    clock: Arc<dyn Clock>,
    metrics: PrometheusHandle,
) -> anyhow::Result<Parts> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("creating data directory {}", settings.data_dir.display()))?;
    let store = SqliteStore::open(&settings.data_dir.join("portal.db"))
        .with_context(|| format!("opening the database in {}", settings.data_dir.display()))?;
    let key = secret_key(&settings.data_dir)?;
    let mail_wake = Arc::new(Notify::new());
    let accounts = Accounts::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::clone(&clock),
        settings.city_name.clone(),
        settings.base_url(),
        Arc::clone(&mail_wake),
    );
    let transport: Arc<dyn MailTransport> = match &settings.mail.smtp_url {
        Some(url) => match crate::mail::smtp_pool::Relay::from_url(url)? {
            Some(relay) => Arc::new(crate::mail::smtp_pool::NoDelaySmtp::new(
                relay,
                settings.mail.from.clone(),
            )),
            None => Arc::new(SmtpTransport::new(url, settings.mail.from.clone())?),
        },
        None => Arc::new(FileTransport::new(
            settings.data_dir.join("outbox"),
            settings.mail.from.clone(),
        )?),
    };
    let family = crate::family::Family::new(Arc::new(store.clone()), Arc::clone(&clock));
    let library = crate::library::Library::new(
        Arc::new(store.clone()),
        Arc::new(crate::library::heic::HeifConvert {
            program: settings.library.heif_convert.clone(),
            ..crate::library::heic::HeifConvert::default()
        }),
        Arc::clone(&clock),
        settings.library.clone(),
    );
    let centers = crate::centers::Centers::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::clone(&clock),
    );
    let (checkin, outbound) = crate::checkin::Checkin::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::clone(&clock),
        settings.occupancy,
    );
    let announcements =
        crate::announcements::Announcements::new(Arc::new(store.clone()), Arc::clone(&clock));
    let line_api: Arc<dyn crate::line::LineApi> = Arc::new(
        crate::line::client::HttpLineApi::new(
            &settings.line.api_base,
            settings.line.channel_token.clone(),
        )
        .map_err(|error| anyhow::anyhow!("LINE client: {error}"))?,
    );
    let line = crate::line::linking::LineLinking::new(
        Arc::clone(&line_api),
        Arc::new(store.clone()),
        Arc::clone(&clock),
        settings.line.channel_secret.clone(),
        settings.base_url(),
    );
    let wake = Arc::new(crate::notify::Wake::default());
    let notifier = crate::notify::Notifier::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::clone(&clock),
        Arc::clone(&wake),
        settings.city_name.clone(),
        settings.base_url(),
    );
    let schools = crate::schools::Schools::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        notifier.clone(),
        Arc::clone(&clock),
        settings.base_url(),
    );
    let gomi = crate::gomi::Gomi::new(
        Arc::new(store.clone()),
        notifier.clone(),
        Arc::clone(&clock),
        settings.garbage.clone(),
    );
    let bousai = crate::bousai::Bousai::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        Arc::clone(&clock),
        settings.bousai.clone(),
    )
    .map_err(|error| anyhow::anyhow!("the alert catalog: {error}"))?;
    let line = line.with_answers(Arc::new(bousai.clone()));
    let kenko = crate::kenko::Kenko::new(Arc::new(store.clone()), Arc::clone(&clock))
        .map_err(|error| anyhow::anyhow!("the health questionnaires: {error}"))?;
    let timely = crate::kosodate_timely::KosodateTimely::new(
        Arc::new(store.clone()),
        Arc::new(store.clone()),
        notifier.clone(),
        Arc::clone(&clock),
        crate::timely::Schedule::embedded()
            .map_err(|error| anyhow::anyhow!("the timely schedule: {error}"))?,
    );
    let kosodate_events = crate::kosodate_events::KosodateEvents::new(
        Arc::new(store.clone()),
        notifier.clone(),
        Arc::clone(&clock),
    );
    let delivery = crate::notify::worker::Delivery {
        store: Arc::new(store.clone()),
        mail: Arc::clone(&transport),
        line: line_api,
        clock: Arc::clone(&clock),
        wake,
        instance: settings.instance_id.clone(),
        settings: crate::notify::worker::WorkerSettings {
            email_concurrency: settings.mail.connections.max(1),
            ..crate::notify::worker::WorkerSettings::default()
        },
    };
    let state = AppState {
        accounts,
        announcements,
        line,
        notifier,
        schools,
        centers,
        checkin,
        family,
        library,
        gomi,
        bousai,
        kenko,
        procedures: Arc::new(procedures(settings)?),
        timely,
        kosodate_events,
        clock: Arc::clone(&clock),
        broker_url: settings.kiosk_broker_url(),
        db: store.db().clone(),
        csrf_key: Arc::new(key),
        secure_cookies: settings.secure_cookies(),
        trust_proxy: settings.trust_proxy,
        limits: Arc::new(Limits::default()),
        metrics,
    };
    let worker = MailWorker {
        outbox: Arc::new(store.clone()),
        transport,
        clock,
        wake: mail_wake,
        instance: settings.instance_id.clone(),
    };
    Ok(Parts {
        state,
        worker,
        delivery,
        store,
        outbound,
    })
}

/// Installs the process-wide Prometheus recorder (once).
pub fn install_metrics() -> anyhow::Result<PrometheusHandle> {
    let recorder = PrometheusBuilder::new()
        .set_buckets(&[
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
        ])?
        .build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder)
        .map_err(|error| anyhow::anyhow!("metrics recorder: {error}"))?;
    Ok(handle)
}

/// `portal serve`.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let settings = settings_from(&args)?;
    tracing::info!(?settings, "starting");
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let parts = build(&settings, Arc::clone(&clock), install_metrics()?)?;
    if args.demo {
        demo::seed_if_empty(&parts.state, &parts.store, &settings.data_dir).await?;
    }
    match &settings.mail.smtp_url {
        Some(url) => {
            tracing::info!(url = %crate::config::redact_url(url), "mail goes through SMTP")
        }
        None => {
            tracing::info!(dir = %settings.data_dir.join("outbox").display(), "mail is written as .eml files")
        }
    }

    let stop = CancellationToken::new();
    let checkin = parts.state.checkin.clone();
    // The first pass-signing key exists before anything is published: a kiosk must never be
    // handed an empty key set.
    checkin
        .rotate_keys()
        .await
        .context("making the first pass-signing key")?;
    let mqtt = crate::checkin::link::start(
        &settings,
        &checkin,
        &parts.state.library,
        parts.outbound,
        stop.clone(),
    )?;
    let ticker = tokio::spawn(crate::checkin::link::ticker(checkin, stop.clone()));
    let worker = tokio::spawn(parts.worker.run(stop.clone()));
    let delivery = tokio::spawn(parts.delivery.run(stop.clone()));
    let dispatcher = tokio::spawn(crate::notify::run_dispatchers(
        vec![
            Arc::new(parts.state.notifier.clone()),
            Arc::new(parts.state.schools.clone()),
            Arc::new(parts.state.gomi.clone()),
            Arc::new(parts.state.timely.clone()),
            Arc::new(crate::kenko_remind::Reminders {
                kenko: parts.state.kenko.clone(),
                notifier: parts.state.notifier.clone(),
            }),
            Arc::new(crate::bousai_send::Resume {
                bousai: parts.state.bousai.clone(),
                notifier: parts.state.notifier.clone(),
            }),
        ],
        stop.clone(),
    ));
    let housekeeping = tokio::spawn(housekeeping(
        parts.state.clone(),
        Arc::new(parts.store.clone()),
        clock,
        stop.clone(),
    ));

    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {} (use --listen)", settings.listen))?;
    tracing::info!(url = %settings.base_url(), listen = %settings.listen, "portal listening");
    let app = web::app(parts.state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal(stop.clone()))
        .await
        .context("HTTP server")?;
    stop.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(10), async {
        let _ = worker.await;
        let _ = delivery.await;
        let _ = dispatcher.await;
        let _ = housekeeping.await;
        let _ = ticker.await;
        let _ = mqtt.await;
    })
    .await;
    tracing::info!("stopped");
    Ok(())
}

/// Hourly: drop expired sessions and tokens, and forget idle rate-limit keys.
async fn housekeeping(
    state: AppState,
    sessions: Arc<dyn SessionStore>,
    clock: Arc<dyn Clock>,
    stop: CancellationToken,
) {
    loop {
        match sessions.purge_expired(clock.now()).await {
            Ok(count) if count > 0 => tracing::info!(count, "purged expired sessions and links"),
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "purging sessions failed"),
        }
        state.limits.shrink();
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(Duration::from_secs(3600)) => {}
        }
    }
}

async fn shutdown_signal(stop: CancellationToken) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
        () = stop.cancelled() => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
    stop.cancel();
}

/// The data directory a command works on.
pub fn data_dir_of(config: Option<&Path>, data_dir: Option<PathBuf>) -> anyhow::Result<Settings> {
    let mut settings =
        Settings::load(config).map_err(|error| anyhow::anyhow!("settings: {error}"))?;
    if let Some(dir) = data_dir {
        settings.data_dir = dir;
    }
    Ok(settings)
}

/// ライフイベントの手続き: the city's file when configured, else the one shipped.
fn procedures(settings: &Settings) -> anyhow::Result<crate::procedures::Guide> {
    match &settings.kosodate.procedures_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|error| anyhow::anyhow!("reading {}: {error}", path.display()))?;
            crate::procedures::Guide::from_toml(&text).map_err(|error| {
                anyhow::anyhow!(
                    "{}: {}",
                    path.display(),
                    error.message(crate::i18n::Lang::Ja)
                )
            })
        }
        None => crate::procedures::Guide::embedded()
            .map_err(|error| anyhow::anyhow!("the procedures file: {error}")),
    }
}
