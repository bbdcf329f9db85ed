//! Every `EncodeError` provoked through the public constructors, and the decode errors only a
//! decoder option can produce, each with the clause it must cite (written here from the
//! specification's statement list, not read back from the codec) and its message.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroU16;

use mqtt_wire::v311::{
    self, Connack, Connect, ConnectReturnCode, Delivery, Packet, Publish, Suback, SubackReturnCode,
    Subscribe, Subscription, Unsubscribe, Will,
};
use mqtt_wire::{
    Clause, DecodeErrorKind, EncodeError, Field, QoS, TopicFilter, TopicName, MAX_REMAINING_LENGTH,
};

const ID: NonZeroU16 = match NonZeroU16::new(10) {
    Some(id) => id,
    None => unreachable!(),
};

fn topic(name: &str) -> TopicName<'_> {
    TopicName::new(name).unwrap()
}

/// The error each call gives, the variant expected and the clause it must cite.
fn provoked() -> Vec<(&'static str, EncodeError, EncodeError, Option<Clause>)> {
    let long = "a".repeat(65_536);
    let long_bytes = vec![b'a'; 65_536];
    // Remaining Length = topic (2 + 1) + payload: one byte over the largest.
    let huge_payload = vec![0u8; MAX_REMAINING_LENGTH - 2];
    // Remaining Length = packet id (2) + one byte per code: one byte over the largest.
    let huge_codes = vec![SubackReturnCode::Failure; MAX_REMAINING_LENGTH - 1];
    // A 65,535-byte filter takes 65,538 bytes in a SUBSCRIBE (length, text, QoS) and 65,537
    // in an UNSUBSCRIBE: 4,096 of them pass the largest Remaining Length, 4,095 do not.
    let widest = "f".repeat(65_535);
    let widest = TopicFilter::new(&widest).unwrap();
    let subscriptions = vec![Subscription::new(widest, QoS::AtMostOnce); 4_096];
    let filters = vec![widest; 4_096];
    assert!(Subscribe::new(ID, &subscriptions[1..]).is_ok());
    assert!(Unsubscribe::new(ID, &filters[1..]).is_ok());
    let mut short = [0u8; 1];
    vec![
        (
            "a 2-byte PINGREQ into a 1-byte buffer",
            Packet::Pingreq.encode(&mut short).unwrap_err(),
            EncodeError::BufferTooSmall {
                needed: 2,
                available: 1,
            },
            None,
        ),
        (
            "a 65,536-byte topic name",
            TopicName::new(&long).unwrap_err(),
            EncodeError::TooLong(Field::TopicName),
            Some(Clause::Id("MQTT-4.7.3-3")),
        ),
        (
            "a 65,536-byte topic filter",
            TopicFilter::new(&long).unwrap_err(),
            EncodeError::TooLong(Field::TopicFilter),
            Some(Clause::Id("MQTT-4.7.3-3")),
        ),
        (
            "a 65,536-byte will message",
            Will::new(topic("w"), &long_bytes, QoS::AtMostOnce, false).unwrap_err(),
            EncodeError::TooLong(Field::WillMessage),
            Some(Clause::Section("3.1.3.3")),
        ),
        (
            "a 65,536-byte password",
            Connect::new("c", true, 0)
                .and_then(|c| c.with_username("u"))
                .and_then(|c| c.with_password(&long_bytes))
                .unwrap_err(),
            EncodeError::TooLong(Field::Password),
            Some(Clause::Section("3.1.3.5")),
        ),
        (
            "a 65,536-byte client identifier",
            Connect::new(&long, true, 0).unwrap_err(),
            EncodeError::TooLong(Field::ClientId),
            Some(Clause::Section("1.5.3")),
        ),
        (
            "a 65,536-byte user name",
            Connect::new("c", true, 0)
                .and_then(|c| c.with_username(&long))
                .unwrap_err(),
            EncodeError::TooLong(Field::Username),
            Some(Clause::Section("1.5.3")),
        ),
        (
            "U+0000 in a topic name",
            TopicName::new("a\0b").unwrap_err(),
            EncodeError::NullCharacter(Field::TopicName),
            Some(Clause::Id("MQTT-4.7.3-2")),
        ),
        (
            "U+0000 in a topic filter",
            TopicFilter::new("a/\0").unwrap_err(),
            EncodeError::NullCharacter(Field::TopicFilter),
            Some(Clause::Id("MQTT-4.7.3-2")),
        ),
        (
            "U+0000 in a client identifier",
            Connect::new("c\0", true, 0).unwrap_err(),
            EncodeError::NullCharacter(Field::ClientId),
            Some(Clause::Id("MQTT-1.5.3-2")),
        ),
        (
            "an empty topic name",
            TopicName::new("").unwrap_err(),
            EncodeError::EmptyTopic(Field::TopicName),
            Some(Clause::Id("MQTT-4.7.3-1")),
        ),
        (
            "an empty topic filter",
            TopicFilter::new("").unwrap_err(),
            EncodeError::EmptyTopic(Field::TopicFilter),
            Some(Clause::Id("MQTT-4.7.3-1")),
        ),
        (
            "'+' in a topic name",
            TopicName::new("a/+").unwrap_err(),
            EncodeError::WildcardInTopicName(Field::TopicName),
            Some(Clause::Id("MQTT-4.7.1-1")),
        ),
        (
            "'#' before the last level of a filter",
            TopicFilter::new("a/#/b").unwrap_err(),
            EncodeError::MisplacedMultiLevelWildcard,
            Some(Clause::Id("MQTT-4.7.1-2")),
        ),
        (
            "'+' sharing a level",
            TopicFilter::new("a+/b").unwrap_err(),
            EncodeError::MisplacedSingleLevelWildcard,
            Some(Clause::Id("MQTT-4.7.1-3")),
        ),
        (
            "a PUBLISH one byte over the largest Remaining Length",
            Publish::new(topic("t"), Delivery::AtMostOnce, &huge_payload).unwrap_err(),
            EncodeError::PacketTooLarge,
            Some(Clause::Section("2.2.3")),
        ),
        (
            "a SUBACK one byte over the largest Remaining Length",
            Suback::new(ID, &huge_codes).unwrap_err(),
            EncodeError::PacketTooLarge,
            Some(Clause::Section("2.2.3")),
        ),
        (
            "a SUBSCRIBE one filter over the largest Remaining Length",
            Subscribe::new(ID, &subscriptions).unwrap_err(),
            EncodeError::PacketTooLarge,
            Some(Clause::Section("2.2.3")),
        ),
        (
            "an UNSUBSCRIBE one filter over the largest Remaining Length",
            Unsubscribe::new(ID, &filters).unwrap_err(),
            EncodeError::PacketTooLarge,
            Some(Clause::Section("2.2.3")),
        ),
        (
            "DUP at QoS 0",
            Publish::new(topic("t"), Delivery::AtMostOnce, b"")
                .and_then(|p| p.with_dup(true))
                .unwrap_err(),
            EncodeError::DupWithQoS0,
            Some(Clause::Id("MQTT-3.3.1-2")),
        ),
        (
            "an empty client identifier without clean session",
            Connect::new("", false, 0).unwrap_err(),
            EncodeError::EmptyClientIdWithoutCleanSession,
            Some(Clause::Id("MQTT-3.1.3-7")),
        ),
        (
            "a password without a user name",
            Connect::new("c", true, 0)
                .and_then(|c| c.with_password(b"p"))
                .unwrap_err(),
            EncodeError::PasswordWithoutUsername,
            Some(Clause::Id("MQTT-3.1.2-22")),
        ),
        (
            "session present with a refusal",
            Connack::new(true, ConnectReturnCode::NotAuthorized).unwrap_err(),
            EncodeError::SessionPresentWithError,
            Some(Clause::Id("MQTT-3.2.2-4")),
        ),
        (
            "a SUBSCRIBE without filters",
            Subscribe::new(ID, &[]).unwrap_err(),
            EncodeError::NoTopicFilters(mqtt_wire::PacketType::Subscribe),
            Some(Clause::Id("MQTT-3.8.3-3")),
        ),
        (
            "an UNSUBSCRIBE without filters",
            Unsubscribe::new(ID, &[]).unwrap_err(),
            EncodeError::NoTopicFilters(mqtt_wire::PacketType::Unsubscribe),
            Some(Clause::Id("MQTT-3.10.3-2")),
        ),
        (
            "a SUBACK without return codes",
            Suback::new(ID, &[]).unwrap_err(),
            EncodeError::NoReturnCodes,
            Some(Clause::Section("3.9.3")),
        ),
    ]
}

