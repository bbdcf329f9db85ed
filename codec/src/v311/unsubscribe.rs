//! UNSUBSCRIBE (section 3.10): the topic filters a client no longer wants.

use core::fmt;
use core::num::NonZeroU16;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::header::MAX_REMAINING_LENGTH;
use crate::list::List;
use crate::reader::Reader;
use crate::topic::TopicFilter;
use crate::writer::Sink;
use crate::PacketType;

/// An UNSUBSCRIBE packet.
///
/// ```
/// use mqtt_wire::v311::Unsubscribe;
/// use mqtt_wire::TopicFilter;
/// use std::num::NonZeroU16;
///
/// let filters = [TopicFilter::new("a/#")?, TopicFilter::new("b")?];
/// let unsubscribe = Unsubscribe::new(NonZeroU16::new(2).unwrap(), &filters)?;
/// assert_eq!(unsubscribe.packet_id().get(), 2);
/// let names: Vec<&str> = unsubscribe.filters().iter().map(|f| f.as_str()).collect();
/// assert_eq!(names, ["a/#", "b"]);
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsubscribe<'a> {
    packet_id: NonZeroU16,
    filters: List<'a, TopicFilter<'a>>,
}

impl<'a> Unsubscribe<'a> {
    /// An UNSUBSCRIBE of at least one topic filter (`MQTT-3.10.3-2`), within the largest
    /// Remaining Length.
    ///
    /// ```
    /// use mqtt_wire::v311::Unsubscribe;
    /// use mqtt_wire::{EncodeError, PacketType, TopicFilter};
    /// use std::num::NonZeroU16;
    ///
    /// let id = NonZeroU16::new(4).unwrap();
    /// assert!(Unsubscribe::new(id, &[TopicFilter::new("#")?]).is_ok());
    /// assert_eq!(Unsubscribe::new(id, &[]), Err(EncodeError::NoTopicFilters(PacketType::Unsubscribe)));
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn new(packet_id: NonZeroU16, filters: &'a [TopicFilter<'a>]) -> Result<Self, EncodeError> {
        if filters.is_empty() {
            return Err(EncodeError::NoTopicFilters(PacketType::Unsubscribe));
        }
        let unsubscribe = Unsubscribe {
            packet_id,
            filters: List::from_items(filters),
        };
        if unsubscribe.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(unsubscribe)
    }

    /// The Packet Identifier.
    pub const fn packet_id(&self) -> NonZeroU16 {
        self.packet_id
    }

    /// The topic filters, in order (at least one).
    pub const fn filters(&self) -> List<'a, TopicFilter<'a>> {
        self.filters
    }

    #[inline]
    pub(crate) fn remaining_length(&self) -> usize {
        2 + self.filters.wire_len()
    }

    #[inline]
    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_u16(self.packet_id.get());
        self.filters.write(sink);
    }

    pub(crate) fn decode(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        // MQTT-2.3.1-1
        let packet_id = r.packet_id()?;
        // MQTT-3.10.3-2
        if r.is_empty() {
            return Err(r.error(DecodeErrorKind::NoTopicFilters));
        }
        let start = r.pos();
        let mut count = 0;
        while !r.is_empty() {
            // MQTT-3.10.3-1, MQTT-4.7.1-2, MQTT-4.7.1-3, MQTT-4.7.3-1, MQTT-4.7.3-2
            r.skip_topic_filter()?;
            count += 1;
        }
        Ok(Unsubscribe {
            packet_id,
            filters: List::from_wire(r.consumed_since(start), count),
        })
    }
}

impl fmt::Display for Unsubscribe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UNSUBSCRIBE packet_id={} filters=[", self.packet_id)?;
        for (i, filter) in self.filters.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{:?}", filter.as_str())?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v311::testing::{decode_err, decode_ok, encode};
    use crate::v311::Packet;
    use crate::{Clause, DecodeErrorKind as K, Field};

    fn id(n: u16) -> NonZeroU16 {
        NonZeroU16::new(n).unwrap()
    }

    const TWO_FILTERS: &[u8] = &[
        0xA2, 0x0B, // UNSUBSCRIBE, flags 0010; remaining length 11
        0x00, 0x05, // packet id 5
        0x00, 0x01, b'#', // "#"
        0x00, 0x04, b'a', b'/', b'+', b'/', // "a/+/"
    ];

    #[test]
    fn round_trips_two_filters() {
        let filters = [
            TopicFilter::new("#").unwrap(),
            TopicFilter::new("a/+/").unwrap(),
        ];
        let packet = Packet::Unsubscribe(Unsubscribe::new(id(5), &filters).unwrap());
        assert_eq!(decode_ok(TWO_FILTERS), packet);
        assert_eq!(encode(&packet), TWO_FILTERS);
        let Packet::Unsubscribe(u) = decode_ok(TWO_FILTERS) else {
            panic!()
        };
        let got: std::vec::Vec<&str> = u.filters().iter().map(|f| f.as_str()).collect();
        assert_eq!(got, ["#", "a/+/"]);
    }

    #[test]
    fn rejects_wrong_fixed_header_flags() {
        let e = decode_err(&[0xA0, 0x05, 0x00, 0x01, 0x00, 0x01, b'a']);
        assert_eq!(
            (e.kind(), e.clause()),
            (K::InvalidFlags, Clause::Id("MQTT-3.10.1-1"))
        );
    }

    #[test]
    fn rejects_an_empty_payload() {
        let e = decode_err(&[0xA2, 0x02, 0x00, 0x01]);
        assert_eq!(
            (e.kind(), e.clause()),
            (K::NoTopicFilters, Clause::Id("MQTT-3.10.3-2"))
        );
        assert_eq!(
            Unsubscribe::new(id(1), &[]),
            Err(EncodeError::NoTopicFilters(PacketType::Unsubscribe))
        );
    }

    #[test]
    fn rejects_bad_filters() {
        let e = decode_err(&[0xA2, 0x06, 0x00, 0x01, 0x00, 0x02, b'#', b'a']);
        assert_eq!(e.kind(), K::MisplacedMultiLevelWildcard);
        let e = decode_err(&[0xA2, 0x05, 0x00, 0x01, 0x00, 0x01, 0xC3]);
        assert_eq!(
            (e.kind(), e.offset()),
            (K::InvalidUtf8(Field::TopicFilter), 6)
        );
        let e = decode_err(&[0xA2, 0x02 + 3, 0x00, 0x00, 0x00, 0x01, b'a']);
        assert_eq!(
            (e.kind(), e.clause()),
            (K::ZeroPacketId, Clause::Id("MQTT-2.3.1-1"))
        );
    }
}
