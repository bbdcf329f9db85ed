//! Early rejection for MQTT 5.0, as `early_rejection.rs` for 3.1.1: the bytes of an incomplete
//! frame are checked as far as they go, so a packet is refused at the byte that proves it
//! malformed, never called "incomplete" once the bytes present prove it malformed.
//!
//! The property (`testkit::early`), for any bytes: along the prefixes of the first frame, the
//! answers are "need more bytes" (with the exact count once the Remaining Length is complete)
//! up to the deciding byte, and from there on one and the same error, the whole frame's. The
//! hand-written cases below are what make it early: their offsets and deciding bytes are worked
//! out from the standard and `vectors/v5/DECISIONS.md` (section 4, "Offsets and deciding bytes
//! for property errors", and section 11), not read from the codec.

use mqtt_wire::v5::Decoder;
use mqtt_wire::{DecodeError, DecodeErrorKind as K, Field, QoS};
use proptest::prelude::*;
use testkit::early::{self, mutate};
use testkit::wire::packet;

/// The property on the prefixes of `input`'s first frame under `decoder`: the deciding
/// byte's index and the error, when the bytes present hold one.
fn check_prefixes_with(decoder: Decoder, input: &[u8]) -> Option<(usize, DecodeError)> {
    early::check_prefixes(input, testkit::decode_outcome!(decoder))
}

fn check_prefixes(input: &[u8]) -> Option<(usize, DecodeError)> {
    check_prefixes_with(Decoder::new(), input)
}

/// The body of a 5.0 CONNECT up to its Connect Flags: "MQTT", version 5, then `flags`.
fn connect_body(flags: u8, rest: &[u8]) -> Vec<u8> {
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 5, flags];
    body.extend_from_slice(rest);
    body
}

/// (decoder, bytes, error kind, offset, deciding byte).
type Case = (Decoder, Vec<u8>, K, usize, usize);

fn assert_cases(cases: Vec<Case>) {
    for (decoder, bytes, kind, offset, decided_at) in cases {
        let (at, error) = check_prefixes_with(decoder, &bytes)
            .unwrap_or_else(|| panic!("{bytes:02x?} was accepted"));
        assert_eq!(
            (error.kind(), error.offset(), at),
            (kind, offset, decided_at),
            "{bytes:02x?}: (kind, offset, deciding byte)"
        );
        assert!(error.reason_code().is_some(), "{error:?}");
    }
}

