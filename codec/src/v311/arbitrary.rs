//! `Arbitrary` for [`OwnedPacket`] (feature `arbitrary`): packets for structured fuzzing.
//!
//! Field values are drawn from the fuzzer's bytes, shaped so that topic names and filters are
//! usually valid (wildcards dropped from names, filters assembled from levels), and the packet
//! is built only through the public constructors. Whatever they refuse is not a packet, and
//! the input is rejected as `IncorrectFormat`: a packet that can be built is a packet the
//! codec must round-trip. The result owns its bytes, because a SUBSCRIBE, UNSUBSCRIBE or
//! SUBACK built by a caller borrows a slice of items that must live somewhere.

use alloc::string::String;
use alloc::vec::Vec;

use arbitrary::{Arbitrary, Error, Result, Unstructured};

use crate::arbitrary_parts::{delivery, filter_text, name_text, packet_id, qos, refused};

use crate::v311::{
    Connack, Connect, ConnectReturnCode, Delivery, OwnedPacket, Packet, Puback, Pubcomp, Publish,
    Pubrec, Pubrel, Suback, SubackReturnCode, Subscribe, Subscription, Unsuback, Unsubscribe, Will,
};
use crate::{QoS, TopicFilter, TopicName};

impl<'a> Arbitrary<'a> for OwnedPacket {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let packet = match u.int_in_range(1..=14u8)? {
            1 => {
                let client_id = String::arbitrary(u)?;
                let clean_session = bool::arbitrary(u)?;
                let mut connect =
                    Connect::new(&client_id, clean_session, u16::arbitrary(u)?).map_err(refused)?;
                let will = Option::<(String, Vec<u8>)>::arbitrary(u)?;
                let username = Option::<String>::arbitrary(u)?;
                let password = Option::<Vec<u8>>::arbitrary(u)?;
                let (will_qos, will_retain) = (qos(u)?, bool::arbitrary(u)?);
                if let Some((topic, message)) = &will {
                    let topic = TopicName::new(topic).map_err(refused)?;
                    connect = connect.with_will(
                        Will::new(topic, message, will_qos, will_retain).map_err(refused)?,
                    );
                }
                if let Some(username) = &username {
                    connect = connect.with_username(username).map_err(refused)?;
                }
                if let Some(password) = &password {
                    connect = connect.with_password(password).map_err(refused)?;
                }
                return Ok(Packet::Connect(connect).to_owned_packet());
            }
            2 => {
                let code = ConnectReturnCode::from_u8(u.int_in_range(0..=5)?)
                    .ok_or(Error::IncorrectFormat)?;
                Packet::Connack(Connack::new(bool::arbitrary(u)?, code).map_err(refused)?)
            }
            3 => {
                let topic = name_text(u)?;
                let payload = Vec::<u8>::arbitrary(u)?;
                let delivery = delivery(u)?;
                let publish =
                    Publish::new(TopicName::new(&topic).map_err(refused)?, delivery, &payload)
                        .map_err(refused)?
                        .with_retain(bool::arbitrary(u)?)
                        .with_dup(delivery != Delivery::AtMostOnce && bool::arbitrary(u)?)
                        .map_err(refused)?;
                return Ok(Packet::Publish(publish).to_owned_packet());
            }
            4 => Packet::Puback(Puback::new(packet_id(u)?)),
            5 => Packet::Pubrec(Pubrec::new(packet_id(u)?)),
            6 => Packet::Pubrel(Pubrel::new(packet_id(u)?)),
            7 => Packet::Pubcomp(Pubcomp::new(packet_id(u)?)),
            8 => {
                let id = packet_id(u)?;
                let count = u.int_in_range(1..=5)?;
                let mut texts = Vec::new();
                for _ in 0..count {
                    texts.push((filter_text(u)?, qos(u)?));
                }
                let mut items = Vec::new();
                for (text, qos) in &texts {
                    items.push(Subscription::new(
                        TopicFilter::new(text).map_err(refused)?,
                        *qos,
                    ));
                }
                return Ok(
                    Packet::Subscribe(Subscribe::new(id, &items).map_err(refused)?)
                        .to_owned_packet(),
                );
            }
            9 => {
                let id = packet_id(u)?;
                let count = u.int_in_range(1..=8)?;
                let mut codes = Vec::new();
                for _ in 0..count {
                    codes.push(*u.choose(&[
                        SubackReturnCode::Granted(QoS::AtMostOnce),
                        SubackReturnCode::Granted(QoS::AtLeastOnce),
                        SubackReturnCode::Granted(QoS::ExactlyOnce),
                        SubackReturnCode::Failure,
                    ])?);
                }
                return Ok(
                    Packet::Suback(Suback::new(id, &codes).map_err(refused)?).to_owned_packet()
                );
            }
            10 => {
                let id = packet_id(u)?;
                let count = u.int_in_range(1..=5)?;
                let mut texts = Vec::new();
                for _ in 0..count {
                    texts.push(filter_text(u)?);
                }
                let mut items = Vec::new();
                for text in &texts {
                    items.push(TopicFilter::new(text).map_err(refused)?);
                }
                return Ok(
                    Packet::Unsubscribe(Unsubscribe::new(id, &items).map_err(refused)?)
                        .to_owned_packet(),
                );
            }
            11 => Packet::Unsuback(Unsuback::new(packet_id(u)?)),
            12 => Packet::Pingreq,
            13 => Packet::Pingresp,
            _ => Packet::Disconnect,
        };
        Ok(packet.to_owned_packet())
    }
}
