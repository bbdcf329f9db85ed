//! `cargo xtask fuzz`: the cargo-fuzz targets under `fuzz/`, seeded from the vectors.
//!
//! The toolchain is the first of these that builds the targets, and the task says which:
//! nightly with AddressSanitizer; stable with `RUSTC_BOOTSTRAP=1` and AddressSanitizer;
//! stable with `RUSTC_BOOTSTRAP=1` and no sanitizer (`-s none`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const DICTIONARY: &str = "fuzz/mqtt.dict";

/// The targets `fuzz/Cargo.toml` declares. `cargo fuzz list` must name each of them, and a run
/// of every target must run each beyond its seeds: a smoke that ran fewer targets, or a target
/// that fuzzed nothing, fails instead of passing without fuzzing. A new target is added here
/// too.
pub const EXPECTED_TARGETS: [&str; 6] = [
    "decode",
    "roundtrip",
    "stream",
    "v5_decode",
    "v5_roundtrip",
    "v5_stream",
];

/// A way to build the targets.
pub struct Toolchain {
    pub name: &'static str,
    pub toolchain: &'static str,
    pub bootstrap: bool,
    pub sanitizer: &'static str,
}

const TOOLCHAINS: &[Toolchain] = &[
    Toolchain {
        name: "nightly with AddressSanitizer",
        toolchain: "+nightly",
        bootstrap: false,
        sanitizer: "address",
    },
    Toolchain {
        name: "stable with RUSTC_BOOTSTRAP=1 and AddressSanitizer",
        toolchain: "+stable",
        bootstrap: true,
        sanitizer: "address",
    },
    Toolchain {
        name: "stable with RUSTC_BOOTSTRAP=1, no sanitizer",
        toolchain: "+stable",
        bootstrap: true,
        sanitizer: "none",
    },
];

impl Toolchain {
    /// `cargo <toolchain> fuzz <sub> -O -a -s <sanitizer> <rest>`, run from the workspace
    /// root. `-O -a`: optimized, with debug assertions and overflow checks on, as the
    /// OSS-Fuzz build script builds them: an overflow panics instead of wrapping, and the
    /// codec's debug assertions (each packet its fast path takes checked against the
    /// general path) run on every input.
    fn cargo_fuzz(&self, sub: &str, rest: &[&str]) -> Command {
        let mut command = Command::new("cargo");
        command
            .arg(self.toolchain)
            .args(["fuzz", sub, "-O", "-a", "-s", self.sanitizer])
            .args(rest);
        if self.bootstrap {
            command.env("RUSTC_BOOTSTRAP", "1");
        }
        command
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let mut targets = Vec::new();
    let mut seconds = 60u64;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--target", Some(t)) => targets.push(t.clone()),
            ("--time", Some(s)) => match s.parse() {
                Ok(s) => seconds = s,
                Err(_) => return usage(),
            },
            _ => return usage(),
        }
    }
    if !ensure_cargo_fuzz() {
        return ExitCode::FAILURE;
    }
    let listed = match list_targets() {
        Ok(listed) => listed,
        Err(e) => {
            eprintln!("xtask fuzz: {e}");
            return ExitCode::FAILURE;
        }
    };
    if targets.is_empty() {
        targets = listed;
    } else if let Some(unknown) = targets.iter().find(|t| !listed.contains(t)) {
        eprintln!("xtask fuzz: no target {unknown}; cargo fuzz list names {listed:?}");
        return ExitCode::FAILURE;
    }
    let Some(toolchain) = working_toolchain() else {
        eprintln!("xtask fuzz: no toolchain could build the fuzz targets");
        return ExitCode::FAILURE;
    };
    eprintln!("xtask fuzz: using {}", toolchain.name);
    if corpus_for_all() != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
    let mut ran = Vec::new();
    for target in &targets {
        if let Some(executions) = run_target(toolchain, target, seconds) {
            ran.push(format!("{target} {executions}"));
        }
    }
    if ran.len() == targets.len() {
        eprintln!(
            "xtask fuzz: {} targets ran, no finding (executions: {})",
            ran.len(),
            ran.join(", ")
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "xtask fuzz: FAILED: {} of {} targets ran cleanly with executions ({})",
            ran.len(),
            targets.len(),
            ran.join(", ")
        );
        ExitCode::FAILURE
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo xtask fuzz [--target T]... [--time SECONDS]");
    ExitCode::FAILURE
}

