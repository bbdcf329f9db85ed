//! The `serde` feature's parts that both versions share, written once: the binary fields (hex
//! in human-readable formats, bytes in the others), a list serialized from an iterator, the
//! reading of a packet's map, the errors, and `Serialize` / `Deserialize` for the generic
//! [`OwnedPacket`] and `BytesPacket`. Each version module (`v311::serde`, `v5::serde`) holds
//! only its packet model: how its packets serialize, and how a map builds one.
//!
//! Deserializing reads the input once into a small tree ([`Content`]) with `deserialize_any`,
//! then the version converts the tree through its public constructors. The tree keeps strings
//! borrowed where the format lends them (a JSON text without escapes, a `serde_json::Value`),
//! so a large hex payload is not copied before it is decoded.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::num::NonZeroU16;

use serde::de::{self, Deserialize, Deserializer, Unexpected, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::error::{Clause, EncodeError};
use crate::owned::OwnedPacket;
use crate::protocol::PacketDecoder;
use crate::{Delivery, QoS};

/// What a version gives the generic wrappers: its packets' serialized form, and how a map of
/// its packet model builds a packet. Implemented by each version's `Decoder`.
///
/// Public only inside this private module (like `protocol::private::Sealed`): callers cannot
/// name it, and only this crate's versions implement it.
pub trait Model: PacketDecoder {
    /// The packet type names the version knows, for the error on an unknown one.
    fn types() -> &'static [&'static str];

    /// Serializes a packet of the version (its `Packet`'s `Serialize`).
    fn serialize_packet<S: Serializer>(packet: &Self::Packet<'_>, s: S) -> Result<S::Ok, S::Error>;

    /// Builds the packet a map describes, through the version's public constructors.
    fn build(map: Map<'_>) -> Result<OwnedPacket<Self>, Invalid>;

    /// The clause of an encode error, in the version's numbering.
    fn encode_clause(error: &EncodeError) -> Option<Clause>;
}

/// The packet type names in type order: 3.1.1 has the first 14, 5.0 all 15 (AUTH).
pub const TYPE_NAMES: [&str; 15] = [
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
    "AUTH",
];

/// Implements [`Model`] for a version module's `Decoder`, invoked in its `serde` module,
/// where `Packet` (with its `Serialize`), `OwnedPacket` and a `build` function name the
/// version's, and `super::encode_clause` its clauses. `$types`: how many of [`TYPE_NAMES`]
/// the version has.
macro_rules! model {
    ($types:literal) => {
        impl $crate::serde_parts::Model for Decoder {
            fn types() -> &'static [&'static str] {
                &$crate::serde_parts::TYPE_NAMES[..$types]
            }

            fn serialize_packet<S: ::serde::Serializer>(
                packet: &Packet<'_>,
                s: S,
            ) -> Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(packet, s)
            }

            fn build(
                map: $crate::serde_parts::Map<'_>,
            ) -> Result<OwnedPacket, $crate::serde_parts::Invalid> {
                build(map)
            }

            fn encode_clause(error: &$crate::EncodeError) -> Option<$crate::Clause> {
                super::encode_clause(error)
            }
        }
    };
}
pub(crate) use model;

/// The same form as the version's `Packet`'s `Serialize`.
///
/// ```
/// use mqtt_wire::v311::{OwnedPacket, Packet};
///
/// let owned = OwnedPacket::from(Packet::Pingreq);
/// assert_eq!(serde_json::to_string(&owned)?, r#"{"type":"PINGREQ"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<D: Model> Serialize for OwnedPacket<D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        D::serialize_packet(&self.packet(), s)
    }
}

/// Builds the packet through the version's public constructors: whatever they refuse (a QoS
/// of 3, a packet identifier of 0, a reason or return code the packet's table does not list,
/// a wildcard in a topic name), another protocol, an unknown, repeated or missing field is an
/// error.
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
impl<'de, D: Model> Deserialize<'de> for OwnedPacket<D> {
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        let content = Content::deserialize(d)?;
        content
            .map("an MQTT packet: a map with `type` and the packet's fields")
            .and_then(D::build)
            .map_err(|invalid| invalid.into_error::<D, De::Error>())
    }
}

/// The same form as the version's `Packet`'s `Serialize`.
#[cfg(feature = "bytes")]
impl<D: Model> Serialize for crate::BytesPacket<D> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        D::serialize_packet(&self.packet(), s)
    }
}

/// Validated as [`OwnedPacket`]'s `Deserialize`, then copied into a new buffer.
#[cfg(feature = "bytes")]
impl<'de, D: Model> Deserialize<'de> for crate::BytesPacket<D> {
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        OwnedPacket::<D>::deserialize(d).map(|owned| crate::BytesPacket::from(&owned))
    }
}

