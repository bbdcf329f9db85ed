//! MQTT 5.0 (OASIS Standard, 7 March 2019): the fifteen control packets, their properties and
//! reason codes.
//!
//! The same shape as [`v311`](crate::v311): [`decode`] and [`Decoder`] give a [`Status`] with
//! the packet and the bytes it used; a packet's `encode` writes the exact bytes; every value
//! that can be built can be encoded, except an [`Ack`], [`ListAck`] or [`Notice`] put in a
//! variant whose packet does not allow its contents (one built for PUBACK with reason code
//! 0x10, held by `Packet::Pubrel`): `encode` refuses that with the constructors' error and
//! writes nothing. The rules this module follows where the standard leaves
//! a choice are in `vectors/v5/DECISIONS.md`: the short forms of the acknowledgements,
//! DISCONNECT and AUTH (a decoded packet remembers its form and encodes back to the same
//! bytes; a built one takes the shortest), the reason code each refusal answers with
//! ([`DecodeError::reason_code`]), and the limits negotiated on a connection, given to the
//! decoder as options.
//!
//! ```
//! use mqtt_wire::v5::{self, Packet};
//!
//! // PUBLISH QoS 1 to "a/b", packet id 1, Message Expiry Interval 60, payload "hi".
//! let bytes = [
//!     0x32, 0x0F, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x01, 0x05, 0x02, 0x00, 0x00, 0x00, 0x3C,
//!     b'h', b'i',
//! ];
//! let (packet, used) = v5::decode(&bytes)?.complete().unwrap();
//! let Packet::Publish(publish) = packet else { unreachable!() };
//! assert_eq!((publish.topic(), publish.payload(), used), ("a/b", &b"hi"[..], bytes.len()));
//! assert_eq!(publish.properties().message_expiry_interval(), Some(60));
//! # Ok::<(), mqtt_wire::DecodeError>(())
//! ```

use core::fmt;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::frame;
use crate::header::MAX_REMAINING_LENGTH;
use crate::protocol::{self, Encode};
use crate::reader::Reader;
use crate::writer::Sink;
use crate::{PacketType, QoS, Status};

mod acks;
#[cfg(feature = "arbitrary")]
mod arbitrary;
mod clauses;
mod connect;
mod properties;
mod publish;
mod reason;
#[cfg(feature = "serde")]
mod serde;
mod subscribe;
#[cfg(test)]
mod test_support;

pub use acks::{Ack, Notice};
pub use clauses::encode_clause;
pub use connect::{Connack, Connect, Will};
pub use properties::{Properties, Property, PropertyId, PropertyIter};
pub use publish::Publish;
pub use reason::ReasonCode;
pub use subscribe::{
    ListAck, RetainHandling, Subscribe, Subscription, SubscriptionOptions, Unsubscribe,
};

/// A 5.0 packet that holds its bytes in a `Bytes` (see [`crate::BytesPacket`]).
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
pub type BytesPacket = crate::BytesPacket<Decoder>;
/// A 5.0 packet that owns its bytes (see [`crate::OwnedPacket`]).
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub type OwnedPacket = crate::OwnedPacket<Decoder>;
/// A receive buffer that yields 5.0 packets (see [`crate::StreamDecoder`]).
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub type StreamDecoder = crate::StreamDecoder<Decoder>;
/// The tokio codec for 5.0 (see [`crate::MqttCodec`]).
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub type MqttCodec = crate::MqttCodec<Decoder>;

