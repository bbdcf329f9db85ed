//! The `roundtrip` oracle under `cargo test`: packets built by `Arbitrary` (the codec's
//! `arbitrary` feature) from a fixed stream of pseudo-random bytes, so the run is the same
//! every time.

use arbitrary::{Arbitrary, Unstructured};
use mqtt_wire::v311::OwnedPacket;

#[test]
fn packets_built_from_arbitrary_bytes_round_trip() {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut built = [0usize; 15];
    for _ in 0..20_000 {
        let bytes: Vec<u8> = (0..256)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        if let Ok(packet) = OwnedPacket::arbitrary(&mut Unstructured::new(&bytes)) {
            oracle::check_built(&packet);
            built[usize::from(packet.packet().packet_type().as_u8())] += 1;
        }
    }
    // The generator reaches every packet type, not only the easy ones.
    assert!(
        built[1..].iter().all(|&n| n > 0),
        "packets built per type: {built:?}"
    );
}

#[test]
fn v5_packets_built_from_arbitrary_bytes_round_trip() {
    let mut rng = testkit::XorShift64::new(0x9E37_79B9_7F4A_7C15);
    let mut built = [0usize; 16];
    for _ in 0..20_000 {
        let bytes: Vec<u8> = (0..256).map(|_| rng.next_u64() as u8).collect();
        if let Ok(packet) = mqtt_wire::v5::OwnedPacket::arbitrary(&mut Unstructured::new(&bytes)) {
            oracle::v5::check_built(&packet);
            built[usize::from(packet.packet().packet_type().as_u8())] += 1;
        }
    }
    assert!(
        built[1..].iter().all(|&n| n > 0),
        "5.0 packets built per type: {built:?}"
    );
}
