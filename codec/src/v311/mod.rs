//! MQTT 3.1.1 (OASIS Standard, 29 October 2014): every control packet, decoded and encoded.
//!
//! [`decode`] reads one packet from the front of a buffer; [`Decoder`] does the same with
//! options (a maximum packet size, refusing control characters). Packets are built with
//! constructors that refuse anything the specification forbids, and encoded with
//! [`Packet::encode`].

use core::fmt;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::frame;
use crate::header::{self, MAX_REMAINING_LENGTH};
use crate::protocol::{self, Encode};
use crate::writer::Sink;
use crate::{PacketType, Status};

mod acks;
#[cfg(feature = "arbitrary")]
mod arbitrary;
mod clauses;
mod connack;
mod connect;
mod fast_path;
mod publish;
#[cfg(feature = "serde")]
mod serde;
mod suback;
mod subscribe;
mod unsubscribe;

/// A 3.1.1 packet that holds its bytes in a `Bytes` (see [`crate::BytesPacket`]).
#[cfg(feature = "bytes")]
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
pub type BytesPacket = crate::BytesPacket<Decoder>;
pub use crate::list::{Iter, List, ListItem};
pub use acks::{Puback, Pubcomp, Pubrec, Pubrel, Unsuback};
pub use clauses::encode_clause;
pub(crate) use clauses::finish as finish_error;
pub use connack::{Connack, ConnectReturnCode};
pub use connect::{Connect, Will};
/// A 3.1.1 packet that owns its bytes (see [`crate::OwnedPacket`]).
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub type OwnedPacket = crate::OwnedPacket<Decoder>;
pub use crate::Delivery;
pub use publish::Publish;
/// A receive buffer that yields 3.1.1 packets (see [`crate::StreamDecoder`]).
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub type StreamDecoder = crate::StreamDecoder<Decoder>;
pub use suback::{Suback, SubackReturnCode};
pub use subscribe::{Subscribe, Subscription};
/// The tokio codec for 3.1.1 (see [`crate::MqttCodec`]).
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub type MqttCodec = crate::MqttCodec<Decoder>;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use crate::CodecError;
pub use unsubscribe::Unsubscribe;

