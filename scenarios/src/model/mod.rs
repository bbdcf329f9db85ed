//! The packet model of the scenarios: the codec's `serde` form (`mqtt_wire`'s `serde`
//! feature, the golden vectors' model: `vectors/README.md` for 3.1.1,
//! `vectors/v5/DECISIONS.md` section 2 for 5.0), which the conformance runner uses too. There
//! is one packet model, the codec's; this module only picks the version and turns its
//! errors into the engine's and the lint's messages.
//!
//! The placeholders of a pattern (`{"$var": ...}` and the rest, [`crate::pattern`]) are the
//! scenario format's own: they are matched against, or substituted into, this model before
//! the codec sees it.

use mqtt_wire::{OwnedPacket, PacketDecoder};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A protocol version of the scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// MQTT 3.1.1 (protocol level 4).
    V311,
    /// MQTT 5.0 (protocol level 5).
    V5,
}

impl Version {
    /// From a scenario file's `protocol` field.
    pub fn parse(text: &str) -> Option<Version> {
        match text {
            "3.1.1" => Some(Version::V311),
            "5.0" => Some(Version::V5),
            _ => None,
        }
    }

    /// As a scenario file writes it.
    pub fn name(self) -> &'static str {
        match self {
            Version::V311 => "3.1.1",
            Version::V5 => "5.0",
        }
    }
}

/// Encodes a packet model with this codec: deserialized into the codec's owned packet
/// (through its public constructors, which refuse what they would not build), then its bytes.
pub fn encode(version: Version, model: &Value) -> Result<Vec<u8>, String> {
    match version {
        Version::V311 => encode_as::<mqtt_wire::v311::Decoder>(model),
        Version::V5 => encode_as::<mqtt_wire::v5::Decoder>(model),
    }
}

fn encode_as<D>(model: &Value) -> Result<Vec<u8>, String>
where
    D: PacketDecoder,
    OwnedPacket<D>: DeserializeOwned,
{
    let packet = OwnedPacket::<D>::deserialize(model)
        .map_err(|e| format!("the codec refuses this packet: {e}"))?;
    Ok(packet.as_bytes().to_vec())
}

/// Decodes the packet at the start of `input`: its model and the bytes it used, `None` while
/// more bytes are needed, or the decode error as text.
pub fn decode(version: Version, input: &[u8]) -> Result<Option<(Value, usize)>, String> {
    match version {
        Version::V311 => decode_as::<mqtt_wire::v311::Decoder>(input),
        Version::V5 => decode_as::<mqtt_wire::v5::Decoder>(input),
    }
}

