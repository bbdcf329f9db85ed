//! The lint: the vector files match the schema, parse with no unknown field, and agree with
//! the data files (ids unique and never retired, clauses known, flags and error kinds
//! documented, every documented flag used); every invalid vector says which byte decides its
//! error, and that byte is one the wire has and the error's place allows.

use std::collections::{BTreeMap, BTreeSet};

use crate::suite::{ExpectedError, Protocol, Suite, Verdict};

/// The keys a vector's `context` may have (`vectors/v5/DECISIONS.md` section 6).
pub const CONTEXT_KEYS: &[&str] = &[
    "receiver",
    "maximum_packet_size",
    "topic_alias_maximum",
    "maximum_qos",
    "retain_available",
    "wildcard_subscription_available",
    "subscription_identifiers_available",
    "shared_subscription_available",
    "request_problem_information",
    "request_response_information",
    "authentication_method",
    "check_payload_utf8",
];

/// Every problem the lint finds, each naming its file or vector. Empty when all is well.
pub fn lint(suite: &Suite) -> Vec<String> {
    let mut problems = suite.load_errors.clone();
    let schema_path = suite.root.join("schema").join(suite.protocol.schema());
    let version = suite.protocol.format_version();
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
        if parsed.protocol != suite.protocol.as_str() || parsed.format_version != version {
            problems.push(format!(
                "{shown}: protocol {:?} format_version {} in {}/, which holds protocol {:?} format_version {version}",
                parsed.protocol,
                parsed.format_version,
                suite.protocol.dir(),
                suite.protocol.as_str()
            ));
        }
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
            let prefix = format!("{}{}-", suite.protocol.id_prefix(), parsed.name);
            if !v.id.starts_with(&prefix) {
                problems.push(format!("{at}: id does not start with {prefix:?}"));
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
                if v.verdict == Verdict::Invalid && error.decided_at.is_none() {
                    problems.push(format!(
                        "{at}: an invalid vector needs error.decided_at, the offset of the byte that decides its error"
                    ));
                }
                if let Ok(wire) = v.wire_bytes() {
                    for problem in decided_at_problems(error, wire) {
                        problems.push(format!("{at}: {problem}"));
                    }
                }
            }
            for problem in version_2_problems(suite, v) {
                problems.push(format!("{at}: {problem}"));
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

/// What format version 2 (`vectors/v5/DECISIONS.md` section 1) adds to a vector's rules, and
/// what format version 1 does not have: an invalid vector's error names the reason code a
/// receiver sends; a valid vector is canonical; a context has only the known keys, each with
/// a value of its type.
fn version_2_problems(suite: &Suite, v: &crate::suite::Vector) -> Vec<String> {
    let mut problems = Vec::new();
    if suite.protocol == Protocol::V311 {
        if v.context.is_some() {
            problems.push("a context needs format version 2".into());
        }
        if v.error.as_ref().is_some_and(|e| e.reason_code.is_some()) {
            problems.push("error.reason_code needs format version 2".into());
        }
        return problems;
    }
    if v.verdict == Verdict::Invalid && v.error.as_ref().is_some_and(|e| e.reason_code.is_none()) {
        problems.push("an invalid vector's error needs its reason_code".into());
    }
    if v.verdict == Verdict::Valid && v.canonical != Some(true) {
        problems.push("a valid 5.0 vector is canonical: true".into());
    }
    if let Some(context) = &v.context {
        let Some(map) = context.as_object() else {
            problems.push("context is not an object".into());
            return problems;
        };
        for (key, value) in map {
            let fits = match key.as_str() {
                "receiver" => matches!(value.as_str(), Some("server" | "client")),
                "maximum_packet_size" => value
                    .as_u64()
                    .is_some_and(|n| (1..=268_435_460).contains(&n)),
                "topic_alias_maximum" => value.as_u64().is_some_and(|n| n <= 65_535),
                "maximum_qos" => value.as_u64().is_some_and(|n| n <= 1),
                key if CONTEXT_KEYS.contains(&key) => value.is_boolean(),
                _ => {
                    problems.push(format!(
                        "context key {key} is not one of DECISIONS.md section 6"
                    ));
                    continue;
                }
            };
            if !fits {
                problems.push(format!("context {key}: {value} is not a value it takes"));
            }
        }
    }
    problems
}

/// Where the fixed header ends in `wire`: after the Remaining Length's last byte (the first
/// of bytes 1 to 4 without the continuation bit), after five bytes when all four have it;
/// never past the wire.
fn header_end(wire: &[u8]) -> usize {
    let end = wire
        .iter()
        .skip(1)
        .take(4)
        .position(|b| b & 0x80 == 0)
        .map_or(5, |i| i + 2);
    end.min(wire.len())
}

/// What is provably wrong with an error's `decided_at`, given the wire:
/// - it must be a byte of the wire (a prefix ending there is shorter than the packet);
/// - an error whose `offset` is in the fixed header is decided by the header's bytes: the
///   header's rules look at nothing else, and a body byte cannot be needed to refuse it;
/// - an error whose `offset` is in the body cannot be decided before the header's last byte:
///   until the Remaining Length is complete no body byte is there and the frame's length is
///   unknown, and every header byte so far is fine (else the header's error would be the
///   packet's). It can be decided at that last byte (a frame too short for a field the packet
///   type needs), or anywhere after.
///
/// `decided_at` may lie before `offset` (a field that cannot fit in the frame is decided once
/// the fields before it are known good) or after it (a packet id `00 00` at its second
/// byte), so nothing more is required of the two.
fn decided_at_problems(error: &ExpectedError, wire: &[u8]) -> Vec<String> {
    let Some(decided) = error.decided_at else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    if decided >= wire.len() {
        problems.push(format!(
            "decided_at {decided} is not a byte of the wire ({} bytes)",
            wire.len()
        ));
    }
    let header = header_end(wire);
    match error.offset {
        Some(offset) if offset < header && decided >= header => problems.push(format!(
            "decided_at {decided} is past the fixed header (bytes 0 to {}), where the error is (offset {offset})",
            header - 1
        )),
        Some(offset) if offset >= header && decided + 1 < header => problems.push(format!(
            "decided_at {decided} is before the fixed header's last byte ({}), but the error is in the body (offset {offset})",
            header - 1
        )),
        _ => {}
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(offset: Option<usize>, decided_at: Option<usize>) -> ExpectedError {
        ExpectedError {
            kind: "zero-packet-id".into(),
            clause: "2.3.1".into(),
            field: None,
            offset,
            decided_at,
            reason_code: None,
        }
    }

    #[test]
    fn finds_where_the_fixed_header_ends() {
        assert_eq!(header_end(&[0x40, 0x02, 0x00, 0x00]), 2);
        assert_eq!(header_end(&[0x30, 0x80, 0x01, 0x00]), 3);
        assert_eq!(header_end(&[0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 5);
        assert_eq!(header_end(&[0x30, 0x80]), 2);
        assert_eq!(header_end(&[0xc1]), 1);
    }

    #[test]
    fn decided_at_must_be_a_byte_of_the_wire() {
        // PUBACK with packet id 0: the id starts at 2 and is decided at 3.
        let puback = [0x40, 0x02, 0x00, 0x00];
        assert!(decided_at_problems(&error(Some(2), Some(3)), &puback).is_empty());
        assert!(decided_at_problems(&error(None, Some(3)), &puback).is_empty());
        assert!(decided_at_problems(&error(Some(2), None), &puback).is_empty());
        let past = decided_at_problems(&error(Some(2), Some(4)), &puback);
        assert_eq!(past, ["decided_at 4 is not a byte of the wire (4 bytes)"]);
        let past = decided_at_problems(&error(None, Some(4)), &puback);
        assert_eq!(past.len(), 1);
    }

    #[test]
    fn decided_at_must_agree_with_where_the_error_is() {
        let puback = [0x40, 0x02, 0x00, 0x00];
        // A body error decided at the header's last byte (a frame too short for a field) is
        // possible; one decided at the first byte is not.
        assert!(decided_at_problems(&error(Some(2), Some(1)), &puback).is_empty());
        let early = decided_at_problems(&error(Some(2), Some(0)), &puback);
        assert_eq!(
            early,
            ["decided_at 0 is before the fixed header's last byte (1), but the error is in the body (offset 2)"]
        );
        // A header error (bad flags at byte 0) is decided in the header.
        let flags = [0x41, 0x02, 0x00, 0x01];
        assert!(decided_at_problems(&error(Some(0), Some(0)), &flags).is_empty());
        let late = decided_at_problems(&error(Some(0), Some(2)), &flags);
        assert_eq!(
            late,
            ["decided_at 2 is past the fixed header (bytes 0 to 1), where the error is (offset 0)"]
        );
    }
}
