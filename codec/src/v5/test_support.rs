//! What the unit tests beside the 5.0 packets share: encode a packet, decode a whole frame,
//! and the refusal as (kind, offset, reason code). Test builds only.

use core::num::NonZeroU16;

use super::{Decoder, Packet};
use crate::DecodeErrorKind;

/// A packet identifier from a literal.
pub(crate) fn id(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

/// The packet's bytes, `encoded_len` of them.
pub(crate) fn encoded(packet: Packet<'_>) -> std::vec::Vec<u8> {
    let mut out = std::vec![0; packet.encoded_len()];
    assert_eq!(packet.encode(&mut out), Ok(out.len()));
    out
}

/// The packet `wire` holds, using every byte.
pub(crate) fn decoded(wire: &[u8]) -> Packet<'_> {
    let (packet, used) = super::decode(wire).unwrap().complete().unwrap();
    assert_eq!(used, wire.len());
    packet
}

/// The default decoder's refusal of `wire`.
pub(crate) fn refused(wire: &[u8]) -> (DecodeErrorKind, usize, u8) {
    refused_by(Decoder::new(), wire)
}

/// `d`'s refusal of `wire`: kind, offset and reason code (0 when none).
pub(crate) fn refused_by(d: Decoder, wire: &[u8]) -> (DecodeErrorKind, usize, u8) {
    let e = d.decode(wire).unwrap_err();
    (
        e.kind(),
        e.offset(),
        e.reason_code().map_or(0, |c| c.value()),
    )
}
