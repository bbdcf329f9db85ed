//! The `serde` feature for MQTT 5.0: the packet model of `vectors/v5/DECISIONS.md` section 2,
//! through serde_json. Every expected JSON text and wire byte is written by hand; the golden
//! vectors of both versions are checked in `serde.rs`.

use mqtt_wire::v5::{decode, OwnedPacket};
use serde_json::Value;
use testkit::hex::bytes as hex;

/// One packet of each of the 15 types (and the short forms): its JSON form and its encoding.
const CASES: &[(&str, &str)] = &[
    (
        r##"{"type":"CONNECT","protocol_name":"MQTT","protocol_level":5,"clean_start":true,"keep_alive":60,"properties":[{"id":17,"name":"session-expiry-interval","value":30}],"client_id":"c","will":{"properties":[{"id":24,"name":"will-delay-interval","value":5}],"topic":"t","message":"6d","qos":1,"retain":true},"username":null,"password":"70"}"##,
        "10 22 00 04 4d 51 54 54 05 6e 00 3c 05 11 00 00 00 1e 00 01 63
         05 18 00 00 00 05 00 01 74 00 01 6d 00 01 70",
    ),
    (
        r##"{"type":"CONNACK","session_present":false,"reason_code":{"value":0,"name":"success"},"properties":[]}"##,
        "20 03 00 00 00",
    ),
    (
        r##"{"type":"PUBLISH","dup":false,"qos":1,"retain":false,"topic":"","packet_id":9,"properties":[{"id":35,"name":"topic-alias","value":3},{"id":38,"name":"user-property","value":["a","1"]},{"id":38,"name":"user-property","value":["a","2"]}],"payload":"00ff"}"##,
        "32 18 00 00 00 09 11 23 00 03 26 00 01 61 00 01 31 26 00 01 61 00 01 32 00 ff",
    ),
    // PUBACK with Remaining Length 2: reason code and property length absent.
    (
        r##"{"type":"PUBACK","packet_id":3,"reason_code":null,"properties":null}"##,
        "40 02 00 03",
    ),
    // PUBREC with Remaining Length 3: the reason code, no property length.
    (
        r##"{"type":"PUBREC","packet_id":3,"reason_code":{"value":16,"name":"no-matching-subscribers"},"properties":null}"##,
        "50 03 00 03 10",
    ),
    (
        r##"{"type":"PUBREL","packet_id":3,"reason_code":{"value":146,"name":"packet-identifier-not-found"},"properties":[{"id":31,"name":"reason-string","value":"x"}]}"##,
        "62 08 00 03 92 04 1f 00 01 78",
    ),
    // PUBCOMP Success with an empty property block: the long form of the short one.
    (
        r##"{"type":"PUBCOMP","packet_id":3,"reason_code":{"value":0,"name":"success"},"properties":[]}"##,
        "70 04 00 03 00 00",
    ),
    (
        r##"{"type":"SUBSCRIBE","packet_id":3,"properties":[{"id":11,"name":"subscription-identifier","value":200}],"subscriptions":[{"filter":"a/+","qos":1,"no_local":true,"retain_as_published":true,"retain_handling":2}]}"##,
        "82 0c 00 03 03 0b c8 01 00 03 61 2f 2b 2d",
    ),
    (
        r##"{"type":"SUBACK","packet_id":3,"properties":[],"reason_codes":[{"value":1,"name":"granted-qos-1"},{"value":128,"name":"unspecified-error"}]}"##,
        "90 05 00 03 00 01 80",
    ),
    (
        r##"{"type":"UNSUBSCRIBE","packet_id":3,"properties":[],"filters":["a","b/#"]}"##,
        "a2 0b 00 03 00 00 01 61 00 03 62 2f 23",
    ),
    (
        r##"{"type":"UNSUBACK","packet_id":3,"properties":[],"reason_codes":[{"value":0,"name":"success"},{"value":17,"name":"no-subscription-existed"}]}"##,
        "b0 05 00 03 00 00 11",
    ),
    (r##"{"type":"PINGREQ"}"##, "c0 00"),
    (r##"{"type":"PINGRESP"}"##, "d0 00"),
    // DISCONNECT with Remaining Length 0 and 1.
    (
        r##"{"type":"DISCONNECT","reason_code":null,"properties":null}"##,
        "e0 00",
    ),
    (
        r##"{"type":"DISCONNECT","reason_code":{"value":4,"name":"disconnect-with-will-message"},"properties":null}"##,
        "e0 01 04",
    ),
    (
        r##"{"type":"AUTH","reason_code":{"value":24,"name":"continue-authentication"},"properties":[{"id":21,"name":"authentication-method","value":"m"},{"id":22,"name":"authentication-data","value":"0102"}]}"##,
        "f0 0b 18 09 15 00 01 6d 16 00 02 01 02",
    ),
    (
        r##"{"type":"AUTH","reason_code":null,"properties":null}"##,
        "f0 00",
    ),
];

#[test]
fn every_packet_type_and_form_round_trips_through_json() {
    let mut types = std::collections::BTreeSet::new();
    for (json, wire) in CASES {
        let wire = hex(&wire.split_whitespace().collect::<Vec<_>>().join(" "));
        let owned: OwnedPacket =
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(owned.as_bytes(), wire, "{json}");
        assert_eq!(serde_json::to_string(&owned).unwrap(), *json);
        // The borrowed packet, decoded from the wire, serializes the same way.
        let (packet, used) = decode(&wire).unwrap().complete().unwrap();
        assert_eq!(used, wire.len());
        assert_eq!(serde_json::to_string(&packet).unwrap(), *json);
        types.insert(packet.packet_type().as_u8());
    }
    assert_eq!(types.len(), 15);
}

#[test]
fn refuses_what_the_constructors_and_the_model_refuse() {
    let connect = |properties: &str, will: &str| {
        format!(
            r##"{{"type":"CONNECT","protocol_name":"MQTT","protocol_level":5,"clean_start":true,"keep_alive":0,"properties":{properties},"client_id":"c","will":{will},"username":null,"password":null}}"##
        )
    };
    let publish = |topic: &str, properties: &str| {
        format!(
            r##"{{"type":"PUBLISH","dup":false,"qos":0,"retain":false,"topic":"{topic}","packet_id":null,"properties":{properties},"payload":""}}"##
        )
    };
    let cases = [
        // An empty topic without a Topic Alias; a Topic Alias of 0; two Topic Aliases.
        (publish("", "[]"), "section 3.3.2.1"),
        (
            publish("a", r#"[{"id":35,"name":"topic-alias","value":0}]"#),
            "property 0x23 has a forbidden value",
        ),
        (
            publish(
                "a",
                r#"[{"id":35,"name":"topic-alias","value":1},{"id":35,"name":"topic-alias","value":2}]"#,
            ),
            "property 0x23 given twice",
        ),
        // A property PUBLISH may not carry; a will property the Will Properties may not.
        (
            publish("a", r#"[{"id":17,"name":"session-expiry-interval","value":1}]"#),
            "property 0x11 not allowed here",
        ),
        (
            connect(
                "[]",
                r#"{"properties":[{"id":35,"name":"topic-alias","value":1}],"topic":"t","message":"","qos":0,"retain":false}"#,
            ),
            "property 0x23 not allowed here",
        ),
        // Authentication Data without Authentication Method.
        (
            connect(r#"[{"id":22,"name":"authentication-data","value":"00"}]"#, "null"),
            "section 3.1.2.11.10",
        ),
        // The model's own rules: a name that is not the identifier's, an identifier Table 2-4
        // does not define, a value too large for the property's type, a User Property that is
        // not a pair.
        (
            publish("a", r#"[{"id":17,"name":"topic-alias","value":1}]"#),
            "property 0x11 is session-expiry-interval, not \"topic-alias\"",
        ),
        (
            publish("a", r#"[{"id":4,"name":"x","value":1}]"#),
            "Table 2-4",
        ),
        (
            publish("a", r#"[{"id":35,"name":"topic-alias","value":65536}]"#),
            "expected a two byte integer",
        ),
        (
            publish("a", r#"[{"id":38,"name":"user-property","value":["k"]}]"#),
            "[key, value]",
        ),
        // Reason codes: one the packet's table does not list, a name that is not the code's.
        (
            r##"{"type":"PUBACK","packet_id":1,"reason_code":{"value":4,"name":"x"},"properties":null}"##.into(),
            "reason code 0x04 not allowed here [section 2.4]",
        ),
        (
            r##"{"type":"PUBACK","packet_id":1,"reason_code":{"value":16,"name":"success"},"properties":null}"##.into(),
            "is no-matching-subscribers, not \"success\"",
        ),
        // Forms the standard does not have: properties without a reason code; AUTH with a
        // reason code alone (DECISIONS.md section 3); `null` properties in a packet without
        // short forms.
        (
            r##"{"type":"PUBACK","packet_id":1,"reason_code":null,"properties":[]}"##.into(),
            "PUBACK in a form the standard does not have",
        ),
        (
            r##"{"type":"AUTH","reason_code":{"value":24,"name":"continue-authentication"},"properties":null}"##.into(),
            "AUTH in a form the standard does not have",
        ),
        (
            r##"{"type":"UNSUBACK","packet_id":1,"properties":null,"reason_codes":[{"value":0,"name":"success"}]}"##.into(),
            "expected a list of properties",
        ),
        // Subscriptions: Retain Handling 3, No Local on a shared subscription.
        (
            r##"{"type":"SUBSCRIBE","packet_id":1,"properties":[],"subscriptions":[{"filter":"a","qos":0,"no_local":false,"retain_as_published":false,"retain_handling":3}]}"##.into(),
            "section 3.8.3.1",
        ),
        (
            r##"{"type":"SUBSCRIBE","packet_id":1,"properties":[],"subscriptions":[{"filter":"$share/g/a","qos":0,"no_local":true,"retain_as_published":false,"retain_handling":0}]}"##.into(),
            "MQTT-3.8.3-4",
        ),
        // Another protocol level; a 3.1.1 field; an unknown type; a missing field.
        (
            connect("[]", "null").replace(r#""protocol_level":5"#, r#""protocol_level":4"#),
            "MQTT-3.1.2-2",
        ),
        (
            connect("[]", "null").replace("clean_start", "clean_session"),
            "unknown field `clean_session`",
        ),
        (r##"{"type":"FOO"}"##.into(), "unknown variant `FOO`"),
        (
            r##"{"type":"DISCONNECT","properties":null}"##.into(),
            // `reason_code` may be left out: absent is `null`. What is left is valid.
            "",
        ),
        (
            r##"{"type":"CONNACK","session_present":false,"properties":[]}"##.into(),
            "missing field `reason_code`",
        ),
    ];
    for (json, expected) in cases {
        match serde_json::from_str::<OwnedPacket>(&json) {
            Ok(packet) => assert!(expected.is_empty(), "{json} was accepted as {packet}"),
            Err(e) => assert!(
                !expected.is_empty() && e.to_string().contains(expected),
                "{json}: error {e:?} does not mention {expected:?}"
            ),
        }
    }
}

#[test]
fn credentials_and_authentication_data_are_serialized_as_data() {
    // CONNECT "c", user name "alice", password "secret", Authentication Method "m" and
    // Authentication Data "s3".
    let wire = hex(
        "10 26 00 04 4d 51 54 54 05 c2 00 00 09 15 00 01 6d 16 00 02 73 33 00 01 63
         00 05 61 6c 69 63 65 00 06 73 65 63 72 65 74"
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    );
    let (packet, _) = decode(&wire).unwrap().complete().unwrap();
    let json: Value = serde_json::to_value(packet).unwrap();
    assert_eq!(json["username"], "alice");
    assert_eq!(json["password"], "736563726574"); // "secret" in hex
    assert_eq!(json["properties"][1]["value"], "7333"); // "s3" in hex
    let shown = format!("{packet} {packet:?}");
    for secret in ["alice", "secret", "7333", "115, 51"] {
        assert!(!shown.contains(secret), "Display or Debug shows {secret}");
    }
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_packets_use_the_same_form() {
    use mqtt_wire::v5::BytesPacket;
    let (json, wire) = CASES[2];
    let packet: BytesPacket = serde_json::from_str(json).unwrap();
    assert_eq!(packet.as_bytes().as_ref(), hex(wire));
    assert_eq!(serde_json::to_string(&packet).unwrap(), json);
}
