//! `bench-sync`: the sync path measured over a real Mosquitto (run by `scripts/bench-sync`).
//!
//! A portal (`SHIMIN_PORTAL_BIN`, a release build) runs the demo city against a Mosquitto on
//! loopback. A kiosk simulator publishes check-in/out events for the demo citizen's children
//! as a kiosk would (QoS 1, on the kiosk's events topic), and the benchmark measures:
//!
//! - latency, one event at a time: publish → `Ack` back on the kiosk's acks topic, and
//!   publish → the new occupancy in the browsers' Server-Sent Events stream (what a 混雑状況
//!   page shows); beside it the peer floor, publish → Mosquitto's own `mosquitto_sub` receiving
//!   the same event (the broker alone, no portal);
//! - throughput: a burst of events from the three demo kiosks, published back to back, until
//!   the portal has acknowledged every one: events applied per second.
//!
//! The simulator logs in with the portal's broker account (the protocol ACL lets it write
//! kiosk topics); that changes nothing the portal does with an event.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::HashMap,
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use shimin_e2e::{Portal, mosquitto::demo_portal_on_mosquitto, percentile};
use shimin_sync::{
    ids::{CenterId, ChildNo, EventId, GuardianId, KioskId},
    messages::{self, Ack, EventKind, KioskEvent, V1},
    mqtt::{self, LinkEvent, LinkOptions},
    pass::PassNonce,
    topics::Topic,
};
use tokio::{io::AsyncBufReadExt, sync::mpsc};

const PORTAL_PASSWORD: &str = "bench-portal-password";
const KIOSKS: &[(&str, &str)] = &[
    ("saijo-1", "saijo"),
    ("hachihonmatsu-1", "hachihonmatsu"),
    ("kurose-1", "kurose"),
];

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<40} n={:<5} p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
        samples.len(),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.99)),
        ms(*samples.last().unwrap()),
    );
}

fn event(kiosk: &str, center: &str, guardian: GuardianId, kind: EventKind) -> KioskEvent {
    let now = Timestamp::now();
    KioskEvent {
        v: V1,
        event_id: EventId::new_v7(now),
        kiosk_id: KioskId::new(kiosk).unwrap(),
        center_id: CenterId::new(center).unwrap(),
        kind,
        guardian_id: guardian,
        children: vec![ChildNo::new(1).unwrap(), ChildNo::new(2).unwrap()],
        pass_nonce: Some(PassNonce(rand_bytes())),
        occurred_at: now,
        manual: false,
        staff_note: None,
    }
}

/// Eight random bytes: the random tail of a fresh UUIDv7 (the head is the time).
fn rand_bytes() -> [u8; 8] {
    let uuid = *EventId::new_v7(Timestamp::now()).0.as_bytes();
    let mut bytes = [0_u8; 8];
    bytes.copy_from_slice(&uuid[8..]);
    bytes
}

