//! One test for each kind of bug other MQTT 5.0 implementations have shipped (issue 13,
//! section 3). The bytes are written by hand from the standard; the expected errors, offsets
//! and reason codes from `vectors/v5/DECISIONS.md`, not from running the codec.

use mqtt_wire::v5::{self, Packet, Property};
use mqtt_wire::{v311, DecodeErrorKind as K, Field, Status};

/// Decodes exactly one whole packet.
fn packet(bytes: &[u8]) -> Packet<'_> {
    match v5::decode(bytes) {
        Ok(Status::Complete((packet, used))) if used == bytes.len() => packet,
        other => panic!("{bytes:02x?}: {other:?}"),
    }
}

/// The error's kind, offset and reason code.
fn refused(bytes: &[u8]) -> (K, usize, u8) {
    let e = v5::decode(bytes).unwrap_err();
    (e.kind(), e.offset(), e.reason_code().unwrap().value())
}

#[test]
fn a_property_never_reads_past_its_block_into_the_payload() {
    // PUBLISH "t": property length 2, but Topic Alias (0x23) needs 3 bytes; the payload
    // "\x01x" that follows would complete it. Identifier at offset 6 (2 header, 3 topic, 1).
    let bytes = [0x30, 0x08, 0x00, 0x01, b't', 0x02, 0x23, 0x00, 0x01, b'x'];
    assert_eq!(
        refused(&bytes),
        (K::Truncated(Field::Property(0x23)), 6, 0x81)
    );
}

#[test]
fn a_property_length_of_128_or_more_takes_two_bytes() {
    // A User Property "k" = 124 x 'v': 1 + 2 + 1 + 2 + 124 = 130 bytes: length `82 01`.
    let value = "v".repeat(124);
    let mut body = vec![
        0x00, 0x01, b't', 0x82, 0x01, 0x26, 0x00, 0x01, b'k', 0x00, 124,
    ];
    body.extend_from_slice(value.as_bytes());
    body.extend_from_slice(b"pay");
    let mut bytes = vec![0x30, body.len() as u8 | 0x80, 0x01];
    assert_eq!(body.len(), 138); // Remaining Length `8a 01`
    bytes[1] = 0x8A;
    bytes.extend_from_slice(&body);
    let Packet::Publish(p) = packet(&bytes) else {
        panic!()
    };
    assert_eq!(
        p.properties().user_properties().collect::<Vec<_>>(),
        [("k", &value[..])]
    );
    assert_eq!(p.payload(), b"pay");
}

#[test]
fn subscription_identifiers_of_two_bytes_are_counted_right_and_several_are_kept() {
    // PUBLISH "t" from a server: Subscription Identifier 200 (`c8 01`), then 1, then Topic
    // Alias 7: block 3 + 2 + 3 = 8.
    let bytes = [
        0x30, 0x0D, 0x00, 0x01, b't', 0x08, 0x0B, 0xC8, 0x01, 0x0B, 0x01, 0x23, 0x00, 0x07, b'p',
    ];
    let Packet::Publish(p) = packet(&bytes) else {
        panic!()
    };
    let ids: Vec<u32> = p.properties().subscription_identifiers().collect();
    assert_eq!(ids, [200, 1]); // both, in wire order, not merged
    assert_eq!(p.properties().topic_alias(), Some(7));
    assert_eq!(p.payload(), b"p");
}

#[test]
fn a_second_copy_of_a_single_property_is_refused_even_after_a_zero() {
    // Message Expiry Interval 0 (legal), then again 5: the second copy's identifier, 0x82.
    let bytes = [
        0x30, 0x0E, 0x00, 0x01, b't', 0x0A, 0x02, 0, 0, 0, 0, 0x02, 0, 0, 0, 5,
    ];
    let e = v5::decode(&bytes).unwrap_err();
    assert_eq!(e.kind(), K::DuplicateProperty(Field::Property(0x02)));
    assert_eq!((e.offset(), e.reason_code().unwrap().value()), (11, 0x82));
    // Alone, Message Expiry Interval 0 is legal (section 3.3.2.3.3).
    let zero = [0x30, 0x09, 0x00, 0x01, b't', 0x05, 0x02, 0, 0, 0, 0];
    let Packet::Publish(p) = packet(&zero) else {
        panic!()
    };
    assert_eq!(p.properties().message_expiry_interval(), Some(0));
}

