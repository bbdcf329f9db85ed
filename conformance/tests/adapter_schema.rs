//! The adapter protocol's JSON Schemas (`vectors/schema/adapter-request.schema.json` and
//! `adapter-answer.schema.json`) against what is really said: every request the runner sends
//! in a full run of both versions, and every answer this codec's adapter gives back, recorded
//! by a wrapper around `mqtt-vectors adapter` that copies both streams to files.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../vectors/schema")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every way the instance breaks the schema, on one line.
fn why_not(validator: &jsonschema::Validator, instance: &Value) -> Option<String> {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

fn short(line: &str) -> &str {
    line.get(..300).unwrap_or(line)
}

/// What kind of request a line is: the field that names it.
fn request_kind(request: &Value) -> &'static str {
    if request.get("hex").is_some() {
        "decode"
    } else if request.get("encode").is_some() {
        "encode"
    } else {
        "features"
    }
}

#[test]
fn every_request_of_a_run_and_every_answer_of_this_codecs_adapter_match_the_schemas() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("adapter-schema");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (requests, answers) = (dir.join("requests.jsonl"), dir.join("answers.jsonl"));
    let bin = env!("CARGO_BIN_EXE_mqtt-vectors");
    // `--version` is passed on (so the run keeps this codec's rules); otherwise both
    // streams are copied as they pass.
    let wrapper = dir.join("adapter.sh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\n\
             if [ \"$1\" = --version ]; then exec '{bin}' adapter --version; fi\n\
             tee -a '{req}' | '{bin}' adapter | tee -a '{ans}'\n",
            req = requests.display(),
            ans = answers.display(),
        ),
    )
    .unwrap();
    let run = Command::new(bin)
        .args(["run", "--impl"])
        .arg(format!("sh '{}'", wrapper.display()))
        .env_remove("MQTT_VECTORS_FILTER")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let last = stdout.lines().last().unwrap_or("");
    println!("through the recording adapter: {last}");

    let (request_schema, answer_schema) = (
        schema("adapter-request.schema.json"),
        schema("adapter-answer.schema.json"),
    );
    let lines = |path: &Path| BufReader::new(File::open(path).unwrap()).lines();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    let mut wrong = Vec::new();
    let mut pairs = 0;
    for (n, (request, answer)) in lines(&requests).zip(lines(&answers)).enumerate() {
        let (request, answer) = (request.unwrap(), answer.unwrap());
        pairs += 1;
        let req: Value = serde_json::from_str(&request).unwrap();
        let ans: Value = serde_json::from_str(&answer).unwrap();
        if let Some(why) = why_not(&request_schema, &req) {
            wrong.push(format!("request {n}: {why}: {}", short(&request)));
        }
        if let Some(why) = why_not(&answer_schema, &ans) {
            wrong.push(format!("answer {n}: {why}: {}", short(&answer)));
        }
        if req["id"] != ans["id"] {
            wrong.push(format!("answer {n} has another id: {}", short(&answer)));
        }
        let kind = request_kind(&req);
        let answered = match (kind, ans.get("result").and_then(Value::as_str)) {
            ("decode", Some(result)) => result.to_owned(),
            ("encode", None) if ans.get("hex").is_some() => "hex".into(),
            ("features", None) if ans.get("features").is_some() => "features".into(),
            (_, result) => format!("{result:?} (wrong for a {kind} request)"),
        };
        let mut key = format!("{kind} -> {answered}");
        if req.get("context").is_some() {
            key.push_str(" (with context)");
        }
        if req.get("hex").and_then(Value::as_str) == Some("") {
            key = format!("empty hex -> {answered}");
        }
        *counts.entry(key).or_default() += 1;
    }
    for (what, count) in &counts {
        println!("{count:>7}  {what}");
    }
    // The schemas first: a request the runner got wrong may fail the run too, and the
    // schema's account of it is the more precise.
    let shown: Vec<&String> = wrong.iter().take(20).collect();
    assert!(
        wrong.is_empty(),
        "{} lines, the first: {shown:#?}",
        wrong.len()
    );
    assert!(run.status.success(), "{stdout}");
    assert!(
        stdout.contains("this codec's"),
        "the wrapper lost this codec's rules"
    );
    // Both files are whole: as many answers as requests.
    assert_eq!(lines(&requests).count(), pairs);
    assert_eq!(lines(&answers).count(), pairs);
    // The run said every kind of thing the schemas describe.
    for key in [
        "decode -> valid",
        "decode -> invalid",
        "decode -> incomplete",
        "decode -> valid (with context)",
        "decode -> invalid (with context)",
        "encode -> hex",
        "encode -> hex (with context)",
        "empty hex -> incomplete",
        "features -> features",
    ] {
        assert!(
            counts.get(key).is_some_and(|&n| n > 0),
            "no {key:?} in the run"
        );
    }
    assert_eq!(counts.get("features -> features"), Some(&1));
}

