//! SUBSCRIBE (MQTT 5.0 section 3.8), UNSUBSCRIBE (3.10), and their acknowledgements SUBACK
//! (3.9) and UNSUBACK (3.11), which share one shape: a Packet Identifier, properties and a
//! list of reason codes.

use core::fmt;
use core::num::NonZeroU16;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::MAX_REMAINING_LENGTH;
use crate::list::{self, List, ListItem};
use crate::reader::Reader;
use crate::topic::TopicFilter;
use crate::v5::properties::{Place, Properties};
use crate::v5::reason::ReasonCode;
use crate::v5::{Decoder, Shown};
use crate::writer::Sink;
use crate::{PacketType, QoS};

const SHARE_PREFIX: &[u8] = b"$share/";

/// The Subscription Options byte (section 3.8.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SubscriptionOptions {
    /// Maximum QoS.
    pub qos: QoS,
    /// No Local: do not send the client its own messages.
    pub no_local: bool,
    /// Retain As Published.
    pub retain_as_published: bool,
    /// Retain Handling: 0, 1 or 2.
    pub retain_handling: RetainHandling,
}

/// When the server sends retained messages on subscribing (section 3.8.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetainHandling {
    /// 0: at subscribe time.
    OnSubscribe,
    /// 1: at subscribe time, if the subscription is new.
    OnNewSubscribe,
    /// 2: never.
    Never,
}

impl SubscriptionOptions {
    /// Options with this QoS and the rest 0.
    pub const fn new(qos: QoS) -> Self {
        SubscriptionOptions {
            qos,
            no_local: false,
            retain_as_published: false,
            retain_handling: RetainHandling::OnSubscribe,
        }
    }

    const fn to_byte(self) -> u8 {
        let handling = match self.retain_handling {
            RetainHandling::OnSubscribe => 0,
            RetainHandling::OnNewSubscribe => 1,
            RetainHandling::Never => 2,
        };
        self.qos.as_u8()
            | ((self.no_local as u8) << 2)
            | ((self.retain_as_published as u8) << 3)
            | (handling << 4)
    }

    fn from_byte(byte: u8) -> Option<Self> {
        Some(SubscriptionOptions {
            qos: QoS::from_u8(byte & 0x03)?,
            no_local: byte & 0x04 != 0,
            retain_as_published: byte & 0x08 != 0,
            retain_handling: match (byte >> 4) & 0x03 {
                0 => RetainHandling::OnSubscribe,
                1 => RetainHandling::OnNewSubscribe,
                2 => RetainHandling::Never,
                _ => return None,
            },
        })
    }
}

/// A topic filter and its options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subscription<'a> {
    filter: TopicFilter<'a>,
    options: SubscriptionOptions,
}

impl<'a> Subscription<'a> {
    /// A subscription; No Local on a `$share/` filter (`MQTT-3.8.3-4`) and a `$share/`
    /// filter that breaks section 4.8.2 are refused.
    pub fn new(filter: TopicFilter<'a>, options: SubscriptionOptions) -> Result<Self, EncodeError> {
        let bytes = filter.as_str().as_bytes();
        if bytes.starts_with(SHARE_PREFIX) {
            if shared_error(bytes).is_some() {
                return Err(EncodeError::InvalidSharedSubscription);
            }
            if options.no_local {
                return Err(EncodeError::NoLocalOnSharedSubscription);
            }
        }
        Ok(Subscription { filter, options })
    }

    /// The Topic Filter.
    pub fn filter(&self) -> TopicFilter<'a> {
        self.filter
    }
    /// The options.
    pub fn options(&self) -> SubscriptionOptions {
        self.options
    }
}

impl list::private::Sealed for Subscription<'_> {}

impl<'a> ListItem<'a> for Subscription<'a> {
    fn read(bytes: &mut &'a [u8]) -> Option<Self> {
        let filter = TopicFilter::checked(list::read_str(bytes)?);
        let (&options, rest) = bytes.split_first()?;
        *bytes = rest;
        Some(Subscription {
            filter,
            options: SubscriptionOptions::from_byte(options)?,
        })
    }

    fn wire_len(&self) -> usize {
        3 + self.filter.as_str().len()
    }

    fn write<S: Sink>(&self, sink: &mut S) {
        sink.put_prefixed(self.filter.as_str().as_bytes());
        sink.put_u8(self.options.to_byte());
    }
}

