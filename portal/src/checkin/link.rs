//! The portal's MQTT connection: a thin shell over [`shimin_sync::mqtt`],
//! [`Checkin::handle_messages`] and, for the library counter kiosks,
//! [`Library::handle_message`].
//!
//! Two tasks, so neither can stall the other: one reads what arrives (and on every connection
//! subscribes and queues the retained state again), the other publishes the queue of
//! [`Outbound`] messages in order — occupancy and presence before the ack that follows them.

use shimin_sync::{
    mqtt::{self, LinkEvent, LinkOptions},
    topics::{Topic, portal_filters},
};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Checkin, Outbound};
use crate::library::{Library, kiosks::is_library_kiosk};

/// Whether a message is for the library: a circulation request, or a library kiosk's status.
fn library_topic(topic: &str) -> Option<Topic> {
    let topic = Topic::parse(topic).ok()?;
    match &topic {
        Topic::KioskCirculation(_) => Some(topic),
        Topic::KioskStatus(kiosk) if is_library_kiosk(kiosk) => Some(topic),
        _ => None,
    }
}

/// The most messages handled in one batch.
const BATCH: usize = 200;

/// Runs the link until `stop` is cancelled.
pub async fn run(
    checkin: Checkin,
    library: Library,
    options: LinkOptions,
    mut outbound: mpsc::UnboundedReceiver<Outbound>,
    stop: CancellationToken,
) -> anyhow::Result<()> {
    let (handle, mut events, task) = mqtt::start(&options)?;
    let publisher = {
        let handle = handle.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            loop {
                let message = tokio::select! {
                    () = stop.cancelled() => break,
                    message = outbound.recv() => message,
                };
                let Some(message) = message else { break };
                if let Err(error) = handle
                    .publish(message.topic, message.payload, message.retain)
                    .await
                {
                    tracing::warn!(%error, "MQTT publish failed");
                    break;
                }
            }
        })
    };
    // An event that arrived while a batch was being collected, handled next.
    let mut next: Option<LinkEvent> = None;
    loop {
        let event = match next.take() {
            Some(event) => Some(event),
            None => tokio::select! {
                () = stop.cancelled() => break,
                event = events.recv() => event,
            },
        };
        match event {
            None => break,
            Some(LinkEvent::Connected { session_present }) => {
                tracing::info!(session_present, "portal connected to the MQTT broker");
                if let Err(error) = handle.subscribe(portal_filters()).await {
                    tracing::warn!(%error, "MQTT subscribe failed");
                }
                // Brokers may have lost retained messages (rumqttd keeps none across a
                // restart): publish the current state again.
                match checkin.retained_state().await {
                    Ok(messages) => messages
                        .into_iter()
                        .for_each(|message| checkin.send(message)),
                    Err(error) => tracing::error!(%error, "reading the state to republish"),
                }
            }
            Some(LinkEvent::Disconnected { reason }) => {
                tracing::warn!(%reason, "portal lost the MQTT broker; reconnecting");
            }
            Some(LinkEvent::Message { topic, payload }) => {
                // A backlog (a kiosk back after a day offline) is applied in batches: one
                // transaction and one ack per kiosk for everything already waiting.
                let mut batch = vec![(topic, payload)];
                while batch.len() < BATCH {
                    match events.try_recv() {
                        Ok(LinkEvent::Message { topic, payload }) => batch.push((topic, payload)),
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                // Library requests are answered one by one, in the order they came.
                let mut rest = Vec::with_capacity(batch.len());
                for (topic, payload) in batch {
                    match library_topic(&topic) {
                        Some(topic) => match library.handle_message(&topic, &payload).await {
                            Ok(answers) => answers.into_iter().for_each(|a| checkin.send(a)),
                            // Unanswered: the kiosk asks again.
                            Err(error) => tracing::error!(%error, "handling a library request"),
                        },
                        None => rest.push((topic, payload)),
                    }
                }
                if rest.is_empty() {
                    continue;
                }
                if let Err(error) = checkin.handle_messages(rest).await {
                    // The events stay unacknowledged: the kiosks send them again.
                    tracing::error!(%error, "handling MQTT messages");
                }
            }
        }
    }
    publisher.abort();
    if let Err(error) = handle.disconnect().await {
        tracing::debug!(%error, "MQTT disconnect");
    }
    task.abort();
    Ok(())
}

/// Starts the MQTT side of the portal: the embedded broker (unless `settings.mqtt.url` names
/// an external one, when `None` is given the portal's login there) and the link task.
pub fn start(
    settings: &crate::config::Settings,
    checkin: &Checkin,
    library: &Library,
    outbound: mpsc::UnboundedReceiver<Outbound>,
    stop: CancellationToken,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    use crate::domain::kiosks::PORTAL_MQTT_USER;
    let (url, credentials) = match &settings.mqtt.url {
        Some(url) => {
            tracing::info!(url = %crate::config::redact_url(url), "using external MQTT broker");
            let credentials = settings
                .mqtt
                .password
                .clone()
                .map(|password| (settings.mqtt.username.clone(), password));
            (url.clone(), credentials)
        }
        None => {
            // A fresh password at every start: only this process knows it.
            let password = crate::domain::kiosks::new_password(&mut rand::rngs::OsRng);
            let auth_checkin = checkin.clone();
            let auth_library = library.clone();
            let portal_password = password.clone();
            let authenticator: crate::broker::Authenticator =
                std::sync::Arc::new(move |client_id, username, password| {
                    let checkin = auth_checkin.clone();
                    let library = auth_library.clone();
                    let portal_password = portal_password.clone();
                    Box::pin(async move {
                        let allowed = checkin
                            .authenticate(&client_id, &username, &password, &portal_password)
                            .await
                            || library.authenticate(&client_id, &username, &password).await;
                        if !allowed {
                            tracing::warn!(client_id, username, "MQTT login refused");
                        }
                        allowed
                    })
                });
            crate::broker::start(settings.mqtt.listen, Some(authenticator))?;
            (
                format!("mqtt://{}", settings.mqtt.listen),
                Some((PORTAL_MQTT_USER.to_owned(), password)),
            )
        }
    };
    let mut options = LinkOptions::new(url, format!("shimin-portal-{}", settings.instance_id));
    options.credentials = credentials;
    let checkin = checkin.clone();
    let library = library.clone();
    Ok(tokio::spawn(async move {
        if let Err(error) = run(checkin, library, options, outbound, stop).await {
            tracing::error!(%error, "MQTT link stopped");
        }
    }))
}

/// Every minute until `stop`: make pass keys as planned, check out at closing time, publish
/// level changes that come with the hour.
pub async fn ticker(checkin: Checkin, stop: CancellationToken) {
    loop {
        if let Err(error) = checkin.rotate_keys().await {
            tracing::error!(%error, "pass key rotation failed");
        }
        if let Err(error) = checkin.tick().await {
            tracing::error!(%error, "center closing check failed");
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(std::time::Duration::from_secs(60)) => {}
        }
    }
}
