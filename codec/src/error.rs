//! The two error types: [`DecodeError`] (the peer sent bad bytes) and [`EncodeError`]
//! (the caller asked for a packet that cannot exist). Each names the rule it breaks.

use core::fmt;

use crate::PacketType;

/// The rule of the specification that an error breaks.
///
/// Most rules carry a numbered statement id such as `MQTT-3.1.2-3`; a few format rules of
/// MQTT 3.1.1 have none, and are named by the section that states them.
///
/// ```
/// use mqtt_wire::{v311, Clause};
///
/// // QoS 3 in a PUBLISH header.
/// assert_eq!(v311::decode(&[0x36]).unwrap_err().clause(), Clause::Id("MQTT-3.3.1-4"));
/// // A Remaining Length of five bytes: a rule without a number.
/// let clause = v311::decode(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF]).unwrap_err().clause();
/// assert_eq!((clause, clause.as_str()), (Clause::Section("2.2.3"), "2.2.3"));
/// assert_eq!(clause.to_string(), "section 2.2.3");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Clause {
    /// A numbered normative statement, for example `MQTT-3.3.1-4`.
    Id(&'static str),
    /// A section of the specification with no numbered statement for the rule, for example `2.2.3`.
    Section(&'static str),
}

impl Clause {
    /// The id (`MQTT-3.3.1-4`) or the section number (`2.2.3`).
    ///
    /// ```
    /// assert_eq!(mqtt_wire::Clause::Id("MQTT-3.1.2-3").as_str(), "MQTT-3.1.2-3");
    /// ```
    pub const fn as_str(&self) -> &'static str {
        match self {
            Clause::Id(s) | Clause::Section(s) => s,
        }
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Clause::Id(id) => f.write_str(id),
            Clause::Section(s) => write!(f, "section {s}"),
        }
    }
}

/// A field of a packet, as named in errors.
///
/// ```
/// use mqtt_wire::{v311, DecodeErrorKind, Field};
///
/// // CONNECT whose client identifier claims 9 bytes but has 1.
/// let bytes = [0x10, 0x0D, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 0, 0, 9, b'c'];
/// let err = v311::decode(&bytes).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::Truncated(Field::ClientId));
/// assert_eq!(Field::ClientId.name(), "client identifier");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The Remaining Length of the fixed header.
    RemainingLength,
    /// CONNECT: the Protocol Name.
    ProtocolName,
    /// CONNECT: the Protocol Level.
    ProtocolLevel,
    /// CONNECT: the Connect Flags byte.
    ConnectFlags,
    /// CONNECT: the Keep Alive.
    KeepAlive,
    /// CONNECT: the Client Identifier.
    ClientId,
    /// CONNECT: the Will Topic.
    WillTopic,
    /// CONNECT: the Will Message.
    WillMessage,
    /// CONNECT: the User Name.
    Username,
    /// CONNECT: the Password.
    Password,
    /// CONNACK: the Connect Acknowledge Flags byte.
    ConnackFlags,
    /// CONNACK: the Connect Return Code.
    ReturnCode,
    /// PUBLISH: the Topic Name.
    TopicName,
    /// The Packet Identifier.
    PacketId,
    /// SUBSCRIBE, UNSUBSCRIBE: a Topic Filter.
    TopicFilter,
    /// SUBSCRIBE: the Requested QoS byte after a Topic Filter.
    RequestedQoS,
    /// SUBACK: a return code.
    SubackReturnCode,
    /// MQTT 5.0: a Reason Code.
    ReasonCode,
    /// MQTT 5.0: the property length and block of the packet's variable header.
    Properties,
    /// MQTT 5.0 CONNECT: the Will Properties' length and block.
    WillProperties,
    /// MQTT 5.0 SUBSCRIBE: the Subscription Options byte after a Topic Filter.
    SubscriptionOptions,
    /// MQTT 5.0: one property, by its identifier (`v5::PropertyId` names it).
    Property(u8),
    /// MQTT 5.0 CONNECT: one property of the Will Properties, by its identifier.
    WillProperty(u8),
}

