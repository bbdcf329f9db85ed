//! `cargo xtask scenarios [--broker HOST:PORT [--departures NAME] | --start BROKER] [--record]
//! [FILTER]` and `cargo xtask scenarios --docs`: the behaviour scenarios of `vectors/scenarios/`
//! against a broker. With `--start mosquitto` (the default) Mosquitto is installed when
//! missing, started on a free port of 127.0.0.1 with its own config, and stopped by its
//! process id, whatever happened; its recorded departures (`vectors/scenarios/departures.json`)
//! are expected to fail. Then the fault-injecting proxy's checks run against the same broker.
//! `--start amqtt|ejabberd|rumqttd` does the same for another broker (`brokers.rs`; outside
//! CI), without the fault checks, which need a broker that passes the scenarios they target.
//! `--record` writes the run's JSON report to `docs/brokers/BROKER.json`; `--docs` writes
//! `docs/brokers.md` from those reports. The logic lives in the `scenarios` crate; this only
//! orchestrates.

use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::brokers;
use crate::mosquitto::{self, Broker};

/// The columns of `docs/brokers.md`, in order.
const DOCS_ORDER: [&str; 4] = ["mosquitto", "rumqttd", "ejabberd", "amqtt"];

pub fn run(args: &[String]) -> ExitCode {
    let started = Instant::now();
    let mut broker_addr = None;
    let mut start = None;
    let mut departures = None;
    let mut filter = None;
    let mut record = false;
    let mut docs = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--broker" => broker_addr = args.next().cloned(),
            "--start" => start = args.next().cloned(),
            "--departures" => departures = args.next().cloned(),
            "--record" => record = true,
            "--docs" => docs = true,
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
    if let Some(other) = start
        .as_deref()
        .filter(|s| *s != "mosquitto" && !brokers::NAMES.contains(s))
    {
        eprintln!(
            "xtask scenarios: --start knows mosquitto, {}, not {other}",
            brokers::NAMES.join(", ")
        );
        return ExitCode::FAILURE;
    }
    if record && filter.is_some() {
        eprintln!("xtask scenarios: --record records a whole run, not a filtered one");
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
    if docs {
        return write_docs(&binary);
    }
    if let Some(name) = start.as_deref().filter(|s| *s != "mosquitto") {
        return run_other(&binary, name, record, filter.as_deref(), started);
    }

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
    if record {
        let (Some(name), Some(broker)) = (&name, &_started_broker) else {
            eprintln!("xtask scenarios: --record needs --start");
            return ExitCode::FAILURE;
        };
        suite.args(record_args(
            name,
            &format!("Mosquitto {}", broker.version()),
            "Debian package (apt-get); started by the xtask on a free loopback port with \
             `allow_anonymous true`, `persistence false`; in CI",
        ));
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

/// `--json docs/brokers/NAME.json` and the `--meta` pairs of the run's row in the table.
fn record_args(name: &str, version: &str, how: &str) -> Vec<String> {
    let date = std::process::Command::new("date")
        .args(["-u", "+%F"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let _ = std::fs::create_dir_all("docs/brokers");
    vec![
        "--json".into(),
        format!("docs/brokers/{name}.json"),
        "--meta".into(),
        format!("version={version}"),
        "--meta".into(),
        format!("how={how}"),
        "--meta".into(),
        format!("date={date}"),
        "--meta".into(),
        format!("command=cargo xtask scenarios --start {name} --record"),
    ]
}

/// `--start amqtt|ejabberd|rumqttd`: install when missing, start, run the scenarios of the
/// versions it serves against it, stop it (when `broker` is dropped, whatever happened).
fn run_other(
    binary: &std::path::Path,
    name: &str,
    record: bool,
    filter: Option<&str>,
    started: Instant,
) -> ExitCode {
    let broker = match brokers::start(name) {
        Ok(b) => b,
        Err(e) => {
            return crate::unavailable(
                "scenarios",
                &format!("{name}: {e}"),
                "see xtask/src/brokers.rs for what it needs",
            )
        }
    };
    let start_seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "xtask scenarios: {} on {} (install {:.1} s, install and start {start_seconds:.1} s)",
        broker.label,
        broker
            .targets
            .iter()
            .map(|t| format!("{} for {}", t.addr, t.version.unwrap_or("3.1.1 and 5.0")))
            .collect::<Vec<_>>()
            .join(", "),
        broker.install_seconds,
    );
    let mut suite = Command::new(binary);
    for t in &broker.targets {
        match t.version {
            Some(v) => suite.args(["--broker", &format!("{v}={}", t.addr)]),
            None => suite.args(["--broker", &t.addr]),
        };
    }
    suite.args(["--departures", name]);
    if record {
        suite.args(record_args(name, &broker.label, &broker.how));
    }
    if let Some(filter) = filter {
        suite.arg(filter);
    }
    let suite_started = Instant::now();
    let suite_ok = crate::run(&mut suite) == ExitCode::SUCCESS;
    if !suite_ok {
        broker.print_log();
    }
    println!(
        "xtask scenarios: {} suite {} in {:.1} s, {:.1} s in all (fault checks not run: \
         they run against Mosquitto)",
        broker.label,
        if suite_ok { "passed" } else { "FAILED" },
        suite_started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    drop(broker);
    if suite_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `--docs`: docs/brokers.md from the JSON reports in docs/brokers/.
fn write_docs(binary: &std::path::Path) -> ExitCode {
    let reports: Vec<String> = DOCS_ORDER
        .iter()
        .map(|n| format!("docs/brokers/{n}.json"))
        .filter(|p| std::path::Path::new(p).is_file())
        .collect();
    crate::run(
        Command::new(binary)
            .args(["--markdown", "docs/brokers.md"])
            .args(&reports),
    )
}
