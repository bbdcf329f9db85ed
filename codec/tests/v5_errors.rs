//! Every 5.0 error a vector provokes, under the vector's context, prints one line that names
//! its clause and carries a reason code; every `EncodeError` of the 5.0 constructors has a
//! 5.0 clause; `decode_first_packet` tells the versions apart; and the decisions no vector
//! shows (vectors/v5/DECISIONS.md: the smallest Remaining Lengths of the list packets, the
//! clause of a packet over the limit by receiver, a property block that leaves too little for
//! the filters).

use mqtt_wire::v311::ConnectReturnCode;
use mqtt_wire::v5::{Decoder, Role};
use mqtt_wire::{
    decode_first_packet, DecodeErrorKind, Field, FirstPacket, PacketType, QoS, Status,
};
use serde_json::Value;

fn decoder(context: Option<&Value>) -> Decoder {
    let mut d = Decoder::new();
    let Some(c) = context else { return d };
    let flag = |k: &str| c.get(k).and_then(Value::as_bool);
    let number = |k: &str| c.get(k).and_then(Value::as_u64);
    if let Some(r) = c.get("receiver").and_then(Value::as_str) {
        d = d.receiver(if r == "server" {
            Role::Server
        } else {
            Role::Client
        });
    }
    if let Some(n) = number("maximum_packet_size") {
        d = d.max_packet_size(n as usize);
    }
    if let Some(n) = number("topic_alias_maximum") {
        d = d.topic_alias_maximum(n as u16);
    }
    if let Some(n) = number("maximum_qos") {
        d = d.maximum_qos(QoS::from_u8(n as u8).unwrap());
    }
    type Set = fn(Decoder, bool) -> Decoder;
    let setters: [(&str, Set); 8] = [
        ("retain_available", Decoder::retain_available),
        (
            "wildcard_subscription_available",
            Decoder::wildcard_subscription_available,
        ),
        (
            "subscription_identifiers_available",
            Decoder::subscription_identifiers_available,
        ),
        (
            "shared_subscription_available",
            Decoder::shared_subscription_available,
        ),
        (
            "request_problem_information",
            Decoder::request_problem_information,
        ),
        (
            "request_response_information",
            Decoder::request_response_information,
        ),
        ("authentication_method", Decoder::authentication_method),
        ("check_payload_utf8", Decoder::check_payload_utf8),
    ];
    for (key, set) in setters {
        if let Some(x) = flag(key) {
            d = set(d, x);
        }
    }
    d
}

fn wire(v: &Value) -> Vec<u8> {
    match v {
        Value::String(hex) => testkit::hex::bytes(hex),
        Value::Array(segments) => segments
            .iter()
            .flat_map(|s| match s {
                Value::String(hex) => testkit::hex::bytes(hex),
                other => testkit::hex::bytes(other["repeat"].as_str().unwrap())
                    .repeat(other["count"].as_u64().unwrap() as usize),
            })
            .collect(),
        other => panic!("wire {other}"),
    }
}

