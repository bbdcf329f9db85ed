//! SUBSCRIBE (section 3.8): topic filters, each with the QoS the client asks for.

use core::fmt;
use core::num::NonZeroU16;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::MAX_REMAINING_LENGTH;
use crate::list::{self, List, ListItem};
use crate::reader::Reader;
use crate::topic::TopicFilter;
use crate::writer::Sink;
use crate::{PacketType, QoS};

/// One entry of a SUBSCRIBE: a topic filter and the maximum QoS the client asks for.
///
/// ```
/// use mqtt_wire::v311::Subscription;
/// use mqtt_wire::{QoS, TopicFilter};
///
/// let subscription = Subscription::new(TopicFilter::new("a/#")?, QoS::AtLeastOnce);
/// assert_eq!((subscription.filter.as_str(), subscription.qos), ("a/#", QoS::AtLeastOnce));
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Subscription<'a> {
    /// The topic filter.
    pub filter: TopicFilter<'a>,
    /// The Requested QoS.
    pub qos: QoS,
}

impl<'a> Subscription<'a> {
    /// A subscription to `filter` at up to `qos`.
    pub const fn new(filter: TopicFilter<'a>, qos: QoS) -> Self {
        Subscription { filter, qos }
    }
}

impl list::private::Sealed for Subscription<'_> {}

impl<'a> ListItem<'a> for Subscription<'a> {
    fn read(bytes: &mut &'a [u8]) -> Option<Self> {
        let filter = TopicFilter::checked(list::read_str(bytes)?);
        let (&qos, rest) = bytes.split_first()?;
        *bytes = rest;
        Some(Subscription {
            filter,
            qos: QoS::from_u8(qos)?,
        })
    }

    #[inline]
    fn wire_len(&self) -> usize {
        2 + self.filter.as_str().len() + 1
    }

    #[inline]
    fn write<S: Sink>(&self, sink: &mut S) {
        sink.put_prefixed(self.filter.as_str().as_bytes());
        sink.put_u8(self.qos.as_u8());
    }
}

/// A SUBSCRIBE packet.
///
/// A decoded SUBSCRIBE borrows its validated payload and yields the subscriptions from it
/// as it is iterated.
///
/// ```
/// use mqtt_wire::v311::{Subscribe, Subscription};
/// use mqtt_wire::{QoS, TopicFilter};
/// use std::num::NonZeroU16;
///
/// let items = [
///     Subscription::new(TopicFilter::new("sensors/+/temp")?, QoS::AtLeastOnce),
///     Subscription::new(TopicFilter::new("alerts/#")?, QoS::ExactlyOnce),
/// ];
/// let id = NonZeroU16::new(1).unwrap();
/// let subscribe = Subscribe::new(id, &items)?;
/// assert_eq!(subscribe.packet_id(), id);
/// let filters: Vec<&str> = subscribe.subscriptions().iter().map(|s| s.filter.as_str()).collect();
/// assert_eq!(filters, ["sensors/+/temp", "alerts/#"]);
///
/// // At least one subscription (MQTT-3.8.3-3).
/// assert!(Subscribe::new(id, &[]).is_err());
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subscribe<'a> {
    packet_id: NonZeroU16,
    subscriptions: List<'a, Subscription<'a>>,
}

impl<'a> Subscribe<'a> {
    /// A SUBSCRIBE of at least one subscription (`MQTT-3.8.3-3`), within the largest
    /// Remaining Length.
    ///
    /// ```
    /// use mqtt_wire::v311::{Subscribe, Subscription};
    /// use mqtt_wire::{EncodeError, PacketType, QoS, TopicFilter};
    /// use std::num::NonZeroU16;
    ///
    /// let id = NonZeroU16::new(4).unwrap();
    /// let one = [Subscription::new(TopicFilter::new("a/+")?, QoS::AtMostOnce)];
    /// assert_eq!(Subscribe::new(id, &one)?.subscriptions().len(), 1);
    /// assert_eq!(Subscribe::new(id, &[]), Err(EncodeError::NoTopicFilters(PacketType::Subscribe)));
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn new(
        packet_id: NonZeroU16,
        subscriptions: &'a [Subscription<'a>],
    ) -> Result<Self, EncodeError> {
        if subscriptions.is_empty() {
            return Err(EncodeError::NoTopicFilters(PacketType::Subscribe));
        }
        let subscribe = Subscribe {
            packet_id,
            subscriptions: List::from_items(subscriptions),
        };
        if subscribe.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(subscribe)
    }

    /// The Packet Identifier.
    pub const fn packet_id(&self) -> NonZeroU16 {
        self.packet_id
    }

    /// The subscriptions, in order (at least one).
    pub const fn subscriptions(&self) -> List<'a, Subscription<'a>> {
        self.subscriptions
    }

    #[inline]
    pub(crate) fn remaining_length(&self) -> usize {
        2 + self.subscriptions.wire_len()
    }

    #[inline]
    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_u16(self.packet_id.get());
        self.subscriptions.write(sink);
    }

    pub(crate) fn decode(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        // MQTT-2.3.1-1
        let packet_id = r.packet_id()?;
        // MQTT-3.8.3-3
        if r.is_empty() {
            return Err(r.error(DecodeErrorKind::NoTopicFilters));
        }
        let start = r.pos();
        let mut count = 0;
        while !r.is_empty() {
            // MQTT-3.8.3-1, MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.7.3-1, MQTT-4.7.3-2
            r.skip_topic_filter()?;
            let options_start = r.pos();
            let options = r.u8(Field::RequestedQoS)?;
            // MQTT-3.8.3-4: bits 7-2 reserved, QoS 3 not allowed.
            if options & 0xFC != 0 {
                return Err(r.error_at(DecodeErrorKind::SubscriptionReservedBits, options_start));
            }
            if options == 3 {
                return Err(r.error_at(DecodeErrorKind::InvalidRequestedQoS, options_start));
            }
            count += 1;
        }
        let payload = r.consumed_since(start);
        Ok(Subscribe {
            packet_id,
            subscriptions: List::from_wire(payload, count),
        })
    }
}

