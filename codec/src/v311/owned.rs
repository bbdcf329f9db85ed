//! A packet that owns its bytes, for keeping past the input buffer.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use crate::v311::{decode, Packet};
use crate::Status;

/// A packet that owns its encoded bytes, so it can outlive the buffer it was decoded from.
///
/// It holds the packet's exact wire bytes; [`packet`](Self::packet) reads the borrowed view
/// back from them. Those bytes always came from a valid [`Packet`], so reading them back
/// cannot fail.
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
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OwnedPacket {
    bytes: Box<[u8]>,
}

impl OwnedPacket {
    /// The packet, borrowing from `self`.
    ///
    /// ```
    /// use mqtt_wire::v311::{OwnedPacket, Packet};
    ///
    /// let owned = OwnedPacket::from(Packet::Pingreq);
    /// assert_eq!(owned.packet(), Packet::Pingreq);
    /// ```
    pub fn packet(&self) -> Packet<'_> {
        match decode(&self.bytes) {
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

impl Packet<'_> {
    /// A copy of this packet that owns its data.
    ///
    /// ```
    /// use mqtt_wire::v311::Packet;
    ///
    /// let owned = Packet::Disconnect.to_owned_packet();
    /// assert_eq!(owned.packet(), Packet::Disconnect);
    /// ```
    pub fn to_owned_packet(&self) -> OwnedPacket {
        let mut bytes = Vec::with_capacity(self.encoded_len());
        self.encode_to_vec(&mut bytes);
        OwnedPacket {
            bytes: bytes.into_boxed_slice(),
        }
    }
}

impl From<Packet<'_>> for OwnedPacket {
    fn from(packet: Packet<'_>) -> Self {
        packet.to_owned_packet()
    }
}

impl fmt::Debug for OwnedPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.packet().fmt(f)
    }
}

impl fmt::Display for OwnedPacket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.packet().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
