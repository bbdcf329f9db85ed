//! The fixed header shared by every packet (section 2.2): the packet type in the first
//! byte's high nibble, and the Remaining Length, a variable-length integer of one to four bytes.

use core::fmt;

use crate::error::DecodeErrorKind;

/// The largest Remaining Length four bytes can express: 268,435,455 (section 2.2.3).
///
/// ```
/// use mqtt_wire::{v311::Decoder, MAX_REMAINING_LENGTH};
///
/// assert_eq!(MAX_REMAINING_LENGTH, 0x0FFF_FFFF); // 0xFF 0xFF 0xFF 0x7F on the wire
/// assert_eq!(Decoder::MAX_PACKET_SIZE, 1 + 4 + MAX_REMAINING_LENGTH);
/// ```
pub const MAX_REMAINING_LENGTH: usize = 268_435_455;

/// The control packet types: the fourteen of MQTT 3.1.1 (section 2.2.1) and AUTH, which
/// MQTT 5.0 adds (section 2.1.2).
///
/// ```
/// use mqtt_wire::PacketType;
///
/// let publish = PacketType::from_u8(3).unwrap();
/// assert_eq!(publish, PacketType::Publish);
/// assert_eq!((publish.as_u8(), publish.name()), (3, "PUBLISH"));
/// assert_eq!(PacketType::from_u8(0), None); // reserved
/// assert_eq!(PacketType::from_u8(15), Some(PacketType::Auth)); // MQTT 5.0 only
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
#[non_exhaustive]
pub enum PacketType {
    /// Client request to connect to the server.
    Connect = 1,
    /// Connect acknowledgement.
    Connack = 2,
    /// Publish message.
    Publish = 3,
    /// Publish acknowledgement (QoS 1).
    Puback = 4,
    /// Publish received (QoS 2, part 1).
    Pubrec = 5,
    /// Publish release (QoS 2, part 2).
    Pubrel = 6,
    /// Publish complete (QoS 2, part 3).
    Pubcomp = 7,
    /// Subscribe request.
    Subscribe = 8,
    /// Subscribe acknowledgement.
    Suback = 9,
    /// Unsubscribe request.
    Unsubscribe = 10,
    /// Unsubscribe acknowledgement.
    Unsuback = 11,
    /// Ping request.
    Pingreq = 12,
    /// Ping response.
    Pingresp = 13,
    /// Disconnect notification (in MQTT 5.0 either side may send it).
    Disconnect = 14,
    /// Authentication exchange: MQTT 5.0 only (section 3.15). MQTT 3.1.1 reserves the value,
    /// and its decoder refuses it.
    Auth = 15,
}

impl PacketType {
    /// The packet type for the value of the first byte's high nibble; `None` for the
    /// reserved value 0 (and for values above 15). 15 is [`PacketType::Auth`], which only
    /// MQTT 5.0 has: whether a type exists in a protocol version is that version's rule.
    pub const fn from_u8(value: u8) -> Option<PacketType> {
        use PacketType as P;
        Some(match value {
            1 => P::Connect,
            2 => P::Connack,
            3 => P::Publish,
            4 => P::Puback,
            5 => P::Pubrec,
            6 => P::Pubrel,
            7 => P::Pubcomp,
            8 => P::Subscribe,
            9 => P::Suback,
            10 => P::Unsubscribe,
            11 => P::Unsuback,
            12 => P::Pingreq,
            13 => P::Pingresp,
            14 => P::Disconnect,
            15 => P::Auth,
            _ => return None,
        })
    }

    /// The numeric value, 1 to 15.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// The name the specification uses, in capitals: `CONNECT`, `PUBACK`, ...
    pub const fn name(self) -> &'static str {
        use PacketType as P;
        match self {
            P::Connect => "CONNECT",
            P::Connack => "CONNACK",
            P::Publish => "PUBLISH",
            P::Puback => "PUBACK",
            P::Pubrec => "PUBREC",
            P::Pubrel => "PUBREL",
            P::Pubcomp => "PUBCOMP",
            P::Subscribe => "SUBSCRIBE",
            P::Suback => "SUBACK",
            P::Unsubscribe => "UNSUBSCRIBE",
            P::Unsuback => "UNSUBACK",
            P::Pingreq => "PINGREQ",
            P::Pingresp => "PINGRESP",
            P::Disconnect => "DISCONNECT",
            P::Auth => "AUTH",
        }
    }
}

impl fmt::Display for PacketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A Remaining Length read so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RemainingLength {
    /// The whole field: its value and how many bytes encode it.
    Complete { value: usize, len: usize },
    /// Every byte present continues the field.
    Partial,
}

/// Reads the Remaining Length from `bytes`, which start right after the first byte.
///
/// After each byte that continues the field, `bound` is told the least value the field can
/// still have (`at_least`) and the least number of bytes it will take (`len`), and may refuse
/// them: a minimal encoding ends with a non-zero group, so after n continuing bytes the value
/// is at least what they hold plus 128^n. Checking there, rather than once the field is
/// complete, makes the error the same however the bytes arrive: `C0 80` and `C0 80 00` are
/// both refused at the `80`.
///
/// An error names the kind and the index in `bytes` where it is settled: 0 for a refusal by
/// `bound` (the field as a whole), the offending byte otherwise.
#[deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
pub(crate) fn decode_remaining_length(
    bytes: &[u8],
    bound: impl Fn(usize, usize) -> Result<(), DecodeErrorKind>,
) -> Result<RemainingLength, (DecodeErrorKind, usize)> {
    let mut value = 0usize;
    // 128^index for index 0..4: at most 2^21, and the sum at most 268,435,455.
    let weights = [1usize, 1 << 7, 1 << 14, 1 << 21];
    for ((index, &byte), weight) in bytes.iter().enumerate().zip(weights) {
        value = value.saturating_add(usize::from(byte & 0x7F).saturating_mul(weight));
        if byte & 0x80 == 0 {
            // Section 2.2.3 shows only minimal encodings, and MQTT-1.5.5-1 (5.0) requires
            // them: a last byte of 0 after a continuation only pads the number.
            if byte == 0 && index > 0 {
                return Err((DecodeErrorKind::NonMinimalRemainingLength, index));
            }
            return Ok(RemainingLength::Complete {
                value,
                len: index.saturating_add(1),
            });
        }
        // Section 2.2.3: at most four bytes, so the fourth must end the field.
        let Some(&next_weight) = weights.get(index.saturating_add(1)) else {
            return Err((DecodeErrorKind::RemainingLengthTooLong, index));
        };
        bound(value.saturating_add(next_weight), index.saturating_add(2))
            .map_err(|kind| (kind, 0))?;
    }
    Ok(RemainingLength::Partial)
}

