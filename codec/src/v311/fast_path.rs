//! The packets that make up most traffic (PUBLISH, the acknowledgements carrying only a
//! Packet Identifier, PINGREQ, PINGRESP, DISCONNECT), decoded straight from the bytes when
//! everything about them is ordinary: a complete frame, a Remaining Length of one or two
//! bytes, text with nothing a rule looks at.
//!
//! The fast path only ever accepts. It answers `None` for anything else (another packet
//! type, a flag, a length or a byte it does not expect, an incomplete frame) and the general
//! path in [`Decoder::decode`](super::Decoder::decode) then decides, and names the error if
//! there is one. So it must accept exactly what the general path would accept, with the
//! same packet. With debug assertions on (every `cargo test`, and the fuzz targets, built with
//! `-a`), `Decoder::decode` checks each packet the fast path takes against the general path;
//! the unit tests below do the same on corrupted and truncated packets of every kind it
//! handles, under five decoder options.

#![deny(clippy::arithmetic_side_effects, clippy::indexing_slicing)]

use core::num::NonZeroU16;

use super::{Delivery, Packet, Puback, Pubcomp, Publish, Pubrec, Pubrel, Unsuback};
use crate::scan;
use crate::topic::TopicName;

/// The packet at the start of `input` and the bytes it used, when the fast path can tell;
/// `max_packet_size` and `reject_disallowed` are the decoder's options.
#[inline(always)]
pub(super) fn decode(
    input: &[u8],
    max_packet_size: usize,
    reject_disallowed: bool,
) -> Option<(Packet<'_>, usize)> {
    let [first, ref rest @ ..] = *input else {
        return None;
    };
    // The Remaining Length: at most four bytes, the last not 0 unless it is the only one
    // (section 2.2.3; anything else goes to the general path to be named).
    let low = |byte: u8| usize::from(byte & 0x7F);
    let (remaining, rest) = match *rest {
        [a @ 0..=0x7F, ref rest @ ..] => (low(a), rest),
        [a @ 0x80..=0xFF, b @ 1..=0x7F, ref rest @ ..] => (low(a) | low(b) << 7, rest),
        [a @ 0x80..=0xFF, b @ 0x80..=0xFF, c @ 1..=0x7F, ref rest @ ..] => {
            (low(a) | low(b) << 7 | low(c) << 14, rest)
        }
        [a @ 0x80..=0xFF, b @ 0x80..=0xFF, c @ 0x80..=0xFF, d @ 1..=0x7F, ref rest @ ..] => {
            (low(a) | low(b) << 7 | low(c) << 14 | low(d) << 21, rest)
        }
        _ => return None,
    };
    let body = rest.get(..remaining)?;
    // At most 5 + 268,435,455.
    let used = input
        .len()
        .saturating_sub(rest.len())
        .saturating_add(remaining);
    if used > max_packet_size {
        return None;
    }
    let packet = match first {
        // PUBLISH with QoS 0, 1 or 2, any RETAIN, DUP only above QoS 0 (MQTT-3.3.1-2,
        // MQTT-3.3.1-4).
        0x30..=0x35 | 0x3A..=0x3D => Packet::Publish(publish(first, body, reject_disallowed)?),
        // Flags 0000, or 0010 for PUBREL (MQTT-2.2.2-1, MQTT-3.6.1-1), and exactly a
        // Packet Identifier that is not 0 (MQTT-2.3.1-1).
        0x40 => Packet::Puback(Puback::new(packet_id(body)?)),
        0x50 => Packet::Pubrec(Pubrec::new(packet_id(body)?)),
        0x62 => Packet::Pubrel(Pubrel::new(packet_id(body)?)),
        0x70 => Packet::Pubcomp(Pubcomp::new(packet_id(body)?)),
        0xB0 => Packet::Unsuback(Unsuback::new(packet_id(body)?)),
        // Flags 0000 and nothing else (sections 3.12-3.14).
        0xC0 if body.is_empty() => Packet::Pingreq,
        0xD0 if body.is_empty() => Packet::Pingresp,
        0xE0 if body.is_empty() => Packet::Disconnect,
        _ => return None,
    };
    Some((packet, used))
}

