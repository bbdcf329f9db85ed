//! `cargo xtask miri`: the codec's unit tests under Miri, on nightly.
//!
//! Only the unit tests (`--lib`): the property and mutation tests run hundreds of thousands of
//! cases, hours under Miri, and add nothing Miri could see that the unit tests do not reach.
//! `.ci/run` runs it (about 1.5 minutes here, the sysroot included).
//!
//! Installs what it needs with rustup: a nightly toolchain (minimal profile) when there is
//! none, and the `miri` and `rust-src` components. When they cannot be had, it fails in CI
//! (`CI=true`) and is skipped elsewhere (`crate::SKIPPED`), saying which.

use std::process::{Command, ExitCode, Stdio};

pub fn run() -> ExitCode {
    if !miri_present() {
        let installed = if nightly_present() {
            eprintln!("xtask miri: Miri is missing on nightly; installing it with rustup");
            crate::rustup(&[
                "component",
                "add",
                "miri",
                "rust-src",
                "--toolchain",
                "nightly",
            ])
        } else {
            eprintln!("xtask miri: no nightly toolchain; installing one with Miri with rustup");
            crate::rustup(&[
                "toolchain",
                "install",
                "nightly",
                "--profile",
                "minimal",
                "--component",
                "miri,rust-src",
            ])
        };
        if !installed || !miri_present() {
            return crate::unavailable(
                "miri",
                "Miri is not available here: a nightly toolchain with the miri and rust-src \
                 components could not be installed",
                "rustup toolchain install nightly --component miri,rust-src",
            );
        }
    }
    crate::run(Command::new("cargo").args(["+nightly", "miri", "test", "-p", "mqtt-wire", "--lib"]))
}

fn nightly_present() -> bool {
    Command::new("rustc")
        .args(["+nightly", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn miri_present() -> bool {
    Command::new("cargo")
        .args(["+nightly", "miri", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