impl Field {
    /// The field's name as prose, for messages.
    ///
    /// ```
    /// assert_eq!(mqtt_wire::Field::TopicName.name(), "topic name");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Field::RemainingLength => "remaining length",
            Field::ProtocolName => "protocol name",
            Field::ProtocolLevel => "protocol level",
            Field::ConnectFlags => "connect flags",
            Field::KeepAlive => "keep alive",
            Field::ClientId => "client identifier",
            Field::WillTopic => "will topic",
            Field::WillMessage => "will message",
            Field::Username => "user name",
            Field::Password => "password",
            Field::ConnackFlags => "connect acknowledge flags",
            Field::ReturnCode => "connect return code",
            Field::TopicName => "topic name",
            Field::PacketId => "packet identifier",
            Field::TopicFilter => "topic filter",
            Field::RequestedQoS => "requested QoS",
            Field::SubackReturnCode => "SUBACK return code",
            Field::ReasonCode => "reason code",
            Field::Properties => "properties",
            Field::WillProperties => "will properties",
            Field::SubscriptionOptions => "subscription options",
            Field::Property(_) | Field::WillProperty(_) => "property",
        }
    }

    /// Whether the field holds a topic name or filter (their rules have their own clauses).
    pub(crate) const fn is_topic(self) -> bool {
        matches!(
            self,
            Field::TopicName | Field::WillTopic | Field::TopicFilter
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Property(id) => write!(f, "property {id:#04x}"),
            Field::WillProperty(id) => write!(f, "will property {id:#04x}"),
            _ => f.write_str(self.name()),
        }
    }
}

