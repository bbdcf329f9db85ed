//! PUBLISH (section 3.3): an application message, in either direction.

use core::fmt;
use core::num::NonZeroU16;

use crate::error::{DecodeError, EncodeError, Field};
use crate::header::MAX_REMAINING_LENGTH;
use crate::reader::Reader;
use crate::topic::TopicName;
use crate::writer::Sink;
use crate::{Delivery, QoS};

const FLAG_RETAIN: u8 = 0x01;
const FLAG_DUP: u8 = 0x08;

/// A PUBLISH packet. The topic and the payload borrow from the input (or the caller).
///
/// ```
/// use mqtt_wire::v311::{Delivery, Packet, Publish};
/// use mqtt_wire::{QoS, TopicName};
/// use std::num::NonZeroU16;
///
/// let id = NonZeroU16::new(3).unwrap();
/// let publish = Publish::new(TopicName::new("a/b")?, Delivery::ExactlyOnce(id), b"on")?
///     .with_retain(true)
///     .with_dup(true)?;
/// assert_eq!(publish.topic().as_str(), "a/b");
/// assert_eq!(publish.delivery(), Delivery::ExactlyOnce(id));
/// assert_eq!((publish.qos(), publish.packet_id()), (QoS::ExactlyOnce, Some(id)));
/// assert_eq!((publish.payload(), publish.retain(), publish.dup()), (&b"on"[..], true, true));
///
/// let mut buf = [0u8; 16];
/// let len = Packet::Publish(publish).encode(&mut buf)?;
/// // 0x3D: PUBLISH (0x30), DUP (0x08), QoS 2 (0x04), RETAIN (0x01); then 9 bytes.
/// assert_eq!(&buf[..len], [0x3D, 0x09, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x03, b'o', b'n']);
///
/// // DUP is refused at QoS 0 (MQTT-3.3.1-2).
/// let qos0 = Publish::new(TopicName::new("a/b")?, Delivery::AtMostOnce, b"")?;
/// assert!(qos0.with_dup(true).is_err());
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Publish<'a> {
    topic: TopicName<'a>,
    delivery: Delivery,
    payload: &'a [u8],
    dup: bool,
    retain: bool,
}

impl<'a> Publish<'a> {
    /// A PUBLISH of `payload` to `topic`, not retained, not a duplicate. The whole packet's
    /// Remaining Length must be at most 268,435,455 bytes.
    ///
    /// ```
    /// use mqtt_wire::v311::{Delivery, Publish};
    /// use mqtt_wire::TopicName;
    ///
    /// let publish = Publish::new(TopicName::new("t")?, Delivery::AtMostOnce, b"21.5")?;
    /// assert_eq!((publish.retain(), publish.dup()), (false, false));
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn new(
        topic: TopicName<'a>,
        delivery: Delivery,
        payload: &'a [u8],
    ) -> Result<Self, EncodeError> {
        let publish = Publish {
            topic,
            delivery,
            payload,
            dup: false,
            retain: false,
        };
        if publish.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(publish)
    }

    /// The same PUBLISH with the RETAIN flag set as given.
    ///
    /// ```
    /// use mqtt_wire::v311::{Delivery, Publish};
    /// use mqtt_wire::TopicName;
    ///
    /// let publish = Publish::new(TopicName::new("t")?, Delivery::AtMostOnce, b"")?.with_retain(true);
    /// assert!(publish.retain());
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn with_retain(self, retain: bool) -> Self {
        Publish { retain, ..self }
    }

    /// The same PUBLISH with the DUP flag set as given. DUP is only allowed above QoS 0
    /// (`MQTT-3.3.1-2`).
    ///
    /// ```
    /// use mqtt_wire::v311::{Delivery, Publish};
    /// use mqtt_wire::{EncodeError, TopicName};
    /// use std::num::NonZeroU16;
    ///
    /// let id = NonZeroU16::new(1).unwrap();
    /// let qos1 = Publish::new(TopicName::new("t")?, Delivery::AtLeastOnce(id), b"")?;
    /// assert!(qos1.with_dup(true)?.dup());
    /// let qos0 = Publish::new(TopicName::new("t")?, Delivery::AtMostOnce, b"")?;
    /// assert_eq!(qos0.with_dup(true), Err(EncodeError::DupWithQoS0));
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn with_dup(self, dup: bool) -> Result<Self, EncodeError> {
        if dup && self.delivery == Delivery::AtMostOnce {
            return Err(EncodeError::DupWithQoS0);
        }
        Ok(Publish { dup, ..self })
    }

