//! The `tokio` feature: `MqttCodec` under `Framed`, over tokio's in-memory duplex streams.
//! Expected bytes and packets are written by hand from the specification.

use std::io::ErrorKind;
use std::num::NonZeroU16;

use bytes::BytesMut;
use futures_util::{SinkExt, StreamExt};
use mqtt_wire::v311::{
    CodecError, Connack, ConnectReturnCode, Decoder, MqttCodec, OwnedPacket, Packet, Puback,
};
use mqtt_wire::DecodeErrorKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::codec::{Decoder as _, Framed};

/// PUBLISH QoS 1, id 1, topic "a/b", payload "hi"; PUBACK 1; PINGREQ; SUBSCRIBE id 2 "c/#" QoS 2.
const WIRE: &[u8] = &[
    0x32, 0x09, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x01, b'h', b'i', // PUBLISH
    0x40, 0x02, 0x00, 0x01, // PUBACK
    0xC0, 0x00, // PINGREQ
    0x82, 0x08, 0x00, 0x02, 0x00, 0x03, b'c', b'/', b'#', 0x02, // SUBSCRIBE
];

fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime")
        .block_on(future)
}

fn codec() -> MqttCodec {
    MqttCodec::new(Decoder::new().max_packet_size(1024))
}

/// What the test expects of each packet in `WIRE`, by hand.
fn describe(packet: Packet<'_>) -> String {
    match packet {
        Packet::Publish(p) => format!(
            "PUBLISH {} qos={} id={:?} {:?}",
            p.topic().as_str(),
            p.qos().as_u8(),
            p.packet_id().map(NonZeroU16::get),
            p.payload()
        ),
        Packet::Puback(p) => format!("PUBACK {}", p.packet_id()),
        Packet::Subscribe(s) => {
            let items: Vec<String> = s
                .subscriptions()
                .iter()
                .map(|s| format!("{}@{}", s.filter.as_str(), s.qos.as_u8()))
                .collect();
            format!("SUBSCRIBE {} {}", s.packet_id(), items.join(","))
        }
        other => other.packet_type().name().to_string(),
    }
}

const EXPECTED: [&str; 4] = [
    "PUBLISH a/b qos=1 id=Some(1) [104, 105]",
    "PUBACK 1",
    "PINGREQ",
    "SUBSCRIBE 2 c/#@2",
];

#[test]
fn yields_the_packets_when_the_input_arrives_one_byte_at_a_time() {
    run(async {
        // A duplex pipe that holds one byte: every read sees a single byte.
        let (mut client, server) = tokio::io::duplex(1);
        let writer = tokio::spawn(async move {
            for byte in WIRE {
                client.write_all(&[*byte]).await.unwrap();
            }
        });
        let mut framed = Framed::new(server, codec());
        let mut seen = Vec::new();
        while let Some(packet) = framed.next().await {
            seen.push(describe(packet.unwrap().packet()));
        }
        writer.await.unwrap();
        assert_eq!(seen, EXPECTED);
    });
}

#[test]
fn yields_the_packets_when_the_input_arrives_at_once() {
    run(async {
        let (mut client, server) = tokio::io::duplex(4096);
        client.write_all(WIRE).await.unwrap();
        drop(client);
        let framed = Framed::new(server, codec());
        let seen: Vec<String> = framed
            .map(|packet| describe(packet.unwrap().packet()))
            .collect()
            .await;
        assert_eq!(seen, EXPECTED);
    });
}

#[test]
fn a_malformed_packet_ends_the_stream() {
    run(async {
        let (mut client, server) = tokio::io::duplex(4096);
        // PINGREQ; PUBACK with packet identifier 0; PINGRESP (never reached).
        client
            .write_all(&[0xC0, 0x00, 0x40, 0x02, 0x00, 0x00, 0xD0, 0x00])
            .await
            .unwrap();
        drop(client); // so a codec that waits for more bytes fails instead of hanging
        let mut framed = Framed::new(server, codec());
        assert_eq!(
            framed.next().await.unwrap().unwrap().packet(),
            Packet::Pingreq
        );
        let err = framed.next().await.unwrap().unwrap_err();
        let decode = err.decode_error().expect("a decode error");
        // The identifier starts at byte 2 of the PUBACK.
        assert_eq!(
            (decode.kind(), decode.offset()),
            (DecodeErrorKind::ZeroPacketId, 2)
        );
        assert!(framed.next().await.is_none(), "the stream has ended");
    });
}

#[test]
fn a_stream_closed_inside_a_packet_is_an_unexpected_eof() {
    run(async {
        let (mut client, server) = tokio::io::duplex(4096);
        client.write_all(&[0x40, 0x02, 0x00]).await.unwrap(); // PUBACK missing a byte
        drop(client);
        let mut framed = Framed::new(server, codec());
        match framed.next().await {
            Some(Err(CodecError::Io(e))) => assert_eq!(e.kind(), ErrorKind::UnexpectedEof),
            other => panic!("expected an unexpected EOF, got {other:?}"),
        }
    });
}

