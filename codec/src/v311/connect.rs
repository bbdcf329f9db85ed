//! CONNECT (section 3.1): the first packet a client sends.

use core::fmt;

use crate::connect_flags::ConnectFlags;
use crate::error::{DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::reader::Reader;
use crate::text::{check_len, check_str};
use crate::topic::TopicName;
use crate::writer::Sink;
use crate::QoS;

/// The Protocol Level of MQTT 3.1.1 (section 3.1.2.2).
pub(crate) const PROTOCOL_LEVEL: u8 = 4;

/// The will message a server publishes when the client goes away without a DISCONNECT.
///
/// ```
/// use mqtt_wire::v311::Will;
/// use mqtt_wire::{QoS, TopicName};
///
/// let will = Will::new(TopicName::new("status/7")?, b"offline", QoS::AtLeastOnce, true)?;
/// assert_eq!(will.topic().as_str(), "status/7");
/// assert_eq!(will.message(), b"offline");
/// assert_eq!((will.qos(), will.retain()), (QoS::AtLeastOnce, true));
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Will<'a> {
    topic: TopicName<'a>,
    message: &'a [u8],
    qos: QoS,
    retain: bool,
}

impl<'a> Will<'a> {
    /// A will published to `topic` with `message` (binary, at most 65,535 bytes).
    ///
    /// ```
    /// use mqtt_wire::v311::Will;
    /// use mqtt_wire::{QoS, TopicName};
    ///
    /// let will = Will::new(TopicName::new("bye")?, &[0xFF, 0x00], QoS::AtMostOnce, false)?;
    /// assert_eq!(will.message(), [0xFF, 0x00]); // binary, not text
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn new(
        topic: TopicName<'a>,
        message: &'a [u8],
        qos: QoS,
        retain: bool,
    ) -> Result<Self, EncodeError> {
        check_len(message, Field::WillMessage)?;
        Ok(Will {
            topic,
            message,
            qos,
            retain,
        })
    }

    /// The Will Topic.
    pub const fn topic(&self) -> TopicName<'a> {
        self.topic
    }

    /// The Will Message, as binary data.
    pub const fn message(&self) -> &'a [u8] {
        self.message
    }

    /// The Will QoS.
    pub const fn qos(&self) -> QoS {
        self.qos
    }

    /// The Will Retain flag.
    pub const fn retain(&self) -> bool {
        self.retain
    }
}

/// A CONNECT packet.
///
/// `Display` and `Debug` print the user name and the password as `***`, so packets can be
/// logged; [`username`](Self::username) and [`password`](Self::password) return them.
///
/// ```
/// use mqtt_wire::v311::{Connect, Packet, Will};
/// use mqtt_wire::{QoS, TopicName};
///
/// let will = Will::new(TopicName::new("status")?, b"gone", QoS::AtLeastOnce, true)?;
/// let connect = Connect::new("sensor-7", true, 30)?
///     .with_will(will)
///     .with_username("alice")?
///     .with_password(b"secret")?;
/// assert_eq!(connect.client_id(), "sensor-7");
/// assert_eq!((connect.clean_session(), connect.keep_alive()), (true, 30));
/// assert_eq!(connect.will(), Some(will));
/// assert_eq!(connect.username(), Some("alice"));
/// assert_eq!(connect.password(), Some(&b"secret"[..]));
///
/// // Logs never show the credentials.
/// assert_eq!(
///     Packet::Connect(connect).to_string(),
///     "CONNECT client_id=\"sensor-7\" clean_session=true keep_alive=30 \
///      will=(topic=\"status\" qos=1 retain=true message=4 bytes) username=*** password=***"
/// );
/// // A password needs a user name (MQTT-3.1.2-22); an empty client id needs a clean session.
/// assert!(Connect::new("c", true, 0)?.with_password(b"x").is_err());
/// assert!(Connect::new("", false, 0).is_err());
/// # Ok::<(), mqtt_wire::EncodeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Connect<'a> {
    client_id: &'a str,
    clean_session: bool,
    keep_alive: u16,
    will: Option<Will<'a>>,
    username: Option<&'a str>,
    password: Option<&'a [u8]>,
}

