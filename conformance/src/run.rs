//! The checks of `vectors/README.md`, run against one implementation.

use serde_json::Value;

use crate::hex;
use crate::implementation::{Fault, Implementation, Outcome};
use crate::suite::{Suite, Vector, Verdict};

/// What happened to one vector.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VectorResult {
    /// The vector's id.
    pub id: String,
    /// Its file's name.
    pub file: String,
    /// The packet type it is about (`CONNECT`, ...), or `reserved` for a reserved type.
    pub packet_type: String,
    /// Its verdict.
    pub verdict: Verdict,
    /// The clauses it exercises.
    pub clauses: Vec<String>,
    /// Every check that failed, with expected and observed. Empty when it passed.
    pub failures: Vec<String>,
    /// For an `acceptable` vector: `accepted` or `refused`.
    pub choice: Option<String>,
    /// Set when the implementation did not handle the vector.
    pub skipped: Option<String>,
    /// Set when the implementation crashed or hung on one of the vector's requests (the
    /// failure is in `failures` too). The vector's remaining checks are not made.
    pub fault: Option<FaultRecord>,
    /// For a vector refused with the error kind `unknown` (an implementation whose errors
    /// have no name in the suite's terms): the implementation's own message.
    pub note: Option<String>,
}

/// A crash or a timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// The implementation crashed.
    Crash,
    /// It did not answer in time.
    Timeout,
}

/// What went wrong, and in which check.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FaultRecord {
    /// Crash or timeout.
    pub kind: FaultKind,
    /// The check (`decode`, `prefix of 3 bytes`, ...) and what the implementation said.
    pub detail: String,
}

impl VectorResult {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.skipped.is_none()
    }
}

/// Runs every vector whose id contains `filter` (all when `None`).
pub fn run(suite: &Suite, imp: &mut dyn Implementation, filter: Option<&str>) -> Vec<VectorResult> {
    suite
        .vectors()
        .filter(|(_, v)| filter.is_none_or(|f| v.id.contains(f)))
        .map(|(file, v)| run_one(file, v, imp))
        .collect()
}

fn run_one(file: &str, v: &Vector, imp: &mut dyn Implementation) -> VectorResult {
    let mut result = VectorResult {
        id: v.id.clone(),
        file: file.to_owned(),
        packet_type: String::new(),
        verdict: v.verdict,
        clauses: v.clauses.clone(),
        failures: vec![],
        choice: None,
        skipped: None,
        fault: None,
        note: None,
    };
    let wire = match v.wire_bytes() {
        Ok(wire) => wire,
        Err(e) => {
            result.failures.push(format!("wire: {e}"));
            return result;
        }
    };
    result.packet_type = match &v.packet {
        Some(p) => p
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_owned(),
        None => wire
            .first()
            .and_then(|b| mqtt_wire::PacketType::from_u8(b >> 4))
            .map_or("reserved".to_owned(), |t| t.name().to_owned()),
    };
    let large = v.flags.iter().any(|f| f == "LargePacket");
    if large && !imp.takes_large_packets() {
        result.skipped = Some("LargePacket vectors are not sent through an adapter".into());
        return result;
    }
    let mut checks = Checks {
        imp,
        id: &v.id,
        stage: "decode".into(),
        failures: &mut result.failures,
        skipped: &mut result.skipped,
        fault: &mut result.fault,
    };
    match v.verdict {
        Verdict::Valid => {
            let Some(Ok(model)) = v.packet_model() else {
                checks.fail("a valid vector needs a packet".into());
                return result;
            };
            checks.valid(wire, model, v.canonical == Some(true), large);
        }
        Verdict::Invalid => match &v.error {
            Some(expected) => {
                let outcome = checks.decode(wire);
                if let Some(outcome) = outcome {
                    if let Err(e) = error_matches(&outcome, expected) {
                        checks.fail(e);
                    } else if let Outcome::Invalid(error) = &outcome {
                        if error.get("kind").and_then(Value::as_str) == Some(UNKNOWN_KIND) {
                            result.note = Some(
                                error
                                    .get("message")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_owned(),
                            );
                        }
                    }
                }
            }
            None => checks.fail("an invalid vector needs an error".into()),
        },
        Verdict::Acceptable => {
            let model = v.packet_model().and_then(Result::ok);
            if let Some(outcome) = checks.decode(wire) {
                match (&outcome, &model, &v.error) {
                    (Outcome::Valid { consumed, packet }, Some(model), _)
                        if *consumed == wire.len() && packet == *model =>
                    {
                        result.choice = Some("accepted".into())
                    }
                    // Refusing is allowed; the reason is recorded, and a reason other than the
                    // vector's is not a failure (a receiver may see a different rule first).
                    (Outcome::Invalid(error), _, Some(expected)) => {
                        let kind = error.get("kind").and_then(Value::as_str).unwrap_or("?");
                        result.choice = Some(if kind == expected.kind {
                            "refused".into()
                        } else {
                            format!("refused ({kind})")
                        });
                    }
                    _ => result.failures.push(format!(
                        "neither outcome the vector allows: got {}",
                        show(&outcome)
                    )),
                }
            }
        }
    }
    result
}