#[test]
fn refuses_each_property_rule_at_its_deciding_byte() {
    let d = Decoder::new();
    // PUBLISH QoS 0 to "t": the property length is byte 5, the first identifier byte 6.
    let publish = |props: &[u8]| {
        let mut body = vec![0, 1, b't'];
        body.extend_from_slice(props);
        packet(0x30, &body)
    };
    // The kinds name the property (`Field::Property`); the vectors' `field` names its block
    // (`properties`, `will-properties`: DECISIONS.md section 11), which the conformance model
    // derives from it.
    let cases: Vec<Case> = vec![
        // The identifier alone proves an unknown, a not allowed and a duplicate property.
        (
            d,
            publish(&[2, 0x00, 0]),
            K::UnknownProperty(Field::Property(0x00)),
            6,
            6,
        ),
        // Receive Maximum (0x21) belongs to CONNECT and CONNACK (Table 2-4).
        (
            d,
            publish(&[3, 0x21, 0, 1]),
            K::PropertyNotAllowed(Field::Property(0x21)),
            6,
            6,
        ),
        // Message Expiry Interval (0x02) twice: the second identifier.
        (
            d,
            publish(&[10, 0x02, 0, 0, 0, 1, 0x02, 0, 0, 0, 2]),
            K::DuplicateProperty(Field::Property(0x02)),
            11,
            11,
        ),
        // Value rules: Payload Format Indicator 2 at its byte; Topic Alias 0 at its second
        // byte (MQTT-3.3.2-8); Subscription Identifier 0 at its byte.
        (
            d,
            publish(&[2, 0x01, 2]),
            K::InvalidPropertyValue(Field::Property(0x01)),
            7,
            7,
        ),
        (
            d,
            publish(&[3, 0x23, 0, 0]),
            K::InvalidPropertyValue(Field::Property(0x23)),
            7,
            8,
        ),
        (
            d,
            publish(&[2, 0x0B, 0]),
            K::InvalidPropertyValue(Field::Property(0x0B)),
            7,
            7,
        ),
        // Non-minimal variable byte integers (MQTT-1.5.5-1): reported at the integer's first
        // byte, decided at the `00` that ends the padding. A Subscription Identifier 1 as
        // 81 00, and a property length 0 as 80 00.
        (
            d,
            publish(&[3, 0x0B, 0x81, 0x00]),
            K::NonMinimalVariableByteInteger(Field::Property(0x0B)),
            7,
            8,
        ),
        (
            d,
            publish(&[0x80, 0x00]),
            K::NonMinimalVariableByteInteger(Field::Properties),
            5,
            6,
        ),
        // A property length that runs past the packet: decided by its byte (the frame's size
        // is known); in two bytes, by the second (a padding 00 could follow the first).
        (
            d,
            publish(&[5, 0x01]),
            K::Truncated(Field::Properties),
            5,
            5,
        ),
        (
            d,
            publish(&[0x80, 0x01, 0x01, 0]),
            K::Truncated(Field::Properties),
            5,
            6,
        ),
        // A property that runs past the property length, into the payload: a Four Byte value
        // with two bytes left in the block, at its identifier.
        (
            d,
            publish(&[2, 0x02, 0, 0, 0, 1]),
            K::Truncated(Field::Property(0x02)),
            6,
            6,
        ),
        // A Content Type (0x03) of 5 bytes in a block with 1 left after its length: decided at
        // the length's second byte (a first byte 00 still allows up to 255).
        (
            d,
            publish(&[4, 0x03, 0, 5, b'a', b'b', b'c', b'd', b'e']),
            K::Truncated(Field::Property(0x03)),
            6,
            8,
        ),
        // Ill-formed UTF-8 in a property string: C3 41 at the 41, reported at the C3.
        (
            d,
            publish(&[5, 0x03, 0, 2, 0xC3, 0x41]),
            K::InvalidUtf8(Field::Property(0x03)),
            9,
            10,
        ),
        // An empty topic without a Topic Alias (section 3.3.2.1): reported at the topic's
        // length, decided at the property block's last byte (the alias could still come).
        (
            d,
            packet(0x30, &[0, 0, 4, 0x03, 0, 1, b'c', b'x']),
            K::EmptyTopicWithoutAlias,
            2,
            8,
        ),
        // AUTH continue with Authentication Data (0x16) and no method, the block ending with a
        // Reason String: decided at the block's last byte.
        (
            d,
            packet(0xF0, &[0x18, 8, 0x16, 0, 1, 0xAA, 0x1F, 0, 1, b'r']),
            K::MissingAuthenticationMethod,
            4,
            11,
        ),
        // CONNECT with Receive Maximum 0 (section 3.1.2.11.3): at the value's second byte.
        (
            d,
            packet(0x10, &connect_body(0x02, &[0, 0, 3, 0x21, 0, 0, 0, 0])),
            K::InvalidPropertyValue(Field::Property(0x21)),
            14,
            15,
        ),
        // A Will Property that the will may not carry: Topic Alias (0x23).
        (
            d,
            packet(
                0x10,
                &connect_body(0x06, &[0, 0, 0, 0, 0, 3, 0x23, 0, 1, 0, 1, b't', 0, 0]),
            ),
            K::PropertyNotAllowed(Field::WillProperty(0x23)),
            16,
            16,
        ),
    ];
    assert_cases(cases);
}

