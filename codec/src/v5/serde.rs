//! The `serde` feature for MQTT 5.0: `Serialize` for [`Packet`], `Serialize` and
//! `Deserialize` for [`OwnedPacket`] (and `BytesPacket` with the `bytes` feature). Written by
//! hand on serde's traits, without its derive macros, as for 3.1.1; the parts both versions
//! share (binary fields, the map reading, the errors) are written once in the crate root.
//!
//! The form is the 5.0 golden vectors' packet model (`vectors/v5/DECISIONS.md` section 2): a
//! map with `type` and the packet's fields by name. `properties` is a list, in wire order, of
//! `{"id", "name", "value"}` (User Properties one entry each, repeated keys kept; several
//! Subscription Identifiers one entry each); a reason code is `{"value", "name"}`. Binary
//! values (payload, will message, password, Correlation Data, Authentication Data) are hex
//! strings in human-readable formats and byte strings in binary ones.
//!
//! **Forms are kept.** In the acknowledgements, DISCONNECT and AUTH, `reason_code: null` and
//! `properties: null` say the byte or the property length was not on the wire (the short forms
//! of DECISIONS.md section 3): a decoded packet serializes its form, and deserializing builds
//! exactly that form, so deserialize then encode gives back the bytes it was decoded from.
//!
//! Deserializing builds the packet through the public constructors, so a deserialized packet
//! is as valid as a decoded one: a property the packet may not carry, a second copy of a
//! single property, a zero Topic Alias, a reason code the packet's table does not list, a
//! property or reason code whose `name` does not match its number, are errors, as are unknown,
//! repeated and missing fields. Fields may come in any order; `null` fields may be left out.
//! The form needs a self-describing format (JSON, CBOR, MessagePack, YAML, RON...).
//!
//! **Credentials are data here.** A CONNECT's user name, password and Authentication Data
//! (and an AUTH's or CONNACK's Authentication Data) are serialized in full, unlike `Display`
//! and `Debug`, which hide them. Do not serialize these packets into logs.
//!
//! ```
//! use mqtt_wire::v5::{self, OwnedPacket};
//!
//! // PUBACK 7 with reason 0x10 and no property length: the three-byte form.
//! let wire = [0x40, 0x03, 0x00, 0x07, 0x10];
//! let (packet, _) = v5::decode(&wire)?.complete().unwrap();
//! let json = serde_json::to_string(&packet).unwrap();
//! assert_eq!(
//!     json,
//!     r#"{"type":"PUBACK","packet_id":7,"reason_code":{"value":16,"name":"no-matching-subscribers"},"properties":null}"#
//! );
//! let owned: OwnedPacket = serde_json::from_str(&json).unwrap();
//! assert_eq!(owned.as_bytes(), wire);
//! # Ok::<(), mqtt_wire::DecodeError>(())
//! ```

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::num::NonZeroU16;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::serde_parts::{
    strings, will_fields, Bin, ConnectFields, Content, Invalid, Map, PacketIdRules, PublishFields,
    Seq, WillFields,
};
use crate::v5::properties::{Type, Value};
use crate::v5::{
    Ack, Connack, Connect, Decoder, ListAck, Notice, OwnedPacket, Packet, Properties, Property,
    PropertyId, Publish, ReasonCode, RetainHandling, Subscribe, Subscription, SubscriptionOptions,
    Unsubscribe, Will,
};
use crate::{EncodeError, PacketType, TopicFilter, TopicName};

/// A property as `{"id", "name", "value"}`.
struct PropertyRef<'a>(Property<'a>);

impl Serialize for PropertyRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let id = self.0.id();
        let mut st = s.serialize_struct("Property", 3)?;
        st.serialize_field("id", &(id as u8))?;
        st.serialize_field("name", id.name())?;
        match self.0.value() {
            Value::Int(v) => st.serialize_field("value", &v)?,
            Value::Text(v) => st.serialize_field("value", v)?,
            Value::Binary(v) => st.serialize_field("value", &Bin(v))?,
            Value::Pair(k, v) => st.serialize_field("value", &[k, v])?,
        }
        st.end()
    }
}