#[test]
fn encodes_every_kind_of_packet_value() {
    run(async {
        let (client, mut server) = tokio::io::duplex(4096);
        let mut framed = Framed::new(client, codec());
        let id = NonZeroU16::new(0x1234).unwrap();
        let connack = Connack::new(true, ConnectReturnCode::Accepted).unwrap();
        framed.send(Packet::Connack(connack)).await.unwrap();
        let owned: OwnedPacket = Packet::Puback(Puback::new(id)).to_owned_packet();
        framed.send(&owned).await.unwrap();
        framed.send(owned).await.unwrap();
        let mut echo = BytesMut::from(&[0xD0, 0x00][..]);
        let bytes_packet = codec().decode(&mut echo).unwrap().unwrap();
        framed.send(bytes_packet).await.unwrap();
        drop(framed);
        let mut out = Vec::new();
        server.read_to_end(&mut out).await.unwrap();
        assert_eq!(
            out,
            [
                0x20, 0x02, 0x01, 0x00, // CONNACK, session present, accepted
                0x40, 0x02, 0x12, 0x34, // PUBACK 0x1234
                0x40, 0x02, 0x12, 0x34, // again
                0xD0, 0x00, // PINGRESP
            ]
        );
    });
}

#[test]
fn every_strict_prefix_needs_more_bytes_and_is_kept() {
    let mut codec = codec();
    // The PUBLISH is the first 11 bytes.
    for end in 0..11 {
        let mut buf = BytesMut::from(&WIRE[..end]);
        assert!(codec.decode(&mut buf).unwrap().is_none(), "prefix of {end}");
        assert_eq!(&buf[..], &WIRE[..end]);
    }
}

#[test]
fn reserves_a_small_packet_whole_and_a_large_one_a_step_at_a_time() {
    let mut codec = MqttCodec::new(Decoder::new().max_packet_size(1000));
    // PUBLISH declaring 200 (0xC8 0x01) bytes: 203 in all, within the limit.
    let mut buf = BytesMut::from(&[0x30, 0xC8, 0x01][..]);
    assert!(codec.decode(&mut buf).unwrap().is_none());
    assert!(buf.capacity() >= 203, "capacity {}", buf.capacity());
    assert!(buf.capacity() < 1000, "capacity {}", buf.capacity());

    // PUBLISH declaring 1,000,000 bytes (0xC0 0x84 0x3D) under a 2 MiB limit: room for the
    // next 4 KiB, not for the declared megabyte.
    let mut codec = MqttCodec::new(Decoder::new().max_packet_size(2 << 20));
    let mut buf = BytesMut::from(&[0x30, 0xC0, 0x84, 0x3D][..]);
    assert!(codec.decode(&mut buf).unwrap().is_none());
    assert!(buf.capacity() >= 4 + 4096, "capacity {}", buf.capacity());
    assert!(
        buf.capacity() <= 2 * (4 + 4096),
        "capacity {}",
        buf.capacity()
    );
    // Half the body arrives: still one step ahead, about twice what is there at most.
    buf.extend_from_slice(&[0x00, 0x01, b't']);
    buf.extend_from_slice(&[0x55; 500_000]);
    assert!(codec.decode(&mut buf).unwrap().is_none());
    assert!(buf.capacity() - buf.len() >= 4096);
    assert!(
        buf.capacity() <= 2 * (500_007 + 4096),
        "capacity {}",
        buf.capacity()
    );

    // An incomplete Remaining Length: the size is unknown, nothing is reserved.
    let mut buf = BytesMut::with_capacity(2);
    buf.extend_from_slice(&[0x30, 0x80]);
    assert!(codec.decode(&mut buf).unwrap().is_none());
    assert_eq!(buf.capacity(), 2);

    // PUBLISH declaring 268,435,455 bytes: refused from the header, nothing reserved.
    let mut buf = BytesMut::with_capacity(5);
    buf.extend_from_slice(&[0x30, 0xFF, 0xFF, 0xFF, 0x7F]);
    let mut codec = MqttCodec::new(Decoder::new().max_packet_size(1000));
    let err = codec.decode(&mut buf).unwrap_err();
    assert_eq!(
        err.decode_error().map(|e| e.kind()),
        Some(DecodeErrorKind::PacketTooLarge)
    );
    assert_eq!(buf.capacity(), 5);
}

#[test]
fn the_first_error_is_final() {
    let mut codec = codec();
    let mut buf = BytesMut::from(&[0xF0][..]); // reserved packet type 15
    let first = codec.decode(&mut buf).unwrap_err();
    assert_eq!(
        first.decode_error().map(|e| e.kind()),
        Some(DecodeErrorKind::InvalidPacketType)
    );
    let mut fresh = BytesMut::from(&[0xC0, 0x00][..]); // a valid PINGREQ
    let again = codec.decode(&mut fresh).unwrap_err();
    assert_eq!(again.decode_error(), first.decode_error());
    assert_eq!(&fresh[..], [0xC0, 0x00], "nothing consumed after the error");
    assert_eq!(
        first.to_string(),
        "malformed packet at byte 0: reserved packet type [section 2.2.1]"
    );
}

