//! The MQTT 5.0 packet model (`vectors/v5/DECISIONS.md` section 2) and this codec's `v5`
//! packets: a decoded packet to its model, and a model to a packet built through the public
//! constructors (which may refuse it), for sending (a copy of `conformance/src/model/v5.rs`).
//!
//! Properties are `[{id, name, value}]` in wire order; a reason code is `{value, name}`;
//! `reason_code: null` and `properties: null` are the short forms (the byte or the property
//! length absent), which only the acknowledgements, DISCONNECT and AUTH have.

use std::num::NonZeroU16;

use mqtt_wire::v5::{
    Ack, Connack, Connect, ListAck, Notice, Packet, Properties, Property, PropertyId, Publish,
    ReasonCode, RetainHandling, Subscribe, Subscription, SubscriptionOptions, Unsubscribe, Will,
};
use mqtt_wire::{Delivery, PacketType, QoS, TopicFilter, TopicName};
use serde_json::{json, Map, Value};

use super::{array, boolean, err, field, nullable, number, packet_id, qos, string};
use crate::hex;

/// The model of one property.
fn property_to_json(p: &Property<'_>) -> Value {
    use Property as P;
    let value = match *p {
        P::PayloadFormatIndicator(v)
        | P::RequestProblemInformation(v)
        | P::RequestResponseInformation(v)
        | P::MaximumQoS(v)
        | P::RetainAvailable(v)
        | P::WildcardSubscriptionAvailable(v)
        | P::SubscriptionIdentifierAvailable(v)
        | P::SharedSubscriptionAvailable(v) => json!(v),
        P::ServerKeepAlive(v)
        | P::ReceiveMaximum(v)
        | P::TopicAliasMaximum(v)
        | P::TopicAlias(v) => {
            json!(v)
        }
        P::MessageExpiryInterval(v)
        | P::SubscriptionIdentifier(v)
        | P::SessionExpiryInterval(v)
        | P::WillDelayInterval(v)
        | P::MaximumPacketSize(v) => json!(v),
        P::ContentType(s)
        | P::ResponseTopic(s)
        | P::AssignedClientIdentifier(s)
        | P::AuthenticationMethod(s)
        | P::ResponseInformation(s)
        | P::ServerReference(s)
        | P::ReasonString(s) => json!(s),
        P::CorrelationData(b) | P::AuthenticationData(b) => json!(hex::format(b)),
        P::UserProperty(k, v) => json!([k, v]),
        // A property this runner does not know yet: the model cannot show it.
        _ => Value::Null,
    };
    let id = p.id();
    json!({"id": id as u8, "name": id.name(), "value": value})
}

fn properties_to_json(properties: &Properties<'_>) -> Value {
    Value::Array(properties.iter().map(|p| property_to_json(&p)).collect())
}

fn reason_to_json(code: ReasonCode, packet: PacketType) -> Value {
    json!({"value": code.value(), "name": code.name(packet)})
}

