//! `mqtt-scenarios`: runs the behaviour scenarios of `vectors/scenarios/` against a broker.
//!
//! ```text
//! mqtt-scenarios [--dir DIR] [--lint] [--write-statements] [--broker HOST:PORT]
//!                [--departures NAME] [--faults] [FILTER]
//! ```
//!
//! The lint always runs first; a suite that fails it does not run. `--departures NAME` reads
//! the departures recorded for broker NAME in `DIR/departures.json`. `--faults` runs the
//! fault-injecting proxy checks instead of the suite.

use std::path::PathBuf;
use std::process::ExitCode;

use scenarios::{proxy, statements, suite};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from("vectors/scenarios");
    let mut broker = None;
    let mut broker_name = None;
    let mut lint_only = false;
    let mut write = false;
    let mut faults = false;
    let mut filter = String::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dir" => dir = args.next().map(PathBuf::from).unwrap_or(dir),
            "--broker" => broker = args.next(),
            "--departures" => broker_name = args.next(),
            "--lint" => lint_only = true,
            "--write-statements" => write = true,
            "--faults" => faults = true,
            _ if !arg.starts_with('-') => filter = arg,
            _ => {
                eprintln!("mqtt-scenarios: unknown option {arg}");
                return ExitCode::FAILURE;
            }
        }
    }
    let vectors = dir.parent().map(PathBuf::from).unwrap_or_default();
    let mut suite = match suite::load(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mqtt-scenarios: {e}");
            return ExitCode::FAILURE;
        }
    };
    if write {
        return write_statements(&mut suite, &dir);
    }
    let problems = suite::lint(&suite, &vectors);
    for p in &problems {
        eprintln!("lint: {p}");
    }
    if !problems.is_empty() {
        println!("scenarios: lint failed with {} problem(s)", problems.len());
        return ExitCode::FAILURE;
    }
    let count = suite.scenarios().count();
    if lint_only {
        println!("scenarios: lint clean ({count} scenarios)");
        return ExitCode::SUCCESS;
    }
    let Some(broker) = broker else {
        eprintln!("mqtt-scenarios: --broker HOST:PORT is needed to run the scenarios");
        return ExitCode::FAILURE;
    };
    if faults {
        let lines = proxy::check(&broker, &suite);
        let good = lines.iter().filter(|l| l.clean && l.caught).count();
        for l in &lines {
            let verdict = match (l.clean, l.caught) {
                (true, true) => "caught by",
                (false, _) => "UNUSABLE (fails through the proxy without the fault):",
                (true, false) => "MISSED by",
            };
            println!("fault {}: {verdict} {}", l.fault, l.scenario);
        }
        println!("faults: {good} caught, {} not", lines.len() - good);
        return if good == lines.len() && !lines.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    let departures = match &broker_name {
        Some(name) => match scenarios::departures(&dir.join("departures.json"), name) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("mqtt-scenarios: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Default::default(),
    };
    let report = scenarios::run(&broker, &suite, &filter, &departures);
    print!("{}", report.render(&suite));
    let (passed, failed, _) = report.counts();
    if failed == 0 && passed + report.counts().2 > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Sets each statement's `covered_by` from the scenarios' tags and writes the files back.
fn write_statements(suite: &mut suite::Suite, dir: &std::path::Path) -> ExitCode {
    let mut tagged: std::collections::BTreeMap<
        &str,
        std::collections::BTreeMap<String, Vec<String>>,
    > = Default::default();
    for (version, scenario) in suite.scenarios() {
        for id in &scenario.statements {
            tagged
                .entry(version.name())
                .or_default()
                .entry(id.clone())
                .or_default()
                .push(scenario.id.clone());
        }
    }
    for (version, file) in suite.statements.iter_mut() {
        statements::refresh(file, &tagged.get(version).cloned().unwrap_or_default());
        let path = dir.join(format!("statements-{version}.json"));
        let text = match serde_json::to_string_pretty(file) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("mqtt-scenarios: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("mqtt-scenarios: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
