//! `cargo xtask miri`: the codec's unit tests under Miri, on nightly.
//!
//! Only the unit tests (`--lib`): the property and mutation tests run hundreds of thousands of
//! cases, hours under Miri, and add nothing Miri could see that the unit tests do not reach.

use std::process::{Command, ExitCode, Stdio};

pub fn run() -> ExitCode {
    if !miri_present() {
        eprintln!("xtask miri: Miri is missing on nightly; installing it with rustup");
        let added = Command::new("rustup")
            .args([
                "component",
                "add",
                "miri",
                "rust-src",
                "--toolchain",
                "nightly",
            ])
            .status()
            .is_ok_and(|s| s.success());
        if !added || !miri_present() {
            eprintln!("xtask miri: Miri is not available here (it needs a nightly toolchain with the miri component)");
            return ExitCode::FAILURE;
        }
    }
    crate::run(Command::new("cargo").args(["+nightly", "miri", "test", "-p", "mqtt-wire", "--lib"]))
}

fn miri_present() -> bool {
    Command::new("cargo")
        .args(["+nightly", "miri", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
