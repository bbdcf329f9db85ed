//! `cargo xtask msrv`: keeps the declared minimum Rust version true. Builds `msrv/`, a small
//! crate outside the workspace that uses the codec as a new user would (by path), with the
//! toolchain of `rust-version` in the workspace's `Cargo.toml` (the one place the version is
//! written): with the codec's default features, without them for a target with no standard
//! library at all (`no_std`), and with each feature `.ci/features` marks `msrv` (`bytes` and
//! `serde`). Each build uses `msrv/`'s
//! committed `Cargo.lock` (`--locked`), resolved by that toolchain's cargo.
//!
//! Installs the toolchain (minimal profile) and the `no_std` target with rustup when they are
//! missing; when they cannot be had, fails in CI (`CI=true`) and is skipped elsewhere.
//!
//! `tokio` and `arbitrary` are not built: as resolved today their dependencies ask for newer
//! compilers (`tokio` 1.85 through `tokio-util` 0.7, `arbitrary` 1.71), as the crate docs say.

use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// A target without `std`: the `no_std` build is made for it, so that any use of `std` by the
/// codec without its `std` feature fails to build.
const NO_STD_TARGET: &str = "thumbv7m-none-eabi";

/// The codec's features, with those built here marked `msrv` (see `tasks::features`).
const FEATURES: &str = ".ci/features";

pub fn run() -> ExitCode {
    let started = Instant::now();
    let version = match declared_msrv() {
        Ok(version) => version,
        Err(e) => {
            eprintln!("xtask msrv: {e}");
            return ExitCode::FAILURE;
        }
    };
    let toolchain = format!("+{version}");
    if let Err(e) = ensure_toolchain(&version) {
        return crate::unavailable(
            "msrv",
            &e,
            &format!(
                "rustup toolchain install {version} --profile minimal --target {NO_STD_TARGET}"
            ),
        );
    }
    let builds = match features() {
        Ok(features) => tasks::features::msrv_builds(&features, NO_STD_TARGET),
        Err(e) => {
            eprintln!("xtask msrv: {e}");
            return ExitCode::FAILURE;
        }
    };
    let built: Vec<&str> = builds.iter().map(|b| b.short.as_str()).collect();
    let built = built.join(", ");
    let target_dir = std::env::current_dir()
        .unwrap_or_default()
        .join("target")
        .join("msrv");
    let mut failed = Vec::new();
    for tasks::features::MsrvBuild { name, args, .. } in builds {
        let mut command = Command::new("cargo");
        command
            .args([toolchain.as_str(), "build", "--locked", "--quiet"])
            .args(["--manifest-path", "msrv/Cargo.toml"])
            .args(&args)
            // The outer cargo's choices must not leak into the MSRV build.
            .env_remove("RUSTC")
            .env_remove("RUSTUP_TOOLCHAIN")
            .env("CARGO_TARGET_DIR", &target_dir);
        eprintln!(
            "xtask msrv: Rust {version}, {name}: cargo {toolchain} build --locked --manifest-path msrv/Cargo.toml {}",
            args.join(" ")
        );
        if crate::run(&mut command) != ExitCode::SUCCESS {
            failed.push(name);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    if failed.is_empty() {
        println!("msrv: msrv/ builds with Rust {version} ({built}) in {seconds:.0} s");
        ExitCode::SUCCESS
    } else {
        println!(
            "msrv: FAILED: msrv/ does not build with Rust {version}: {}",
            failed.join(", ")
        );
        ExitCode::FAILURE
    }
}

/// `rust-version` of `[workspace.package]` in `Cargo.toml`.
fn declared_msrv() -> Result<String, String> {
    let manifest = std::fs::read_to_string("Cargo.toml").map_err(|e| format!("Cargo.toml: {e}"))?;
    tasks::manifest::declared_msrv(&manifest)
}

/// The codec's features from `.ci/features`, the list `.ci/run` reads too.
fn features() -> Result<Vec<tasks::features::Feature>, String> {
    let list = std::fs::read_to_string(FEATURES).map_err(|e| format!("{FEATURES}: {e}"))?;
    tasks::features::parse(&list).map_err(|e| format!("{FEATURES}: {e}"))
}

/// The toolchain `version` with the `no_std` target, installed with rustup when missing.
fn ensure_toolchain(version: &str) -> Result<(), String> {
    let toolchain = format!("+{version}");
    let present = quiet(Command::new("rustc").args([toolchain.as_str(), "--version"]));
    let installed = present
        || crate::rustup(&[
            "toolchain",
            "install",
            version,
            "--profile",
            "minimal",
            "--target",
            NO_STD_TARGET,
        ]);
    if !installed {
        return Err(format!(
            "Rust {version} is not installed and could not be installed"
        ));
    }
    let target_present = Command::new("rustup")
        .args(["target", "list", "--installed", "--toolchain", version])
        .output()
        .is_ok_and(|o| {
            tasks::output::has_target(&String::from_utf8_lossy(&o.stdout), NO_STD_TARGET)
        });
    if target_present || crate::rustup(&["target", "add", NO_STD_TARGET, "--toolchain", version]) {
        Ok(())
    } else {
        Err(format!(
            "the target {NO_STD_TARGET} of Rust {version} is not installed and could not be installed"
        ))
    }
}

fn quiet(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
