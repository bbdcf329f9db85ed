//! SUBACK (section 3.9): the server's answer to a SUBSCRIBE, one return code per filter.

use core::fmt;
use core::num::NonZeroU16;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::MAX_REMAINING_LENGTH;
use crate::list::{self, List, ListItem};
use crate::reader::Reader;
use crate::writer::Sink;
use crate::QoS;

/// A SUBACK return code (section 3.9.3).
///
/// ```
/// use mqtt_wire::v311::SubackReturnCode;
/// use mqtt_wire::QoS;
///
/// assert_eq!(SubackReturnCode::from_u8(0x80), Some(SubackReturnCode::Failure));
/// assert_eq!(SubackReturnCode::from_u8(0x01), Some(SubackReturnCode::Granted(QoS::AtLeastOnce)));
/// assert_eq!(SubackReturnCode::from_u8(0x03), None); // reserved (MQTT-3.9.3-2)
/// assert_eq!(SubackReturnCode::Granted(QoS::ExactlyOnce).as_u8(), 0x02);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SubackReturnCode {
    /// Success, with the maximum QoS the server granted (0x00, 0x01, 0x02).
    Granted(QoS),
    /// The subscription failed (0x80).
    Failure,
}

impl SubackReturnCode {
    /// The return code for `value`; `None` for the reserved values (`MQTT-3.9.3-2`).
    pub const fn from_u8(value: u8) -> Option<Self> {
        match value {
            0x80 => Some(SubackReturnCode::Failure),
            _ => match QoS::from_u8(value) {
                Some(qos) => Some(SubackReturnCode::Granted(qos)),
                None => None,
            },
        }
    }

    /// The byte on the wire.
    pub const fn as_u8(self) -> u8 {
        match self {
            SubackReturnCode::Granted(qos) => qos.as_u8(),
            SubackReturnCode::Failure => 0x80,
        }
    }
}

impl list::private::Sealed for SubackReturnCode {}

impl<'a> ListItem<'a> for SubackReturnCode {
    fn read(bytes: &mut &'a [u8]) -> Option<Self> {
        let (&code, rest) = bytes.split_first()?;
        *bytes = rest;
        SubackReturnCode::from_u8(code)
    }

    #[inline]
    fn wire_len(&self) -> usize {
        1
    }

    #[inline]
    fn write<S: Sink>(&self, sink: &mut S) {
        sink.put_u8(self.as_u8());
    }
}

/// A SUBACK packet.
///
/// ```
/// use mqtt_wire::v311::{self, Packet, Suback, SubackReturnCode};
/// use mqtt_wire::QoS;
/// use std::num::NonZeroU16;
///
/// let codes = [SubackReturnCode::Granted(QoS::AtLeastOnce), SubackReturnCode::Failure];
/// let suback = Suback::new(NonZeroU16::new(1).unwrap(), &codes)?;
/// let mut buf = [0u8; 6];
/// Packet::Suback(suback).encode(&mut buf)?;
/// assert_eq!(buf, [0x90, 0x04, 0x00, 0x01, 0x01, 0x80]);
///
/// // Decoded, the codes are read from the packet's bytes as they are iterated.
/// let Some((Packet::Suback(decoded), _)) = v311::decode(&buf)?.complete() else { unreachable!() };
/// assert_eq!(decoded.packet_id().get(), 1);
/// assert_eq!(decoded.return_codes().iter().collect::<Vec<_>>(), codes);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suback<'a> {
    packet_id: NonZeroU16,
    return_codes: List<'a, SubackReturnCode>,
}

