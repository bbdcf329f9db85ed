//! Adapter for `rmqtt-codec` 0.3.1 (the codec of the RMQTT broker), one binary for both
//! versions: `rmqtt-codec` serves 5.0 (module `v5`), `rmqtt-codec --protocol 3.1.1` serves
//! 3.1.1 (module `v3`, which also takes level 3, `MQIsdp`). Decoding goes through the crate's
//! own `tokio_util` `Decoder` (`v5::Codec` / `v3::Codec`, as the broker reads a connection),
//! a fresh codec per request, with no size limit (`0`): `Ok(None)` is `incomplete`; `consumed`
//! is how much the decoder took off the buffer; the Remaining Length is the one the decoder
//! returns beside the packet. Every `DecodeError` is kind `unknown` with its message: its
//! variants (`MalformedPacket`, `InvalidLength`, `Utf8Error`, ...) name classes of failure
//! that several of the suite's kinds share. The decoder's negotiated limit (`max_in_size`)
//! would fit a vector's context, but the shared adapter code answers `unsupported` to every
//! request with a context, so those vectors are skipped.
//!
//! What it cannot express (5.0):
//! - properties are fields of the packet structs, so the model lists them by ascending
//!   identifier (User Properties, 38, in wire order among them): a vector whose properties
//!   come in another order fails on the model, and a duplicate of a single property is
//!   refused by the crate;
//! - several properties are held as a value with a default, their absence not kept: in
//!   CONNECT Session Expiry Interval (0), Request Problem Information (1), Request Response
//!   Information (0), Topic Alias Maximum (0); in CONNACK Receive Maximum (65535), Maximum QoS
//!   (2), Topic Alias Maximum (0), Retain Available, Wildcard Subscription Available,
//!   Subscription Identifier Available, Shared Subscription Available (1); in PUBLISH Payload
//!   Format Indicator (0). The model lists such a property only when its value differs from
//!   the default, so a vector that sends one at its default value fails on the model;
//! - the short forms of the acknowledgements, DISCONNECT and AUTH are told apart by the
//!   Remaining Length (`v5::short_form`): the crate fills in a default reason.
//!
//! Encoding is not offered (`unsupported`) in either version.

use std::num::{NonZeroU16, NonZeroU32};

use bytes::BytesMut;
use mqtt_wire_peer_adapters::v5::{ack, reason, reason_props, with_reason, Props};
use mqtt_wire_peer_adapters::{serve, to_hex, Answer, Peer};
use rmqtt_codec::types::{Protocol, QoS};
use rmqtt_codec::{v3, v5};
use serde_json::{json, Value};
use tokio_util_07::codec::Decoder;

/// The crate's decoder on `bytes`: the packet, its Remaining Length and the bytes used, or
/// `None` for more input.
fn run<D: Decoder<Item = (P, u32)>, P>(
    mut codec: D,
    bytes: &[u8],
) -> Result<Option<(P, usize, usize)>, D::Error> {
    let mut buf = BytesMut::from(bytes);
    let decoded = codec.decode(&mut buf)?;
    let consumed = bytes.len() - buf.len();
    Ok(decoded.map(|(packet, rl)| (packet, rl as usize, consumed)))
}

fn answer<P, E: std::fmt::Display>(
    result: Result<Option<(P, usize, usize)>, E>,
    model: impl FnOnce(&P, usize) -> Value,
) -> Answer {
    match result {
        Ok(Some((packet, rl, consumed))) => Answer::Valid {
            consumed,
            packet: model(&packet, rl),
        },
        Ok(None) => Answer::Incomplete,
        Err(e) => Answer::Invalid {
            kind: "unknown",
            message: e.to_string(),
        },
    }
}

fn qos(q: QoS) -> u8 {
    q.value()
}

fn users(pairs: &v5::UserProperties) -> impl Iterator<Item = (&str, &str)> {
    pairs.iter().map(|(k, v)| (&**k, &**v))
}

/// A value the crate holds with a default: present in the model only when it differs.
fn unless<T: PartialEq>(value: T, default: T) -> Option<T> {
    (value != default).then_some(value)
}

fn nz16(v: Option<NonZeroU16>) -> Option<u16> {
    v.map(NonZeroU16::get)
}

fn nz32(v: Option<NonZeroU32>) -> Option<u32> {
    v.map(NonZeroU32::get)
}

