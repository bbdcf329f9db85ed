//! CONNECT (MQTT 5.0 section 3.1) and CONNACK (section 3.2).

use core::fmt;

use crate::connect_flags::ConnectFlags;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::header::MAX_REMAINING_LENGTH;
use crate::reader::Reader;
use crate::text;
use crate::topic::TopicName;
use crate::v5::properties::{Place, Properties};
use crate::v5::reason::ReasonCode;
use crate::v5::{Decoder, Shown};
use crate::writer::Sink;
use crate::{PacketType, QoS};

/// MQTT 5.0's Protocol Version (section 3.1.2.2).
pub(crate) const PROTOCOL_LEVEL: u8 = 5;

/// A Will Message (section 3.1.3.2-3.1.3.4): its properties, topic, payload, QoS and retain.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Will<'a> {
    properties: Properties<'a>,
    topic: TopicName<'a>,
    payload: &'a [u8],
    qos: QoS,
    retain: bool,
}

impl<'a> Will<'a> {
    /// A will. The properties are checked for the Will Properties (Table 2-4).
    pub fn new(
        properties: Properties<'a>,
        topic: TopicName<'a>,
        payload: &'a [u8],
        qos: QoS,
        retain: bool,
    ) -> Result<Self, EncodeError> {
        properties.check(Place::Will)?;
        text::check_len(payload, Field::WillMessage)?;
        Ok(Will {
            properties,
            topic,
            payload,
            qos,
            retain,
        })
    }

    /// The Will Properties.
    pub fn properties(&self) -> Properties<'a> {
        self.properties
    }
    /// The Will Topic.
    pub fn topic(&self) -> TopicName<'a> {
        self.topic
    }
    /// The Will Payload.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
    /// The Will QoS.
    pub fn qos(&self) -> QoS {
        self.qos
    }
    /// The Will Retain flag.
    pub fn retain(&self) -> bool {
        self.retain
    }

    fn wire_len(&self) -> usize {
        self.properties.wire_len() + 2 + self.topic.as_str().len() + 2 + self.payload.len()
    }
}

impl fmt::Debug for Will<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Will")
            .field("properties", &self.properties)
            .field("topic", &self.topic)
            .field("payload_len", &self.payload.len())
            .field("qos", &self.qos)
            .field("retain", &self.retain)
            .finish()
    }
}

/// A CONNECT packet.
///
/// `Debug` and `Display` show the password and the Authentication Data as `***`.
///
/// ```
/// use mqtt_wire::v5::{Connect, Packet, Properties, Property};
///
/// let props = [Property::SessionExpiryInterval(60), Property::ReceiveMaximum(10)];
/// let connect = Connect::new("sensor-1", true, 30, Properties::new(&props))?
///     .with_password(b"secret")?; // 5.0 allows a password without a user name
/// let mut buf = [0u8; 64];
/// let n = Packet::Connect(connect).encode(&mut buf)?;
/// let (decoded, used) = mqtt_wire::v5::decode(&buf[..n]).unwrap().complete().unwrap();
/// assert_eq!((decoded, used), (Packet::Connect(connect), n));
/// assert!(!format!("{connect:?}").contains("secret"));
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Connect<'a> {
    clean_start: bool,
    keep_alive: u16,
    properties: Properties<'a>,
    client_id: &'a str,
    will: Option<Will<'a>>,
    username: Option<&'a str>,
    password: Option<&'a [u8]>,
}

impl<'a> Connect<'a> {
    /// A CONNECT with a client id, Clean Start, Keep Alive and properties; no will, user
    /// name or password.
    pub fn new(
        client_id: &'a str,
        clean_start: bool,
        keep_alive: u16,
        properties: Properties<'a>,
    ) -> Result<Self, EncodeError> {
        text::check_str(client_id, Field::ClientId)?;
        properties.check(Place::Packet(PacketType::Connect))?;
        Connect {
            clean_start,
            keep_alive,
            properties,
            client_id,
            will: None,
            username: None,
            password: None,
        }
        .fits()
    }

    /// The packet, when its Remaining Length fits in four bytes.
    fn fits(self) -> Result<Self, EncodeError> {
        if self.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(self)
    }

