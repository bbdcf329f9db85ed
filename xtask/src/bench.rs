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
const PEERS: [&str; 5] = ["rumqttc", "mqttrs", "mqtt-protocol", "bytes", "criterion"];

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

const IMPLEMENTATIONS: [&str; 4] = ["mqtt-wire", "rumqttc", "mqttrs", "mqtt-protocol"];
/// Workload ids and their packets per stream.
const WORKLOADS: [(&str, u64); 4] = [("w1", 1000), ("w2", 1000), ("w3-64k", 1), ("w3-1m", 1)];
const REPEATS: u64 = 10;

/// `cargo xtask bench --instructions`: instructions per packet of every implementation,
/// workload and operation, counted by callgrind inside the adapter's `decode_all` or
/// `encode_all` only (`bench/examples/profile.rs`). Unlike times, the counts do not move when
/// other work shares the machine. Writes `target/bench/instructions.md`.
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
    let mut table = String::from(
        "Instructions per packet (callgrind, inside `decode_all` / `encode_all` only, 10 runs of each stream)\n\n\
         | workload | op | mqtt-wire | rumqttc | mqttrs | mqtt-protocol | mqtt-wire / fewest of the peers |\n\
         |---|---|---:|---:|---:|---:|---:|\n",
    );
    for (workload, packets) in WORKLOADS {
        for op in ["decode", "encode"] {
            let mut counts = Vec::new();
            for implementation in IMPLEMENTATIONS {
                let Some(count) = callgrind(&profile, implementation, workload, op) else {
                    eprintln!("xtask bench: callgrind failed for {implementation} {workload} {op}");
                    return ExitCode::FAILURE;
                };
                counts.push(count as f64 / (REPEATS * packets) as f64);
            }
            let fewest = counts[1..].iter().copied().fold(f64::INFINITY, f64::min);
            let cells: Vec<String> = counts.iter().map(|c| format!("{c:.0}")).collect();
            table.push_str(&format!(
                "| {workload} | {op} | {} | {:.2} |\n",
                cells.join(" | "),
                counts[0] / fewest
            ));
        }
    }
    println!("{table}");
    let path = out.join("instructions.md");
    if let Err(e) = std::fs::write(&path, &table) {
        eprintln!("xtask bench: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    eprintln!("xtask bench: wrote {}", path.display());
    ExitCode::SUCCESS
}

/// The instructions callgrind counts inside the adapter's timed function.
fn callgrind(profile: &Path, implementation: &str, workload: &str, op: &str) -> Option<u64> {
    let toggle = format!("--toggle-collect=*::{op}_all");
    let output = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            &toggle,
        ])
        .arg(profile)
        .args([implementation, workload, op, &REPEATS.to_string()])
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find_map(|l| l.split_once("Collected :"))
        .and_then(|(_, n)| n.trim().parse().ok())
}
