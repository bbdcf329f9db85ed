//! The `mqtt-vectors` command line: decode hex to the JSON model, encode it back, answer the
//! adapter protocol, and say clearly what is wrong with bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn mqtt_vectors(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mqtt-vectors"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn decodes_hex_to_the_json_model_and_encodes_it_back() {
    // PUBLISH QoS 1, topic "a/b", packet id 1, payload "hi".
    let out = mqtt_vectors(&["decode", "32 09 00 03 61 2f 62 00 01 68 69"], "");
    assert!(out.status.success());
    let answer: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(answer["result"], "valid");
    assert_eq!(answer["consumed"], 11);
    let packet = answer["packet"].to_string();
    assert_eq!(
        packet,
        r#"{"type":"PUBLISH","dup":false,"qos":1,"retain":false,"topic":"a/b","packet_id":1,"payload":"6869"}"#
    );
    let out = mqtt_vectors(&["encode", &packet], "");
    assert!(out.status.success());
    assert_eq!(stdout(&out).trim(), "32090003612f6200016869");
}

#[test]
fn says_what_is_wrong() {
    // A wildcard in a PUBLISH topic: invalid, with kind, clause, field and offset; exit 1.
    let out = mqtt_vectors(&["decode", "30 04 00 02 61 23"], "");
    assert_eq!(out.status.code(), Some(1));
    let answer: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(answer["error"]["kind"], "wildcard-in-topic-name");
    assert_eq!(answer["error"]["clause"], "MQTT-3.3.2-2");
    assert_eq!(answer["error"]["offset"], 5);
    // A prefix: incomplete.
    let out = mqtt_vectors(&["decode", "30 04 00"], "");
    assert!(stdout(&out).contains("incomplete"));
    // Not hex, and a model the codec refuses: exit 2 with a message on stderr.
    let out = mqtt_vectors(&["decode", "3x"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not hex"));
    let out = mqtt_vectors(&["encode", r#"{"type":"PUBACK","packet_id":0}"#], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("packet identifier is 0 [MQTT-2.3.1-1]"));
    let out = mqtt_vectors(&["frobnicate"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage"));
}

#[test]
fn answers_adapter_requests_line_by_line() {
    let requests = [
        r#"{"id": "a", "protocol": "3.1.1", "hex": "c000"}"#,
        r#"{"id": "b", "protocol": "3.1.1", "hex": "c0"}"#,
        r#"{"id": "c", "protocol": "3.1.1", "hex": "c100"}"#,
        r#"{"id": "d", "protocol": "4.0", "hex": "c000"}"#,
        r#"{"id": "e", "protocol": "3.1.1", "encode": {"type": "PINGRESP"}}"#,
        // 5.0: AUTH exists; a context sets the decoder's limits (here: no AUTH without an
        // Authentication Method in the CONNECT).
        r#"{"id": "f", "protocol": "5.0", "hex": "f000"}"#,
        r#"{"id": "g", "protocol": "5.0", "hex": "f000", "context": {"authentication_method": false}}"#,
        r#"{"id": "h", "protocol": "5.0", "hex": "f000", "context": {"no_such_key": 1}}"#,
        r#"{"id": "features", "features": "?"}"#,
    ];
    let out = mqtt_vectors(&["adapter"], &(requests.join("\n") + "\n"));
    assert!(out.status.success());
    let answers: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 9);
    assert_eq!(answers[0]["result"], "valid");
    assert_eq!(answers[0]["packet"]["type"], "PINGREQ");
    assert_eq!(answers[1]["result"], "incomplete");
    assert_eq!(answers[2]["result"], "invalid");
    assert_eq!(answers[2]["error"]["kind"], "invalid-flags");
    assert_eq!(answers[3]["result"], "unsupported");
    assert_eq!(answers[4]["hex"], "d000");
    assert_eq!(
        answers[5]["packet"],
        serde_json::json!({"type": "AUTH", "reason_code": null, "properties": null})
    );
    assert_eq!(answers[6]["error"]["kind"], "unexpected-auth");
    assert_eq!(answers[6]["error"]["reason_code"], 0x82);
    assert_eq!(answers[7]["result"], "unsupported");
    assert!(answers[7]["reason"]
        .as_str()
        .unwrap()
        .contains("no_such_key"));
    assert_eq!(
        answers[8]["features"],
        serde_json::json!(["5.0", "context"])
    );
    for (answer, id) in answers
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h", "features"])
    {
        assert_eq!(answer["id"], id);
    }
}

#[test]
fn the_adapter_reports_every_part_of_an_error_and_names_this_codec() {
    // A PUBLISH whose topic has a wildcard: kind, clause, field and offset, so that a run
    // through the adapter checks all that a vector records.
    let request = r#"{"id": "a", "protocol": "3.1.1", "hex": "3004000261 23"}"#;
    let out = mqtt_vectors(&["adapter"], &format!("{request}\n"));
    let answer: serde_json::Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(
        answer["error"],
        serde_json::json!({"kind": "wildcard-in-topic-name", "clause": "MQTT-3.3.2-2",
                           "field": "topic-name", "offset": 5})
    );
    // The --version line starts with the name a runner recognises this codec by.
    let out = mqtt_vectors(&["adapter", "--version"], "");
    assert_eq!(
        stdout(&out).trim(),
        format!("mqtt-wire {}", conformance::CODEC_VERSION)
    );
}

#[test]
fn writes_a_results_matrix_and_checks_against_it() {
    // This codec's own adapter as the peer: the same results in both columns.
    let dir = std::env::temp_dir().join(format!("mqtt-vectors-matrix-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let adapter = format!("{} adapter", env!("CARGO_BIN_EXE_mqtt-vectors"));
    let dir_arg = dir.to_str().unwrap();
    let args = ["matrix", "--impl", "own adapter", "0.1.0", &adapter];
    let out = mqtt_vectors(&[&args[..], &["--write", dir_arg]].concat(), "");
    assert!(out.status.success(), "{}", stdout(&out));
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("matrix.json")).unwrap()).unwrap();
    // One matrix per protocol version; a run without --protocol is the 3.1.1 one.
    let matrix = &file["protocols"]["3.1.1"];
    assert!(file["protocols"].get("5.0").is_none());
    let names: Vec<_> = matrix["implementations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["mqtt-wire", "own adapter"]);
    for row in matrix["vectors"].as_array().unwrap() {
        let statuses: Vec<_> = row["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert!(
            statuses == ["pass", "pass"] || statuses == ["skip", "skip"],
            "{}: {statuses:?}",
            row["id"]
        );
    }
    // Early rejection is counted for every column, and the same through the adapter.
    let early: Vec<&serde_json::Value> = matrix["implementations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["early_rejection"])
        .collect();
    assert_eq!(early[0], early[1]);
    assert_eq!(
        early[0][0], early[0][1],
        "this codec rejects early everywhere"
    );
    let md = std::fs::read_to_string(dir.join("matrix.md")).unwrap();
    assert!(
        md.contains("| own adapter | 0.1.0 | 363 | 0 | 0 | 0 | 0 | 3 |"),
        "{md}"
    );

    // Checking against what was just written: the same.
    let json = dir.join("matrix.json");
    let out = mqtt_vectors(
        &[&args[..], &["--check", json.to_str().unwrap()]].concat(),
        "",
    );
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("matrix: the same as"));

    // The 5.0 run adds its part beside the 3.1.1 one, which stays as it was, and checks
    // against its own part.
    let v5 = ["--protocol", "5.0"];
    let out = mqtt_vectors(&[&args[..], &v5, &["--write", dir_arg]].concat(), "");
    assert!(out.status.success(), "{}", stdout(&out));
    let both: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(&both["protocols"]["3.1.1"], matrix);
    let v5_rows = both["protocols"]["5.0"]["vectors"].as_array().unwrap();
    assert!(
        v5_rows.len() > 600
            && v5_rows.iter().all(|r| {
                r["id"].as_str().unwrap().starts_with("v5-")
                    && r["cells"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|c| c["status"] != "fail")
            })
    );
    let md = std::fs::read_to_string(dir.join("matrix.md")).unwrap();
    assert!(md.contains("## MQTT 3.1.1") && md.contains("## MQTT 5.0"));
    let out = mqtt_vectors(
        &[&args[..], &v5, &["--check", json.to_str().unwrap()]].concat(),
        "",
    );
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("matrix: the same as"));
    let _ = std::fs::remove_dir_all(&dir);
}