    /// The Topic Name.
    pub const fn topic(&self) -> TopicName<'a> {
        self.topic
    }

    /// The QoS and Packet Identifier.
    pub const fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// The QoS level.
    pub const fn qos(&self) -> QoS {
        self.delivery.qos()
    }

    /// The Packet Identifier, above QoS 0.
    pub const fn packet_id(&self) -> Option<NonZeroU16> {
        self.delivery.packet_id()
    }

    /// The application message. It may be empty.
    pub const fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// The DUP flag: this may be a re-delivery.
    pub const fn dup(&self) -> bool {
        self.dup
    }

    /// The RETAIN flag.
    pub const fn retain(&self) -> bool {
        self.retain
    }

    #[inline]
    pub(crate) fn first_byte(&self) -> u8 {
        let mut byte = 0x30 | (self.qos().as_u8() << 1);
        if self.dup {
            byte |= FLAG_DUP;
        }
        if self.retain {
            byte |= FLAG_RETAIN;
        }
        byte
    }

    #[inline]
    pub(crate) fn remaining_length(&self) -> usize {
        let id_len = if self.delivery == Delivery::AtMostOnce {
            0
        } else {
            2
        };
        2 + self.topic.as_str().len() + id_len + self.payload.len()
    }

    #[inline]
    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_prefixed(self.topic.as_str().as_bytes());
        if let Some(id) = self.packet_id() {
            sink.put_u16(id.get());
        }
        sink.put(self.payload);
    }

    /// A PUBLISH of parts the decoder has already checked.
    pub(crate) const fn from_checked(
        topic: TopicName<'a>,
        delivery: Delivery,
        payload: &'a [u8],
        dup: bool,
        retain: bool,
    ) -> Self {
        Publish {
            topic,
            delivery,
            payload,
            dup,
            retain,
        }
    }

    /// Decodes the body; `flags` are the low four bits of the first byte, already checked
    /// for QoS 3 (`MQTT-3.3.1-4`) and DUP at QoS 0 (`MQTT-3.3.1-2`).
    pub(crate) fn decode(r: &mut Reader<'a>, flags: u8) -> Result<Self, DecodeError> {
        // MQTT-3.3.2-1, MQTT-3.3.2-2, MQTT-4.7.3-1
        let topic = r.topic_name(Field::TopicName)?;
        let delivery = match (flags >> 1) & 0x03 {
            // MQTT-2.3.1-5: no Packet Identifier at QoS 0.
            0 => Delivery::AtMostOnce,
            // MQTT-2.3.1-1
            1 => Delivery::AtLeastOnce(r.packet_id()?),
            _ => Delivery::ExactlyOnce(r.packet_id()?),
        };
        Ok(Publish {
            topic,
            delivery,
            payload: r.rest(),
            dup: flags & FLAG_DUP != 0,
            retain: flags & FLAG_RETAIN != 0,
        })
    }
}

