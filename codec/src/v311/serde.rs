//! The `serde` feature: `Serialize` for [`Packet`], `Serialize` and `Deserialize` for
//! [`OwnedPacket`] (and `BytesPacket` with the `bytes` feature). Written by hand on
//! serde's traits, without its derive macros, so the feature adds no proc-macro and keeps the
//! crate's MSRV.
//!
//! The form is the golden vectors' packet model (`vectors/README.md`): a map with `type`, the
//! packet type's name in capitals, and the packet's fields by name. Binary fields (payload,
//! will message, password) are lower-case hex strings in human-readable formats such as JSON,
//! and byte strings in binary ones. Deserializing builds the packet through the public
//! constructors, so a deserialized packet is as valid as a decoded one; anything they refuse
//! is a deserialization error, as are unknown, repeated and missing fields (`null` fields may
//! be left out). Fields may come in any order, `type` among them. Binary fields are read with
//! `deserialize_any` (hex string, bytes or a sequence of numbers), so the form needs a
//! self-describing format (JSON, CBOR, MessagePack, YAML, RON...), not a bincode-style one.
//!
//! **Credentials are data here.** A CONNECT's user name and password are serialized in full,
//! unlike `Display` and `Debug`, which hide them. Do not serialize CONNECT packets into logs.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::num::NonZeroU16;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::v311::{
    Connack, Connect, ConnectReturnCode, Delivery, OwnedPacket, Packet, Puback, Pubcomp, Publish,
    Pubrec, Pubrel, Suback, SubackReturnCode, Subscribe, Subscription, Unsuback, Unsubscribe, Will,
};
use crate::{EncodeError, QoS, TopicFilter, TopicName};

/// A binary field: hex in human-readable formats, bytes in the others.
struct Bin<'a>(&'a [u8]);

impl fmt::Display for Bin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl Serialize for Bin<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_bytes(self.0)
        }
    }
}

/// A subscription as `{"filter": ..., "qos": ...}`.
struct SubscriptionRef<'a>(Subscription<'a>);

impl Serialize for SubscriptionRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Subscription", 2)?;
        st.serialize_field("filter", self.0.filter.as_str())?;
        st.serialize_field("qos", &self.0.qos.as_u8())?;
        st.end()
    }
}

/// A will as `{"topic", "message", "qos", "retain"}`.
struct WillRef<'a>(Will<'a>);

impl Serialize for WillRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Will", 4)?;
        st.serialize_field("topic", self.0.topic().as_str())?;
        st.serialize_field("message", &Bin(self.0.message()))?;
        st.serialize_field("qos", &self.0.qos().as_u8())?;
        st.serialize_field("retain", &self.0.retain())?;
        st.end()
    }
}

/// A list serialized from an iterator that can be restarted.
struct Seq<F>(F);

impl<I, F> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

