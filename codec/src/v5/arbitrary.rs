//! `Arbitrary` for [`OwnedPacket`] (feature `arbitrary`): 5.0 packets for structured fuzzing,
//! built only through the public constructors, as `v311`'s are. Properties are drawn from
//! those Table 2-4 allows where they go, so most inputs make a packet; whatever a constructor
//! refuses (a duplicate, a zero value) rejects the input.

use alloc::string::String;
use alloc::vec::Vec;

use arbitrary::{Arbitrary, Error, Result, Unstructured};

use crate::arbitrary_parts::{delivery, filter_text, name_text, packet_id, qos, refused};
use crate::v5::properties::Place;
use crate::v5::{
    Ack, Connack, Connect, ListAck, Notice, OwnedPacket, Packet, Properties, Property, PropertyId,
    Publish, ReasonCode, RetainHandling, Subscribe, Subscription, SubscriptionOptions, Unsubscribe,
    Will,
};
use crate::{PacketType, TopicFilter, TopicName};

/// The values of up to six properties allowed at a place, owned; [`Drawn::properties`]
/// borrows them as [`Property`] values.
struct Drawn {
    ids: Vec<PropertyId>,
    ints: Vec<u32>,
    texts: Vec<(String, String)>,
    binaries: Vec<Vec<u8>>,
}

impl Drawn {
    fn new(u: &mut Unstructured<'_>, place: Place) -> Result<Self> {
        let allowed: Vec<PropertyId> = (0..=255u8)
            .filter_map(PropertyId::from_u8)
            .filter(|id| id.allowed_in(place))
            .collect();
        let mut drawn = Drawn {
            ids: Vec::new(),
            ints: Vec::new(),
            texts: Vec::new(),
            binaries: Vec::new(),
        };
        if allowed.is_empty() {
            return Ok(drawn);
        }
        for _ in 0..u.int_in_range(0..=6)? {
            let id = *u.choose(&allowed)?;
            drawn.ids.push(id);
            // Small numbers most of the time: byte properties are 0 or 1.
            drawn.ints.push(match u.int_in_range(0..=3)? {
                0 => u32::arbitrary(u)?,
                _ => u32::from(u.int_in_range(0..=2u8)?),
            });
            drawn.texts.push(match id {
                PropertyId::ResponseTopic => (name_text(u)?, String::new()),
                _ => (String::arbitrary(u)?, String::arbitrary(u)?),
            });
            drawn.binaries.push(Vec::arbitrary(u)?);
        }
        Ok(drawn)
    }

    /// The properties, or `IncorrectFormat` for a value that does not fit its type.
    fn properties(&self) -> Result<Vec<Property<'_>>> {
        use Property as P;
        use PropertyId as I;
        let mut out = Vec::new();
        for (i, id) in self.ids.iter().enumerate() {
            let n = self.ints[i];
            let byte = || u8::try_from(n).map_err(|_| Error::IncorrectFormat);
            let two = || u16::try_from(n).map_err(|_| Error::IncorrectFormat);
            let (a, b) = (&self.texts[i].0[..], &self.texts[i].1[..]);
            let bin = &self.binaries[i][..];
            out.push(match id {
                I::PayloadFormatIndicator => P::PayloadFormatIndicator(byte()?),
                I::MessageExpiryInterval => P::MessageExpiryInterval(n),
                I::ContentType => P::ContentType(a),
                I::ResponseTopic => P::ResponseTopic(a),
                I::CorrelationData => P::CorrelationData(bin),
                I::SubscriptionIdentifier => P::SubscriptionIdentifier(n),
                I::SessionExpiryInterval => P::SessionExpiryInterval(n),
                I::AssignedClientIdentifier => P::AssignedClientIdentifier(a),
                I::ServerKeepAlive => P::ServerKeepAlive(two()?),
                I::AuthenticationMethod => P::AuthenticationMethod(a),
                I::AuthenticationData => P::AuthenticationData(bin),
                I::RequestProblemInformation => P::RequestProblemInformation(byte()?),
                I::WillDelayInterval => P::WillDelayInterval(n),
                I::RequestResponseInformation => P::RequestResponseInformation(byte()?),
                I::ResponseInformation => P::ResponseInformation(a),
                I::ServerReference => P::ServerReference(a),
                I::ReasonString => P::ReasonString(a),
                I::ReceiveMaximum => P::ReceiveMaximum(two()?),
                I::TopicAliasMaximum => P::TopicAliasMaximum(two()?),
                I::TopicAlias => P::TopicAlias(two()?),
                I::MaximumQoS => P::MaximumQoS(byte()?),
                I::RetainAvailable => P::RetainAvailable(byte()?),
                I::UserProperty => P::UserProperty(a, b),
                I::MaximumPacketSize => P::MaximumPacketSize(n),
                I::WildcardSubscriptionAvailable => P::WildcardSubscriptionAvailable(byte()?),
                I::SubscriptionIdentifierAvailable => P::SubscriptionIdentifierAvailable(byte()?),
                I::SharedSubscriptionAvailable => P::SharedSubscriptionAvailable(byte()?),
            });
        }
        Ok(out)
    }
}

