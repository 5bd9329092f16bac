//! Shimin Portal — the citizen portal server.
//!
//! The portal is the system of record for citizens and their settings. Its components:
//!
//! - [`config`]: settings from defaults in code → a TOML file → `PORTAL_*` environment variables.
//! - [`cli`]: the `portal` command line (`serve`, `admin create`).
//! - [`clock`]: the clock seam, so every rule about time can be tested with a fixed clock.
//! - [`domain`]: pure rules — email addresses, passwords, tokens, roles, registration input.
//! - [`store`]: the store traits the domain reaches the database through, and their SQLite
//!   implementation (one writer connection, a pool of readers, all on the blocking pool).
//! - [`mail`]: composing mail (Japanese first, text and HTML parts), the durable outbox worker and
//!   the transports (SMTP through lettre, or `.eml` files in `DATA/outbox/`).
//! - [`accounts`]: the account service — registration, verification, login, reset, changes,
//!   withdrawal and staff invitations — orchestrating the store, the clock and the mail outbox.
//! - [`announcements`]: 市からのお知らせ — the 分野 staff keep and the ones each citizen wants.
//! - [`notify`]: the delivery engine — a durable outbox of notices to many citizens, handed to
//!   SMTP and LINE by its workers, with each citizen's channel choices per service.
//! - [`mod@line`]: the LINE Messaging API client, webhooks and account linking.
//! - [`centers`]: 子育て支援センター and their staff.
//! - [`checkin`]: check-in/out at centers — pass keys and passes, kiosks and their broker
//!   credentials, applying kiosk events exactly once, live occupancy over MQTT and to browsers.
//! - [`bousai`], [`bousai_send`], [`bousai_follow`], [`bousai_draft`]: the 避難情報 service over them:
//!   citizens' 防災情報の通知設定; writing, approving and sending an alert to the citizens it
//!   targets, each in their language; its progress, 続報 and 取消; one-tap answers.
//! - [`alerts`]: 避難情報 — alert kinds, citizens' area settings, who receives an alert and in
//!   which language, the alert's text in every language, CAP 1.2 XML, one-tap answers.
//! - [`garbage`]: ごみ収集日 — collection rules and calendars, the 5374 files, the 分別 search.
//! - [`gomi`]: the ごみ収集日 service over them — data kept in the store, citizens' settings,
//!   the reminder dispatcher.
//! - [`family`]: こども情報 and 出産予定日 of guardians.
//! - [`health`]: 母子健康手帳の交付 and 赤ちゃん訪問 — slots, booking rules, the 問診 as data,
//!   checked answers, the staff's CSV export.
//! - [`kenko`], [`kenko_remind`]: the reservations service over [`health`] — slots opened by
//!   the health office, booking with the 問診, change and cancel, the office's calendar, logged
//!   reads, CSV, and each booking's reminder two days before.
//! - [`timely`]: 子育てのタイミング情報 — 妊娠週数, a child's age in months, the city's schedule
//!   of pregnancy-stage messages and checkup reminders, and which are due on a day.
//! - [`events`]: 子育てイベントカレンダー — events, the ages they are for, the month and list
//!   views, applications with a waiting list, the iCalendar feed.
//! - [`kosodate_events`]: the 子育てイベントカレンダー service over [`events`] — staff publish,
//!   edit and call off events; citizens apply and cancel; a family moved up from the waiting
//!   list is told through [`notify`].
//! - [`procedures`]: ライフイベントの手続き — the city's questions and procedures (a checked TOML
//!   file), the procedures a household's answers make needed, as text to print or share.
//! - [`kosodate_timely`]: the service around it — each citizen's turned-off categories and
//!   upcoming messages, and the daily sender that delivers each due message once.
//! - [`i18n`]: the message catalogue (Japanese and English).
//! - [`web`]: the axum application — HTML pages with cookie sessions and CSRF tokens, the JSON API
//!   under `/api/v1` with bearer tokens, `/healthz`, `/metrics`, `/api/v1/openapi.json`.
//! - [`broker`]: the embedded MQTT broker (rumqttd) for a one-box install.
//! - [`server`]: `portal serve` — wires everything together and shuts down gracefully.
//! - [`demo`], [`demo_centers`], [`demo_events`], [`demo_gomi`], [`demo_kenko`], [`demo_library`]: the demo city that `portal serve --demo` puts into an empty data
//!   directory.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod accounts;
pub mod alerts;
pub mod announcements;
pub mod bousai;
pub mod bousai_draft;
pub mod bousai_follow;
pub mod bousai_send;
pub mod broker;
pub mod centers;
pub mod checkin;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod demo_centers;
pub mod demo_events;
pub mod demo_gomi;
pub mod demo_kenko;
pub mod demo_library;
pub mod demo_schools;
pub mod domain;
pub mod events;
pub mod family;
pub mod garbage;
pub mod gomi;
pub mod health;
pub mod i18n;
pub mod kenko;
pub mod kenko_remind;
pub mod kosodate_events;
pub mod kosodate_timely;
pub mod library;
pub mod line;
pub mod mail;
pub mod notify;
pub mod procedures;
pub mod schools;
pub mod server;
pub mod store;
pub mod timely;
pub mod web;
