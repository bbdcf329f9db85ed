//! Adapter for `mqute-codec` 0.4.2 (module `protocol::v5`), MQTT 5.0 only: the crate's
//! `PacketCodec::try_decode` frames the first packet off a `BytesMut` holding the buffer (no
//! size limit), then `v5::Packet::decode` decodes it; `NotEnoughBytes` (from either) is
//! `incomplete`; `consumed` is how much `try_decode` took off the buffer. Every other error is
//! kind `unknown`, with the crate's message (its variants name failures in its own terms).
//!
//! What it cannot express:
//! - properties are a struct of optional fields per packet, so the model lists them in a fixed
//!   order (ascending identifier, User Properties last in wire order): a vector whose
//!   properties come in another order fails on the model, and a duplicate keeps one value;
//! - the intervals (Session Expiry, Message Expiry, Will Delay) are `Duration`s, reported in
//!   whole seconds (which is what they hold);
//! - the credentials are a user name and an optional password, both text: a password without a
//!   user name, or one that is not UTF-8, cannot be held;
//! - the short forms of the acknowledgements, DISCONNECT and AUTH are told apart by the
//!   Remaining Length of the bytes used (`v5::short_form`).
//!
//! Encoding is not offered (`unsupported`).

use std::time::Duration;

use bytes::BytesMut;
use mqtt_wire_peer_adapters::v5::{
    ack, reason, reason_props, remaining_length, user_pairs, with_reason, Props,
};
use mqtt_wire_peer_adapters::{serve, to_hex, Answer, Peer};
use mqute_codec::codec::PacketCodec;
use mqute_codec::protocol::v5::Packet;
use mqute_codec::Error;
use serde_json::{json, Value};

struct Mqute;

fn secs(d: Option<Duration>) -> Option<u64> {
    d.map(|d| d.as_secs())
}