/// Any MQTT 5.0 control packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packet<'a> {
    /// CONNECT (section 3.1).
    Connect(Connect<'a>),
    /// CONNACK (section 3.2).
    Connack(Connack<'a>),
    /// PUBLISH (section 3.3).
    Publish(Publish<'a>),
    /// PUBACK (section 3.4).
    Puback(Ack<'a>),
    /// PUBREC (section 3.5).
    Pubrec(Ack<'a>),
    /// PUBREL (section 3.6).
    Pubrel(Ack<'a>),
    /// PUBCOMP (section 3.7).
    Pubcomp(Ack<'a>),
    /// SUBSCRIBE (section 3.8).
    Subscribe(Subscribe<'a>),
    /// SUBACK (section 3.9).
    Suback(ListAck<'a>),
    /// UNSUBSCRIBE (section 3.10).
    Unsubscribe(Unsubscribe<'a>),
    /// UNSUBACK (section 3.11).
    Unsuback(ListAck<'a>),
    /// PINGREQ (section 3.12).
    Pingreq,
    /// PINGRESP (section 3.13).
    Pingresp,
    /// DISCONNECT (section 3.14).
    Disconnect(Notice<'a>),
    /// AUTH (section 3.15).
    Auth(Notice<'a>),
}

impl<'a> Packet<'a> {
    /// The packet's type.
    pub const fn packet_type(&self) -> PacketType {
        match self {
            Packet::Connect(_) => PacketType::Connect,
            Packet::Connack(_) => PacketType::Connack,
            Packet::Publish(_) => PacketType::Publish,
            Packet::Puback(_) => PacketType::Puback,
            Packet::Pubrec(_) => PacketType::Pubrec,
            Packet::Pubrel(_) => PacketType::Pubrel,
            Packet::Pubcomp(_) => PacketType::Pubcomp,
            Packet::Subscribe(_) => PacketType::Subscribe,
            Packet::Suback(_) => PacketType::Suback,
            Packet::Unsubscribe(_) => PacketType::Unsubscribe,
            Packet::Unsuback(_) => PacketType::Unsuback,
            Packet::Pingreq => PacketType::Pingreq,
            Packet::Pingresp => PacketType::Pingresp,
            Packet::Disconnect(_) => PacketType::Disconnect,
            Packet::Auth(_) => PacketType::Auth,
        }
    }

    /// The Remaining Length: the size of everything after the fixed header.
    pub fn remaining_length(&self) -> usize {
        match self {
            Packet::Connect(p) => p.remaining_length(),
            Packet::Connack(p) => p.remaining_length(),
            Packet::Publish(p) => p.remaining_length(),
            Packet::Puback(p) | Packet::Pubrec(p) | Packet::Pubrel(p) | Packet::Pubcomp(p) => {
                p.remaining_length()
            }
            Packet::Subscribe(p) => p.remaining_length(),
            Packet::Suback(p) | Packet::Unsuback(p) => p.remaining_length(),
            Packet::Unsubscribe(p) => p.remaining_length(),
            Packet::Pingreq | Packet::Pingresp => 0,
            Packet::Disconnect(p) | Packet::Auth(p) => p.remaining_length(),
        }
    }

    /// The exact number of bytes [`encode`](Self::encode) writes.
    pub fn encoded_len(&self) -> usize {
        crate::header::frame_len(self.remaining_length())
    }

    /// An [`Ack`], [`ListAck`] or [`Notice`] is checked against the packet type it is built
    /// for, and the variant that holds it names the packet on the wire; held by another
    /// variant, its reason codes, properties and form are checked again against that packet
    /// (a PUBACK's 0x10 is no PUBREL reason code), with the constructors' errors.
    fn check_variant(&self) -> Result<(), EncodeError> {
        let packet = self.packet_type();
        match self {
            Packet::Puback(p) | Packet::Pubrec(p) | Packet::Pubrel(p) | Packet::Pubcomp(p) => {
                p.check_for(packet)
            }
            Packet::Suback(p) | Packet::Unsuback(p) => p.check_for(packet),
            Packet::Disconnect(p) | Packet::Auth(p) => p.check_for(packet),
            _ => Ok(()),
        }
    }
}

impl protocol::private::Sealed for Packet<'_> {}

impl Encode for Packet<'_> {
    type Decoder = Decoder;

    fn encoded_len(&self) -> usize {
        Packet::encoded_len(self)
    }

    /// The one dispatch on the packet type for every encode (`protocol::encode_dispatch`),
    /// after [`check_variant`](Packet::check_variant).
    #[inline(always)]
    fn encode_with<S: Sink>(
        &self,
        sink_for: impl FnOnce(usize) -> Result<S, EncodeError>,
    ) -> Result<usize, EncodeError> {
        self.check_variant()?;
        protocol::encode_dispatch!(
            self,
            sink_for,
            with_body: [
                Connect = 0x10, Connack = 0x20, Puback = 0x40, Pubrec = 0x50, Pubrel = 0x62,
                Pubcomp = 0x70, Subscribe = 0x82, Suback = 0x90, Unsubscribe = 0xA2,
                Unsuback = 0xB0, Disconnect = 0xE0, Auth = 0xF0,
            ],
            bare: [Pingreq = 0xC0, Pingresp = 0xD0],
        )
    }
}

/// One line per packet, for logs. User names, passwords and Authentication Data are
/// printed as `***`, payloads by their length only.
impl fmt::Display for Packet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.packet_type();
        match self {
            Packet::Connect(p) => p.fmt(f),
            Packet::Connack(p) => p.fmt(f),
            Packet::Publish(p) => p.fmt(f),
            Packet::Puback(p) | Packet::Pubrec(p) | Packet::Pubrel(p) | Packet::Pubcomp(p) => {
                p.show(f, t)
            }
            Packet::Subscribe(p) => p.fmt(f),
            Packet::Suback(p) | Packet::Unsuback(p) => p.show(f, t),
            Packet::Unsubscribe(p) => p.fmt(f),
            Packet::Pingreq => f.write_str("PINGREQ"),
            Packet::Pingresp => f.write_str("PINGRESP"),
            Packet::Disconnect(p) | Packet::Auth(p) => p.show(f, t),
        }
    }
}

/// Properties in a `Display` line: ` properties=[...]` when there are any.
pub(crate) struct Shown<'p, 'a>(pub(crate) &'p Properties<'a>);

impl fmt::Display for Shown<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        f.write_str(" properties=[")?;
        for (i, p) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{p:?}")?;
        }
        f.write_str("]")
    }
}

/// Which side of the connection decodes: the packets came from the other side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A server, decoding what a client sent.
    Server,
    /// A client, decoding what a server sent.
    Client,
}

/// A packet decoder with options: the limits negotiated on the connection (DECISIONS.md
/// section 6). [`Decoder::new`] checks every format rule and nothing negotiated, which a
/// stateless decoder cannot know.
///
/// ```
/// use mqtt_wire::v5::{Decoder, Role};
/// use mqtt_wire::DecodeErrorKind;
///
/// // A server that announced Topic Alias Maximum 5.
/// let decoder = Decoder::new().receiver(Role::Server).topic_alias_maximum(5);
/// // PUBLISH with Topic Alias 6 and an empty topic.
/// let err = decoder.decode(&[0x30, 0x06, 0x00, 0x00, 0x03, 0x23, 0x00, 0x06]).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::TopicAliasOutOfRange);
/// assert_eq!(err.reason_code().map(|c| c.value()), Some(0x94));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decoder {
    pub(crate) max_packet_size: usize,
    pub(crate) reject_disallowed_code_points: bool,
    pub(crate) receiver: Option<Role>,
    pub(crate) topic_alias_maximum: Option<u16>,
    pub(crate) maximum_qos: QoS,
    pub(crate) retain_available: bool,
    pub(crate) wildcard_subscription_available: bool,
    pub(crate) subscription_identifiers_available: bool,
    pub(crate) shared_subscription_available: bool,
    pub(crate) request_problem_information: bool,
    pub(crate) request_response_information: bool,
    pub(crate) authentication_method: bool,
    pub(crate) check_payload_utf8: bool,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    /// The largest packet MQTT 5.0 can express.
    pub const MAX_PACKET_SIZE: usize = 1 + 4 + MAX_REMAINING_LENGTH;

    /// Every format rule, nothing negotiated.
    pub const fn new() -> Self {
        Decoder {
            max_packet_size: Self::MAX_PACKET_SIZE,
            reject_disallowed_code_points: false,
            receiver: None,
            topic_alias_maximum: None,
            maximum_qos: QoS::ExactlyOnce,
            retain_available: true,
            wildcard_subscription_available: true,
            subscription_identifiers_available: true,
            shared_subscription_available: true,
            request_problem_information: true,
            request_response_information: true,
            authentication_method: true,
            check_payload_utf8: false,
        }
    }

    /// Who decodes. A server refuses a Subscription Identifier in PUBLISH (`MQTT-3.3.4-6`);
    /// a client refuses a Session Expiry Interval in DISCONNECT (`MQTT-3.14.2-2`); the
    /// clause of the limits below depends on it.
    pub const fn receiver(self, role: Role) -> Self {
        Decoder {
            receiver: Some(role),
            ..self
        }
    }

    /// The Maximum Packet Size this receiver announced: larger packets are refused (0x95)
    /// from their fixed header.
    pub const fn max_packet_size(self, bytes: usize) -> Self {
        Decoder {
            max_packet_size: bytes,
            ..self
        }
    }

    /// The Topic Alias Maximum this receiver announced (0: no alias is accepted).
    pub const fn topic_alias_maximum(self, maximum: u16) -> Self {
        Decoder {
            topic_alias_maximum: Some(maximum),
            ..self
        }
    }

    /// The Maximum QoS a server announced (PUBLISH QoS and Will QoS above it: 0x9B).
    pub const fn maximum_qos(self, qos: QoS) -> Self {
        Decoder {
            maximum_qos: qos,
            ..self
        }
    }

    /// Retain Available as a server announced it (RETAIN or Will Retain when false: 0x9A).
    pub const fn retain_available(self, available: bool) -> Self {
        Decoder {
            retain_available: available,
            ..self
        }
    }

    /// Wildcard Subscription Available as a server announced it (0xA2).
    pub const fn wildcard_subscription_available(self, available: bool) -> Self {
        Decoder {
            wildcard_subscription_available: available,
            ..self
        }
    }

    /// Subscription Identifier Available as a server announced it (0xA1).
    pub const fn subscription_identifiers_available(self, available: bool) -> Self {
        Decoder {
            subscription_identifiers_available: available,
            ..self
        }
    }

    /// Shared Subscription Available as a server announced it (0x9E).
    pub const fn shared_subscription_available(self, available: bool) -> Self {
        Decoder {
            shared_subscription_available: available,
            ..self
        }
    }

    /// Request Problem Information as the client sent it: when false, a client refuses a
    /// Reason String or User Property outside PUBLISH, CONNACK and DISCONNECT
    /// (`MQTT-3.1.2-29`).
    pub const fn request_problem_information(self, requested: bool) -> Self {
        Decoder {
            request_problem_information: requested,
            ..self
        }
    }

    /// Request Response Information as the client sent it: when false, a client refuses
    /// Response Information in CONNACK (`MQTT-3.1.2-28`).
    pub const fn request_response_information(self, requested: bool) -> Self {
        Decoder {
            request_response_information: requested,
            ..self
        }
    }

    /// Whether the CONNECT carried an Authentication Method: when not, AUTH is refused
    /// (`MQTT-4.12.0-6`, `-7`), and a client refuses an Authentication Method in CONNACK.
    pub const fn authentication_method(self, sent: bool) -> Self {
        Decoder {
            authentication_method: sent,
            ..self
        }
    }

    /// Checks that a payload (PUBLISH or will) marked UTF-8 by Payload Format Indicator 1 is
    /// well-formed UTF-8 (0x99). Off by default: the standard lets a receiver check it
    /// (section 3.3.2.3.2) but does not ask it to, and it costs a pass over every payload
    /// that a broker forwarding messages unchanged does not need.
    pub const fn check_payload_utf8(self, check: bool) -> Self {
        Decoder {
            check_payload_utf8: check,
            ..self
        }
    }

    /// Refuses control characters and non-characters in strings (section 1.5.4 lets a
    /// receiver refuse them), as `v311::Decoder::reject_control_characters`.
    pub const fn reject_control_characters(self, reject: bool) -> Self {
        Decoder {
            reject_disallowed_code_points: reject,
            ..self
        }
    }

    /// Decodes the packet at the start of `input`: a packet and the bytes it used, "need
    /// more" while `input` is a valid start of one, or the error at the first offending
    /// byte, as soon as it is present. Never allocates.
    pub fn decode<'a>(&self, input: &'a [u8]) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
        self.decode_frame(input)
            .map_err(|e| clauses::finish(e, self))
    }

    #[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
    fn decode_frame<'a>(
        &self,
        input: &'a [u8],
    ) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
        // The limits negotiated on the connection that the first byte alone breaks.
        if let Some(&first) = input.first() {
            self.check_first_byte(first)?;
        }
        let frame = match frame::read::<Lengths>(input, self.max_packet_size)? {
            Ok(frame) => frame,
            Err(needed) => return Ok(Status::Partial(needed)),
        };
        let mut r = frame.reader(input, self.reject_disallowed_code_points);
        macro_rules! arm {
            ($decoded:expr, $variant:expr) => {
                frame::finish_body!($decoded, $variant, r, frame, input)
            };
        }
        use PacketType as T;
        match frame.packet_type {
            T::Connect => arm!(Connect::decode(&mut r, self), Packet::Connect),
            T::Connack => arm!(Connack::decode(&mut r, self), Packet::Connack),
            T::Publish => arm!(
                Publish::decode(&mut r, frame.first & 0x0F, self),
                Packet::Publish
            ),
            T::Puback => arm!(Ack::decode(&mut r, T::Puback, self), Packet::Puback),
            T::Pubrec => arm!(Ack::decode(&mut r, T::Pubrec, self), Packet::Pubrec),
            T::Pubrel => arm!(Ack::decode(&mut r, T::Pubrel, self), Packet::Pubrel),
            T::Pubcomp => arm!(Ack::decode(&mut r, T::Pubcomp, self), Packet::Pubcomp),
            T::Subscribe => arm!(Subscribe::decode(&mut r, self), Packet::Subscribe),
            T::Suback => arm!(ListAck::decode(&mut r, T::Suback, self), Packet::Suback),
            T::Unsubscribe => arm!(Unsubscribe::decode(&mut r, self), Packet::Unsubscribe),
            T::Unsuback => arm!(ListAck::decode(&mut r, T::Unsuback, self), Packet::Unsuback),
            T::Pingreq => arm!(r.finish(), |()| Packet::Pingreq),
            T::Pingresp => arm!(r.finish(), |()| Packet::Pingresp),
            T::Disconnect => arm!(
                Notice::decode(&mut r, T::Disconnect, self),
                Packet::Disconnect
            ),
            T::Auth => arm!(Notice::decode(&mut r, T::Auth, self), Packet::Auth),
        }
    }

    /// The context rules the first byte alone breaks, once its own format is right: AUTH
    /// without an Authentication Method in the CONNECT (`MQTT-4.12.0-6`, `-7`), a PUBLISH QoS
    /// above the server's Maximum QoS or RETAIN without Retain Available (`MQTT-3.2.2-11`,
    /// `-14`).
    fn check_first_byte(&self, first: u8) -> Result<(), DecodeError> {
        let kind = match frame::check_first_byte(first, true) {
            Ok(PacketType::Auth) if !self.authentication_method => DecodeErrorKind::UnexpectedAuth,
            Ok(PacketType::Publish) => {
                let qos = QoS::from_u8((first >> 1) & 0x03).unwrap_or(QoS::AtMostOnce);
                if qos > self.maximum_qos {
                    DecodeErrorKind::QoSNotSupported
                } else if first & 0x01 != 0 && !self.retain_available {
                    DecodeErrorKind::RetainNotSupported
                } else {
                    return Ok(());
                }
            }
            _ => return Ok(()),
        };
        Err(DecodeError::new(kind, 0, PacketType::from_u8(first >> 4)))
    }

    /// The error, if any, for a property `packet` carries that this side must not be sent
    /// (the context rules of DECISIONS.md section 6).
    pub(crate) fn property_refusal(
        &self,
        packet: PacketType,
        id: PropertyId,
    ) -> Option<DecodeErrorKind> {
        use PacketType as P;
        use PropertyId as I;
        let client = self.receiver == Some(Role::Client);
        let server = self.receiver == Some(Role::Server);
        let not_expected = Some(DecodeErrorKind::PropertyNotExpected(Field::Property(
            id as u8,
        )));
        match (packet, id) {
            (P::Subscribe, I::SubscriptionIdentifier)
                if !self.subscription_identifiers_available =>
            {
                Some(DecodeErrorKind::SubscriptionIdentifiersNotSupported)
            }
            (P::Publish, I::SubscriptionIdentifier) if server => not_expected,
            (P::Disconnect, I::SessionExpiryInterval) if client => not_expected,
            (P::Connack, I::ResponseInformation)
                if client && !self.request_response_information =>
            {
                not_expected
            }
            (P::Connack, I::AuthenticationMethod) if client && !self.authentication_method => {
                not_expected
            }
            (P::Publish | P::Connack | P::Disconnect, _) => None,
            (_, I::ReasonString | I::UserProperty)
                if client && !self.request_problem_information =>
            {
                not_expected
            }
            _ => None,
        }
    }

    /// Payload Format Indicator 1: the payload must be UTF-8, when asked (section 3.3.2.3.2).
    pub(crate) fn check_payload(
        &self,
        r: &Reader<'_>,
        properties: &Properties<'_>,
        payload: &[u8],
        payload_start: usize,
    ) -> Result<(), DecodeError> {
        if self.check_payload_utf8 && properties.payload_format_indicator() == Some(1) {
            if let Err(e) = core::str::from_utf8(payload) {
                // A sequence cut off by the end of the bytes present may still complete.
                if e.error_len().is_none() && !r.is_whole() {
                    return Ok(());
                }
                return Err(r.error_at(
                    DecodeErrorKind::PayloadNotUtf8,
                    payload_start.saturating_add(e.valid_up_to()),
                ));
            }
        }
        Ok(())
    }
}

