//! rmqtt-codec 0.3's MQTT 5.0 codec (`rmqtt_codec::v5::Codec`), used as the broker uses it:
//! `tokio_util`'s `Decoder::decode` on the receive `BytesMut`, which splits each packet off
//! its front. Its CONNECT holds the Session Expiry Interval and the Topic Alias Maximum as
//! plain numbers, 0 when absent, so they are compared as `Some` when not 0 (the workloads
//! send 3600 and 10).

use std::hint::black_box;

use bytes::BytesMut;
use rmqtt_codec::v5::{Codec, Packet, UserProperties};
use tokio_util::codec::Decoder;

use crate::workload5::{Msg5, SubOptions};

pub const NAME: &str = "rmqtt-codec";

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    // No size limit (0), as for the others.
    let mut codec = Codec::new(0, 0);
    let mut count = 0;
    while !buf.is_empty() {
        match codec.decode(buf) {
            Ok(Some(packet)) => {
                black_box(&packet);
                count += 1;
            }
            other => panic!("{NAME}: {other:?}"),
        }
    }
    count
}

pub fn decode_to_msgs(buf: &[u8]) -> Result<Vec<Msg5>, String> {
    let mut buf = BytesMut::from(buf);
    let mut codec = Codec::new(0, 0);
    let mut msgs = Vec::new();
    while !buf.is_empty() {
        let (packet, _) = codec
            .decode(&mut buf)
            .map_err(|e| format!("{e:?}"))?
            .ok_or("incomplete")?;
        msgs.push(to_msg(packet)?);
    }
    Ok(msgs)
}

fn pairs(list: &UserProperties) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn to_msg(packet: Packet) -> Result<Msg5, String> {
    Ok(match packet {
        Packet::Connect(c) => {
            if c.last_will.is_some() {
                return Err("a will where there is none".into());
            }
            Msg5::Connect {
                client_id: c.client_id.to_string(),
                keep_alive: c.keep_alive,
                session_expiry: Some(c.session_expiry_interval_secs).filter(|&s| s != 0),
                receive_maximum: c.receive_max.map(|r| r.get()),
                topic_alias_maximum: Some(c.topic_alias_max).filter(|&t| t != 0),
                user_properties: pairs(&c.user_properties),
                username: c.username.as_ref().ok_or("no user name")?.to_string(),
                password: c.password.as_ref().ok_or("no password")?.to_vec(),
            }
        }
        Packet::Publish(p) => {
            let props = p.properties.clone().unwrap_or_default();
            Msg5::Publish {
                topic: p.topic.to_string(),
                qos: p.qos as u8,
                packet_id: p.packet_id.map_or(0, |id| id.get()),
                message_expiry: props.message_expiry_interval.map(|e| e.get()),
                topic_alias: props.topic_alias.map(|a| a.get()),
                user_properties: pairs(&props.user_properties),
                payload: p.payload.to_vec(),
            }
        }
        Packet::PublishAck(a) => Msg5::Puback {
            packet_id: a.packet_id.get(),
            reason: a.reason_code as u8,
        },
        Packet::Subscribe(s) => Msg5::Subscribe {
            packet_id: s.packet_id.get(),
            subscription_identifier: s.id.map(|id| id.get()),
            filters: s
                .topic_filters
                .iter()
                .map(|(filter, o)| SubOptions {
                    filter: filter.to_string(),
                    qos: o.qos as u8,
                    no_local: o.no_local,
                    retain_as_published: o.retain_as_published,
                    retain_handling: o.retain_handling as u8,
                })
                .collect(),
        },
        Packet::SubscribeAck(s) => Msg5::Suback {
            packet_id: s.packet_id.get(),
            reasons: s.status.iter().map(|c| *c as u8).collect(),
        },
        Packet::PingRequest => Msg5::Pingreq,
        Packet::PingResponse => Msg5::Pingresp,
        Packet::Disconnect(d) => Msg5::Disconnect {
            reason: d.reason_code as u8,
        },
        other => return Err(format!("unexpected {other:?}")),
    })
}
