//! The language-neutral JSON model of a packet and of a decode error, and the conversions
//! between it and this codec's types.

use std::num::NonZeroU16;

use mqtt_wire::v311::{
    Connack, Connect, ConnectReturnCode, Delivery, Packet, Puback, Pubcomp, Publish, Pubrec,
    Pubrel, Suback, SubackReturnCode, Subscribe, Subscription, Unsuback, Unsubscribe, Will,
};
use mqtt_wire::{DecodeError, DecodeErrorKind, Field, QoS, TopicFilter, TopicName};
use serde_json::{json, Map, Value};

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

/// A vector's `packet` with any segmented `payload` written out as one hex string, so two
/// models compare equal when they describe the same packet.
pub fn normalize(model: &Value) -> Result<Value, String> {
    let mut model = model.clone();
    if let Some(payload) = model.get_mut("payload") {
        if payload.is_array() {
            *payload = Value::String(hex::format(&hex::parse_segments(payload)?));
        }
    }
    Ok(model)
}

/// The language-neutral name of an error kind, and the field it is about.
pub fn error_kind_name(kind: DecodeErrorKind) -> (&'static str, Option<Field>) {
    use DecodeErrorKind as K;
    match kind {
        K::InvalidPacketType => ("invalid-packet-type", None),
        K::InvalidFlags => ("invalid-flags", None),
        K::InvalidQoS => ("invalid-qos", None),
        K::DupWithQoS0 => ("dup-with-qos0", None),
        K::RemainingLengthTooLong => ("remaining-length-too-long", Some(Field::RemainingLength)),
        K::NonMinimalRemainingLength => {
            ("non-minimal-remaining-length", Some(Field::RemainingLength))
        }
        K::PacketTooLarge => ("packet-too-large", Some(Field::RemainingLength)),
        K::InvalidRemainingLength => ("invalid-remaining-length", Some(Field::RemainingLength)),
        K::Truncated(f) => ("truncated", Some(f)),
        K::TrailingBytes => ("trailing-bytes", None),
        K::UnflaggedField(f) => ("unflagged-field", Some(f)),
        K::InvalidUtf8(f) => ("invalid-utf8", Some(f)),
        K::NullCharacter(f) => ("null-character", Some(f)),
        K::DisallowedCodePoint(f) => ("disallowed-code-point", Some(f)),
        K::EmptyTopic(f) => ("empty-topic", Some(f)),
        K::WildcardInTopicName(f) => ("wildcard-in-topic-name", Some(f)),
        K::MisplacedMultiLevelWildcard => {
            ("misplaced-multi-level-wildcard", Some(Field::TopicFilter))
        }
        K::MisplacedSingleLevelWildcard => {
            ("misplaced-single-level-wildcard", Some(Field::TopicFilter))
        }
        K::ZeroPacketId => ("zero-packet-id", Some(Field::PacketId)),
        K::InvalidProtocolName => ("invalid-protocol-name", Some(Field::ProtocolName)),
        K::UnsupportedProtocolLevel(_) => {
            ("unsupported-protocol-level", Some(Field::ProtocolLevel))
        }
        K::ConnectReservedFlag => ("connect-reserved-flag", Some(Field::ConnectFlags)),
        K::WillQoSWithoutWill => ("will-qos-without-will", Some(Field::ConnectFlags)),
        K::WillRetainWithoutWill => ("will-retain-without-will", Some(Field::ConnectFlags)),
        K::InvalidWillQoS => ("invalid-will-qos", Some(Field::ConnectFlags)),
        K::PasswordWithoutUsername => ("password-without-username", Some(Field::ConnectFlags)),
        K::EmptyClientIdWithoutCleanSession => (
            "empty-client-id-without-clean-session",
            Some(Field::ClientId),
        ),
        K::ConnackReservedFlags => ("connack-reserved-flags", Some(Field::ConnackFlags)),
        K::InvalidConnectReturnCode(_) => ("invalid-connect-return-code", Some(Field::ReturnCode)),
        K::SessionPresentWithError => ("session-present-with-error", Some(Field::ConnackFlags)),
        K::NoTopicFilters => ("no-topic-filters", None),
        K::InvalidRequestedQoS => ("invalid-requested-qos", Some(Field::RequestedQoS)),
        K::SubscriptionReservedBits => ("subscription-reserved-bits", Some(Field::RequestedQoS)),
        K::InvalidSubackReturnCode(_) => {
            ("invalid-suback-return-code", Some(Field::SubackReturnCode))
        }
        K::NoReturnCodes => ("no-return-codes", None),
        _ => ("unknown", None),
    }
}