#[test]
fn every_5_0_error_prints_one_line_with_its_clause_and_reason_code() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/v5");
    let mut kinds = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().map_or(true, |e| e != "json") {
            continue;
        }
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Some(vectors) = file.get("vectors").and_then(Value::as_array) else {
            continue;
        };
        for v in vectors.iter().filter(|v| v["verdict"] == "invalid") {
            let bytes = wire(&v["wire"]);
            let err = decoder(v.get("context")).decode(&bytes).unwrap_err();
            let shown = err.to_string();
            assert!(!shown.contains('\n'), "{shown}");
            assert!(shown.contains(err.clause().as_str()), "{shown}");
            assert_eq!(
                err.reason_code().map(|c| u64::from(c.value())),
                v["error"]["reason_code"].as_u64(),
                "{}",
                v["id"]
            );
            assert_eq!(err.connack_return_code(), None);
            kinds.insert(
                format!("{:?}", err.kind())
                    .split('(')
                    .next()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    assert!(kinds.len() >= 45, "{} kinds: {kinds:?}", kinds.len());
}

#[test]
fn the_first_packet_names_its_version() {
    let v5 = [
        0x10, 0x0E, 0, 4, b'M', b'Q', b'T', b'T', 5, 0x02, 0, 60, 0, 0, 1, b'c',
    ];
    let v311 = [
        0x10, 0x0D, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 60, 0, 1, b'c',
    ];
    assert!(matches!(
        decode_first_packet(&v5).unwrap(),
        Status::Complete((FirstPacket::V5(_), 16))
    ));
    assert!(matches!(
        decode_first_packet(&v311).unwrap(),
        Status::Complete((FirstPacket::V311(_), 15))
    ));
    // Every strict prefix is "need more" (before the level byte both versions are asked).
    for wire in [&v5[..], &v311[..]] {
        for cut in 0..wire.len() {
            assert!(
                decode_first_packet(&wire[..cut]).unwrap().is_partial(),
                "{:02x?}",
                &wire[..cut]
            );
        }
    }
    // MQTT 3.1 and any other level: refused with the 3.1.1 answer, CONNACK code 1.
    let mqisdp = [
        0x10, 0x0F, 0, 6, b'M', b'Q', b'I', b's', b'd', b'p', 3, 0x02, 0, 60, 0, 1, b'c',
    ];
    let err = decode_first_packet(&mqisdp).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (DecodeErrorKind::UnsupportedProtocolLevel(3), 10)
    );
    assert_eq!(
        err.connack_return_code(),
        Some(ConnectReturnCode::UnacceptableProtocolVersion)
    );
    assert_eq!(err.reason_code(), None);
    let mut level6 = v311;
    level6[8] = 6;
    let err = decode_first_packet(&level6).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::UnsupportedProtocolLevel(6));
    assert_eq!(
        err.connack_return_code(),
        Some(ConnectReturnCode::UnacceptableProtocolVersion)
    );
    // Not a CONNECT first.
    let err = decode_first_packet(&[0xC0, 0x00]).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::FirstPacketNotConnect);
    assert_eq!(err.packet_type(), Some(PacketType::Pingreq));
    assert_eq!(err.clause().as_str(), "MQTT-3.1.0-1");
    assert!(err.to_string().contains("MQTT-3.1.0-1"));
    // A wrong protocol name before the level: the error both versions give.
    let err = decode_first_packet(&[0x10, 0x0D, 0, 4, b'M', b'Q', b'X']).unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::InvalidProtocolName);
    assert!(decode_first_packet(&[]).unwrap().is_partial());
}

#[test]
fn every_encode_error_of_the_5_0_constructors_has_a_5_0_clause() {
    use mqtt_wire::v5::{self, Ack, Notice, Properties, Property, ReasonCode};
    use mqtt_wire::{EncodeError, Field};
    use std::num::NonZeroU16;
    let id = NonZeroU16::new(1).unwrap();
    let errors = [
        v5::Publish::new(
            "t",
            mqtt_wire::Delivery::AtMostOnce,
            Properties::new(&[Property::ReceiveMaximum(1)]),
            b"",
        )
        .unwrap_err(),
        Ack::with_form(PacketType::Puback, id, None, Some(Properties::EMPTY)).unwrap_err(),
        Notice::with_form(PacketType::Auth, Some(ReasonCode::SUCCESS), None).unwrap_err(),
        Notice::with_form(PacketType::Puback, None, None).unwrap_err(),
        v5::Publish::new("", mqtt_wire::Delivery::AtMostOnce, Properties::EMPTY, b"").unwrap_err(),
        EncodeError::DuplicateProperty(0x23),
        EncodeError::InvalidPropertyValue(0x23),
        EncodeError::MissingAuthenticationMethod,
        EncodeError::InvalidReasonCode(0x04),
        EncodeError::NoLocalOnSharedSubscription,
        EncodeError::InvalidSharedSubscription,
        EncodeError::IllegalShortForm(PacketType::Disconnect),
        EncodeError::NullCharacter(Field::ClientId),
        EncodeError::TooLong(Field::TopicName),
        EncodeError::TooLong(Field::Password),
        EncodeError::EmptyTopic(Field::TopicName),
        EncodeError::WildcardInTopicName(Field::TopicName),
        EncodeError::MisplacedMultiLevelWildcard,
        EncodeError::MisplacedSingleLevelWildcard,
        EncodeError::PacketTooLarge,
        EncodeError::DupWithQoS0,
        EncodeError::SessionPresentWithError,
        EncodeError::NoTopicFilters(PacketType::Subscribe),
        EncodeError::NoTopicFilters(PacketType::Unsubscribe),
        EncodeError::NoReturnCodes,
    ];
    for e in errors {
        assert!(v5::encode_clause(&e).is_some(), "{e:?}");
        assert!(!e.to_string().contains('\n'));
    }
    assert_eq!(
        v5::encode_clause(&EncodeError::BufferTooSmall {
            needed: 2,
            available: 1
        }),
        None
    );
    assert_eq!(
        v5::encode_clause(&EncodeError::PasswordWithoutUsername),
        None
    );
}