/// Any MQTT 3.1.1 control packet.
///
/// Decoded packets borrow from the input; built packets borrow from the caller. Every value
/// is valid: it encodes without error (given room) and decodes back equal.
///
/// ```
/// use mqtt_wire::v311::{self, Packet};
///
/// // PUBACK 7, then PINGREQ.
/// let mut input: &[u8] = &[0x40, 0x02, 0x00, 0x07, 0xC0, 0x00];
/// let mut seen = Vec::new();
/// while let Some((packet, used)) = v311::decode(input)?.complete() {
///     match packet {
///         Packet::Puback(ack) => seen.push(format!("ack {}", ack.packet_id())),
///         Packet::Pingreq => seen.push("ping".to_string()),
///         other => seen.push(other.to_string()),
///     }
///     input = &input[used..];
/// }
/// assert_eq!(seen, ["ack 7", "ping"]);
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packet<'a> {
    /// CONNECT (section 3.1).
    Connect(Connect<'a>),
    /// CONNACK (section 3.2).
    Connack(Connack),
    /// PUBLISH (section 3.3).
    Publish(Publish<'a>),
    /// PUBACK (section 3.4).
    Puback(Puback),
    /// PUBREC (section 3.5).
    Pubrec(Pubrec),
    /// PUBREL (section 3.6).
    Pubrel(Pubrel),
    /// PUBCOMP (section 3.7).
    Pubcomp(Pubcomp),
    /// SUBSCRIBE (section 3.8).
    Subscribe(Subscribe<'a>),
    /// SUBACK (section 3.9).
    Suback(Suback<'a>),
    /// UNSUBSCRIBE (section 3.10).
    Unsubscribe(Unsubscribe<'a>),
    /// UNSUBACK (section 3.11).
    Unsuback(Unsuback),
    /// PINGREQ (section 3.12).
    Pingreq,
    /// PINGRESP (section 3.13).
    Pingresp,
    /// DISCONNECT (section 3.14).
    Disconnect,
}

macro_rules! packet_from {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        $(impl<'a> From<$ty> for Packet<'a> {
            fn from(packet: $ty) -> Self {
                Packet::$variant(packet)
            }
        })*
    };
}

packet_from!(
    Connect(Connect<'a>),
    Connack(Connack),
    Publish(Publish<'a>),
    Puback(Puback),
    Pubrec(Pubrec),
    Pubrel(Pubrel),
    Pubcomp(Pubcomp),
    Subscribe(Subscribe<'a>),
    Suback(Suback<'a>),
    Unsubscribe(Unsubscribe<'a>),
    Unsuback(Unsuback),
);

impl<'a> Packet<'a> {
    /// The packet's type.
    ///
    /// ```
    /// use mqtt_wire::{v311::Packet, PacketType};
    ///
    /// assert_eq!(Packet::Disconnect.packet_type(), PacketType::Disconnect);
    /// ```
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
            Packet::Disconnect => PacketType::Disconnect,
        }
    }

    /// The Remaining Length: the size of everything after the fixed header.
    ///
    /// ```
    /// use mqtt_wire::v311::{Packet, Puback};
    /// use std::num::NonZeroU16;
    ///
    /// let puback = Packet::Puback(Puback::new(NonZeroU16::new(1).unwrap()));
    /// assert_eq!((puback.remaining_length(), puback.encoded_len()), (2, 4));
    /// ```
    pub fn remaining_length(&self) -> usize {
        match self {
            Packet::Connect(p) => p.remaining_length(),
            Packet::Connack(p) => p.remaining_length(),
            Packet::Publish(p) => p.remaining_length(),
            Packet::Puback(p) => p.remaining_length(),
            Packet::Pubrec(p) => p.remaining_length(),
            Packet::Pubrel(p) => p.remaining_length(),
            Packet::Pubcomp(p) => p.remaining_length(),
            Packet::Subscribe(p) => p.remaining_length(),
            Packet::Suback(p) => p.remaining_length(),
            Packet::Unsubscribe(p) => p.remaining_length(),
            Packet::Unsuback(p) => p.remaining_length(),
            Packet::Pingreq | Packet::Pingresp | Packet::Disconnect => 0,
        }
    }

    /// The exact number of bytes [`encode`](Self::encode) writes. Computed from the field
    /// lengths, without encoding; O(1) except for a SUBSCRIBE, UNSUBSCRIBE or SUBACK built
    /// from a slice, where it adds up the items.
    ///
    /// ```
    /// use mqtt_wire::v311::{Delivery, Packet, Publish};
    /// use mqtt_wire::TopicName;
    ///
    /// // 1 byte of type and flags, 2 of Remaining Length (200 > 127), 2 + 1 of topic, 200 of payload.
    /// let payload = [0u8; 200];
    /// let publish = Publish::new(TopicName::new("t")?, Delivery::AtMostOnce, &payload)?;
    /// assert_eq!(Packet::Publish(publish).encoded_len(), 1 + 2 + 3 + 200);
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn encoded_len(&self) -> usize {
        header::frame_len(self.remaining_length())
    }
}

impl protocol::private::Sealed for Packet<'_> {}

impl Encode for Packet<'_> {
    type Decoder = Decoder;

    #[inline]
    fn encoded_len(&self) -> usize {
        Packet::encoded_len(self)
    }

    /// The one dispatch on the packet type for every encode (`protocol::encode_dispatch`).
    #[inline(always)]
    fn encode_with<S: Sink>(
        &self,
        sink_for: impl FnOnce(usize) -> Result<S, EncodeError>,
    ) -> Result<usize, EncodeError> {
        protocol::encode_dispatch!(
            self,
            sink_for,
            with_body: [
                Connect = 0x10, Connack = 0x20, Puback = 0x40, Pubrec = 0x50, Pubrel = 0x62,
                Pubcomp = 0x70, Subscribe = 0x82, Suback = 0x90, Unsubscribe = 0xA2,
                Unsuback = 0xB0,
            ],
            bare: [Pingreq = 0xC0, Pingresp = 0xD0, Disconnect = 0xE0],
        )
    }
}

protocol::version_api!();

/// One line per packet, for logs. User names and passwords are printed as `***`, payloads
/// and will messages by their length only; strings are quoted and escaped, so a peer's
/// text cannot break the line.
impl fmt::Display for Packet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Packet::Connect(p) => p.fmt(f),
            Packet::Connack(p) => p.fmt(f),
            Packet::Publish(p) => p.fmt(f),
            Packet::Puback(p) => p.fmt(f),
            Packet::Pubrec(p) => p.fmt(f),
            Packet::Pubrel(p) => p.fmt(f),
            Packet::Pubcomp(p) => p.fmt(f),
            Packet::Subscribe(p) => p.fmt(f),
            Packet::Suback(p) => p.fmt(f),
            Packet::Unsubscribe(p) => p.fmt(f),
            Packet::Unsuback(p) => p.fmt(f),
            Packet::Pingreq => f.write_str("PINGREQ"),
            Packet::Pingresp => f.write_str("PINGRESP"),
            Packet::Disconnect => f.write_str("DISCONNECT"),
        }
    }
}

/// A packet decoder with options. [`Decoder::new`] (and [`decode`]) are strict: every format
/// rule of MQTT 3.1.1 is checked, and nothing is allowed that would not re-encode to the
/// same bytes.
///
/// ```
/// use mqtt_wire::v311::{Decoder, Packet};
/// use mqtt_wire::DecodeErrorKind;
///
/// let decoder = Decoder::new().max_packet_size(1024).reject_control_characters(true);
/// assert_eq!(decoder.decode(&[0xC0, 0x00])?.complete(), Some((Packet::Pingreq, 2)));
/// // A PUBLISH declaring 2,000 bytes (0xD0 0x0F) is refused from its header.
/// let err = decoder.decode(&[0x30, 0xD0, 0x0F]).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::PacketTooLarge);
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decoder {
    max_packet_size: usize,
    reject_disallowed_code_points: bool,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    /// The largest packet MQTT 3.1.1 can express: a 5-byte fixed header and a Remaining
    /// Length of 268,435,455.
    ///
    /// ```
    /// assert_eq!(mqtt_wire::v311::Decoder::MAX_PACKET_SIZE, 268_435_460);
    /// ```
    pub const MAX_PACKET_SIZE: usize = 1 + 4 + MAX_REMAINING_LENGTH;

    /// The strict decoder: no size limit beyond the protocol's own, control characters
    /// allowed.
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, Packet};
    ///
    /// // A topic with U+0001 is accepted, and a header declaring the largest Remaining
    /// // Length is only partial: no limit of its own, control characters allowed.
    /// let publish = [0x30, 0x04, 0x00, 0x02, b'a', 0x01];
    /// assert!(matches!(Decoder::new().decode(&publish)?.complete(), Some((Packet::Publish(_), 6))));
    /// assert!(Decoder::new().decode(&[0x30, 0xFF, 0xFF, 0xFF, 0x7F])?.is_partial());
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub const fn new() -> Self {
        Decoder {
            max_packet_size: Self::MAX_PACKET_SIZE,
            reject_disallowed_code_points: false,
        }
    }

    /// Refuses packets larger than `bytes` in all (fixed header included, as MQTT 5.0's
    /// Maximum Packet Size counts them) with [`DecodeErrorKind::PacketTooLarge`], as soon as
    /// the fixed header is read and before any of the body has arrived.
    ///
    /// ```
    /// use mqtt_wire::v311::Decoder;
    /// use mqtt_wire::DecodeErrorKind;
    ///
    /// let decoder = Decoder::new().max_packet_size(100);
    /// assert!(decoder.decode(&[0x30, 98])?.is_partial()); // 2 + 98 = 100 bytes: allowed
    /// let err = decoder.decode(&[0x30, 99]).unwrap_err(); // 101 bytes
    /// assert_eq!((err.kind(), err.offset()), (DecodeErrorKind::PacketTooLarge, 1));
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub const fn max_packet_size(self, bytes: usize) -> Self {
        Decoder {
            max_packet_size: bytes,
            ..self
        }
    }

    /// Refuses strings that contain a control character (U+0001-U+001F, U+007F-U+009F) or a
    /// non-character with [`DecodeErrorKind::DisallowedCodePoint`]. Section 1.5.3 says a
    /// sender should not send them and a receiver may refuse them; by default they are
    /// accepted, as the specification does not call them malformed.
    ///
    /// ```
    /// use mqtt_wire::v311::Decoder;
    /// use mqtt_wire::{DecodeErrorKind, Field};
    ///
    /// // PUBLISH to "a" followed by U+0001.
    /// let bytes = [0x30, 0x04, 0x00, 0x02, b'a', 0x01];
    /// assert!(Decoder::new().decode(&bytes).is_ok());
    /// let err = Decoder::new().reject_control_characters(true).decode(&bytes).unwrap_err();
    /// assert_eq!(err.kind(), DecodeErrorKind::DisallowedCodePoint(Field::TopicName));
    /// ```
    pub const fn reject_control_characters(self, reject: bool) -> Self {
        Decoder {
            reject_disallowed_code_points: reject,
            ..self
        }
    }

    /// Decodes the packet at the start of `input`.
    ///
    /// - `Ok(Status::Complete((packet, used)))`: a packet, and the number of bytes it took
    ///   from the front of `input`; the rest belongs to the next packet.
    /// - `Ok(Status::Partial(needed))`: the bytes present are a valid start of a packet, and
    ///   `input` ends before the packet does.
    /// - `Err(error)`: the bytes can never become a valid packet. A bad first byte, an
    ///   over-long or padded Remaining Length, or a packet over the size limit is reported
    ///   as soon as its bytes are present.
    ///
    /// The packet borrows from `input`. Decoding never allocates.
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, Packet};
    /// use mqtt_wire::{DecodeErrorKind, Status};
    ///
    /// let decoder = Decoder::new();
    /// // A whole PUBLISH to "t" with payload "x", and the first byte of the next packet.
    /// let input = [0x30, 0x04, 0x00, 0x01, b't', b'x', 0x30];
    /// let Status::Complete((Packet::Publish(publish), used)) = decoder.decode(&input)? else {
    ///     unreachable!()
    /// };
    /// assert_eq!((publish.topic().as_str(), publish.payload(), used), ("t", &b"x"[..], 6));
    /// assert!(decoder.decode(&input[used..])?.is_partial());
    /// // Flags 0011 on a PUBACK can never be valid: an error, not "need more".
    /// assert_eq!(decoder.decode(&[0x43]).unwrap_err().kind(), DecodeErrorKind::InvalidFlags);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    #[inline]
    pub fn decode<'a>(&self, input: &'a [u8]) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
        match fast_path::decode(
            input,
            self.max_packet_size,
            self.reject_disallowed_code_points,
        ) {
            Some(complete) => {
                // With debug assertions on (every test, and the fuzz targets), each packet
                // the fast path takes is checked against the general path.
                debug_assert_eq!(
                    self.decode_general(input),
                    Ok(Status::Complete(complete)),
                    "the fast path took {input:02x?} differently"
                );
                Ok(Status::Complete(complete))
            }
            None => self.decode_general(input),
        }
    }

    /// [`decode`](Self::decode) for every input: each rule checked in turn, each error named
    /// with its 3.1.1 clause.
    #[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
    #[inline(never)]
    fn decode_general<'a>(
        &self,
        input: &'a [u8],
    ) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
        self.decode_frame(input).map_err(clauses::finish)
    }

    #[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
    #[inline(always)]
    fn decode_frame<'a>(
        &self,
        input: &'a [u8],
    ) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
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
        match frame.packet_type {
            PacketType::Connect => arm!(Connect::decode(&mut r), Packet::Connect),
            PacketType::Connack => arm!(Connack::decode(&mut r), Packet::Connack),
            PacketType::Publish => {
                arm!(Publish::decode(&mut r, frame.first & 0x0F), Packet::Publish)
            }
            PacketType::Puback => arm!(Puback::decode(&mut r), Packet::Puback),
            PacketType::Pubrec => arm!(Pubrec::decode(&mut r), Packet::Pubrec),
            PacketType::Pubrel => arm!(Pubrel::decode(&mut r), Packet::Pubrel),
            PacketType::Pubcomp => arm!(Pubcomp::decode(&mut r), Packet::Pubcomp),
            PacketType::Subscribe => arm!(Subscribe::decode(&mut r), Packet::Subscribe),
            PacketType::Suback => arm!(Suback::decode(&mut r), Packet::Suback),
            PacketType::Unsubscribe => arm!(Unsubscribe::decode(&mut r), Packet::Unsubscribe),
            PacketType::Unsuback => arm!(Unsuback::decode(&mut r), Packet::Unsuback),
            // Sections 3.12-3.14: no variable header, no payload (the Remaining Length is
            // already known to be 0).
            PacketType::Pingreq => arm!(r.finish(), |()| Packet::Pingreq),
            PacketType::Pingresp => arm!(r.finish(), |()| Packet::Pingresp),
            PacketType::Disconnect => arm!(r.finish(), |()| Packet::Disconnect),
            // `frame::read` refuses type 15 for 3.1.1 (`HAS_AUTH` is false).
            PacketType::Auth => Err(DecodeError::new(
                DecodeErrorKind::InvalidPacketType,
                0,
                None,
            )),
        }
    }
}

