//! The packets made of an optional reason code and optional properties: PUBACK, PUBREC,
//! PUBREL, PUBCOMP (sections 3.4-3.7, after a Packet Identifier), DISCONNECT and AUTH
//! (sections 3.14, 3.15). Each may drop its trailing parts (DECISIONS.md section 3); a decoded
//! value remembers which form it came in, so it encodes back to the same bytes, and a built
//! one takes the shortest form.

use core::fmt;
use core::num::NonZeroU16;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::MAX_REMAINING_LENGTH;
use crate::reader::Reader;
use crate::v5::properties::{Place, Properties};
use crate::v5::reason::ReasonCode;
use crate::v5::{Decoder, Shown};
use crate::writer::Sink;
use crate::PacketType;

/// A reason code and properties, each of which the wire may leave out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tail<'a> {
    /// `None`: absent, meaning Success.
    reason_code: Option<ReasonCode>,
    /// `None`: the property length is absent.
    properties: Option<Properties<'a>>,
}

impl<'a> Tail<'a> {
    /// The shortest form for this reason code and these properties, after checking both
    /// for `packet`.
    fn build(
        packet: PacketType,
        reason_code: ReasonCode,
        properties: Properties<'a>,
    ) -> Result<Self, EncodeError> {
        if ReasonCode::new(packet, reason_code.value()).is_none() {
            return Err(EncodeError::InvalidReasonCode(reason_code.value()));
        }
        properties.check(Place::Packet(packet))?;
        // The packet identifier (2), the reason code and the property length (at most 4).
        if properties.block_len() > MAX_REMAINING_LENGTH - 7 {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(match (reason_code.value(), properties.is_empty()) {
            (0, true) => Tail {
                reason_code: None,
                properties: None,
            },
            // AUTH has no form with a reason code and no property length (section 3.15.2.1).
            (_, true) if packet != PacketType::Auth => Tail {
                reason_code: Some(reason_code),
                properties: None,
            },
            _ => Tail {
                reason_code: Some(reason_code),
                properties: Some(properties),
            },
        })
    }

    /// Exactly this form: `None` leaves the reason code or the property length off the wire.
    /// Properties without a reason code, a left-out reason code other than Success, and AUTH
    /// with a reason code alone are not forms the standard has (DECISIONS.md section 3).
    fn with_form(
        packet: PacketType,
        reason_code: Option<ReasonCode>,
        properties: Option<Properties<'a>>,
    ) -> Result<Self, EncodeError> {
        let shortest = Tail::build(
            packet,
            reason_code.unwrap_or(ReasonCode::SUCCESS),
            properties.unwrap_or(Properties::EMPTY),
        )?;
        match (reason_code, properties) {
            (None, Some(_)) => Err(EncodeError::IllegalShortForm(packet)),
            (Some(_), None) if packet == PacketType::Auth => {
                Err(EncodeError::IllegalShortForm(packet))
            }
            (None, None) if shortest.reason_code.is_some() || shortest.properties.is_some() => {
                Err(EncodeError::IllegalShortForm(packet))
            }
            (Some(_), None) if shortest.properties.is_some() => {
                Err(EncodeError::IllegalShortForm(packet))
            }
            _ => Ok(Tail {
                reason_code,
                properties,
            }),
        }
    }

    /// Whether this form, reason code and properties are legal in `packet`.
    fn check_for(&self, packet: PacketType) -> Result<(), EncodeError> {
        Tail::with_form(packet, self.reason_code, self.properties).map(|_| ())
    }

    fn reason_code(&self) -> ReasonCode {
        self.reason_code.unwrap_or(ReasonCode::SUCCESS)
    }

    fn properties(&self) -> Properties<'a> {
        self.properties.unwrap_or(Properties::EMPTY)
    }

    fn wire_len(&self) -> usize {
        usize::from(self.reason_code.is_some()) + self.properties.map_or(0, |p| p.wire_len())
    }

    fn write<S: Sink>(&self, sink: &mut S) {
        if let Some(code) = self.reason_code {
            sink.put_u8(code.value());
        }
        if let Some(properties) = &self.properties {
            properties.write(sink);
        }
    }

