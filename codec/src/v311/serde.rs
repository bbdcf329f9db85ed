//! The `serde` feature: `Serialize` for [`Packet`], `Serialize` and `Deserialize` for
//! [`OwnedPacket`] (and [`BytesPacket`] with the `bytes` feature).
//!
//! The form is the golden vectors' packet model (`vectors/README.md`): a map with `type`, the
//! packet type's name in capitals, and the packet's fields by name. Binary fields (payload,
//! will message, password) are lower-case hex strings in human-readable formats such as JSON,
//! and byte strings in binary ones. Deserializing builds the packet through the public
//! constructors, so a deserialized packet is as valid as a decoded one; anything they refuse
//! is a deserialization error, as are unknown fields. The `type` tag makes the form
//! self-describing: it needs a format that supports `deserialize_any` (JSON, CBOR,
//! MessagePack, YAML, RON...), not bincode-style formats.
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
        Repr::deserialize(d)?.build().map_err(de::Error::custom)
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

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WillRepr {
    topic: String,
    message: BinBuf,
    qos: u8,
    retain: bool,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SubscriptionRepr {
    filter: String,
    qos: u8,
}

/// The serialized form, with owned fields, before the constructors have checked it.
#[derive(serde::Deserialize)]
#[serde(tag = "type", deny_unknown_fields)]
enum Repr {
    #[serde(rename = "CONNECT")]
    Connect {
        protocol_name: String,
        protocol_level: u8,
        clean_session: bool,
        keep_alive: u16,
        client_id: String,
        will: Option<WillRepr>,
        username: Option<String>,
        password: Option<BinBuf>,
    },
    #[serde(rename = "CONNACK")]
    Connack {
        session_present: bool,
        return_code: u8,
    },
    #[serde(rename = "PUBLISH")]
    Publish {
        dup: bool,
        qos: u8,
        retain: bool,
        topic: String,
        packet_id: Option<u16>,
        payload: BinBuf,
    },
    #[serde(rename = "PUBACK")]
    Puback { packet_id: u16 },
    #[serde(rename = "PUBREC")]
    Pubrec { packet_id: u16 },
    #[serde(rename = "PUBREL")]
    Pubrel { packet_id: u16 },
    #[serde(rename = "PUBCOMP")]
    Pubcomp { packet_id: u16 },
    #[serde(rename = "SUBSCRIBE")]
    Subscribe {
        packet_id: u16,
        subscriptions: Vec<SubscriptionRepr>,
    },
    #[serde(rename = "SUBACK")]
    Suback {
        packet_id: u16,
        return_codes: Vec<u8>,
    },
    #[serde(rename = "UNSUBSCRIBE")]
    Unsubscribe {
        packet_id: u16,
        filters: Vec<String>,
    },
    #[serde(rename = "UNSUBACK")]
    Unsuback { packet_id: u16 },
    #[serde(rename = "PINGREQ")]
    Pingreq,
    #[serde(rename = "PINGRESP")]
    Pingresp,
    #[serde(rename = "DISCONNECT")]
    Disconnect,
}

/// Why a serialized packet was refused.
enum Invalid {
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
            Invalid::Encode(error) => write!(f, "invalid packet: {error}"),
            Invalid::Other(why) => write!(f, "invalid packet: {why}"),
        }
    }
}

fn qos(value: u8, why: &'static str) -> Result<QoS, Invalid> {
    QoS::from_u8(value).ok_or(Invalid::Other(why))
}

fn packet_id(value: u16) -> Result<NonZeroU16, Invalid> {
    NonZeroU16::new(value).ok_or(Invalid::Other("packet identifier is 0 [section 2.3.1]"))
}