/// The error kind an adapter gives when its implementation refused the bytes for a reason
/// the suite has no name for: only the refusal is checked.
pub const UNKNOWN_KIND: &str = "unknown";

struct Checks<'a> {
    imp: &'a mut dyn Implementation,
    id: &'a str,
    /// The check being made, for a fault's record.
    stage: String,
    failures: &'a mut Vec<String>,
    skipped: &'a mut Option<String>,
    fault: &'a mut Option<FaultRecord>,
}

impl Checks<'_> {
    fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    /// Records a fault; after a crash or a timeout the vector's other checks are not made.
    fn fault(&mut self, fault: Fault) {
        let kind = match &fault {
            Fault::Crash(_) => FaultKind::Crash,
            Fault::Timeout(_) => FaultKind::Timeout,
            Fault::Protocol(_) => {
                self.fail(format!("{}: {fault}", self.stage));
                return;
            }
        };
        let detail = format!("{}: {fault}", self.stage);
        self.fail(detail.clone());
        *self.fault = Some(FaultRecord { kind, detail });
    }

    /// Decodes; `None` (with the failure or skip recorded) when there is nothing to compare.
    fn decode(&mut self, bytes: &[u8]) -> Option<Outcome> {
        if self.fault.is_some() {
            return None;
        }
        match self.imp.decode(self.id, bytes) {
            Ok(Outcome::Unsupported) => {
                *self.skipped = Some("the implementation does not support it".into());
                None
            }
            Ok(outcome) => Some(outcome),
            Err(e) => {
                self.fault(e);
                None
            }
        }
    }

    fn expect_packet(&mut self, what: &str, bytes: &[u8], len: usize, model: &Value) {
        self.stage = what.to_owned();
        match self.decode(bytes) {
            Some(Outcome::Valid { consumed, packet }) if consumed == len && &packet == model => {}
            Some(other) => self.fail(format!(
                "{what}: expected the packet using {len} bytes, got {}",
                show(&other)
            )),
            None => {}
        }
    }

    fn valid(&mut self, wire: &[u8], model: &Value, canonical: bool, large: bool) {
        // 1. The packet, using every byte.
        self.expect_packet("decode", wire, wire.len(), model);
        // 2. The canonical encoding.
        if canonical && self.fault.is_none() {
            self.stage = "encode".into();
            match self.imp.encode(self.id, model) {
                Ok(Some(bytes)) if bytes == wire => {}
                Ok(Some(bytes)) => self.fail(format!(
                    "encode: expected {}, got {}",
                    short_hex(wire),
                    short_hex(&bytes)
                )),
                Ok(None) => {}
                Err(e) => self.fault(e),
            }
        }
        // 3. Every strict prefix needs more bytes.
        for cut in prefix_cuts(wire.len(), large) {
            self.stage = format!("prefix of {cut} bytes");
            match self.decode(&wire[..cut]) {
                Some(Outcome::Incomplete) | None => {}
                Some(other) => {
                    self.fail(format!(
                        "prefix of {cut} bytes: expected incomplete, got {}",
                        show(&other)
                    ));
                    break;
                }
            }
        }
        // 4. Three copies in one buffer are three packets.
        if !large {
            let stream = wire.repeat(3);
            for copy in 0..3 {
                self.expect_packet(
                    &format!("copy {} of 3 in one buffer", copy + 1),
                    &stream[copy * wire.len()..],
                    wire.len(),
                    model,
                );
            }
        }
        // Derived: a Remaining Length one off either way never gives the packet back.
        if !large {
            self.remaining_length_one_off(wire, model);
        }
    }

    fn remaining_length_one_off(&mut self, wire: &[u8], model: &Value) {
        let Some((remaining, len_bytes)) = oracle::declared_remaining_length(wire) else {
            self.fail("the wire has no complete fixed header".into());
            return;
        };
        let body = &wire[1 + len_bytes..];
        // One more than the body holds: an error (the header may already rule the length
        // out), or incomplete with exactly one byte missing ...
        if let Some(grown) = with_remaining_length(wire[0], remaining + 1, body) {
            self.stage = "Remaining Length + 1".into();
            match self.decode(&grown) {
                Some(Outcome::Incomplete) => {
                    // ... and with that byte supplied (0x00), an error or some other packet
                    // that uses every byte.
                    let mut padded = grown;
                    padded.push(0);
                    match self.decode(&padded) {
                        Some(Outcome::Valid { consumed, packet }) if consumed != padded.len() || &packet == model => {
                            self.fail(format!(
                                "Remaining Length + 1 with a 0x00 added: gave the original packet or used {consumed} of {} bytes",
                                padded.len()
                            ))
                        }
                        Some(Outcome::Incomplete) => self.fail("Remaining Length + 1 with a 0x00 added: incomplete".into()),
                        _ => {}
                    }
                }
                Some(Outcome::Valid { .. }) => self.fail(
                    "Remaining Length + 1: a packet, with a byte of its frame missing".into(),
                ),
                _ => {}
            }
        }
        // One less: the packet's last byte falls outside its frame.
        if remaining > 0 {
            if let Some(shrunk) = with_remaining_length(wire[0], remaining - 1, body) {
                let frame = shrunk.len() - 1;
                self.stage = "Remaining Length - 1".into();
                match self.decode(&shrunk) {
                    Some(Outcome::Valid { consumed, packet }) if consumed != frame || &packet == model => self.fail(format!(
                        "Remaining Length - 1: gave the original packet or used {consumed} bytes of a {frame}-byte frame"
                    )),
                    Some(Outcome::Incomplete) => self.fail("Remaining Length - 1: incomplete, with the whole frame present".into()),
                    _ => {}
                }
            }
        }
    }
}