#[test]
fn refuses_each_packet_rule_at_its_deciding_byte() {
    let d = Decoder::new();
    let cases: Vec<Case> = vec![
        // A 3.1.1 CONNECT (level 4) on a 5.0 connection: at the level byte; the smallest one
        // (Remaining Length 12, an empty client id) already at its Remaining Length, shorter
        // than a 5.0 CONNECT's 13 (DECISIONS.md section 11).
        (
            d,
            packet(
                0x10,
                &[0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 0, 0, 1, b'c'],
            ),
            K::UnsupportedProtocolLevel(4),
            8,
            8,
        ),
        (
            d,
            packet(0x10, &[0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 0, 0, 0]),
            K::InvalidRemainingLength,
            1,
            1,
        ),
        // A reason code PUBACK's table does not list, at its byte.
        (
            d,
            packet(0x40, &[0, 1, 0x05]),
            K::InvalidReasonCode(0x05),
            4,
            4,
        ),
        // SUBSCRIBE options (section 3.8.3.1): Retain Handling 3 at the options byte; No
        // Local on a shared subscription (MQTT-3.8.3-4) at the options byte.
        (
            d,
            packet(0x82, &[0, 1, 0, 0, 1, b'a', 0x30]),
            K::InvalidRetainHandling,
            8,
            8,
        ),
        (
            d,
            packet(
                0x82,
                &[
                    0, 1, 0, 0, 10, b'$', b's', b'h', b'a', b'r', b'e', b'/', b'g', b'/', b't',
                    0x04,
                ],
            ),
            K::NoLocalOnSharedSubscription,
            17,
            17,
        ),
        // `$share//t`: an empty ShareName (MQTT-4.8.2-1) at the second `/`; `$share/a+/t`: a
        // wildcard in the ShareName at the `+` (DECISIONS.md section 11).
        (
            d,
            packet(
                0x82,
                &[
                    0, 1, 0, 0, 9, b'$', b's', b'h', b'a', b'r', b'e', b'/', b'/', b't', 0,
                ],
            ),
            K::EmptyShareName,
            14,
            14,
        ),
        (
            d,
            packet(
                0x82,
                &[
                    0, 1, 0, 0, 11, b'$', b's', b'h', b'a', b'r', b'e', b'/', b'a', b'+', b'/',
                    b't', 0,
                ],
            ),
            K::InvalidSharedSubscription,
            15,
            15,
        ),
    ];
    assert_cases(cases);
}