/// The first toolchain of [`TOOLCHAINS`] that builds the targets (with the flags of every
/// later build and run, so those find them done).
pub fn working_toolchain() -> Option<&'static Toolchain> {
    TOOLCHAINS.iter().find(|t| {
        eprintln!("xtask fuzz: trying to build the targets with {}", t.name);
        t.cargo_fuzz("build", &[])
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Installs cargo-fuzz from crates.io when `cargo fuzz` is not there.
pub fn ensure_cargo_fuzz() -> bool {
    crate::ensure_cargo_subcommand("fuzz", "cargo-fuzz")
}

/// The targets `cargo fuzz list` names; an error when it fails or leaves out any of
/// [`EXPECTED_TARGETS`] (it printing nothing included).
pub fn list_targets() -> Result<Vec<String>, String> {
    let output = Command::new("cargo")
        .args(["fuzz", "list"])
        .output()
        .map_err(|e| format!("cannot run cargo fuzz list: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo fuzz list failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    tasks::output::fuzz_targets(&String::from_utf8_lossy(&output.stdout), &EXPECTED_TARGETS)
}

/// Writes every target's seed corpus (`fuzz/corpus/<target>/`) from the vectors.
pub fn corpus_for_all() -> ExitCode {
    let runner = match crate::mqtt_vectors() {
        Ok(runner) => runner,
        Err(code) => return code,
    };
    let targets = match list_targets() {
        Ok(targets) => targets,
        Err(e) => {
            eprintln!("xtask fuzz-corpus: {e}");
            return ExitCode::FAILURE;
        }
    };
    for target in targets {
        let dir = Path::new("fuzz").join("corpus").join(&target);
        if crate::run(Command::new(&runner).arg("corpus").arg(&dir)) != ExitCode::SUCCESS {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// Runs one target for `seconds`; on a crash, minimizes it into `fuzz/regressions/<target>/`.
/// The number of executions libFuzzer reported, or `None` if the run failed, or ran no more
/// than its seeds (or printed no final statistics: a run that did not say it fuzzed failed).
fn run_target(toolchain: &Toolchain, target: &str, seconds: u64) -> Option<u64> {
    let corpus = format!("fuzz/corpus/{target}");
    let logs = Path::new("fuzz").join("logs");
    let _ = std::fs::create_dir_all(&logs);
    let log_path = logs.join(format!("{target}.log"));
    let Ok(log) = std::fs::File::create(&log_path) else {
        eprintln!("xtask fuzz: cannot write {}", log_path.display());
        return None;
    };
    let time = format!("-max_total_time={seconds}");
    let dict = format!("-dict={DICTIONARY}");
    eprintln!(
        "xtask fuzz: {target} for {seconds} s (log: {})",
        log_path.display()
    );
    let status = toolchain
        .cargo_fuzz(
            "run",
            &[target, &corpus, "--", &time, &dict, "-print_final_stats=1"],
        )
        .stdout(Stdio::null())
        .stderr(log)
        .status();
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let stats = tasks::output::FuzzStats::parse(&text);
    let shown = |stat: &Option<String>| stat.clone().unwrap_or_else(|| "?".into());
    eprintln!(
        "xtask fuzz: {target}: {} executions, {} per second",
        shown(&stats.executions),
        shown(&stats.per_second)
    );
    if status.is_ok_and(|s| s.success()) {
        // libFuzzer first runs the seeds (its `#N INITED` line), then mutates: a run whose
        // total is no more than the seeds' fuzzed nothing (or printed no statistics at all).
        let fuzzed = stats.fuzzed();
        if fuzzed.is_none() {
            eprintln!(
                "xtask fuzz: FAILED: {target} exited cleanly but ran no executions beyond \
                 its {} seeds (see {})",
                stats.seeds,
                log_path.display()
            );
        }
        return fuzzed;
    }
    eprintln!("xtask fuzz: {target} found a failure; the log's end:");
    for line in text
        .lines()
        .rev()
        .take(30)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        eprintln!("  {line}");
    }
    if let Some(artifact) = newest_file(target, "crash-") {
        save_regression(toolchain, target, &artifact);
    }
    None
}

/// The most recently written file in `fuzz/artifacts/<target>/` whose name starts with
/// `prefix` (`crash-` from a run, `minimized-from-` from `cargo fuzz tmin`).
fn newest_file(target: &str, prefix: &str) -> Option<PathBuf> {
    let dir = Path::new("fuzz").join("artifacts").join(target);
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

/// Minimizes the crash, keeps it under `fuzz/regressions/<target>/` (where `cargo test` runs
/// every file through the oracle), and prints how to reproduce it.
fn save_regression(toolchain: &Toolchain, target: &str, artifact: &Path) {
    let artifact_text = artifact.to_string_lossy();
    let _ = toolchain
        .cargo_fuzz("tmin", &[target, &artifact_text])
        .stdout(Stdio::null())
        .status();
    let minimized = newest_file(target, "minimized-from-").unwrap_or_else(|| artifact.to_owned());
    let keep_dir = Path::new("fuzz").join("regressions").join(target);
    let name = minimized
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "crash".into());
    let keep = keep_dir.join(name.trim_start_matches("minimized-from-"));
    if std::fs::create_dir_all(&keep_dir)
        .and_then(|()| std::fs::copy(&minimized, &keep))
        .is_ok()
    {
        let how = if minimized == artifact {
            "input (tmin found nothing smaller)"
        } else {
            "minimized input"
        };
        eprintln!("xtask fuzz: {how} saved as {}", keep.display());
        eprintln!(
            "xtask fuzz: reproduce with: {}cargo {} fuzz run -O -a -s {} {target} {}",
            if toolchain.bootstrap {
                "RUSTC_BOOTSTRAP=1 "
            } else {
                ""
            },
            toolchain.toolchain,
            toolchain.sanitizer,
            keep.display()
        );
        eprintln!("xtask fuzz: then fix the cause and commit the file, with a comment on the root cause in fuzz/regressions/README.md");
    }
}
