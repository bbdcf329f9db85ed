//! Adapter for `mqtt5-protocol` 0.16.2 (the packet layer of the `mqtt5` client and broker
//! crates), MQTT 5.0 only. The crate has no stream framing of its own (its transports read the
//! fixed header, then the Remaining Length bytes), so the adapter frames as they do: a buffer
//! that ends inside the Remaining Length, or before the body's end, is `incomplete`;
//! otherwise `FixedHeader::decode`, then `Packet::decode_from_body` on exactly the body, and
//! `consumed` is the frame. Every `MqttError` is kind `unknown` (its variants name classes of
//! failure, such as `MalformedPacket` or `ProtocolError`, not the suite's kinds), with its
//! message.
//!
//! What it cannot express: properties are a `HashMap` from identifier to values, so the model
//! lists them by ascending identifier (each identifier's values in wire order): a vector whose
//! properties come in another order fails on the model. The short forms of the
//! acknowledgements, DISCONNECT and AUTH are told apart by the frame's Remaining Length
//! (`v5::short_form`). Encoding is not offered (`unsupported`).

use mqtt5_protocol::packet::subscribe_options::RetainHandling;
use mqtt5_protocol::{FixedHeader, Packet, Properties, PropertyValue};
use mqtt_wire_peer_adapters::v5::{
    ack, length_complete, property_name, reason, remaining_length, with_reason,
};
use mqtt_wire_peer_adapters::{serve, to_hex, Answer, Peer};
use serde_json::{json, Value};

struct Mqtt5Protocol;

fn props(p: &Properties) -> Value {
    let mut all: Vec<(u8, &PropertyValue)> = p.iter().map(|(id, v)| (id as u8, v)).collect();
    // A stable sort: each identifier's values stay in wire order.
    all.sort_by_key(|(id, _)| *id);
    Value::Array(
        all.into_iter()
            .map(|(id, v)| {
                let value = match v {
                    PropertyValue::Byte(n) => json!(n),
                    PropertyValue::TwoByteInteger(n) => json!(n),
                    PropertyValue::FourByteInteger(n) | PropertyValue::VariableByteInteger(n) => {
                        json!(n)
                    }
                    PropertyValue::BinaryData(b) => json!(to_hex(b)),
                    PropertyValue::Utf8String(s) => json!(s),
                    PropertyValue::Utf8StringPair(k, v) => json!([k, v]),
                };
                json!({"id": id, "name": property_name(id), "value": value})
            })
            .collect(),
    )
}

fn model(packet: &Packet, rl: usize) -> Value {
    // PUBACK, PUBREC, PUBREL and PUBCOMP: four types with the same fields.
    macro_rules! pub_ack {
        ($packet:literal, $a:expr) => {
            ack(
                $packet,
                $a.packet_id,
                u8::from($a.reason_code),
                props(&$a.properties),
                rl,
            )
        };
    }
    match packet {
        Packet::Connect(c) => json!({
            "type": "CONNECT", "protocol_name": "MQTT", "protocol_level": c.protocol_version,
            "clean_start": c.clean_start, "keep_alive": c.keep_alive,
            "properties": props(&c.properties), "client_id": c.client_id,
            "will": c.will.as_ref().map(|w| json!({
                "properties": props(&c.will_properties), "topic": w.topic,
                "message": to_hex(&w.payload), "qos": w.qos as u8, "retain": w.retain,
            })),
            "username": c.username, "password": c.password.as_deref().map(to_hex),
        }),
        Packet::ConnAck(c) => json!({
            "type": "CONNACK", "session_present": c.session_present,
            "reason_code": reason("CONNACK", u8::from(c.reason_code)),
            "properties": props(&c.properties),
        }),
        Packet::Publish(p) => json!({
            "type": "PUBLISH", "dup": p.dup, "qos": p.qos as u8, "retain": p.retain,
            "topic": p.topic_name, "packet_id": p.packet_id, "properties": props(&p.properties),
            "payload": to_hex(&p.payload),
        }),
        Packet::PubAck(a) => pub_ack!("PUBACK", a),
        Packet::PubRec(a) => pub_ack!("PUBREC", a),
        Packet::PubRel(a) => pub_ack!("PUBREL", a),
        Packet::PubComp(a) => pub_ack!("PUBCOMP", a),
        Packet::Subscribe(s) => json!({
            "type": "SUBSCRIBE", "packet_id": s.packet_id, "properties": props(&s.properties),
            "subscriptions": s.filters.iter().map(|f| json!({
                "filter": f.filter, "qos": f.options.qos as u8, "no_local": f.options.no_local,
                "retain_as_published": f.options.retain_as_published,
                "retain_handling": match f.options.retain_handling {
                    RetainHandling::SendAtSubscribe => 0,
                    RetainHandling::SendAtSubscribeIfNew => 1,
                    RetainHandling::DoNotSend => 2,
                },
            })).collect::<Vec<_>>(),
        }),
        Packet::SubAck(s) => json!({
            "type": "SUBACK", "packet_id": s.packet_id, "properties": props(&s.properties),
            "reason_codes": s.reason_codes.iter().map(|c| reason("SUBACK", *c as u8)).collect::<Vec<_>>(),
        }),
        Packet::Unsubscribe(u) => json!({
            "type": "UNSUBSCRIBE", "packet_id": u.packet_id, "properties": props(&u.properties),
            "filters": u.filters,
        }),
        Packet::UnsubAck(u) => json!({
            "type": "UNSUBACK", "packet_id": u.packet_id, "properties": props(&u.properties),
            "reason_codes": u.reason_codes.iter().map(|c| reason("UNSUBACK", *c as u8)).collect::<Vec<_>>(),
        }),
        Packet::PingReq => json!({"type": "PINGREQ"}),
        Packet::PingResp => json!({"type": "PINGRESP"}),
        Packet::Disconnect(d) => with_reason(
            "DISCONNECT",
            u8::from(d.reason_code),
            props(&d.properties),
            rl,
        ),
        Packet::Auth(a) => with_reason("AUTH", u8::from(a.reason_code), props(&a.properties), rl),
    }
}

impl Peer for Mqtt5Protocol {
    const VERSION: &'static str = "0.16.2";
    const PROTOCOL: &'static str = "5.0";

    fn decode(bytes: &[u8]) -> Answer {
        if bytes.len() < 2 || !length_complete(bytes) {
            return Answer::Incomplete;
        }
        let mut rest = bytes;
        let header = match FixedHeader::decode(&mut rest) {
            Ok(h) => h,
            Err(e) => {
                return Answer::Invalid {
                    kind: "unknown",
                    message: e.to_string(),
                }
            }
        };
        let Ok(len) = usize::try_from(header.remaining_length) else {
            return Answer::Incomplete;
        };
        if rest.len() < len {
            return Answer::Incomplete;
        }
        let consumed = bytes.len() - rest.len() + len;
        let mut body = &rest[..len];
        match Packet::decode_from_body(header.packet_type, &header, &mut body) {
            Ok(packet) => Answer::Valid {
                consumed,
                packet: model(&packet, remaining_length(consumed)),
            },
            Err(e) => Answer::Invalid {
                kind: "unknown",
                message: e.to_string(),
            },
        }
    }
}

fn main() {
    serve::<Mqtt5Protocol>();
}