protocol::version_api!();

/// Decodes the packet at the start of `input` with [`Decoder::new`].
#[inline]
pub fn decode(input: &[u8]) -> Result<Status<(Packet<'_>, usize)>, DecodeError> {
    Decoder::new().decode(input)
}

/// MQTT 5.0's Remaining Length rules for [`frame::read`].
struct Lengths;

impl frame::Lengths for Lengths {
    const HAS_AUTH: bool = true;

    fn bounds(packet_type: PacketType, first: u8) -> (usize, usize) {
        use PacketType as T;
        let max = MAX_REMAINING_LENGTH;
        match packet_type {
            // Protocol name (6), version (1), flags (1), keep alive (2), property length (1),
            // client id prefix (2).
            T::Connect => (13, max),
            // Flags, reason code, property length.
            T::Connack => (3, max),
            // A topic length (2) and the property length (1), and a packet id above QoS 0.
            T::Publish if first & 0x06 == 0 => (3, max),
            T::Publish => (5, max),
            // A packet identifier; the rest may be left out (section 3.4.2.1 and siblings).
            T::Puback | T::Pubrec | T::Pubrel | T::Pubcomp => (2, max),
            // A packet identifier and a property length; an empty list is reported after them.
            T::Subscribe | T::Suback | T::Unsubscribe | T::Unsuback => (3, max),
            T::Pingreq | T::Pingresp => (0, 0),
            T::Disconnect | T::Auth => (0, max),
        }
    }