fn model(packet: &Packet, rl: usize) -> Value {
    // PUBACK, PUBREC, PUBREL and PUBCOMP: four types with the same methods.
    macro_rules! pub_ack {
        ($packet:literal, $a:expr) => {{
            let props = $a.properties().map_or(json!([]), |p| {
                reason_props(p.reason_string.as_deref(), user_pairs(&p.user_properties))
            });
            ack($packet, $a.packet_id(), u8::from($a.code()), props, rl)
        }};
    }
    match packet {
        Packet::Connect(c) => {
            let props = c.properties().map_or(json!([]), |p| {
                Props::new()
                    .num(17, secs(p.session_expiry_interval))
                    .text(21, p.auth_method.as_deref())
                    .binary(22, p.auth_data.as_deref())
                    .flag(23, p.request_problem_info)
                    .flag(25, p.request_response_info)
                    .num(33, p.receive_maximum)
                    .num(34, p.topic_alias_maximum)
                    .num(39, p.maximum_packet_size)
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            let credentials = c.credentials();
            json!({
                "type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 5,
                "clean_start": c.clean_session(), "keep_alive": c.keep_alive().as_secs(),
                "properties": props, "client_id": c.client_id(),
                "will": c.will().map(|w| json!({
                    "properties": w.properties.as_ref().map_or(json!([]), |q| Props::new()
                        .num(1, q.payload_format_indicator)
                        .num(2, secs(q.message_expiry_interval))
                        .text(3, q.content_type.as_deref())
                        .text(8, q.response_topic.as_deref())
                        .binary(9, q.correlation_data.as_deref())
                        .num(24, secs(q.delay_interval))
                        .users(user_pairs(&q.user_properties))
                        .done()),
                    "topic": w.topic, "message": to_hex(&w.payload), "qos": w.qos as u8,
                    "retain": w.retain,
                })),
                "username": credentials.as_ref().map(|c| c.username()),
                "password": credentials.as_ref().and_then(|c| c.password()).map(|p| to_hex(p.as_bytes())),
            })
        }
        Packet::ConnAck(c) => {
            let props = c.properties().map_or(json!([]), |p| {
                Props::new()
                    .num(17, secs(p.session_expiry_interval))
                    .text(18, p.assigned_client_id.as_deref())
                    .num(19, p.server_keep_alive)
                    .text(21, p.auth_method.as_deref())
                    .binary(22, p.auth_data.as_deref())
                    .text(26, p.response_info.as_deref())
                    .text(28, p.server_reference.as_deref())
                    .text(31, p.reason.as_deref())
                    .num(33, p.receive_maximum)
                    .num(34, p.topic_alias_maximum)
                    .num(36, p.maximum_qos.map(|q| q as u8))
                    .flag(37, p.retain_available)
                    .num(39, p.maximum_packet_size)
                    .flag(40, p.wildcard_subscription_available)
                    .flag(41, p.subscription_id_available)
                    .flag(42, p.shared_subscription_available)
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            json!({
                "type": "CONNACK", "session_present": c.session_present(),
                "reason_code": reason("CONNACK", u8::from(c.code())), "properties": props,
            })
        }
        Packet::Publish(p) => {
            let flags = p.flags();
            let props = p.properties().map_or(json!([]), |q| {
                let mut list = Props::new();
                list.num(1, q.payload_format_indicator)
                    .num(2, secs(q.message_expiry_interval))
                    .text(3, q.content_type.as_deref())
                    .text(8, q.response_topic.as_deref())
                    .binary(9, q.correlation_data.as_deref());
                for id in &q.subscription_id {
                    list.num(11, Some(*id));
                }
                list.num(35, q.topic_alias)
                    .users(user_pairs(&q.user_properties))
                    .done()
            });
            json!({
                "type": "PUBLISH", "dup": flags.dup, "qos": flags.qos as u8,
                "retain": flags.retain, "topic": p.topic(), "packet_id": p.packet_id(),
                "properties": props, "payload": to_hex(&p.payload()),
            })
        }
        Packet::PubAck(a) => pub_ack!("PUBACK", a),
        Packet::PubRec(a) => pub_ack!("PUBREC", a),
        Packet::PubRel(a) => pub_ack!("PUBREL", a),
        Packet::PubComp(a) => pub_ack!("PUBCOMP", a),
        Packet::Subscribe(s) => {
            let props = s.properties().map_or(json!([]), |p| {
                Props::new()
                    .num(11, p.subscription_id)
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            json!({
                "type": "SUBSCRIBE", "packet_id": s.packet_id(), "properties": props,
                "subscriptions": s.filters().into_iter().map(|f| json!({
                    "filter": f.topic, "qos": f.qos as u8, "no_local": f.no_local,
                    "retain_as_published": f.retain_as_published,
                    "retain_handling": f.retain_handling as u8,
                })).collect::<Vec<_>>(),
            })
        }
        Packet::SubAck(s) => json!({
            "type": "SUBACK", "packet_id": s.packet_id(),
            "properties": s.properties().map_or(json!([]), |p| reason_props(p.reason_string.as_deref(), user_pairs(&p.user_properties))),
            "reason_codes": s.codes().into_iter().map(|c| reason("SUBACK", u8::from(c))).collect::<Vec<_>>(),
        }),
        Packet::Unsubscribe(u) => json!({
            "type": "UNSUBSCRIBE", "packet_id": u.packet_id(),
            "properties": u.properties().map_or(json!([]), |p| Props::new().users(user_pairs(&p.user_properties)).done()),
            "filters": u.filters().into_iter().collect::<Vec<_>>(),
        }),
        Packet::UnsubAck(u) => json!({
            "type": "UNSUBACK", "packet_id": u.packet_id(),
            "properties": u.properties().map_or(json!([]), |p| reason_props(p.reason_string.as_deref(), user_pairs(&p.user_properties))),
            "reason_codes": u.codes().into_iter().map(|c| reason("UNSUBACK", u8::from(c))).collect::<Vec<_>>(),
        }),
        Packet::PingReq(_) => json!({"type": "PINGREQ"}),
        Packet::PingResp(_) => json!({"type": "PINGRESP"}),
        Packet::Disconnect(d) => {
            let props = d.properties().map_or(json!([]), |p| {
                Props::new()
                    .num(17, secs(p.session_expiry_interval))
                    .text(28, p.server_reference.as_deref())
                    .text(31, p.reason_string.as_deref())
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            with_reason("DISCONNECT", u8::from(d.code()), props, rl)
        }
        Packet::Auth(a) => {
            let props = a.properties().map_or(json!([]), |p| {
                Props::new()
                    .text(21, p.auth_method.as_deref())
                    .binary(22, p.auth_data.as_deref())
                    .text(31, p.reason_string.as_deref())
                    .users(user_pairs(&p.user_properties))
                    .done()
            });
            with_reason("AUTH", u8::from(a.code()), props, rl)
        }
    }
}

impl Peer for Mqute {
    const VERSION: &'static str = "0.4.2";
    const PROTOCOL: &'static str = "5.0";

    fn decode(bytes: &[u8]) -> Answer {
        let mut buf = BytesMut::from(bytes);
        let codec = PacketCodec::new(None, None);
        let result = codec.try_decode(&mut buf).and_then(Packet::decode);
        let consumed = bytes.len() - buf.len();
        match result {
            Ok(packet) => Answer::Valid {
                consumed,
                packet: model(&packet, remaining_length(consumed)),
            },
            Err(Error::NotEnoughBytes(_)) => Answer::Incomplete,
            Err(e) => Answer::Invalid {
                kind: "unknown",
                message: e.to_string(),
            },
        }
    }
}

fn main() {
    serve::<Mqute>();
}
