//! mqute-codec 0.4's MQTT 5.0 codec, used as its README shows: `PacketCodec::try_decode`
//! splits a raw packet off the front of the receive `BytesMut`, and `v5::Packet::decode`
//! decodes it.

use std::hint::black_box;

use bytes::BytesMut;
use mqute_codec::codec::PacketCodec;
use mqute_codec::protocol::v5::Packet;

use crate::workload5::{Msg5, SubOptions};

pub const NAME: &str = "mqute-codec";

fn decode_one(codec: &PacketCodec, buf: &mut BytesMut) -> Result<Packet, mqute_codec::Error> {
    Packet::decode(codec.try_decode(buf)?)
}

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    // No size limit beyond the protocol's, as for the others.
    let codec = PacketCodec::new(None, None);
    let mut count = 0;
    while !buf.is_empty() {
        match decode_one(&codec, buf) {
            Ok(packet) => {
                black_box(&packet);
                count += 1;
            }
            Err(e) => panic!("{NAME}: {e:?}"),
        }
    }
    count
}

pub fn decode_to_msgs(buf: &[u8]) -> Result<Vec<Msg5>, String> {
    let mut buf = BytesMut::from(buf);
    let codec = PacketCodec::new(None, None);
    let mut msgs = Vec::new();
    while !buf.is_empty() {
        let packet = decode_one(&codec, &mut buf).map_err(|e| format!("{e:?}"))?;
        msgs.push(to_msg(packet)?);
    }
    Ok(msgs)
}

fn seconds(d: Option<std::time::Duration>) -> Option<u32> {
    d.map(|d| d.as_secs() as u32)
}

fn to_msg(packet: Packet) -> Result<Msg5, String> {
    Ok(match packet {
        Packet::Connect(c) => {
            if c.will().is_some() {
                return Err("a will where there is none".into());
            }
            let p = c.properties().ok_or("no CONNECT properties")?;
            let credentials = c.credentials().ok_or("no credentials")?;
            Msg5::Connect {
                client_id: c.client_id(),
                keep_alive: c.keep_alive().as_secs() as u16,
                session_expiry: seconds(p.session_expiry_interval),
                receive_maximum: p.receive_maximum,
                topic_alias_maximum: p.topic_alias_maximum,
                user_properties: p.user_properties,
                username: credentials.username(),
                password: credentials.password().ok_or("no password")?.into_bytes(),
            }
        }
        Packet::Publish(p) => {
            let props = p.properties().unwrap_or_default();
            Msg5::Publish {
                topic: p.topic(),
                qos: p.flags().qos as u8,
                packet_id: p.packet_id().unwrap_or(0),
                message_expiry: seconds(props.message_expiry_interval),
                topic_alias: props.topic_alias,
                user_properties: props.user_properties,
                payload: p.payload().to_vec(),
            }
        }
        Packet::PubAck(a) => Msg5::Puback {
            packet_id: a.packet_id(),
            reason: u8::from(a.code()),
        },
        Packet::Subscribe(s) => Msg5::Subscribe {
            packet_id: s.packet_id(),
            subscription_identifier: s.properties().and_then(|p| p.subscription_id),
            filters: s
                .filters()
                .into_iter()
                .map(|f| SubOptions {
                    filter: f.topic.clone(),
                    qos: f.qos as u8,
                    no_local: f.no_local,
                    retain_as_published: f.retain_as_published,
                    retain_handling: f.retain_handling as u8,
                })
                .collect(),
        },
        Packet::SubAck(s) => Msg5::Suback {
            packet_id: s.packet_id(),
            reasons: s.codes().into_iter().map(u8::from).collect(),
        },
        Packet::PingReq(_) => Msg5::Pingreq,
        Packet::PingResp(_) => Msg5::Pingresp,
        Packet::Disconnect(d) => Msg5::Disconnect {
            reason: u8::from(d.code()),
        },
        other => return Err(format!("unexpected {other:?}")),
    })
}
