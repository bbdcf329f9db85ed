//! The `tokio` feature: [`MqttCodec`], a `tokio_util::codec` decoder and encoder, so that
//! `Framed<TcpStream, MqttCodec>` reads and writes MQTT packets.

use core::fmt;
use std::io;

use bytes::BytesMut;
use tokio_util::codec;

use crate::bytes::{decode_bytes_mut, encode_to_buf, BytesPacket};
use crate::error::DecodeError;
use crate::protocol::{Encode, PacketDecoder};
use crate::{Needed, Status};

/// The most [`MqttCodec`] reserves ahead of the bytes received, while a packet is incomplete.
///
/// The trade is read calls against memory held per connection. Every read from the socket
/// has room for at least this much of the packet (or all that is missing, when less), so
/// a packet that arrives faster than it is read takes at most one read per 4 KiB, and fewer
/// as the buffer doubles when it grows. And it is one page, half of the 8 KiB `FramedRead`
/// allocates per connection before any byte arrives: a connection that declares a large
/// packet and stops after the fixed header keeps just that buffer, where a step of 8 KiB
/// would make every such connection reallocate to 16 KiB.
const RESERVE_STEP: usize = 4 * 1024;

/// MQTT framing for `tokio_util::codec::Framed`, `FramedRead` and `FramedWrite`, for either
/// version: `D` is the version's decoder (each version module names its own,
/// `v311::MqttCodec`).
///
/// Decoding reuses the decoder and its options, and yields [`BytesPacket`]s split off the
/// read buffer without copying. Encoding accepts the version's packets, its owned and
/// `Bytes` packets, and references to them; a packet of the other version does not compile.
///
/// - "Need more bytes" (`Ok(None)`) only while the buffer holds a strict prefix of a
///   packet that can still be valid.
/// - A declared length is not an allocation: once the fixed header is complete, the buffer
///   grows as the body arrives, keeping room for the next 4 KiB of the packet, never for
///   the whole declared size, and never past
///   the decoder's `max_packet_size`. A connection that declares a large packet and sends
///   nothing more keeps the buffer it had; one that sends part of it holds at most about
///   twice what it sent (the buffer doubles when it grows).
///   A packet over the limit is refused from its fixed header: **set a limit**, as without
///   one a peer may send up to 256 MiB before the packet is complete.
/// - `FramedRead`'s own `Debug` prints its read buffer, which holds a CONNECT's password
///   while that CONNECT is incomplete: do not log the `Framed` value itself.
/// - Malformed bytes are an error, [`CodecError::Decode`], that ends the stream: `Framed`
///   yields the error, then `None`. The codec remembers it and returns it again if it is
///   called again. The connection should be closed (`MQTT-4.8.0-1`).
/// - A stream that ends in the middle of a packet is [`CodecError::Io`] with
///   [`io::ErrorKind::UnexpectedEof`].
///
/// ```no_run
/// use mqtt_wire::v311::{Decoder, MqttCodec};
/// use tokio::net::TcpStream;
/// use tokio_util::codec::Framed;
///
/// # async fn connect() -> std::io::Result<()> {
/// let stream = TcpStream::connect("127.0.0.1:1883").await?;
/// let framed = Framed::new(stream, MqttCodec::new(Decoder::new().max_packet_size(64 * 1024)));
/// # Ok(()) }
/// ```
///
/// Used directly on a buffer:
///
/// ```
/// use bytes::BytesMut;
/// use mqtt_wire::v311::{Decoder, MqttCodec, Packet};
/// use tokio_util::codec::{Decoder as _, Encoder as _};
///
/// let mut codec = MqttCodec::new(Decoder::new().max_packet_size(1024));
/// let mut buf = BytesMut::new();
/// codec.encode(Packet::Pingreq, &mut buf)?;
/// assert_eq!(&buf[..], [0xC0, 0x00]);
///
/// let packet = codec.decode(&mut buf)?.expect("a whole packet");
/// assert_eq!(packet.packet(), Packet::Pingreq);
/// assert!(codec.decode(&mut buf)?.is_none());
///
/// // A reserved packet type (0xF0) is an error at once.
/// buf.extend_from_slice(&[0xF0]);
/// assert!(codec.decode(&mut buf).is_err());
/// # Ok::<(), mqtt_wire::v311::CodecError>(())
/// ```
#[derive(Clone, Debug)]
pub struct MqttCodec<D: PacketDecoder> {
    decoder: D,
    error: Option<DecodeError>,
}

