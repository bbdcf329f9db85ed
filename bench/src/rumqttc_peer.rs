//! rumqttc's MQTT 3.1.1 codec (`rumqttc::mqttbytes::v4`), used as its own `Codec` does:
//! `Packet::read` splits each packet off the front of the receive `BytesMut`;
//! `Packet::write` appends to an output `BytesMut`.

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use rumqttc::mqttbytes::v4::{
    Connect, LastWill, Login, Packet, PubAck, Publish, SubAck, Subscribe, SubscribeFilter,
    SubscribeReasonCode,
};
use rumqttc::mqttbytes::QoS;

use crate::workload::Msg;

pub const NAME: &str = "rumqttc";

/// No size limit beyond the protocol's, as for the others.
const MAX: usize = usize::MAX;

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    let mut count = 0;
    while !buf.is_empty() {
        match Packet::read(buf, MAX) {
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
    let mut buf = BytesMut::from(buf);
    let mut msgs = Vec::new();
    while !buf.is_empty() {
        let packet = Packet::read(&mut buf, MAX).expect("decodes");
        msgs.push(to_msg(&packet));
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

fn to_msg(packet: &Packet) -> Msg {
    match packet {
        Packet::Connect(c) => {
            let will = c.last_will.as_ref().expect("a will");
            let login = c.login.as_ref().expect("credentials");
            Msg::Connect {
                client_id: c.client_id.clone(),
                keep_alive: c.keep_alive,
                will_topic: will.topic.clone(),
                will_message: will.message.to_vec(),
                will_qos: qos_u8(will.qos),
                will_retain: will.retain,
                username: login.username.clone(),
                password: login.password.clone(),
            }
        }
        Packet::Publish(p) => Msg::Publish {
            topic: p.topic.clone(),
            qos: qos_u8(p.qos),
            packet_id: p.pkid,
            payload: p.payload.to_vec(),
        },
        Packet::PubAck(p) => Msg::Puback(p.pkid),
        Packet::Subscribe(s) => Msg::Subscribe {
            packet_id: s.pkid,
            filters: s
                .filters
                .iter()
                .map(|f| (f.path.clone(), qos_u8(f.qos)))
                .collect(),
        },
        Packet::SubAck(s) => Msg::Suback {
            packet_id: s.pkid,
            codes: s
                .return_codes
                .iter()
                .map(|c| match c {
                    SubscribeReasonCode::Success(q) => qos_u8(*q),
                    SubscribeReasonCode::Failure => 0x80,
                })
                .collect(),
        },
        Packet::PingReq => Msg::Pingreq,
        Packet::PingResp => Msg::Pingresp,
        other => panic!("{NAME}: unexpected {other:?}"),
    }
}

/// The packets, built outside the timer. rumqttc's types own their strings; payloads are
/// `Bytes`, built once here.
pub fn packets(msgs: &[Msg]) -> Vec<Packet> {
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
                let mut connect = Connect::new(client_id.as_str());
                connect.keep_alive = *keep_alive;
                connect.clean_session = true;
                connect.last_will = Some(LastWill::new(
                    will_topic.as_str(),
                    will_message.clone(),
                    qos(*will_qos),
                    *will_retain,
                ));
                connect.login = Some(Login::new(username.as_str(), password.as_str()));
                Packet::Connect(connect)
            }
            Msg::Publish {
                topic,
                qos: q,
                packet_id,
                payload,
            } => {
                let mut publish =
                    Publish::from_bytes(topic.as_str(), qos(*q), Bytes::from(payload.clone()));
                publish.pkid = *packet_id;
                Packet::Publish(publish)
            }
            Msg::Puback(id) => Packet::PubAck(PubAck::new(*id)),
            Msg::Subscribe { packet_id, filters } => {
                let mut subscribe = Subscribe::new_many(
                    filters
                        .iter()
                        .map(|(f, q)| SubscribeFilter::new(f.clone(), qos(*q))),
                );
                subscribe.pkid = *packet_id;
                Packet::Subscribe(subscribe)
            }
            Msg::Suback { packet_id, codes } => Packet::SubAck(SubAck::new(
                *packet_id,
                codes
                    .iter()
                    .map(|&c| match c {
                        0x80 => SubscribeReasonCode::Failure,
                        q => SubscribeReasonCode::Success(qos(q)),
                    })
                    .collect(),
            )),
            Msg::Pingreq => Packet::PingReq,
            Msg::Pingresp => Packet::PingResp,
        })
        .collect()
}

/// Appends every packet to `out`, cleared first (its capacity is kept, so nothing is
/// allocated once it has grown to the stream's size).
#[inline(never)]
pub fn encode_all(packets: &[Packet], out: &mut BytesMut) -> usize {
    out.clear();
    for packet in packets {
        packet.write(out, MAX).expect("encodes");
    }
    out.len()
}

/// Every packet encoded into its own empty buffer, then joined: for the check before timing.
///
/// rumqttc 0.25.1's `Connect::write` sets the connect flags at a fixed index counted from the
/// start of the output buffer (`buffer[flags_index] = connect_flags`), so a CONNECT appended
/// after other bytes comes out with flags `0x02` and overwrites a byte of an earlier packet.
/// A client writes CONNECT first, into an empty buffer, where this does not show; the check
/// encodes each packet on its own so that it can still compare every other byte. The timed
/// loop appends, as rumqttc's own `Codec` does: the misplaced store costs the same.
pub fn encode_each(packets: &[Packet]) -> Vec<u8> {
    let mut joined = Vec::new();
    for packet in packets {
        let mut out = BytesMut::new();
        packet.write(&mut out, MAX).expect("encodes");
        joined.extend_from_slice(&out);
    }
    joined
}
