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
