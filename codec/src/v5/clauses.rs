//! MQTT 5.0's numbering of the rules the decoder and the constructors enforce, and the reason
//! code a receiver answers each refusal with: the tables of `vectors/v5/DECISIONS.md`
//! (sections 5, 7 and 8). The rules themselves are checked where the packets are read.

use crate::error::{Clause, DecodeError, DecodeErrorKind as K, EncodeError, Field};
use crate::v5::properties::PropertyId;
use crate::v5::reason::ReasonCode;
use crate::v5::{Decoder, Role};
use crate::PacketType as P;

/// The error with its 5.0 clause and reason code.
pub(crate) fn finish(error: DecodeError, decoder: &Decoder) -> DecodeError {
    let clause = clause(&error, decoder);
    error.with_rule(clause, reason(error.kind()))
}

impl DecodeError {
    /// The reason code a 5.0 receiver sends (in CONNACK for a CONNECT, else in DISCONNECT)
    /// before closing, per DECISIONS.md section 5; `None` for a 3.1.1 error.
    ///
    /// ```
    /// use mqtt_wire::v5;
    ///
    /// // PUBLISH with a Receive Maximum, which only CONNECT and CONNACK may carry.
    /// let err = v5::decode(&[0x30, 0x07, 0x00, 0x01, b't', 0x03, 0x21, 0x00, 0x01]).unwrap_err();
    /// assert_eq!(err.reason_code().map(|c| c.value()), Some(0x81));
    /// ```
    pub fn reason_code(&self) -> Option<ReasonCode> {
        (self.code() >= 0x80).then(|| ReasonCode::raw(self.code()))
    }
}

/// The reason code of each refusal (DECISIONS.md section 5).
const fn reason(kind: K) -> u8 {
    match kind {
        K::DuplicateProperty(_)
        | K::MissingAuthenticationMethod
        | K::EmptyTopicWithoutAlias
        | K::ZeroPacketId
        | K::NoTopicFilters
        | K::NoReasonCodes
        | K::NoReturnCodes
        | K::SessionPresentWithError
        | K::InvalidRequestedQoS
        | K::InvalidRetainHandling
        | K::NoLocalOnSharedSubscription
        | K::PropertyNotExpected(_)
        | K::UnexpectedAuth => 0x82,
        // Topic Alias 0 names its own code (3.3.2.3.4).
        K::InvalidPropertyValue(Field::Property(0x23)) => 0x94,
        K::InvalidPropertyValue(_) => 0x82,
        K::InvalidProtocolName | K::UnsupportedProtocolLevel(_) => 0x84,
        K::PacketTooLarge => 0x95,
        K::TopicAliasOutOfRange => 0x94,
        K::QoSNotSupported => 0x9B,
        K::RetainNotSupported => 0x9A,
        K::WildcardSubscriptionsNotSupported => 0xA2,
        K::SharedSubscriptionsNotSupported => 0x9E,
        K::SubscriptionIdentifiersNotSupported => 0xA1,
        K::PayloadNotUtf8 => 0x99,
        _ => 0x81,
    }
}

