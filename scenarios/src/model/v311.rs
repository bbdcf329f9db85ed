//! The MQTT 3.1.1 packet model (`vectors/README.md`) and this codec's `v311` packets (a copy of
//! `conformance/src/model/v311.rs`).

use std::num::NonZeroU16;

use mqtt_wire::v311::{
    Connack, Connect, ConnectReturnCode, Delivery, Packet, Puback, Pubcomp, Publish, Pubrec,
    Pubrel, Suback, SubackReturnCode, Subscribe, Subscription, Unsuback, Unsubscribe, Will,
};
use mqtt_wire::{PacketType, QoS, TopicFilter, TopicName};
use serde_json::{json, Map, Value};

use super::{array, boolean, err, field, nullable, number, packet_id, qos, string};
use crate::hex;

/// The JSON model of a decoded packet (see `vectors/README.md`).
pub fn packet_to_json(packet: &Packet<'_>) -> Value {
    let name = packet.packet_type().name();
    let mut body = match packet {
        Packet::Connect(c) => json!({
            "protocol_name": "MQTT",
            "protocol_level": 4,
            "clean_session": c.clean_session(),
            "keep_alive": c.keep_alive(),
            "client_id": c.client_id(),
            "will": c.will().map(|w| json!({
                "topic": w.topic().as_str(),
                "message": hex::format(w.message()),
                "qos": w.qos().as_u8(),
                "retain": w.retain(),
            })),
            "username": c.username(),
            "password": c.password().map(hex::format),
        }),
        Packet::Connack(c) => json!({
            "session_present": c.session_present(),
            "return_code": c.return_code().as_u8(),
        }),
        Packet::Publish(p) => json!({
            "dup": p.dup(),
            "qos": p.qos().as_u8(),
            "retain": p.retain(),
            "topic": p.topic().as_str(),
            "packet_id": p.packet_id().map(NonZeroU16::get),
            "payload": hex::format(p.payload()),
        }),
        Packet::Puback(p) => json!({ "packet_id": p.packet_id().get() }),
        Packet::Pubrec(p) => json!({ "packet_id": p.packet_id().get() }),
        Packet::Pubrel(p) => json!({ "packet_id": p.packet_id().get() }),
        Packet::Pubcomp(p) => json!({ "packet_id": p.packet_id().get() }),
        Packet::Unsuback(p) => json!({ "packet_id": p.packet_id().get() }),
        Packet::Subscribe(s) => json!({
            "packet_id": s.packet_id().get(),
            "subscriptions": s.subscriptions().iter()
                .map(|s| json!({ "filter": s.filter.as_str(), "qos": s.qos.as_u8() }))
                .collect::<Vec<_>>(),
        }),
        Packet::Suback(s) => json!({
            "packet_id": s.packet_id().get(),
            "return_codes": s.return_codes().iter().map(SubackReturnCode::as_u8).collect::<Vec<_>>(),
        }),
        Packet::Unsubscribe(u) => json!({
            "packet_id": u.packet_id().get(),
            "filters": u.filters().iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        }),
        _ => json!({}),
    };
    let mut out = Map::new();
    out.insert("type".into(), name.into());
    if let Value::Object(fields) = body.take() {
        out.extend(fields);
    }
    Value::Object(out)
}

/// A packet read from its JSON model into owned values, from which a codec packet can be
/// borrowed.
#[derive(Debug)]
pub enum OwnedModel {
    /// CONNECT.
    Connect {
        /// Client Identifier.
        client_id: String,
        /// Clean Session.
        clean_session: bool,
        /// Keep Alive.
        keep_alive: u16,
        /// Will topic, message, QoS and retain.
        will: Option<(String, Vec<u8>, QoS, bool)>,
        /// User Name.
        username: Option<String>,
        /// Password.
        password: Option<Vec<u8>>,
    },
    /// CONNACK.
    Connack(bool, ConnectReturnCode),
    /// PUBLISH.
    Publish {
        /// DUP.
        dup: bool,
        /// RETAIN.
        retain: bool,
        /// Topic Name.
        topic: String,
        /// QoS and Packet Identifier.
        delivery: Delivery,
        /// Payload.
        payload: Vec<u8>,
    },
    /// PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK, and its Packet Identifier.
    Ack(PacketType, NonZeroU16),
    /// SUBSCRIBE: Packet Identifier and (filter, QoS) pairs.
    Subscribe(NonZeroU16, Vec<(String, QoS)>),
    /// SUBACK: Packet Identifier and return codes.
    Suback(NonZeroU16, Vec<SubackReturnCode>),
    /// UNSUBSCRIBE: Packet Identifier and filters.
    Unsubscribe(NonZeroU16, Vec<String>),
    /// PINGREQ, PINGRESP or DISCONNECT.
    Empty(PacketType),
}

