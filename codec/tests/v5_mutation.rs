//! The mutation test for MQTT 5.0: 300,000 inputs made by corrupting one valid packet of each
//! of the fifteen types, properties included (random bytes, edge bytes, flipped bits,
//! deletions, insertions; half the time with the Remaining Length patched to fit). Whatever
//! decodes must re-encode to exactly the bytes it used, report `encoded_len()` right, print on
//! one line, survive `OwnedPacket`, and have every strict prefix partial with the exact
//! count; whatever fails must fail the same way on every prefix that is not still partial;
//! nothing may panic; every refusal carries a reason code. The loop and its promises are
//! `testkit::mutation`'s, shared with the 3.1.1 test.

use mqtt_wire::v5::Decoder;
use testkit::mutation::{self, Mutation, Outcome};
use testkit::wire::packet;

#[test]
fn mutated_5_0_packets_decode_consistently_or_fail() {
    // One packet of each type, written from the standard's layouts (section 3 of 5.0).
    let seeds: Vec<Vec<u8>> = vec![
        // CONNECT: "MQTT" 5, flags will (QoS 1, retain) + user + password + clean start,
        // keep alive 60, properties (Session Expiry 10), client id "c", will properties
        // (Will Delay 5), will topic "t", payload "m", user "u", password "p".
        packet(
            0x10,
            &[
                0, 4, b'M', b'Q', b'T', b'T', 5, 0xEE, 0, 60, 5, 0x11, 0, 0, 0, 10, 0, 1, b'c', 5,
                0x18, 0, 0, 0, 5, 0, 1, b't', 0, 1, b'm', 0, 1, b'u', 0, 1, b'p',
            ],
        ),
        // CONNACK: session present, success, Topic Alias Maximum 5 and a User Property.
        packet(0x20, &[1, 0, 10, 0x22, 0, 5, 0x26, 0, 1, b'k', 0, 1, b'v']),
        // PUBLISH QoS 1 "a/b" id 7: Topic Alias 1, Subscription Identifier 200, payload.
        packet(
            0x32,
            &[
                0, 3, b'a', b'/', b'b', 0, 7, 6, 0x23, 0, 1, 0x0B, 0xC8, 0x01, b'h', b'i',
            ],
        ),
        // PUBLISH QoS 0 with an empty topic and its alias.
        packet(0x30, &[0, 0, 3, 0x23, 0, 2, b'x']),
        // PUBACK with a reason and a Reason String; PUBREC short; PUBREL with a reason;
        // PUBCOMP with an empty block.
        packet(0x40, &[0, 1, 0x10, 4, 0x1F, 0, 1, b'r']),
        packet(0x50, &[0, 1]),
        packet(0x62, &[0, 1, 0x92]),
        packet(0x70, &[0, 1, 0, 0]),
        // SUBSCRIBE id 1, Subscription Identifier 3, "a/+" (QoS 1, No Local, Retain Handling
        // 2) and "$share/g/t" (QoS 2).
        packet(
            0x82,
            &[
                0, 1, 2, 0x0B, 3, 0, 3, b'a', b'/', b'+', 0x25, 0, 10, b'$', b's', b'h', b'a',
                b'r', b'e', b'/', b'g', b'/', b't', 0x02,
            ],
        ),
        // SUBACK id 1, no properties, three codes; UNSUBSCRIBE "#" with a User Property;
        // UNSUBACK with two codes.
        packet(0x90, &[0, 1, 0, 0x01, 0x02, 0x87]),
        packet(0xA2, &[0, 1, 7, 0x26, 0, 1, b'k', 0, 1, b'v', 0, 1, b'#']),
        packet(0xB0, &[0, 1, 0, 0x00, 0x11]),
        vec![0xC0, 0],
        vec![0xD0, 0],
        // DISCONNECT 0x04 alone; AUTH continue with a method and data.
        packet(0xE0, &[0x04]),
        packet(0xF0, &[0x18, 9, 0x15, 0, 2, b'm', b'1', 0x16, 0, 1, 0xAA]),
    ];
    let decode = testkit::decode_outcome!(Decoder::new());
    // The loop checks that each seed is a whole valid 5.0 packet.
    let tally = mutation::run(
        &Mutation {
            seeds: &seeds,
            edge_bytes: &[
                0u8, 1, 2, 3, 0x7F, 0x80, 0xFF, b'+', b'#', b'/', 0xC0, 0xED, 0xEF, 0xF0, 0x0B,
                0x23, 0x26,
            ],
            rng_seed: 0x5EED_0005_0000_0001,
            cases: 300_000,
        },
        |bytes| {
            let outcome = decode(bytes);
            if let Outcome::Refused(e) = &outcome {
                assert!(e.reason_code().is_some(), "{e:?} has no reason code");
            }
            outcome
        },
    );
    println!(
        "{} mutated inputs decoded, {} refused",
        tally.accepted, tally.refused
    );
    assert!(
        tally.accepted > 1000,
        "only {} mutated inputs decoded",
        tally.accepted
    );
    assert!(
        tally.refused > 100_000,
        "only {} mutated inputs refused",
        tally.refused
    );
}