/// The language-neutral name of a field.
pub fn field_name(field: Field) -> &'static str {
    match field {
        Field::RemainingLength => "remaining-length",
        Field::ProtocolName => "protocol-name",
        Field::ProtocolLevel => "protocol-level",
        Field::ConnectFlags => "connect-flags",
        Field::KeepAlive => "keep-alive",
        Field::ClientId => "client-id",
        Field::WillTopic => "will-topic",
        Field::WillMessage => "will-message",
        Field::Username => "username",
        Field::Password => "password",
        Field::ConnackFlags => "connack-flags",
        Field::ReturnCode => "return-code",
        Field::TopicName => "topic-name",
        Field::PacketId => "packet-id",
        Field::TopicFilter => "topic-filter",
        Field::RequestedQoS => "requested-qos",
        Field::SubackReturnCode => "suback-return-code",
        _ => "unknown",
    }
}

/// The JSON model of a decode error: kind, clause, field, offset.
pub fn error_to_json(error: &DecodeError) -> Value {
    let (kind, field) = error_kind_name(error.kind());
    let mut out = Map::new();
    out.insert("kind".into(), kind.into());
    out.insert("clause".into(), error.clause().as_str().into());
    if let Some(field) = field {
        out.insert("field".into(), field_name(field).into());
    }
    out.insert("offset".into(), error.offset().into());
    Value::Object(out)
}

/// Owned data read from a JSON packet model, from which a codec packet can be borrowed.
#[derive(Debug)]
pub struct OwnedModel {
    kind: String,
    strings: Vec<String>,
    bytes: Vec<Vec<u8>>,
    numbers: Vec<u64>,
    flags: Vec<bool>,
    optional: Vec<bool>,
    subs: Vec<(String, u64)>,
    codes: Vec<SubackReturnCode>,
}

fn field<'v>(model: &'v Value, name: &str) -> Result<&'v Value, String> {
    model
        .get(name)
        .ok_or_else(|| format!("missing field {name:?}"))
}

fn string(model: &Value, name: &str) -> Result<String, String> {
    field(model, name)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{name:?} is not a string"))
}

fn number(model: &Value, name: &str) -> Result<u64, String> {
    field(model, name)?
        .as_u64()
        .ok_or_else(|| format!("{name:?} is not a number"))
}

fn boolean(model: &Value, name: &str) -> Result<bool, String> {
    field(model, name)?
        .as_bool()
        .ok_or_else(|| format!("{name:?} is not a boolean"))
}

fn qos(n: u64) -> Result<QoS, String> {
    u8::try_from(n)
        .ok()
        .and_then(QoS::from_u8)
        .ok_or_else(|| format!("QoS {n} is not 0, 1 or 2"))
}

fn packet_id(n: u64) -> Result<NonZeroU16, String> {
    u16::try_from(n)
        .ok()
        .and_then(NonZeroU16::new)
        .ok_or_else(|| format!("packet id {n} is not 1-65535"))
}

fn err(e: mqtt_wire::EncodeError) -> String {
    format!("the codec refuses this packet: {e}")
}

impl OwnedModel {
    /// Reads a packet model. Fails with a message naming the field that is missing or wrong.
    pub fn from_json(model: &Value) -> Result<OwnedModel, String> {
        let kind = string(model, "type")?;
        let mut m = OwnedModel {
            kind: kind.clone(),
            strings: vec![],
            bytes: vec![],
            numbers: vec![],
            flags: vec![],
            optional: vec![],
            subs: vec![],
            codes: vec![],
        };
        match kind.as_str() {
            "CONNECT" => {
                if string(model, "protocol_name")? != "MQTT"
                    || number(model, "protocol_level")? != 4
                {
                    return Err("only protocol name \"MQTT\" at level 4 can be encoded".into());
                }
                m.strings.push(string(model, "client_id")?);
                m.flags.push(boolean(model, "clean_session")?);
                m.numbers.push(number(model, "keep_alive")?);
                let will = field(model, "will")?;
                m.optional.push(!will.is_null());
                if !will.is_null() {
                    m.strings.push(string(will, "topic")?);
                    m.bytes.push(hex::parse(&string(will, "message")?)?);
                    m.numbers.push(number(will, "qos")?);
                    m.flags.push(boolean(will, "retain")?);
                }
                let username = field(model, "username")?;
                m.optional.push(!username.is_null());
                if !username.is_null() {
                    m.strings.push(string(model, "username")?);
                }
                let password = field(model, "password")?;
                m.optional.push(!password.is_null());
                if !password.is_null() {
                    m.bytes.push(hex::parse(&string(model, "password")?)?);
                }
            }
            "CONNACK" => {
                m.flags.push(boolean(model, "session_present")?);
                m.numbers.push(number(model, "return_code")?);
            }
            "PUBLISH" => {
                m.flags
                    .extend([boolean(model, "dup")?, boolean(model, "retain")?]);
                m.numbers.push(number(model, "qos")?);
                m.strings.push(string(model, "topic")?);
                let id = field(model, "packet_id")?;
                m.numbers.push(if id.is_null() {
                    0
                } else {
                    number(model, "packet_id")?
                });
                m.bytes.push(hex::parse_segments(field(model, "payload")?)?);
            }
            "PUBACK" | "PUBREC" | "PUBREL" | "PUBCOMP" | "UNSUBACK" => {
                m.numbers.push(number(model, "packet_id")?)
            }
            "SUBSCRIBE" => {
                m.numbers.push(number(model, "packet_id")?);
                let subs = field(model, "subscriptions")?
                    .as_array()
                    .ok_or("subscriptions is not an array")?;
                for s in subs {
                    m.subs.push((string(s, "filter")?, number(s, "qos")?));
                }
            }
            "SUBACK" => {
                m.numbers.push(number(model, "packet_id")?);
                let codes = field(model, "return_codes")?
                    .as_array()
                    .ok_or("return_codes is not an array")?;
                for c in codes {
                    let c = c
                        .as_u64()
                        .and_then(|c| u8::try_from(c).ok())
                        .ok_or("return code is not a byte")?;
                    m.codes.push(
                        SubackReturnCode::from_u8(c)
                            .ok_or_else(|| format!("SUBACK return code {c}"))?,
                    );
                }
            }
            "UNSUBSCRIBE" => {
                m.numbers.push(number(model, "packet_id")?);
                let filters = field(model, "filters")?
                    .as_array()
                    .ok_or("filters is not an array")?;
                for f in filters {
                    m.strings
                        .push(f.as_str().ok_or("filter is not a string")?.to_owned());
                }
            }
            "PINGREQ" | "PINGRESP" | "DISCONNECT" => {}
            other => return Err(format!("unknown packet type {other:?}")),
        }
        Ok(m)
    }

