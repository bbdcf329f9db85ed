//! What the version-independent parts of the crate (the stream decoder, the owned and `Bytes`
//! packets, the tokio codec) need from a protocol version: a decoder and packets that encode.
//! Each version implements these two traits once, and every wrapper is written once for both.

use core::fmt;

use crate::error::{DecodeError, EncodeError};
use crate::header;
use crate::writer::{Sink, SliceSink};
use crate::Status;

/// A protocol version's decoder, with its options: [`v311::Decoder`](crate::v311::Decoder)
/// or [`v5::Decoder`](crate::v5::Decoder). The generic wrappers ([`StreamDecoder`](crate::StreamDecoder),
/// `OwnedPacket`, `BytesPacket`, `MqttCodec`) take one as their type parameter.
///
/// Sealed: only this crate's versions implement it.
pub trait PacketDecoder: Copy + Default + fmt::Debug + private::Sealed {
    /// The version's packet, borrowing from the input.
    type Packet<'a>: Encode<Decoder = Self> + Copy + fmt::Debug + fmt::Display + PartialEq;

    /// Decodes the packet at the start of `input` (see the version's `Decoder::decode`).
    fn decode<'a>(&self, input: &'a [u8])
        -> Result<Status<(Self::Packet<'a>, usize)>, DecodeError>;

    /// The largest packet this decoder accepts, fixed header included.
    fn max_packet_size(&self) -> usize;

    /// The payload of a PUBLISH, `None` for the other packets.
    fn payload<'a>(packet: &Self::Packet<'a>) -> Option<&'a [u8]>;
}

/// A value that encodes as one packet of the version `Decoder` reads.
///
/// Sealed: only this crate's packets implement it.
pub trait Encode: private::Sealed {
    /// The decoder of the version the packet belongs to.
    type Decoder: PacketDecoder;

    /// The exact number of bytes the packet takes on the wire.
    fn encoded_len(&self) -> usize;

    /// Encodes the packet at the start of `out` (as each version's `Packet::encode`), for
    /// code generic over the version.
    fn encode_into(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        encode_into(self, out)
    }

    /// Appends the encoded packet to `out` (as each version's `Packet::encode_to_vec`), for
    /// code generic over the version.
    #[cfg(feature = "alloc")]
    fn append_to(&self, out: &mut alloc::vec::Vec<u8>) -> usize {
        encode_to_vec(self, out)
    }

    /// Encodes the packet: the one dispatch on the packet type that every encode goes
    /// through. `sink_for(n)` is called once, with the packet's exact length `n`, before any
    /// byte is written; when it refuses, nothing is written.
    #[doc(hidden)]
    fn encode_with<S: Sink>(
        &self,
        sink_for: impl FnOnce(usize) -> Result<S, EncodeError>,
    ) -> Result<usize, EncodeError>;
}

/// Encodes into the start of `out`; a short `out` gets `BufferTooSmall` and is left as it was.
#[inline(always)]
pub(crate) fn encode_into<P: Encode + ?Sized>(
    packet: &P,
    out: &mut [u8],
) -> Result<usize, EncodeError> {
    let available = out.len();
    packet.encode_with(|needed| match out.get_mut(..needed) {
        Some(out) => Ok(SliceSink::new(out)),
        None => Err(EncodeError::BufferTooSmall { needed, available }),
    })
}

/// Appends the packet to `out` and returns the number of bytes appended.
#[cfg(feature = "alloc")]
pub(crate) fn encode_to_vec<P: Encode + ?Sized>(
    packet: &P,
    out: &mut alloc::vec::Vec<u8>,
) -> usize {
    let written = packet.encode_with(|needed| {
        out.reserve(needed);
        Ok(&mut *out)
    });
    // A `Vec` always has room: `sink_for` never refuses. What `encode_with` can still refuse
    // is a 5.0 packet whose variant does not allow the contents it holds (`check_variant`):
    // nothing is appended then.
    written.unwrap_or_default()
}

