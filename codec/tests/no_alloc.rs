//! Decoding performs no heap allocation: every packet type is decoded under a counting
//! allocator, which must see zero allocations, reallocations and frees.

use mqtt_wire::v311::{decode, Decoder, Packet};
use mqtt_wire::Status;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// One valid packet of every type, and a few invalid or partial inputs.
const INPUTS: &[&[u8]] = &[
    // CONNECT, remaining length 34: flags 0xEE (user name, password, will retain, will QoS 1,
    // will, clean session), keep alive 60, client id, will topic and message, user, password
    b"\x10\x22\x00\x04MQTT\x04\xEE\x00\x3C\x00\x03cid\x00\x01t\x00\x02wm\x00\x04user\x00\x04pass",
    b"\x20\x02\x01\x00",                               // CONNACK
    b"\x32\x0A\x00\x03a/b\x00\x01hello",               // PUBLISH QoS 1
    b"\x40\x02\x00\x01",                               // PUBACK
    b"\x50\x02\x00\x01",                               // PUBREC
    b"\x62\x02\x00\x01",                               // PUBREL
    b"\x70\x02\x00\x01",                               // PUBCOMP
    b"\x82\x0E\x00\x0A\x00\x03a/+\x01\x00\x03b/#\x02", // SUBSCRIBE
    b"\x90\x05\x00\x0A\x00\x01\x80",                   // SUBACK
    b"\xA2\x07\x00\x0A\x00\x03a/+",                    // UNSUBSCRIBE
    b"\xB0\x02\x00\x0A",                               // UNSUBACK
    b"\xC0\x00",                                       // PINGREQ
    b"\xD0\x00",                                       // PINGRESP
    b"\xE0\x00",                                       // DISCONNECT
    b"\x30\x80",                                       // partial
    b"\x30\x04\x00\x02a#",                             // invalid: wildcard in topic name
    b"\x82\x06\x00\x01\x00\x01a\x03",                  // invalid: requested QoS 3
];

#[test]
fn decoding_every_packet_type_allocates_nothing() {
    let decoder = Decoder::new()
        .reject_control_characters(true)
        .max_packet_size(1024);
    let mut decoded = 0;
    let mut seen = [false; 16];

    let region = Region::new(GLOBAL);
    for input in INPUTS {
        for result in [decode(input), decoder.decode(input)] {
            if let Ok(Status::Complete((packet, _))) = result {
                decoded += 1;
                seen[usize::from(packet.packet_type().as_u8())] = true;
                // Walk the lists too: iterating them must not allocate either.
                walk(&packet);
            }
        }
    }
    let stats = region.change();

    assert_eq!(stats.allocations, 0, "{stats:?}");
    assert_eq!(stats.reallocations, 0, "{stats:?}");
    assert_eq!(stats.deallocations, 0, "{stats:?}");
    assert_eq!(decoded, 28, "every valid input decodes with both decoders");
    assert!(
        seen[1..=14].iter().all(|&s| s),
        "all 14 packet types: {seen:?}"
    );
}

fn walk(packet: &Packet<'_>) -> usize {
    match packet {
        Packet::Subscribe(s) => s
            .subscriptions()
            .iter()
            .map(|s| s.filter.as_str().len())
            .sum(),
        Packet::Unsubscribe(u) => u.filters().iter().map(|f| f.as_str().len()).sum(),
        Packet::Suback(s) => s.return_codes().iter().count(),
        _ => 0,
    }
}