/// Decodes the packet at the start of `input` with the strict default [`Decoder`].
///
/// See [`Decoder::decode`] for what each result means.
///
/// ```
/// use mqtt_wire::v311::{self, Packet};
///
/// assert_eq!(v311::decode(&[0xE0, 0x00])?.complete(), Some((Packet::Disconnect, 2)));
/// assert!(v311::decode(&[0xE0])?.is_partial());
/// assert!(v311::decode(&[0xE0, 0x01]).is_err()); // a DISCONNECT has no body
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
#[inline]
pub fn decode(input: &[u8]) -> Result<Status<(Packet<'_>, usize)>, DecodeError> {
    Decoder::new().decode(input)
}

/// The largest CONNECT: the fixed part of its variable header (10 bytes) and five
/// length-prefixed fields of at most 65,535 bytes each.
const MAX_CONNECT_REMAINING_LENGTH: usize = 10 + 5 * (2 + 65_535);

/// The smallest and largest Remaining Length a packet of this type can have, from the fields
/// it must hold (sections 3.1-3.14). Anything outside can never become a valid packet, so it
/// is an error as soon as the Remaining Length is read: a peer cannot make the receiver wait
/// for (and buffer) a body that can only be refused. The error depends on the header alone,
/// so it is the same however the bytes arrive.
/// MQTT 3.1.1's Remaining Length rules for [`frame::read`].
struct Lengths;

