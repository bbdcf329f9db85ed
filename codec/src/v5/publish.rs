//! PUBLISH (MQTT 5.0 section 3.3).

use core::fmt;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::MAX_REMAINING_LENGTH;
use crate::reader::Reader;
use crate::topic::TopicName;
use crate::v5::properties::{Place, Properties};
use crate::v5::{Decoder, Shown};
use crate::writer::Sink;
use crate::{Delivery, PacketType, QoS};

const FLAG_RETAIN: u8 = 0x01;
const FLAG_DUP: u8 = 0x08;

/// A PUBLISH packet. The topic may be empty when the properties carry a Topic Alias
/// (section 3.3.2.3.4).
///
/// ```
/// use mqtt_wire::v5::{Packet, Properties, Property, Publish};
/// use mqtt_wire::Delivery;
///
/// let props = [Property::TopicAlias(1)];
/// let publish = Publish::new("", Delivery::AtMostOnce, Properties::new(&props), b"22.5")?;
/// let mut buf = [0u8; 32];
/// let n = Packet::Publish(publish).encode(&mut buf)?;
/// assert_eq!(buf[..n], [0x30, 0x0A, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01, b'2', b'2', b'.', b'5'][..n]);
/// // Without the alias, an empty topic is refused.
/// assert!(Publish::new("", Delivery::AtMostOnce, Properties::EMPTY, b"").is_err());
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Publish<'a> {
    topic: &'a str,
    delivery: Delivery,
    retain: bool,
    dup: bool,
    properties: Properties<'a>,
    payload: &'a [u8],
}

impl<'a> Publish<'a> {
    /// A PUBLISH with RETAIN and DUP 0.
    pub fn new(
        topic: &'a str,
        delivery: Delivery,
        properties: Properties<'a>,
        payload: &'a [u8],
    ) -> Result<Self, EncodeError> {
        properties.check(Place::Packet(PacketType::Publish))?;
        if topic.is_empty() {
            if properties.topic_alias().is_none() {
                return Err(EncodeError::EmptyTopicWithoutAlias);
            }
        } else {
            TopicName::new(topic)?;
        }
        let publish = Publish {
            topic,
            delivery,
            retain: false,
            dup: false,
            properties,
            payload,
        };
        if publish.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(publish)
    }

    /// With RETAIN.
    pub fn with_retain(self, retain: bool) -> Self {
        Publish { retain, ..self }
    }

    /// With DUP; refused at QoS 0 (`MQTT-3.3.1-2`).
    pub fn with_dup(self, dup: bool) -> Result<Self, EncodeError> {
        if dup && self.delivery == Delivery::AtMostOnce {
            return Err(EncodeError::DupWithQoS0);
        }
        Ok(Publish { dup, ..self })
    }