/// What was wrong with the bytes a peer sent.
///
/// ```
/// use mqtt_wire::{v311, DecodeErrorKind};
///
/// // SUBSCRIBE with flags 0000 instead of 0010.
/// let err = v311::decode(&[0x80]).unwrap_err();
/// let what = match err.kind() {
///     DecodeErrorKind::InvalidFlags => "bad flags",
///     DecodeErrorKind::PacketTooLarge => "too large",
///     // The enum is non-exhaustive: new kinds may come in minor releases.
///     _ => "other",
/// };
/// assert_eq!(what, "bad flags");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The packet type in the first byte is reserved: 0 (both versions) or 15 (3.1.1).
    InvalidPacketType,
    /// The flag bits of the first byte differ from the ones the packet type requires.
    InvalidFlags,
    /// PUBLISH with both QoS bits set.
    InvalidQoS,
    /// PUBLISH with the DUP flag set at QoS 0.
    DupWithQoS0,
    /// The Remaining Length continues past its fourth byte.
    RemainingLengthTooLong,
    /// The Remaining Length uses more bytes than its value needs (a trailing `0x00` byte
    /// after a continuation bit). MQTT 3.1.1 shows only minimal encodings; MQTT 5.0 requires
    /// them in so many words (`MQTT-1.5.5-1`). Accepting padding would break the rule that
    /// every accepted packet re-encodes to the exact bytes it came from.
    NonMinimalRemainingLength,
    /// The packet is larger than the decoder's configured maximum packet size.
    PacketTooLarge,
    /// The Remaining Length is one the packet type can never have: not 2 for CONNACK,
    /// PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK; not 0 for PINGREQ, PINGRESP or
    /// DISCONNECT; too small for the fields a CONNECT, PUBLISH, SUBSCRIBE, SUBACK or
    /// UNSUBSCRIBE must hold; or more than a CONNECT's fields can add up to. Reported as soon
    /// as the Remaining Length shows it, before the body arrives.
    InvalidRemainingLength,
    /// The field runs past the end of the packet: the Remaining Length is too short for
    /// the fields the packet must hold.
    Truncated(Field),
    /// Bytes are left after the packet's last field: the Remaining Length is too long.
    TrailingBytes,
    /// CONNECT: bytes follow the last field the Connect Flags announce. They stand where
    /// this field would be, and its flag is 0.
    UnflaggedField(Field),
    /// The string is not well-formed UTF-8 (this includes encoded surrogates and
    /// over-long encodings).
    InvalidUtf8(Field),
    /// The string contains U+0000.
    NullCharacter(Field),
    /// The string contains a control character (U+0001-U+001F, U+007F-U+009F) or a
    /// non-character. Reported only when the decoder is set to refuse them.
    DisallowedCodePoint(Field),
    /// The topic name or filter is empty.
    EmptyTopic(Field),
    /// The topic name contains `+` or `#`.
    WildcardInTopicName(Field),
    /// The topic filter has a `#` that is not alone in the last level.
    MisplacedMultiLevelWildcard,
    /// The topic filter has a `+` that does not fill a whole level.
    MisplacedSingleLevelWildcard,
    /// The Packet Identifier is 0 where a non-zero one is required.
    ZeroPacketId,
    /// CONNECT: the Protocol Name is not `MQTT`.
    InvalidProtocolName,
    /// CONNECT: the Protocol Level is not 4. The server should answer with CONNACK return
    /// code 1 ([`DecodeError::connack_return_code`]).
    UnsupportedProtocolLevel(u8),
    /// CONNECT: the reserved bit 0 of the Connect Flags is set.
    ConnectReservedFlag,
    /// CONNECT: Will QoS is non-zero while the Will Flag is 0.
    WillQoSWithoutWill,
    /// CONNECT: Will Retain is set while the Will Flag is 0.
    WillRetainWithoutWill,
    /// CONNECT: Will QoS is 3.
    InvalidWillQoS,
    /// CONNECT: the Password Flag is set while the User Name Flag is 0.
    PasswordWithoutUsername,
    /// CONNECT: a zero-length Client Identifier with Clean Session 0. The server should answer
    /// with CONNACK return code 2 ([`DecodeError::connack_return_code`]).
    EmptyClientIdWithoutCleanSession,
    /// CONNACK: one of the reserved bits 7-1 of the acknowledge flags is set.
    ConnackReservedFlags,
    /// CONNACK: a return code above 5.
    InvalidConnectReturnCode(u8),
    /// CONNACK: Session Present set with a non-zero return code.
    SessionPresentWithError,
    /// SUBSCRIBE or UNSUBSCRIBE without a single topic filter.
    NoTopicFilters,
    /// SUBSCRIBE: a Requested QoS of 3.
    InvalidRequestedQoS,
    /// SUBSCRIBE: one of the reserved bits 7-2 of the Requested QoS byte is set.
    SubscriptionReservedBits,
    /// SUBACK: a return code other than 0x00, 0x01, 0x02 or 0x80.
    InvalidSubackReturnCode(u8),
    /// SUBACK without a single return code.
    NoReturnCodes,
    /// MQTT 5.0: a property length or Subscription Identifier in more bytes than its value
    /// needs (`MQTT-1.5.5-1`).
    NonMinimalVariableByteInteger(Field),
    /// MQTT 5.0: a property length or Subscription Identifier longer than four bytes.
    VariableByteIntegerTooLong(Field),
    /// MQTT 5.0: a property identifier that Table 2-4 does not define. The field is
    /// [`Field::Property`] or [`Field::WillProperty`] with the identifier's byte: which block,
    /// and which property (as for the other property kinds).
    UnknownProperty(Field),
    /// MQTT 5.0: a property this packet (or the Will Properties) may not carry.
    PropertyNotAllowed(Field),
    /// MQTT 5.0: a second copy of a property that may appear once.
    DuplicateProperty(Field),
    /// MQTT 5.0: a property value its definition forbids (a byte property other than 0 or
    /// 1; Receive Maximum, Maximum Packet Size, Topic Alias or Subscription Identifier 0).
    InvalidPropertyValue(Field),
    /// MQTT 5.0: Authentication Data without an Authentication Method in the same block.
    MissingAuthenticationMethod,
    /// MQTT 5.0: a reason code this packet's table does not list.
    InvalidReasonCode(u8),
    /// MQTT 5.0: SUBACK or UNSUBACK without a reason code.
    NoReasonCodes,
    /// MQTT 5.0: PUBLISH with an empty Topic Name and no Topic Alias.
    EmptyTopicWithoutAlias,
    /// MQTT 5.0 SUBSCRIBE: Retain Handling 3.
    InvalidRetainHandling,
    /// MQTT 5.0 SUBSCRIBE: No Local on a shared subscription.
    NoLocalOnSharedSubscription,
    /// MQTT 5.0 SUBSCRIBE: a `$share/` filter with a wildcard in its ShareName, or without
    /// a `/` and a filter after it.
    InvalidSharedSubscription,
    /// MQTT 5.0 SUBSCRIBE: a `$share/` filter whose ShareName is empty.
    EmptyShareName,
    /// MQTT 5.0: Payload Format Indicator 1 and a payload that is not UTF-8 (checked only
    /// when the decoder is asked to).
    PayloadNotUtf8,
    /// MQTT 5.0: a Topic Alias above the Topic Alias Maximum the receiver announced.
    TopicAliasOutOfRange,
    /// MQTT 5.0: a QoS above the Maximum QoS the server announced.
    QoSNotSupported,
    /// MQTT 5.0: RETAIN (or Will Retain) while the server announced Retain Available 0.
    RetainNotSupported,
    /// MQTT 5.0: a wildcard filter while the server announced it does not support them.
    WildcardSubscriptionsNotSupported,
    /// MQTT 5.0: a shared subscription while the server announced it does not support them.
    SharedSubscriptionsNotSupported,
    /// MQTT 5.0: a Subscription Identifier while the server announced it does not support them.
    SubscriptionIdentifiersNotSupported,
    /// MQTT 5.0: a property this side of the connection must not be sent.
    PropertyNotExpected(Field),
    /// MQTT 5.0: AUTH on a connection whose CONNECT had no Authentication Method.
    UnexpectedAuth,
    /// The first packet of a connection is not a CONNECT (`MQTT-3.1.0-1` in both versions);
    /// reported by [`decode_first_packet`](crate::decode_first_packet).
    FirstPacketNotConnect,
}