/// `reason_code` and `properties` of an acknowledgement, DISCONNECT or AUTH, `null` where
/// the wire left them out.
fn tail_to_json(
    packet: PacketType,
    code: Option<ReasonCode>,
    properties: Option<Properties<'_>>,
) -> [(&'static str, Value); 2] {
    [
        (
            "reason_code",
            code.map_or(Value::Null, |c| reason_to_json(c, packet)),
        ),
        (
            "properties",
            properties.map_or(Value::Null, |p| properties_to_json(&p)),
        ),
    ]
}

/// The JSON model of a decoded 5.0 packet (`vectors/v5/DECISIONS.md` section 2).
pub fn packet_to_json(packet: &Packet<'_>) -> Value {
    let kind = packet.packet_type();
    let mut out = Map::new();
    out.insert("type".into(), kind.name().into());
    let mut put = |name: &str, value: Value| {
        out.insert(name.into(), value);
    };
    match packet {
        Packet::Connect(c) => {
            put("protocol_name", "MQTT".into());
            put("protocol_level", 5.into());
            put("clean_start", c.clean_start().into());
            put("keep_alive", c.keep_alive().into());
            put("properties", properties_to_json(&c.properties()));
            put("client_id", c.client_id().into());
            put(
                "will",
                c.will().map_or(Value::Null, |w| {
                    json!({
                        "properties": properties_to_json(&w.properties()),
                        "topic": w.topic().as_str(),
                        "message": hex::format(w.payload()),
                        "qos": w.qos().as_u8(),
                        "retain": w.retain(),
                    })
                }),
            );
            put("username", c.username().into());
            put("password", c.password().map(hex::format).into());
        }
        Packet::Connack(c) => {
            put("session_present", c.session_present().into());
            put("reason_code", reason_to_json(c.reason_code(), kind));
            put("properties", properties_to_json(&c.properties()));
        }
        Packet::Publish(p) => {
            put("dup", p.dup().into());
            put("qos", p.qos().as_u8().into());
            put("retain", p.retain().into());
            put("topic", p.topic().into());
            put(
                "packet_id",
                p.delivery().packet_id().map(NonZeroU16::get).into(),
            );
            put("properties", properties_to_json(&p.properties()));
            put("payload", hex::format(p.payload()).into());
        }
        Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => {
            put("packet_id", a.packet_id().get().into());
            let tail = tail_to_json(
                kind,
                a.has_reason_code().then(|| a.reason_code()),
                a.has_properties().then(|| a.properties()),
            );
            for (name, value) in tail {
                put(name, value);
            }
        }
        Packet::Subscribe(s) => {
            put("packet_id", s.packet_id().get().into());
            put("properties", properties_to_json(&s.properties()));
            let subscriptions = s
                .subscriptions()
                .iter()
                .map(|s| {
                    let o = s.options();
                    json!({
                        "filter": s.filter().as_str(),
                        "qos": o.qos.as_u8(),
                        "no_local": o.no_local,
                        "retain_as_published": o.retain_as_published,
                        "retain_handling": match o.retain_handling {
                            RetainHandling::OnSubscribe => 0,
                            RetainHandling::OnNewSubscribe => 1,
                            RetainHandling::Never => 2,
                        },
                    })
                })
                .collect();
            put("subscriptions", Value::Array(subscriptions));
        }
        Packet::Suback(l) | Packet::Unsuback(l) => {
            put("packet_id", l.packet_id().get().into());
            put("properties", properties_to_json(&l.properties()));
            let codes = l
                .reason_codes()
                .iter()
                .map(|c| reason_to_json(c, kind))
                .collect();
            put("reason_codes", Value::Array(codes));
        }
        Packet::Unsubscribe(u) => {
            put("packet_id", u.packet_id().get().into());
            put("properties", properties_to_json(&u.properties()));
            let filters = u.filters().iter().map(|f| f.as_str().into()).collect();
            put("filters", Value::Array(filters));
        }
        Packet::Pingreq | Packet::Pingresp => {}
        Packet::Disconnect(n) | Packet::Auth(n) => {
            let tail = tail_to_json(
                kind,
                n.has_reason_code().then(|| n.reason_code()),
                n.has_properties().then(|| n.properties()),
            );
            for (name, value) in tail {
                put(name, value);
            }
        }
    }
    Value::Object(out)
}

/// A property read from its model, owning its strings and bytes.
#[derive(Debug)]
enum OwnedProperty {
    Int(PropertyId, u32),
    Text(PropertyId, String),
    Binary(PropertyId, Vec<u8>),
    Pair(String, String),
}

impl OwnedProperty {
    fn from_json(model: &Value) -> Result<OwnedProperty, String> {
        let number = number(model, "id")?;
        let id = u8::try_from(number)
            .ok()
            .and_then(PropertyId::from_u8)
            .ok_or_else(|| format!("property id {number} is not in Table 2-4"))?;
        let name = string(model, "name")?;
        if name != id.name() {
            return Err(format!(
                "property {number:#04x} is {}, not {name:?}",
                id.name()
            ));
        }
        let value = field(model, "value")?;
        let int = |max: u64| {
            value
                .as_u64()
                .filter(|v| *v <= max)
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| format!("{name}: {value} is not a number up to {max}"))
        };
        let text = || {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{name}: {value} is not a string"))
        };
        use PropertyId as I;
        Ok(match id {
            I::PayloadFormatIndicator
            | I::RequestProblemInformation
            | I::RequestResponseInformation
            | I::MaximumQoS
            | I::RetainAvailable
            | I::WildcardSubscriptionAvailable
            | I::SubscriptionIdentifierAvailable
            | I::SharedSubscriptionAvailable => OwnedProperty::Int(id, int(0xFF)?),
            I::ServerKeepAlive | I::ReceiveMaximum | I::TopicAliasMaximum | I::TopicAlias => {
                OwnedProperty::Int(id, int(0xFFFF)?)
            }
            I::SubscriptionIdentifier => OwnedProperty::Int(id, int(268_435_455)?),
            I::MessageExpiryInterval
            | I::SessionExpiryInterval
            | I::WillDelayInterval
            | I::MaximumPacketSize => OwnedProperty::Int(id, int(u64::from(u32::MAX))?),
            I::CorrelationData | I::AuthenticationData => {
                OwnedProperty::Binary(id, hex::parse(&text()?)?)
            }
            I::UserProperty => match value.as_array().map(Vec::as_slice) {
                Some([Value::String(k), Value::String(v)]) => {
                    OwnedProperty::Pair(k.clone(), v.clone())
                }
                _ => return Err(format!("{name}: {value} is not [key, value]")),
            },
            _ => OwnedProperty::Text(id, text()?),
        })
    }

    /// The codec's property. The numbers were range-checked when read.
    fn get(&self) -> Property<'_> {
        use PropertyId as I;
        let byte = |v: u32| u8::try_from(v).unwrap_or(u8::MAX);
        let two = |v: u32| u16::try_from(v).unwrap_or(u16::MAX);
        match self {
            OwnedProperty::Int(id, v) => match id {
                I::PayloadFormatIndicator => Property::PayloadFormatIndicator(byte(*v)),
                I::RequestProblemInformation => Property::RequestProblemInformation(byte(*v)),
                I::RequestResponseInformation => Property::RequestResponseInformation(byte(*v)),
                I::MaximumQoS => Property::MaximumQoS(byte(*v)),
                I::RetainAvailable => Property::RetainAvailable(byte(*v)),
                I::WildcardSubscriptionAvailable => {
                    Property::WildcardSubscriptionAvailable(byte(*v))
                }
                I::SubscriptionIdentifierAvailable => {
                    Property::SubscriptionIdentifierAvailable(byte(*v))
                }
                I::SharedSubscriptionAvailable => Property::SharedSubscriptionAvailable(byte(*v)),
                I::ServerKeepAlive => Property::ServerKeepAlive(two(*v)),
                I::ReceiveMaximum => Property::ReceiveMaximum(two(*v)),
                I::TopicAliasMaximum => Property::TopicAliasMaximum(two(*v)),
                I::TopicAlias => Property::TopicAlias(two(*v)),
                I::SubscriptionIdentifier => Property::SubscriptionIdentifier(*v),
                I::MessageExpiryInterval => Property::MessageExpiryInterval(*v),
                I::SessionExpiryInterval => Property::SessionExpiryInterval(*v),
                I::WillDelayInterval => Property::WillDelayInterval(*v),
                _ => Property::MaximumPacketSize(*v),
            },
            OwnedProperty::Text(id, s) => match id {
                I::ContentType => Property::ContentType(s),
                I::ResponseTopic => Property::ResponseTopic(s),
                I::AssignedClientIdentifier => Property::AssignedClientIdentifier(s),
                I::AuthenticationMethod => Property::AuthenticationMethod(s),
                I::ResponseInformation => Property::ResponseInformation(s),
                I::ServerReference => Property::ServerReference(s),
                _ => Property::ReasonString(s),
            },
            OwnedProperty::Binary(I::CorrelationData, b) => Property::CorrelationData(b),
            OwnedProperty::Binary(_, b) => Property::AuthenticationData(b),
            OwnedProperty::Pair(k, v) => Property::UserProperty(k, v),
        }
    }
}