    /// With a will.
    pub fn with_will(self, will: Will<'a>) -> Result<Self, EncodeError> {
        Connect {
            will: Some(will),
            ..self
        }
        .fits()
    }

    /// With a user name.
    pub fn with_username(self, username: &'a str) -> Result<Self, EncodeError> {
        text::check_str(username, Field::Username)?;
        Connect {
            username: Some(username),
            ..self
        }
        .fits()
    }

    /// With a password (allowed without a user name in 5.0, section 3.1.2.9).
    pub fn with_password(self, password: &'a [u8]) -> Result<Self, EncodeError> {
        text::check_len(password, Field::Password)?;
        Connect {
            password: Some(password),
            ..self
        }
        .fits()
    }

    /// Clean Start.
    pub fn clean_start(&self) -> bool {
        self.clean_start
    }
    /// Keep Alive, in seconds.
    pub fn keep_alive(&self) -> u16 {
        self.keep_alive
    }
    /// The CONNECT properties.
    pub fn properties(&self) -> Properties<'a> {
        self.properties
    }
    /// The Client Identifier (may be empty).
    pub fn client_id(&self) -> &'a str {
        self.client_id
    }
    /// The will.
    pub fn will(&self) -> Option<Will<'a>> {
        self.will
    }
    /// The User Name.
    pub fn username(&self) -> Option<&'a str> {
        self.username
    }
    /// The Password.
    pub fn password(&self) -> Option<&'a [u8]> {
        self.password
    }

    pub(crate) fn remaining_length(&self) -> usize {
        10 + self.properties.wire_len()
            + 2
            + self.client_id.len()
            + self.will.map_or(0, |w| w.wire_len())
            + self.username.map_or(0, |u| 2 + u.len())
            + self.password.map_or(0, |p| 2 + p.len())
    }

    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        ConnectFlags::new(
            self.clean_start,
            self.will.map(|w| (w.qos, w.retain)),
            self.username.is_some(),
            self.password.is_some(),
        )
        .write(sink, PROTOCOL_LEVEL);
        sink.put_u16(self.keep_alive);
        self.properties.write(sink);
        sink.put_prefixed(self.client_id.as_bytes());
        if let Some(will) = &self.will {
            will.properties.write(sink);
            sink.put_prefixed(will.topic.as_str().as_bytes());
            sink.put_prefixed(will.payload);
        }
        if let Some(username) = self.username {
            sink.put_prefixed(username.as_bytes());
        }
        if let Some(password) = self.password {
            sink.put_prefixed(password);
        }
    }

    pub(crate) fn decode(r: &mut Reader<'a>, d: &Decoder) -> Result<Self, DecodeError> {
        // MQTT-3.1.2-1 (name), MQTT-3.1.2-2 (version), MQTT-3.1.2-3 (reserved flag),
        // MQTT-3.1.2-11, -12, -13 (the will's flags).
        let (flags, flags_start) = ConnectFlags::read(r, PROTOCOL_LEVEL)?;
        let flag_error = |kind| r.error_at(kind, flags_start);
        let has_will = flags.will().is_some();
        let (will_qos, will_retain) = flags.will().unwrap_or((QoS::AtMostOnce, false));
        // Context: the server's Maximum QoS and Retain Available (MQTT-3.2.2-12, -13).
        if has_will && will_qos > d.maximum_qos {
            return Err(flag_error(DecodeErrorKind::QoSNotSupported));
        }
        if has_will && will_retain && !d.retain_available {
            return Err(flag_error(DecodeErrorKind::RetainNotSupported));
        }
        let keep_alive = r.u16(Field::KeepAlive)?;
        let properties =
            Properties::read(r, Place::Packet(PacketType::Connect), Field::Properties, d)?;
        // MQTT-3.1.3-3, MQTT-3.1.3-4
        let client_id = r.string(Field::ClientId)?;
        // MQTT-3.1.2-9, MQTT-3.1.3-11
        let will = if has_will {
            let properties = Properties::read(r, Place::Will, Field::WillProperties, d)?;
            let topic = r.topic_name(Field::WillTopic)?;
            let payload_start = r.pos().saturating_add(2);
            let payload = r.binary(Field::WillMessage)?;
            d.check_payload(r, &properties, payload, payload_start)?;
            Some(Will {
                properties,
                topic,
                payload,
                qos: will_qos,
                retain: will_retain,
            })
        } else {
            None
        };
        // MQTT-3.1.2-17, MQTT-3.1.3-12
        let username = if flags.username() {
            Some(r.string(Field::Username)?)
        } else {
            None
        };
        // MQTT-3.1.2-19
        let password = if flags.password() {
            Some(r.binary(Field::Password)?)
        } else {
            None
        };
        // MQTT-3.1.2-16, -18, MQTT-3.1.3-1: fields whose flag is 0 are absent.
        if !r.is_empty() {
            let unflagged = if !has_will && !flags.username() && !flags.password() {
                // In 5.0 the first field of a will is its properties.
                Some(Field::WillProperties)
            } else if !flags.username() && !flags.password() {
                Some(Field::Username)
            } else if !flags.password() {
                Some(Field::Password)
            } else {
                None
            };
            return Err(match unflagged {
                Some(field) => r.error(DecodeErrorKind::UnflaggedField(field)),
                None => r.error(DecodeErrorKind::TrailingBytes),
            });
        }
        Ok(Connect {
            clean_start: flags.clean(),
            keep_alive,
            properties,
            client_id,
            will,
            username,
            password,
        })
    }
}

