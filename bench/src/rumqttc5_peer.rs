//! rumqttc's MQTT 5.0 codec (`rumqttc::v5::mqttbytes::v5`), used as its own `Codec` does:
//! `Packet::read` splits each packet off the front of the receive `BytesMut`.

use std::hint::black_box;

use bytes::BytesMut;
use rumqttc::v5::mqttbytes::v5::{Packet, PubAckReason, RetainForwardRule, SubscribeReasonCode};
use rumqttc::v5::mqttbytes::QoS;

use crate::workload5::{Msg5, SubOptions};

pub const NAME: &str = "rumqttc-v5";

#[inline(never)]
pub fn decode_all(buf: &mut BytesMut) -> usize {
    let mut count = 0;
    while !buf.is_empty() {
        match Packet::read(buf, None) {
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
    let mut msgs = Vec::new();
    while !buf.is_empty() {
        let packet = Packet::read(&mut buf, None).map_err(|e| format!("{e:?}"))?;
        msgs.push(to_msg(packet)?);
    }
    Ok(msgs)
}

fn qos(q: QoS) -> u8 {
    q as u8
}

fn text(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
}

fn to_msg(packet: Packet) -> Result<Msg5, String> {
    Ok(match packet {
        Packet::Connect(c, will, login) => {
            if will.is_some() {
                return Err("a will where there is none".into());
            }
            let login = login.ok_or("no credentials")?;
            let p = c.properties.ok_or("no CONNECT properties")?;
            Msg5::Connect {
                client_id: c.client_id,
                keep_alive: c.keep_alive,
                session_expiry: p.session_expiry_interval,
                receive_maximum: p.receive_maximum,
                topic_alias_maximum: p.topic_alias_max,
                user_properties: p.user_properties,
                username: login.username,
                password: login.password.into_bytes(),
            }
        }
        Packet::Publish(p) => {
            let props = p.properties.unwrap_or_default();
            Msg5::Publish {
                topic: text(&p.topic)?,
                qos: qos(p.qos),
                packet_id: p.pkid,
                message_expiry: props.message_expiry_interval,
                topic_alias: props.topic_alias,
                user_properties: props.user_properties,
                payload: p.payload.to_vec(),
            }
        }
        Packet::PubAck(a) => Msg5::Puback {
            packet_id: a.pkid,
            reason: match a.reason {
                PubAckReason::Success => 0x00,
                PubAckReason::NoMatchingSubscribers => 0x10,
                other => return Err(format!("PUBACK reason {other:?}")),
            },
        },
        Packet::Subscribe(s) => Msg5::Subscribe {
            packet_id: s.pkid,
            subscription_identifier: s.properties.and_then(|p| p.id).map(|id| id as u32),
            filters: s
                .filters
                .into_iter()
                .map(|f| SubOptions {
                    filter: f.path,
                    qos: qos(f.qos),
                    no_local: f.nolocal,
                    retain_as_published: f.preserve_retain,
                    retain_handling: match f.retain_forward_rule {
                        RetainForwardRule::OnEverySubscribe => 0,
                        RetainForwardRule::OnNewSubscribe => 1,
                        RetainForwardRule::Never => 2,
                    },
                })
                .collect(),
        },
        Packet::SubAck(s) => Msg5::Suback {
            packet_id: s.pkid,
            reasons: s
                .return_codes
                .iter()
                .map(|c| match c {
                    SubscribeReasonCode::Success(q) => Ok(qos(*q)),
                    SubscribeReasonCode::NotAuthorized => Ok(0x87),
                    other => Err(format!("SUBACK reason {other:?}")),
                })
                .collect::<Result<_, _>>()?,
        },
        Packet::PingReq(_) => Msg5::Pingreq,
        Packet::PingResp(_) => Msg5::Pingresp,
        Packet::Disconnect(d) => Msg5::Disconnect {
            reason: d.reason_code as u8,
        },
        other => return Err(format!("unexpected {other:?}")),
    })
}