/// A property list read from its model; `None` for `null`.
fn owned_properties(model: &Value, name: &str) -> Result<Option<Vec<OwnedProperty>>, String> {
    nullable(model, name, |list| {
        list.as_array()
            .ok_or_else(|| format!("{name:?} is not an array or null"))?
            .iter()
            .map(OwnedProperty::from_json)
            .collect()
    })
}

/// A property list that may not be `null` here.
fn required_properties(model: &Value, name: &str) -> Result<Vec<OwnedProperty>, String> {
    owned_properties(model, name)?
        .ok_or_else(|| format!("{name:?} is null, which only the short forms allow"))
}

fn reason(packet: PacketType, model: &Value) -> Result<ReasonCode, String> {
    let value = number(model, "value")?;
    let code = u8::try_from(value)
        .ok()
        .and_then(|v| ReasonCode::new(packet, v))
        .ok_or_else(|| format!("reason code {value} is not in {}'s table", packet.name()))?;
    let name = string(model, "name")?;
    if name != code.name(packet) {
        return Err(format!(
            "reason code {value:#04x} of {} is {}, not {name:?}",
            packet.name(),
            code.name(packet)
        ));
    }
    Ok(code)
}

/// A packet read from its 5.0 model into owned values, from which a codec packet can be
/// borrowed.
#[derive(Debug)]
struct OwnedModel {
    packet: PacketType,
    /// The packet's own properties (`None`: `null`, a short form).
    properties: Option<Vec<OwnedProperty>>,
    /// The reason code (`None`: `null`, a short form, or a packet without one).
    reason_code: Option<ReasonCode>,
    /// What else the packet holds.
    body: Body,
}