fn decode_as<D>(input: &[u8]) -> Result<Option<(Value, usize)>, String>
where
    D: PacketDecoder + Default,
    for<'a> D::Packet<'a>: Serialize,
{
    let status = D::default().decode(input).map_err(|e| e.to_string())?;
    status
        .complete()
        .map(|(packet, used)| {
            serde_json::to_value(packet)
                .map(|model| (model, used))
                .map_err(|e| format!("the codec cannot serialize the packet: {e}"))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Each model encodes, and the bytes decode back to the same model.
    fn round_trip(version: Version, models: &[Value]) {
        for model in models {
            let bytes = encode(version, model).unwrap();
            let (back, used) = decode(version, &bytes).unwrap().unwrap();
            assert_eq!((&back, used), (model, bytes.len()));
        }
    }

    #[test]
    fn a_3_1_1_model_round_trips_through_the_codec() {
        round_trip(
            Version::V311,
            &[
                json!({"type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 4, "clean_session": true,
                       "keep_alive": 60, "client_id": "c", "will": {"topic": "t", "message": "6d", "qos": 1, "retain": true},
                       "username": "u", "password": "70"}),
                json!({"type": "PUBLISH", "dup": true, "qos": 2, "retain": false, "topic": "a/b", "packet_id": 9, "payload": "00ff"}),
                json!({"type": "SUBSCRIBE", "packet_id": 3, "subscriptions": [{"filter": "a/+", "qos": 1}, {"filter": "#", "qos": 0}]}),
                json!({"type": "SUBACK", "packet_id": 3, "return_codes": [0, 128]}),
                json!({"type": "UNSUBSCRIBE", "packet_id": 3, "filters": ["a", "b/#"]}),
                json!({"type": "CONNACK", "session_present": true, "return_code": 0}),
                json!({"type": "PUBREL", "packet_id": 65535}),
                json!({"type": "PINGRESP"}),
            ],
        );
    }

    #[test]
    fn a_5_0_model_round_trips_through_the_codec() {
        round_trip(
            Version::V5,
            &[
                json!({"type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 5, "clean_start": true,
                       "keep_alive": 60, "properties": [{"id": 17, "name": "session-expiry-interval", "value": 30}],
                       "client_id": "c",
                       "will": {"properties": [{"id": 24, "name": "will-delay-interval", "value": 5}],
                                "topic": "t", "message": "6d", "qos": 1, "retain": true},
                       "username": null, "password": "70"}),
                json!({"type": "PUBLISH", "dup": false, "qos": 1, "retain": false, "topic": "", "packet_id": 9,
                       "properties": [{"id": 35, "name": "topic-alias", "value": 3},
                                      {"id": 38, "name": "user-property", "value": ["a", "1"]},
                                      {"id": 38, "name": "user-property", "value": ["a", "2"]}],
                       "payload": "00ff"}),
                // The short forms stay short: a model in a shorter legal form encodes to it.
                json!({"type": "PUBACK", "packet_id": 3, "reason_code": null, "properties": null}),
                json!({"type": "PUBREC", "packet_id": 3, "reason_code": {"value": 16, "name": "no-matching-subscribers"}, "properties": null}),
                json!({"type": "SUBSCRIBE", "packet_id": 3, "properties": [{"id": 11, "name": "subscription-identifier", "value": 200}],
                       "subscriptions": [{"filter": "a/+", "qos": 1, "no_local": true, "retain_as_published": true, "retain_handling": 2}]}),
                json!({"type": "SUBACK", "packet_id": 3, "properties": [], "reason_codes": [{"value": 1, "name": "granted-qos-1"}, {"value": 128, "name": "unspecified-error"}]}),
                json!({"type": "UNSUBSCRIBE", "packet_id": 3, "properties": [], "filters": ["a", "b/#"]}),
                json!({"type": "DISCONNECT", "reason_code": null, "properties": null}),
                json!({"type": "AUTH", "reason_code": {"value": 24, "name": "continue-authentication"},
                       "properties": [{"id": 21, "name": "authentication-method", "value": "m"},
                                      {"id": 22, "name": "authentication-data", "value": "0102"}]}),
                json!({"type": "PINGRESP"}),
            ],
        );
    }

    /// The message names what is wrong, for the lint and for a failed send.
    fn refused(version: Version, model: Value) -> String {
        let e = encode(version, &model).unwrap_err();
        assert!(e.starts_with("the codec refuses this packet: "), "{e}");
        e
    }

    #[test]
    fn reports_what_is_wrong_with_a_model() {
        let v311 = Version::V311;
        let e = refused(
            v311,
            json!({"type": "PUBLISH", "dup": false, "qos": 0, "retain": false, "topic": "a/#", "packet_id": null, "payload": ""}),
        );
        assert!(e.contains("topic name contains a wildcard"), "{e}");
        let e = refused(v311, json!({"type": "PUBACK"}));
        assert!(e.contains("missing field `packet_id`"), "{e}");
        // A 5.0 field in a 3.1.1 packet.
        let e = refused(
            v311,
            json!({"type": "PUBACK", "packet_id": 1, "properties": []}),
        );
        assert!(e.contains("unknown field `properties`"), "{e}");

        let v5 = Version::V5;
        let e = refused(
            v5,
            json!({"type": "DISCONNECT", "reason_code": null,
                                   "properties": [{"id": 17, "name": "topic-alias", "value": 1}]}),
        );
        assert!(
            e.contains("topic-alias") && e.contains("session-expiry-interval"),
            "{e}"
        );
        let e = refused(
            v5,
            json!({"type": "UNSUBACK", "packet_id": 1, "properties": null, "reason_codes": []}),
        );
        assert!(e.contains("expected a list of properties"), "{e}");
        let e = refused(
            v5,
            json!({"type": "PUBACK", "packet_id": 1, "reason_code": {"value": 4, "name": "x"}, "properties": null}),
        );
        assert!(e.contains("reason code 0x04 not allowed"), "{e}");
    }

    #[test]
    fn bytes_the_codec_refuses_are_an_error_and_a_partial_packet_is_none() {
        assert_eq!(decode(Version::V311, &[0x30]).unwrap(), None);
        assert!(decode(Version::V311, &[0xF0, 0x00]).is_err());
        assert!(decode(Version::V5, &[0x40, 0x02, 0x00, 0x00]).is_err());
    }
}
