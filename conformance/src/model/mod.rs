//! The language-neutral JSON model of a packet and of a decode error.
//!
//! The packet model is the codec's `serde` form (`mqtt_wire`'s `serde` feature, written from
//! `vectors/README.md` for 3.1.1 and `vectors/v5/DECISIONS.md` section 2 for 5.0): this crate
//! serializes a decoded packet with it and deserializes a vector's model into an owned packet
//! to encode. There is one model, the codec's; here are only the error model, which the codec
//! has no serde form for, and [`normalize`], which writes out the vectors' compressed payloads.

use mqtt_wire::{DecodeError, DecodeErrorKind, Field, OwnedPacket, PacketDecoder, PacketType};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::hex;
use crate::suite::Protocol;

/// A vector's `packet` with any segmented `payload` written out as one hex string, so two
/// models compare equal when they describe the same packet, and the codec's serde form
/// (which takes a payload as one hex string) reads it.
pub fn normalize(model: &Value) -> Result<Value, String> {
    let mut model = model.clone();
    if let Some(payload) = model.get_mut("payload") {
        if payload.is_array() {
            *payload = Value::String(hex::format(&hex::parse_segments(payload)?));
        }
    }
    Ok(model)
}

/// The JSON model of a packet: the codec's serde form.
pub fn packet_to_json<P: Serialize>(packet: &P) -> Result<Value, String> {
    serde_json::to_value(packet).map_err(|e| format!("the codec cannot serialize it: {e}"))
}

/// Encodes a JSON packet model of `protocol` with this codec: deserialized into the codec's
/// owned packet (through its public constructors, which may refuse it), then its bytes.
pub fn encode_json(protocol: Protocol, model: &Value) -> Result<Vec<u8>, String> {
    match protocol {
        Protocol::V311 => encode::<mqtt_wire::v311::Decoder>(model),
        Protocol::V5 => encode::<mqtt_wire::v5::Decoder>(model),
    }
}

fn encode<D>(model: &Value) -> Result<Vec<u8>, String>
where
    D: PacketDecoder,
    OwnedPacket<D>: DeserializeOwned,
{
    let model = normalize(model)?;
    let packet = OwnedPacket::<D>::deserialize(&model)
        .map_err(|e| format!("the codec refuses this packet: {e}"))?;
    Ok(packet.as_bytes().to_vec())
}