/// A binary field: hex in human-readable formats, bytes in the others.
pub struct Bin<'a>(pub &'a [u8]);

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

/// Serializes the fields of a will both versions have: `topic`, `message`, `qos`, `retain`.
pub fn will_fields<S: SerializeStruct>(
    st: &mut S,
    topic: &str,
    message: &[u8],
    qos: QoS,
    retain: bool,
) -> Result<(), S::Error> {
    st.serialize_field("topic", topic)?;
    st.serialize_field("message", &Bin(message))?;
    st.serialize_field("qos", &qos.as_u8())?;
    st.serialize_field("retain", &retain)
}

/// A list serialized from an iterator that can be made again (a `Serialize` takes `&self`).
pub struct Seq<F>(pub F);

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

/// A value as the format gave it, before the packet model says what it must be.
pub enum Content<'de> {
    /// `null`, a unit or `None`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number that is not negative and not a float.
    Unsigned(u64),
    /// A negative number.
    Signed(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(Cow<'de, str>),
    /// A byte string (binary formats).
    Bytes(Cow<'de, [u8]>),
    /// A sequence.
    Seq(Vec<Content<'de>>),
    /// A map with string keys, each once.
    Map(Map<'de>),
}

/// A map's entries, in the order they came; a key appears at most once.
pub struct Map<'de> {
    entries: Vec<(Cow<'de, str>, Content<'de>)>,
}

/// Why a serialized packet was refused.
pub enum Invalid {
    /// A required field is absent.
    Missing(&'static str),
    /// A field this map may not hold; the fields it may.
    UnknownField(String, &'static [&'static str]),
    /// A packet type the version does not have.
    UnknownType(String),
    /// A value of the wrong type or out of range, the message written out.
    Value(String),
    /// A constructor refused the packet.
    Encode(EncodeError),
    /// Another rule of the packet model, with its clause.
    Other(&'static str),
}

impl From<EncodeError> for Invalid {
    fn from(error: EncodeError) -> Self {
        Invalid::Encode(error)
    }
}

impl Invalid {
    /// The format's error, with the clause of an encode error in `D`'s numbering.
    fn into_error<D: Model, E: de::Error>(self) -> E {
        match self {
            Invalid::Missing(name) => E::missing_field(name),
            Invalid::UnknownField(name, expected) => E::unknown_field(&name, expected),
            Invalid::UnknownType(name) => E::unknown_variant(&name, D::types()),
            Invalid::Value(message) => E::custom(message),
            Invalid::Encode(error) => match D::encode_clause(&error) {
                Some(clause) => E::custom(format_args!("invalid packet: {error} [{clause}]")),
                None => E::custom(format_args!("invalid packet: {error}")),
            },
            Invalid::Other(why) => E::custom(format_args!("invalid packet: {why}")),
        }
    }
}

impl<'de> Content<'de> {
    /// What serde calls the value in an error message.
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Content::Null => Unexpected::Unit,
            Content::Bool(b) => Unexpected::Bool(*b),
            Content::Unsigned(n) => Unexpected::Unsigned(*n),
            Content::Signed(n) => Unexpected::Signed(*n),
            Content::Float(n) => Unexpected::Float(*n),
            Content::Str(s) => Unexpected::Str(s),
            Content::Bytes(b) => Unexpected::Bytes(b),
            Content::Seq(_) => Unexpected::Seq,
            Content::Map(_) => Unexpected::Map,
        }
    }

    /// The error for a value that is not `expected`.
    fn wrong(&self, expected: &str) -> Invalid {
        Invalid::Value(format!(
            "invalid type: {}, expected {expected}",
            self.unexpected()
        ))
    }

    /// A boolean.
    pub fn bool(self) -> Result<bool, Invalid> {
        match self {
            Content::Bool(b) => Ok(b),
            other => Err(other.wrong("a boolean")),
        }
    }

    /// An unsigned number that fits `T` (`u8`, `u16`, `u32`).
    pub fn uint<T: TryFrom<u64>>(self, expected: &'static str) -> Result<T, Invalid> {
        match self {
            Content::Unsigned(n) => T::try_from(n).map_err(|_| {
                Invalid::Value(format!("invalid value: integer `{n}`, expected {expected}"))
            }),
            other => Err(other.wrong(expected)),
        }
    }

    /// A QoS level: 0, 1 or 2; `why` names the rule another number breaks.
    pub fn qos(self, why: &'static str) -> Result<QoS, Invalid> {
        QoS::from_u8(self.uint("a QoS level")?).ok_or(Invalid::Other(why))
    }

    /// A string.
    pub fn string(self) -> Result<Cow<'de, str>, Invalid> {
        match self {
            Content::Str(s) => Ok(s),
            other => Err(other.wrong("a string")),
        }
    }

    /// A binary field: a hex string, bytes, or a sequence of byte values.
    pub fn bin(self) -> Result<Cow<'de, [u8]>, Invalid> {
        match self {
            Content::Str(s) => from_hex(&s).map(Cow::Owned).ok_or_else(|| {
                Invalid::Value(format!(
                    "invalid value: {}, expected an even number of hex digits",
                    Unexpected::Str(&s)
                ))
            }),
            Content::Bytes(b) => Ok(b),
            Content::Seq(items) => items
                .into_iter()
                .map(|item| item.uint::<u8>("a byte"))
                .collect::<Result<Vec<u8>, Invalid>>()
                .map(Cow::Owned),
            other => Err(other.wrong("a hex string or bytes")),
        }
    }

    /// A sequence.
    pub fn seq(self, expected: &'static str) -> Result<Vec<Content<'de>>, Invalid> {
        match self {
            Content::Seq(items) => Ok(items),
            other => Err(other.wrong(expected)),
        }
    }

    /// A map; `expected` says what it stands for (`a will`).
    pub fn map(self, expected: &'static str) -> Result<Map<'de>, Invalid> {
        match self {
            Content::Map(map) => Ok(map),
            other => Err(other.wrong(expected)),
        }
    }
}

impl<'de> Map<'de> {
    /// Refuses a field that is not one of `allowed`.
    pub fn only(&self, allowed: &'static [&'static str]) -> Result<(), Invalid> {
        match self
            .entries
            .iter()
            .find(|(key, _)| !allowed.contains(&key.as_ref()))
        {
            Some((key, _)) => Err(Invalid::UnknownField(key.to_string(), allowed)),
            None => Ok(()),
        }
    }

    /// Takes a field out; `None` when absent.
    fn take(&mut self, name: &str) -> Option<Content<'de>> {
        let at = self.entries.iter().position(|(key, _)| key == name)?;
        Some(self.entries.swap_remove(at).1)
    }

    /// A field that must be present.
    pub fn required(&mut self, name: &'static str) -> Result<Content<'de>, Invalid> {
        self.take(name).ok_or(Invalid::Missing(name))
    }

    /// A field that may be `null` or absent (both `None`).
    pub fn nullable(&mut self, name: &str) -> Option<Content<'de>> {
        match self.take(name)? {
            Content::Null => None,
            value => Some(value),
        }
    }
}

