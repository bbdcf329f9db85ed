//! Adapter for the MQTT 5.0 codec of `mqttbytes` 0.6.0 (module `v5`, feature `v5`: rumqtt's
//! first 5.0 codec, which rumqttc's `v5::mqttbytes` later forked), MQTT 5.0 only: `v5::read` on
//! a `BytesMut` holding the buffer, with no size limit beyond the protocol's; `InsufficientBytes` is `incomplete`; `consumed` is how much
//! `read` split off the buffer. Errors map to the suite's kinds only where the variant means
//! exactly one (`PacketIdZero`: `zero-packet-id`, `InvalidProtocol`: `invalid-protocol-name`,
//! `TopicNotUtf8`: `invalid-utf8`); the rest, `MalformedPacket` and `InvalidReason` among them,
//! are `unknown`.
//!
//! The converters are shared with rumqttc's fork of this codec
//! ([`mqtt_wire_peer_adapters::rumqtt_v5_converters`]); here are only its CONNECT (will, login
//! and protocol level inside it) and its ping variants.
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
use mqtt_wire_peer_adapters::{rumqtt_v5_converters, serve, Answer, Peer};
use mqttbytes::v5::{self as wire, Packet};
use mqttbytes::{Error, Protocol};
use serde_json::json;

struct Mqttbytes5;

rumqtt_v5_converters! {
    wire, Error;
    fn model(packet, rl) {
        Packet::Connect(c) => {
            connect(c, c.last_will.as_ref(), c.login.as_ref(), level(c.protocol), c.clean_session)
        }
        Packet::PingReq => json!({"type": "PINGREQ"}),
        Packet::PingResp => json!({"type": "PINGRESP"}),
    }
}

fn level(protocol: Protocol) -> u8 {
    match protocol {
        Protocol::V4 => 4,
        Protocol::V5 => 5,
    }
}

impl Peer for Mqttbytes5 {
    const VERSION: &'static str = "0.6.0";
    const PROTOCOL: &'static str = "5.0";

    fn decode(bytes: &[u8]) -> Answer {
        let mut stream = BytesMut::from(bytes);
        let read = wire::read(&mut stream, usize::MAX);
        answer(read, bytes.len() - stream.len(), model)
    }
}

fn main() {
    serve::<Mqttbytes5>();
}
