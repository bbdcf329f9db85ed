//! MQTT 3.1.1's numbering of the rules the decoder and the constructors enforce: the clause
//! each error cites, and the CONNACK return code a server answers with. The rules themselves
//! are checked where the packets are read; this file only names them.

use crate::error::{Clause, DecodeError, DecodeErrorKind, EncodeError, Field};
use crate::v311::ConnectReturnCode;
use crate::PacketType;

/// The error, with the clause it breaks in MQTT 3.1.1's numbering and the CONNACK code owed.
pub(crate) const fn finish(error: DecodeError) -> DecodeError {
    let code = match error.kind() {
        DecodeErrorKind::UnsupportedProtocolLevel(_) => 1,
        DecodeErrorKind::EmptyClientIdWithoutCleanSession => 2,
        _ => 0,
    };
    error.with_rule(decode_clause(&error), code)
}

/// The clause a decode error breaks.
const fn decode_clause(error: &DecodeError) -> Clause {
    use DecodeErrorKind as K;
    use PacketType as P;
    match error.kind() {
        K::InvalidPacketType => Clause::Section("2.2.1"),
        K::InvalidFlags => match error.packet_type() {
            Some(P::Pubrel) => Clause::Id("MQTT-3.6.1-1"),
            Some(P::Subscribe) => Clause::Id("MQTT-3.8.1-1"),
            Some(P::Unsubscribe) => Clause::Id("MQTT-3.10.1-1"),
            Some(P::Disconnect) => Clause::Id("MQTT-3.14.1-1"),
            _ => Clause::Id("MQTT-2.2.2-1"),
        },
        K::InvalidQoS => Clause::Id("MQTT-3.3.1-4"),
        K::DupWithQoS0 => Clause::Id("MQTT-3.3.1-2"),
        K::RemainingLengthTooLong
        | K::NonMinimalRemainingLength
        | K::PacketTooLarge
        | K::InvalidRemainingLength => Clause::Section("2.2.3"),
        K::Truncated(Field::PacketId) => match error.packet_type() {
            Some(P::Publish | P::Subscribe | P::Unsubscribe) => Clause::Id("MQTT-2.3.1-1"),
            _ => Clause::Section("2.3.1"),
        },
        K::Truncated(field) => match field {
            Field::ClientId => Clause::Id("MQTT-3.1.3-3"),
            Field::WillTopic | Field::WillMessage => Clause::Id("MQTT-3.1.2-9"),
            Field::Username => Clause::Id("MQTT-3.1.2-19"),
            Field::Password => Clause::Id("MQTT-3.1.2-21"),
            Field::TopicName => Clause::Id("MQTT-3.3.2-1"),
            _ => Clause::Section("2.2.3"),
        },
        K::TrailingBytes => Clause::Section("2.2.3"),
        K::UnflaggedField(field) => match field {
            Field::Username => Clause::Id("MQTT-3.1.2-18"),
            Field::Password => Clause::Id("MQTT-3.1.2-20"),
            _ => Clause::Id("MQTT-3.1.2-11"),
        },
        K::InvalidUtf8(_) => Clause::Id("MQTT-1.5.3-1"),
        K::NullCharacter(field) if field.is_topic() => Clause::Id("MQTT-4.7.3-2"),
        K::NullCharacter(_) => Clause::Id("MQTT-1.5.3-2"),
        K::DisallowedCodePoint(_) => Clause::Section("1.5.3"),
        K::EmptyTopic(_) => Clause::Id("MQTT-4.7.3-1"),
        K::WildcardInTopicName(Field::TopicName) => Clause::Id("MQTT-3.3.2-2"),
        K::WildcardInTopicName(_) => Clause::Id("MQTT-4.7.1-1"),
        K::MisplacedMultiLevelWildcard => Clause::Id("MQTT-4.7.1-2"),
        K::MisplacedSingleLevelWildcard => Clause::Id("MQTT-4.7.1-3"),
        K::ZeroPacketId => match error.packet_type() {
            Some(P::Publish | P::Subscribe | P::Unsubscribe) => Clause::Id("MQTT-2.3.1-1"),
            // Acknowledgements repeat the id of the packet they answer, which is never 0.
            _ => Clause::Section("2.3.1"),
        },
        K::InvalidProtocolName => Clause::Id("MQTT-3.1.2-1"),
        K::UnsupportedProtocolLevel(_) => Clause::Id("MQTT-3.1.2-2"),
        K::ConnectReservedFlag => Clause::Id("MQTT-3.1.2-3"),
        K::WillQoSWithoutWill => Clause::Id("MQTT-3.1.2-13"),
        K::WillRetainWithoutWill => Clause::Id("MQTT-3.1.2-15"),
        K::InvalidWillQoS => Clause::Id("MQTT-3.1.2-14"),
        K::PasswordWithoutUsername => Clause::Id("MQTT-3.1.2-22"),
        K::EmptyClientIdWithoutCleanSession => Clause::Id("MQTT-3.1.3-8"),
        K::ConnackReservedFlags => Clause::Section("3.2.2.1"),
        K::InvalidConnectReturnCode(_) => Clause::Section("3.2.2.3"),
        K::SessionPresentWithError => Clause::Id("MQTT-3.2.2-4"),
        K::NoTopicFilters => match error.packet_type() {
            Some(P::Unsubscribe) => Clause::Id("MQTT-3.10.3-2"),
            _ => Clause::Id("MQTT-3.8.3-3"),
        },
        K::InvalidRequestedQoS | K::SubscriptionReservedBits => Clause::Id("MQTT-3.8.3-4"),
        K::InvalidSubackReturnCode(_) => Clause::Id("MQTT-3.9.3-2"),
        K::NoReturnCodes => Clause::Section("3.9.3"),
        K::FirstPacketNotConnect => Clause::Id("MQTT-3.1.0-1"),
        // The 3.1.1 decoder never reports the kinds MQTT 5.0 added.
        _ => Clause::Section(""),
    }
}

