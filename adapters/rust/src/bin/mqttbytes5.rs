//! Adapter for the MQTT 5.0 codec of `mqttbytes` 0.6.0 (module `v5`, feature `v5`: rumqtt's
//! first 5.0 codec, which rumqttc's `v5::mqttbytes` later forked), MQTT 5.0 only: `v5::read` on
//! a `BytesMut` holding the buffer, with no size limit beyond the protocol's; `InsufficientBytes` is `incomplete`; `consumed` is how much
//! `read` split off the buffer. Errors map to the suite's kinds only where the variant means
//! exactly one (`PacketIdZero`: `zero-packet-id`, `InvalidProtocol`: `invalid-protocol-name`,
//! `TopicNotUtf8`: `invalid-utf8`); the rest, `MalformedPacket` and `InvalidReason` among them,
//! are `unknown`.
//!
//! What it cannot express:
//! - properties are a struct of optional fields per packet, so the model lists them in a fixed
//!   order (ascending identifier, User Properties last in wire order): a vector whose
//!   properties come in another order fails on the model, and a duplicate keeps one value;
//! - the user name and password are one optional `Login` of two strings: an empty user name
//!   or password reads as an absent one, and a password that is not UTF-8 cannot be held;
//! - the reason codes are enums without their numbers; the adapter gets each number back by
//!   having the crate write a packet with that reason and reading the byte it wrote;
//! - the short forms of the acknowledgements and DISCONNECT are told apart by the Remaining
//!   Length of the bytes used (`v5::short_form`);
//! - it has no AUTH packet: an AUTH is whatever `read` makes of packet type 15.
//!
//! Encoding is not offered (`unsupported`).

use bytes::BytesMut;
use mqtt_wire_peer_adapters::v5::{reason, remaining_length, short_form, Props};
use mqtt_wire_peer_adapters::{serve, to_hex, Answer, Peer};
use mqttbytes::v5::{
    self, ConnAck, Disconnect, Packet, PubAck, PubComp, PubRec, PubRel, SubAck, UnsubAck,
};
use mqttbytes::{Error, Protocol};
use serde_json::{json, Value};

struct Mqttbytes5;

/// The byte at `at` of what `write` puts in a buffer (0 where the crate writes the short
/// form, which means Success).
fn written(write: impl FnOnce(&mut BytesMut), at: usize) -> u8 {
    let mut out = BytesMut::new();
    write(&mut out);
    out.get(at).copied().unwrap_or(0)
}

