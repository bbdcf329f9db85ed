//! The mutation test for MQTT 5.0: 300,000 inputs made by corrupting one valid packet of each
//! of the fifteen types, properties included (random bytes, edge bytes, flipped bits,
//! deletions, insertions; half the time with the Remaining Length patched to fit). Whatever
//! decodes must re-encode to exactly the bytes it used, report `encoded_len()` right, print on
//! one line, survive `OwnedPacket`, and have every strict prefix partial with the exact
//! count; whatever fails must fail the same way on every prefix that is not still partial;
//! nothing may panic.

use mqtt_wire::v5::decode;
use mqtt_wire::{Needed, Status};
use std::num::NonZeroUsize;
use testkit::wire::{header_len, packet};
use testkit::XorShift64;

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
    for seed in &seeds {
        assert!(
            matches!(decode(seed), Ok(Status::Complete((_, n))) if n == seed.len()),
            "the seed {seed:02x?} is a valid 5.0 packet: {:?}",
            decode(seed)
        );
    }
    let mut rng = XorShift64::new(0x5EED_0005_0000_0001);
    let mut rnd = move || rng.next_u64();
    let edge_bytes = [
        0u8, 1, 2, 3, 0x7F, 0x80, 0xFF, b'+', b'#', b'/', 0xC0, 0xED, 0xEF, 0xF0, 0x0B, 0x23, 0x26,
    ];
    let mut accepted = 0usize;
    let mut refused = 0usize;
    for _ in 0..300_000 {
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
            refused += 1;
            assert!(
                error.reason_code().is_some(),
                "{error:?} has no reason code"
            );
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
    assert!(refused > 100_000, "only {refused} mutated inputs refused");
}