/// The packet in the golden vectors' packet model: `type` and the fields by name.
///
/// **The user name and password of a CONNECT are serialized in full.**
///
/// ```
/// use mqtt_wire::v311::{Packet, Puback};
/// use std::num::NonZeroU16;
///
/// let puback = Packet::Puback(Puback::new(NonZeroU16::new(10).unwrap()));
/// assert_eq!(serde_json::to_string(&puback)?, r#"{"type":"PUBACK","packet_id":10}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl Serialize for Packet<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let name = self.packet_type().name();
        let with_id = |s: S, id: NonZeroU16| {
            let mut st = s.serialize_struct(name, 2)?;
            st.serialize_field("type", name)?;
            st.serialize_field("packet_id", &id.get())?;
            st.end()
        };
        match self {
            Packet::Connect(c) => {
                let mut st = s.serialize_struct(name, 9)?;
                st.serialize_field("type", name)?;
                st.serialize_field("protocol_name", "MQTT")?;
                st.serialize_field("protocol_level", &super::connect::PROTOCOL_LEVEL)?;
                st.serialize_field("clean_session", &c.clean_session())?;
                st.serialize_field("keep_alive", &c.keep_alive())?;
                st.serialize_field("client_id", c.client_id())?;
                st.serialize_field("will", &c.will().map(WillRef))?;
                st.serialize_field("username", &c.username())?;
                st.serialize_field("password", &c.password().map(Bin))?;
                st.end()
            }
            Packet::Connack(c) => {
                let mut st = s.serialize_struct(name, 3)?;
                st.serialize_field("type", name)?;
                st.serialize_field("session_present", &c.session_present())?;
                st.serialize_field("return_code", &c.return_code().as_u8())?;
                st.end()
            }
            Packet::Publish(p) => {
                let mut st = s.serialize_struct(name, 7)?;
                st.serialize_field("type", name)?;
                st.serialize_field("dup", &p.dup())?;
                st.serialize_field("qos", &p.qos().as_u8())?;
                st.serialize_field("retain", &p.retain())?;
                st.serialize_field("topic", p.topic().as_str())?;
                st.serialize_field("packet_id", &p.packet_id().map(NonZeroU16::get))?;
                st.serialize_field("payload", &Bin(p.payload()))?;
                st.end()
            }
            Packet::Puback(p) => with_id(s, p.packet_id()),
            Packet::Pubrec(p) => with_id(s, p.packet_id()),
            Packet::Pubrel(p) => with_id(s, p.packet_id()),
            Packet::Pubcomp(p) => with_id(s, p.packet_id()),
            Packet::Unsuback(p) => with_id(s, p.packet_id()),
            Packet::Subscribe(p) => {
                let mut st = s.serialize_struct(name, 3)?;
                st.serialize_field("type", name)?;
                st.serialize_field("packet_id", &p.packet_id().get())?;
                let list = p.subscriptions();
                st.serialize_field("subscriptions", &Seq(|| list.iter().map(SubscriptionRef)))?;
                st.end()
            }
            Packet::Suback(p) => {
                let mut st = s.serialize_struct(name, 3)?;
                st.serialize_field("type", name)?;
                st.serialize_field("packet_id", &p.packet_id().get())?;
                let list = p.return_codes();
                st.serialize_field("return_codes", &Seq(|| list.iter().map(|c| c.as_u8())))?;
                st.end()
            }
            Packet::Unsubscribe(p) => {
                let mut st = s.serialize_struct(name, 3)?;
                st.serialize_field("type", name)?;
                st.serialize_field("packet_id", &p.packet_id().get())?;
                let list = p.filters();
                st.serialize_field("filters", &Seq(|| list.iter().map(|f| f.as_str())))?;
                st.end()
            }
            Packet::Pingreq | Packet::Pingresp | Packet::Disconnect => {
                let mut st = s.serialize_struct(name, 1)?;
                st.serialize_field("type", name)?;
                st.end()
            }
        }
    }
}

/// The same form as [`Packet`]'s `Serialize`.
impl Serialize for OwnedPacket {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.packet().serialize(s)
    }
}

/// Builds the packet through the public constructors: whatever they refuse, a QoS of 3, a
/// packet identifier of 0, a return code MQTT does not define, a protocol other than MQTT
/// 3.1.1 or an unknown field is an error.
///
/// ```
/// use mqtt_wire::v311::{OwnedPacket, Packet};
///
/// let json = r#"{"type":"PUBLISH","dup":false,"qos":0,"retain":true,"topic":"a/b","packet_id":null,"payload":"6869"}"#;
/// let packet: OwnedPacket = serde_json::from_str(json)?;
/// let Packet::Publish(publish) = packet.packet() else { panic!() };
/// assert_eq!((publish.topic().as_str(), publish.payload()), ("a/b", &b"hi"[..]));
/// assert_eq!(serde_json::to_string(&packet)?, json);
///
/// // A wildcard in a PUBLISH topic is refused, as the decoder refuses it.
/// let bad = json.replace("a/b", "a/+");
/// assert!(serde_json::from_str::<OwnedPacket>(&bad).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for OwnedPacket {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_packet(d)
    }
}

