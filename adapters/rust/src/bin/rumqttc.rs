//! Adapter for the MQTT 5.0 codec of `rumqttc` 0.25.1 (`rumqttc::v5::mqttbytes::v5`, the
//! codec of rumqtt's client), MQTT 5.0 only: `Packet::read` on a `BytesMut` holding the
//! buffer, with no size limit; `InsufficientBytes` is `incomplete`; `consumed` is how much
//! `read` split off the buffer. Errors map to the suite's kinds only where the variant means
//! exactly one (`PacketIdZero`: `zero-packet-id`, `InvalidProtocol`: `invalid-protocol-name`,
//! `TopicNotUtf8`: `invalid-utf8`); the rest, `MalformedPacket` and `InvalidReason` among them,
//! are `unknown`.
//!
//! The converters are those of `mqttbytes` 0.6's `v5`, which this codec forked
//! ([`mqtt_wire_peer_adapters::rumqtt_v5_converters`]); here are only its CONNECT (will and
//! login beside it, protocol level 5 implied), its ping variants and AUTH (which `mqttbytes`
//! lacks).
//!
//! What it cannot express:
//! - properties are a struct of optional fields per packet, so the model lists them in a fixed
//!   order (ascending identifier, User Properties last in wire order): a vector whose
//!   properties come in another order fails on the model, and a duplicate keeps one value;
//! - the user name and password are one optional `Login` of two strings: an empty user name
//!   or password reads as an absent one, and a password that is not UTF-8 cannot be held;
//! - the reason codes are enums without their numbers; the adapter gets each number back by
//!   having the crate write a packet with that reason and reading the byte it wrote;
//! - the short forms of the acknowledgements, DISCONNECT and AUTH are told apart by the
//!   Remaining Length of the bytes used (`v5::short_form`).
//!
//! Encoding is not offered (`unsupported`).

use bytes::BytesMut;
use mqtt_wire_peer_adapters::rumqtt::written;
use mqtt_wire_peer_adapters::v5::{user_pairs, with_reason, Props};
use mqtt_wire_peer_adapters::{rumqtt_v5_converters, serve, Answer, Peer};
use rumqttc::v5::mqttbytes::v5::{self as wire, Auth, Packet};
use rumqttc::v5::mqttbytes::Error;
use serde_json::{json, Value};

struct Rumqttc;

rumqtt_v5_converters! {
    wire, Error;
    fn model(packet, rl) {
        Packet::Connect(c, will, login) => {
            connect(c, will.as_ref(), login.as_ref(), 5, c.clean_start)
        }
        Packet::PingReq(_) => json!({"type": "PINGREQ"}),
        Packet::PingResp(_) => json!({"type": "PINGRESP"}),
        Packet::Auth(a) => auth(a, rl),
    }
}

fn auth(a: &Auth, rl: usize) -> Value {
    let code = written(
        |b| {
            let _ = Auth {
                code: a.code.clone(),
                properties: None,
            }
            .write(b);
        },
        2,
    );
    let props = a.properties.as_ref().map_or(json!([]), |p| {
        Props::new()
            .text(21, p.method.as_deref())
            .binary(22, p.data.as_deref())
            .text(31, p.reason.as_deref())
            .users(user_pairs(&p.user_properties))
            .done()
    });
    with_reason("AUTH", code, props, rl)
}

impl Peer for Rumqttc {
    const VERSION: &'static str = "0.25.1";
    const PROTOCOL: &'static str = "5.0";

    fn decode(bytes: &[u8]) -> Answer {
        let mut stream = BytesMut::from(bytes);
        let read = Packet::read(&mut stream, None);
        answer(read, bytes.len() - stream.len(), model)
    }
}

fn main() {
    serve::<Rumqttc>();
}