    /// Reads what is left of the body: nothing, a reason code, or a reason code and
    /// properties.
    fn decode(r: &mut Reader<'a>, packet: PacketType, d: &Decoder) -> Result<Self, DecodeError> {
        if r.is_empty() {
            return Ok(Tail {
                reason_code: None,
                properties: None,
            });
        }
        let at = r.pos();
        let code = r.u8(Field::ReasonCode)?;
        let reason_code = ReasonCode::new(packet, code)
            .ok_or_else(|| r.error_at(DecodeErrorKind::InvalidReasonCode(code), at))?;
        if r.is_empty() {
            return Ok(Tail {
                reason_code: Some(reason_code),
                properties: None,
            });
        }
        let properties = Properties::read(r, Place::Packet(packet), Field::Properties, d)?;
        r.finish()?;
        Ok(Tail {
            reason_code: Some(reason_code),
            properties: Some(properties),
        })
    }

    fn show(&self, f: &mut fmt::Formatter<'_>, packet: PacketType) -> fmt::Result {
        let code = self.reason_code();
        write!(f, " reason={code} ({})", code.name(packet))?;
        write!(f, "{}", Shown(&self.properties()))
    }
}

/// PUBACK, PUBREC, PUBREL or PUBCOMP: the Packet Identifier it answers, a reason code and
/// properties. [`Packet`](crate::v5::Packet)'s variant says which packet it is.
///
/// ```
/// use mqtt_wire::v5::{self, Ack, Packet, Properties, ReasonCode};
/// use mqtt_wire::PacketType;
/// use std::num::NonZeroU16;
///
/// let id = NonZeroU16::new(7).unwrap();
/// // Success without properties: the two-byte form.
/// let ok = Ack::new(PacketType::Puback, id, ReasonCode::SUCCESS, Properties::EMPTY)?;
/// let mut buf = [0u8; 8];
/// assert_eq!(Packet::Puback(ok).encode(&mut buf)?, 4);
/// // The same reason in the three-byte form decodes, and encodes back to its own bytes.
/// let long = [0x40, 0x03, 0x00, 0x07, 0x00];
/// let (packet, _) = v5::decode(&long).unwrap().complete().unwrap();
/// assert_eq!(packet.encode(&mut buf)?, 5);
/// assert_eq!(buf[..5], long);
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ack<'a> {
    packet_id: NonZeroU16,
    tail: Tail<'a>,
}

impl<'a> Ack<'a> {
    /// An acknowledgement of type `packet` (PUBACK, PUBREC, PUBREL or PUBCOMP), in the
    /// shortest form; a reason code `packet`'s table does not list, or properties it may not
    /// carry, are refused.
    pub fn new(
        packet: PacketType,
        packet_id: NonZeroU16,
        reason_code: ReasonCode,
        properties: Properties<'a>,
    ) -> Result<Self, EncodeError> {
        Ok(Ack {
            packet_id,
            tail: Tail::build(packet, reason_code, properties)?,
        })
    }

    /// An acknowledgement in exactly the form given, as a decoded one remembers it: `None`
    /// leaves the reason code (Success) or the property length off the wire. A form the
    /// standard does not have (properties without a reason code) is refused.
    ///
    /// ```
    /// use mqtt_wire::v5::{Ack, Packet, Properties, ReasonCode};
    /// use mqtt_wire::PacketType;
    /// use std::num::NonZeroU16;
    ///
    /// let id = NonZeroU16::new(7).unwrap();
    /// let long = Ack::with_form(PacketType::Puback, id, Some(ReasonCode::SUCCESS), Some(Properties::EMPTY))?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(Packet::Puback(long).encode(&mut buf)?, 6); // 40 04 00 07 00 00
    /// assert!(Ack::with_form(PacketType::Puback, id, None, Some(Properties::EMPTY)).is_err());
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn with_form(
        packet: PacketType,
        packet_id: NonZeroU16,
        reason_code: Option<ReasonCode>,
        properties: Option<Properties<'a>>,
    ) -> Result<Self, EncodeError> {
        Ok(Ack {
            packet_id,
            tail: Tail::with_form(packet, reason_code, properties)?,
        })
    }