#[test]
fn a_property_of_another_packet_is_refused() {
    // Receive Maximum (0x21) belongs to CONNECT and CONNACK, not PUBLISH (Table 2-4): 0x81.
    let bytes = [0x30, 0x07, 0x00, 0x01, b't', 0x03, 0x21, 0x00, 0x0A];
    assert_eq!(
        refused(&bytes),
        (K::PropertyNotAllowed(Field::Property(0x21)), 6, 0x81)
    );
}

#[test]
fn zero_values_are_refused_where_the_standard_forbids_them() {
    // CONNECT "MQTT" 5, Clean Start, keep alive 0, properties, client id "c".
    let connect = |props: &[u8]| {
        let mut body = vec![
            0,
            4,
            b'M',
            b'Q',
            b'T',
            b'T',
            5,
            0x02,
            0,
            0,
            props.len() as u8,
        ];
        body.extend_from_slice(props);
        body.extend_from_slice(&[0, 1, b'c']);
        let mut bytes = vec![0x10, body.len() as u8];
        bytes.extend_from_slice(&body);
        bytes
    };
    // Receive Maximum 0 (3.1.2.11.3), the value at offset 14.
    let e = v5::decode(&connect(&[0x21, 0, 0])).unwrap_err();
    assert_eq!(e.kind(), K::InvalidPropertyValue(Field::Property(0x21)));
    assert_eq!((e.offset(), e.reason_code().unwrap().value()), (14, 0x82));
    // Maximum Packet Size 0 (3.1.2.11.4).
    let e = v5::decode(&connect(&[0x27, 0, 0, 0, 0])).unwrap_err();
    assert_eq!(e.kind(), K::InvalidPropertyValue(Field::Property(0x27)));
    // Topic Alias 0 in PUBLISH (MQTT-3.3.2-8), answered with 0x94.
    let e = v5::decode(&[0x30, 0x07, 0x00, 0x01, b't', 0x03, 0x23, 0x00, 0x00]).unwrap_err();
    assert_eq!(e.kind(), K::InvalidPropertyValue(Field::Property(0x23)));
    assert_eq!(e.reason_code().unwrap().value(), 0x94);
    // Subscription Identifier 0 in SUBSCRIBE (3.8.2.1.2): packet id 1, block `0b 00`, "a" QoS 0.
    let e = v5::decode(&[
        0x82, 0x09, 0x00, 0x01, 0x02, 0x0B, 0x00, 0x00, 0x01, b'a', 0x00,
    ])
    .unwrap_err();
    assert_eq!(e.kind(), K::InvalidPropertyValue(Field::Property(0x0B)));
    assert_eq!((e.offset(), e.reason_code().unwrap().value()), (6, 0x82));
}

#[test]
fn auth_with_remaining_length_0_is_success() {
    let Packet::Auth(n) = packet(&[0xF0, 0x00]) else {
        panic!()
    };
    assert_eq!(n.reason_code().value(), 0x00);
    assert!(!n.has_reason_code() && !n.has_properties());
}

#[test]
fn a_short_disconnect_then_the_next_packet_decode_apart() {
    let bytes = [0xE0, 0x00, 0xC0, 0x00];
    let Ok(Status::Complete((Packet::Disconnect(_), 2))) = v5::decode(&bytes) else {
        panic!()
    };
    assert_eq!(
        v5::decode(&bytes[2..]),
        Ok(Status::Complete((Packet::Pingreq, 2)))
    );
}

