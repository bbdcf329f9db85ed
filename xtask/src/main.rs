//! `cargo xtask <task>`: the project's chores. Orchestration only; the logic lives in the
//! library crates, where `cargo test` exercises it.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  conformance [--impl COMMAND] [--json] [FILTER]
                run the golden vectors (vectors/) against this codec, or against any
                implementation behind the adapter protocol (vectors/README.md), e.g.
                --impl \"target/debug/mqtt-vectors adapter\" for this codec's own adapter
  test          cargo test --workspace (the README's test command)
  no-std        build the codec without the standard library (no default features, then alloc)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Every task runs from the workspace root, so relative paths mean the same everywhere.
    if let Err(e) = std::env::set_current_dir(workspace_root()) {
        eprintln!("xtask: cannot enter the workspace: {e}");
        return ExitCode::FAILURE;
    }
    match args.first().map(String::as_str) {
        Some("conformance") => conformance(&args[1..]),
        Some("test") => cargo(&["test", "--workspace"]),
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

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Builds the runner, then runs it with the task's arguments.
fn conformance(args: &[String]) -> ExitCode {
    let built = cargo(&[
        "build",
        "--quiet",
        "-p",
        "conformance",
        "--bin",
        "mqtt-vectors",
    ]);
    if built != ExitCode::SUCCESS {
        return built;
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    let runner = target.join("debug").join("mqtt-vectors");
    let mut command = Command::new(&runner);
    command.arg("run").args(args);
    run(&mut command)
}

/// Runs cargo with `args` and passes its exit status on.
fn cargo(args: &[&str]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("xtask: cargo {}", args.join(" "));
    run(Command::new(cargo).args(args))
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
