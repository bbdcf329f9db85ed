//! An independent decoder: Wireshark's MQTT dissector (`tshark`) reads the vectors of each
//! protocol version, and what it shows is compared with each vector's packet model.
//!
//! The vectors compared are those a receiver may accept and that carry a packet model: every
//! valid vector, and the acceptable ones with a `packet`. Each becomes one frame of a capture
//! ([`capture::pcap`]), on a TCP connection of its own, or several TCP segments when it is
//! longer than [`MAX_SEGMENT_BYTES`]; tshark dissects the capture (`-T json -x
//! --no-duplicate-keys`, the version set by its preference `mqtt.default_version`), and
//! [`compare`] checks each vector: one MQTT packet, not malformed, no field past its end, no
//! expert warning, and the fields [`expected_fields`] lists for the vector's version equal to
//! what the model says. The expected values come from the model, the vectors' hand-written
//! data, never from this codec. Disagreements that were analysed are listed with their
//! analysis, per version, in `docs/dissector-disagreements.json` ([`Known`]); the check fails
//! only on one that is not there.
//!
//! The invalid vectors are dissected too, for the record ([`survey`]): a dissector shows bytes
//! and need not refuse them, so where it shows an invalid packet as an ordinary one, that is
//! noted, not failed.

pub mod capture;
mod fields;
mod known;

pub use fields::{expected_fields, shown_properties};
pub use known::{Classified, Known, KnownDisagreement};

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::suite::{Protocol, Suite, Vector, Verdict};

/// The most MQTT bytes in one frame: an IPv4 packet holds at most 65,535 bytes, headers
/// included. A longer vector is sent in several TCP segments, and tshark reassembles them.
pub const MAX_SEGMENT_BYTES: usize = 60_000;

/// The largest vector sent at all. The one larger vector (3.1.1's 256 MiB PUBLISH) would make
/// a capture of about 4,500 frames and gigabytes of tshark JSON, and is left out.
pub const MAX_VECTOR_BYTES: usize = 4 * 1024 * 1024;

/// The valid vectors sorted by how they are sent: in one frame each; in several segments
/// each, for tshark to reassemble; not at all (over [`MAX_VECTOR_BYTES`]).
pub struct Selection<'s> {
    /// At most [`MAX_SEGMENT_BYTES`].
    pub single: Vec<&'s Vector>,
    /// Longer, up to [`MAX_VECTOR_BYTES`].
    pub segmented: Vec<&'s Vector>,
    /// Longer still.
    pub left_out: Vec<&'s Vector>,
}

/// Sorts the valid vectors of `suite` by size.
pub fn select(suite: &Suite) -> Selection<'_> {
    let mut out = Selection {
        single: Vec::new(),
        segmented: Vec::new(),
        left_out: Vec::new(),
    };
    for (_, v) in suite.vectors() {
        if v.verdict == Verdict::Invalid || v.packet.is_none() {
            continue;
        }
        match v.wire_bytes().map(<[u8]>::len).unwrap_or(usize::MAX) {
            n if n <= MAX_SEGMENT_BYTES => out.single.push(v),
            n if n <= MAX_VECTOR_BYTES => out.segmented.push(v),
            _ => out.left_out.push(v),
        }
    }
    out
}

/// A field on which the dissector and a vector's model differ.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct Disagreement {
    /// The vector's id.
    pub vector: String,
    /// The tshark field (`mqtt.topic`), or `frame` for the number of MQTT packets in the
    /// frame, `_ws.malformed`, `_ws.unreassembled` (a field past the end of the packet) or
    /// `_ws.expert` (a warning) for the dissector's own complaints.
    pub field: String,
    /// What the vector's model says.
    pub expected: String,
    /// What the dissector shows.
    pub dissector: String,
}