impl<'a> Connect<'a> {
    /// A CONNECT with no will and no credentials.
    ///
    /// The client identifier may be empty only with `clean_session` (`MQTT-3.1.3-7`); it is at
    /// most 65,535 bytes and has no U+0000. Servers must accept 1 to 23 ASCII letters and
    /// digits (`MQTT-3.1.3-5`) and may accept more; this constructor allows any valid string.
    ///
    /// ```
    /// use mqtt_wire::v311::Connect;
    /// use mqtt_wire::EncodeError;
    ///
    /// let connect = Connect::new("client-1", false, 60)?;
    /// assert_eq!((connect.will(), connect.username(), connect.password()), (None, None, None));
    /// // An empty client id needs Clean Session (MQTT-3.1.3-7).
    /// assert!(Connect::new("", true, 0).is_ok());
    /// assert_eq!(Connect::new("", false, 0), Err(EncodeError::EmptyClientIdWithoutCleanSession));
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn new(
        client_id: &'a str,
        clean_session: bool,
        keep_alive: u16,
    ) -> Result<Self, EncodeError> {
        check_str(client_id, Field::ClientId)?;
        // MQTT-3.1.3-7
        if client_id.is_empty() && !clean_session {
            return Err(EncodeError::EmptyClientIdWithoutCleanSession);
        }
        Ok(Connect {
            client_id,
            clean_session,
            keep_alive,
            will: None,
            username: None,
            password: None,
        })
    }

    /// The same CONNECT with a will.
    ///
    /// ```
    /// use mqtt_wire::v311::{Connect, Will};
    /// use mqtt_wire::{QoS, TopicName};
    ///
    /// let will = Will::new(TopicName::new("bye")?, b"x", QoS::AtMostOnce, false)?;
    /// assert_eq!(Connect::new("c", true, 0)?.with_will(will).will(), Some(will));
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn with_will(self, will: Will<'a>) -> Self {
        Connect {
            will: Some(will),
            ..self
        }
    }

    /// The same CONNECT with a user name (at most 65,535 bytes, no U+0000).
    ///
    /// ```
    /// use mqtt_wire::v311::Connect;
    ///
    /// assert_eq!(Connect::new("c", true, 0)?.with_username("bob")?.username(), Some("bob"));
    /// assert!(Connect::new("c", true, 0)?.with_username("b\0b").is_err()); // U+0000
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn with_username(self, username: &'a str) -> Result<Self, EncodeError> {
        check_str(username, Field::Username)?;
        Ok(Connect {
            username: Some(username),
            ..self
        })
    }

    /// The same CONNECT with a password (binary, at most 65,535 bytes). A user name must be
    /// set first (`MQTT-3.1.2-22`).
    ///
    /// ```
    /// use mqtt_wire::v311::Connect;
    /// use mqtt_wire::EncodeError;
    ///
    /// let connect = Connect::new("c", true, 0)?.with_username("bob")?.with_password(b"pw")?;
    /// assert_eq!(connect.password(), Some(&b"pw"[..]));
    /// assert_eq!(
    ///     Connect::new("c", true, 0)?.with_password(b"pw"),
    ///     Err(EncodeError::PasswordWithoutUsername)
    /// );
    /// # Ok::<(), mqtt_wire::EncodeError>(())
    /// ```
    pub fn with_password(self, password: &'a [u8]) -> Result<Self, EncodeError> {
        check_len(password, Field::Password)?;
        if self.username.is_none() {
            return Err(EncodeError::PasswordWithoutUsername);
        }
        Ok(Connect {
            password: Some(password),
            ..self
        })
    }