/// A property block as the list of its properties, in wire order.
struct PropertiesRef<'a>(Properties<'a>);

impl Serialize for PropertiesRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(PropertyRef))
    }
}

/// A reason code as `{"value", "name"}`, named as in its packet's table.
struct ReasonRef(ReasonCode, PacketType);

impl Serialize for ReasonRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ReasonCode", 2)?;
        st.serialize_field("value", &self.0.value())?;
        st.serialize_field("name", self.0.name(self.1))?;
        st.end()
    }
}

/// A subscription as `{"filter", "qos", "no_local", "retain_as_published", "retain_handling"}`.
struct SubscriptionRef<'a>(Subscription<'a>);

impl Serialize for SubscriptionRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let o = self.0.options();
        let retain_handling: u8 = match o.retain_handling {
            RetainHandling::OnSubscribe => 0,
            RetainHandling::OnNewSubscribe => 1,
            RetainHandling::Never => 2,
        };
        let mut st = s.serialize_struct("Subscription", 5)?;
        st.serialize_field("filter", self.0.filter().as_str())?;
        st.serialize_field("qos", &o.qos.as_u8())?;
        st.serialize_field("no_local", &o.no_local)?;
        st.serialize_field("retain_as_published", &o.retain_as_published)?;
        st.serialize_field("retain_handling", &retain_handling)?;
        st.end()
    }
}

/// A will as `{"properties", "topic", "message", "qos", "retain"}`.
struct WillRef<'a>(Will<'a>);

impl Serialize for WillRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let w = &self.0;
        let mut st = s.serialize_struct("Will", 5)?;
        st.serialize_field("properties", &PropertiesRef(w.properties()))?;
        will_fields(
            &mut st,
            w.topic().as_str(),
            w.payload(),
            w.qos(),
            w.retain(),
        )?;
        st.end()
    }
}

/// SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK: `type`, `packet_id`, `properties` and the list
/// under `key`.
fn list_packet<S: Serializer, L: Serialize>(
    s: S,
    name: &'static str,
    packet_id: NonZeroU16,
    properties: Properties<'_>,
    key: &'static str,
    list: &L,
) -> Result<S::Ok, S::Error> {
    let mut st = s.serialize_struct(name, 4)?;
    st.serialize_field("type", name)?;
    st.serialize_field("packet_id", &packet_id.get())?;
    st.serialize_field("properties", &PropertiesRef(properties))?;
    st.serialize_field(key, list)?;
    st.end()
}