impl frame::Lengths for Lengths {
    const HAS_AUTH: bool = false;

    fn bounds(packet_type: PacketType, first: u8) -> (usize, usize) {
        match packet_type {
            // Protocol name "MQTT" (6), level (1), flags (1), keep alive (2), client id prefix (2).
            PacketType::Connect => (12, MAX_CONNECT_REMAINING_LENGTH),
            // Packet identifier, or flags and return code: exactly 2.
            PacketType::Connack
            | PacketType::Puback
            | PacketType::Pubrec
            | PacketType::Pubrel
            | PacketType::Pubcomp
            | PacketType::Unsuback => (2, 2),
            // A topic of at least one byte (3), and a packet identifier above QoS 0 (2).
            PacketType::Publish if first & 0x06 == 0 => (3, MAX_REMAINING_LENGTH),
            PacketType::Publish => (5, MAX_REMAINING_LENGTH),
            // Packet identifier (2) and one filter of at least one byte (3) with its QoS (1).
            PacketType::Subscribe => (6, MAX_REMAINING_LENGTH),
            // Packet identifier (2) and one return code (1).
            PacketType::Suback => (3, MAX_REMAINING_LENGTH),
            // Packet identifier (2) and one filter of at least one byte (3).
            PacketType::Unsubscribe => (5, MAX_REMAINING_LENGTH),
            PacketType::Pingreq | PacketType::Pingresp | PacketType::Disconnect => (0, 0),
            // Not a 3.1.1 packet: `frame::check_first_byte` has refused it already.
            PacketType::Auth => (0, 0),
        }
    }