    /// The Client Identifier.
    pub const fn client_id(&self) -> &'a str {
        self.client_id
    }

    /// The Clean Session flag.
    pub const fn clean_session(&self) -> bool {
        self.clean_session
    }

    /// The Keep Alive, in seconds.
    pub const fn keep_alive(&self) -> u16 {
        self.keep_alive
    }

    /// The will, if the Will Flag is set.
    pub const fn will(&self) -> Option<Will<'a>> {
        self.will
    }

    /// The User Name, in clear. It is hidden in `Display` and `Debug`.
    pub const fn username(&self) -> Option<&'a str> {
        self.username
    }

    /// The Password, in clear, as binary data. It is hidden in `Display` and `Debug`.
    pub const fn password(&self) -> Option<&'a [u8]> {
        self.password
    }

    fn flags(&self) -> ConnectFlags {
        ConnectFlags::new(
            self.clean_session,
            self.will.map(|w| (w.qos, w.retain)),
            self.username.is_some(),
            self.password.is_some(),
        )
    }

    #[inline]
    pub(crate) fn remaining_length(&self) -> usize {
        // Protocol Name (6), Protocol Level (1), Connect Flags (1), Keep Alive (2).
        let mut len = 10 + 2 + self.client_id.len();
        if let Some(will) = &self.will {
            len += 2 + will.topic.as_str().len() + 2 + will.message.len();
        }
        len += self.username.map_or(0, |u| 2 + u.len());
        len += self.password.map_or(0, |p| 2 + p.len());
        len
    }

    #[inline]
    pub(crate) fn write_body<S: Sink>(&self, sink: &mut S) {
        self.flags().write(sink, PROTOCOL_LEVEL);
        sink.put_u16(self.keep_alive);
        sink.put_prefixed(self.client_id.as_bytes());
        if let Some(will) = &self.will {
            sink.put_prefixed(will.topic.as_str().as_bytes());
            sink.put_prefixed(will.message);
        }
        if let Some(username) = self.username {
            sink.put_prefixed(username.as_bytes());
        }
        if let Some(password) = self.password {
            sink.put_prefixed(password);
        }
    }

    pub(crate) fn decode(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        // MQTT-3.1.2-1 (name), MQTT-3.1.2-2 (level, answered with CONNACK 0x01), MQTT-3.1.2-3
        // (reserved flag), MQTT-3.1.2-11, -13, -14, -15 (the will's flags).
        let (flags, flags_start) = ConnectFlags::read(r, PROTOCOL_LEVEL)?;
        let has_will = flags.will().is_some();
        let (will_qos, will_retain) = flags.will().unwrap_or((QoS::AtMostOnce, false));
        let has_username = flags.username();
        let has_password = flags.password();
        // MQTT-3.1.2-22
        if has_password && !has_username {
            return Err(r.error_at(DecodeErrorKind::PasswordWithoutUsername, flags_start));
        }
        let keep_alive = r.u16(Field::KeepAlive)?;

        // MQTT-3.1.3-1: Client Identifier, Will Topic, Will Message, User Name, Password.
        // MQTT-3.1.3-3, MQTT-3.1.3-4
        let client_id_start = r.pos();
        let client_id = r.string(Field::ClientId)?;
        // MQTT-3.1.2-9, MQTT-3.1.3-10
        let will = if has_will {
            let topic = r.topic_name(Field::WillTopic)?;
            let message = r.binary(Field::WillMessage)?;
            Some(Will {
                topic,
                message,
                qos: will_qos,
                retain: will_retain,
            })
        } else {
            None
        };
        // MQTT-3.1.2-19, MQTT-3.1.3-11
        let username = if has_username {
            Some(r.string(Field::Username)?)
        } else {
            None
        };
        // MQTT-3.1.2-21
        let password = if has_password {
            Some(r.binary(Field::Password)?)
        } else {
            None
        };

        // MQTT-3.1.2-11, -18, -20: fields whose flag is 0 must be absent. Bytes left over
        // stand where the first such field after the last present one would be.
        if !r.is_empty() {
            let unflagged = if !has_will && !has_username {
                Some(Field::WillTopic)
            } else if !has_username {
                Some(Field::Username)
            } else if !has_password {
                Some(Field::Password)
            } else {
                None
            };
            return Err(match unflagged {
                Some(field) => r.error(DecodeErrorKind::UnflaggedField(field)),
                None => r.error(DecodeErrorKind::TrailingBytes),
            });
        }

        // MQTT-3.1.3-8: answered with CONNACK 0x02, so checked only once the rest of the
        // packet is known to be well-formed.
        let clean_session = flags.clean();
        if client_id.is_empty() && !clean_session {
            return Err(r.error_at(
                DecodeErrorKind::EmptyClientIdWithoutCleanSession,
                client_id_start,
            ));
        }
        Ok(Connect {
            client_id,
            clean_session,
            keep_alive,
            will,
            username,
            password,
        })
    }
}

/// Prints `***` for a credential that is present.
struct Redacted(bool);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "Some(***)" } else { "None" })
    }
}

impl fmt::Debug for Connect<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connect")
            .field("client_id", &self.client_id)
            .field("clean_session", &self.clean_session)
            .field("keep_alive", &self.keep_alive)
            .field("will", &self.will)
            .field("username", &Redacted(self.username.is_some()))
            .field("password", &Redacted(self.password.is_some()))
            .finish()
    }
}

