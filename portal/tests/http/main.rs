//! The portal's HTTP-level tests, one binary: each module drives an in-process portal (see
//! `common`) through one area of the site. One binary instead of one per area keeps the
//! debug build small and its link time short.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod admin;
mod api;
mod attachments;
mod auth;
mod bousai;
mod bousai_alerts;
mod bousai_office;
mod centers;
mod checkin;
mod family;
mod garbage;
mod kenko;
mod kosodate_events;
mod kosodate_timely;
mod library;
mod library_desk;
mod line;
mod ops;
mod oshirase;
mod pages;
mod tetsuzuki;
mod visit_stats;
