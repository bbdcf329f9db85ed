//! mqtt5-protocol 0.16 (the packet layer of the `mqtt5` client): `FixedHeader::decode`, then
//! `Packet::decode_from_body` on the body's slice, as its own tests do. Properties are held
//! in a map from identifier to values (User Properties keep their order within it).

use std::hint::black_box;

use bytes::BytesMut;
use mqtt5_protocol::{FixedHeader, Packet, Properties, PropertyId, PropertyValue};

use crate::workload5::{Msg5, SubOptions};

pub const NAME: &str = "mqtt5-protocol";

fn decode_one(rest: &mut &[u8]) -> mqtt5_protocol::Result<Packet> {
    let header = FixedHeader::decode(rest)?;
    let len = header.remaining_length as usize;
    let (mut body, after) = rest.split_at(len);
    let packet = Packet::decode_from_body(header.packet_type, &header, &mut body)?;
    *rest = after;
    Ok(packet)
}

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    let mut rest: &[u8] = buf;
    let mut count = 0;
    while !rest.is_empty() {
        match decode_one(&mut rest) {
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
    let mut rest = buf;
    let mut msgs = Vec::new();
    while !rest.is_empty() {
        let packet = decode_one(&mut rest).map_err(|e| format!("{e:?}"))?;
        msgs.push(to_msg(packet)?);
    }
    Ok(msgs)
}

fn user_properties(p: &Properties) -> Result<Vec<(String, String)>, String> {
    p.get_all(PropertyId::UserProperty)
        .unwrap_or_default()
        .iter()
        .map(|v| match v {
            PropertyValue::Utf8StringPair(k, v) => Ok((k.clone(), v.clone())),
            other => Err(format!("User Property as {other:?}")),
        })
        .collect()
}

fn to_msg(packet: Packet) -> Result<Msg5, String> {
    Ok(match packet {
        Packet::Connect(c) => {
            if c.will.is_some() {
                return Err("a will where there is none".into());
            }
            let p = &c.properties;
            Msg5::Connect {
                client_id: c.client_id.clone(),
                keep_alive: c.keep_alive,
                session_expiry: p.get_session_expiry_interval(),
                receive_maximum: p.get_receive_maximum(),
                topic_alias_maximum: p.get_topic_alias_maximum(),
                user_properties: user_properties(p)?,
                username: c.username.clone().ok_or("no user name")?,
                password: c.password.clone().ok_or("no password")?,
            }
        }
        Packet::Publish(p) => Msg5::Publish {
            qos: p.qos as u8,
            packet_id: p.packet_id.unwrap_or(0),
            message_expiry: p.properties.get_message_expiry_interval(),
            topic_alias: p.properties.get_topic_alias(),
            user_properties: user_properties(&p.properties)?,
            payload: p.payload.to_vec(),
            topic: p.topic_name,
        },
        Packet::PubAck(a) => Msg5::Puback {
            packet_id: a.packet_id,
            reason: u8::from(a.reason_code),
        },
        Packet::Subscribe(s) => Msg5::Subscribe {
            packet_id: s.packet_id,
            subscription_identifier: s.properties.get_subscription_identifier(),
            filters: s
                .filters
                .iter()
                .map(|f| SubOptions {
                    filter: f.filter.clone(),
                    qos: f.options.qos as u8,
                    no_local: f.options.no_local,
                    retain_as_published: f.options.retain_as_published,
                    retain_handling: f.options.retain_handling as u8,
                })
                .collect(),
        },
        Packet::SubAck(s) => Msg5::Suback {
            packet_id: s.packet_id,
            reasons: s.reason_codes.iter().map(|c| *c as u8).collect(),
        },
        Packet::PingReq => Msg5::Pingreq,
        Packet::PingResp => Msg5::Pingresp,
        Packet::Disconnect(d) => Msg5::Disconnect {
            reason: u8::from(d.reason_code),
        },
        other => return Err(format!("unexpected {other:?}")),
    })
}