    /// The Topic Name (empty when a Topic Alias stands for it).
    pub fn topic(&self) -> &'a str {
        self.topic
    }
    /// QoS and Packet Identifier.
    pub fn delivery(&self) -> Delivery {
        self.delivery
    }
    /// The QoS.
    pub fn qos(&self) -> QoS {
        self.delivery.qos()
    }
    /// RETAIN.
    pub fn retain(&self) -> bool {
        self.retain
    }
    /// DUP.
    pub fn dup(&self) -> bool {
        self.dup
    }
    /// The PUBLISH properties.
    pub fn properties(&self) -> Properties<'a> {
        self.properties
    }
    /// The payload.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    pub(crate) fn first_byte(&self) -> u8 {
        let mut byte = 0x30 | (self.qos().as_u8() << 1);
        if self.retain {
            byte |= FLAG_RETAIN;
        }
        if self.dup {
            byte |= FLAG_DUP;
        }
        byte
    }

    pub(crate) fn remaining_length(&self) -> usize {
        let id = if self.delivery.packet_id().is_some() {
            2
        } else {
            0
        };
        2 + self.topic.len() + id + self.properties.wire_len() + self.payload.len()
    }

    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_prefixed(self.topic.as_bytes());
        if let Some(id) = self.delivery.packet_id() {
            sink.put_u16(id.get());
        }
        self.properties.write(sink);
        sink.put(self.payload);
    }

    pub(crate) fn decode(r: &mut Reader<'a>, flags: u8, d: &Decoder) -> Result<Self, DecodeError> {
        // The first byte's context rules are checked with the fixed header (`Decoder`).
        let qos = QoS::from_u8((flags >> 1) & 0x03).unwrap_or(QoS::AtMostOnce);
        // MQTT-3.3.2-1, -2: a topic name, which 5.0 lets be empty with a Topic Alias.
        let topic_start = r.pos();
        let topic = r.topic_name_or_empty(Field::TopicName)?;
        let delivery = match qos {
            QoS::AtMostOnce => Delivery::AtMostOnce,
            QoS::AtLeastOnce => Delivery::AtLeastOnce(r.packet_id()?),
            QoS::ExactlyOnce => Delivery::ExactlyOnce(r.packet_id()?),
        };
        let properties =
            Properties::read(r, Place::Packet(PacketType::Publish), Field::Properties, d)?;
        // Section 3.3.2.1: an empty topic needs a Topic Alias.
        if topic.is_empty() && properties.topic_alias().is_none() {
            return Err(r.error_at(DecodeErrorKind::EmptyTopicWithoutAlias, topic_start));
        }
        let payload_start = r.pos();
        let payload = r.rest();
        d.check_payload(r, &properties, payload, payload_start)?;
        Ok(Publish {
            topic,
            delivery,
            retain: flags & FLAG_RETAIN != 0,
            dup: flags & FLAG_DUP != 0,
            properties,
            payload,
        })
    }
}

impl fmt::Debug for Publish<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Publish")
            .field("topic", &self.topic)
            .field("delivery", &self.delivery)
            .field("retain", &self.retain)
            .field("dup", &self.dup)
            .field("properties", &self.properties)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

impl fmt::Display for Publish<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PUBLISH topic={:?} qos={}", self.topic, self.qos())?;
        if let Some(id) = self.delivery.packet_id() {
            write!(f, " packet_id={id}")?;
        }
        write!(
            f,
            " retain={} dup={} payload={} bytes",
            self.retain,
            self.dup,
            self.payload.len()
        )?;
        write!(f, "{}", Shown(&self.properties))
    }
}

#[cfg(test)]
mod tests {
    //! Expected bytes written by hand from section 3.3's layout and the refusals' reason codes
    //! from DECISIONS.md section 5, not from running the codec.

    use super::*;
    use crate::v5::test_support::{decoded, encoded, id, refused};
    use crate::v5::{Packet, Property};
    use DecodeErrorKind as K;