/// The clause of each refusal (DECISIONS.md sections 6-8).
fn clause(error: &DecodeError, decoder: &Decoder) -> Clause {
    use Clause::{Id, Section};
    let receiver = decoder.receiver;
    let packet = error.packet_type();
    let by_role = |server: &'static str, client: &'static str, neither: Clause| match receiver {
        Some(Role::Server) => Id(server),
        Some(Role::Client) => Id(client),
        None => neither,
    };
    match error.kind() {
        K::InvalidPacketType => Section("2.1.2"),
        K::InvalidFlags => match packet {
            Some(P::Pubrel) => Id("MQTT-3.6.1-1"),
            Some(P::Subscribe) => Id("MQTT-3.8.1-1"),
            Some(P::Unsubscribe) => Id("MQTT-3.10.1-1"),
            Some(P::Disconnect) => Id("MQTT-3.14.1-1"),
            Some(P::Auth) => Id("MQTT-3.15.1-1"),
            _ => Id("MQTT-2.1.3-1"),
        },
        K::InvalidQoS => Id("MQTT-3.3.1-4"),
        K::DupWithQoS0 => Id("MQTT-3.3.1-2"),
        K::RemainingLengthTooLong | K::VariableByteIntegerTooLong(_) => Section("1.5.5"),
        K::NonMinimalRemainingLength | K::NonMinimalVariableByteInteger(_) => Id("MQTT-1.5.5-1"),
        K::PacketTooLarge => by_role("MQTT-3.2.2-15", "MQTT-3.1.2-24", Section("3.1.2.11.4")),
        K::InvalidRemainingLength | K::TrailingBytes => Section("2.1.4"),
        K::Truncated(field) => match field {
            Field::ClientId => Id("MQTT-3.1.3-3"),
            Field::WillTopic | Field::WillMessage => Id("MQTT-3.1.2-9"),
            Field::WillProperties | Field::WillProperty(_) => Section("3.1.3.2.1"),
            Field::Username => Id("MQTT-3.1.2-17"),
            Field::Password => Id("MQTT-3.1.2-19"),
            Field::TopicName => Id("MQTT-3.3.2-1"),
            Field::Properties | Field::Property(_) => property_length_section(packet),
            _ => Section("2.1.4"),
        },
        K::UnflaggedField(field) => match field {
            Field::Username => Id("MQTT-3.1.2-16"),
            Field::Password => Id("MQTT-3.1.2-18"),
            _ => Id("MQTT-3.1.3-1"),
        },
        K::InvalidUtf8(field) => match field {
            Field::TopicFilter if packet == Some(P::Subscribe) => Id("MQTT-3.8.3-1"),
            Field::TopicFilter => Id("MQTT-3.10.3-1"),
            Field::Property(0x08) | Field::WillProperty(0x08) => Id("MQTT-3.3.2-13"),
            Field::Property(0x03) | Field::WillProperty(0x03) => Id("MQTT-3.3.2-19"),
            Field::Property(0x26) | Field::WillProperty(0x26) => Id("MQTT-1.5.7-1"),
            _ => Id("MQTT-1.5.4-1"),
        },
        K::NullCharacter(field) if field.is_topic() => Id("MQTT-4.7.3-2"),
        K::NullCharacter(Field::Property(0x26) | Field::WillProperty(0x26)) => Id("MQTT-1.5.7-1"),
        K::NullCharacter(_) => Id("MQTT-1.5.4-2"),
        K::DisallowedCodePoint(_) => Section("1.5.4"),
        K::EmptyTopic(Field::Property(_) | Field::WillProperty(_)) => Id("MQTT-3.3.2-14"),
        K::EmptyTopic(_) => Id("MQTT-4.7.3-1"),
        K::WildcardInTopicName(Field::TopicName) => Id("MQTT-3.3.2-2"),
        K::WildcardInTopicName(Field::Property(_) | Field::WillProperty(_)) => Id("MQTT-3.3.2-14"),
        K::WildcardInTopicName(_) => Id("MQTT-4.7.0-1"),
        K::MisplacedMultiLevelWildcard => Id("MQTT-4.7.1-1"),
        K::MisplacedSingleLevelWildcard => Id("MQTT-4.7.1-2"),
        K::ZeroPacketId => match packet {
            Some(P::Publish | P::Subscribe | P::Unsubscribe) => Id("MQTT-2.2.1-3"),
            _ => Section("2.2.1"),
        },
        K::InvalidProtocolName => Id("MQTT-3.1.2-1"),
        K::UnsupportedProtocolLevel(_) => Id("MQTT-3.1.2-2"),
        K::ConnectReservedFlag => Id("MQTT-3.1.2-3"),
        K::WillQoSWithoutWill => Id("MQTT-3.1.2-11"),
        K::InvalidWillQoS => Id("MQTT-3.1.2-12"),
        K::WillRetainWithoutWill => Id("MQTT-3.1.2-13"),
        K::ConnackReservedFlags => Id("MQTT-3.2.2-1"),
        K::SessionPresentWithError => Id("MQTT-3.2.2-6"),
        K::NoTopicFilters => match packet {
            Some(P::Unsubscribe) => Id("MQTT-3.10.3-2"),
            _ => Id("MQTT-3.8.3-2"),
        },
        K::NoReasonCodes | K::NoReturnCodes => match packet {
            Some(P::Unsuback) => Id("MQTT-3.11.3-2"),
            _ => Id("MQTT-3.9.3-2"),
        },
        K::SubscriptionReservedBits => Id("MQTT-3.8.3-5"),
        K::InvalidRequestedQoS | K::InvalidRetainHandling => Section("3.8.3.1"),
        K::NoLocalOnSharedSubscription => Id("MQTT-3.8.3-4"),
        K::EmptyShareName => Id("MQTT-4.8.2-1"),
        K::InvalidSharedSubscription => Id("MQTT-4.8.2-2"),
        K::EmptyTopicWithoutAlias => Section("3.3.2.1"),
        K::PayloadNotUtf8 => match packet {
            Some(P::Connect) => Section("3.1.3.2.3"),
            _ => Section("3.3.2.3.2"),
        },
        K::InvalidReasonCode(_) => match packet {
            Some(P::Connack) => Id("MQTT-3.2.2-8"),
            Some(P::Puback) => Id("MQTT-3.4.2-1"),
            Some(P::Pubrec) => Id("MQTT-3.5.2-1"),
            Some(P::Pubrel) => Id("MQTT-3.6.2-1"),
            Some(P::Pubcomp) => Id("MQTT-3.7.2-1"),
            Some(P::Suback) => Id("MQTT-3.9.3-2"),
            Some(P::Unsuback) => Id("MQTT-3.11.3-2"),
            Some(P::Disconnect) => Id("MQTT-3.14.2-1"),
            _ => Id("MQTT-3.15.2-1"),
        },
        K::UnknownProperty(_) | K::PropertyNotAllowed(_) => Section("2.2.2.2"),
        K::InvalidPropertyValue(Field::Property(0x23)) => Id("MQTT-3.3.2-8"),
        K::DuplicateProperty(field) | K::InvalidPropertyValue(field) => match field {
            Field::WillProperty(id) => property_section(Some(P::Connect), true, id),
            Field::Property(id) => property_section(packet, false, id),
            _ => Section("2.2.2.2"),
        },
        K::MissingAuthenticationMethod => property_section(packet, false, 0x16),
        // A maximum of 0 (or none announced) refuses every alias: its own statements.
        K::TopicAliasOutOfRange if decoder.topic_alias_maximum == Some(0) => {
            by_role("MQTT-3.2.2-18", "MQTT-3.1.2-27", Section("3.3.2.3.4"))
        }
        K::TopicAliasOutOfRange => by_role("MQTT-3.3.2-9", "MQTT-3.3.2-11", Section("3.3.2.3.4")),
        K::QoSNotSupported => match packet {
            Some(P::Connect) => Id("MQTT-3.2.2-12"),
            _ => Id("MQTT-3.2.2-11"),
        },
        K::RetainNotSupported => match packet {
            Some(P::Connect) => Id("MQTT-3.2.2-13"),
            _ => Id("MQTT-3.2.2-14"),
        },
        K::WildcardSubscriptionsNotSupported => Section("3.2.2.3.11"),
        K::SubscriptionIdentifiersNotSupported => Section("3.2.2.3.12"),
        K::SharedSubscriptionsNotSupported => Section("3.2.2.3.13"),
        K::PropertyNotExpected(field) => match (packet, field) {
            (Some(P::Publish), _) => Id("MQTT-3.3.4-6"),
            (Some(P::Disconnect), _) => Id("MQTT-3.14.2-2"),
            (Some(P::Connack), Field::Property(0x1A)) => Id("MQTT-3.1.2-28"),
            (Some(P::Connack), _) => Id("MQTT-4.12.0-6"),
            _ => Id("MQTT-3.1.2-29"),
        },
        K::FirstPacketNotConnect => Id("MQTT-3.1.0-1"),
        K::UnexpectedAuth => by_role("MQTT-4.12.0-7", "MQTT-4.12.0-6", Id("MQTT-4.12.0-7")),
        // 3.1.1's CONNECT rules, which 5.0 does not have.
        K::PasswordWithoutUsername
        | K::EmptyClientIdWithoutCleanSession
        | K::InvalidConnectReturnCode(_)
        | K::InvalidSubackReturnCode(_) => Section(""),
    }
}

