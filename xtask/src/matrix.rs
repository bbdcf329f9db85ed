//! `cargo xtask matrix [--check]`: the golden vectors against other MQTT implementations.
//!
//! Installs each peer behind its adapter (`adapters/`), under `target/matrix/`:
//! - `mqtt-codec` 1.0.2 (Python) in a virtualenv, `target/matrix/venv`;
//! - `mqtt-packet` (Node), pinned by `adapters/node-mqtt-packet/package-lock.json`, with
//!   `npm ci` in `target/matrix/node`;
//! - `mqttrs`, `mqttbytes` and `mqtt-protocol` (Rust), pinned by `adapters/rust/Cargo.lock`,
//!   built in release mode (as users ship them) into `target/matrix/rust`.
//!
//! Then runs `mqtt-vectors matrix` over this codec and every adapter. Without `--check` it
//! writes `docs/matrix.json` and `docs/matrix.md` (keeping the hand-written part of
//! `matrix.md`) and fails unless this codec passes every vector; a peer that cannot be
//! installed is an error. With `--check` (what CI runs; also when the environment variable
//! `CI` is set) it writes nothing and compares with the committed `docs/matrix.json`: it fails
//! when this codec fails a vector or any of its cells changed; a peer's changed cells or
//! version are printed, not failed, and a peer that cannot be installed is left out with a
//! warning, so that the check depends on the package registries only for the peers.
//! Installation is skipped when the pinned version is already in place.

use std::path::Path;
use std::process::{Command, ExitCode};

const VENV: &str = "target/matrix/venv";
const NODE_DIR: &str = "target/matrix/node";
const RUST_TARGET: &str = "target/matrix/rust";
const MQTT_CODEC_VERSION: &str = "1.0.2";

/// One peer: its column name, the command that starts its adapter, and how to install it.
struct Peer {
    name: &'static str,
    command: String,
    install: Install,
}

#[derive(Clone, Copy, PartialEq)]
enum Install {
    Python,
    Node,
    /// The three Rust adapters are one build.
    Rust,
}

pub fn run(args: &[String]) -> ExitCode {
    let check = args.iter().any(|a| a == "--check") || std::env::var_os("CI").is_some();
    if let Some(other) = args.iter().find(|a| *a != "--check") {
        eprintln!("xtask matrix: unknown argument {other}");
        return ExitCode::FAILURE;
    }
    let runner = match crate::mqtt_vectors() {
        Ok(runner) => runner,
        Err(code) => return code,
    };
    let rust = |bin: &str| format!("{RUST_TARGET}/release/{bin}");
    let peers = [
        Peer {
            name: "mqtt-codec (Python)",
            command: format!("{VENV}/bin/python adapters/python-mqtt-codec/adapter.py"),
            install: Install::Python,
        },
        Peer {
            name: "mqtt-packet (Node)",
            command: format!(
                "NODE_PATH={NODE_DIR}/node_modules node adapters/node-mqtt-packet/adapter.js"
            ),
            install: Install::Node,
        },
        Peer {
            name: "mqttrs",
            command: rust("mqttrs"),
            install: Install::Rust,
        },
        Peer {
            name: "mqttbytes",
            command: rust("mqttbytes"),
            install: Install::Rust,
        },
        Peer {
            name: "mqtt-protocol",
            command: rust("mqtt-protocol"),
            install: Install::Rust,
        },
    ];
    let mut matrix = Command::new(runner);
    matrix.arg("matrix");
    let mut rust_built = None;
    for peer in &peers {
        let installed = match peer.install {
            Install::Python => install_python(),
            Install::Node => install_node(),
            Install::Rust => rust_built.get_or_insert_with(build_rust).clone(),
        };
        let version = installed.and_then(|()| version(&peer.command));
        match version {
            Ok(version) => {
                eprintln!("xtask: {} {version}", peer.name);
                matrix.args(["--impl", peer.name, &version, &peer.command]);
            }
            Err(e) if check => {
                eprintln!("xtask: WARNING: {} left out: {e}", peer.name)
            }
            Err(e) => {
                eprintln!("xtask: {}: {e}", peer.name);
                return ExitCode::FAILURE;
            }
        }
    }
    if check {
        matrix.args(["--check", "docs/matrix.json"]);
    } else {
        matrix.args(["--write", "docs"]);
    }
    crate::run(&mut matrix)
}

/// The version an adapter reports with `--version`.
fn version(command: &str) -> Result<String, String> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} --version"))
        .output()
        .map_err(|e| format!("cannot run {command}: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if out.status.success() && !text.is_empty() {
        Ok(text)
    } else {
        Err(format!(
            "{command} --version failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Runs a command, quietly unless it fails.
fn step(what: &str, command: &mut Command) -> Result<(), String> {
    eprintln!("xtask: {what}");
    let out = command
        .output()
        .map_err(|e| format!("{what}: cannot run {:?}: {e}", command.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn install_python() -> Result<(), String> {
    let python = format!("{VENV}/bin/python");
    let installed = Command::new(&python)
        .args([
            "-c",
            "from importlib.metadata import version; print(version('mqtt-codec'))",
        ])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == MQTT_CODEC_VERSION);
    if installed {
        return Ok(());
    }
    step(
        "creating the virtualenv",
        Command::new("python3").args(["-m", "venv", "--clear", VENV]),
    )?;
    let pip = |args: &[&str]| {
        let mut command = Command::new(&python);
        command
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(args);
        command
    };
    // mqtt-codec 1.0.2 is a source distribution whose setup.py needs an old setuptools.
    step(
        "installing setuptools<58 and wheel",
        &mut pip(&["setuptools<58", "wheel"]),
    )?;
    step(
        "installing mqtt-codec",
        &mut pip(&[
            "--no-build-isolation",
            &format!("mqtt-codec=={MQTT_CODEC_VERSION}"),
        ]),
    )
}

fn install_node() -> Result<(), String> {
    let source = Path::new("adapters/node-mqtt-packet");
    let dir = Path::new(NODE_DIR);
    let lock = std::fs::read(source.join("package-lock.json")).map_err(|e| e.to_string())?;
    // npm ci again only when the lock file changed since the last install.
    if std::fs::read(dir.join("package-lock.json")).ok().as_ref() == Some(&lock)
        && dir.join("node_modules/mqtt-packet/package.json").exists()
    {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(source.join(file), dir.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    step(
        "npm ci (mqtt-packet)",
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(dir),
    )
}

fn build_rust() -> Result<(), String> {
    step(
        "building the Rust adapters (mqttrs, mqttbytes, mqtt-protocol)",
        Command::new(crate::cargo_program()).args([
            "build",
            "--quiet",
            "--release",
            "--locked",
            "--manifest-path",
            "adapters/rust/Cargo.toml",
            "--target-dir",
            RUST_TARGET,
        ]),
    )
}