    fn publish<'a>(topic: &'a str, props: &'a [Property<'a>]) -> Result<Publish<'a>, EncodeError> {
        Publish::new(topic, Delivery::AtMostOnce, Properties::new(props), b"")
    }

    #[test]
    fn a_built_publish_encodes_byte_for_byte_and_decodes_back() {
        let props = [Property::MessageExpiryInterval(60)];
        let p = Publish::new(
            "a/b",
            Delivery::AtLeastOnce(id(7)),
            Properties::new(&props),
            b"hi",
        )
        .unwrap();
        // Topic (5), packet id (2), properties (1 + 5), payload (2): Remaining Length 15.
        let wire = [
            0x32, 0x0F, 0, 3, b'a', b'/', b'b', 0, 7, 5, 0x02, 0, 0, 0, 60, b'h', b'i',
        ];
        assert_eq!(Packet::Publish(p).encoded_len(), 17);
        assert_eq!(encoded(Packet::Publish(p)), wire);
        assert_eq!(decoded(&wire), Packet::Publish(p));
        // QoS 0 has no packet id; an empty property block is one 00 byte.
        let p0 = publish("t", &[]).unwrap();
        assert_eq!(encoded(Packet::Publish(p0)), [0x30, 4, 0, 1, b't', 0]);
        // QoS 2 with DUP and RETAIN: first byte 0011 1101 (section 3.3.1).
        let p2 = Publish::new("t", Delivery::ExactlyOnce(id(1)), Properties::EMPTY, b"")
            .unwrap()
            .with_retain(true)
            .with_dup(true)
            .unwrap();
        let wire = [0x3D, 6, 0, 1, b't', 0, 1, 0];
        assert_eq!(encoded(Packet::Publish(p2)), wire);
        assert_eq!(decoded(&wire), Packet::Publish(p2));
    }

    #[test]
    fn subscription_identifiers_repeat_in_order_in_their_shortest_forms() {
        // Variable Byte Integers at each length boundary (section 1.5.5): 7F; 80 01; 80 80 01;
        // FF FF FF 7F.
        let props = [
            Property::SubscriptionIdentifier(127),
            Property::SubscriptionIdentifier(128),
            Property::SubscriptionIdentifier(16_384),
            Property::SubscriptionIdentifier(268_435_455),
        ];
        let p = publish("t", &props).unwrap();
        let wire = [
            0x30, 18, 0, 1, b't', 14, 0x0B, 0x7F, 0x0B, 0x80, 0x01, 0x0B, 0x80, 0x80, 0x01, 0x0B,
            0xFF, 0xFF, 0xFF, 0x7F,
        ];
        assert_eq!(Packet::Publish(p).encoded_len(), wire.len());
        assert_eq!(encoded(Packet::Publish(p)), wire);
        let Packet::Publish(back) = decoded(&wire) else {
            panic!("not a PUBLISH")
        };
        let ids: std::vec::Vec<u32> = back.properties().subscription_identifiers().collect();
        assert_eq!(ids, [127, 128, 16_384, 268_435_455]);
        // Decoded in another order, remembered in it.
        let wire = [0x30, 9, 0, 1, b't', 5, 0x0B, 0x80, 0x01, 0x0B, 0x01];
        assert_eq!(encoded(decoded(&wire)), wire);
    }

    #[test]
    fn an_empty_topic_needs_a_topic_alias() {
        // Section 3.3.2.1 and 3.3.2.3.4.
        let alias = [Property::TopicAlias(1)];
        let p = publish("", &alias).unwrap();
        let wire = [0x30, 6, 0, 0, 3, 0x23, 0, 1];
        assert_eq!(encoded(Packet::Publish(p)), wire);
        assert_eq!(decoded(&wire), Packet::Publish(p));
        assert_eq!(
            publish("", &[]).map(|_| ()),
            Err(EncodeError::EmptyTopicWithoutAlias)
        );
        assert_eq!(
            refused(&[0x30, 3, 0, 0, 0]),
            (K::EmptyTopicWithoutAlias, 2, 0x82)
        );
    }

    #[test]
    fn constructors_refuse_what_the_decoder_refuses() {
        // A wildcard in the topic name (MQTT-3.3.2-2): 0x81 at the wildcard.
        assert_eq!(
            publish("a/+", &[]).map(|_| ()),
            Err(EncodeError::WildcardInTopicName(Field::TopicName))
        );
        assert_eq!(
            refused(&[0x30, 6, 0, 3, b'a', b'/', b'+', 0]),
            (K::WildcardInTopicName(Field::TopicName), 6, 0x81)
        );
        // Subscription Identifier 0 (section 3.3.2.3.8): 0x82 at the value.
        assert_eq!(
            publish("t", &[Property::SubscriptionIdentifier(0)]).map(|_| ()),
            Err(EncodeError::InvalidPropertyValue(0x0B))
        );
        assert_eq!(
            refused(&[0x30, 6, 0, 1, b't', 2, 0x0B, 0]),
            (K::InvalidPropertyValue(Field::Property(0x0B)), 7, 0x82)
        );
        // One past the four-byte limit cannot be written at all.
        assert_eq!(
            publish("t", &[Property::SubscriptionIdentifier(268_435_456)]).map(|_| ()),
            Err(EncodeError::InvalidPropertyValue(0x0B))
        );
        // Topic Alias 0 (MQTT-3.3.2-8): 0x94 at the value (DECISIONS.md section 5).
        assert_eq!(
            publish("t", &[Property::TopicAlias(0)]).map(|_| ()),
            Err(EncodeError::InvalidPropertyValue(0x23))
        );
        assert_eq!(
            refused(&[0x30, 7, 0, 1, b't', 3, 0x23, 0, 0]),
            (K::InvalidPropertyValue(Field::Property(0x23)), 7, 0x94)
        );
        // Topic Alias twice (section 3.3.2.3.4): 0x82 at the second.
        assert_eq!(
            publish("t", &[Property::TopicAlias(1), Property::TopicAlias(2)]).map(|_| ()),
            Err(EncodeError::DuplicateProperty(0x23))
        );
        assert_eq!(
            refused(&[0x30, 10, 0, 1, b't', 6, 0x23, 0, 1, 0x23, 0, 2]),
            (K::DuplicateProperty(Field::Property(0x23)), 9, 0x82)
        );
        // Reason String is not a PUBLISH property (Table 2-4): 0x81 at the identifier.
        assert_eq!(
            publish("t", &[Property::ReasonString("r")]).map(|_| ()),
            Err(EncodeError::PropertyNotAllowed(0x1F))
        );
        assert_eq!(
            refused(&[0x30, 8, 0, 1, b't', 4, 0x1F, 0, 1, b'r']),
            (K::PropertyNotAllowed(Field::Property(0x1F)), 6, 0x81)
        );
        // Payload Format Indicator 2; a Response Topic with a wildcard (section 3.3.2.3.5).
        assert_eq!(
            publish("t", &[Property::PayloadFormatIndicator(2)]).map(|_| ()),
            Err(EncodeError::InvalidPropertyValue(0x01))
        );
        assert_eq!(
            refused(&[0x30, 6, 0, 1, b't', 2, 0x01, 2]),
            (K::InvalidPropertyValue(Field::Property(0x01)), 7, 0x82)
        );
        assert_eq!(
            publish("t", &[Property::ResponseTopic("r/#")]).map(|_| ()),
            Err(EncodeError::WildcardInTopicName(Field::Property(0x08)))
        );
        assert_eq!(
            refused(&[0x30, 10, 0, 1, b't', 6, 0x08, 0, 3, b'r', b'/', b'#']),
            (K::WildcardInTopicName(Field::Property(0x08)), 11, 0x81)
        );
        // DUP at QoS 0 (MQTT-3.3.1-2): 0x81 at the first byte.
        assert_eq!(
            publish("t", &[]).unwrap().with_dup(true).map(|_| ()),
            Err(EncodeError::DupWithQoS0)
        );
        assert_eq!(
            refused(&[0x38, 4, 0, 1, b't', 0]),
            (K::DupWithQoS0, 0, 0x81)
        );
        // Message Expiry Interval 0 is legal (section 3.3.2.3.3), both ways.
        let zero = [Property::MessageExpiryInterval(0)];
        let p = publish("t", &zero).unwrap();
        let wire = [0x30, 9, 0, 1, b't', 5, 0x02, 0, 0, 0, 0];
        assert_eq!(encoded(Packet::Publish(p)), wire);
        assert_eq!(decoded(&wire), Packet::Publish(p));
    }

    #[test]
    fn encoded_len_counts_a_two_byte_remaining_length_and_encode_writes_nothing_on_failure() {
        // Topic (3), property length (1), payload (200): Remaining Length 204 = CC 01.
        let payload = [7u8; 200];
        let p = Publish::new("t", Delivery::AtMostOnce, Properties::EMPTY, &payload).unwrap();
        let packet = Packet::Publish(p);
        assert_eq!(packet.encoded_len(), 1 + 2 + 204);
        let wire = encoded(packet);
        assert_eq!(wire[..6], [0x30, 0xCC, 0x01, 0, 1, b't']);
        let mut out = [0xAA; 206];
        assert_eq!(
            packet.encode(&mut out),
            Err(EncodeError::BufferTooSmall {
                needed: 207,
                available: 206
            })
        );
        assert!(out.iter().all(|&b| b == 0xAA));
    }
}