impl fmt::Display for Publish<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PUBLISH topic={:?} qos={}",
            self.topic.as_str(),
            self.qos()
        )?;
        if let Some(id) = self.packet_id() {
            write!(f, " packet_id={id}")?;
        }
        write!(
            f,
            " retain={} dup={} payload={} bytes",
            self.retain,
            self.dup,
            self.payload.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v311::testing::{decode_err, decode_ok, encode};
    use crate::v311::Packet;
    use crate::{Clause, DecodeErrorKind as K};

    fn id(n: u16) -> NonZeroU16 {
        NonZeroU16::new(n).unwrap()
    }

    #[test]
    fn decodes_qos0_without_a_packet_id() {
        let bytes = [
            0x31, 0x07, // PUBLISH, QoS 0, retain; remaining length 7
            0x00, 0x03, b'a', b'/', b'b', // topic "a/b"
            b'h', b'i', // payload
        ];
        let Packet::Publish(p) = decode_ok(&bytes) else {
            panic!()
        };
        assert_eq!(p.topic().as_str(), "a/b");
        assert_eq!(p.delivery(), Delivery::AtMostOnce);
        assert!(p.retain() && !p.dup());
        assert_eq!(p.payload(), b"hi");
    }

    #[test]
    fn decodes_qos1_and_qos2_with_their_packet_ids() {
        // QoS 1, DUP; topic "t"; packet id 10; empty payload.
        let bytes = [0x3A, 0x05, 0x00, 0x01, b't', 0x00, 0x0A];
        let Packet::Publish(p) = decode_ok(&bytes) else {
            panic!()
        };
        assert_eq!(
            (p.delivery(), p.dup(), p.payload()),
            (Delivery::AtLeastOnce(id(10)), true, &[][..])
        );
        // QoS 2; packet id 0xFFFF; payload 0x00.
        let bytes = [0x34, 0x06, 0x00, 0x01, b't', 0xFF, 0xFF, 0x00];
        let Packet::Publish(p) = decode_ok(&bytes) else {
            panic!()
        };
        assert_eq!(
            (p.delivery(), p.payload()),
            (Delivery::ExactlyOnce(id(0xFFFF)), &[0][..])
        );
    }

    #[test]
    fn encodes_flags_in_the_first_byte() {
        let topic = TopicName::new("t").unwrap();
        let p = Publish::new(topic, Delivery::ExactlyOnce(id(1)), b"x")
            .unwrap()
            .with_retain(true)
            .with_dup(true)
            .unwrap();
        // 0x30 | DUP 0x08 | QoS 2 0x04 | RETAIN 0x01
        assert_eq!(
            encode(&Packet::Publish(p)),
            [0x3D, 0x06, 0x00, 0x01, b't', 0x00, 0x01, b'x']
        );
    }

    #[test]
    fn rejects_qos3() {
        let e = decode_err(&[0x36, 0x05, 0x00, 0x01, b't', 0x00, 0x01]);
        assert_eq!((e.kind(), e.offset()), (K::InvalidQoS, 0));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.3.1-4"));
    }

    #[test]
    fn rejects_dup_at_qos0() {
        let e = decode_err(&[0x38, 0x03, 0x00, 0x01, b't']);
        assert_eq!((e.kind(), e.offset()), (K::DupWithQoS0, 0));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.3.1-2"));
        let topic = TopicName::new("t").unwrap();
        assert_eq!(
            Publish::new(topic, Delivery::AtMostOnce, b"")
                .unwrap()
                .with_dup(true),
            Err(EncodeError::DupWithQoS0)
        );
    }

    #[test]
    fn rejects_packet_id_0() {
        let e = decode_err(&[0x32, 0x05, 0x00, 0x01, b't', 0x00, 0x00]);
        assert_eq!((e.kind(), e.offset()), (K::ZeroPacketId, 5));
        assert_eq!(e.clause(), Clause::Id("MQTT-2.3.1-1"));
    }

    #[test]
    fn rejects_bad_topics() {
        let e = decode_err(&[0x30, 0x04, 0x00, 0x02, b'a', b'+']);
        assert_eq!(
            (e.kind(), e.offset()),
            (K::WildcardInTopicName(Field::TopicName), 5)
        );
        assert_eq!(e.clause(), Clause::Id("MQTT-3.3.2-2"));
        // An empty topic, then one payload byte.
        let e = decode_err(&[0x30, 0x03, 0x00, 0x00, b'x']);
        assert_eq!((e.kind(), e.offset()), (K::EmptyTopic(Field::TopicName), 2));
        assert_eq!(e.clause(), Clause::Id("MQTT-4.7.3-1"));
        let e = decode_err(&[0x30, 0x03, 0x00, 0x01, 0x00]);
        assert_eq!(e.kind(), K::NullCharacter(Field::TopicName));
        assert_eq!(e.clause(), Clause::Id("MQTT-4.7.3-2"));
        let e = decode_err(&[0x30, 0x03, 0x00, 0x01, 0xFF]);
        assert_eq!(e.kind(), K::InvalidUtf8(Field::TopicName));
    }

    #[test]
    fn rejects_a_topic_longer_than_the_packet() {
        // The topic claims 5 bytes; the packet holds 2.
        let e = decode_err(&[0x30, 0x04, 0x00, 0x05, b'a', b'b']);
        assert_eq!((e.kind(), e.offset()), (K::Truncated(Field::TopicName), 2));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.3.2-1"));
        // QoS 1 with the packet id cut in half.
        let e = decode_err(&[0x32, 0x05, 0x00, 0x02, b't', b't', 0x00]);
        assert_eq!((e.kind(), e.offset()), (K::Truncated(Field::PacketId), 6));
        assert_eq!(e.clause(), Clause::Id("MQTT-2.3.1-1"));
        // Too short for a topic and a packet id: refused from the header.
        assert_eq!(
            decode_err(&[0x32, 0x04, 0x00, 0x01, b't', 0x00]).kind(),
            K::InvalidRemainingLength
        );
    }

    #[test]
    fn keeps_a_byte_order_mark_in_the_topic() {
        // MQTT-1.5.3-3: EF BB BF is U+FEFF and stays in the topic.
        let Packet::Publish(p) = decode_ok(&[0x30, 0x05, 0x00, 0x03, 0xEF, 0xBB, 0xBF]) else {
            panic!()
        };
        assert_eq!(p.topic().as_str(), "\u{feff}");
    }

    #[test]
    fn refuses_a_payload_past_the_largest_remaining_length() {
        let topic = TopicName::new("t").unwrap();
        let big = std::vec![0u8; MAX_REMAINING_LENGTH - 3 + 1];
        assert_eq!(
            Publish::new(topic, Delivery::AtMostOnce, &big),
            Err(EncodeError::PacketTooLarge)
        );
        let p = Publish::new(topic, Delivery::AtMostOnce, &big[1..]).unwrap();
        assert_eq!(
            Packet::Publish(p).encoded_len(),
            1 + 4 + MAX_REMAINING_LENGTH
        );
    }
}