#[cfg(feature = "bytes")]
/// The same form as [`Packet`]'s `Serialize`.
impl Serialize for super::BytesPacket {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.packet().serialize(s)
    }
}

#[cfg(feature = "bytes")]
/// Validated as [`OwnedPacket`]'s `Deserialize`, then encoded into a new buffer.
impl<'de> Deserialize<'de> for super::BytesPacket {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        OwnedPacket::deserialize(d).map(|owned| super::BytesPacket::from(&owned))
    }
}

/// A binary field read back: a hex string, bytes, or a sequence of byte values.
struct BinBuf(Vec<u8>);

impl<'de> Deserialize<'de> for BinBuf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct BinVisitor;

        impl<'de> Visitor<'de> for BinVisitor {
            type Value = BinBuf;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a hex string or bytes")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<BinBuf, E> {
                from_hex(v).map(BinBuf).ok_or_else(|| {
                    E::invalid_value(de::Unexpected::Str(v), &"an even number of hex digits")
                })
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<BinBuf, E> {
                Ok(BinBuf(v.to_vec()))
            }

            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<BinBuf, E> {
                Ok(BinBuf(v))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<BinBuf, A::Error> {
                let mut out = Vec::new();
                while let Some(byte) = seq.next_element::<u8>()? {
                    out.push(byte);
                }
                Ok(BinBuf(out))
            }
        }

        d.deserialize_any(BinVisitor)
    }
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Some(digit(*hi)? << 4 | digit(*lo)?),
            _ => None,
        })
        .collect()
}

/// A field name of the packet model (the packet's, a will's or a subscription's).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Type,
    ProtocolName,
    ProtocolLevel,
    CleanSession,
    KeepAlive,
    ClientId,
    Will,
    Username,
    Password,
    SessionPresent,
    ReturnCode,
    Dup,
    Qos,
    Retain,
    Topic,
    PacketId,
    Payload,
    Subscriptions,
    ReturnCodes,
    Filters,
    Message,
    Filter,
}

const KEYS: [(&str, Key); 22] = [
    ("type", Key::Type),
    ("protocol_name", Key::ProtocolName),
    ("protocol_level", Key::ProtocolLevel),
    ("clean_session", Key::CleanSession),
    ("keep_alive", Key::KeepAlive),
    ("client_id", Key::ClientId),
    ("will", Key::Will),
    ("username", Key::Username),
    ("password", Key::Password),
    ("session_present", Key::SessionPresent),
    ("return_code", Key::ReturnCode),
    ("dup", Key::Dup),
    ("qos", Key::Qos),
    ("retain", Key::Retain),
    ("topic", Key::Topic),
    ("packet_id", Key::PacketId),
    ("payload", Key::Payload),
    ("subscriptions", Key::Subscriptions),
    ("return_codes", Key::ReturnCodes),
    ("filters", Key::Filters),
    ("message", Key::Message),
    ("filter", Key::Filter),
];

const NAMES: &[&str] = &[
    "type",
    "protocol_name",
    "protocol_level",
    "clean_session",
    "keep_alive",
    "client_id",
    "will",
    "username",
    "password",
    "session_present",
    "return_code",
    "dup",
    "qos",
    "retain",
    "topic",
    "packet_id",
    "payload",
    "subscriptions",
    "return_codes",
    "filters",
    "message",
    "filter",
];

const TYPES: &[&str] = &[
    "CONNECT",
    "CONNACK",
    "PUBLISH",
    "PUBACK",
    "PUBREC",
    "PUBREL",
    "PUBCOMP",
    "SUBSCRIBE",
    "SUBACK",
    "UNSUBSCRIBE",
    "UNSUBACK",
    "PINGREQ",
    "PINGRESP",
    "DISCONNECT",
];

