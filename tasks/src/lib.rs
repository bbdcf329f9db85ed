//! The logic behind `cargo xtask`: what the chores decide, kept apart from running programs so
//! that `cargo test` exercises it. The xtask only orchestrates (spawns programs, reads and
//! writes files, prints); whatever it computes from text comes from here.
//!
//! - [`manifest`]: reading and rewriting `Cargo.toml` text (the differential task's standalone
//!   copy of an old codec, the MSRV task's `rust-version`);
//! - [`dist`]: the vectors' release (`cargo xtask vectors-dist`): the archive's files, bytes
//!   and manifest, and the checks of what comes out of it;
//! - [`features`]: the codec's feature list, `.ci/features`, which `.ci/run` and
//!   `cargo xtask msrv` both read;
//! - [`output`]: what other programs print (libFuzzer's statistics, `cargo fuzz list`,
//!   `rustup target list`, the broker tests' check counts, Mosquitto's log).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod dist;
pub mod features;
pub mod manifest;
pub mod output;
