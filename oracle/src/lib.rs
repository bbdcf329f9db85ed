//! The oracle: what must hold for any bytes given to the decoder. Each check panics, with a
//! message saying which promise broke, when it does not hold; a fuzz target is one call, and
//! `cargo test` runs the same checks over the golden vectors.
//!
//! The fixed header is read here independently of the codec, so the oracle does not take the
//! codec's word for the frame size it checks the codec against.

//!
//! Every check is written once, generic over the version's decoder (`mqtt_wire::PacketDecoder`):
//! `check_decode` and the others for MQTT 3.1.1, `v5::check_decode` and the others for 5.0.

use std::fmt::{Debug, Display};

use mqtt_wire::{DecodeError, Encode, OwnedPacket, PacketDecoder, StreamDecoder};
use mqtt_wire::{Needed, Status};

type V311 = mqtt_wire::v311::Decoder;

/// The same checks for MQTT 5.0.
pub mod v5 {
    use mqtt_wire::v5::{Decoder, OwnedPacket};

    /// [`check_decode`](super::check_decode) for 5.0.
    pub fn check_decode(input: &[u8]) {
        super::check_decode_with(Decoder::new(), input)
    }

    /// [`check_built`](super::check_built) for 5.0.
    pub fn check_built(packet: &OwnedPacket) {
        super::check_built_with(Decoder::new(), packet)
    }

    /// [`check_stream`](super::check_stream) for 5.0.
    pub fn check_stream(data: &[u8], chunk_sizes: &[u8]) {
        super::check_stream_with(Decoder::new(), data, chunk_sizes)
    }

    /// [`check_prefixes`](super::check_prefixes) for 5.0.
    pub fn check_prefixes(input: &[u8]) -> Option<usize> {
        super::check_prefixes_with(Decoder::new(), input)
    }
}

/// A decode result with the packet dropped: the bytes used, or what is missing.
fn used_of<P>(status: Status<(P, usize)>) -> Status<usize> {
    match status {
        Status::Complete((_, used)) => Status::Complete(used),
        Status::Partial(needed) => Status::Partial(needed),
    }
}

/// The largest frame the oracle pads a partial input up to.
pub const PAD_LIMIT: usize = 64 * 1024;

