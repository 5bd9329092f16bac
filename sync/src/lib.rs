//! The contract between the Shimin portal and its kiosks: what travels over MQTT and what a
//! phone shows to a kiosk camera. Pure code: no network, no disk, no clock — every function
//! that needs the time takes it as an argument.
//!
//! - [`ids`] — newtype ids (`KioskId`, `CenterId`, `EventId`, `GuardianId`, `ChildNo`, `KeyId`).
//! - [`topics`] — every MQTT topic under `shimin/v1/`, its QoS, retain flag and publisher.
//! - [`library`] — library card numbers: a library's length and check digit rules, and
//!   reading a typed or scanned number.
//! - [`messages`] — the versioned JSON messages (`"v": 1`) and [`messages::decode`].
//! - [`pass`] — the signed pass (COSE_Sign1, Ed25519, Base45, `SP1:`): issue and verify offline.
//! - [`replay`] — the rule that a pass drives at most one check-in/out at a center.
//! - [`text`] — text as Japanese IMEs type it (full-width digits).
//! - [`toggle`] — what one accepted scan does: check in, or check out.
//! - [`outbox`] — the kiosk's outbox state machine: enqueue, due, sent, ack, backoff, reconnect.
//! - `mqtt` (feature `mqtt`) — the MQTT client link both sides use: connect, reconnect with
//!   backoff, report events on a channel; the one part of this crate that does I/O.
//!
//! `PROTOCOL.md` beside this crate documents the wire format for other implementations.

pub mod ids;
pub mod library;
pub mod messages;
#[cfg(feature = "mqtt")]
pub mod mqtt;
pub mod outbox;
pub mod pass;
pub mod replay;
pub mod text;
pub mod toggle;
pub mod topics;
