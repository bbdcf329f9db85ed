//! The `bytes` feature: encoding into any [`BufMut`], and [`BytesPacket`], a packet decoded
//! from [`Bytes`] that shares the input's allocation instead of copying its payload.

use core::fmt;

use bytes::{BufMut, Bytes, BytesMut};

use crate::error::{DecodeError, EncodeError};
use crate::header;
use crate::v311::{decode, Decoder, OwnedPacket, Packet};
use crate::writer::Sink;
use crate::Status;

/// A packet that holds its encoded bytes in a [`Bytes`]: a slice of the buffer it was decoded
/// from, shared by reference count, not copied.
///
/// [`Decoder::decode_bytes`] and [`Decoder::decode_bytes_mut`] split a whole packet off the
/// front of the input; the packet keeps that part of the input's allocation alive, and
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
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BytesPacket {
    bytes: Bytes,
}

impl BytesPacket {
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
    pub fn packet(&self) -> Packet<'_> {
        match decode(&self.bytes) {
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
        match self.packet() {
            Packet::Publish(publish) => Some(self.bytes.slice_ref(publish.payload())),
            _ => None,
        }
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
    pub fn to_owned_packet(&self) -> OwnedPacket {
        self.packet().to_owned_packet()
    }
}

impl From<Packet<'_>> for BytesPacket {
    /// Encodes the packet into a new buffer.
    fn from(packet: Packet<'_>) -> Self {
        let mut buf = BytesMut::with_capacity(packet.encoded_len());
        packet.encode_to_buf(&mut buf).expect("a BytesMut grows");
        BytesPacket {
            bytes: buf.freeze(),
        }
    }
}

impl From<&OwnedPacket> for BytesPacket {
    /// Copies the owned packet's encoding into a new buffer.
    fn from(packet: &OwnedPacket) -> Self {
        BytesPacket {
            bytes: Bytes::copy_from_slice(packet.as_bytes()),
        }
    }
}

impl From<BytesPacket> for OwnedPacket {
    /// Copies the packet's bytes into an allocation of its own.
    fn from(packet: BytesPacket) -> Self {
        packet.to_owned_packet()
    }
}

impl fmt::Debug for BytesPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.packet().fmt(f)
    }
}

/// The packet's one-line `Display`, with the credentials hidden.
impl fmt::Display for BytesPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.packet().fmt(f)
    }
}

impl Decoder {
    /// Decodes the packet at the start of `input` and splits it off: on success `input` keeps
    /// only the bytes after the packet, and the packet shares the rest of the allocation.
    /// On `Partial` or an error, `input` is left as it was.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use mqtt_wire::v311::{Decoder, Packet};
    ///
    /// let mut input = Bytes::from_static(&[0xC0, 0x00, 0xD0]);
    /// let decoder = Decoder::new();
    /// let first = decoder.decode_bytes(&mut input)?.complete().unwrap();
    /// assert_eq!(first.packet(), Packet::Pingreq);
    /// assert!(decoder.decode_bytes(&mut input)?.is_partial()); // half a PINGRESP
    /// assert_eq!(input.len(), 1);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn decode_bytes(&self, input: &mut Bytes) -> Result<Status<BytesPacket>, DecodeError> {
        Ok(match self.decode(input)? {
            Status::Complete((_, used)) => Status::Complete(BytesPacket {
                bytes: input.split_to(used),
            }),
            Status::Partial(needed) => Status::Partial(needed),
        })
    }

    /// Decodes the packet at the start of a receive buffer and splits it off, without
    /// copying: the packet's bytes are frozen into a [`Bytes`] that shares the buffer's
    /// allocation, and `input` keeps the bytes after the packet. On `Partial` or an error,
    /// `input` is left as it was.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use mqtt_wire::v311::{Decoder, Packet};
    ///
    /// let mut buf = BytesMut::from(&[0x40, 0x02, 0x00, 0x01, 0xC0][..]);
    /// let decoder = Decoder::new().max_packet_size(1024);
    /// let puback = decoder.decode_bytes_mut(&mut buf)?.complete().unwrap();
    /// assert_eq!(puback.packet().packet_type().name(), "PUBACK");
    /// assert_eq!(&buf[..], [0xC0]);
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn decode_bytes_mut(
        &self,
        input: &mut BytesMut,
    ) -> Result<Status<BytesPacket>, DecodeError> {
        Ok(match self.decode(input)? {
            Status::Complete((_, used)) => Status::Complete(BytesPacket {
                bytes: input.split_to(used).freeze(),
            }),
            Status::Partial(needed) => Status::Partial(needed),
        })
    }
}

/// Writes into a [`BufMut`] that was checked to have room for the whole packet.
struct BufSink<'a, B: BufMut>(&'a mut B);

impl<B: BufMut> Sink for BufSink<'_, B> {
    fn put(&mut self, bytes: &[u8]) {
        self.0.put_slice(bytes);
    }
}

impl Packet<'_> {
    /// Encodes the packet into any [`BufMut`] (a `BytesMut`, a `Vec<u8>`, a `&mut [u8]`, a
    /// chain of buffers) and returns the number of bytes written.
    ///
    /// The room is checked first: when `buf.remaining_mut()` is less than
    /// [`encoded_len`](Self::encoded_len), the result is [`EncodeError::BufferTooSmall`] and
    /// nothing is written. Growable buffers (`BytesMut`, `Vec<u8>`) always have room.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use mqtt_wire::v311::{Packet, Puback};
    /// use std::num::NonZeroU16;
    ///
    /// let puback = Packet::Puback(Puback::new(NonZeroU16::new(7).unwrap()));
    /// let mut buf = BytesMut::new();
    /// assert_eq!(puback.encode_to_buf(&mut buf)?, 4);
    /// assert_eq!(&buf[..], [0x40, 0x02, 0x00, 0x07]);
    ///
    /// // A fixed-size buffer that is too small is left untouched.
    /// let mut small = [0u8; 3];
    /// assert!(puback.encode_to_buf(&mut &mut small[..]).is_err());
    /// assert_eq!(small, [0, 0, 0]);
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn encode_to_buf<B: BufMut>(&self, buf: &mut B) -> Result<usize, EncodeError> {
        let remaining = self.remaining_length();
        let needed = header::frame_len(remaining);
        let available = buf.remaining_mut();
        if available < needed {
            return Err(EncodeError::BufferTooSmall { needed, available });
        }
        self.write(&mut BufSink(buf), remaining);
        Ok(needed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
