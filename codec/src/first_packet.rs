//! The first packet of a connection, whichever version it speaks: a server learns the
//! version from the CONNECT's Protocol Name and Level (`vectors/v5/DECISIONS.md`, section 9)
//! and continues the connection with that version's decoder.
//!
//! This module is part of the crate's front, beside `lib.rs`: it is the one place that knows
//! both versions.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::header::{self, RemainingLength};
use crate::{v311, v5, Needed, PacketType, Status};

/// The CONNECT that opened a connection, in the version it named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstPacket<'a> {
    /// Protocol Level 4: MQTT 3.1.1. Continue with [`v311::Decoder`].
    V311(v311::Connect<'a>),
    /// Protocol Level 5: MQTT 5.0. Continue with [`v5::Decoder`].
    V5(v5::Connect<'a>),
}

/// Decodes the first packet a server receives on a connection: a CONNECT of MQTT 3.1.1 or
/// 5.0, and which.
///
/// - A first packet that is not a CONNECT is [`DecodeErrorKind::FirstPacketNotConnect`]
///   (`MQTT-3.1.0-1`): close the connection.
/// - Level 4 is decoded by [`v311`], level 5 by [`v5`], with their default decoders, and their
///   errors are theirs (a 5.0 error carries its reason code, a 3.1.1 one its CONNACK code).
/// - Any other level, and MQTT 3.1's `MQIsdp` with level 3, is
///   [`DecodeErrorKind::UnsupportedProtocolLevel`] with the 3.1.1 answer, CONNACK return code 1
///   ([`DecodeError::connack_return_code`]), which a 3.1 client also understands: this codec
///   does not speak 3.1.
/// - Until the level byte has arrived, the bytes are checked by the rules both versions share
///   and the result is "need more" or the error both versions give.
///
/// ```
/// use mqtt_wire::{decode_first_packet, FirstPacket};
///
/// // A 5.0 CONNECT: "MQTT", level 5, Clean Start, keep alive 60, no properties, client id "c".
/// let v5 = [0x10, 0x0E, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0, 60, 0, 0, 1, b'c'];
/// let (first, used) = decode_first_packet(&v5)?.complete().unwrap();
/// assert!(matches!(first, FirstPacket::V5(c) if c.client_id() == "c"));
/// assert_eq!(used, v5.len());
/// // The same client speaking 3.1.1.
/// let v311 = [0x10, 0x0D, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60, 0, 1, b'c'];
/// assert!(matches!(decode_first_packet(&v311)?.complete(), Some((FirstPacket::V311(_), 15))));
/// // A PINGREQ first is refused.
/// assert!(decode_first_packet(&[0xC0, 0x00]).is_err());
/// # Ok::<(), mqtt_wire::DecodeError>(())
/// ```
pub fn decode_first_packet(input: &[u8]) -> Result<Status<(FirstPacket<'_>, usize)>, DecodeError> {
    let Some(&first) = input.first() else {
        return Ok(Status::Partial(Needed::Unknown));
    };
    if first >> 4 != PacketType::Connect.as_u8() {
        let error = DecodeError::new(
            DecodeErrorKind::FirstPacketNotConnect,
            0,
            PacketType::from_u8(first >> 4),
        );
        return Err(v311::finish_error(error));
    }
    match protocol_level(input) {
        Some((4, _)) => v311::decode(input).map(|status| match status {
            Status::Complete((v311::Packet::Connect(c), used)) => {
                Status::Complete((FirstPacket::V311(c), used))
            }
            Status::Complete(_) => Status::Partial(Needed::Unknown),
            Status::Partial(needed) => Status::Partial(needed),
        }),
        Some((5, _)) => v5::decode(input).map(|status| match status {
            Status::Complete((v5::Packet::Connect(c), used)) => {
                Status::Complete((FirstPacket::V5(c), used))
            }
            Status::Complete(_) => Status::Partial(Needed::Unknown),
            Status::Partial(needed) => Status::Partial(needed),
        }),
        Some((level, at)) => Err(v311::finish_error(DecodeError::new(
            DecodeErrorKind::UnsupportedProtocolLevel(level),
            at,
            Some(PacketType::Connect),
        ))),
        // The level has not arrived: what both versions say so far.
        None => match (v311::decode(input), v5::decode(input)) {
            (Err(_), Err(e)) => Err(e),
            (_, Ok(Status::Partial(needed))) | (Ok(Status::Partial(needed)), _) => {
                Ok(Status::Partial(needed))
            }
            _ => Ok(Status::Partial(Needed::Unknown)),
        },
    }
}

/// The Protocol Level and its offset, once present, after a Protocol Name of `MQTT` (3.1.1,
/// 5.0) or `MQIsdp` (3.1); `None` before it has arrived or when the name is neither.
fn protocol_level(input: &[u8]) -> Option<(u8, usize)> {
    let rest = input.get(1..)?;
    let RemainingLength::Complete { len, .. } =
        header::decode_remaining_length(rest, |_, _| Ok(())).ok()?
    else {
        return None;
    };
    let body = rest.get(len..)?;
    let name_len = match body.get(..2)? {
        [0, 4] if body.get(2..6)? == b"MQTT" => 4,
        [0, 6] if body.get(2..8)? == b"MQIsdp" => 6,
        _ => return None,
    };
    let at = 1 + len + 2 + name_len;
    Some((*input.get(at)?, at))
}
