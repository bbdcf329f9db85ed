//! Adapter for `mqttrs` 0.4: `decode_slice` on the whole buffer; `Ok(None)` is `incomplete`;
//! `consumed` is the frame length `clone_packet` reports for the same bytes. Errors map to the
//! suite's kinds where the variant means exactly one: `InvalidPid` (`zero-packet-id`),
//! `InvalidConnectReturnCode`, `InvalidString` (`invalid-utf8`); the rest are `unknown`.
//!
//! Encoding builds the crate's packet from the model and calls `encode_slice`.
//!
//! What it cannot express: a CONNECT's protocol is `MQTT` 4 or `MQIsdp` 3 (reported as such).

use mqtt_wire_peer_adapters::{
    array, boolean, byte, bytes, nullable, serve, string, to_hex, word, Answer, Peer,
};
use mqttrs::{
    ConnectReturnCode, Error, LastWill, Packet, Pid, QoS, QosPid, Suback, Subscribe,
    SubscribeReturnCodes, SubscribeTopic, Unsubscribe,
};
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

    fn encode(model: &Value) -> Result<Vec<u8>, String> {
        // Owned copies the packet borrows from.
        let payload = match model.get("payload") {
            Some(_) => bytes(model, "payload")?,
            None => Vec::new(),
        };
        let will = match model.get("will") {
            Some(w) if !w.is_null() => Some((string(w, "topic")?, bytes(w, "message")?, w)),
            _ => None,
        };
        let password = match nullable(model, "password") {
            Ok(Some(_)) => Some(bytes(model, "password")?),
            _ => None,
        };
        let packet = match string(model, "type")? {
            "CONNECT" => Packet::Connect(mqttrs::Connect {
                protocol: mqttrs::Protocol::MQTT311,
                keep_alive: word(model, "keep_alive")?,
                client_id: string(model, "client_id")?,
                clean_session: boolean(model, "clean_session")?,
                last_will: match &will {
                    Some((topic, message, w)) => Some(LastWill {
                        topic,
                        message,
                        qos: qos(byte(w, "qos")?)?,
                        retain: boolean(w, "retain")?,
                    }),
                    None => None,
                },
                username: nullable(model, "username")?.and_then(Value::as_str),
                password: password.as_deref(),
            }),
            "CONNACK" => Packet::Connack(mqttrs::Connack {
                session_present: boolean(model, "session_present")?,
                code: match byte(model, "return_code")? {
                    0 => ConnectReturnCode::Accepted,
                    1 => ConnectReturnCode::RefusedProtocolVersion,
                    2 => ConnectReturnCode::RefusedIdentifierRejected,
                    3 => ConnectReturnCode::ServerUnavailable,
                    4 => ConnectReturnCode::BadUsernamePassword,
                    5 => ConnectReturnCode::NotAuthorized,
                    n => return Err(format!("return code {n}")),
                },
            }),
            "PUBLISH" => Packet::Publish(mqttrs::Publish {
                dup: boolean(model, "dup")?,
                qospid: match (byte(model, "qos")?, nullable(model, "packet_id")?) {
                    (0, None) => QosPid::AtMostOnce,
                    (1, Some(_)) => QosPid::AtLeastOnce(pid(model)?),
                    (2, Some(_)) => QosPid::ExactlyOnce(pid(model)?),
                    _ => return Err("QoS and packet id do not agree".into()),
                },
                retain: boolean(model, "retain")?,
                topic_name: string(model, "topic")?,
                payload: &payload,
            }),
            "PUBACK" => Packet::Puback(pid(model)?),
            "PUBREC" => Packet::Pubrec(pid(model)?),
            "PUBREL" => Packet::Pubrel(pid(model)?),
            "PUBCOMP" => Packet::Pubcomp(pid(model)?),
            "UNSUBACK" => Packet::Unsuback(pid(model)?),
            "SUBSCRIBE" => {
                let topics = array(model, "subscriptions")?
                    .iter()
                    .map(|s| {
                        Ok(SubscribeTopic {
                            topic_path: string(s, "filter")?.to_owned(),
                            qos: qos(byte(s, "qos")?)?,
                        })
                    })
                    .collect::<Result<_, String>>()?;
                Packet::Subscribe(Subscribe::new(pid(model)?, topics))
            }
            "SUBACK" => {
                let codes = array(model, "return_codes")?
                    .iter()
                    .map(|c| match c.as_u64() {
                        Some(0x80) => Ok(SubscribeReturnCodes::Failure),
                        Some(n) => Ok(SubscribeReturnCodes::Success(qos(n as u8)?)),
                        None => Err("a return code is not a number".to_owned()),
                    })
                    .collect::<Result<_, String>>()?;
                Packet::Suback(Suback::new(pid(model)?, codes))
            }
            "UNSUBSCRIBE" => {
                let filters = array(model, "filters")?
                    .iter()
                    .map(|f| {
                        f.as_str()
                            .map(str::to_owned)
                            .ok_or("a filter is not a string")
                    })
                    .collect::<Result<_, _>>()?;
                Packet::Unsubscribe(Unsubscribe::new(pid(model)?, filters))
            }
            "PINGREQ" => Packet::Pingreq,
            "PINGRESP" => Packet::Pingresp,
            "DISCONNECT" => Packet::Disconnect,
            other => return Err(format!("unknown type {other}")),
        };
        // The model holds every byte as two hex digits, or more: room enough.
        let mut out = vec![0; model.to_string().len() + 16];
        let used = mqttrs::encode_slice(&packet, &mut out).map_err(|e| format!("{e:?}"))?;
        out.truncate(used);
        Ok(out)
    }
}

fn pid(model: &Value) -> Result<Pid, String> {
    Pid::try_from(word(model, "packet_id")?).map_err(|e| format!("{e:?}"))
}

fn qos(n: u8) -> Result<QoS, String> {
    match n {
        0 => Ok(QoS::AtMostOnce),
        1 => Ok(QoS::AtLeastOnce),
        2 => Ok(QoS::ExactlyOnce),
        n => Err(format!("QoS {n}")),
    }
}

fn main() {
    serve::<Mqttrs>();
}