impl list::private::Sealed for ReasonCode {}

impl<'a> ListItem<'a> for ReasonCode {
    fn read(bytes: &mut &'a [u8]) -> Option<Self> {
        let (&code, rest) = bytes.split_first()?;
        *bytes = rest;
        // Validated already against the packet's table.
        Some(ReasonCode::raw(code))
    }

    fn wire_len(&self) -> usize {
        1
    }

    fn write<S: Sink>(&self, sink: &mut S) {
        sink.put_u8(self.value());
    }
}

/// Where a `$share/` filter breaks section 4.8.2, as an index into the filter: an empty
/// ShareName (`MQTT-4.8.2-1`), a wildcard in it, or no `/` and filter after it
/// (`MQTT-4.8.2-2`).
fn shared_error(filter: &[u8]) -> Option<(usize, bool)> {
    let name = filter.get(SHARE_PREFIX.len()..).unwrap_or_default();
    let start = SHARE_PREFIX.len();
    if name.is_empty() || name[0] == b'/' {
        return Some((start, true));
    }
    for (i, &b) in name.iter().enumerate() {
        match b {
            b'+' | b'#' => return Some((start + i, false)),
            b'/' => {
                return if i + 1 < name.len() {
                    None
                } else {
                    Some((filter.len(), false))
                }
            }
            _ => {}
        }
    }
    Some((filter.len(), false))
}

/// Reads a topic filter and, when it starts `$share/`, checks the shared subscription's
/// syntax (section 4.8.2) and, with a decoder, whether the server supports them. A wildcard
/// inside the ShareName is the shared subscription's error, not the filter's. Returns the
/// filter and whether it is shared.
fn read_filter<'a>(
    r: &mut Reader<'a>,
    d: Option<&Decoder>,
) -> Result<(&'a [u8], bool), DecodeError> {
    let filter_start = r.pos();
    let data = filter_start + 2;
    let filter = match r.topic_filter() {
        Ok(filter) => filter,
        Err(e) if !r.ran_out() => {
            // The first offending byte wins: a share rule that the bytes before the filter
            // rule's byte already break comes first.
            let base = r.error_at(e.kind(), 0).offset();
            if let Some(before) = e
                .offset()
                .checked_sub(base)
                .and_then(|at| at.checked_sub(data))
            {
                let part = r.present(data, before);
                if let Some((kind, at)) = shared_prefix_error(part, d) {
                    return Err(r.error_at(kind, data + at));
                }
                // Wildcards refused by context, in the well-formed bytes before the error.
                if let Some(at) = refused_wildcard(part, d, false) {
                    return Err(r.error_at(
                        DecodeErrorKind::WildcardSubscriptionsNotSupported,
                        data + at,
                    ));
                }
            }
            // A wildcard the filter rules refuse, inside a ShareName: report the share rule.
            return Err(shared_wildcard(r, e, data).unwrap_or(e));
        }
        Err(e) => {
            // The filter is incomplete: its first bytes may already break a share rule.
            let declared = match r.present(filter_start, 2) {
                &[high, low] => usize::from(u16::from_be_bytes([high, low])),
                _ => return Err(e),
            };
            let part = r.present(data, declared);
            let proven = shared_prefix_error(part, d).or_else(|| {
                refused_wildcard(part, d, false)
                    .map(|at| (DecodeErrorKind::WildcardSubscriptionsNotSupported, at))
            });
            return Err(match proven {
                Some((kind, at)) => {
                    let error = r.error_at(kind, data + at);
                    r.proven(error)
                }
                None => e,
            });
        }
    };
    let shared = filter.starts_with(SHARE_PREFIX);
    if shared {
        if let Some(d) = d {
            if !d.shared_subscription_available {
                return Err(r.error_at(DecodeErrorKind::SharedSubscriptionsNotSupported, data));
            }
        }
        // MQTT-4.8.2-1, MQTT-4.8.2-2
        if let Some((at, empty)) = shared_error(filter) {
            let kind = if empty {
                DecodeErrorKind::EmptyShareName
            } else {
                DecodeErrorKind::InvalidSharedSubscription
            };
            return Err(r.error_at(kind, data + at));
        }
    }
    Ok((filter, shared))
}