/// The packet in the 5.0 golden vectors' packet model: `type` and the fields by name, the
/// short forms as `null`.
///
/// **The user name, password and Authentication Data are serialized in full.**
///
/// ```
/// use mqtt_wire::v5::{Notice, Packet, Properties, Property, ReasonCode};
/// use mqtt_wire::PacketType;
///
/// let props = [Property::ReasonString("bye")];
/// let code = ReasonCode::new(PacketType::Disconnect, 0x8B).unwrap();
/// let disconnect = Notice::new(PacketType::Disconnect, code, Properties::new(&props))?;
/// assert_eq!(
///     serde_json::to_string(&Packet::Disconnect(disconnect)).unwrap(),
///     r#"{"type":"DISCONNECT","reason_code":{"value":139,"name":"server-shutting-down"},"properties":[{"id":31,"name":"reason-string","value":"bye"}]}"#
/// );
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
impl Serialize for Packet<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let kind = self.packet_type();
        let name = kind.name();
        // The acknowledgements, DISCONNECT and AUTH: `null` where the wire left it out.
        let reason = |present: bool, code: ReasonCode| present.then_some(ReasonRef(code, kind));
        let properties = |present: bool, p| present.then_some(PropertiesRef(p));
        match self {
            Packet::Connect(c) => {
                let mut st = s.serialize_struct(name, 10)?;
                st.serialize_field("type", name)?;
                st.serialize_field("protocol_name", "MQTT")?;
                st.serialize_field("protocol_level", &super::connect::PROTOCOL_LEVEL)?;
                st.serialize_field("clean_start", &c.clean_start())?;
                st.serialize_field("keep_alive", &c.keep_alive())?;
                st.serialize_field("properties", &PropertiesRef(c.properties()))?;
                st.serialize_field("client_id", c.client_id())?;
                st.serialize_field("will", &c.will().map(WillRef))?;
                st.serialize_field("username", &c.username())?;
                st.serialize_field("password", &c.password().map(Bin))?;
                st.end()
            }
            Packet::Connack(c) => {
                let mut st = s.serialize_struct(name, 4)?;
                st.serialize_field("type", name)?;
                st.serialize_field("session_present", &c.session_present())?;
                st.serialize_field("reason_code", &ReasonRef(c.reason_code(), kind))?;
                st.serialize_field("properties", &PropertiesRef(c.properties()))?;
                st.end()
            }
            Packet::Publish(p) => {
                let mut st = s.serialize_struct(name, 8)?;
                st.serialize_field("type", name)?;
                st.serialize_field("dup", &p.dup())?;
                st.serialize_field("qos", &p.qos().as_u8())?;
                st.serialize_field("retain", &p.retain())?;
                st.serialize_field("topic", p.topic())?;
                let id = p.delivery().packet_id().map(NonZeroU16::get);
                st.serialize_field("packet_id", &id)?;
                st.serialize_field("properties", &PropertiesRef(p.properties()))?;
                st.serialize_field("payload", &Bin(p.payload()))?;
                st.end()
            }
            Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => {
                let mut st = s.serialize_struct(name, 4)?;
                st.serialize_field("type", name)?;
                st.serialize_field("packet_id", &a.packet_id().get())?;
                st.serialize_field("reason_code", &reason(a.has_reason_code(), a.reason_code()))?;
                st.serialize_field(
                    "properties",
                    &properties(a.has_properties(), a.properties()),
                )?;
                st.end()
            }
            Packet::Subscribe(p) => {
                let list = p.subscriptions();
                let subscriptions = Seq(|| list.iter().map(SubscriptionRef));
                let (id, props) = (p.packet_id(), p.properties());
                list_packet(s, name, id, props, "subscriptions", &subscriptions)
            }
            Packet::Suback(p) | Packet::Unsuback(p) => {
                let list = p.reason_codes();
                let codes = Seq(|| list.iter().map(|c| ReasonRef(c, kind)));
                let (id, props) = (p.packet_id(), p.properties());
                list_packet(s, name, id, props, "reason_codes", &codes)
            }
            Packet::Unsubscribe(p) => {
                let list = p.filters();
                let filters = Seq(|| list.iter().map(|f| f.as_str()));
                let (id, props) = (p.packet_id(), p.properties());
                list_packet(s, name, id, props, "filters", &filters)
            }
            Packet::Pingreq | Packet::Pingresp => {
                let mut st = s.serialize_struct(name, 1)?;
                st.serialize_field("type", name)?;
                st.end()
            }
            Packet::Disconnect(n) | Packet::Auth(n) => {
                let mut st = s.serialize_struct(name, 3)?;
                st.serialize_field("type", name)?;
                st.serialize_field("reason_code", &reason(n.has_reason_code(), n.reason_code()))?;
                st.serialize_field(
                    "properties",
                    &properties(n.has_properties(), n.properties()),
                )?;
                st.end()
            }
        }
    }
}

crate::serde_parts::model!(15);

/// The packet identifier rules of 5.0.
const IDS: PacketIdRules = PacketIdRules {
    zero: "packet identifier is 0 [section 2.2.1]",
    at_qos0: "a packet identifier at QoS 0 [MQTT-2.2.1-2]",
    missing: "no packet identifier at QoS 1 or 2 [section 2.2.1]",
};

