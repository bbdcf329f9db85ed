//! The `serde` feature: the golden vectors' packet model, through serde_json (3.1.1 here,
//! with the vectors of both versions; the 5.0 cases are in `serde_v5.rs`). Every expected
//! JSON text and wire byte is written by hand, or taken from the hand-written vectors.

use mqtt_wire::v311::decode;
use mqtt_wire::{OwnedPacket, PacketDecoder, Status};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

type V311Packet = OwnedPacket<mqtt_wire::v311::Decoder>;

/// One packet of each of the 14 types: its JSON form and its encoding.
const CASES: &[(&str, &[u8])] = &[
    (
        r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":true,"keep_alive":60,"client_id":"c","will":{"topic":"t","message":"6d","qos":2,"retain":false},"username":"u","password":"70"}"##,
        &[
            0x10, 0x19, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0xD6, 0x00, 0x3C, 0x00, 0x01,
            b'c', 0x00, 0x01, b't', 0x00, 0x01, b'm', 0x00, 0x01, b'u', 0x00, 0x01, b'p',
        ],
    ),
    (
        r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":false,"keep_alive":0,"client_id":"id","will":null,"username":null,"password":null}"##,
        &[
            0x10, 0x0E, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x00, 0x00, 0x00, 0x00, 0x02,
            b'i', b'd',
        ],
    ),
    (
        r##"{"type":"CONNACK","session_present":true,"return_code":0}"##,
        &[0x20, 0x02, 0x01, 0x00],
    ),
    (
        r##"{"type":"PUBLISH","dup":true,"qos":1,"retain":true,"topic":"a/b","packet_id":258,"payload":"0aff"}"##,
        &[
            0x3B, 0x09, 0x00, 0x03, b'a', b'/', b'b', 0x01, 0x02, 0x0A, 0xFF,
        ],
    ),
    (
        r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"x","packet_id":null,"payload":""}"##,
        &[0x30, 0x03, 0x00, 0x01, b'x'],
    ),
    (
        r##"{"type":"PUBACK","packet_id":1}"##,
        &[0x40, 0x02, 0x00, 0x01],
    ),
    (
        r##"{"type":"PUBREC","packet_id":2}"##,
        &[0x50, 0x02, 0x00, 0x02],
    ),
    (
        r##"{"type":"PUBREL","packet_id":3}"##,
        &[0x62, 0x02, 0x00, 0x03],
    ),
    (
        r##"{"type":"PUBCOMP","packet_id":65535}"##,
        &[0x70, 0x02, 0xFF, 0xFF],
    ),
    (
        r##"{"type":"SUBSCRIBE","packet_id":10,"subscriptions":[{"filter":"a/+","qos":0},{"filter":"#","qos":2}]}"##,
        &[
            0x82, 0x0C, 0x00, 0x0A, 0x00, 0x03, b'a', b'/', b'+', 0x00, 0x00, 0x01, b'#', 0x02,
        ],
    ),
    (
        r##"{"type":"SUBACK","packet_id":10,"return_codes":[0,1,2,128]}"##,
        &[0x90, 0x06, 0x00, 0x0A, 0x00, 0x01, 0x02, 0x80],
    ),
    (
        r##"{"type":"UNSUBSCRIBE","packet_id":11,"filters":["a/#","b"]}"##,
        &[
            0xA2, 0x0A, 0x00, 0x0B, 0x00, 0x03, b'a', b'/', b'#', 0x00, 0x01, b'b',
        ],
    ),
    (
        r##"{"type":"UNSUBACK","packet_id":11}"##,
        &[0xB0, 0x02, 0x00, 0x0B],
    ),
    (r##"{"type":"PINGREQ"}"##, &[0xC0, 0x00]),
    (r##"{"type":"PINGRESP"}"##, &[0xD0, 0x00]),
    (r##"{"type":"DISCONNECT"}"##, &[0xE0, 0x00]),
];

#[test]
fn every_packet_type_round_trips_through_json() {
    let mut types = std::collections::BTreeSet::new();
    for (json, wire) in CASES {
        let owned: V311Packet =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(owned.as_bytes(), *wire, "{json}");
        assert_eq!(serde_json::to_string(&owned).unwrap(), *json);
        // The borrowed packet, decoded from the wire, serializes the same way.
        let (packet, _) = decode(wire).unwrap().complete().unwrap();
        assert_eq!(serde_json::to_string(&packet).unwrap(), *json);
        types.insert(packet.packet_type().as_u8());
    }
    assert_eq!(types.len(), 14);
}

#[test]
fn refuses_what_the_constructors_refuse() {
    let cases = [
        // A wildcard in a PUBLISH topic.
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"a/+","packet_id":null,"payload":""}"##,
            "wildcard",
        ),
        // QoS 3.
        (
            r##"{"type":"PUBLISH","dup":false,"qos":3,"retain":false,"topic":"a","packet_id":1,"payload":""}"##,
            "MQTT-3.3.1-4",
        ),
        // DUP at QoS 0.
        (
            r##"{"type":"PUBLISH","dup":true,"qos":0,"retain":false,"topic":"a","packet_id":null,"payload":""}"##,
            "MQTT-3.3.1-2",
        ),
        // QoS 1 without a packet identifier, QoS 0 with one.
        (
            r##"{"type":"PUBLISH","dup":false,"qos":1,"retain":false,"topic":"a","packet_id":null,"payload":""}"##,
            "no packet identifier",
        ),
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"a","packet_id":5,"payload":""}"##,
            "MQTT-2.3.1-5",
        ),
        // Packet identifier 0.
        (
            r##"{"type":"PUBACK","packet_id":0}"##,
            "packet identifier is 0",
        ),
        // An empty topic.
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"","packet_id":null,"payload":""}"##,
            "MQTT-4.7.3-1",
        ),
        // Payload that is not hex.
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"a","packet_id":null,"payload":"6g"}"##,
            "hex",
        ),
        // A misplaced multi-level wildcard; a requested QoS of 3; no filter at all.
        (
            r##"{"type":"SUBSCRIBE","packet_id":1,"subscriptions":[{"filter":"a/#/b","qos":0}]}"##,
            "MQTT-4.7.1-2",
        ),
        (
            r##"{"type":"SUBSCRIBE","packet_id":1,"subscriptions":[{"filter":"a","qos":3}]}"##,
            "MQTT-3.8.3-4",
        ),
        (
            r##"{"type":"SUBSCRIBE","packet_id":1,"subscriptions":[]}"##,
            "MQTT-3.8.3-3",
        ),
        (
            r##"{"type":"UNSUBSCRIBE","packet_id":1,"filters":[]}"##,
            "MQTT-3.10.3-2",
        ),
        // SUBACK return code 3; no return code.
        (
            r##"{"type":"SUBACK","packet_id":1,"return_codes":[3]}"##,
            "MQTT-3.9.3-2",
        ),
        (
            r##"{"type":"SUBACK","packet_id":1,"return_codes":[]}"##,
            "no return code",
        ),
        // CONNACK return code 6; session present with a refusal.
        (
            r##"{"type":"CONNACK","session_present":false,"return_code":6}"##,
            "return code",
        ),
        (
            r##"{"type":"CONNACK","session_present":true,"return_code":5}"##,
            "MQTT-3.2.2-4",
        ),
        // CONNECT: another protocol, a password without a user name, an empty client id
        // without clean session, a will topic with a wildcard.
        (
            r##"{"type":"CONNECT","protocol_name":"MQIsdp","protocol_level":3,"clean_session":true,"keep_alive":0,"client_id":"c","will":null,"username":null,"password":null}"##,
            "MQTT-3.1.2-1",
        ),
        (
            r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":5,"clean_session":true,"keep_alive":0,"client_id":"c","will":null,"username":null,"password":null}"##,
            "MQTT-3.1.2-2",
        ),
        (
            r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":true,"keep_alive":0,"client_id":"c","will":null,"username":null,"password":"70"}"##,
            "MQTT-3.1.2-22",
        ),
        (
            r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":false,"keep_alive":0,"client_id":"","will":null,"username":null,"password":null}"##,
            "MQTT-3.1.3-7",
        ),
        (
            r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":true,"keep_alive":0,"client_id":"c","will":{"topic":"t/#","message":"","qos":0,"retain":false},"username":null,"password":null}"##,
            "MQTT-4.7.1-1",
        ),
        // A string with U+0000.
        (
            r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":true,"keep_alive":0,"client_id":"a\u0000","will":null,"username":null,"password":null}"##,
            "U+0000",
        ),
        // An unknown type, an unknown field, a missing field.
        (r##"{"type":"AUTH"}"##, "unknown variant"),
        (
            r##"{"type":"PUBACK","packet_id":1,"extra":0}"##,
            "unknown field",
        ),
        (r##"{"type":"PUBACK"}"##, "missing field `packet_id`"),
        (r##"{"packet_id":1}"##, "missing field `type`"),
        // A field of another packet type; the same field twice.
        (
            r##"{"type":"PUBACK","packet_id":1,"topic":"a"}"##,
            "unknown field `topic`",
        ),
        (
            r##"{"type":"PUBACK","packet_id":1,"packet_id":2}"##,
            "duplicate field `packet_id`",
        ),
        (
            r##"{"type":"PINGREQ","packet_id":1}"##,
            "unknown field `packet_id`",
        ),
        // A will with a field too many, or one missing.
        (
            r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":true,"keep_alive":0,"client_id":"c","will":{"topic":"t","message":"","qos":0,"retain":false,"extra":1},"username":null,"password":null}"##,
            "unknown field `extra`",
        ),
        (
            r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":true,"keep_alive":0,"client_id":"c","will":{"topic":"t","qos":0,"retain":false},"username":null,"password":null}"##,
            "missing field `message`",
        ),
        (
            r##"{"type":"SUBSCRIBE","packet_id":1,"subscriptions":[{"filter":"a"}]}"##,
            "missing field `qos`",
        ),
        // Values of the wrong shape name what was expected.
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"x","packet_id":null,"payload":5}"##,
            "expected a hex string or bytes",
        ),
        (
            r##"{"type":"SUBSCRIBE","packet_id":1,"subscriptions":["a"]}"##,
            "expected a subscription",
        ),
        // Each JSON type where another is expected: the message names what came.
        (
            r##"{"type":"PUBLISH","dup":"no","qos":0,"retain":false,"topic":"x","packet_id":null,"payload":""}"##,
            r#"invalid type: string "no", expected a boolean"#,
        ),
        (
            r##"{"type":"PUBLISH","dup":false,"qos":-1,"retain":false,"topic":"x","packet_id":null,"payload":""}"##,
            "invalid type: integer `-1`, expected a QoS level",
        ),
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0.5,"retain":false,"topic":"x","packet_id":null,"payload":""}"##,
            "invalid type: floating point `0.5`, expected a QoS level",
        ),
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":true,"packet_id":null,"payload":""}"##,
            "invalid type: boolean `true`, expected a string",
        ),
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"x","packet_id":null,"payload":null}"##,
            "invalid type: unit value, expected a hex string or bytes",
        ),
        (
            r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"x","packet_id":null,"payload":{}}"##,
            "invalid type: map, expected a hex string or bytes",
        ),
        (
            r##"{"type":"PUBACK","packet_id":65536}"##,
            "invalid value: integer `65536`",
        ),
        (
            r##"{"type":"PUBACK","packet_id":1,"reason":0}"##,
            "unknown field `reason`",
        ),
        (r##"{"type":"AUTH"}"##, "unknown variant `AUTH`"),
        (r##"{"packet_id":1}"##, "missing field `type`"),
        (
            r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":4,"clean_session":true,"keep_alive":0,"client_id":"c","will":"t","username":null,"password":null}"##,
            "expected a will",
        ),
    ];
    for (json, expected) in cases {
        match serde_json::from_str::<V311Packet>(json) {
            Ok(packet) => panic!("{json} was accepted as {packet}"),
            Err(e) => assert!(
                e.to_string().contains(expected),
                "{json}: error {e:?} does not mention {expected:?}"
            ),
        }
    }
}

