//! mqtt-proto 0.4's MQTT 5.0 codec (`mqtt_proto::v5`): `Packet::decode` on a slice, as its
//! documentation shows. It does not say how many bytes a packet used, so, as for mqttrs, the
//! loop reads the Remaining Length to find the next frame, inside the timer.

use std::hint::black_box;

use bytes::BytesMut;
use mqtt_proto::v5::{Packet, UserProperty};
use mqtt_proto::{QoS, QosPid};

use crate::workload::frame_len;
use crate::workload5::{Msg5, SubOptions};

pub const NAME: &str = "mqtt-proto";

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    let mut rest: &[u8] = buf;
    let mut count = 0;
    while !rest.is_empty() {
        match Packet::decode(rest) {
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

pub fn decode_to_msgs(buf: &[u8]) -> Result<Vec<Msg5>, String> {
    let mut rest = buf;
    let mut msgs = Vec::new();
    while !rest.is_empty() {
        let packet = Packet::decode(rest)
            .map_err(|e| format!("{e:?}"))?
            .ok_or("incomplete")?;
        msgs.push(to_msg(packet)?);
        rest = &rest[frame_len(rest)..];
    }
    Ok(msgs)
}

fn pairs(list: &[UserProperty]) -> Vec<(String, String)> {
    list.iter()
        .map(|p| (p.name.to_string(), p.value.to_string()))
        .collect()
}

fn qos(q: QoS) -> u8 {
    q as u8
}

fn to_msg(packet: Packet) -> Result<Msg5, String> {
    Ok(match packet {
        Packet::Connect(c) => {
            if c.last_will.is_some() {
                return Err("a will where there is none".into());
            }
            let p = &c.properties;
            Msg5::Connect {
                client_id: c.client_id.to_string(),
                keep_alive: c.keep_alive,
                session_expiry: p.session_expiry_interval,
                receive_maximum: p.receive_max,
                topic_alias_maximum: p.topic_alias_max,
                user_properties: pairs(&p.user_properties),
                username: c.username.ok_or("no user name")?.to_string(),
                password: c.password.ok_or("no password")?.to_vec(),
            }
        }
        Packet::Publish(p) => {
            let (qos, packet_id) = match p.qos_pid {
                QosPid::Level0 => (0, 0),
                QosPid::Level1(pid) => (1, pid.value()),
                QosPid::Level2(pid) => (2, pid.value()),
            };
            Msg5::Publish {
                topic: p.topic_name.to_string(),
                qos,
                packet_id,
                message_expiry: p.properties.message_expiry_interval,
                topic_alias: p.properties.topic_alias,
                user_properties: pairs(&p.properties.user_properties),
                payload: p.payload.to_vec(),
            }
        }
        Packet::Puback(a) => Msg5::Puback {
            packet_id: a.pid.value(),
            reason: a.reason_code as u8,
        },
        Packet::Subscribe(s) => Msg5::Subscribe {
            packet_id: s.pid.value(),
            subscription_identifier: s.properties.subscription_id.map(|id| id.value()),
            filters: s
                .topics
                .iter()
                .map(|(filter, o)| SubOptions {
                    filter: filter.to_string(),
                    qos: qos(o.max_qos),
                    no_local: o.no_local,
                    retain_as_published: o.retain_as_published,
                    retain_handling: o.retain_handling as u8,
                })
                .collect(),
        },
        Packet::Suback(s) => Msg5::Suback {
            packet_id: s.pid.value(),
            reasons: s.topics.iter().map(|c| *c as u8).collect(),
        },
        Packet::Pingreq => Msg5::Pingreq,
        Packet::Pingresp => Msg5::Pingresp,
        Packet::Disconnect(d) => Msg5::Disconnect {
            reason: d.reason_code as u8,
        },
        other => return Err(format!("unexpected {other:?}")),
    })
}
