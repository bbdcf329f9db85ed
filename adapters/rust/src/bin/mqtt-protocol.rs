//! Adapter for `mqtt-protocol` 0.12 (library name `mqtt`), through its decoder for buffers,
//! `MqttDecoder` (feature `tokio-codec`), a fresh one per request: `Ok(None)` is `incomplete`;
//! `consumed` is how much it took off the buffer. Its plain `VariablePacket::decode` over a
//! reader is meant for a blocking stream: over a buffer it reads a string cut off by the end
//! of the input as a shorter string, so a prefix would not be reported as incomplete.
//! An error that holds an `io::Error` of kind `UnexpectedEof` is `incomplete` too; other
//! errors are `unknown` with the library's message.
//!
//! Encoding builds the crate's packet from the model and calls `Encodable::encode`.
//!
//! What it cannot express: a password is a `String`, so one that is not UTF-8 cannot be held.
//! A CONNECT of level 3 or 5 is reported with its level.

use bytes::BytesMut;
use mqtt::control::variable_header::ConnectReturnCode;
use mqtt::packet::suback::SubscribeReturnCode;
use mqtt::packet::MqttDecoder;
use mqtt::packet::{
    ConnackPacket, ConnectPacket, DisconnectPacket, PingreqPacket, PingrespPacket, PubackPacket,
    PubcompPacket, PublishPacket, PubrecPacket, PubrelPacket, QoSWithPacketIdentifier,
    SubackPacket, SubscribePacket, UnsubackPacket, UnsubscribePacket,
};
use mqtt::packet::{VariablePacket, VariablePacketError};
use mqtt::{Encodable, QualityOfService, TopicFilter, TopicName};
use mqtt_wire_peer_adapters::{
    array, boolean, byte, bytes, nullable, serve, string, to_hex, word, Answer, Peer,
};
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

    fn encode(model: &Value) -> Result<Vec<u8>, String> {
        let id = || word(model, "packet_id");
        let mut out = Vec::new();
        let written = match string(model, "type")? {
            "CONNECT" => {
                let mut c = ConnectPacket::new(string(model, "client_id")?);
                c.set_keep_alive(word(model, "keep_alive")?);
                c.set_clean_session(boolean(model, "clean_session")?);
                if let Some(w) = nullable(model, "will")? {
                    c.set_will(Some((topic(string(w, "topic")?)?, bytes(w, "message")?)));
                    c.set_will_qos(byte(w, "qos")?);
                    c.set_will_retain(boolean(w, "retain")?);
                }
                c.set_user_name(
                    nullable(model, "username")?
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                );
                if nullable(model, "password")?.is_some() {
                    let password = String::from_utf8(bytes(model, "password")?)
                        .map_err(|_| "a password that is not UTF-8")?;
                    c.set_password(Some(password));
                }
                c.encode(&mut out)
            }
            "CONNACK" => ConnackPacket::new(
                boolean(model, "session_present")?,
                ConnectReturnCode::from_u8(byte(model, "return_code")?),
            )
            .encode(&mut out),
            "PUBLISH" => {
                let level = qos(byte(model, "qos")?)?;
                let delivery = match nullable(model, "packet_id")? {
                    Some(_) => QoSWithPacketIdentifier::new(level, id()?),
                    None => QoSWithPacketIdentifier::Level0,
                };
                let mut p = PublishPacket::new(
                    topic(string(model, "topic")?)?,
                    delivery,
                    bytes(model, "payload")?,
                );
                p.set_dup(boolean(model, "dup")?);
                p.set_retain(boolean(model, "retain")?);
                p.encode(&mut out)
            }
            "PUBACK" => PubackPacket::new(id()?).encode(&mut out),
            "PUBREC" => PubrecPacket::new(id()?).encode(&mut out),
            "PUBREL" => PubrelPacket::new(id()?).encode(&mut out),
            "PUBCOMP" => PubcompPacket::new(id()?).encode(&mut out),
            "UNSUBACK" => UnsubackPacket::new(id()?).encode(&mut out),
            "SUBSCRIBE" => {
                let subscriptions = array(model, "subscriptions")?
                    .iter()
                    .map(|s| Ok((filter(string(s, "filter")?)?, qos(byte(s, "qos")?)?)))
                    .collect::<Result<_, String>>()?;
                SubscribePacket::new(id()?, subscriptions).encode(&mut out)
            }
            "SUBACK" => {
                let codes = array(model, "return_codes")?
                    .iter()
                    .map(|c| match c.as_u64() {
                        Some(0) => Ok(SubscribeReturnCode::MaximumQoSLevel0),
                        Some(1) => Ok(SubscribeReturnCode::MaximumQoSLevel1),
                        Some(2) => Ok(SubscribeReturnCode::MaximumQoSLevel2),
                        Some(0x80) => Ok(SubscribeReturnCode::Failure),
                        _ => Err(format!("return code {c}")),
                    })
                    .collect::<Result<_, String>>()?;
                SubackPacket::new(id()?, codes).encode(&mut out)
            }
            "UNSUBSCRIBE" => {
                let filters = array(model, "filters")?
                    .iter()
                    .map(|f| filter(f.as_str().ok_or("a filter is not a string")?))
                    .collect::<Result<_, String>>()?;
                UnsubscribePacket::new(id()?, filters).encode(&mut out)
            }
            "PINGREQ" => PingreqPacket::new().encode(&mut out),
            "PINGRESP" => PingrespPacket::new().encode(&mut out),
            "DISCONNECT" => DisconnectPacket::new().encode(&mut out),
            other => return Err(format!("unknown type {other}")),
        };
        written.map_err(|e| e.to_string())?;
        Ok(out)
    }
}

fn qos(n: u8) -> Result<QualityOfService, String> {
    match n {
        0 => Ok(QualityOfService::Level0),
        1 => Ok(QualityOfService::Level1),
        2 => Ok(QualityOfService::Level2),
        n => Err(format!("QoS {n}")),
    }
}

fn topic(name: &str) -> Result<TopicName, String> {
    TopicName::new(name).map_err(|e| e.to_string())
}

fn filter(text: &str) -> Result<TopicFilter, String> {
    TopicFilter::new(text).map_err(|e| e.to_string())
}

fn main() {
    serve::<MqttProtocol>();
}
