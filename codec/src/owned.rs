//! A packet that owns its bytes, for keeping past the input buffer.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use core::marker::PhantomData;

use crate::error::EncodeError;
use crate::protocol::{self, Encode, PacketDecoder};
use crate::writer::Sink;
use crate::Status;

/// A packet that owns its encoded bytes, so it can outlive the buffer it was decoded from.
///
/// It holds the packet's exact wire bytes; [`packet`](Self::packet) reads the borrowed view
/// back from them. Those bytes always came from a valid packet, so reading them back
/// cannot fail. `D` is the version's decoder; each version module names its own
/// (`v311::OwnedPacket`).
///
/// ```
/// use mqtt_wire::v311::{self, OwnedPacket, Packet};
///
/// let owned: OwnedPacket = {
///     let received = vec![0x40, 0x02, 0x00, 0x09]; // PUBACK 9
///     let (packet, _) = v311::decode(&received)?.complete().unwrap();
///     packet.to_owned_packet()
/// }; // `received` is gone; the owned packet keeps its own bytes
/// assert_eq!(owned.as_bytes(), [0x40, 0x02, 0x00, 0x09]);
/// assert!(matches!(owned.packet(), Packet::Puback(ack) if ack.packet_id().get() == 9));
/// assert_eq!(owned.to_string(), "PUBACK packet_id=9");
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
pub struct OwnedPacket<D: PacketDecoder> {
    bytes: Box<[u8]>,
    version: PhantomData<D>,
}

impl<D: PacketDecoder> Clone for OwnedPacket<D> {
    fn clone(&self) -> Self {
        OwnedPacket {
            bytes: self.bytes.clone(),
            version: PhantomData,
        }
    }
}

impl<D: PacketDecoder> PartialEq for OwnedPacket<D> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<D: PacketDecoder> Eq for OwnedPacket<D> {}

impl<D: PacketDecoder> core::hash::Hash for OwnedPacket<D> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl<D: PacketDecoder> OwnedPacket<D> {
    /// The packet, borrowing from `self`.
    ///
    /// ```
    /// use mqtt_wire::v311::{OwnedPacket, Packet};
    ///
    /// let owned = OwnedPacket::from(Packet::Pingreq);
    /// assert_eq!(owned.packet(), Packet::Pingreq);
    /// ```
    pub fn packet(&self) -> D::Packet<'_> {
        // The default decoder accepts everything a configured one does (options only refuse
        // more), so bytes any decoder accepted read back.
        match D::default().decode(&self.bytes) {
            Ok(Status::Complete((packet, _))) => packet,
            // Unreachable: `bytes` are the encoding of a valid packet, and every valid
            // packet decodes from its encoding (checked by the property tests and fuzzing).
            other => unreachable!("an OwnedPacket holds a valid encoding: {other:?}"),
        }
    }

    /// The packet's encoding.
    ///
    /// ```
    /// use mqtt_wire::v311::Packet;
    ///
    /// assert_eq!(Packet::Pingresp.to_owned_packet().as_bytes(), [0xD0, 0x00]);
    /// ```
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl<D: PacketDecoder> OwnedPacket<D> {
    /// The packet's encoding, owned. Also reached as `to_owned_packet` on each version's
    /// packets and `From<Packet>`.
    ///
    /// # Panics
    ///
    /// When the packet cannot be encoded: only a 5.0 acknowledgement, DISCONNECT or AUTH
    /// held by a variant whose packet does not allow its contents (`to_owned_packet`).
    pub fn new<P: Encode<Decoder = D> + ?Sized>(packet: &P) -> Self {
        let mut bytes = Vec::with_capacity(packet.encoded_len());
        let written = protocol::encode_to_vec(packet, &mut bytes);
        assert!(
            written != 0,
            "the packet's variant does not allow the acknowledgement, DISCONNECT or AUTH it holds"
        );
        OwnedPacket {
            bytes: bytes.into_boxed_slice(),
            version: PhantomData,
        }
    }

    /// Wraps bytes known to hold exactly one packet `D` accepts.
    #[cfg_attr(not(feature = "bytes"), allow(dead_code))]
    pub(crate) fn from_valid(bytes: Box<[u8]>) -> Self {
        OwnedPacket {
            bytes,
            version: PhantomData,
        }
    }
}

impl<D: PacketDecoder> protocol::private::Sealed for OwnedPacket<D> {}

/// Encoding an owned packet copies its bytes.
impl<D: PacketDecoder> Encode for OwnedPacket<D> {
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

impl<D: PacketDecoder> fmt::Debug for OwnedPacket<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.packet().fmt(f)
    }
}

impl<D: PacketDecoder> fmt::Display for OwnedPacket<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.packet().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use crate::v311::{decode, Packet};

    #[test]
    fn outlives_the_input_buffer() {
        let owned = {
            let input = std::vec![0x30, 0x04, 0x00, 0x01, b't', b'x'];
            let (packet, _) = decode(&input).unwrap().complete().unwrap();
            packet.to_owned_packet()
        };
        let Packet::Publish(p) = owned.packet() else {
            panic!()
        };
        assert_eq!((p.topic().as_str(), p.payload()), ("t", &b"x"[..]));
        assert_eq!(owned.as_bytes(), [0x30, 0x04, 0x00, 0x01, b't', b'x']);
        assert_eq!(
            std::format!("{owned}"),
            "PUBLISH topic=\"t\" qos=0 retain=false dup=false payload=1 bytes"
        );
    }
}