/// A body that is exactly a Packet Identifier other than 0.
#[inline(always)]
fn packet_id(body: &[u8]) -> Option<NonZeroU16> {
    let [high, low] = *body else {
        return None;
    };
    NonZeroU16::new(u16::from_be_bytes([high, low]))
}

/// A PUBLISH body whose topic name has no byte a rule looks at (see [`scan`]).
#[inline(always)]
fn publish<'a>(first: u8, body: &'a [u8], reject_disallowed: bool) -> Option<Publish<'a>> {
    let [high, low, ref rest @ ..] = *body else {
        return None;
    };
    let topic_len = usize::from(u16::from_be_bytes([high, low]));
    let topic = rest.get(..topic_len)?;
    let rest = rest.get(topic_len..)?;
    // Not empty, no U+0000, no wildcard, nothing disallowed on request: only UTF-8 is left
    // to check (MQTT-1.5.3-1, MQTT-1.5.3-2, MQTT-3.3.2-1, MQTT-3.3.2-2, MQTT-4.7.3-1).
    if scan::topic_needs_checks(topic, reject_disallowed) {
        return None;
    }
    let topic = TopicName::checked(core::str::from_utf8(topic).ok()?);
    let (delivery, payload) = match (first >> 1) & 0x03 {
        // MQTT-2.3.1-5: no Packet Identifier at QoS 0.
        0 => (Delivery::AtMostOnce, rest),
        qos => {
            let [high, low, ref payload @ ..] = *rest else {
                return None;
            };
            let id = NonZeroU16::new(u16::from_be_bytes([high, low]))?;
            if qos == 1 {
                (Delivery::AtLeastOnce(id), payload)
            } else {
                (Delivery::ExactlyOnce(id), payload)
            }
        }
    };
    Some(Publish::from_checked(
        topic,
        delivery,
        payload,
        first & 0x08 != 0,
        first & 0x01 != 0,
    ))
}

// The tests build inputs by index and length arithmetic; the file's lints are for peer bytes.
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
mod tests {
    // Without `std` the crate is `no_std`, and the tests take these from `std` (linked for tests).
    use std::{vec, vec::Vec};

    use crate::v311::Decoder;
    use crate::Status;

    /// Packets the fast path is for, written out by hand.
    const ORDINARY: &[&[u8]] = &[
        // PUBLISH QoS 0 to "a/b", payload "hi".
        &[0x30, 0x07, 0x00, 0x03, b'a', b'/', b'b', b'h', b'i'],
        // PUBLISH QoS 1, retained, id 10, topic "hello/world", no payload.
        &[
            0x33, 0x0F, 0x00, 0x0B, b'h', b'e', b'l', b'l', b'o', b'/', b'w', b'o', b'r', b'l',
            b'd', 0x00, 0x0A,
        ],
        // PUBLISH QoS 2, DUP, id 0x0102, topic "t", payload 0x00 0xFF.
        &[0x3C, 0x07, 0x00, 0x01, b't', 0x01, 0x02, 0x00, 0xFF],
        // PUBLISH with a 17-byte topic of two-byte characters and a space.
        &[
            0x30, 0x13, 0x00, 0x11, 0xC3, 0xA9, 0xC3, 0xA9, 0xC3, 0xA9, 0xC3, 0xA9, b' ', 0xC3,
            0xA9, 0xC3, 0xA9, 0xC3, 0xA9, 0xC3, 0xA9,
        ],
        &[0x40, 0x02, 0x00, 0x01],
        &[0x50, 0x02, 0xFF, 0xFF],
        &[0x62, 0x02, 0x12, 0x34],
        &[0x70, 0x02, 0x00, 0x80],
        &[0xB0, 0x02, 0x01, 0x00],
        &[0xC0, 0x00],
        &[0xD0, 0x00],
        &[0xE0, 0x00],
    ];