/// The section of a packet's property length (DECISIONS.md section 7).
const fn property_length_section(packet: Option<P>) -> Clause {
    Clause::Section(match packet {
        Some(P::Connect) => "3.1.2.11.1",
        Some(P::Connack) => "3.2.2.3.1",
        Some(P::Publish) => "3.3.2.3.1",
        Some(P::Puback) => "3.4.2.2.1",
        Some(P::Pubrec) => "3.5.2.2.1",
        Some(P::Pubrel) => "3.6.2.2.1",
        Some(P::Pubcomp) => "3.7.2.2.1",
        Some(P::Subscribe) => "3.8.2.1.1",
        Some(P::Suback) => "3.9.2.1.1",
        Some(P::Unsubscribe) => "3.10.2.1.1",
        Some(P::Unsuback) => "3.11.2.1.1",
        Some(P::Disconnect) => "3.14.2.2.1",
        _ => "3.15.2.2.1",
    })
}

/// The section of property `id` in `packet` (DECISIONS.md section 7), or in a CONNECT's Will
/// Properties.
fn property_section(packet: Option<P>, will: bool, id: u8) -> Clause {
    use PropertyId as I;
    let Some(id) = PropertyId::from_u8(id) else {
        return Clause::Section("2.2.2.2");
    };
    let acks = |id| match id {
        I::ReasonString => ".2",
        _ => ".3",
    };
    let section: &'static str = match packet {
        Some(P::Connect) if will => match id {
            I::WillDelayInterval => "3.1.3.2.2",
            I::PayloadFormatIndicator => "3.1.3.2.3",
            I::MessageExpiryInterval => "3.1.3.2.4",
            I::ContentType => "3.1.3.2.5",
            I::ResponseTopic => "3.1.3.2.6",
            I::CorrelationData => "3.1.3.2.7",
            _ => "3.1.3.2.8",
        },
        Some(P::Connect) => match id {
            I::SessionExpiryInterval => "3.1.2.11.2",
            I::ReceiveMaximum => "3.1.2.11.3",
            I::MaximumPacketSize => "3.1.2.11.4",
            I::TopicAliasMaximum => "3.1.2.11.5",
            I::RequestResponseInformation => "3.1.2.11.6",
            I::RequestProblemInformation => "3.1.2.11.7",
            I::UserProperty => "3.1.2.11.8",
            I::AuthenticationMethod => "3.1.2.11.9",
            _ => "3.1.2.11.10",
        },
        Some(P::Connack) => match id {
            I::SessionExpiryInterval => "3.2.2.3.2",
            I::ReceiveMaximum => "3.2.2.3.3",
            I::MaximumQoS => "3.2.2.3.4",
            I::RetainAvailable => "3.2.2.3.5",
            I::MaximumPacketSize => "3.2.2.3.6",
            I::AssignedClientIdentifier => "3.2.2.3.7",
            I::TopicAliasMaximum => "3.2.2.3.8",
            I::ReasonString => "3.2.2.3.9",
            I::UserProperty => "3.2.2.3.10",
            I::WildcardSubscriptionAvailable => "3.2.2.3.11",
            I::SubscriptionIdentifierAvailable => "3.2.2.3.12",
            I::SharedSubscriptionAvailable => "3.2.2.3.13",
            I::ServerKeepAlive => "3.2.2.3.14",
            I::ResponseInformation => "3.2.2.3.15",
            I::ServerReference => "3.2.2.3.16",
            I::AuthenticationMethod => "3.2.2.3.17",
            _ => "3.2.2.3.18",
        },
        Some(P::Publish) => match id {
            I::PayloadFormatIndicator => "3.3.2.3.2",
            I::MessageExpiryInterval => "3.3.2.3.3",
            I::TopicAlias => "3.3.2.3.4",
            I::ResponseTopic => "3.3.2.3.5",
            I::CorrelationData => "3.3.2.3.6",
            I::UserProperty => "3.3.2.3.7",
            I::SubscriptionIdentifier => "3.3.2.3.8",
            _ => "3.3.2.3.9",
        },
        Some(P::Puback) => concat_section("3.4.2.2", acks(id)),
        Some(P::Pubrec) => concat_section("3.5.2.2", acks(id)),
        Some(P::Pubrel) => concat_section("3.6.2.2", acks(id)),
        Some(P::Pubcomp) => concat_section("3.7.2.2", acks(id)),
        Some(P::Suback) => concat_section("3.9.2.1", acks(id)),
        Some(P::Unsuback) => concat_section("3.11.2.1", acks(id)),
        Some(P::Subscribe) => match id {
            I::SubscriptionIdentifier => "3.8.2.1.2",
            _ => "3.8.2.1.3",
        },
        Some(P::Unsubscribe) => "3.10.2.1.2",
        Some(P::Disconnect) => match id {
            I::SessionExpiryInterval => "3.14.2.2.2",
            I::ReasonString => "3.14.2.2.3",
            I::UserProperty => "3.14.2.2.4",
            _ => "3.14.2.2.5",
        },
        _ => match id {
            I::AuthenticationMethod => "3.15.2.2.2",
            I::AuthenticationData => "3.15.2.2.3",
            I::ReasonString => "3.15.2.2.4",
            _ => "3.15.2.2.5",
        },
    };
    Clause::Section(section)
}