impl OwnedModel {
    /// Reads a packet model. Fails with a message naming the field that is missing or wrong.
    pub fn from_json(model: &Value) -> Result<OwnedModel, String> {
        Ok(match string(model, "type")?.as_str() {
            "CONNECT" => {
                if string(model, "protocol_name")? != "MQTT"
                    || number(model, "protocol_level")? != 4
                {
                    return Err("only protocol name \"MQTT\" at level 4 can be encoded".into());
                }
                let keep_alive = u16::try_from(number(model, "keep_alive")?)
                    .map_err(|_| "keep_alive above 65535")?;
                let will = nullable(model, "will", |will| {
                    Ok((
                        string(will, "topic")?,
                        hex::parse(&string(will, "message")?)?,
                        qos(number(will, "qos")?)?,
                        boolean(will, "retain")?,
                    ))
                })?;
                OwnedModel::Connect {
                    client_id: string(model, "client_id")?,
                    clean_session: boolean(model, "clean_session")?,
                    keep_alive,
                    will,
                    username: nullable(model, "username", |_| string(model, "username"))?,
                    password: nullable(model, "password", |_| {
                        hex::parse(&string(model, "password")?)
                    })?,
                }
            }
            "CONNACK" => {
                let code = number(model, "return_code")?;
                let code = u8::try_from(code)
                    .ok()
                    .and_then(ConnectReturnCode::from_u8)
                    .ok_or_else(|| format!("return_code {code} is not 0-5"))?;
                OwnedModel::Connack(boolean(model, "session_present")?, code)
            }
            "PUBLISH" => {
                let id = nullable(model, "packet_id", |_| packet_id(model))?;
                let delivery = match (qos(number(model, "qos")?)?, id) {
                    (QoS::AtMostOnce, None) => Delivery::AtMostOnce,
                    (QoS::AtLeastOnce, Some(id)) => Delivery::AtLeastOnce(id),
                    (QoS::ExactlyOnce, Some(id)) => Delivery::ExactlyOnce(id),
                    _ => {
                        return Err(
                            "a PUBLISH has a packet_id exactly when its QoS is above 0".into()
                        )
                    }
                };
                OwnedModel::Publish {
                    dup: boolean(model, "dup")?,
                    retain: boolean(model, "retain")?,
                    topic: string(model, "topic")?,
                    delivery,
                    payload: hex::parse_segments(field(model, "payload")?)?,
                }
            }
            "PUBACK" => OwnedModel::Ack(PacketType::Puback, packet_id(model)?),
            "PUBREC" => OwnedModel::Ack(PacketType::Pubrec, packet_id(model)?),
            "PUBREL" => OwnedModel::Ack(PacketType::Pubrel, packet_id(model)?),
            "PUBCOMP" => OwnedModel::Ack(PacketType::Pubcomp, packet_id(model)?),
            "UNSUBACK" => OwnedModel::Ack(PacketType::Unsuback, packet_id(model)?),
            "SUBSCRIBE" => {
                let subscriptions = array(model, "subscriptions")?
                    .iter()
                    .map(|s| Ok((string(s, "filter")?, qos(number(s, "qos")?)?)))
                    .collect::<Result<_, String>>()?;
                OwnedModel::Subscribe(packet_id(model)?, subscriptions)
            }
            "SUBACK" => {
                let codes = array(model, "return_codes")?
                    .iter()
                    .map(|c| {
                        c.as_u64()
                            .and_then(|c| u8::try_from(c).ok())
                            .and_then(SubackReturnCode::from_u8)
                            .ok_or_else(|| format!("SUBACK return code {c} is not 0, 1, 2 or 128"))
                    })
                    .collect::<Result<_, String>>()?;
                OwnedModel::Suback(packet_id(model)?, codes)
            }
            "UNSUBSCRIBE" => {
                let filters = array(model, "filters")?
                    .iter()
                    .map(|f| {
                        f.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| "a filter is not a string".to_owned())
                    })
                    .collect::<Result<_, String>>()?;
                OwnedModel::Unsubscribe(packet_id(model)?, filters)
            }
            "PINGREQ" => OwnedModel::Empty(PacketType::Pingreq),
            "PINGRESP" => OwnedModel::Empty(PacketType::Pingresp),
            "DISCONNECT" => OwnedModel::Empty(PacketType::Disconnect),
            other => return Err(format!("unknown packet type {other:?}")),
        })
    }

    /// Builds the packet through the codec's constructors (which may refuse it) and hands it
    /// to `f`: the packet borrows from `self` and from lists built here.
    pub fn with_packet<R>(&self, f: impl FnOnce(Packet<'_>) -> R) -> Result<R, String> {
        Ok(match self {
            OwnedModel::Connect {
                client_id,
                clean_session,
                keep_alive,
                will,
                username,
                password,
            } => {
                let mut c = Connect::new(client_id, *clean_session, *keep_alive).map_err(err)?;
                if let Some((topic, message, qos, retain)) = will {
                    let topic = TopicName::new(topic).map_err(err)?;
                    c = c.with_will(Will::new(topic, message, *qos, *retain).map_err(err)?);
                }
                if let Some(username) = username {
                    c = c.with_username(username).map_err(err)?;
                }
                if let Some(password) = password {
                    c = c.with_password(password).map_err(err)?;
                }
                f(c.into())
            }
            OwnedModel::Connack(session_present, code) => {
                f(Connack::new(*session_present, *code).map_err(err)?.into())
            }
            OwnedModel::Publish {
                dup,
                retain,
                topic,
                delivery,
                payload,
            } => {
                let topic = TopicName::new(topic).map_err(err)?;
                let publish = Publish::new(topic, *delivery, payload).map_err(err)?;
                f(publish
                    .with_dup(*dup)
                    .map_err(err)?
                    .with_retain(*retain)
                    .into())
            }
            OwnedModel::Ack(packet_type, id) => f(match packet_type {
                PacketType::Puback => Puback::new(*id).into(),
                PacketType::Pubrec => Pubrec::new(*id).into(),
                PacketType::Pubrel => Pubrel::new(*id).into(),
                PacketType::Pubcomp => Pubcomp::new(*id).into(),
                _ => Unsuback::new(*id).into(),
            }),
            OwnedModel::Subscribe(id, subscriptions) => {
                let items = subscriptions
                    .iter()
                    .map(|(filter, qos)| {
                        Ok(Subscription::new(
                            TopicFilter::new(filter).map_err(err)?,
                            *qos,
                        ))
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                f(Subscribe::new(*id, &items).map_err(err)?.into())
            }
            OwnedModel::Suback(id, codes) => f(Suback::new(*id, codes).map_err(err)?.into()),
            OwnedModel::Unsubscribe(id, filters) => {
                let items = filters
                    .iter()
                    .map(|filter| TopicFilter::new(filter).map_err(err))
                    .collect::<Result<Vec<_>, String>>()?;
                f(Unsubscribe::new(*id, &items).map_err(err)?.into())
            }
            OwnedModel::Empty(PacketType::Pingreq) => f(Packet::Pingreq),
            OwnedModel::Empty(PacketType::Pingresp) => f(Packet::Pingresp),
            OwnedModel::Empty(_) => f(Packet::Disconnect),
        })
    }
}

/// Encodes a JSON packet model with this codec.
pub fn encode_json(model: &Value) -> Result<Vec<u8>, String> {
    let owned = OwnedModel::from_json(model)?;
    owned.with_packet(|packet| {
        let mut out = Vec::with_capacity(packet.encoded_len());
        packet.encode_to_vec(&mut out);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_round_trips_through_the_codec() {
        let models = [
            json!({"type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 4, "clean_session": true,
                   "keep_alive": 60, "client_id": "c", "will": {"topic": "t", "message": "6d", "qos": 1, "retain": true},
                   "username": "u", "password": "70"}),
            json!({"type": "PUBLISH", "dup": true, "qos": 2, "retain": false, "topic": "a/b", "packet_id": 9, "payload": "00ff"}),
            json!({"type": "SUBSCRIBE", "packet_id": 3, "subscriptions": [{"filter": "a/+", "qos": 1}, {"filter": "#", "qos": 0}]}),
            json!({"type": "SUBACK", "packet_id": 3, "return_codes": [0, 128]}),
            json!({"type": "UNSUBSCRIBE", "packet_id": 3, "filters": ["a", "b/#"]}),
            json!({"type": "CONNACK", "session_present": true, "return_code": 0}),
            json!({"type": "PUBREL", "packet_id": 65535}),
            json!({"type": "PINGRESP"}),
        ];
        for model in models {
            let bytes = encode_json(&model).unwrap();
            let (packet, used) = mqtt_wire::v311::decode(&bytes).unwrap().complete().unwrap();
            assert_eq!(used, bytes.len());
            assert_eq!(packet_to_json(&packet), model);
        }
    }

    #[test]
    fn reports_what_is_wrong_with_a_model() {
        let e = encode_json(
            &json!({"type": "PUBLISH", "dup": false, "qos": 0, "retain": false, "topic": "a/#", "packet_id": null, "payload": ""}),
        );
        assert!(e.unwrap_err().contains("wildcard"));
        let e = encode_json(&json!({"type": "PUBACK"}));
        assert_eq!(e.unwrap_err(), "missing field \"packet_id\"");
    }
}