impl fmt::Debug for Connect<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connect")
            .field("clean_start", &self.clean_start)
            .field("keep_alive", &self.keep_alive)
            .field("properties", &self.properties)
            .field("client_id", &self.client_id)
            .field("will", &self.will)
            .field("username", &self.username.map(|_| "***"))
            .field("password", &self.password.map(|_| "***"))
            .finish()
    }
}

impl fmt::Display for Connect<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CONNECT client_id={:?} clean_start={} keep_alive={}",
            self.client_id, self.clean_start, self.keep_alive
        )?;
        if let Some(will) = &self.will {
            write!(
                f,
                " will={{topic={:?} qos={} retain={} payload={} bytes}}",
                will.topic.as_str(),
                will.qos,
                will.retain,
                will.payload.len()
            )?;
        }
        if self.username.is_some() {
            f.write_str(" username=***")?;
        }
        if self.password.is_some() {
            f.write_str(" password=***")?;
        }
        write!(f, "{}", Shown(&self.properties))
    }
}

/// A CONNACK packet.
///
/// ```
/// use mqtt_wire::v5::{Connack, Packet, Properties, ReasonCode};
/// use mqtt_wire::PacketType;
///
/// let ok = Connack::new(false, ReasonCode::SUCCESS, Properties::EMPTY)?;
/// let mut buf = [0u8; 8];
/// assert_eq!(Packet::Connack(ok).encode(&mut buf)?, 5);
/// assert_eq!(buf[..5], [0x20, 0x03, 0x00, 0x00, 0x00]);
/// let banned = ReasonCode::new(PacketType::Connack, 0x8A).unwrap();
/// assert!(Connack::new(true, banned, Properties::EMPTY).is_err()); // MQTT-3.2.2-6
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connack<'a> {
    session_present: bool,
    reason_code: ReasonCode,
    properties: Properties<'a>,
}

impl<'a> Connack<'a> {
    /// A CONNACK. Session Present with a non-zero reason code is refused (`MQTT-3.2.2-6`),
    /// as are a code CONNACK's table does not list and properties CONNACK may not carry.
    pub fn new(
        session_present: bool,
        reason_code: ReasonCode,
        properties: Properties<'a>,
    ) -> Result<Self, EncodeError> {
        if ReasonCode::new(PacketType::Connack, reason_code.value()).is_none() {
            return Err(EncodeError::InvalidReasonCode(reason_code.value()));
        }
        if session_present && reason_code.value() != 0 {
            return Err(EncodeError::SessionPresentWithError);
        }
        properties.check(Place::Packet(PacketType::Connack))?;
        let connack = Connack {
            session_present,
            reason_code,
            properties,
        };
        if connack.remaining_length() > MAX_REMAINING_LENGTH {
            return Err(EncodeError::PacketTooLarge);
        }
        Ok(connack)
    }