/// `base` and `suffix` (".2" or ".3") as one static string, for the six packets whose
/// properties are a Reason String and User Properties.
fn concat_section(base: &'static str, suffix: &'static str) -> &'static str {
    match (base, suffix) {
        ("3.4.2.2", ".2") => "3.4.2.2.2",
        ("3.4.2.2", _) => "3.4.2.2.3",
        ("3.5.2.2", ".2") => "3.5.2.2.2",
        ("3.5.2.2", _) => "3.5.2.2.3",
        ("3.6.2.2", ".2") => "3.6.2.2.2",
        ("3.6.2.2", _) => "3.6.2.2.3",
        ("3.7.2.2", ".2") => "3.7.2.2.2",
        ("3.7.2.2", _) => "3.7.2.2.3",
        ("3.9.2.1", ".2") => "3.9.2.1.2",
        ("3.9.2.1", _) => "3.9.2.1.3",
        ("3.11.2.1", ".2") => "3.11.2.1.2",
        _ => "3.11.2.1.3",
    }
}

/// The rule an [`EncodeError`] says a 5.0 packet would break, in MQTT 5.0's numbering;
/// `None` for a short buffer.
///
/// ```
/// use mqtt_wire::{v5, Clause, TopicFilter};
///
/// let err = TopicFilter::new("a#").unwrap_err();
/// assert_eq!(v5::encode_clause(&err), Some(Clause::Id("MQTT-4.7.1-1")));
/// ```
pub fn encode_clause(error: &EncodeError) -> Option<Clause> {
    use Clause::{Id, Section};
    use EncodeError as E;
    Some(match error {
        E::BufferTooSmall { .. } => return None,
        E::TooLong(field) if field.is_topic() => Id("MQTT-4.7.3-3"),
        E::TooLong(_) => Section("1.5.4"),
        E::NullCharacter(field) if field.is_topic() => Id("MQTT-4.7.3-2"),
        E::NullCharacter(_) => Id("MQTT-1.5.4-2"),
        E::EmptyTopic(_) => Id("MQTT-4.7.3-1"),
        E::WildcardInTopicName(_) => Id("MQTT-4.7.0-1"),
        E::MisplacedMultiLevelWildcard => Id("MQTT-4.7.1-1"),
        E::MisplacedSingleLevelWildcard => Id("MQTT-4.7.1-2"),
        E::PacketTooLarge => Section("2.1.4"),
        E::DupWithQoS0 => Id("MQTT-3.3.1-2"),
        E::SessionPresentWithError => Id("MQTT-3.2.2-6"),
        E::NoTopicFilters(P::Unsubscribe) => Id("MQTT-3.10.3-2"),
        E::NoTopicFilters(_) => Id("MQTT-3.8.3-2"),
        E::NoReturnCodes => Id("MQTT-3.9.3-2"),
        E::PropertyNotAllowed(_) => Section("2.2.2.2"),
        E::DuplicateProperty(_) | E::InvalidPropertyValue(_) => Section("2.2.2.2"),
        E::MissingAuthenticationMethod => Section("3.1.2.11.10"),
        E::InvalidReasonCode(_) => Section("2.4"),
        E::EmptyTopicWithoutAlias => Section("3.3.2.1"),
        E::NoLocalOnSharedSubscription => Id("MQTT-3.8.3-4"),
        E::InvalidSharedSubscription => Id("MQTT-4.8.2-2"),
        E::IllegalShortForm(P::Disconnect) => Section("3.14.2.1"),
        E::IllegalShortForm(P::Auth) => Section("3.15.2.1"),
        E::IllegalShortForm(_) => Section("3.4.2.1"),
        // 3.1.1's CONNECT rules, which 5.0 does not have.
        E::EmptyClientIdWithoutCleanSession | E::PasswordWithoutUsername => return None,
    })
}