    /// The Packet Identifier.
    pub fn packet_id(&self) -> NonZeroU16 {
        self.packet_id
    }
    /// The reason code (Success when the wire left it out).
    pub fn reason_code(&self) -> ReasonCode {
        self.tail.reason_code()
    }
    /// The properties (none when the wire left them out).
    pub fn properties(&self) -> Properties<'a> {
        self.tail.properties()
    }
    /// Whether the reason code was on the wire.
    pub fn has_reason_code(&self) -> bool {
        self.tail.reason_code.is_some()
    }
    /// Whether the property length was on the wire.
    pub fn has_properties(&self) -> bool {
        self.tail.properties.is_some()
    }

    pub(crate) fn remaining_length(&self) -> usize {
        2 + self.tail.wire_len()
    }

    pub(crate) fn check_for(&self, packet: PacketType) -> Result<(), EncodeError> {
        self.tail.check_for(packet)
    }

    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_u16(self.packet_id.get());
        self.tail.write(sink);
    }

    pub(crate) fn decode(
        r: &mut Reader<'a>,
        packet: PacketType,
        d: &Decoder,
    ) -> Result<Self, DecodeError> {
        let packet_id = r.packet_id()?;
        let tail = Tail::decode(r, packet, d)?;
        Ok(Ack { packet_id, tail })
    }

    pub(crate) fn show(&self, f: &mut fmt::Formatter<'_>, packet: PacketType) -> fmt::Result {
        write!(f, "{} packet_id={}", packet.name(), self.packet_id)?;
        self.tail.show(f, packet)
    }
}

/// DISCONNECT or AUTH: a reason code and properties. [`Packet`](crate::v5::Packet)'s
/// variant says which.
///
/// `Debug` and `Display` show Authentication Data as `***`.
///
/// ```
/// use mqtt_wire::v5::{self, Notice, Packet};
///
/// // `E0 00`: DISCONNECT, Normal disconnection, and the next packet after it.
/// let bytes = [0xE0, 0x00, 0xC0, 0x00];
/// let (packet, used) = v5::decode(&bytes).unwrap().complete().unwrap();
/// assert_eq!(used, 2);
/// let Packet::Disconnect(notice) = packet else { unreachable!() };
/// assert_eq!(notice.reason_code().value(), 0x00);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Notice<'a> {
    tail: Tail<'a>,
}

impl<'a> Notice<'a> {
    /// A DISCONNECT or AUTH (`packet`), in the shortest form; a reason code `packet`'s table
    /// does not list, or properties it may not carry, are refused.
    pub fn new(
        packet: PacketType,
        reason_code: ReasonCode,
        properties: Properties<'a>,
    ) -> Result<Self, EncodeError> {
        if !matches!(packet, PacketType::Disconnect | PacketType::Auth) {
            return Err(EncodeError::InvalidReasonCode(reason_code.value()));
        }
        Ok(Notice {
            tail: Tail::build(packet, reason_code, properties)?,
        })
    }

    /// A DISCONNECT or AUTH in exactly the form given (see [`Ack::with_form`]); AUTH has no
    /// form with a reason code alone.
    pub fn with_form(
        packet: PacketType,
        reason_code: Option<ReasonCode>,
        properties: Option<Properties<'a>>,
    ) -> Result<Self, EncodeError> {
        if !matches!(packet, PacketType::Disconnect | PacketType::Auth) {
            return Err(EncodeError::IllegalShortForm(packet));
        }
        Ok(Notice {
            tail: Tail::with_form(packet, reason_code, properties)?,
        })
    }