#[test]
fn each_refused_packet_gives_its_error_and_clause() {
    for (what, got, expected, clause) in provoked() {
        assert_eq!(got, expected, "{what}");
        assert_eq!(v311::encode_clause(&got), clause, "{what}");
    }
}

#[test]
fn encode_error_messages_are_one_distinct_line_without_a_version_clause() {
    // An EncodeError serves both versions (a topic rule has a 3.1.1 and a 5.0 number), so its
    // message names the rule in words; `v311::encode_clause` gives the number.
    let mut by_message = HashMap::new();
    for (what, error, _, _) in provoked() {
        let message = error.to_string();
        assert!(!message.contains('\n'), "{what}: {message}");
        assert!(!message.contains('['), "{message}");
        // Two errors print the same only when they are the same error.
        if let Some(earlier) = by_message.insert(message.clone(), error) {
            assert_eq!(earlier, error, "{what}: {message} printed for two errors");
        }
    }
    assert_eq!(
        Packet::Pingreq
            .encode(&mut [0u8; 1])
            .unwrap_err()
            .to_string(),
        "buffer too small: packet needs 2 bytes, buffer has 1"
    );
}

#[test]
fn field_names_are_distinct_prose() {
    let fields = [
        Field::RemainingLength,
        Field::ProtocolName,
        Field::ProtocolLevel,
        Field::ConnectFlags,
        Field::KeepAlive,
        Field::ClientId,
        Field::WillTopic,
        Field::WillMessage,
        Field::Username,
        Field::Password,
        Field::ConnackFlags,
        Field::ReturnCode,
        Field::TopicName,
        Field::PacketId,
        Field::TopicFilter,
        Field::RequestedQoS,
        Field::SubackReturnCode,
    ];
    let names: HashSet<String> = fields.iter().map(ToString::to_string).collect();
    assert_eq!(names.len(), fields.len(), "{names:?}");
    for name in &names {
        // Prose for a sentence: words and spaces, no Rust identifiers.
        assert!(
            name.chars().all(|c| c.is_ascii_alphabetic() || c == ' '),
            "{name}"
        );
        assert!(!name.starts_with(' ') && !name.ends_with(' '), "{name}");
    }
    assert_eq!(Field::ClientId.name(), "client identifier");
    assert_eq!(Field::Password.to_string(), "password");
}

