//! Finding and reading codes in camera frames.

pub mod cli;
