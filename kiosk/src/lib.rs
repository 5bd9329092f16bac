//! The Shimin kiosk: an edge appliance at a 子育て支援センター (childcare support center) or a
//! library counter. It reads what a phone shows to its camera, verifies it offline, records the
//! result in a durable local store before it answers, and syncs with the portal over MQTT.
//!
//! - [`decode`] — finding and reading QR codes (and barcodes) in camera frames.
//! - [`frames`] — where frames come from (`--frames DIR`), newest-only, decoded on a thread.
//! - [`camera`] — the V4L2 camera as a frame source (YUYV/MJPEG → grayscale), reconnecting.
//! - [`scan`] — what a decoded text means: verify, center, replay rule, toggle (pure).
//! - [`view`] — who is in at the center as this kiosk sees it, offline too (pure).
//! - [`answer`] — the screen's answer: stable codes, Japanese and English words.
//! - [`core`] — the kiosk's state over its [`store`]: scan, acks, keys, config, presence.
//! - [`store`] — the durable local store (SQLite, WAL, `synchronous=FULL`).
//! - [`sync`] — the main loop over the MQTT link: subscribe, status, outbox sends.
//! - [`circulation`] — lending at the library counter: the SIP2 wire format ([`circulation::sip2`]).
//! - [`visits`] — the day's check-ins and check-outs at this kiosk, with the children's names.
//! - [`feedback`] — lamps, buzzer and door relay (logging, or GPIO via the Linux character device).
//! - [`config`] — settings: defaults → TOML → `KIOSK_*` environment.
//! - [`clock`] — the time, behind a trait.
//! - [`snapshot`] — what the screen shows besides answers, and what it asks the loop to do.
//! - [`ui`] — the touchscreen app (eframe/egui): screens, staff PIN, fonts.
//! - [`run`] — the running kiosk (`kiosk run`).
//! - [`watchdog`] — systemd's readiness and watchdog notices (`sd_notify`, no library).

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod answer;
pub mod camera;
pub mod circulation;
pub mod clock;
pub mod config;
pub mod core;
pub mod decode;
pub mod feedback;
pub mod frames;
pub mod library_run;
pub mod run;
pub mod scan;
pub mod snapshot;
pub mod store;
pub mod sync;
pub mod ui;
pub mod view;
pub mod visits;
pub mod watchdog;
