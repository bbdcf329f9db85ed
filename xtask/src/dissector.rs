//! `cargo xtask dissector`: Wireshark's MQTT dissector as an independent decoder of the valid
//! vectors. Installs tshark when it is missing, then runs `mqtt-vectors dissector`, where the
//! comparison lives (`conformance/src/dissector.rs`).
//!
//! Without tshark (not installed and not installable) the task fails in CI (`CI=true`) and is
//! skipped elsewhere, with its own exit status (`crate::SKIPPED`), never reported as passed.
//! Once tshark is there, any disagreement not analysed in `docs/dissector-disagreements.json`
//! fails.

use std::process::{Command, ExitCode};

use crate::apt;

pub fn run() -> ExitCode {
    let tools = apt::find_or_install("tshark", "tshark")
        .and_then(|tshark| apt::find_or_install("text2pcap", "tshark").map(|t| (tshark, t)));
    let Some((tshark, text2pcap)) = tools else {
        return crate::unavailable(
            "dissector",
            "tshark and text2pcap are not installed and could not be installed",
            "install them to run it (Debian: apt-get install tshark)",
        );
    };
    match crate::mqtt_vectors() {
        Ok(runner) => crate::run(
            Command::new(runner)
                .arg("dissector")
                .arg("--tshark")
                .arg(tshark)
                .arg("--text2pcap")
                .arg(text2pcap),
        ),
        Err(code) => code,
    }
}