async fn guardian_id(portal: &Portal) -> Result<GuardianId> {
    let http = reqwest::Client::new();
    let session: serde_json::Value = http
        .post(portal.url("/api/v1/session"))
        .json(&serde_json::json!({"email": "citizen@demo.invalid", "password": "shimin-demo-2026"}))
        .send()
        .await?
        .json()
        .await?;
    let token = session["token"].as_str().context("no token")?;
    let me: serde_json::Value = http
        .get(portal.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    Ok(me["account_id"]
        .as_str()
        .context("no account id")?
        .parse()?)
}

/// Reads the SSE stream; sends (center, seq, when) for each occupancy event.
async fn follow_sse(url: String, out: mpsc::UnboundedSender<(String, u64, Instant)>) -> Result<()> {
    let mut response = reqwest::get(url).await?;
    let mut buffer = String::new();
    while let Some(chunk) = response.chunk().await? {
        let at = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if let Some(data) = block.lines().find_map(|line| line.strip_prefix("data: ")) {
                let view: serde_json::Value = serde_json::from_str(data)?;
                let center = view["center_id"].as_str().unwrap_or_default().to_owned();
                let _ = out.send((center, view["seq"].as_u64().unwrap_or(0), at));
            }
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let burst: usize = std::env::var("BENCH_BURST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let (broker, portal) = demo_portal_on_mosquitto(PORTAL_PASSWORD).await?;
    let guardian = guardian_id(&portal).await?;

    // The peer: Mosquitto's own subscriber on the saijo kiosk's events.
    let mut peer = tokio::process::Command::new("mosquitto_sub")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &broker.port().to_string(),
            "-u",
            "portal",
            "-P",
            PORTAL_PASSWORD,
        ])
        .args([
            "-i",
            "bench-peer",
            "-q",
            "1",
            "-t",
            "shimin/v1/kiosks/saijo-1/events",
            "-F",
            "%U %p",
        ])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("mosquitto_sub")?;
    let (peer_tx, mut peer_rx) = mpsc::unbounded_channel::<(String, f64)>();
    let peer_out = peer.stdout.take().context("mosquitto_sub stdout")?;
    tokio::spawn(async move {
        let mut lines = tokio::io::BufReader::new(peer_out).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some((when, payload)) = line.split_once(' ')
                && let (Ok(when), Ok(event)) = (
                    when.parse::<f64>(),
                    messages::decode::<KioskEvent>(payload.as_bytes()),
                )
            {
                let sent = event.occurred_at.as_nanosecond() as f64 / 1e9;
                let _ = peer_tx.send((event.event_id.to_string(), when - sent));
            }
        }
    });

    let (sse_tx, mut sse_rx) = mpsc::unbounded_channel();
    tokio::spawn(follow_sse(portal.url("/kosodate/centers/events"), sse_tx));

    let mut options = LinkOptions::new(broker.url(), "bench-kiosks");
    options.credentials = Some(("portal".into(), PORTAL_PASSWORD.into()));
    let (link, mut events, _task) = mqtt::start(&options)?;
    let (ack_tx, mut ack_rx) = mpsc::unbounded_channel::<(EventId, Instant)>();
    let subscriber = link.clone();
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            match event {
                LinkEvent::Connected { .. } => {
                    let filters = KIOSKS.iter().map(|(kiosk, _)| {
                        Topic::KioskAcks(KioskId::new(*kiosk).unwrap()).to_string()
                    });
                    let _ = subscriber.subscribe(filters.collect::<Vec<_>>()).await;
                }
                LinkEvent::Message { payload, .. } => {
                    let at = Instant::now();
                    if let Ok(ack) = messages::decode::<Ack>(&payload) {
                        for id in ack.settled() {
                            let _ = ack_tx.send((*id, at));
                        }
                    }
                }
                LinkEvent::Disconnected { .. } => {}
            }
        }
    });
    // Let the subscriptions, the portal's link and the SSE stream settle; drain what came.
    tokio::time::sleep(Duration::from_secs(2)).await;
    while sse_rx.try_recv().is_ok() {}

    let (kiosk, center) = KIOSKS[0];
    let topic = Topic::KioskEvents(KioskId::new(kiosk).unwrap()).to_string();
    let (mut to_ack, mut to_sse, mut to_peer) = (Vec::new(), Vec::new(), Vec::new());
    let mut last_seq = 0_u64;
    for round in 0..rounds {
        let kind = if round.is_multiple_of(2) {
            EventKind::CheckIn
        } else {
            EventKind::CheckOut
        };
        let event = event(kiosk, center, guardian, kind);
        let started = Instant::now();
        link.publish(topic.clone(), messages::encode(&event), false)
            .await?;
        let deadline = started + Duration::from_secs(10);
        let mut acked = None;
        let mut shown = None;
        while acked.is_none() || shown.is_none() {
            tokio::select! {
                Some((id, at)) = ack_rx.recv() => if id == event.event_id { acked = Some(at) },
                Some((c, seq, at)) = sse_rx.recv() => if c == center && seq > last_seq { last_seq = seq; shown = Some(at) },
                () = tokio::time::sleep_until(deadline.into()) => bail!("round {round}: no answer within 10 s"),
            }
        }
        to_ack.push(acked.unwrap() - started);
        to_sse.push(shown.unwrap() - started);
        if let Ok(Some((_, seconds))) =
            tokio::time::timeout(Duration::from_secs(1), peer_rx.recv()).await
        {
            to_peer.push(Duration::from_secs_f64(seconds.max(0.0)));
        }
    }
    println!("sync latency over Mosquitto, {rounds} events one at a time:");
    report("kiosk → Mosquitto → mosquitto_sub (peer)", to_peer);
    report("kiosk → portal applied → Ack at kiosk", to_ack);
    report("kiosk → portal → occupancy in SSE", to_sse);

    // Throughput: a burst from the three kiosks.
    while ack_rx.try_recv().is_ok() {}
    let mut pending: HashMap<EventId, ()> = HashMap::new();
    let started = Instant::now();
    for i in 0..burst {
        let (kiosk, center) = KIOSKS[i % KIOSKS.len()];
        let kind = if (i / KIOSKS.len()).is_multiple_of(2) {
            EventKind::CheckIn
        } else {
            EventKind::CheckOut
        };
        let event = event(kiosk, center, guardian, kind);
        pending.insert(event.event_id, ());
        let topic = Topic::KioskEvents(KioskId::new(kiosk).unwrap()).to_string();
        link.publish(topic, messages::encode(&event), false).await?;
    }
    let deadline = Instant::now() + Duration::from_secs(300);
    while !pending.is_empty() {
        tokio::select! {
            Some((id, _)) = ack_rx.recv() => { pending.remove(&id); }
            () = tokio::time::sleep_until(deadline.into()) => bail!("{} events unacknowledged after 300 s", pending.len()),
        }
    }
    let elapsed = started.elapsed();
    println!(
        "portal throughput: {burst} events from {} kiosks applied and acknowledged in {:.2} s = {:.0} events/s",
        KIOSKS.len(),
        elapsed.as_secs_f64(),
        burst as f64 / elapsed.as_secs_f64()
    );
    drop(peer);
    Ok(())
}