impl fmt::Display for Subscribe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SUBSCRIBE packet_id={} filters=[", self.packet_id)?;
        for (i, s) in self.subscriptions.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{:?} qos={}", s.filter.as_str(), s.qos)?;
        }
        f.write_str("]")
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

    const TWO_FILTERS: &[u8] = &[
        0x82, 0x0E, // SUBSCRIBE, flags 0010; remaining length 14
        0x00, 0x0A, // packet id 10
        0x00, 0x03, b'a', b'/', b'+', 0x01, // "a/+" at QoS 1
        0x00, 0x03, b'b', b'/', b'#', 0x02, // "b/#" at QoS 2
    ];

    #[test]
    fn decodes_and_iterates_the_filters() {
        let Packet::Subscribe(s) = decode_ok(TWO_FILTERS) else {
            panic!()
        };
        assert_eq!(s.packet_id(), id(10));
        let subs: std::vec::Vec<_> = s
            .subscriptions()
            .iter()
            .map(|s| (s.filter.as_str(), s.qos))
            .collect();
        assert_eq!(subs, [("a/+", QoS::AtLeastOnce), ("b/#", QoS::ExactlyOnce)]);
        assert_eq!(s.subscriptions().len(), 2);
    }

    #[test]
    fn a_built_subscribe_equals_the_decoded_one() {
        let items = [
            Subscription::new(TopicFilter::new("a/+").unwrap(), QoS::AtLeastOnce),
            Subscription::new(TopicFilter::new("b/#").unwrap(), QoS::ExactlyOnce),
        ];
        let packet = Packet::Subscribe(Subscribe::new(id(10), &items).unwrap());
        assert_eq!(encode(&packet), TWO_FILTERS);
        assert_eq!(decode_ok(TWO_FILTERS), packet);
    }

    #[test]
    fn rejects_wrong_fixed_header_flags() {
        let mut bytes = TWO_FILTERS.to_vec();
        bytes[0] = 0x80;
        let e = decode_err(&bytes);
        assert_eq!((e.kind(), e.offset()), (K::InvalidFlags, 0));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.8.1-1"));
    }

    #[test]
    fn rejects_an_empty_payload() {
        let e = decode_err(&[0x82, 0x02, 0x00, 0x01]);
        assert_eq!((e.kind(), e.offset()), (K::NoTopicFilters, 4));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.8.3-3"));
        assert_eq!(
            Subscribe::new(id(1), &[]),
            Err(EncodeError::NoTopicFilters(PacketType::Subscribe))
        );
    }

    #[test]
    fn rejects_bad_requested_qos() {
        // "a" at QoS 3.
        let e = decode_err(&[0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x03]);
        assert_eq!((e.kind(), e.offset()), (K::InvalidRequestedQoS, 7));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.8.3-4"));
        // "a" with reserved bit 2 set.
        let e = decode_err(&[0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x04]);
        assert_eq!(e.kind(), K::SubscriptionReservedBits);
        assert_eq!(e.clause(), Clause::Id("MQTT-3.8.3-4"));
    }

    #[test]
    fn rejects_misplaced_wildcards_and_empty_filters() {
        // "a#" at QoS 0: '#' at offset 7.
        let e = decode_err(&[0x82, 0x07, 0x00, 0x01, 0x00, 0x02, b'a', b'#', 0x00]);
        assert_eq!((e.kind(), e.offset()), (K::MisplacedMultiLevelWildcard, 7));
        assert_eq!(e.clause(), Clause::Id("MQTT-4.7.1-2"));
        // "a+" at QoS 0.
        let e = decode_err(&[0x82, 0x07, 0x00, 0x01, 0x00, 0x02, b'a', b'+', 0x00]);
        assert_eq!(e.kind(), K::MisplacedSingleLevelWildcard);
        assert_eq!(e.clause(), Clause::Id("MQTT-4.7.1-3"));
        // Empty filter at QoS 0, then one more byte.
        let e = decode_err(&[0x82, 0x06, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);
        assert_eq!(
            (e.kind(), e.offset()),
            (K::EmptyTopic(Field::TopicFilter), 4)
        );
    }

    #[test]
    fn rejects_a_filter_without_its_qos() {
        // The second entry's QoS byte is missing.
        let e = decode_err(&[
            0x82, 0x09, 0x00, 0x01, 0x00, 0x01, b'a', 0x00, 0x00, 0x01, b'b',
        ]);
        assert_eq!(
            (e.kind(), e.offset()),
            (K::Truncated(Field::RequestedQoS), 11)
        );
        // A length prefix longer than what is left.
        let e = decode_err(&[0x82, 0x06, 0x00, 0x01, 0x00, 0x09, b'a', b'b']);
        assert_eq!(
            (e.kind(), e.offset()),
            (K::Truncated(Field::TopicFilter), 4)
        );
    }
}
