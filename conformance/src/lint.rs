//! The lint: the vector files match the schema, parse with no unknown field, and agree with
//! the data files (ids unique and never retired, clauses known, flags and error kinds
//! documented, every documented flag used).

use std::collections::{BTreeMap, BTreeSet};

use crate::suite::{Suite, Verdict};

/// Every problem the lint finds, each naming its file or vector. Empty when all is well.
pub fn lint(suite: &Suite) -> Vec<String> {
    let mut problems = suite.load_errors.clone();
    let schema_path = suite.root.join("schema").join("vector-file.schema.json");
    let validator = std::fs::read_to_string(&schema_path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
        .and_then(|schema| jsonschema::validator_for(&schema).map_err(|e| e.to_string()));
    let validator = match validator {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("{}: {e}", schema_path.display()));
            None
        }
    };

    let clause_ids: BTreeSet<&str> = suite.clauses.iter().map(|c| c.id.as_str()).collect();
    if clause_ids.len() != suite.clauses.len() {
        problems.push("clauses.json: an id appears twice".into());
    }
    let mut seen_ids: BTreeMap<&str, String> = BTreeMap::new();
    let mut used_flags = BTreeSet::new();

    for file in &suite.files {
        let shown = file
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(validator) = &validator {
            for error in validator.iter_errors(&file.json) {
                problems.push(format!(
                    "{shown}: schema: {error} at {}",
                    error.instance_path()
                ));
            }
        }
        let parsed = match &file.parsed {
            Ok(parsed) => parsed,
            Err(e) => {
                problems.push(format!("{shown}: {e}"));
                continue;
            }
        };
        if format!("{}.json", parsed.name) != shown {
            problems.push(format!(
                "{shown}: name {:?} does not match the file name",
                parsed.name
            ));
        }
        for v in &parsed.vectors {
            let at = format!("{shown}: {}", v.id);
            if let Some(other) = seen_ids.insert(&v.id, shown.clone()) {
                problems.push(format!("{at}: id used before, in {other}"));
            }
            if !v.id.starts_with(&format!("{}-", parsed.name)) {
                problems.push(format!(
                    "{at}: id does not start with {:?}",
                    format!("{}-", parsed.name)
                ));
            }
            if suite.retired.contains(&v.id) {
                problems.push(format!("{at}: id is retired and must not be reused"));
            }
            for clause in &v.clauses {
                if !clause_ids.contains(clause.as_str()) {
                    problems.push(format!("{at}: clause {clause} is not in clauses.json"));
                }
            }
            for flag in &v.flags {
                used_flags.insert(flag.as_str());
                if !suite.flags.contains_key(flag) {
                    problems.push(format!("{at}: flag {flag} is not in flags.json"));
                }
            }
            if let Some(error) = &v.error {
                if !suite.kinds.contains_key(&error.kind) {
                    problems.push(format!(
                        "{at}: error kind {} is not in error-kinds.json",
                        error.kind
                    ));
                }
                if !v.clauses.contains(&error.clause) {
                    problems.push(format!(
                        "{at}: error clause {} is not among the vector's clauses",
                        error.clause
                    ));
                }
            }
            if v.verdict == Verdict::Acceptable && v.flags.is_empty() {
                problems.push(format!(
                    "{at}: an acceptable vector needs a flag saying why"
                ));
            }
            if let Err(e) = v.wire_bytes() {
                problems.push(format!("{at}: wire: {e}"));
            }
            if let Some(Err(e)) = v.packet_model() {
                problems.push(format!("{at}: packet: {e}"));
            }
        }
    }
    for flag in suite.flags.keys() {
        if !used_flags.contains(flag.as_str()) {
            problems.push(format!(
                "flags.json: flag {flag} is documented but no vector uses it"
            ));
        }
    }
    problems
}
