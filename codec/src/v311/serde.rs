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

use alloc::vec::Vec;
use core::num::NonZeroU16;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::serde_parts::{
    strings, will_fields, Bin, ConnectFields, Content, Invalid, Map, PacketIdRules, PublishFields,
    Seq, WillFields,
};
use crate::v311::{
    Connack, Connect, ConnectReturnCode, Decoder, OwnedPacket, Packet, Puback, Pubcomp, Publish,
    Pubrec, Pubrel, Suback, SubackReturnCode, Subscribe, Subscription, Unsuback, Unsubscribe, Will,
};
use crate::{TopicFilter, TopicName};

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
        let w = &self.0;
        let mut st = s.serialize_struct("Will", 4)?;
        will_fields(
            &mut st,
            w.topic().as_str(),
            w.message(),
            w.qos(),
            w.retain(),
        )?;
        st.end()
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

crate::serde_parts::model!(14);

/// The packet identifier rules of 3.1.1.
const IDS: PacketIdRules = PacketIdRules {
    zero: "packet identifier is 0 [MQTT-2.3.1-1]",
    at_qos0: "a packet identifier at QoS 0 [MQTT-2.3.1-5]",
    missing: "no packet identifier at QoS 1 or 2 [MQTT-2.3.1-1]",
};

fn packet_id(value: Content<'_>) -> Result<NonZeroU16, Invalid> {
    IDS.packet_id(value)
}

/// Builds the packet the map describes, through the public constructors.
fn build(mut f: Map<'_>) -> Result<OwnedPacket, Invalid> {
    let ty = f.required("type")?.string()?;
    let packet = match ty.as_ref() {
        "CONNECT" => {
            f.only(&[
                "protocol_name",
                "protocol_level",
                "clean_session",
                "keep_alive",
                "client_id",
                "will",
                "username",
                "password",
            ])?;
            let c = ConnectFields::read(&mut f, super::connect::PROTOCOL_LEVEL)?;
            let clean_session = f.required("clean_session")?.bool()?;
            let will = match f.nullable("will") {
                None => None,
                Some(will) => {
                    let mut w = will.map("a will")?;
                    w.only(&["topic", "message", "qos", "retain"])?;
                    Some(WillFields::read(
                        &mut w,
                        "will QoS is not 0, 1 or 2 [MQTT-3.1.2-14]",
                    )?)
                }
            };
            let mut connect = Connect::new(&c.client_id, clean_session, c.keep_alive)?;
            if let Some(w) = &will {
                let topic = TopicName::new(&w.topic)?;
                connect = connect.with_will(Will::new(topic, &w.message, w.qos, w.retain)?);
            }
            if let Some(username) = &c.username {
                connect = connect.with_username(username)?;
            }
            if let Some(password) = &c.password {
                connect = connect.with_password(password)?;
            }
            return Ok(Packet::Connect(connect).to_owned_packet());
        }
        "CONNACK" => {
            f.only(&["session_present", "return_code"])?;
            let session_present = f.required("session_present")?.bool()?;
            let return_code = f.required("return_code")?.uint("a return code")?;
            let code = ConnectReturnCode::from_u8(return_code).ok_or(Invalid::Other(
                "connect return code above 5 [section 3.2.2.3]",
            ))?;
            Packet::Connack(Connack::new(session_present, code)?)
        }
        "PUBLISH" => {
            f.only(&["dup", "qos", "retain", "topic", "packet_id", "payload"])?;
            let p = PublishFields::read(&mut f, &IDS)?;
            let publish = Publish::new(TopicName::new(&p.topic)?, p.delivery, &p.payload)?
                .with_retain(p.retain)
                .with_dup(p.dup)?;
            return Ok(Packet::Publish(publish).to_owned_packet());
        }
        "PUBACK" | "PUBREC" | "PUBREL" | "PUBCOMP" | "UNSUBACK" => {
            f.only(&["packet_id"])?;
            let id = packet_id(f.required("packet_id")?)?;
            match ty.as_ref() {
                "PUBACK" => Packet::Puback(Puback::new(id)),
                "PUBREC" => Packet::Pubrec(Pubrec::new(id)),
                "PUBREL" => Packet::Pubrel(Pubrel::new(id)),
                "PUBCOMP" => Packet::Pubcomp(Pubcomp::new(id)),
                _ => Packet::Unsuback(Unsuback::new(id)),
            }
        }
        "SUBSCRIBE" => {
            f.only(&["packet_id", "subscriptions"])?;
            let id = packet_id(f.required("packet_id")?)?;
            let subscriptions = f
                .required("subscriptions")?
                .seq("a list of subscriptions")?;
            let mut filters = Vec::with_capacity(subscriptions.len());
            for s in subscriptions {
                let mut s = s.map("a subscription")?;
                s.only(&["filter", "qos"])?;
                let filter = s.required("filter")?.string()?;
                let qos = s
                    .required("qos")?
                    .qos("requested QoS is not 0, 1 or 2 [MQTT-3.8.3-4]")?;
                filters.push((filter, qos));
            }
            let items = filters
                .iter()
                .map(|(filter, qos)| Ok(Subscription::new(TopicFilter::new(filter)?, *qos)))
                .collect::<Result<Vec<_>, Invalid>>()?;
            let subscribe = Subscribe::new(id, &items)?;
            return Ok(Packet::Subscribe(subscribe).to_owned_packet());
        }
        "SUBACK" => {
            f.only(&["packet_id", "return_codes"])?;
            let id = packet_id(f.required("packet_id")?)?;
            let codes = f
                .required("return_codes")?
                .seq("a list of return codes")?
                .into_iter()
                .map(|c| {
                    SubackReturnCode::from_u8(c.uint("a return code")?).ok_or(Invalid::Other(
                        "SUBACK return code not 0, 1, 2 or 128 [MQTT-3.9.3-2]",
                    ))
                })
                .collect::<Result<Vec<_>, Invalid>>()?;
            return Ok(Packet::Suback(Suback::new(id, &codes)?).to_owned_packet());
        }
        "UNSUBSCRIBE" => {
            f.only(&["packet_id", "filters"])?;
            let id = packet_id(f.required("packet_id")?)?;
            let filters = strings(f.required("filters")?, "a list of topic filters")?;
            let filters = filters
                .iter()
                .map(|f| TopicFilter::new(f))
                .collect::<Result<Vec<_>, _>>()?;
            let unsubscribe = Unsubscribe::new(id, &filters)?;
            return Ok(Packet::Unsubscribe(unsubscribe).to_owned_packet());
        }
        "PINGREQ" | "PINGRESP" | "DISCONNECT" => {
            f.only(&[])?;
            match ty.as_ref() {
                "PINGREQ" => Packet::Pingreq,
                "PINGRESP" => Packet::Pingresp,
                _ => Packet::Disconnect,
            }
        }
        _ => return Err(Invalid::UnknownType(ty.into_owned())),
    };
    Ok(packet.to_owned_packet())
}