/// Bytes from a peer that are not a valid MQTT packet.
///
/// It names what was wrong ([`kind`](Self::kind)), the byte offset in the input where it was
/// found ([`offset`](Self::offset)), the packet it was found in, and the rule of the
/// specification it breaks ([`clause`](Self::clause)). The connection that sent it should be
/// closed (`MQTT-4.8.0-1`); for the two CONNECT conditions where the server answers first,
/// [`connack_return_code`](Self::connack_return_code) says with which code.
///
/// ```
/// use mqtt_wire::{v311, Clause, DecodeErrorKind, PacketType};
///
/// // PUBLISH QoS 1 with packet identifier 0.
/// let err = v311::decode(&[0x32, 0x05, 0x00, 0x01, b't', 0x00, 0x00]).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::ZeroPacketId);
/// assert_eq!(err.offset(), 5);
/// assert_eq!(err.packet_type(), Some(PacketType::Publish));
/// assert_eq!(err.clause(), Clause::Id("MQTT-2.3.1-1"));
/// assert_eq!(err.connack_return_code(), None); // close without a CONNACK
/// assert_eq!(
///     err.to_string(),
///     "malformed PUBLISH at byte 5: packet identifier is 0 [MQTT-2.3.1-1]"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecodeError {
    kind: DecodeErrorKind,
    offset: usize,
    packet_type: Option<PacketType>,
    /// Filled in by the protocol version that decoded the packet (each numbers its own rules).
    clause: Clause,
    /// The code the receiver answers with, in the version's own terms: a 3.1.1 CONNACK return
    /// code (1 to 5), a 5.0 reason code (0x80 and up), or 0 for "close without answering".
    code: u8,
}

impl DecodeError {
    pub(crate) const fn new(
        kind: DecodeErrorKind,
        offset: usize,
        packet_type: Option<PacketType>,
    ) -> Self {
        DecodeError {
            kind,
            offset,
            packet_type,
            clause: Clause::Section(""),
            code: 0,
        }
    }

    /// The error with the clause it breaks and the code the receiver answers with, as the
    /// protocol version that found it numbers them. Every error leaves the crate through one
    /// of these calls, in the version's `decode`.
    pub(crate) const fn with_rule(self, clause: Clause, code: u8) -> Self {
        DecodeError {
            clause,
            code,
            ..self
        }
    }

    /// The code the version stored with [`with_rule`](Self::with_rule); read by the version
    /// modules, which know what it means.
    pub(crate) const fn code(&self) -> u8 {
        self.code
    }