/// A reason code from `packet`'s table.
fn reason(u: &mut Unstructured<'_>, packet: PacketType) -> Result<ReasonCode> {
    let codes: Vec<ReasonCode> = (0..=255u8)
        .filter_map(|v| ReasonCode::new(packet, v))
        .collect();
    Ok(*u.choose(&codes)?)
}

impl<'a> Arbitrary<'a> for OwnedPacket {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        use PacketType as T;
        let types = [
            T::Connect,
            T::Connack,
            T::Publish,
            T::Puback,
            T::Pubrec,
            T::Pubrel,
            T::Pubcomp,
            T::Subscribe,
            T::Suback,
            T::Unsubscribe,
            T::Unsuback,
            T::Pingreq,
            T::Pingresp,
            T::Disconnect,
            T::Auth,
        ];
        let t = *u.choose(&types)?;
        let drawn = Drawn::new(u, Place::Packet(t))?;
        let props = drawn.properties()?;
        let properties = Properties::new(&props);
        let owned = match t {
            T::Connect => {
                let client_id = String::arbitrary(u)?;
                let mut connect = Connect::new(
                    &client_id,
                    bool::arbitrary(u)?,
                    u16::arbitrary(u)?,
                    properties,
                )
                .map_err(refused)?;
                let will_drawn = Drawn::new(u, Place::Will)?;
                let will_props = will_drawn.properties()?;
                let will = Option::<(String, Vec<u8>)>::arbitrary(u)?;
                let username = Option::<String>::arbitrary(u)?;
                let password = Option::<Vec<u8>>::arbitrary(u)?;
                let (will_qos, will_retain) = (qos(u)?, bool::arbitrary(u)?);
                if let Some((topic, payload)) = &will {
                    let topic = TopicName::new(topic).map_err(refused)?;
                    let will = Will::new(
                        Properties::new(&will_props),
                        topic,
                        payload,
                        will_qos,
                        will_retain,
                    )
                    .map_err(refused)?;
                    connect = connect.with_will(will).map_err(refused)?;
                }
                if let Some(username) = &username {
                    connect = connect.with_username(username).map_err(refused)?;
                }
                if let Some(password) = &password {
                    connect = connect.with_password(password).map_err(refused)?;
                }
                Packet::Connect(connect).to_owned_packet()
            }
            T::Connack => {
                let code = reason(u, t)?;
                let present = code.value() == 0 && bool::arbitrary(u)?;
                Packet::Connack(Connack::new(present, code, properties).map_err(refused)?)
                    .to_owned_packet()
            }
            T::Publish => {
                let topic = if bool::arbitrary(u)? {
                    String::new()
                } else {
                    name_text(u)?
                };
                let payload = Vec::<u8>::arbitrary(u)?;
                let delivery = delivery(u)?;
                let publish = Publish::new(&topic, delivery, properties, &payload)
                    .map_err(refused)?
                    .with_retain(bool::arbitrary(u)?)
                    .with_dup(delivery.packet_id().is_some() && bool::arbitrary(u)?)
                    .map_err(refused)?;
                Packet::Publish(publish).to_owned_packet()
            }
            T::Puback | T::Pubrec | T::Pubrel | T::Pubcomp => {
                let ack = Ack::new(t, packet_id(u)?, reason(u, t)?, properties).map_err(refused)?;
                match t {
                    T::Puback => Packet::Puback(ack),
                    T::Pubrec => Packet::Pubrec(ack),
                    T::Pubrel => Packet::Pubrel(ack),
                    _ => Packet::Pubcomp(ack),
                }
                .to_owned_packet()
            }
            T::Subscribe => {
                let id = packet_id(u)?;
                let mut texts = Vec::new();
                for _ in 0..u.int_in_range(1..=4)? {
                    let filter = if u.int_in_range(0..=4)? == 0 {
                        alloc::format!(
                            "$share/{}/{}",
                            name_text(u)?.replace('/', ""),
                            filter_text(u)?
                        )
                    } else {
                        filter_text(u)?
                    };
                    let handling = *u.choose(&[
                        RetainHandling::OnSubscribe,
                        RetainHandling::OnNewSubscribe,
                        RetainHandling::Never,
                    ])?;
                    let options = SubscriptionOptions {
                        qos: qos(u)?,
                        no_local: bool::arbitrary(u)?,
                        retain_as_published: bool::arbitrary(u)?,
                        retain_handling: handling,
                    };
                    texts.push((filter, options));
                }
                let mut items = Vec::new();
                for (text, options) in &texts {
                    let filter = TopicFilter::new(text).map_err(refused)?;
                    items.push(Subscription::new(filter, *options).map_err(refused)?);
                }
                Packet::Subscribe(Subscribe::new(id, properties, &items).map_err(refused)?)
                    .to_owned_packet()
            }
            T::Suback | T::Unsuback => {
                let id = packet_id(u)?;
                let mut codes = Vec::new();
                for _ in 0..u.int_in_range(1..=6)? {
                    codes.push(reason(u, t)?);
                }
                let ack = ListAck::new(t, id, properties, &codes).map_err(refused)?;
                if t == T::Suback {
                    Packet::Suback(ack)
                } else {
                    Packet::Unsuback(ack)
                }
                .to_owned_packet()
            }
            T::Unsubscribe => {
                let id = packet_id(u)?;
                let mut texts = Vec::new();
                for _ in 0..u.int_in_range(1..=4)? {
                    texts.push(filter_text(u)?);
                }
                let mut items = Vec::new();
                for text in &texts {
                    items.push(TopicFilter::new(text).map_err(refused)?);
                }
                Packet::Unsubscribe(Unsubscribe::new(id, properties, &items).map_err(refused)?)
                    .to_owned_packet()
            }
            T::Pingreq => Packet::Pingreq.to_owned_packet(),
            T::Pingresp => Packet::Pingresp.to_owned_packet(),
            T::Disconnect | T::Auth => {
                let notice = Notice::new(t, reason(u, t)?, properties).map_err(refused)?;
                if t == T::Disconnect {
                    Packet::Disconnect(notice)
                } else {
                    Packet::Auth(notice)
                }
                .to_owned_packet()
            }
        };
        Ok(owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{v5, Status};

    /// Built packets of every type come out of ordinary fuzzer bytes, and each decodes back
    /// from its bytes to the same packet.
    #[test]
    fn draws_every_type_and_each_round_trips() {
        let mut seen = std::collections::BTreeSet::new();
        let mut rng = testkit::XorShift64::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let mut bytes = [0u8; 256];
            for b in bytes.iter_mut() {
                *b = rng.next_u64() as u8;
            }
            let Ok(owned) = OwnedPacket::arbitrary(&mut Unstructured::new(&bytes)) else {
                continue;
            };
            let packet = owned.packet();
            seen.insert(packet.packet_type().as_u8());
            let Ok(Status::Complete((again, used))) = v5::decode(owned.as_bytes()) else {
                panic!("{packet:?} does not decode back");
            };
            assert_eq!((again, used), (packet, owned.as_bytes().len()));
        }
        assert_eq!(seen.len(), 15, "types drawn: {seen:?}");
    }
}
