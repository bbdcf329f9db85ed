//! The committed suite (`vectors/scenarios/`) passes its lint, and the fault-injecting proxy's
//! targets exist in it.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn the_committed_suite_is_lint_clean() {
    let suite = scenarios::suite::load(&root().join("vectors/scenarios")).unwrap();
    let problems = scenarios::suite::lint(&suite, &root().join("vectors"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(suite.scenarios().count() >= 90);
}

#[test]
fn every_fault_targets_scenarios_of_the_suite() {
    let suite = scenarios::suite::load(&root().join("vectors/scenarios")).unwrap();
    let ids: Vec<&str> = suite.scenarios().map(|(_, s)| s.id.as_str()).collect();
    for (name, _, targets) in scenarios::proxy::FAULTS {
        for id in *targets {
            assert!(ids.contains(id), "fault {name}: no scenario {id}");
        }
    }
}

/// Each fault of the proxy makes the scenarios it targets fail against a real broker
/// (`MQTT_WIRE_BROKER=HOST:PORT`); run by `cargo xtask scenarios`.
#[test]
#[ignore = "needs a broker: MQTT_WIRE_BROKER=HOST:PORT"]
fn each_fault_makes_its_scenarios_fail() {
    let broker = std::env::var("MQTT_WIRE_BROKER").expect("MQTT_WIRE_BROKER=HOST:PORT");
    let suite = scenarios::suite::load(&root().join("vectors/scenarios")).unwrap();
    // Without a fault the targets pass, so the failure under a fault is the fault's doing.
    for (_, _, targets) in scenarios::proxy::FAULTS {
        for id in *targets {
            let report = scenarios::run(&broker, &suite, id, &Default::default());
            let (passed, failed, _) = report.counts();
            assert_eq!((passed, failed), (1, 0), "{id} fails without a fault");
        }
    }
    let lines = scenarios::proxy::check(&broker, &suite);
    let missed: Vec<_> = lines.iter().filter(|l| !(l.clean && l.caught)).collect();
    assert!(!lines.is_empty() && missed.is_empty(), "missed: {missed:?}");
}

/// The schema's step kinds are the loader's: a minimal step of each kind, with the fields the
/// schema requires, loads as that kind, and the loader has no kind the schema lacks.
#[test]
fn the_schema_lists_the_step_kinds_of_the_loader() {
    let path = root().join("vectors/scenarios/schema/scenario-file.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut kinds = Vec::new();
    for step in schema["$defs"]["step"]["oneOf"].as_array().unwrap() {
        let kind = step["properties"]["step"]["const"].as_str().unwrap();
        let mut minimal = serde_json::json!({ "step": kind });
        for field in step["required"].as_array().unwrap() {
            let value = match field.as_str().unwrap() {
                "step" => continue,
                "conn" => serde_json::json!("a"),
                "ms" => serde_json::json!(1),
                "packets" => serde_json::json!([{"type": "PINGRESP"}]),
                other => panic!("a required field the test does not know: {other}"),
            };
            minimal[field.as_str().unwrap()] = value;
        }
        if kind == "send" {
            minimal["hex"] = serde_json::json!("c000");
        }
        let loaded: scenarios::format::Step = serde_json::from_value(minimal).unwrap();
        assert_eq!(loaded.kind(), kind);
        kinds.push(kind.to_owned());
    }
    kinds.sort();
    let mut loader = [
        "open", "send", "expect", "closed", "silence", "wait", "drop",
    ];
    loader.sort_unstable();
    assert_eq!(kinds, loader);
}
