//! `cargo xtask interop`: the codec against a real broker. Installs Mosquitto when it is
//! missing, starts it on a free port of 127.0.0.1 with its own config, runs the end-to-end tests
//! (`codec/tests/broker.rs` for 3.1.1, `codec/tests/broker_v5.rs` for 5.0) and the client
//! example against it, and stops it by its process id, whatever happened. The scenarios and
//! their checks live in the tests; this only orchestrates.
//!
//! The 5.0 tests named `departs_*` assert the standard where this Mosquitto does not follow
//! it. They run apart, each must fail (a departure confirmed, and reported); one that passes
//! fails the task, so the test is moved among the others once the broker conforms.

use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use crate::mosquitto::{self, Broker};

pub fn run() -> ExitCode {
    let started = Instant::now();
    let Some(program) = mosquitto::program() else {
        return unavailable("mosquitto is not installed and could not be installed");
    };
    let broker = match Broker::start(&program) {
        Ok(broker) => broker,
        Err(e) => return unavailable(&e),
    };
    eprintln!(
        "xtask interop: Mosquitto {} on {}",
        broker.version(),
        broker.addr
    );

    // The end-to-end tests, and the client example (its output is the usage example's).
    let (v311_ok, v311_checks) = broker_tests(&broker, "broker", &["--nocapture"]);
    let (v5_ok, v5_checks) =
        broker_tests(&broker, "broker_v5", &["--nocapture", "--skip", "departs_"]);
    let departures = departures(&broker);
    let tests_ok = v311_ok && v5_ok && departures.is_ok();
    let checks = v311_checks + v5_checks;
    let example_ok = tests_ok
        && crate::run(
            Command::new(crate::cargo_program())
                .args([
                    "run",
                    "--quiet",
                    "-p",
                    "mqtt-wire",
                    "--example",
                    "client",
                    "--",
                ])
                .arg(&broker.addr),
        ) == ExitCode::SUCCESS;

    let seconds = started.elapsed().as_secs_f64();
    if tests_ok && example_ok {
        let departures = departures.unwrap_or_default();
        println!(
            "interop: {checks} checks passed against Mosquitto {} (3.1.1: {v311_checks}, 5.0: {v5_checks}) in {seconds:.1} s, {} departure(s) from the standard confirmed ({}), and the client example ran",
            broker.version(),
            departures.len(),
            departures.join(", ")
        );
        ExitCode::SUCCESS
    } else {
        broker.print_log();
        println!(
            "interop: FAILED against Mosquitto {} ({checks} checks passed before)",
            broker.version()
        );
        ExitCode::FAILURE
    }
}

/// Runs `cargo test --test <test> -- --ignored <args>` against the broker, printing its
/// output; whether it passed, and the checks its `broker: <test>: N checks passed` lines count.
fn broker_tests(broker: &Broker, test: &str, args: &[&str]) -> (bool, usize) {
    match test_output(broker, test, args) {
        Some((ok, text)) => {
            print!("{text}");
            (ok, tasks::output::broker_checks(&text))
        }
        None => (false, 0),
    }
}

fn test_output(broker: &Broker, test: &str, args: &[&str]) -> Option<(bool, String)> {
    let output = Command::new(crate::cargo_program())
        .args(["test", "-p", "mqtt-wire", "--test", test, "--"])
        .args(["--ignored", "--color", "never"])
        .args(args)
        .env("MQTT_WIRE_BROKER", &broker.addr)
        .stderr(Stdio::inherit())
        .output();
    match output {
        Ok(output) => Some((
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )),
        Err(e) => {
            eprintln!("xtask interop: cannot run cargo test: {e}");
            None
        }
    }
}

/// Runs the `departs_` tests of `broker_v5.rs` (without `--nocapture`, so libtest prints each
/// failure's message after the results) and returns their names when every one failed, as a
/// departure of the broker from the standard must; an error when one passed or none ran.
fn departures(broker: &Broker) -> Result<Vec<String>, ()> {
    let Some((_, text)) = test_output(broker, "broker_v5", &["departs_"]) else {
        return Err(());
    };
    let outcomes = tasks::output::test_outcomes(&text);
    let conforming: Vec<&str> = outcomes
        .iter()
        .filter(|(_, passed)| *passed)
        .map(|(name, _)| name.as_str())
        .collect();
    if outcomes.is_empty() || !conforming.is_empty() {
        print!("{text}");
        eprintln!(
            "xtask interop: the departs_ tests should each fail against this broker; passed: {conforming:?} (of {} run): move those among the other tests",
            outcomes.len()
        );
        return Err(());
    }
    // Each failure's message: the statement the broker breaks and what it sent.
    for line in text
        .lines()
        .filter(|l| l.contains("panicked at") || l.starts_with("MQTT-") || l.contains(": got "))
    {
        println!("interop: departure: {line}");
    }
    Ok(outcomes.into_iter().map(|(name, _)| name).collect())
}

/// No broker: a failure in CI, a skip elsewhere.
fn unavailable(why: &str) -> ExitCode {
    crate::unavailable(
        "interop",
        why,
        "install mosquitto (Debian: apt-get install mosquitto) to run it",
    )
}