impl<D: PacketDecoder> MqttCodec<D> {
    /// A codec decoding with `decoder`. There is no default: choose a
    /// `max_packet_size` for the peer.
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, MqttCodec};
    ///
    /// let codec = MqttCodec::new(Decoder::new().max_packet_size(256 * 1024));
    /// assert_eq!(codec.decoder(), Decoder::new().max_packet_size(256 * 1024));
    /// ```
    pub const fn new(decoder: D) -> Self {
        MqttCodec {
            decoder,
            error: None,
        }
    }

    /// The decoder and its options.
    ///
    /// ```
    /// use mqtt_wire::v311::{Decoder, MqttCodec};
    ///
    /// let strict = Decoder::new().max_packet_size(512).reject_control_characters(true);
    /// assert_eq!(MqttCodec::new(strict).decoder(), strict);
    /// ```
    pub const fn decoder(&self) -> D {
        self.decoder
    }
}

impl<D: PacketDecoder> codec::Decoder for MqttCodec<D> {
    type Item = BytesPacket<D>;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BytesPacket<D>>, CodecError> {
        if let Some(error) = self.error {
            return Err(CodecError::Decode(error));
        }
        match decode_bytes_mut(&self.decoder, src) {
            Ok(Status::Complete(packet)) => Ok(Some(packet)),
            Ok(Status::Partial(Needed::Exactly(missing))) => {
                // Room for the next step of the body, not for all of it: the declared size
                // is the peer's word, and reserving it would let a 5-byte header pin the
                // whole limit per connection. The decoder has checked the declared size
                // against the limit; the `min` with `room` keeps that true here too.
                let room = self.decoder.max_packet_size().saturating_sub(src.len());
                src.reserve(missing.get().min(RESERVE_STEP).min(room));
                Ok(None)
            }
            Ok(Status::Partial(Needed::Unknown)) => Ok(None),
            Err(error) => {
                self.error = Some(error);
                Err(CodecError::Decode(error))
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<BytesPacket<D>>, CodecError> {
        match self.decode(src)? {
            Some(packet) => Ok(Some(packet)),
            None if src.is_empty() => Ok(None),
            None => Err(CodecError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the stream ended inside an MQTT packet",
            ))),
        }
    }
}

impl<D: PacketDecoder, P: Encode<Decoder = D>> codec::Encoder<P> for MqttCodec<D> {
    type Error = CodecError;

    fn encode(&mut self, packet: P, dst: &mut BytesMut) -> Result<(), CodecError> {
        dst.reserve(packet.encoded_len());
        // A `BytesMut` grows, so there is always room, and packet values are valid by
        // construction: encoding cannot fail.
        encode_to_buf(&packet, dst)
            .map_err(|_| CodecError::Io(io::Error::new(io::ErrorKind::Other, "buffer full")))?;
        Ok(())
    }
}

/// The error of [`MqttCodec`]: the peer's bytes were malformed, or the transport failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum CodecError {
    /// The peer sent bytes that are not a valid packet. The stream ends; close the connection.
    Decode(DecodeError),
    /// Reading or writing failed, or the stream ended inside a packet.
    Io(io::Error),
}

impl CodecError {
    /// The decode error, when the peer sent malformed bytes.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use mqtt_wire::v311::{Decoder, MqttCodec};
    /// use mqtt_wire::DecodeErrorKind;
    /// use tokio_util::codec::Decoder as _;
    ///
    /// let mut codec = MqttCodec::new(Decoder::new().max_packet_size(100));
    /// // A PUBLISH declaring 200 bytes.
    /// let err = codec.decode(&mut BytesMut::from(&[0x30, 0xC8, 0x01][..])).unwrap_err();
    /// assert_eq!(err.decode_error().unwrap().kind(), DecodeErrorKind::PacketTooLarge);
    /// ```
    pub fn decode_error(&self) -> Option<&DecodeError> {
        match self {
            CodecError::Decode(error) => Some(error),
            CodecError::Io(_) => None,
        }
    }
}

impl From<io::Error> for CodecError {
    fn from(error: io::Error) -> Self {
        CodecError::Io(error)
    }
}

impl From<DecodeError> for CodecError {
    fn from(error: DecodeError) -> Self {
        CodecError::Decode(error)
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Decode(error) => error.fmt(f),
            CodecError::Io(error) => write!(f, "I/O error: {error}"),
        }
    }
}

impl std::error::Error for CodecError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CodecError::Decode(error) => Some(error),
            CodecError::Io(error) => Some(error),
        }
    }
}
