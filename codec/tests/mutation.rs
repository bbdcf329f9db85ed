//! A deterministic mutation test: 400,000 inputs made by corrupting one valid packet of each
//! type (random bytes, edge bytes, flipped bits, deletions, insertions; half the time with the
//! Remaining Length patched to fit). It stands in for the fuzz targets in the default test
//! run: whatever decodes must re-encode to exactly the bytes it used, report `encoded_len()`
//! right, print on one line, survive `OwnedPacket`, and have every strict prefix partial with
//! the exact count; whatever fails must fail the same way on every prefix that is not still
//! partial; nothing may panic.

use mqtt_wire::v311::decode;
use mqtt_wire::{Needed, Status};
use std::num::NonZeroUsize;
use testkit::wire::{connect, header_len, packet};
use testkit::XorShift64;

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
    // The same inputs on every run.
    let mut rng = XorShift64::new(0x9E37_79B9_7F4A_7C15);
    let mut rnd = move || rng.next_u64();
    let edge_bytes = [
        0u8, 1, 2, 3, 0x7F, 0x80, 0xFF, b'+', b'#', b'/', 0xC0, 0xED, 0xEF, 0xF0,
    ];
    let mut accepted = 0usize;
    for _ in 0..400_000 {
        let mut b = seeds[(rnd() as usize) % seeds.len()].clone();
        for _ in 0..(1 + rnd() % 3) {
            let r = rnd();
            let i = (r as usize >> 8) % b.len().max(1);
            match r % 5 {
                0 if !b.is_empty() => b[i] = rnd() as u8,
                1 if !b.is_empty() => b[i] = edge_bytes[(rnd() as usize) % edge_bytes.len()],
                2 if !b.is_empty() => b[i] ^= 1 << (rnd() % 8),
                3 if b.len() > 1 => {
                    b.remove(i);
                }
                _ => b.insert(i.min(b.len()), rnd() as u8),
            }
        }
        if rnd() % 2 == 0 && b.len() >= 2 && b.len() - 2 < 128 {
            b[1] = (b.len() - 2) as u8;
        }
        let result = decode(&b);
        if let Err(error) = result {
            // Errors depend on the bytes, not on how they arrive: every prefix is either still
            // partial or already the same error.
            for cut in 0..b.len() {
                match decode(&b[..cut]) {
                    Ok(Status::Partial(_)) => {}
                    Err(e) if e == error => {}
                    other => panic!(
                        "{:02x?} gives {error:?}, its prefix of {cut} gives {other:?}",
                        b
                    ),
                }
            }
        }
        if let Ok(Status::Complete((p, used))) = result {
            accepted += 1;
            let mut again = Vec::new();
            p.encode_to_vec(&mut again);
            assert_eq!(again, &b[..used], "{p:?}");
            assert_eq!(p.encoded_len(), used);
            let shown = format!("{p} {p:?}");
            assert!(!shown.contains('\n'), "{shown}");
            assert_eq!(p.to_owned_packet().packet(), p);
            // The count is unknown exactly while the Remaining Length is incomplete.
            let header = header_len(&b).expect("a decoded packet has a whole fixed header");
            for cut in 0..used {
                let expected = match NonZeroUsize::new(used - cut) {
                    Some(missing) if cut >= header => Needed::Exactly(missing),
                    _ => Needed::Unknown,
                };
                assert_eq!(
                    decode(&b[..cut]),
                    Ok(Status::Partial(expected)),
                    "prefix {:02x?} of a packet of {used} bytes",
                    &b[..cut]
                );
            }
        }
    }
    assert!(accepted > 1000, "only {accepted} mutated inputs decoded");
}