#[test]
fn fields_may_come_in_any_order_and_null_fields_may_be_absent() {
    let owned: V311Packet = serde_json::from_str(r##"{"packet_id":3,"type":"PUBACK"}"##).unwrap();
    assert_eq!(owned.as_bytes(), [0x40, 0x02, 0x00, 0x03]);
    let json =
        r##"{"payload":"","topic":"x","retain":false,"qos":0,"dup":false,"type":"PUBLISH"}"##;
    let owned: V311Packet = serde_json::from_str(json).unwrap();
    assert_eq!(owned.as_bytes(), [0x30, 0x03, 0x00, 0x01, b'x']);
}

#[test]
fn binary_fields_may_also_be_arrays_of_bytes() {
    let json = r##"{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"x","packet_id":null,"payload":[104,105]}"##;
    let owned: V311Packet = serde_json::from_str(json).unwrap();
    assert_eq!(owned.as_bytes(), [0x30, 0x05, 0x00, 0x01, b'x', b'h', b'i']);
}

#[test]
fn credentials_are_serialized_as_data() {
    // CONNECT "c", clean session, user name "alice", password "secret".
    let wire = [
        0x10, 0x1C, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0xC2, 0x00, 0x00, 0x00, 0x01, b'c',
        0x00, 0x05, b'a', b'l', b'i', b'c', b'e', 0x00, 0x06, b's', b'e', b'c', b'r', b'e', b't',
    ];
    let (packet, _) = decode(&wire).unwrap().complete().unwrap();
    let json: Value = serde_json::to_value(packet).unwrap();
    assert_eq!(json["username"], "alice");
    assert_eq!(json["password"], "736563726574"); // "secret" in hex
    assert!(
        !packet.to_string().contains("alice"),
        "Display still hides it"
    );
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_packets_use_the_same_form() {
    use mqtt_wire::v311::BytesPacket;
    let (json, wire) = CASES[3];
    let packet: BytesPacket = serde_json::from_str(json).unwrap();
    assert_eq!(packet.as_bytes().as_ref(), wire);
    assert_eq!(serde_json::to_string(&packet).unwrap(), json);
}

/// The bytes a vector writes as hex text, or as a list of hex texts and
/// `{"repeat": hex, "count": n}` segments (the compressed form of the large vectors).
fn segments(value: &Value) -> Vec<u8> {
    match value {
        Value::String(text) => testkit::hex::bytes(text),
        Value::Array(parts) => {
            let mut out = Vec::new();
            for part in parts {
                match part {
                    Value::String(text) => out.extend(testkit::hex::bytes(text)),
                    _ => {
                        let unit = testkit::hex::bytes(part["repeat"].as_str().unwrap());
                        let count = usize::try_from(part["count"].as_u64().unwrap()).unwrap();
                        out.extend(unit.repeat(count));
                    }
                }
            }
            out
        }
        other => panic!("not hex or segments: {other}"),
    }
}

/// A vector's packet model with a segmented payload written out as one hex string.
fn normalized(model: &Value) -> Value {
    let mut model = model.clone();
    if let Some(payload) = model.get_mut("payload").filter(|p| p.is_array()) {
        *payload = Value::String(testkit::hex::format(&segments(payload)));
    }
    model
}

/// Counts of the vectors checked in one version's directory.
#[derive(Debug, Default, PartialEq)]
struct Checked {
    /// Valid and acceptable vectors that decode: serialized to their model, and their model
    /// deserialized and encoded back to their bytes.
    round_trips: usize,
    /// Acceptable vectors this codec refuses: their model must not build those bytes.
    refused: usize,
}

/// Every valid and acceptable vector of `dir`: decode, then serialize, gives the vector's
/// packet model; deserializing the model, then encoding, gives the vector's bytes. An
/// acceptable vector the decoder refuses must not come back from its model either: what can
/// be deserialized can be decoded.
fn check_vectors<D>(dir: &str) -> Checked
where
    D: PacketDecoder,
    OwnedPacket<D>: Serialize + DeserializeOwned,
{
    let dir = format!("{}/../vectors/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut checked = Checked::default();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().map_or(true, |e| e != "json") {
            continue; // DECISIONS.md
        }
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Some(vectors) = file["vectors"].as_array() else {
            continue; // clauses.json, flags.json, error-kinds.json
        };
        for vector in vectors {
            if vector["verdict"] == "invalid" {
                continue;
            }
            let id = &vector["id"];
            let wire = segments(&vector["wire"]);
            let model = normalized(&vector["packet"]);
            let rebuilt = serde_json::from_value::<OwnedPacket<D>>(model.clone());
            match D::default().decode(&wire) {
                Ok(Status::Complete((packet, used))) => {
                    assert_eq!(used, wire.len(), "{id}");
                    let owned = OwnedPacket::<D>::new(&packet);
                    let json = serde_json::to_value(&owned).unwrap();
                    assert!(json == model, "{id}: serialized as {json}");
                    let rebuilt = rebuilt.unwrap_or_else(|e| panic!("{id}: {e}"));
                    assert!(rebuilt.as_bytes() == wire, "{id}: encoded differently");
                    checked.round_trips += 1;
                }
                Ok(Status::Partial(_)) => panic!("{id}: partial"),
                Err(_) => {
                    assert_eq!(vector["verdict"], "acceptable", "{id}: refused");
                    if let Ok(rebuilt) = rebuilt {
                        assert!(
                            rebuilt.as_bytes() != wire,
                            "{id}: built what decode refuses"
                        );
                    }
                    checked.refused += 1;
                }
            }
        }
    }
    checked
}

#[test]
fn agrees_with_the_golden_vectors_of_both_versions() {
    // 164 valid and 26 acceptable 3.1.1 vectors; this codec refuses 6 of the acceptable
    // ones, the non-minimal Remaining Lengths.
    let v311 = check_vectors::<mqtt_wire::v311::Decoder>("v311");
    // 345 valid and 3 acceptable 5.0 vectors; the acceptable ones are AUTH with Remaining
    // Length 1, which this codec refuses (vectors/v5/DECISIONS.md section 3).
    let v5 = check_vectors::<mqtt_wire::v5::Decoder>("v5");
    assert_eq!(
        v311,
        Checked {
            round_trips: 184,
            refused: 6
        }
    );
    assert_eq!(
        v5,
        Checked {
            round_trips: 345,
            refused: 3
        }
    );
}
