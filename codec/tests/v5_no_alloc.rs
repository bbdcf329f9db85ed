//! MQTT 5.0 decoding performs no heap allocation: every valid 5.0 golden vector (all fifteen
//! packet types, properties of every kind, the short forms) and every invalid one is decoded
//! under a counting allocator, properties and lists walked, which must see zero allocations.

use mqtt_wire::v5::{Decoder, Packet, Role};
use mqtt_wire::Status;
use serde_json::Value;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The wire bytes of every 5.0 vector, and whether it is valid. Read before counting.
fn vectors() -> Vec<(Vec<u8>, bool)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/v5");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().map_or(true, |e| e != "json") {
            continue;
        }
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Some(vectors) = file.get("vectors").and_then(Value::as_array) else {
            continue;
        };
        for v in vectors {
            let wire = match &v["wire"] {
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
            };
            out.push((wire, v["verdict"] == "valid"));
        }
    }
    out
}

#[test]
fn decoding_every_5_0_vector_allocates_nothing() {
    let inputs = vectors();
    let strict = Decoder::new()
        .receiver(Role::Server)
        .max_packet_size(1 << 20)
        .topic_alias_maximum(10)
        .check_payload_utf8(true);
    let mut decoded = 0;
    let mut seen = [false; 16];
    let mut walked = 0;

    let region = Region::new(GLOBAL);
    for (wire, _) in &inputs {
        for result in [Decoder::new().decode(wire), strict.decode(wire)] {
            if let Ok(Status::Complete((packet, _))) = result {
                decoded += 1;
                seen[usize::from(packet.packet_type().as_u8())] = true;
                walked += walk_without_display(&packet);
            }
        }
    }
    let stats = region.change();

    assert_eq!(stats.allocations, 0, "{stats:?}");
    assert_eq!(stats.reallocations, 0, "{stats:?}");
    assert_eq!(stats.deallocations, 0, "{stats:?}");
    let valid = inputs.iter().filter(|(_, valid)| *valid).count();
    assert!(
        decoded >= valid,
        "{decoded} packets from {valid} valid vectors"
    );
    assert!(
        seen[1..=15].iter().all(|&s| s),
        "all 15 packet types: {seen:?}"
    );
    assert!(walked > 0);
}

/// Reads everything a caller can read from the packet (properties, lists), so that lazy
/// reads are counted too. Not `Display`, which formats into a `String` the caller asked for.
fn walk_without_display(packet: &Packet<'_>) -> usize {
    match packet {
        Packet::Publish(p) => p.properties().iter().count() + p.payload().len().min(1),
        _ => walk_counts(packet),
    }
}

fn walk_counts(packet: &Packet<'_>) -> usize {
    match packet {
        Packet::Connect(c) => {
            c.will().map_or(0, |w| w.properties().iter().count()) + c.properties().iter().count()
        }
        Packet::Connack(c) => c.properties().iter().count(),
        Packet::Publish(p) => p.properties().user_properties().count(),
        Packet::Puback(a) | Packet::Pubrec(a) | Packet::Pubrel(a) | Packet::Pubcomp(a) => {
            a.properties().iter().count() + 1
        }
        Packet::Subscribe(s) => s.subscriptions().iter().count() + s.properties().iter().count(),
        Packet::Suback(a) | Packet::Unsuback(a) => a.reason_codes().iter().count(),
        Packet::Unsubscribe(u) => u.filters().iter().count(),
        Packet::Disconnect(n) | Packet::Auth(n) => n.properties().iter().count() + 1,
        Packet::Pingreq | Packet::Pingresp => 1,
    }
}
