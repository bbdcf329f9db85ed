//! `cargo xtask coverage`: line coverage of the codec (`codec/src/`, every feature on) by
//! `cargo test --workspace --all-features` plus a replay of the whole fuzz corpus through the
//! fuzz oracles, measured with cargo-llvm-cov (installed, with rustup's `llvm-tools`, when
//! missing).
//!
//! The corpus is whatever `fuzz/corpus/` holds: the seeds written from the vectors, plus what
//! earlier `cargo xtask fuzz` runs grew. Prints the per-file summary and every line not
//! covered, and fails under [`TARGET`] percent.

use std::process::{Command, ExitCode, Stdio};

/// The line coverage the codec must reach, in percent.
const TARGET: &str = "98";

/// Files outside the codec's sources: its tests and examples, the runner, the oracle, the chores.
const NOT_THE_CODEC: &str = r"(conformance|oracle|xtask|testkit|tasks)/|codec/(tests|examples)/";

pub fn run() -> ExitCode {
    if !ensure_llvm_cov() {
        return ExitCode::FAILURE;
    }
    let clean = crate::cargo(&["llvm-cov", "clean", "--workspace"]);
    if clean != ExitCode::SUCCESS {
        return clean;
    }
    let tests = crate::cargo(&["llvm-cov", "--no-report", "--workspace", "--all-features"]);
    if tests != ExitCode::SUCCESS {
        return tests;
    }
    // The corpus seeds come from the vectors; write them before the replay.
    if crate::fuzz::corpus_for_all() != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
    let replay = crate::cargo(&[
        "llvm-cov",
        "--no-report",
        "-p",
        "mqtt-wire-oracle",
        "--test",
        "replay",
        "--",
        "--ignored",
        "--nocapture",
    ]);
    if replay != ExitCode::SUCCESS {
        return replay;
    }
    crate::cargo(&[
        "llvm-cov",
        "report",
        "--summary-only",
        "--show-missing-lines",
        "--ignore-filename-regex",
        NOT_THE_CODEC,
        "--fail-under-lines",
        TARGET,
    ])
}

/// Installs cargo-llvm-cov from crates.io and rustup's `llvm-tools` when missing.
fn ensure_llvm_cov() -> bool {
    if !crate::ensure_cargo_subcommand("llvm-cov", "cargo-llvm-cov") {
        return false;
    }
    // cargo-llvm-cov finds llvm-cov and llvm-profdata in this component.
    let _ = Command::new("rustup")
        .args(["component", "add", "llvm-tools"])
        .stdout(Stdio::null())
        .status();
    true
}
