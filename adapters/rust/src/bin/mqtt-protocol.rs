//! Adapter for `mqtt-protocol` 0.12 (library name `mqtt`), through its decoder for buffers,
//! `MqttDecoder` (feature `tokio-codec`), a fresh one per request: `Ok(None)` is `incomplete`;
//! `consumed` is how much it took off the buffer. Its plain `VariablePacket::decode` over a
//! reader is meant for a blocking stream: over a buffer it reads a string cut off by the end
//! of the input as a shorter string, so a prefix would not be reported as incomplete.
//! An error that holds an `io::Error` of kind `UnexpectedEof` is `incomplete` too; other
//! errors are `unknown` with the library's message.
//!
//! What it cannot express: a password is a `String`, so one that is not UTF-8 cannot be held.
//! A CONNECT of level 3 or 5 is reported with its level. The adapter does not encode.

use bytes::BytesMut;
use mqtt::packet::suback::SubscribeReturnCode;
use mqtt::packet::MqttDecoder;
use mqtt::packet::{VariablePacket, VariablePacketError};
use mqtt_wire_peer_adapters::{serve, to_hex, Answer, Peer};
use serde_json::{json, Value};
use tokio_util::codec::Decoder;

struct MqttProtocol;

fn model(packet: &VariablePacket) -> Value {
    match packet {
        VariablePacket::ConnectPacket(c) => json!({
            "type": "CONNECT", "protocol_name": c.protocol_name(),
            "protocol_level": c.protocol_level() as u8,
            "clean_session": c.clean_session(), "keep_alive": c.keep_alive(),
            "client_id": c.client_identifier(),
            "will": c.will().map(|(topic, message)| json!({
                "topic": topic, "message": to_hex(message),
                "qos": c.will_qos(), "retain": c.will_retain(),
            })),
            "username": c.user_name(),
            "password": c.password().map(|p| to_hex(p.as_bytes())),
        }),
        VariablePacket::ConnackPacket(c) => json!({
            "type": "CONNACK", "session_present": c.connack_flags().session_present,
            "return_code": c.connect_return_code().to_u8(),
        }),
        VariablePacket::PublishPacket(p) => {
            let (qos, id) = p.qos().split();
            json!({
                "type": "PUBLISH", "dup": p.dup(), "qos": qos as u8, "retain": p.retain(),
                "topic": p.topic_name(), "packet_id": id, "payload": to_hex(p.payload()),
            })
        }
        VariablePacket::PubackPacket(p) => {
            json!({"type": "PUBACK", "packet_id": p.packet_identifier()})
        }
        VariablePacket::PubrecPacket(p) => {
            json!({"type": "PUBREC", "packet_id": p.packet_identifier()})
        }
        VariablePacket::PubrelPacket(p) => {
            json!({"type": "PUBREL", "packet_id": p.packet_identifier()})
        }
        VariablePacket::PubcompPacket(p) => {
            json!({"type": "PUBCOMP", "packet_id": p.packet_identifier()})
        }
        VariablePacket::UnsubackPacket(p) => {
            json!({"type": "UNSUBACK", "packet_id": p.packet_identifier()})
        }
        VariablePacket::SubscribePacket(s) => json!({
            "type": "SUBSCRIBE", "packet_id": s.packet_identifier(),
            "subscriptions": s.subscribes().iter()
                .map(|(filter, qos)| json!({"filter": &***filter, "qos": *qos as u8}))
                .collect::<Vec<_>>(),
        }),
        VariablePacket::SubackPacket(s) => json!({
            "type": "SUBACK", "packet_id": s.packet_identifier(),
            "return_codes": s.subscribes().iter().map(|c: &SubscribeReturnCode| *c as u8).collect::<Vec<_>>(),
        }),
        VariablePacket::UnsubscribePacket(u) => json!({
            "type": "UNSUBSCRIBE", "packet_id": u.packet_identifier(),
            "filters": u.subscribes().iter().map(|f| &***f).collect::<Vec<&str>>(),
        }),
        VariablePacket::PingreqPacket(_) => json!({"type": "PINGREQ"}),
        VariablePacket::PingrespPacket(_) => json!({"type": "PINGRESP"}),
        VariablePacket::DisconnectPacket(_) => json!({"type": "DISCONNECT"}),
    }
}

/// Whether the input ran out: an `io::Error` of kind `UnexpectedEof` anywhere in the error.
/// The library's error enums forward `source()` past their own io variants (`thiserror`'s
/// `transparent`), so the nested ones are found in the `Debug` form.
fn ran_out(error: &VariablePacketError) -> bool {
    if let VariablePacketError::IoError(io) = error {
        return io.kind() == std::io::ErrorKind::UnexpectedEof;
    }
    if format!("{error:?}").contains("UnexpectedEof") {
        return true;
    }
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::UnexpectedEof {
                return true;
            }
        }
        current = e.source();
    }
    false
}

impl Peer for MqttProtocol {
    const VERSION: &'static str = "0.12.0";

    fn decode(bytes: &[u8]) -> Answer {
        let mut buffer = BytesMut::from(bytes);
        match MqttDecoder::new().decode(&mut buffer) {
            Ok(Some(packet)) => Answer::Valid {
                consumed: bytes.len() - buffer.len(),
                packet: model(&packet),
            },
            Ok(None) => Answer::Incomplete,
            Err(e) if ran_out(&e) => Answer::Incomplete,
            Err(e) => Answer::Invalid {
                kind: "unknown",
                message: e.to_string(),
            },
        }
    }

    fn encode(_model: &Value) -> Result<Vec<u8>, String> {
        Err("this adapter does not encode".into())
    }
}

fn main() {
    serve::<MqttProtocol>();
}