/// Where the filter bytes `part` show a wildcard that a server without Wildcard Subscription
/// Available refuses (section 3.2.2.3.11). `whole`: `part` is the whole filter, well formed.
/// Otherwise `part` is the well-formed start of a filter whose later bytes are missing or
/// break a format rule: a `+` is decided once the byte after it is there and is the `/` that
/// ends its level (any other byte makes it a misplaced wildcard, a format error at the `+`),
/// and a `#` never (it is well placed only as a whole filter's last byte); see
/// vectors/v5/DECISIONS.md, sections 4 and 11.
fn refused_wildcard(part: &[u8], d: Option<&Decoder>, whole: bool) -> Option<usize> {
    if d.map_or(true, |d| d.wildcard_subscription_available) {
        return None;
    }
    let at = part.iter().position(|&b| b == b'+' || b == b'#')?;
    let decided = whole || (part.get(at) == Some(&b'+') && part.get(at + 1) == Some(&b'/'));
    decided.then_some(at)
}

/// The share rule that the first bytes of a `$share/` filter already break, whatever
/// follows: the server does not support shared subscriptions (decided at the `/` that completes
/// `$share/`), an empty ShareName, or a wildcard in it. The kind and the index in the filter.
fn shared_prefix_error(part: &[u8], d: Option<&Decoder>) -> Option<(DecodeErrorKind, usize)> {
    let name = part.strip_prefix(SHARE_PREFIX)?;
    if d.is_some_and(|d| !d.shared_subscription_available) {
        return Some((DecodeErrorKind::SharedSubscriptionsNotSupported, 0));
    }
    if name.first() == Some(&b'/') {
        return Some((DecodeErrorKind::EmptyShareName, SHARE_PREFIX.len()));
    }
    let end = name.iter().position(|&b| b == b'/').unwrap_or(name.len());
    let wildcard = name[..end].iter().position(|&b| b == b'+' || b == b'#')?;
    Some((
        DecodeErrorKind::InvalidSharedSubscription,
        SHARE_PREFIX.len() + wildcard,
    ))
}

/// When `e` is a misplaced wildcard inside the ShareName of a `$share/` filter starting at
/// body position `data`, the shared subscription's error in its place.
fn shared_wildcard(r: &Reader<'_>, e: DecodeError, data: usize) -> Option<DecodeError> {
    if !matches!(
        e.kind(),
        DecodeErrorKind::MisplacedSingleLevelWildcard
            | DecodeErrorKind::MisplacedMultiLevelWildcard
    ) {
        return None;
    }
    // Error offsets count from the input's start; the reader's own from the body's.
    let base = r.error_at(e.kind(), 0).offset();
    let at = e.offset().checked_sub(base)?;
    let present = r.present(data, at.checked_sub(data)? + 1);
    let name = present.strip_prefix(SHARE_PREFIX)?;
    if name.contains(&b'/') {
        return None;
    }
    Some(r.error_at(DecodeErrorKind::InvalidSharedSubscription, at))
}

/// A SUBSCRIBE packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subscribe<'a> {
    packet_id: NonZeroU16,
    properties: Properties<'a>,
    subscriptions: List<'a, Subscription<'a>>,
}