#[test]
fn refuses_each_negotiated_limit_at_its_deciding_byte() {
    let d = Decoder::new();
    let cases: Vec<Case> = vec![
        // The first byte decides QoS above the server's Maximum QoS and AUTH without an
        // Authentication Method in the CONNECT.
        (
            d.maximum_qos(QoS::AtLeastOnce),
            packet(0x34, &[0, 1, b't', 0, 1, 0]),
            K::QoSNotSupported,
            0,
            0,
        ),
        (
            d.authentication_method(false),
            packet(0xF0, &[0x18, 0]),
            K::UnexpectedAuth,
            0,
            0,
        ),
        // Larger than the Maximum Packet Size announced: at the Remaining Length byte.
        (
            d.max_packet_size(10),
            packet(0x30, &[0, 1, b't', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
            K::PacketTooLarge,
            1,
            1,
        ),
        // Topic Alias above the maximum: at the value's first byte when that already shows
        // it (256 > 5), else at its second (6 > 5).
        (
            d.topic_alias_maximum(5),
            packet(0x30, &[0, 1, b't', 3, 0x23, 0x01, 0x00]),
            K::TopicAliasOutOfRange,
            7,
            7,
        ),
        (
            d.topic_alias_maximum(5),
            packet(0x30, &[0, 1, b't', 3, 0x23, 0x00, 0x06]),
            K::TopicAliasOutOfRange,
            7,
            8,
        ),
        // Shared subscriptions unsupported: reported at the filter's first byte, decided at
        // the `/` that completes `$share/`.
        (
            d.shared_subscription_available(false),
            packet(
                0x82,
                &[
                    0, 1, 0, 0, 10, b'$', b's', b'h', b'a', b'r', b'e', b'/', b'g', b'/', b't', 0,
                ],
            ),
            K::SharedSubscriptionsNotSupported,
            7,
            13,
        ),
        // Wildcards unsupported: at a `#`; at a `+` that ends the filter.
        (
            d.wildcard_subscription_available(false),
            packet(0x82, &[0, 1, 0, 0, 3, b'a', b'/', b'#', 0]),
            K::WildcardSubscriptionsNotSupported,
            9,
            9,
        ),
        (
            d.wildcard_subscription_available(false),
            packet(0x82, &[0, 1, 0, 0, 3, b'a', b'/', b'+', 0]),
            K::WildcardSubscriptionsNotSupported,
            9,
            9,
        ),
        // Subscription Identifiers unsupported: at the identifier.
        (
            d.subscription_identifiers_available(false),
            packet(0x82, &[0, 1, 2, 0x0B, 1, 0, 1, b'a', 0]),
            K::SubscriptionIdentifiersNotSupported,
            5,
            5,
        ),
    ];
    assert_cases(cases);
}

/// DECISIONS.md section 11: `wildcard-subscriptions-not-supported` is decided "for a `+` at
/// the byte after it unless the `+` ends the filter", and section 4: "the first offending byte
/// wins": `a/+/` then a byte is refused at the `/` after the `+`, and a later format error in
/// the same filter (FF, not UTF-8) does not win over it. (The codec once checked the whole
/// filter's format first; this test was ignored until that was fixed.)
#[test]
fn refuses_a_plus_that_does_not_end_the_filter_at_the_byte_after_it() {
    let d = Decoder::new().wildcard_subscription_available(false);
    assert_cases(vec![
        (
            d,
            packet(0x82, &[0, 1, 0, 0, 5, b'a', b'/', b'+', b'/', b'b', 0]),
            K::WildcardSubscriptionsNotSupported,
            9,
            10,
        ),
        (
            d,
            packet(0x82, &[0, 1, 0, 0, 5, b'a', b'/', b'+', b'/', 0xFF, 0]),
            K::WildcardSubscriptionsNotSupported,
            9,
            10,
        ),
    ]);
}

/// Valid 5.0 packets with properties, to corrupt.
fn seeds() -> Vec<Vec<u8>> {
    vec![
        // CONNECT with Session Expiry, a will with Will Delay, user and password.
        packet(
            0x10,
            &connect_body(
                0xC6,
                &[
                    0, 30, 5, 0x11, 0, 0, 0, 10, 0, 1, b'c', 5, 0x18, 0, 0, 0, 5, 0, 1, b't', 0, 1,
                    b'm', 0, 1, b'u', 0, 1, b'p',
                ],
            ),
        ),
        // CONNACK with Maximum QoS 1 and an Assigned Client Identifier.
        packet(0x20, &[0, 0, 7, 0x24, 1, 0x12, 0, 2, b'i', b'd']),
        // PUBLISH QoS 1 with Message Expiry, Content Type (é), a Subscription Identifier 200.
        packet(
            0x32,
            &[
                0, 3, b'a', b'/', b'b', 0, 7, 13, 0x02, 0, 0, 0, 60, 0x03, 0, 2, 0xC3, 0xA9, 0x0B,
                0xC8, 0x01, b'h', b'i',
            ],
        ),
        // PUBLISH QoS 0, empty topic with its alias.
        packet(0x30, &[0, 0, 3, 0x23, 0, 2, b'x']),
        // PUBACK with a reason and a Reason String; PUBREL short.
        packet(0x40, &[0, 1, 0x10, 4, 0x1F, 0, 1, b'r']),
        packet(0x62, &[0, 1]),
        // SUBSCRIBE with a User Property and a shared filter.
        packet(
            0x82,
            &[
                0, 1, 7, 0x26, 0, 1, b'k', 0, 1, b'v', 0, 10, b'$', b's', b'h', b'a', b'r', b'e',
                b'/', b'g', b'/', b't', 0x01,
            ],
        ),
        // SUBACK, UNSUBSCRIBE, UNSUBACK.
        packet(0x90, &[0, 1, 0, 0x01, 0x87]),
        packet(0xA2, &[0, 1, 0, 0, 3, b'a', b'/', b'+']),
        packet(0xB0, &[0, 1, 0, 0x11]),
        // DISCONNECT with a reason and Session Expiry; AUTH with method and data.
        packet(0xE0, &[0x04, 5, 0x11, 0, 0, 0, 1]),
        packet(0xF0, &[0x18, 9, 0x15, 0, 2, b'm', b'1', 0x16, 0, 1, 0xAA]),
    ]
}

#[test]
fn holds_on_every_prefix_of_corrupted_packets() {
    let inputs = 100_000;
    let edge = [
        0u8, 0x7F, 0x80, 0xFF, b'+', b'#', b'/', 0xC3, 0xED, 0xF0, 0x0B, 0x23, 0x26, 0x16,
    ];
    let decode = testkit::decode_outcome!(Decoder::new());
    for seed in seeds() {
        assert_eq!(check_prefixes(&seed), None, "the seed {seed:02x?} is valid");
    }
    // The same inputs on every run.
    let early::Early { refused, early } =
        early::corrupted_run(&seeds(), &edge, 0x0005_EA51_F00D_0001, inputs, decode);
    println!("{inputs} corrupted 5.0 packets: {refused} refused, {early} of them before the frame's last byte");
    assert!(
        refused > inputs / 4 && early > refused / 4,
        "{refused} refused, {early} early"
    );
}

proptest! {
    #[test]
    fn holds_for_any_bytes(input in proptest::collection::vec(any::<u8>(), 0..64)) {
        check_prefixes(&input);
    }

    #[test]
    fn holds_for_corrupted_packets(
        seed in 0usize..12,
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..4),
        fit_length: bool,
    ) {
        check_prefixes(&mutate(&seeds()[seed], &edits, fit_length));
    }
}