/// The number of bytes the minimal encoding of `value` takes (1 to 4).
/// `value` is at most [`MAX_REMAINING_LENGTH`], which every constructor checks.
pub(crate) const fn remaining_length_len(value: usize) -> usize {
    match value {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

/// The size of a whole packet whose Remaining Length is `remaining`.
pub(crate) const fn frame_len(remaining: usize) -> usize {
    1 + remaining_length_len(remaining) + remaining
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_bound(_: usize, _: usize) -> Result<(), DecodeErrorKind> {
        Ok(())
    }

    #[test]
    fn decodes_the_boundaries_of_each_length() {
        // Section 2.2.3's table: the smallest and largest value of each byte count.
        let cases: &[(&[u8], usize)] = &[
            (&[0x00], 0),
            (&[0x7F], 127),
            (&[0x80, 0x01], 128),
            (&[0xFF, 0x7F], 16_383),
            (&[0x80, 0x80, 0x01], 16_384),
            (&[0xFF, 0xFF, 0x7F], 2_097_151),
            (&[0x80, 0x80, 0x80, 0x01], 2_097_152),
            (&[0xFF, 0xFF, 0xFF, 0x7F], 268_435_455),
        ];
        for &(bytes, value) in cases {
            assert_eq!(
                decode_remaining_length(bytes, no_bound),
                Ok(RemainingLength::Complete {
                    value,
                    len: bytes.len()
                })
            );
            assert_eq!(remaining_length_len(value), bytes.len());
            let mut enc = [0u8; 5];
            let mut sink = crate::writer::SliceSink::new(&mut enc[..1 + bytes.len()]);
            crate::writer::Sink::put_header(&mut sink, 0x30, value);
            assert_eq!(sink.left(), 0);
            assert_eq!((enc[0], &enc[1..1 + bytes.len()]), (0x30, bytes));
        }
    }

    #[test]
    fn partial_while_continuation_bits_are_set() {
        assert_eq!(
            decode_remaining_length(&[], no_bound),
            Ok(RemainingLength::Partial)
        );
        assert_eq!(
            decode_remaining_length(&[0x80], no_bound),
            Ok(RemainingLength::Partial)
        );
        assert_eq!(
            decode_remaining_length(&[0xFF, 0xFF, 0xFF], no_bound),
            Ok(RemainingLength::Partial)
        );
    }

    #[test]
    fn tells_the_bound_the_least_value_after_each_continuing_byte() {
        let seen = core::cell::RefCell::new(std::vec::Vec::new());
        let record = |at_least, len| {
            seen.borrow_mut().push((at_least, len));
            Ok(())
        };
        // 0x85: 5 so far, then at least 1 * 128; 0xFF: 5 + 127 * 128 so far, then 128^2.
        assert_eq!(
            decode_remaining_length(&[0x85, 0xFF, 0xFF], record),
            Ok(RemainingLength::Partial)
        );
        assert_eq!(
            *seen.borrow(),
            [
                (133, 2),
                (5 + 127 * 128 + 16_384, 3),
                (5 + 127 * 128 + 127 * 16_384 + 2_097_152, 4)
            ]
        );
    }

    #[test]
    fn a_bound_refusal_comes_before_later_bytes_are_looked_at() {
        let at_most_2 = |at_least, _| {
            if at_least > 2 {
                Err(DecodeErrorKind::InvalidRemainingLength)
            } else {
                Ok(())
            }
        };
        for bytes in [&[0x80][..], &[0x80, 0x00], &[0x80, 0x80, 0x80, 0x80]] {
            assert_eq!(
                decode_remaining_length(bytes, at_most_2),
                Err((DecodeErrorKind::InvalidRemainingLength, 0))
            );
        }
    }

    #[test]
    fn rejects_a_fifth_byte_as_soon_as_the_fourth_continues() {
        // The fourth byte has its continuation bit set: no fifth byte can make this valid.
        assert_eq!(
            decode_remaining_length(&[0xFF, 0xFF, 0xFF, 0xFF], no_bound),
            Err((DecodeErrorKind::RemainingLengthTooLong, 3))
        );
        assert_eq!(
            decode_remaining_length(&[0x80, 0x80, 0x80, 0x80, 0x01], no_bound),
            Err((DecodeErrorKind::RemainingLengthTooLong, 3))
        );
    }

    #[test]
    fn rejects_padded_encodings() {
        assert_eq!(
            decode_remaining_length(&[0x80, 0x00], no_bound),
            Err((DecodeErrorKind::NonMinimalRemainingLength, 1))
        );
        // 0x85 0x80 0x00 pads 5 to three bytes.
        assert_eq!(
            decode_remaining_length(&[0x85, 0x80, 0x00], no_bound),
            Err((DecodeErrorKind::NonMinimalRemainingLength, 2))
        );
    }
}