impl Repr {
    fn build(self) -> Result<OwnedPacket, Invalid> {
        let packet = match self {
            Repr::Connect {
                protocol_name,
                protocol_level,
                clean_session,
                keep_alive,
                client_id,
                will,
                username,
                password,
            } => {
                if protocol_name != "MQTT" {
                    return Err(Invalid::Other(
                        "protocol name is not \"MQTT\" [MQTT-3.1.2-1]",
                    ));
                }
                if protocol_level != super::connect::PROTOCOL_LEVEL {
                    return Err(Invalid::Other("protocol level is not 4 [MQTT-3.1.2-2]"));
                }
                let mut connect = Connect::new(&client_id, clean_session, keep_alive)?;
                if let Some(will) = &will {
                    let topic = TopicName::new(&will.topic)?;
                    let qos = qos(will.qos, "will QoS is not 0, 1 or 2 [MQTT-3.1.2-14]")?;
                    connect =
                        connect.with_will(Will::new(topic, &will.message.0, qos, will.retain)?);
                }
                if let Some(username) = &username {
                    connect = connect.with_username(username)?;
                }
                if let Some(password) = &password {
                    connect = connect.with_password(&password.0)?;
                }
                return Ok(Packet::Connect(connect).to_owned_packet());
            }
            Repr::Connack {
                session_present,
                return_code,
            } => {
                let code = ConnectReturnCode::from_u8(return_code).ok_or(Invalid::Other(
                    "connect return code above 5 [section 3.2.2.3]",
                ))?;
                Packet::Connack(Connack::new(session_present, code)?)
            }
            Repr::Publish {
                dup,
                qos: level,
                retain,
                topic,
                packet_id: id,
                payload,
            } => {
                let delivery = match (qos(level, "QoS is not 0, 1 or 2 [MQTT-3.3.1-4]")?, id) {
                    (QoS::AtMostOnce, None) => Delivery::AtMostOnce,
                    (QoS::AtLeastOnce, Some(id)) => Delivery::AtLeastOnce(packet_id(id)?),
                    (QoS::ExactlyOnce, Some(id)) => Delivery::ExactlyOnce(packet_id(id)?),
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
            Repr::Puback { packet_id: id } => Packet::Puback(Puback::new(packet_id(id)?)),
            Repr::Pubrec { packet_id: id } => Packet::Pubrec(Pubrec::new(packet_id(id)?)),
            Repr::Pubrel { packet_id: id } => Packet::Pubrel(Pubrel::new(packet_id(id)?)),
            Repr::Pubcomp { packet_id: id } => Packet::Pubcomp(Pubcomp::new(packet_id(id)?)),
            Repr::Unsuback { packet_id: id } => Packet::Unsuback(Unsuback::new(packet_id(id)?)),
            Repr::Subscribe {
                packet_id: id,
                subscriptions,
            } => {
                let mut items = Vec::with_capacity(subscriptions.len());
                for s in &subscriptions {
                    let qos = qos(s.qos, "requested QoS is not 0, 1 or 2 [MQTT-3.8.3-4]")?;
                    items.push(Subscription::new(TopicFilter::new(&s.filter)?, qos));
                }
                let subscribe = Subscribe::new(packet_id(id)?, &items)?;
                return Ok(Packet::Subscribe(subscribe).to_owned_packet());
            }
            Repr::Suback {
                packet_id: id,
                return_codes,
            } => {
                let codes = return_codes
                    .iter()
                    .map(|&c| SubackReturnCode::from_u8(c))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(Invalid::Other(
                        "SUBACK return code not 0, 1, 2 or 128 [MQTT-3.9.3-2]",
                    ))?;
                let suback = Suback::new(packet_id(id)?, &codes)?;
                return Ok(Packet::Suback(suback).to_owned_packet());
            }
            Repr::Unsubscribe {
                packet_id: id,
                filters,
            } => {
                let filters = filters
                    .iter()
                    .map(|f| TopicFilter::new(f))
                    .collect::<Result<Vec<_>, _>>()?;
                let unsubscribe = Unsubscribe::new(packet_id(id)?, &filters)?;
                return Ok(Packet::Unsubscribe(unsubscribe).to_owned_packet());
            }
            Repr::Pingreq => Packet::Pingreq,
            Repr::Pingresp => Packet::Pingresp,
            Repr::Disconnect => Packet::Disconnect,
        };
        Ok(packet.to_owned_packet())
    }
}