#[derive(Debug)]
enum Body {
    Connect {
        client_id: String,
        clean_start: bool,
        keep_alive: u16,
        will: Option<OwnedWill>,
        username: Option<String>,
        password: Option<Vec<u8>>,
    },
    Connack(bool),
    Publish {
        dup: bool,
        retain: bool,
        topic: String,
        delivery: Delivery,
        payload: Vec<u8>,
    },
    Ack(NonZeroU16),
    Subscribe(NonZeroU16, Vec<(String, SubscriptionOptions)>),
    ListAck(NonZeroU16, Vec<ReasonCode>),
    Unsubscribe(NonZeroU16, Vec<String>),
    Empty,
}

#[derive(Debug)]
struct OwnedWill {
    properties: Vec<OwnedProperty>,
    topic: String,
    message: Vec<u8>,
    qos: QoS,
    retain: bool,
}

fn subscription(model: &Value) -> Result<(String, SubscriptionOptions), String> {
    let retain_handling = match number(model, "retain_handling")? {
        0 => RetainHandling::OnSubscribe,
        1 => RetainHandling::OnNewSubscribe,
        2 => RetainHandling::Never,
        n => return Err(format!("retain_handling {n} is not 0, 1 or 2")),
    };
    Ok((
        string(model, "filter")?,
        SubscriptionOptions {
            qos: qos(number(model, "qos")?)?,
            no_local: boolean(model, "no_local")?,
            retain_as_published: boolean(model, "retain_as_published")?,
            retain_handling,
        },
    ))
}

