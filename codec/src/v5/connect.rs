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