/// The Remaining Length as far as `input` (a packet from its first byte) holds it, read
/// without the codec: its value and how many bytes encode it, whatever the encoding, or
/// `None` while every length byte present continues (four at most are read).
pub fn declared_remaining_length(input: &[u8]) -> Option<(usize, usize)> {
    let mut value = 0usize;
    for (i, &b) in input.get(1..)?.iter().enumerate().take(4) {
        value |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// The frame length the fixed header declares (first byte, Remaining Length and the bytes it
/// counts), read without the codec; `None` while the Remaining Length is incomplete.
pub fn declared_frame_len(input: &[u8]) -> Option<usize> {
    declared_remaining_length(input).map(|(value, len)| 1 + len + value)
}

/// The `decode` promise, for any bytes at all:
/// - a packet: it used at most the input, exactly its declared frame; `encoded_len()` agrees;
///   re-encoding (into a slice and into a `Vec`) gives exactly the bytes it used; decoding the
///   re-encoding gives an equal packet; `Display` is one line;
/// - "need more bytes": the input really is shorter than the frame its header declares; an
///   exact count is exact (padding by that many bytes gives a packet or an error, never
///   "need more bytes" again; checked for frames up to [`PAD_LIMIT`]); an unknown count
///   means the Remaining Length is incomplete;
/// - an error: it names a clause, prints, and points inside the declared frame.
pub fn check_decode(input: &[u8]) {
    check_decode_with(V311::new(), input)
}

/// [`check_decode`] with any version's decoder.
pub fn check_decode_with<D: PacketDecoder>(decoder: D, input: &[u8]) {
    let decode = |bytes: &[u8]| decoder.decode(bytes).map(used_of);
    match decoder.decode(input) {
        Ok(Status::Complete((packet, used))) => {
            assert!(used <= input.len(), "used {used} of {} bytes", input.len());
            assert_eq!(
                declared_frame_len(input),
                Some(used),
                "a packet must use exactly its declared frame"
            );
            check_packet_with(decoder, &packet, &input[..used]);
        }
        Ok(Status::Partial(Needed::Unknown)) => {
            assert_eq!(
                declared_frame_len(input),
                None,
                "the Remaining Length is complete, so the count is known"
            );
        }
        Ok(Status::Partial(Needed::Exactly(missing))) => {
            let frame = declared_frame_len(input)
                .expect("an exact count needs a complete Remaining Length");
            assert_eq!(
                input.len() + missing.get(),
                frame,
                "the count of missing bytes is exact"
            );
            // Padding a header that declares 256 MiB would make the oracle, not the decoder,
            // allocate in proportion to a peer's length; the exact count is checked above.
            if frame <= PAD_LIMIT {
                let mut padded = input.to_vec();
                padded.resize(frame, 0);
                assert!(
                    !matches!(decode(&padded), Ok(Status::Partial(_))),
                    "padded with the missing bytes, the input is still partial"
                );
            }
        }
        Err(error) => {
            assert!(!error.clause().as_str().is_empty());
            let shown = error.to_string();
            assert!(shown.contains(error.clause().as_str()), "{shown}");
            // The offending byte lies in the frame; a field missing at the very end of a frame
            // (no topic filter after a packet identifier) points just past it.
            let limit = declared_frame_len(input)
                .unwrap_or(input.len())
                .max(input.len());
            assert!(
                error.offset() <= limit,
                "{error:?} points past the frame ({limit} bytes)"
            );
        }
    }
}

/// The `roundtrip` promise, for every packet the constructors accept: its encoding passes
/// [`check_packet`], and every strict prefix of it is "need more bytes", with the count the
/// prefix allows: unknown while its Remaining Length is incomplete (read without the codec),
/// else exactly the bytes that complete the packet.
pub fn check_built(packet: &OwnedPacket<V311>) {
    check_built_with(V311::new(), packet)
}

/// [`check_built`] with any version's decoder.
pub fn check_built_with<D: PacketDecoder>(decoder: D, packet: &OwnedPacket<D>) {
    let wire = packet.as_bytes();
    check_packet_with(decoder, &packet.packet(), wire);
    for cut in 0..wire.len() {
        let expected = match declared_frame_len(&wire[..cut]) {
            None => Needed::Unknown,
            Some(frame) => {
                assert_eq!(frame, wire.len(), "{packet} declares another frame");
                let missing = core::num::NonZeroUsize::new(wire.len() - cut);
                Needed::Exactly(missing.expect("a strict prefix misses at least one byte"))
            }
        };
        assert_eq!(
            decoder.decode(&wire[..cut]).map(used_of),
            Ok(Status::Partial(expected)),
            "the prefix of {cut} bytes of {packet}"
        );
    }
}

/// The `stream` promise: `data` fed to a [`StreamDecoder`] in chunks (sizes taken in turn
/// from `chunk_sizes`, 0 read as 1; one chunk when there are none) gives the same packets, in
/// the same order, and the same first error as decoding the whole buffer one packet at a time.
pub fn check_stream(data: &[u8], chunk_sizes: &[u8]) {
    check_stream_with(V311::new(), data, chunk_sizes)
}

/// [`check_stream`] with any version's decoder.
pub fn check_stream_with<D: PacketDecoder>(decoder: D, data: &[u8], chunk_sizes: &[u8]) {
    let (expected, expected_error) = packets_in(decoder, data);
    let mut stream = StreamDecoder::new(decoder);
    let mut got = Vec::new();
    let mut got_error = None;
    let mut sizes = chunk_sizes.iter().cycle();
    let mut pos = 0;
    'feed: while pos < data.len() {
        let size = sizes.next().map_or(data.len(), |&s| usize::from(s).max(1));
        let end = (pos + size).min(data.len());
        stream.extend(&data[pos..end]);
        pos = end;
        loop {
            match stream.next_packet() {
                Ok(Some(packet)) => {
                    let mut bytes = Vec::new();
                    packet.append_to(&mut bytes);
                    got.push(bytes);
                }
                Ok(None) => break,
                Err(error) => {
                    got_error = Some(error);
                    break 'feed;
                }
            }
        }
    }
    assert_eq!(
        got, expected,
        "the stream gave other packets than the whole buffer"
    );
    assert_eq!(
        got_error, expected_error,
        "the stream gave another first error than the whole buffer"
    );
}

/// The packets in `data`, decoded one after the other from the whole buffer (as their
/// encodings), and the error that stopped it, if any.
fn packets_in<D: PacketDecoder>(decoder: D, data: &[u8]) -> (Vec<Vec<u8>>, Option<DecodeError>) {
    let mut packets = Vec::new();
    let mut rest = data;
    loop {
        match decoder.decode(rest) {
            Ok(Status::Complete((_, used))) => {
                packets.push(rest[..used].to_vec());
                rest = &rest[used..];
            }
            Ok(Status::Partial(_)) => return (packets, None),
            Err(error) => return (packets, Some(error)),
        }
    }
}

/// The early-rejection promise, for any bytes: along the prefixes of the first frame (up to
/// [`PAD_LIMIT`] bytes of it), the decoder answers "need more bytes" up to some byte, the
/// deciding byte, and from there on one and the same error, the error of the whole frame; and
/// a packet only from the whole frame. Returns the deciding byte's index, if the bytes
/// present hold an error.
///
/// A decoder that waited for the whole frame would pass too (its deciding byte is the last);
/// that each error is decided where the standard decides it is checked by the golden
/// vectors' `decided_at`.
pub fn check_prefixes(input: &[u8]) -> Option<usize> {
    check_prefixes_with(V311::new(), input)
}

/// [`check_prefixes`] with any version's decoder.
pub fn check_prefixes_with<D: PacketDecoder>(decoder: D, input: &[u8]) -> Option<usize> {
    let decode = |bytes: &[u8]| decoder.decode(bytes).map(used_of);
    let end = declared_frame_len(input)
        .map_or(input.len(), |frame| frame.min(input.len()))
        .min(PAD_LIMIT);
    let mut first_error: Option<(usize, DecodeError)> = None;
    for cut in 1..=end {
        let prefix = &input[..cut];
        match (decode(prefix), &first_error) {
            (Ok(Status::Partial(_)), None) => {}
            (Ok(Status::Complete(used)), None) => {
                assert_eq!(
                    declared_frame_len(prefix),
                    Some(cut),
                    "a packet from {prefix:02x?} before its frame is complete"
                );
                assert_eq!(used, cut);
            }
            (Err(error), None) => first_error = Some((cut - 1, error)),
            (Err(error), Some((_, first))) if error == *first => {}
            (other, Some((at, first))) => panic!(
                "the prefix of {} bytes gave {first:?}, the longer prefix of {cut} bytes gives {other:?}",
                at + 1
            ),
        }
    }
    first_error.map(|(at, _)| at)
}

/// What holds for every packet value: encoded length, both encoders, the round trip, and a
/// one-line `Display`. `wire` is the packet's encoding when it came from decoding.
pub fn check_packet(packet: &mqtt_wire::v311::Packet<'_>, wire: &[u8]) {
    check_packet_with(V311::new(), packet, wire)
}

/// [`check_packet`] with any version's decoder.
pub fn check_packet_with<D, P>(decoder: D, packet: &P, wire: &[u8])
where
    D: PacketDecoder,
    P: Encode + Debug + Display,
{
    let len = packet.encoded_len();
    assert_eq!(
        len,
        wire.len(),
        "encoded_len() disagrees with the bytes used"
    );
    let mut vec = Vec::new();
    assert_eq!(packet.append_to(&mut vec), len);
    assert_eq!(vec, wire, "re-encoding differs from the decoded bytes");
    let mut slice = vec![0u8; len];
    assert_eq!(packet.encode_into(&mut slice), Ok(len));
    assert_eq!(
        slice, wire,
        "encoding into a slice differs from appending to a Vec"
    );
    match decoder.decode(&vec) {
        Ok(Status::Complete((again, used))) => {
            assert_eq!(used, len);
            // The two values may differ in lifetime, so they are compared by their fields as
            // `Debug` shows them and by their bytes (which also hold what `Debug` hides).
            assert_eq!(
                format!("{again:?}"),
                format!("{packet:?}"),
                "decoding the re-encoding gives another packet"
            );
            let mut again_bytes = Vec::new();
            again.append_to(&mut again_bytes);
            assert_eq!(
                again_bytes, wire,
                "the packet decoded back encodes otherwise"
            );
        }
        other => panic!("the re-encoding of {packet:?} does not decode: {other:?}"),
    }
    let shown = packet.to_string();
    assert!(
        !shown.contains('\n') && !shown.contains('\r'),
        "Display is not one line: {shown}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use mqtt_wire::v311::Packet;

    #[test]
    fn reads_the_declared_frame_independently() {
        assert_eq!(
            declared_remaining_length(&[0x30, 0x80, 0x01]),
            Some((128, 2))
        );
        assert_eq!(declared_frame_len(&[]), None);
        assert_eq!(declared_frame_len(&[0x30]), None);
        assert_eq!(declared_frame_len(&[0x30, 0x80]), None);
        assert_eq!(declared_frame_len(&[0x30, 0x80, 0x01]), Some(1 + 2 + 128));
        // A padded length still declares a frame.
        assert_eq!(declared_frame_len(&[0xC0, 0x80, 0x00]), Some(3));
    }

    #[test]
    fn holds_for_packets_prefixes_and_garbage() {
        let publish = [
            0x32, 0x09, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x01, b'h', b'i',
        ];
        for cut in 0..=publish.len() {
            check_decode(&publish[..cut]);
        }
        for input in [
            &[0xF0][..],
            &[0xC0, 0x05],
            &[0x82, 0x02],
            &[0x30, 0xFF, 0xFF, 0xFF, 0xFF],
            &[0x10, 0x80],
        ] {
            check_decode(input);
        }
    }

    #[test]
    fn finds_the_deciding_byte() {
        // A PUBLISH whose topic starts with `+`: refused at the `+`, before the frame ends.
        assert_eq!(
            check_prefixes(&[0x30, 0x06, 0x00, 0x03, b'+', b'/', b'a', b'x']),
            Some(4)
        );
        // A packet, and an incomplete one: no error.
        assert_eq!(check_prefixes(&[0x40, 0x02, 0x00, 0x07]), None);
        assert_eq!(check_prefixes(&[0x40, 0x02, 0x00]), None);
    }

    #[test]
    #[should_panic(expected = "encoded_len() disagrees")]
    fn catches_bytes_that_are_not_the_packets_encoding() {
        // A PINGREQ is two bytes; three claimed bytes must be caught.
        check_packet(&Packet::Pingreq, &[0xC0, 0x00, 0x00]);
    }

    #[test]
    #[should_panic(expected = "re-encoding differs")]
    fn catches_a_re_encoding_that_differs() {
        // Right length, wrong bytes: the PUBACK for packet id 2 is not 40 02 00 01.
        let puback = Packet::Puback(mqtt_wire::v311::Puback::new(
            core::num::NonZeroU16::new(2).unwrap(),
        ));
        check_packet(&puback, &[0x40, 0x02, 0x00, 0x01]);
    }
}
