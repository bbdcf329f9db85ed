//! Adapter for `mqttbytes` 0.6 (the MQTT 3.1.1 codec of rumqtt, module `v4`): `v4::read` on
//! a `BytesMut` holding the buffer, with no size limit beyond the protocol's;
//! `InsufficientBytes` is `incomplete`; `consumed` is how much `read` split off the buffer.
//! Errors map to the suite's kinds where the variant means exactly one (`PacketIdZero`,
//! `InvalidConnectReturnCode`, `InvalidProtocol`, `InvalidProtocolLevel`, `TopicNotUtf8`);
//! the rest are `unknown`.
//!
//! What it cannot express: the user name and password are one optional `Login` of two
//! strings, so an empty user name or password reads as an absent one, and a password that
//! is not UTF-8 cannot be held. A CONNECT of level 5 is reported as level 5. Encoding builds
//! the crate's packet from the model and calls its `write`.

use bytes::BytesMut;
use mqtt_wire_peer_adapters::{
    array, boolean, byte, bytes, nullable, serve, string, to_hex, word, Answer, Peer,
};
use mqttbytes::v4::{self, ConnectReturnCode, Packet, SubscribeFilter, SubscribeReasonCode};
use mqttbytes::{Error, Protocol, QoS};
use serde_json::{json, Value};

struct Mqttbytes;

fn pid(id: u16) -> Value {
    json!(id)
}

fn model(packet: &Packet) -> Value {
    match packet {
        Packet::Connect(c) => {
            let login = c.login.as_ref();
            json!({
                "type": "CONNECT", "protocol_name": "MQTT",
                "protocol_level": match c.protocol { Protocol::V4 => 4, Protocol::V5 => 5 },
                "clean_session": c.clean_session, "keep_alive": c.keep_alive,
                "client_id": c.client_id,
                "will": c.last_will.as_ref().map(|w| json!({
                    "topic": w.topic, "message": to_hex(&w.message),
                    "qos": w.qos as u8, "retain": w.retain,
                })),
                "username": login.map(|l| l.username.as_str()).filter(|u| !u.is_empty()),
                "password": login.map(|l| l.password.as_str()).filter(|p| !p.is_empty())
                    .map(|p| to_hex(p.as_bytes())),
            })
        }
        Packet::ConnAck(c) => json!({
            "type": "CONNACK", "session_present": c.session_present, "return_code": c.code as u8,
        }),
        Packet::Publish(p) => json!({
            "type": "PUBLISH", "dup": p.dup, "qos": p.qos as u8, "retain": p.retain,
            "topic": p.topic, "packet_id": (p.qos as u8 > 0).then_some(p.pkid),
            "payload": to_hex(&p.payload),
        }),
        Packet::PubAck(p) => json!({"type": "PUBACK", "packet_id": pid(p.pkid)}),
        Packet::PubRec(p) => json!({"type": "PUBREC", "packet_id": pid(p.pkid)}),
        Packet::PubRel(p) => json!({"type": "PUBREL", "packet_id": pid(p.pkid)}),
        Packet::PubComp(p) => json!({"type": "PUBCOMP", "packet_id": pid(p.pkid)}),
        Packet::UnsubAck(p) => json!({"type": "UNSUBACK", "packet_id": pid(p.pkid)}),
        Packet::Subscribe(s) => json!({
            "type": "SUBSCRIBE", "packet_id": pid(s.pkid),
            "subscriptions": s.filters.iter()
                .map(|f| json!({"filter": f.path, "qos": f.qos as u8}))
                .collect::<Vec<_>>(),
        }),
        Packet::SubAck(s) => json!({
            "type": "SUBACK", "packet_id": pid(s.pkid),
            "return_codes": s.return_codes.iter().map(|c| match c {
                SubscribeReasonCode::Success(q) => *q as u8,
                SubscribeReasonCode::Failure => 0x80,
            }).collect::<Vec<_>>(),
        }),
        Packet::Unsubscribe(u) => json!({
            "type": "UNSUBSCRIBE", "packet_id": pid(u.pkid), "filters": u.topics,
        }),
        Packet::PingReq => json!({"type": "PINGREQ"}),
        Packet::PingResp => json!({"type": "PINGRESP"}),
        Packet::Disconnect => json!({"type": "DISCONNECT"}),
    }
}

impl Peer for Mqttbytes {
    const VERSION: &'static str = "0.6.0";

    fn decode(bytes: &[u8]) -> Answer {
        let mut stream = BytesMut::from(bytes);
        match v4::read(&mut stream, usize::MAX) {
            Ok(packet) => Answer::Valid {
                consumed: bytes.len() - stream.len(),
                packet: model(&packet),
            },
            Err(Error::InsufficientBytes(_)) => Answer::Incomplete,
            Err(e) => Answer::Invalid {
                kind: match e {
                    Error::PacketIdZero => "zero-packet-id",
                    Error::InvalidConnectReturnCode(_) => "invalid-connect-return-code",
                    Error::InvalidProtocol => "invalid-protocol-name",
                    Error::InvalidProtocolLevel(_) => "unsupported-protocol-level",
                    Error::TopicNotUtf8 => "invalid-utf8",
                    _ => "unknown",
                },
                message: format!("{e:?}"),
            },
        }
    }

