//! `cargo xtask bench [--quick] [--runs N] [FILTER]`: the benchmark crate (`bench/`, its own
//! workspace, so the peers are never built by `cargo test --workspace`) against the peer
//! codecs. It builds and runs the criterion binary, which checks every implementation, times
//! them and writes `target/bench/table.md`; this task adds the machine, the toolchain and the
//! peer versions and writes `target/bench/report.md`. Missed targets are reported, not failed.
//!
//! `--runs N` makes N full passes in one process (default 1): on a shared machine one pass's
//! ratios move by a third from run to run, so the table shows each row's median over the
//! passes and each target the median of its per-pass ratios, with every pass's value.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The peers whose versions the report names, as in `bench/Cargo.lock`.
const PEERS: [&str; 9] = [
    "rumqttc",
    "mqttrs",
    "mqtt-protocol",
    "mqtt-proto",
    "mqute-codec",
    "mqtt5-protocol",
    "rmqtt-codec",
    "bytes",
    "criterion",
];

pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--instructions") {
        return instructions();
    }
    let mut quick = false;
    let mut runs: Option<&str> = None;
    let mut filter: Vec<&String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--runs" => {
                let Some(value) = iter.next() else {
                    eprintln!("xtask bench: --runs needs a number of passes, e.g. --runs 3");
                    return ExitCode::FAILURE;
                };
                if !value.parse::<u32>().is_ok_and(|n| n >= 1) {
                    eprintln!(
                        "xtask bench: --runs takes a number of passes, 1 or more, not {value:?}"
                    );
                    return ExitCode::FAILURE;
                }
                runs = Some(value);
            }
            unknown if unknown.starts_with("--") => {
                eprintln!("xtask bench: unknown option {unknown}");
                return ExitCode::FAILURE;
            }
            _ => filter.push(arg),
        }
    }
    let Ok(root) = std::env::current_dir() else {
        eprintln!("xtask bench: no current directory");
        return ExitCode::FAILURE;
    };
    let out = out_dir(&root);

    let mut command = Command::new(super::cargo_program());
    command
        .args([
            "bench",
            "--manifest-path",
            "bench/Cargo.toml",
            "--bench",
            "codecs",
            "--",
        ])
        .env("CARGO_TARGET_DIR", &out)
        .env("MQTT_BENCH_DIR", &out);
    if quick {
        command.arg("--quick");
    }
    if let Some(runs) = runs {
        command.args(["--runs", runs]);
    }
    command.args(filter.iter().map(|s| s.as_str()));
    eprintln!(
        "xtask: cargo bench --manifest-path bench/Cargo.toml --bench codecs --{}{}{} (target {})",
        if quick { " --quick" } else { "" },
        runs.map(|n| format!(" --runs {n}")).unwrap_or_default(),
        filter.iter().map(|f| format!(" {f}")).collect::<String>(),
        out.display()
    );
    let status = super::run(&mut command);
    if status != ExitCode::SUCCESS {
        return status;
    }

    let table = match std::fs::read_to_string(out.join("table.md")) {
        Ok(table) => table,
        Err(e) => {
            eprintln!("xtask bench: no table in {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
    };
    let mut command_line = String::from("cargo xtask bench");
    for arg in args {
        command_line.push(' ');
        command_line.push_str(arg);
    }
    let report = format!(
        "{}\n{table}",
        environment(&root.join("bench").join("Cargo.lock"), &command_line)
    );
    let path = out.join("report.md");
    if let Err(e) = std::fs::write(&path, &report) {
        eprintln!("xtask bench: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!(
        "\n{}",
        environment(&root.join("bench").join("Cargo.lock"), &command_line)
    );
    eprintln!(
        "xtask bench: wrote {} and {}",
        out.join("table.md").display(),
        path.display()
    );
    ExitCode::SUCCESS
}

/// The machine, the toolchain and the peer versions, as Markdown.
fn environment(lock: &Path, command_line: &str) -> String {
    let cpu = output("lscpu", &[])
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("Model name:"))
                .map(|model| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = output("rustc", &["--version"]).unwrap_or_else(|| "unknown".into());
    let lock = std::fs::read_to_string(lock).unwrap_or_default();
    let versions: Vec<String> = PEERS
        .iter()
        .map(|name| format!("{name} {}", locked_version(&lock, name).unwrap_or("?")))
        .collect();
    format!(
        "- Command: `{command_line}`\n- CPU: {cpu}, {cores} cores available\n- Toolchain: {}\n- Peers (bench/Cargo.lock): {}\n",
        rustc.trim(),
        versions.join(", ")
    )
}

/// The version of `name` in a Cargo.lock: the `version` line after its `name` line.
fn locked_version<'a>(lock: &'a str, name: &str) -> Option<&'a str> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    lines.find(|l| l.trim() == wanted)?;
    lines
        .next()?
        .trim()
        .strip_prefix("version = \"")?
        .strip_suffix('"')
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `target/bench`, absolute: the bench workspace's target directory and the results.
fn out_dir(root: &Path) -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    if target.is_absolute() {
        target.join("bench")
    } else {
        root.join(target).join("bench")
    }
}

/// `cargo xtask bench --instructions`: instructions per packet of every implementation,
/// workload and operation, counted by callgrind. The driver, its tables and the parsing of
/// callgrind's output live in the bench crate (`bench/src/instructions.rs`, tested by
/// `cargo test --manifest-path bench/Cargo.toml`); this builds `examples/profile.rs` and runs
/// it with `--instructions`, which writes `target/bench/instructions.md`.
fn instructions() -> ExitCode {
    let Ok(root) = std::env::current_dir() else {
        return ExitCode::FAILURE;
    };
    let out = out_dir(&root);
    let mut build = Command::new(super::cargo_program());
    build
        .args(["build", "--release", "--manifest-path", "bench/Cargo.toml"])
        .args(["--example", "profile"])
        .env("CARGO_TARGET_DIR", &out);
    let built = super::run(&mut build);
    if built != ExitCode::SUCCESS {
        return built;
    }
    let profile = out.join("release").join("examples").join("profile");
    let mut command = Command::new(profile);
    command.arg("--instructions").env("MQTT_BENCH_DIR", &out);
    super::run(&mut command)
}