/// tshark's `-T json -x` output for the capture made from `vectors` (of `protocol`): one
/// element per frame, in order, compared field by field with the vectors' models.
pub fn compare(
    protocol: Protocol,
    vectors: &[&Vector],
    tshark: &Value,
) -> Result<Vec<Disagreement>, String> {
    let frames = tshark
        .as_array()
        .ok_or("tshark's output is not a JSON array")?;
    let segments = |v: &Vector| {
        v.wire_bytes()
            .map_or(1, |b| b.len().div_ceil(MAX_SEGMENT_BYTES).max(1))
    };
    let expected_frames: usize = vectors.iter().map(|v| segments(v)).sum();
    if frames.len() != expected_frames {
        return Err(format!(
            "tshark shows {} frames for {} vectors in {expected_frames} segments",
            frames.len(),
            vectors.len()
        ));
    }
    let mut frames = frames.iter();
    let mut out = Vec::new();
    for v in vectors {
        let layers_of = |frame: &'_ Value| {
            frame
                .pointer("/_source/layers")
                .cloned()
                .ok_or_else(|| format!("{}: no layers in tshark's frame", v.id))
        };
        // The segments before the last hold no whole packet yet.
        for _ in 1..segments(v) {
            let layers = layers_of(frames.next().ok_or("too few frames")?)?;
            if layers.get("mqtt").is_some() {
                out.push(Disagreement {
                    vector: v.id.clone(),
                    field: "frame".into(),
                    expected: "no MQTT packet before the last segment".into(),
                    dissector: "an MQTT packet".into(),
                });
            }
        }
        let layers = layers_of(frames.next().ok_or("too few frames")?)?;
        let layers = &layers;
        let model = match v.packet_model() {
            Some(Ok(model)) => model,
            Some(Err(e)) => return Err(format!("{}: {e}", v.id)),
            None => return Err(format!("{}: a vector without a packet model", v.id)),
        };
        let wire = v.wire_bytes().map_err(|e| format!("{}: {e}", v.id))?;
        let mut disagree = |field: &str, expected: String, dissector: String| {
            out.push(Disagreement {
                vector: v.id.clone(),
                field: field.into(),
                expected,
                dissector,
            });
        };
        let frame = Frame::read(layers)?;
        if frame.packets != 1 {
            disagree(
                "frame",
                "1 MQTT packet".into(),
                format!("{} MQTT packets", frame.packets),
            );
        }
        if frame.malformed {
            disagree("_ws.malformed", "-".into(), "malformed".into());
        }
        if frame.past_the_end {
            disagree("_ws.unreassembled", "-".into(), "read past the end".into());
        }
        for warning in &frame.warnings {
            disagree("_ws.expert", "-".into(), warning.clone());
        }
        let Some(shown) = frame.first else { continue };
        for (field, expected) in expected_fields(protocol, model, wire)? {
            let got = shown.get(field).cloned().unwrap_or_default();
            if field == "mqtt.msg" || field == "mqtt.willmsg" {
                let payload = got.concat().replace(':', "");
                let wanted = expected.concat();
                if payload != wanted {
                    let (wanted, payload) = describe_payloads(&wanted, &payload);
                    disagree(field, wanted, payload);
                }
            } else if got != expected {
                let (expected, got) = abbreviate(&expected.join(", "), &got.join(", "));
                disagree(field, expected, got);
            }
        }
    }
    Ok(out)
}

/// What tshark shows in one frame.
struct Frame {
    /// How many MQTT packets it found.
    packets: usize,
    /// Whether it marked the frame malformed (`_ws.malformed`).
    malformed: bool,
    /// Whether it read past the end of the frame (`_ws.unreassembled`: with reassembly off, a
    /// field that runs past the packet's end is taken for one continued in a later segment).
    past_the_end: bool,
    /// Its expert messages of severity warning or error, in the MQTT packets.
    warnings: Vec<String>,
    /// The fields of the first MQTT packet, subtrees flattened, but for the property blocks
    /// (`mqtt.properties`, `mqtt.will_properties`), each one field read by
    /// [`shown_properties`].
    first: Option<BTreeMap<String, Vec<String>>>,
}

