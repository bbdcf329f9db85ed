//! The adapter templates of `adapters/templates/` (Python, JavaScript, C), each with its
//! built-in stand-in decoder (PINGREQ and PINGRESP only, "unsupported" for the rest), run end
//! to end by `mqtt-vectors run --impl`, both versions: the protocol works when the runner
//! reports no adapter error, no crash and no timeout, every vector it could run passed (the
//! PINGREQ vectors of both versions among them), and every answer the template wrote
//! matches `vectors/schema/adapter-answer.schema.json`.
//!
//! A missing interpreter, compiler or cJSON is installed with apt-get when this is CI or
//! root; if it is still missing, the test fails in CI (`CI=true`) and otherwise says
//! "SKIPPED" (it cannot say so to the harness, which shows it as passed): `testkit::host`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use testkit::host::{needs, works};

/// Said when a tool is missing outside CI.
const NOT_RUN: &str = "the template was not run";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the template behind `command` through the runner, recording its answers, and checks
/// what the brief of the test says. Returns the run's last line.
fn run_template(name: &str, command: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("templates")
        .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let answers = dir.join("answers.jsonl");
    let _ = std::fs::remove_file(&answers);
    // Passes --version on; copies the answers as they pass.
    let wrapper = dir.join("adapter.sh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\n\
             if [ \"$1\" = --version ]; then exec {command} --version; fi\n\
             {command} | tee -a '{}'\n",
            answers.display()
        ),
    )
    .unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_mqtt-vectors"))
        .args(["run", "--json", "--impl"])
        .arg(format!("sh '{}'", wrapper.display()))
        .current_dir(repo())
        .env_remove("MQTT_VECTORS_FILTER")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: no JSON report ({e}): {stdout}{}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    let summary = report["summary"].as_str().unwrap_or("").to_owned();
    println!("{name}: {summary}");
    assert!(run.status.success(), "{name}: the run failed: {summary}");
    let mut passed = Vec::new();
    for version in report["reports"].as_array().unwrap() {
        let protocol = version["protocol"].as_str().unwrap_or("?").to_owned();
        assert_eq!(version["rules"], "standard", "{name} {protocol}");
        for result in version["results"].as_array().unwrap() {
            let id = result["id"].as_str().unwrap();
            let failures = result["failures"].as_array().unwrap();
            assert!(
                failures.is_empty() && result["fault"].is_null(),
                "{name} {protocol} {id}: {failures:?}"
            );
            if result["skipped"].is_null() {
                let packet_type = result["packet_type"].as_str().unwrap();
                assert!(
                    ["PINGREQ", "PINGRESP"].contains(&packet_type),
                    "{name}: the stand-in ran a {packet_type} vector: {id}"
                );
                passed.push(format!("{protocol} {id}"));
            }
        }
    }
    for must in [
        "3.1.1 ping-pingreq",
        "3.1.1 ping-pingresp",
        "5.0 v5-ping-pingreq",
    ] {
        assert!(
            passed.iter().any(|p| p == must),
            "{name}: {must} did not pass: {passed:?}"
        );
    }
    // Every answer the template wrote, against the schema.
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("vectors/schema/adapter-answer.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let text = std::fs::read_to_string(&answers).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for line in text.lines() {
        let answer: Value = serde_json::from_str(line).unwrap();
        assert!(validator.is_valid(&answer), "{name}: {line}");
        let kind = match answer["result"].as_str() {
            Some(result) => result,
            None if answer.get("hex").is_some() => "hex",
            None if answer.get("features").is_some() => "features",
            None => "?",
        };
        kinds.insert(kind.to_owned());
    }
    // Each kind of answer the stand-in can give was given, and read by the runner.
    for kind in [
        "valid",
        "invalid",
        "incomplete",
        "unsupported",
        "hex",
        "features",
    ] {
        assert!(kinds.contains(kind), "{name}: no {kind} answer: {kinds:?}");
    }
    summary
}

#[test]
fn python_template_runs_end_to_end() {
    if !needs("python3", "python3", NOT_RUN, || {
        works("python3", &["--version"])
    }) {
        return;
    }
    let script = repo().join("adapters/templates/python/adapter.py");
    run_template("python", &format!("python3 '{}'", script.display()));
}

#[test]
fn javascript_template_runs_end_to_end() {
    if !needs("node", "nodejs", NOT_RUN, || works("node", &["--version"])) {
        return;
    }
    let script = repo().join("adapters/templates/javascript/adapter.js");
    run_template("javascript", &format!("node '{}'", script.display()));
}

#[test]
fn c_template_builds_and_runs_end_to_end() {
    let cjson = Path::new("/usr/include/cjson/cJSON.h");
    if !needs("a C compiler and make", "build-essential", NOT_RUN, || {
        works("cc", &["--version"]) && works("make", &["--version"])
    }) || !needs("cJSON", "libcjson-dev", NOT_RUN, || cjson.is_file())
    {
        return;
    }
    let binary = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("templates/c-adapter");
    let _ = std::fs::remove_file(&binary);
    std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
    let build = Command::new("make")
        .arg("-s")
        .arg("-C")
        .arg(repo().join("adapters/templates/c"))
        .arg(format!("ADAPTER={}", binary.display()))
        .arg("CFLAGS=-O2 -Wall -Wextra -Werror -std=c99")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "make: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    run_template("c", &format!("'{}'", binary.display()));
}
