//! The `bytes` feature: encoding into any [`BufMut`], and [`BytesPacket`], a packet decoded
//! from [`Bytes`] that shares the input's allocation instead of copying its payload.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use core::marker::PhantomData;

use crate::error::{DecodeError, EncodeError};
use crate::owned::OwnedPacket;
use crate::protocol::{self, Encode, PacketDecoder};
use crate::writer::Sink;
use crate::Status;

/// A packet that holds its encoded bytes in a [`Bytes`]: a slice of the buffer it was decoded
/// from, shared by reference count, not copied.
///
/// A version's `Decoder::decode_bytes` and `Decoder::decode_bytes_mut` split a whole packet
/// off the front of the input; the packet keeps that part of the input's allocation alive, and
/// [`packet`](Self::packet) reads the borrowed view back from it, so topics and payloads point
/// into the bytes that were received. [`payload`](Self::payload) hands out a PUBLISH payload
/// as a `Bytes` of its own, still without a copy, to forward or store.
///
/// ```
/// use bytes::Bytes;
/// use mqtt_wire::v311::{Decoder, Packet};
///
/// // PUBLISH QoS 0 to "a/b" with payload "hello", then the first byte of a PINGREQ.
/// let mut input = Bytes::from_static(b"\x30\x0a\x00\x03a/bhello\xc0");
/// let packet = Decoder::new().decode_bytes(&mut input)?.complete().unwrap();
/// assert_eq!(input, Bytes::from_static(b"\xc0")); // the rest stays in the input
///
/// let Packet::Publish(publish) = packet.packet() else { panic!("not a PUBLISH") };
/// assert_eq!(publish.topic().as_str(), "a/b");
/// assert_eq!(packet.payload(), Some(Bytes::from_static(b"hello")));
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
pub struct BytesPacket<D: PacketDecoder> {
    bytes: Bytes,
    version: PhantomData<D>,
}

impl<D: PacketDecoder> Clone for BytesPacket<D> {
    fn clone(&self) -> Self {
        BytesPacket::from_valid(self.bytes.clone())
    }
}

impl<D: PacketDecoder> PartialEq for BytesPacket<D> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<D: PacketDecoder> Eq for BytesPacket<D> {}

impl<D: PacketDecoder> core::hash::Hash for BytesPacket<D> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl<D: PacketDecoder> BytesPacket<D> {
    /// Wraps bytes known to hold exactly one packet `D` accepts.
    pub(crate) fn from_valid(bytes: Bytes) -> Self {
        BytesPacket {
            bytes,
            version: PhantomData,
        }
    }

    /// The packet, borrowing from `self`.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::v311::{Decoder, Packet};
    ///
    /// let mut input = Bytes::from_static(&[0xC0, 0x00]);
    /// let packet = Decoder::new().decode_bytes(&mut input)?.complete().unwrap();
    /// assert_eq!(packet.packet(), Packet::Pingreq);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn packet(&self) -> D::Packet<'_> {
        match D::default().decode(&self.bytes) {
            Ok(Status::Complete((packet, _))) => packet,
            // Unreachable: `bytes` hold exactly one packet that a decoder accepted, and the
            // default decoder accepts everything a configured one does (its options only
            // refuse more).
            other => unreachable!("a BytesPacket holds a valid encoding: {other:?}"),
        }
    }

    /// The packet's encoding: the bytes it was decoded from.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::v311::Decoder;
    ///
    /// let mut input = Bytes::from_static(&[0x40, 0x02, 0x00, 0x07, 0xD0]);
    /// let packet = Decoder::new().decode_bytes(&mut input)?.complete().unwrap();
    /// assert_eq!(&packet.as_bytes()[..], [0x40, 0x02, 0x00, 0x07]);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn as_bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The packet's encoding, giving up the packet.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::v311::Decoder;
    ///
    /// let mut input = Bytes::from_static(&[0xE0, 0x00]);
    /// let packet = Decoder::new().decode_bytes(&mut input)?.complete().unwrap();
    /// assert_eq!(packet.into_bytes(), Bytes::from_static(&[0xE0, 0x00]));
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// A PUBLISH packet's payload, sharing the packet's allocation; `None` for other packets.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::v311::Decoder;
    ///
    /// // PUBLISH QoS 1, id 5, to "t" with payload "hi".
    /// let mut input = Bytes::from_static(b"\x32\x07\x00\x01t\x00\x05hi");
    /// let packet = Decoder::new().decode_bytes(&mut input)?.complete().unwrap();
    /// let payload = packet.payload().unwrap();
    /// assert_eq!(payload, Bytes::from_static(b"hi"));
    /// // The same memory as the packet's last two bytes.
    /// assert_eq!(payload.as_ptr(), packet.as_bytes()[7..].as_ptr());
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn payload(&self) -> Option<Bytes> {
        D::payload(&self.packet()).map(|payload| self.bytes.slice_ref(payload))
    }

    /// A packet that owns a copy of these bytes in a plain allocation.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::v311::{Decoder, Packet};
    ///
    /// let mut input = Bytes::from_static(&[0xD0, 0x00]);
    /// let packet = Decoder::new().decode_bytes(&mut input)?.complete().unwrap();
    /// assert_eq!(packet.to_owned_packet().packet(), Packet::Pingresp);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn to_owned_packet(&self) -> OwnedPacket<D> {
        OwnedPacket::from_valid(self.bytes.as_ref().into())
    }
}