impl<'a> Subscribe<'a> {
    /// A SUBSCRIBE; at least one subscription (`MQTT-3.8.3-2`).
    pub fn new(
        packet_id: NonZeroU16,
        properties: Properties<'a>,
        subscriptions: &'a [Subscription<'a>],
    ) -> Result<Self, EncodeError> {
        if subscriptions.is_empty() {
            return Err(EncodeError::NoTopicFilters(PacketType::Subscribe));
        }
        properties.check(Place::Packet(PacketType::Subscribe))?;
        let packet = Subscribe {
            packet_id,
            properties,
            subscriptions: List::from_items(subscriptions),
        };
        if packet.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(packet)
    }

    /// The Packet Identifier.
    pub fn packet_id(&self) -> NonZeroU16 {
        self.packet_id
    }
    /// The SUBSCRIBE properties.
    pub fn properties(&self) -> Properties<'a> {
        self.properties
    }
    /// The subscriptions, in order.
    pub fn subscriptions(&self) -> List<'a, Subscription<'a>> {
        self.subscriptions
    }

    pub(crate) fn remaining_length(&self) -> usize {
        2 + self.properties.wire_len() + self.subscriptions.wire_len()
    }

    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_u16(self.packet_id.get());
        self.properties.write(sink);
        self.subscriptions.write(sink);
    }

    pub(crate) fn decode(r: &mut Reader<'a>, d: &Decoder) -> Result<Self, DecodeError> {
        let packet_id = r.packet_id()?;
        let properties = Properties::read(
            r,
            Place::Packet(PacketType::Subscribe),
            Field::Properties,
            d,
        )?;
        // MQTT-3.8.3-2
        if r.is_empty() {
            return Err(r.error(DecodeErrorKind::NoTopicFilters));
        }
        let start = r.pos();
        let mut count = 0;
        while !r.is_empty() {
            let filter_start = r.pos();
            let data = filter_start + 2;
            // MQTT-3.8.3-1, MQTT-4.7.1-1, MQTT-4.7.1-2, MQTT-4.7.3-1, MQTT-4.7.3-2, and the
            // shared subscription syntax (MQTT-4.8.2-1, -2).
            let (filter, shared) = read_filter(r, Some(d))?;
            if let Some(at) = refused_wildcard(filter, Some(d), true) {
                return Err(r.error_at(
                    DecodeErrorKind::WildcardSubscriptionsNotSupported,
                    data + at,
                ));
            }
            let options_start = r.pos();
            let options = r.u8(Field::SubscriptionOptions)?;
            // MQTT-3.8.3-5: bits 7 and 6 are reserved.
            if options & 0xC0 != 0 {
                return Err(r.error_at(DecodeErrorKind::SubscriptionReservedBits, options_start));
            }
            // Section 3.8.3.1: QoS 3 and Retain Handling 3 are Protocol Errors.
            if options & 0x03 == 3 {
                return Err(r.error_at(DecodeErrorKind::InvalidRequestedQoS, options_start));
            }
            if options & 0x30 == 0x30 {
                return Err(r.error_at(DecodeErrorKind::InvalidRetainHandling, options_start));
            }
            // MQTT-3.8.3-4
            if shared && options & 0x04 != 0 {
                return Err(r.error_at(DecodeErrorKind::NoLocalOnSharedSubscription, options_start));
            }
            count += 1;
        }
        Ok(Subscribe {
            packet_id,
            properties,
            subscriptions: List::from_wire(r.consumed_since(start), count),
        })
    }
}

impl fmt::Display for Subscribe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SUBSCRIBE packet_id={} filters=[", self.packet_id)?;
        for (i, s) in self.subscriptions.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let o = s.options;
            write!(
                f,
                "{sep}{:?} qos={} no_local={} retain_as_published={} retain_handling={}",
                s.filter.as_str(),
                o.qos,
                o.no_local,
                o.retain_as_published,
                o.to_byte() >> 4
            )?;
        }
        f.write_str("]")?;
        write!(f, "{}", Shown(&self.properties))
    }
}

/// An UNSUBSCRIBE packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsubscribe<'a> {
    packet_id: NonZeroU16,
    properties: Properties<'a>,
    filters: List<'a, TopicFilter<'a>>,
}