impl Key {
    fn name(self) -> &'static str {
        KEYS.iter()
            .find(|(_, key)| *key == self)
            .map_or("?", |(name, _)| name)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name of the packet model")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                KEYS.iter()
                    .find(|(name, _)| *name == v)
                    .map(|(_, key)| *key)
                    .ok_or_else(|| E::unknown_field(v, NAMES))
            }
        }

        d.deserialize_identifier(KeyVisitor)
    }
}

/// The fields read from one map, each at most once, before the `type` says which belong.
#[derive(Default)]
struct Fields {
    seen: u32,
    ty: Option<String>,
    protocol_name: Option<String>,
    protocol_level: Option<u8>,
    clean_session: Option<bool>,
    keep_alive: Option<u16>,
    client_id: Option<String>,
    will: Option<WillRepr>,
    username: Option<String>,
    password: Option<BinBuf>,
    session_present: Option<bool>,
    return_code: Option<u8>,
    dup: Option<bool>,
    qos: Option<u8>,
    retain: Option<bool>,
    topic: Option<String>,
    packet_id: Option<u16>,
    payload: Option<BinBuf>,
    subscriptions: Option<Vec<SubscriptionRepr>>,
    return_codes: Option<Vec<u8>>,
    filters: Option<Vec<String>>,
    message: Option<BinBuf>,
    filter: Option<String>,
}

impl Fields {
    /// Reads a map's entries; `allowed` are the keys this map may hold.
    fn read<'de, A: de::MapAccess<'de>>(mut map: A, allowed: &[Key]) -> Result<Self, A::Error> {
        let mut f = Fields::default();
        while let Some(key) = map.next_key::<Key>()? {
            if !allowed.contains(&key) {
                return Err(de::Error::unknown_field(key.name(), NAMES));
            }
            if f.seen & key.bit() != 0 {
                return Err(de::Error::duplicate_field(key.name()));
            }
            f.seen |= key.bit();
            match key {
                Key::Type => f.ty = Some(map.next_value()?),
                Key::ProtocolName => f.protocol_name = Some(map.next_value()?),
                Key::ProtocolLevel => f.protocol_level = Some(map.next_value()?),
                Key::CleanSession => f.clean_session = Some(map.next_value()?),
                Key::KeepAlive => f.keep_alive = Some(map.next_value()?),
                Key::ClientId => f.client_id = Some(map.next_value()?),
                // The nullable fields: `null` and absent mean the same.
                Key::Will => f.will = map.next_value()?,
                Key::Username => f.username = map.next_value()?,
                Key::Password => f.password = map.next_value()?,
                Key::PacketId => f.packet_id = map.next_value()?,
                Key::SessionPresent => f.session_present = Some(map.next_value()?),
                Key::ReturnCode => f.return_code = Some(map.next_value()?),
                Key::Dup => f.dup = Some(map.next_value()?),
                Key::Qos => f.qos = Some(map.next_value()?),
                Key::Retain => f.retain = Some(map.next_value()?),
                Key::Topic => f.topic = Some(map.next_value()?),
                Key::Payload => f.payload = Some(map.next_value()?),
                Key::Subscriptions => f.subscriptions = Some(map.next_value()?),
                Key::ReturnCodes => f.return_codes = Some(map.next_value()?),
                Key::Filters => f.filters = Some(map.next_value()?),
                Key::Message => f.message = Some(map.next_value()?),
                Key::Filter => f.filter = Some(map.next_value()?),
            }
        }
        Ok(f)
    }

    /// Refuses a key that was present but does not belong to this packet type.
    fn only(&self, keys: &[Key]) -> Result<(), Invalid> {
        let allowed = keys
            .iter()
            .fold(Key::Type.bit(), |bits, key| bits | key.bit());
        match KEYS
            .iter()
            .find(|(_, key)| self.seen & !allowed & key.bit() != 0)
        {
            Some((_, key)) => Err(Invalid::Unexpected(*key)),
            None => Ok(()),
        }
    }
}

