//! The embedded MQTT broker (rumqttd) of a one-box install. A city that runs Mosquitto or
//! EMQX sets `--mqtt-url` instead and this broker does not start.
//!
//! rumqttd keeps no retained messages across a restart, so whatever the portal publishes as
//! retained state must be republished when the portal starts (see `sync/PROTOCOL.md`).

use std::{
    future::Future,
    net::{SocketAddr, TcpListener},
    pin::Pin,
    sync::Arc,
};

/// Decides whether a client may connect: `(client_id, username, password) -> allowed`.
/// rumqttd has no topic ACLs: the embedded broker authenticates kiosks, and the portal checks
/// on receipt that an event came from the kiosk its topic names (PROTOCOL.md §7). A city that
/// wants the broker itself to keep kiosks to their own topics runs Mosquitto with the ACL in
/// `config/mosquitto.conf`.
pub type Authenticator =
    Arc<dyn Fn(String, String, String) -> Pin<Box<dyn Future<Output = bool> + Send>> + Send + Sync>;

/// Why the broker could not start.
#[derive(Debug, thiserror::Error)]
pub enum BrokerError {
    /// The listen address is taken or not ours.
    #[error(
        "cannot listen for MQTT on {addr}: {source} (is another broker running? use --mqtt-listen or --mqtt-url)"
    )]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The generated configuration was refused.
    #[error("broker configuration: {0}")]
    Config(String),
}

/// rumqttd's configuration for one MQTT 3.1.1 listener on `listen`.
fn config(listen: SocketAddr) -> Result<rumqttd::Config, BrokerError> {
    let text = format!(
        r#"
id = 0

[router]
id = 0
max_connections = 10010
max_outgoing_packet_count = 200
max_segment_size = 104857600
max_segment_count = 10

[v4.1]
name = "v4-1"
listen = "{listen}"
next_connection_delay_ms = 1
    [v4.1.connections]
    connection_timeout_ms = 60000
    max_payload_size = 65536
    max_inflight_count = 100
    dynamic_filters = true
"#
    );
    toml::from_str(&text).map_err(|error| BrokerError::Config(error.to_string()))
}

/// Starts the broker on its own thread and returns once it is listening. With an
/// `authenticator`, every client must log in.
pub fn start(listen: SocketAddr, authenticator: Option<Authenticator>) -> Result<(), BrokerError> {
    // Probe the address first: rumqttd reports a bind failure only in its own log.
    drop(
        TcpListener::bind(listen).map_err(|source| BrokerError::Listen {
            addr: listen,
            source,
        })?,
    );
    let mut config = config(listen)?;
    if let Some(authenticator) = authenticator {
        for server in config
            .v4
            .iter_mut()
            .flat_map(|servers| servers.values_mut())
        {
            let authenticator = Arc::clone(&authenticator);
            server.set_auth_handler(move |client_id, username, password| {
                authenticator(client_id, username, password)
            });
        }
    }
    std::thread::Builder::new()
        .name("mqtt-broker".into())
        .spawn(move || {
            let mut broker = rumqttd::Broker::new(config);
            if let Err(error) = broker.start() {
                tracing::error!(%error, "embedded MQTT broker stopped");
            }
        })
        .map_err(|error| BrokerError::Config(error.to_string()))?;
    // Wait until it has bound the address (it binds on its own threads). Probing by binding,
    // not connecting, keeps the broker's log free of aborted connections.
    for _ in 0..100 {
        if TcpListener::bind(listen).is_err() {
            tracing::info!(%listen, "embedded MQTT broker listening");
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Err(BrokerError::Config(format!(
        "broker did not start listening on {listen}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_configuration_is_accepted() {
        let config = config("127.0.0.1:18830".parse().unwrap()).unwrap();
        let servers = config.v4.unwrap();
        assert_eq!(servers["1"].listen.port(), 18830);
    }

    #[test]
    fn a_taken_port_is_reported_clearly() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let error = start(taken.local_addr().unwrap(), None).unwrap_err();
        assert!(
            error.to_string().contains("cannot listen for MQTT"),
            "{error}"
        );
    }
}
