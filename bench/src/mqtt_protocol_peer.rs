//! mqtt-protocol 0.12 (library `mqtt`), used as its documentation shows: `VariablePacket::
//! decode` from a `std::io::Cursor` over the receive buffer (the cursor's position gives the
//! bytes used), `Encodable::encode` into a `Vec<u8>` writer.

use std::hint::black_box;
use std::io::Cursor;

use bytes::BytesMut;
use mqtt::packet::suback::SubscribeReturnCode;
use mqtt::packet::{
    ConnectPacket, PingreqPacket, PingrespPacket, PubackPacket, PublishPacket,
    QoSWithPacketIdentifier, SubackPacket, SubscribePacket, VariablePacket,
};
use mqtt::{Decodable, Encodable, QualityOfService, TopicFilter, TopicName};

use crate::workload::Msg;

pub const NAME: &str = "mqtt-protocol";

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    let len = buf.len() as u64;
    let mut cursor = Cursor::new(&buf[..]);
    let mut count = 0;
    while cursor.position() < len {
        match VariablePacket::decode(&mut cursor) {
            Ok(packet) => {
                black_box(&packet);
                count += 1;
            }
            Err(e) => panic!("{NAME}: {e:?}"),
        }
    }
    count
}

pub fn decode_to_msgs(buf: &[u8]) -> Vec<Msg> {
    let mut cursor = Cursor::new(buf);
    let mut msgs = Vec::new();
    while (cursor.position() as usize) < buf.len() {
        let packet = VariablePacket::decode(&mut cursor).expect("decodes");
        msgs.push(to_msg(&packet));
    }
    msgs
}

fn qos_u8(q: QualityOfService) -> u8 {
    q as u8
}

fn qos(q: u8) -> QualityOfService {
    match q {
        0 => QualityOfService::Level0,
        1 => QualityOfService::Level1,
        _ => QualityOfService::Level2,
    }
}

fn to_msg(packet: &VariablePacket) -> Msg {
    match packet {
        VariablePacket::ConnectPacket(c) => {
            let (will_topic, will_message) = c.will().expect("a will");
            Msg::Connect {
                client_id: c.client_identifier().into(),
                keep_alive: c.keep_alive(),
                will_topic: will_topic.into(),
                will_message: will_message.to_vec(),
                will_qos: c.will_qos(),
                will_retain: c.will_retain(),
                username: c.user_name().expect("a user name").into(),
                password: c.password().expect("a password").into(),
            }
        }
        VariablePacket::PublishPacket(p) => {
            let (q, packet_id) = match p.qos() {
                QoSWithPacketIdentifier::Level0 => (0, 0),
                QoSWithPacketIdentifier::Level1(id) => (1, id),
                QoSWithPacketIdentifier::Level2(id) => (2, id),
            };
            Msg::Publish {
                topic: p.topic_name().into(),
                qos: q,
                packet_id,
                payload: p.payload().to_vec(),
            }
        }
        VariablePacket::PubackPacket(p) => Msg::Puback(p.packet_identifier()),
        VariablePacket::SubscribePacket(s) => Msg::Subscribe {
            packet_id: s.packet_identifier(),
            filters: s
                .subscribes()
                .iter()
                .map(|(f, q)| ((**f).to_string(), qos_u8(*q)))
                .collect(),
        },
        VariablePacket::SubackPacket(s) => Msg::Suback {
            packet_id: s.packet_identifier(),
            codes: s.subscribes().iter().map(|&c| c as u8).collect(),
        },
        VariablePacket::PingreqPacket(_) => Msg::Pingreq,
        VariablePacket::PingrespPacket(_) => Msg::Pingresp,
        other => panic!("{NAME}: unexpected {other:?}"),
    }
}

/// The packets, built outside the timer.
pub fn packets(msgs: &[Msg]) -> Vec<VariablePacket> {
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
            } => {
                let mut connect = ConnectPacket::new(client_id.as_str());
                connect.set_keep_alive(*keep_alive);
                connect.set_clean_session(true);
                connect.set_will(Some((
                    TopicName::new(will_topic.as_str()).expect("topic"),
                    will_message.clone(),
                )));
                connect.set_will_qos(*will_qos);
                connect.set_will_retain(*will_retain);
                connect.set_user_name(Some(username.clone()));
                connect.set_password(Some(password.clone()));
                VariablePacket::ConnectPacket(connect)
            }
            Msg::Publish {
                topic,
                qos: q,
                packet_id,
                payload,
            } => {
                let q = match q {
                    0 => QoSWithPacketIdentifier::Level0,
                    1 => QoSWithPacketIdentifier::Level1(*packet_id),
                    _ => QoSWithPacketIdentifier::Level2(*packet_id),
                };
                VariablePacket::PublishPacket(PublishPacket::new(
                    TopicName::new(topic.as_str()).expect("topic"),
                    q,
                    payload.clone(),
                ))
            }
            Msg::Puback(id) => VariablePacket::PubackPacket(PubackPacket::new(*id)),
            Msg::Subscribe { packet_id, filters } => {
                VariablePacket::SubscribePacket(SubscribePacket::new(
                    *packet_id,
                    filters
                        .iter()
                        .map(|(f, q)| (TopicFilter::new(f.as_str()).expect("filter"), qos(*q)))
                        .collect(),
                ))
            }
            Msg::Suback { packet_id, codes } => VariablePacket::SubackPacket(SubackPacket::new(
                *packet_id,
                codes
                    .iter()
                    .map(|&c| match c {
                        0 => SubscribeReturnCode::MaximumQoSLevel0,
                        1 => SubscribeReturnCode::MaximumQoSLevel1,
                        2 => SubscribeReturnCode::MaximumQoSLevel2,
                        _ => SubscribeReturnCode::Failure,
                    })
                    .collect(),
            )),
            Msg::Pingreq => VariablePacket::PingreqPacket(PingreqPacket::new()),
            Msg::Pingresp => VariablePacket::PingrespPacket(PingrespPacket::new()),
        })
        .collect()
}

/// Writes every packet to `out`, cleared first (its capacity is kept, so nothing is
/// allocated once it has grown to the stream's size).
#[inline(never)]
pub fn encode_all(packets: &[VariablePacket], out: &mut Vec<u8>) -> usize {
    out.clear();
    for packet in packets {
        packet.encode(out).expect("encodes");
    }
    out.len()
}
