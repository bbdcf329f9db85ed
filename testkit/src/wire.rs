//! Packet bytes built and read by hand, without the codec: the fixed header's Remaining Length
//! (a variable byte integer, MQTT-1.5.5-1 in 5.0, section 2.2.3 in 3.1.1) written in its
//! shortest form and read back, and whole packets from a first byte and a body.

/// The Remaining Length `value` in its shortest form: 7 bits a byte, least significant first,
/// the top bit set on every byte but the last. Panics past the four-byte limit (268,435,455).
pub fn remaining_length(value: usize) -> Vec<u8> {
    assert!(value < 1 << 28, "a Remaining Length has at most four bytes");
    let mut out = Vec::with_capacity(4);
    let mut rest = value;
    loop {
        let byte = (rest & 0x7F) as u8;
        rest >>= 7;
        if rest == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}

/// A whole packet: the first byte, the Remaining Length of `body`, then `body`.
pub fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    out.extend(remaining_length(body.len()));
    out.extend_from_slice(body);
    out
}

/// An MQTT 3.1.1 CONNECT with these connect flags and this payload (keep alive 0).
pub fn connect(flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 4, flags, 0, 0];
    body.extend_from_slice(payload);
    packet(0x10, &body)
}

/// The fixed header's length (first byte and Remaining Length) at the start of `bytes`;
/// `None` while the Remaining Length is incomplete, or when its first four bytes all continue.
pub fn header_len(bytes: &[u8]) -> Option<usize> {
    let length = bytes.get(1..)?;
    let last = length.iter().take(4).position(|b| b & 0x80 == 0)?;
    Some(1 + last + 1)
}

/// The Remaining Length the fixed header at the start of `bytes` declares; `None` as for
/// [`header_len`].
pub fn declared_remaining_length(bytes: &[u8]) -> Option<usize> {
    let mut value = 0usize;
    for (i, &b) in bytes.get(1..)?.iter().enumerate().take(4) {
        value |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The length of the frame the fixed header at the start of `bytes` declares (header and
/// Remaining Length); `None` as for [`header_len`].
pub fn declared_frame_len(bytes: &[u8]) -> Option<usize> {
    Some(header_len(bytes)? + declared_remaining_length(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_shortest_form_at_each_boundary() {
        // The standard's table of ranges (3.1.1 section 2.2.3): one byte up to 127, two up to
        // 16,383, three up to 2,097,151, four up to 268,435,455.
        assert_eq!(remaining_length(0), [0x00]);
        assert_eq!(remaining_length(127), [0x7F]);
        assert_eq!(remaining_length(128), [0x80, 0x01]);
        assert_eq!(remaining_length(16_383), [0xFF, 0x7F]);
        assert_eq!(remaining_length(16_384), [0x80, 0x80, 0x01]);
        assert_eq!(remaining_length(2_097_151), [0xFF, 0xFF, 0x7F]);
        assert_eq!(remaining_length(2_097_152), [0x80, 0x80, 0x80, 0x01]);
        assert_eq!(remaining_length(268_435_455), [0xFF, 0xFF, 0xFF, 0x7F]);
        // 321 = 2 * 128 + 65: the standard's worked example gives C1 02.
        assert_eq!(remaining_length(321), [0xC1, 0x02]);
    }

    #[test]
    #[should_panic(expected = "at most four bytes")]
    fn refuses_a_fifth_byte() {
        remaining_length(268_435_456);
    }

    #[test]
    fn builds_packets() {
        assert_eq!(packet(0xC0, &[]), [0xC0, 0x00]);
        assert_eq!(packet(0x30, &[0, 1, b't']), [0x30, 0x03, 0, 1, b't']);
        let long = packet(0x30, &[7; 200]);
        assert_eq!(&long[..3], [0x30, 0xC8, 0x01]);
        assert_eq!(long.len(), 203);
        assert_eq!(
            connect(0x02, &[0, 0]),
            [0x10, 12, 0, 4, b'M', b'Q', b'T', b'T', 4, 0x02, 0, 0, 0, 0]
        );
    }

    #[test]
    fn reads_the_fixed_header_back() {
        assert_eq!(header_len(&[0x30]), None);
        assert_eq!(header_len(&[0x30, 0x80]), None);
        assert_eq!(header_len(&[0x30, 0x00]), Some(2));
        assert_eq!(header_len(&[0x30, 0x80, 0x01]), Some(3));
        assert_eq!(header_len(&[0x30, 0xFF, 0xFF, 0xFF, 0x7F]), Some(5));
        assert_eq!(header_len(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]), None);
        assert_eq!(declared_remaining_length(&[0x30, 0xC1, 0x02]), Some(321));
        assert_eq!(declared_remaining_length(&[0x30, 0x80]), None);
        assert_eq!(declared_frame_len(&[0x30, 0x80, 0x01]), Some(3 + 128));
        assert_eq!(declared_frame_len(&[0xC0, 0x00]), Some(2));
        // A non-minimal form (80 00) still declares its value: reading is not judging.
        assert_eq!(declared_frame_len(&[0xC0, 0x80, 0x00]), Some(3));
        for value in [0, 1, 127, 128, 300, 16_383, 16_384, 2_097_152, 268_435_455] {
            let mut header = vec![0x30];
            header.extend(remaining_length(value));
            assert_eq!(declared_remaining_length(&header), Some(value), "{value}");
            assert_eq!(header_len(&header), Some(header.len()), "{value}");
        }
    }
}