/// The fixed header and the body, for a version's `encode_with` arm: asks `sink_for` for room
/// for the whole packet, then writes it.
#[inline(always)]
pub(crate) fn write_packet<S: Sink>(
    sink_for: impl FnOnce(usize) -> Result<S, EncodeError>,
    first_byte: u8,
    remaining: usize,
    body: impl FnOnce(&mut S),
) -> Result<usize, EncodeError> {
    debug_assert!(remaining <= header::MAX_REMAINING_LENGTH);
    let needed = header::frame_len(remaining);
    let mut sink = sink_for(needed)?;
    sink.put_header(first_byte, remaining);
    body(&mut sink);
    Ok(needed)
}

/// A version's one dispatch on the packet type for every encode (`Encode::encode_with`): the
/// length, the first byte and the body in one arm, since in a stream of mixed packets every
/// dispatch is a jump the processor may mispredict. Each arm is straight-line code
/// (`write_packet` and the Sink methods are inlined), so a PUBACK or a PINGREQ is a dozen
/// instructions. PUBLISH takes its first byte from its flags; `with_body` lists the other
/// variants that carry a body, with their first byte; `bare` the ones that are a fixed header
/// alone. The first bytes: MQTT-3.6.1-1, MQTT-3.8.1-1, MQTT-3.10.1-1 (PUBREL, SUBSCRIBE and
/// UNSUBSCRIBE carry flags 0010; every other type but PUBLISH 0000).
macro_rules! encode_dispatch {
    ($packet:expr, $sink_for:ident,
     with_body: [$($variant:ident = $byte:literal),* $(,)?],
     bare: [$($bare:ident = $bare_byte:literal),* $(,)?] $(,)?) => {
        match $packet {
            Packet::Publish(p) => $crate::protocol::write_packet(
                $sink_for,
                p.first_byte(),
                p.remaining_length(),
                |s| p.write_body(s),
            ),
            $(Packet::$variant(p) => $crate::protocol::write_packet(
                $sink_for,
                $byte,
                p.remaining_length(),
                |s| p.write_body(s),
            ),)*
            $(Packet::$bare => $crate::protocol::write_packet($sink_for, $bare_byte, 0, |_| {}),)*
        }
    };
}
pub(crate) use encode_dispatch;

pub(crate) mod private {
    pub trait Sealed {}
}

impl<T: Encode + ?Sized> private::Sealed for &T {}

impl<T: Encode + ?Sized> Encode for &T {
    type Decoder = T::Decoder;

    fn encoded_len(&self) -> usize {
        (**self).encoded_len()
    }

    fn encode_with<S: Sink>(
        &self,
        sink_for: impl FnOnce(usize) -> Result<S, EncodeError>,
    ) -> Result<usize, EncodeError> {
        (**self).encode_with(sink_for)
    }
}