    /// A Remaining Length of exactly 2 after a SUBSCRIBE, UNSUBSCRIBE or SUBACK leaves the
    /// list after the packet identifier empty: that specific rule is reported by the body's
    /// decoder, after the packet identifier, which comes first in the packet.
    fn reported_by_body(packet_type: PacketType, remaining: usize) -> bool {
        remaining == 2
            && matches!(
                packet_type,
                PacketType::Subscribe | PacketType::Unsubscribe | PacketType::Suback
            )
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the unit tests beside each packet.
    use super::*;

    /// Decodes `bytes`, which must be exactly one valid packet.
    pub(crate) fn decode_ok(bytes: &[u8]) -> Packet<'_> {
        match decode(bytes) {
            Ok(Status::Complete((packet, used))) => {
                assert_eq!(used, bytes.len(), "the packet must use every byte");
                packet
            }
            other => panic!("expected a packet from {bytes:02x?}, got {other:?}"),
        }
    }

    /// Decodes `bytes`, which must be a complete but invalid packet.
    pub(crate) fn decode_err(bytes: &[u8]) -> DecodeError {
        match decode(bytes) {
            Err(error) => error,
            other => panic!("expected an error from {bytes:02x?}, got {other:?}"),
        }
    }

    /// Encodes `packet` through every output and checks they agree with `encoded_len`.
    /// (Without `alloc`, only the slice: the unit tests also run with no features.)
    pub(crate) fn encode(packet: &Packet<'_>) -> std::vec::Vec<u8> {
        let mut out = std::vec![0u8; packet.encoded_len()];
        assert_eq!(packet.encode(&mut out), Ok(out.len()));
        #[cfg(feature = "alloc")]
        {
            let mut appended = std::vec::Vec::new();
            assert_eq!(packet.encode_to_vec(&mut appended), out.len());
            assert_eq!(appended, out);
        }
        #[cfg(feature = "bytes")]
        {
            let mut buf = ::bytes::BytesMut::new();
            assert_eq!(packet.encode_to_buf(&mut buf), Ok(out.len()));
            assert_eq!(&buf[..], &out[..]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{decode_err, decode_ok, encode};
    use super::*;
    use crate::{Clause, Needed};
    use core::num::NonZeroUsize;

    #[test]
    fn decodes_the_packets_without_a_body() {
        for (bytes, packet) in [
            ([0xC0, 0x00], Packet::Pingreq),
            ([0xD0, 0x00], Packet::Pingresp),
            ([0xE0, 0x00], Packet::Disconnect),
        ] {
            assert_eq!(decode_ok(&bytes), packet);
            assert_eq!(encode(&packet), bytes);
        }
    }

    #[test]
    fn rejects_a_body_on_the_packets_without_one() {
        let e = decode_err(&[0xC0, 0x01, 0x00]);
        assert_eq!(
            (e.kind(), e.offset()),
            (DecodeErrorKind::InvalidRemainingLength, 1)
        );
        assert_eq!(e.clause(), Clause::Section("2.2.3"));
    }

    #[test]
    fn refuses_impossible_remaining_lengths_before_the_body() {
        let cases: &[&[u8]] = &[
            &[0xC0, 0x05],                   // PINGREQ declaring 5 bytes
            &[0xE0, 0xFF, 0xFF, 0xFF, 0x7F], // DISCONNECT declaring 256 MiB
            &[0xC0, 0x80], // PINGREQ whose length is at least 128, not yet complete
            &[0x20, 0x03], // CONNACK declaring 3
            &[0x30, 0x01], // PUBLISH too short for a topic
            &[0x10, 0x05], // CONNECT too short for its fixed fields
            &[0x10, 0xFF, 0xFF, 0x7F], // CONNECT longer than five 65,535-byte fields
        ];
        for bytes in cases {
            let e = decode(bytes).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (DecodeErrorKind::InvalidRemainingLength, 1),
                "{bytes:02x?}"
            );
        }
        // A length of exactly 2 after a SUBSCRIBE, UNSUBSCRIBE or SUBACK leaves the list empty,
        // reported after the packet identifier (which comes first, and may itself be wrong).
        assert!(decode(&[0x82, 0x02, 0x00]).unwrap().is_partial());
        let e = decode(&[0x82, 0x02, 0x00, 0x01]).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset(), e.clause()),
            (
                DecodeErrorKind::NoTopicFilters,
                4,
                Clause::Id("MQTT-3.8.3-3")
            )
        );
        assert_eq!(
            decode(&[0x82, 0x02, 0x00, 0x00]).unwrap_err().kind(),
            DecodeErrorKind::ZeroPacketId
        );
        let e = decode(&[0xA2, 0x02, 0x00, 0x01]).unwrap_err();
        assert_eq!(
            (e.kind(), e.clause()),
            (DecodeErrorKind::NoTopicFilters, Clause::Id("MQTT-3.10.3-2"))
        );
        assert_eq!(
            decode(&[0x90, 0x02, 0x00, 0x01]).unwrap_err().kind(),
            DecodeErrorKind::NoReturnCodes
        );
        // The largest CONNECT (327,695 = 0x8F 0x80 0x14) is still only partial; one more is not.
        assert!(decode(&[0x10, 0x8F, 0x80, 0x14]).unwrap().is_partial());
        assert_eq!(
            decode(&[0x10, 0x90, 0x80, 0x14]).unwrap_err().kind(),
            DecodeErrorKind::InvalidRemainingLength
        );
    }

