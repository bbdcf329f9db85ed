//! `cargo xtask dissector [--protocol 3.1.1|5.0] [--list-invalid]`: Wireshark's MQTT dissector
//! as an independent decoder of the vectors a receiver may accept, of both protocol versions
//! or of the one given. Installs tshark when it is missing, then runs `mqtt-vectors
//! dissector` with the arguments given, where the comparison lives
//! (`conformance/src/dissector/`).
//!
//! Without tshark (not installed and not installable) the task fails in CI (`CI=true`) and is
//! skipped elsewhere, with its own exit status (`crate::SKIPPED`), never reported as passed.
//! Once tshark is there, any disagreement not analysed in `docs/dissector-disagreements.json`
//! fails.

use std::process::{Command, ExitCode};

use crate::apt;

/// Runs the task with the arguments after `dissector` on the command line.
pub fn run(args: &[String]) -> ExitCode {
    let Some(tshark) = apt::find_or_install("tshark", "tshark") else {
        return crate::unavailable(
            "dissector",
            "tshark is not installed and could not be installed",
            "install it to run it (Debian: apt-get install tshark)",
        );
    };
    match crate::mqtt_vectors() {
        Ok(runner) => crate::run(
            Command::new(runner)
                .arg("dissector")
                .arg("--tshark")
                .arg(tshark)
                .args(args),
        ),
        Err(code) => code,
    }
}