    /// AUTH with a reason code and no property length: refused (DECISIONS.md section 3).
    fn refused(packet_type: PacketType, remaining: usize) -> bool {
        packet_type == PacketType::Auth && remaining == 1
    }
}

#[cfg(test)]
mod tests {
    //! Each `Decoder` option refuses what it should with the reason code the standard gives
    //! it (DECISIONS.md sections 5 and 6); the default decoder refuses none of it. Bytes and
    //! offsets written by hand.

    use super::*;
    use crate::v5::test_support::refused_by as refused;
    use DecodeErrorKind as K;

    fn accepted(d: Decoder, wire: &[u8]) -> bool {
        matches!(d.decode(wire), Ok(Status::Complete((_, n))) if n == wire.len())
    }

    /// PUBLISH QoS 0, empty topic, Topic Alias `n`.
    fn alias(n: u8) -> [u8; 8] {
        [0x30, 6, 0, 0, 3, 0x23, 0, n]
    }

    /// CONNECT with a will on topic "t" and these Connect Flags (the byte at offset 9).
    fn connect_with_will(flags: u8) -> [u8; 21] {
        [
            0x10, 19, 0, 4, b'M', b'Q', b'T', b'T', 5, flags, 0, 0, 0, 0, 0, 0, 0, 1, b't', 0, 0,
        ]
    }

