//! The fixed header of every packet, read the same way in both versions: the first byte's
//! packet type and flags, then the Remaining Length, checked against the lengths the packet
//! type can have and the decoder's size limit as soon as its bytes rule a length out.
//!
//! A version supplies only what differs: whether AUTH exists, and the smallest and largest
//! Remaining Length of each packet type.

#![deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use core::num::NonZeroUsize;

use crate::error::{DecodeError, DecodeErrorKind};
use crate::header::{self, RemainingLength};
use crate::reader::Reader;
use crate::{Needed, PacketType};

/// A fixed header read in full.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub(crate) packet_type: PacketType,
    /// The first byte: type and flags.
    pub(crate) first: u8,
    /// The first byte and the Remaining Length field.
    pub(crate) header_len: usize,
    /// The Remaining Length's value.
    pub(crate) remaining: usize,
    /// The whole packet: `header_len + remaining`.
    pub(crate) len: usize,
}

impl Frame {
    /// "Need more": `input` holds only the first `input.len()` bytes of the frame.
    pub(crate) fn missing(&self, input: &[u8]) -> Needed {
        Needed::Exactly(
            NonZeroUsize::new(self.len.saturating_sub(input.len())).unwrap_or(NonZeroUsize::MIN),
        )
    }

    /// A reader over the body as far as it is present in `input`: a whole frame, or the start
    /// of one, which is checked as far as it goes so that bytes that already break a rule are
    /// refused now rather than buffered (see `Reader`).
    pub(crate) fn reader<'a>(&self, input: &'a [u8], reject_disallowed: bool) -> Reader<'a> {
        Reader::new(
            input.get(self.header_len..).unwrap_or_default(),
            self.remaining,
            self.header_len,
            self.packet_type,
            reject_disallowed,
        )
    }
}

/// What a version says about the Remaining Length of each packet type.
pub(crate) trait Lengths {
    /// Whether packet type 15 (AUTH) exists.
    const HAS_AUTH: bool;
    /// The smallest and largest Remaining Length a packet with this first byte can have.
    fn bounds(packet_type: PacketType, first: u8) -> (usize, usize);
    /// A length outside the bounds that the body's decoder reports itself, with a more
    /// specific error in its place in the packet (3.1.1: an empty list after a packet id).
    fn reported_by_body(_packet_type: PacketType, _remaining: usize) -> bool {
        false
    }
    /// A length inside the bounds that the packet type still cannot have (5.0: AUTH 1).
    fn refused(_packet_type: PacketType, _remaining: usize) -> bool {
        false
    }
}

/// Reads the fixed header at the start of `input`: `Ok(Err(needed))` while it is incomplete.
/// A bad first byte, an over-long or padded Remaining Length, a length the packet type can
/// never have, or one over `max_packet_size` is an error as soon as its bytes are present.
pub(crate) fn read<L: Lengths>(
    input: &[u8],
    max_packet_size: usize,
) -> Result<Result<Frame, Needed>, DecodeError> {
    let Some(&first) = input.first() else {
        return Ok(Err(Needed::Unknown));
    };
    let packet_type = check_first_byte(first, L::HAS_AUTH)?;
    let error = |kind, offset| DecodeError::new(kind, offset, Some(packet_type));
    let (min, max) = L::bounds(packet_type, first);
    // Lengths this packet type can never have, or over the size limit, are refused as soon
    // as the bytes present rule out every smaller value.
    let bound = |at_least: usize, len: usize| {
        if at_least > max {
            Err(DecodeErrorKind::InvalidRemainingLength)
        } else if at_least.saturating_add(len).saturating_add(1) > max_packet_size {
            Err(DecodeErrorKind::PacketTooLarge)
        } else {
            Ok(())
        }
    };
    let rest = input.get(1..).unwrap_or_default();
    let (remaining, length_len) = match header::decode_remaining_length(rest, bound) {
        Ok(RemainingLength::Complete { value, len }) => (value, len),
        Ok(RemainingLength::Partial) => return Ok(Err(Needed::Unknown)),
        Err((kind, index)) => return Err(error(kind, index.saturating_add(1))),
    };
    // At most 5 + 268,435,455 in all: saturation never happens.
    let header_len = length_len.saturating_add(1);
    if (remaining < min || remaining > max || L::refused(packet_type, remaining))
        && !L::reported_by_body(packet_type, remaining)
    {
        return Err(error(DecodeErrorKind::InvalidRemainingLength, 1));
    }
    let len = header_len.saturating_add(remaining);
    if len > max_packet_size {
        return Err(error(DecodeErrorKind::PacketTooLarge, 1));
    }
    Ok(Ok(Frame {
        packet_type,
        first,
        header_len,
        remaining,
        len,
    }))
}

/// Checks the first byte: a packet type that exists, and exactly the flags it allows. The
/// flag rules are the same in both versions (3.1.1 section 2.2.2, 5.0 section 2.1.3).
pub(crate) fn check_first_byte(byte: u8, has_auth: bool) -> Result<PacketType, DecodeError> {
    let packet_type = match PacketType::from_u8(byte >> 4) {
        Some(PacketType::Auth) if !has_auth => None,
        other => other,
    };
    let Some(packet_type) = packet_type else {
        // 3.1.1 section 2.2.1: types 0 and 15 are reserved; 5.0 section 2.1.2: type 0.
        return Err(DecodeError::new(
            DecodeErrorKind::InvalidPacketType,
            0,
            None,
        ));
    };
    let flags = byte & 0x0F;
    let kind = match packet_type {
        PacketType::Publish => {
            let qos = (flags >> 1) & 0x03;
            if qos == 3 {
                // 3.1.1 and 5.0: MQTT-3.3.1-4
                Some(DecodeErrorKind::InvalidQoS)
            } else if qos == 0 && flags & 0x08 != 0 {
                // 3.1.1 and 5.0: MQTT-3.3.1-2
                Some(DecodeErrorKind::DupWithQoS0)
            } else {
                None
            }
        }
        // MQTT-3.6.1-1, MQTT-3.8.1-1, MQTT-3.10.1-1: 0010.
        PacketType::Pubrel | PacketType::Subscribe | PacketType::Unsubscribe => {
            (flags != 0x02).then_some(DecodeErrorKind::InvalidFlags)
        }
        // 3.1.1 MQTT-2.2.2-1, 5.0 MQTT-2.1.3-1 (and the DISCONNECT and AUTH rules): 0000.
        _ => (flags != 0).then_some(DecodeErrorKind::InvalidFlags),
    };
    match kind {
        Some(kind) => Err(DecodeError::new(kind, 0, Some(packet_type))),
        None => Ok(packet_type),
    }
}

/// The end of a version's `decode`: the body's decoder returned `$decoded` from reader `$r`;
/// a whole body gives the packet (`$variant`), an error found in the bytes present is the
/// error, and a body cut short is "need more". A macro rather than a function so that each
/// arm builds its own result: with one value for all arms, the compiler copies every byte of
/// the largest variant into the result, field by field.
macro_rules! finish_body {
    ($decoded:expr, $variant:expr, $r:ident, $frame:ident, $input:ident) => {
        match $decoded {
            Ok(packet) if $r.is_whole() => {
                Ok($crate::Status::Complete(($variant(packet), $frame.len)))
            }
            Err(e) if !$r.ran_out() => Err(e),
            _ => Ok($crate::Status::Partial($frame.missing($input))),
        }
    };
}
pub(crate) use finish_body;
