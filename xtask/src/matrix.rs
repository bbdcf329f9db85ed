//! `cargo xtask matrix [--check] [--protocol 3.1.1|5.0]`: the golden vectors of both protocol
//! versions (or the one given) against other MQTT implementations.
//!
//! Installs each peer behind its adapter (`adapters/`), once for both versions, under
//! `target/matrix/`:
//! - `mqtt-codec` 1.0.2 and `amqtt` 0.12.1 (3.1.1), `mqtt5` 0.8.0 and `moat-lib-mqtt` 0.8.7
//!   (5.0), Python, in one virtualenv, `target/matrix/venv` (amqtt's dependencies clash with
//!   none of the others': `pip install --dry-run` there only adds packages);
//! - `mqtt-packet` (Node, both versions), pinned by
//!   `adapters/node-mqtt-packet/package-lock.json`, with `npm ci` in `target/matrix/node`;
//! - `mqttrs`, `mqttbytes` and `mqtt-protocol` (3.1.1), `rumqttc`, `mqttbytes` (feature `v5`),
//!   `mqtt-proto`, `mqute-codec` and `mqtt5-protocol` (5.0), `rmqtt-codec` (both), Rust, pinned by
//!   `adapters/rust/Cargo.lock`: one cargo build, in release mode (as users ship them), into
//!   `target/matrix/rust`.
//!
//! Then runs `mqtt-vectors matrix --protocol P` once per version over this codec and that
//! version's peers. Without `--check` each run replaces its version's part of
//! `docs/matrix.json` and `docs/matrix.md` (keeping the other version's and the hand-written
//! part of `matrix.md`) and rewrites `docs/matrix.html` (the page of both), and fails unless
//! this codec passes every vector; a peer that cannot be installed is an error. With `--check`
//! (what CI runs; also when the environment variable `CI` is set) it writes nothing and
//! compares with the committed `docs/matrix.json`: it fails when this codec fails a vector or
//! any of its cells changed; a peer's changed cells or version are printed, not failed, and a
//! peer that cannot be installed is left out with a warning, so that the check depends on the
//! package registries only for the peers.
//! Installation is skipped when the pinned version is already in place.

use std::path::Path;
use std::process::{Command, ExitCode};

const VENV: &str = "target/matrix/venv";
const NODE_DIR: &str = "target/matrix/node";
const RUST_TARGET: &str = "target/matrix/rust";
/// The Python packages in the virtualenv: mqtt-codec (3.1.1), the 5.0 ones, amqtt (3.1.1).
const PYTHON_PACKAGES: [(&str, &str); 4] = [
    ("mqtt-codec", "1.0.2"),
    ("mqtt5", "0.8.0"),
    ("moat-lib-mqtt", "0.8.7"),
    ("amqtt", "0.12.1"),
];

/// One peer: its column name, the command that starts its adapter, how to install it, and
/// the protocol version it runs (a library that speaks both has one column in each).
struct Peer {
    name: &'static str,
    command: String,
    install: Install,
    protocol: &'static str,
}

#[derive(Clone, Copy, PartialEq)]
enum Install {
    Python,
    Node,
    /// The Rust adapters are one build.
    Rust,
}

