//! `cargo xtask <task>`: the project's chores. Orchestration only; the logic lives in the
//! library crates, where `cargo test` exercises it. One module per task.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod apt;
mod bench;
mod brokers;
mod conformance;
mod coverage;
mod differential;
mod dissector;
mod dist;
mod fuzz;
mod interop;
mod judge;
mod matrix;
mod miri;
mod mosquitto;
mod msrv;
mod oss_fuzz;
mod scenarios;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  broker-judge [--protocol 3.1.1|5.0] [--write | --check]
                Mosquitto (installed with apt-get if missing) as a judge of the vectors: each
                vector a client may send goes to the broker where its answer can be judged,
                compared with the verdict; --write records docs/broker-judge.json and the
                tables of docs/broker-judge.md; --check (the default with CI=true) fails when
                the results differ from the JSON; without a broker it fails in CI and exits
                77 (skipped) elsewhere
  bench [--quick] [--runs N] [FILTER]
                benchmark this codec against rumqttc, mqttrs and mqtt-protocol (bench/, its
                own workspace): checks each, then times decode and encode of every workload
                (FILTER: w1, w2, w3), prints the table with ratios and the targets, and
                writes target/bench/table.md and report.md; --quick for a short CI run;
                --runs N for N full passes, the table and targets from their medians;
                --instructions: instructions per packet under callgrind instead (stable
                on a loaded machine), written to target/bench/instructions.md
  conformance [--protocol 3.1.1|5.0] [--impl COMMAND] [--json] [FILTER]
                run the golden vectors (vectors/v311 and vectors/v5, or the version given)
                against this codec, or against any implementation behind the adapter
                protocol (vectors/README.md), e.g. --impl \"target/debug/mqtt-vectors
                adapter\" for this codec's own adapter: a report per version, then one
                line 'conformance: N passed, N failed' over both
  coverage      line coverage of the codec by the tests plus the fuzz corpus replayed through
                the oracles (cargo-llvm-cov, installed when missing); fails under 98%
  differential [REV] [--inputs N] [--seed S]
                the working tree's codec against the codec at git revision REV (default
                HEAD, extracted to target/differential/old/) by the checker in differential/
                (its own workspace): the same decode result in six decoder modes for every
                vector, one-byte mutation, pair of vectors, fuzz corpus file and N
                pseudo-random inputs (default 2,000,000) and their strict prefixes (all,
                or a sample for mutations, pairs and long inputs), the same bytes
                re-encoded; fails on any difference
  dissector [--protocol 3.1.1|5.0] [--list-invalid]
                Wireshark's MQTT dissector (tshark, installed with apt-get if missing) decodes
                every vector a receiver may accept, of both versions or the one given; fails
                on a disagreement with a vector's model that docs/dissector-disagreements.json
                does not list; without tshark it fails in CI (CI=true) and exits 77 (skipped)
                elsewhere
  fuzz [--target T]... [--time SECONDS]
                run the cargo-fuzz targets (all by default, 60 s each), seeded from the
                vectors; installs cargo-fuzz when missing; a crash is minimized into
                fuzz/regressions/T/ and the command that reproduces it is printed
  fuzz-corpus   write the seed corpus of every target from the vectors
  interop       the codec against a real broker: installs Mosquitto if missing (apt-get),
                starts it on a free port, runs codec/tests/broker.rs (3.1.1),
                codec/tests/broker_v5.rs (5.0, with its departs_ tests, each of which
                must fail) and the client example against it, stops it; without a
                broker it fails in CI (CI=true)
                and exits 77 (skipped) elsewhere
  matrix [--check] [--protocol 3.1.1|5.0]
                the vectors of both versions (or the one given) against other implementations
                (the peers listed in xtask/src/matrix.rs, in Python, Node and Rust), each
                installed under target/matrix/ behind its adapter (adapters/): writes that
                version's part of docs/matrix.json and docs/matrix.md; --check (or CI set)
                compares with them instead, failing only when this codec's results change
  miri          the codec's unit tests under Miri (nightly; installs it with rustup; fails in
                CI if it cannot, exits 77 (skipped) elsewhere)
  msrv          build msrv/, a crate using the codec as a new user would, with the Rust of
                rust-version (Cargo.toml): default features, no_std (for a target without
                std), bytes, serde; installs the toolchain with rustup; fails in CI if it
                cannot, exits 77 (skipped) elsewhere
  no-std        build the codec without the standard library (no default features, then alloc)
  oss-fuzz      run .clusterfuzzlite/build.sh (OSS-Fuzz and ClusterFuzzLite) with $SRC, $OUT and
                $WORK in target/oss-fuzz/, and check its output: a binary, seed corpus zip
                and dictionary per target, each binary clean over its seeds
  scenarios [--broker HOST:PORT [--departures NAME] | --start mosquitto] [FILTER]
                the behaviour scenarios (vectors/scenarios/) against a broker: by default
                Mosquitto, installed if missing (apt-get), started on a free port and
                stopped after, its recorded departures expected to fail; then the
                fault-injecting proxy's checks; a report by scenario and statement, the
                line 'scenarios: N passed, N failed'; without a broker it fails in CI
                (CI=true) and exits 77 (skipped) elsewhere
  scenarios --start amqtt|ejabberd|rumqttd [--record] [FILTER]
                the same against another broker (outside CI), installed when missing
                under target/brokers/NAME (venv, cargo install --root) or with apt-get,
                started on free loopback ports with its own config, stopped by pid with
                the processes it started; no fault checks. --record (any --start) writes
                docs/brokers/NAME.json
  scenarios --docs
                write docs/brokers.md from docs/brokers/*.json
  test          cargo test --workspace (the README's test command)
  vectors-dist [--check]
                the vectors' release, under target/dist/ (version: vectors/VERSION): the
                archive mqtt-vectors-<version>.tar.gz (vectors, schemas, checks files, the
                Python runner, adapter templates, licences, manifest.json with every file's
                SHA-256; the same bytes on every build), the Python package's wheel and the
                npm package's tarball; --check then unpacks the archive in an empty
                directory, checks it against its manifest, runs its runner and the
                installed wheel's `mqtt-vectors` against this codec's adapter (summary lines
                equal to the Rust runner's, both versions) and checks the installed npm
                package's data; without python3, venv or npm it fails in CI and exits 77
                (skipped) elsewhere
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Every task runs from the workspace root, so relative paths mean the same everywhere.
    if let Err(e) = std::env::set_current_dir(workspace_root()) {
        eprintln!("xtask: cannot enter the workspace: {e}");
        return ExitCode::FAILURE;
    }
    match args.first().map(String::as_str) {
        Some("bench") => bench::run(&args[1..]),
        Some("broker-judge") => judge::run(&args[1..]),
        Some("conformance") => conformance::run(&args[1..]),
        Some("coverage") => coverage::run(),
        Some("differential") => differential::run(&args[1..]),
        Some("dissector") => dissector::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("matrix") => matrix::run(&args[1..]),
        Some("fuzz-corpus") => fuzz::corpus_for_all(),
        Some("interop") => interop::run(),
        Some("miri") => miri::run(),
        Some("msrv") => msrv::run(),
        Some("oss-fuzz") => oss_fuzz::run(),
        Some("scenarios") => scenarios::run(&args[1..]),
        Some("test") => cargo(&["test", "--workspace"]),
        Some("vectors-dist") => dist::run(&args[1..]),
        Some("no-std") => {
            let no_std = cargo(&["build", "-p", "mqtt-wire", "--no-default-features"]);
            if no_std != ExitCode::SUCCESS {
                return no_std;
            }
            cargo(&[
                "build",
                "-p",
                "mqtt-wire",
                "--no-default-features",
                "--features",
                "alloc",
            ])
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}

/// The exit status of a task that could not run here because a tool it needs is missing and
/// could not be installed, outside CI: neither passed nor failed. 77 is the status that
/// automake's test harness reads as "skipped"; `.ci/run` prints such a task as skipped.
const SKIPPED: u8 = 77;

/// A tool `task` needs is missing (`why`): in CI (`CI=true`) a failure, elsewhere a skip
/// (status [`SKIPPED`]), never a pass. `how` says how to get the tool.
fn unavailable(task: &str, why: &str, how: &str) -> ExitCode {
    if apt::in_ci() {
        eprintln!("xtask {task}: FAILED: {why} (CI=true, so this is a failure); {how}");
        ExitCode::FAILURE
    } else {
        eprintln!("xtask {task}: SKIPPED (not passed): {why}; {how}");
        ExitCode::from(SKIPPED)
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The `mqtt-vectors` binary of the conformance crate, built first.
fn mqtt_vectors() -> Result<PathBuf, ExitCode> {
    let built = cargo(&[
        "build",
        "--quiet",
        "-p",
        "conformance",
        "--bin",
        "mqtt-vectors",
    ]);
    if built != ExitCode::SUCCESS {
        return Err(built);
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    Ok(target.join("debug").join("mqtt-vectors"))
}

/// Makes `cargo <subcommand>` available: installs `package` from crates.io when the
/// subcommand does not answer `--version`.
fn ensure_cargo_subcommand(subcommand: &str, package: &str) -> bool {
    let present = Command::new(cargo_program())
        .args([subcommand, "--version"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    present || {
        eprintln!("xtask: {package} is missing; installing it");
        run(Command::new(cargo_program()).args(["install", package, "--locked"]))
            == ExitCode::SUCCESS
    }
}

/// Runs cargo with `args` and passes its exit status on.
fn cargo(args: &[&str]) -> ExitCode {
    eprintln!("xtask: cargo {}", args.join(" "));
    run(Command::new(cargo_program()).args(args))
}

fn cargo_program() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs `rustup` with `args`, saying so; whether it succeeded (installs for miri and msrv).
fn rustup(args: &[&str]) -> bool {
    eprintln!("xtask: rustup {}", args.join(" "));
    Command::new("rustup")
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

fn run(command: &mut Command) -> ExitCode {
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: cannot run {:?}: {e}", command.get_program());
            ExitCode::FAILURE
        }
    }
}