/// A will as `{"topic", "message", "qos", "retain"}`, all required.
struct WillRepr {
    topic: String,
    message: BinBuf,
    qos: u8,
    retain: bool,
}

/// A subscription as `{"filter", "qos"}`, both required.
struct SubscriptionRepr {
    filter: String,
    qos: u8,
}

/// A map visitor that hands the fields to `build`.
struct MapVisitor<F>(&'static str, &'static [Key], F);

impl<'de, T, F> Visitor<'de> for MapVisitor<F>
where
    F: FnOnce(Fields) -> Result<T, Invalid>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let fields = Fields::read(map, self.1)?;
        (self.2)(fields).map_err(|invalid| match invalid {
            Invalid::Missing(key) => de::Error::missing_field(key.name()),
            Invalid::UnknownType(ty) => de::Error::unknown_variant(&ty, TYPES),
            Invalid::Unexpected(key) => de::Error::unknown_field(key.name(), NAMES),
            other => de::Error::custom(other),
        })
    }
}

impl<'de> Deserialize<'de> for WillRepr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const KEYS: &[Key] = &[Key::Topic, Key::Message, Key::Qos, Key::Retain];
        d.deserialize_map(MapVisitor("a will", KEYS, |f: Fields| {
            Ok(WillRepr {
                topic: f.topic.ok_or(Invalid::Missing(Key::Topic))?,
                message: f.message.ok_or(Invalid::Missing(Key::Message))?,
                qos: f.qos.ok_or(Invalid::Missing(Key::Qos))?,
                retain: f.retain.ok_or(Invalid::Missing(Key::Retain))?,
            })
        }))
    }
}

impl<'de> Deserialize<'de> for SubscriptionRepr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const KEYS: &[Key] = &[Key::Filter, Key::Qos];
        d.deserialize_map(MapVisitor("a subscription", KEYS, |f: Fields| {
            Ok(SubscriptionRepr {
                filter: f.filter.ok_or(Invalid::Missing(Key::Filter))?,
                qos: f.qos.ok_or(Invalid::Missing(Key::Qos))?,
            })
        }))
    }
}

/// Why a serialized packet was refused.
enum Invalid {
    Missing(Key),
    Unexpected(Key),
    UnknownType(String),
    Encode(EncodeError),
    Other(&'static str),
}

impl From<EncodeError> for Invalid {
    fn from(error: EncodeError) -> Self {
        Invalid::Encode(error)
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::Missing(key) => write!(f, "missing field `{}`", key.name()),
            Invalid::Unexpected(key) => write!(f, "unknown field `{}`", key.name()),
            Invalid::UnknownType(ty) => write!(f, "unknown variant `{ty}`"),
            Invalid::Encode(error) => {
                write!(f, "invalid packet: {error}")?;
                match super::encode_clause(error) {
                    Some(clause) => write!(f, " [{clause}]"),
                    None => Ok(()),
                }
            }
            Invalid::Other(why) => write!(f, "invalid packet: {why}"),
        }
    }
}

fn qos(value: u8, why: &'static str) -> Result<QoS, Invalid> {
    QoS::from_u8(value).ok_or(Invalid::Other(why))
}

fn packet_id(value: Option<u16>) -> Result<NonZeroU16, Invalid> {
    let value = value.ok_or(Invalid::Missing(Key::PacketId))?;
    NonZeroU16::new(value).ok_or(Invalid::Other("packet identifier is 0 [section 2.3.1]"))
}

/// The keys a packet's map may hold (a will's and a subscription's are nested).
const PACKET_KEYS: &[Key] = &[
    Key::Type,
    Key::ProtocolName,
    Key::ProtocolLevel,
    Key::CleanSession,
    Key::KeepAlive,
    Key::ClientId,
    Key::Will,
    Key::Username,
    Key::Password,
    Key::SessionPresent,
    Key::ReturnCode,
    Key::Dup,
    Key::Qos,
    Key::Retain,
    Key::Topic,
    Key::PacketId,
    Key::Payload,
    Key::Subscriptions,
    Key::ReturnCodes,
    Key::Filters,
];