    const SUBSCRIBE_HASH: [u8; 11] = [0x82, 9, 0, 1, 0, 0, 3, b'a', b'/', b'#', 0];
    const SUBSCRIBE_SHARED: [u8; 18] = [
        0x82, 16, 0, 1, 0, 0, 10, b'$', b's', b'h', b'a', b'r', b'e', b'/', b'g', b'/', b't', 0,
    ];
    const SUBSCRIBE_IDENTIFIED: [u8; 11] = [0x82, 9, 0, 1, 2, 0x0B, 1, 0, 1, b't', 0];
    /// PUBLISH with Payload Format Indicator 1 and the payload FF, not UTF-8.
    const PUBLISH_NOT_UTF8: [u8; 9] = [0x30, 7, 0, 1, b't', 2, 0x01, 1, 0xFF];

    #[test]
    fn maximum_packet_size_is_refused_at_the_remaining_length_with_0x95() {
        let publish = [0x30, 5, 0, 1, b't', 0, b'x'];
        assert!(accepted(Decoder::new().max_packet_size(7), &publish));
        assert_eq!(
            refused(Decoder::new().max_packet_size(6), &publish),
            (K::PacketTooLarge, 1, 0x95)
        );
    }

    #[test]
    fn topic_alias_maximum_is_refused_at_the_value_with_0x94() {
        assert!(accepted(Decoder::new().topic_alias_maximum(5), &alias(5)));
        assert_eq!(
            refused(Decoder::new().topic_alias_maximum(5), &alias(6)),
            (K::TopicAliasOutOfRange, 6, 0x94)
        );
        // A maximum of 0: no alias at all (MQTT-3.1.2-27, MQTT-3.2.2-18).
        assert_eq!(
            refused(Decoder::new().topic_alias_maximum(0), &alias(1)),
            (K::TopicAliasOutOfRange, 6, 0x94)
        );
    }