impl<D: PacketDecoder> BytesPacket<D> {
    /// The packet's encoding, in a new buffer. Also reached as `From<Packet>`.
    pub fn new<P: Encode<Decoder = D> + ?Sized>(packet: &P) -> Self {
        let mut buf = BytesMut::with_capacity(packet.encoded_len());
        // A `BytesMut` grows: there is always room.
        let _ = encode_to_buf(packet, &mut buf);
        BytesPacket::from_valid(buf.freeze())
    }
}

impl<D: PacketDecoder> From<&OwnedPacket<D>> for BytesPacket<D> {
    /// Copies the owned packet's encoding into a new buffer.
    fn from(packet: &OwnedPacket<D>) -> Self {
        BytesPacket::from_valid(Bytes::copy_from_slice(packet.as_bytes()))
    }
}

impl<D: PacketDecoder> From<BytesPacket<D>> for OwnedPacket<D> {
    /// Copies the packet's bytes into an allocation of its own.
    fn from(packet: BytesPacket<D>) -> Self {
        packet.to_owned_packet()
    }
}

impl<D: PacketDecoder> protocol::private::Sealed for BytesPacket<D> {}

/// Encoding a `Bytes` packet copies its bytes.
impl<D: PacketDecoder> Encode for BytesPacket<D> {
    type Decoder = D;

    fn encoded_len(&self) -> usize {
        self.bytes.len()
    }

    fn encode_with<S: Sink>(
        &self,
        sink_for: impl FnOnce(usize) -> Result<S, EncodeError>,
    ) -> Result<usize, EncodeError> {
        let mut sink = sink_for(self.bytes.len())?;
        sink.put(&self.bytes);
        Ok(self.bytes.len())
    }
}

impl<D: PacketDecoder> fmt::Debug for BytesPacket<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.packet().fmt(f)
    }
}

/// The packet's one-line `Display`, with the credentials hidden.
impl<D: PacketDecoder> fmt::Display for BytesPacket<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.packet().fmt(f)
    }
}

/// Splits the packet at the front of `input` off it, sharing its allocation; `input` is left
/// as it was on `Partial` or an error. Each version's `Decoder::decode_bytes` calls it.
pub(crate) fn decode_bytes<D: PacketDecoder>(
    decoder: &D,
    input: &mut Bytes,
) -> Result<Status<BytesPacket<D>>, DecodeError> {
    Ok(match decoder.decode(input)? {
        Status::Complete((_, used)) => {
            Status::Complete(BytesPacket::from_valid(input.split_to(used)))
        }
        Status::Partial(needed) => Status::Partial(needed),
    })
}

/// [`decode_bytes`] for a `BytesMut`: the packet is split off and frozen.
pub(crate) fn decode_bytes_mut<D: PacketDecoder>(
    decoder: &D,
    input: &mut BytesMut,
) -> Result<Status<BytesPacket<D>>, DecodeError> {
    Ok(match decoder.decode(input)? {
        Status::Complete((_, used)) => {
            Status::Complete(BytesPacket::from_valid(input.split_to(used).freeze()))
        }
        Status::Partial(needed) => Status::Partial(needed),
    })
}

/// Writes into a [`BufMut`] that was checked to have room for the whole packet.
struct BufSink<'a, B: BufMut>(&'a mut B);

impl<B: BufMut> Sink for BufSink<'_, B> {
    fn put(&mut self, bytes: &[u8]) {
        self.0.put_slice(bytes);
    }
}

/// Encodes the packet into any [`BufMut`]; the room is checked first, and a short buffer
/// gets `BufferTooSmall` with nothing written. Each version's `Packet::encode_to_buf` calls it.
pub(crate) fn encode_to_buf<P: Encode + ?Sized, B: BufMut>(
    packet: &P,
    buf: &mut B,
) -> Result<usize, EncodeError> {
    packet.encode_with(|needed| {
        let available = buf.remaining_mut();
        if available < needed {
            return Err(EncodeError::BufferTooSmall { needed, available });
        }
        Ok(BufSink(buf))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v311::Decoder;
    use core::num::NonZeroUsize;

    #[test]
    fn leaves_the_input_alone_on_partial_and_on_error() {
        let decoder = Decoder::new();
        // PUBACK missing its last byte.
        let mut partial = BytesMut::from(&[0x40, 0x02, 0x00][..]);
        assert_eq!(
            decoder.decode_bytes_mut(&mut partial),
            Ok(Status::Partial(crate::Needed::Exactly(
                NonZeroUsize::new(1).unwrap()
            )))
        );
        assert_eq!(&partial[..], [0x40, 0x02, 0x00]);
        // PUBACK with packet identifier 0.
        let mut bad = Bytes::from_static(&[0x40, 0x02, 0x00, 0x00]);
        assert!(decoder.decode_bytes(&mut bad).is_err());
        assert_eq!(&bad[..], [0x40, 0x02, 0x00, 0x00]);
    }

    #[test]
    fn a_configured_decoder_applies_its_options() {
        // PUBLISH to "a\x01": refused only when control characters are.
        let wire = [0x30, 0x04, 0x00, 0x02, b'a', 0x01];
        let strict = Decoder::new().reject_control_characters(true);
        assert!(strict
            .decode_bytes(&mut Bytes::copy_from_slice(&wire))
            .is_err());
        let packet = Decoder::new()
            .decode_bytes(&mut Bytes::copy_from_slice(&wire))
            .unwrap()
            .complete()
            .unwrap();
        assert_eq!(packet.payload(), Some(Bytes::new()));
    }
}