    #[test]
    fn applies_the_size_limit_to_an_incomplete_remaining_length() {
        let decoder = Decoder::new().max_packet_size(1000);
        // Three continuation bytes: at least 2,097,152.
        assert_eq!(
            decoder
                .decode(&[0x30, 0x80, 0x80, 0x80])
                .unwrap_err()
                .kind(),
            DecodeErrorKind::PacketTooLarge
        );
        // One continuation byte: at least 128 + 3 header bytes, within 1000.
        assert!(decoder.decode(&[0x30, 0x80]).unwrap().is_partial());
        let small = Decoder::new().max_packet_size(100);
        assert_eq!(
            small.decode(&[0x30, 0x80]).unwrap_err().kind(),
            DecodeErrorKind::PacketTooLarge
        );
    }

    #[test]
    fn rejects_reserved_packet_types_at_once() {
        for byte in [0x00, 0x0F, 0xF0, 0xFF] {
            let e = decode(&[byte]).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset(), e.packet_type()),
                (DecodeErrorKind::InvalidPacketType, 0, None)
            );
            assert_eq!(e.clause(), Clause::Section("2.2.1"));
        }
    }

    #[test]
    fn rejects_disconnect_flags() {
        let e = decode(&[0xE1]).unwrap_err();
        assert_eq!(e.clause(), Clause::Id("MQTT-3.14.1-1"));
    }

    #[test]
    fn reports_partial_input_exactly() {
        assert_eq!(decode(&[]), Ok(Status::Partial(Needed::Unknown)));
        assert_eq!(decode(&[0x30]), Ok(Status::Partial(Needed::Unknown)));
        assert_eq!(decode(&[0x30, 0x80]), Ok(Status::Partial(Needed::Unknown)));
        // PUBLISH with remaining length 128: 128 body bytes missing.
        let expect = |n| {
            Ok(Status::Partial(Needed::Exactly(
                NonZeroUsize::new(n).unwrap(),
            )))
        };
        assert_eq!(decode(&[0x30, 0x80, 0x01]), expect(128));
        assert_eq!(decode(&[0x30, 0x80, 0x01, 0x00, 0x01]), expect(126));
    }

    #[test]
    fn rejects_a_bad_remaining_length_as_soon_as_it_is_present() {
        let e = decode(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF]).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (DecodeErrorKind::RemainingLengthTooLong, 4)
        );
        let e = decode(&[0x30, 0x82, 0x00]).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (DecodeErrorKind::NonMinimalRemainingLength, 2)
        );
        assert_eq!(e.clause(), Clause::Section("2.2.3"));
    }

    #[test]
    fn refuses_a_packet_over_the_limit_before_its_body() {
        let decoder = Decoder::new().max_packet_size(100);
        // Remaining length 98 + 2 header bytes = 100: allowed, so partial.
        assert!(decoder.decode(&[0x30, 98]).unwrap().is_partial());
        // Remaining length 99: 101 bytes, refused with no body present.
        let e = decoder.decode(&[0x30, 99]).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (DecodeErrorKind::PacketTooLarge, 1));
    }

    #[test]
    fn decodes_one_packet_at_a_time_from_a_stream() {
        let stream = [0xC0, 0x00, 0x40, 0x02, 0x00, 0x01, 0xD0];
        let (first, used) = decode(&stream).unwrap().complete().unwrap();
        assert_eq!((first, used), (Packet::Pingreq, 2));
        let (second, used2) = decode(&stream[used..]).unwrap().complete().unwrap();
        assert_eq!(second.packet_type(), PacketType::Puback);
        assert_eq!(
            decode(&stream[used + used2..]),
            Ok(Status::Partial(Needed::Unknown))
        );
    }

    #[test]
    fn control_characters_are_refused_only_on_request() {
        // PUBLISH to "a\x01".
        let bytes = [0x30, 0x04, 0x00, 0x02, b'a', 0x01];
        assert!(decode(&bytes).is_ok());
        let e = Decoder::new()
            .reject_control_characters(true)
            .decode(&bytes)
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (
                DecodeErrorKind::DisallowedCodePoint(crate::Field::TopicName),
                5
            )
        );
        assert_eq!(e.clause(), Clause::Section("1.5.3"));
    }

    #[test]
    fn a_short_buffer_is_left_untouched() {
        let packet = Packet::Pingreq;
        let mut out = [0xAA; 1];
        assert_eq!(
            packet.encode(&mut out),
            Err(EncodeError::BufferTooSmall {
                needed: 2,
                available: 1
            })
        );
        assert_eq!(out, [0xAA]);
    }

    #[test]
    fn error_display_names_packet_offset_and_clause() {
        let e = decode(&[0x32, 0x05, 0x00, 0x01, b't', 0x00, 0x00]).unwrap_err();
        assert_eq!(
            std::format!("{e}"),
            "malformed PUBLISH at byte 5: packet identifier is 0 [MQTT-2.3.1-1]"
        );
    }
}