/// The subtrees that hold a property block.
const PROPERTY_BLOCKS: [&str; 2] = ["mqtt.properties", "mqtt.will_properties"];

impl Frame {
    fn read(layers: &Value) -> Result<Frame, String> {
        let pdus: Vec<&Value> = match layers.get("mqtt") {
            Some(Value::Array(pdus)) => pdus.iter().collect(),
            Some(pdu) => vec![pdu],
            None => Vec::new(),
        };
        let mut warnings = Vec::new();
        let mut first = None;
        for pdu in &pdus {
            let mut shown = BTreeMap::new();
            flatten(pdu, &mut shown);
            for block in PROPERTY_BLOCKS {
                if let Some(subtree) = pdu.get(block) {
                    shown.insert(block.to_owned(), shown_properties(subtree)?);
                }
            }
            let messages = shown.remove("_ws.expert.message").unwrap_or_default();
            let severities = shown.remove("_ws.expert.severity").unwrap_or_default();
            for (message, severity) in messages.iter().zip(&severities) {
                // Wireshark's severities: note 0x400000, warning 0x600000, error 0x800000.
                if severity.parse::<u32>().is_ok_and(|s| s >= 0x0060_0000) {
                    warnings.push(message.clone());
                }
            }
            first.get_or_insert(shown);
        }
        Ok(Frame {
            packets: pdus.len(),
            malformed: contains_key(layers, "_ws.malformed"),
            past_the_end: contains_key(layers, "_ws.unreassembled"),
            warnings,
            first,
        })
    }

    /// Whether the dissector objects to the frame at all.
    fn complaints(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.packets != 1 {
            out.push(format!("{} MQTT packets", self.packets));
        }
        if self.malformed {
            out.push("malformed".into());
        }
        if self.past_the_end {
            out.push("read past the end".into());
        }
        out.extend(self.warnings.iter().cloned());
        out
    }
}

/// What the dissector makes of one vector that a receiver must refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The vector's id.
    pub vector: String,
    /// The error kind the vector expects.
    pub kind: String,
    /// The dissector's objections: malformed, a field past the packet's end, its warnings, or
    /// not one MQTT packet in the frame. Empty when it shows the bytes as an ordinary packet.
    pub complaints: Vec<String>,
}

/// The invalid vectors sent one per frame: those of at least one byte and at most
/// [`MAX_SEGMENT_BYTES`].
pub fn select_invalid(suite: &Suite) -> Vec<&Vector> {
    suite
        .vectors()
        .map(|(_, v)| v)
        .filter(|v| v.verdict == Verdict::Invalid)
        .filter(|v| {
            v.wire_bytes()
                .is_ok_and(|b| !b.is_empty() && b.len() <= MAX_SEGMENT_BYTES)
        })
        .collect()
}

/// How the dissector reads each invalid vector: not a check (a dissector shows bytes, it does
/// not have to refuse them), a record of where it is lenient.
pub fn survey(vectors: &[&Vector], tshark: &Value) -> Result<Vec<Reading>, String> {
    let frames = tshark
        .as_array()
        .ok_or("tshark's output is not a JSON array")?;
    if frames.len() != vectors.len() {
        return Err(format!(
            "tshark shows {} frames for {} invalid vectors",
            frames.len(),
            vectors.len()
        ));
    }
    vectors
        .iter()
        .zip(frames)
        .map(|(v, frame)| {
            let layers = frame
                .pointer("/_source/layers")
                .ok_or_else(|| format!("{}: no layers in tshark's frame", v.id))?;
            Ok(Reading {
                vector: v.id.clone(),
                kind: v.error.as_ref().map(|e| e.kind.clone()).unwrap_or_default(),
                complaints: Frame::read(layers)?.complaints(),
            })
        })
        .collect()
}

