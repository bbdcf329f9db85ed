//! `cargo xtask broker-judge`: Mosquitto as a judge of the vectors (issue 14, section 4).
//! Starts the broker (installed with apt-get when missing) on a free port, runs
//! `mqtt-vectors broker-judge` against it, where the judging lives
//! (`conformance/src/broker_judge.rs`), and stops it by its process id.
//!
//! `--write` records the results in `docs/broker-judge.json` and the tables of
//! `docs/broker-judge.md`; `--check` (the default in CI) fails when they differ from the
//! committed JSON. Without a broker the task fails in CI and is skipped elsewhere.

use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::mosquitto::{self, Broker};

const JSON: &str = "docs/broker-judge.json";

pub fn run(args: &[String]) -> ExitCode {
    let mut pass_on: Vec<String> = Vec::new();
    let mut mode = if crate::apt::in_ci() {
        Some("--check")
    } else {
        None
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--write" => mode = Some("--write"),
            "--check" => mode = Some("--check"),
            "--protocol" => {
                pass_on.push(arg.clone());
                pass_on.extend(args.next().cloned());
            }
            other => {
                eprintln!("xtask broker-judge: unknown argument {other}; usage: cargo xtask broker-judge [--protocol 3.1.1|5.0] [--write | --check]");
                return ExitCode::FAILURE;
            }
        }
    }
    let started = Instant::now();
    let Some(program) = mosquitto::program() else {
        return unavailable("mosquitto is not installed and could not be installed");
    };
    let runner = match crate::mqtt_vectors() {
        Ok(runner) => runner,
        Err(code) => return code,
    };
    let broker = match Broker::start(&program) {
        Ok(broker) => broker,
        Err(e) => return unavailable(&e),
    };
    let version = format!("Mosquitto {}", broker.version());
    eprintln!("xtask broker-judge: {version} on {}", broker.addr);
    let mut command = Command::new(runner);
    command
        .arg("broker-judge")
        .args(["--broker", &broker.addr, "--broker-version", &version])
        .args(&pass_on);
    match mode {
        Some("--write") => command.args(["--write", "docs"]),
        Some(_) => command.args(["--check", JSON]),
        None => &mut command,
    };
    let status = crate::run(&mut command);
    if status != ExitCode::SUCCESS {
        // The end of the broker's log (the whole is thousands of lines).
        let log = broker.log();
        let lines: Vec<&str> = log.lines().collect();
        eprintln!("xtask broker-judge: the end of the broker's log:");
        for line in &lines[lines.len().saturating_sub(40)..] {
            eprintln!("  {line}");
        }
    }
    drop(broker);
    println!(
        "broker-judge: {:.1} s in all (broker start and stop included)",
        started.elapsed().as_secs_f64()
    );
    status
}

/// No broker: a failure in CI, a skip elsewhere.
fn unavailable(why: &str) -> ExitCode {
    crate::unavailable(
        "broker-judge",
        why,
        "install mosquitto (Debian: apt-get install mosquitto) to run it",
    )
}