    /// A PUBLISH QoS 1 with a topic of `topic_len` bytes and a payload of `payload_len`.
    fn publish(topic_len: usize, payload_len: usize) -> Vec<u8> {
        let mut remaining = 2 + topic_len + 2 + payload_len;
        let mut out = vec![0x32];
        loop {
            let byte = (remaining % 128) as u8;
            remaining /= 128;
            out.push(if remaining > 0 { byte | 0x80 } else { byte });
            if remaining == 0 {
                break;
            }
        }
        out.extend_from_slice(&(topic_len as u16).to_be_bytes());
        out.extend((0..topic_len).map(|i| b'a' + (i % 26) as u8));
        out.extend_from_slice(&[0x00, 0x07]);
        out.extend(core::iter::repeat(0x5A).take(payload_len));
        out
    }

    /// Whatever the fast path accepts, the general path accepts with the same packet and
    /// length; and a packet the general path takes in whole is a packet the fast path takes
    /// when the test says it should.
    fn same(decoder: Decoder, input: &[u8]) -> bool {
        let fast = super::decode(
            input,
            decoder.max_packet_size,
            decoder.reject_disallowed_code_points,
        );
        if let Some(fast) = fast {
            assert_eq!(
                decoder.decode_general(input),
                Ok(Status::Complete(fast)),
                "{input:02x?} with {decoder:?}"
            );
            true
        } else {
            false
        }
    }

    fn decoders() -> [Decoder; 5] {
        [
            Decoder::new(),
            Decoder::new().reject_control_characters(true),
            Decoder::new().max_packet_size(2),
            Decoder::new().max_packet_size(9),
            Decoder::new().max_packet_size(200),
        ]
    }

    #[test]
    fn takes_the_ordinary_packets() {
        let mut inputs: Vec<Vec<u8>> = ORDINARY.iter().map(|p| p.to_vec()).collect();
        for (topic, payload) in [(1, 0), (7, 1), (8, 16), (16, 100), (17, 127), (30, 1000)] {
            inputs.push(publish(topic, payload));
        }
        inputs.push(publish(11, 70_000)); // a three-byte Remaining Length
        for input in &inputs {
            assert!(same(Decoder::new(), input), "{input:02x?}");
            // And with the next packet's first bytes after it.
            let mut longer = input.clone();
            longer.extend_from_slice(&[0x30, 0x80]);
            assert!(same(Decoder::new(), &longer), "{input:02x?} and more");
        }
    }

    // Thousands of decodes: too slow under Miri (`cargo xtask miri`), which runs
    // `takes_the_ordinary_packets`.
    #[cfg_attr(miri, ignore)]
    #[test]
    fn agrees_with_the_general_path_on_corrupted_and_truncated_packets() {
        let mut inputs: Vec<Vec<u8>> = ORDINARY.iter().map(|p| p.to_vec()).collect();
        inputs.push(publish(20, 3));
        inputs.push(publish(9, 200));
        let values = [
            0x00, 0x01, 0x02, 0x03, 0x07, 0x0A, 0x1F, 0x20, 0x23, 0x2B, 0x2F, 0x30, 0x32, 0x34,
            0x36, 0x38, 0x3A, 0x3E, 0x40, 0x42, 0x60, 0x62, 0x7F, 0x80, 0x81, 0x9F, 0xA9, 0xB0,
            0xC0, 0xC2, 0xC3, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF8, 0xFF,
        ];
        let (mut taken, mut checked) = (0, 0);
        for input in &inputs {
            let mut variants = Vec::new();
            for position in 0..input.len() {
                for value in values {
                    let mut v = input.clone();
                    v[position] = value;
                    variants.push(v);
                }
                variants.push(input[..position].to_vec());
                let mut without = input.clone();
                without.remove(position);
                variants.push(without);
            }
            for v in &variants {
                for decoder in decoders() {
                    checked += 1;
                    taken += usize::from(same(decoder, v));
                }
            }
        }
        // The corruptions leave many packets valid, and the fast path must have seen them.
        assert!(taken > checked / 10, "{taken} of {checked}");
    }
}
