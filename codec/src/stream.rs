//! A receive buffer for a byte stream (a TCP socket, a serial line): bytes go in as they
//! arrive, packets come out whole.

use alloc::vec::Vec;
use core::fmt;

use crate::error::DecodeError;
use crate::protocol::PacketDecoder;
use crate::{Needed, Status};

/// Bytes received so far, and the packets in them, for either version (`D` is
/// [`v311::Decoder`](crate::v311::Decoder) or [`v5::Decoder`](crate::v5::Decoder); each version
/// module names its own: `v311::StreamDecoder`).
///
/// ```
/// use mqtt_wire::v311::{Decoder, Packet, StreamDecoder};
///
/// let mut stream = StreamDecoder::new(Decoder::new().max_packet_size(64 * 1024));
/// stream.extend(&[0xC0]); // half a PINGREQ
/// assert_eq!(stream.next_packet()?, None);
/// stream.extend(&[0x00, 0xD0, 0x00]); // the rest, and a PINGRESP
/// assert_eq!(stream.next_packet()?, Some(Packet::Pingreq));
/// assert_eq!(stream.next_packet()?, Some(Packet::Pingresp));
/// assert_eq!(stream.next_packet()?, None);
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
///
/// The first error is final: the peer broke the protocol and the connection should be closed
/// (`MQTT-4.8.0-1`); every later call returns the same error. Error offsets count from the
/// first byte of the packet that failed. The buffer holds at most one incomplete packet plus
/// whatever was received after it; with the decoder's `max_packet_size`, a packet too large is
/// refused from its fixed header, before its body is buffered.
///
/// `Debug` shows the options, how many bytes are buffered and the error, never the bytes:
/// they can hold a CONNECT's user name and password.
#[derive(Clone)]
pub struct StreamDecoder<D: PacketDecoder> {
    decoder: D,
    buf: Vec<u8>,
    /// Where the next packet starts in `buf`; bytes before it were handed out already.
    start: usize,
    error: Option<DecodeError>,
}

impl<D: PacketDecoder> StreamDecoder<D> {
    /// An empty buffer decoding with `decoder`.
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, StreamDecoder};
    ///
    /// let stream = StreamDecoder::new(Decoder::new().max_packet_size(4096));
    /// assert!(stream.buffered().is_empty());
    /// ```
    pub fn new(decoder: D) -> Self {
        StreamDecoder {
            decoder,
            buf: Vec::new(),
            start: 0,
            error: None,
        }
    }

    /// Appends bytes received from the peer.
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, StreamDecoder};
    ///
    /// let mut stream = StreamDecoder::new(Decoder::new());
    /// stream.extend(&[0xC0]);
    /// stream.extend(&[0x00]);
    /// assert_eq!(stream.buffered(), [0xC0, 0x00]);
    /// ```
    pub fn extend(&mut self, bytes: &[u8]) {
        // Drop what was handed out before growing, so the buffer does not creep.
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole packet, `None` until more bytes arrive, or the first error (for good).
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, Packet, StreamDecoder};
    ///
    /// let mut stream = StreamDecoder::new(Decoder::new());
    /// stream.extend(&[0xE0, 0x00, 0xF0]); // DISCONNECT, then a reserved packet type
    /// assert_eq!(stream.next_packet(), Ok(Some(Packet::Disconnect)));
    /// let err = stream.next_packet().unwrap_err();
    /// assert_eq!(stream.next_packet(), Err(err)); // final
    /// ```
    pub fn next_packet(&mut self) -> Result<Option<D::Packet<'_>>, DecodeError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let input = self.buf.get(self.start..).unwrap_or_default();
        match self.decoder.decode(input) {
            Ok(Status::Complete((packet, used))) => {
                self.start = self.start.saturating_add(used);
                Ok(Some(packet))
            }
            Ok(Status::Partial(_)) => Ok(None),
            Err(error) => {
                self.error = Some(error);
                Err(error)
            }
        }
    }

    /// How many more bytes the packet at the front needs, when it is incomplete.
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, StreamDecoder};
    /// use mqtt_wire::Needed;
    /// use std::num::NonZeroUsize;
    ///
    /// let mut stream = StreamDecoder::new(Decoder::new());
    /// stream.extend(&[0x40, 0x02]); // a PUBACK header: 2 body bytes to come
    /// assert_eq!(stream.needed(), Some(Needed::Exactly(NonZeroUsize::new(2).unwrap())));
    /// stream.extend(&[0x00, 0x01]);
    /// assert_eq!(stream.needed(), None); // a whole packet is there
    /// ```
    pub fn needed(&self) -> Option<Needed> {
        match self
            .decoder
            .decode(self.buf.get(self.start..).unwrap_or_default())
        {
            Ok(Status::Partial(needed)) => Some(needed),
            _ => None,
        }
    }

    /// The bytes received and not yet handed out as packets.
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, StreamDecoder};
    ///
    /// let mut stream = StreamDecoder::new(Decoder::new());
    /// stream.extend(&[0xC0, 0x00, 0xD0]);
    /// stream.next_packet()?;
    /// assert_eq!(stream.buffered(), [0xD0]); // half a PINGRESP
    /// # Ok::<(), mqtt_wire::DecodeError>(())
    /// ```
    pub fn buffered(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }
}

impl<D: PacketDecoder> fmt::Debug for StreamDecoder<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamDecoder")
            .field("decoder", &self.decoder)
            .field("buffered_len", &self.buffered().len())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v311::Decoder;
    use core::num::NonZeroUsize;

    #[test]
    fn gives_the_same_packets_however_the_bytes_arrive() {
        // PUBLISH "a/b" QoS 1 id 1 "hi", PUBACK 1, PINGREQ.
        let wire = [
            0x32, 0x09, 0, 3, b'a', b'/', b'b', 0, 1, b'h', b'i', 0x40, 0x02, 0, 1, 0xC0, 0x00,
        ];
        for chunk in 1..=wire.len() {
            let mut stream = StreamDecoder::new(Decoder::new());
            let mut types = std::vec::Vec::new();
            for piece in wire.chunks(chunk) {
                stream.extend(piece);
                while let Some(packet) = stream.next_packet().unwrap() {
                    types.push(packet.packet_type().as_u8());
                }
            }
            assert_eq!(types, [3, 4, 12], "chunks of {chunk}");
            assert!(stream.buffered().is_empty());
        }
    }

    #[test]
    fn reports_what_is_missing_and_keeps_the_first_error() {
        let mut stream = StreamDecoder::new(Decoder::new());
        stream.extend(&[0x40, 0x02, 0x00]);
        assert_eq!(
            stream.needed(),
            Some(Needed::Exactly(NonZeroUsize::new(1).unwrap()))
        );
        stream.extend(&[0x01, 0xF0]); // the PUBACK's last byte, then a reserved type
        assert!(stream.next_packet().unwrap().is_some());
        let error = stream.next_packet().unwrap_err();
        assert_eq!(error.offset(), 0);
        stream.extend(&[0xC0, 0x00]);
        assert_eq!(stream.next_packet(), Err(error));
    }
}