impl OwnedModel {
    fn from_json(model: &Value) -> Result<OwnedModel, String> {
        let name = string(model, "type")?;
        let packet = (1..=15)
            .filter_map(PacketType::from_u8)
            .find(|t| t.name() == name)
            .ok_or_else(|| format!("unknown packet type {name:?}"))?;
        let reason_code = |model: &Value| nullable(model, "reason_code", |c| reason(packet, c));
        let (properties, reason_code, body) = match packet {
            PacketType::Connect => {
                if string(model, "protocol_name")? != "MQTT"
                    || number(model, "protocol_level")? != 5
                {
                    return Err("only protocol name \"MQTT\" at level 5 can be encoded".into());
                }
                let keep_alive = u16::try_from(number(model, "keep_alive")?)
                    .map_err(|_| "keep_alive above 65535")?;
                let will = nullable(model, "will", |will| {
                    Ok(OwnedWill {
                        properties: required_properties(will, "properties")?,
                        topic: string(will, "topic")?,
                        message: hex::parse(&string(will, "message")?)?,
                        qos: qos(number(will, "qos")?)?,
                        retain: boolean(will, "retain")?,
                    })
                })?;
                let body = Body::Connect {
                    client_id: string(model, "client_id")?,
                    clean_start: boolean(model, "clean_start")?,
                    keep_alive,
                    will,
                    username: nullable(model, "username", |_| string(model, "username"))?,
                    password: nullable(model, "password", |_| {
                        hex::parse(&string(model, "password")?)
                    })?,
                };
                (Some(required_properties(model, "properties")?), None, body)
            }
            PacketType::Connack => (
                Some(required_properties(model, "properties")?),
                Some(reason(packet, field(model, "reason_code")?)?),
                Body::Connack(boolean(model, "session_present")?),
            ),
            PacketType::Publish => {
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
                let body = Body::Publish {
                    dup: boolean(model, "dup")?,
                    retain: boolean(model, "retain")?,
                    topic: string(model, "topic")?,
                    delivery,
                    payload: hex::parse_segments(field(model, "payload")?)?,
                };
                (Some(required_properties(model, "properties")?), None, body)
            }
            PacketType::Puback | PacketType::Pubrec | PacketType::Pubrel | PacketType::Pubcomp => (
                owned_properties(model, "properties")?,
                reason_code(model)?,
                Body::Ack(packet_id(model)?),
            ),
            PacketType::Subscribe => {
                let subscriptions = array(model, "subscriptions")?
                    .iter()
                    .map(subscription)
                    .collect::<Result<_, String>>()?;
                (
                    Some(required_properties(model, "properties")?),
                    None,
                    Body::Subscribe(packet_id(model)?, subscriptions),
                )
            }
            PacketType::Suback | PacketType::Unsuback => {
                let codes = array(model, "reason_codes")?
                    .iter()
                    .map(|c| reason(packet, c))
                    .collect::<Result<_, String>>()?;
                (
                    Some(required_properties(model, "properties")?),
                    None,
                    Body::ListAck(packet_id(model)?, codes),
                )
            }
            PacketType::Unsubscribe => {
                let filters = array(model, "filters")?
                    .iter()
                    .map(|f| {
                        f.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| "a filter is not a string".to_owned())
                    })
                    .collect::<Result<_, String>>()?;
                (
                    Some(required_properties(model, "properties")?),
                    None,
                    Body::Unsubscribe(packet_id(model)?, filters),
                )
            }
            PacketType::Disconnect | PacketType::Auth => (
                owned_properties(model, "properties")?,
                reason_code(model)?,
                Body::Empty,
            ),
            _ => (None, None, Body::Empty),
        };
        Ok(OwnedModel {
            packet,
            properties,
            reason_code,
            body,
        })
    }

    /// Builds the packet through the codec's constructors (which may refuse it) and hands
    /// it to `f`. An acknowledgement, DISCONNECT or AUTH is built in exactly the model's form
    /// (`with_form`: `null` leaves the reason code or the property length out), so a model in
    /// a longer legal form encodes to its own bytes (DECISIONS.md section 3).
    fn with_packet<R>(&self, f: impl FnOnce(Packet<'_>) -> R) -> Result<R, String> {
        let props: Vec<Property<'_>> = self
            .properties
            .iter()
            .flatten()
            .map(OwnedProperty::get)
            .collect();
        let properties = Properties::new(&props);
        let code = self.reason_code.unwrap_or(ReasonCode::SUCCESS);
        // The form of a packet whose reason code and property length may be left out.
        let form = self.properties.as_ref().map(|_| properties);
        let packet = self.packet;
        Ok(match &self.body {
            Body::Connect {
                client_id,
                clean_start,
                keep_alive,
                will,
                username,
                password,
            } => {
                let will_props: Vec<Property<'_>> = will
                    .iter()
                    .flat_map(|w| w.properties.iter().map(OwnedProperty::get))
                    .collect();
                let mut c =
                    Connect::new(client_id, *clean_start, *keep_alive, properties).map_err(err)?;
                if let Some(w) = will {
                    let topic = TopicName::new(&w.topic).map_err(err)?;
                    c = c
                        .with_will(
                            Will::new(
                                Properties::new(&will_props),
                                topic,
                                &w.message,
                                w.qos,
                                w.retain,
                            )
                            .map_err(err)?,
                        )
                        .map_err(err)?;
                }
                if let Some(username) = username {
                    c = c.with_username(username).map_err(err)?;
                }
                if let Some(password) = password {
                    c = c.with_password(password).map_err(err)?;
                }
                f(Packet::Connect(c))
            }
            Body::Connack(session_present) => f(Packet::Connack(
                Connack::new(*session_present, code, properties).map_err(err)?,
            )),
            Body::Publish {
                dup,
                retain,
                topic,
                delivery,
                payload,
            } => {
                let publish = Publish::new(topic, *delivery, properties, payload).map_err(err)?;
                f(Packet::Publish(
                    publish.with_dup(*dup).map_err(err)?.with_retain(*retain),
                ))
            }
            Body::Ack(id) => {
                let ack = Ack::with_form(packet, *id, self.reason_code, form).map_err(err)?;
                f(match packet {
                    PacketType::Puback => Packet::Puback(ack),
                    PacketType::Pubrec => Packet::Pubrec(ack),
                    PacketType::Pubrel => Packet::Pubrel(ack),
                    _ => Packet::Pubcomp(ack),
                })
            }
            Body::Subscribe(id, subscriptions) => {
                let items = subscriptions
                    .iter()
                    .map(|(filter, options)| {
                        Subscription::new(TopicFilter::new(filter).map_err(err)?, *options)
                            .map_err(err)
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                f(Packet::Subscribe(
                    Subscribe::new(*id, properties, &items).map_err(err)?,
                ))
            }
            Body::ListAck(id, codes) => {
                let ack = ListAck::new(packet, *id, properties, codes).map_err(err)?;
                f(if packet == PacketType::Suback {
                    Packet::Suback(ack)
                } else {
                    Packet::Unsuback(ack)
                })
            }
            Body::Unsubscribe(id, filters) => {
                let items = filters
                    .iter()
                    .map(|filter| TopicFilter::new(filter).map_err(err))
                    .collect::<Result<Vec<_>, String>>()?;
                f(Packet::Unsubscribe(
                    Unsubscribe::new(*id, properties, &items).map_err(err)?,
                ))
            }
            Body::Empty => match packet {
                PacketType::Pingreq => f(Packet::Pingreq),
                PacketType::Pingresp => f(Packet::Pingresp),
                PacketType::Disconnect => f(Packet::Disconnect(
                    Notice::with_form(packet, self.reason_code, form).map_err(err)?,
                )),
                _ => f(Packet::Auth(
                    Notice::with_form(packet, self.reason_code, form).map_err(err)?,
                )),
            },
        })
    }
}

/// Encodes a 5.0 JSON packet model with this codec.
pub fn encode_json(model: &Value) -> Result<Vec<u8>, String> {
    OwnedModel::from_json(model)?.with_packet(|packet| {
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
            json!({"type": "CONNECT", "protocol_name": "MQTT", "protocol_level": 5, "clean_start": true,
                   "keep_alive": 60, "properties": [{"id": 17, "name": "session-expiry-interval", "value": 30}],
                   "client_id": "c",
                   "will": {"properties": [{"id": 24, "name": "will-delay-interval", "value": 5}],
                            "topic": "t", "message": "6d", "qos": 1, "retain": true},
                   "username": null, "password": "70"}),
            json!({"type": "PUBLISH", "dup": false, "qos": 1, "retain": false, "topic": "", "packet_id": 9,
                   "properties": [{"id": 35, "name": "topic-alias", "value": 3},
                                  {"id": 38, "name": "user-property", "value": ["a", "1"]},
                                  {"id": 38, "name": "user-property", "value": ["a", "2"]}],
                   "payload": "00ff"}),
            json!({"type": "PUBACK", "packet_id": 3, "reason_code": null, "properties": null}),
            json!({"type": "PUBREC", "packet_id": 3, "reason_code": {"value": 16, "name": "no-matching-subscribers"}, "properties": null}),
            json!({"type": "SUBSCRIBE", "packet_id": 3, "properties": [{"id": 11, "name": "subscription-identifier", "value": 200}],
                   "subscriptions": [{"filter": "a/+", "qos": 1, "no_local": true, "retain_as_published": true, "retain_handling": 2}]}),
            json!({"type": "SUBACK", "packet_id": 3, "properties": [], "reason_codes": [{"value": 1, "name": "granted-qos-1"}, {"value": 128, "name": "unspecified-error"}]}),
            json!({"type": "UNSUBSCRIBE", "packet_id": 3, "properties": [], "filters": ["a", "b/#"]}),
            json!({"type": "DISCONNECT", "reason_code": null, "properties": null}),
            json!({"type": "AUTH", "reason_code": {"value": 24, "name": "continue-authentication"},
                   "properties": [{"id": 21, "name": "authentication-method", "value": "m"},
                                  {"id": 22, "name": "authentication-data", "value": "0102"}]}),
            json!({"type": "PINGRESP"}),
        ];
        for model in models {
            let bytes = encode_json(&model).unwrap();
            let (packet, used) = mqtt_wire::v5::decode(&bytes).unwrap().complete().unwrap();
            assert_eq!(used, bytes.len());
            assert_eq!(packet_to_json(&packet), model);
        }
    }

    #[test]
    fn reports_what_is_wrong_with_a_model() {
        let wrong_name = json!({"type": "DISCONNECT", "reason_code": null,
                                "properties": [{"id": 17, "name": "topic-alias", "value": 1}]});
        assert_eq!(
            encode_json(&wrong_name).unwrap_err(),
            "property 0x11 is session-expiry-interval, not \"topic-alias\""
        );
        let null_props =
            json!({"type": "UNSUBACK", "packet_id": 1, "properties": null, "reason_codes": []});
        assert!(encode_json(&null_props)
            .unwrap_err()
            .contains("short forms"));
        let not_allowed = json!({"type": "PUBACK", "packet_id": 1, "reason_code": {"value": 4, "name": "x"}, "properties": null});
        assert!(encode_json(&not_allowed).unwrap_err().contains("table"));
    }
}
