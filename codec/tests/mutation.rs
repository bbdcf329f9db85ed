//! A deterministic mutation test: 400,000 inputs made by corrupting one valid packet of each
//! type (random bytes, edge bytes, flipped bits, deletions, insertions; half the time with the
//! Remaining Length patched to fit). It stands in for the fuzz targets in the default test
//! run: whatever decodes must re-encode to exactly the bytes it used, report `encoded_len()`
//! right, print on one line, survive `OwnedPacket`, and have every strict prefix partial with
//! the exact count; whatever fails must fail the same way on every prefix that is not still
//! partial; nothing may panic. The loop and its promises are `testkit::mutation`'s, shared with
//! the 5.0 test.

use mqtt_wire::v311::Decoder;
use testkit::mutation::{self, Mutation};
use testkit::wire::{connect, packet};

#[test]
fn mutated_packets_decode_consistently_or_fail() {
    let seeds: Vec<Vec<u8>> = vec![
        connect(
            0xF6,
            &[0, 1, b'c', 0, 1, b't', 0, 1, b'm', 0, 1, b'u', 0, 1, b'p'],
        ),
        connect(0x02, &[0, 0]),
        packet(0x20, &[1, 0]),
        packet(0x3B, &[0, 3, b'a', b'/', b'b', 0, 7, 1, 2, 3]),
        packet(0x30, &[0, 1, b't']),
        packet(0x40, &[0, 1]),
        packet(0x62, &[0, 1]),
        packet(0x82, &[0, 1, 0, 3, b'a', b'/', b'+', 1, 0, 1, b'#', 2]),
        packet(0x90, &[0, 1, 0, 1, 2, 0x80]),
        packet(0xA2, &[0, 1, 0, 1, b'#', 0, 2, b'/', b'+']),
        packet(0xB0, &[0, 1]),
        vec![0xC0, 0],
        vec![0xD0, 0],
        vec![0xE0, 0],
    ];
    let tally = mutation::run(
        &Mutation {
            seeds: &seeds,
            edge_bytes: &[
                0u8, 1, 2, 3, 0x7F, 0x80, 0xFF, b'+', b'#', b'/', 0xC0, 0xED, 0xEF, 0xF0,
            ],
            // The same inputs on every run.
            rng_seed: 0x9E37_79B9_7F4A_7C15,
            cases: 400_000,
        },
        testkit::decode_outcome!(Decoder::new()),
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
}
