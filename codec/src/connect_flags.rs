//! The start of a CONNECT's variable header, laid out the same in MQTT 3.1.1 and 5.0
//! (sections 3.1.2.1-3.1.2.9 of each): the Protocol Name `MQTT`, the Protocol Level, and the
//! Connect Flags with the rules that tie them together. Each version adds its own rules after
//! (3.1.1: no password without a user name) and numbers them.

use crate::error::{DecodeError, DecodeErrorKind, Field};
use crate::reader::Reader;
use crate::writer::Sink;
use crate::QoS;

const PROTOCOL_NAME: &[u8] = b"MQTT";

const FLAG_RESERVED: u8 = 0x01;
const FLAG_CLEAN: u8 = 0x02;
const FLAG_WILL: u8 = 0x04;
const FLAG_WILL_QOS_SHIFT: u8 = 3;
const FLAG_WILL_RETAIN: u8 = 0x20;
const FLAG_PASSWORD: u8 = 0x40;
const FLAG_USERNAME: u8 = 0x80;

/// The Connect Flags byte, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ConnectFlags(u8);

impl ConnectFlags {
    /// The flags of a CONNECT with these parts.
    pub(crate) fn new(
        clean: bool,
        will: Option<(QoS, bool)>,
        username: bool,
        password: bool,
    ) -> Self {
        let mut flags = 0;
        if clean {
            flags |= FLAG_CLEAN;
        }
        if let Some((qos, retain)) = will {
            flags |= FLAG_WILL | (qos.as_u8() << FLAG_WILL_QOS_SHIFT);
            if retain {
                flags |= FLAG_WILL_RETAIN;
            }
        }
        if username {
            flags |= FLAG_USERNAME;
        }
        if password {
            flags |= FLAG_PASSWORD;
        }
        ConnectFlags(flags)
    }

    /// Writes the Protocol Name, `level` and the flags.
    pub(crate) fn write<S: Sink>(self, sink: &mut S, level: u8) {
        sink.put_prefixed(PROTOCOL_NAME);
        sink.put_array([level, self.0]);
    }

    /// Reads the Protocol Name, which must be `MQTT`; the Protocol Level, which must be
    /// `level` (nothing after another version's level is read: its CONNECT may be laid out
    /// otherwise); and the Connect Flags: the reserved bit 0, and no Will QoS or Will Retain
    /// without the Will Flag, and no Will QoS 3. Returns the flags and their offset.
    pub(crate) fn read(r: &mut Reader<'_>, level: u8) -> Result<(Self, usize), DecodeError> {
        // Read the name as raw bytes: a name that is not even UTF-8 is still just the
        // wrong name.
        let name_start = r.pos();
        if !r.literal(Field::ProtocolName, PROTOCOL_NAME)? {
            return Err(r.error_at(DecodeErrorKind::InvalidProtocolName, name_start));
        }
        let level_start = r.pos();
        let got = r.u8(Field::ProtocolLevel)?;
        if got != level {
            return Err(r.error_at(DecodeErrorKind::UnsupportedProtocolLevel(got), level_start));
        }
        let at = r.pos();
        let flags = r.u8(Field::ConnectFlags)?;
        let kind = if flags & FLAG_RESERVED != 0 {
            Some(DecodeErrorKind::ConnectReservedFlag)
        } else if flags & FLAG_WILL == 0 && flags & (0x03 << FLAG_WILL_QOS_SHIFT) != 0 {
            Some(DecodeErrorKind::WillQoSWithoutWill)
        } else if flags & FLAG_WILL == 0 && flags & FLAG_WILL_RETAIN != 0 {
            Some(DecodeErrorKind::WillRetainWithoutWill)
        } else if (flags >> FLAG_WILL_QOS_SHIFT) & 0x03 == 3 {
            Some(DecodeErrorKind::InvalidWillQoS)
        } else {
            None
        };
        match kind {
            Some(kind) => Err(r.error_at(kind, at)),
            None => Ok((ConnectFlags(flags), at)),
        }
    }

    /// Clean Session (3.1.1) or Clean Start (5.0).
    pub(crate) fn clean(self) -> bool {
        self.0 & FLAG_CLEAN != 0
    }

    /// The Will QoS and Will Retain, when the Will Flag is set.
    pub(crate) fn will(self) -> Option<(QoS, bool)> {
        if self.0 & FLAG_WILL == 0 {
            return None;
        }
        let qos = QoS::from_u8((self.0 >> FLAG_WILL_QOS_SHIFT) & 0x03)?;
        Some((qos, self.0 & FLAG_WILL_RETAIN != 0))
    }

    /// The User Name Flag.
    pub(crate) fn username(self) -> bool {
        self.0 & FLAG_USERNAME != 0
    }

    /// The Password Flag.
    pub(crate) fn password(self) -> bool {
        self.0 & FLAG_PASSWORD != 0
    }
}
