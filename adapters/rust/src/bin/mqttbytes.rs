//! Adapter for `mqttbytes` 0.6 (the MQTT 3.1.1 codec of rumqtt, module `v4`): `v4::read` on
//! a `BytesMut` holding the buffer, with no size limit beyond the protocol's;
//! `InsufficientBytes` is `incomplete`; `consumed` is how much `read` split off the buffer.
//! Errors map to the suite's kinds where the variant means exactly one (`PacketIdZero`,
//! `InvalidConnectReturnCode`, `InvalidProtocol`, `InvalidProtocolLevel`, `TopicNotUtf8`);
//! the rest are `unknown`.
//!
//! What it cannot express: the user name and password are one optional `Login` of two
//! strings, so an empty user name or password reads as an absent one, and a password that
//! is not UTF-8 cannot be held. A CONNECT of level 5 is reported as level 5. The adapter does
//! not encode.

use bytes::BytesMut;
use mqtt_wire_peer_adapters::{serve, to_hex, Answer, Peer};
use mqttbytes::v4::{self, Packet, SubscribeReasonCode};
use mqttbytes::{Error, Protocol};
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

    fn encode(_model: &Value) -> Result<Vec<u8>, String> {
        Err("this adapter does not encode".into())
    }
}

fn main() {
    serve::<Mqttbytes>();
}
