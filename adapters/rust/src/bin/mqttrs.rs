//! Adapter for `mqttrs` 0.4: `decode_slice` on the whole buffer; `Ok(None)` is `incomplete`;
//! `consumed` is the frame length `clone_packet` reports for the same bytes. Errors map to the
//! suite's kinds where the variant means exactly one: `InvalidPid` (`zero-packet-id`),
//! `InvalidConnectReturnCode`, `InvalidString` (`invalid-utf8`); the rest are `unknown`.
//!
//! What it cannot express: a CONNECT's protocol is `MQTT` 4 or `MQIsdp` 3 (reported as such).
//! The adapter does not encode.

use mqtt_wire_peer_adapters::{serve, to_hex, Answer, Peer};
use mqttrs::{Error, Packet, SubscribeReturnCodes};
use serde_json::{json, Value};

struct Mqttrs;

fn model(packet: &Packet<'_>) -> Value {
    match packet {
        Packet::Connect(c) => {
            let (name, level) = match c.protocol {
                mqttrs::Protocol::MQTT311 => ("MQTT", 4),
                mqttrs::Protocol::MQIsdp => ("MQIsdp", 3),
            };
            json!({
                "type": "CONNECT", "protocol_name": name, "protocol_level": level,
                "clean_session": c.clean_session, "keep_alive": c.keep_alive,
                "client_id": c.client_id,
                "will": c.last_will.as_ref().map(|w| json!({
                    "topic": w.topic, "message": to_hex(w.message),
                    "qos": w.qos as u8, "retain": w.retain,
                })),
                "username": c.username,
                "password": c.password.map(to_hex),
            })
        }
        Packet::Connack(c) => json!({
            "type": "CONNACK", "session_present": c.session_present, "return_code": c.code as u8,
        }),
        Packet::Publish(p) => json!({
            "type": "PUBLISH", "dup": p.dup, "qos": p.qospid.qos() as u8, "retain": p.retain,
            "topic": p.topic_name, "packet_id": p.qospid.pid().map(|p| p.get()),
            "payload": to_hex(p.payload),
        }),
        Packet::Puback(id) => json!({"type": "PUBACK", "packet_id": id.get()}),
        Packet::Pubrec(id) => json!({"type": "PUBREC", "packet_id": id.get()}),
        Packet::Pubrel(id) => json!({"type": "PUBREL", "packet_id": id.get()}),
        Packet::Pubcomp(id) => json!({"type": "PUBCOMP", "packet_id": id.get()}),
        Packet::Unsuback(id) => json!({"type": "UNSUBACK", "packet_id": id.get()}),
        Packet::Subscribe(s) => json!({
            "type": "SUBSCRIBE", "packet_id": s.pid.get(),
            "subscriptions": s.topics.iter()
                .map(|t| json!({"filter": t.topic_path.as_str(), "qos": t.qos as u8}))
                .collect::<Vec<_>>(),
        }),
        Packet::Suback(s) => json!({
            "type": "SUBACK", "packet_id": s.pid.get(),
            "return_codes": s.return_codes.iter().map(|c| match c {
                SubscribeReturnCodes::Success(q) => *q as u8,
                SubscribeReturnCodes::Failure => 0x80,
            }).collect::<Vec<_>>(),
        }),
        Packet::Unsubscribe(u) => json!({
            "type": "UNSUBSCRIBE", "packet_id": u.pid.get(),
            "filters": u.topics.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        }),
        Packet::Pingreq => json!({"type": "PINGREQ"}),
        Packet::Pingresp => json!({"type": "PINGRESP"}),
        Packet::Disconnect => json!({"type": "DISCONNECT"}),
    }
}

impl Peer for Mqttrs {
    const VERSION: &'static str = "0.4.1";

    fn decode(bytes: &[u8]) -> Answer {
        match mqttrs::decode_slice(bytes) {
            Ok(Some(packet)) => {
                let mut copy = vec![0; bytes.len()];
                match mqttrs::clone_packet(bytes, &mut copy) {
                    Ok(consumed) => Answer::Valid {
                        consumed,
                        packet: model(&packet),
                    },
                    Err(e) => Answer::Invalid {
                        kind: "unknown",
                        message: format!("clone_packet: {e:?}"),
                    },
                }
            }
            Ok(None) => Answer::Incomplete,
            Err(e) => Answer::Invalid {
                kind: match e {
                    Error::InvalidPid => "zero-packet-id",
                    Error::InvalidConnectReturnCode(_) => "invalid-connect-return-code",
                    Error::InvalidString(_) => "invalid-utf8",
                    _ => "unknown",
                },
                message: format!("{e:?}"),
            },
        }
    }

    fn encode(_model: &Value) -> Result<Vec<u8>, String> {
        Err("this adapter does not encode".into())
    }
}

fn main() {
    serve::<Mqttrs>();
}
