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
                if let Some((kind, at)) = shared_prefix_error(r.present(data, before), d) {
                    return Err(r.error_at(kind, data + at));
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
            return Err(match shared_prefix_error(part, d) {
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
            if !d.wildcard_subscription_available {
                if let Some(at) = filter.iter().position(|&b| b == b'+' || b == b'#') {
                    return Err(r.error_at(
                        DecodeErrorKind::WildcardSubscriptionsNotSupported,
                        data + at,
                    ));
                }
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
        if let Some(bad) = reason_codes
            .iter()
            .find(|c| ReasonCode::new(packet, c.value()).is_none())
        {
            return Err(EncodeError::InvalidReasonCode(bad.value()));
        }
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
