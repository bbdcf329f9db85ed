//! Adapter for `mqtt-proto` 0.4.0 (the codec of the rmqtt-free "mqtt-proto" crate, module
//! `v5`), MQTT 5.0 only: `v5::Packet::decode` on the buffer; `Ok(None)` (the reader ran out)
//! is `incomplete`; `consumed` is the frame, from `v5::Header::decode` (the type byte, the
//! Remaining Length's bytes, then Remaining Length bytes: the crate reads its body from
//! exactly that). Errors map to the
//! suite's kinds only where the variant means exactly one (`ZeroPid`: `zero-packet-id`); the
//! rest are `unknown`, with the crate's message.
//!
//! What it cannot express:
//! - properties are a struct of optional fields per packet, so the model lists them in a fixed
//!   order (ascending identifier, User Properties last in wire order): a vector whose
//!   properties come in another order fails on the model, and a duplicate keeps one value;
//! - a PUBLISH holds one Subscription Identifier (the crate's own FIXME), so a second one is
//!   lost;
//! - the short forms of the acknowledgements, DISCONNECT and AUTH are told apart by the
//!   Remaining Length of the frame (`v5::short_form`).
//!
//! Encoding is not offered (`unsupported`).

use mqtt_proto::v5::{Header, Packet, UserProperty};
use mqtt_proto::{QoS, QosPid};
use mqtt_wire_peer_adapters::v5::{ack, reason, reason_props, with_reason, Props};
use mqtt_wire_peer_adapters::{serve, to_hex, Answer, Peer};
use serde_json::{json, Value};

struct MqttProto;

fn users(list: &[UserProperty]) -> impl Iterator<Item = (&str, &str)> {
    list.iter().map(|p| (&*p.name, &*p.value))
}

fn qos(q: QoS) -> u8 {
    q as u8
}