/// The schemas refuse what the protocol does not allow, so their green above means something.
#[test]
fn the_schemas_refuse_what_the_protocol_does_not_allow() {
    let request = schema("adapter-request.schema.json");
    let answer = schema("adapter-answer.schema.json");
    let good_requests = [
        json!({"id": "acks-puback-id-1", "protocol": "3.1.1", "hex": "40020001"}),
        json!({"id": "acks-puback-id-1", "protocol": "3.1.1", "hex": ""}),
        json!({"id": "v5-x", "protocol": "5.0", "context": {"receiver": "server"}, "hex": "c000"}),
        json!({"id": "acks-puback-id-1", "protocol": "3.1.1", "encode": {"type": "PUBACK", "packet_id": 1}}),
        json!({"id": "features", "features": "?"}),
    ];
    for good in &good_requests {
        assert_eq!(why_not(&request, good), None, "{good}");
    }
    let bad_requests = [
        // A field renamed, missing, or added.
        json!({"id": "acks-puback-id-1", "protocol": "3.1.1", "bytes": "40020001"}),
        json!({"id": "acks-puback-id-1", "hex": "40020001"}),
        json!({"id": "acks-puback-id-1", "protocol": "3.1.1", "hex": "40020001", "check": "prefix"}),
        // Hex the runner does not write: spaces, capitals, an odd digit.
        json!({"id": "a", "protocol": "3.1.1", "hex": "40 02"}),
        json!({"id": "a", "protocol": "3.1.1", "hex": "C000"}),
        json!({"id": "a", "protocol": "3.1.1", "hex": "c00"}),
        // A context in a 3.1.1 request, a null context, an unknown context key.
        json!({"id": "a", "protocol": "3.1.1", "context": {"receiver": "server"}, "hex": "c000"}),
        json!({"id": "a", "protocol": "5.0", "context": null, "hex": "c000"}),
        json!({"id": "a", "protocol": "5.0", "context": {"receive": "server"}, "hex": "c000"}),
        // A segmented payload in an encode request.
        json!({"id": "a", "protocol": "3.1.1", "encode": {"type": "PUBLISH", "payload": [{"repeat": "78", "count": 3}]}}),
        json!({"id": "a", "protocol": "4", "hex": "c000"}),
        json!({"id": "features", "features": ["5.0"]}),
    ];
    for bad in &bad_requests {
        assert!(why_not(&request, bad).is_some(), "accepted {bad}");
    }
    let good_answers = [
        json!({"id": "a", "result": "valid", "consumed": 2, "packet": {"type": "PINGREQ"}}),
        json!({"id": "a", "result": "invalid", "error": {"kind": "unknown", "message": "bad"}}),
        json!({"id": "a", "result": "invalid", "error": {"kind": "invalid-flags", "clause": "MQTT-2.2.2-1", "field": null, "offset": 0}}),
        json!({"id": "a", "result": "incomplete"}),
        json!({"id": "a", "result": "unsupported", "reason": "no"}),
        json!({"id": "a", "result": "crash", "reason": "IndexError"}),
        json!({"id": "a", "hex": "C0 00"}),
        json!({"id": "features", "features": []}),
    ];
    for good in &good_answers {
        assert_eq!(why_not(&answer, good), None, "{good}");
    }
    let bad_answers = [
        // No id; an unknown result; valid without consumed; invalid without error.
        json!({"result": "incomplete"}),
        json!({"id": "a", "result": "partial"}),
        json!({"id": "a", "result": "valid", "packet": {"type": "PINGREQ"}}),
        json!({"id": "a", "result": "invalid", "message": "bad"}),
        // The message beside the error instead of in it leaves the error without a kind.
        json!({"id": "a", "result": "invalid", "error": {"message": "bad"}}),
        // A payload in capitals, or in segments: never equal to the vector's.
        json!({"id": "a", "result": "valid", "consumed": 5, "packet": {"type": "PUBLISH", "payload": "AB"}}),
        json!({"id": "a", "result": "valid", "consumed": 5, "packet": {"type": "PUBLISH", "payload": [{"repeat": "ab", "count": 1}]}}),
        json!({"id": "a", "result": "valid", "consumed": 1.5, "packet": {"type": "PINGREQ"}}),
        json!({"id": "a", "hex": "c0 0"}),
        json!({"features": ["5.0", "context"]}),
    ];
    for bad in &bad_answers {
        assert!(why_not(&answer, bad).is_some(), "accepted {bad}");
    }
}