/// What a version's packet identifier rules say, in its clause numbering.
pub struct PacketIdRules {
    /// A packet identifier of 0.
    pub zero: &'static str,
    /// A PUBLISH at QoS 0 with a packet identifier.
    pub at_qos0: &'static str,
    /// A PUBLISH at QoS 1 or 2 without one.
    pub missing: &'static str,
}

impl PacketIdRules {
    /// A packet identifier: 1 to 65535.
    pub fn packet_id(&self, value: Content<'_>) -> Result<NonZeroU16, Invalid> {
        NonZeroU16::new(value.uint("a packet identifier")?).ok_or(Invalid::Other(self.zero))
    }

    /// A PUBLISH's delivery from its `qos` and `packet_id` fields: an identifier exactly
    /// when the QoS is above 0.
    pub fn delivery(&self, qos: QoS, packet_id: Option<Content<'_>>) -> Result<Delivery, Invalid> {
        let id = packet_id.map(|id| self.packet_id(id)).transpose()?;
        match (qos, id) {
            (QoS::AtMostOnce, None) => Ok(Delivery::AtMostOnce),
            (QoS::AtLeastOnce, Some(id)) => Ok(Delivery::AtLeastOnce(id)),
            (QoS::ExactlyOnce, Some(id)) => Ok(Delivery::ExactlyOnce(id)),
            (QoS::AtMostOnce, Some(_)) => Err(Invalid::Other(self.at_qos0)),
            (_, None) => Err(Invalid::Other(self.missing)),
        }
    }
}

/// A list of strings (UNSUBSCRIBE's topic filters).
pub fn strings<'de>(
    content: Content<'de>,
    expected: &'static str,
) -> Result<Vec<Cow<'de, str>>, Invalid> {
    content
        .seq(expected)?
        .into_iter()
        .map(Content::string)
        .collect()
}

/// The fields of a CONNECT both versions have, read and checked: `protocol_name` "MQTT",
/// `protocol_level` the version's (MQTT-3.1.2-1 and MQTT-3.1.2-2 in both), `keep_alive`,
/// `client_id`, `username` and `password` (`null` or absent for none).
pub struct ConnectFields<'de> {
    /// Keep Alive.
    pub keep_alive: u16,
    /// The Client Identifier.
    pub client_id: Cow<'de, str>,
    /// The User Name.
    pub username: Option<Cow<'de, str>>,
    /// The Password.
    pub password: Option<Cow<'de, [u8]>>,
}