    /// The reason code (Success or Normal disconnection when the wire left it out).
    pub fn reason_code(&self) -> ReasonCode {
        self.tail.reason_code()
    }
    /// The properties (none when the wire left them out).
    pub fn properties(&self) -> Properties<'a> {
        self.tail.properties()
    }
    /// Whether the reason code was on the wire.
    pub fn has_reason_code(&self) -> bool {
        self.tail.reason_code.is_some()
    }
    /// Whether the property length was on the wire.
    pub fn has_properties(&self) -> bool {
        self.tail.properties.is_some()
    }

    pub(crate) fn remaining_length(&self) -> usize {
        self.tail.wire_len()
    }

    pub(crate) fn check_for(&self, packet: PacketType) -> Result<(), EncodeError> {
        self.tail.check_for(packet)
    }

    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        self.tail.write(sink);
    }

    pub(crate) fn decode(
        r: &mut Reader<'a>,
        packet: PacketType,
        d: &Decoder,
    ) -> Result<Self, DecodeError> {
        Ok(Notice {
            tail: Tail::decode(r, packet, d)?,
        })
    }

    pub(crate) fn show(&self, f: &mut fmt::Formatter<'_>, packet: PacketType) -> fmt::Result {
        f.write_str(packet.name())?;
        self.tail.show(f, packet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v5::test_support::encoded;
    use crate::v5::{self, Packet, Property};

    fn id() -> NonZeroU16 {
        NonZeroU16::new(7).unwrap()
    }

    /// Sections 3.4.2.1 and 3.4.2.2.1: Remaining Length 2, 3 and 4 for reason 0x00, each
    /// decoded and encoded back to itself.
    #[test]
    fn every_legal_form_of_a_puback_round_trips() {
        // DECISIONS.md section 3: to a caller the three forms are one packet (Success, no
        // property); only the decoded value remembers its form, and encodes back to it.
        for (wire, has_code, has_properties) in [
            (&[0x40, 0x02, 0, 7][..], false, false),
            (&[0x40, 0x03, 0, 7, 0x00], true, false),
            (&[0x40, 0x04, 0, 7, 0x00, 0x00], true, true),
        ] {
            let (packet, used) = v5::decode(wire).unwrap().complete().unwrap();
            assert_eq!(used, wire.len());
            let Packet::Puback(ack) = packet else {
                panic!("{packet:?}")
            };
            assert_eq!(
                (ack.packet_id(), ack.reason_code()),
                (id(), ReasonCode::SUCCESS)
            );
            assert_eq!(ack.properties().iter().count(), 0);
            assert!(ack.properties().is_empty());
            assert_eq!(
                (ack.has_reason_code(), ack.has_properties()),
                (has_code, has_properties)
            );
            assert_eq!(encoded(packet), wire);
        }
    }

    #[test]
    fn a_built_acknowledgement_takes_the_shortest_form() {
        let ok = Ack::new(
            PacketType::Puback,
            id(),
            ReasonCode::SUCCESS,
            Properties::EMPTY,
        );
        assert_eq!(encoded(Packet::Puback(ok.unwrap())), [0x40, 0x02, 0, 7]);
        let code = ReasonCode::new(PacketType::Puback, 0x10).unwrap();
        let no_match = Ack::new(PacketType::Puback, id(), code, Properties::EMPTY).unwrap();
        assert_eq!(encoded(Packet::Puback(no_match)), [0x40, 0x03, 0, 7, 0x10]);
        let props = [Property::ReasonString("r")];
        let with = Ack::new(PacketType::Puback, id(), code, Properties::new(&props)).unwrap();
        assert_eq!(
            encoded(Packet::Puback(with)),
            [0x40, 0x08, 0, 7, 0x10, 0x04, 0x1F, 0, 1, b'r']
        );
        // DISCONNECT: 0 bytes for Normal disconnection, 1 for another reason alone.
        let normal = Notice::new(
            PacketType::Disconnect,
            ReasonCode::SUCCESS,
            Properties::EMPTY,
        );
        assert_eq!(encoded(Packet::Disconnect(normal.unwrap())), [0xE0, 0x00]);
        let will = ReasonCode::new(PacketType::Disconnect, 0x04).unwrap();
        let notice = Notice::new(PacketType::Disconnect, will, Properties::EMPTY).unwrap();
        assert_eq!(encoded(Packet::Disconnect(notice)), [0xE0, 0x01, 0x04]);
        // AUTH has no one-byte form: a reason alone gets an empty property block.
        let cont = ReasonCode::new(PacketType::Auth, 0x18).unwrap();
        let auth = Notice::new(PacketType::Auth, cont, Properties::EMPTY).unwrap();
        assert_eq!(encoded(Packet::Auth(auth)), [0xF0, 0x02, 0x18, 0x00]);
    }

    #[test]
    fn auth_with_a_reason_code_alone_is_refused_at_its_length() {
        let err = v5::decode(&[0xF0, 0x01, 0x18]).unwrap_err();
        assert_eq!(
            (err.kind(), err.offset()),
            (DecodeErrorKind::InvalidRemainingLength, 1)
        );
        assert_eq!(err.reason_code().map(|c| c.value()), Some(0x81));
        // Remaining Length 0 is Success with no properties, and legal.
        assert!(v5::decode(&[0xF0, 0x00]).unwrap().complete().is_some());
    }

    #[test]
    fn a_reason_code_outside_the_table_is_refused_where_it_stands() {
        // PUBREL may carry only 0x00 and 0x92.
        let err = v5::decode(&[0x62, 0x03, 0, 7, 0x10]).unwrap_err();
        assert_eq!(
            (err.kind(), err.offset()),
            (DecodeErrorKind::InvalidReasonCode(0x10), 4)
        );
        assert_eq!(err.clause().as_str(), "MQTT-3.6.2-1");
    }
}
