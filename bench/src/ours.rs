//! mqtt-wire, used as its README shows: `v311::decode` on the receive buffer, which reports
//! the bytes each packet used; `Packet::encode` into a caller's buffer.

use std::hint::black_box;
use std::num::NonZeroU16;

use bytes::BytesMut;
use mqtt_wire::v311::{
    self, Connect, Delivery, Packet, Puback, Publish, Suback, SubackReturnCode, Subscribe,
    Subscription, Will,
};
use mqtt_wire::{QoS, Status, TopicFilter, TopicName};

use crate::workload::Msg;

pub const NAME: &str = "mqtt-wire";

/// Decodes every packet in the buffer; returns the number of packets.
#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    let mut rest: &[u8] = buf;
    let mut count = 0;
    while !rest.is_empty() {
        match v311::decode(rest) {
            Ok(Status::Complete((packet, used))) => {
                black_box(&packet);
                rest = &rest[used..];
                count += 1;
            }
            other => panic!("{NAME}: {other:?}"),
        }
    }
    count
}

/// Decodes every packet into the plain model, for the check before timing.
pub fn decode_to_msgs(buf: &[u8]) -> Vec<Msg> {
    let mut rest = buf;
    let mut msgs = Vec::new();
    while !rest.is_empty() {
        let Ok(Status::Complete((packet, used))) = v311::decode(rest) else {
            panic!("{NAME}: cannot decode the stream");
        };
        msgs.push(to_msg(&packet));
        rest = &rest[used..];
    }
    msgs
}

fn to_msg(packet: &Packet<'_>) -> Msg {
    match packet {
        Packet::Connect(c) => {
            let will = c.will().expect("a will");
            Msg::Connect {
                client_id: c.client_id().into(),
                keep_alive: c.keep_alive(),
                will_topic: will.topic().as_str().into(),
                will_message: will.message().to_vec(),
                will_qos: will.qos().as_u8(),
                will_retain: will.retain(),
                username: c.username().expect("a user name").into(),
                password: String::from_utf8(c.password().expect("a password").to_vec())
                    .expect("ASCII"),
            }
        }
        Packet::Publish(p) => Msg::Publish {
            topic: p.topic().as_str().into(),
            qos: p.qos().as_u8(),
            packet_id: p.packet_id().map_or(0, NonZeroU16::get),
            payload: p.payload().to_vec(),
        },
        Packet::Puback(p) => Msg::Puback(p.packet_id().get()),
        Packet::Subscribe(s) => Msg::Subscribe {
            packet_id: s.packet_id().get(),
            filters: s
                .subscriptions()
                .iter()
                .map(|sub| (sub.filter.as_str().into(), sub.qos.as_u8()))
                .collect(),
        },
        Packet::Suback(s) => Msg::Suback {
            packet_id: s.packet_id().get(),
            codes: s.return_codes().iter().map(|c| c.as_u8()).collect(),
        },
        Packet::Pingreq => Msg::Pingreq,
        Packet::Pingresp => Msg::Pingresp,
        other => panic!("{NAME}: unexpected {other:?}"),
    }
}

/// The lists a SUBSCRIBE or SUBACK borrows, one entry per message (empty for the others).
pub struct Lists<'a> {
    subscriptions: Vec<Vec<Subscription<'a>>>,
    codes: Vec<Vec<SubackReturnCode>>,
}

pub fn lists(msgs: &[Msg]) -> Lists<'_> {
    let subscriptions = msgs
        .iter()
        .map(|m| match m {
            Msg::Subscribe { filters, .. } => filters
                .iter()
                .map(|(f, q)| Subscription::new(TopicFilter::new(f).expect("filter"), qos(*q)))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let codes = msgs
        .iter()
        .map(|m| match m {
            Msg::Suback { codes, .. } => codes
                .iter()
                .map(|&c| SubackReturnCode::from_u8(c).expect("return code"))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    Lists {
        subscriptions,
        codes,
    }
}

fn qos(q: u8) -> QoS {
    QoS::from_u8(q).expect("QoS")
}

fn id(id: u16) -> NonZeroU16 {
    NonZeroU16::new(id).expect("packet id")
}

/// The packets, built through the constructors (outside the timer).
pub fn packets<'a>(msgs: &'a [Msg], lists: &'a Lists<'a>) -> Vec<Packet<'a>> {
    msgs.iter()
        .enumerate()
        .map(|(i, m)| match m {
            Msg::Connect {
                client_id,
                keep_alive,
                will_topic,
                will_message,
                will_qos,
                will_retain,
                username,
                password,
            } => {
                let will = Will::new(
                    TopicName::new(will_topic).expect("topic"),
                    will_message,
                    qos(*will_qos),
                    *will_retain,
                )
                .expect("will");
                Packet::Connect(
                    Connect::new(client_id, true, *keep_alive)
                        .and_then(|c| c.with_will(will).with_username(username))
                        .and_then(|c| c.with_password(password.as_bytes()))
                        .expect("connect"),
                )
            }
            Msg::Publish {
                topic,
                qos: q,
                packet_id,
                payload,
            } => {
                let delivery = match q {
                    0 => Delivery::AtMostOnce,
                    1 => Delivery::AtLeastOnce(id(*packet_id)),
                    _ => Delivery::ExactlyOnce(id(*packet_id)),
                };
                Packet::Publish(
                    Publish::new(TopicName::new(topic).expect("topic"), delivery, payload)
                        .expect("publish"),
                )
            }
            Msg::Puback(p) => Packet::Puback(Puback::new(id(*p))),
            Msg::Subscribe { packet_id, .. } => Packet::Subscribe(
                Subscribe::new(id(*packet_id), &lists.subscriptions[i]).expect("subscribe"),
            ),
            Msg::Suback { packet_id, .. } => {
                Packet::Suback(Suback::new(id(*packet_id), &lists.codes[i]).expect("suback"))
            }
            Msg::Pingreq => Packet::Pingreq,
            Msg::Pingresp => Packet::Pingresp,
        })
        .collect()
}

/// Encodes every packet one after the other into `out`; returns the bytes written.
#[inline(never)]
pub fn encode_all(packets: &[Packet<'_>], out: &mut [u8]) -> usize {
    let mut pos = 0;
    for packet in packets {
        pos += packet.encode(&mut out[pos..]).expect("room");
    }
    pos
}

/// The whole stream's bytes.
pub fn encode_to_vec(packets: &[Packet<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for packet in packets {
        packet.encode_to_vec(&mut out);
    }
    out
}