impl<'a> Suback<'a> {
    /// A SUBACK with one return code per filter of the SUBSCRIBE it answers, so at least one.
    ///
    /// ```
    /// use mqtt_wire::v311::{Suback, SubackReturnCode};
    /// use mqtt_wire::EncodeError;
    /// use std::num::NonZeroU16;
    ///
    /// let id = NonZeroU16::new(4).unwrap();
    /// assert_eq!(Suback::new(id, &[SubackReturnCode::Failure])?.return_codes().len(), 1);
    /// assert_eq!(Suback::new(id, &[]), Err(EncodeError::NoReturnCodes));
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn new(
        packet_id: NonZeroU16,
        return_codes: &'a [SubackReturnCode],
    ) -> Result<Self, EncodeError> {
        if return_codes.is_empty() {
            return Err(EncodeError::NoReturnCodes);
        }
        if 2 + return_codes.len() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(Suback {
            packet_id,
            return_codes: List::from_items(return_codes),
        })
    }

    /// The Packet Identifier.
    pub const fn packet_id(&self) -> NonZeroU16 {
        self.packet_id
    }

    /// The return codes, in the order of the SUBSCRIBE's filters.
    pub const fn return_codes(&self) -> List<'a, SubackReturnCode> {
        self.return_codes
    }

    #[inline]
    pub(crate) fn remaining_length(&self) -> usize {
        2 + self.return_codes.wire_len()
    }

    #[inline]
    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_u16(self.packet_id.get());
        self.return_codes.write(sink);
    }

    pub(crate) fn decode(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        let packet_id = r.packet_id()?;
        // Section 3.9.3: one code per filter of the SUBSCRIBE, which has at least one.
        if r.is_empty() {
            return Err(r.error(DecodeErrorKind::NoReturnCodes));
        }
        let start = r.pos();
        while !r.is_empty() {
            let at = r.pos();
            let code = r.u8(Field::SubackReturnCode)?;
            // MQTT-3.9.3-2
            if SubackReturnCode::from_u8(code).is_none() {
                return Err(r.error_at(DecodeErrorKind::InvalidSubackReturnCode(code), at));
            }
        }
        let codes = r.consumed_since(start);
        Ok(Suback {
            packet_id,
            return_codes: List::from_wire(codes, codes.len()),
        })
    }
}

impl fmt::Display for Suback<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SUBACK packet_id={} return_codes=[", self.packet_id)?;
        for (i, code) in self.return_codes.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{:#04x}", code.as_u8())?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v311::testing::{decode_err, decode_ok, encode};
    use crate::v311::Packet;
    use crate::{Clause, DecodeErrorKind as K};

    #[test]
    fn round_trips_every_return_code() {
        let bytes = [
            0x90, 0x06, // SUBACK, remaining length 6
            0x00, 0x07, // packet id 7
            0x00, 0x01, 0x02, 0x80, // granted 0, 1, 2; failure
        ];
        let codes = [
            SubackReturnCode::Granted(QoS::AtMostOnce),
            SubackReturnCode::Granted(QoS::AtLeastOnce),
            SubackReturnCode::Granted(QoS::ExactlyOnce),
            SubackReturnCode::Failure,
        ];
        let packet = Packet::Suback(Suback::new(NonZeroU16::new(7).unwrap(), &codes).unwrap());
        assert_eq!(decode_ok(&bytes), packet);
        assert_eq!(encode(&packet), bytes);
    }

    #[test]
    fn rejects_reserved_return_codes() {
        for code in [0x03, 0x7F, 0x81, 0xFF] {
            let e = decode_err(&[0x90, 0x04, 0x00, 0x01, 0x00, code]);
            assert_eq!(
                (e.kind(), e.offset()),
                (K::InvalidSubackReturnCode(code), 5)
            );
            assert_eq!(e.clause(), Clause::Id("MQTT-3.9.3-2"));
        }
    }

    #[test]
    fn rejects_a_suback_without_return_codes() {
        let e = decode_err(&[0x90, 0x02, 0x00, 0x01]);
        assert_eq!(
            (e.kind(), e.clause()),
            (K::NoReturnCodes, Clause::Section("3.9.3"))
        );
        assert_eq!(
            Suback::new(NonZeroU16::new(1).unwrap(), &[]),
            Err(EncodeError::NoReturnCodes)
        );
    }
}