/// Two different payloads (as hex) for a disagreement: each one's length, and its bytes from
/// the first that differs (at most 16 of them).
fn describe_payloads(a: &str, b: &str) -> (String, String) {
    let first = a
        .as_bytes()
        .chunks(2)
        .zip(b.as_bytes().chunks(2))
        .take_while(|(x, y)| x == y)
        .count();
    let describe = |hex: &str| {
        let from = hex.get(first * 2..).unwrap_or_default();
        let shown = from.get(..32).unwrap_or(from);
        let more = if from.len() > shown.len() { "..." } else { "" };
        format!("{} bytes, from byte {first}: {shown}{more}", hex.len() / 2)
    };
    (describe(a), describe(b))
}

/// Two different field values as a disagreement shows them: whole when both are short (at most
/// [`SHORT`] characters), else each from a little before the first character that differs, at
/// most 72 characters of it, with its length.
fn abbreviate(a: &str, b: &str) -> (String, String) {
    if a.chars().count() <= SHORT && b.chars().count() <= SHORT {
        return (a.to_owned(), b.to_owned());
    }
    let same = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let from = same.saturating_sub(24);
    let part = |s: &str| {
        let total = s.chars().count();
        let shown: String = s.chars().skip(from).take(72).collect();
        let before = if from > 0 { "..." } else { "" };
        let after = if from + 72 < total { "..." } else { "" };
        format!("{before}{shown}{after} ({total} characters)")
    };
    (part(a), part(b))
}

/// The longest value a disagreement shows whole.
const SHORT: usize = 160;

/// Whether `key` appears anywhere in `value`.
fn contains_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(o) => o.iter().any(|(k, v)| k == key || contains_key(v, key)),
        Value::Array(a) => a.iter().any(|v| contains_key(v, key)),
        _ => false,
    }
}