#[cfg(feature = "alloc")]
impl Sink for &mut alloc::vec::Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// The parts of a version module's API that are the same in every version, written once:
/// `Packet::{encode, encode_to_vec, encode_to_buf, to_owned_packet}`, the `From<Packet>`
/// conversions, `Decoder::{decode_bytes, decode_bytes_mut}`, and the [`PacketDecoder`]
/// implementation. Invoked in each version module, where `Packet`, `Decoder`,
/// `OwnedPacket` and `BytesPacket` name that version's types, and whose `Decoder` has a
/// `decode` method and a `max_packet_size` field.
macro_rules! version_api {
    () => {
        impl Packet<'_> {
            /// Encodes the packet at the start of `out` and returns the number of bytes
            /// written. A buffer shorter than [`encoded_len`](Self::encoded_len) gets
            /// [`EncodeError::BufferTooSmall`](crate::EncodeError::BufferTooSmall) and is left
            /// untouched.
            // Inlined into the caller: a loop that encodes packet after packet then saves and
            // restores registers once, not once per packet, and the `Result` never goes
            // through memory.
            #[inline]
            pub fn encode(&self, out: &mut [u8]) -> Result<usize, $crate::EncodeError> {
                $crate::protocol::encode_into(self, out)
            }

            /// Appends the encoded packet to `out` and returns the number of bytes appended:
            /// 0, with nothing appended, for a packet [`encode`](Self::encode) refuses other
            /// than for room (only a 5.0 acknowledgement, DISCONNECT or AUTH held by a variant
            /// whose packet does not allow its contents).
            #[cfg(feature = "alloc")]
            pub fn encode_to_vec(&self, out: &mut alloc::vec::Vec<u8>) -> usize {
                $crate::protocol::encode_to_vec(self, out)
            }

            /// Encodes the packet into any `bytes::BufMut` (a `BytesMut`, a `Vec<u8>`, a
            /// `&mut [u8]`, a chain of buffers) and returns the number of bytes written. The
            /// room is checked first: when `buf.remaining_mut()` is less than
            /// [`encoded_len`](Self::encoded_len), the result is `BufferTooSmall` and nothing
            /// is written. Growable buffers always have room.
            #[cfg(feature = "bytes")]
            #[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
            pub fn encode_to_buf<B: ::bytes::BufMut>(
                &self,
                buf: &mut B,
            ) -> Result<usize, $crate::EncodeError> {
                $crate::bytes::encode_to_buf(self, buf)
            }

            /// A copy of this packet that owns its data.
            ///
            /// # Panics
            ///
            /// When [`encode`](Self::encode) refuses the packet: only a 5.0 acknowledgement,
            /// DISCONNECT or AUTH held by a variant whose packet does not allow its contents
            /// (an [`Ack`](crate::v5::Ack) built for PUBACK with reason code 0x10, held by
            /// `Packet::Pubrel`), a mistake in the calling code, never in received bytes.
            #[cfg(feature = "alloc")]
            pub fn to_owned_packet(&self) -> OwnedPacket {
                OwnedPacket::new(self)
            }
        }

        #[cfg(feature = "alloc")]
        impl From<Packet<'_>> for OwnedPacket {
            fn from(packet: Packet<'_>) -> Self {
                packet.to_owned_packet()
            }
        }

        #[cfg(feature = "bytes")]
        impl From<Packet<'_>> for BytesPacket {
            fn from(packet: Packet<'_>) -> Self {
                BytesPacket::new(&packet)
            }
        }

        impl $crate::protocol::private::Sealed for Decoder {}

        impl $crate::protocol::PacketDecoder for Decoder {
            type Packet<'a> = Packet<'a>;

            #[inline]
            fn decode<'a>(
                &self,
                input: &'a [u8],
            ) -> Result<$crate::Status<(Packet<'a>, usize)>, $crate::DecodeError> {
                Decoder::decode(self, input)
            }

            fn max_packet_size(&self) -> usize {
                self.max_packet_size
            }

            // `'a: 'a` makes `'a` early-bound, as it is in the trait, where it appears only
            // in `Self::Packet<'a>`.
            #[allow(clippy::extra_unused_lifetimes)]
            fn payload<'a>(packet: &Packet<'a>) -> Option<&'a [u8]>
            where
                'a: 'a,
            {
                match packet {
                    Packet::Publish(publish) => Some(publish.payload()),
                    _ => None,
                }
            }
        }

        #[cfg(feature = "bytes")]
        impl Decoder {
            /// Splits the packet at the front of `input` off it, without copying: the packet
            /// shares the input's allocation, and `input` keeps the bytes after it. On
            /// `Partial` or an error, `input` is left as it was.
            pub fn decode_bytes(
                &self,
                input: &mut ::bytes::Bytes,
            ) -> Result<$crate::Status<BytesPacket>, $crate::DecodeError> {
                $crate::bytes::decode_bytes(self, input)
            }

            /// [`decode_bytes`](Self::decode_bytes) for a `BytesMut`: the packet's bytes are
            /// split off and frozen into a `Bytes` that shares the buffer's allocation.
            pub fn decode_bytes_mut(
                &self,
                input: &mut ::bytes::BytesMut,
            ) -> Result<$crate::Status<BytesPacket>, $crate::DecodeError> {
                $crate::bytes::decode_bytes_mut(self, input)
            }
        }
    };
}
pub(crate) use version_api;