fn users(pairs: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// Reason String and User Properties, the properties of most acknowledgements.
fn reason_props(reason_string: Option<&str>, user: &[(String, String)]) -> Value {
    Props::new()
        .text(31, reason_string)
        .users(users(user))
        .done()
}

fn model(packet: &Packet, rl: usize) -> Value {
    match packet {
        Packet::Connect(c) => {
            let (will, login) = (&c.last_will, &c.login);
            let p = c.properties.as_ref();
            let props = match p {
                None => json!([]),
                Some(p) => Props::new()
                    .num(17, p.session_expiry_interval)
                    .text(21, p.authentication_method.as_deref())
                    .binary(22, p.authentication_data.as_deref())
                    .num(23, p.request_problem_info)
                    .num(25, p.request_response_info)
                    .num(33, p.receive_maximum)
                    .num(34, p.topic_alias_max)
                    .num(39, p.max_packet_size)
                    .users(users(&p.user_properties))
                    .done(),
            };
            json!({
                "type": "CONNECT", "protocol_name": "MQTT",
                "protocol_level": match c.protocol { Protocol::V4 => 4, Protocol::V5 => 5 },
                "clean_start": c.clean_session, "keep_alive": c.keep_alive,
                "properties": props, "client_id": c.client_id,
                "will": will.as_ref().map(|w| json!({
                    "properties": w.properties.as_ref().map_or(json!([]), |p| Props::new()
                        .num(1, p.payload_format_indicator)
                        .num(2, p.message_expiry_interval)
                        .text(3, p.content_type.as_deref())
                        .text(8, p.response_topic.as_deref())
                        .binary(9, p.correlation_data.as_deref())
                        .num(24, p.delay_interval)
                        .users(users(&p.user_properties))
                        .done()),
                    "topic": w.topic, "message": to_hex(&w.message),
                    "qos": w.qos as u8, "retain": w.retain,
                })),
                "username": login.as_ref().map(|l| l.username.as_str()).filter(|u| !u.is_empty()),
                "password": login.as_ref().map(|l| l.password.as_str()).filter(|p| !p.is_empty())
                    .map(|p| to_hex(p.as_bytes())),
            })
        }
        Packet::ConnAck(c) => {
            let code = written(
                |b| {
                    let _ = ConnAck {
                        session_present: false,
                        code: c.code,
                        properties: None,
                    }
                    .write(b);
                },
                3,
            );
            let props = c.properties.as_ref().map_or(json!([]), |p| {
                Props::new()
                    .num(17, p.session_expiry_interval)
                    .text(18, p.assigned_client_identifier.as_deref())
                    .num(19, p.server_keep_alive)
                    .text(21, p.authentication_method.as_deref())
                    .binary(22, p.authentication_data.as_deref())
                    .text(26, p.response_information.as_deref())
                    .text(28, p.server_reference.as_deref())
                    .text(31, p.reason_string.as_deref())
                    .num(33, p.receive_max)
                    .num(34, p.topic_alias_max)
                    .num(36, p.max_qos)
                    .num(37, p.retain_available)
                    .num(39, p.max_packet_size)
                    .num(40, p.wildcard_subscription_available)
                    .num(41, p.subscription_identifiers_available)
                    .num(42, p.shared_subscription_available)
                    .users(users(&p.user_properties))
                    .done()
            });
            json!({
                "type": "CONNACK", "session_present": c.session_present,
                "reason_code": reason("CONNACK", code), "properties": props,
            })
        }
        Packet::Publish(p) => {
            let props = p.properties.as_ref().map_or(json!([]), |q| {
                let mut list = Props::new();
                list.num(1, q.payload_format_indicator)
                    .num(2, q.message_expiry_interval)
                    .text(3, q.content_type.as_deref())
                    .text(8, q.response_topic.as_deref())
                    .binary(9, q.correlation_data.as_deref());
                for id in &q.subscription_identifiers {
                    list.num(11, Some(*id as u64));
                }
                list.num(35, q.topic_alias)
                    .users(users(&q.user_properties))
                    .done()
            });
            json!({
                "type": "PUBLISH", "dup": p.dup, "qos": p.qos as u8, "retain": p.retain,
                "topic": p.topic,
                "packet_id": (p.qos as u8 > 0).then_some(p.pkid),
                "properties": props, "payload": to_hex(&p.payload),
            })
        }
        Packet::PubAck(a) => {
            let code = written(
                |b| {
                    let _ = PubAck {
                        pkid: 1,
                        reason: a.reason,
                        properties: None,
                    }
                    .write(b);
                },
                4,
            );
            let props = a.properties.as_ref().map_or(json!([]), |p| {
                reason_props(p.reason_string.as_deref(), &p.user_properties)
            });
            ack("PUBACK", a.pkid, code, props, rl)
        }
        Packet::PubRec(a) => {
            let code = written(
                |b| {
                    let _ = PubRec {
                        pkid: 1,
                        reason: a.reason,
                        properties: None,
                    }
                    .write(b);
                },
                4,
            );
            let props = a.properties.as_ref().map_or(json!([]), |p| {
                reason_props(p.reason_string.as_deref(), &p.user_properties)
            });
            ack("PUBREC", a.pkid, code, props, rl)
        }
        Packet::PubRel(a) => {
            let code = written(
                |b| {
                    let _ = PubRel {
                        pkid: 1,
                        reason: a.reason,
                        properties: None,
                    }
                    .write(b);
                },
                4,
            );
            let props = a.properties.as_ref().map_or(json!([]), |p| {
                reason_props(p.reason_string.as_deref(), &p.user_properties)
            });
            ack("PUBREL", a.pkid, code, props, rl)
        }
        Packet::PubComp(a) => {
            let code = written(
                |b| {
                    let _ = PubComp {
                        pkid: 1,
                        reason: a.reason,
                        properties: None,
                    }
                    .write(b);
                },
                4,
            );
            let props = a.properties.as_ref().map_or(json!([]), |p| {
                reason_props(p.reason_string.as_deref(), &p.user_properties)
            });
            ack("PUBCOMP", a.pkid, code, props, rl)
        }
        Packet::Subscribe(s) => {
            let props = s.properties.as_ref().map_or(json!([]), |p| {
                Props::new()
                    .num(11, p.id.map(|id| id as u64))
                    .users(users(&p.user_properties))
                    .done()
            });
            json!({
                "type": "SUBSCRIBE", "packet_id": s.pkid, "properties": props,
                "subscriptions": s.filters.iter().map(|f| json!({
                    "filter": f.path, "qos": f.qos as u8, "no_local": f.nolocal,
                    "retain_as_published": f.preserve_retain,
                    "retain_handling": f.retain_forward_rule.clone() as u8,
                })).collect::<Vec<_>>(),
            })
        }
        Packet::SubAck(s) => {
            let codes: Vec<Value> = s
                .return_codes
                .iter()
                .map(|c| {
                    let code = written(
                        |b| {
                            let _ = SubAck {
                                pkid: 1,
                                return_codes: vec![*c],
                                properties: None,
                            }
                            .write(b);
                        },
                        5,
                    );
                    reason("SUBACK", code)
                })
                .collect();
            let props = s.properties.as_ref().map_or(json!([]), |p| {
                reason_props(p.reason_string.as_deref(), &p.user_properties)
            });
            json!({"type": "SUBACK", "packet_id": s.pkid, "properties": props, "reason_codes": codes})
        }
        Packet::Unsubscribe(u) => {
            let props = u.properties.as_ref().map_or(json!([]), |p| {
                Props::new().users(users(&p.user_properties)).done()
            });
            json!({"type": "UNSUBSCRIBE", "packet_id": u.pkid, "properties": props, "filters": u.filters})
        }
        Packet::UnsubAck(u) => {
            let codes: Vec<Value> = u
                .reasons
                .iter()
                .map(|r| {
                    let code = written(
                        |b| {
                            let _ = UnsubAck {
                                pkid: 1,
                                reasons: vec![*r],
                                properties: None,
                            }
                            .write(b);
                        },
                        5,
                    );
                    reason("UNSUBACK", code)
                })
                .collect();
            let props = u.properties.as_ref().map_or(json!([]), |p| {
                reason_props(p.reason_string.as_deref(), &p.user_properties)
            });
            json!({"type": "UNSUBACK", "packet_id": u.pkid, "properties": props, "reason_codes": codes})
        }
        Packet::PingReq => json!({"type": "PINGREQ"}),
        Packet::PingResp => json!({"type": "PINGRESP"}),
        Packet::Disconnect(d) => {
            let code = written(
                |b| {
                    let _ = Disconnect {
                        reason_code: d.reason_code,
                        properties: None,
                    }
                    .write(b);
                },
                2,
            );
            let props = d.properties.as_ref().map_or(json!([]), |p| {
                Props::new()
                    .num(17, p.session_expiry_interval)
                    .text(28, p.server_reference.as_deref())
                    .text(31, p.reason_string.as_deref())
                    .users(users(&p.user_properties))
                    .done()
            });
            let (reason_code, properties) = short_form("DISCONNECT", rl, code, props);
            json!({"type": "DISCONNECT", "reason_code": reason_code, "properties": properties})
        }
    }
}

fn ack(t: &str, pkid: u16, code: u8, props: Value, rl: usize) -> Value {
    let (reason_code, properties) = short_form(t, rl, code, props);
    json!({"type": t, "packet_id": pkid, "reason_code": reason_code, "properties": properties})
}

impl Peer for Mqttbytes5 {
    const VERSION: &'static str = "0.6.0";
    const PROTOCOL: &'static str = "5.0";

    fn decode(bytes: &[u8]) -> Answer {
        let mut stream = BytesMut::from(bytes);
        match v5::read(&mut stream, usize::MAX) {
            Ok(packet) => {
                let consumed = bytes.len() - stream.len();
                Answer::Valid {
                    consumed,
                    packet: model(&packet, remaining_length(consumed)),
                }
            }
            Err(Error::InsufficientBytes(_)) => Answer::Incomplete,
            Err(e) => Answer::Invalid {
                kind: match e {
                    Error::PacketIdZero => "zero-packet-id",
                    Error::InvalidProtocol => "invalid-protocol-name",
                    Error::TopicNotUtf8 => "invalid-utf8",
                    _ => "unknown",
                },
                message: format!("{e:?}"),
            },
        }
    }

    fn encode(_model: &Value) -> Result<Vec<u8>, String> {
        Err("the adapter does not encode".into())
    }
}

fn main() {
    serve::<Mqttbytes5>();
}
