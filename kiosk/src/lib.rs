//! The Shimin kiosk: an edge appliance at a 子育て支援センター (childcare support center) or a
//! library counter. It reads what a phone shows to its camera, verifies it offline, records the
//! result in a durable local store before it answers, and syncs with the portal over MQTT.
//!
//! - [`decode`] — finding and reading QR codes (and barcodes) in camera frames.
//! - [`run`] — the running kiosk (`kiosk run`).

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod decode;
pub mod run;