/// A property read from its model, owning its strings and bytes until the packet is built.
enum OwnedProperty<'de> {
    Int(PropertyId, u32),
    Text(PropertyId, Cow<'de, str>),
    Binary(PropertyId, Cow<'de, [u8]>),
    Pair(Cow<'de, str>, Cow<'de, str>),
}

impl<'de> OwnedProperty<'de> {
    /// Reads `{"id", "name", "value"}`; the name must be the identifier's.
    fn read(model: Content<'de>) -> Result<Self, Invalid> {
        let mut m = model.map("a property: {\"id\", \"name\", \"value\"}")?;
        m.only(&["id", "name", "value"])?;
        let number: u8 = m.required("id")?.uint("a property identifier")?;
        let id = PropertyId::from_u8(number).ok_or(Invalid::Other(
            "a property identifier Table 2-4 does not define [section 2.2.2.2]",
        ))?;
        let name = m.required("name")?.string()?;
        if name != id.name() {
            return Err(Invalid::Value(alloc::format!(
                "invalid value: property {number:#04x} is {}, not {name:?}",
                id.name()
            )));
        }
        let value = m.required("value")?;
        Ok(match id.value_type() {
            Type::Byte => OwnedProperty::Int(id, u32::from(value.uint::<u8>("a byte")?)),
            Type::TwoByte => {
                OwnedProperty::Int(id, u32::from(value.uint::<u16>("a two byte integer")?))
            }
            Type::FourByte | Type::VarInt => {
                OwnedProperty::Int(id, value.uint("a four byte integer")?)
            }
            Type::Binary => OwnedProperty::Binary(id, value.bin()?),
            Type::Pair => {
                let pair = value.seq("a user property: [key, value]")?;
                let [key, value]: [Content<'de>; 2] = pair.try_into().map_err(|_| {
                    Invalid::Value("invalid length: expected a user property: [key, value]".into())
                })?;
                OwnedProperty::Pair(key.string()?, value.string()?)
            }
            Type::Text => OwnedProperty::Text(id, value.string()?),
        })
    }

    /// The codec's property (the packet's constructor checks its value). Each value was read
    /// with its identifier's type above, so `from_parts` always takes it.
    fn get(&self) -> Result<Property<'_>, Invalid> {
        let (id, value) = match self {
            OwnedProperty::Int(id, v) => (*id, Value::Int(*v)),
            OwnedProperty::Text(id, s) => (*id, Value::Text(s)),
            OwnedProperty::Binary(id, b) => (*id, Value::Binary(b)),
            OwnedProperty::Pair(k, v) => (PropertyId::UserProperty, Value::Pair(k, v)),
        };
        Property::from_parts(id, value).ok_or(Invalid::Other("a property value of another type"))
    }
}