/// A 5.0 packet of the crate in the vectors' model; `rl` is its Remaining Length.
fn model5(packet: &v5::Packet, rl: usize) -> Value {
    use v5::Packet;
    // PUBACK, PUBREC, PUBREL and PUBCOMP: four types with the same fields.
    macro_rules! pub_ack {
        ($packet:literal, $a:expr) => {{
            let props = reason_props($a.reason_string.as_deref(), users(&$a.properties));
            ack($packet, $a.packet_id.get(), $a.reason_code as u8, props, rl)
        }};
    }
    match packet {
        Packet::Connect(c) => {
            let props = Props::new()
                .num(17, unless(c.session_expiry_interval_secs, 0))
                .text(21, c.auth_method.as_deref())
                .binary(22, c.auth_data.as_deref())
                .flag(23, unless(c.request_problem_info, true))
                .flag(25, unless(c.request_response_info, false))
                .num(33, nz16(c.receive_max))
                .num(34, unless(c.topic_alias_max, 0))
                .users(users(&c.user_properties))
                .num(39, nz32(c.max_packet_size))
                .done();
            json!({
                "type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 5,
                "clean_start": c.clean_start, "keep_alive": c.keep_alive,
                "properties": props, "client_id": &*c.client_id,
                "will": c.last_will.as_ref().map(|w| json!({
                    "properties": Props::new()
                        .flag(1, w.is_utf8_payload)
                        .num(2, nz32(w.message_expiry_interval))
                        .text(3, w.content_type.as_deref())
                        .text(8, w.response_topic.as_deref())
                        .binary(9, w.correlation_data.as_deref())
                        .num(24, w.will_delay_interval_sec)
                        .users(users(&w.user_properties))
                        .done(),
                    "topic": &*w.topic, "message": to_hex(&w.message), "qos": qos(w.qos),
                    "retain": w.retain,
                })),
                "username": c.username.as_deref(),
                "password": c.password.as_deref().map(to_hex),
            })
        }
        Packet::ConnectAck(c) => {
            let props = Props::new()
                .num(17, c.session_expiry_interval_secs)
                .text(18, c.assigned_client_id.as_deref())
                .num(19, c.server_keepalive_sec)
                .text(21, c.auth_method.as_deref())
                .binary(22, c.auth_data.as_deref())
                .text(26, c.response_info.as_deref())
                .text(28, c.server_reference.as_deref())
                .text(31, c.reason_string.as_deref())
                .num(33, unless(c.receive_max.get(), 65535))
                .num(34, unless(c.topic_alias_max, 0))
                .num(36, unless(qos(c.max_qos), 2))
                .flag(37, unless(c.retain_available, true))
                .users(users(&c.user_properties))
                .num(39, c.max_packet_size)
                .flag(40, unless(c.wildcard_subscription_available, true))
                .flag(41, unless(c.subscription_identifiers_available, true))
                .flag(42, unless(c.shared_subscription_available, true))
                .done();
            json!({
                "type": "CONNACK", "session_present": c.session_present,
                "reason_code": reason("CONNACK", c.reason_code as u8), "properties": props,
            })
        }
        Packet::Publish(p) => {
            let props = p.properties.as_ref().map_or(json!([]), |q| {
                let mut list = Props::new();
                list.flag(1, unless(q.is_utf8_payload, false))
                    .num(2, nz32(q.message_expiry_interval))
                    .text(3, q.content_type.as_deref())
                    .text(8, q.response_topic.as_deref())
                    .binary(9, q.correlation_data.as_deref());
                for id in &q.subscription_ids {
                    list.num(11, Some(id.get()));
                }
                list.num(35, nz16(q.topic_alias))
                    .users(users(&q.user_properties))
                    .done()
            });
            json!({
                "type": "PUBLISH", "dup": p.dup, "qos": qos(p.qos), "retain": p.retain,
                "topic": &*p.topic, "packet_id": nz16(p.packet_id), "properties": props,
                "payload": to_hex(&p.payload),
            })
        }
        Packet::PublishAck(a) => pub_ack!("PUBACK", a),
        Packet::PublishReceived(a) => pub_ack!("PUBREC", a),
        Packet::PublishRelease(a) => pub_ack!("PUBREL", a),
        Packet::PublishComplete(a) => pub_ack!("PUBCOMP", a),
        Packet::Subscribe(s) => json!({
            "type": "SUBSCRIBE", "packet_id": s.packet_id.get(),
            "properties": Props::new()
                .num(11, nz32(s.id))
                .users(users(&s.user_properties))
                .done(),
            "subscriptions": s.topic_filters.iter().map(|(filter, o)| json!({
                "filter": &**filter, "qos": qos(o.qos), "no_local": o.no_local,
                "retain_as_published": o.retain_as_published,
                "retain_handling": o.retain_handling as u8,
            })).collect::<Vec<_>>(),
        }),
        Packet::SubscribeAck(s) => json!({
            "type": "SUBACK", "packet_id": s.packet_id.get(),
            "properties": reason_props(s.reason_string.as_deref(), users(&s.properties)),
            "reason_codes": s.status.iter().map(|c| reason("SUBACK", *c as u8)).collect::<Vec<_>>(),
        }),
        Packet::Unsubscribe(u) => json!({
            "type": "UNSUBSCRIBE", "packet_id": u.packet_id.get(),
            "properties": Props::new().users(users(&u.user_properties)).done(),
            "filters": u.topic_filters.iter().map(|f| &**f).collect::<Vec<_>>(),
        }),
        Packet::UnsubscribeAck(u) => json!({
            "type": "UNSUBACK", "packet_id": u.packet_id.get(),
            "properties": reason_props(u.reason_string.as_deref(), users(&u.properties)),
            "reason_codes": u.status.iter().map(|c| reason("UNSUBACK", *c as u8)).collect::<Vec<_>>(),
        }),
        Packet::PingRequest => json!({"type": "PINGREQ"}),
        Packet::PingResponse => json!({"type": "PINGRESP"}),
        Packet::Disconnect(d) => {
            let props = Props::new()
                .num(17, d.session_expiry_interval_secs)
                .text(28, d.server_reference.as_deref())
                .text(31, d.reason_string.as_deref())
                .users(users(&d.user_properties))
                .done();
            with_reason("DISCONNECT", d.reason_code as u8, props, rl)
        }
        Packet::Auth(a) => {
            let props = Props::new()
                .text(21, a.auth_method.as_deref())
                .binary(22, a.auth_data.as_deref())
                .text(31, a.reason_string.as_deref())
                .users(users(&a.user_properties))
                .done();
            with_reason("AUTH", a.reason_code as u8, props, rl)
        }
    }
}