/// The cut points for the prefix check: all of them for packets up to 1 KiB; for longer
/// ones the first and last 64 and 64 spread between; for `LargePacket` vectors (where each
/// prefix sent to an adapter is hundreds of megabytes of hex) the first 16, which hold the
/// whole fixed header and the start of the body.
pub fn prefix_cuts(len: usize, large: bool) -> Vec<usize> {
    if large {
        return (0..len.min(16)).collect();
    }
    if len <= 1024 {
        return (0..len).collect();
    }
    let mut cuts: Vec<usize> = (0..64).chain(len - 64..len).collect();
    cuts.extend((1..=64).map(|i| 64 + (len - 128) * i / 65));
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

fn with_remaining_length(first: u8, mut value: usize, body: &[u8]) -> Option<Vec<u8>> {
    if value > 268_435_455 {
        return None;
    }
    let mut out = vec![first];
    loop {
        let mut byte = (value % 128) as u8;
        value /= 128;
        if value > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(body);
    Some(out)
}

fn error_matches(outcome: &Outcome, expected: &crate::suite::ExpectedError) -> Result<(), String> {
    let Outcome::Invalid(got) = outcome else {
        return Err(format!(
            "expected invalid ({}, {}), got {}",
            expected.kind,
            expected.clause,
            show(outcome)
        ));
    };
    let mut wrong = Vec::new();
    let given = |name: &str| got.get(name).filter(|v| !v.is_null());
    let kind = given("kind").and_then(Value::as_str);
    if kind != Some(expected.kind.as_str()) && kind != Some(UNKNOWN_KIND) {
        wrong.push(format!(
            "kind {} (expected {})",
            given("kind").map_or("none".into(), |k| k.to_string()),
            expected.kind
        ));
    }
    if let Some(clause) = given("clause") {
        if clause.as_str() != Some(expected.clause.as_str()) {
            wrong.push(format!("clause {clause} (expected {})", expected.clause));
        }
    }
    if let (Some(field), Some(want)) = (given("field"), &expected.field) {
        if field.as_str() != Some(want.as_str()) {
            wrong.push(format!("field {field} (expected {want})"));
        }
    }
    if let (Some(offset), Some(want)) = (given("offset"), expected.offset) {
        if offset.as_u64() != Some(want as u64) {
            wrong.push(format!("offset {offset} (expected {want})"));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("wrong error: {}; got {got}", wrong.join(", ")))
    }
}

fn short_hex(bytes: &[u8]) -> String {
    if bytes.len() <= 48 {
        hex::format(bytes)
    } else {
        format!("{}... ({} bytes)", hex::format(&bytes[..48]), bytes.len())
    }
}

fn show(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Valid { consumed, packet } => {
            let mut text = packet.to_string();
            if text.len() > 300 {
                text.truncate(300);
                text.push_str("...");
            }
            format!("valid ({consumed} bytes) {text}")
        }
        Outcome::Invalid(error) => format!("invalid {error}"),
        Outcome::Incomplete => "incomplete".into(),
        Outcome::Unsupported => "unsupported".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_cuts_cover_short_packets_and_sample_long_ones() {
        assert_eq!(prefix_cuts(3, false), [0, 1, 2]);
        assert_eq!(prefix_cuts(1 << 28, true).len(), 16);
        let cuts = prefix_cuts(100_000, false);
        assert!(
            cuts.len() < 200
                && cuts.contains(&0)
                && cuts.contains(&99_999)
                && !cuts.contains(&100_000)
        );
    }

    /// Answers from a list, in order, and counts the requests.
    struct Scripted(Vec<Result<Outcome, Fault>>, usize);

    impl Implementation for Scripted {
        fn decode(&mut self, _id: &str, _bytes: &[u8]) -> Result<Outcome, Fault> {
            self.1 += 1;
            self.0.remove(0)
        }
        fn encode(&mut self, _id: &str, _packet: &Value) -> Result<Option<Vec<u8>>, Fault> {
            Ok(None)
        }
        fn name(&self) -> String {
            "scripted".into()
        }
    }

    fn vector(json: Value) -> Vector {
        serde_json::from_value(json).unwrap()
    }

    fn pingreq() -> Vector {
        vector(serde_json::json!({
            "id": "pingreq", "description": "", "direction": "client-to-server",
            "verdict": "valid", "clauses": [], "flags": [], "wire": "c000",
            "packet": {"type": "PINGREQ"}, "canonical": true
        }))
    }

    #[test]
    fn a_crash_is_recorded_with_its_check_and_ends_the_vector() {
        let packet = serde_json::json!({"type": "PINGREQ"});
        let mut imp = Scripted(
            vec![
                Ok(Outcome::Valid {
                    consumed: 2,
                    packet,
                }),
                Err(Fault::Crash("boom".into())),
            ],
            0,
        );
        let result = run_one("ping", &pingreq(), &mut imp);
        let fault = result.fault.as_ref().unwrap();
        assert_eq!(fault.kind, FaultKind::Crash);
        assert_eq!(fault.detail, "prefix of 0 bytes: crash: boom");
        assert!(!result.passed());
        assert_eq!(imp.1, 2, "no request after the crash");
    }

    #[test]
    fn a_timeout_is_recorded() {
        let mut imp = Scripted(
            vec![Err(Fault::Timeout(std::time::Duration::from_secs(1)))],
            0,
        );
        let result = run_one("ping", &pingreq(), &mut imp);
        assert_eq!(result.fault.unwrap().kind, FaultKind::Timeout);
    }

    #[test]
    fn an_unknown_error_kind_passes_an_invalid_vector_but_a_wrong_one_does_not() {
        let invalid = vector(serde_json::json!({
            "id": "bad", "description": "", "direction": "either", "verdict": "invalid",
            "clauses": ["MQTT-2.2.2-1"], "flags": [], "wire": "c100",
            "error": {"kind": "invalid-flags", "clause": "MQTT-2.2.2-1"}
        }));
        let refusal = |kind: &str| {
            Ok(Outcome::Invalid(
                serde_json::json!({"kind": kind, "message": "bad flags"}),
            ))
        };
        let result = run_one("f", &invalid, &mut Scripted(vec![refusal("unknown")], 0));
        assert!(result.passed());
        assert_eq!(result.note.as_deref(), Some("bad flags"));
        let result = run_one("f", &invalid, &mut Scripted(vec![refusal("truncated")], 0));
        assert!(!result.passed());
        let result = run_one(
            "f",
            &invalid,
            &mut Scripted(vec![Ok(Outcome::Incomplete)], 0),
        );
        assert!(!result.passed());
    }

    #[test]
    fn rewrites_the_remaining_length() {
        assert_eq!(with_remaining_length(0x30, 127, &[]).unwrap(), [0x30, 0x7F]);
        assert_eq!(
            with_remaining_length(0x30, 128, &[1]).unwrap(),
            [0x30, 0x80, 0x01, 1]
        );
    }
}