#[test]
fn non_minimal_and_five_byte_variable_integers_are_refused_everywhere() {
    // Property length `80 00` (0 in two bytes): reported at its first byte (offset 5).
    let e = v5::decode(&[0x30, 0x06, 0x00, 0x01, b't', 0x80, 0x00, b'p']).unwrap_err();
    assert_eq!(
        e.kind(),
        K::NonMinimalVariableByteInteger(Field::Properties)
    );
    assert_eq!((e.offset(), e.clause().as_str()), (5, "MQTT-1.5.5-1"));
    // Subscription Identifier `81 00` (1 in two bytes), from a server.
    let e = v5::decode(&[0x30, 0x08, 0x00, 0x01, b't', 0x03, 0x0B, 0x81, 0x00, b'p']).unwrap_err();
    assert_eq!(
        e.kind(),
        K::NonMinimalVariableByteInteger(Field::Property(0x0B))
    );
    assert_eq!(e.offset(), 7);
    // A Remaining Length of five bytes.
    let e = v5::decode(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]).unwrap_err();
    assert_eq!(e.kind(), K::RemainingLengthTooLong);
}

#[test]
fn invalid_utf8_in_a_property_string_is_an_error_not_a_crash() {
    // Content Type (0x03) holding `ff`: the bad byte at offset 9.
    let bytes = [0x30, 0x08, 0x00, 0x01, b't', 0x04, 0x03, 0x00, 0x01, 0xFF];
    let e = v5::decode(&bytes).unwrap_err();
    assert_eq!(e.kind(), K::InvalidUtf8(Field::Property(0x03)));
    assert_eq!((e.offset(), e.clause().as_str()), (9, "MQTT-3.3.2-19"));
}

#[test]
fn a_packet_of_one_version_is_refused_on_a_connection_of_the_other() {
    // AUTH is not a 3.1.1 packet.
    assert_eq!(
        v311::decode(&[0xF0, 0x00]).unwrap_err().kind(),
        K::InvalidPacketType
    );
    // A 5.0 PUBACK with a reason code: Remaining Length 3 is not a 3.1.1 PUBACK's.
    let e = v311::decode(&[0x40, 0x03, 0x00, 0x01, 0x10]).unwrap_err();
    assert_eq!(e.kind(), K::InvalidRemainingLength);
    // A 3.1.1 SUBSCRIBE (no property length) on a 5.0 connection: the filter's length `00`
    // is read as an empty property block, then `03` starts a filter that runs past the packet.
    assert!(v5::decode(&[0x82, 0x08, 0x00, 0x01, 0x00, 0x03, b'a', b'/', b'b', 0x01]).is_err());
    // A 3.1.1 CONNECT (level 4) is refused by the 5.0 decoder with 0x84.
    let connect = [
        0x10, 0x0D, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 0, 0, 1, b'c',
    ];
    let e = v5::decode(&connect).unwrap_err();
    assert_eq!(e.kind(), K::UnsupportedProtocolLevel(4));
    assert_eq!(e.reason_code().unwrap().value(), 0x84);
}

#[test]
fn built_properties_round_trip_with_their_order() {
    let props = [
        Property::UserProperty("a", "1"),
        Property::TopicAlias(3),
        Property::UserProperty("a", "2"),
    ];
    let publish = v5::Publish::new(
        "t",
        mqtt_wire::Delivery::AtMostOnce,
        v5::Properties::new(&props),
        b"",
    )
    .unwrap();
    let mut buf = [0u8; 64];
    let n = Packet::Publish(publish).encode(&mut buf).unwrap();
    let Packet::Publish(back) = packet(&buf[..n]) else {
        panic!()
    };
    assert_eq!(back.properties().iter().collect::<Vec<_>>(), props);
}

#[test]
fn a_topic_alias_that_does_not_fit_its_block_is_truncated_on_every_prefix() {
    // Found by fuzzing: property length 2 holds the identifier and one byte of the alias.
    // That the value fits is checked before its range (DECISIONS.md section 4), so the prefix
    // and the whole frame give the same error.
    let d = v5::Decoder::new().topic_alias_maximum(4);
    let bytes = [0x30, 0x06, 0x00, 0x01, b't', 0x02, 0x23, 0x05];
    let whole = d.decode(&bytes).unwrap_err();
    assert_eq!(
        (whole.kind(), whole.offset()),
        (K::Truncated(Field::Property(0x23)), 6)
    );
    assert_eq!(d.decode(&bytes[..7]), Err(whole));
}
