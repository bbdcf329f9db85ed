//! The capture tshark reads: a classic pcap file (Ethernet, IPv4, TCP), each vector in its
//! own TCP stream.
//!
//! The dissector keeps state per TCP stream: a CONNECT sets the protocol version for the
//! frames after it (Wireshark 4.0 uses its `mqtt.default_version` preference only until a
//! CONNECT is seen), and a PUBLISH with a topic and a Topic Alias sets the topic shown for a
//! later PUBLISH with the alias alone. In one stream, the reading of a vector would depend on
//! the vectors before it (a 5.0 invalid vector's CONNECT of level 4 turns the frames after it
//! into 3.1.1). Here each vector has a client port of its own, so each is read as the first
//! packet of its connection, with the version the preference gives; a vector longer than
//! [`MAX_SEGMENT_BYTES`] is several segments of its stream, numbered so that tshark can
//! reassemble them.

use super::MAX_SEGMENT_BYTES;
use crate::suite::{Direction, Vector};

/// The server's port, where tshark is told MQTT runs (`-d tcp.port==1883,mqtt`).
pub const SERVER_PORT: u16 = 1883;

/// The first client port; vector `i` of a capture uses `FIRST_CLIENT_PORT + i`.
pub const FIRST_CLIENT_PORT: u16 = 2000;

const CLIENT_ADDRESS: [u8; 4] = [10, 1, 1, 1];
const SERVER_ADDRESS: [u8; 4] = [10, 2, 2, 2];

/// The pcap file for `vectors`: vector `i` is sent on its own connection (client port
/// [`FIRST_CLIENT_PORT`]` + i`), towards the server (port [`SERVER_PORT`]) or from it by its
/// direction, in segments of at most [`MAX_SEGMENT_BYTES`], one frame each.
pub fn pcap(vectors: &[&Vector]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    // The global header: magic, version 2.4, time zone 0, accuracy 0, snapshot length,
    // link type 1 (Ethernet).
    out.extend_from_slice(&0xa1b2_c3d4_u32.to_le_bytes());
    out.extend_from_slice(&2_u16.to_le_bytes());
    out.extend_from_slice(&4_u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&262_144_u32.to_le_bytes());
    out.extend_from_slice(&1_u32.to_le_bytes());
    let mut frame = 0_u32;
    for (i, v) in vectors.iter().enumerate() {
        let port = u16::try_from(i)
            .ok()
            .and_then(|i| FIRST_CLIENT_PORT.checked_add(i))
            .ok_or("more vectors than client ports")?;
        let bytes = v.wire_bytes().map_err(|e| format!("{}: {e}", v.id))?;
        let mut seq = 1_u32;
        for segment in bytes.chunks(MAX_SEGMENT_BYTES) {
            let packet = match v.direction {
                Direction::ServerToClient => tcp_frame(
                    (SERVER_ADDRESS, SERVER_PORT),
                    (CLIENT_ADDRESS, port),
                    seq,
                    segment,
                ),
                Direction::ClientToServer | Direction::Either => tcp_frame(
                    (CLIENT_ADDRESS, port),
                    (SERVER_ADDRESS, SERVER_PORT),
                    seq,
                    segment,
                ),
            };
            let length = u32::try_from(packet.len()).map_err(|_| "a frame too long")?;
            // The record header: seconds, microseconds, captured and original length.
            out.extend_from_slice(&frame.to_le_bytes());
            out.extend_from_slice(&0_u32.to_le_bytes());
            out.extend_from_slice(&length.to_le_bytes());
            out.extend_from_slice(&length.to_le_bytes());
            out.extend_from_slice(&packet);
            frame += 1;
            seq = seq.wrapping_add(u32::try_from(segment.len()).map_err(|_| "a long segment")?);
        }
    }
    Ok(out)
}

