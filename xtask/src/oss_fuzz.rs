//! `cargo xtask oss-fuzz`: runs `.clusterfuzzlite/build.sh` (the build script OSS-Fuzz and
//! ClusterFuzzLite share) without Docker, with `$SRC`, `$OUT` and `$WORK` pointed at folders
//! under `target/oss-fuzz/`, then checks what a fuzzing service would find in `$OUT`: one
//! binary per target, its seed corpus zip (every seed of the vectors) and its dictionary, and
//! that each binary runs over its seed corpus without a finding.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub fn run() -> ExitCode {
    match build_and_check() {
        Ok(()) => {
            eprintln!("xtask oss-fuzz: the build script's output is complete");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("xtask oss-fuzz: {message}");
            ExitCode::FAILURE
        }
    }
}

fn build_and_check() -> Result<(), String> {
    if !crate::fuzz::ensure_cargo_fuzz() {
        return Err("cargo-fuzz is missing and could not be installed".into());
    }
    let root = std::env::current_dir().map_err(|e| e.to_string())?;
    let base = root.join("target").join("oss-fuzz");
    let (src, out, work) = (base.join("src"), base.join("out"), base.join("work"));
    let _ = std::fs::remove_dir_all(&base);
    for dir in [&src, &out, &work] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // $SRC/mqtt-wire is the repository, as the services' Dockerfiles arrange it.
    std::os::unix::fs::symlink(&root, src.join("mqtt-wire")).map_err(|e| e.to_string())?;

    // The services build with their nightly; here, the first toolchain that builds the
    // targets (the same order as `cargo xtask fuzz`), with the build script's flags.
    let toolchain = crate::fuzz::working_toolchain().ok_or("no toolchain builds the targets")?;
    eprintln!(
        "xtask oss-fuzz: running .clusterfuzzlite/build.sh with {}",
        toolchain.name
    );
    let mut build = Command::new("bash");
    build
        .arg(root.join(".clusterfuzzlite").join("build.sh"))
        .env("SRC", &src)
        .env("OUT", &out)
        .env("WORK", &work)
        .env("SANITIZER", toolchain.sanitizer)
        .env(
            "RUSTUP_TOOLCHAIN",
            toolchain.toolchain.trim_start_matches('+'),
        );
    if toolchain.bootstrap {
        build.env("RUSTC_BOOTSTRAP", "1");
    }
    if crate::run(&mut build) != ExitCode::SUCCESS {
        return Err("the build script failed".into());
    }

    let dictionary = std::fs::read("fuzz/mqtt.dict").map_err(|e| e.to_string())?;
    let seeds = seed_count()?;
    let targets = crate::fuzz::list_targets()?;
    for target in &targets {
        let binary = out.join(target);
        if !is_executable(&binary) {
            return Err(format!("{} is not an executable", binary.display()));
        }
        let dict = out.join(format!("{target}.dict"));
        if std::fs::read(&dict).ok().as_deref() != Some(&dictionary[..]) {
            return Err(format!("{} is not fuzz/mqtt.dict", dict.display()));
        }
        let zip = out.join(format!("{target}_seed_corpus.zip"));
        let corpus = work.join(format!("{target}_seeds"));
        let unzipped = Command::new("unzip")
            .arg("-q")
            .arg(&zip)
            .arg("-d")
            .arg(&corpus)
            .status()
            .is_ok_and(|s| s.success());
        let in_zip = std::fs::read_dir(&corpus).map_or(0, Iterator::count);
        if !unzipped || in_zip != seeds {
            return Err(format!(
                "{} holds {in_zip} seeds, the vectors give {seeds}",
                zip.display()
            ));
        }
        // The binary as a service starts it: over its seeds, with its dictionary.
        let ran = Command::new(&binary)
            .arg(&corpus)
            .arg(format!("-dict={}", dict.display()))
            .arg("-runs=20000")
            .arg(format!("-artifact_prefix={}/", work.display()))
            .output()
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        if !ran.status.success() {
            let log = String::from_utf8_lossy(&ran.stderr);
            return Err(format!("{target} failed on its seeds:\n{log}"));
        }
        eprintln!("xtask oss-fuzz: {target}: binary, dictionary, {in_zip} seeds; 20000 runs clean");
    }
    Ok(())
}

/// How many seeds the vectors give, counted by writing them afresh.
fn seed_count() -> Result<usize, String> {
    let runner = crate::mqtt_vectors().map_err(|_| "cannot build mqtt-vectors")?;
    let dir = PathBuf::from("target/oss-fuzz/work/expected-seeds");
    if crate::run(Command::new(runner).arg("corpus").arg(&dir)) != ExitCode::SUCCESS {
        return Err("mqtt-vectors corpus failed".into());
    }
    Ok(std::fs::read_dir(&dir).map_or(0, Iterator::count))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
