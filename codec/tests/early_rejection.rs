//! Early rejection: the bytes of an incomplete frame are checked as far as they go, so a
//! packet is refused at the byte that proves it malformed, not when the frame is complete.
//!
//! The property, for any bytes: along the prefixes of the first frame, the answers are "need
//! more bytes" (with the exact count once the Remaining Length is complete) up to some byte,
//! the deciding byte, and from there on one and the same error, the error of the whole frame.
//! A decoder that waits for the whole frame passes the property too (its deciding byte is the
//! last); what makes it early are the hand-written cases below, whose deciding bytes come from
//! the standard (and the golden vectors' `decided_at`, which the conformance runner checks).
//! The property's check and the corruptions are `testkit::early`'s, shared with the 5.0 test.

use mqtt_wire::v311::Decoder;
use mqtt_wire::{DecodeError, DecodeErrorKind as K, Field};
use proptest::prelude::*;
// The frame length the header declares is read without the codec.
use testkit::early::{self, mutate};
use testkit::hex::bytes as hex;
use testkit::wire::{connect, packet};

/// The property on the prefixes of `input`'s first frame: the deciding byte's index and the
/// error, when the bytes present hold one.
fn check_prefixes(input: &[u8]) -> Option<(usize, DecodeError)> {
    early::check_prefixes(input, testkit::decode_outcome!(Decoder::new()))
}

#[test]
fn refuses_each_rule_at_its_deciding_byte() {
    // (bytes, error kind, offset, deciding byte): the deciding byte is the first byte after
    // which no completion of the frame avoids the error, worked out from the standard.
    let cases: Vec<(Vec<u8>, K, usize, usize)> = vec![
        // The example: a PUBLISH topic that starts with `+` (MQTT-3.3.2-2).
        (
            packet(0x30, &[0, 3, b'+', b'/', b'a', b'x']),
            K::WildcardInTopicName(Field::TopicName),
            4,
            4,
        ),
        // Packet identifier 00 00 (MQTT-2.3.1-1): decided by its second byte.
        (packet(0x32, &[0, 1, b't', 0, 0]), K::ZeroPacketId, 5, 6),
        // A topic whose length runs past the frame: decided by the length's second byte.
        (
            packet(0x30, &[0, 5, b'a', b'b']),
            K::Truncated(Field::TopicName),
            2,
            3,
        ),
        // No room left for the packet identifier: decided once the topic is known good.
        (
            packet(0x32, &[0, 2, b't', b'u', 0]),
            K::Truncated(Field::PacketId),
            6,
            5,
        ),
        // Ill-formed UTF-8: ED A0 (a surrogate) at the A0; C3 41 at the 41.
        (
            packet(0x30, &[0, 5, b'a', 0xED, 0xA0, 0x80, b'b']),
            K::InvalidUtf8(Field::TopicName),
            5,
            6,
        ),
        (
            packet(0xA2, &[0, 1, 0, 3, b'a', 0xC3, 0x41]),
            K::InvalidUtf8(Field::TopicFilter),
            7,
            8,
        ),
        // Wrong protocol name: a byte that differs, or a length that is not 4 (MQTT-3.1.2-1).
        (
            hex("10 0C 00 04 4D 51 54 58 04 02 00 00 00 00"),
            K::InvalidProtocolName,
            2,
            7,
        ),
        (
            hex("10 0E 00 06 4D 51 49 73 64 70 03 02 00 00 00 00"),
            K::InvalidProtocolName,
            2,
            3,
        ),
        // Protocol level 3 (MQTT-3.1.2-2), reserved connect flag (MQTT-3.1.2-3).
        (
            hex("10 0C 00 04 4D 51 54 54 03 02 00 00 00 00"),
            K::UnsupportedProtocolLevel(3),
            8,
            8,
        ),
        (connect(0x03, &[0, 0]), K::ConnectReservedFlag, 9, 9),
        // A client id whose length runs past the frame.
        (
            connect(0x02, &[0, 5]),
            K::Truncated(Field::ClientId),
            12,
            13,
        ),
        // U+0000 in the client id (MQTT-1.5.3-2).
        (
            connect(0x02, &[0, 2, 0, b'c']),
            K::NullCharacter(Field::ClientId),
            14,
            14,
        ),
        // A byte after the password: the password's length already says where it ends.
        (
            connect(0xC2, &[0, 0, 0, 1, b'u', 0, 1, b'p', b'z']),
            K::TrailingBytes,
            20,
            18,
        ),
        // An empty client id without clean session (MQTT-3.1.3-8) is answered with a CONNACK
        // code, so it is decided only when nothing after it can make the packet malformed.
        (
            connect(0x00, &[0, 0]),
            K::EmptyClientIdWithoutCleanSession,
            12,
            13,
        ),
        // CONNACK: session present with a refusal (MQTT-3.2.2-4) is decided by the code;
        // a reserved return code at its byte.
        (hex("20 02 01 05"), K::SessionPresentWithError, 2, 3),
        (hex("20 02 00 06"), K::InvalidConnectReturnCode(6), 3, 3),
        // SUBSCRIBE: requested QoS 3 (MQTT-3.8.3-4) and misplaced wildcards (MQTT-4.7.1-2,
        // MQTT-4.7.1-3): `a+` at the `+`; `+a` at the `a`; `#/` at the `#`, as the filter's
        // length already says the `#` is not its last byte.
        (
            packet(0x82, &[0, 1, 0, 3, b'a', b'/', b'b', 3]),
            K::InvalidRequestedQoS,
            9,
            9,
        ),
        (
            packet(0x82, &[0, 1, 0, 2, b'a', b'+', 1]),
            K::MisplacedSingleLevelWildcard,
            7,
            7,
        ),
        (
            packet(0x82, &[0, 1, 0, 2, b'+', b'a', 1]),
            K::MisplacedSingleLevelWildcard,
            6,
            7,
        ),
        (
            packet(0x82, &[0, 1, 0, 2, b'#', b'/', 1]),
            K::MisplacedMultiLevelWildcard,
            6,
            6,
        ),
        // SUBACK: a reserved return code (MQTT-3.9.3-2) at its byte.
        (
            packet(0x90, &[0, 1, 0, 3]),
            K::InvalidSubackReturnCode(3),
            5,
            5,
        ),
    ];
    for (bytes, kind, offset, decided_at) in cases {
        let (at, error) =
            check_prefixes(&bytes).unwrap_or_else(|| panic!("{bytes:02x?} was accepted"));
        assert_eq!(
            (error.kind(), error.offset(), at),
            (kind, offset, decided_at),
            "{bytes:02x?}: (kind, offset, deciding byte)"
        );
    }
}