pub fn run(args: &[String]) -> ExitCode {
    let mut check = std::env::var_os("CI").is_some();
    let mut protocols = vec!["3.1.1", "5.0"];
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.clone().next().map(String::as_str)) {
            ("--check", _) => check = true,
            ("--protocol", Some(p @ ("3.1.1" | "5.0"))) => {
                protocols = vec![p];
                rest.next();
            }
            _ => {
                eprintln!("xtask matrix: unknown argument {arg} (--check, --protocol 3.1.1|5.0)");
                return ExitCode::FAILURE;
            }
        }
    }
    let runner = match crate::mqtt_vectors() {
        Ok(runner) => runner,
        Err(code) => return code,
    };
    let rust = |bin: &str| format!("{RUST_TARGET}/release/{bin}");
    let python = |adapter: &str| format!("{VENV}/bin/python adapters/{adapter}/adapter.py");
    let node =
        || format!("NODE_PATH={NODE_DIR}/node_modules node adapters/node-mqtt-packet/adapter.js");
    let peer = |name, command, install, protocol| Peer {
        name,
        command,
        install,
        protocol,
    };
    let peers = [
        peer(
            "mqtt-codec (Python)",
            python("python-mqtt-codec"),
            Install::Python,
            "3.1.1",
        ),
        peer("mqtt-packet (Node)", node(), Install::Node, "3.1.1"),
        peer("mqttrs", rust("mqttrs"), Install::Rust, "3.1.1"),
        peer("mqttbytes", rust("mqttbytes"), Install::Rust, "3.1.1"),
        peer(
            "mqtt-protocol",
            rust("mqtt-protocol"),
            Install::Rust,
            "3.1.1",
        ),
        peer(
            "rmqtt-codec",
            format!("{} --protocol 3.1.1", rust("rmqtt-codec")),
            Install::Rust,
            "3.1.1",
        ),
        peer(
            "amqtt (Python)",
            python("python-amqtt"),
            Install::Python,
            "3.1.1",
        ),
        peer("mqtt-packet (Node)", node(), Install::Node, "5.0"),
        peer(
            "mqtt5 (Python)",
            python("python-mqtt5"),
            Install::Python,
            "5.0",
        ),
        peer(
            "moat-lib-mqtt (Python)",
            python("python-moat-mqtt"),
            Install::Python,
            "5.0",
        ),
        peer("rumqttc", rust("rumqttc"), Install::Rust, "5.0"),
        // mqttbytes 0.6's v5 UNSUBSCRIBE reader has a `dbg!` left in: thousands of lines on
        // standard error, so the adapter's is dropped (its answers carry any crash's reason).
        peer(
            "mqttbytes",
            format!("{} 2>/dev/null", rust("mqttbytes5")),
            Install::Rust,
            "5.0",
        ),
        peer("mqtt-proto", rust("mqtt-proto"), Install::Rust, "5.0"),
        peer("mqute-codec", rust("mqute-codec"), Install::Rust, "5.0"),
        peer(
            "mqtt5-protocol",
            rust("mqtt5-protocol"),
            Install::Rust,
            "5.0",
        ),
        peer("rmqtt-codec", rust("rmqtt-codec"), Install::Rust, "5.0"),
    ];
    // Each installation once, for every version that needs it.
    let mut installed: Vec<(Install, Result<(), String>)> = Vec::new();
    let mut failed = false;
    for protocol in protocols {
        let mut matrix = Command::new(&runner);
        matrix.args(["matrix", "--protocol", protocol]);
        for peer in peers.iter().filter(|p| p.protocol == protocol) {
            let done = match installed.iter().find(|(i, _)| *i == peer.install) {
                Some((_, result)) => result.clone(),
                None => {
                    let result = match peer.install {
                        Install::Python => install_python(),
                        Install::Node => install_node(),
                        Install::Rust => build_rust(),
                    };
                    installed.push((peer.install, result.clone()));
                    result
                }
            };
            match done.and_then(|()| version(&peer.command)) {
                Ok(version) => {
                    eprintln!("xtask: {protocol}: {} {version}", peer.name);
                    matrix.args(["--impl", peer.name, &version, &peer.command]);
                }
                Err(e) if check => {
                    eprintln!("xtask: WARNING: {protocol}: {} left out: {e}", peer.name)
                }
                Err(e) => {
                    eprintln!("xtask: {protocol}: {}: {e}", peer.name);
                    return ExitCode::FAILURE;
                }
            }
        }
        if check {
            matrix.args(["--check", "docs/matrix.json"]);
        } else {
            matrix.args(["--write", "docs"]);
        }
        eprintln!("xtask: the MQTT {protocol} matrix");
        // Both versions run even when the first fails, so that one run shows everything.
        failed |= crate::run(&mut matrix) != ExitCode::SUCCESS;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
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
    let wanted: Vec<String> = PYTHON_PACKAGES
        .iter()
        .map(|(name, version)| format!("{name}=={version}"))
        .collect();
    let installed = Command::new(&python)
        .args([
            "-c",
            "import sys\nfrom importlib.metadata import version\nfor n in sys.argv[1:]: print(n + '==' + version(n))",
        ])
        .args(PYTHON_PACKAGES.iter().map(|(name, _)| name))
        .output()
        .is_ok_and(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .eq(wanted.iter().map(String::as_str))
        });
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
        &mut pip(&["--no-build-isolation", &wanted[0]]),
    )?;
    // mqtt5 is a compiled wheel (abi3), moat-lib-mqtt pure Python.
    step(
        "installing mqtt5 and moat-lib-mqtt",
        &mut pip(&[&wanted[1], &wanted[2]]),
    )?;
    // amqtt pins its own websockets; the rest of its dependencies are new to the virtualenv.
    step("installing amqtt", &mut pip(&[&wanted[3]]))
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
        "building the Rust adapters (3.1.1: mqttrs, mqttbytes, mqtt-protocol; 5.0: rumqttc, \
         mqttbytes, mqtt-proto, mqute-codec, mqtt5-protocol; both: rmqtt-codec)",
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