impl<'de> ConnectFields<'de> {
    /// Reads them from `f`; `level` is the version's protocol level.
    pub fn read(f: &mut Map<'de>, level: u8) -> Result<Self, Invalid> {
        let protocol_name = f.required("protocol_name")?.string()?;
        let protocol_level: u8 = f.required("protocol_level")?.uint("a protocol level")?;
        if protocol_name != "MQTT" {
            return Err(Invalid::Other(
                "protocol name is not \"MQTT\" [MQTT-3.1.2-1]",
            ));
        }
        if protocol_level != level {
            return Err(Invalid::Value(format!(
                "invalid packet: protocol level is not {level} [MQTT-3.1.2-2]"
            )));
        }
        Ok(ConnectFields {
            keep_alive: f.required("keep_alive")?.uint("a keep alive (u16)")?,
            client_id: f.required("client_id")?.string()?,
            username: f.nullable("username").map(Content::string).transpose()?,
            password: f.nullable("password").map(Content::bin).transpose()?,
        })
    }
}

/// The fields of a will both versions have: `topic`, `message`, `qos`, `retain`.
pub struct WillFields<'de> {
    /// The Will Topic.
    pub topic: Cow<'de, str>,
    /// The Will Message (5.0: Will Payload).
    pub message: Cow<'de, [u8]>,
    /// The Will QoS.
    pub qos: QoS,
    /// The Will Retain flag.
    pub retain: bool,
}

impl<'de> WillFields<'de> {
    /// Reads them from a will's map; `bad_qos` names the version's rule for a QoS of 3.
    pub fn read(w: &mut Map<'de>, bad_qos: &'static str) -> Result<Self, Invalid> {
        Ok(WillFields {
            topic: w.required("topic")?.string()?,
            message: w.required("message")?.bin()?,
            qos: w.required("qos")?.qos(bad_qos)?,
            retain: w.required("retain")?.bool()?,
        })
    }
}

/// The fields of a PUBLISH both versions have: `dup`, `qos` and `packet_id` (as the
/// delivery), `retain`, `topic`, `payload`.
pub struct PublishFields<'de> {
    /// The DUP flag.
    pub dup: bool,
    /// QoS and packet identifier.
    pub delivery: Delivery,
    /// The RETAIN flag.
    pub retain: bool,
    /// The Topic Name.
    pub topic: Cow<'de, str>,
    /// The payload.
    pub payload: Cow<'de, [u8]>,
}

impl<'de> PublishFields<'de> {
    /// Reads them from `f` under the version's packet identifier rules.
    pub fn read(f: &mut Map<'de>, ids: &PacketIdRules) -> Result<Self, Invalid> {
        let dup = f.required("dup")?.bool()?;
        // MQTT-3.3.1-4 in both versions.
        let qos = f
            .required("qos")?
            .qos("QoS is not 0, 1 or 2 [MQTT-3.3.1-4]")?;
        Ok(PublishFields {
            dup,
            delivery: ids.delivery(qos, f.nullable("packet_id"))?,
            retain: f.required("retain")?.bool()?,
            topic: f.required("topic")?.string()?,
            payload: f.required("payload")?.bin()?,
        })
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

impl<'de> Deserialize<'de> for Content<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ContentVisitor)
    }
}

struct ContentVisitor;

impl<'de> Visitor<'de> for ContentVisitor {
    type Value = Content<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value of the MQTT packet model")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Content<'de>, E> {
        Ok(Content::Bool(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Content<'de>, E> {
        Ok(Content::Unsigned(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Content<'de>, E> {
        Ok(match u64::try_from(v) {
            Ok(n) => Content::Unsigned(n),
            Err(_) => Content::Signed(v),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Content<'de>, E> {
        Ok(Content::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Owned(v.into())))
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Borrowed(v)))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Content<'de>, E> {
        Ok(Content::Str(Cow::Owned(v)))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Content<'de>, E> {
        Ok(Content::Bytes(Cow::Owned(v.into())))
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Content<'de>, E> {
        Ok(Content::Bytes(Cow::Borrowed(v)))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Content<'de>, E> {
        Ok(Content::Bytes(Cow::Owned(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Content<'de>, E> {
        Ok(Content::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Content<'de>, E> {
        Ok(Content::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Content<'de>, D::Error> {
        Content::deserialize(d)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Content<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Content::Seq(items))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Content<'de>, A::Error> {
        let mut entries: Vec<(Cow<'de, str>, Content<'de>)> = Vec::new();
        while let Some(key) = map.next_key::<Content<'de>>()? {
            let key = match key {
                Content::Str(key) => key,
                other => return Err(de::Error::invalid_type(other.unexpected(), &"a field name")),
            };
            if entries.iter().any(|(seen, _)| *seen == key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            let value = map.next_value()?;
            entries.push((key, value));
        }
        Ok(Content::Map(Map { entries }))
    }
}