    #[test]
    fn maximum_qos_is_refused_with_0x9b() {
        let d = Decoder::new().maximum_qos(QoS::AtLeastOnce);
        assert!(accepted(d, &[0x32, 6, 0, 1, b't', 0, 1, 0]));
        // PUBLISH QoS 2 (MQTT-3.2.2-11) at its first byte.
        assert_eq!(
            refused(d, &[0x34, 6, 0, 1, b't', 0, 1, 0]),
            (K::QoSNotSupported, 0, 0x9B)
        );
        // Will QoS 2 (MQTT-3.2.2-12): flags 0001 0110, at the Connect Flags.
        assert!(accepted(d, &connect_with_will(0x0E)));
        assert_eq!(
            refused(d, &connect_with_will(0x16)),
            (K::QoSNotSupported, 9, 0x9B)
        );
        // Maximum QoS 0 refuses QoS 1.
        assert_eq!(
            refused(
                Decoder::new().maximum_qos(QoS::AtMostOnce),
                &[0x32, 6, 0, 1, b't', 0, 1, 0]
            ),
            (K::QoSNotSupported, 0, 0x9B)
        );
    }

    #[test]
    fn retain_available_false_is_refused_with_0x9a() {
        let d = Decoder::new().retain_available(false);
        assert!(accepted(d, &[0x30, 4, 0, 1, b't', 0]));
        // RETAIN (MQTT-3.2.2-14) at the first byte; Will Retain (MQTT-3.2.2-13) at the flags.
        assert_eq!(
            refused(d, &[0x31, 4, 0, 1, b't', 0]),
            (K::RetainNotSupported, 0, 0x9A)
        );
        assert_eq!(
            refused(d, &connect_with_will(0x26)),
            (K::RetainNotSupported, 9, 0x9A)
        );
    }