impl fmt::Display for Connect<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CONNECT client_id={:?} clean_session={} keep_alive={}",
            self.client_id, self.clean_session, self.keep_alive
        )?;
        if let Some(will) = &self.will {
            write!(
                f,
                " will=(topic={:?} qos={} retain={} message={} bytes)",
                will.topic.as_str(),
                will.qos,
                will.retain,
                will.message.len()
            )?;
        }
        if self.username.is_some() {
            f.write_str(" username=***")?;
        }
        if self.password.is_some() {
            f.write_str(" password=***")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v311::testing::{decode_err, decode_ok, encode};
    use crate::v311::Packet;
    use crate::{Clause, DecodeErrorKind as K};

    /// The predecessor's documented example: client id `client_id`, clean session 0, keep
    /// alive 0, will QoS 0 retained on `hello` with message `message`.
    const EXAMPLE: &[u8] = &[
        0x10, 0x25, // CONNECT, remaining length 37
        0x00, 0x04, b'M', b'Q', b'T', b'T', // protocol name
        0x04, // protocol level 4
        0x24, // flags: will retain (0x20), will flag (0x04)
        0x00, 0x00, // keep alive 0
        0x00, 0x09, b'c', b'l', b'i', b'e', b'n', b't', b'_', b'i', b'd', // client id
        0x00, 0x05, b'h', b'e', b'l', b'l', b'o', // will topic
        0x00, 0x07, b'm', b'e', b's', b's', b'a', b'g', b'e', // will message
    ];

    #[test]
    fn decodes_the_predecessor_example() {
        let Packet::Connect(c) = decode_ok(EXAMPLE) else {
            panic!("not a CONNECT")
        };
        assert_eq!(c.client_id(), "client_id");
        assert!(!c.clean_session());
        assert_eq!(c.keep_alive(), 0);
        let will = c.will().expect("will");
        assert_eq!(will.topic().as_str(), "hello");
        assert_eq!(will.message(), b"message");
        assert_eq!(will.qos(), QoS::AtMostOnce);
        assert!(will.retain());
        assert_eq!(c.username(), None);
        assert_eq!(c.password(), None);
    }

    #[test]
    fn encodes_credentials_after_the_will() {
        let topic = TopicName::new("t").unwrap();
        let connect = Connect::new("c", true, 60)
            .unwrap()
            .with_will(Will::new(topic, b"m", QoS::ExactlyOnce, false).unwrap())
            .with_username("u")
            .unwrap()
            .with_password(b"p")
            .unwrap();
        let expected: &[u8] = &[
            0x10, 0x19, // CONNECT, remaining length 25
            0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, // protocol name, level
            0xD6, // username 0x80, password 0x40, will QoS 2 0x10, will 0x04, clean session 0x02
            0x00, 0x3C, // keep alive 60
            0x00, 0x01, b'c', // client id
            0x00, 0x01, b't', // will topic
            0x00, 0x01, b'm', // will message
            0x00, 0x01, b'u', // user name
            0x00, 0x01, b'p', // password
        ];
        assert_eq!(encode(&Packet::Connect(connect)), expected);
        assert_eq!(decode_ok(expected), Packet::Connect(connect));
    }

    #[test]
    fn accepts_an_empty_client_id_with_clean_session() {
        // flags 0x02: clean session; client id of length 0.
        let bytes = [
            0x10, 0x0C, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 0, 0, 0,
        ];
        let Packet::Connect(c) = decode_ok(&bytes) else {
            panic!()
        };
        assert_eq!(c.client_id(), "");
    }

    /// A CONNECT with the given flags and payload after the keep alive.
    fn connect_with(flags: u8, payload: &[u8]) -> std::vec::Vec<u8> {
        let mut body = std::vec![0, 4, b'M', b'Q', b'T', b'T', 4, flags, 0, 0];
        body.extend_from_slice(payload);
        let mut out = std::vec![0x10, body.len() as u8];
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn rejects_a_wrong_protocol_name() {
        // "MQIsdp", level 3: MQTT 3.1's name.
        let bytes = [
            0x10, 0x0E, 0, 6, b'M', b'Q', b'I', b's', b'd', b'p', 3, 0x02, 0, 0, 0, 0,
        ];
        let e = decode_err(&bytes);
        assert_eq!((e.kind(), e.offset()), (K::InvalidProtocolName, 2));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-1"));
        assert_eq!(e.connack_return_code(), None);
    }

    #[test]
    fn reports_an_unsupported_level_with_its_connack_code() {
        // Level 5 (MQTT 5.0): the rest is not read, it may carry properties.
        let bytes = [
            0x10, 0x0C, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0, 0, 0, 0,
        ];
        let e = decode_err(&bytes);
        assert_eq!((e.kind(), e.offset()), (K::UnsupportedProtocolLevel(5), 8));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-2"));
        assert_eq!(
            e.connack_return_code(),
            Some(crate::v311::ConnectReturnCode::UnacceptableProtocolVersion)
        );
    }

    #[test]
    fn rejects_the_reserved_flag() {
        let e = decode_err(&connect_with(0x03, &[0, 1, b'c']));
        assert_eq!((e.kind(), e.offset()), (K::ConnectReservedFlag, 9));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-3"));
    }

    #[test]
    fn rejects_will_qos_and_retain_without_a_will() {
        // 0x08: will QoS 1, no will flag.
        assert_eq!(
            decode_err(&connect_with(0x0A, &[0, 1, b'c'])).kind(),
            K::WillQoSWithoutWill
        );
        // 0x20: will retain, no will flag.
        let e = decode_err(&connect_with(0x22, &[0, 1, b'c']));
        assert_eq!(e.kind(), K::WillRetainWithoutWill);
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-15"));
    }

    #[test]
    fn rejects_will_qos_3() {
        // 0x1C: will QoS 3 (0x18) with the will flag (0x04).
        let e = decode_err(&connect_with(0x1E, &[0, 1, b'c', 0, 1, b't', 0, 0]));
        assert_eq!(e.kind(), K::InvalidWillQoS);
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-14"));
    }

    #[test]
    fn rejects_a_password_without_a_user_name() {
        // 0x42: password flag, clean session.
        let e = decode_err(&connect_with(0x42, &[0, 1, b'c', 0, 1, b'p']));
        assert_eq!(e.kind(), K::PasswordWithoutUsername);
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-22"));
    }

    #[test]
    fn rejects_flagged_fields_that_are_missing() {
        // Will flag, but the payload ends after the client id.
        let e = decode_err(&connect_with(0x06, &[0, 1, b'c']));
        assert_eq!((e.kind(), e.offset()), (K::Truncated(Field::WillTopic), 15));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-9"));
        // User name flag, no user name.
        let e = decode_err(&connect_with(0x82, &[0, 1, b'c']));
        assert_eq!(e.kind(), K::Truncated(Field::Username));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-19"));
        // Password flag, no password.
        let e = decode_err(&connect_with(0xC2, &[0, 1, b'c', 0, 1, b'u']));
        assert_eq!(e.kind(), K::Truncated(Field::Password));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-21"));
        // A client id that claims 5 bytes where 1 is left.
        let e = decode_err(&connect_with(0x02, &[0, 5, b'c']));
        assert_eq!((e.kind(), e.offset()), (K::Truncated(Field::ClientId), 12));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.3-3"));
        // No room for a client id at all: the Remaining Length (10) is below any CONNECT's.
        assert_eq!(
            decode_err(&connect_with(0x02, &[])).kind(),
            K::InvalidRemainingLength
        );
    }

    #[test]
    fn rejects_fields_present_without_their_flag() {
        // No will, no user name: two more strings stand where the will would be.
        let e = decode_err(&connect_with(0x02, &[0, 1, b'c', 0, 1, b't', 0, 1, b'm']));
        assert_eq!(
            (e.kind(), e.offset()),
            (K::UnflaggedField(Field::WillTopic), 15)
        );
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-11"));
        // A will, no user name flag: a user name follows.
        let e = decode_err(&connect_with(
            0x06,
            &[0, 1, b'c', 0, 1, b't', 0, 0, 0, 1, b'u'],
        ));
        assert_eq!(e.kind(), K::UnflaggedField(Field::Username));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-18"));
        // A user name, no password flag: a password follows.
        let e = decode_err(&connect_with(0x82, &[0, 1, b'c', 0, 1, b'u', 0, 1, b'p']));
        assert_eq!(e.kind(), K::UnflaggedField(Field::Password));
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.2-20"));
        // Every field present, and one more byte.
        let e = decode_err(&connect_with(
            0xC2,
            &[0, 1, b'c', 0, 1, b'u', 0, 1, b'p', 0xFF],
        ));
        assert_eq!(e.kind(), K::TrailingBytes);
    }

    #[test]
    fn reports_an_empty_client_id_without_clean_session_with_its_connack_code() {
        let e = decode_err(&connect_with(0x00, &[0, 0]));
        assert_eq!(
            (e.kind(), e.offset()),
            (K::EmptyClientIdWithoutCleanSession, 12)
        );
        assert_eq!(e.clause(), Clause::Id("MQTT-3.1.3-8"));
        assert_eq!(
            e.connack_return_code(),
            Some(crate::v311::ConnectReturnCode::IdentifierRejected)
        );
    }

    #[test]
    fn a_malformed_packet_wins_over_the_empty_client_id() {
        // Empty client id without clean session, and a trailing byte: malformed, no CONNACK.
        let e = decode_err(&connect_with(0x00, &[0, 0, 0xFF]));
        assert_eq!(e.connack_return_code(), None);
    }

    #[test]
    fn rejects_bad_strings_in_each_field() {
        // Client id with U+0000.
        let e = decode_err(&connect_with(0x02, &[0, 2, b'c', 0]));
        assert_eq!(
            (e.kind(), e.offset()),
            (K::NullCharacter(Field::ClientId), 15)
        );
        assert_eq!(e.clause(), Clause::Id("MQTT-1.5.3-2"));
        // User name with an encoded surrogate ED A0 80.
        let e = decode_err(&connect_with(0x82, &[0, 1, b'c', 0, 3, 0xED, 0xA0, 0x80]));
        assert_eq!(e.kind(), K::InvalidUtf8(Field::Username));
        assert_eq!(e.clause(), Clause::Id("MQTT-1.5.3-1"));
        // Will topic with a wildcard.
        let e = decode_err(&connect_with(0x06, &[0, 1, b'c', 0, 1, b'#', 0, 0]));
        assert_eq!(e.kind(), K::WildcardInTopicName(Field::WillTopic));
        assert_eq!(e.clause(), Clause::Id("MQTT-4.7.1-1"));
        // Empty will topic.
        let e = decode_err(&connect_with(0x06, &[0, 1, b'c', 0, 0, 0, 0]));
        assert_eq!(e.kind(), K::EmptyTopic(Field::WillTopic));
    }

    #[test]
    fn password_and_will_message_are_binary() {
        // Bytes that are not UTF-8 are fine in the will message and the password.
        let bytes = connect_with(
            0xC6,
            &[
                0, 1, b'c', 0, 1, b't', 0, 2, 0xFF, 0xFE, 0, 1, b'u', 0, 2, 0xC0, 0x80,
            ],
        );
        let Packet::Connect(c) = decode_ok(&bytes) else {
            panic!()
        };
        assert_eq!(c.will().unwrap().message(), &[0xFF, 0xFE]);
        assert_eq!(c.password(), Some(&[0xC0, 0x80][..]));
    }

    #[test]
    fn constructors_refuse_what_the_decoder_refuses() {
        assert_eq!(
            Connect::new("", false, 0),
            Err(EncodeError::EmptyClientIdWithoutCleanSession)
        );
        assert_eq!(
            Connect::new("a\0", true, 0),
            Err(EncodeError::NullCharacter(Field::ClientId))
        );
        let c = Connect::new("c", true, 0).unwrap();
        assert_eq!(
            c.with_password(b"p"),
            Err(EncodeError::PasswordWithoutUsername)
        );
        let long = std::vec![0u8; 65_536];
        assert_eq!(
            c.with_username("u").unwrap().with_password(&long),
            Err(EncodeError::TooLong(Field::Password))
        );
        let topic = TopicName::new("t").unwrap();
        assert_eq!(
            Will::new(topic, &long, QoS::AtMostOnce, false),
            Err(EncodeError::TooLong(Field::WillMessage))
        );
    }

    #[test]
    fn display_and_debug_hide_the_credentials() {
        let c = Connect::new("dev", true, 5)
            .unwrap()
            .with_username("alice")
            .unwrap()
            .with_password(b"s3cret")
            .unwrap();
        let shown = std::format!("{c}");
        assert_eq!(
            shown,
            "CONNECT client_id=\"dev\" clean_session=true keep_alive=5 username=*** password=***"
        );
        let debug = std::format!("{c:?} {c:#?}");
        assert!(
            !debug.contains("alice") && !debug.contains("s3cret"),
            "{debug}"
        );
        assert!(debug.contains("***"));
        assert_eq!(c.username(), Some("alice"));
        assert_eq!(c.password(), Some(&b"s3cret"[..]));
    }
}
