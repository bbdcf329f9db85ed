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
    // A `Vec` always has room: `sink_for` never refuses.
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
