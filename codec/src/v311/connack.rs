//! CONNACK (section 3.2): the server's answer to a CONNECT.

use core::fmt;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::reader::Reader;
use crate::writer::Sink;

/// The Connect Return Code of a CONNACK (section 3.2.2.3).
///
/// ```
/// use mqtt_wire::v311::ConnectReturnCode;
///
/// assert_eq!(ConnectReturnCode::from_u8(5), Some(ConnectReturnCode::NotAuthorized));
/// assert_eq!(ConnectReturnCode::from_u8(6), None); // reserved
/// assert_eq!(ConnectReturnCode::BadUsernameOrPassword.as_u8(), 4);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ConnectReturnCode {
    /// 0: connection accepted.
    Accepted = 0,
    /// 1: the server does not support the requested protocol level.
    UnacceptableProtocolVersion = 1,
    /// 2: the client identifier is valid UTF-8 but the server does not allow it.
    IdentifierRejected = 2,
    /// 3: the MQTT service is unavailable.
    ServerUnavailable = 3,
    /// 4: the user name or password is malformed.
    BadUsernameOrPassword = 4,
    /// 5: the client is not authorized to connect.
    NotAuthorized = 5,
}

impl ConnectReturnCode {
    /// The return code for `value`; `None` for the reserved values 6-255.
    pub const fn from_u8(value: u8) -> Option<Self> {
        use ConnectReturnCode as C;
        Some(match value {
            0 => C::Accepted,
            1 => C::UnacceptableProtocolVersion,
            2 => C::IdentifierRejected,
            3 => C::ServerUnavailable,
            4 => C::BadUsernameOrPassword,
            5 => C::NotAuthorized,
            _ => return None,
        })
    }

    /// The numeric value, 0 to 5.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

/// A CONNACK packet.
///
/// ```
/// use mqtt_wire::v311::{Connack, ConnectReturnCode, Packet};
///
/// let connack = Connack::new(true, ConnectReturnCode::Accepted)?;
/// assert!(connack.session_present());
/// assert_eq!(connack.return_code(), ConnectReturnCode::Accepted);
/// let mut buf = [0u8; 4];
/// Packet::Connack(connack).encode(&mut buf)?;
/// assert_eq!(buf, [0x20, 0x02, 0x01, 0x00]);
///
/// // Session Present with a refusal is not allowed (MQTT-3.2.2-4).
/// assert!(Connack::new(true, ConnectReturnCode::NotAuthorized).is_err());
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Connack {
    session_present: bool,
    return_code: ConnectReturnCode,
}

impl Connack {
    /// A CONNACK. Session Present must be 0 with a non-zero return code (`MQTT-3.2.2-4`).
    ///
    /// ```
    /// use mqtt_wire::v311::{Connack, ConnectReturnCode};
    /// use mqtt_wire::EncodeError;
    ///
    /// let refused = Connack::new(false, ConnectReturnCode::NotAuthorized)?;
    /// assert_eq!(refused.return_code().as_u8(), 5);
    /// assert_eq!(
    ///     Connack::new(true, ConnectReturnCode::ServerUnavailable),
    ///     Err(EncodeError::SessionPresentWithError)
    /// );
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn new(session_present: bool, return_code: ConnectReturnCode) -> Result<Self, EncodeError> {
        if session_present && return_code != ConnectReturnCode::Accepted {
            return Err(EncodeError::SessionPresentWithError);
        }
        Ok(Connack {
            session_present,
            return_code,
        })
    }

    /// The Session Present flag.
    pub const fn session_present(&self) -> bool {
        self.session_present
    }

    /// The Connect Return Code.
    pub const fn return_code(&self) -> ConnectReturnCode {
        self.return_code
    }

    #[inline]
    pub(crate) const fn remaining_length(&self) -> usize {
        2
    }

    #[inline]
    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_u8(u8::from(self.session_present));
        sink.put_u8(self.return_code.as_u8());
    }

    pub(crate) fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let flags_start = r.pos();
        let flags = r.u8(Field::ConnackFlags)?;
        // Section 3.2.2.1: bits 7-1 are reserved and 0.
        if flags & 0xFE != 0 {
            return Err(r.error_at(DecodeErrorKind::ConnackReservedFlags, flags_start));
        }
        let code_start = r.pos();
        let code = r.u8(Field::ReturnCode)?;
        // Section 3.2.2.3: 6-255 are reserved.
        let return_code = ConnectReturnCode::from_u8(code).ok_or_else(|| {
            r.error_at(DecodeErrorKind::InvalidConnectReturnCode(code), code_start)
        })?;
        let session_present = flags == 1;
        // MQTT-3.2.2-4
        if session_present && return_code != ConnectReturnCode::Accepted {
            return Err(r.error_at(DecodeErrorKind::SessionPresentWithError, flags_start));
        }
        r.finish()?;
        Ok(Connack {
            session_present,
            return_code,
        })
    }
}

impl fmt::Display for Connack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CONNACK session_present={} return_code={} ({:?})",
            self.session_present,
            self.return_code.as_u8(),
            self.return_code
        )
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
        for code in 0..=5 {
            let rc = ConnectReturnCode::from_u8(code).unwrap();
            let bytes = [0x20, 0x02, 0x00, code]; // CONNACK, length 2, no session, code
            let packet = Packet::Connack(Connack::new(false, rc).unwrap());
            assert_eq!(decode_ok(&bytes), packet);
            assert_eq!(encode(&packet), bytes);
        }
        // Session present with code 0.
        assert_eq!(
            decode_ok(&[0x20, 0x02, 0x01, 0x00]),
            Packet::Connack(Connack::new(true, ConnectReturnCode::Accepted).unwrap())
        );
    }

    #[test]
    fn rejects_reserved_acknowledge_flags() {
        let e = decode_err(&[0x20, 0x02, 0x02, 0x00]); // bit 1 set
        assert_eq!((e.kind(), e.offset()), (K::ConnackReservedFlags, 2));
        assert_eq!(e.clause(), Clause::Section("3.2.2.1"));
        assert_eq!(
            decode_err(&[0x20, 0x02, 0x80, 0x00]).kind(),
            K::ConnackReservedFlags
        ); // bit 7
    }

    #[test]
    fn rejects_reserved_return_codes() {
        let e = decode_err(&[0x20, 0x02, 0x00, 0x06]);
        assert_eq!((e.kind(), e.offset()), (K::InvalidConnectReturnCode(6), 3));
        assert_eq!(e.clause(), Clause::Section("3.2.2.3"));
        assert_eq!(
            decode_err(&[0x20, 0x02, 0x00, 0xFF]).kind(),
            K::InvalidConnectReturnCode(255)
        );
    }

    #[test]
    fn rejects_session_present_with_an_error_code() {
        let e = decode_err(&[0x20, 0x02, 0x01, 0x05]);
        assert_eq!((e.kind(), e.offset()), (K::SessionPresentWithError, 2));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.2.2-4"));
        assert_eq!(
            Connack::new(true, ConnectReturnCode::NotAuthorized),
            Err(EncodeError::SessionPresentWithError)
        );
    }

    #[test]
    fn rejects_a_wrong_remaining_length() {
        // Remaining length 1 and 3: CONNACK's is always 2, so the header decides.
        assert_eq!(
            decode_err(&[0x20, 0x01, 0x00]).kind(),
            K::InvalidRemainingLength
        );
        assert_eq!(
            decode_err(&[0x20, 0x03, 0x00, 0x00, 0x00]).kind(),
            K::InvalidRemainingLength
        );
    }
}