    /// Session Present.
    pub fn session_present(&self) -> bool {
        self.session_present
    }
    /// The Connect Reason Code.
    pub fn reason_code(&self) -> ReasonCode {
        self.reason_code
    }
    /// The CONNACK properties.
    pub fn properties(&self) -> Properties<'a> {
        self.properties
    }

    pub(crate) fn remaining_length(&self) -> usize {
        2 + self.properties.wire_len()
    }

    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        sink.put_array([u8::from(self.session_present), self.reason_code.value()]);
        self.properties.write(sink);
    }

    pub(crate) fn decode(r: &mut Reader<'a>, d: &Decoder) -> Result<Self, DecodeError> {
        let flags_start = r.pos();
        let flags = r.u8(Field::ConnackFlags)?;
        // MQTT-3.2.2-1
        if flags & 0xFE != 0 {
            return Err(r.error_at(DecodeErrorKind::ConnackReservedFlags, flags_start));
        }
        let code_start = r.pos();
        let code = r.u8(Field::ReasonCode)?;
        // MQTT-3.2.2-8
        let reason_code = ReasonCode::new(PacketType::Connack, code)
            .ok_or_else(|| r.error_at(DecodeErrorKind::InvalidReasonCode(code), code_start))?;
        // MQTT-3.2.2-6
        if flags != 0 && code != 0 {
            return Err(r.error_at(DecodeErrorKind::SessionPresentWithError, flags_start));
        }
        let properties =
            Properties::read(r, Place::Packet(PacketType::Connack), Field::Properties, d)?;
        r.finish()?;
        Ok(Connack {
            session_present: flags != 0,
            reason_code,
            properties,
        })
    }
}

impl fmt::Display for Connack<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CONNACK session_present={} reason={} ({})",
            self.session_present,
            self.reason_code,
            self.reason_code.name(PacketType::Connack)
        )?;
        write!(f, "{}", Shown(&self.properties))
    }
}

#[cfg(test)]
mod tests {
    //! Expected bytes written by hand from the standard's layouts (sections 3.1 and 3.2) and
    //! the refusals' reason codes from DECISIONS.md section 5, not from running the codec.

    use super::*;
    use crate::v5::test_support::{decoded, encoded, refused};
    use crate::v5::{Packet, Property};
    use DecodeErrorKind as K;

    /// A CONNECT (clean start, keep alive 0, client id "c") with this property block.
    fn connect_with(block: &[u8]) -> std::vec::Vec<u8> {
        let mut body = std::vec![0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0, 0];
        body.extend_from_slice(block);
        body.extend_from_slice(&[0, 1, b'c']);
        let mut wire = std::vec![0x10, body.len() as u8];
        wire.extend(body);
        wire
    }