    #[test]
    fn unavailable_subscription_features_are_refused_with_their_codes() {
        // Wildcards (section 3.2.2.3.11): 0xA2 at the `#`.
        let d = Decoder::new().wildcard_subscription_available(false);
        assert_eq!(
            refused(d, &SUBSCRIBE_HASH),
            (K::WildcardSubscriptionsNotSupported, 9, 0xA2)
        );
        assert!(accepted(d, &SUBSCRIBE_IDENTIFIED));
        // Shared subscriptions (section 3.2.2.3.13): 0x9E at the filter's first byte.
        let d = Decoder::new().shared_subscription_available(false);
        assert_eq!(
            refused(d, &SUBSCRIBE_SHARED),
            (K::SharedSubscriptionsNotSupported, 7, 0x9E)
        );
        assert!(accepted(d, &SUBSCRIBE_HASH));
        // Subscription Identifiers (section 3.2.2.3.12): 0xA1 at the identifier.
        let d = Decoder::new().subscription_identifiers_available(false);
        assert_eq!(
            refused(d, &SUBSCRIBE_IDENTIFIED),
            (K::SubscriptionIdentifiersNotSupported, 5, 0xA1)
        );
        assert!(accepted(d, &SUBSCRIBE_SHARED));
    }

    #[test]
    fn a_payload_marked_utf8_is_checked_only_when_asked_with_0x99() {
        assert!(accepted(Decoder::new(), &PUBLISH_NOT_UTF8));
        assert_eq!(
            refused(Decoder::new().check_payload_utf8(true), &PUBLISH_NOT_UTF8),
            (K::PayloadNotUtf8, 8, 0x99)
        );
        // Payload Format Indicator 0: bytes, not checked.
        let unspecified = [0x30, 7, 0, 1, b't', 2, 0x01, 0, 0xFF];
        assert!(accepted(
            Decoder::new().check_payload_utf8(true),
            &unspecified
        ));
    }

