//! `mqtt-scenarios`: runs the behaviour scenarios of `vectors/scenarios/` against a broker.
//!
//! ```text
//! mqtt-scenarios [--dir DIR] [--lint] [--write-statements]
//!                [--broker HOST:PORT | --broker VERSION=HOST:PORT ...]
//!                [--departures NAME] [--json FILE [--meta KEY=VALUE ...]] [--faults] [FILTER]
//! mqtt-scenarios --markdown OUT REPORT.json...
//! ```
//!
//! The lint always runs first; a suite that fails it does not run. `--broker VERSION=ADDR`
//! (VERSION `3.1.1` or `5.0`, repeatable) runs only that version's scenarios there, for a
//! broker that serves the versions on different ports or only one of them (the other
//! version's scenarios are then not run, and not reported). `--departures NAME` reads the
//! departures recorded for broker NAME in `DIR/departures.json`, and the scenarios recorded
//! there as not applicable to it (`not_applicable`), which are not run and are reported as
//! such. `--json FILE` also writes the report as JSON, with the `--meta` pairs; `--markdown`
//! writes `docs/brokers.md` from such reports. `--faults` runs the fault-injecting proxy
//! checks instead of the suite.

use std::path::PathBuf;
use std::process::ExitCode;

use scenarios::report::{Outcome, Report, ScenarioResult};
use scenarios::{proxy, statements, suite};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from("vectors/scenarios");
    let mut broker = None;
    let mut by_version: Vec<(String, String)> = Vec::new();
    let mut json = None;
    let mut meta = std::collections::BTreeMap::new();
    let mut markdown = None;
    let mut broker_name = None;
    let mut lint_only = false;
    let mut write = false;
    let mut faults = false;
    let mut filter = String::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dir" => dir = args.next().map(PathBuf::from).unwrap_or(dir),
            "--broker" => match args.next() {
                Some(b) if b.contains('=') => {
                    let (v, addr) = b.split_once('=').unwrap_or_default();
                    by_version.push((v.to_owned(), addr.to_owned()));
                }
                b => broker = b,
            },
            "--json" => json = args.next().map(PathBuf::from),
            "--meta" => {
                if let Some((k, v)) = args.next().as_deref().and_then(|m| m.split_once('=')) {
                    meta.insert(k.to_owned(), v.to_owned());
                }
            }
            "--markdown" => {
                markdown = args.next().map(PathBuf::from);
                break;
            }
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
    if let Some(out) = markdown {
        return write_markdown(&dir, &out, args.collect());
    }
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
    if broker.is_none() && by_version.is_empty() {
        eprintln!("mqtt-scenarios: --broker HOST:PORT is needed to run the scenarios");
        return ExitCode::FAILURE;
    }
    if let Some((v, _)) = by_version.iter().find(|(v, _)| v != "3.1.1" && v != "5.0") {
        eprintln!("mqtt-scenarios: --broker {v}=...: the versions are 3.1.1 and 5.0");
        return ExitCode::FAILURE;
    }
    if faults {
        let Some(broker) = broker.or_else(|| by_version.first().map(|(_, a)| a.clone())) else {
            return ExitCode::FAILURE;
        };
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
    let not_applicable = match &broker_name {
        Some(name) => match not_applicable(&dir.join("departures.json"), name) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("mqtt-scenarios: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => Default::default(),
    };
    // Where each version runs: one address for both, or one per version given.
    let places: Vec<(Option<String>, String)> = match broker {
        Some(addr) => vec![(None, addr)],
        None => by_version
            .into_iter()
            .map(|(v, addr)| (Some(v), addr))
            .collect(),
    };
    let mut report = Report::default();
    let all_files = std::mem::take(&mut suite.files);
    for (version, addr) in &places {
        // The suite narrowed to this version's files (and the not-applicable scenarios out).
        suite.files = Vec::new();
        let mut kept = Vec::new();
        for (path, mut file) in all_files_view(&all_files, version.as_deref()) {
            file.scenarios
                .retain(|s| !not_applicable.contains_key(&s.id));
            kept.push((path, file));
        }
        suite.files = kept;
        report
            .results
            .extend(scenarios::run(addr, &suite, &filter, &departures).results);
    }
    suite.files = all_files;
    // The not-applicable ones, in suite order among the others.
    for (version, scenario) in suite.scenarios() {
        let served = places
            .iter()
            .any(|(v, _)| v.as_deref().map_or(true, |v| v == version.name()));
        if let (true, true, Some(why)) = (
            served,
            scenario.id.contains(&filter),
            not_applicable.get(&scenario.id),
        ) {
            report.results.push(ScenarioResult {
                id: scenario.id.clone(),
                version,
                statements: scenario.statements.clone(),
                outcome: Outcome::NotApplicable(why.clone()),
                seconds: 0.0,
            });
        }
    }
    let order: std::collections::HashMap<&str, usize> = suite
        .scenarios()
        .enumerate()
        .map(|(i, (_, s))| (s.id.as_str(), i))
        .collect();
    report
        .results
        .sort_by_key(|r| order.get(r.id.as_str()).copied().unwrap_or(usize::MAX));
    print!("{}", report.render(&suite));
    if let Some(path) = json {
        meta.entry("duration".to_owned())
            .or_insert_with(|| format!("{:.1} s", started.elapsed().as_secs_f64()));
        let name = broker_name.as_deref().unwrap_or("unnamed");
        let text = serde_json::to_string_pretty(&report.to_json(name, &meta)).unwrap_or_default();
        if let Err(e) = std::fs::write(&path, text + "\n") {
            eprintln!("mqtt-scenarios: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        eprintln!("mqtt-scenarios: wrote {}", path.display());
    }
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

/// The scenarios recorded as not applicable to broker `name` in the departures file
/// (`not_applicable`: scenario id to why), none when it lists none.
fn not_applicable(
    path: &std::path::Path,
    name: &str,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    match json.get("not_applicable").and_then(|b| b.get(name)) {
        None => Ok(Default::default()),
        Some(list) => serde_json::from_value(list.clone())
            .map_err(|e| format!("{}: not_applicable: {name}: {e}", path.display())),
    }
}

/// The files of `files` for `version` (all when `None`), re-read so they can be narrowed.
fn all_files_view(
    files: &[(PathBuf, scenarios::format::File)],
    version: Option<&str>,
) -> Vec<(PathBuf, scenarios::format::File)> {
    files
        .iter()
        .filter(|(_, f)| version.map_or(true, |v| f.protocol == v))
        .filter_map(|(path, _)| {
            let text = std::fs::read_to_string(path).ok()?;
            Some((path.clone(), serde_json::from_str(&text).ok()?))
        })
        .collect()
}

/// Writes `out` (docs/brokers.md) from the JSON reports `inputs`, in that order.
fn write_markdown(dir: &std::path::Path, out: &std::path::Path, inputs: Vec<String>) -> ExitCode {
    let suite = match suite::load(dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mqtt-scenarios: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut runs = Vec::new();
    for input in &inputs {
        let parsed = std::fs::read_to_string(input)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
        match parsed {
            Ok(v) => runs.push(v),
            Err(e) => {
                eprintln!("mqtt-scenarios: {input}: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if runs.is_empty() {
        eprintln!("mqtt-scenarios: --markdown needs at least one JSON report");
        return ExitCode::FAILURE;
    }
    if let Err(e) = std::fs::write(out, scenarios::report::markdown(&runs, &suite)) {
        eprintln!("mqtt-scenarios: {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!("wrote {} from {} report(s)", out.display(), runs.len());
    ExitCode::SUCCESS
}