impl<'a> Unsubscribe<'a> {
    /// An UNSUBSCRIBE; at least one filter (`MQTT-3.10.3-2`).
    pub fn new(
        packet_id: NonZeroU16,
        properties: Properties<'a>,
        filters: &'a [TopicFilter<'a>],
    ) -> Result<Self, EncodeError> {
        if filters.is_empty() {
            return Err(EncodeError::NoTopicFilters(PacketType::Unsubscribe));
        }
        // The share syntax holds in UNSUBSCRIBE too (DECISIONS.md section 11).
        if filters.iter().any(|f| {
            let bytes = f.as_str().as_bytes();
            bytes.starts_with(SHARE_PREFIX) && shared_error(bytes).is_some()
        }) {
            return Err(EncodeError::InvalidSharedSubscription);
        }
        properties.check(Place::Packet(PacketType::Unsubscribe))?;
        let packet = Unsubscribe {
            packet_id,
            properties,
            filters: List::from_items(filters),
        };
        if packet.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(packet)
    }

    /// The Packet Identifier.
    pub fn packet_id(&self) -> NonZeroU16 {
        self.packet_id
    }
    /// The UNSUBSCRIBE properties.
    pub fn properties(&self) -> Properties<'a> {
        self.properties
    }
    /// The filters, in order.
    pub fn filters(&self) -> List<'a, TopicFilter<'a>> {
        self.filters
    }

    pub(crate) fn remaining_length(&self) -> usize {
        2 + self.properties.wire_len() + self.filters.wire_len()
    }

    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_u16(self.packet_id.get());
        self.properties.write(sink);
        self.filters.write(sink);
    }

    pub(crate) fn decode(r: &mut Reader<'a>, d: &Decoder) -> Result<Self, DecodeError> {
        let packet_id = r.packet_id()?;
        let properties = Properties::read(
            r,
            Place::Packet(PacketType::Unsubscribe),
            Field::Properties,
            d,
        )?;
        // MQTT-3.10.3-2
        if r.is_empty() {
            return Err(r.error(DecodeErrorKind::NoTopicFilters));
        }
        let start = r.pos();
        let mut count = 0;
        while !r.is_empty() {
            // MQTT-3.10.3-1, and the shared subscription syntax (MQTT-4.8.2-1, -2).
            read_filter(r, None)?;
            count += 1;
        }
        Ok(Unsubscribe {
            packet_id,
            properties,
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
        f.write_str("]")?;
        write!(f, "{}", Shown(&self.properties))
    }
}

/// SUBACK or UNSUBACK: the Packet Identifier answered, properties, and one reason code per
/// filter. [`Packet`](crate::v5::Packet)'s variant says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListAck<'a> {
    packet_id: NonZeroU16,
    properties: Properties<'a>,
    reason_codes: List<'a, ReasonCode>,
}

/// Every code in `packet`'s table, or the first that is not, as the constructors' error.
fn all_in_table(
    packet: PacketType,
    codes: impl IntoIterator<Item = ReasonCode>,
) -> Result<(), EncodeError> {
    match codes
        .into_iter()
        .find(|c| ReasonCode::new(packet, c.value()).is_none())
    {
        Some(bad) => Err(EncodeError::InvalidReasonCode(bad.value())),
        None => Ok(()),
    }
}

impl<'a> ListAck<'a> {
    /// A SUBACK or UNSUBACK (`packet`); every code must be in `packet`'s table, and there
    /// must be at least one.
    pub fn new(
        packet: PacketType,
        packet_id: NonZeroU16,
        properties: Properties<'a>,
        reason_codes: &'a [ReasonCode],
    ) -> Result<Self, EncodeError> {
        if reason_codes.is_empty() {
            return Err(EncodeError::NoReturnCodes);
        }
        all_in_table(packet, reason_codes.iter().copied())?;
        properties.check(Place::Packet(packet))?;
        let packet = ListAck {
            packet_id,
            properties,
            reason_codes: List::from_items(reason_codes),
        };
        if packet.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(packet)
    }

    /// The Packet Identifier.
    pub fn packet_id(&self) -> NonZeroU16 {
        self.packet_id
    }
    /// The properties.
    pub fn properties(&self) -> Properties<'a> {
        self.properties
    }
    /// The reason codes, one per filter of the request, in order.
    pub fn reason_codes(&self) -> List<'a, ReasonCode> {
        self.reason_codes
    }

    pub(crate) fn remaining_length(&self) -> usize {
        2 + self.properties.wire_len() + self.reason_codes.wire_len()
    }

    /// Whether every reason code is in `packet`'s table (SUBACK and UNSUBACK take the same
    /// properties).
    pub(crate) fn check_for(&self, packet: PacketType) -> Result<(), EncodeError> {
        all_in_table(packet, self.reason_codes.iter())
    }

    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_u16(self.packet_id.get());
        self.properties.write(sink);
        self.reason_codes.write(sink);
    }

    pub(crate) fn decode(
        r: &mut Reader<'a>,
        packet: PacketType,
        d: &Decoder,
    ) -> Result<Self, DecodeError> {
        let packet_id = r.packet_id()?;
        let properties = Properties::read(r, Place::Packet(packet), Field::Properties, d)?;
        // MQTT-3.9.3-2, MQTT-3.11.3-2: one per filter, and a request has at least one.
        if r.is_empty() {
            return Err(r.error(DecodeErrorKind::NoReasonCodes));
        }
        let start = r.pos();
        let mut count = 0;
        while !r.is_empty() {
            let at = r.pos();
            let code = r.u8(Field::ReasonCode)?;
            if ReasonCode::new(packet, code).is_none() {
                return Err(r.error_at(DecodeErrorKind::InvalidReasonCode(code), at));
            }
            count += 1;
        }
        Ok(ListAck {
            packet_id,
            properties,
            reason_codes: List::from_wire(r.consumed_since(start), count),
        })
    }

    pub(crate) fn show(&self, f: &mut fmt::Formatter<'_>, packet: PacketType) -> fmt::Result {
        write!(
            f,
            "{} packet_id={} reasons=[",
            packet.name(),
            self.packet_id
        )?;
        for (i, code) in self.reason_codes.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{code}")?;
        }
        f.write_str("]")?;
        write!(f, "{}", Shown(&self.properties))
    }
}