fn model(packet: &Packet, rl: usize) -> Value {
    // PUBACK, PUBREC, PUBREL and PUBCOMP: four types with the same fields.
    macro_rules! pub_ack {
        ($packet:literal, $a:expr) => {{
            let p = &$a.properties;
            let props = reason_props(p.reason_string.as_deref(), users(&p.user_properties));
            ack($packet, $a.pid.value(), $a.reason_code as u8, props, rl)
        }};
    }
    match packet {
        Packet::Connect(c) => {
            let p = &c.properties;
            json!({
                "type": "CONNECT", "protocol_name": "MQTT", "protocol_level": c.protocol as u8,
                "clean_start": c.clean_start, "keep_alive": c.keep_alive,
                "properties": Props::new()
                    .num(17, p.session_expiry_interval)
                    .text(21, p.auth_method.as_deref())
                    .binary(22, p.auth_data.as_deref())
                    .flag(23, p.request_problem_info)
                    .flag(25, p.request_response_info)
                    .num(33, p.receive_max)
                    .num(34, p.topic_alias_max)
                    .num(39, p.max_packet_size)
                    .users(users(&p.user_properties))
                    .done(),
                "client_id": c.client_id.to_string(),
                "will": c.last_will.as_ref().map(|w| {
                    let q = &w.properties;
                    json!({
                        "properties": Props::new()
                            .flag(1, q.payload_is_utf8)
                            .num(2, q.message_expiry_interval)
                            .text(3, q.content_type.as_deref())
                            .text(8, q.response_topic.as_deref())
                            .binary(9, q.correlation_data.as_deref())
                            .num(24, q.delay_interval)
                            .users(users(&q.user_properties))
                            .done(),
                        "topic": &*w.topic_name, "message": to_hex(&w.payload),
                        "qos": qos(w.qos), "retain": w.retain,
                    })
                }),
                "username": c.username.as_ref().map(|u| u.to_string()),
                "password": c.password.as_deref().map(to_hex),
            })
        }
        Packet::Connack(c) => {
            let p = &c.properties;
            json!({
                "type": "CONNACK", "session_present": c.session_present,
                "reason_code": reason("CONNACK", c.reason_code as u8),
                "properties": Props::new()
                    .num(17, p.session_expiry_interval)
                    .text(18, p.assigned_client_id.as_deref())
                    .num(19, p.server_keep_alive)
                    .text(21, p.auth_method.as_deref())
                    .binary(22, p.auth_data.as_deref())
                    .text(26, p.response_info.as_deref())
                    .text(28, p.server_reference.as_deref())
                    .text(31, p.reason_string.as_deref())
                    .num(33, p.receive_max)
                    .num(34, p.topic_alias_max)
                    .num(36, p.max_qos.map(qos))
                    .flag(37, p.retain_available)
                    .num(39, p.max_packet_size)
                    .flag(40, p.wildcard_subscription_available)
                    .flag(41, p.subscription_id_available)
                    .flag(42, p.shared_subscription_available)
                    .users(users(&p.user_properties))
                    .done(),
            })
        }
        Packet::Publish(p) => {
            let (q, pid) = match p.qos_pid {
                QosPid::Level0 => (0, None),
                QosPid::Level1(pid) => (1, Some(pid.value())),
                QosPid::Level2(pid) => (2, Some(pid.value())),
            };
            let r = &p.properties;
            json!({
                "type": "PUBLISH", "dup": p.dup, "qos": q, "retain": p.retain,
                "topic": &*p.topic_name, "packet_id": pid,
                "properties": Props::new()
                    .flag(1, r.payload_is_utf8)
                    .num(2, r.message_expiry_interval)
                    .text(3, r.content_type.as_deref())
                    .text(8, r.response_topic.as_deref())
                    .binary(9, r.correlation_data.as_deref())
                    .num(11, r.subscription_id.map(|id| id.value()))
                    .num(35, r.topic_alias)
                    .users(users(&r.user_properties))
                    .done(),
                "payload": to_hex(&p.payload),
            })
        }
        Packet::Puback(a) => pub_ack!("PUBACK", a),
        Packet::Pubrec(a) => pub_ack!("PUBREC", a),
        Packet::Pubrel(a) => pub_ack!("PUBREL", a),
        Packet::Pubcomp(a) => pub_ack!("PUBCOMP", a),
        Packet::Subscribe(s) => json!({
            "type": "SUBSCRIBE", "packet_id": s.pid.value(),
            "properties": Props::new()
                .num(11, s.properties.subscription_id.map(|id| id.value()))
                .users(users(&s.properties.user_properties))
                .done(),
            "subscriptions": s.topics.iter().map(|(filter, o)| json!({
                "filter": &**filter, "qos": qos(o.max_qos), "no_local": o.no_local,
                "retain_as_published": o.retain_as_published,
                "retain_handling": o.retain_handling as u8,
            })).collect::<Vec<_>>(),
        }),
        Packet::Suback(s) => json!({
            "type": "SUBACK", "packet_id": s.pid.value(),
            "properties": reason_props(s.properties.reason_string.as_deref(), users(&s.properties.user_properties)),
            "reason_codes": s.topics.iter().map(|c| reason("SUBACK", *c as u8)).collect::<Vec<_>>(),
        }),
        Packet::Unsubscribe(u) => json!({
            "type": "UNSUBSCRIBE", "packet_id": u.pid.value(),
            "properties": Props::new().users(users(&u.properties.user_properties)).done(),
            "filters": u.topics.iter().map(|f| &**f).collect::<Vec<_>>(),
        }),
        Packet::Unsuback(u) => json!({
            "type": "UNSUBACK", "packet_id": u.pid.value(),
            "properties": reason_props(u.properties.reason_string.as_deref(), users(&u.properties.user_properties)),
            "reason_codes": u.topics.iter().map(|c| reason("UNSUBACK", *c as u8)).collect::<Vec<_>>(),
        }),
        Packet::Pingreq => json!({"type": "PINGREQ"}),
        Packet::Pingresp => json!({"type": "PINGRESP"}),
        Packet::Disconnect(d) => {
            let p = &d.properties;
            let props = Props::new()
                .num(17, p.session_expiry_interval)
                .text(28, p.server_reference.as_deref())
                .text(31, p.reason_string.as_deref())
                .users(users(&p.user_properties))
                .done();
            with_reason("DISCONNECT", d.reason_code as u8, props, rl)
        }
        Packet::Auth(a) => {
            let p = &a.properties;
            let props = Props::new()
                .text(21, p.auth_method.as_deref())
                .binary(22, p.auth_data.as_deref())
                .text(31, p.reason_string.as_deref())
                .users(users(&p.user_properties))
                .done();
            with_reason("AUTH", a.reason_code as u8, props, rl)
        }
    }
}

impl Peer for MqttProto {
    const VERSION: &'static str = "0.4.0";
    const PROTOCOL: &'static str = "5.0";

    fn decode(bytes: &[u8]) -> Answer {
        match Packet::decode(bytes) {
            Ok(Some(packet)) => match Header::decode(bytes) {
                Ok(header) => {
                    // `total_len` is the Remaining Length's own size, in bytes.
                    let rl = header.remaining_len as usize;
                    Answer::Valid {
                        consumed: 1 + header.total_len as usize + rl,
                        packet: model(&packet, rl),
                    }
                }
                Err(e) => Answer::Invalid {
                    kind: "unknown",
                    message: format!("the header of a decoded packet: {e}"),
                },
            },
            Ok(None) => Answer::Incomplete,
            Err(e) => Answer::Invalid {
                kind: match &e {
                    mqtt_proto::v5::ErrorV5::Common(mqtt_proto::Error::ZeroPid) => "zero-packet-id",
                    _ => "unknown",
                },
                message: e.to_string(),
            },
        }
    }
}

fn main() {
    serve::<MqttProto>();
}