/// DECISIONS.md section 11: SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK need a Remaining Length
/// of at least 3 (a packet identifier and a property length); a shorter one is refused from the
/// fixed header alone, as `InvalidRemainingLength` at offset 1 (section 2.1.4, 0x81).
#[test]
fn the_5_0_list_packets_need_a_remaining_length_of_three() {
    for first in [0x82u8, 0x90, 0xA2, 0xB0] {
        for len in 0u8..3 {
            let mut frame = vec![first, len];
            frame.extend([0x00, 0x01][..usize::from(len)].iter());
            for input in [&frame[..], &frame[..2]] {
                let err = Decoder::new().decode(input).unwrap_err();
                assert_eq!(
                    (err.kind(), err.offset(), err.clause().as_str()),
                    (DecodeErrorKind::InvalidRemainingLength, 1, "2.1.4"),
                    "{input:02x?}"
                );
                assert_eq!(err.reason_code().map(|c| c.value()), Some(0x81));
            }
        }
        // Three bytes may hold a packet: the header alone is not refused.
        assert!(Decoder::new().decode(&[first, 3]).unwrap().is_partial());
    }
}

/// DECISIONS.md sections 6 and 8: a packet over `max_packet_size` cites the statement of the
/// side that broke the limit when the decoder knows who receives, else section 3.1.2.11.4; the
/// reason code is 0x95 either way, decided from the fixed header.
#[test]
fn packet_too_large_cites_the_sender_s_duty() {
    // A PUBLISH declaring 20 bytes, against a limit of 10.
    let header = [0x30, 0x14];
    for (decoder, clause) in [
        (Decoder::new(), "3.1.2.11.4"),
        (Decoder::new().receiver(Role::Server), "MQTT-3.2.2-15"),
        (Decoder::new().receiver(Role::Client), "MQTT-3.1.2-24"),
    ] {
        let err = decoder.max_packet_size(10).decode(&header).unwrap_err();
        assert_eq!(
            (err.kind(), err.clause().as_str()),
            (DecodeErrorKind::PacketTooLarge, clause)
        );
        assert_eq!(err.reason_code().map(|c| c.value()), Some(0x95));
    }
}

/// DECISIONS.md section 4: a property length that fits the frame but leaves too little for a
/// SUBSCRIBE's filters is reported where the filters run out, as in 3.1.1.
#[test]
fn a_subscribe_property_block_that_leaves_too_little_for_the_filters() {
    // The block (Subscription Identifier 1) takes every byte left: no filter at all.
    let err = Decoder::new()
        .decode(&[0x82, 0x05, 0, 1, 0x02, 0x0B, 0x01])
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.offset(), err.clause().as_str()),
        (DecodeErrorKind::NoTopicFilters, 7, "MQTT-3.8.3-2")
    );
    // One byte left after the block: too little for a filter's two-byte length.
    let err = Decoder::new()
        .decode(&[0x82, 0x06, 0, 1, 0x02, 0x0B, 0x01, 0x00])
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (DecodeErrorKind::Truncated(Field::TopicFilter), 7)
    );
}