    /// What was wrong.
    ///
    /// ```
    /// use mqtt_wire::{v311, DecodeErrorKind};
    ///
    /// assert_eq!(v311::decode(&[0x00]).unwrap_err().kind(), DecodeErrorKind::InvalidPacketType);
    /// ```
    pub const fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// The offset, from the start of the input given to `decode`, of the byte where the
    /// problem was found: the first byte of the field that is wrong, or the offending byte
    /// inside it (a bad UTF-8 sequence, a misplaced wildcard, U+0000).
    ///
    /// ```
    /// use mqtt_wire::v311;
    ///
    /// // PUBLISH to "a" followed by U+0000 at byte 5.
    /// assert_eq!(v311::decode(&[0x30, 0x04, 0x00, 0x02, b'a', 0x00]).unwrap_err().offset(), 5);
    /// ```
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The packet the error was found in, when the first byte named a valid packet type.
    ///
    /// ```
    /// use mqtt_wire::{v311, PacketType};
    ///
    /// assert_eq!(v311::decode(&[0xC1]).unwrap_err().packet_type(), Some(PacketType::Pingreq));
    /// assert_eq!(v311::decode(&[0xF0]).unwrap_err().packet_type(), None);
    /// ```
    pub const fn packet_type(&self) -> Option<PacketType> {
        self.packet_type
    }