/// One Ethernet frame carrying `payload` in a TCP segment (flags PSH and ACK) from `from` to
/// `to`, with sequence number `seq`, both checksums right.
fn tcp_frame(from: ([u8; 4], u16), to: ([u8; 4], u16), seq: u32, payload: &[u8]) -> Vec<u8> {
    let tcp_length = 20 + payload.len();
    let total = 20 + tcp_length;
    let mut f = Vec::with_capacity(14 + total);
    // Ethernet: destination, source (locally administered), type IPv4.
    f.extend_from_slice(&[0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00]);
    let ip = f.len();
    // IPv4: version 4, header 5 words; total length (at most 60,040: MAX_SEGMENT_BYTES);
    // id 0, Don't Fragment; TTL 64, protocol 6 (TCP); checksum below; the addresses.
    let total = u16::try_from(total).unwrap_or(u16::MAX);
    f.extend_from_slice(&[0x45, 0]);
    f.extend_from_slice(&total.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0x40, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&from.0);
    f.extend_from_slice(&to.0);
    let sum = checksum(&[&f[ip..ip + 20]]);
    f[ip + 10..ip + 12].copy_from_slice(&sum.to_be_bytes());
    let tcp = f.len();
    // TCP: ports, sequence, acknowledgement 1, header 5 words, PSH ACK, window, checksum
    // below, urgent pointer 0.
    f.extend_from_slice(&from.1.to_be_bytes());
    f.extend_from_slice(&to.1.to_be_bytes());
    f.extend_from_slice(&seq.to_be_bytes());
    f.extend_from_slice(&1_u32.to_be_bytes());
    f.extend_from_slice(&[0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    let mut pseudo = Vec::with_capacity(12);
    pseudo.extend_from_slice(&from.0);
    pseudo.extend_from_slice(&to.0);
    pseudo.extend_from_slice(&[0, 6]);
    pseudo.extend_from_slice(&u16::try_from(tcp_length).unwrap_or(u16::MAX).to_be_bytes());
    let sum = checksum(&[&pseudo, &f[tcp..]]);
    f[tcp + 16..tcp + 18].copy_from_slice(&sum.to_be_bytes());
    f
}

/// The Internet checksum (RFC 1071) of the parts, each of even length but the last.
fn checksum(parts: &[&[u8]]) -> u16 {
    let mut sum: u64 = 0;
    for part in parts {
        for pair in part.chunks(2) {
            let word = u16::from_be_bytes([pair[0], pair.get(1).copied().unwrap_or(0)]);
            sum += u64::from(word);
        }
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !u16::try_from(sum).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vector(id: &str, direction: &str, wire: &str) -> Vector {
        serde_json::from_value(json!({
            "id": id, "description": "-", "direction": direction, "verdict": "valid",
            "clauses": [], "flags": [], "wire": wire, "packet": null, "canonical": true,
        }))
        .unwrap()
    }

    /// The frames of a pcap file: (TCP source port, destination port, sequence, payload).
    fn frames(pcap: &[u8]) -> Vec<(u16, u16, u32, Vec<u8>)> {
        let mut out = Vec::new();
        let mut at = 24;
        while at < pcap.len() {
            let len = u32::from_le_bytes(pcap[at + 8..at + 12].try_into().unwrap()) as usize;
            let f = &pcap[at + 16..at + 16 + len];
            let tcp = &f[34..];
            let be16 = |b: &[u8]| u16::from_be_bytes([b[0], b[1]]);
            out.push((
                be16(&tcp[0..]),
                be16(&tcp[2..]),
                u32::from_be_bytes(tcp[4..8].try_into().unwrap()),
                tcp[20..].to_vec(),
            ));
            // Each checksum over its header (IPv4) or pseudo header and segment (TCP) sums
            // to zero when it is right.
            assert_eq!(checksum(&[&f[14..34]]), 0);
            let mut pseudo = f[26..34].to_vec();
            pseudo.extend_from_slice(&[0, 6]);
            pseudo.extend_from_slice(&u16::try_from(tcp.len()).unwrap().to_be_bytes());
            assert_eq!(checksum(&[&pseudo, tcp]), 0);
            at += 16 + len;
        }
        out
    }

    #[test]
    fn sends_each_vector_on_its_own_connection_in_its_direction() {
        let (a, b) = (
            vector("a", "client-to-server", "c000"),
            vector("b", "server-to-client", "d000"),
        );
        let file = pcap(&[&a, &b]).unwrap();
        assert_eq!(file[..4], [0xd4, 0xc3, 0xb2, 0xa1]);
        assert_eq!(
            frames(&file),
            [
                (2000, 1883, 1, vec![0xc0, 0]),
                (1883, 2001, 1, vec![0xd0, 0])
            ]
        );
    }

    #[test]
    fn splits_a_long_vector_into_numbered_segments_of_one_stream() {
        let long = format!("30{}", "00".repeat(MAX_SEGMENT_BYTES + 10));
        let v = vector("long", "either", &long);
        let got = frames(&pcap(&[&v]).unwrap());
        let shape: Vec<_> = got
            .iter()
            .map(|(s, d, seq, p)| (*s, *d, *seq, p.len()))
            .collect();
        let next = 1 + u32::try_from(MAX_SEGMENT_BYTES).unwrap();
        assert_eq!(
            shape,
            [(2000, 1883, 1, MAX_SEGMENT_BYTES), (2000, 1883, next, 11)]
        );
    }
}
