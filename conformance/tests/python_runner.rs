//! The reference runner in Python (`runners/python/mqtt_vectors.py`) gives the Rust runner's
//! per-vector results and report on this codec's adapter, both versions, from the same checks
//! file (`runners/python/check_against_rust.py` compares them); and a Python runner with a
//! planted fault does not. python3 (standard library only) is required: CI installs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn compare(args: &[&str]) -> Output {
    Command::new("python3")
        .current_dir(root())
        .arg("runners/python/check_against_rust.py")
        .args(["--runner", env!("CARGO_BIN_EXE_mqtt-vectors")])
        .args(args)
        .output()
        .expect("python3 is needed for the Python runner's test")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_python_runner_gives_the_rust_runners_results_and_report() {
    let out = compare(&[]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    for protocol in ["3.1.1", "5.0"] {
        assert!(
            shown.contains(&format!(
                "mqtt-wire adapter {protocol}: the same (conformance: "
            )),
            "{shown}"
        );
    }
}

#[test]
fn a_python_runner_with_a_planted_fault_is_caught() {
    let source = std::fs::read_to_string(root().join("runners/python/mqtt_vectors.py")).unwrap();
    // (what, the original, the fault)
    let faults = [
        (
            "the Remaining Length + 1 transformation computed as + 2",
            "grown = with_remaining_length(wire[0], remaining + 1, body)",
            "grown = with_remaining_length(wire[0], remaining + 2, body)",
        ),
        (
            "the last prefix of each range left out",
            "yield from range(start, end)",
            "yield from range(start, end - 1)",
        ),
        (
            "the acceptable vectors listed id first in the report",
            "w(\"    %s %s\" % (r[\"choice\"], r[\"id\"]))",
            "w(\"    %s %s\" % (r[\"id\"], r[\"choice\"]))",
        ),
    ];
    let dir = std::env::temp_dir().join(format!("mqtt-vectors-python-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (what, original, fault) in faults {
        assert_eq!(source.matches(original).count(), 1, "{what}: not planted");
        let planted = dir.join("mqtt_vectors.py");
        std::fs::write(&planted, source.replace(original, fault)).unwrap();
        let out = compare(&[
            "--protocol",
            "3.1.1",
            "--python-runner",
            planted.to_str().unwrap(),
        ]);
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(1), "{what}: {shown}");
        assert!(shown.contains("DIFFERENCES"), "{what}: {shown}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