#[cfg(test)]
mod tests {
    //! Expected bytes written by hand from sections 3.8 to 3.11 and the refusals' reason
    //! codes from DECISIONS.md section 5, not from running the codec.

    use super::*;
    use crate::v5::test_support::{decoded, encoded, id, refused};
    use crate::v5::{Packet, Property};
    use DecodeErrorKind as K;

    fn filter(f: &str) -> TopicFilter<'_> {
        TopicFilter::new(f).unwrap()
    }

    #[test]
    fn a_built_subscribe_encodes_byte_for_byte_and_decodes_back() {
        let options = SubscriptionOptions {
            qos: QoS::AtLeastOnce,
            no_local: true,
            retain_as_published: false,
            retain_handling: RetainHandling::Never,
        };
        let subs = [Subscription::new(filter("a/+"), options).unwrap()];
        let props = [Property::SubscriptionIdentifier(3)];
        let s = Subscribe::new(id(1), Properties::new(&props), &subs).unwrap();
        // Packet id, properties (1 + 2), filter (2 + 3), options 0010 0101: Remaining
        // Length 11.
        let wire = [0x82, 0x0B, 0, 1, 2, 0x0B, 3, 0, 3, b'a', b'/', b'+', 0x25];
        assert_eq!(Packet::Subscribe(s).encoded_len(), 13);
        assert_eq!(encoded(Packet::Subscribe(s)), wire);
        assert_eq!(decoded(&wire), Packet::Subscribe(s));
    }

    #[test]
    fn every_legal_options_byte_round_trips() {
        // Section 3.8.3.1: bits 0-1 QoS, 2 No Local, 3 Retain As Published, 4-5 Retain
        // Handling; 3 for QoS or Retain Handling and bits 6-7 are refused (below).
        let handlings = [
            RetainHandling::OnSubscribe,
            RetainHandling::OnNewSubscribe,
            RetainHandling::Never,
        ];
        let qoss = [QoS::AtMostOnce, QoS::AtLeastOnce, QoS::ExactlyOnce];
        let mut seen = 0;
        for (q, &qos) in qoss.iter().enumerate() {
            for (h, &retain_handling) in handlings.iter().enumerate() {
                for (no_local, retain_as_published) in
                    [(false, false), (true, false), (false, true), (true, true)]
                {
                    let options = SubscriptionOptions {
                        qos,
                        no_local,
                        retain_as_published,
                        retain_handling,
                    };
                    let byte = q as u8
                        | (no_local as u8) << 2
                        | (retain_as_published as u8) << 3
                        | (h as u8) << 4;
                    let subs = [Subscription::new(filter("t"), options).unwrap()];
                    let s = Subscribe::new(id(1), Properties::EMPTY, &subs).unwrap();
                    let wire = [0x82, 7, 0, 1, 0, 0, 1, b't', byte];
                    assert_eq!(encoded(Packet::Subscribe(s)), wire);
                    assert_eq!(decoded(&wire), Packet::Subscribe(s));
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 36);
    }

    #[test]
    fn the_decoder_refuses_the_options_the_standard_forbids() {
        let with = |byte: u8| refused(&[0x82, 7, 0, 1, 0, 0, 1, b't', byte]);
        // MQTT-3.8.3-5: reserved bits, malformed (0x81). QoS 3 and Retain Handling 3:
        // Protocol Errors (0x82).
        assert_eq!(with(0x40), (K::SubscriptionReservedBits, 8, 0x81));
        assert_eq!(with(0x80), (K::SubscriptionReservedBits, 8, 0x81));
        assert_eq!(with(0x03), (K::InvalidRequestedQoS, 8, 0x82));
        assert_eq!(with(0x30), (K::InvalidRetainHandling, 8, 0x82));
        // No Local on a shared subscription (MQTT-3.8.3-4).
        let shared = [
            0x82, 16, 0, 1, 0, 0, 10, b'$', b's', b'h', b'a', b'r', b'e', b'/', b'g', b'/', b't',
            0x04,
        ];
        assert_eq!(refused(&shared), (K::NoLocalOnSharedSubscription, 17, 0x82));
        // No filter at all (MQTT-3.8.3-2): at the end of the properties.
        assert_eq!(refused(&[0x82, 3, 0, 1, 0]), (K::NoTopicFilters, 5, 0x82));
    }

    #[test]
    fn constructors_refuse_what_the_decoder_refuses() {
        let no_local = SubscriptionOptions {
            no_local: true,
            ..SubscriptionOptions::new(QoS::AtMostOnce)
        };
        assert_eq!(
            Subscription::new(filter("$share/g/t"), no_local),
            Err(EncodeError::NoLocalOnSharedSubscription)
        );
        assert!(Subscription::new(filter("g/t"), no_local).is_ok());
        // Section 4.8.2: an empty ShareName, a wildcard in it, no filter after it.
        let plain = SubscriptionOptions::new(QoS::AtMostOnce);
        for bad in ["$share//t", "$share/g", "$share/g/"] {
            assert_eq!(
                Subscription::new(filter(bad), plain),
                Err(EncodeError::InvalidSharedSubscription),
                "{bad}"
            );
        }
        // A wildcard inside the ShareName: the filter's own constructor refuses it already.
        assert_eq!(
            TopicFilter::new("$share/a+/t"),
            Err(EncodeError::MisplacedSingleLevelWildcard)
        );
        assert!(Subscription::new(filter("$share/g/#"), plain).is_ok());
        // The decoder: `$share/g` (no `/` and filter after the ShareName) at the filter's end.
        let wire = [
            0x82, 14, 0, 1, 0, 0, 8, b'$', b's', b'h', b'a', b'r', b'e', b'/', b'g', 0,
        ];
        assert_eq!(refused(&wire), (K::InvalidSharedSubscription, 15, 0x81));
        // An empty list (MQTT-3.8.3-2, MQTT-3.10.3-2).
        assert_eq!(
            Subscribe::new(id(1), Properties::EMPTY, &[]),
            Err(EncodeError::NoTopicFilters(PacketType::Subscribe))
        );
        assert_eq!(
            Unsubscribe::new(id(1), Properties::EMPTY, &[]),
            Err(EncodeError::NoTopicFilters(PacketType::Unsubscribe))
        );
        // SUBSCRIBE carries Subscription Identifier once, and not 0; no Reason String.
        let subs = [Subscription::new(filter("t"), plain).unwrap()];
        let sub = |props: &[Property<'_>]| {
            Subscribe::new(id(1), Properties::new(props), &subs).map(|_| ())
        };
        assert_eq!(
            sub(&[
                Property::SubscriptionIdentifier(1),
                Property::SubscriptionIdentifier(2)
            ]),
            Err(EncodeError::DuplicateProperty(0x0B))
        );
        assert_eq!(
            refused(&[0x82, 9, 0, 1, 4, 0x0B, 1, 0x0B, 2, 0, 1, b't', 0]),
            (K::DuplicateProperty(Field::Property(0x0B)), 7, 0x82)
        );
        assert_eq!(
            sub(&[Property::SubscriptionIdentifier(0)]),
            Err(EncodeError::InvalidPropertyValue(0x0B))
        );
        assert_eq!(
            sub(&[Property::ReasonString("r")]),
            Err(EncodeError::PropertyNotAllowed(0x1F))
        );
        // UNSUBSCRIBE: only User Properties, and the share syntax holds.
        let filters = [filter("a/b")];
        assert_eq!(
            Unsubscribe::new(
                id(1),
                Properties::new(&[Property::SubscriptionIdentifier(1)]),
                &filters
            ),
            Err(EncodeError::PropertyNotAllowed(0x0B))
        );
        assert_eq!(
            Unsubscribe::new(id(1), Properties::EMPTY, &[filter("$share//t")]),
            Err(EncodeError::InvalidSharedSubscription)
        );
        assert_eq!(
            refused(&[0xA2, 7, 0, 1, 2, 0x0B, 1, 0, 1, b't']),
            (K::PropertyNotAllowed(Field::Property(0x0B)), 5, 0x81)
        );
    }

    #[test]
    fn a_built_unsubscribe_encodes_byte_for_byte_and_decodes_back() {
        let filters = [filter("a/b"), filter("$share/g/#")];
        let props = [Property::UserProperty("k", "v")];
        let u = Unsubscribe::new(id(2), Properties::new(&props), &filters).unwrap();
        // Packet id, properties (1 + 7), filters (2 + 3, 2 + 10): Remaining Length 27.
        let wire = [
            0xA2, 27, 0, 2, 7, 0x26, 0, 1, b'k', 0, 1, b'v', 0, 3, b'a', b'/', b'b', 0, 10, b'$',
            b's', b'h', b'a', b'r', b'e', b'/', b'g', b'/', b'#',
        ];
        assert_eq!(Packet::Unsubscribe(u).encoded_len(), 29);
        assert_eq!(encoded(Packet::Unsubscribe(u)), wire);
        assert_eq!(decoded(&wire), Packet::Unsubscribe(u));
    }

    #[test]
    fn suback_and_unsuback_take_only_their_own_tables() {
        let granted = [
            ReasonCode::SUCCESS,
            ReasonCode::new(PacketType::Suback, 0x01).unwrap(),
            ReasonCode::new(PacketType::Suback, 0x02).unwrap(),
            ReasonCode::new(PacketType::Suback, 0xA2).unwrap(),
        ];
        let ack = ListAck::new(PacketType::Suback, id(1), Properties::EMPTY, &granted).unwrap();
        let wire = [0x90, 7, 0, 1, 0, 0x00, 0x01, 0x02, 0xA2];
        assert_eq!(Packet::Suback(ack).encoded_len(), 9);
        assert_eq!(encoded(Packet::Suback(ack)), wire);
        assert_eq!(decoded(&wire), Packet::Suback(ack));
        // 0x01 (Granted QoS 1) is not in UNSUBACK's table, 0x11 (No subscription existed)
        // not in SUBACK's (sections 3.9.3, 3.11.3): refused both ways, 0x81 at the code.
        assert_eq!(
            ListAck::new(
                PacketType::Unsuback,
                id(1),
                Properties::EMPTY,
                &granted[1..2]
            ),
            Err(EncodeError::InvalidReasonCode(0x01))
        );
        assert_eq!(
            refused(&[0xB0, 4, 0, 1, 0, 0x01]),
            (K::InvalidReasonCode(0x01), 5, 0x81)
        );
        let none_existed = [ReasonCode::new(PacketType::Unsuback, 0x11).unwrap()];
        assert_eq!(
            ListAck::new(PacketType::Suback, id(1), Properties::EMPTY, &none_existed),
            Err(EncodeError::InvalidReasonCode(0x11))
        );
        assert_eq!(
            refused(&[0x90, 4, 0, 1, 0, 0x11]),
            (K::InvalidReasonCode(0x11), 5, 0x81)
        );
        // At least one code (MQTT-3.9.3-1, MQTT-3.11.3-1 answer every filter).
        assert_eq!(
            ListAck::new(PacketType::Suback, id(1), Properties::EMPTY, &[]),
            Err(EncodeError::NoReturnCodes)
        );
        assert_eq!(refused(&[0x90, 3, 0, 1, 0]), (K::NoReasonCodes, 5, 0x82));
        let unsuback = ListAck::new(
            PacketType::Unsuback,
            id(1),
            Properties::EMPTY,
            &none_existed,
        )
        .unwrap();
        assert_eq!(
            encoded(Packet::Unsuback(unsuback)),
            [0xB0, 4, 0, 1, 0, 0x11]
        );
    }

    #[test]
    fn encode_writes_nothing_when_the_buffer_is_short() {
        let subs =
            [Subscription::new(filter("a"), SubscriptionOptions::new(QoS::AtMostOnce)).unwrap()];
        let packet = Packet::Subscribe(Subscribe::new(id(1), Properties::EMPTY, &subs).unwrap());
        // 2 + packet id 2 + property length 1 + filter 3 + options 1.
        assert_eq!(packet.encoded_len(), 9);
        let mut out = [0xAA; 8];
        assert_eq!(
            packet.encode(&mut out),
            Err(EncodeError::BufferTooSmall {
                needed: 9,
                available: 8
            })
        );
        assert_eq!(out, [0xAA; 8]);
    }
}
