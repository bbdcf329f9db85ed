//! The lint: the vector files match the schema, parse with no unknown field, and agree with
//! the data files (ids unique and never retired, clauses known, flags and error kinds
//! documented, every documented flag used); every invalid vector says which byte decides its
//! error, and that byte is one the wire has and the error's place allows; every wire is one
//! whole frame unless its error is about the framing; a 5.0 vector's direction agrees with
//! the standard's rules on who sends what.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::suite::{Direction, ExpectedError, Protocol, Suite, Verdict};

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
            if let Ok(wire) = v.wire_bytes() {
                if let Some(problem) = frame_problem(v.error.as_ref(), wire) {
                    problems.push(format!("{at}: {problem}"));
                }
                if suite.protocol == Protocol::V5 {
                    if let Some(problem) = direction_problem(
                        v.direction,
                        v.context.as_ref(),
                        v.packet.as_ref(),
                        v.error.as_ref(),
                        wire.first().copied(),
                    ) {
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

/// Why `wire` is not exactly one whole frame (the fixed header and the Remaining Length it
/// declares add up to the wire's length), or `None`. The one exception is a vector whose
/// error (an invalid vector's, or the recorded refusal of an acceptable one) is about the
/// framing itself: its `field` is `remaining-length` (a Remaining Length too long,
/// non-minimal, one the packet type can never have, or over the Maximum Packet Size; the
/// `RefusedFromHeader` vectors stop after the header), or its kind is `invalid-packet-type`
/// (a reserved type has no frame). No vector is several frames on purpose: the runner makes
/// the three-copies stream itself. Both versions.
fn frame_problem(error: Option<&ExpectedError>, wire: &[u8]) -> Option<String> {
    if error.is_some_and(|e| {
        e.field.as_deref() == Some("remaining-length") || e.kind == "invalid-packet-type"
    }) {
        return None;
    }
    let mut length = 0usize;
    for i in 1..5 {
        let Some(&byte) = wire.get(i) else {
            return Some(format!(
                "the wire ({} bytes) ends inside the fixed header",
                wire.len()
            ));
        };
        length += usize::from(byte & 0x7f) << (7 * (i - 1));
        if byte & 0x80 == 0 {
            let frame = i + 1 + length;
            return (frame != wire.len()).then(|| {
                format!(
                    "not one whole frame: the fixed header ({} bytes) and Remaining Length {length} make {frame} bytes, the wire has {}",
                    i + 1,
                    wire.len()
                )
            });
        }
    }
    Some("the Remaining Length has a fifth byte, and the error is not about it".into())
}

/// Why a 5.0 vector's `direction` contradicts the standard, or `None`:
/// - a context's `receiver` says who decodes, so the other side sent it
///   (`vectors/v5/DECISIONS.md` section 6);
/// - a PUBLISH holding a Subscription Identifier comes from a server only (MQTT-3.3.4-6);
/// - a DISCONNECT holding a Session Expiry Interval comes from a client only (MQTT-3.14.2-2).
///
/// A property is seen in the packet model, or, in a vector without one, as its error's field,
/// except for `property-not-expected`, the error that shows the rule from the receiving side
/// (its context's receiver gives its direction).
fn direction_problem(
    direction: Direction,
    context: Option<&Value>,
    packet: Option<&Value>,
    error: Option<&ExpectedError>,
    first_byte: Option<u8>,
) -> Option<String> {
    let name = |d: Direction| match d {
        Direction::ClientToServer => "client-to-server",
        Direction::ServerToClient => "server-to-client",
        Direction::Either => "either",
    };
    let receiver = context
        .and_then(|c| c.get("receiver"))
        .and_then(Value::as_str);
    let from_receiver = match receiver {
        Some("server") => Some(Direction::ClientToServer),
        Some("client") => Some(Direction::ServerToClient),
        _ => None,
    };
    if let (Some(receiver), Some(want)) = (receiver, from_receiver) {
        if direction != want {
            return Some(format!(
                "context receiver {receiver}: the direction is {}, not {}",
                name(want),
                name(direction)
            ));
        }
    }
    let holds = |id: u64, field: &str| {
        let in_model = packet
            .and_then(|p| p.get("properties"))
            .and_then(Value::as_array)
            .is_some_and(|ps| {
                ps.iter()
                    .any(|p| p.get("id").and_then(Value::as_u64) == Some(id))
            });
        let in_error = error.is_some_and(|e| {
            e.kind != "property-not-expected" && e.field.as_deref() == Some(field)
        });
        in_model || in_error
    };
    let packet_type = first_byte.map(|b| b >> 4);
    if packet_type == Some(3)
        && holds(0x0b, "subscription-identifier")
        && direction != Direction::ServerToClient
    {
        return Some(format!(
            "a PUBLISH with a Subscription Identifier is server-to-client (MQTT-3.3.4-6), not {}",
            name(direction)
        ));
    }
    if packet_type == Some(14)
        && holds(0x11, "session-expiry-interval")
        && direction != Direction::ClientToServer
    {
        return Some(format!(
            "a DISCONNECT with a Session Expiry Interval is client-to-server (MQTT-3.14.2-2), not {}",
            name(direction)
        ));
    }
    None
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

    fn refused(kind: &str, field: Option<&str>) -> ExpectedError {
        ExpectedError {
            kind: kind.into(),
            clause: "2.1.4".into(),
            field: field.map(Into::into),
            offset: Some(1),
            decided_at: Some(1),
            reason_code: None,
        }
    }

    #[test]
    fn a_wire_is_one_whole_frame() {
        // PUBACK 40 02 00 01: header 2 + Remaining Length 2 = 4 bytes.
        assert_eq!(frame_problem(None, &[0x40, 0x02, 0x00, 0x01]), None);
        // Two-byte Remaining Length: 30 80 01 + 128 bytes.
        let mut long = vec![0x30, 0x80, 0x01];
        long.resize(3 + 128, 0x61);
        assert_eq!(frame_problem(None, &long), None);
        // One byte short, one byte over: both caught, whatever the error is about.
        let short = frame_problem(None, &[0x40, 0x03, 0x00, 0x01]);
        assert_eq!(
            short.as_deref(),
            Some("not one whole frame: the fixed header (2 bytes) and Remaining Length 3 make 5 bytes, the wire has 4")
        );
        let zero_id = refused("zero-packet-id", Some("packet-id"));
        let over = frame_problem(Some(&zero_id), &[0x40, 0x02, 0x00, 0x00, 0x00]);
        assert!(over.is_some_and(|p| p.contains("make 4 bytes, the wire has 5")));
        // A header cut short, or a fifth length byte, with an error not about the framing.
        assert!(frame_problem(None, &[0x30, 0x80]).is_some_and(|p| p.contains("ends inside")));
        assert!(frame_problem(None, &[0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]).is_some());
        let truncated = refused("truncated", Some("topic-name"));
        assert!(frame_problem(Some(&truncated), &[0x30, 0x05, 0x00, 0x03]).is_some());
    }

    #[test]
    fn framing_errors_may_stop_after_the_header() {
        // A PUBREL declaring 268,435,455 bytes, refused from the header (RefusedFromHeader).
        let rl = refused("invalid-remaining-length", Some("remaining-length"));
        assert_eq!(
            frame_problem(Some(&rl), &[0x62, 0xff, 0xff, 0xff, 0x7f]),
            None
        );
        let five = refused("remaining-length-too-long", Some("remaining-length"));
        assert_eq!(
            frame_problem(Some(&five), &[0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]),
            None
        );
        let reserved = refused("invalid-packet-type", None);
        assert_eq!(frame_problem(Some(&reserved), &[0xff; 5]), None);
    }

    #[test]
    fn directions_follow_the_standard() {
        use serde_json::json;
        let sub_id = json!({"type": "PUBLISH", "properties": [
            {"id": 11, "name": "subscription-identifier", "value": 1}]});
        let publish = Some(0x30);
        // MQTT-3.3.4-6: only a server sends a Subscription Identifier in PUBLISH.
        assert_eq!(
            direction_problem(
                Direction::ServerToClient,
                None,
                Some(&sub_id),
                None,
                publish
            ),
            None
        );
        assert_eq!(
            direction_problem(Direction::Either, None, Some(&sub_id), None, publish).as_deref(),
            Some("a PUBLISH with a Subscription Identifier is server-to-client (MQTT-3.3.4-6), not either")
        );
        assert!(direction_problem(
            Direction::ClientToServer,
            None,
            Some(&sub_id),
            None,
            publish
        )
        .is_some());
        // Without a model, the error's field shows it; property-not-expected is the receiving
        // server's error, given with its context.
        let zero = refused("invalid-property-value", Some("subscription-identifier"));
        assert!(direction_problem(Direction::Either, None, None, Some(&zero), publish).is_some());
        let to_server = refused("property-not-expected", Some("subscription-identifier"));
        let server = json!({"receiver": "server"});
        assert_eq!(
            direction_problem(
                Direction::ClientToServer,
                Some(&server),
                None,
                Some(&to_server),
                publish
            ),
            None
        );
        // MQTT-3.14.2-2: only a client sends a Session Expiry Interval in DISCONNECT.
        let expiry = json!({"type": "DISCONNECT", "properties": [
            {"id": 17, "name": "session-expiry-interval", "value": 0}]});
        assert!(
            direction_problem(Direction::Either, None, Some(&expiry), None, Some(0xe0)).is_some()
        );
        assert_eq!(
            direction_problem(
                Direction::ClientToServer,
                None,
                Some(&expiry),
                None,
                Some(0xe0)
            ),
            None
        );
        // The context's receiver names the other side as the sender.
        let client = json!({"receiver": "client"});
        assert_eq!(
            direction_problem(Direction::Either, Some(&client), None, None, publish).as_deref(),
            Some("context receiver client: the direction is server-to-client, not either")
        );
        assert!(direction_problem(Direction::Either, Some(&server), None, None, publish).is_some());
        assert_eq!(
            direction_problem(
                Direction::ServerToClient,
                Some(&client),
                None,
                None,
                publish
            ),
            None
        );
        // A PUBLISH with no such property may come from either side.
        let plain = json!({"type": "PUBLISH", "properties": []});
        assert_eq!(
            direction_problem(Direction::Either, None, Some(&plain), None, publish),
            None
        );
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
