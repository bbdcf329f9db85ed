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
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OwnedPacket {
    bytes: Box<[u8]>,
}

impl OwnedPacket {
    /// The packet, borrowing from `self`.
    pub fn packet(&self) -> Packet<'_> {
        match decode(&self.bytes) {
            Ok(Status::Complete((packet, _))) => packet,
            // Unreachable: `bytes` are the encoding of a valid packet, and every valid
            // packet decodes from its encoding (checked by the property tests and fuzzing).
            other => unreachable!("an OwnedPacket holds a valid encoding: {other:?}"),
        }
    }

    /// The packet's encoding.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl Packet<'_> {
    /// A copy of this packet that owns its data.
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
