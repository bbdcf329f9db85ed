//! The checks file: `mqtt-vectors checks` writes it, `mqtt-vectors run --checks` runs from
//! it, and what the file says is what is checked (an edited check changes the result).

use std::process::{Command, Output};

fn mqtt_vectors(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mqtt-vectors"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn last_line(output: &Output) -> String {
    stdout(output).lines().last().unwrap_or_default().to_owned()
}

#[test]
fn the_runner_runs_what_the_checks_file_says() {
    let dir = std::env::temp_dir().join(format!("mqtt-vectors-checks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("3.1.1.json");
    let file = path.to_str().unwrap();
    let out = mqtt_vectors(&["checks", "--protocol", "3.1.1", "--output", file]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&path).unwrap();
    // The same on standard output.
    assert_eq!(
        stdout(&mqtt_vectors(&["checks", "--protocol", "3.1.1"])),
        text
    );
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed["protocol"], "3.1.1");
    assert_eq!(parsed["format_version"], 1);

    let run = |text: &str, filter: &str| {
        std::fs::write(&path, text).unwrap();
        mqtt_vectors(&["run", "--checks", file, filter])
    };
    // PUBACK with packet id 1 (40 02 00 01), and the other three PUBACK vectors with "id-".
    let out = run(&text, "acks-puback-id-1");
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(last_line(&out), "conformance: 1 passed, 0 failed");
    assert!(stdout(&out).contains("MQTT 3.1.1 golden vectors"));

    let entry = r#"{"id":"acks-puback-id-1","file":"acks","verdict":"valid","wire_length":4,"checks":[{"check":"decode","expect":"packet"},{"check":"encode","expect":"wire"},{"check":"prefixes","cuts":[[0,4]],"expect":"incomplete"},"#;
    assert!(
        text.contains(entry),
        "the entry has changed: update the test"
    );
    // A prefix check that includes the whole wire: the runner sends it, and it fails.
    let out = run(
        &text.replace(entry, &entry.replace("[[0,4]]", "[[0,5]]")),
        "acks-puback-id-1",
    );
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("prefix of 4 bytes: expected incomplete, got valid"),
        "{}",
        stdout(&out)
    );
    // Checks made for other bytes: refused as stale.
    let out = run(
        &text.replace(
            entry,
            &entry.replace("\"wire_length\":4", "\"wire_length\":5"),
        ),
        "acks-puback-id-1",
    );
    assert!(!out.status.success());
    assert!(stdout(&out).contains("the checks file is stale"));
    // A vector with no checks: a failure, not a silent gap.
    let without: String = text
        .lines()
        .filter(|l| !l.contains("\"id\":\"acks-puback-id-1\""))
        .collect::<Vec<_>>()
        .join("\n");
    let out = run(&without, "acks-puback-id-1");
    assert!(!out.status.success());
    assert!(stdout(&out).contains("no check names this vector"));
    // A format version this runner does not know.
    let out = run(
        &text.replace("\"format_version\": 1", "\"format_version\": 2"),
        "acks",
    );
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