    #[test]
    fn what_one_side_must_not_be_sent_is_refused_with_0x82() {
        let server = Decoder::new().receiver(Role::Server);
        let client = Decoder::new().receiver(Role::Client);
        // A Subscription Identifier in PUBLISH, to a server (MQTT-3.3.4-6).
        let identified = [0x30, 6, 0, 1, b't', 2, 0x0B, 1];
        assert!(accepted(client, &identified));
        assert_eq!(
            refused(server, &identified),
            (K::PropertyNotExpected(Field::Property(0x0B)), 6, 0x82)
        );
        // Session Expiry Interval in DISCONNECT, to a client (MQTT-3.14.2-2).
        let expiry = [0xE0, 7, 0x00, 5, 0x11, 0, 0, 0, 1];
        assert!(accepted(server, &expiry));
        assert_eq!(
            refused(client, &expiry),
            (K::PropertyNotExpected(Field::Property(0x11)), 4, 0x82)
        );
        // A Reason String in PUBACK to a client that asked for no problem information
        // (MQTT-3.1.2-29).
        let reason = [0x40, 8, 0, 1, 0x00, 4, 0x1F, 0, 1, b'r'];
        assert!(accepted(client, &reason));
        assert_eq!(
            refused(client.request_problem_information(false), &reason),
            (K::PropertyNotExpected(Field::Property(0x1F)), 6, 0x82)
        );
        // Response Information in CONNACK to a client that did not ask (MQTT-3.1.2-28).
        let info = [0x20, 6, 0, 0, 3, 0x1A, 0, 0];
        assert!(accepted(client, &info));
        assert_eq!(
            refused(client.request_response_information(false), &info),
            (K::PropertyNotExpected(Field::Property(0x1A)), 5, 0x82)
        );
        // AUTH on a connection whose CONNECT had no Authentication Method (MQTT-4.12.0-6).
        assert!(accepted(Decoder::new(), &[0xF0, 0]));
        assert_eq!(
            refused(Decoder::new().authentication_method(false), &[0xF0, 0]),
            (K::UnexpectedAuth, 0, 0x82)
        );
    }

    #[test]
    fn control_characters_are_refused_only_when_asked() {
        // U+0001 in a topic (section 1.5.4 lets a receiver refuse it).
        let wire = [0x30, 4, 0, 1, 0x01, 0];
        assert!(accepted(Decoder::new(), &wire));
        assert_eq!(
            refused(Decoder::new().reject_control_characters(true), &wire),
            (K::DisallowedCodePoint(Field::TopicName), 4, 0x81)
        );
    }

    #[test]
    fn the_default_decoder_negotiates_nothing() {
        assert_eq!(Decoder::default(), Decoder::new());
        for wire in [
            &alias(0xFF)[..],
            &[0x35, 6, 0, 1, b't', 0, 1, 0],
            &connect_with_will(0x36),
            &SUBSCRIBE_HASH,
            &SUBSCRIBE_SHARED,
            &SUBSCRIBE_IDENTIFIED,
            &PUBLISH_NOT_UTF8,
        ] {
            assert!(accepted(Decoder::new(), wire), "{wire:02x?}");
        }
    }
}
