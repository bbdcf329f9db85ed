//! This crate's MQTT 5.0 decoder (`mqtt_wire::v5`), over the receive buffer as a slice: each
//! packet borrows from it, nothing is copied or allocated.

use std::hint::black_box;

use bytes::BytesMut;
use mqtt_wire::v5::{self, Packet};
use mqtt_wire::Status;

use crate::workload5::{Msg5, SubOptions};

pub const NAME: &str = "mqtt-wire";

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    let mut rest: &[u8] = buf;
    let mut count = 0;
    while !rest.is_empty() {
        match v5::decode(rest) {
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

pub fn decode_to_msgs(buf: &[u8]) -> Result<Vec<Msg5>, String> {
    let mut rest = buf;
    let mut msgs = Vec::new();
    while !rest.is_empty() {
        let (packet, used) = match v5::decode(rest) {
            Ok(Status::Complete(done)) => done,
            other => return Err(format!("{other:?}")),
        };
        msgs.push(to_msg(&packet)?);
        rest = &rest[used..];
    }
    Ok(msgs)
}

fn users(p: &v5::Properties<'_>) -> Vec<(String, String)> {
    p.user_properties()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn to_msg(packet: &Packet<'_>) -> Result<Msg5, String> {
    Ok(match packet {
        Packet::Connect(c) => {
            if c.will().is_some() {
                return Err("a will where there is none".into());
            }
            let p = c.properties();
            Msg5::Connect {
                client_id: c.client_id().to_string(),
                keep_alive: c.keep_alive(),
                session_expiry: p.session_expiry_interval(),
                receive_maximum: p.receive_maximum(),
                topic_alias_maximum: p.topic_alias_maximum(),
                user_properties: users(&p),
                username: c.username().ok_or("no user name")?.to_string(),
                password: c.password().ok_or("no password")?.to_vec(),
            }
        }
        Packet::Publish(p) => {
            let props = p.properties();
            Msg5::Publish {
                topic: p.topic().to_string(),
                qos: p.qos().as_u8(),
                packet_id: p.delivery().packet_id().map_or(0, |id| id.get()),
                message_expiry: props.message_expiry_interval(),
                topic_alias: props.topic_alias(),
                user_properties: users(&props),
                payload: p.payload().to_vec(),
            }
        }
        Packet::Puback(a) => Msg5::Puback {
            packet_id: a.packet_id().get(),
            reason: a.reason_code().value(),
        },
        Packet::Subscribe(s) => Msg5::Subscribe {
            packet_id: s.packet_id().get(),
            subscription_identifier: s.properties().subscription_identifiers().next(),
            filters: s
                .subscriptions()
                .iter()
                .map(|sub| {
                    let o = sub.options();
                    SubOptions {
                        filter: sub.filter().as_str().to_string(),
                        qos: o.qos.as_u8(),
                        no_local: o.no_local,
                        retain_as_published: o.retain_as_published,
                        retain_handling: match o.retain_handling {
                            v5::RetainHandling::OnSubscribe => 0,
                            v5::RetainHandling::OnNewSubscribe => 1,
                            v5::RetainHandling::Never => 2,
                        },
                    }
                })
                .collect(),
        },
        Packet::Suback(s) => Msg5::Suback {
            packet_id: s.packet_id().get(),
            reasons: s.reason_codes().iter().map(|c| c.value()).collect(),
        },
        Packet::Pingreq => Msg5::Pingreq,
        Packet::Pingresp => Msg5::Pingresp,
        Packet::Disconnect(d) => Msg5::Disconnect {
            reason: d.reason_code().value(),
        },
        other => return Err(format!("unexpected {other}")),
    })
}

/// The properties of each PUBLISH of `msgs`, in the workload's wire order (Message Expiry,
/// Topic Alias, User Properties), borrowing from `msgs`.
pub fn publish_properties(msgs: &[Msg5]) -> Vec<Vec<v5::Property<'_>>> {
    msgs.iter()
        .map(|m| match m {
            Msg5::Publish {
                message_expiry,
                topic_alias,
                user_properties,
                ..
            } => {
                let mut props = Vec::new();
                if let Some(v) = message_expiry {
                    props.push(v5::Property::MessageExpiryInterval(*v));
                }
                if let Some(v) = topic_alias {
                    props.push(v5::Property::TopicAlias(*v));
                }
                for (k, v) in user_properties {
                    props.push(v5::Property::UserProperty(k, v));
                }
                props
            }
            _ => Vec::new(),
        })
        .collect()
}

/// The PUBLISH packets of `msgs` built through the constructors (the 5.0 encode workload is
/// all PUBLISH).
pub fn publishes<'a>(msgs: &'a [Msg5], props: &'a [Vec<v5::Property<'a>>]) -> Vec<Packet<'a>> {
    msgs.iter()
        .zip(props)
        .map(|(m, props)| {
            let Msg5::Publish {
                topic,
                qos,
                packet_id,
                payload,
                ..
            } = m
            else {
                panic!("{NAME}: the 5.0 encode workload holds PUBLISH packets only")
            };
            let id = std::num::NonZeroU16::new(*packet_id);
            let delivery = match (qos, id) {
                (0, _) => mqtt_wire::Delivery::AtMostOnce,
                (1, Some(id)) => mqtt_wire::Delivery::AtLeastOnce(id),
                (2, Some(id)) => mqtt_wire::Delivery::ExactlyOnce(id),
                _ => panic!("{NAME}: QoS {qos} without a packet identifier"),
            };
            let publish =
                v5::Publish::new(topic, delivery, v5::Properties::new(props), payload).unwrap();
            Packet::Publish(publish)
        })
        .collect()
}

/// Encodes every packet into `out`, back to back; the bytes written.
#[inline(never)]
pub fn encode_all(packets: &[Packet<'_>], out: &mut [u8]) -> usize {
    let mut pos = 0;
    for packet in packets {
        pos += packet.encode(&mut out[pos..]).expect("room");
    }
    pos
}