/// A `properties` list read from its model.
fn read_properties(model: Content<'_>) -> Result<Vec<OwnedProperty<'_>>, Invalid> {
    model
        .seq("a list of properties")?
        .into_iter()
        .map(OwnedProperty::read)
        .collect()
}

/// The codec's properties, borrowing from the read ones.
fn properties<'a>(owned: &'a [OwnedProperty<'_>]) -> Result<Vec<Property<'a>>, Invalid> {
    owned.iter().map(OwnedProperty::get).collect()
}

/// A reason code `{"value", "name"}` of `packet`'s table; the name must be the code's.
fn reason(packet: PacketType, model: Content<'_>) -> Result<ReasonCode, Invalid> {
    let mut m = model.map("a reason code: {\"value\", \"name\"}")?;
    m.only(&["value", "name"])?;
    let value: u8 = m.required("value")?.uint("a reason code")?;
    let code = ReasonCode::new(packet, value).ok_or(EncodeError::InvalidReasonCode(value))?;
    let name = m.required("name")?.string()?;
    if name != code.name(packet) {
        return Err(Invalid::Value(alloc::format!(
            "invalid value: reason code {value:#04x} of {} is {}, not {name:?}",
            packet.name(),
            code.name(packet)
        )));
    }
    Ok(code)
}

/// A subscription `{"filter", "qos", "no_local", "retain_as_published", "retain_handling"}`.
fn subscription(model: Content<'_>) -> Result<(Cow<'_, str>, SubscriptionOptions), Invalid> {
    let mut m = model.map("a subscription")?;
    m.only(&[
        "filter",
        "qos",
        "no_local",
        "retain_as_published",
        "retain_handling",
    ])?;
    let filter = m.required("filter")?.string()?;
    let qos = m
        .required("qos")?
        .qos("maximum QoS is not 0, 1 or 2 [section 3.8.3.1]")?;
    let no_local = m.required("no_local")?.bool()?;
    let retain_as_published = m.required("retain_as_published")?.bool()?;
    let retain_handling = match m.required("retain_handling")?.uint::<u8>("0, 1 or 2")? {
        0 => RetainHandling::OnSubscribe,
        1 => RetainHandling::OnNewSubscribe,
        2 => RetainHandling::Never,
        _ => {
            return Err(Invalid::Other(
                "retain handling is not 0, 1 or 2 [section 3.8.3.1]",
            ))
        }
    };
    let options = SubscriptionOptions {
        qos,
        no_local,
        retain_as_published,
        retain_handling,
    };
    Ok((filter, options))
}

/// The packet type named `name`.
fn packet_type(name: Cow<'_, str>) -> Result<PacketType, Invalid> {
    (1..=15)
        .filter_map(PacketType::from_u8)
        .find(|t| t.name() == name)
        .ok_or_else(|| Invalid::UnknownType(name.into_owned()))
}

/// Builds the packet the map describes, through the public constructors. The
/// acknowledgements, DISCONNECT and AUTH are built in exactly the form the map gives
/// (`with_form`), so a decoded packet's model encodes back to its bytes.
fn build(mut f: Map<'_>) -> Result<OwnedPacket, Invalid> {
    let kind = packet_type(f.required("type")?.string()?)?;
    let packet = match kind {
        PacketType::Connect => {
            f.only(&[
                "protocol_name",
                "protocol_level",
                "clean_start",
                "keep_alive",
                "properties",
                "client_id",
                "will",
                "username",
                "password",
            ])?;
            let c = ConnectFields::read(&mut f, super::connect::PROTOCOL_LEVEL)?;
            let clean_start = f.required("clean_start")?.bool()?;
            let props = read_properties(f.required("properties")?)?;
            let will = match f.nullable("will") {
                None => None,
                Some(will) => {
                    let mut w = will.map("a will")?;
                    w.only(&["properties", "topic", "message", "qos", "retain"])?;
                    let props = read_properties(w.required("properties")?)?;
                    let fields =
                        WillFields::read(&mut w, "will QoS is not 0, 1 or 2 [MQTT-3.1.2-12]")?;
                    Some((props, fields))
                }
            };
            let props = properties(&props)?;
            let mut connect = Connect::new(
                &c.client_id,
                clean_start,
                c.keep_alive,
                Properties::new(&props),
            )?;
            let will_props;
            if let Some((props, w)) = &will {
                will_props = properties(props)?;
                let topic = TopicName::new(&w.topic)?;
                let properties = Properties::new(&will_props);
                let will = Will::new(properties, topic, &w.message, w.qos, w.retain)?;
                connect = connect.with_will(will)?;
            }
            if let Some(username) = &c.username {
                connect = connect.with_username(username)?;
            }
            if let Some(password) = &c.password {
                connect = connect.with_password(password)?;
            }
            return Ok(Packet::Connect(connect).to_owned_packet());
        }
        PacketType::Connack => {
            f.only(&["session_present", "reason_code", "properties"])?;
            let session_present = f.required("session_present")?.bool()?;
            let code = reason(kind, f.required("reason_code")?)?;
            let props = read_properties(f.required("properties")?)?;
            let props = properties(&props)?;
            let connack = Connack::new(session_present, code, Properties::new(&props))?;
            return Ok(Packet::Connack(connack).to_owned_packet());
        }
        PacketType::Publish => {
            f.only(&[
                "dup",
                "qos",
                "retain",
                "topic",
                "packet_id",
                "properties",
                "payload",
            ])?;
            let props = read_properties(f.required("properties")?)?;
            let p = PublishFields::read(&mut f, &IDS)?;
            let props = properties(&props)?;
            let publish = Publish::new(&p.topic, p.delivery, Properties::new(&props), &p.payload)?
                .with_dup(p.dup)?
                .with_retain(p.retain);
            return Ok(Packet::Publish(publish).to_owned_packet());
        }
        PacketType::Puback | PacketType::Pubrec | PacketType::Pubrel | PacketType::Pubcomp => {
            f.only(&["packet_id", "reason_code", "properties"])?;
            let id = IDS.packet_id(f.required("packet_id")?)?;
            let code = f
                .nullable("reason_code")
                .map(|c| reason(kind, c))
                .transpose()?;
            let props = f.nullable("properties").map(read_properties).transpose()?;
            let props = props.as_deref().map(properties).transpose()?;
            let form = props.as_deref().map(Properties::new);
            let ack = Ack::with_form(kind, id, code, form)?;
            return Ok(match kind {
                PacketType::Puback => Packet::Puback(ack),
                PacketType::Pubrec => Packet::Pubrec(ack),
                PacketType::Pubrel => Packet::Pubrel(ack),
                _ => Packet::Pubcomp(ack),
            }
            .to_owned_packet());
        }
        PacketType::Subscribe => {
            f.only(&["packet_id", "properties", "subscriptions"])?;
            let id = IDS.packet_id(f.required("packet_id")?)?;
            let props = read_properties(f.required("properties")?)?;
            let subscriptions = f
                .required("subscriptions")?
                .seq("a list of subscriptions")?
                .into_iter()
                .map(subscription)
                .collect::<Result<Vec<_>, Invalid>>()?;
            let items = subscriptions
                .iter()
                .map(|(filter, options)| {
                    Ok(Subscription::new(TopicFilter::new(filter)?, *options)?)
                })
                .collect::<Result<Vec<_>, Invalid>>()?;
            let props = properties(&props)?;
            let subscribe = Subscribe::new(id, Properties::new(&props), &items)?;
            return Ok(Packet::Subscribe(subscribe).to_owned_packet());
        }
        PacketType::Suback | PacketType::Unsuback => {
            f.only(&["packet_id", "properties", "reason_codes"])?;
            let id = IDS.packet_id(f.required("packet_id")?)?;
            let props = read_properties(f.required("properties")?)?;
            let codes = f
                .required("reason_codes")?
                .seq("a list of reason codes")?
                .into_iter()
                .map(|c| reason(kind, c))
                .collect::<Result<Vec<_>, Invalid>>()?;
            let props = properties(&props)?;
            let ack = ListAck::new(kind, id, Properties::new(&props), &codes)?;
            return Ok(if kind == PacketType::Suback {
                Packet::Suback(ack)
            } else {
                Packet::Unsuback(ack)
            }
            .to_owned_packet());
        }
        PacketType::Unsubscribe => {
            f.only(&["packet_id", "properties", "filters"])?;
            let id = IDS.packet_id(f.required("packet_id")?)?;
            let props = read_properties(f.required("properties")?)?;
            let filters = strings(f.required("filters")?, "a list of topic filters")?;
            let filters = filters
                .iter()
                .map(|f| TopicFilter::new(f))
                .collect::<Result<Vec<_>, _>>()?;
            let props = properties(&props)?;
            let unsubscribe = Unsubscribe::new(id, Properties::new(&props), &filters)?;
            return Ok(Packet::Unsubscribe(unsubscribe).to_owned_packet());
        }
        PacketType::Pingreq => {
            f.only(&[])?;
            Packet::Pingreq
        }
        PacketType::Pingresp => {
            f.only(&[])?;
            Packet::Pingresp
        }
        _ => {
            // DISCONNECT and AUTH: the type names no other packet type.
            f.only(&["reason_code", "properties"])?;
            let code = f
                .nullable("reason_code")
                .map(|c| reason(kind, c))
                .transpose()?;
            let props = f.nullable("properties").map(read_properties).transpose()?;
            let props = props.as_deref().map(properties).transpose()?;
            let form = props.as_deref().map(Properties::new);
            let notice = Notice::with_form(kind, code, form)?;
            return Ok(if kind == PacketType::Disconnect {
                Packet::Disconnect(notice)
            } else {
                Packet::Auth(notice)
            }
            .to_owned_packet());
        }
    };
    Ok(packet.to_owned_packet())
}