impl DecodeError {
    /// The CONNACK return code a server should send before closing the connection, for the
    /// two CONNECT conditions where the specification asks for an answer rather than a
    /// silent close: an unsupported protocol level (1, `MQTT-3.1.2-2`) and an empty client
    /// identifier without Clean Session (2, `MQTT-3.1.3-8`). `None` for every other error:
    /// close the connection without a CONNACK (`MQTT-3.1.4-1`).
    ///
    /// The rest of the CONNECT has been checked before the empty client identifier is
    /// reported, so a CONNECT that is also malformed elsewhere gets the malformed error.
    /// After an unsupported protocol level nothing more is read: the rest of the packet may
    /// follow another version's format.
    ///
    /// ```
    /// use mqtt_wire::v311::{self, ConnectReturnCode};
    ///
    /// // CONNECT with protocol level 5.
    /// let bytes = [0x10, 0x0C, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0, 0, 0, 0];
    /// let err = v311::decode(&bytes).unwrap_err();
    /// assert_eq!(
    ///     err.connack_return_code(),
    ///     Some(ConnectReturnCode::UnacceptableProtocolVersion)
    /// );
    /// ```
    pub const fn connack_return_code(&self) -> Option<ConnectReturnCode> {
        // Only a 3.1.1 error carries 1 or 2 (5.0 reason codes are 0x80 and up).
        match self.code() {
            1 => Some(ConnectReturnCode::UnacceptableProtocolVersion),
            2 => Some(ConnectReturnCode::IdentifierRejected),
            _ => None,
        }
    }
}

/// The rule an [`EncodeError`] says the packet would break, in MQTT 3.1.1's numbering; `None`
/// for a short buffer.
///
/// ```
/// use mqtt_wire::{v311, Clause, TopicFilter};
///
/// let err = TopicFilter::new("a#").unwrap_err();
/// assert_eq!(v311::encode_clause(&err), Some(Clause::Id("MQTT-4.7.1-2")));
/// ```
pub const fn encode_clause(error: &EncodeError) -> Option<Clause> {
    use EncodeError as E;
    Some(match error {
        E::BufferTooSmall { .. } => return None,
        E::TooLong(Field::TopicName | Field::WillTopic | Field::TopicFilter) => {
            Clause::Id("MQTT-4.7.3-3")
        }
        // Binary fields: their sections give the two-byte length prefix.
        E::TooLong(Field::WillMessage) => Clause::Section("3.1.3.3"),
        E::TooLong(Field::Password) => Clause::Section("3.1.3.5"),
        E::TooLong(_) => Clause::Section("1.5.3"),
        E::NullCharacter(field) if field.is_topic() => Clause::Id("MQTT-4.7.3-2"),
        E::NullCharacter(_) => Clause::Id("MQTT-1.5.3-2"),
        E::EmptyTopic(_) => Clause::Id("MQTT-4.7.3-1"),
        E::WildcardInTopicName(_) => Clause::Id("MQTT-4.7.1-1"),
        E::MisplacedMultiLevelWildcard => Clause::Id("MQTT-4.7.1-2"),
        E::MisplacedSingleLevelWildcard => Clause::Id("MQTT-4.7.1-3"),
        E::PacketTooLarge => Clause::Section("2.2.3"),
        E::DupWithQoS0 => Clause::Id("MQTT-3.3.1-2"),
        E::EmptyClientIdWithoutCleanSession => Clause::Id("MQTT-3.1.3-7"),
        E::PasswordWithoutUsername => Clause::Id("MQTT-3.1.2-22"),
        E::SessionPresentWithError => Clause::Id("MQTT-3.2.2-4"),
        E::NoTopicFilters(PacketType::Unsubscribe) => Clause::Id("MQTT-3.10.3-2"),
        E::NoTopicFilters(_) => Clause::Id("MQTT-3.8.3-3"),
        E::NoReturnCodes => Clause::Section("3.9.3"),
        // Errors only MQTT 5.0's constructors give.
        _ => return None,
    })
}
