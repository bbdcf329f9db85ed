//! Byte builders shared by the integration tests.

/// A whole packet: first byte, one-byte Remaining Length, body.
pub fn packet(first: u8, body: &[u8]) -> Vec<u8> {
    assert!(body.len() < 128, "one-byte Remaining Length only");
    let mut out = vec![first, body.len() as u8];
    out.extend_from_slice(body);
    out
}

/// An MQTT 3.1.1 CONNECT with these flags and this payload (keep alive 0).
pub fn connect(flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', 4, flags, 0, 0];
    body.extend_from_slice(payload);
    packet(0x10, &body)
}