#[test]
fn a_packet_over_the_decoders_maximum_cites_the_remaining_length_section() {
    // PUBLISH "t" with a 3-byte payload: 8 bytes in all, against a maximum of 7.
    let bytes = [0x30, 0x06, 0x00, 0x01, b't', b'a', b'b', b'c'];
    let error = v311::Decoder::new()
        .max_packet_size(7)
        .decode(&bytes)
        .unwrap_err();
    assert_eq!(error.kind(), DecodeErrorKind::PacketTooLarge);
    assert_eq!(error.clause(), Clause::Section("2.2.3"));
    assert_eq!(
        error.to_string(),
        "malformed PUBLISH at byte 1: packet larger than the configured maximum [section 2.2.3]"
    );
    // One byte more allowed, and it is a packet.
    assert!(v311::Decoder::new()
        .max_packet_size(8)
        .decode(&bytes)
        .is_ok_and(|s| s.complete().is_some()));
}

#[test]
fn a_control_character_refused_on_request_cites_the_string_section() {
    // PUBLISH with topic "a\x01b".
    let bytes = [0x30, 0x05, 0x00, 0x03, b'a', 0x01, b'b'];
    assert!(v311::decode(&bytes).is_ok(), "accepted by default");
    let error = v311::Decoder::new()
        .reject_control_characters(true)
        .decode(&bytes)
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.offset()),
        (DecodeErrorKind::DisallowedCodePoint(Field::TopicName), 5)
    );
    // Section 1.5.3 says these SHOULD NOT appear and a receiver MAY close the connection: a
    // rule without a numbered statement, so the section is cited.
    assert_eq!(error.clause(), Clause::Section("1.5.3"));
    assert_eq!(
        error.to_string(),
        "malformed PUBLISH at byte 5: topic name contains a control character or non-character [section 1.5.3]"
    );
}