    fn will<'a>(props: &'a [Property<'a>]) -> Result<Will<'a>, EncodeError> {
        Will::new(
            Properties::new(props),
            TopicName::new("t").unwrap(),
            b"m",
            QoS::AtLeastOnce,
            true,
        )
    }

    #[test]
    fn a_built_connect_encodes_byte_for_byte_and_decodes_back() {
        let props = [Property::SessionExpiryInterval(10)];
        let connect = Connect::new("c", true, 30, Properties::new(&props)).unwrap();
        // Protocol name, version 5, flags (Clean Start), Keep Alive 30, properties (Session
        // Expiry Interval 10), client id: Remaining Length 19.
        let wire = [
            0x10, 0x13, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0, 30, 5, 0x11, 0, 0, 0, 10, 0, 1,
            b'c',
        ];
        assert_eq!(Packet::Connect(connect).encoded_len(), 21);
        assert_eq!(encoded(Packet::Connect(connect)), wire);
        assert_eq!(decoded(&wire), Packet::Connect(connect));

        // With a will (Will Delay Interval 5, topic "t", payload "m", QoS 1, retain), a user
        // name and a password: flags 1110 1110 (section 3.1.2.3), Remaining Length 37.
        let will_props = [Property::WillDelayInterval(5)];
        let full = connect
            .with_will(will(&will_props).unwrap())
            .unwrap()
            .with_username("u")
            .unwrap()
            .with_password(b"p")
            .unwrap();
        let wire = [
            0x10, 0x25, 0, 4, b'M', b'Q', b'T', b'T', 5, 0xEE, 0, 30, 5, 0x11, 0, 0, 0, 10, 0, 1,
            b'c', 5, 0x18, 0, 0, 0, 5, 0, 1, b't', 0, 1, b'm', 0, 1, b'u', 0, 1, b'p',
        ];
        assert_eq!(Packet::Connect(full).encoded_len(), 39);
        assert_eq!(encoded(Packet::Connect(full)), wire);
        assert_eq!(decoded(&wire), Packet::Connect(full));
    }

    #[test]
    fn a_password_without_a_user_name_is_allowed_both_ways() {
        // Section 3.1.2.9: 5.0 drops 3.1.1's MQTT-3.1.2-22. Flags 0100 0010.
        let connect = Connect::new("", true, 0, Properties::EMPTY)
            .unwrap()
            .with_password(b"pw")
            .unwrap();
        let wire = [
            0x10, 0x11, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x42, 0, 0, 0, 0, 0, 0, 2, b'p', b'w',
        ];
        assert_eq!(encoded(Packet::Connect(connect)), wire);
        let Packet::Connect(back) = decoded(&wire) else {
            panic!("not a CONNECT")
        };
        assert_eq!((back.username(), back.password()), (None, Some(&b"pw"[..])));
    }

    #[test]
    fn constructors_refuse_what_the_decoder_refuses() {
        let build =
            |props: &[Property<'_>]| Connect::new("c", true, 0, Properties::new(props)).map(|_| ());
        // Offsets count from the input's start: the property length is byte 12.
        // Topic Alias is not a CONNECT property (Table 2-4): 0x81 at its identifier.
        assert_eq!(
            build(&[Property::TopicAlias(1)]),
            Err(EncodeError::PropertyNotAllowed(0x23))
        );
        assert_eq!(
            refused(&connect_with(&[3, 0x23, 0, 1])),
            (K::PropertyNotAllowed(Field::Property(0x23)), 13, 0x81)
        );
        // Receive Maximum 0 (section 3.1.2.11.3): 0x82 at its value.
        assert_eq!(
            build(&[Property::ReceiveMaximum(0)]),
            Err(EncodeError::InvalidPropertyValue(0x21))
        );
        assert_eq!(
            refused(&connect_with(&[3, 0x21, 0, 0])),
            (K::InvalidPropertyValue(Field::Property(0x21)), 14, 0x82)
        );
        // Maximum Packet Size 0 (section 3.1.2.11.4); Request Problem Information 2
        // (section 3.1.2.11.7).
        assert_eq!(
            build(&[Property::MaximumPacketSize(0)]),
            Err(EncodeError::InvalidPropertyValue(0x27))
        );
        assert_eq!(
            refused(&connect_with(&[5, 0x27, 0, 0, 0, 0])),
            (K::InvalidPropertyValue(Field::Property(0x27)), 14, 0x82)
        );
        assert_eq!(
            build(&[Property::RequestProblemInformation(2)]),
            Err(EncodeError::InvalidPropertyValue(0x17))
        );
        assert_eq!(
            refused(&connect_with(&[2, 0x17, 2])),
            (K::InvalidPropertyValue(Field::Property(0x17)), 14, 0x82)
        );
        // Session Expiry Interval twice: 0x82 at the second identifier.
        assert_eq!(
            build(&[
                Property::SessionExpiryInterval(1),
                Property::SessionExpiryInterval(2)
            ]),
            Err(EncodeError::DuplicateProperty(0x11))
        );
        assert_eq!(
            refused(&connect_with(&[10, 0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2])),
            (K::DuplicateProperty(Field::Property(0x11)), 18, 0x82)
        );
        // Authentication Data without Authentication Method (section 3.1.2.11.10).
        assert_eq!(
            build(&[Property::AuthenticationData(b"x")]),
            Err(EncodeError::MissingAuthenticationMethod)
        );
        assert_eq!(
            refused(&connect_with(&[4, 0x16, 0, 1, b'x'])),
            (K::MissingAuthenticationMethod, 13, 0x82)
        );
        // ... and with its method, in either order, accepted.
        assert_eq!(
            build(&[
                Property::AuthenticationData(b"x"),
                Property::AuthenticationMethod("m")
            ]),
            Ok(())
        );
        // U+0000 in the client id (MQTT-1.5.4-2): 0x81 at the NUL.
        assert_eq!(
            Connect::new("a\0", true, 0, Properties::EMPTY),
            Err(EncodeError::NullCharacter(Field::ClientId))
        );
        let mut wire = connect_with(&[0]);
        wire.truncate(wire.len() - 3);
        wire.extend_from_slice(&[0, 2, b'a', 0]);
        wire[1] += 1;
        assert_eq!(
            refused(&wire),
            (K::NullCharacter(Field::ClientId), 16, 0x81)
        );
        // A user name with U+0000; a password and a will payload past 65,535 bytes.
        let c = Connect::new("c", true, 0, Properties::EMPTY).unwrap();
        assert_eq!(
            c.with_username("u\0"),
            Err(EncodeError::NullCharacter(Field::Username))
        );
        let long = std::vec![0u8; 65_536];
        assert_eq!(
            c.with_password(&long),
            Err(EncodeError::TooLong(Field::Password))
        );
        let topic = TopicName::new("t").unwrap();
        assert_eq!(
            Will::new(Properties::EMPTY, topic, &long, QoS::AtMostOnce, false),
            Err(EncodeError::TooLong(Field::WillMessage))
        );
        assert!(c.with_password(&long[..65_535]).is_ok());
    }

    #[test]
    fn will_properties_are_checked_against_the_will_column_of_table_2_4() {
        // Allowed: the seven Will Properties.
        let ok = [
            Property::PayloadFormatIndicator(1),
            Property::MessageExpiryInterval(0),
            Property::ContentType("text/plain"),
            Property::ResponseTopic("r/t"),
            Property::CorrelationData(b"id"),
            Property::WillDelayInterval(5),
            Property::UserProperty("k", "v"),
            Property::UserProperty("k", "w"),
        ];
        assert!(will(&ok).is_ok());
        // A CONNECT property is not a Will Property; a PUBLISH-only one neither.
        assert_eq!(
            will(&[Property::SessionExpiryInterval(1)]).map(|_| ()),
            Err(EncodeError::PropertyNotAllowed(0x11))
        );
        assert_eq!(
            will(&[Property::TopicAlias(1)]).map(|_| ()),
            Err(EncodeError::PropertyNotAllowed(0x23))
        );
        // A Response Topic must be a topic name (section 3.1.3.2.5).
        assert!(will(&[Property::ResponseTopic("a/#")]).is_err());
        assert!(will(&[Property::PayloadFormatIndicator(2)]).is_err());
        // The decoder: Topic Alias in the Will Properties, at its identifier (flags: will
        // and clean start; client id empty; the will block at 15).
        let wire = [
            0x10, 0x15, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x06, 0, 0, 0, 0, 0, 3, 0x23, 0, 1, 0, 1,
            b't', 0, 0,
        ];
        assert_eq!(
            refused(&wire),
            (K::PropertyNotAllowed(Field::WillProperty(0x23)), 16, 0x81)
        );
    }

    #[test]
    fn encode_writes_nothing_when_the_buffer_is_short() {
        let connect = Connect::new("c", true, 30, Properties::EMPTY).unwrap();
        let packet = Packet::Connect(connect);
        // 2 + 10 + 1 + 3 bytes.
        assert_eq!(packet.encoded_len(), 16);
        let mut out = [0xAA; 15];
        assert_eq!(
            packet.encode(&mut out),
            Err(EncodeError::BufferTooSmall {
                needed: 16,
                available: 15
            })
        );
        assert_eq!(out, [0xAA; 15]);
    }

    #[test]
    fn a_built_property_length_takes_its_shortest_form() {
        // A User Property ("", v) takes 1 + 2 + 2 + len(v) bytes: a block of 127 has a one
        // byte property length, a block of 128 two (80 01, MQTT-1.5.5-1).
        for (value_len, block_len, length_bytes) in
            [(122, 127, &[0x7F][..]), (123, 128, &[0x80, 0x01][..])]
        {
            let value = "v".repeat(value_len);
            let props = [Property::UserProperty("", &value)];
            let connect = Connect::new("", true, 0, Properties::new(&props)).unwrap();
            let packet = Packet::Connect(connect);
            // The Remaining Length: 10 + property length + block + 2 (empty client id), above
            // 127, so in two bytes.
            let remaining = 10 + length_bytes.len() + block_len + 2;
            assert_eq!(packet.encoded_len(), 1 + 2 + remaining);
            let wire = encoded(packet);
            assert_eq!(
                wire[1..3],
                [(remaining % 128) as u8 | 0x80, (remaining / 128) as u8]
            );
            assert_eq!(&wire[13..13 + length_bytes.len()], length_bytes);
            assert_eq!(decoded(&wire), packet);
        }
    }

    #[test]
    fn a_decoded_connect_keeps_its_properties_in_wire_order() {
        // User Property (k, 1), Session Expiry Interval 0, User Property (k, 2): repeated
        // keys kept, in order, and encoded back to the same bytes.
        let block = [
            19, 0x26, 0, 1, b'k', 0, 1, b'1', 0x11, 0, 0, 0, 0, 0x26, 0, 1, b'k', 0, 1, b'2',
        ];
        let wire = connect_with(&block);
        let Packet::Connect(connect) = decoded(&wire) else {
            panic!("not a CONNECT")
        };
        let users: std::vec::Vec<_> = connect.properties().user_properties().collect();
        assert_eq!(users, [("k", "1"), ("k", "2")]);
        assert_eq!(connect.properties().session_expiry_interval(), Some(0));
        assert_eq!(encoded(Packet::Connect(connect)), wire);
    }

    #[test]
    fn a_built_connack_encodes_byte_for_byte_and_decodes_back() {
        let props = [Property::TopicAliasMaximum(5)];
        let connack = Connack::new(false, ReasonCode::SUCCESS, Properties::new(&props)).unwrap();
        let wire = [0x20, 0x06, 0, 0, 3, 0x22, 0, 5];
        assert_eq!(Packet::Connack(connack).encoded_len(), 8);
        assert_eq!(encoded(Packet::Connack(connack)), wire);
        assert_eq!(decoded(&wire), Packet::Connack(connack));
        let resumed = Connack::new(true, ReasonCode::SUCCESS, Properties::EMPTY).unwrap();
        assert_eq!(encoded(Packet::Connack(resumed)), [0x20, 3, 1, 0, 0]);
    }

    #[test]
    fn connack_constructors_refuse_what_the_decoder_refuses() {
        // Session Present with a refusal (MQTT-3.2.2-6): 0x82 at the flags.
        let banned = ReasonCode::new(PacketType::Connack, 0x8A).unwrap();
        assert_eq!(
            Connack::new(true, banned, Properties::EMPTY),
            Err(EncodeError::SessionPresentWithError)
        );
        assert_eq!(
            refused(&[0x20, 3, 1, 0x8A, 0]),
            (K::SessionPresentWithError, 2, 0x82)
        );
        // 0x04 is a DISCONNECT code, not a CONNACK one (MQTT-3.2.2-8): 0x81 at the code.
        let other = ReasonCode::new(PacketType::Disconnect, 0x04).unwrap();
        assert_eq!(
            Connack::new(false, other, Properties::EMPTY),
            Err(EncodeError::InvalidReasonCode(0x04))
        );
        assert_eq!(
            refused(&[0x20, 3, 0, 0x04, 0]),
            (K::InvalidReasonCode(0x04), 3, 0x81)
        );
        // Will Delay Interval belongs to the will; Maximum QoS is 0 or 1 (section 3.2.2.3.4).
        assert_eq!(
            Connack::new(
                false,
                ReasonCode::SUCCESS,
                Properties::new(&[Property::WillDelayInterval(1)])
            ),
            Err(EncodeError::PropertyNotAllowed(0x18))
        );
        assert_eq!(
            Connack::new(
                false,
                ReasonCode::SUCCESS,
                Properties::new(&[Property::MaximumQoS(2)])
            ),
            Err(EncodeError::InvalidPropertyValue(0x24))
        );
        assert_eq!(
            refused(&[0x20, 5, 0, 0, 2, 0x24, 2]),
            (K::InvalidPropertyValue(Field::Property(0x24)), 6, 0x82)
        );
        // Reserved Connect Acknowledge Flags (MQTT-3.2.2-1): 0x81 at the flags.
        assert_eq!(
            refused(&[0x20, 3, 2, 0, 0]),
            (K::ConnackReservedFlags, 2, 0x81)
        );
    }
}
