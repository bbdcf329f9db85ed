//! The checks of `vectors/README.md`, run against one implementation.

use serde_json::Value;

use crate::hex;
use crate::implementation::{Implementation, Outcome};
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
        failures: &mut result.failures,
        skipped: &mut result.skipped,
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

struct Checks<'a> {
    imp: &'a mut dyn Implementation,
    id: &'a str,
    failures: &'a mut Vec<String>,
    skipped: &'a mut Option<String>,
}

impl Checks<'_> {
    fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    /// Decodes; `None` (with the failure or skip recorded) when there is nothing to compare.
    fn decode(&mut self, bytes: &[u8]) -> Option<Outcome> {
        match self.imp.decode(self.id, bytes) {
            Ok(Outcome::Unsupported) => {
                *self.skipped = Some("the implementation does not support it".into());
                None
            }
            Ok(outcome) => Some(outcome),
            Err(e) => {
                self.fail(format!("implementation error: {e}"));
                None
            }
        }
    }

    fn expect_packet(&mut self, what: &str, bytes: &[u8], len: usize, model: &Value) {
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
        if canonical {
            match self.imp.encode(self.id, model) {
                Ok(Some(bytes)) if bytes == wire => {}
                Ok(Some(bytes)) => self.fail(format!(
                    "encode: expected {}, got {}",
                    short_hex(wire),
                    short_hex(&bytes)
                )),
                Ok(None) => {}
                Err(e) => self.fail(format!("encode: {e}")),
            }
        }
        // 3. Every strict prefix needs more bytes.
        for cut in prefix_cuts(wire.len(), large) {
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
    if given("kind").and_then(Value::as_str) != Some(expected.kind.as_str()) {
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

    #[test]
    fn rewrites_the_remaining_length() {
        assert_eq!(with_remaining_length(0x30, 127, &[]).unwrap(), [0x30, 0x7F]);
        assert_eq!(
            with_remaining_length(0x30, 128, &[1]).unwrap(),
            [0x30, 0x80, 0x01, 1]
        );
    }
}