fn model3(packet: &v3::Packet) -> Value {
    use v3::Packet;
    match packet {
        Packet::Connect(c) => {
            let Protocol(level) = c.protocol;
            json!({
                "type": "CONNECT", "protocol_name": c.protocol.name(), "protocol_level": level,
                "clean_session": c.clean_session, "keep_alive": c.keep_alive,
                "client_id": &*c.client_id,
                "will": c.last_will.as_ref().map(|w| json!({
                    "topic": &*w.topic, "message": to_hex(&w.message),
                    "qos": qos(w.qos), "retain": w.retain,
                })),
                "username": c.username.as_deref(),
                "password": c.password.as_deref().map(to_hex),
            })
        }
        Packet::ConnectAck(c) => json!({
            "type": "CONNACK", "session_present": c.session_present,
            "return_code": u8::from(c.return_code),
        }),
        Packet::Publish(p) => json!({
            "type": "PUBLISH", "dup": p.dup, "qos": qos(p.qos), "retain": p.retain,
            "topic": &*p.topic, "packet_id": nz16(p.packet_id),
            "payload": to_hex(&p.payload),
        }),
        Packet::PublishAck { packet_id } => json!({"type": "PUBACK", "packet_id": packet_id.get()}),
        Packet::PublishReceived { packet_id } => {
            json!({"type": "PUBREC", "packet_id": packet_id.get()})
        }
        Packet::PublishRelease { packet_id } => {
            json!({"type": "PUBREL", "packet_id": packet_id.get()})
        }
        Packet::PublishComplete { packet_id } => {
            json!({"type": "PUBCOMP", "packet_id": packet_id.get()})
        }
        Packet::UnsubscribeAck { packet_id } => {
            json!({"type": "UNSUBACK", "packet_id": packet_id.get()})
        }
        Packet::Subscribe {
            packet_id,
            topic_filters,
        } => json!({
            "type": "SUBSCRIBE", "packet_id": packet_id.get(),
            "subscriptions": topic_filters.iter()
                .map(|(filter, q)| json!({"filter": &**filter, "qos": qos(*q)}))
                .collect::<Vec<_>>(),
        }),
        Packet::SubscribeAck { packet_id, status } => json!({
            "type": "SUBACK", "packet_id": packet_id.get(),
            "return_codes": status.iter().map(|c| match c {
                v3::SubscribeReturnCode::Success(q) => qos(*q),
                v3::SubscribeReturnCode::Failure => 0x80,
            }).collect::<Vec<_>>(),
        }),
        Packet::Unsubscribe {
            packet_id,
            topic_filters,
        } => json!({
            "type": "UNSUBSCRIBE", "packet_id": packet_id.get(),
            "filters": topic_filters.iter().map(|f| &**f).collect::<Vec<_>>(),
        }),
        Packet::PingRequest => json!({"type": "PINGREQ"}),
        Packet::PingResponse => json!({"type": "PINGRESP"}),
        Packet::Disconnect => json!({"type": "DISCONNECT"}),
    }
}

struct Rmqtt5;

impl Peer for Rmqtt5 {
    const VERSION: &'static str = "0.3.1";
    const PROTOCOL: &'static str = "5.0";

    fn decode(bytes: &[u8]) -> Answer {
        answer(run(v5::Codec::new(0, 0), bytes), model5)
    }

    fn encode(_model: &Value) -> Result<Vec<u8>, String> {
        Err("the adapter does not encode".into())
    }
}

struct Rmqtt3;

impl Peer for Rmqtt3 {
    const VERSION: &'static str = "0.3.1";
    const PROTOCOL: &'static str = "3.1.1";

    fn decode(bytes: &[u8]) -> Answer {
        answer(run(v3::Codec::new(0), bytes), |p, _| model3(p))
    }

    fn encode(_model: &Value) -> Result<Vec<u8>, String> {
        Err("the adapter does not encode".into())
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args
        .windows(2)
        .any(|w| w[0] == "--protocol" && w[1] == "3.1.1")
    {
        serve::<Rmqtt3>();
    } else {
        serve::<Rmqtt5>();
    }
}