/// Valid packets of every type, to corrupt.
fn seeds() -> Vec<Vec<u8>> {
    vec![
        connect(
            0xF6,
            &[0, 1, b'c', 0, 1, b't', 0, 1, b'm', 0, 1, b'u', 0, 1, b'p'],
        ),
        connect(0x02, &[0, 0]),
        connect(0xC2, &[0, 2, b'c', b'd', 0, 1, b'u', 0, 3, 1, 2, 3]),
        // Multi-byte characters in the client id and the user name: U+00E9, U+20AC.
        connect(
            0xC2,
            &[
                0, 3, b'c', 0xC3, 0xA9, 0, 4, b'u', 0xE2, 0x82, 0xAC, 0, 1, 9,
            ],
        ),
        packet(0x20, &[1, 0]),
        packet(0x3B, &[0, 3, b'a', b'/', b'b', 0, 7, 1, 2, 3]),
        packet(0x30, &[0, 4, 0xC3, 0xA9, 0xE2, 0x82, b'x']),
        packet(0x40, &[0, 1]),
        packet(0x62, &[0, 1]),
        packet(0x82, &[0, 1, 0, 3, b'a', b'/', b'+', 1, 0, 1, b'#', 2]),
        packet(0x90, &[0, 1, 0, 1, 2, 0x80]),
        packet(0xA2, &[0, 1, 0, 1, b'#', 0, 2, b'/', b'+']),
        packet(0xB0, &[0, 1]),
        vec![0xC0, 0],
        vec![0xE0, 0],
    ]
}

#[test]
fn holds_on_every_prefix_of_corrupted_packets() {
    let inputs = 100_000;
    let edge = [
        0u8, 0x7F, 0x80, 0xFF, b'+', b'#', b'/', 0xC3, 0xED, 0xF0, 0xF4,
    ];
    // The same inputs on every run.
    let early::Early { refused, early } = early::corrupted_run(
        &seeds(),
        &edge,
        0x2545_F491_4F6C_DD1D,
        inputs,
        testkit::decode_outcome!(Decoder::new()),
    );
    println!("{inputs} corrupted packets: {refused} refused, {early} of them before the frame's last byte");
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
        seed in 0usize..15,
        edits in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<u8>()), 1..4),
        fit_length: bool,
    ) {
        check_prefixes(&mutate(&seeds()[seed], &edits, fit_length));
    }
}