    fn encode(model: &Value) -> Result<Vec<u8>, String> {
        let mut out = BytesMut::new();
        let id = || word(model, "packet_id");
        let written = match string(model, "type")? {
            "CONNECT" => {
                let mut connect = v4::Connect::new(string(model, "client_id")?);
                connect.keep_alive = word(model, "keep_alive")?;
                connect.clean_session = boolean(model, "clean_session")?;
                if let Some(w) = nullable(model, "will")? {
                    connect.last_will = Some(v4::LastWill::new(
                        string(w, "topic")?,
                        bytes(w, "message")?,
                        qos(byte(w, "qos")?)?,
                        boolean(w, "retain")?,
                    ));
                }
                let username = nullable(model, "username")?.and_then(Value::as_str);
                let password = match nullable(model, "password")? {
                    Some(_) => Some(
                        String::from_utf8(bytes(model, "password")?)
                            .map_err(|_| "a password that is not UTF-8")?,
                    ),
                    None => None,
                };
                if username.is_some() || password.is_some() {
                    connect.set_login(username.unwrap_or(""), password.as_deref().unwrap_or(""));
                }
                connect.write(&mut out)
            }
            "CONNACK" => {
                let code = match byte(model, "return_code")? {
                    0 => ConnectReturnCode::Success,
                    1 => ConnectReturnCode::RefusedProtocolVersion,
                    2 => ConnectReturnCode::BadClientId,
                    3 => ConnectReturnCode::ServiceUnavailable,
                    4 => ConnectReturnCode::BadUserNamePassword,
                    5 => ConnectReturnCode::NotAuthorized,
                    n => return Err(format!("return code {n}")),
                };
                v4::ConnAck::new(code, boolean(model, "session_present")?).write(&mut out)
            }
            "PUBLISH" => {
                let mut publish = v4::Publish::new(
                    string(model, "topic")?,
                    qos(byte(model, "qos")?)?,
                    bytes(model, "payload")?,
                );
                publish.dup = boolean(model, "dup")?;
                publish.retain = boolean(model, "retain")?;
                if nullable(model, "packet_id")?.is_some() {
                    publish.pkid = id()?;
                }
                publish.write(&mut out)
            }
            "PUBACK" => v4::PubAck::new(id()?).write(&mut out),
            "PUBREC" => v4::PubRec::new(id()?).write(&mut out),
            "PUBREL" => v4::PubRel::new(id()?).write(&mut out),
            "PUBCOMP" => v4::PubComp::new(id()?).write(&mut out),
            "UNSUBACK" => v4::UnsubAck::new(id()?).write(&mut out),
            "SUBSCRIBE" => {
                let filters = array(model, "subscriptions")?
                    .iter()
                    .map(|s| {
                        Ok(SubscribeFilter::new(
                            string(s, "filter")?.to_owned(),
                            qos(byte(s, "qos")?)?,
                        ))
                    })
                    .collect::<Result<_, String>>()?;
                v4::Subscribe {
                    pkid: id()?,
                    filters,
                }
                .write(&mut out)
            }
            "SUBACK" => {
                let codes = array(model, "return_codes")?
                    .iter()
                    .map(|c| match c.as_u64() {
                        Some(0x80) => Ok(SubscribeReasonCode::Failure),
                        Some(n) => Ok(SubscribeReasonCode::Success(qos(n as u8)?)),
                        None => Err("a return code is not a number".to_owned()),
                    })
                    .collect::<Result<_, String>>()?;
                v4::SubAck::new(id()?, codes).write(&mut out)
            }
            "UNSUBSCRIBE" => {
                let topics = array(model, "filters")?
                    .iter()
                    .map(|f| {
                        f.as_str()
                            .map(str::to_owned)
                            .ok_or("a filter is not a string")
                    })
                    .collect::<Result<_, _>>()?;
                v4::Unsubscribe {
                    pkid: id()?,
                    topics,
                }
                .write(&mut out)
            }
            "PINGREQ" => v4::PingReq.write(&mut out),
            "PINGRESP" => v4::PingResp.write(&mut out),
            "DISCONNECT" => v4::Disconnect.write(&mut out),
            other => return Err(format!("unknown type {other}")),
        };
        written.map_err(|e| format!("{e:?}"))?;
        Ok(out.to_vec())
    }
}

fn qos(n: u8) -> Result<QoS, String> {
    mqttbytes::qos(n).map_err(|e| format!("{e:?}"))
}

fn main() {
    serve::<Mqttbytes>();
}
