//! mqttrs 0.4, used as its documentation shows: `decode_slice` on the receive buffer and
//! `encode_slice` into a caller's buffer.
//!
//! `decode_slice` returns the packet but not how many bytes it used, so, as an application
//! must, the loop reads the fixed header's Remaining Length to find the next frame: inside
//! the timed loop.

use std::hint::black_box;

use bytes::BytesMut;
use mqttrs::{
    decode_slice, encode_slice, Connect, LastWill, Packet, Pid, Protocol, Publish, QoS, QosPid,
    Suback, Subscribe, SubscribeReturnCodes, SubscribeTopic,
};

use crate::workload::{frame_len, Msg};

pub const NAME: &str = "mqttrs";

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    let mut rest: &[u8] = buf;
    let mut count = 0;
    while !rest.is_empty() {
        match decode_slice(rest) {
            Ok(Some(packet)) => {
                black_box(&packet);
                rest = &rest[frame_len(rest)..];
                count += 1;
            }
            other => panic!("{NAME}: {other:?}"),
        }
    }
    count
}

pub fn decode_to_msgs(buf: &[u8]) -> Vec<Msg> {
    let mut rest = buf;
    let mut msgs = Vec::new();
    while !rest.is_empty() {
        let packet = decode_slice(rest)
            .expect("decodes")
            .expect("a whole packet");
        msgs.push(to_msg(&packet));
        rest = &rest[frame_len(rest)..];
    }
    msgs
}

fn qos_u8(q: QoS) -> u8 {
    match q {
        QoS::AtMostOnce => 0,
        QoS::AtLeastOnce => 1,
        QoS::ExactlyOnce => 2,
    }
}

fn qos(q: u8) -> QoS {
    match q {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        _ => QoS::ExactlyOnce,
    }
}

fn pid(id: u16) -> Pid {
    Pid::try_from(id).expect("packet id")
}

fn to_msg(packet: &Packet<'_>) -> Msg {
    match packet {
        Packet::Connect(c) => {
            let will = c.last_will.as_ref().expect("a will");
            Msg::Connect {
                client_id: c.client_id.into(),
                keep_alive: c.keep_alive,
                will_topic: will.topic.into(),
                will_message: will.message.to_vec(),
                will_qos: qos_u8(will.qos),
                will_retain: will.retain,
                username: c.username.expect("a user name").into(),
                password: String::from_utf8(c.password.expect("a password").to_vec())
                    .expect("ASCII"),
            }
        }
        Packet::Publish(p) => {
            let (q, packet_id) = match p.qospid {
                QosPid::AtMostOnce => (0, 0),
                QosPid::AtLeastOnce(id) => (1, id.get()),
                QosPid::ExactlyOnce(id) => (2, id.get()),
            };
            Msg::Publish {
                topic: p.topic_name.into(),
                qos: q,
                packet_id,
                payload: p.payload.to_vec(),
            }
        }
        Packet::Puback(id) => Msg::Puback(id.get()),
        Packet::Subscribe(s) => Msg::Subscribe {
            packet_id: s.pid.get(),
            filters: s
                .topics
                .iter()
                .map(|t| (t.topic_path.to_string(), qos_u8(t.qos)))
                .collect(),
        },
        Packet::Suback(s) => Msg::Suback {
            packet_id: s.pid.get(),
            codes: s
                .return_codes
                .iter()
                .map(|c| match c {
                    SubscribeReturnCodes::Success(q) => qos_u8(*q),
                    SubscribeReturnCodes::Failure => 0x80,
                })
                .collect(),
        },
        Packet::Pingreq => Msg::Pingreq,
        Packet::Pingresp => Msg::Pingresp,
        other => panic!("{NAME}: unexpected {other:?}"),
    }
}

/// The packets, built outside the timer; they borrow strings and payloads from `msgs`.
pub fn packets(msgs: &[Msg]) -> Vec<Packet<'_>> {
    msgs.iter()
        .map(|m| match m {
            Msg::Connect {
                client_id,
                keep_alive,
                will_topic,
                will_message,
                will_qos,
                will_retain,
                username,
                password,
            } => Packet::Connect(Connect {
                protocol: Protocol::MQTT311,
                keep_alive: *keep_alive,
                client_id,
                clean_session: true,
                last_will: Some(LastWill {
                    topic: will_topic,
                    message: will_message,
                    qos: qos(*will_qos),
                    retain: *will_retain,
                }),
                username: Some(username),
                password: Some(password.as_bytes()),
            }),
            Msg::Publish {
                topic,
                qos: q,
                packet_id,
                payload,
            } => Packet::Publish(Publish {
                dup: false,
                qospid: match q {
                    0 => QosPid::AtMostOnce,
                    1 => QosPid::AtLeastOnce(pid(*packet_id)),
                    _ => QosPid::ExactlyOnce(pid(*packet_id)),
                },
                retain: false,
                topic_name: topic,
                payload,
            }),
            Msg::Puback(id) => Packet::Puback(pid(*id)),
            Msg::Subscribe { packet_id, filters } => Packet::Subscribe(Subscribe::new(
                pid(*packet_id),
                filters
                    .iter()
                    .map(|(f, q)| SubscribeTopic {
                        topic_path: f.clone(),
                        qos: qos(*q),
                    })
                    .collect(),
            )),
            Msg::Suback { packet_id, codes } => Packet::Suback(Suback::new(
                pid(*packet_id),
                codes
                    .iter()
                    .map(|&c| match c {
                        0x80 => SubscribeReturnCodes::Failure,
                        q => SubscribeReturnCodes::Success(qos(q)),
                    })
                    .collect(),
            )),
            Msg::Pingreq => Packet::Pingreq,
            Msg::Pingresp => Packet::Pingresp,
        })
        .collect()
}

#[inline(never)]
pub fn encode_all(packets: &[Packet<'_>], out: &mut [u8]) -> usize {
    let mut pos = 0;
    for packet in packets {
        pos += encode_slice(packet, &mut out[pos..]).expect("room");
    }
    pos
}
