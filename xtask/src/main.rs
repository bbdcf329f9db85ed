//! `cargo xtask <task>`: the project's chores. Orchestration only; the logic lives in the
//! library crates, where `cargo test` exercises it.

use std::process::{Command, ExitCode};

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  test          cargo test --workspace (the README's test command)
  conformance   run the golden vectors against the codec (not written yet: the conformance issue)
  no-std        build the codec without the standard library (no default features, then alloc)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => cargo(&["test", "--workspace"]),
        Some("conformance") => {
            eprintln!(
                "xtask conformance: there are no golden vectors yet (see the conformance issue); \
                 nothing was run"
            );
            ExitCode::FAILURE
        }
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

/// Runs cargo with `args` in the workspace and passes its exit status on.
fn cargo(args: &[&str]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("xtask: cargo {}", args.join(" "));
    match Command::new(cargo).args(args).status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