/// Every string field under `value`, subtrees included, by name; a repeated field's values in
/// order. The raw bytes and offsets of `tshark -x` (`<field>_raw`) are left out.
fn flatten(value: &Value, out: &mut BTreeMap<String, Vec<String>>) {
    let Value::Object(fields) = value else { return };
    for (name, v) in fields {
        if name.ends_with("_raw") {
            continue;
        }
        let items: Vec<&Value> = match v {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match item {
                Value::String(s) => out.entry(name.clone()).or_default().push(s.clone()),
                Value::Object(_) => flatten(item, out),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vector(id: &str, direction: &str, wire: &str, packet: Value) -> Vector {
        serde_json::from_value(json!({
            "id": id, "description": "-", "direction": direction, "verdict": "valid",
            "clauses": [], "flags": [], "wire": wire, "packet": packet, "canonical": true,
        }))
        .unwrap()
    }

    fn publish() -> Vector {
        vector(
            "publish-x",
            "either",
            "3209 0003 612f62 0007 6869",
            json!({"type": "PUBLISH", "dup": false, "qos": 1, "retain": false,
                   "topic": "a/b", "packet_id": 7, "payload": "6869"}),
        )
    }

    /// What tshark 4.0 prints for `publish()`, trimmed to the MQTT layer.
    fn dissected(topic: &str, msgid: &str) -> Value {
        json!([{"_source": {"layers": {"mqtt": {
            "mqtt.hdrflags": "0x32",
            "mqtt.hdrflags_tree": {"mqtt.msgtype": "3", "mqtt.dupflag": "0", "mqtt.qos": "1", "mqtt.retain": "0"},
            "mqtt.len": "9", "mqtt.topic_len": "3", "mqtt.topic": topic,
            "mqtt.msgid": msgid, "mqtt.msg": "68:69"
        }}}}])
    }

    #[test]
    fn agrees_when_every_field_matches() {
        let v = publish();
        assert_eq!(
            compare(Protocol::V311, &[&v], &dissected("a/b", "7")).unwrap(),
            []
        );
    }

    #[test]
    fn reports_each_field_that_differs() {
        let v = publish();
        let found = compare(Protocol::V311, &[&v], &dissected("a/c", "8")).unwrap();
        let fields: Vec<_> = found
            .iter()
            .map(|d| (d.field.as_str(), d.expected.as_str(), d.dissector.as_str()))
            .collect();
        assert_eq!(
            fields,
            [("mqtt.msgid", "7", "8"), ("mqtt.topic", "a/b", "a/c")]
        );
    }

    #[test]
    fn reports_a_frame_split_into_two_packets() {
        let v = publish();
        let two = json!([{"_source": {"layers": {"mqtt": [
            dissected("a/b", "7")[0]["_source"]["layers"]["mqtt"].clone(),
            {"mqtt.hdrflags": "0x69", "mqtt.len": "0"}
        ]}}}]);
        let found = compare(Protocol::V311, &[&v], &two).unwrap();
        assert_eq!(found[0].field, "frame");
        assert_eq!(found[0].dissector, "2 MQTT packets");
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn shows_long_values_from_where_they_differ() {
        assert_eq!(abbreviate("a", "b"), ("a".to_owned(), "b".to_owned()));
        let a = format!("1 properties, 0x09 {}", "ab".repeat(100));
        let b = format!("1 properties, 0x09 {}", "ab".repeat(99));
        let (x, y) = abbreviate(&a, &b);
        assert_eq!(x, format!("...{} (219 characters)", &a[193..]));
        assert_eq!(y, format!("...{} (217 characters)", &b[193..]));
        let (x, _) = abbreviate(&format!("x{}", "ab".repeat(100)), "y");
        assert_eq!(x, format!("x{}a... (201 characters)", "ab".repeat(35)));
    }

    #[test]
    fn a_missing_payload_is_an_empty_one() {
        let v = vector(
            "publish-empty",
            "either",
            "3003 0001 61",
            json!({"type": "PUBLISH", "dup": false, "qos": 0, "retain": false,
                   "topic": "a", "packet_id": null, "payload": ""}),
        );
        let shown = json!([{"_source": {"layers": {"mqtt": {
            "mqtt.hdrflags_tree": {"mqtt.msgtype": "3", "mqtt.dupflag": "0", "mqtt.qos": "0", "mqtt.retain": "0"},
            "mqtt.len": "3", "mqtt.topic": "a"
        }}}}]);
        assert_eq!(compare(Protocol::V311, &[&v], &shown).unwrap(), []);
    }

    /// What tshark 4.0.17 prints (`-T json -x --no-duplicate-keys`, MQTT layer) for
    /// `40 11 00 01 00 0d 26 00 06 72 65 67 69 6f 6e 00 02 65 75` read as 5.0: a PUBACK with
    /// reason code 0 and the User Property ("region", "eu").
    fn puback_shown() -> Value {
        json!({
            "mqtt.hdrflags_raw": ["40", 54, 1, 0, 4], "mqtt.hdrflags": "0x40",
            "mqtt.hdrflags_tree": {"mqtt.msgtype": "4", "mqtt.hdr_reserved": "0"},
            "mqtt.len_raw": ["11", 55, 1, 0, 11], "mqtt.len": "17",
            "mqtt.msgid_raw": ["0001", 56, 2, 0, 5], "mqtt.msgid": "1",
            "mqtt.puback.reason_code_raw": ["00", 58, 1, 0, 4], "mqtt.puback.reason_code": "0",
            "mqtt.properties_raw": ["0d260006726567696f6e00026575", 59, 14, 0, 0],
            "mqtt.properties": {
                "mqtt.property_len_raw": ["0d", 59, 1, 0, 11], "mqtt.property_len": "13",
                "mqtt.property_id_raw": ["26", 60, 1, 0, 4], "mqtt.property_id": "0x26",
                "mqtt.prop_key_len_raw": ["0006", 61, 2, 0, 7], "mqtt.prop_key_len": "6",
                "mqtt.prop_key_raw": ["726567696f6e", 63, 6, 0, 26], "mqtt.prop_key": "region",
                "mqtt.prop_value_len_raw": ["0002", 69, 2, 0, 7], "mqtt.prop_value_len": "2",
                "mqtt.prop_value_raw": ["6575", 71, 2, 0, 26], "mqtt.prop_value": "eu"
            }
        })
    }

    fn puback(id: &str, reason_code: Value, properties: Value) -> Vector {
        vector(
            id,
            "either",
            "4011 0001 00 0d 26 0006 726567696f6e 0002 6575",
            json!({"type": "PUBACK", "packet_id": 1, "reason_code": reason_code,
                   "properties": properties}),
        )
    }

    #[test]
    fn compares_a_5_0_packet_with_its_reason_code_and_properties() {
        let frames = json!([{"_source": {"layers": {"mqtt": puback_shown()}}}]);
        let success = json!({"value": 0, "name": "success"});
        let right = puback(
            "v5-right",
            success.clone(),
            json!([{"id": 38, "name": "user-property", "value": ["region", "eu"]}]),
        );
        assert_eq!(compare(Protocol::V5, &[&right], &frames).unwrap(), []);

        // Another pair, another reason code, and a short form's missing block: each differs.
        let wrong_pair = puback(
            "v5-pair",
            success.clone(),
            json!([{"id": 38, "name": "user-property", "value": ["region", "us"]}]),
        );
        let found = compare(Protocol::V5, &[&wrong_pair], &frames).unwrap();
        let shown: Vec<_> = found
            .iter()
            .map(|d| (d.field.as_str(), d.expected.as_str(), d.dissector.as_str()))
            .collect();
        assert_eq!(
            shown,
            [(
                "mqtt.properties",
                "1 properties, 0x26 (\"region\", \"us\")",
                "1 properties, 0x26 (\"region\", \"eu\")"
            )]
        );
        let wrong_code = puback(
            "v5-code",
            json!({"value": 16, "name": "no-matching-subscribers"}),
            json!([{"id": 38, "name": "user-property", "value": ["region", "eu"]}]),
        );
        let found = compare(Protocol::V5, &[&wrong_code], &frames).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].expected.as_str(), found[0].dissector.as_str()),
            ("16", "0")
        );
        let short = puback("v5-short", Value::Null, Value::Null);
        let found = compare(Protocol::V5, &[&short], &frames).unwrap();
        let fields: Vec<_> = found.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["mqtt.puback.reason_code", "mqtt.properties"]);
    }

    #[test]
    fn records_what_the_dissector_objects_to_in_invalid_vectors() {
        let invalid = |id: &str, wire: &str| -> Vector {
            serde_json::from_value(json!({
                "id": id, "description": "-", "direction": "either", "verdict": "invalid",
                "clauses": [], "flags": [], "wire": wire,
                "error": {"kind": "truncated", "clause": "3.3.2"},
            }))
            .unwrap()
        };
        let (short, zero) = (
            invalid("short", "3005 0004 616263"),
            invalid("zero", "40020000"),
        );
        let shown = json!([
            {"_source": {"layers": {
                "mqtt": {"mqtt.hdrflags": "0x30", "mqtt.len": "5", "mqtt.topic_len": "4"},
                "_ws.unreassembled": {"_ws.expert": {"_ws.expert.message": "Unreassembled fragment", "_ws.expert.severity": "4194304"}}
            }}},
            {"_source": {"layers": {"mqtt": {"mqtt.hdrflags": "0x40", "mqtt.msgid": "0"}}}}
        ]);
        let readings = survey(&[&short, &zero], &shown).unwrap();
        assert_eq!(readings[0].complaints, ["read past the end"]);
        assert_eq!(readings[1].complaints, Vec::<String>::new());
        assert_eq!(readings[1].kind, "truncated");
    }
}