/// Reads a packet map: its fields, then the packet built through the constructors.
fn deserialize_packet<'de, D: Deserializer<'de>>(d: D) -> Result<OwnedPacket, D::Error> {
    d.deserialize_map(MapVisitor(
        "an MQTT packet: a map with `type` and the packet's fields",
        PACKET_KEYS,
        build,
    ))
}

/// Builds the packet the fields describe, through the public constructors.
fn build(f: Fields) -> Result<OwnedPacket, Invalid> {
    use Key as K;
    let ty = f.ty.clone().ok_or(Invalid::Missing(K::Type))?;
    let packet = match ty.as_str() {
        "CONNECT" => {
            f.only(&[
                K::ProtocolName,
                K::ProtocolLevel,
                K::CleanSession,
                K::KeepAlive,
                K::ClientId,
                K::Will,
                K::Username,
                K::Password,
            ])?;
            let protocol_name = f.protocol_name.ok_or(Invalid::Missing(K::ProtocolName))?;
            let protocol_level = f.protocol_level.ok_or(Invalid::Missing(K::ProtocolLevel))?;
            let clean_session = f.clean_session.ok_or(Invalid::Missing(K::CleanSession))?;
            let keep_alive = f.keep_alive.ok_or(Invalid::Missing(K::KeepAlive))?;
            let client_id = f.client_id.ok_or(Invalid::Missing(K::ClientId))?;
            if protocol_name != "MQTT" {
                return Err(Invalid::Other(
                    "protocol name is not \"MQTT\" [MQTT-3.1.2-1]",
                ));
            }
            if protocol_level != super::connect::PROTOCOL_LEVEL {
                return Err(Invalid::Other("protocol level is not 4 [MQTT-3.1.2-2]"));
            }
            let mut connect = Connect::new(&client_id, clean_session, keep_alive)?;
            if let Some(will) = &f.will {
                let topic = TopicName::new(&will.topic)?;
                let qos = qos(will.qos, "will QoS is not 0, 1 or 2 [MQTT-3.1.2-14]")?;
                connect = connect.with_will(Will::new(topic, &will.message.0, qos, will.retain)?);
            }
            if let Some(username) = &f.username {
                connect = connect.with_username(username)?;
            }
            if let Some(password) = &f.password {
                connect = connect.with_password(&password.0)?;
            }
            return Ok(Packet::Connect(connect).to_owned_packet());
        }
        "CONNACK" => {
            f.only(&[K::SessionPresent, K::ReturnCode])?;
            let session_present = f
                .session_present
                .ok_or(Invalid::Missing(K::SessionPresent))?;
            let return_code = f.return_code.ok_or(Invalid::Missing(K::ReturnCode))?;
            let code = ConnectReturnCode::from_u8(return_code).ok_or(Invalid::Other(
                "connect return code above 5 [section 3.2.2.3]",
            ))?;
            Packet::Connack(Connack::new(session_present, code)?)
        }
        "PUBLISH" => {
            f.only(&[K::Dup, K::Qos, K::Retain, K::Topic, K::PacketId, K::Payload])?;
            let dup = f.dup.ok_or(Invalid::Missing(K::Dup))?;
            let level = f.qos.ok_or(Invalid::Missing(K::Qos))?;
            let retain = f.retain.ok_or(Invalid::Missing(K::Retain))?;
            let topic = f.topic.ok_or(Invalid::Missing(K::Topic))?;
            let payload = f.payload.ok_or(Invalid::Missing(K::Payload))?;
            let delivery = match (
                qos(level, "QoS is not 0, 1 or 2 [MQTT-3.3.1-4]")?,
                f.packet_id,
            ) {
                (QoS::AtMostOnce, None) => Delivery::AtMostOnce,
                (QoS::AtLeastOnce, Some(id)) => Delivery::AtLeastOnce(packet_id(Some(id))?),
                (QoS::ExactlyOnce, Some(id)) => Delivery::ExactlyOnce(packet_id(Some(id))?),
                (QoS::AtMostOnce, Some(_)) => {
                    return Err(Invalid::Other(
                        "a packet identifier at QoS 0 [MQTT-2.3.1-5]",
                    ))
                }
                (_, None) => {
                    return Err(Invalid::Other(
                        "no packet identifier at QoS 1 or 2 [MQTT-2.3.1-1]",
                    ))
                }
            };
            let topic = TopicName::new(&topic)?;
            let publish = Publish::new(topic, delivery, &payload.0)?
                .with_retain(retain)
                .with_dup(dup)?;
            return Ok(Packet::Publish(publish).to_owned_packet());
        }
        "PUBACK" | "PUBREC" | "PUBREL" | "PUBCOMP" | "UNSUBACK" => {
            f.only(&[K::PacketId])?;
            let id = packet_id(f.packet_id)?;
            match ty.as_str() {
                "PUBACK" => Packet::Puback(Puback::new(id)),
                "PUBREC" => Packet::Pubrec(Pubrec::new(id)),
                "PUBREL" => Packet::Pubrel(Pubrel::new(id)),
                "PUBCOMP" => Packet::Pubcomp(Pubcomp::new(id)),
                _ => Packet::Unsuback(Unsuback::new(id)),
            }
        }
        "SUBSCRIBE" => {
            f.only(&[K::PacketId, K::Subscriptions])?;
            let id = packet_id(f.packet_id)?;
            let subscriptions = f.subscriptions.ok_or(Invalid::Missing(K::Subscriptions))?;
            let mut items = Vec::with_capacity(subscriptions.len());
            for s in &subscriptions {
                let qos = qos(s.qos, "requested QoS is not 0, 1 or 2 [MQTT-3.8.3-4]")?;
                items.push(Subscription::new(TopicFilter::new(&s.filter)?, qos));
            }
            let subscribe = Subscribe::new(id, &items)?;
            return Ok(Packet::Subscribe(subscribe).to_owned_packet());
        }
        "SUBACK" => {
            f.only(&[K::PacketId, K::ReturnCodes])?;
            let id = packet_id(f.packet_id)?;
            let return_codes = f.return_codes.ok_or(Invalid::Missing(K::ReturnCodes))?;
            let codes = return_codes
                .iter()
                .map(|&c| SubackReturnCode::from_u8(c))
                .collect::<Option<Vec<_>>>()
                .ok_or(Invalid::Other(
                    "SUBACK return code not 0, 1, 2 or 128 [MQTT-3.9.3-2]",
                ))?;
            return Ok(Packet::Suback(Suback::new(id, &codes)?).to_owned_packet());
        }
        "UNSUBSCRIBE" => {
            f.only(&[K::PacketId, K::Filters])?;
            let id = packet_id(f.packet_id)?;
            let filters = f.filters.ok_or(Invalid::Missing(K::Filters))?;
            let filters = filters
                .iter()
                .map(|f| TopicFilter::new(f))
                .collect::<Result<Vec<_>, _>>()?;
            let unsubscribe = Unsubscribe::new(id, &filters)?;
            return Ok(Packet::Unsubscribe(unsubscribe).to_owned_packet());
        }
        "PINGREQ" | "PINGRESP" | "DISCONNECT" => {
            f.only(&[])?;
            match ty.as_str() {
                "PINGREQ" => Packet::Pingreq,
                "PINGRESP" => Packet::Pingresp,
                _ => Packet::Disconnect,
            }
        }
        _ => return Err(Invalid::UnknownType(ty)),
    };
    Ok(packet.to_owned_packet())
}