    /// The rule of the specification that the bytes break.
    ///
    /// ```
    /// use mqtt_wire::{v311, Clause};
    ///
    /// // SUBSCRIBE with flags 0000 instead of 0010.
    /// assert_eq!(v311::decode(&[0x80]).unwrap_err().clause(), Clause::Id("MQTT-3.8.1-1"));
    /// ```
    pub const fn clause(&self) -> Clause {
        self.clause
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DecodeErrorKind as K;
        match self.kind {
            K::InvalidPacketType => f.write_str("reserved packet type"),
            K::InvalidFlags => f.write_str("invalid fixed header flags"),
            K::InvalidQoS => f.write_str("QoS 3 in the fixed header"),
            K::DupWithQoS0 => f.write_str("DUP flag set at QoS 0"),
            K::RemainingLengthTooLong => f.write_str("remaining length longer than 4 bytes"),
            K::NonMinimalRemainingLength => {
                f.write_str("remaining length encoded in more bytes than needed")
            }
            K::PacketTooLarge => f.write_str("packet larger than the configured maximum"),
            K::InvalidRemainingLength => {
                f.write_str("remaining length impossible for this packet type")
            }
            K::Truncated(field) => write!(f, "{field} runs past the end of the packet"),
            K::TrailingBytes => f.write_str("bytes left after the last field"),
            K::UnflaggedField(field) => {
                write!(f, "bytes where the {field} would be, but its flag is 0")
            }
            K::InvalidUtf8(field) => write!(f, "{field} is not well-formed UTF-8"),
            K::NullCharacter(field) => write!(f, "{field} contains U+0000"),
            K::DisallowedCodePoint(field) => {
                write!(f, "{field} contains a control character or non-character")
            }
            K::EmptyTopic(field) => write!(f, "{field} is empty"),
            K::WildcardInTopicName(field) => write!(f, "{field} contains a wildcard character"),
            K::MisplacedMultiLevelWildcard => {
                f.write_str("topic filter has '#' that is not alone in the last level")
            }
            K::MisplacedSingleLevelWildcard => {
                f.write_str("topic filter has '+' that does not fill a whole level")
            }
            K::ZeroPacketId => f.write_str("packet identifier is 0"),
            K::InvalidProtocolName => f.write_str("protocol name is not \"MQTT\""),
            K::UnsupportedProtocolLevel(level) => write!(f, "unsupported protocol level {level}"),
            K::ConnectReservedFlag => f.write_str("reserved connect flag is set"),
            K::WillQoSWithoutWill => f.write_str("will QoS is not 0 without a will"),
            K::WillRetainWithoutWill => f.write_str("will retain is set without a will"),
            K::InvalidWillQoS => f.write_str("will QoS is 3"),
            K::PasswordWithoutUsername => f.write_str("password flag set without user name flag"),
            K::EmptyClientIdWithoutCleanSession => {
                f.write_str("empty client identifier without clean session")
            }
            K::ConnackReservedFlags => f.write_str("reserved connect acknowledge flags are set"),
            K::InvalidConnectReturnCode(code) => write!(f, "reserved connect return code {code}"),
            K::SessionPresentWithError => {
                f.write_str("session present set with a non-zero return code")
            }
            K::NoTopicFilters => f.write_str("no topic filter"),
            K::InvalidRequestedQoS => f.write_str("requested QoS is 3"),
            K::SubscriptionReservedBits => f.write_str("reserved bits of requested QoS are set"),
            K::InvalidSubackReturnCode(code) => {
                write!(f, "reserved SUBACK return code {code:#04x}")
            }
            K::NoReturnCodes => f.write_str("no return code"),
            K::NonMinimalVariableByteInteger(field) => {
                write!(f, "{field} encoded in more bytes than needed")
            }
            K::VariableByteIntegerTooLong(field) => write!(f, "{field} longer than 4 bytes"),
            K::UnknownProperty(field) => write!(f, "unknown {field}"),
            K::PropertyNotAllowed(field) => write!(f, "{field} not allowed here"),
            K::DuplicateProperty(field) => write!(f, "{field} given twice"),
            K::InvalidPropertyValue(field) => write!(f, "{field} has a forbidden value"),
            K::MissingAuthenticationMethod => {
                f.write_str("authentication data without an authentication method")
            }
            K::InvalidReasonCode(code) => write!(f, "reason code {code:#04x} not allowed here"),
            K::NoReasonCodes => f.write_str("no reason code"),
            K::EmptyTopicWithoutAlias => f.write_str("empty topic name without a topic alias"),
            K::InvalidRetainHandling => f.write_str("retain handling is 3"),
            K::NoLocalOnSharedSubscription => f.write_str("no local set on a shared subscription"),
            K::InvalidSharedSubscription => f.write_str("malformed shared subscription filter"),
            K::EmptyShareName => f.write_str("shared subscription without a share name"),
            K::PayloadNotUtf8 => f.write_str("payload marked UTF-8 is not UTF-8"),
            K::TopicAliasOutOfRange => f.write_str("topic alias above the topic alias maximum"),
            K::QoSNotSupported => f.write_str("QoS above the maximum QoS"),
            K::RetainNotSupported => f.write_str("retain while retain is not available"),
            K::WildcardSubscriptionsNotSupported => {
                f.write_str("wildcard subscription while they are not available")
            }
            K::SharedSubscriptionsNotSupported => {
                f.write_str("shared subscription while they are not available")
            }
            K::SubscriptionIdentifiersNotSupported => {
                f.write_str("subscription identifier while they are not available")
            }
            K::PropertyNotExpected(field) => write!(f, "{field} must not be sent to this side"),
            K::UnexpectedAuth => f.write_str("AUTH without an authentication method"),
            K::FirstPacketNotConnect => f.write_str("first packet of a connection is not CONNECT"),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("malformed ")?;
        match self.packet_type {
            Some(t) => f.write_str(t.name())?,
            None => f.write_str("packet")?,
        }
        write!(f, " at byte {}: ", self.offset)?;
        self.describe(f)?;
        write!(f, " [{}]", self.clause())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeError {}

/// A packet the caller asked for that the protocol does not allow, or an output buffer too
/// small.
///
/// Constructors return it before a packet value exists, so every packet value can be
/// encoded; a packet's `encode` returns it only for a short buffer, and then writes nothing.
/// The same rule has different numbers in MQTT 3.1.1 and 5.0, and some constructors (topic
/// names and filters) serve both, so the error names the rule by what it is; each version
/// module gives its own clause number for it (`v311::encode_clause`, `v5::encode_clause`).
///
/// ```
/// use mqtt_wire::v311::{self, Connect, Packet};
/// use mqtt_wire::{Clause, EncodeError, Field};
///
/// let err = Connect::new("a\0b", true, 0).unwrap_err();
/// assert_eq!(err, EncodeError::NullCharacter(Field::ClientId));
/// assert_eq!(v311::encode_clause(&err), Some(Clause::Id("MQTT-1.5.3-2")));
/// assert_eq!(err.to_string(), "client identifier contains U+0000");
///
/// let short = Packet::Pingreq.encode(&mut [0u8; 1]).unwrap_err();
/// assert_eq!(v311::encode_clause(&short), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncodeError {
    /// The output buffer is shorter than the encoded packet.
    BufferTooSmall {
        /// Bytes the packet needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
    /// A string or binary field is longer than 65,535 bytes.
    TooLong(Field),
    /// A string contains U+0000.
    NullCharacter(Field),
    /// A topic name or filter is empty.
    EmptyTopic(Field),
    /// A topic name contains `+` or `#`.
    WildcardInTopicName(Field),
    /// A topic filter has a `#` that is not alone in the last level.
    MisplacedMultiLevelWildcard,
    /// A topic filter has a `+` that does not fill a whole level.
    MisplacedSingleLevelWildcard,
    /// The Remaining Length would exceed 268,435,455 bytes.
    PacketTooLarge,
    /// PUBLISH with DUP at QoS 0.
    DupWithQoS0,
    /// CONNECT with an empty client identifier and Clean Session 0.
    EmptyClientIdWithoutCleanSession,
    /// CONNECT with a password but no user name.
    PasswordWithoutUsername,
    /// CONNACK with Session Present and a non-zero return code.
    SessionPresentWithError,
    /// SUBSCRIBE or UNSUBSCRIBE (the packet type given) with no topic filter.
    NoTopicFilters(PacketType),
    /// SUBACK with no return code.
    NoReturnCodes,
    /// MQTT 5.0: a property this packet (or the Will Properties) may not carry.
    PropertyNotAllowed(u8),
    /// MQTT 5.0: a second copy of a property that may appear once.
    DuplicateProperty(u8),
    /// MQTT 5.0: a property value its definition forbids.
    InvalidPropertyValue(u8),
    /// MQTT 5.0: Authentication Data without an Authentication Method.
    MissingAuthenticationMethod,
    /// MQTT 5.0: a reason code the packet's table does not list.
    InvalidReasonCode(u8),
    /// MQTT 5.0: PUBLISH with an empty topic name and no Topic Alias.
    EmptyTopicWithoutAlias,
    /// MQTT 5.0 SUBSCRIBE: No Local on a shared subscription.
    NoLocalOnSharedSubscription,
    /// MQTT 5.0 SUBSCRIBE: a `$share/` filter that does not follow section 4.8.2.
    InvalidSharedSubscription,
    /// MQTT 5.0: an acknowledgement, DISCONNECT or AUTH (the packet type given) asked for in a
    /// form the standard does not have: properties without a reason code, a left-out reason
    /// code that is not Success, or AUTH with a reason code alone.
    IllegalShortForm(PacketType),
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EncodeError as E;
        match self {
            E::BufferTooSmall { needed, available } => {
                return write!(
                    f,
                    "buffer too small: packet needs {needed} bytes, buffer has {available}"
                );
            }
            E::TooLong(field) => write!(f, "{field} longer than 65535 bytes")?,
            E::NullCharacter(field) => write!(f, "{field} contains U+0000")?,
            E::EmptyTopic(field) => write!(f, "{field} is empty")?,
            E::WildcardInTopicName(field) => write!(f, "{field} contains a wildcard character")?,
            E::MisplacedMultiLevelWildcard => {
                f.write_str("topic filter has '#' that is not alone in the last level")?
            }
            E::MisplacedSingleLevelWildcard => {
                f.write_str("topic filter has '+' that does not fill a whole level")?
            }
            E::PacketTooLarge => f.write_str("remaining length above 268435455 bytes")?,
            E::DupWithQoS0 => f.write_str("DUP flag at QoS 0")?,
            E::EmptyClientIdWithoutCleanSession => {
                f.write_str("empty client identifier without clean session")?
            }
            E::PasswordWithoutUsername => f.write_str("password without user name")?,
            E::SessionPresentWithError => {
                f.write_str("session present with a non-zero return code")?
            }
            E::NoTopicFilters(packet_type) => {
                write!(f, "{} without a topic filter", packet_type.name())?
            }
            E::NoReturnCodes => f.write_str("no return code")?,
            E::PropertyNotAllowed(id) => write!(f, "property {id:#04x} not allowed here")?,
            E::DuplicateProperty(id) => write!(f, "property {id:#04x} given twice")?,
            E::InvalidPropertyValue(id) => write!(f, "property {id:#04x} has a forbidden value")?,
            E::MissingAuthenticationMethod => {
                f.write_str("authentication data without an authentication method")?
            }
            E::InvalidReasonCode(code) => write!(f, "reason code {code:#04x} not allowed here")?,
            E::EmptyTopicWithoutAlias => f.write_str("empty topic name without a topic alias")?,
            E::NoLocalOnSharedSubscription => f.write_str("no local on a shared subscription")?,
            E::InvalidSharedSubscription => f.write_str("malformed shared subscription filter")?,
            E::IllegalShortForm(packet_type) => write!(
                f,
                "{} in a form the standard does not have",
                packet_type.name()
            )?,
        }
        Ok(())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for EncodeError {}