mod chunks {
    use super::*;
    use mqtt_wire::v311::decode;
    use proptest::prelude::*;

    /// Valid packets, each written by hand, to be concatenated in any order.
    const PACKETS: &[&[u8]] = &[
        &[
            0x32, 0x09, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x01, b'h', b'i',
        ], // PUBLISH QoS 1
        &[0x40, 0x02, 0x00, 0x01], // PUBACK 1
        &[0xC0, 0x00],             // PINGREQ
        &[0x82, 0x08, 0x00, 0x02, 0x00, 0x03, b'c', b'/', b'#', 0x02], // SUBSCRIBE
        &[0x30, 0x80, 0x01, 0x00, 0x01, b't'], // PUBLISH QoS 0, length 128: the head only
    ];

    /// What decoding the whole buffer at once gives: the packets' bytes, then the error if any.
    fn at_once(mut input: &[u8]) -> (Vec<Vec<u8>>, Option<mqtt_wire::DecodeError>) {
        let mut packets = Vec::new();
        loop {
            match decode(input) {
                Ok(mqtt_wire::Status::Complete((_, used))) => {
                    packets.push(input[..used].to_vec());
                    input = &input[used..];
                }
                Ok(mqtt_wire::Status::Partial(_)) => return (packets, None),
                Err(e) => return (packets, Some(e)),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// The codec fed in arbitrary chunks gives the packets, and the first error, that
        /// decoding the whole buffer gives; it never takes a byte more than a packet's.
        #[test]
        fn chunks_do_not_change_the_packets(
            order in proptest::collection::vec(0..PACKETS.len(), 0..8),
            garbage in proptest::option::of(proptest::collection::vec(any::<u8>(), 1..4)),
            cuts in proptest::collection::vec(1usize..7, 0..40),
        ) {
            let mut wire: Vec<u8> = order.iter().flat_map(|&i| PACKETS[i].to_vec()).collect();
            wire.extend(garbage.unwrap_or_default());
            let (expected, expected_error) = at_once(&wire);

            let mut codec = MqttCodec::new(Decoder::new());
            let mut buf = BytesMut::new();
            let mut got = Vec::new();
            let mut error = None;
            let mut rest = &wire[..];
            let mut cuts = cuts.into_iter().chain(std::iter::repeat(3));
            'feed: while !rest.is_empty() {
                let n = cuts.next().unwrap().min(rest.len());
                buf.extend_from_slice(&rest[..n]);
                rest = &rest[n..];
                loop {
                    match codec.decode(&mut buf) {
                        Ok(Some(packet)) => got.push(packet.as_bytes().to_vec()),
                        Ok(None) => break,
                        Err(e) => {
                            error = e.decode_error().copied();
                            break 'feed;
                        }
                    }
                }
            }
            prop_assert_eq!(got, expected);
            prop_assert_eq!(error, expected_error);
        }
    }
}

#[test]
fn codec_errors_say_what_failed_and_chain_their_cause() {
    use std::error::Error as _;

    let decoder = Decoder::new().max_packet_size(1024);
    assert_eq!(MqttCodec::new(decoder).decoder(), decoder);

    // A reserved packet type: the decode error, as the codec's error.
    let decode = codec()
        .decode(&mut BytesMut::from(&[0xF0, 0x00][..]))
        .unwrap_err();
    let inner = *decode.decode_error().expect("a decode error");
    assert_eq!(inner.kind(), DecodeErrorKind::InvalidPacketType);
    let shown = "malformed packet at byte 0: reserved packet type [section 2.2.1]";
    assert_eq!(decode.to_string(), shown);
    assert_eq!(decode.source().unwrap().to_string(), shown);
    assert!(matches!(CodecError::from(inner), CodecError::Decode(e) if e == inner));

    // An I/O error passes through with its kind and message.
    let io = CodecError::from(std::io::Error::new(ErrorKind::BrokenPipe, "peer went away"));
    assert!(io.decode_error().is_none());
    assert_eq!(io.to_string(), "I/O error: peer went away");
    assert_eq!(io.source().unwrap().to_string(), "peer went away");
}

#[test]
fn at_the_end_of_the_stream_a_whole_packet_is_still_yielded() {
    let mut codec = codec();
    let mut input = BytesMut::from(&[0xC0, 0x00][..]);
    let packet = codec.decode_eof(&mut input).unwrap().expect("the PINGREQ");
    assert_eq!(packet.packet(), Packet::Pingreq);
    assert_eq!(codec.decode_eof(&mut input).unwrap(), None);
}