/// Where an error is in the model's terms: which field, when the kind does not carry one.
enum Place {
    /// The field.
    Field(Field),
    /// A field the codec's [`Field`] has no variant for (a PUBLISH payload).
    Named(&'static str),
}

/// The language-neutral name of an error kind, and where it is. `protocol` picks the name
/// of the fields that the versions call differently (the byte after a topic filter is the
/// Requested QoS in 3.1.1 and the Subscription Options in 5.0).
fn error_kind_place(
    kind: DecodeErrorKind,
    packet: Option<PacketType>,
    protocol: Protocol,
) -> (&'static str, Option<Place>) {
    use DecodeErrorKind as K;
    use Place::{Field as F, Named};
    let options = match protocol {
        Protocol::V311 => Field::RequestedQoS,
        Protocol::V5 => Field::SubscriptionOptions,
    };
    let connect_flags_in_connect =
        || (packet == Some(PacketType::Connect)).then_some(F(Field::ConnectFlags));
    match kind {
        K::InvalidPacketType => ("invalid-packet-type", None),
        K::InvalidFlags => ("invalid-flags", None),
        K::InvalidQoS => ("invalid-qos", None),
        K::DupWithQoS0 => ("dup-with-qos0", None),
        K::RemainingLengthTooLong => ("remaining-length-too-long", Some(F(Field::RemainingLength))),
        K::NonMinimalRemainingLength => (
            "non-minimal-remaining-length",
            Some(F(Field::RemainingLength)),
        ),
        K::PacketTooLarge => ("packet-too-large", Some(F(Field::RemainingLength))),
        K::InvalidRemainingLength => ("invalid-remaining-length", Some(F(Field::RemainingLength))),
        K::Truncated(f) => ("truncated", Some(F(f))),
        K::TrailingBytes => ("trailing-bytes", None),
        K::UnflaggedField(f) => ("unflagged-field", Some(F(f))),
        K::InvalidUtf8(f) => ("invalid-utf8", Some(F(f))),
        K::NullCharacter(f) => ("null-character", Some(F(f))),
        K::DisallowedCodePoint(f) => ("disallowed-code-point", Some(F(f))),
        K::EmptyTopic(f) => ("empty-topic", Some(F(f))),
        K::WildcardInTopicName(f) => ("wildcard-in-topic-name", Some(F(f))),
        K::MisplacedMultiLevelWildcard => (
            "misplaced-multi-level-wildcard",
            Some(F(Field::TopicFilter)),
        ),
        K::MisplacedSingleLevelWildcard => (
            "misplaced-single-level-wildcard",
            Some(F(Field::TopicFilter)),
        ),
        K::ZeroPacketId => ("zero-packet-id", Some(F(Field::PacketId))),
        K::InvalidProtocolName => ("invalid-protocol-name", Some(F(Field::ProtocolName))),
        K::UnsupportedProtocolLevel(_) => {
            ("unsupported-protocol-level", Some(F(Field::ProtocolLevel)))
        }
        K::ConnectReservedFlag => ("connect-reserved-flag", Some(F(Field::ConnectFlags))),
        K::WillQoSWithoutWill => ("will-qos-without-will", Some(F(Field::ConnectFlags))),
        K::WillRetainWithoutWill => ("will-retain-without-will", Some(F(Field::ConnectFlags))),
        K::InvalidWillQoS => ("invalid-will-qos", Some(F(Field::ConnectFlags))),
        K::PasswordWithoutUsername => ("password-without-username", Some(F(Field::ConnectFlags))),
        K::EmptyClientIdWithoutCleanSession => (
            "empty-client-id-without-clean-session",
            Some(F(Field::ClientId)),
        ),
        K::ConnackReservedFlags => ("connack-reserved-flags", Some(F(Field::ConnackFlags))),
        K::InvalidConnectReturnCode(_) => {
            ("invalid-connect-return-code", Some(F(Field::ReturnCode)))
        }
        K::SessionPresentWithError => ("session-present-with-error", Some(F(Field::ConnackFlags))),
        K::NoTopicFilters => ("no-topic-filters", None),
        K::InvalidRequestedQoS => ("invalid-requested-qos", Some(F(options))),
        K::SubscriptionReservedBits => ("subscription-reserved-bits", Some(F(options))),
        K::InvalidSubackReturnCode(_) => (
            "invalid-suback-return-code",
            Some(F(Field::SubackReturnCode)),
        ),
        K::NoReturnCodes => ("no-return-codes", None),
        // MQTT 5.0 (vectors/v5/DECISIONS.md section 4).
        K::NonMinimalVariableByteInteger(f) => ("non-minimal-variable-byte-integer", Some(F(f))),
        K::VariableByteIntegerTooLong(f) => ("variable-byte-integer-too-long", Some(F(f))),
        // The codec says which block: `Property(id)` or `WillProperty(id)`.
        K::UnknownProperty(f) => ("unknown-property", Some(F(block_of(f)))),
        K::PropertyNotAllowed(f) => ("property-not-allowed", Some(F(block_of(f)))),
        K::DuplicateProperty(f) => ("duplicate-property", Some(F(f))),
        K::InvalidPropertyValue(f) => ("invalid-property-value", Some(F(f))),
        K::MissingAuthenticationMethod => (
            "missing-authentication-method",
            Some(F(Field::Property(0x16))),
        ),
        K::InvalidReasonCode(_) => ("invalid-reason-code", Some(F(Field::ReasonCode))),
        K::NoReasonCodes => ("no-reason-codes", None),
        K::EmptyTopicWithoutAlias => ("empty-topic-without-alias", Some(F(Field::TopicName))),
        K::InvalidRetainHandling => (
            "invalid-retain-handling",
            Some(F(Field::SubscriptionOptions)),
        ),
        K::NoLocalOnSharedSubscription => (
            "no-local-on-shared-subscription",
            Some(F(Field::SubscriptionOptions)),
        ),
        // `EmptyShareName` is this codec's name for the empty-ShareName case of
        // invalid-shared-subscription (MQTT-4.8.2-1).
        K::InvalidSharedSubscription | K::EmptyShareName => {
            ("invalid-shared-subscription", Some(F(Field::TopicFilter)))
        }
        K::PayloadNotUtf8 => (
            "payload-not-utf8",
            Some(match packet {
                Some(PacketType::Connect) => F(Field::WillMessage),
                _ => Named("payload"),
            }),
        ),
        K::TopicAliasOutOfRange => ("topic-alias-out-of-range", Some(F(Field::Property(0x23)))),
        K::QoSNotSupported => ("qos-not-supported", connect_flags_in_connect()),
        K::RetainNotSupported => ("retain-not-supported", connect_flags_in_connect()),
        K::WildcardSubscriptionsNotSupported => (
            "wildcard-subscriptions-not-supported",
            Some(F(Field::TopicFilter)),
        ),
        K::SharedSubscriptionsNotSupported => (
            "shared-subscriptions-not-supported",
            Some(F(Field::TopicFilter)),
        ),
        K::SubscriptionIdentifiersNotSupported => (
            "subscription-identifiers-not-supported",
            Some(F(Field::Property(0x0B))),
        ),
        K::PropertyNotExpected(f) => ("property-not-expected", Some(F(f))),
        K::UnexpectedAuth => ("unexpected-auth", None),
        _ => ("unknown", None),
    }
}

/// The property block a property's field stands in.
fn block_of(field: Field) -> Field {
    match field {
        Field::WillProperty(_) => Field::WillProperties,
        _ => Field::Properties,
    }
}

/// The language-neutral name of a field; a property by its name (`topic-alias`).
pub fn field_name(field: Field) -> &'static str {
    match field {
        Field::RemainingLength => "remaining-length",
        Field::ProtocolName => "protocol-name",
        Field::ProtocolLevel => "protocol-level",
        Field::ConnectFlags => "connect-flags",
        Field::KeepAlive => "keep-alive",
        Field::ClientId => "client-id",
        Field::WillTopic => "will-topic",
        Field::WillMessage => "will-message",
        Field::Username => "username",
        Field::Password => "password",
        Field::ConnackFlags => "connack-flags",
        Field::ReturnCode => "return-code",
        Field::TopicName => "topic-name",
        Field::PacketId => "packet-id",
        Field::TopicFilter => "topic-filter",
        Field::RequestedQoS => "requested-qos",
        Field::SubackReturnCode => "suback-return-code",
        Field::ReasonCode => "reason-code",
        Field::Properties => "properties",
        Field::WillProperties => "will-properties",
        Field::SubscriptionOptions => "subscription-options",
        Field::Property(id) | Field::WillProperty(id) => {
            mqtt_wire::v5::PropertyId::from_u8(id).map_or("unknown-property", |p| p.name())
        }
        _ => "unknown",
    }
}

/// The JSON model of a decode error: kind, clause, field, offset, and (5.0) the reason code
/// a receiver sends. `_input` is what was decoded (the codec's error says all the model
/// needs; the parameter stays for implementations whose errors do not).
pub fn error_to_json(error: &DecodeError, _input: &[u8], protocol: Protocol) -> Value {
    let (kind, place) = error_kind_place(error.kind(), error.packet_type(), protocol);
    let mut out = Map::new();
    out.insert("kind".into(), kind.into());
    out.insert("clause".into(), error.clause().as_str().into());
    let field = match place {
        None => None,
        Some(Place::Field(f)) => Some(field_name(f)),
        Some(Place::Named(name)) => Some(name),
    };
    if let Some(field) = field {
        out.insert("field".into(), field.into());
    }
    out.insert("offset".into(), error.offset().into());
    if let Some(code) = error.reason_code() {
        out.insert("reason_code".into(), code.value().into());
    }
    Value::Object(out)
}