    /// Builds the packet through the codec's constructors, with the subscription and filter
    /// lists in `scratch` (a SUBSCRIBE or UNSUBSCRIBE borrows its items).
    pub fn with_packet<R>(&self, f: impl FnOnce(Packet<'_>) -> R) -> Result<R, String> {
        let n = |i: usize| self.numbers[i];
        Ok(match self.kind.as_str() {
            "CONNECT" => {
                let keep_alive = u16::try_from(n(0)).map_err(|_| "keep_alive above 65535")?;
                let mut c =
                    Connect::new(&self.strings[0], self.flags[0], keep_alive).map_err(err)?;
                let (mut s, mut b) = (1, 0);
                if self.optional[0] {
                    let topic = TopicName::new(&self.strings[s]).map_err(err)?;
                    c = c.with_will(
                        Will::new(topic, &self.bytes[b], qos(n(1))?, self.flags[1]).map_err(err)?,
                    );
                    s += 1;
                    b += 1;
                }
                if self.optional[1] {
                    c = c.with_username(&self.strings[s]).map_err(err)?;
                }
                if self.optional[2] {
                    c = c.with_password(&self.bytes[b]).map_err(err)?;
                }
                f(c.into())
            }
            "CONNACK" => {
                let code = u8::try_from(n(0))
                    .ok()
                    .and_then(ConnectReturnCode::from_u8)
                    .ok_or("return_code above 5")?;
                f(Connack::new(self.flags[0], code).map_err(err)?.into())
            }
            "PUBLISH" => {
                let delivery = match qos(n(0))? {
                    QoS::AtMostOnce if n(1) == 0 => Delivery::AtMostOnce,
                    QoS::AtMostOnce => return Err("a QoS 0 PUBLISH has no packet_id".into()),
                    QoS::AtLeastOnce => Delivery::AtLeastOnce(packet_id(n(1))?),
                    QoS::ExactlyOnce => Delivery::ExactlyOnce(packet_id(n(1))?),
                };
                let topic = TopicName::new(&self.strings[0]).map_err(err)?;
                let p = Publish::new(topic, delivery, &self.bytes[0]).map_err(err)?;
                f(p.with_dup(self.flags[0])
                    .map_err(err)?
                    .with_retain(self.flags[1])
                    .into())
            }
            "PUBACK" => f(Puback::new(packet_id(n(0))?).into()),
            "PUBREC" => f(Pubrec::new(packet_id(n(0))?).into()),
            "PUBREL" => f(Pubrel::new(packet_id(n(0))?).into()),
            "PUBCOMP" => f(Pubcomp::new(packet_id(n(0))?).into()),
            "UNSUBACK" => f(Unsuback::new(packet_id(n(0))?).into()),
            "SUBSCRIBE" => {
                let mut items = Vec::with_capacity(self.subs.len());
                for (filter, q) in &self.subs {
                    items.push(Subscription::new(
                        TopicFilter::new(filter).map_err(err)?,
                        qos(*q)?,
                    ));
                }
                f(Subscribe::new(packet_id(n(0))?, &items)
                    .map_err(err)?
                    .into())
            }
            "SUBACK" => f(Suback::new(packet_id(n(0))?, &self.codes)
                .map_err(err)?
                .into()),
            "UNSUBSCRIBE" => {
                let mut items = Vec::with_capacity(self.strings.len());
                for filter in &self.strings {
                    items.push(TopicFilter::new(filter).map_err(err)?);
                }
                f(Unsubscribe::new(packet_id(n(0))?, &items)
                    .map_err(err)?
                    .into())
            }
            "PINGREQ" => f(Packet::Pingreq),
            "PINGRESP" => f(Packet::Pingresp),
            _ => f(Packet::Disconnect),
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
