//! `cargo xtask scenarios [--broker HOST:PORT [--departures NAME] | --start mosquitto] [FILTER]`:
//! the behaviour scenarios of `vectors/scenarios/` against a broker. With `--start mosquitto`
//! (the default) Mosquitto is installed when missing, started on a free port of 127.0.0.1
//! with its own config, and stopped by its process id, whatever happened; its recorded
//! departures (`vectors/scenarios/departures.json`) are expected to fail. Then the
//! fault-injecting proxy's checks run against the same broker. The logic lives in the
//! `scenarios` crate; this only orchestrates.

use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::mosquitto::{self, Broker};

pub fn run(args: &[String]) -> ExitCode {
    let started = Instant::now();
    let mut broker_addr = None;
    let mut start = None;
    let mut departures = None;
    let mut filter = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--broker" => broker_addr = args.next().cloned(),
            "--start" => start = args.next().cloned(),
            "--departures" => departures = args.next().cloned(),
            _ if !arg.starts_with('-') => filter = Some(arg.clone()),
            _ => {
                eprintln!("xtask scenarios: unknown option {arg}");
                return ExitCode::FAILURE;
            }
        }
    }
    if broker_addr.is_some() && start.is_some() {
        eprintln!("xtask scenarios: give --broker or --start, not both");
        return ExitCode::FAILURE;
    }
    if let Some(other) = start.as_deref().filter(|s| *s != "mosquitto") {
        eprintln!("xtask scenarios: --start knows only mosquitto, not {other}");
        return ExitCode::FAILURE;
    }

    let built = crate::cargo(&[
        "build",
        "--quiet",
        "-p",
        "scenarios",
        "--bin",
        "mqtt-scenarios",
    ]);
    if built != ExitCode::SUCCESS {
        return built;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| "target".into(), std::path::PathBuf::from);
    let binary = target.join("debug").join("mqtt-scenarios");

    // The broker: one given, or Mosquitto started here (kept alive until the end of `run`).
    let _started_broker: Option<Broker>;
    let (addr, name) = match broker_addr {
        Some(addr) => {
            _started_broker = None;
            (addr, departures)
        }
        None => {
            let Some(program) = mosquitto::program() else {
                return crate::unavailable(
                    "scenarios",
                    "mosquitto is not installed and could not be installed",
                    "install mosquitto (Debian: apt-get install mosquitto) or give --broker HOST:PORT",
                );
            };
            let broker = match Broker::start(&program) {
                Ok(b) => b,
                Err(e) => {
                    return crate::unavailable(
                        "scenarios",
                        &e,
                        "install mosquitto or give --broker HOST:PORT",
                    )
                }
            };
            eprintln!(
                "xtask scenarios: Mosquitto {} on {}",
                broker.version(),
                broker.addr
            );
            let addr = broker.addr.clone();
            _started_broker = Some(broker);
            (addr, Some("mosquitto".to_owned()))
        }
    };

    let mut suite = Command::new(&binary);
    suite.args(["--broker", &addr]);
    if let Some(name) = &name {
        suite.args(["--departures", name]);
    }
    if let Some(filter) = &filter {
        suite.arg(filter);
    }
    let suite_ok = crate::run(&mut suite) == ExitCode::SUCCESS;
    let suite_seconds = started.elapsed().as_secs_f64();
    // The proxy's faults: each must make the scenarios it targets fail (skipped when a
    // filter narrows the run).
    let faults_ok = filter.is_some()
        || crate::run(Command::new(&binary).args(["--broker", &addr, "--faults"]))
            == ExitCode::SUCCESS;
    if !suite_ok {
        if let Some(broker) = &_started_broker {
            broker.print_log();
        }
    }
    println!(
        "xtask scenarios: suite {} in {suite_seconds:.1} s, fault checks {}, {:.1} s in all",
        if suite_ok { "passed" } else { "FAILED" },
        if filter.is_some() {
            "not run (filtered)"
        } else if faults_ok {
            "passed"
        } else {
            "FAILED"
        },
        started.elapsed().as_secs_f64()
    );
    if suite_ok && faults_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
